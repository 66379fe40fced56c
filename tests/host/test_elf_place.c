/* test_elf_place.c: elf_place against hand-drawn memory maps and a real frame allocator:
 * ELF32 at p_paddr or refused (loader, reserved, hole, in use, too large), ELF64 at p_paddr
 * or relocated (taken, reserved, above 4 GiB, not page-congruent), groups of segments that
 * share a page moving together, rollback on failure; then validate -> place -> load of the
 * real linked kernel. Expected placements are worked out from the pictures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf.h"
#include "fake_ram.h"
#include "fake_storage.h"
#include "frames.h"
#include "memmap.h"
#include "../fixtures/elf/elf_build.h"

#define MiB 0x100000ull
#define GiB 0x40000000ull
#define HI  0xffffffff80000000ull

/* Map Q (QEMU -m 128M shaped), 4 KiB frames:
 *
 *   0        0x9fc00 0xa0000  0xf0000 0x100000             0x7fe0000 0x8000000   0xfffc0000  4G
 *   [usable   )[res   )[ hole  )[res    )[usable 126.9 MiB    )[reserved )  ...hole...  [res    )
 *
 * The bitmap (32 KiB frames -> ~4 KiB of bits + table: one frame) goes at 64 MiB (min_addr),
 * out of the way. Usable below 4 GiB: 0x9fc00 + 0x7ee0000 bytes. */
static const struct e820_entry map_q[] = {
    { 0, 0x9fc00, 1, 0 },
    { 0x9fc00, 0x400, 2, 0 },
    { 0xf0000, 0x10000, 2, 0 },
    { 0x100000, 0x7ee0000, 1, 0 },
    { 0x7fe0000, 0x20000, 2, 0 },
    { 0xfffc0000, 0x40000, 2, 0 },
};

static struct e820_entry map_store[MEMMAP_MAX];
static uint64_t scratch[MEMMAP_SCRATCH_BYTES(64) / 8];
static struct fake_storage bitmap;

struct world {
    struct memmap m;
    struct frames f;
    struct elf_place_env env;
    struct elf_avoid avoid[1];
};
static struct world w;

static void world_init(const struct e820_entry *raw, uint32_t n)
{
    memset(&w, 0, sizeof(w));
    memmap_init(&w.m, map_store, MEMMAP_MAX);
    assert_int_equal(memmap_sanitize(&w.m, raw, NULL, n, scratch, sizeof(scratch), NULL), ERR_OK);
    assert_int_equal(frames_init(&w.f, &w.m, 4096, 64 * MiB, fake_storage_ptr, &bitmap), ERR_OK);
    w.avoid[0] = (struct elf_avoid){ 0, 0x80000, "the loader" };
    w.env = (struct elf_place_env){ &w.m, &w.f, w.avoid, 1, E820_TYPE_KERNEL, false };
}

static int setup_q(void **state)
{
    (void)state;
    world_init(map_q, sizeof(map_q) / sizeof(map_q[0]));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fake_storage_release(&bitmap);
    return 0;
}

static bool is_free(uint64_t a)
{
    bool f = false;
    err_t e = frames_is_free(&w.f, a, &f);
    return e == ERR_OK && f;
}

static uint64_t free_frames(void)
{
    struct frames_stats s;
    frames_stats(&w.f, &s);
    return s.free;
}

/* Build + validate a kernel from a spec. */
static uint8_t file[1 << 16];
static size_t file_size;

static void make(struct tb_elf *e, struct elf_info *info)
{
    file_size = tb_build(e, file, sizeof(file));
    assert_true(file_size > 0);
    err_t r = elf_validate(file, file_size, info);
    if (r)
        fail_msg("validate: %s", info->reason);
}

/* text RX + data RW(+bss) at the given addresses. */
static void two_segments(struct tb_elf *e, int is64, uint64_t v0, uint64_t p0, uint64_t v1,
                         uint64_t p1)
{
    memset(e, 0, sizeof(*e));
    e->is64 = is64;
    e->entry = v0;
    e->nseg = 2;
    e->seg[0] = (struct tb_seg){ 1, 5, v0, p0, 0x1800, 0x1800, 0 };
    e->seg[1] = (struct tb_seg){ 1, 6, v1, p1, 0x100, 0x3000, 0 };
}

