/* fuzz_inflate.c: libFuzzer harness for the DEFLATE decoder and the gzip container,
 * differential against zlib. Input: one configuration byte, then the stream.
 *   bit 0     0: raw deflate (inflate.h, zlib windowBits -15); 1: gzip (gzip.h, zlib 31,
 *             reset after each member while input is left, as gzip.h reads members)
 *   bits 1-3  the size of the input pieces the read callback hands out (1 byte .. all)
 *   bits 4-6  the size of the output pieces asked for (1 byte .. 64 KiB)
 *   bit 7     every other piece skipped (through the window) instead of read into a buffer
 * abort() unless:
 *   - we accept exactly what zlib accepts, and then produce exactly its output;
 *   - on a rejection, what we produced is a prefix of zlib's output or the other way round
 *     (both decoded the same valid part), and the error code is one of the decoder's;
 *   - output beyond LIMIT: gzip stops with ERR_GZIP_LIMIT after exactly LIMIT bytes;
 *   - skipped pieces, read back with gzip_history / from inflate_skip's pointer, are the
 *     same bytes as zlib's.
 * Built with -DFUZZ_INFLATE_SEED_MAIN it writes seeds instead: the gzip files given on its
 * command line, each with a few configuration bytes, and their raw deflate data. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "fuzz_check.h"
#include "gzip.h"

#define LIMIT (1u << 20)

#ifndef FUZZ_INFLATE_SEED_MAIN
struct input {
    const uint8_t *data;
    size_t len, pos, piece;
};

static err_t input_read(void *ctx, const uint8_t **buf, size_t *len)
{
    struct input *in = ctx;
    size_t n = in->len - in->pos;

    if (n > in->piece)
        n = in->piece;
    *buf = in->data + in->pos;
    *len = n;
    in->pos += n;
    return ERR_OK;
}

/* zlib's verdict: the output (at most LIMIT + 1 bytes) and whether it accepted. */
static uint8_t ref_out[LIMIT + 1];
static size_t ref_len;

static bool ref_decode(const uint8_t *data, size_t len, bool gzip)
{
    z_stream s;
    int r;

    memset(&s, 0, sizeof(s));
    CHECK(inflateInit2(&s, gzip ? 31 : -15) == Z_OK);
    s.next_in = (Bytef *)data;
    s.avail_in = (uInt)len;
    s.next_out = ref_out;
    s.avail_out = sizeof(ref_out);
    for (;;) {
        r = inflate(&s, Z_NO_FLUSH);
        if (r == Z_STREAM_END && gzip && s.avail_in > 0 && s.avail_out > 0) {
            CHECK(inflateReset(&s) == Z_OK);
            continue;
        }
        if (r != Z_OK || s.avail_out == 0 || s.avail_in == 0)
            break;
    }
    ref_len = sizeof(ref_out) - s.avail_out;
    inflateEnd(&s);
    return r == Z_STREAM_END && (!gzip || s.avail_in == 0);
}

static uint8_t window[INFLATE_WINDOW];
static uint8_t out[LIMIT + 200000];
static union {
    struct inflate z;
    struct gzip g;
} st;

static bool decoder_error(err_t e)
{
    return e == ERR_INFLATE_TRUNCATED || e == ERR_INFLATE_DATA || e == ERR_INFLATE_DISTANCE ||
           e == ERR_GZIP_HEADER || e == ERR_GZIP_CRC || e == ERR_GZIP_SIZE ||
           e == ERR_GZIP_LIMIT;
}

