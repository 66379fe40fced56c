/* inflate_tables.c: the decoding tables of a Huffman block (RFC 1951 3.2.2, 3.2.6, 3.2.7):
 * canonical codes from code lengths turned into lookup tables, the fixed code, and a dynamic
 * block's header (the code-length code, then the lengths themselves, run-length coded). */
#include "inflate.h"

/* Length symbols 257..285 and distance symbols 0..29: base value and extra bits. */
static const uint16_t len_base[29] = {
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
    35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
};
static const uint8_t len_extra[29] = {
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
};
static const uint16_t dist_base[30] = {
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769,
    1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
};
static const uint8_t dist_extra[30] = {
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12,
    13, 13,
};
/* The order in which a dynamic header gives the code-length code's lengths. */
static const uint8_t pre_order[19] = {
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
};

enum code_kind { CODE_PRE, CODE_LITLEN, CODE_DIST };

/* The entry of symbol `sym` without its code length. */
static uint32_t code_entry(enum code_kind kind, uint32_t sym)
{
    switch (kind) {
    case CODE_PRE:
        return sym << 16;
    case CODE_LITLEN:
        if (sym < 256)
            return INFLATE_E_LIT | sym << 16;
        if (sym == 256)
            return INFLATE_E_EOB;
        if (sym < 286)
            return (uint32_t)len_base[sym - 257] << 16 | (uint32_t)len_extra[sym - 257] << 4;
        return INFLATE_E_BAD;
    default:
        if (sym < 30)
            return (uint32_t)dist_base[sym] << 16 | (uint32_t)dist_extra[sym] << 4;
        return INFLATE_E_BAD;
    }
}

static uint32_t code_reverse(uint32_t code, uint32_t len)
{
    uint32_t r = 0;

    while (len--) {
        r = r << 1 | (code & 1u);
        code >>= 1;
    }
    return r;
}

/* Fill table (cap entries, root bits) for the n code lengths lens[] (each <= 15). Codes are
 * assigned in canonical order (by length, then symbol); DEFLATE sends them MSB first into an
 * LSB-first stream, so a code's table index is its bit reversal. A code of up to `root` bits
 * fills every root entry that starts with it; longer codes share a subtable per root prefix,
 * as large as the longest code under that prefix needs (zlib's inftrees.c rule: in canonical
 * order the codes under one prefix come first among those left, shortest first). False for
 * an over-subscribed code, and for an incomplete one unless it is a single 1-bit code (or no
 * code at all) of literals/lengths or distances, which zlib allows: the free half decodes as
 * INFLATE_E_BAD. */
static bool code_build(uint32_t *table, uint32_t cap, uint32_t root, const uint8_t *lens,
                       uint32_t n, enum code_kind kind)
{
    uint16_t count[16] = {0}, left_of[16], offs[16], sorted[288];
    uint32_t max = 15, code = 0, next = 1u << root, sub = 0, sub_bits = 0;
    uint32_t prefix = UINT32_MAX, mask = (1u << root) - 1u, i = 0;
    int32_t left = 1;

    for (uint32_t s = 0; s < n; s++)
        count[lens[s]]++;
    while (max > 0 && count[max] == 0)
        max--;
    for (uint32_t len = 1; len <= 15; len++) {
        left = (left << 1) - count[len];
        if (left < 0)
            return false;
    }
    if (max == 0 || left > 0) {
        if (kind == CODE_PRE || max > 1)
            return false;
        for (uint32_t k = 0; k <= mask; k++)
            table[k] = INFLATE_E_BAD | 1u;
        if (max == 0)
            return true;
    }
    offs[1] = 0;
    for (uint32_t len = 1; len < 15; len++)
        offs[len + 1] = (uint16_t)(offs[len] + count[len]);
    for (uint32_t s = 0; s < n; s++)
        if (lens[s])
            sorted[offs[lens[s]]++] = (uint16_t)s;
    for (uint32_t len = 0; len < 16; len++)
        left_of[len] = count[len];

    for (uint32_t len = 1; len <= max; len++, code <<= 1) {
        for (uint32_t c = 0; c < count[len]; c++, code++, left_of[len]--) {
            uint32_t e = code_entry(kind, sorted[i++]);
            uint32_t rev = code_reverse(code, len);

            if (len <= root) {
                for (uint32_t k = rev; k <= mask; k += 1u << len)
                    table[k] = e | len;
                continue;
            }
            if ((rev & mask) != prefix) {
                int32_t room;

                prefix = rev & mask;
                sub_bits = len - root;
                room = 1 << sub_bits;
                while (sub_bits + root < max) {
                    room -= left_of[sub_bits + root];
                    if (room <= 0)
                        break;
                    sub_bits++;
                    room <<= 1;
                }
                if (next + (1u << sub_bits) > cap) /* cannot happen: INFLATE_*_CAP */
                    return false;
                sub = next;
                next += 1u << sub_bits;
                table[prefix] = INFLATE_E_SUB | sub << 16 | sub_bits << 4 | root;
            }
            for (uint32_t k = rev >> root; k < 1u << sub_bits; k += 1u << (len - root))
                table[sub + k] = e | (len - root);
        }
    }
    return true;
}

