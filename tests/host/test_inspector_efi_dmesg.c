/* test_inspector_efi_dmesg.c: the reader of Linux's EFI map lines: the three forms Linux has
 * printed, every prefix, type name and flag spelling of its versions, "(invalid)" lines,
 * NumberOfPages recovered past a wrapped end, tables that restart, broken lines, the real
 * logs of tests/fixtures/efi (checked against the E820 table Linux printed in the same boot),
 * and the round trip through the core's efi_memmap_format. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../tools/e820/parse.h"
#include "efi_check.h"
#include "testutil.h"

#define DIR "tests/fixtures/efi/"
#define WB (EFI_MEMORY_UC | EFI_MEMORY_WC | EFI_MEMORY_WT | EFI_MEMORY_WB)

static struct efi_input in;
static struct parse_error pe;

#define assert_desc(...) efi_check_desc(&in, __VA_ARGS__)

/* The same four descriptors in each form, under each prefix a capture carries. */
static void three_forms_and_their_prefixes(void **state)
{
    (void)state;
    static const char *const texts[] = {
        /* up to 3.18, exclusive end; x86-64 2.6 said "EFI: ", i386 2.6 nothing */
        "[    0.000000] efi: mem00: type=7, attr=0xf, range=[0x0000000000000000-0x000000000009f000) (0MB)\n"
        "<6>[    0.000000] EFI: mem01: type=10, attr=0xf, range=[0x000000000009f000-0x00000000000a0000) (0MB)\n"
        "mem02: type=5, attr=0x800000000000000f, range=[0x0000000000100000-0x0000000000200000) (1MB)\n"
        "Nov 25 05:00:00 host kernel: efi: mem03: type=11, attr=0x8000000000000001, range=[0x00000000fec00000-0x00000000fec01000) (0MB)\n",
        /* 3.19 to 4.x: flags, exclusive end */
        "efi: mem00: [Conventional Memory|   |  |  |  |   |WB|WT|WC|UC] range=[0x0000000000000000-0x000000000009f000) (0MB)\n"
        "[Wed Nov 25 05:00:00 2026] efi: mem01: [ACPI Memory NVS    |   |  |  |  |   |WB|WT|WC|UC] range=[0x000000000009f000-0x00000000000a0000) (0MB)\n"
        "efi: mem02: [Runtime Code       |RUN|  |  |  |   |WB|WT|WC|UC] range=[0x0000000000100000-0x0000000000200000) (1MB)\n"
        "efi: mem03: [Memory Mapped I/O  |RUN|  |  |  |   |  |  |  |UC] range=[0x00000000fec00000-0x00000000fec01000) (0MB)\n",
        /* now: flags, inclusive end, short names */
        "efi: mem00: [Conventional|   |  |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x0000000000000000-0x000000000009efff] (0MB)\n"
        "efi: mem01: [ACPI Mem NVS|   |  |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x000000000009f000-0x000000000009ffff] (0MB)\n"
        "efi: mem02: [Runtime Code|RUN|  |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x0000000000100000-0x00000000001fffff] (1MB)\n"
        "efi: mem03: [MMIO        |RUN|  |  |  |  |  |  |  |  |  |   |  |  |  |UC] range=[0x00000000fec00000-0x00000000fec00fff] (0MB)\n",
    };
    for (size_t k = 0; k < 3; k++) {
        assert_int_equal(parse_efi_dmesg(texts[k], &in, &pe), ERR_OK);
        assert_int_equal(in.count, 4);
        assert_desc(0, EFI_CONVENTIONAL_MEMORY, 0, 0x9f, WB);
        assert_desc(1, EFI_ACPI_MEMORY_NVS, 0x9f000, 1, WB);
        assert_desc(2, EFI_RUNTIME_SERVICES_CODE, 0x100000, 0x100, WB | EFI_MEMORY_RUNTIME);
        assert_desc(3, EFI_MEMORY_MAPPED_IO, 0xfec00000, 1, EFI_MEMORY_UC | EFI_MEMORY_RUNTIME);
    }
}

/* Every type name of every version (long up to 5.x, short since) and every flag, wherever
 * its column stood, including "CR" for CPU_CRYPTO; "[type=N" and "|attr=0x...]". */
