/* test_multiboot.c: the Multiboot core against hand-made headers and maps: the version 1 and
 * 2 headers found or refused with their reasons, the a.out address fields judged against
 * the file, the map a Multiboot kernel gets (loader types back to available, byte-exact),
 * mem_lower/upper, both information structures read back field by field at the offsets the
 * specifications give, and a relocatable image placed low, high or not at all. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "fake_storage.h"
#include "frames.h"
#include "le.h"
#include "memmap.h"
#include "multiboot.h"

#define MiB 0x100000ull

static uint8_t file[40000];
static struct mb_header h;

static void put32(uint32_t off, uint32_t v)
{
    le_write32(file + off, v);
}

/* A Multiboot 1 header at `off`: magic, flags, checksum, then `n` more words. */
static void mb1_at(uint32_t off, uint32_t flags, const uint32_t *more, unsigned n)
{
    put32(off, MB1_HEADER_MAGIC);
    put32(off + 4, flags);
    put32(off + 8, (uint32_t)-(MB1_HEADER_MAGIC + flags));
    for (unsigned i = 0; i < n; i++)
        put32(off + 12 + 4 * i, more[i]);
}

static void mb1_header_is_found_aligned_in_the_first_8k(void **state)
{
    (void)state;
    memset(file, 0, sizeof(file));
    assert_int_equal(mb1_header_parse(file, sizeof(file), sizeof(file), &h), ERR_NOT_FOUND);
    assert_int_equal(h.found, MB_NONE);

    /* unaligned: not a header */
    mb1_at(0x102, 3, NULL, 0);
    assert_int_equal(mb1_header_parse(file, sizeof(file), sizeof(file), &h), ERR_NOT_FOUND);
    memset(file, 0, sizeof(file));
    /* past 8 KiB: not searched */
    mb1_at(8192, 3, NULL, 0);
    assert_int_equal(mb1_header_parse(file, sizeof(file), sizeof(file), &h), ERR_NOT_FOUND);
    /* the last place it fits */
    mb1_at(8192 - 12, 3, NULL, 0);
    assert_int_equal(mb1_header_parse(file, sizeof(file), sizeof(file), &h), ERR_OK);
    assert_int_equal(h.found, MB_HEADER);
    assert_int_equal(h.offset, 8192 - 12);
    assert_true(h.page_align_modules);
    assert_false(h.has_addr);
    assert_false(h.video);
    /* a file shorter than the window is searched only as far as it goes */
    assert_int_equal(mb1_header_parse(file, sizeof(file), 8000, &h), ERR_NOT_FOUND);
}

static void mb1_bad_checksum_is_broken_and_said(void **state)
{
    (void)state;
    memset(file, 0, sizeof(file));
    mb1_at(0x40, 3, NULL, 0);
    put32(0x48, 0x1234);
    assert_int_equal(mb1_header_parse(file, sizeof(file), sizeof(file), &h), ERR_NOT_FOUND);
    assert_int_equal(h.found, MB_BROKEN);
    assert_int_equal(h.offset, 0x40);
    assert_non_null(strstr(h.reason, "Multiboot 1 header at 0x40: bad checksum"));
    /* a valid header later wins over a broken one */
    mb1_at(0x80, 2, NULL, 0);
    assert_int_equal(mb1_header_parse(file, sizeof(file), sizeof(file), &h), ERR_OK);
    assert_int_equal(h.offset, 0x80);
}

static void mb1_unknown_required_flag_is_named(void **state)
{
    (void)state;
    memset(file, 0, sizeof(file));
    mb1_at(0, (1u << 5) | 3u, NULL, 0);
    assert_int_equal(mb1_header_parse(file, sizeof(file), sizeof(file), &h), ERR_UNSUPPORTED);
    assert_int_equal(h.found, MB_HEADER);
    assert_non_null(strstr(h.reason, "flag bit 5 is required but not supported"));
    /* optional bits above 16 (other than the a.out one) are ignored */
    mb1_at(0, (1u << 20) | 3u, NULL, 0);
    assert_int_equal(mb1_header_parse(file, sizeof(file), sizeof(file), &h), ERR_OK);
}

static void mb1_video_fields(void **state)
{
    const uint32_t more[9] = { 0, 0, 0, 0, 0, 0, 1024, 768, 32 };
    (void)state;
    memset(file, 0, sizeof(file));
    mb1_at(0x10, MB1_FLAG_VIDEO, more, 9);
    assert_int_equal(mb1_header_parse(file, sizeof(file), sizeof(file), &h), ERR_OK);
    assert_true(h.video);
    assert_false(h.video_text);
    assert_int_equal(h.width, 1024);
    assert_int_equal(h.height, 768);
    assert_int_equal(h.depth, 32);
    /* the mode fields past the file's end */
    assert_int_equal(mb1_header_parse(file, 0x10 + 40, 0x10 + 40, &h), ERR_TRUNCATED);
    assert_non_null(strstr(h.reason, "run past"));
}

