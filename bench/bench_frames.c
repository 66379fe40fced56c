/* bench_frames.c: the frame bitmap against a plain bit-at-a-time scanner (first fit from
 * frame 0, one bit per step, no hint), in the same run, on a 1M-frame (4 GiB) map fragmented
 * at random to 50% used; plus the bitmap's memory overhead for each SeaBIOS fixture.
 *
 * Fair baselines: every scanner is a noinline function called once per allocation, as the
 * allocator under test is (it sits behind the frames.h API in another file). Inlined into
 * the timing loop, the hint scanner would keep its hint in a register across allocations,
 * which no allocator behind an API can do, and the comparison would measure that instead.
 * The hint scanner is context (what a hint alone buys), reported with its own ratio.
 *
 * Fragmentation: alternating free and used runs of random length 1..1024 frames, so half the
 * frames are used and free runs long enough for 512-frame requests exist. Both allocators
 * start from identical bits and get the same requests; their answers are compared (a
 * mismatch aborts the bench), so the speed figures compare equal work.
 * Output: one `name: value unit` per line. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "frames.h"
#include "memmap.h"
#include "../tools/e820/parse.h"

#define FRAMES (1u << 20)
#define WORDS (FRAMES / 64)

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 0x2545F4914F6CDD1Dull;
}

/* CPU time of this thread, not wall time: the machine is shared (parallel builds, QEMU), and
 * time spent descheduled would otherwise land on whichever allocator was running. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double min_d(double a, double b)
{
    return a < b ? a : b;
}

static void die(const char *what)
{
    fprintf(stderr, "bench_frames: %s\n", what);
    exit(1);
}

/* ---- the plain scanner: same bit layout (bit i = frame i), one bit per step ---- */
static uint64_t naive[WORDS];
static uint64_t naive_hint;

static int nb_get(uint64_t i)
{
    return (int)((naive[i / 64] >> (i % 64)) & 1);
}
static void nb_set(uint64_t i)
{
    naive[i / 64] |= 1ull << (i % 64);
}

__attribute__((noinline)) static int64_t naive_alloc1(void)
{
    for (uint64_t i = 0; i < FRAMES; i++)
        if (!nb_get(i)) {
            nb_set(i);
            return (int64_t)i;
        }
    return -1;
}

/* The same with a next-free hint (for context: what the hint alone buys). */
__attribute__((noinline)) static int64_t naive_alloc1_hint(void)
{
    for (uint64_t i = naive_hint; i < FRAMES; i++)
        if (!nb_get(i)) {
            nb_set(i);
            naive_hint = i + 1;
            return (int64_t)i;
        }
    return -1;
}

__attribute__((noinline)) static int64_t naive_alloc_n(uint64_t n)
{
    uint64_t run = 0;
    for (uint64_t i = 0; i < FRAMES; i++) {
        if (nb_get(i)) {
            run = 0;
            continue;
        }
        if (++run == n) {
            for (uint64_t k = i + 1 - n; k <= i; k++)
                nb_set(k);
            return (int64_t)(i + 1 - n);
        }
    }
    return -1;
}

/* ---- the allocator under test ---- */
static uint8_t *storage;
static void *storage_ptr(void *ctx, uint64_t phys, uint64_t bytes)
{
    (void)ctx;
    (void)phys;
    storage = aligned_alloc(64, (size_t)((bytes + 63) & ~63ull));
    return storage;
}

static struct e820_entry store[MEMMAP_MAX];
static uint64_t scratch[MEMMAP_SCRATCH_BYTES(MEMMAP_RAW_MAX) / 8];

static void setup(struct frames *f, struct memmap *m)
{
    const struct e820_entry raw[] = {{0, (uint64_t)FRAMES * 4096, 1, 0}};
    memmap_init(m, store, MEMMAP_MAX);
    if (memmap_sanitize(m, raw, NULL, 1, scratch, sizeof(scratch), NULL) != ERR_OK ||
        frames_init(f, m, 4096, 0, storage_ptr, NULL) != ERR_OK || f->total != FRAMES)
        die("setup failed");
    /* alternate free and used runs of 1..1024 frames (the storage's frames stay used) */
    uint64_t i = f->storage_frames;
    int used = 0;
    while (i < FRAMES) {
        uint64_t len = 1 + rnd() % 1024;
        if (len > FRAMES - i)
            len = FRAMES - i;
        if (used && frames_reserve(f, i * 4096, len) != ERR_OK)
            die("fragment failed");
        used = !used;
        i += len;
    }
}

struct saved {
    uint64_t bits[WORDS];
    uint64_t free, hint, hint_base;
};
static struct saved frag;

static void restore(struct frames *f)
{
    memcpy(f->bits, frag.bits, sizeof(frag.bits));
    f->free = frag.free;
    f->hint = frag.hint;
    f->hint_base = frag.hint_base;
    memcpy(naive, frag.bits, sizeof(frag.bits));
    naive_hint = 0;
}