static void every_name_and_flag(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        uint32_t type;
    } names[] = {
        { "Reserved", 0 }, { "Loader Code", 1 }, { "Loader Data", 2 }, { "Boot Code", 3 },
        { "Boot Data", 4 }, { "Runtime Code", 5 }, { "Runtime Data", 6 },
        { "Conventional Memory", 7 }, { "Conventional", 7 }, { "Unusable Memory", 8 },
        { "Unusable", 8 }, { "ACPI Reclaim Memory", 9 }, { "ACPI Reclaim", 9 },
        { "ACPI Memory NVS", 10 }, { "ACPI Mem NVS", 10 }, { "Memory Mapped I/O", 11 },
        { "MMIO", 11 }, { "MMIO Port Space", 12 }, { "MMIO Port", 12 }, { "PAL Code", 13 },
        { "Persistent Memory", 14 }, { "Persistent", 14 }, { "Unaccepted", 15 },
    };
    char line[256];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(line, sizeof line, "efi: mem00: [%-19s|   |  |  |  |   |WB|WT|WC|UC] "
                 "range=[0x0000000000001000-0x0000000000001fff] (0MB)\n", names[i].name);
        assert_int_equal(parse_efi_dmesg(line, &in, &pe), ERR_OK);
        assert_desc(0, names[i].type, 0x1000, 1, WB);
    }
    static const struct {
        const char *flags;
        uint64_t attr;
    } f[] = {
        { "|RUN|HP|MR|CC|SP|NV|XP|RP|WP|RO|UCE|WB|WT|WC|UC]", 0x80000000001ff01full },
        { "|   |MR|SP|NV|XP|RP|WP|RO|   |  |  |  |  ]",
          EFI_MEMORY_MORE_RELIABLE | EFI_MEMORY_SP | EFI_MEMORY_NV | EFI_MEMORY_XP |
              EFI_MEMORY_RP | EFI_MEMORY_WP | EFI_MEMORY_RO },
        { "|   |  |NV|CR|  |  |  |  |   |  |  |  |UC]",
          EFI_MEMORY_NV | EFI_MEMORY_CPU_CRYPTO | EFI_MEMORY_UC },
        { "|   |  |  |  |   |  |  |  |  ]", 0 },
        { "|attr=0x070000000000000f]", 0x070000000000000full },
        { "|attr=0x0000000000000000]", 0 },
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        snprintf(line, sizeof line, "efi: mem00: [Reserved    %s range=[0x0000000000001000-"
                 "0x0000000000001fff] (0MB)\n", f[i].flags);
        assert_int_equal(parse_efi_dmesg(line, &in, &pe), ERR_OK);
        assert_desc(0, 0, 0x1000, 1, f[i].attr);
    }
    assert_int_equal(parse_efi_dmesg("efi: mem00: [type=16|   |  |  |  |  |  |  |  |  |  |   "
                                     "|WB|WT|WC|UC] range=[0x0000000000001000-0x0000000000001fff"
                                     "] (0MB)\nefi: mem01: [type=1879048192|attr=0x8000000000000"
                                     "001] range=[0x0000000000002000-0x0000000000002fff] (0MB)\n",
                                     &in, &pe), ERR_OK);
    assert_desc(0, 16, 0x1000, 1, WB);
    assert_desc(1, 0x70000000, 0x2000, 1, 0x8000000000000001ull);
}

/* Since 4.9 Linux prints the descriptors it drops first, marked "(invalid)", with an end of
 * up to 32 hex digits; the list after them starts again at mem00. The reader keeps them (a
 * loader sees them too), and the core drops them. */