/* The a.out kludge: the header at file offset 0x200, linked at 1 MiB + 0x200. */
static err_t aout(uint32_t header_addr, uint32_t load, uint32_t load_end, uint32_t bss_end,
                  uint32_t entry, uint64_t size)
{
    const uint32_t more[5] = { header_addr, load, load_end, bss_end, entry };
    memset(file, 0, sizeof(file));
    mb1_at(0x200, MB1_FLAG_AOUT | 3u, more, 5);
    return mb1_header_parse(file, sizeof(file), size, &h);
}

static void mb1_aout_fields_against_the_file(void **state)
{
    struct elf_info img;
    (void)state;
    assert_int_equal(aout(0x100200, 0x100000, 0x105000, 0x108000, 0x100220, 0x6000), ERR_OK);
    assert_true(h.has_addr);
    assert_int_equal(h.text_offset, 0);
    assert_int_equal(h.load_addr, 0x100000);
    assert_int_equal(h.load_size, 0x5000);
    assert_int_equal(h.mem_size, 0x8000);
    mb_aout_image(&h, &img);
    assert_int_equal(img.err, ERR_OK);
    assert_int_equal(img.seg_count, 1);
    assert_int_equal(img.seg[0].paddr, 0x100000);
    assert_int_equal(img.seg[0].offset, 0);
    assert_int_equal(img.seg[0].filesz, 0x5000);
    assert_int_equal(img.seg[0].memsz, 0x8000);
    assert_int_equal(img.entry_phys, 0x100220);
    assert_int_equal(img.paddr_hi, 0x108000);

    /* load_end 0: the rest of the file; bss_end 0: none. The header 0x100 into the text. */
    assert_int_equal(aout(0x100100, 0x100000, 0, 0, 0x100000, 0x3000), ERR_OK);
    assert_int_equal(h.text_offset, 0x100);
    assert_int_equal(h.load_size, 0x3000 - 0x100);
    assert_int_equal(h.mem_size, 0x3000 - 0x100);

    /* each inconsistency, with its reason */
    assert_int_equal(aout(0x100000, 0x100200, 0, 0, 0x100200, 0x3000), ERR_BAD_FORMAT);
    assert_non_null(strstr(h.reason, "load_addr 0x100200 is above header_addr 0x100000"));
    assert_int_equal(aout(0x100400, 0x100000, 0, 0, 0x100000, 0x3000), ERR_BAD_FORMAT);
    assert_non_null(strstr(h.reason, "before the file"));
    assert_int_equal(aout(0x100200, 0x100000, 0xff000, 0, 0x100000, 0x3000), ERR_BAD_FORMAT);
    assert_non_null(strstr(h.reason, "load_end_addr 0xff000 is below load_addr"));
    assert_int_equal(aout(0x100200, 0x100000, 0x110000, 0, 0x100000, 0x3000), ERR_TRUNCATED);
    assert_non_null(strstr(h.reason, "past the end of the"));
    assert_int_equal(aout(0x100200, 0x100000, 0x102000, 0x101000, 0x100000, 0x3000),
                     ERR_BAD_FORMAT);
    assert_non_null(strstr(h.reason, "bss_end_addr 0x101000 is below"));
    assert_int_equal(aout(0x100200, 0x100000, 0x102000, 0x104000, 0x104000, 0x3000),
                     ERR_BAD_FORMAT);
    assert_non_null(strstr(h.reason, "entry_addr 0x104000 lies outside the image"));
    assert_int_equal(aout(0xfffff200, 0xfffff000, 0, 0, 0xfffff000, 0x3000), ERR_OVERFLOW);
    assert_non_null(strstr(h.reason, "runs past 4 GiB"));
    assert_int_equal(aout(0, 0, 0, 0, 0, 0x3000), ERR_BAD_FORMAT);
}

/* ---- Multiboot 2 ---- */

static uint32_t mb2_pos, mb2_start;

static void mb2_begin(uint32_t off)
{
    memset(file, 0, sizeof(file));
    mb2_start = off;
    mb2_pos = off + 16;
}

/* A tag: type, flags, then its 32-bit fields. */
static void mb2_tag(uint16_t type, uint16_t flags, const uint32_t *f, unsigned n)
{
    uint32_t size = 8 + 4 * n;
    le_write16(file + mb2_pos, type);
    le_write16(file + mb2_pos + 2, flags);
    put32(mb2_pos + 4, size);
    for (unsigned i = 0; i < n; i++)
        put32(mb2_pos + 8 + 4 * i, f[i]);
    mb2_pos += (size + 7) & ~7u;
}

static err_t mb2_end(uint32_t arch)
{
    uint32_t len;
    mb2_tag(0, 0, NULL, 0);
    len = mb2_pos - mb2_start;
    put32(mb2_start, MB2_HEADER_MAGIC);
    put32(mb2_start + 4, arch);
    put32(mb2_start + 8, len);
    put32(mb2_start + 12, (uint32_t)-(MB2_HEADER_MAGIC + arch + len));
    return mb2_header_parse(file, sizeof(file), sizeof(file), &h);
}

