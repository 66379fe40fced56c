/* bench_memmap.c: how long memmap_sanitize takes on a real-shaped 128-entry table and on
 * random tables of 1k, 8k and 64k entries (far past MEMMAP_RAW_MAX: the sanitizer works in
 * caller storage, so the bench hands it big buffers). Median of repeated runs, measured with
 * CLOCK_MONOTONIC; time per entry shows the n log n growth. Also the O(log n) lookup. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "memmap.h"

static uint64_t rng = 0x2545f4914f6cdd1dull;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* A table shaped like a big server's: sorted, RAM pieces between reserved, ACPI and NVS
 * holes, a few 4K islands and touching same-type pieces, ending above 4 GiB. */
static void real_shaped(struct e820_entry *e, uint32_t n)
{
    static const uint32_t holes[] = {2, 2, 2, 3, 4};
    uint64_t at = 0;
    for (uint32_t i = 0; i < n; i++) {
        bool ram = (i % 2) == 0 || rnd() % 8 == 0;
        uint64_t len = ram ? (1 + rnd() % 256) << 20 : (1 + rnd() % 64) << 12;
        e[i] = (struct e820_entry){at, len, ram ? 1u : holes[rnd() % 5], 1};
        at += len + (rnd() % 4 == 0 ? (rnd() % 16) << 12 : 0);
    }
}

/* Random tables: unsorted, overlapping, nested, mixed types, over a 1 TiB space. */
static void random_table(struct e820_entry *e, uint32_t n)
{
    static const uint32_t types[] = {1, 1, 1, 2, 2, 3, 4, 5, 7, 12};
    for (uint32_t i = 0; i < n; i++) {
        uint64_t base = (rnd() % (1ull << 28)) << 12;
        uint64_t len = (1 + rnd() % (1ull << (rnd() % 20))) << 12;
        e[i] = (struct e820_entry){base, len, types[rnd() % 10], 1};
    }
}

/* Median nanoseconds of one sanitize of raw[n], over at least `reps` runs. */
static double time_sanitize(const struct e820_entry *raw, uint32_t n, int reps)
{
    size_t sbytes = MEMMAP_SCRATCH_BYTES(n);
    void *scratch = malloc(sbytes);
    struct e820_entry *out = malloc(sizeof(*out) * 2 * (size_t)n);
    double *t = malloc(sizeof(*t) * (size_t)reps);
    struct memmap m;
    memmap_init(&m, out, 2 * n);
    for (int r = 0; r < reps; r++) {
        double t0 = now_ns();
        err_t e = memmap_sanitize(&m, raw, NULL, n, scratch, sbytes, NULL);
        t[r] = now_ns() - t0;
        if (e != ERR_OK) {
            fprintf(stderr, "bench_memmap: sanitize failed (error %d)\n", (int)e);
            exit(1);
        }
    }
    qsort(t, (size_t)reps, sizeof(*t), cmp_double);
    double med = t[reps / 2];
    free(scratch);
    free(out);
    free(t);
    return med;
}

static void report(const char *name, uint32_t n, double ns)
{
    printf("memmap_sanitize_%s: %.1f us\n", name, ns / 1e3);
    printf("memmap_sanitize_%s_per_entry: %.1f ns\n", name, ns / n);
}

int main(void)
{
    static const struct {
        const char *name;
        uint32_t n;
        int reps;
    } sizes[] = {{"1k", 1024, 201}, {"8k", 8192, 51}, {"64k", 65536, 11}};

    struct e820_entry *raw = malloc(sizeof(*raw) * 65536);
    real_shaped(raw, 128);
    report("128_real", 128, time_sanitize(raw, 128, 2001));

    for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
        random_table(raw, sizes[s].n);
        report(sizes[s].name, sizes[s].n, time_sanitize(raw, sizes[s].n, sizes[s].reps));
    }

    /* Lookups in the sanitized 64k map (as big as a map gets in any test). */
    struct e820_entry *out = malloc(sizeof(*out) * 2 * 65536);
    void *scratch = malloc(MEMMAP_SCRATCH_BYTES(65536));
    struct memmap m;
    memmap_init(&m, out, 2 * 65536);
    memmap_sanitize(&m, raw, NULL, 65536, scratch, MEMMAP_SCRATCH_BYTES(65536), NULL);
    enum { LOOKUPS = 1 << 20 };
    uint64_t *addr = malloc(sizeof(*addr) * LOOKUPS);
    for (int i = 0; i < LOOKUPS; i++)
        addr[i] = (rnd() % (1ull << 28)) << 12;
    volatile uint32_t sink = 0;
    double t0 = now_ns();
    for (int i = 0; i < LOOKUPS; i++)
        sink += memmap_type_at(&m, addr[i]);
    double ns = (now_ns() - t0) / LOOKUPS;
    printf("memmap_type_at_64k_map: %.1f ns\n", ns); /* one lookup, map of ~100k entries */
    (void)sink;
    free(addr);
    free(out);
    free(scratch);
    free(raw);
    return 0;
}