static void overheads(void)
{
    static const char *const names[][2] = {
        {"seabios-pc-32M", "pc_32M"},       {"seabios-pc-1G", "pc_1G"},
        {"seabios-pc-4G", "pc_4G"},         {"seabios-q35-128M", "q35_128M"},
        {"seabios-q35-2G-full-debug", "q35_2G"}, {"seabios-q35-3G", "q35_3G"},
        {"seabios-q35-4G-kvm", "q35_4G_kvm"}, {"seabios-q35-8G", "q35_8G"},
    };
    static struct e820_input in;
    static char text[1 << 16];
    for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
        char path[256];
        struct memmap m;
        uint64_t bytes;
        snprintf(path, sizeof(path), "tests/fixtures/e820/%s.txt", names[k][0]);
        FILE *fp = fopen(path, "rb");
        if (!fp)
            die("cannot open a fixture (run from the repository root)");
        size_t n = fread(text, 1, sizeof(text) - 1, fp);
        fclose(fp);
        text[n] = 0;
        memmap_init(&m, store, MEMMAP_MAX);
        if (parse_fixture(text, &in, NULL) != ERR_OK ||
            memmap_sanitize(&m, in.entry, in.size, in.count, scratch, sizeof(scratch),
                            NULL) != ERR_OK ||
            frames_storage_bytes(&m, 4096, &bytes, NULL) != ERR_OK)
            die("fixture failed");
        printf("frames_overhead_%s: %llu bytes\n", names[k][1], (unsigned long long)bytes);
    }
}

int main(void)
{
    struct frames f;
    struct memmap m;
    const int singles = 20000, contigs = 600;
    double t0, t_fast, t_naive, t_hint;
    uint64_t a;

    setup(&f, &m);
    memcpy(frag.bits, f.bits, sizeof(frag.bits));
    frag.free = f.free;
    frag.hint = f.hint;
    frag.hint_base = f.hint_base;
    printf("frames_bench_used_pct: %.1f %%\n", 100.0 * (double)(FRAMES - f.free) / FRAMES);

    /* Each figure is the best of several runs from the restored fragmented state (the
     * machine is shared: the minimum is the least disturbed run); restores are not timed.
     * The plain scanner is thousands of times slower, so it gets fewer runs. */
    uint64_t last_fast = 0;
    int64_t r = -1;
    t_fast = t_naive = t_hint = 1e9;
    for (int k = 0; k < 50; k++) {
        restore(&f);
        t0 = now();
        for (int i = 0; i < singles; i++)
            if (frames_alloc(&f, 1, 0, FRAMES_ANYWHERE, &last_fast) != ERR_OK)
                die("single alloc failed");
        t_fast = min_d(t_fast, now() - t0);
    }
    for (int k = 0; k < 6; k++) {
        restore(&f);
        for (int i = 0; i < singles; i++)
            frames_alloc(&f, 1, 0, FRAMES_ANYWHERE, &a);
        t0 = now();
        for (int i = 0; i < singles; i++)
            r = naive_alloc1();
        t_naive = min_d(t_naive, now() - t0);
        if (r < 0 || (uint64_t)r * 4096 != last_fast || memcmp(naive, f.bits, sizeof(naive)))
            die("single: allocators disagree");
    }
    for (int k = 0; k < 50; k++) {
        restore(&f);
        for (int i = 0; i < singles; i++)
            frames_alloc(&f, 1, 0, FRAMES_ANYWHERE, &a);
        t0 = now();
        for (int i = 0; i < singles; i++)
            r = naive_alloc1_hint();
        t_hint = min_d(t_hint, now() - t0);
        if (r < 0 || (uint64_t)r * 4096 != last_fast || memcmp(naive, f.bits, sizeof(naive)))
            die("single (hint): allocators disagree");
    }
    printf("frames_single_allocs_per_s: %.0f allocs/s\n", singles / t_fast);
    printf("frames_naive_single_allocs_per_s: %.0f allocs/s\n", singles / t_naive);
    printf("frames_naive_hint_single_allocs_per_s: %.0f allocs/s\n", singles / t_hint);
    printf("frames_speedup_single: %.1f x\n", t_naive / t_fast);
    printf("frames_speedup_single_vs_hint: %.2f x\n", t_hint / t_fast);

    /* contiguous runs of 1..512 frames, the same request list for both */
    static uint64_t req[600];
    static int64_t got[600];
    for (int i = 0; i < contigs; i++)
        req[i] = 1 + rnd() % 512;
    int ok = 0;
    t_fast = t_naive = 1e9;
    for (int k = 0; k < 30; k++) {
        restore(&f);
        ok = 0;
        t0 = now();
        for (int i = 0; i < contigs; i++) {
            got[i] = frames_alloc(&f, req[i], 0, FRAMES_ANYWHERE, &a) == ERR_OK ? (int64_t)a
                                                                                 : -1;
            ok += got[i] >= 0;
        }
        t_fast = min_d(t_fast, now() - t0);
    }
    for (int k = 0; k < 10; k++) {
        restore(&f);
        t0 = now();
        for (int i = 0; i < contigs; i++) {
            int64_t n = naive_alloc_n(req[i]);
            if ((n < 0) != (got[i] < 0) || (n >= 0 && (uint64_t)n * 4096 != (uint64_t)got[i]))
                die("contiguous: allocators disagree");
        }
        t_naive = min_d(t_naive, now() - t0);
    }
    printf("frames_contig_allocs_per_s: %.0f allocs/s\n", contigs / t_fast);
    printf("frames_naive_contig_allocs_per_s: %.0f allocs/s\n", contigs / t_naive);
    printf("frames_contig_requests: %d requests\n", contigs);
    printf("frames_contig_satisfied: %d requests\n", ok);
    printf("frames_speedup_contiguous: %.1f x\n", t_naive / t_fast);

    overheads();
    free(storage);
    return 0;
}