static void expect_place(struct elf_info *info, err_t want, const char *reason_part)
{
    err_t e = elf_place(info, &w.env);
    if (e != want || (reason_part && !strstr(info->reason, reason_part)))
        fail_msg("place: got %s (%s), want %s (%s)", err_str(e), info->reason, err_str(want),
                 reason_part ? reason_part : "");
    assert_int_equal(e, info->err);
}

/* ---- ELF32 ----------------------------------------------------------------------------- */

static void test32_at_paddr(void **state)
{
    (void)state;
    struct tb_elf e;
    struct elf_info info;
    two_segments(&e, 0, 0x100000, 0x100000, 0x102000, 0x102000);
    make(&e, &info);
    uint64_t before = free_frames();
    expect_place(&info, ERR_OK, "ok");
    assert_false(info.relocated);
    assert_int_equal(info.seg[0].load, 0x100000);
    assert_int_equal(info.seg[1].load, 0x102000);
    assert_int_equal(info.entry_phys, 0x100000);
    assert_int_equal(info.load_lo, 0x100000);
    assert_int_equal(info.load_hi, 0x105000);
    /* frames: text 0x100000-0x101800 -> 2 frames, data 0x102000-0x105000 -> 3 frames */
    assert_int_equal(free_frames(), before - 5);
    assert_false(is_free(0x100000));
    assert_false(is_free(0x101000));
    assert_false(is_free(0x102000));
    assert_false(is_free(0x104fff));
    assert_true(is_free(0x105000));
    assert_int_equal(memmap_type_at(&w.m, 0x100000), E820_TYPE_KERNEL);
    assert_int_equal(memmap_type_at(&w.m, 0x104fff), E820_TYPE_KERNEL);
    assert_int_equal(memmap_type_at(&w.m, 0x105000), E820_TYPE_RAM);
}

/* Segments that share a physical frame are reserved once. */
static void test32_shared_frame(void **state)
{
    (void)state;
    struct tb_elf e;
    struct elf_info info;
    two_segments(&e, 0, 0x200000, 0x200000, 0x201800, 0x201800);
    make(&e, &info);
    uint64_t before = free_frames();
    expect_place(&info, ERR_OK, NULL);
    /* 0x200000 - 0x204800: frames 0x200000..0x204000 = 5 */
    assert_int_equal(free_frames(), before - 5);
}

/* A higher-half ELF32 (vaddr != paddr): entered at the physical address of its entry. */
static void test32_entry_phys(void **state)
{
    (void)state;
    struct tb_elf e;
    struct elf_info info;
    two_segments(&e, 0, 0xc0100000, 0x100000, 0xc0102000, 0x102000);
    e.entry = 0xc0100010;
    make(&e, &info);
    expect_place(&info, ERR_OK, NULL);
    assert_int_equal(info.entry_phys, 0x100010);
}

