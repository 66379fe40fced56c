/* test_efi_memmap.c: the core's UEFI map: stepping by DescriptorSize through padded and
 * misaligned buffers, DescriptorVersion, ranges at and past 2^64, Linux's type rules, and
 * hand-made hostile maps (unsorted, overlapping, zero pages, OEM types, no WB, SP, hundreds
 * of descriptors) through the sanitizer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "efi_memmap.h"

#define WB (EFI_MEMORY_UC | EFI_MEMORY_WC | EFI_MEMORY_WT | EFI_MEMORY_WB)
#define MAXD 600u

static uint8_t buf[MAXD * 64 + 16];
static struct e820_entry raw[MAXD], sane[2 * MAXD];
static uint64_t scratch[MEMMAP_SCRATCH_BYTES(MAXD) / 8 + 1];

/* Lay n descriptors out desc_size bytes apart at buf + offset, the padding between them
 * filled with 0xa5 so that a reader stepping by sizeof reads garbage. */
static const uint8_t *lay_out(const struct efi_memory_descriptor *d, uint32_t n,
                              size_t desc_size, size_t offset)
{
    memset(buf, 0xa5, sizeof buf);
    for (uint32_t i = 0; i < n; i++)
        memcpy(buf + offset + (size_t)i * desc_size, &d[i], sizeof d[i]);
    return buf + offset;
}

/* Convert and sanitize n descriptors laid out with desc_size; the sanitized map in m. */
static void run(const struct efi_memory_descriptor *d, uint32_t n, size_t desc_size,
                struct memmap *m, struct efi_memmap_report *er, struct memmap_report *sr)
{
    struct efi_memmap em;
    uint32_t count;
    const uint8_t *p = lay_out(d, n, desc_size, 0);
    assert_int_equal(efi_memmap_init(&em, p, (size_t)n * desc_size, desc_size, 1), ERR_OK);
    assert_int_equal(em.count, n);
    assert_int_equal(efi_memmap_to_e820(&em, raw, MAXD, &count, er), ERR_OK);
    memmap_init(m, sane, 2 * MAXD);
    assert_int_equal(memmap_sanitize(m, raw, NULL, count, scratch, sizeof scratch, sr), ERR_OK);
}

static void assert_map(const struct memmap *m, const struct e820_entry *want, uint32_t n)
{
    assert_int_equal(m->count, n);
    for (uint32_t i = 0; i < n; i++) {
        assert_int_equal(m->entry[i].base, want[i].base);
        assert_int_equal(m->entry[i].length, want[i].length);
        assert_int_equal(m->entry[i].type, want[i].type);
    }
}

/* A small OVMF-like map used by several tests. */
static const struct efi_memory_descriptor small[] = {
    { EFI_BOOT_SERVICES_CODE, 0, 0x0, 0, 1, WB },
    { EFI_CONVENTIONAL_MEMORY, 0, 0x1000, 0, 0x9f, WB },
    { EFI_CONVENTIONAL_MEMORY, 0, 0x100000, 0, 0x700, WB },
    { EFI_ACPI_MEMORY_NVS, 0, 0x800000, 0, 8, WB },
    { EFI_RUNTIME_SERVICES_DATA, 0, 0x900000, 0, 0x10, WB | EFI_MEMORY_RUNTIME },
    { EFI_MEMORY_MAPPED_IO, 0, 0xffc00000, 0, 0x400, EFI_MEMORY_UC | EFI_MEMORY_RUNTIME },
};
static const struct e820_entry small_sane[] = {
    { 0x0, 0xa0000, 1, 0 },
    { 0x100000, 0x700000, 1, 0 },
    { 0x800000, 0x8000, 4, 0 },
    { 0x900000, 0x10000, 2, 0 },
    { 0xffc00000, 0x400000, 2, 0 },
};

/* EDK2 returns 48-byte descriptors; other firmware may pad more. The map read at every
 * stride, and from a buffer that is not even 8-byte aligned, is the same. */
