/* test_paging.c: the page-table builder in a fake physical memory: single mappings and their
 * error rules, then the whole stage2 plan for real maps (SeaBIOS q35 8 GiB), checked by
 * walking the tables against an independent model of what must be mapped where. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fake_tables.h"
#include "paging.h"

/* ---- fake physical memory: table frames at 16 MiB + 4 KiB * i -------------------------- */

#define POOL_FRAMES 4096u
#define POOL_BASE   0x1000000ull
/* Tables below 4 GiB, the limit stage2 passes (it writes them from 32-bit code). */
#define BELOW_4G    PAGING_TABLES_BELOW_4G
static uint8_t pool[POOL_FRAMES][4096] __attribute__((aligned(4096)));
static struct fake_tables ft;
static struct paging pg;

static int setup(void **state)
{
    (void)state;
    ft = (struct fake_tables){ .frame = pool, .base = POOL_BASE, .count = POOL_FRAMES,
                               .budget = POOL_FRAMES };
    memset(&pg, 0, sizeof pg);
    return 0;
}

static void init_nx(bool nx)
{
    assert_int_equal(paging_init(&pg, fake_tables_alloc, fake_tables_ptr, &ft, nx, BELOW_4G), ERR_OK);
    assert_int_equal(pg.tables, 1);
    assert_int_equal(pg.root, POOL_BASE);
}

static void expect(uint64_t virt, uint64_t phys, uint64_t size, uint32_t flags)
{
    struct paging_walk w;
    assert_int_equal(paging_translate(&pg, virt, &w), ERR_OK);
    assert_int_equal(w.phys, phys);
    assert_int_equal(w.page_size, size);
    assert_int_equal(w.flags, flags);
}

static void expect_unmapped(uint64_t virt)
{
    struct paging_walk w;
    assert_int_equal(paging_translate(&pg, virt, &w), ERR_NOT_FOUND);
}

#define RW  (PAGING_WRITE)
#define RWX (PAGING_WRITE | PAGING_EXEC)
#define RX  (PAGING_EXEC)
#define MIB (1ull << 20)
#define GIB (1ull << 30)

/* ---- single mappings -------------------------------------------------------------------- */

/*  virt 0x200000 (2 MiB aligned), phys 0x40000000, 5 MiB + 12 KiB:
 *  | 2M leaf | 2M leaf | 1 MiB + 12 KiB in 4 KiB pages (259 of them) |           */
static void large_pages_where_aligned(void **state)
{
    (void)state;
    init_nx(true);
    assert_int_equal(paging_map(&pg, 0x200000, 0x40000000, 5 * MIB + 0x3000, RW), ERR_OK);
    assert_int_equal(pg.pages_2m, 2);
    assert_int_equal(pg.pages_4k, 256 + 3);
    assert_int_equal(pg.tables, 4); /* PML4, PDPT, PD, one PT */
    expect(0x200000, 0x40000000, PAGE_SIZE_2M, RW);
    expect(0x5fffff, 0x403fffff, PAGE_SIZE_2M, RW);
    expect(0x600000, 0x40400000, PAGE_SIZE_4K, RW);
    expect(0x702abc, 0x40502abc, PAGE_SIZE_4K, RW);
    expect_unmapped(0x703000);
    expect_unmapped(0x1ff000);
    /* the table frames were handed out dirty: everything else must read as not present */
    expect_unmapped(0x80000000);
    expect_unmapped(0xffff800000000000ull);
}

/* virt and phys aligned differently: 2 MiB pages impossible, all 4 KiB. */
static void misaligned_phys_gets_small_pages(void **state)
{
    (void)state;
    init_nx(false);
    assert_int_equal(paging_map(&pg, 0x400000, 0x401000, 4 * MIB, RX), ERR_OK);
    assert_int_equal(pg.pages_2m, 0);
    assert_int_equal(pg.pages_4k, 1024);
    expect(0x400000, 0x401000, PAGE_SIZE_4K, RX);
    expect(0x7fffff, 0x800fff, PAGE_SIZE_4K, RX);
}

static void argument_rules(void **state)
{
    (void)state;
    init_nx(true);
    assert_int_equal(paging_map(&pg, 0x1001, 0x1000, 0x1000, RW), ERR_MISALIGNED);
    assert_int_equal(paging_map(&pg, 0x1000, 0x1800, 0x1000, RW), ERR_MISALIGNED);
    assert_int_equal(paging_map(&pg, 0x1000, 0x1000, 0x1001, RW), ERR_MISALIGNED);
    assert_int_equal(paging_map(&pg, 0x1000, 0x1000, 0, RW), ERR_INVALID_ARG);
    assert_int_equal(paging_map(&pg, 0x1000, 0x1000, 0x1000, 0x80), ERR_INVALID_ARG);
    /* non-canonical, and ranges that run into or across the hole */
    assert_int_equal(paging_map(&pg, 0x0000800000000000ull, 0, 0x1000, RW), ERR_INVALID_ARG);
    assert_int_equal(paging_map(&pg, 0xffff7ffffffff000ull, 0, 0x1000, RW), ERR_INVALID_ARG);
    assert_int_equal(paging_map(&pg, 0x00007ffffffff000ull, 0, 0x2000, RW), ERR_INVALID_ARG);
    /* the very last page of the address space is fine; one more wraps */
    assert_int_equal(paging_map(&pg, 0xfffffffffffff000ull, 0x5000, 0x1000, RW), ERR_OK);
    expect(0xffffffffffffffffull, 0x5fff, PAGE_SIZE_4K, RW);
    assert_int_equal(paging_map(&pg, 0xffffffffffffe000ull, 0x5000, 0x3000, RW), ERR_INVALID_ARG);
    /* the last canonical low page */
    assert_int_equal(paging_map(&pg, 0x00007ffffffff000ull, 0x6000, 0x1000, RW), ERR_OK);
    expect(0x00007fffffffffffull, 0x6fff, PAGE_SIZE_4K, RW);
    /* physical addresses past 2^52 */
    assert_int_equal(paging_map(&pg, 0, 1ull << 52, 0x1000, RW), ERR_OVERFLOW);
    assert_int_equal(paging_map(&pg, 0, (1ull << 52) - 0x1000, 0x2000, RW), ERR_OVERFLOW);
    assert_int_equal(paging_map(NULL, 0, 0, 0x1000, RW), ERR_INVALID_ARG);
    struct paging blank = { 0 };
    assert_int_equal(paging_map(&blank, 0, 0, 0x1000, RW), ERR_INVALID_ARG);
    struct paging_walk w;
    assert_int_equal(paging_translate(&blank, 0, &w), ERR_INVALID_ARG);
    assert_int_equal(paging_translate(&pg, 0x0000800000000000ull, &w), ERR_NOT_FOUND);
}

