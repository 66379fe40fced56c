/* inflate.c: the DEFLATE decoder's stream (inflate.h): input and bit buffer, block headers,
 * stored blocks, Huffman blocks through a fast loop (no bounds checks while enough input and
 * output room are left) and a careful one symbol at a time near the ends, matches copied
 * from the output and the window, and the window kept up to date. */
#include <string.h>

#include "inflate.h"

#define W        INFLATE_WINDOW
#define WORD     ((uint32_t)sizeof(inflate_bits_t))
#define WORDBITS (8u * WORD)
#define MASK(n)  ((1u << (n)) - 1u)
/* The fast loop runs while this much input and output room are left, so it checks neither:
 * up to three word loads a symbol pair (32-bit), a 258-byte match plus a word of overrun. */
#define FAST_IN  16u
#define FAST_OUT (258u + WORD)

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "words are loaded little-endian");
_Static_assert((W & (W - 1u)) == 0, "the window is a power of two");

void inflate_init(struct inflate *z, uint8_t *window, inflate_read_fn read, void *ctx)
{
    z->in = z->in_end = NULL;
    z->read = read;
    z->read_ctx = ctx;
    z->bits = 0;
    z->nbits = 0;
    z->window = window;
    z->wnext = z->whave = 0;
    z->fixed = false;
    z->err = ERR_OK;
    z->msg = "ok";
    z->mode = INFLATE_BLOCK;
    inflate_reset(z);
}

void inflate_set_input(struct inflate *z, const void *buf, size_t len)
{
    z->in = buf;
    z->in_end = z->in + len;
}

void inflate_reset(struct inflate *z)
{
    if (z->mode == INFLATE_FAILED)
        return;
    z->mode = INFLATE_BLOCK;
    z->last = false;
    z->dhave = 0;
    z->stored_left = 0;
    z->copy_len = z->copy_dist = 0;
    z->total_out = 0;
}

err_t inflate_fail(struct inflate *z, err_t e, const char *msg)
{
    if (z->mode != INFLATE_FAILED) {
        z->mode = INFLATE_FAILED;
        z->err = e;
        z->msg = msg;
    }
    return z->err;
}

/* The next piece of input (z->in == z->in_end). ERR_INFLATE_TRUNCATED at the end of the
 * input, which is the caller's to judge; a read error fails the stream. */
static err_t inflate_more(struct inflate *z)
{
    const uint8_t *buf = NULL;
    size_t len = 0;
    err_t e;

    if (!z->read)
        return ERR_INFLATE_TRUNCATED;
    e = z->read(z->read_ctx, &buf, &len);
    if (e != ERR_OK)
        return inflate_fail(z, e, "reading the compressed data failed");
    if (len == 0 || !buf)
        return ERR_INFLATE_TRUNCATED;
    z->in = buf;
    z->in_end = buf + len;
    return ERR_OK;
}

static err_t inflate_truncated(struct inflate *z)
{
    return inflate_fail(z, ERR_INFLATE_TRUNCATED, "compressed data ends early");
}

err_t inflate_need(struct inflate *z, uint32_t n)
{
    while (z->nbits < n) {
        if (z->in == z->in_end) {
            err_t e = inflate_more(z);
            if (e == ERR_INFLATE_TRUNCATED)
                return inflate_truncated(z);
            if (e != ERR_OK)
                return e;
        }
        z->bits |= (inflate_bits_t)*z->in++ << z->nbits;
        z->nbits += 8;
    }
    return ERR_OK;
}

err_t inflate_decode(struct inflate *z, const uint32_t *table, uint32_t root, uint32_t *out)
{
    uint32_t e, drop;

    /* Up to 15 bits, fewer at the end of the input: a code shorter than what is left may
     * still be there. The bits above nbits are zero, so a longer one shows as too long. */
    while (z->nbits < 15) {
        if (z->in == z->in_end) {
            err_t err = inflate_more(z);
            if (err == ERR_INFLATE_TRUNCATED)
                break;
            if (err != ERR_OK)
                return err;
        }
        z->bits |= (inflate_bits_t)*z->in++ << z->nbits;
        z->nbits += 8;
    }
    e = table[z->bits & MASK(root)];
    drop = e & 15u;
    if (e & INFLATE_E_SUB) {
        e = table[(e >> 16) + ((uint32_t)(z->bits >> root) & MASK((e >> 4) & 15u))];
        drop = root + (e & 15u);
    }
    if (drop > z->nbits)
        return inflate_truncated(z);
    z->bits >>= drop;
    z->nbits -= drop;
    *out = e;
    return ERR_OK;
}

