/* test_gzip.c: the gzip container (and through it the decoder) on vectors made by the real
 * gzip(1) at levels 1, 6 and 9 and by Python's zlib (tests/fixtures/gzip/mkvectors.py: stored,
 * fixed and dynamic blocks, an empty file, 4 MiB with long matches, FNAME, FEXTRA, FCOMMENT,
 * FHCRC, concatenated members), each decoded in one piece, in small pieces from a reading
 * callback, and skipping, and compared byte for byte with its source; then every error: bad
 * CRC, wrong ISIZE, every truncation, each header fault, trailing bytes, corrupt data, the
 * output limit against a 64 MiB bomb, a failing read. CRC-32 against its check value. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gzip.h"
#include "testutil.h"

#define FIX "build/fixtures/gzip/"

static uint8_t window[INFLATE_WINDOW];
static struct gzip g;

static uint8_t *load(const char *name, size_t *len)
{
    char path[256];

    snprintf(path, sizeof(path), FIX "%s", name);
    return (uint8_t *)testutil_read_file(path, len);
}

struct pieces {
    const uint8_t *data;
    size_t len, pos, piece;
    uint32_t calls, fail_call; /* the fail_call'th read fails (0: none) */
};

static err_t piece_read(void *ctx, const uint8_t **buf, size_t *len)
{
    struct pieces *p = ctx;
    size_t n = p->len - p->pos < p->piece ? p->len - p->pos : p->piece;

    if (++p->calls == p->fail_call)
        return ERR_DISK_READ;
    *buf = p->data + p->pos;
    *len = n;
    p->pos += n;
    return ERR_OK;
}

/* The whole of gz[0..len) in one buffer with room for one byte more; returns the error. */
static err_t decode_all(const uint8_t *gz, size_t len, uint8_t *out, size_t cap, size_t *got,
                        uint64_t limit)
{
    err_t e;

    gzip_init(&g, window, NULL, NULL, limit);
    gzip_set_input(&g, gz, len);
    e = gzip_read(&g, out, cap, got);
    if (e == ERR_OK)
        e = gzip_finish(&g);
    return e;
}

/* One vector, three ways: whole; input and output in small pieces; skipping every other piece
 * (checked through the history). */
static void check_vector(const char *gz_name, const char *src_name)
{
    size_t gz_len, src_len, got;
    uint8_t *gz = load(gz_name, &gz_len), *src = load(src_name, &src_len);
    uint8_t *out = malloc(src_len + 1);
    static const size_t in_pieces[] = {1, 100, 4096};
    static const size_t out_pieces[] = {1, 4093, 65536};

    assert_non_null(out);
    assert_int_equal(decode_all(gz, gz_len, out, src_len + 1, &got, UINT64_MAX), ERR_OK);
    assert_int_equal(got, src_len);
    assert_memory_equal(out, src, src_len);
    assert_int_equal(g.state, GZIP_END);
    assert_int_equal(g.total, src_len);

    for (size_t i = 0; i < 3; i++) {
        struct pieces in = {gz, gz_len, 0, in_pieces[i], 0, 0};
        size_t piece = out_pieces[i], made = 0;
        uint32_t n = 0;
        err_t e;

        if (piece == 1 && src_len > 400000)
            piece = 3;
        gzip_init(&g, window, piece_read, &in, UINT64_MAX);
        do {
            if (n++ & 1u) {
                size_t want = piece < INFLATE_WINDOW ? piece : INFLATE_WINDOW;
                e = gzip_read(&g, NULL, want, &got);
                assert_true(gzip_history(&g, (uint32_t)got, out + made, got));
            } else {
                e = gzip_read(&g, out + made, piece, &got);
            }
            assert_int_equal(e, ERR_OK);
            made += got;
        } while (g.state != GZIP_END);
        assert_int_equal(gzip_finish(&g), ERR_OK);
        assert_int_equal(made, src_len);
        assert_memory_equal(out, src, src_len);
    }
    free(out);
    free(gz);
    free(src);
}

static void every_vector_decodes_to_its_source(void **state)
{
    size_t len;
    char *list = (char *)load("vectors.txt", &len);
    char gz[128], src[128];
    int count = 0, used;

    (void)state;
    for (const char *p = list; sscanf(p, "%127s %127s%n", gz, src, &used) == 2; p += used) {
        check_vector(gz, src);
        count++;
    }
    assert_int_equal(count, 20);
    free(list);
}