static void same_mapping_twice_is_fine(void **state)
{
    (void)state;
    init_nx(true);
    assert_int_equal(paging_map(&pg, 0, 0, 8 * MIB, RWX), ERR_OK);
    uint32_t tables = pg.tables;
    uint64_t p2 = pg.pages_2m, p4 = pg.pages_4k;
    assert_int_equal(paging_map(&pg, 0, 0, 8 * MIB, RWX), ERR_OK);
    assert_int_equal(paging_map(&pg, 0x123000, 0x123000, 0x5000, RWX), ERR_OK); /* inside a 2M leaf */
    assert_int_equal(pg.tables, tables);
    assert_int_equal(pg.pages_2m, p2);
    assert_int_equal(pg.pages_4k, p4);
}

static void conflicts_change_nothing(void **state)
{
    (void)state;
    init_nx(true);
    /*  0                8M                 16M
     *  |                 | identity RW       |     existing
     *  | second request: free ... | conflict |     must leave 0..8M unmapped
     */
    assert_int_equal(paging_map(&pg, 8 * MIB, 8 * MIB, 8 * MIB, RW), ERR_OK);
    static uint8_t before[16][4096];
    uint32_t tables = pg.tables;
    memcpy(before, pool, sizeof before);
    assert_int_equal(paging_map(&pg, 0, 0x1000, 10 * MIB, RW), ERR_OVERLAP);  /* phys */
    assert_int_equal(paging_map(&pg, 0, 0, 10 * MIB, RX), ERR_OVERLAP);       /* flags */
    assert_int_equal(paging_map(&pg, 0x7f0000, 0x7f0000, 0x11000, RWX), ERR_OVERLAP);
    assert_int_equal(pg.tables, tables);
    assert_int_equal(memcmp(before, pool, sizeof before), 0);
    expect_unmapped(0);
    expect_unmapped(8 * MIB - 1);
    expect(8 * MIB, 8 * MIB, PAGE_SIZE_2M, RW);
}

/* A 4 KiB table already under a 2 MiB slot: a later 2 MiB request fills it page by page. */
static void small_then_large(void **state)
{
    (void)state;
    init_nx(true);
    assert_int_equal(paging_map(&pg, 0x201000, 0x201000, 0x1000, RW), ERR_OK);
    assert_int_equal(paging_map(&pg, 0x200000, 0x200000, 2 * MIB, RW), ERR_OK);
    assert_int_equal(pg.pages_2m, 0);
    assert_int_equal(pg.pages_4k, 512);
    expect(0x3ff000, 0x3ff000, PAGE_SIZE_4K, RW);
    assert_int_equal(paging_map(&pg, 0x200000, 0x600000, 2 * MIB, RW), ERR_OVERLAP);
}

static void merge_widens_permissions(void **state)
{
    (void)state;
    init_nx(true);
    assert_int_equal(paging_map(&pg, 0x100000, 0x100000, 0x2000, RX), ERR_OK);
    assert_int_equal(paging_map(&pg, 0x101000, 0x101000, 0x2000, RW), ERR_OVERLAP);
    assert_int_equal(paging_map(&pg, 0x101000, 0x101000, 0x2000, RW | PAGING_MERGE), ERR_OK);
    expect(0x100000, 0x100000, PAGE_SIZE_4K, RX);
    expect(0x101000, 0x101000, PAGE_SIZE_4K, RWX); /* shared page: write and exec */
    expect(0x102000, 0x102000, PAGE_SIZE_4K, RW);
    /* merge never excuses a different physical address */
    assert_int_equal(paging_map(&pg, 0x100000, 0x900000, 0x1000, RW | PAGING_MERGE), ERR_OVERLAP);
}

static void frame_source_failures(void **state)
{
    (void)state;
    struct paging p2;
    assert_int_equal(paging_init(&p2, NULL, fake_tables_ptr, &ft, true, BELOW_4G), ERR_INVALID_ARG);
    assert_int_equal(paging_init(NULL, fake_tables_alloc, fake_tables_ptr, &ft, true, BELOW_4G),
                     ERR_INVALID_ARG);
    ft.bad_phys = 0x100000000ull; /* above 4 GiB */
    assert_int_equal(paging_init(&p2, fake_tables_alloc, fake_tables_ptr, &ft, true, BELOW_4G),
                     ERR_NOT_USABLE);
    ft.bad_phys = POOL_BASE + 0x800;
    assert_int_equal(paging_init(&p2, fake_tables_alloc, fake_tables_ptr, &ft, true, BELOW_4G),
                     ERR_MISALIGNED);
    ft.bad_phys = 0x5000; /* the pointer callback cannot reach it */
    assert_int_equal(paging_init(&p2, fake_tables_alloc, fake_tables_ptr, &ft, true, BELOW_4G),
                     ERR_INVALID_ARG);
    ft.bad_phys = 0;
    ft.budget = 3;
    init_nx(true);
    /* needs PDPT + PD + PT: the third fails */
    assert_int_equal(paging_map(&pg, 0x1000, 0x1000, 0x1000, RW), ERR_NO_MEMORY);
    expect_unmapped(0x1000);
}

/* The table limit is the caller's: a 64-bit loader may take table frames above 4 GiB, and a
 * limit binds for every table, not only the root. */