void inflate_fixed(struct inflate *z)
{
    uint8_t *l = z->lens;
    uint32_t s = 0;

    if (z->fixed)
        return;
    while (s < 144)
        l[s++] = 8;
    while (s < 256)
        l[s++] = 9;
    while (s < 280)
        l[s++] = 7;
    while (s < 288)
        l[s++] = 8;
    while (s < 288 + 32)
        l[s++] = 5;
    /* Complete codes within the capacities: cannot fail. */
    code_build(z->litlen, INFLATE_LITLEN_CAP, INFLATE_LITLEN_ROOT, l, 288, CODE_LITLEN);
    code_build(z->dist, INFLATE_DIST_CAP, INFLATE_DIST_ROOT, l + 288, 32, CODE_DIST);
    z->fixed = true;
}

err_t inflate_dynamic(struct inflate *z)
{
    uint8_t pre_lens[19] = {0};
    uint32_t nlen, ndist, npre, n = 0;
    err_t e;

    z->fixed = false;
    if ((e = inflate_need(z, 14)) != ERR_OK)
        return e;
    nlen = 257 + inflate_take(z, 5);
    ndist = 1 + inflate_take(z, 5);
    npre = 4 + inflate_take(z, 4);
    if (nlen > 286 || ndist > 30)
        return inflate_fail(z, ERR_INFLATE_DATA, "too many length or distance symbols");
    for (uint32_t i = 0; i < npre; i++) {
        if ((e = inflate_need(z, 3)) != ERR_OK)
            return e;
        pre_lens[pre_order[i]] = (uint8_t)inflate_take(z, 3);
    }
    if (!code_build(z->pre, INFLATE_PRE_CAP, INFLATE_PRE_ROOT, pre_lens, 19, CODE_PRE))
        return inflate_fail(z, ERR_INFLATE_DATA, "invalid code lengths set");

    while (n < nlen + ndist) {
        uint32_t ent, sym, rep, val = 0;

        if ((e = inflate_decode(z, z->pre, INFLATE_PRE_ROOT, &ent)) != ERR_OK)
            return e;
        sym = ent >> 16;
        if (sym < 16) {
            z->lens[n++] = (uint8_t)sym;
            continue;
        }
        /* 2, 3 or 7 extra bits: exactly those, the stream may end soon after. */
        if ((e = inflate_need(z, sym == 16 ? 2 : sym == 17 ? 3 : 7)) != ERR_OK)
            return e;
        if (sym == 16) {
            if (n == 0)
                return inflate_fail(z, ERR_INFLATE_DATA, "invalid bit length repeat");
            val = z->lens[n - 1];
            rep = 3 + inflate_take(z, 2);
        } else if (sym == 17) {
            rep = 3 + inflate_take(z, 3);
        } else {
            rep = 11 + inflate_take(z, 7);
        }
        if (rep > nlen + ndist - n)
            return inflate_fail(z, ERR_INFLATE_DATA, "invalid bit length repeat");
        while (rep--)
            z->lens[n++] = (uint8_t)val;
    }
    if (z->lens[256] == 0)
        return inflate_fail(z, ERR_INFLATE_DATA, "invalid code -- missing end-of-block");
    if (!code_build(z->litlen, INFLATE_LITLEN_CAP, INFLATE_LITLEN_ROOT, z->lens, nlen,
                    CODE_LITLEN))
        return inflate_fail(z, ERR_INFLATE_DATA, "invalid literal/lengths set");
    if (!code_build(z->dist, INFLATE_DIST_CAP, INFLATE_DIST_ROOT, z->lens + nlen, ndist,
                    CODE_DIST))
        return inflate_fail(z, ERR_INFLATE_DATA, "invalid distances set");
    return ERR_OK;
}