/* The vectors hold what they claim: the first block's type (after a header of no optional
 * fields) for the stored, fixed and dynamic ones. */
static uint32_t first_btype(const char *name)
{
    size_t len;
    uint8_t *gz = load(name, &len);
    uint32_t t;

    assert_true(len > 10);
    assert_int_equal(gz[3], 0);
    t = (gz[10] >> 1) & 3u;
    free(gz);
    return t;
}

static void vectors_cover_every_block_type(void **state)
{
    (void)state;
    assert_int_equal(first_btype("random.bin.6.gz"), 0);
    assert_int_equal(first_btype("stored0.gz"), 0);
    assert_int_equal(first_btype("hello.txt.9.gz"), 1);
    assert_int_equal(first_btype("empty.bin.6.gz"), 1);
    assert_int_equal(first_btype("text.txt.1.gz"), 2);
    assert_int_equal(first_btype("long.bin.9.gz"), 2);
}

static void header_fields(void **state)
{
    size_t len, got;
    uint8_t *gz;
    uint8_t out[16];

    (void)state;
    gz = load("headers.gz", &len);
    gzip_init(&g, window, NULL, NULL, UINT64_MAX);
    gzip_set_input(&g, gz, len);
    assert_int_equal(gzip_read(&g, out, sizeof(out), &got), ERR_OK);
    assert_int_equal(g.hdr.flags, GZIP_FEXTRA | GZIP_FNAME | GZIP_FCOMMENT | GZIP_FHCRC);
    assert_int_equal(g.hdr.mtime, 1700000000u);
    assert_int_equal(g.hdr.os, 3);
    assert_int_equal(g.hdr.extra_len, 13);
    assert_string_equal(g.hdr.name, "text.txt");
    free(gz);

    gz = load("named.gz", &len);
    gzip_init(&g, window, NULL, NULL, UINT64_MAX);
    gzip_set_input(&g, gz, len);
    assert_int_equal(gzip_read(&g, out, sizeof(out), &got), ERR_OK);
    assert_int_equal(g.hdr.flags, GZIP_FNAME);
    assert_string_equal(g.hdr.name, "text.txt");
    assert_true(g.hdr.mtime != 0);
    free(gz);
}

/* A name longer than GZIP_NAME_MAX is cut, and the data after it still decodes. */
static void long_name_is_cut(void **state)
{
    size_t len, src_len, got;
    uint8_t *gz = load("hello.txt.6.gz", &len), *src = load("hello.txt", &src_len);
    uint8_t buf[400], out[128];

    (void)state;
    memcpy(buf, gz, 10);
    buf[3] = GZIP_FNAME;
    memset(buf + 10, 'n', 200);
    buf[210] = 0;
    memcpy(buf + 211, gz + 10, len - 10);
    assert_int_equal(decode_all(buf, len + 201, out, sizeof(out), &got, UINT64_MAX), ERR_OK);
    assert_int_equal(got, src_len);
    assert_memory_equal(out, src, src_len);
    assert_int_equal(strlen(g.hdr.name), GZIP_NAME_MAX - 1);
    free(gz);
    free(src);
}

static void concatenated_members(void **state)
{
    size_t len, src_len, got;
    uint8_t *gz = load("concat.gz", &len), *src = load("concat.bin", &src_len);
    uint8_t *out = malloc(src_len + 1);

    (void)state;
    assert_int_equal(decode_all(gz, len, out, src_len + 1, &got, UINT64_MAX), ERR_OK);
    assert_int_equal(got, src_len);
    assert_memory_equal(out, src, src_len);
    assert_int_equal(g.members, 3);
    free(out);
    free(gz);
    free(src);
}

/* ---- errors ---------------------------------------------------------------------------- */

static uint8_t *hello_gz;
static size_t hello_len;
static uint8_t scratch[4096];

