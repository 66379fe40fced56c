/* test_inflate.c: the DEFLATE decoder on hand-made streams, bit by bit: stored, fixed and
 * dynamic blocks (with 15-bit codes, so the subtables are used), every error with its code
 * and zlib's reason, errors found in the careful loop and in the fast one, every truncation
 * of a stream, the streaming API (output in 1-byte pieces, skipping through the window,
 * history, input from a callback in pieces, a failing callback). The streams are written
 * by a small encoder here (bw_*), which knows nothing of the decoder's tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "inflate.h"

/* ---- a bit writer and canonical codes ------------------------------------------------- */

struct bw {
    uint8_t buf[1 << 17];
    size_t n;
    uint32_t acc, nacc;
};

static void bw_bits(struct bw *w, uint32_t v, uint32_t bits)
{
    for (uint32_t i = 0; i < bits; i++) {
        w->acc |= ((v >> i) & 1u) << w->nacc;
        if (++w->nacc == 8) {
            assert_true(w->n < sizeof(w->buf));
            w->buf[w->n++] = (uint8_t)w->acc;
            w->acc = w->nacc = 0;
        }
    }
}

/* A Huffman code goes MSB first. */
static void bw_code(struct bw *w, uint32_t code, uint32_t len)
{
    for (uint32_t i = len; i-- > 0;)
        bw_bits(w, (code >> i) & 1u, 1);
}

static size_t bw_flush(struct bw *w)
{
    if (w->nacc)
        bw_bits(w, 0, 8 - w->nacc);
    return w->n;
}

/* Canonical codes of lens[0..n) (RFC 1951 3.2.2). */
static void canon(const uint8_t *lens, uint32_t n, uint16_t *codes)
{
    uint16_t count[16] = {0}, next[16];
    uint32_t code = 0;

    for (uint32_t s = 0; s < n; s++)
        count[lens[s]]++;
    count[0] = 0;
    for (uint32_t len = 1; len < 16; len++) {
        code = (code + count[len - 1]) << 1;
        next[len] = (uint16_t)code;
    }
    for (uint32_t s = 0; s < n; s++)
        if (lens[s])
            codes[s] = next[lens[s]]++;
}

/* Fixed code (RFC 1951 3.2.6). */
static void fixed_lit(struct bw *w, uint32_t sym)
{
    if (sym < 144)
        bw_code(w, 0x30 + sym, 8);
    else if (sym < 256)
        bw_code(w, 0x190 + sym - 144, 9);
    else if (sym < 280)
        bw_code(w, sym - 256, 7);
    else
        bw_code(w, 0xc0 + sym - 280, 8);
}

/* The header of a final fixed-Huffman block. */
static void fixed_header(struct bw *w)
{
    bw_bits(w, 1, 1);
    bw_bits(w, 1, 2);
}

/* A length (3..10: symbols 257..264, no extra bits) and a distance (1..4: no extra bits, or
 * 5..8: symbols 4 and 5 with one extra bit) in the fixed code. */
static void fixed_match(struct bw *w, uint32_t len, uint32_t dist)
{
    fixed_lit(w, 254 + len);
    if (dist <= 4) {
        bw_code(w, dist - 1, 5);
    } else {
        bw_code(w, dist <= 6 ? 4 : 5, 5);
        bw_bits(w, (dist - 5) & 1u, 1);
    }
}

/* A dynamic block's header: the code-length code below, then every length sent as itself
 * (pre_syms, when given, replaces the lengths by raw code-length symbols + extra bits). */
static const uint8_t pre_order[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2,
                                      14, 1, 15};
/* 13 symbols of 4 bits and 6 of 5: complete. */
static const uint8_t pre_lens[19] = {4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5};