static void invalid_lines_are_kept_for_the_core_to_drop(void **state)
{
    (void)state;
    const char *text =
        "[Firmware Bug]: Invalid EFI memory map entries:\n"
        "efi: mem03: [Conventional|   |  |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x0000000000200000-0x0000000000000000] (invalid)\n"
        "efi: mem05: [Reserved    |   |  |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x0000000100000000-0x10000000000000fff] (invalid)\n"
        "efi: mem06: [Reserved    |   |  |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x8000000000000000-0x0000000000000fff] (invalid)\n"
        "efi: Removing 3 invalid memory map entries.\n"
        "efi: mem00: [Conventional|   |  |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x0000000000000000-0x000000000009ffff] (0MB)\n";
    assert_int_equal(parse_efi_dmesg(text, &in, &pe), ERR_OK);
    assert_int_equal(in.count, 4);
    assert_desc(0, EFI_CONVENTIONAL_MEMORY, 0x200000, 0, WB);
    /* [2^32, 2^64 + 0x1000): 2^52 - 2^20 + 1 pages */
    assert_desc(1, 0, 0x100000000, (1ull << 52) - (1ull << 20) + 1, WB);
    /* the carry Linux missed: [2^63, 2^64 + 0x1000) */
    assert_desc(2, 0, 0x8000000000000000, (1ull << 51) + 1, WB);
    assert_desc(3, EFI_CONVENTIONAL_MEMORY, 0, 0xa0, WB);

    struct e820_input out;
    assert_int_equal(parse_efi(PARSE_FORM_EFI_DMESG, text, &out, &pe), ERR_OK);
    assert_true(out.efi);
    assert_int_equal(out.count, 1);
    assert_int_equal(out.efi_report.descriptors, 4);
    assert_int_equal(out.efi_report.zero_pages, 1);
    assert_int_equal(out.efi_report.out_of_range, 2);
    assert_int_equal(out.entry[0].length, 0xa0000);
}

/* The end is printed modulo 2^64 and the size is NumberOfPages >> 8 MiB: together they give
 * NumberOfPages even when the end wrapped, in the exclusive form of old kernels too. */
static void pages_recovered_from_a_wrapped_end(void **state)
{
    (void)state;
    /* 2^52 + 0x10 pages from 0x1000: the end wraps to 0x11000, the size says 2^44 MiB */
    assert_int_equal(parse_efi_dmesg("efi: mem00: type=7, attr=0xf, range=[0x0000000000001000-"
                                     "0x0000000000011000) (17592186044416MB)\n", &in, &pe),
                     ERR_OK);
    assert_desc(0, 7, 0x1000, (1ull << 52) + 0x10, 0xf);
    /* ending exactly at 2^64: the exclusive end prints as 0 */
    assert_int_equal(parse_efi_dmesg("efi: mem00: type=0, attr=0x0, range=[0xfffffffffff00000-"
                                     "0x0000000000000000) (1MB)\n", &in, &pe), ERR_OK);
    assert_desc(0, 0, 0xfffffffffff00000, 0x100, 0);
    /* zero pages in the current form: the end is start - 1 */
    assert_int_equal(parse_efi_dmesg("efi: mem00: [Reserved    |attr=0x0000000000000000] "
                                     "range=[0x0000000000002000-0x0000000000001fff] (0MB)\n",
                                     &in, &pe), ERR_OK);
    assert_desc(0, 0, 0x2000, 0, 0);
    /* without the size (a trimmed capture) the range alone decides */
    assert_int_equal(parse_efi_dmesg("efi: mem00: type=7, attr=0xf, range=[0x0000000000100000-"
                                     "0x0000000000300000)\n", &in, &pe), ERR_OK);
    assert_desc(0, 7, 0x100000, 0x200, 0xf);
}

/* A syslog holds one table per boot; the last one is the map. */
static void the_last_table_wins(void **state)
{
    (void)state;
    const char *text =
        "Jan  1 host kernel: efi: mem00: type=7, attr=0xf, range=[0x0000000000000000-0x0000000000001000) (0MB)\n"
        "Jan  1 host kernel: efi: mem01: type=7, attr=0xf, range=[0x0000000000001000-0x0000000000002000) (0MB)\n"
        "Jan  2 host kernel: efi: mem00: type=4, attr=0xf, range=[0x0000000000000000-0x0000000000003000) (0MB)\n";
    assert_int_equal(parse_efi_dmesg(text, &in, &pe), ERR_OK);
    assert_int_equal(in.count, 1);
    assert_desc(0, 4, 0, 3, 0xf);
}