/* hello.txt.6.gz with byte `at` XORed with x (len bytes of it), decoded: the error. */
static err_t hello_with(size_t at, uint8_t x, size_t len)
{
    uint8_t buf[256];
    size_t got;

    assert_true(len <= sizeof(buf) && at < len);
    memcpy(buf, hello_gz, len < hello_len ? len : hello_len);
    buf[at] ^= x;
    return decode_all(buf, len, scratch, sizeof(scratch), &got, UINT64_MAX);
}

static int load_hello(void **state)
{
    (void)state;
    hello_gz = load("hello.txt.6.gz", &hello_len);
    return 0;
}

static int free_hello(void **state)
{
    (void)state;
    free(hello_gz);
    return 0;
}

static void bad_crc(void **state)
{
    (void)state;
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(hello_with(hello_len - 8 + i, 0x40, hello_len), ERR_GZIP_CRC);
        assert_string_equal(g.msg, "incorrect data check");
    }
}

static void wrong_isize(void **state)
{
    (void)state;
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(hello_with(hello_len - 4 + i, 0x01, hello_len), ERR_GZIP_SIZE);
        assert_string_equal(g.msg, "incorrect length check");
    }
}

static void every_truncation(void **state)
{
    static const char *const names[] = {"hello.txt.6.gz", "hcrc.gz", "empty.bin.1.gz"};
    size_t got;

    (void)state;
    for (size_t n = 0; n < 3; n++) {
        size_t len;
        uint8_t *gz = load(names[n], &len);
        for (size_t cut = 0; cut < len; cut++) {
            assert_int_equal(decode_all(gz, cut, scratch, sizeof(scratch), &got, UINT64_MAX),
                             ERR_INFLATE_TRUNCATED);
            assert_string_equal(g.msg, "compressed data ends early");
        }
        free(gz);
    }
    /* A big one cut in the middle of its data, read from a callback. */
    {
        size_t len;
        uint8_t *gz = load("long.bin.6.gz", &len);
        uint8_t *out = malloc(5u << 20);
        struct pieces in = {gz, len / 2, 0, 4096, 0, 0};
        gzip_init(&g, window, piece_read, &in, UINT64_MAX);
        assert_int_equal(gzip_read(&g, out, 5u << 20, &got), ERR_INFLATE_TRUNCATED);
        assert_true(got > 0 && got < (4u << 20));
        free(out);
        free(gz);
    }
}

static void header_faults(void **state)
{
    uint8_t buf[256];
    size_t got;

    (void)state;
    assert_int_equal(hello_with(0, 0x01, hello_len), ERR_GZIP_HEADER);
    assert_string_equal(g.msg, "not in gzip format");
    assert_int_equal(hello_with(1, 0x01, hello_len), ERR_GZIP_HEADER);
    assert_int_equal(hello_with(2, 0x0f, hello_len), ERR_GZIP_HEADER);
    assert_string_equal(g.msg, "unknown compression method");
    for (uint8_t f = 0x20; f; f = (uint8_t)(f << 1)) {
        assert_int_equal(hello_with(3, f, hello_len), ERR_GZIP_HEADER);
        assert_string_equal(g.msg, "unknown header flags set");
    }
    /* hcrc.gz with its header CRC off by one bit. */
    {
        size_t len;
        uint8_t *gz = load("hcrc.gz", &len);
        assert_int_equal(gz[3], GZIP_FHCRC);
        memcpy(buf, gz, len);
        buf[10] ^= 1;
        assert_int_equal(decode_all(buf, len, scratch, sizeof(scratch), &got, UINT64_MAX),
                         ERR_GZIP_HEADER);
        assert_string_equal(g.msg, "header crc mismatch");
        free(gz);
    }
}

/* After the last member: another member or nothing. gzip(1) ignores zeros and warns about
 * other bytes there; the loader takes a file's size from its last four bytes, so neither is
 * accepted. */