static void padded_descriptor_sizes_read_the_same(void **state)
{
    (void)state;
    static const size_t sizes[] = { 40, 48, 56, 64, 41 };
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        struct memmap m;
        struct efi_memmap_report er;
        run(small, 6, sizes[k], &m, &er, NULL);
        assert_map(&m, small_sane, 5);
        assert_int_equal(er.descriptors, 6);
    }
    /* misaligned by 3 bytes, 48-byte stride: every field still read whole */
    struct efi_memmap em;
    struct efi_memory_descriptor d;
    const uint8_t *p = lay_out(small, 6, 48, 3);
    assert_int_equal(efi_memmap_init(&em, p, 6 * 48, 48, 1), ERR_OK);
    efi_memmap_get(&em, 5, &d);
    assert_int_equal(d.type, EFI_MEMORY_MAPPED_IO);
    assert_int_equal(d.physical_start, 0xffc00000);
    assert_int_equal(d.number_of_pages, 0x400);
    assert_int_equal(d.attribute, EFI_MEMORY_UC | EFI_MEMORY_RUNTIME);
}

static void descriptor_size_version_and_buffer_checks(void **state)
{
    (void)state;
    struct efi_memmap em;
    const uint8_t *p = lay_out(small, 6, 48, 0);
    /* smaller than a version-1 descriptor: not a map we can read */
    assert_int_equal(efi_memmap_init(&em, p, 6 * 48, 39, 1), ERR_BAD_FORMAT);
    assert_int_equal(efi_memmap_init(&em, p, 6 * 48, 0, 1), ERR_BAD_FORMAT);
    assert_int_equal(em.count, 0);
    /* version 0 never existed; a newer version is read as its version-1 prefix */
    assert_int_equal(efi_memmap_init(&em, p, 6 * 48, 48, 0), ERR_UNSUPPORTED);
    assert_int_equal(efi_memmap_init(&em, p, 6 * 48, 48, 2), ERR_OK);
    struct efi_memmap_report er;
    uint32_t n;
    assert_int_equal(efi_memmap_to_e820(&em, raw, MAXD, &n, &er), ERR_OK);
    assert_true(er.newer_version);
    assert_int_equal(n, 6);
    /* a size that is not a multiple of the stride: whole descriptors only, the rest counted */
    assert_int_equal(efi_memmap_init(&em, p, 6 * 48 - 1, 48, 1), ERR_OK);
    assert_int_equal(em.count, 5);
    assert_int_equal(em.trailing, 47);
    assert_int_equal(efi_memmap_to_e820(&em, raw, MAXD, &n, &er), ERR_OK);
    assert_int_equal(er.trailing_bytes, 47);
    assert_false(er.newer_version);
    /* no buffer */
    assert_int_equal(efi_memmap_init(&em, NULL, 48, 48, 1), ERR_INVALID_ARG);
    assert_int_equal(efi_memmap_init(&em, NULL, 0, 48, 1), ERR_OK);
    assert_int_equal(efi_memmap_to_e820(&em, raw, MAXD, &n, &er), ERR_OK);
    assert_int_equal(n, 0);
    /* never truncated: too small an output is an error and no entries */
    assert_int_equal(efi_memmap_init(&em, p, 6 * 48, 48, 1), ERR_OK);
    n = 99;
    assert_int_equal(efi_memmap_to_e820(&em, raw, 5, &n, NULL), ERR_CAPACITY);
    assert_int_equal(n, 0);
    assert_int_equal(efi_memmap_to_e820(&em, raw, 6, &n, NULL), ERR_OK);
    assert_int_equal(n, 6);
}