static void mb2_header_and_every_tag(void **state)
{
    const uint32_t req[] = { MB2_TAG_MMAP, MB2_TAG_CMDLINE, MB2_TAG_ACPI_NEW, MB2_TAG_EFI64 };
    const uint32_t entry[] = { 0x200040 };
    const uint32_t console[] = { 3 };
    const uint32_t fb[] = { 800, 600, 32 };
    const uint32_t reloc[] = { 0x200000, 0x40000000, 0x200000, MB2_RELOC_HIGH };
    const uint32_t efi[] = { 0x123 };
    (void)state;

    mb2_begin(0x1008);
    mb2_tag(MB2_HTAG_INFO_REQUEST, 0, req, 4);
    mb2_tag(MB2_HTAG_ENTRY, 0, entry, 1);
    mb2_tag(MB2_HTAG_CONSOLE, 0, console, 1);
    mb2_tag(MB2_HTAG_FRAMEBUFFER, 1, fb, 3);
    mb2_tag(MB2_HTAG_MODULE_ALIGN, 0, NULL, 0);
    mb2_tag(MB2_HTAG_EFI_BS, 0, NULL, 0);
    mb2_tag(MB2_HTAG_ENTRY_EFI64, 0, efi, 1);
    mb2_tag(MB2_HTAG_RELOCATABLE, 0, reloc, 4);
    mb2_tag(77, MB2_HTAG_OPTIONAL, efi, 1); /* unknown, optional */
    assert_int_equal(mb2_end(0), ERR_OK);
    assert_int_equal(h.found, MB_HEADER);
    assert_int_equal(h.offset, 0x1008);
    assert_true(h.has_entry);
    assert_int_equal(h.entry_addr, 0x200040);
    assert_false(h.has_addr);
    assert_true(h.console);
    assert_int_equal(h.console_flags, 3);
    assert_true(h.video);
    assert_int_equal(h.width, 800);
    assert_int_equal(h.depth, 32);
    assert_true(h.page_align_modules);
    assert_true(h.relocatable);
    assert_int_equal(h.min_addr, 0x200000);
    assert_int_equal(h.max_addr, 0x40000000);
    assert_int_equal(h.align, 0x200000);
    assert_int_equal(h.preference, MB2_RELOC_HIGH);
    assert_int_equal(h.requests, (1u << MB2_TAG_MMAP) | (1u << MB2_TAG_CMDLINE) |
                                     (1u << MB2_TAG_ACPI_NEW) | (1u << MB2_TAG_EFI64));
    assert_int_equal(h.ignored, 3);
}

static void mb2_refusals_name_what(void **state)
{
    const uint32_t req[] = { MB2_TAG_CMDLINE, MB2_TAG_ELF_SECTIONS };
    const uint32_t word[] = { 1 };
    (void)state;

    /* a required tag of a type this loader does not know */
    mb2_begin(0);
    mb2_tag(42, 0, word, 1);
    assert_int_equal(mb2_end(0), ERR_UNSUPPORTED);
    assert_int_equal(h.found, MB_HEADER);
    assert_non_null(strstr(h.reason, "tag type 42 (unknown) is marked required"));
    /* a required information request this loader does not provide */
    mb2_begin(0);
    mb2_tag(MB2_HTAG_INFO_REQUEST, 0, req, 2);
    assert_int_equal(mb2_end(0), ERR_UNSUPPORTED);
    assert_non_null(strstr(h.reason, "information request for tag 9 (ELF symbols)"));
    /* the same request, optional: fine */
    mb2_begin(0);
    mb2_tag(MB2_HTAG_INFO_REQUEST, MB2_HTAG_OPTIONAL, req, 2);
    assert_int_equal(mb2_end(0), ERR_OK);
    /* another architecture */
    mb2_begin(0);
    assert_int_equal(mb2_end(4), ERR_UNSUPPORTED);
    assert_non_null(strstr(h.reason, "architecture 4 is not i386"));
    /* a bad checksum */
    mb2_begin(8);
    assert_int_equal(mb2_end(0), ERR_OK);
    put32(8 + 12, 0);
    assert_int_equal(mb2_header_parse(file, sizeof(file), sizeof(file), &h), ERR_NOT_FOUND);
    assert_int_equal(h.found, MB_BROKEN);
    assert_non_null(strstr(h.reason, "Multiboot 2 header at 0x8: bad checksum"));
    /* not 8-aligned: not a header at all */
    mb2_begin(4);
    assert_int_equal(mb2_end(0), ERR_NOT_FOUND);
    assert_int_equal(h.found, MB_NONE);
    /* a tag whose size runs out of the header */
    mb2_begin(0);
    mb2_tag(MB2_HTAG_MODULE_ALIGN, 0, NULL, 0);
    put32(16 + 4, 400);
    assert_int_equal(mb2_end(0), ERR_TRUNCATED);
    assert_non_null(strstr(h.reason, "runs out of the header"));
    /* a tag too short for its fields */
    mb2_begin(0);
    mb2_tag(MB2_HTAG_RELOCATABLE, 0, word, 1);
    assert_int_equal(mb2_end(0), ERR_TRUNCATED);
    assert_non_null(strstr(h.reason, "relocatable tag of 12 bytes, needs 24"));
    /* a relocatable tag that contradicts itself */
    {
        const uint32_t r[] = { 0x400000, 0x200000, 0x1000, 0 };
        mb2_begin(0);
        mb2_tag(MB2_HTAG_RELOCATABLE, 0, r, 4);
        assert_int_equal(mb2_end(0), ERR_BAD_FORMAT);
    }
    /* an address tag needs an entry address tag */
    {
        const uint32_t a[] = { 0x100000, 0x100000, 0, 0 };
        mb2_begin(0);
        mb2_tag(MB2_HTAG_ADDRESS, 0, a, 4);
        assert_int_equal(mb2_end(0), ERR_BAD_FORMAT);
        assert_non_null(strstr(h.reason, "without an entry address tag"));
    }
    /* no end tag: the header length stops the walk */
    mb2_begin(0);
    put32(0, MB2_HEADER_MAGIC);
    put32(8, 24);
    put32(12, (uint32_t)-(MB2_HEADER_MAGIC + 24));
    le_write16(file + 16, MB2_HTAG_MODULE_ALIGN);
    put32(20, 8);
    assert_int_equal(mb2_header_parse(file, sizeof(file), sizeof(file), &h), ERR_TRUNCATED);
    assert_non_null(strstr(h.reason, "no end tag"));
    assert_string_equal(mb2_info_tag_name(MB2_TAG_ACPI_NEW), "ACPI new RSDP");
    assert_string_equal(mb2_info_tag_name(99), "unknown");
    assert_string_equal(mb2_header_tag_name(MB2_HTAG_RELOCATABLE), "relocatable");
}

