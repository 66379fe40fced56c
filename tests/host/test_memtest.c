/* test_memtest.c: the memory test on simulated RAM with injected faults: stuck bits, a
 * coupling between two cells (both directions), a broken address line aliasing frames, and
 * an intra-word coupling only walking ones can see. Bad frames must end up reserved in the
 * bitmap and type 5 in the map; used frames must never be touched.
 *
 * Simulated layout, 4 KiB frames: usable [0, 0x9fc00) and [1 MiB, 1 MiB + 256 KiB)
 * (64 frames); the bitmap takes the frame at 1 MiB, so a test of [1 MiB, 1 MiB + 256 KiB)
 * covers 63 frames and skips 1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fake_storage.h"
#include "frames.h"
#include "memmap.h"
#include "memtest.h"

#define MiB 0x100000ull
#define RAM_BASE MiB
#define RAM_BYTES 0x40000ull

enum fault { NONE, STUCK, COUPLE, ALIAS, INTRA };

struct sim {
    uint32_t cell[RAM_BYTES / 4];
    enum fault kind;
    uint64_t at;        /* STUCK / INTRA: faulty word; COUPLE: aggressor */
    uint64_t victim;    /* COUPLE */
    uint32_t mask, val; /* STUCK: bits mask read as val; COUPLE: bits set in victim */
    uint64_t alias;     /* ALIAS: this address bit is ignored */
    uint32_t touched_storage; /* writes into the bitmap's frame */
    uint32_t reads, writes;
};

static uint32_t *cell_of(struct sim *s, uint64_t addr)
{
    if (s->kind == ALIAS)
        addr &= ~s->alias;
    assert_true(addr >= RAM_BASE && addr < RAM_BASE + RAM_BYTES && addr % 4 == 0);
    return &s->cell[(addr - RAM_BASE) / 4];
}

static uint32_t sim_read(void *ctx, uint64_t addr)
{
    struct sim *s = ctx;
    s->reads++;
    uint32_t v = *cell_of(s, addr);
    if (s->kind == STUCK && addr == s->at)
        v = (v & ~s->mask) | s->val;
    return v;
}

static void sim_write(void *ctx, uint64_t addr, uint32_t v)
{
    struct sim *s = ctx;
    s->writes++;
    if (addr >= RAM_BASE && addr < RAM_BASE + 0x1000)
        s->touched_storage++;
    if (s->kind == INTRA && addr == s->at && (v & 4))
        v |= 8; /* writing bit 2 drags bit 3 along */
    *cell_of(s, addr) = v;
    if (s->kind == COUPLE && addr == s->at)
        *cell_of(s, s->victim) |= s->mask;
}

struct env {
    struct sim sim;
    struct memmap m;
    struct frames f;
    struct memtest_ops ops;
    struct memtest_report rep;
    struct fake_storage bitmap;
};

static struct e820_entry store[MEMMAP_MAX];
static uint64_t scratch[MEMMAP_SCRATCH_BYTES(8) / 8];

static int env_setup(void **state)
{
    struct env *e = calloc(1, sizeof(*e));
    const struct e820_entry raw[] = {{0, 0x9fc00, 1, 0}, {RAM_BASE, RAM_BYTES, 1, 0}};
    memmap_init(&e->m, store, MEMMAP_MAX);
    assert_int_equal(memmap_sanitize(&e->m, raw, NULL, 2, scratch, sizeof(scratch), NULL),
                     ERR_OK);
    assert_int_equal(frames_init(&e->f, &e->m, 4096, MiB, fake_storage_ptr, &e->bitmap), ERR_OK);
    assert_int_equal(e->f.storage_phys, RAM_BASE);
    e->ops = (struct memtest_ops){sim_read, sim_write, &e->sim};
    *state = e;
    return 0;
}

static int env_teardown(void **state)
{
    struct env *e = *state;
    fake_storage_release(&e->bitmap);
    free(e);
    return 0;
}

static err_t run(struct env *e)
{
    return memtest_run(&e->ops, &e->f, &e->m, RAM_BASE, RAM_BYTES, &e->rep);
}

static bool is_free(struct env *e, uint64_t a)
{
    bool fr = false;
    assert_int_equal(frames_is_free(&e->f, a, &fr), ERR_OK);
    return fr;
}

