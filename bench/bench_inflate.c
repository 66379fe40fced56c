/* bench_inflate.c: our inflate (core/gzip.c) against zlib's in the same run, on a
 * kernel-sized gzip file: build/stage2.elf repeated to 16 MiB, gzip -6 (bench/inflate.mk).
 * Figures: MiB/s of output decoded straight into one buffer (how stage2 loads a kernel's
 * segments), the same in 4 KiB pieces (each piece also copied into the window), skipped
 * through the window, and zlib's inflate (windowBits 31: gzip, CRC-32 included, as ours);
 * the median of 7 runs each. Both outputs are checked against the source first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "gzip.h"

#define DATA "build/bench-data/"
#define RUNS 7

static uint8_t window[INFLATE_WINDOW];
static struct gzip g;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint8_t *load(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf;

    if (!f || fseek(f, 0, SEEK_END) != 0) {
        fprintf(stderr, "bench_inflate: cannot read %s\n", path);
        exit(1);
    }
    *len = (size_t)ftell(f);
    rewind(f);
    buf = malloc(*len + 1);
    if (!buf || fread(buf, 1, *len, f) != *len)
        exit(1);
    fclose(f);
    return buf;
}

/* Ours: the whole output in pieces of `piece` bytes (dst NULL: skipped). */
static size_t ours(const uint8_t *gz, size_t len, uint8_t *out, size_t cap, size_t piece,
                   bool skip)
{
    size_t made = 0, got;

    gzip_init(&g, window, NULL, NULL, cap);
    gzip_set_input(&g, gz, len);
    do {
        size_t n = cap - made < piece ? cap - made : piece;
        if (gzip_read(&g, skip ? NULL : out + made, n, &got) != ERR_OK)
            return 0;
        made += got;
    } while (g.state != GZIP_END && made < cap);
    return gzip_finish(&g) == ERR_OK ? made : 0;
}

static size_t zlib_inflate(const uint8_t *gz, size_t len, uint8_t *out, size_t cap)
{
    z_stream s;
    int r;

    memset(&s, 0, sizeof(s));
    if (inflateInit2(&s, 31) != Z_OK)
        return 0;
    s.next_in = (Bytef *)gz;
    s.avail_in = (uInt)len;
    s.next_out = out;
    s.avail_out = (uInt)cap;
    r = inflate(&s, Z_FINISH);
    inflateEnd(&s);
    return r == Z_STREAM_END ? s.total_out : 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

enum which { OURS_WHOLE, OURS_4K, OURS_SKIP, ZLIB };

/* Median MiB/s of RUNS decodes. */
static double speed(enum which w, const uint8_t *gz, size_t len, uint8_t *out, size_t size)
{
    double t[RUNS];

    for (int r = 0; r < RUNS; r++) {
        double t0 = now_s();
        size_t n = w == ZLIB ? zlib_inflate(gz, len, out, size)
                             : ours(gz, len, out, size, w == OURS_WHOLE ? size : 4096,
                                    w == OURS_SKIP);
        t[r] = now_s() - t0;
        if (n != size) {
            fprintf(stderr, "bench_inflate: decode %d failed\n", (int)w);
            exit(1);
        }
    }
    qsort(t, RUNS, sizeof(t[0]), cmp_double);
    return (double)size / (1024.0 * 1024.0) / t[RUNS / 2];
}

int main(void)
{
    size_t src_len, gz_len;
    uint8_t *src = load(DATA "stage2x16M", &src_len), *gz = load(DATA "stage2x16M.gz", &gz_len);
    uint8_t *out = malloc(src_len);
    double mine, pieces, skip, theirs;

    if (!out)
        return 1;
    memset(out, 0, src_len);
    if (ours(gz, gz_len, out, src_len, src_len, false) != src_len ||
        memcmp(out, src, src_len) != 0 || zlib_inflate(gz, gz_len, out, src_len) != src_len ||
        memcmp(out, src, src_len) != 0) {
        fprintf(stderr, "bench_inflate: output differs from the source\n");
        return 1;
    }
    mine = speed(OURS_WHOLE, gz, gz_len, out, src_len);
    pieces = speed(OURS_4K, gz, gz_len, out, src_len);
    skip = speed(OURS_SKIP, gz, gz_len, out, src_len);
    theirs = speed(ZLIB, gz, gz_len, out, src_len);
    printf("inflate_input: %zu bytes\n", src_len);
    printf("inflate_input_gzip: %zu bytes\n", gz_len);
    printf("inflate_speed: %.1f MiB/s\n", mine);
    printf("inflate_speed_4k_pieces: %.1f MiB/s\n", pieces);
    printf("inflate_speed_skip: %.1f MiB/s\n", skip);
    printf("inflate_zlib_speed: %.1f MiB/s\n", theirs);
    printf("inflate_vs_zlib: %.2f x\n", mine / theirs);
    free(out);
    free(gz);
    free(src);
    return 0;
}