static void test32_refusals(void **state)
{
    (void)state;
    struct tb_elf e;
    struct elf_info info;
    uint64_t before = free_frames();
    /* the loader (avoid list) */
    two_segments(&e, 0, 0x8000, 0x8000, 0x100000, 0x100000);
    make(&e, &info);
    expect_place(&info, ERR_OVERLAP, "segment 0 (phdr 0) at 0x8000-0x9800 overlaps the loader");
    /* reserved memory (the BIOS area at 0xf0000) */
    two_segments(&e, 0, 0xf0000, 0xf0000, 0x200000, 0x200000);
    make(&e, &info);
    expect_place(&info, ERR_OVERLAP, "overlaps non-usable memory (reserved) at 0xf0000");
    /* the hole 0xa0000-0xf0000 */
    two_segments(&e, 0, 0x200000, 0x200000, 0xa1000, 0xa1000);
    make(&e, &info);
    expect_place(&info, ERR_OVERLAP, "segment 1 (phdr 1) at 0xa1000-0xa4000 overlaps no memory");
    /* the partial frame at the top of low memory (0x9f000-0x9fc00 is not a whole frame) */
    two_segments(&e, 0, 0x200000, 0x200000, 0x9e000, 0x9e000);
    make(&e, &info);
    expect_place(&info, ERR_OVERLAP, "overlaps a partial frame of usable RAM at 0x9f000");
    /* memory the loader already took (heap written back to the map); the low frames are
     * taken first so the heap lands at 1 MiB */
    assert_int_equal(frames_reserve(&w.f, 0, 0x9f), ERR_OK);
    uint64_t heap;
    assert_int_equal(frames_alloc_typed(&w.f, &w.m, E820_TYPE_BOOT_HEAP, 16, 0, 4 * GiB, &heap), ERR_OK);
    before = free_frames();
    two_segments(&e, 0, heap + 0x3000, heap + 0x3000, 0x300000, 0x300000);
    make(&e, &info);
    assert_int_equal(heap, 0x100000);
    expect_place(&info, ERR_OVERLAP, "overlaps the loader's boot heap at 0x103000");
    /* frames taken without a map write-back: still refused */
    assert_int_equal(frames_reserve(&w.f, 0x400000, 1), ERR_OK);
    before = free_frames();
    two_segments(&e, 0, 0x3ff000, 0x3ff000, 0x500000, 0x500000);
    make(&e, &info);
    expect_place(&info, ERR_OVERLAP, "in use");
    /* too large: a 3.5 GiB bss on a 128 MiB machine says so before any overlap */
    two_segments(&e, 0, 0x100000, 0x100000, 0x200000, 0x200000);
    e.seg[1].memsz = 0xe0000000;
    make(&e, &info);
    expect_place(&info, ERR_NO_MEMORY, "too large");
    /* nothing was reserved by any refusal */
    assert_int_equal(free_frames(), before);
}

/* ---- ELF64 ----------------------------------------------------------------------------- */

static void test64_at_paddr(void **state)
{
    (void)state;
    struct tb_elf e;
    struct elf_info info;
    two_segments(&e, 1, HI + 0x100000, 0x100000, HI + 0x102000, 0x102000);
    make(&e, &info);
    expect_place(&info, ERR_OK, "ok");
    assert_false(info.relocated);
    assert_int_equal(info.seg[0].load, 0x100000);
    assert_int_equal(info.seg[1].load, 0x102000);
    assert_int_equal(info.entry_phys, 0x100000);
}

/* p_paddr already taken: the kernel moves to the lowest free frames that fit. */
static void test64_relocated_when_taken(void **state)
{
    (void)state;
    /* the loader took 1 MiB..1 MiB+64 KiB for its heap */
    assert_int_equal(frames_reserve_typed(&w.f, &w.m, E820_TYPE_BOOT_HEAP, 0x100000, 16), ERR_OK);
    struct tb_elf e;
    struct elf_info info;
    two_segments(&e, 1, HI + 0x100000, 0x100000, HI + 0x102000, 0x102000);
    make(&e, &info);
    uint64_t before = free_frames();
    expect_place(&info, ERR_OK, "relocated");
    assert_true(info.relocated);
    /* Two groups (no shared page): text needs 2 frames, data 3, each at the lowest free run
     * above 1 MiB (low memory is free here but kept for last): right after the heap. */
    assert_int_equal(info.seg[0].load, 0x110000);
    assert_int_equal(info.seg[1].load, 0x112000);
    assert_int_equal(free_frames(), before - 5);
    assert_int_equal(memmap_type_at(&w.m, 0x110000), E820_TYPE_KERNEL);
    assert_int_equal(memmap_type_at(&w.m, 0x114fff), E820_TYPE_KERNEL);
    assert_int_equal(info.entry_phys, 0x110000);
    assert_int_equal(info.load_lo, 0x110000);
    assert_int_equal(info.load_hi, 0x115000);
}