static void mb2_address_tag_loads_from_the_file(void **state)
{
    const uint32_t entry[] = { 0x100010 };
    (void)state;
    /* load_addr -1: from the file's first byte; header 0x1000 into the file */
    {
        const uint32_t a[] = { 0x101000, 0xffffffffu, 0x104000, 0x106000 };
        mb2_begin(0x1000);
        mb2_tag(MB2_HTAG_ADDRESS, 0, a, 4);
        mb2_tag(MB2_HTAG_ENTRY, 0, entry, 1);
        assert_int_equal(mb2_end(0), ERR_OK);
        assert_int_equal(h.load_addr, 0x100000);
        assert_int_equal(h.text_offset, 0);
        assert_int_equal(h.load_size, 0x4000);
        assert_int_equal(h.mem_size, 0x6000);
    }
    {
        const uint32_t a[] = { 0x101000, 0x100800, 0x102000, 0 };
        mb2_begin(0x1000);
        mb2_tag(MB2_HTAG_ADDRESS, 0, a, 4);
        mb2_tag(MB2_HTAG_ENTRY, 0, entry, 1);
        assert_int_equal(mb2_end(0), ERR_BAD_FORMAT); /* entry below load_addr */
        assert_non_null(strstr(h.reason, "entry_addr 0x100010 lies outside"));
    }
}

/* ---- the map, and the structures ---- */

/* The final map of a q35 boot as the loader leaves it, loader types written back. */
static struct e820_entry final_map[] = {
    { 0, 0x80000, E820_TYPE_LOADER_RECLAIMABLE, 0 },
    { 0x80000, 0x1fc00, 1, 0 },
    { 0x9fc00, 0x400, 2, 0 },
    { 0xf0000, 0x10000, 2, 0 },
    { 0x100000, 0xa000, E820_TYPE_KERNEL, 0 },
    { 0x10a000, 0x3000, E820_TYPE_FRAME_BITMAP, 0 },
    { 0x10d000, 0x1000, E820_TYPE_BOOT_INFO, 0 },
    { 0x10e000, 0x1000000, E820_TYPE_BOOT_HEAP, 0 },
    { 0x110e000, 0x6ed1000, 1, 0 },
    { 0x7fdf000, 0x21000, 2, 0 },
    { 0xb0000000, 0x10000000, 2, 0 },
    { 0x100000000ull, 0x40000000, 1, 0 },
    { 0xfd00000000ull, 0x300000000ull, 2, 0 },
};
static const struct memmap final = { final_map, 13, 13 };

/* What the firmware said, which the Multiboot map must be entry for entry. */
static const struct e820_entry firmware[] = {
    { 0, 0x9fc00, 1, 0 },
    { 0x9fc00, 0x400, 2, 0 },
    { 0xf0000, 0x10000, 2, 0 },
    { 0x100000, 0x7edf000, 1, 0 },
    { 0x7fdf000, 0x21000, 2, 0 },
    { 0xb0000000, 0x10000000, 2, 0 },
    { 0x100000000ull, 0x40000000, 1, 0 },
    { 0xfd00000000ull, 0x300000000ull, 2, 0 },
};

static void the_map_is_the_firmware_s(void **state)
{
    struct e820_entry e;
    uint32_t i = 0, n = 0, lower, upper;
    (void)state;
    while (mb_map_next(&final, &i, &e)) {
        assert_true(n < 8);
        assert_int_equal(e.base, firmware[n].base);
        assert_int_equal(e.length, firmware[n].length);
        assert_int_equal(e.type, firmware[n].type);
        n++;
    }
    assert_int_equal(n, 8);
    mb_mem_lower_upper(&final, &lower, &upper);
    assert_int_equal(lower, 0x9fc00 >> 10);
    assert_int_equal(upper, 0x7edf000 >> 10);
    /* nothing usable at 0 or at 1 MiB */
    {
        struct e820_entry m2[] = { { 0, 0x1000, 2, 0 }, { 0x200000, 0x100000, 1, 0 } };
        struct memmap mm = { m2, 2, 2 };
        mb_mem_lower_upper(&mm, &lower, &upper);
        assert_int_equal(lower, 0);
        assert_int_equal(upper, 0);
    }
    assert_false(mb_map_next(NULL, &i, &e));
}