static void table_limit_is_the_callers(void **state)
{
    (void)state;
    struct paging p2;
    ft.bad_phys = 0x100000000ull; /* at 4 GiB: past stage2's limit, within a 64-bit one */
    assert_int_equal(paging_init(&p2, fake_tables_alloc, fake_tables_ptr, &ft, true, BELOW_4G),
                     ERR_NOT_USABLE);
    /* accepted, then refused only because fake_tables_ptr cannot reach it */
    assert_int_equal(paging_init(&p2, fake_tables_alloc, fake_tables_ptr, &ft, true, PAGING_PHYS_LIMIT),
                     ERR_INVALID_ARG);
    assert_int_equal(p2.table_limit, PAGING_PHYS_LIMIT);
    ft.bad_phys = PAGING_PHYS_LIMIT - 0x1000; /* the last frame a table can have */
    assert_int_equal(paging_init(&p2, fake_tables_alloc, fake_tables_ptr, &ft, true, PAGING_PHYS_LIMIT),
                     ERR_INVALID_ARG);
    ft.bad_phys = 0;
    /* limits that cannot hold a table, or past what a page-table entry can address */
    assert_int_equal(paging_init(&p2, fake_tables_alloc, fake_tables_ptr, &ft, true, 0), ERR_INVALID_ARG);
    assert_int_equal(paging_init(&p2, fake_tables_alloc, fake_tables_ptr, &ft, true, 0xfff), ERR_INVALID_ARG);
    assert_int_equal(paging_init(&p2, fake_tables_alloc, fake_tables_ptr, &ft, true, PAGING_PHYS_LIMIT + 1),
                     ERR_INVALID_ARG);
    /* room for the root only: the PDPT the first map needs is refused, nothing is mapped */
    assert_int_equal(paging_init(&pg, fake_tables_alloc, fake_tables_ptr, &ft, true, POOL_BASE + 0x1000),
                     ERR_OK);
    assert_int_equal(pg.root, POOL_BASE);
    assert_int_equal(paging_map(&pg, 0x1000, 0x1000, 0x1000, RW), ERR_NOT_USABLE);
    expect_unmapped(0x1000);
}

/* ---- the stage2 plan on SeaBIOS q35 -m 8G ---------------------------------------------- */

/* seabios/q35-8G.log, with what a loader would have written back (typed by hand):
 *   0x500..0x80000 loader reclaimable, page tables at 16 MiB, the kernel at 32 MiB. */
static struct e820_entry q35_8g[] = {
    { 0x0000000000000000ull, 0x0000000000000500ull, 1, 1 },
    { 0x0000000000000500ull, 0x000000000007fb00ull, MULTIOS_MEM_LOADER_RECLAIMABLE, 1 },
    { 0x0000000000080000ull, 0x000000000001fc00ull, 1, 1 },
    { 0x000000000009fc00ull, 0x0000000000000400ull, 2, 1 },
    { 0x00000000000f0000ull, 0x0000000000010000ull, 2, 1 },
    { 0x0000000000100000ull, 0x0000000000f00000ull, 1, 1 },
    { 0x0000000001000000ull, 0x0000000001000000ull, MULTIOS_MEM_PAGE_TABLES, 1 },
    { 0x0000000002000000ull, 0x0000000000008000ull, MULTIOS_MEM_KERNEL, 1 },
    { 0x0000000002008000ull, 0x000000007dfd7000ull, 1, 1 },
    { 0x000000007ffdf000ull, 0x0000000000021000ull, 2, 1 },
    { 0x00000000b0000000ull, 0x0000000010000000ull, 2, 1 },
    { 0x00000000fed1c000ull, 0x0000000000004000ull, 2, 1 },
    { 0x00000000fffc0000ull, 0x0000000000040000ull, 2, 1 },
    { 0x0000000100000000ull, 0x0000000180000000ull, 1, 1 },
    { 0x000000fd00000000ull, 0x0000000300000000ull, 2, 1 },
};
#define Q35_N (sizeof q35_8g / sizeof q35_8g[0])
#define KBASE 0xffffffff80000000ull

/* A higher-half kernel as ld lays one out: text, rodata, data + bss (unaligned start). */
static const struct paging_segment kseg[] = {
    { KBASE, 0x2000000, 0x3456, RX },
    { KBASE + 0x4000, 0x2004000, 0x1000, 0 },
    { KBASE + 0x5100, 0x2005100, 0x2f00, RW },
};

static struct memmap q35_map(void)
{
    return (struct memmap){ .entry = q35_8g, .count = Q35_N, .capacity = Q35_N };
}

/* The model: what the plan must map at virt, worked out from the map, not from the code. */
static bool model(uint64_t virt, uint64_t *phys, uint32_t *flags)
{
    for (size_t i = 0; i < sizeof kseg / sizeof kseg[0]; i++) {
        uint64_t lo = kseg[i].virt & ~0xfffull;
        uint64_t hi = (kseg[i].virt + kseg[i].size + 0xfff) & ~0xfffull;
        if (virt >= lo && virt < hi) {
            *phys = kseg[i].phys + (virt - kseg[i].virt);
            *flags = kseg[i].flags;
            return true;
        }
    }
    /* RAM above 4 GiB in this map: [4 GiB, 10 GiB) only */
    bool ram_or_low = virt < 10 * GIB;
    if (ram_or_low) {
        *phys = virt;
        *flags = RWX;
        return true;
    }
    if (virt >= PAGING_HHDM_OFFSET && virt - PAGING_HHDM_OFFSET < 10 * GIB) {
        *phys = virt - PAGING_HHDM_OFFSET;
        *flags = RW;
        return true;
    }
    return false;
}

static void check_against_model(uint64_t virt)
{
    uint64_t phys;
    uint32_t flags;
    struct paging_walk w;
    if (!model(virt, &phys, &flags)) {
        assert_int_equal(paging_translate(&pg, virt, &w), ERR_NOT_FOUND);
        return;
    }
    assert_int_equal(paging_translate(&pg, virt, &w), ERR_OK);
    assert_int_equal(w.phys, phys);
    assert_int_equal(w.flags, flags);
}