static void dyn_header(struct bw *w, bool last, uint32_t nlen, uint32_t ndist,
                       const uint8_t *lens, const uint32_t *pre_syms, uint32_t npre_syms)
{
    uint16_t pcodes[19];

    canon(pre_lens, 19, pcodes);
    bw_bits(w, last, 1);
    bw_bits(w, 2, 2);
    bw_bits(w, nlen - 257, 5);
    bw_bits(w, ndist - 1, 5);
    bw_bits(w, 19 - 4, 4);
    for (uint32_t i = 0; i < 19; i++)
        bw_bits(w, pre_lens[pre_order[i]], 3);
    if (pre_syms) {
        for (uint32_t i = 0; i < npre_syms; i += 2) {
            uint32_t s = pre_syms[i];
            bw_code(w, pcodes[s], pre_lens[s]);
            if (s >= 16)
                bw_bits(w, pre_syms[i + 1], s == 16 ? 2 : s == 17 ? 3 : 7);
        }
        return;
    }
    for (uint32_t i = 0; i < nlen + ndist; i++)
        bw_code(w, pcodes[lens[i]], pre_lens[lens[i]]);
}

/* ---- decoding helpers ------------------------------------------------------------------ */

static uint8_t window[INFLATE_WINDOW];
static struct inflate z;
static uint8_t out[1 << 16];

/* Decode buf in one call; returns the error, *got the output length. */
static err_t decode(const uint8_t *buf, size_t len, size_t *got)
{
    inflate_init(&z, window, NULL, NULL);
    inflate_set_input(&z, buf, len);
    return inflate_run(&z, out, sizeof(out), got);
}

static void expect_error(const uint8_t *buf, size_t len, err_t want, const char *msg)
{
    size_t got;
    err_t e = decode(buf, len, &got);

    assert_int_equal(e, want);
    assert_string_equal(z.msg, msg);
    assert_int_equal(z.mode, INFLATE_FAILED);
    /* Sticky: a second call says the same and produces nothing. */
    assert_int_equal(inflate_run(&z, out, sizeof(out), &got), want);
    assert_int_equal(got, 0);
}

/* A fixed block of `pad` literals 'x' after the given start, so the fast loop is the one
 * that meets what follows (it runs while 16 bytes of input are left). */
static void fixed_pad(struct bw *w, uint32_t pad)
{
    for (uint32_t i = 0; i < pad; i++)
        fixed_lit(w, 'x');
}

/* ---- stored blocks --------------------------------------------------------------------- */

/* A stored block of "abc" whose NLEN is `nlen` (0xfffc is right); returns the length. */
static size_t stored_abc(struct bw *w, bool last, uint16_t nlen)
{
    bw_bits(w, last, 1);
    bw_bits(w, 0, 2);
    bw_flush(w);
    bw_bits(w, 3, 16);
    bw_bits(w, nlen, 16);
    memcpy(w->buf + w->n, "abc", 3);
    w->n += 3;
    return w->n;
}

static void stored_block(void **state)
{
    struct bw w = {0};
    size_t got;

    (void)state;
    stored_abc(&w, false, 0xfffc);
    bw_bits(&w, 1, 1); /* last, empty */
    bw_bits(&w, 0, 2);
    bw_flush(&w);
    bw_bits(&w, 0, 16);
    bw_bits(&w, 0xffff, 16);
    assert_int_equal(decode(w.buf, w.n, &got), ERR_OK);
    assert_int_equal(got, 3);
    assert_memory_equal(out, "abc", 3);
    assert_int_equal(z.mode, INFLATE_END);
}

static void stored_lengths_must_match(void **state)
{
    struct bw w = {0};

    (void)state;
    expect_error(w.buf, stored_abc(&w, true, 0xfffd), ERR_INFLATE_DATA,
                 "invalid stored block lengths");
}

static void block_type_3_is_invalid(void **state)
{
    struct bw w = {0};

    (void)state;
    bw_bits(&w, 1, 1);
    bw_bits(&w, 3, 2);
    expect_error(w.buf, bw_flush(&w), ERR_INFLATE_DATA, "invalid block type");
}

/* ---- fixed blocks ---------------------------------------------------------------------- */