/* Copy a match byte by byte: exact, and right even when the output is the window itself
 * (inflate_skip), where the source may lie ahead of op modulo the window. `out` is where
 * this call's output began, wbase the window position it began at. */
static uint8_t *copy_exact(const struct inflate *z, uint8_t *op, const uint8_t *out,
                           uint32_t wbase, uint32_t dist, uint32_t len)
{
    uint32_t made = (uint32_t)(op - out);
    const uint8_t *src;

    if (dist > made) {
        uint32_t back = dist - made, from = wbase - back, n = back < len ? back : len;
        for (uint32_t i = 0; i < n; i++)
            op[i] = z->window[(from + i) & (W - 1u)];
        op += n;
        len -= n;
    }
    src = op - dist;
    while (len--)
        *op++ = *src++;
    return op;
}

/* The fast loop's copy: whole words, writing up to a word past the match (FAST_OUT leaves
 * room), which a distance of at least a word allows; the window part by memcpy. */
static uint8_t *copy_wide(const struct inflate *z, uint8_t *op, const uint8_t *out,
                          uint32_t wbase, uint32_t dist, uint32_t len)
{
    uint32_t made = (uint32_t)(op - out);
    const uint8_t *src;
    uint8_t *stop;

    if (dist > made) {
        uint32_t back = dist - made, from = (wbase - back) & (W - 1u);
        uint32_t n = back < len ? back : len, first = W - from < n ? W - from : n;
        memcpy(op, z->window + from, first);
        memcpy(op + first, z->window, n - first);
        op += n;
        len -= n;
        if (!len)
            return op;
    }
    src = op - dist;
    stop = op + len;
    if (dist >= WORD) {
        do {
            memcpy(op, src, WORD);
            op += WORD;
            src += WORD;
        } while (op < stop);
        return stop;
    }
    if (dist == 1) {
        memset(op, *src, len);
        return stop;
    }
    while (op < stop)
        *op++ = *src++;
    return stop;
}

/* Fill the bit buffer to WORDBITS - 8 or more bits with one unaligned word load, advancing
 * by the whole bytes that fit (libdeflate's branchless refill). The bits above nbits then
 * hold the next input bytes, which later refills OR in again unchanged. */
#define REFILL()                                                                          \
    do {                                                                                  \
        inflate_bits_t w_;                                                                \
        memcpy(&w_, in, sizeof(w_));                                                      \
        bits |= w_ << nb;                                                                 \
        in += (WORDBITS - 1u - nb) >> 3;                                                  \
        nb |= WORDBITS - 8u;                                                              \
    } while (0)

/* The entry of the next code in the bit buffer (enough bits in it), its code dropped. */
static inline uint32_t fast_decode(const uint32_t *table, uint32_t root, inflate_bits_t *bits,
                                   uint32_t *nb)
{
    uint32_t e = table[*bits & MASK(root)];

    if (e & INFLATE_E_SUB) {
        *bits >>= root;
        *nb -= root;
        e = table[(e >> 16) + ((uint32_t)*bits & MASK((e >> 4) & 15u))];
    }
    *bits >>= e & 15u;
    *nb -= e & 15u;
    return e;
}

/* Decode symbols while FAST_IN input and FAST_OUT output room are left (or 258 when `exact`:
 * the output is the window and must not be written past the match). Returns at the block's
 * end (mode INFLATE_BLOCK), at an error, or when the room runs short. */
static err_t huff_fast(struct inflate *z, uint8_t **opp, const uint8_t *out,
                       const uint8_t *end, uint32_t wbase, uint32_t hist, bool exact)
{
    const uint8_t *in = z->in, *in_last = z->in_end - FAST_IN;
    uint8_t *op = *opp;
    const uint8_t *op_last = end - (exact ? 258u : FAST_OUT);
    inflate_bits_t bits = z->bits;
    uint32_t nb = z->nbits;
    const uint32_t *lt = z->litlen, *dt = z->dist;
    err_t err = ERR_OK;

    while (in <= in_last && op <= op_last) {
        uint32_t e, x, len, dist;

        REFILL();
        e = fast_decode(lt, INFLATE_LITLEN_ROOT, &bits, &nb);
        if (e & INFLATE_E_LIT) {
            *op++ = (uint8_t)(e >> 16);
            continue;
        }
        if (e & INFLATE_E_EOB) {
            z->mode = INFLATE_BLOCK;
            break;
        }
        if (e & INFLATE_E_BAD) {
            err = inflate_fail(z, ERR_INFLATE_DATA, "invalid literal/length code");
            break;
        }
        x = (e >> 4) & 15u;
        len = (e >> 16) + ((uint32_t)bits & MASK(x));
        bits >>= x;
        nb -= x;
        if (WORDBITS < 64)
            REFILL();
        e = fast_decode(dt, INFLATE_DIST_ROOT, &bits, &nb);
        if (e & INFLATE_E_BAD) {
            err = inflate_fail(z, ERR_INFLATE_DATA, "invalid distance code");
            break;
        }
        x = (e >> 4) & 15u;
        if (WORDBITS < 64 && nb < x)
            REFILL();
        dist = (e >> 16) + ((uint32_t)bits & MASK(x));
        bits >>= x;
        nb -= x;
        if (dist > (uint32_t)(op - out) + hist) {
            err = inflate_fail(z, ERR_INFLATE_DISTANCE, "invalid distance too far back");
            break;
        }
        op = exact ? copy_exact(z, op, out, wbase, dist, len)
                   : copy_wide(z, op, out, wbase, dist, len);
    }
    /* Clear the read-ahead bits: the careful path counts on zeros above nbits. */
    z->bits = nb < WORDBITS ? bits & (((inflate_bits_t)1 << nb) - 1u) : bits;
    z->nbits = nb;
    z->in = in;
    *opp = op;
    return err;
}