/* Every table reachable from the root is one the allocator handed out, each once. */
static uint32_t count_tables(uint64_t table, int level, uint8_t *seen)
{
    uint64_t *t = fake_tables_ptr(&ft, table);
    assert_non_null(t);
    uint32_t idx = (uint32_t)((table - POOL_BASE) / 4096u);
    assert_true(idx < ft.used);
    assert_int_equal(seen[idx], 0);
    seen[idx] = 1;
    uint32_t n = 1;
    for (int i = 0; i < 512; i++) {
        if (!(t[i] & PTE_PRESENT) || level == 1 || (level == 2 && (t[i] & PTE_PS)))
            continue;
        assert_false(t[i] & PTE_PS); /* never 1 GiB pages */
        assert_int_equal(t[i] & ~PTE_ADDR_MASK, PTE_PRESENT | PTE_WRITE);
        n += count_tables(t[i] & PTE_ADDR_MASK, level - 1, seen);
    }
    return n;
}

static void plan_q35_8g(void **state)
{
    (void)state;
    struct memmap m = q35_map();
    struct paging_plan_result res;
    assert_int_equal(paging_plan_build(&pg, fake_tables_alloc, fake_tables_ptr, &ft, true, BELOW_4G, &m,
                                       PAGING_HHDM_OFFSET, kseg, 3, &res), ERR_OK);
    assert_int_equal(res.fail_step, PAGING_STEP_NONE);
    assert_int_equal(res.identity_end, 10 * GIB);
    assert_int_equal(res.clipped, 0);
    /* Worked out by hand. 2 MiB ranges of mixed memory kinds below 4 GiB (4 KiB pages):
     *   0x00000000: always (RAM, loader, reserved 0x9fc00, the VGA hole, BIOS 0xf0000);
     *   0x7fe00000: RAM to 0x7ffdf000, then reserved;
     *   0xfec00000: hole, reserved 0xfed1c000..0xfed20000, hole;
     *   0xffe00000: hole, then reserved from 0xfffc0000.
     * Not mixed: 16 MiB.. (page tables) and 32 MiB.. (kernel, then RAM): loader types are
     * RAM; 0xb0000000..0xc0000000 reserved in whole 2 MiB; the holes; RAM above 4 GiB.
     * Tables: PML4; identity PDPT + 10 PDs (GiB 0..9) + 4 PTs; HHDM the same; kernel
     * PDPT + PD + one PT = 1 + 15 + 15 + 3 = 34 (26 before the rule).
     * 2 MiB pages: (10 GiB / 2 MiB - 4) twice = 10232. 4 KiB pages: 4 * 512 twice = 4096,
     * plus the kernel: text 4 (0x3456 -> 4 pages), rodata 1, data 3 (0x5000..0x8000). */
    assert_int_equal(pg.tables, 34);
    assert_int_equal(ft.used, 34);
    assert_int_equal(pg.pages_2m, 10232);
    assert_int_equal(pg.pages_4k, 4096 + 8);
    static uint8_t seen[POOL_FRAMES];
    memset(seen, 0, sizeof seen);
    assert_int_equal(count_tables(pg.root, 4, seen), 34);

    /* The boundaries of every map entry, a page either side, identity and HHDM. */
    for (size_t i = 0; i < Q35_N; i++) {
        uint64_t b = q35_8g[i].base, e = b + q35_8g[i].length;
        uint64_t probes[] = { b, b + 0xfff, e - 1, e, b - 0x1000, e + 0x1000 };
        for (size_t k = 0; k < 6; k++) {
            check_against_model(probes[k]);
            check_against_model(probes[k] + PAGING_HHDM_OFFSET);
        }
    }
    /* Random addresses in the interesting windows. */
    srand(820);
    for (int i = 0; i < 200000; i++) {
        uint64_t r = ((uint64_t)rand() << 31 ^ (uint64_t)rand()) % (16 * GIB);
        static const uint64_t windows[] = { 0, PAGING_HHDM_OFFSET, KBASE - 8 * GIB };
        check_against_model(windows[i % 3] + r);
    }
    for (uint64_t v = KBASE - 0x1000; v < KBASE + 0x10000; v += 0x800)
        check_against_model(v);

    /* Flags as the hand-off needs them. */
    struct paging_walk w;
    assert_int_equal(paging_translate(&pg, 0x8000, &w), ERR_OK); /* stage2 code: executable */
    assert_int_equal(w.pte & (PTE_NX | PTE_WRITE | PTE_PRESENT), PTE_WRITE | PTE_PRESENT);
    assert_int_equal(w.page_size, PAGE_SIZE_4K); /* the first 2 MiB */
    assert_int_equal(paging_translate(&pg, KBASE + 0x10, &w), ERR_OK); /* kernel text */
    assert_int_equal(w.pte & (PTE_NX | PTE_WRITE), 0);
    assert_int_equal(paging_translate(&pg, KBASE + 0x4000, &w), ERR_OK); /* rodata */
    assert_int_equal(w.pte & (PTE_NX | PTE_WRITE), PTE_NX);
    assert_int_equal(paging_translate(&pg, KBASE + 0x7fff, &w), ERR_OK); /* bss */
    assert_int_equal(w.pte & (PTE_NX | PTE_WRITE), PTE_NX | PTE_WRITE);
    assert_int_equal(paging_translate(&pg, PAGING_HHDM_OFFSET + 5 * GIB, &w), ERR_OK);
    assert_int_equal(w.pte & (PTE_NX | PTE_WRITE), PTE_NX | PTE_WRITE);
    assert_int_equal(w.page_size, PAGE_SIZE_2M);
    /* MMIO in the low 4 GiB (LAPIC) is reachable both ways; the 1 TiB hole is not. */
    check_against_model(0xfee00000);
    expect_unmapped(0xfd00000000ull);
    expect_unmapped(PAGING_HHDM_OFFSET + 0xfd00000000ull);
}

/* Without NX support no entry may carry the bit: it would be reserved and fault. */
static bool any_nx(uint64_t table, int level)
{
    uint64_t *t = fake_tables_ptr(&ft, table);
    for (int i = 0; i < 512; i++) {
        if (!(t[i] & PTE_PRESENT))
            continue;
        if (t[i] & PTE_NX)
            return true;
        if (level > 1 && !(level == 2 && (t[i] & PTE_PS)) && any_nx(t[i] & PTE_ADDR_MASK, level - 1))
            return true;
    }
    return false;
}