static const uint8_t rsdp2[36] = "RSD PTR ?OEMID \x02 ...36 bytes here!";
static const struct mb_module mods[2] = {
    { 0x2000000, 0x2000123, "first module" },
    { 0x2001000, 0x2001000, "" },
};
static const struct mb_framebuffer ega = { .addr = 0xb8000, .pitch = 160, .width = 80,
                                           .height = 25, .bpp = 16, .type = MB_FB_EGA_TEXT };

static struct mb_info_in info_in(void)
{
    return (struct mb_info_in){
        .map = &final, .cmdline = "root=x \"q\"", .loader_name = "MultiOS 0.1.0",
        .modules = mods, .module_count = 2, .boot_drive = 0x80, .boot_partition = 0,
        .fb = &ega, .rsdp = rsdp2, .rsdp_length = 36, .load_base = 0x100000,
    };
}

static uint8_t out[8192];
#define PHYS 0x10d000u

static const char *str_at(uint32_t phys)
{
    assert_true(phys >= PHYS && phys < PHYS + sizeof(out));
    return (const char *)out + (phys - PHYS);
}

static void mb1_info_fields(void **state)
{
    struct mb_info_in in = info_in();
    uint64_t need = 0, used = 0;
    (void)state;

    assert_int_equal(mb1_info_build(NULL, 0, PHYS, &in, &need), ERR_OK);
    memset(out, 0xa5, sizeof(out));
    assert_int_equal(mb1_info_build(out, need - 1, PHYS, &in, &used), ERR_CAPACITY);
    assert_int_equal(mb1_info_build(out, sizeof(out), PHYS, &in, &used), ERR_OK);
    assert_int_equal(used, need);
    assert_int_equal(le_read32(out + 0), MB1_INFO_MEMORY | MB1_INFO_BOOTDEV | MB1_INFO_CMDLINE |
                                             MB1_INFO_MODS | MB1_INFO_MEM_MAP |
                                             MB1_INFO_LOADER_NAME | MB1_INFO_FRAMEBUFFER);
    assert_int_equal(le_read32(out + 4), 639);
    assert_int_equal(le_read32(out + 8), 0x7edf000 >> 10);
    assert_int_equal(le_read32(out + 12), 0x8000ffffu);
    assert_string_equal(str_at(le_read32(out + 16)), "root=x \"q\"");
    assert_int_equal(le_read32(out + 20), 2);
    for (int i = 0; i < 2; i++) {
        const uint8_t *m = out + (le_read32(out + 24) - PHYS) + 16 * i;
        assert_int_equal(le_read32(m), mods[i].start);
        assert_int_equal(le_read32(m + 4), mods[i].end);
        assert_string_equal(str_at(le_read32(m + 8)), mods[i].cmdline);
        assert_int_equal(le_read32(m + 12), 0);
    }
    /* the syms, drives, config table, APM and VBE words are 0 */
    for (unsigned off = 28; off < 44; off++)
        assert_int_equal(out[off], 0);
    for (unsigned off = 52; off < 64; off++)
        assert_int_equal(out[off], 0);
    for (unsigned off = 68; off < 88; off++)
        assert_int_equal(out[off], 0);
    assert_string_equal(str_at(le_read32(out + 64)), "MultiOS 0.1.0");
    /* the map: `size` 20 each, the firmware's entries */
    assert_int_equal(le_read32(out + 44), 8 * 24);
    {
        const uint8_t *e = out + (le_read32(out + 48) - PHYS);
        for (int i = 0; i < 8; i++, e += 24) {
            assert_int_equal(le_read32(e), 20);
            assert_int_equal(le_read64(e + 4), firmware[i].base);
            assert_int_equal(le_read64(e + 12), firmware[i].length);
            assert_int_equal(le_read32(e + 20), firmware[i].type);
        }
    }
    assert_int_equal(le_read64(out + 88), 0xb8000);
    assert_int_equal(le_read32(out + 96), 160);
    assert_int_equal(le_read32(out + 100), 80);
    assert_int_equal(le_read32(out + 104), 25);
    assert_int_equal(out[108], 16);
    assert_int_equal(out[109], MB_FB_EGA_TEXT);

    /* no framebuffer, no partition; crossing 4 GiB */
    in.fb = NULL;
    in.boot_partition = 0xffffffffu;
    assert_int_equal(mb1_info_build(out, sizeof(out), PHYS, &in, &used), ERR_OK);
    assert_int_equal(le_read32(out) & MB1_INFO_FRAMEBUFFER, 0);
    assert_int_equal(le_read32(out + 12), 0x80ffffffu);
    assert_int_equal(mb1_info_build(NULL, 0, 0xffffff00u, &in, &used), ERR_OVERFLOW);

    /* a VBE mode: flag 11, the mode number, copies of both blocks; the interface fields 0 */
    {
        static uint8_t ctl[MB_VBE_CONTROL_INFO_SIZE], mode[MB_VBE_MODE_INFO_SIZE];
        static struct mb_framebuffer rgb = { 0xfd000000, 4096, 1024, 768, 32, MB_FB_RGB,
                                             16, 8, 8, 8, 0, 8, 0x4144, ctl, mode };
        memset(ctl, 0xc1, sizeof(ctl));
        memcpy(ctl, "VESA", 4);
        memset(mode, 0x3d, sizeof(mode));
        in.fb = &rgb;
        assert_int_equal(mb1_info_build(NULL, 0, PHYS, &in, &need), ERR_OK);
        assert_int_equal(mb1_info_build(out, sizeof(out), PHYS, &in, &used), ERR_OK);
        assert_int_equal(used, need);
        assert_int_equal(le_read32(out) & (MB1_INFO_VBE | MB1_INFO_FRAMEBUFFER),
                         MB1_INFO_VBE | MB1_INFO_FRAMEBUFFER);
        assert_memory_equal(out + (le_read32(out + 72) - PHYS), ctl, sizeof(ctl));
        assert_memory_equal(out + (le_read32(out + 76) - PHYS), mode, sizeof(mode));
        assert_int_equal(le_read16(out + 80), 0x4144);
        assert_int_equal(le_read16(out + 82) | le_read16(out + 84) | le_read16(out + 86), 0);
        assert_int_equal(out[109], MB_FB_RGB);
        assert_int_equal(out[110], 16); /* red position */
        assert_int_equal(out[115], 8);  /* blue size */
        in.fb = NULL;
    }
    in.cmdline = NULL;
    assert_int_equal(mb1_info_build(out, sizeof(out), PHYS, &in, &used), ERR_INVALID_ARG);
}