static size_t fixed_ababa(struct bw *w)
{
    fixed_header(w);
    fixed_lit(w, 'a');
    fixed_lit(w, 'b');
    fixed_match(w, 3, 2); /* overlapping: "aba" from 2 back */
    fixed_lit(w, 200);    /* a 9-bit literal */
    fixed_match(w, 10, 6);
    fixed_lit(w, 256);
    return bw_flush(w);
}

static void fixed_block(void **state)
{
    struct bw w = {0};
    size_t got;
    static const uint8_t want[] = "ababa\310ababa\310abab";

    (void)state;
    assert_int_equal(decode(w.buf, fixed_ababa(&w), &got), ERR_OK);
    assert_int_equal(got, 16);
    assert_memory_equal(out, want, 16);
    assert_int_equal(z.mode, INFLATE_END);
    assert_int_equal(z.total_out, 16);
}

static void fixed_code_286_is_invalid(void **state)
{
    struct bw w = {0};

    (void)state;
    fixed_header(&w);
    fixed_lit(&w, 'a');
    fixed_lit(&w, 286);
    expect_error(w.buf, bw_flush(&w), ERR_INFLATE_DATA, "invalid literal/length code");
    /* The same met by the fast loop. */
    memset(&w, 0, sizeof(w));
    fixed_header(&w);
    fixed_lit(&w, 287);
    fixed_pad(&w, 40);
    expect_error(w.buf, bw_flush(&w), ERR_INFLATE_DATA, "invalid literal/length code");
}

static void fixed_distance_30_is_invalid(void **state)
{
    for (uint32_t pad = 0; pad <= 40; pad += 40) {
        struct bw w = {0};

        (void)state;
        fixed_header(&w);
        fixed_lit(&w, 'a');
        fixed_lit(&w, 257);
        bw_code(&w, 30, 5);
        fixed_pad(&w, pad);
        expect_error(w.buf, bw_flush(&w), ERR_INFLATE_DATA, "invalid distance code");
    }
}

static void distance_past_the_start(void **state)
{
    (void)state;
    for (uint32_t pad = 0; pad <= 40; pad += 40) {
        struct bw w = {0};
        size_t got;

        fixed_header(&w);
        fixed_lit(&w, 'a');
        fixed_match(&w, 3, 2);
        fixed_pad(&w, pad);
        expect_error(w.buf, bw_flush(&w), ERR_INFLATE_DISTANCE, "invalid distance too far back");
        /* One byte of output less far back is fine. */
        memset(&w, 0, sizeof(w));
        fixed_header(&w);
        fixed_lit(&w, 'a');
        fixed_match(&w, 3, 1);
        fixed_pad(&w, pad);
        fixed_lit(&w, 256);
        assert_int_equal(decode(w.buf, bw_flush(&w), &got), ERR_OK);
        assert_int_equal(got, 4 + pad);
    }
}

/* Every prefix of a valid stream is truncated, whether it ends in a header, a code, extra
 * bits or between blocks. */
static void every_prefix_is_truncated(void **state)
{
    struct bw w = {0};
    size_t len = fixed_ababa(&w), got;

    (void)state;
    for (size_t cut = 0; cut < len; cut++) {
        assert_int_equal(decode(w.buf, cut, &got), ERR_INFLATE_TRUNCATED);
        assert_string_equal(z.msg, "compressed data ends early");
    }
    /* A stored block cut inside its bytes. */
    memset(&w, 0, sizeof(w));
    len = stored_abc(&w, true, 0xfffc);
    for (size_t cut = 0; cut < len; cut++)
        assert_int_equal(decode(w.buf, cut, &got), ERR_INFLATE_TRUNCATED);
}

/* ---- dynamic blocks -------------------------------------------------------------------- */

/* Literals 'a'..'n' with code lengths 2..15, 'o' 15 bits, end-of-block 1 bit; distances 0..14
 * with lengths 1..15, 15 with 15: both codes complete and reaching 15 bits, past both root
 * tables. */