/* Only when nothing above 1 MiB fits does a relocated group go below it. */
static void test64_relocation_falls_back_low(void **state)
{
    (void)state;
    /* take everything from 1 MiB to the top of RAM: the bitmap's frames at 64 MiB are
     * already used, so reserve [1 MiB, 64 MiB) and [end of the bitmap, 0x7fe0000) */
    uint64_t bm_end = w.f.storage_phys + w.f.storage_frames * 4096;
    assert_int_equal(w.f.storage_phys, 64 * MiB);
    assert_int_equal(frames_reserve(&w.f, MiB, (64 * MiB - MiB) / 4096), ERR_OK);
    assert_int_equal(frames_reserve(&w.f, bm_end, (0x7fe0000 - bm_end) / 4096), ERR_OK);
    struct tb_elf e;
    struct elf_info info;
    two_segments(&e, 1, HI + 0x100000, 0x100000, HI + 0x102000, 0x102000);
    make(&e, &info);
    expect_place(&info, ERR_OK, "relocated");
    assert_int_equal(info.seg[0].load, 0x0);
    assert_int_equal(info.seg[1].load, 0x2000);
}

/* A big group whose virtual start is 2 MiB-aligned gets a 2 MiB-aligned home. */
static void test64_big_group_2m_aligned(void **state)
{
    (void)state;
    assert_int_equal(frames_reserve(&w.f, 0x100000, 1), ERR_OK); /* p_paddr taken */
    struct tb_elf e;
    struct elf_info info;
    /* 3 MiB of text at HI + 4 MiB (2 MiB-aligned), data far away at its own free p_paddr */
    two_segments(&e, 1, HI + 0x400000, 0x100000, HI + 0x1000000, 0x1000000);
    e.seg[0].memsz = 0x300000;
    e.seg[0].filesz = 0x100;
    make(&e, &info);
    expect_place(&info, ERR_OK, NULL);
    /* the lowest 2 MiB-aligned free run of 3 MiB above 1 MiB: 0x200000 */
    assert_int_equal(info.seg[0].load, 0x200000);
    assert_int_equal(info.seg[1].load, 0x1000000);
    /* not 2 MiB-aligned virtually: the lowest run above 1 MiB, 0x101000, is taken as is */
    world_init(map_q, sizeof(map_q) / sizeof(map_q[0]));
    assert_int_equal(frames_reserve(&w.f, 0x100000, 1), ERR_OK);
    two_segments(&e, 1, HI + 0x401000, 0x100000, HI + 0x1000000, 0x1000000);
    e.seg[0].memsz = 0x300000;
    e.seg[0].filesz = 0x100;
    make(&e, &info);
    expect_place(&info, ERR_OK, NULL);
    assert_int_equal(info.seg[0].load, 0x101000);
}

static void test64_relocated_when_not_ram(void **state)
{
    (void)state;
    /* the low 1 MiB is taken (as stage2 does), so relocation lands above it */
    assert_int_equal(frames_reserve(&w.f, 0, 0x9f), ERR_OK);
    struct tb_elf e;
    struct elf_info info;
    /* reserved BIOS area */
    two_segments(&e, 1, HI + 0x100000, 0xf0000, HI + 0x102000, 0xf2000);
    make(&e, &info);
    expect_place(&info, ERR_OK, NULL);
    assert_true(info.relocated);
    assert_int_equal(info.seg[0].load, 0x100000);
    assert_int_equal(info.seg[1].load, 0x102000);
    /* above 4 GiB (a toolchain that writes paddr = vaddr): moves below 4 GiB */
    two_segments(&e, 1, HI + 0x100000, HI + 0x100000, HI + 0x102000, HI + 0x102000);
    make(&e, &info);
    expect_place(&info, ERR_OK, NULL);
    assert_int_equal(info.seg[0].load, 0x105000);
    assert_int_equal(info.seg[1].load, 0x107000);
    /* p_paddr not page-congruent with p_vaddr: paging could not map it there */
    two_segments(&e, 1, HI + 0x300000, 0x300800, HI + 0x302000, 0x302800);
    make(&e, &info);
    expect_place(&info, ERR_OK, NULL);
    assert_int_equal(info.seg[0].load & 0xfff, 0);
    assert_int_equal(info.seg[1].load & 0xfff, 0);
    assert_int_equal(info.seg[0].load, 0x10a000);
}