static void plan_without_nx(void **state)
{
    (void)state;
    struct memmap m = q35_map();
    assert_int_equal(paging_plan_build(&pg, fake_tables_alloc, fake_tables_ptr, &ft, false, BELOW_4G, &m,
                                       PAGING_HHDM_OFFSET, kseg, 3, NULL), ERR_OK);
    assert_false(any_nx(pg.root, 4));
    expect(KBASE + 0x4000, 0x2004000, PAGE_SIZE_4K, RX); /* no NX: everything executes */
}

/* A kernel linked at its physical address (vaddr == paddr = 1 MiB) lies inside the
 * identity map: fine, with permissions widened to the identity map's. */
static void plan_kernel_inside_identity_map(void **state)
{
    (void)state;
    struct memmap m = q35_map();
    const struct paging_segment low[] = { { 0x100000, 0x100000, 0x5000, RX } };
    assert_int_equal(paging_plan_build(&pg, fake_tables_alloc, fake_tables_ptr, &ft, true, BELOW_4G, &m,
                                       PAGING_HHDM_OFFSET, low, 1, NULL), ERR_OK);
    expect(0x100000, 0x100000, PAGE_SIZE_4K, RWX); /* the first 2 MiB: 4 KiB pages */
    expect(0x104fff, 0x104fff, PAGE_SIZE_4K, RWX);
}

/* No 2 MiB page over memory of mixed types (Intel SDM vol. 3, 11.11.9): on q35 every 2 MiB
 * below 4 GiB is one large page except the four worked out by hand in plan_q35_8g, in the
 * identity map and the HHDM alike; the first and last page of each say which. */
static void plan_large_pages_follow_the_map(void **state)
{
    (void)state;
    struct memmap m = q35_map();
    assert_int_equal(paging_plan_build(&pg, fake_tables_alloc, fake_tables_ptr, &ft, true, BELOW_4G, &m,
                                       PAGING_HHDM_OFFSET, kseg, 3, NULL), ERR_OK);
    static const uint64_t mixed[] = { 0, 0x7fe00000, 0xfec00000, 0xffe00000 };
    uint32_t small = 0;
    for (uint64_t c = 0; c < 4 * GIB; c += 2 * MIB) {
        bool want_small = false;
        for (size_t i = 0; i < sizeof mixed / sizeof mixed[0]; i++)
            want_small |= c == mixed[i];
        uint64_t want = want_small ? PAGE_SIZE_4K : PAGE_SIZE_2M;
        small += want_small;
        expect(c, c, want, RWX);
        expect(c + 2 * MIB - 1, c + 2 * MIB - 1, want, RWX);
        expect(PAGING_HHDM_OFFSET + c, c, want, RW);
        expect(PAGING_HHDM_OFFSET + c + 2 * MIB - 1, c + 2 * MIB - 1, want, RW);
    }
    assert_int_equal(small, 4);
    /* the cases the review named, by address */
    expect(0xa0000, 0xa0000, PAGE_SIZE_4K, RWX);          /* VGA window */
    expect(0xf0000, 0xf0000, PAGE_SIZE_4K, RWX);          /* BIOS ROM */
    expect(0x7ffde000, 0x7ffde000, PAGE_SIZE_4K, RWX);    /* last page of RAM */
    expect(0x7ffdf000, 0x7ffdf000, PAGE_SIZE_4K, RWX);    /* first reserved page */
    expect(0x7fdfffff, 0x7fdfffff, PAGE_SIZE_2M, RWX);    /* wholly RAM just below */
    expect(0xfed1c000, 0xfed1c000, PAGE_SIZE_4K, RWX);    /* MMIO in a hole */
    expect(0x1000000, 0x1000000, PAGE_SIZE_2M, RWX);      /* page tables: loader RAM */
    expect(0x2000000, 0x2000000, PAGE_SIZE_2M, RWX);      /* kernel then RAM: one kind */
    expect(0xb0000000, 0xb0000000, PAGE_SIZE_2M, RWX);    /* all reserved */
    expect(0x90000000, 0x90000000, PAGE_SIZE_2M, RWX);    /* all hole */
}

/* Kinds on a small hand-made map: usable and ACPI reclaimable are both RAM to the plan but
 * not one memory kind; a whole 2 MiB of ACPI NVS is one; RAM then a hole is mixed; above
 * 4 GiB, RAM that starts 0x800 into a 2 MiB range after a reserved sliver must not take the
 * reserved bytes into a large page (its page-widened start is 2 MiB aligned). */
static void plan_mixed_kinds(void **state)
{
    (void)state;
    static struct e820_entry e[] = {
        { 0x0, 0x9fc00, MULTIOS_MEM_USABLE, 1 },
        { 0x100000, 0x200000, MULTIOS_MEM_USABLE, 1 },              /* 1M..3M */
        { 0x300000, 0x100000, MULTIOS_MEM_ACPI_RECLAIMABLE, 1 },    /* 3M..4M */
        { 0x400000, 0x200000, MULTIOS_MEM_ACPI_NVS, 1 },            /* 4M..6M */
        { 0x600000, 0x300000, MULTIOS_MEM_USABLE, 1 },              /* 6M..9M, hole after */
        { 0x100000000ull, 0x800, MULTIOS_MEM_RESERVED, 1 },
        { 0x100000800ull, 0x5ff800, MULTIOS_MEM_USABLE, 1 },        /* ..4G+6M */
        { 0x100600000ull, 0x100000, MULTIOS_MEM_USABLE, 1 },        /* 4G+6M..4G+7M */
        { 0x100700000ull, 0x100000, MULTIOS_MEM_ACPI_NVS, 1 },      /* 4G+7M..4G+8M */
    };
    struct memmap m = { .entry = e, .count = 9, .capacity = 9 };
    assert_int_equal(paging_plan_build(&pg, fake_tables_alloc, fake_tables_ptr, &ft, true, BELOW_4G, &m,
                                       PAGING_HHDM_OFFSET, NULL, 0, NULL), ERR_OK);
    expect(0x0, 0x0, PAGE_SIZE_4K, RWX);
    expect(0x200000, 0x200000, PAGE_SIZE_4K, RWX);     /* usable + ACPI reclaimable */
    expect(0x3fffff, 0x3fffff, PAGE_SIZE_4K, RWX);
    expect(0x400000, 0x400000, PAGE_SIZE_2M, RWX);     /* all ACPI NVS */
    expect(0x600000, 0x600000, PAGE_SIZE_2M, RWX);     /* all usable */
    expect(0x800000, 0x800000, PAGE_SIZE_4K, RWX);     /* usable, then a hole */
    expect(0x9ff000, 0x9ff000, PAGE_SIZE_4K, RWX);
    expect(0xa00000, 0xa00000, PAGE_SIZE_2M, RWX);     /* all hole (low 4 GiB) */
    expect(0x100000000ull, 0x100000000ull, PAGE_SIZE_4K, RWX); /* reserved sliver + RAM */
    expect(PAGING_HHDM_OFFSET + 0x100000000ull, 0x100000000ull, PAGE_SIZE_4K, RW);
    expect(0x1001ff000ull, 0x1001ff000ull, PAGE_SIZE_4K, RWX);
    expect(0x100200000ull, 0x100200000ull, PAGE_SIZE_2M, RWX); /* wholly RAM */
    expect(0x100400000ull, 0x100400000ull, PAGE_SIZE_2M, RWX);
    expect(PAGING_HHDM_OFFSET + 0x100400000ull, 0x100400000ull, PAGE_SIZE_2M, RW);
    expect(0x100600000ull, 0x100600000ull, PAGE_SIZE_4K, RWX); /* usable + NVS */
    expect(0x1007ff000ull, 0x1007ff000ull, PAGE_SIZE_4K, RWX);
    expect_unmapped(0x100800000ull);
    /* 2 MiB pages: 4M, 6M, 10M..4G (2043), 4G+2M, 4G+4M; twice. */
    assert_int_equal(pg.pages_2m, 2 * (2 + (2048 - 5) + 2));
    /* 4 KiB pages: 0, 2M, 8M, 4G, 4G+6M (whole 2 MiB each, the last 2 entries' pages), twice */
    assert_int_equal(pg.pages_4k, 2 * 5 * 512);
}