static void good_ram_passes_and_used_frames_are_untouched(void **state)
{
    struct env *e = *state;
    uint64_t free_before = e->f.free;
    assert_int_equal(run(e), ERR_OK);
    assert_int_equal(e->rep.frames_tested, 63);
    assert_int_equal(e->rep.frames_skipped, 1);
    assert_int_equal(e->rep.bad_frames, 0);
    assert_int_equal(e->rep.first_bad_count, 0);
    assert_int_equal(e->f.free, free_before);
    assert_int_equal(e->sim.touched_storage, 0);
    /* every tested word: 3 address-pattern accesses + 32 walking writes; 1024 words/frame */
    assert_int_equal(e->sim.writes, 63u * 1024u * (2 + 32));
    assert_int_equal(e->sim.reads, 63u * 1024u * (2 + 32));
    /* a range with no usable RAM is skipped entirely */
    assert_int_equal(memtest_run(&e->ops, &e->f, &e->m, 0xa0000, 0x60000, &e->rep), ERR_OK);
    assert_int_equal(e->rep.frames_tested, 0);
    assert_int_equal(e->rep.frames_skipped, 0x60);
}

static void assert_only_bad(struct env *e, const uint64_t *bad, uint32_t n)
{
    assert_int_equal(e->rep.bad_frames, n);
    assert_int_equal(e->rep.first_bad_count, n < MEMTEST_REPORT_MAX ? n : MEMTEST_REPORT_MAX);
    for (uint32_t i = 0; i < e->rep.first_bad_count; i++)
        assert_int_equal(e->rep.first_bad[i], bad[i]);
    for (uint64_t a = RAM_BASE + 0x1000; a < RAM_BASE + RAM_BYTES; a += 0x1000) {
        bool listed = false;
        for (uint32_t i = 0; i < n; i++)
            listed |= bad[i] == a;
        assert_int_equal(is_free(e, a), !listed);
        assert_int_equal(memmap_type_at(&e->m, a), listed ? E820_TYPE_UNUSABLE : E820_TYPE_RAM);
    }
}

/* Bit 5 of the word at 0x105010 stuck at 0: the complement pass sees it (0x105010 has bit 5
 * clear, its complement has it set). */
static void stuck_at_zero_bit_marks_its_frame(void **state)
{
    struct env *e = *state;
    e->sim.kind = STUCK;
    e->sim.at = 0x105010;
    e->sim.mask = 1u << 5;
    e->sim.val = 0;
    assert_int_equal(run(e), ERR_MEMTEST_FAILED);
    const uint64_t bad[] = {0x105000};
    assert_only_bad(e, bad, 1);
    assert_int_equal(memmap_bytes_of_type(&e->m, E820_TYPE_UNUSABLE), 0x1000);
}

static void stuck_at_one_bit_marks_its_frame(void **state)
{
    struct env *e = *state;
    e->sim.kind = STUCK;
    e->sim.at = 0x13fffc; /* last word of the range */
    e->sim.mask = 1u << 31;
    e->sim.val = 1u << 31;
    assert_int_equal(run(e), ERR_MEMTEST_FAILED);
    const uint64_t bad[] = {0x13f000};
    assert_only_bad(e, bad, 1);
}

/* A write to 0x110000 sets bit 0 of 0x120004 (and, second case, a write to 0x130000 sets
 * bit 1 of 0x108000): address-in-address over the whole range exposes the victim. */
static void coupled_cells_mark_the_victim(void **state)
{
    struct env *e = *state;
    e->sim.kind = COUPLE;
    e->sim.at = 0x110000;
    e->sim.victim = 0x120004;
    e->sim.mask = 1;
    assert_int_equal(run(e), ERR_MEMTEST_FAILED);
    const uint64_t bad[] = {0x120000};
    assert_only_bad(e, bad, 1);
}

static void coupled_cells_victim_below_aggressor(void **state)
{
    struct env *e = *state;
    e->sim.kind = COUPLE;
    e->sim.at = 0x130000;
    e->sim.victim = 0x108000;
    e->sim.mask = 2;
    assert_int_equal(run(e), ERR_MEMTEST_FAILED);
    const uint64_t bad[] = {0x108000};
    assert_only_bad(e, bad, 1);
}

/* Address bit 15 ignored: frame X | 0x8000 lands on X. Every such pair in the range fails
 * (the lower one reads the upper one's pattern; the upper one then reads the lower one's
 * complement), except the pair of the bitmap's frame: 0x100000 is never written and
 * 0x108000 alone owns that cell, so it passes. 64 - 2 = 62 bad frames; the lowest eight are
 * 0x101000..0x107000 and 0x109000. */
static void broken_address_line_marks_aliased_frames(void **state)
{
    struct env *e = *state;
    uint64_t bad[62];
    uint32_t n = 0;
    e->sim.kind = ALIAS;
    e->sim.alias = 0x8000;
    for (uint64_t a = RAM_BASE; a < RAM_BASE + RAM_BYTES; a += 0x1000)
        if (a != 0x100000 && a != 0x108000)
            bad[n++] = a;
    assert_int_equal(n, 62);
    assert_int_equal(run(e), ERR_MEMTEST_FAILED);
    assert_only_bad(e, bad, 62);
    assert_int_equal(e->rep.first_bad[7], 0x109000);
}