/* One symbol, checking everything (near the end of the input or of the output). A match
 * longer than the room left is finished by the next call (copy_len, copy_dist). */
static err_t huff_slow(struct inflate *z, uint8_t **opp, const uint8_t *out,
                       const uint8_t *end, uint32_t wbase, uint32_t hist)
{
    uint32_t e, x, len, dist, room;
    err_t err;

    if ((err = inflate_decode(z, z->litlen, INFLATE_LITLEN_ROOT, &e)) != ERR_OK)
        return err;
    if (e & INFLATE_E_LIT) {
        *(*opp)++ = (uint8_t)(e >> 16);
        return ERR_OK;
    }
    if (e & INFLATE_E_EOB) {
        z->mode = INFLATE_BLOCK;
        return ERR_OK;
    }
    if (e & INFLATE_E_BAD)
        return inflate_fail(z, ERR_INFLATE_DATA, "invalid literal/length code");
    x = (e >> 4) & 15u;
    if ((err = inflate_need(z, x)) != ERR_OK)
        return err;
    len = (e >> 16) + inflate_take(z, x);
    if ((err = inflate_decode(z, z->dist, INFLATE_DIST_ROOT, &e)) != ERR_OK)
        return err;
    if (e & INFLATE_E_BAD)
        return inflate_fail(z, ERR_INFLATE_DATA, "invalid distance code");
    x = (e >> 4) & 15u;
    if ((err = inflate_need(z, x)) != ERR_OK)
        return err;
    dist = (e >> 16) + inflate_take(z, x);
    if (dist > (uint32_t)(*opp - out) + hist)
        return inflate_fail(z, ERR_INFLATE_DISTANCE, "invalid distance too far back");
    room = (uint32_t)(end - *opp);
    if (len > room) {
        z->copy_len = len - room;
        z->copy_dist = dist;
        len = room;
    }
    *opp = copy_exact(z, *opp, out, wbase, dist, len);
    return ERR_OK;
}

static err_t block_header(struct inflate *z)
{
    err_t e;

    if ((e = inflate_need(z, 3)) != ERR_OK)
        return e;
    z->last = inflate_take(z, 1);
    switch (inflate_take(z, 2)) {
    case 0: {
        uint32_t len, nlen;

        inflate_take(z, z->nbits & 7u);
        if ((e = inflate_need(z, 16)) != ERR_OK)
            return e;
        len = inflate_take(z, 16);
        if ((e = inflate_need(z, 16)) != ERR_OK)
            return e;
        nlen = inflate_take(z, 16);
        if (len != (~nlen & 0xffffu))
            return inflate_fail(z, ERR_INFLATE_DATA, "invalid stored block lengths");
        z->stored_left = len;
        z->mode = len ? INFLATE_STORED : INFLATE_BLOCK;
        return ERR_OK;
    }
    case 1:
        inflate_fixed(z);
        z->mode = INFLATE_HUFF;
        return ERR_OK;
    case 2:
        if ((e = inflate_dynamic(z)) != ERR_OK)
            return e;
        z->mode = INFLATE_HUFF;
        return ERR_OK;
    default:
        return inflate_fail(z, ERR_INFLATE_DATA, "invalid block type");
    }
}