/* Linux's rules, type by type (do_add_efi_memmap, Linux 5.10). */
static void type_rules_follow_linux(void **state)
{
    (void)state;
    static const uint32_t usable[] = { EFI_LOADER_CODE, EFI_LOADER_DATA, EFI_BOOT_SERVICES_CODE,
                                       EFI_BOOT_SERVICES_DATA, EFI_CONVENTIONAL_MEMORY };
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(efi_memmap_e820_type(usable[i], WB), E820_TYPE_RAM);
        assert_int_equal(efi_memmap_e820_type(usable[i], EFI_MEMORY_WB), E820_TYPE_RAM);
        assert_int_equal(efi_memmap_e820_type(usable[i], EFI_MEMORY_UC), E820_TYPE_RESERVED);
        assert_int_equal(efi_memmap_e820_type(usable[i], 0), E820_TYPE_RESERVED);
        /* SP wins over WB */
        assert_int_equal(efi_memmap_e820_type(usable[i], WB | EFI_MEMORY_SP),
                         E820_TYPE_SOFT_RESERVED);
        assert_int_equal(efi_memmap_e820_type(usable[i], EFI_MEMORY_SP),
                         E820_TYPE_SOFT_RESERVED);
    }
    assert_int_equal(efi_memmap_e820_type(EFI_ACPI_RECLAIM_MEMORY, WB), E820_TYPE_ACPI);
    assert_int_equal(efi_memmap_e820_type(EFI_ACPI_RECLAIM_MEMORY, 0), E820_TYPE_ACPI);
    assert_int_equal(efi_memmap_e820_type(EFI_ACPI_MEMORY_NVS, WB), E820_TYPE_NVS);
    assert_int_equal(efi_memmap_e820_type(EFI_UNUSABLE_MEMORY, WB), E820_TYPE_UNUSABLE);
    assert_int_equal(efi_memmap_e820_type(EFI_PERSISTENT_MEMORY, WB | EFI_MEMORY_NV),
                     E820_TYPE_PMEM);
    /* SP on other types changes nothing: Linux only looks at it for the usable ones */
    assert_int_equal(efi_memmap_e820_type(EFI_ACPI_MEMORY_NVS, EFI_MEMORY_SP), E820_TYPE_NVS);
    static const uint32_t reserved[] = {
        EFI_RESERVED_MEMORY_TYPE, EFI_RUNTIME_SERVICES_CODE, EFI_RUNTIME_SERVICES_DATA,
        EFI_MEMORY_MAPPED_IO, EFI_MEMORY_MAPPED_IO_PORT_SPACE, EFI_PAL_CODE,
        EFI_UNACCEPTED_MEMORY, 16, 0x6fffffff, EFI_MEMORY_TYPE_OEM_FIRST, 0x7fffffff,
        EFI_MEMORY_TYPE_OS_FIRST, 0xffffffff,
    };
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++) {
        assert_int_equal(efi_memmap_e820_type(reserved[i], WB), E820_TYPE_RESERVED);
        assert_int_equal(efi_memmap_e820_type(reserved[i], WB | EFI_MEMORY_SP),
                         E820_TYPE_RESERVED);
    }
}

/* The spec's limit: no page may start above 0xfffffffffffff000. Ending exactly at 2^64 is
 * allowed; one page more, or NumberOfPages so large that pages << 12 itself wraps, is not;
 * nor is all of 2^64 in one descriptor, which no E820 length can hold. */
static void ranges_at_and_past_the_top(void **state)
{
    (void)state;
    struct {
        uint64_t start, pages;
        bool ok;
        uint64_t length;
    } c[] = {
        { 0xfffffffffffff000, 1, true, 0x1000 },
        { 0xfffffffffffff000, 2, false, 0 },
        { 0xffffffff00000000, 0x100000, true, 0x100000000 },
        { 0xffffffff00000000, 0x100001, false, 0 },
        { 0x100000, 0x000fffffffffff00, true, 0xfffffffffff00000 }, /* to 2^64 exactly */
        { 0x100000, 0x000fffffffffff01, false, 0 },
        { 0x100000, 1ull << 52, false, 0 },      /* pages << 12 wraps to 0 */
        { 0x100000, UINT64_MAX, false, 0 },
        { 0, (1ull << 52) - 1, true, 0xfffffffffffff000 },
        { 0, 1ull << 52, false, 0 },             /* all 2^64 bytes */
        { 0x1000, 0, false, 0 },                 /* zero pages */
        { 0xfffffffffffff800, 1, false, 0 },     /* unaligned: a page from there passes 2^64 */
        { 0xffffffffffffe800, 1, true, 0x1000 }, /* unaligned, ends below 2^64 */
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        struct efi_memory_descriptor d = { EFI_CONVENTIONAL_MEMORY, 0, c[i].start, 0,
                                           c[i].pages, WB };
        uint64_t base = 0, length = 0;
        const char *why = "unset";
        assert_int_equal(efi_memmap_range(&d, &base, &length, &why), c[i].ok);
        if (c[i].ok) {
            assert_null(why);
            assert_int_equal(base, c[i].start);
            assert_int_equal(length, c[i].length);
        } else {
            assert_string_equal(why, c[i].pages ? "out of range" : "zero pages");
        }
    }
}

/*
 * Hostile: unsorted, overlapping, zero pages, a wrap, OEM and OS types, conventional memory
 * without WB, soft-reserved memory, an unaligned start, runtime data nested in RAM.
 *
 *   0      1000     a0000  100000        200000   300000  380000   400000    500000
 *   |##########|#######|    |#####|rrrr|#####|######|ssssss|ssssss|rrrrrrrr|
 *   BS code  conv        conv  RT data    conv (overlap)  SP conv   SP loader  conv, no WB
 */