/* Segments sharing a virtual page move together, keeping their distance. */
static void test64_group_moves_together(void **state)
{
    (void)state;
    assert_int_equal(frames_reserve(&w.f, 0, 0x9f), ERR_OK);
    assert_int_equal(frames_reserve(&w.f, 0x200000, 1), ERR_OK); /* p_paddr taken */
    struct tb_elf e;
    struct elf_info info;
    two_segments(&e, 1, HI + 0x200000, 0x200000, HI + 0x201828, 0x201828);
    make(&e, &info);
    expect_place(&info, ERR_OK, NULL);
    assert_true(info.relocated);
    /* one group: pages 0x200000..0x205000 -> 5 frames at the lowest free run, 0x100000 */
    assert_int_equal(info.seg[0].load, 0x100000);
    assert_int_equal(info.seg[1].load, 0x101828);
}

/* A group whose segments disagree on vaddr -> paddr cannot stay: it moves as one. */
static void test64_group_split_delta(void **state)
{
    (void)state;
    assert_int_equal(frames_reserve(&w.f, 0, 0x9f), ERR_OK);
    struct tb_elf e;
    struct elf_info info;
    two_segments(&e, 1, HI + 0x400000, 0x400000, HI + 0x401900, 0x501900);
    make(&e, &info);
    expect_place(&info, ERR_OK, NULL);
    assert_true(info.relocated);
    assert_int_equal(info.seg[1].load - info.seg[0].load, 0x1900);
}

static void test64_refusals(void **state)
{
    (void)state;
    struct tb_elf e;
    struct elf_info info;
    uint64_t before = free_frames();
    /* the loader: refused even though ELF64 could move (a kernel linked for another loader,
     * and the boot test's "overlaps" case) */
    two_segments(&e, 1, HI + 0x10000, 0x10000, HI + 0x12000, 0x12000);
    make(&e, &info);
    expect_place(&info, ERR_OVERLAP, "overlaps the loader");
    /* too large: 4 GiB of bss (linked lower: -2 GiB + 4 GiB would wrap, validation says) */
    two_segments(&e, 1, 0xffff900000100000ull, 0x100000, 0xffff900000200000ull, 0x200000);
    e.seg[1].memsz = 4 * GiB;
    make(&e, &info);
    expect_place(&info, ERR_NO_MEMORY, "kernel too large");
    assert_int_equal(free_frames(), before);
}

/* Map F: enough RAM in total, but no run long enough for the relocated kernel.
 *   [usable 1M)[res 4K)[usable 1M)[res 4K)[usable 1M) ... the kernel needs 1.5 MiB at once. */
static const struct e820_entry map_f[] = {
    { 0x100000, 0x100000, 1, 0 }, { 0x200000, 0x1000, 2, 0 },
    { 0x201000, 0x100000, 1, 0 }, { 0x301000, 0x1000, 2, 0 },
    { 0x302000, 0x100000, 1, 0 }, { 0x402000, 0x1000, 2, 0 },
    { 0x4000000, 0x100000, 1, 0 }, /* the bitmap goes here (64 MiB) */
};

static void test64_no_run_rolls_back(void **state)
{
    (void)state;
    world_init(map_f, sizeof(map_f) / sizeof(map_f[0]));
    struct tb_elf e;
    struct elf_info info;
    /* group 0 (text, 6 KiB) fits at its p_paddr 0x100000; group 1 (1.5 MiB) wants
     * 0x300000, which crosses the reserved page at 0x301000, so it must move: no run. */
    two_segments(&e, 1, HI + 0x100000, 0x100000, HI + 0x300000, 0x300000);
    e.seg[1].memsz = 0x180000;
    make(&e, &info);
    uint64_t before = free_frames();
    expect_place(&info, ERR_NO_MEMORY, "kernel too large: no free run of 1536 KiB");
    /* group 0's reservation was undone, in the allocator and in the map */
    assert_int_equal(free_frames(), before);
    assert_true(is_free(0x100000));
    assert_int_equal(memmap_type_at(&w.m, 0x100000), E820_TYPE_RAM);
    assert_int_equal(memmap_bytes_of_type(&w.m, E820_TYPE_KERNEL), 0);
}