static void bytes_after_the_last_member(void **state)
{
    static const uint8_t tails[][4] = {{0, 0, 0, 0}, {'j', 'u', 'n', 'k'}, {0x1f, 0, 0, 0}};
    uint8_t buf[256];
    size_t got;

    (void)state;
    for (size_t t = 0; t < 3; t++) {
        for (size_t n = 1; n <= 4; n++) {
            err_t e;
            memcpy(buf, hello_gz, hello_len);
            memcpy(buf + hello_len, tails[t], n);
            e = decode_all(buf, hello_len + n, scratch, sizeof(scratch), &got, UINT64_MAX);
            /* Fewer than a header's 10 bytes: cut short; else not a member. */
            assert_int_equal(e, ERR_INFLATE_TRUNCATED);
            assert_int_equal(got, 60);
        }
        memcpy(buf, hello_gz, hello_len);
        memset(buf + hello_len, 0, 16);
        memcpy(buf + hello_len, tails[t], 4);
        assert_int_equal(decode_all(buf, hello_len + 16, scratch, sizeof(scratch), &got,
                                    UINT64_MAX), ERR_GZIP_HEADER);
        assert_string_equal(g.msg, "trailing garbage after the gzip data");
        assert_int_equal(g.members, 1);
    }
}

/* Damage inside the deflate data: the decoder's errors come out as they are. */
static void corrupt_data(void **state)
{
    uint8_t buf[256];
    size_t got, padding = 0;

    (void)state;
    memcpy(buf, hello_gz, hello_len);
    buf[10] |= 6; /* first block: BTYPE 11 */
    assert_int_equal(decode_all(buf, hello_len, scratch, sizeof(scratch), &got, UINT64_MAX),
                     ERR_INFLATE_DATA);
    assert_string_equal(g.msg, "invalid block type");
    /* Every single-bit flip in the data is caught, by the decoder or by the CRC, except in
     * the padding bits after the last block, which nothing reads. */
    for (size_t bit = 10 * 8; bit < (hello_len - 8) * 8; bit++) {
        err_t e;
        memcpy(buf, hello_gz, hello_len);
        buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        e = decode_all(buf, hello_len, scratch, sizeof(scratch), &got, UINT64_MAX);
        if (e == ERR_OK) {
            assert_true(bit / 8 == hello_len - 9);
            assert_memory_equal(scratch, "Hello, gzip!", 12);
            padding++;
            continue;
        }
        assert_true(e == ERR_INFLATE_DATA || e == ERR_INFLATE_DISTANCE || e == ERR_GZIP_CRC ||
                    e == ERR_GZIP_SIZE || e == ERR_INFLATE_TRUNCATED);
    }
    assert_true(padding < 8);
}

/* 64 MiB of zeros in 64 KiB: the limit stops it at its byte, long before the end. */
static void bomb_stops_at_the_limit(void **state)
{
    size_t len, got;
    uint8_t *gz = load("bomb.gz", &len);
    uint8_t *out = malloc((1u << 20) + 1);

    (void)state;
    assert_true(len < (128u << 10));
    gzip_init(&g, window, NULL, NULL, 1u << 20);
    gzip_set_input(&g, gz, len);
    assert_int_equal(gzip_read(&g, out, (1u << 20) + 1, &got), ERR_GZIP_LIMIT);
    assert_string_equal(g.msg, "decompresses to more than the limit");
    assert_int_equal(got, 1u << 20);
    assert_int_equal(g.total, 1u << 20);
    /* Reading exactly up to the limit is fine; the next byte is not. */
    gzip_init(&g, window, NULL, NULL, 1u << 20);
    gzip_set_input(&g, gz, len);
    assert_int_equal(gzip_read(&g, out, 1u << 20, &got), ERR_OK);
    assert_int_equal(gzip_finish(&g), ERR_GZIP_LIMIT);
    /* A limit of the exact size passes, one less does not. */
    gzip_init(&g, window, NULL, NULL, 64u << 20);
    gzip_set_input(&g, gz, len);
    assert_int_equal(gzip_finish(&g), ERR_OK);
    assert_int_equal(g.total, 64u << 20);
    gzip_init(&g, window, NULL, NULL, (64u << 20) - 1);
    gzip_set_input(&g, gz, len);
    assert_int_equal(gzip_finish(&g), ERR_GZIP_LIMIT);
    /* Skipping: the same. */
    gzip_init(&g, window, NULL, NULL, 1000);
    gzip_set_input(&g, gz, len);
    assert_int_equal(gzip_read(&g, NULL, 5000, &got), ERR_GZIP_LIMIT);
    assert_int_equal(got, 1000);
    free(out);
    free(gz);
}