static void hostile_map_converts_and_sanitizes(void **state)
{
    (void)state;
    static const struct efi_memory_descriptor d[] = {
        { EFI_CONVENTIONAL_MEMORY, 0, 0x100000, 0, 0x200, WB },              /* 1-3 MiB */
        { EFI_BOOT_SERVICES_CODE, 0, 0x0, 0, 1, WB },
        { EFI_RUNTIME_SERVICES_DATA, 0, 0x180000, 0, 0x10, WB | EFI_MEMORY_RUNTIME },
        { EFI_CONVENTIONAL_MEMORY, 0, 0x1000, 0, 0x9f, WB },
        { EFI_CONVENTIONAL_MEMORY, 0, 0x2000, 0, 0, WB },                    /* zero pages */
        { EFI_CONVENTIONAL_MEMORY, 0, 0x200000, 0, 0x180, WB },              /* overlaps */
        { EFI_CONVENTIONAL_MEMORY, 0, 0x380000, 0, 0x40, WB | EFI_MEMORY_SP },
        { EFI_LOADER_DATA, 0, 0x3c0000, 0, 0x40, WB | EFI_MEMORY_SP },       /* touching SP */
        { EFI_CONVENTIONAL_MEMORY, 0, 0x400000, 0, 0x100, EFI_MEMORY_UC },   /* no WB */
        { 0x70000001, 0, 0x500000, 0, 0x10, WB },                            /* OEM */
        { 0x80000000, 0, 0x510000, 0, 0x10, WB },                            /* OS loader */
        { EFI_CONVENTIONAL_MEMORY, 0, 0x100000000, 0, UINT64_MAX, WB },      /* wraps */
        { EFI_CONVENTIONAL_MEMORY, 0, 0x600800, 0, 1, WB },                  /* unaligned */
    };
    static const struct e820_entry want[] = {
        { 0x0, 0xa0000, 1, 0 },
        { 0x100000, 0x80000, 1, 0 },
        { 0x180000, 0x10000, 2, 0 },
        { 0x190000, 0x1f0000, 1, 0 },
        { 0x380000, 0x40000, 0xefffffff, 0 },  /* soft reserved: never merged */
        { 0x3c0000, 0x40000, 0xefffffff, 0 },
        { 0x400000, 0x120000, 2, 0 },          /* no-WB RAM, OEM and OS types: reserved */
        { 0x600800, 0x1000, 1, 0 },
    };
    struct memmap m;
    struct efi_memmap_report er;
    struct memmap_report sr;
    run(d, sizeof d / sizeof d[0], 48, &m, &er, &sr);
    assert_map(&m, want, sizeof want / sizeof want[0]);
    const uint32_t got[] = { er.descriptors, er.zero_pages, er.out_of_range, er.not_wb,
                             er.soft_reserved, er.unknown_type, er.unaligned };
    const uint32_t counts[] = { 13, 1, 1, 1, 2, 2, 1 };
    for (size_t i = 0; i < sizeof got / sizeof got[0]; i++)
        assert_int_equal(got[i], counts[i]);
    assert_true(sr.unsorted);
    assert_int_equal(sr.overlaps, 1); /* the runtime data nested in conventional memory */
}

/* A tiny deterministic generator (no libc rand: the same maps on every host). */
static uint64_t lcg_state;
static uint64_t lcg(void)
{
    lcg_state = lcg_state * 6364136223846793005ull + 1442695040888963407ull;
    return lcg_state >> 17;
}

/* Hundreds of descriptors, random types, attributes and overlaps: the sanitized map must
 * say, at every boundary and midpoint, the highest E820 type of the descriptors covering
 * that address (the sanitizer's rule), computed here by brute force from the descriptors. */