/* Writing bit 2 of 0x12000c also sets bit 3. The address 0x12000c has both bits set and its
 * complement neither, so only walking ones (bit 2 alone) shows it. */
static void intra_word_coupling_needs_walking_ones(void **state)
{
    struct env *e = *state;
    e->sim.kind = INTRA;
    e->sim.at = 0x12000c;
    assert_int_equal(run(e), ERR_MEMTEST_FAILED);
    const uint64_t bad[] = {0x120000};
    assert_only_bad(e, bad, 1);
    assert_int_equal(e->rep.bad_words, 1);
}

static void errors_and_full_map(void **state)
{
    struct env *e = *state;
    struct memtest_ops no_read = {NULL, sim_write, &e->sim};
    assert_int_equal(memtest_run(&e->ops, &e->f, &e->m, RAM_BASE + 0x800, 0x1000, &e->rep),
                     ERR_MISALIGNED);
    assert_int_equal(memtest_run(&e->ops, &e->f, &e->m, RAM_BASE, 0x1800, &e->rep),
                     ERR_MISALIGNED);
    assert_int_equal(memtest_run(&e->ops, &e->f, &e->m, 0xfffffffffffff000ull, 0x2000,
                                 &e->rep), ERR_OVERFLOW);
    assert_int_equal(memtest_run(&no_read, &e->f, &e->m, RAM_BASE, 0x1000, &e->rep),
                     ERR_INVALID_ARG);
    assert_int_equal(memtest_run(NULL, &e->f, &e->m, RAM_BASE, 0x1000, &e->rep),
                     ERR_INVALID_ARG);
    assert_int_equal(memtest_run(&e->ops, &e->f, &e->m, RAM_BASE, 0x1000, NULL),
                     ERR_INVALID_ARG);
    assert_int_equal(e->sim.writes, 0);

    /* the map cannot take the split: the frame is still reserved, the loss is reported */
    e->m.capacity = e->m.count;
    e->sim.kind = STUCK;
    e->sim.at = 0x105010;
    e->sim.mask = 1u << 5;
    assert_int_equal(run(e), ERR_MEMTEST_FAILED);
    assert_int_equal(e->rep.bad_frames, 1);
    assert_int_equal(e->rep.map_errors, 1);
    assert_false(is_free(e, 0x105000));

    frames_seal(&e->f);
    assert_int_equal(run(e), ERR_SEALED);
}

/* A range far larger than RAM (half the 64-bit space) is answered in time proportional to
 * the covered frames, not the range: only the 63 free frames at 1 MiB are tested, all the
 * rest is counted as skipped. (Stepping frame by frame through 2^50 uncovered frames would
 * never finish.)
 *     0      0x9fc00      1 MiB  +4K             +256K                     2^62
 *     |reserved|  hole     |bitmap|  63 tested    |    nothing covered ... |          */
static void huge_range_costs_only_covered_frames(void **state)
{
    struct env *e = *state;
    assert_int_equal(frames_reserve(&e->f, 0, 0x9f), ERR_OK); /* no sim cells there */
    assert_int_equal(memtest_run(&e->ops, &e->f, &e->m, 0, 1ull << 62, &e->rep), ERR_OK);
    assert_int_equal(e->rep.frames_tested, 63);
    assert_int_equal(e->rep.frames_skipped, (1ull << 50) - 63);
    assert_int_equal(e->sim.touched_storage, 0);
    /* a window that starts and ends inside the covered RAM: exact counts as well */
    assert_int_equal(memtest_run(&e->ops, &e->f, &e->m, RAM_BASE, 0x3000, &e->rep), ERR_OK);
    assert_int_equal(e->rep.frames_tested, 2);
    assert_int_equal(e->rep.frames_skipped, 1);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, env_setup, env_teardown)
    const struct CMUnitTest tests[] = {
        T(good_ram_passes_and_used_frames_are_untouched),
        T(stuck_at_zero_bit_marks_its_frame),
        T(stuck_at_one_bit_marks_its_frame),
        T(coupled_cells_mark_the_victim),
        T(coupled_cells_victim_below_aggressor),
        T(broken_address_line_marks_aliased_frames),
        T(intra_word_coupling_needs_walking_ones),
        T(errors_and_full_map),
        T(huge_range_costs_only_covered_frames),
    };
    return cmocka_run_group_tests_name("memtest", tests, NULL, NULL);
}