/* Walk the tags: each 8-aligned, sizes inside total_size, the end tag last. */
static const uint8_t *find_tag(uint32_t type, unsigned nth)
{
    uint32_t total = le_read32(out);
    for (uint32_t at = 8; at + 8 <= total;) {
        uint32_t t = le_read32(out + at), size = le_read32(out + at + 4);
        assert_int_equal(at % 8, 0);
        assert_true(size >= 8 && at + size <= total);
        if (t == type && nth-- == 0)
            return out + at;
        if (t == MB2_TAG_END) {
            assert_int_equal(at + 8, total);
            return NULL;
        }
        at += (size + 7) & ~7u;
    }
    fail_msg("no end tag");
    return NULL;
}

static void mb2_info_tags(void **state)
{
    struct mb_info_in in = info_in();
    uint64_t need = 0, used = 0;
    const uint8_t *t;
    (void)state;

    assert_int_equal(mb2_info_build(NULL, 0, PHYS, &in, &need), ERR_OK);
    assert_int_equal(mb2_info_build(out, sizeof(out), PHYS, &in, &used), ERR_OK);
    assert_int_equal(used, need);
    assert_int_equal(le_read32(out), used);
    assert_int_equal(used % 8, 0);
    assert_non_null(find_tag(MB2_TAG_END, 0));
    t = find_tag(MB2_TAG_CMDLINE, 0);
    assert_string_equal((const char *)t + 8, "root=x \"q\"");
    assert_int_equal(le_read32(t + 4), 8 + strlen("root=x \"q\"") + 1);
    assert_string_equal((const char *)find_tag(MB2_TAG_LOADER_NAME, 0) + 8, "MultiOS 0.1.0");
    for (unsigned i = 0; i < 2; i++) {
        t = find_tag(MB2_TAG_MODULE, i);
        assert_int_equal(le_read32(t + 8), mods[i].start);
        assert_int_equal(le_read32(t + 12), mods[i].end);
        assert_string_equal((const char *)t + 16, mods[i].cmdline);
    }
    assert_null(find_tag(MB2_TAG_MODULE, 2));
    t = find_tag(MB2_TAG_BASIC_MEMINFO, 0);
    assert_int_equal(le_read32(t + 8), 639);
    assert_int_equal(le_read32(t + 12), 0x7edf000 >> 10);
    t = find_tag(MB2_TAG_BOOTDEV, 0);
    assert_int_equal(le_read32(t + 4), 20);
    assert_int_equal(le_read32(t + 8), 0x80);
    assert_int_equal(le_read32(t + 12), 0);
    assert_int_equal(le_read32(t + 16), 0xffffffffu);
    t = find_tag(MB2_TAG_MMAP, 0);
    assert_int_equal(le_read32(t + 4), 16 + 8 * 24);
    assert_int_equal(le_read32(t + 8), 24);
    assert_int_equal(le_read32(t + 12), 0);
    for (int i = 0; i < 8; i++) {
        assert_int_equal(le_read64(t + 16 + 24 * i), firmware[i].base);
        assert_int_equal(le_read64(t + 24 + 24 * i), firmware[i].length);
        assert_int_equal(le_read32(t + 32 + 24 * i), firmware[i].type);
        assert_int_equal(le_read32(t + 36 + 24 * i), 0);
    }
    t = find_tag(MB2_TAG_FRAMEBUFFER, 0);
    assert_int_equal(le_read64(t + 8), 0xb8000);
    assert_int_equal(le_read32(t + 16), 160);
    assert_int_equal(le_read32(t + 20), 80);
    assert_int_equal(le_read32(t + 24), 25);
    assert_int_equal(t[28], 16);
    assert_int_equal(t[29], MB_FB_EGA_TEXT);
    t = find_tag(MB2_TAG_ACPI_OLD, 0);
    assert_int_equal(le_read32(t + 4), 28);
    assert_memory_equal(t + 8, rsdp2, 20);
    t = find_tag(MB2_TAG_ACPI_NEW, 0);
    assert_int_equal(le_read32(t + 4), 44);
    assert_memory_equal(t + 8, rsdp2, 36);
    t = find_tag(MB2_TAG_LOAD_BASE, 0);
    assert_int_equal(le_read32(t + 8), 0x100000);

    /* an ACPI 1.0 RSDP: the old tag only; none: neither */
    in.rsdp_length = 20;
    assert_int_equal(mb2_info_build(out, sizeof(out), PHYS, &in, &used), ERR_OK);
    assert_non_null(find_tag(MB2_TAG_ACPI_OLD, 0));
    assert_null(find_tag(MB2_TAG_ACPI_NEW, 0));
    in.rsdp = NULL;
    in.fb = NULL;
    assert_int_equal(mb2_info_build(out, sizeof(out), PHYS, &in, &used), ERR_OK);
    assert_null(find_tag(MB2_TAG_ACPI_OLD, 0));
    assert_null(find_tag(MB2_TAG_FRAMEBUFFER, 0));
    /* an RGB framebuffer: its field positions */
    {
        static const struct mb_framebuffer rgb = { 0xfd000000, 4096, 1024, 768, 32, MB_FB_RGB,
                                                   16, 8, 8, 8, 0, 8, 0, NULL, NULL };
        in.fb = &rgb;
        assert_int_equal(mb2_info_build(out, sizeof(out), PHYS, &in, &used), ERR_OK);
        t = find_tag(MB2_TAG_FRAMEBUFFER, 0);
        assert_int_equal(le_read32(t + 4), 38);
        assert_int_equal(t[32], 16);
        assert_int_equal(t[37], 8);
        assert_null(find_tag(MB2_TAG_VBE, 0)); /* no VBE blocks given */
    }
    /* a VBE mode: the VBE info tag, 784 bytes: mode, interface 0, both blocks */
    {
        static uint8_t ctl[MB_VBE_CONTROL_INFO_SIZE], mode[MB_VBE_MODE_INFO_SIZE];
        static const struct mb_framebuffer vbe = { 0xfd000000, 4096, 1024, 768, 32, MB_FB_RGB,
                                                   16, 8, 8, 8, 0, 8, 0x144, ctl, mode };
        memset(ctl, 0x11, sizeof(ctl));
        memset(mode, 0x22, sizeof(mode));
        in.fb = &vbe;
        assert_int_equal(mb2_info_build(NULL, 0, PHYS, &in, &need), ERR_OK);
        assert_int_equal(mb2_info_build(out, sizeof(out), PHYS, &in, &used), ERR_OK);
        assert_int_equal(used, need);
        t = find_tag(MB2_TAG_VBE, 0);
        assert_non_null(t);
        assert_int_equal(le_read32(t + 4), 784);
        assert_int_equal(le_read16(t + 8), 0x144);
        assert_int_equal(le_read16(t + 10) | le_read16(t + 12) | le_read16(t + 14), 0);
        assert_memory_equal(t + 16, ctl, sizeof(ctl));
        assert_memory_equal(t + 16 + 512, mode, sizeof(mode));
    }
    assert_int_equal(mb2_info_build(out, 100, PHYS, &in, &used), ERR_CAPACITY);
}

