/* test_inspector_efi_shell.c: the reader of the UEFI Shell's memmap: EDK2's table with its
 * short names, -sfo with the full names, EFI 1.x's lower-case names, OEM types, summaries,
 * repeated runs, broken lines, and the real captures of tests/fixtures/efi, one checked
 * against the totals the shell printed under its table, one against the same machine's map
 * as Linux printed it. */
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

static struct efi_input in;
static struct parse_error pe;

#define assert_desc(...) efi_check_desc(&in, __VA_ARGS__)

/* Every name EDK2 prints in the table, and every full name of -sfo, give the same types. */
static void edk2_short_and_full_names(void **state)
{
    (void)state;
    static const struct {
        const char *table, *sfo;
        uint32_t type;
    } n[] = {
        { "Reserved", "Reserved", 0 },         { "LoaderCode", "LoaderCode", 1 },
        { "LoaderData", "LoaderData", 2 },     { "BS_Code", "BootServiceCode", 3 },
        { "BS_Data", "BootServiceData", 4 },   { "RT_Code", "RuntimeCode", 5 },
        { "RT_Data", "RuntimeData", 6 },       { "Available", "Available", 7 },
        { "Unusable", "UnusableMemory", 8 },   { "ACPI_Recl", "ACPIReclaimMemory", 9 },
        { "ACPI_NVS", "ACPIMemoryNVS", 10 },   { "MMIO", "MemoryMappedIO", 11 },
        { "MMIO_Port", "MemoryMappedIOPortSpace", 12 }, { "PalCode", "PalCode", 13 },
        { "Persistent", "Persistent", 14 },    { "Unaccepted", "Unaccepted", 15 },
    };
    char text[512];
    for (size_t i = 0; i < sizeof n / sizeof n[0]; i++) {
        snprintf(text, sizeof text,
                 "Type       Start            End              # Pages          Attributes\n"
                 "%-10s 0000000000100000-00000000001FFFFF 0000000000000100 800000000000000F\n",
                 n[i].table);
        assert_int_equal(parse_efi_shell(text, &in, &pe), ERR_OK);
        assert_int_equal(in.count, 1);
        assert_desc(0, n[i].type, 0x100000, 0x100, 0x800000000000000full);
        snprintf(text, sizeof text, "ShellCommand,\"memmap\"\n"
                 "MemoryMap,\"%s\",\"100000\",\"1FFFFF\",\"100\",\"800000000000000F\"\n"
                 "MemoryMapSummary,\"1048576\",\"0\",\"0\",\"0\",\"0\",\"0\",\"0\",\"0\",\"0\","
                 "\"0\",\"0\",\"0\",\"0\",\"0\",\"0\",\"0\", \"0\"\n", n[i].sfo);
        assert_int_equal(parse_efi_shell(text, &in, &pe), ERR_OK);
        assert_int_equal(in.count, 1);
        assert_desc(0, n[i].type, 0x100000, 0x100, 0x800000000000000full);
    }
}

/* EFI 1.x: lower-case names, its own words for MMIO and PAL code, unpadded numbers, and
 * "Unkown-Desc-Type" (sic) for any type past PAL code. EDK2: OEM types as %08x. */
static void efi1_names_and_oem_types(void **state)
{
    (void)state;
    const char *text =
        "Type      Start            End               # Pages          Attributes\n"
        "reserved   0-FFF  1 F\n"
        "BS_code    1000-1FFF  1 F\n"
        "BS_data    2000-2FFF  1 F\n"
        "RT_code    3000-3FFF  1 800000000000000F\n"
        "RT_data    4000-4FFF  1 800000000000000F\n"
        "available  5000-5FFF  1 F\n"
        "ACPI_recl  6000-6FFF  1 F\n"
        "MemMapIO   7000-7FFF  1 8000000000000001\n"
        "MemPortIO  8000-8FFF  1 8000000000000001\n"
        "PAL_code   9000-9FFF  1 F\n"
        "Unkown-Desc-Type A000-AFFF  1 F\n"
        "70000001   000000000000B000-000000000000BFFF 0000000000000001 000000000000000F\n"
        "80000000   000000000000C000-000000000000CFFF 0000000000000001 000000000000000F\n";
    assert_int_equal(parse_efi_shell(text, &in, &pe), ERR_OK);
    static const uint32_t types[] = { 0, 3, 4, 5, 6, 7, 9, 11, 12, 13, 0xffffffff, 0x70000001,
                                      0x80000000 };
    assert_int_equal(in.count, 13);
    for (uint32_t i = 0; i < 13; i++)
        assert_int_equal(in.desc[i].type, types[i]);
    assert_desc(7, 11, 0x7000, 1, 0x8000000000000001ull);
}