static void broken_lines_name_their_line(void **state)
{
    (void)state;
    static const struct efi_check_case cases[] = {
        { "efi: mem01: type=7 attr=0xf, range=[0x1000-0x2000) (0MB)", "type=N," },
        { "efi: mem01: type=7, attr=15, range=[0x1000-0x2000) (0MB)", "attr=0xHEX" },
        { "efi: mem01: range=[0x1000-0x2000) (0MB)", "type=N or [" },
        { "efi: mem01: [Bogus Memory|WB] range=[0x1000-0x1fff] (0MB)", "unknown EFI memory type" },
        { "efi: mem01: [Reserved|ZZ] range=[0x1000-0x1fff] (0MB)", "unknown EFI attribute flag" },
        { "efi: mem01: [Reserved|WB range=[0x1000-0x1fff] (0MB)", "unknown EFI attribute flag" },
        { "efi: mem01: [Reserved|attr=0xzz] range=[0x1000-0x1fff] (0MB)", "attr=0xHEX]" },
        { "efi: mem01: [type=x|WB] range=[0x1000-0x1fff] (0MB)", "type number" },
        { "efi: mem01: type=7, attr=0xf, range=[0x1000-0x2000 (0MB)", ") or ]" },
        { "efi: mem01: type=7, attr=0xf, range=[0x1000-0x2800) (0MB)", "whole number" },
        { "efi: mem01: type=7, attr=0xf, range=[0x1000-0x2000) (7MB)", "does not match" },
        { "efi: mem01: type=7, attr=0xf, range=[0x1000-0x10000000000000000) (0MB)", "64 bits" },
        { "efi: mem01: type=7, attr=0xf, range=[0x10000000000000000-0x0) (0MB)", "range=[" },
        { "efi: mem01: type=4294967296, attr=0xf, range=[0x1000-0x2000) (0MB)", "type=N," },
        { "efi: mem03: type=7, attr=0xf, range=[0x1000-0x2000) (0MB)", "mem01 was expected" },
    };
    efi_check_broken_lines(parse_efi_dmesg, "efi: mem00: type=7, attr=0xf, range=[0x00000000"
                           "00000000-0x0000000000001000) (0MB)\n", cases,
                           sizeof cases / sizeof cases[0]);
    efi_check_fails(parse_efi_dmesg, "Linux version 6.1\nefi: EFI v2.70 by EDK II\n",
                    ERR_BAD_FORMAT, 0, "no 'memNN:");
    /* "memNN:" inside a word, or without a range, is someone else's line */
    efi_check_fails(parse_efi_dmesg, "itemmem00: type=7, attr=0xf, range=[0x0-0x1000) (0MB)\n"
                    "mem00: hello\n", ERR_BAD_FORMAT, 0, "no 'memNN:");
}

static void more_than_512_descriptors_is_a_capacity_error(void **state)
{
    (void)state;
    char *text = malloc(600 * 100), *p = text;
    assert_non_null(text);
    for (unsigned i = 0; i < 512; i++)
        p += sprintf(p, "efi: mem%02u: type=7, attr=0xf, range=[0x%016llx-0x%016llx) (0MB)\n",
                     i, 0x2000ull * i, 0x2000ull * i + 0x1000);
    assert_int_equal(parse_efi_dmesg(text, &in, &pe), ERR_OK);
    assert_int_equal(in.count, 512);
    sprintf(p, "efi: mem512: type=7, attr=0xf, range=[0x%016llx-0x%016llx) (0MB)\n",
            0x2000ull * 512, 0x2000ull * 512 + 0x1000);
    efi_check_fails(parse_efi_dmesg, text, ERR_CAPACITY, 513, "512");
    free(text);
}

static err_t read_efi_dmesg(const char *text, struct e820_input *out, struct parse_error *err)
{
    return parse_efi(PARSE_FORM_EFI_DMESG, text, out, err);
}

static void a_crlf_capture_reads_the_same(void **state)
{
    (void)state;
    testutil_assert_crlf_same(read_efi_dmesg, DIR "dmesg-5.3-asus-zenbook-ux391fa.log");
    testutil_assert_crlf_same(read_efi_dmesg, DIR "dmesg-3.16-acer-aspire-v3-571g.log");
}