static void dyn_lengths(uint8_t *lens, uint32_t *nlen, uint32_t *ndist)
{
    *nlen = 258;
    *ndist = 16;
    memset(lens, 0, *nlen + *ndist);
    lens[256] = 1;
    for (uint32_t i = 0; i < 14; i++)
        lens['a' + i] = (uint8_t)(2 + i);
    lens['o'] = 15;
    lens[257] = 0;
    /* length symbol 257 (length 3) must be codable: take it from the literal side */
    lens['n'] = 15;
    lens['m'] = 0;
    lens[257] = 14;
    for (uint32_t i = 0; i < 15; i++)
        lens[*nlen + i] = (uint8_t)(1 + i);
    lens[*nlen + 15] = 15;
}

static void dynamic_block_with_15_bit_codes(void **state)
{
    uint8_t lens[320];
    uint16_t lcodes[288], dcodes[32];
    uint32_t nlen, ndist;
    struct bw w = {0};
    uint8_t want[300];
    size_t n = 0, got;

    (void)state;
    dyn_lengths(lens, &nlen, &ndist);
    canon(lens, nlen, lcodes);
    canon(lens + nlen, ndist, dcodes);
    dyn_header(&w, true, nlen, ndist, lens, NULL, 0);
    /* 200 literals cycling through every literal of the code, long ones included */
    for (uint32_t i = 0; i < 200; i++) {
        static const char lits[] = "abcdefghijklno";
        uint8_t c = (uint8_t)lits[i % 14];
        bw_code(&w, lcodes[c], lens[c]);
        want[n++] = c;
    }
    /* length 3 at distance 129 + 63 = 192: distance symbol 14 (15-bit code), 6 extra bits */
    bw_code(&w, lcodes[257], lens[257]);
    bw_code(&w, dcodes[14], lens[nlen + 14]);
    bw_bits(&w, 63, 6);
    for (uint32_t i = 0; i < 3; i++, n++)
        want[n] = want[n - 192];
    /* length 3 at distance 1: distance symbol 0, the 1-bit code */
    bw_code(&w, lcodes[257], lens[257]);
    bw_code(&w, dcodes[0], lens[nlen]);
    for (uint32_t i = 0; i < 3; i++, n++)
        want[n] = want[n - 1];
    bw_code(&w, lcodes[256], lens[256]);
    assert_int_equal(decode(w.buf, bw_flush(&w), &got), ERR_OK);
    assert_int_equal(got, n);
    assert_memory_equal(out, want, n);
    assert_int_equal(z.mode, INFLATE_END);
}

static void dyn_expect(uint32_t nlen, uint32_t ndist, const uint8_t *lens, const uint32_t *pre,
                       uint32_t npre, err_t want, const char *msg)
{
    struct bw w = {0};

    dyn_header(&w, true, nlen, ndist, lens, pre, npre);
    fixed_pad(&w, 8); /* whatever follows: some bits */
    expect_error(w.buf, bw_flush(&w), want, msg);
}

static void dynamic_header_errors(void **state)
{
    uint8_t lens[320] = {0};
    static const uint32_t repeat_first[] = {16, 0};
    static const uint32_t repeat_over[] = {18, 127, 18, 127, 18, 127};

    (void)state;
    /* 287 literal/length or 31 distance codes: more than zlib allows. */
    dyn_expect(287, 1, lens, repeat_first, 2, ERR_INFLATE_DATA,
               "too many length or distance symbols");
    dyn_expect(257, 31, lens, repeat_first, 2, ERR_INFLATE_DATA,
               "too many length or distance symbols");
    /* A repeat of the previous length with no previous length. */
    dyn_expect(257, 1, lens, repeat_first, 2, ERR_INFLATE_DATA, "invalid bit length repeat");
    /* 3 x 138 zeros: more lengths than 257 + 1. */
    dyn_expect(257, 1, lens, repeat_over, 6, ERR_INFLATE_DATA, "invalid bit length repeat");
    /* No end-of-block code: 'a' and 'b' of one bit each. */
    lens['a'] = lens['b'] = 1;
    dyn_expect(257, 1, lens, NULL, 0, ERR_INFLATE_DATA, "invalid code -- missing end-of-block");
    /* Over-subscribed: three 1-bit codes. */
    lens[256] = 1;
    dyn_expect(257, 1, lens, NULL, 0, ERR_INFLATE_DATA, "invalid literal/lengths set");
    /* Incomplete with a 2-bit code: only a single 1-bit code may be incomplete. */
    lens['b'] = 0;
    lens[256] = 2;
    dyn_expect(257, 1, lens, NULL, 0, ERR_INFLATE_DATA, "invalid literal/lengths set");
    /* Distances incomplete with a 2-bit code. */
    lens[256] = 1;
    lens[257] = 1;
    lens['a'] = 0;
    lens[258] = 1;
    lens[259] = 2;
    dyn_expect(258, 2, lens, NULL, 0, ERR_INFLATE_DATA, "invalid distances set");
}