/* A capture holds the prompt, summaries, page breaks and maybe several runs: the last table
 * wins, and a serial logger's prefix before the type is ignored. */
static void prompts_summaries_and_repeated_runs(void **state)
{
    (void)state;
    const char *text =
        "Shell> memmap\n"
        "Type       Start            End              # Pages          Attributes\n"
        "Available  0000000000000000-0000000000000FFF 0000000000000001 000000000000000F\n"
        "\n"
        "  Available :              1 Pages (4,096 Bytes)\n"
        "Total Memory:              0 MB (4,096 Bytes)\n"
        "Shell> memmap -b\n"
        "Type       Start            End              # Pages          Attributes\n"
        "[12.345] BS_Data    0000000000001000-0000000000002FFF 0000000000000002 000000000000000F\n"
        "Press ENTER to continue or 'Q' break:\n"
        "  BS_Data   :              2 Pages (8,192 Bytes)\n"
        "  7000000A  :              0 Pages (0 Bytes)\n";
    assert_int_equal(parse_efi_shell(text, &in, &pe), ERR_OK);
    assert_int_equal(in.count, 1);
    assert_desc(0, 4, 0x1000, 2, 0xf);
}

static void broken_lines_name_their_line(void **state)
{
    (void)state;
    static const struct efi_check_case cases[] = {
        { "Bogus      0000000000001000-0000000000001FFF 0000000000000001 000000000000000F",
          "unknown memory type 'Bogus'" },
        { "Available  0000000000001000-0000000000002FFF 0000000000000001 000000000000000F",
          "does not match" },
        { "Available  0000000000001000-0000000000001FFF 0000000000000001 000000000000000F xx",
          "after the attributes" },
        { "Available  0000000000001000-0000000000001FFF 0000000000000001", "malformed memmap" },
        { "Available  00000000000010000-0000000000001FFF 0000000000000001 F", "malformed" },
        { "MemoryMap,\"Available\",\"1000\",\"1FFF\",\"1\"", "malformed memmap -sfo" },
        { "MemoryMap,\"Available\",\"1000\",\"1FFF\",\"1\",\"F\" trailing", "after the" },
    };
    efi_check_broken_lines(parse_efi_shell, "Type       Start            End              "
                           "# Pages          Attributes\n", cases, sizeof cases / sizeof cases[0]);
    efi_check_fails(parse_efi_shell, "Shell> memmap\nmemmap: Unable to get memory map\n",
                    ERR_BAD_FORMAT, 0, "no memmap table");
}

static err_t read_efi_shell(const char *text, struct e820_input *out, struct parse_error *err)
{
    return parse_efi(PARSE_FORM_EFI_SHELL, text, out, err);
}

static void a_crlf_capture_reads_the_same(void **state)
{
    (void)state;
    testutil_assert_crlf_same(read_efi_shell, DIR "shell-edk2-ovmf-128m.txt");
    testutil_assert_crlf_same(read_efi_shell, DIR "shell-efi1-intel-mac-2006.txt");
}

/* OVMF under QEMU, 117 descriptors: the shell printed its own totals under the table, an
 * oracle independent of this code. Every type there has WB (attribute 0xF), so usable bytes
 * = (Available + BS_Code + BS_Data + LoaderCode + LoaderData) pages; reserved = Reserved +
 * RT_Code + RT_Data + MMIO pages; the ACPI ones are their own. */