/* Descriptors of the real logs, checked against the lines by hand. */
static void real_logs_read_descriptor_by_descriptor(void **state)
{
    (void)state;
    char *t = testutil_read_file(DIR "dmesg-5.3-asus-zenbook-ux391fa.log", NULL);
    assert_int_equal(parse_efi_dmesg(t, &in, &pe), ERR_OK);
    free(t);
    assert_int_equal(in.count, 49);
    assert_desc(0, 7, 0, 1, WB);
    assert_desc(38, 7, 0x100000000, 0x37e000, WB);         /* 14304 MiB */
    assert_desc(39, 0, 0xa0000, 0x60, 0);                   /* out of order, no attributes */
    assert_desc(41, 0, 0x7a700000, 0x100, 0x070000000000000full);
    assert_desc(43, 11, 0xf0000000, 0x8000, EFI_MEMORY_RUNTIME | EFI_MEMORY_WP | EFI_MEMORY_WB |
                                               EFI_MEMORY_WT | EFI_MEMORY_UC);
    t = testutil_read_file(DIR "dmesg-4.0-hp-superdome2-16s.log", NULL);
    assert_int_equal(parse_efi_dmesg(t, &in, &pe), ERR_OK);
    free(t);
    assert_int_equal(in.count, 70);
    assert_desc(49, 7, 0xe000001000, 0xb3ffffff, WB);      /* 11796479 MiB */
    assert_desc(69, 11, 0xfe7e0000000, 0x20000, EFI_MEMORY_RUNTIME | EFI_MEMORY_UC);
    t = testutil_read_file(DIR "dmesg-3.16-acer-aspire-v3-571g.log", NULL);
    assert_int_equal(parse_efi_dmesg(t, &in, &pe), ERR_OK);
    free(t);
    assert_int_equal(in.count, 100);
    assert_desc(5, 6, 0x88000, 0x18, 0x800000000000000full);
    assert_desc(89, 0, 0xa0000, 0x20, 0);
    assert_desc(99, 11, 0xfff40000, 0xc0, 0x8000000000000000ull);
    t = testutil_read_file(DIR "dmesg-2.6-intel-mac-2006.log", NULL);
    assert_int_equal(parse_efi_dmesg(t, &in, &pe), ERR_OK);
    free(t);
    assert_int_equal(in.count, 35);
    assert_desc(4, 7, 0x3300000, 0x79350, 0xf);             /* 1939 MiB */
}

/* The strongest check of the conversion on real firmware: Linux printed, in the same boot,
 * the E820 table its EFI stub built from the same map. Sanitized, ours equals Linux's, but
 * where the two rule sets are known to differ (the stub ignores WB; see efi_memmap.c) and on
 * the HP, whose E820 table ELILO built (the command line shows it loaded the kernel) with the
 * runtime code typed unusable rather than reserved. */