static const size_t in_sizes[8] = {1, 2, 3, 16, 100, 4096, 65536, SIZE_MAX};
static const size_t out_sizes[8] = {1, 7, 258, 300, 4095, 32768, 65536, 100000};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct input in;
    size_t made = 0, piece, got = 0;
    bool gzip, skip, ok, ref_ok;
    uint32_t n = 0;
    err_t e = ERR_OK;

    if (size < 1)
        return 0;
    gzip = data[0] & 1u;
    skip = data[0] & 0x80u;
    in = (struct input){data + 1, size - 1, 0, in_sizes[(data[0] >> 1) & 7u]};
    piece = out_sizes[(data[0] >> 4) & 7u];
    ref_ok = ref_decode(data + 1, size - 1, gzip);

    if (gzip) {
        gzip_init(&st.g, window, input_read, &in, LIMIT);
        size_t want;
        do {
            want = piece;
            if (skip && (n++ & 1u)) {
                /* At most a window's worth, so that all of it can be read back. */
                want = piece < INFLATE_WINDOW ? piece : INFLATE_WINDOW;
                e = gzip_read(&st.g, NULL, want, &got);
                CHECK(gzip_history(&st.g, (uint32_t)got, out + made, got));
            } else {
                e = gzip_read(&st.g, out + made, want, &got);
            }
            made += got;
            CHECK(made <= LIMIT);
        } while (e == ERR_OK && got == want);
        if (e == ERR_OK)
            e = gzip_finish(&st.g);
        ok = e == ERR_OK;
        CHECK(ok == (st.g.state == GZIP_END));
    } else {
        inflate_init(&st.z, window, input_read, &in);
        do {
            if (skip && (n++ & 1u)) {
                const uint8_t *p;
                e = inflate_skip(&st.z, piece, &got, &p);
                memcpy(out + made, p, got);
            } else {
                e = inflate_run(&st.z, out + made, piece, &got);
            }
            made += got;
        } while (e == ERR_OK && st.z.mode != INFLATE_END && made <= LIMIT);
        ok = e == ERR_OK && st.z.mode == INFLATE_END;
        if (e == ERR_OK && !ok) /* stopped past the limit: zlib's output was cut there */
            CHECK(ref_len == LIMIT + 1);
    }
    if (!ok && e != ERR_OK)
        CHECK(decoder_error(e));

    if (ref_len > LIMIT) {
        /* Longer than the limit: the first LIMIT bytes agree, gzip refuses the rest. */
        if (gzip)
            CHECK(!ok && e == ERR_GZIP_LIMIT && made == LIMIT);
        CHECK(memcmp(out, ref_out, made < ref_len ? made : ref_len) == 0);
        return 0;
    }
    if (ok != ref_ok) {
        fprintf(stderr, "zlib %s, we %s (%s: %s)\n", ref_ok ? "accepts" : "rejects",
                ok ? "accept" : "reject", err_str(e), gzip ? st.g.msg : st.z.msg);
        CHECK(ok == ref_ok);
    }
    if (ok) {
        CHECK(made == ref_len);
        CHECK(memcmp(out, ref_out, made) == 0);
    } else {
        CHECK(memcmp(out, ref_out, made < ref_len ? made : ref_len) == 0);
    }
    return 0;
}
#else
/* Seeds: each gzip file as is (three configurations) and its raw deflate data. */
static void seed(const char *dir, const char *name, uint8_t conf, const uint8_t *d, size_t n)
{
    char path[4096];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s-%02x", dir, name, conf);
    f = fopen(path, "wb");
    CHECK(f);
    fputc(conf, f);
    fwrite(d, 1, n, f);
    fclose(f);
}

int main(int argc, char **argv)
{
    static uint8_t buf[1 << 20];

    CHECK(argc >= 2);
    for (int i = 2; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        const char *base = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
        size_t n, hdr = 10;

        CHECK(f);
        n = fread(buf, 1, sizeof(buf), f);
        fclose(f);
        if (n > 16384) /* small seeds only: the fuzzer mutates them */
            continue;
        seed(argv[1], base, 0x01, buf, n);
        seed(argv[1], base, 0xb7, buf, n);
        seed(argv[1], base, 0x43, buf, n);
        if (n >= 18 && buf[3] == 0) /* no optional fields: the deflate data follows */
            seed(argv[1], base, 0x20, buf + hdr, n - hdr - 8);
    }
    return 0;
}
#endif