static void ovmf_capture_matches_the_totals_the_shell_printed(void **state)
{
    (void)state;
    static struct e820_input out;
    static struct e820_entry sane[MEMMAP_MAX];
    static uint64_t scratch[MEMMAP_SCRATCH_BYTES(MEMMAP_RAW_MAX) / 8 + 1];
    char *t = testutil_read_file(DIR "shell-edk2-ovmf-128m.txt", NULL);
    assert_int_equal(parse_detect(t), PARSE_FORM_EFI_SHELL);
    assert_int_equal(parse_efi_shell(t, &in, &pe), ERR_OK);
    assert_int_equal(in.count, 117);
    assert_desc(116, 11, 0xffc00000, 0x400, 0x8000000000000001ull);
    assert_int_equal(parse_text(PARSE_FORM_EFI_SHELL, t, &out, &pe), ERR_OK);
    free(t);
    struct memmap m;
    memmap_init(&m, sane, MEMMAP_MAX);
    assert_int_equal(memmap_sanitize(&m, out.entry, NULL, out.count, scratch, sizeof scratch,
                                     NULL), ERR_OK);
    assert_int_equal(memmap_usable_bytes(&m), (22674ull + 670 + 7819 + 209 + 0) * 4096);
    assert_int_equal(memmap_bytes_of_type(&m, E820_TYPE_RESERVED),
                     (128ull + 256 + 388 + 1024) * 4096);
    assert_int_equal(memmap_bytes_of_type(&m, E820_TYPE_ACPI), 16ull * 4096);
    assert_int_equal(memmap_bytes_of_type(&m, E820_TYPE_NVS), 512ull * 4096);
}

/* The EFI 1.x shell's map of an Intel Mac and the map Linux 2.6.17 printed on the same
 * machine differ descriptor by descriptor (the boot loader allocated in between), yet every
 * difference is between usable types: sanitized, the two are the same map. */
static void intel_mac_shell_and_linux_give_the_same_map(void **state)
{
    (void)state;
    static struct e820_input a, b;
    static struct e820_entry sa[MEMMAP_MAX], sb[MEMMAP_MAX];
    static uint64_t scratch[MEMMAP_SCRATCH_BYTES(MEMMAP_RAW_MAX) / 8 + 1];
    char *t = testutil_read_file(DIR "shell-efi1-intel-mac-2006.txt", NULL);
    assert_int_equal(parse_detect(t), PARSE_FORM_EFI_SHELL);
    assert_int_equal(parse_text(PARSE_FORM_EFI_SHELL, t, &a, &pe), ERR_OK);
    free(t);
    t = testutil_read_file(DIR "dmesg-2.6-intel-mac-2006.log", NULL);
    assert_int_equal(parse_detect(t), PARSE_FORM_EFI_DMESG);
    assert_int_equal(parse_text(PARSE_FORM_EFI_DMESG, t, &b, &pe), ERR_OK);
    free(t);
    assert_int_equal(a.count, 33);
    assert_int_equal(b.count, 35);
    struct memmap ma, mb;
    memmap_init(&ma, sa, MEMMAP_MAX);
    memmap_init(&mb, sb, MEMMAP_MAX);
    assert_int_equal(memmap_sanitize(&ma, a.entry, NULL, a.count, scratch, sizeof scratch,
                                     NULL), ERR_OK);
    assert_int_equal(memmap_sanitize(&mb, b.entry, NULL, b.count, scratch, sizeof scratch,
                                     NULL), ERR_OK);
    assert_int_equal(ma.count, 18);
    testutil_assert_entries(ma.entry, ma.count, mb.entry, mb.count);
    /* and by hand: RAM to the RT code at 0x7ee49000, ACPI NVS in the middle of it */
    static const struct e820_entry head[] = {
        { 0x0, 0x8f000, 1, 0 },         { 0x8f000, 0x1000, 4, 0 },
        { 0x90000, 0x10000, 1, 0 },     { 0x100000, 0x7dfd1000, 1, 0 },
        { 0x7e0d1000, 0x201000, 4, 0 }, { 0x7e2d2000, 0xb77000, 1, 0 },
        { 0x7ee49000, 0x26000, 2, 0 },
    };
    testutil_assert_entries(ma.entry, 7, head, 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(edk2_short_and_full_names),
        cmocka_unit_test(efi1_names_and_oem_types),
        cmocka_unit_test(prompts_summaries_and_repeated_runs),
        cmocka_unit_test(broken_lines_name_their_line),
        cmocka_unit_test(a_crlf_capture_reads_the_same),
        cmocka_unit_test(ovmf_capture_matches_the_totals_the_shell_printed),
        cmocka_unit_test(intel_mac_shell_and_linux_give_the_same_map),
    };
    return cmocka_run_group_tests_name("inspector_efi_shell", tests, NULL, NULL);
}