static void real_logs_agree_with_the_e820_table_linux_printed(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        uint64_t differs_at; /* the one range where the tables may differ, 0 for none */
    } logs[] = {
        { DIR "dmesg-5.3-asus-zenbook-ux391fa.log", 0 },
        { DIR "dmesg-3.16-acer-aspire-v3-571g.log", 0 },
        { DIR "dmesg-4.0-hp-superdome2-16s.log", 0x790ff000 },
    };
    static struct e820_input efi, e820;
    static struct e820_entry a[MEMMAP_MAX], b[MEMMAP_MAX];
    static uint64_t scratch[MEMMAP_SCRATCH_BYTES(MEMMAP_RAW_MAX) / 8 + 1];
    for (size_t k = 0; k < sizeof logs / sizeof logs[0]; k++) {
        char *t = testutil_read_file(logs[k].file, NULL);
        assert_int_equal(parse_detect(t), PARSE_FORM_EFI_DMESG);
        assert_int_equal(parse_text(PARSE_FORM_EFI_DMESG, t, &efi, &pe), ERR_OK);
        assert_int_equal(parse_text(PARSE_FORM_DMESG, t, &e820, &pe), ERR_OK);
        free(t);
        struct memmap ma, mb;
        memmap_init(&ma, a, MEMMAP_MAX);
        memmap_init(&mb, b, MEMMAP_MAX);
        assert_int_equal(memmap_sanitize(&ma, efi.entry, NULL, efi.count, scratch,
                                         sizeof scratch, NULL), ERR_OK);
        assert_int_equal(memmap_sanitize(&mb, e820.entry, NULL, e820.count, scratch,
                                         sizeof scratch, NULL), ERR_OK);
        /* Compare type by type at every boundary of either map. */
        for (int side = 0; side < 2; side++) {
            const struct memmap *m = side ? &mb : &ma;
            for (uint32_t i = 0; i < m->count; i++) {
                uint64_t probe[2] = { m->entry[i].base, m->entry[i].base + m->entry[i].length - 1 };
                for (int j = 0; j < 2; j++) {
                    uint32_t ta = memmap_type_at(&ma, probe[j]), tb = memmap_type_at(&mb, probe[j]);
                    if (logs[k].differs_at && probe[j] >= logs[k].differs_at &&
                        probe[j] < logs[k].differs_at + 0x800000) {
                        assert_int_equal(ta, E820_TYPE_RESERVED); /* EFI runtime code */
                        assert_int_equal(tb, E820_TYPE_UNUSABLE);
                        continue;
                    }
                    if (ta != tb)
                        fail_msg("%s: at 0x%llx the EFI map says %u, Linux's E820 %u",
                                 logs[k].file, (unsigned long long)probe[j], ta, tb);
                }
            }
        }
        if (!logs[k].differs_at)
            assert_int_equal(ma.count, mb.count);
    }
}

/* Whatever the core prints (efi_memmap_format, a loader's serial log) reads back exactly,
 * for any descriptor: unknown types and attributes, zero pages, wrapping page counts,
 * unaligned starts. */
static void the_core_format_reads_back_exactly(void **state)
{
    (void)state;
    static const struct efi_memory_descriptor d[] = {
        { 7, 0, 0x100000, 0, 0x700, WB },
        { 5, 0, 0x7a317000, 0, 0xf7, 0x80000000001ff01full },
        { 16, 0, 0x1000, 0, 1, 0 },
        { 0xffffffff, 0, 0x1234, 0, 3, 0x070000000000000full },
        { 7, 0, 0x2000, 0, 0, WB },
        { 7, 0, 0x100000, 0, UINT64_MAX, WB },
        { 0, 0, 0xfffffffffffff000, 0, 1, 0 },
        { 0, 0, 0, 0, 1ull << 52, 0 },
        { 14, 0, 0x10000000000, 0, 0x123456789, WB | EFI_MEMORY_NV },
    };
    char text[4096];
    size_t len = 0;
    for (uint32_t i = 0; i < sizeof d / sizeof d[0]; i++) {
        len += (size_t)snprintf(text + len, sizeof text - len, "[    0.000000] efi: ");
        len += (size_t)efi_memmap_format(&d[i], i, text + len, sizeof text - len);
        text[len++] = '\n';
        text[len] = '\0';
    }
    assert_int_equal(parse_efi_dmesg(text, &in, &pe), ERR_OK);
    assert_int_equal(in.count, sizeof d / sizeof d[0]);
    for (uint32_t i = 0; i < in.count; i++)
        assert_desc(i, d[i].type, d[i].physical_start, d[i].number_of_pages, d[i].attribute);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(three_forms_and_their_prefixes),
        cmocka_unit_test(every_name_and_flag),
        cmocka_unit_test(invalid_lines_are_kept_for_the_core_to_drop),
        cmocka_unit_test(pages_recovered_from_a_wrapped_end),
        cmocka_unit_test(the_last_table_wins),
        cmocka_unit_test(broken_lines_name_their_line),
        cmocka_unit_test(more_than_512_descriptors_is_a_capacity_error),
        cmocka_unit_test(a_crlf_capture_reads_the_same),
        cmocka_unit_test(real_logs_read_descriptor_by_descriptor),
        cmocka_unit_test(real_logs_agree_with_the_e820_table_linux_printed),
        cmocka_unit_test(the_core_format_reads_back_exactly),
    };
    return cmocka_run_group_tests_name("inspector_efi_dmesg", tests, NULL, NULL);
}