static void code_length_code_must_be_complete(void **state)
{
    struct bw w = {0};

    (void)state;
    bw_bits(&w, 1, 1);
    bw_bits(&w, 2, 2);
    bw_bits(&w, 0, 5);
    bw_bits(&w, 0, 5);
    bw_bits(&w, 0, 4);                   /* 4 code-length code lengths: */
    bw_bits(&w, 1, 3);                   /* 16: 1 bit */
    bw_bits(&w, 2, 3);                   /* 17: 2 bits, 18 and 0 none: incomplete */
    bw_bits(&w, 0, 3);
    bw_bits(&w, 0, 3);
    fixed_pad(&w, 4);
    expect_error(w.buf, bw_flush(&w), ERR_INFLATE_DATA, "invalid code lengths set");
    /* None at all. */
    memset(&w, 0, sizeof(w));
    bw_bits(&w, 1, 1);
    bw_bits(&w, 2, 2);
    bw_bits(&w, 0, 14);
    bw_bits(&w, 0, 12);
    fixed_pad(&w, 4);
    expect_error(w.buf, bw_flush(&w), ERR_INFLATE_DATA, "invalid code lengths set");
}

/* One 1-bit distance code (incomplete, allowed): its code decodes, the other half is no
 * code. No distance code at all is allowed too, until a match needs one. */
static void single_and_no_distance_codes(void **state)
{
    uint8_t lens[320] = {0};
    uint16_t lcodes[288];
    size_t got;

    (void)state;
    lens['a'] = 2;
    lens[256] = 2;
    lens[257] = 1;  /* length 3 */
    lens[258] = 1;  /* distance symbol 0 (distance 1), one bit */
    canon(lens, 258, lcodes);
    for (int bad = 0; bad < 2; bad++) {
        struct bw w = {0};
        dyn_header(&w, true, 258, 1, lens, NULL, 0);
        bw_code(&w, lcodes['a'], 2);
        bw_code(&w, lcodes[257], 1);
        bw_bits(&w, bad, 1); /* code 0: distance 1; code 1: nothing */
        bw_code(&w, lcodes[256], 2);
        if (bad) {
            expect_error(w.buf, bw_flush(&w), ERR_INFLATE_DATA, "invalid distance code");
        } else {
            assert_int_equal(decode(w.buf, bw_flush(&w), &got), ERR_OK);
            assert_int_equal(got, 4);
            assert_memory_equal(out, "aaaa", 4);
        }
    }
    lens[258] = 0; /* no distance code */
    for (int match = 0; match < 2; match++) {
        struct bw w = {0};
        dyn_header(&w, true, 258, 1, lens, NULL, 0);
        bw_code(&w, lcodes['a'], 2);
        if (match)
            bw_code(&w, lcodes[257], 1);
        bw_code(&w, lcodes[256], 2);
        if (match) {
            expect_error(w.buf, bw_flush(&w), ERR_INFLATE_DATA, "invalid distance code");
        } else {
            assert_int_equal(decode(w.buf, bw_flush(&w), &got), ERR_OK);
            assert_int_equal(got, 1);
        }
    }
}

/* ---- the streaming interface ----------------------------------------------------------- */

/* A stream of 100000 bytes: a stored block of a pseudo-random pattern, then a fixed block
 * of literals and 258-byte matches from the whole window back (distance 32768). */