/* A stored block's bytes: those already in the bit buffer (byte-aligned), then memcpy. */
static err_t stored_copy(struct inflate *z, uint8_t **opp, const uint8_t *end)
{
    uint8_t *op = *opp;
    err_t e = ERR_OK;

    while (z->stored_left && op < end) {
        size_t n;

        if (z->nbits >= 8) {
            *op++ = (uint8_t)inflate_take(z, 8);
            z->stored_left--;
            continue;
        }
        if (z->in == z->in_end && (e = inflate_more(z)) != ERR_OK) {
            if (e == ERR_INFLATE_TRUNCATED)
                e = inflate_truncated(z);
            break;
        }
        n = (size_t)(z->in_end - z->in);
        if (n > z->stored_left)
            n = z->stored_left;
        if (n > (size_t)(end - op))
            n = (size_t)(end - op);
        memcpy(op, z->in, n);
        op += n;
        z->in += n;
        z->stored_left -= (uint32_t)n;
    }
    if (!e && !z->stored_left)
        z->mode = INFLATE_BLOCK;
    *opp = op;
    return e;
}

/* The decoder proper: output into [out, out + len); `exact` when out is the window. */
static err_t inflate_go(struct inflate *z, uint8_t *out, size_t len, size_t *got, bool exact)
{
    uint8_t *op = out;
    const uint8_t *end = out + len;
    uint32_t wbase = z->wnext, hist = z->dhave;
    err_t e = ERR_OK;

    while (e == ERR_OK && op < end) {
        if (z->mode == INFLATE_HUFF && z->copy_len) {
            uint32_t n = z->copy_len, room = (uint32_t)(end - op);
            if (n > room)
                n = room;
            op = copy_exact(z, op, out, wbase, z->copy_dist, n);
            z->copy_len -= n;
        } else if (z->mode == INFLATE_HUFF) {
            if ((size_t)(z->in_end - z->in) >= FAST_IN &&
                (size_t)(end - op) >= (exact ? 258u : FAST_OUT))
                e = huff_fast(z, &op, out, end, wbase, hist, exact);
            else
                e = huff_slow(z, &op, out, end, wbase, hist);
        } else if (z->mode == INFLATE_STORED) {
            e = stored_copy(z, &op, end);
        } else if (z->mode == INFLATE_BLOCK) {
            if (z->last)
                z->mode = INFLATE_END;
            else
                e = block_header(z);
        } else {
            break;
        }
    }
    *got = (size_t)(op - out);
    z->total_out += *got;
    z->dhave = z->dhave + *got < W ? z->dhave + (uint32_t)*got : W;
    return e != ERR_OK ? e : z->mode == INFLATE_FAILED ? z->err : ERR_OK;
}

err_t inflate_run(struct inflate *z, uint8_t *dst, size_t len, size_t *got)
{
    err_t e = inflate_go(z, dst, len, got, false);
    size_t n = *got;

    /* The window keeps the last W bytes of output for the next call. */
    if (n >= W) {
        memcpy(z->window, dst + n - W, W);
        z->wnext = 0;
        z->whave = W;
    } else if (n) {
        uint32_t first = W - z->wnext < n ? W - z->wnext : (uint32_t)n;
        memcpy(z->window + z->wnext, dst, first);
        memcpy(z->window, dst + first, n - first);
        z->wnext = (z->wnext + (uint32_t)n) & (W - 1u);
        z->whave = z->whave + n < W ? z->whave + (uint32_t)n : W;
    }
    return e;
}

err_t inflate_skip(struct inflate *z, size_t len, size_t *got, const uint8_t **data)
{
    uint32_t at = z->wnext;
    err_t e;

    if (len > W - at)
        len = W - at;
    e = inflate_go(z, z->window + at, len, got, true);
    *data = z->window + at;
    z->wnext = (at + (uint32_t)*got) & (W - 1u);
    z->whave = z->whave + *got < W ? z->whave + (uint32_t)*got : W;
    return e;
}

bool inflate_history(const struct inflate *z, uint32_t back, void *dst, size_t len)
{
    uint8_t *d = dst;
    uint32_t from, first;

    if (back > z->whave || len > back)
        return false;
    from = (z->wnext - back) & (W - 1u);
    first = W - from < len ? W - from : (uint32_t)len;
    memcpy(d, z->window + from, first);
    memcpy(d + first, z->window, len - first);
    return true;
}

err_t inflate_byte(struct inflate *z, uint8_t *b)
{
    err_t e;

    inflate_take(z, z->nbits & 7u);
    if ((e = inflate_need(z, 8)) != ERR_OK)
        return e;
    *b = (uint8_t)inflate_take(z, 8);
    return ERR_OK;
}

bool inflate_input_done(struct inflate *z, err_t *e)
{
    *e = ERR_OK;
    inflate_take(z, z->nbits & 7u);
    if (z->nbits || z->in != z->in_end)
        return false;
    *e = inflate_more(z);
    if (*e == ERR_INFLATE_TRUNCATED) {
        *e = ERR_OK;
        return true;
    }
    return *e != ERR_OK;
}
