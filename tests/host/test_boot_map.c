/* test_boot_map.c: the boot pipeline of stage2 on the host, for every SeaBIOS table of the
 * fixtures: simulated BIOS -> e820_detect -> memmap_sanitize -> the loader's write-backs ->
 * paging_plan_build with page-table frames written back into the same map (as
 * frames_alloc_typed does), then the tables walked against the final map. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "e820_detect.h"
#include "fake_tables.h"
#include "memmap.h"
#include "paging.h"
#include "sim_bios.h"
#include "testutil.h"

#define FIXTURES "tests/fixtures/inspector/seabios" /* from the top of the tree */
#define PT_BASE  0x1000000ull /* page-table frames from 16 MiB up */
#define PT_MAX   64u
#define GIB      (1ull << 30)
#define KBASE    0xffffffff80000000ull

static uint8_t bounce[SIM_BOUNCE_SIZE];
static struct sim_bios sim;
static struct e820_detect det;
static struct e820_entry map_entry[MEMMAP_MAX];
static struct memmap map;
static uint8_t frames[PT_MAX][4096] __attribute__((aligned(4096)));
static struct fake_tables tables;
static uint64_t scratch[MEMMAP_SCRATCH_BYTES(MEMMAP_RAW_MAX) / 8 + 1];

/* A frame of the pool, written back into the map as PAGE_TABLES, as frames_alloc_typed
 * does in stage2. */
static err_t pt_alloc(void *ctx, uint64_t *phys)
{
    uint64_t p = 0;
    err_t e = fake_tables_alloc(ctx, &p);
    if (e != ERR_OK)
        return e;
    if (memmap_type_at(&map, p) != E820_TYPE_RAM)
        return ERR_NOT_USABLE;
    e = memmap_set_type(&map, p, 4096, E820_TYPE_PAGE_TABLES);
    if (e != ERR_OK)
        return e;
    *phys = p;
    return ERR_OK;
}

static void check_mapped(const struct paging *pg, uint64_t virt, uint64_t phys, uint32_t flags)
{
    struct paging_walk w;
    assert_int_equal(paging_translate(pg, virt, &w), ERR_OK);
    assert_int_equal(w.phys, phys);
    assert_int_equal(w.flags, flags);
}

/* The 2 MiB ranges below 4 GiB that must get 4 KiB pages (worked out by hand from each
 * fixture's table, below); 0 ends the list after the first, which is always the first 2 MiB
 * (RAM, the 0x9fc00 EBDA, the VGA hole and the BIOS ROM). */
#define MAX_MIXED 8