#define BIG 100000u
static uint8_t big_want[BIG];
static struct bw big;

static void make_big(void)
{
    uint32_t n = 0, seed = 1;

    memset(&big, 0, sizeof(big));
    bw_bits(&big, 0, 3);
    bw_flush(&big);
    bw_bits(&big, 40000, 16);
    bw_bits(&big, (uint16_t)~40000u, 16);
    for (; n < 40000; n++) {
        seed = seed * 1103515245u + 12345u;
        big_want[n] = (uint8_t)(seed >> 16);
        bw_bits(&big, big_want[n], 8);
    }
    fixed_header(&big);
    while (n < BIG - 300) {
        if (n % 3 == 0) {
            fixed_lit(&big, 285);
            bw_code(&big, 29, 5);
            bw_bits(&big, 8191, 13);
            for (uint32_t i = 0; i < 258; i++, n++)
                big_want[n] = big_want[n - 32768];
        } else {
            big_want[n] = (uint8_t)(n & 0x7f);
            fixed_lit(&big, big_want[n++]);
        }
    }
    while (n < BIG) {
        big_want[n++] = 'z';
        fixed_lit(&big, 'z');
    }
    fixed_lit(&big, 256);
    bw_flush(&big);
}

static uint8_t big_out[BIG + 64];

/* Output in pieces of every size from 1 byte up, each straight into its place. */
static void output_in_pieces(void **state)
{
    static const size_t pieces[] = {1, 2, 7, 258, 259, 4096, 32768, 32769, 65536, BIG};

    (void)state;
    make_big();
    for (size_t p = 0; p < sizeof(pieces) / sizeof(pieces[0]); p++) {
        size_t made = 0, got;

        inflate_init(&z, window, NULL, NULL);
        inflate_set_input(&z, big.buf, big.n);
        do {
            size_t want = BIG + 64 - made < pieces[p] ? BIG + 64 - made : pieces[p];
            assert_int_equal(inflate_run(&z, big_out + made, want, &got), ERR_OK);
            made += got;
        } while (z.mode != INFLATE_END);
        assert_int_equal(made, BIG);
        assert_memory_equal(big_out, big_want, BIG);
        assert_int_equal(z.total_out, BIG);
    }
}

struct pieces {
    const uint8_t *data;
    size_t len, pos, piece;
    uint32_t calls;
    err_t fail_at_call; /* ERR_OK: never */
    uint32_t fail_call;
};

static err_t piece_read(void *ctx, const uint8_t **buf, size_t *len)
{
    struct pieces *p = ctx;
    size_t n = p->len - p->pos < p->piece ? p->len - p->pos : p->piece;

    if (p->fail_at_call != ERR_OK && ++p->calls == p->fail_call)
        return p->fail_at_call;
    *buf = p->data + p->pos;
    *len = n;
    p->pos += n;
    return ERR_OK;
}

/* Input from the callback in pieces of 1, 3, 17 ... bytes; skipping through the window in
 * between, and reading skipped bytes back from the history. */
static void input_in_pieces_and_skips(void **state)
{
    static const size_t pieces[] = {1, 3, 17, 4096, 1 << 20};

    (void)state;
    make_big();
    for (size_t p = 0; p < sizeof(pieces) / sizeof(pieces[0]); p++) {
        struct pieces in = {big.buf, big.n, 0, pieces[p], 0, ERR_OK, 0};
        size_t made = 0, got;
        uint32_t i = 0;

        inflate_init(&z, window, piece_read, &in);
        while (z.mode != INFLATE_END) {
            const uint8_t *data;
            size_t want = 1000 + (i * 7919u) % 40000u;

            if (i++ & 1u) {
                assert_int_equal(inflate_skip(&z, want, &got, &data), ERR_OK);
                assert_true(got <= want);
                assert_memory_equal(data, big_want + made, got);
                if (got) {
                    uint8_t back[64];
                    uint32_t n = got < 64 ? (uint32_t)got : 64;
                    assert_true(inflate_history(&z, n, back, n));
                    assert_memory_equal(back, big_want + made + got - n, n);
                }
            } else {
                if (want > BIG + 64 - made)
                    want = BIG + 64 - made;
                assert_int_equal(inflate_run(&z, big_out + made, want, &got), ERR_OK);
                assert_memory_equal(big_out + made, big_want + made, got);
            }
            made += got;
        }
        assert_int_equal(made, BIG);
        /* The window holds the last 32 KiB; not more. */
        assert_true(inflate_history(&z, INFLATE_WINDOW, big_out, INFLATE_WINDOW));
        assert_memory_equal(big_out, big_want + BIG - INFLATE_WINDOW, INFLATE_WINDOW);
        assert_false(inflate_history(&z, INFLATE_WINDOW + 1, big_out, 1));
        assert_false(inflate_history(&z, 10, big_out, 11));
    }
}