static void plan_errors_name_the_step(void **state)
{
    (void)state;
    struct memmap m = q35_map();
    struct paging_plan_result res;
    /* virt and phys with different page offsets */
    const struct paging_segment bad_off[] = { kseg[0], { KBASE + 0x5100, 0x2005200, 0x100, RW } };
    assert_int_equal(paging_plan_build(&pg, fake_tables_alloc, fake_tables_ptr, &ft, true, BELOW_4G, &m,
                                       PAGING_HHDM_OFFSET, bad_off, 2, &res), ERR_MISALIGNED);
    assert_int_equal(res.fail_step, PAGING_STEP_KERNEL);
    assert_int_equal(res.fail_index, 1);
    /* a segment at a lower-half address already identity-mapped to other memory */
    setup(NULL);
    const struct paging_segment clash[] = { { 0x400000, 0x2000000, 0x1000, RX } };
    assert_int_equal(paging_plan_build(&pg, fake_tables_alloc, fake_tables_ptr, &ft, true, BELOW_4G, &m,
                                       PAGING_HHDM_OFFSET, clash, 1, &res), ERR_OVERLAP);
    assert_int_equal(res.fail_step, PAGING_STEP_KERNEL);
    assert_int_equal(res.fail_index, 0);
    /* a segment inside the HHDM */
    setup(NULL);
    const struct paging_segment in_hhdm[] = { { PAGING_HHDM_OFFSET + 0x1000, 0x2000000, 0x1000, RX } };
    assert_int_equal(paging_plan_build(&pg, fake_tables_alloc, fake_tables_ptr, &ft, true, BELOW_4G, &m,
                                       PAGING_HHDM_OFFSET, in_hhdm, 1, &res), ERR_OVERLAP);
    /* a segment of absurd size */
    setup(NULL);
    const struct paging_segment huge[] = { { KBASE + 1, 0x2000001, UINT64_MAX - 0x10, RX } };
    assert_int_equal(paging_plan_build(&pg, fake_tables_alloc, fake_tables_ptr, &ft, true, BELOW_4G, &m,
                                       PAGING_HHDM_OFFSET, huge, 1, &res), ERR_OVERFLOW);
    /* running out of frames: the root, or later */
    setup(NULL);
    ft.budget = 0;
    assert_int_equal(paging_plan_build(&pg, fake_tables_alloc, fake_tables_ptr, &ft, true, BELOW_4G, &m,
                                       PAGING_HHDM_OFFSET, kseg, 3, &res), ERR_NO_MEMORY);
    assert_int_equal(res.fail_step, PAGING_STEP_ROOT);
    setup(NULL);
    ft.budget = 8;
    assert_int_equal(paging_plan_build(&pg, fake_tables_alloc, fake_tables_ptr, &ft, true, BELOW_4G, &m,
                                       PAGING_HHDM_OFFSET, kseg, 3, &res), ERR_NO_MEMORY);
    assert_int_equal(res.fail_step, PAGING_STEP_HHDM);
    assert_int_equal(res.fail_index, UINT32_MAX);
    /* bad HHDM offsets */
    setup(NULL);
    assert_int_equal(paging_plan_build(&pg, fake_tables_alloc, fake_tables_ptr, &ft, true, BELOW_4G, &m,
                                       0x1000, kseg, 3, &res), ERR_INVALID_ARG);
    assert_int_equal(paging_plan_build(&pg, fake_tables_alloc, fake_tables_ptr, &ft, true, BELOW_4G, &m,
                                       PAGING_HHDM_OFFSET + 0x800, kseg, 3, &res), ERR_INVALID_ARG);
    assert_int_equal(paging_plan_build(&pg, fake_tables_alloc, fake_tables_ptr, &ft, true, BELOW_4G, &m,
                                       0xfffff00000000000ull, kseg, 3, &res), ERR_INVALID_ARG);
    assert_int_equal(paging_plan_build(&pg, fake_tables_alloc, fake_tables_ptr, &ft, true, BELOW_4G, NULL,
                                       PAGING_HHDM_OFFSET, kseg, 3, &res), ERR_INVALID_ARG);
}