/* ---- a relocatable image ---- */

static struct e820_entry store[MEMMAP_MAX];
static struct memmap m;
static struct frames f;
static struct fake_storage bits;
static const struct elf_avoid avoid[1] = { { 0, 0x80000, "the loader" } };

static const struct e820_entry ram[] = {
    { 0, 0x9fc00, 1, 0 },
    { 0x100000, 0x7f00000, 1, 0 }, /* 1 MiB .. 128 MiB */
};

static void world(void)
{
    static uint64_t scratch[MEMMAP_SCRATCH_BYTES(8) / 8];
    memmap_init(&m, store, MEMMAP_MAX);
    assert_int_equal(memmap_sanitize(&m, ram, NULL, 2, scratch, sizeof(scratch), NULL), ERR_OK);
    assert_int_equal(frames_init(&f, &m, 4096, 100 * MiB, fake_storage_ptr, &bits), ERR_OK);
}

/* A 3-page image linked at 3 GiB (no RAM), entry 0x100 in. */
static void image(struct elf_info *img)
{
    const uint32_t a[] = { 0xc0000000u, 0xc0000000u, 0xc0002000u, 0xc0003000u };
    const uint32_t e[] = { 0xc0000100u };
    mb2_begin(0);
    mb2_tag(MB2_HTAG_ADDRESS, 0, a, 4);
    mb2_tag(MB2_HTAG_ENTRY, 0, e, 1);
    assert_int_equal(mb2_end(0), ERR_OK);
    mb_aout_image(&h, img);
}