static void read_errors_pass_through(void **state)
{
    (void)state;
    make_big();
    for (uint32_t call = 1; call <= 3; call++) {
        struct pieces in = {big.buf, big.n, 0, 4096, 0, ERR_DISK_READ, call};
        size_t got;

        inflate_init(&z, window, piece_read, &in);
        assert_int_equal(inflate_run(&z, big_out, BIG, &got), ERR_DISK_READ);
        assert_string_equal(z.msg, "reading the compressed data failed");
        assert_int_equal(inflate_run(&z, big_out, BIG, &got), ERR_DISK_READ);
    }
}

/* A stream after a stream (as gzip members): bytes between them through inflate_byte, the
 * end of the input through inflate_input_done; no distance reaches into the first. */
static void streams_in_sequence(void **state)
{
    struct bw w = {0};
    size_t got;
    uint8_t b;
    err_t e;

    (void)state;
    fixed_ababa(&w);
    w.buf[w.n++] = 0x5a;
    fixed_header(&w);
    fixed_match(&w, 3, 1);
    bw_flush(&w);
    inflate_init(&z, window, NULL, NULL);
    inflate_set_input(&z, w.buf, w.n);
    assert_int_equal(inflate_run(&z, out, sizeof(out), &got), ERR_OK);
    assert_int_equal(got, 16);
    assert_false(inflate_input_done(&z, &e));
    assert_int_equal(inflate_byte(&z, &b), ERR_OK);
    assert_int_equal(b, 0x5a);
    inflate_reset(&z);
    assert_int_equal(inflate_run(&z, out, sizeof(out), &got), ERR_INFLATE_DISTANCE);
    assert_int_equal(got, 0);
    /* ... and the end of the input after a whole stream. */
    memset(&w, 0, sizeof(w));
    inflate_init(&z, window, NULL, NULL);
    inflate_set_input(&z, w.buf, fixed_ababa(&w));
    assert_int_equal(inflate_run(&z, out, sizeof(out), &got), ERR_OK);
    assert_true(inflate_input_done(&z, &e));
    assert_int_equal(e, ERR_OK);
    assert_int_equal(inflate_byte(&z, &b), ERR_INFLATE_TRUNCATED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stored_block),
        cmocka_unit_test(stored_lengths_must_match),
        cmocka_unit_test(block_type_3_is_invalid),
        cmocka_unit_test(fixed_block),
        cmocka_unit_test(fixed_code_286_is_invalid),
        cmocka_unit_test(fixed_distance_30_is_invalid),
        cmocka_unit_test(distance_past_the_start),
        cmocka_unit_test(every_prefix_is_truncated),
        cmocka_unit_test(dynamic_block_with_15_bit_codes),
        cmocka_unit_test(dynamic_header_errors),
        cmocka_unit_test(code_length_code_must_be_complete),
        cmocka_unit_test(single_and_no_distance_codes),
        cmocka_unit_test(output_in_pieces),
        cmocka_unit_test(input_in_pieces_and_skips),
        cmocka_unit_test(read_errors_pass_through),
        cmocka_unit_test(streams_in_sequence),
    };
    return cmocka_run_group_tests_name("inflate", tests, NULL, NULL);
}