/* Hostile maps: unaligned RAM edges, RAM past 64 TiB, an entry that wraps 2^64. */
static void plan_hostile_map(void **state)
{
    (void)state;
    static struct e820_entry e[] = {
        { 0, 0x9fc00, 1, 1 },
        { 0x140000800ull, 0x1800, 1, 1 },              /* 5 GiB + 2 KiB, 6 KiB: 2 pages */
        { 0x3fffffff000ull, 0x2000, 1, 1 },            /* ends 4 KiB past 4 TiB */
        { (1ull << 46) - 0x1000, 0x3000, 1, 1 },       /* crosses 64 TiB: 8 KiB clipped */
        { 1ull << 47, 0x10000, 1, 1 },                 /* beyond: all clipped */
        { 0xfffffffffffff000ull, 0x2000, 1, 1 },       /* wraps: clipped */
        { 0x200000000ull, 0x100000, 3, 1 },            /* ACPI at 8 GiB: mapped */
        { 0x300000000ull, 0x100000, 2, 1 },            /* reserved at 12 GiB: not mapped */
        { 0x400000000ull, 0x100000, 7, 1 },            /* persistent: not mapped */
    };
    struct memmap m = { .entry = e, .count = 9, .capacity = 9 };
    struct paging_plan_result res;
    assert_int_equal(paging_plan_build(&pg, fake_tables_alloc, fake_tables_ptr, &ft, true, BELOW_4G, &m,
                                       PAGING_HHDM_OFFSET, NULL, 0, &res), ERR_OK);
    assert_int_equal(res.identity_end, 1ull << 46);
    assert_int_equal(res.clipped, 0x2000 + 0x10000 + (0ull - 0xfffffffffffff000ull));
    expect(0x140000000ull, 0x140000000ull, PAGE_SIZE_4K, RWX);
    expect(0x140001fffull, 0x140001fffull, PAGE_SIZE_4K, RWX);
    expect_unmapped(0x140002000ull);
    expect_unmapped(0x13ffff000ull);
    expect(0x40000000fffull, 0x40000000fffull, PAGE_SIZE_4K, RWX);
    expect((1ull << 46) - 1, (1ull << 46) - 1, PAGE_SIZE_4K, RWX);
    expect_unmapped(1ull << 46);
    expect(PAGING_HHDM_OFFSET + (1ull << 46) - 1, (1ull << 46) - 1, PAGE_SIZE_4K, RW);
    expect(0x200000000ull, 0x200000000ull, PAGE_SIZE_4K, RWX);
    expect_unmapped(0x300000000ull);
    expect_unmapped(0x400000000ull);
}

/* ---- random mappings against a page-by-page model ------------------------------------- */

#define WIN_PAGES 16384u /* 64 MiB per window */
struct model_page {
    uint64_t phys;
    uint32_t flags;
    bool mapped;
};
static struct model_page mdl[2][WIN_PAGES];
static const uint64_t win_base[2] = { 0, PAGING_HHDM_OFFSET };

static void model_check_all(void)
{
    for (int wdx = 0; wdx < 2; wdx++) {
        for (uint32_t i = 0; i < WIN_PAGES; i++) {
            const struct model_page *m = &mdl[wdx][i];
            uint64_t off = (i * 97u) % 4096u;
            uint64_t v = win_base[wdx] + (uint64_t)i * PAGE_SIZE_4K + off;
            struct paging_walk w;
            if (!m->mapped) {
                assert_int_equal(paging_translate(&pg, v, &w), ERR_NOT_FOUND);
                continue;
            }
            assert_int_equal(paging_translate(&pg, v, &w), ERR_OK);
            assert_int_equal(w.phys, m->phys + off);
            assert_int_equal(w.flags, m->flags);
        }
        expect_unmapped(win_base[wdx] + WIN_PAGES * PAGE_SIZE_4K);
    }
}

static void random_maps_match_model(void **state)
{
    static const uint32_t fl[] = { RW, RX, RWX, 0 };
    uint32_t ok = 0, clash = 0;
    uint64_t big_pages = 0;
    srand(4096);
    for (int epoch = 0; epoch < 40; epoch++) {
        setup(state);
        memset(mdl, 0, sizeof mdl);
        init_nx(true);
        for (int op = 0; op < 60; op++) {
            int wdx = rand() % 2;
            bool big = rand() % 3 == 0;
            uint64_t unit = big ? PAGE_SIZE_2M : PAGE_SIZE_4K;
            uint64_t slots = WIN_PAGES * PAGE_SIZE_4K / unit;
            uint64_t first = (uint64_t)rand() % slots;
            uint64_t count = 1 + (uint64_t)rand() % (big ? 3 : 300);
            if (first + count > slots)
                count = slots - first;
            /* first page and length in 4 KiB pages; big ones sometimes one page short */
            uint64_t vpage = first * (unit / PAGE_SIZE_4K);
            uint64_t npages = count * (unit / PAGE_SIZE_4K) - (big && rand() % 2 ? 1 : 0);
            uint64_t phys = rand() % 3 == 0 ? vpage * PAGE_SIZE_4K /* identity: repeats agree */
                                            : ((uint64_t)(rand() % 512) << 21) +
                                                  (rand() % 2 ? 0 : (uint64_t)(rand() % 512) << 12);
            uint32_t flags = rand() % 2 ? RW : fl[rand() % 4];

            err_t want = ERR_OK;
            for (uint64_t i = 0; i < npages && want == ERR_OK; i++) {
                const struct model_page *m = &mdl[wdx][vpage + i];
                if (m->mapped && (m->phys != phys + i * PAGE_SIZE_4K || m->flags != flags))
                    want = ERR_OVERLAP;
            }
            uint32_t used = ft.used;
            err_t got = paging_map(&pg, win_base[wdx] + vpage * PAGE_SIZE_4K, phys,
                                   npages * PAGE_SIZE_4K, flags);
            assert_int_equal(got, want);
            if (got != ERR_OK) {
                assert_int_equal(ft.used, used); /* a refused request allocates nothing */
                clash++;
                continue;
            }
            ok++;
            for (uint64_t i = 0; i < npages; i++)
                mdl[wdx][vpage + i] = (struct model_page){ phys + i * PAGE_SIZE_4K, flags, true };
        }
        model_check_all();
        big_pages += pg.pages_2m;
    }
    assert_true(ok > 500 && clash > 300);
    assert_true(big_pages > 50);
}