static void relocatable_image_low_high_or_refused(void **state)
{
    struct elf_place_env env = { &m, &f, avoid, 1, E820_TYPE_KERNEL, true };
    struct elf_info img;
    (void)state;

    world();
    image(&img);
    /* at its link address: not RAM */
    assert_int_equal(elf_place(&img, &env), ERR_OVERLAP);
    image(&img);
    h.relocatable = true;
    h.min_addr = 0x180000;
    h.max_addr = 0x4000000;
    h.align = 0x200000;
    h.preference = MB2_RELOC_LOW;
    assert_int_equal(mb_place_relocated(&img, &h, &env), ERR_OK);
    assert_int_equal(img.seg[0].load, 0x200000);
    assert_int_equal(img.entry_phys, 0x200100);
    assert_true(img.relocated);
    assert_int_equal(memmap_type_at(&m, 0x202fff), E820_TYPE_KERNEL);
    assert_int_equal(memmap_type_at(&m, 0x203000), 1);
    /* again: the next aligned run */
    assert_int_equal(mb_place_relocated(&img, &h, &env), ERR_OK);
    assert_int_equal(img.seg[0].load, 0x400000);
    /* the highest: ends at or below max_addr */
    h.preference = MB2_RELOC_HIGH;
    assert_int_equal(mb_place_relocated(&img, &h, &env), ERR_OK);
    assert_int_equal(img.seg[0].load, 0x3e00000);
    assert_int_equal(memmap_type_at(&m, 0x3e02000), E820_TYPE_KERNEL);
    /* the highest, with the top taken: below it */
    assert_int_equal(mb_place_relocated(&img, &h, &env), ERR_OK);
    assert_int_equal(img.seg[0].load, 0x3c00000);
    /* nothing fits between min and max */
    h.min_addr = 0x8000000;
    h.max_addr = 0x9000000;
    assert_int_equal(mb_place_relocated(&img, &h, &env), ERR_NO_MEMORY);
    assert_non_null(strstr(img.reason, "relocatable kernel: no free run of 12 KiB"));
    img.err = ERR_OK;
    /* below the loader's low memory never */
    h.min_addr = 0;
    h.max_addr = 0x82000;
    h.preference = MB2_RELOC_LOW;
    h.align = 0x1000;
    assert_int_equal(mb_place_relocated(&img, &h, &env), ERR_NO_MEMORY);
    img.err = ERR_OK;
    h.align = 3;
    assert_int_equal(mb_place_relocated(&img, &h, &env), ERR_INVALID_ARG);
    fake_storage_release(&bits);
}

/* ELF64 with paging off: placed at p_paddr as ELF32 is, never moved. */
static void at_paddr_places_elf64_where_it_is_linked(void **state)
{
    struct elf_place_env env = { &m, &f, avoid, 1, E820_TYPE_KERNEL, true };
    struct elf_info img;
    (void)state;

    world();
    memset(&img, 0, sizeof(img));
    img.elf_class = ELF_CLASS_64;
    img.machine = ELF_EM_X86_64;
    img.seg_count = 1;
    img.entry = 0xffffffff80100000ull;
    img.seg[0] = (struct elf_segment){ .vaddr = 0xffffffff80100000ull, .paddr = 0xc0000000u,
                                       .filesz = 0x1000, .memsz = 0x1000, .flags = 5 };
    img.paddr_lo = 0xc0000000u;
    img.paddr_hi = 0xc0001000u;
    assert_int_equal(elf_place(&img, &env), ERR_OVERLAP);
    assert_non_null(strstr(img.reason, "overlaps no memory"));
    img.err = ERR_OK;
    img.seg[0].paddr = 0x1000000;
    assert_int_equal(elf_place(&img, &env), ERR_OK);
    assert_int_equal(img.seg[0].load, 0x1000000);
    assert_int_equal(img.entry_phys, 0x1000000);
    fake_storage_release(&bits);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mb1_header_is_found_aligned_in_the_first_8k),
        cmocka_unit_test(mb1_bad_checksum_is_broken_and_said),
        cmocka_unit_test(mb1_unknown_required_flag_is_named),
        cmocka_unit_test(mb1_video_fields),
        cmocka_unit_test(mb1_aout_fields_against_the_file),
        cmocka_unit_test(mb2_header_and_every_tag),
        cmocka_unit_test(mb2_refusals_name_what),
        cmocka_unit_test(mb2_address_tag_loads_from_the_file),
        cmocka_unit_test(the_map_is_the_firmware_s),
        cmocka_unit_test(mb1_info_fields),
        cmocka_unit_test(mb2_info_tags),
        cmocka_unit_test(relocatable_image_low_high_or_refused),
        cmocka_unit_test(at_paddr_places_elf64_where_it_is_linked),
    };
    return cmocka_run_group_tests_name("multiboot", tests, NULL, NULL);
}