static void test_bad_calls(void **state)
{
    (void)state;
    struct tb_elf e;
    struct elf_info info;
    two_segments(&e, 1, HI + 0x100000, 0x100000, HI + 0x102000, 0x102000);
    make(&e, &info);
    assert_int_equal(elf_place(NULL, &w.env), ERR_INVALID_ARG);
    assert_int_equal(elf_place(&info, NULL), ERR_INVALID_ARG);
    struct elf_info bad;
    assert_int_equal(elf_validate(file, 10, &bad), ERR_TRUNCATED);
    assert_int_equal(elf_place(&bad, &w.env), ERR_INVALID_ARG);
    assert_non_null(strstr(bad.reason, "not validated"));
}

/* ---- the real kernel end to end -------------------------------------------------------- */

static void test_real_kernel_end_to_end(void **state)
{
    (void)state;
    FILE *f = fopen("build/fixtures/elf/shared64.elf", "rb");
    assert_non_null(f);
    static uint8_t k[1 << 16];
    size_t n = fread(k, 1, sizeof(k), f);
    fclose(f);
    struct elf_info info;
    assert_int_equal(elf_validate(k, n, &info), ERR_OK);
    /* p_paddr 0x200000 taken: the one group moves to 0x100000 (low MiB reserved) */
    assert_int_equal(frames_reserve(&w.f, 0, 0x9f), ERR_OK);
    assert_int_equal(frames_reserve(&w.f, 0x200000, 1), ERR_OK);
    expect_place(&info, ERR_OK, NULL);
    assert_int_equal(info.seg[0].load, 0x100000);
    assert_int_equal(info.seg[1].load - info.seg[0].load, info.seg[1].vaddr - info.seg[0].vaddr);
    /* fake physical memory for [0, 128 MiB) */
    uint8_t *ram = malloc(128 * MiB);
    assert_non_null(ram);
    struct fake_ram window = { 0, 128 * MiB, ram };
    memset(ram + MiB, 0xaa, 0x20000);
    assert_int_equal(elf_load_mem(&info, k, n, fake_ram_ptr, &window), ERR_OK);
    assert_memory_equal(ram + info.seg[0].load, k + info.seg[0].offset, info.seg[0].filesz);
    /* .data is `counter = 0x12345678`, then zeroed bss */
    const uint8_t *d = ram + info.seg[1].load;
    assert_int_equal(d[0] | d[1] << 8 | d[2] << 16 | (uint32_t)d[3] << 24, 0x12345678u);
    for (uint64_t i = 4; i < info.seg[1].memsz; i++)
        assert_int_equal(d[i], 0);
    free(ram);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test32_at_paddr, setup_q, teardown),
        cmocka_unit_test_setup_teardown(test32_shared_frame, setup_q, teardown),
        cmocka_unit_test_setup_teardown(test32_entry_phys, setup_q, teardown),
        cmocka_unit_test_setup_teardown(test32_refusals, setup_q, teardown),
        cmocka_unit_test_setup_teardown(test64_at_paddr, setup_q, teardown),
        cmocka_unit_test_setup_teardown(test64_relocated_when_taken, setup_q, teardown),
        cmocka_unit_test_setup_teardown(test64_relocation_falls_back_low, setup_q, teardown),
        cmocka_unit_test_setup_teardown(test64_big_group_2m_aligned, setup_q, teardown),
        cmocka_unit_test_setup_teardown(test64_relocated_when_not_ram, setup_q, teardown),
        cmocka_unit_test_setup_teardown(test64_group_moves_together, setup_q, teardown),
        cmocka_unit_test_setup_teardown(test64_group_split_delta, setup_q, teardown),
        cmocka_unit_test_setup_teardown(test64_refusals, setup_q, teardown),
        cmocka_unit_test_setup_teardown(test64_no_run_rolls_back, setup_q, teardown),
        cmocka_unit_test_setup_teardown(test_bad_calls, setup_q, teardown),
        cmocka_unit_test_setup_teardown(test_real_kernel_end_to_end, setup_q, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