/* ---- the allocator rewrites the map while the plan walks it (as frames_alloc_typed does) -- */

#define T (POOL_BASE + 11 * 0x1000ull) /* the 12th frame handed out: the first in the loop */
static struct e820_entry live[32];
static struct memmap live_map;

/* A small, independent set_type for sorted maps: [p, p + 4 KiB) becomes `type`, then equal
 * neighbours merge. */
static void live_set_type(uint64_t p, uint32_t type)
{
    struct e820_entry out[40];
    uint32_t n = 0;
    for (uint32_t i = 0; i < live_map.count; i++) {
        struct e820_entry e = live[i];
        uint64_t end = e.base + e.length;
        if (p >= end || p + 0x1000 <= e.base) {
            out[n++] = e;
            continue;
        }
        if (e.base < p)
            out[n++] = (struct e820_entry){ e.base, p - e.base, e.type, 1 };
        out[n++] = (struct e820_entry){ p, 0x1000, type, 1 };
        if (p + 0x1000 < end)
            out[n++] = (struct e820_entry){ p + 0x1000, end - p - 0x1000, e.type, 1 };
    }
    live_map.count = 0;
    for (uint32_t i = 0; i < n; i++) {
        struct e820_entry *last = live_map.count ? &live[live_map.count - 1] : NULL;
        if (last && last->type == out[i].type && last->base + last->length == out[i].base)
            last->length += out[i].length;
        else
            live[live_map.count++] = out[i];
    }
}

static err_t live_alloc(void *ctx, uint64_t *phys)
{
    err_t e = fake_tables_alloc(ctx, phys);
    if (e == ERR_OK)
        live_set_type(*phys, MULTIOS_MEM_PAGE_TABLES);
    return e;
}

static void plan_survives_map_rewrites(void **state)
{
    (void)state;
    /* Frames 0..10 (identity and HHDM of the low 4 GiB) split the 1 MiB entry; frame 11, the
     * first allocated while the RAM above 4 GiB is walked, joins two PAGE_TABLES entries
     * around it: the array shrinks by two under the walker's feet.
     *   1M ......... 16M [frames 0..10] T [frame 11] T+4K [old PT] T+8K ........ 2G
     *   4G  RAM  5G [res] 5G+2M  RAM  6G [ACPI] 6G+2M [hole] 6G+4M  RAM  8G       */
    static const struct e820_entry init[] = {
        { 0, 0x9fc00, 1, 1 },
        { 0x100000, T + 0x1000 - 0x100000, 1, 1 },
        { T + 0x1000, 0x1000, MULTIOS_MEM_PAGE_TABLES, 1 },
        { T + 0x2000, 0x80000000ull - T - 0x2000, 1, 1 },
        { 4 * GIB, 1 * GIB, 1, 1 },
        { 5 * GIB, 2 * MIB, 2, 1 },
        { 5 * GIB + 2 * MIB, 1 * GIB - 2 * MIB, 1, 1 },
        { 6 * GIB, 2 * MIB, 3, 1 },
        { 6 * GIB + 4 * MIB, 2 * GIB - 4 * MIB, 1, 1 },
    };
    memcpy(live, init, sizeof init);
    live_map = (struct memmap){ .entry = live, .count = 9, .capacity = 32 };
    assert_int_equal(paging_plan_build(&pg, live_alloc, fake_tables_ptr, &ft, true, BELOW_4G, &live_map,
                                       PAGING_HHDM_OFFSET, NULL, 0, NULL), ERR_OK);
    /* the allocator really did merge: 1M RAM, 16M..T+8K page tables, RAM to 2G */
    assert_int_equal(live_map.entry[2].base, POOL_BASE);
    assert_int_equal(live_map.entry[2].type, MULTIOS_MEM_PAGE_TABLES);
    assert_true(live_map.entry[2].length >= T + 0x2000 - POOL_BASE);
    /* every RAM range above 4 GiB is mapped both ways; the reserved and the hole are not */
    const uint64_t ram[][2] = { { 4 * GIB, 5 * GIB }, { 5 * GIB + 2 * MIB, 6 * GIB },
                                { 6 * GIB, 6 * GIB + 2 * MIB }, { 6 * GIB + 4 * MIB, 8 * GIB } };
    for (size_t i = 0; i < 4; i++) {
        for (uint64_t a = ram[i][0]; a < ram[i][1]; a += 2 * MIB) {
            expect(a, a, PAGE_SIZE_2M, RWX);
            expect(PAGING_HHDM_OFFSET + a + 0x1234, a + 0x1234, PAGE_SIZE_2M, RW);
        }
    }
    expect_unmapped(5 * GIB);
    expect_unmapped(6 * GIB + 2 * MIB);
    expect_unmapped(PAGING_HHDM_OFFSET + 6 * GIB + 3 * MIB);
    expect_unmapped(8 * GIB);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(large_pages_where_aligned, setup),
        cmocka_unit_test_setup(misaligned_phys_gets_small_pages, setup),
        cmocka_unit_test_setup(argument_rules, setup),
        cmocka_unit_test_setup(same_mapping_twice_is_fine, setup),
        cmocka_unit_test_setup(conflicts_change_nothing, setup),
        cmocka_unit_test_setup(small_then_large, setup),
        cmocka_unit_test_setup(merge_widens_permissions, setup),
        cmocka_unit_test_setup(frame_source_failures, setup),
        cmocka_unit_test_setup(table_limit_is_the_callers, setup),
        cmocka_unit_test_setup(random_maps_match_model, setup),
        cmocka_unit_test_setup(plan_q35_8g, setup),
        cmocka_unit_test_setup(plan_without_nx, setup),
        cmocka_unit_test_setup(plan_kernel_inside_identity_map, setup),
        cmocka_unit_test_setup(plan_large_pages_follow_the_map, setup),
        cmocka_unit_test_setup(plan_mixed_kinds, setup),
        cmocka_unit_test_setup(plan_errors_name_the_step, setup),
        cmocka_unit_test_setup(plan_hostile_map, setup),
        cmocka_unit_test_setup(plan_survives_map_rewrites, setup),
    };
    return cmocka_run_group_tests_name("paging", tests, NULL, NULL);
}