static void hundreds_of_random_descriptors_agree_with_brute_force(void **state)
{
    (void)state;
    static struct efi_memory_descriptor d[500];
    static const uint32_t types[] = { 0, 1, 2, 3, 4, 5, 6, 7, 7, 7, 8, 9, 10, 11, 14, 15,
                                      0x70000000 };
    static const uint64_t attrs[] = { WB, WB, WB, EFI_MEMORY_UC, WB | EFI_MEMORY_SP,
                                      WB | EFI_MEMORY_RUNTIME };
    for (uint32_t round = 0; round < 4; round++) {
        lcg_state = 0x5eed0000u + round;
        for (uint32_t i = 0; i < 500; i++) {
            d[i] = (struct efi_memory_descriptor){
                .type = types[lcg() % (sizeof types / sizeof types[0])],
                .physical_start = (lcg() % 4096) << 12,
                .number_of_pages = lcg() % 64,
                .attribute = attrs[lcg() % (sizeof attrs / sizeof attrs[0])],
            };
        }
        struct memmap m;
        struct efi_memmap_report er;
        run(d, 500, 40 + 8 * round, &m, &er, NULL);
        uint32_t zero = 0;
        for (uint32_t i = 0; i < 500; i++)
            zero += d[i].number_of_pages == 0;
        assert_int_equal(er.zero_pages, zero);
        for (uint32_t i = 0; i < 500; i++) {
            uint64_t s = d[i].physical_start, e = s + (d[i].number_of_pages << 12);
            uint64_t probes[] = { s, s + 0x800, e ? e - 1 : 0, e };
            for (size_t k = 0; k < 4; k++) {
                uint32_t want = 0;
                for (uint32_t j = 0; j < 500; j++) {
                    uint64_t js = d[j].physical_start;
                    uint64_t je = js + (d[j].number_of_pages << 12);
                    uint32_t t = efi_memmap_e820_type(d[j].type, d[j].attribute);
                    if (probes[k] >= js && probes[k] < je && t > want)
                        want = t;
                }
                assert_int_equal(memmap_type_at(&m, probes[k]), want);
            }
        }
        /* and the map is sorted and disjoint */
        for (uint32_t i = 1; i < m.count; i++)
            assert_true(m.entry[i - 1].base + m.entry[i - 1].length <= m.entry[i].base);
    }
}

/* The loader prints its map as Linux does, so build/e820 reads a loader's serial log. */
static void format_matches_linux_current_form(void **state)
{
    (void)state;
    char line[160];
    struct efi_memory_descriptor d = { EFI_CONVENTIONAL_MEMORY, 0, 0x100000, 0, 0x700, WB };
    int n = efi_memmap_format(&d, 7, line, sizeof line);
    assert_string_equal(line, "mem07: [Conventional|   |  |  |  |  |  |  |  |  |  |   "
                              "|WB|WT|WC|UC] range=[0x0000000000100000-0x00000000007fffff] (7MB)");
    assert_int_equal(n, (int)strlen(line));
    d = (struct efi_memory_descriptor){ EFI_RUNTIME_SERVICES_CODE, 0, 0x7a317000, 0, 0xf7,
                                        WB | EFI_MEMORY_RUNTIME | EFI_MEMORY_HOT_PLUGGABLE |
                                            EFI_MEMORY_SP | EFI_MEMORY_CPU_CRYPTO };
    efi_memmap_format(&d, 123, line, sizeof line);
    assert_string_equal(line, "mem123: [Runtime Code|RUN|HP|  |CC|SP|  |  |  |  |  |   "
                              "|WB|WT|WC|UC] range=[0x000000007a317000-0x000000007a40dfff] (0MB)");
    d = (struct efi_memory_descriptor){ 0x70000000, 0, 0x1000, 0, 1, 0x070000000000000full };
    efi_memmap_format(&d, 0, line, sizeof line);
    assert_string_equal(line, "mem00: [type=1879048192|attr=0x070000000000000f] "
                              "range=[0x0000000000001000-0x0000000000001fff] (0MB)");
    /* truncated like snprintf: the whole length returned, the buffer NUL-terminated */
    char small_buf[10];
    n = efi_memmap_format(&d, 0, small_buf, sizeof small_buf);
    assert_int_equal(n, (int)strlen(line));
    assert_string_equal(small_buf, "mem00: [t");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(padded_descriptor_sizes_read_the_same),
        cmocka_unit_test(descriptor_size_version_and_buffer_checks),
        cmocka_unit_test(type_rules_follow_linux),
        cmocka_unit_test(ranges_at_and_past_the_top),
        cmocka_unit_test(hostile_map_converts_and_sanitizes),
        cmocka_unit_test(hundreds_of_random_descriptors_agree_with_brute_force),
        cmocka_unit_test(format_matches_linux_current_form),
    };
    return cmocka_run_group_tests_name("efi_memmap", tests, NULL, NULL);
}