static void read_error_passes_through(void **state)
{
    size_t len, got;
    uint8_t *gz = load("text.txt.6.gz", &len), *out = malloc(1u << 20);

    (void)state;
    for (uint32_t call = 1; call <= 4; call++) {
        struct pieces in = {gz, len, 0, 4096, 0, call};
        gzip_init(&g, window, piece_read, &in, UINT64_MAX);
        assert_int_equal(gzip_read(&g, out, 1u << 20, &got), ERR_DISK_READ);
        assert_string_equal(g.msg, "reading the compressed data failed");
        assert_int_equal(gzip_finish(&g), ERR_DISK_READ);
    }
    free(out);
    free(gz);
}

/* No encoder makes more than 1032 bytes of a byte: an ISIZE beyond is a cut file's. */
static void isize_possible(void **state)
{
    size_t len;
    uint8_t *gz = load("bomb.gz", &len);
    uint32_t isize = (uint32_t)gz[len - 4] | (uint32_t)gz[len - 3] << 8 |
                     (uint32_t)gz[len - 2] << 16 | (uint32_t)gz[len - 1] << 24;

    (void)state;
    assert_int_equal(isize, 64u << 20);
    assert_true(gzip_isize_possible(isize, len));
    assert_true(gzip_isize_possible(0, GZIP_MIN_FILE));
    assert_false(gzip_isize_possible(0, GZIP_MIN_FILE - 1));
    assert_true(gzip_isize_possible((uint32_t)(len - 18) * GZIP_MAX_RATIO, len));
    assert_false(gzip_isize_possible((uint32_t)(len - 18) * GZIP_MAX_RATIO + GZIP_MAX_RATIO,
                                     len));
    assert_true(gzip_isize_possible(UINT32_MAX, UINT64_MAX));
    free(gz);
}

static void magic(void **state)
{
    (void)state;
    assert_true(gzip_magic("\x1f\x8b\x08", 3));
    assert_false(gzip_magic("\x1f\x8b\x08", 2));
    assert_false(gzip_magic("\x1f\x8b\x07", 3));
    assert_false(gzip_magic("\x7f" "ELF", 4));
}

static void crc32_check_value(void **state)
{
    struct crc32_table t;
    uint8_t buf[1000];
    uint32_t whole, parts = 0;

    (void)state;
    crc32_table_init(&t);
    assert_int_equal(crc32_update_tab(&t, 0, "123456789", 9), 0xcbf43926u);
    assert_int_equal(crc32_update_tab(&t, 0, "", 0), 0);
    for (size_t i = 0; i < sizeof(buf); i++)
        buf[i] = (uint8_t)(i * 31u + 7u);
    whole = crc32_update_tab(&t, 0, buf, sizeof(buf));
    for (size_t at = 0, n = 1; at < sizeof(buf); at += n, n = n * 2 + 1) {
        size_t k = sizeof(buf) - at < n ? sizeof(buf) - at : n;
        parts = crc32_update_tab(&t, parts, buf + at, k);
    }
    assert_int_equal(parts, whole);
    /* the two speeds are one function: every length and alignment agrees */
    for (size_t at = 0; at < 16; at++)
        for (size_t n = 0; n + at <= sizeof(buf); n += 37)
            assert_int_equal(crc32_update_tab(&t, 0x12345678u, buf + at, n),
                             crc32_update(0x12345678u, buf + at, n));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_vector_decodes_to_its_source),
        cmocka_unit_test(vectors_cover_every_block_type),
        cmocka_unit_test(header_fields),
        cmocka_unit_test(long_name_is_cut),
        cmocka_unit_test(concatenated_members),
        cmocka_unit_test(bad_crc),
        cmocka_unit_test(wrong_isize),
        cmocka_unit_test(every_truncation),
        cmocka_unit_test(header_faults),
        cmocka_unit_test(bytes_after_the_last_member),
        cmocka_unit_test(corrupt_data),
        cmocka_unit_test(bomb_stops_at_the_limit),
        cmocka_unit_test(read_error_passes_through),
        cmocka_unit_test(isize_possible),
        cmocka_unit_test(magic),
        cmocka_unit_test(crc32_check_value),
    };
    return cmocka_run_group_tests_name("gzip", tests, load_hello, free_hello);
}