static void one_fixture(const char *name, const uint64_t *mixed)
{
    char path[256];
    struct paging pg;
    struct paging_plan_result res;

    sim_bios_init(&sim, bounce);
    snprintf(path, sizeof path, "%s/%s.log", FIXTURES, name);
    char *log = testutil_read_file(path, NULL); /* a missing log fails the test */
    uint32_t raw_n = sim_bios_load_seabios_log(&sim, log);
    free(log);
    assert_true(raw_n >= 7); /* every SeaBIOS map of the fixtures has 7 to 11 entries */

    /* detect and sanitize, as stage2/memory.c does */
    struct bios_iface b = sim_bios_iface(&sim);
    assert_int_equal(e820_detect(&b, &det), ERR_OK);
    assert_int_equal(det.source, MULTIOS_BOOT_E820);
    assert_int_equal(det.count, raw_n);
    memmap_init(&map, map_entry, MEMMAP_MAX);
    struct memmap_report rep;
    assert_int_equal(memmap_sanitize(&map, det.entry, det.size, det.count, scratch,
                                     sizeof scratch, &rep), ERR_OK);
    /* SeaBIOS tables are already clean */
    assert_int_equal(map.count, det.count);
    assert_int_equal(rep.overlaps + rep.zero_length + rep.type_zero + rep.merged, 0);

    /* the loader's own memory, and a small kernel at 2 MiB */
    assert_int_equal(memmap_set_type(&map, 0x500, 0x80000 - 0x500, E820_TYPE_LOADER_RECLAIMABLE), ERR_OK);
    assert_int_equal(memmap_set_type(&map, 0x200000, 0x8000, E820_TYPE_KERNEL), ERR_OK);
    const struct paging_segment seg[] = {
        { KBASE, 0x200000, 0x4000, PAGING_EXEC },
        { KBASE + 0x4000, 0x204000, 0x4000, PAGING_WRITE },
    };

    /* RAM above 4 GiB in these tables is one range from 4 GiB up, if any */
    uint64_t ram_end = 4 * GIB;
    for (uint32_t i = 0; i < map.count; i++)
        if (map.entry[i].type == E820_TYPE_RAM && map.entry[i].base >= 4 * GIB)
            ram_end = map.entry[i].base + map.entry[i].length;

    tables = (struct fake_tables){ .frame = frames, .base = PT_BASE, .count = PT_MAX,
                                   .budget = PT_MAX };
    assert_int_equal(paging_plan_build(&pg, pt_alloc, fake_tables_ptr, &tables, true, PAGING_TABLES_BELOW_4G, &map,
                                       PAGING_HHDM_OFFSET, seg, 2, &res), ERR_OK);
    assert_int_equal(res.identity_end, ram_end);
    /* By hand: PML4; identity and HHDM: a PDPT each plus a PD per GiB, plus a PT each per
     * 2 MiB of mixed memory types; kernel: PDPT, PD, PT. Everything else in 2 MiB pages
     * (the kernel at 2 MiB and the tables at 16 MiB are loader types: one kind with RAM). */
    uint32_t gib = (uint32_t)(ram_end / GIB);
    uint32_t nmixed = 1;
    while (nmixed < MAX_MIXED && mixed[nmixed])
        nmixed++;
    assert_int_equal(pg.tables, 1 + 2 * (1 + gib) + 3 + 2 * nmixed);
    assert_int_equal(pg.pages_2m, 2 * ((ram_end >> 21) - nmixed));
    assert_int_equal(pg.pages_4k, 8 + 2 * 512 * nmixed);
    /* ... and these are the ones split: first and last page, identity and HHDM */
    for (uint32_t i = 0; i < nmixed; i++) {
        const uint64_t probe[2] = { mixed[i], mixed[i] + 0x1ff000 };
        for (int k = 0; k < 2; k++) {
            struct paging_walk w;
            assert_int_equal(paging_translate(&pg, probe[k], &w), ERR_OK);
            assert_int_equal(w.page_size, 0x1000);
            assert_int_equal(w.phys, probe[k]);
            assert_int_equal(paging_translate(&pg, PAGING_HHDM_OFFSET + probe[k], &w), ERR_OK);
            assert_int_equal(w.page_size, 0x1000);
        }
    }

    /* every table frame is PAGE_TABLES in the final map, and nothing else is */
    assert_int_equal(tables.used, pg.tables);
    for (uint32_t i = 0; i < tables.used; i++)
        assert_int_equal(memmap_type_at(&map, PT_BASE + i * 4096ull), E820_TYPE_PAGE_TABLES);
    assert_int_equal(memmap_bytes_of_type(&map, E820_TYPE_PAGE_TABLES), tables.used * 4096ull);

    /* every entry a kernel may use is reachable both ways, first and last byte */
    for (uint32_t i = 0; i < map.count; i++) {
        const struct e820_entry *e = &map.entry[i];
        uint64_t last = e->base + e->length - 1;
        if (memmap_type_is_usable_or_loader(e->type)) {
            check_mapped(&pg, e->base, e->base, PAGING_WRITE | PAGING_EXEC);
            check_mapped(&pg, last, last, PAGING_WRITE | PAGING_EXEC);
            check_mapped(&pg, PAGING_HHDM_OFFSET + e->base, e->base, PAGING_WRITE);
            check_mapped(&pg, PAGING_HHDM_OFFSET + last, last, PAGING_WRITE);
        } else if (e->base >= 4 * GIB) { /* reserved above 4 GiB (the 1 TiB hole): not */
            struct paging_walk w;
            assert_int_equal(paging_translate(&pg, e->base, &w), ERR_NOT_FOUND);
            assert_int_equal(paging_translate(&pg, PAGING_HHDM_OFFSET + e->base, &w), ERR_NOT_FOUND);
        }
    }
    check_mapped(&pg, KBASE + 0x10, 0x200010, PAGING_EXEC);
    check_mapped(&pg, KBASE + 0x7ff8, 0x207ff8, PAGING_WRITE);
}

#define FIXTURE_TEST(fn, name, ...) \
    static void fn(void **state) \
    { \
        (void)state; \
        static const uint64_t mixed[MAX_MIXED] = { 0, __VA_ARGS__ }; \
        one_fixture(name, mixed); \
    }
/* The mixed 2 MiB ranges besides the first, from each table: the end of RAM below its
 * reserved tail (pc: 0x...fe0000 in the 2 MiB from 0x...e00000; q35: 0x7ffdf000 or
 * 0x7fdf000), the 256 KiB BIOS ROM 0xfffc0000 after a hole (0xffe00000), on q35 the
 * 16 KiB 0xfed1c000 (RCRB) in a hole (0xfec00000) and on q35-4G-kvm also 0xfeffc000
 * (0xfee00000). 0xb0000000-0xc0000000 (q35 MMCONFIG) is whole 2 MiB ranges: not mixed. */
FIXTURE_TEST(pc_32m, "pc-32M", 0x1e00000, 0xffe00000)
FIXTURE_TEST(pc_1g, "pc-1G", 0x3fe00000, 0xffe00000)
FIXTURE_TEST(pc_4g, "pc-4G", 0xbfe00000, 0xffe00000)
FIXTURE_TEST(q35_128m, "q35-128M", 0x7e00000, 0xfec00000, 0xffe00000)
FIXTURE_TEST(q35_2g, "q35-2G-full-debug", 0x7fe00000, 0xfec00000, 0xffe00000)
FIXTURE_TEST(q35_3g, "q35-3G", 0x7fe00000, 0xfec00000, 0xffe00000)
FIXTURE_TEST(q35_4g_kvm, "q35-4G-kvm", 0x7fe00000, 0xfec00000, 0xfee00000, 0xffe00000)
FIXTURE_TEST(q35_8g, "q35-8G", 0x7fe00000, 0xfec00000, 0xffe00000)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pc_32m),     cmocka_unit_test(pc_1g),
        cmocka_unit_test(pc_4g),      cmocka_unit_test(q35_128m),
        cmocka_unit_test(q35_2g),     cmocka_unit_test(q35_3g),
        cmocka_unit_test(q35_4g_kvm), cmocka_unit_test(q35_8g),
    };
    return cmocka_run_group_tests_name("boot_map", tests, NULL, NULL);
}
