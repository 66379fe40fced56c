/* fuzz_multiboot.c: libFuzzer harness for the Multiboot core. The input is a kernel file's
 * first bytes, and also (read from its tail) a memory map, module list and strings for the
 * information builders. abort() on a violation of:
 *   - the header parsers: ERR_OK only for a header (found = MB_HEADER) at an offset aligned
 *     as its version says, inside its search window; a refused or broken header says why
 *     (a NUL-terminated reason naming the header); address fields, when accepted, describe
 *     an image inside the file and below 4 GiB with the entry inside it;
 *   - the map: mb_map_next gives sorted, non-overlapping, non-empty entries, no loader type,
 *     no two touching available ones, covering exactly the usable-or-loader bytes of the
 *     input map; mem_lower <= 640;
 *   - the builders: measuring gives the size building uses; a buffer one byte short is
 *     ERR_CAPACITY; Multiboot 1's map length is a multiple of 24 inside the block;
 *     Multiboot 2's tags are 8-aligned and end with the end tag at total_size. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "le.h"
#include "multiboot.h"

static void check_header(err_t e, const struct mb_header *h, uint64_t size, uint32_t align,
                         uint32_t search)
{
    CHECK(strnlen(h->reason, sizeof(h->reason)) < sizeof(h->reason));
    if (e == ERR_OK)
        CHECK(h->found == MB_HEADER);
    if (h->found == MB_NONE) {
        CHECK(e == ERR_NOT_FOUND);
        return;
    }
    CHECK(h->offset % align == 0 && h->offset < search && h->offset < size);
    if (e != ERR_OK) {
        CHECK(strstr(h->reason, "Multiboot") == h->reason);
        return;
    }
    if (h->has_addr) {
        CHECK((uint64_t)h->text_offset + h->load_size <= size);
        CHECK(h->load_size <= h->mem_size && h->mem_size > 0);
        CHECK((uint64_t)h->load_addr + h->mem_size <= 0x100000000ull);
        CHECK(h->has_entry);
        CHECK(h->entry_addr >= h->load_addr && h->entry_addr - h->load_addr < h->mem_size);
    }
    if (h->relocatable)
        CHECK(h->min_addr <= h->max_addr && (h->align & (h->align - 1u)) == 0);
}

static struct e820_entry map_entry[64];
static uint8_t out[1 << 16];

static void check_map(const struct memmap *m)
{
    struct e820_entry e, prev = { 0, 0, 0, 0 };
    uint64_t covered = 0, want = 0;
    uint32_t i = 0, lower, upper;
    bool first = true;

    while (mb_map_next(m, &i, &e)) {
        CHECK(e.length > 0 && !MULTIOS_MEM_IS_LOADER(e.type));
        if (!first) {
            CHECK(e.base >= prev.base + prev.length);
            CHECK(!(e.type == 1 && prev.type == 1 && e.base == prev.base + prev.length));
        }
        if (e.type == 1)
            covered += e.length;
        prev = e;
        first = false;
    }
    for (uint32_t k = 0; k < m->count; k++)
        if (memmap_type_is_usable_or_loader(m->entry[k].type))
            want += m->entry[k].length;
    CHECK(covered == want);
    mb_mem_lower_upper(m, &lower, &upper);
    CHECK(lower <= 640);
}

static void check_mb2(uint64_t used)
{
    uint32_t total = le_read32(out);
    CHECK(total == used && total % 8 == 0);
    for (uint32_t at = 8;;) {
        CHECK(at + 8 <= total);
        uint32_t type = le_read32(out + at), size = le_read32(out + at + 4);
        CHECK(size >= 8 && at + size <= total);
        if (type == MB2_TAG_END) {
            CHECK(at + 8 == total);
            break;
        }
        at += (size + 7u) & ~7u;
    }
}

static void build_both(const struct mb_info_in *in, uint32_t phys)
{
    uint64_t need = 0, used = 0;
    err_t e;

    e = mb1_info_build(NULL, 0, phys, in, &need);
    if (e == ERR_OK && need <= sizeof(out)) {
        CHECK(mb1_info_build(out, need - 1, phys, in, &used) == ERR_CAPACITY);
        CHECK(mb1_info_build(out, need, phys, in, &used) == ERR_OK && used == need);
        uint32_t len = le_read32(out + 44), addr = le_read32(out + 48);
        CHECK(len % 24 == 0 && addr >= phys && addr - phys + (uint64_t)len <= used);
    } else {
        CHECK(e == ERR_OK || e == ERR_OVERFLOW);
    }
    e = mb2_info_build(NULL, 0, phys, in, &need);
    if (e == ERR_OK && need <= sizeof(out)) {
        CHECK(mb2_info_build(out, need - 1, phys, in, &used) == ERR_CAPACITY);
        CHECK(mb2_info_build(out, need, phys, in, &used) == ERR_OK && used == need);
        check_mb2(used);
    } else {
        CHECK(e == ERR_OK || e == ERR_OVERFLOW);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint32_t types[] = { 1, 2, 3, 4, 5, 7, 12, 0xefffffffu, 0x1000, 0x1001,
                                      0x1002, 0x1003, 0x1004, 0x1005 };
    struct mb_header h;
    struct memmap m = { map_entry, 0, 64 };
    struct mb_module mods[4];
    static const uint8_t vbe[MB_VBE_CONTROL_INFO_SIZE] = { 'V', 'E', 'S', 'A' };
    struct mb_framebuffer fb = { 0xb8000, 160, 80, 25, 16, MB_FB_EGA_TEXT, 0, 0, 0, 0, 0, 0,
                                 0, NULL, NULL };
    uint8_t *copy = malloc(size ? size : 1);
    uint64_t base = 0;
    err_t e;

    CHECK(copy);
    memcpy(copy, data, size);
    e = mb1_header_parse(copy, size, size, &h);
    check_header(e, &h, size, MB1_HEADER_ALIGN, MB1_SEARCH);
    e = mb2_header_parse(copy, size, size, &h);
    check_header(e, &h, size, MB2_HEADER_ALIGN, MB2_SEARCH);
    if (h.found == MB_HEADER && e == ERR_OK && h.has_addr) {
        struct elf_info img;
        mb_aout_image(&h, &img);
        CHECK(img.seg_count == 1 && img.entry_phys == h.entry_addr);
    }

    /* A sorted, non-overlapping map from 5-byte records: length (pages, 16 bits), gap
     * (pages, 16 bits), type. */
    for (size_t at = 0; at + 5 <= size && m.count < 64; at += 5) {
        uint64_t len = ((uint64_t)le_read16(copy + at) + 1u) << 12;
        base += (uint64_t)le_read16(copy + at + 2) << 12;
        map_entry[m.count++] = (struct e820_entry){ base, len,
                                                    types[copy[at + 4] % 14u], 0 };
        base += len;
    }
    if (m.count) {
        uint32_t n = size ? copy[0] % 5u : 0;
        check_map(&m);
        for (uint32_t i = 0; i < n; i++)
            mods[i] = (struct mb_module){ 0x1000000u * i, 0x1000000u * i + (uint32_t)size,
                                          i & 1 ? "odd module" : "" };
        struct mb_info_in in = {
            .map = &m, .cmdline = size > 1 && copy[1] & 1 ? "a command line" : "",
            .loader_name = "MultiOS", .modules = mods, .module_count = n,
            .boot_drive = size > 2 ? copy[2] : 0x80, .boot_partition = size > 3 ? copy[3] : 0,
            .fb = size > 4 && copy[4] & 1 ? &fb : NULL,
            .rsdp = copy, .rsdp_length = size >= 36 ? 36 : size >= 20 ? 20 : 0,
            .load_base = 0x100000,
        };
        if (!in.rsdp_length)
            in.rsdp = NULL;
        if (size > 4 && copy[4] & 2) { /* a VBE mode, its blocks */
            fb.type = MB_FB_RGB;
            fb.vbe_mode = 0x144;
            fb.vbe_control_info = fb.vbe_mode_info = vbe;
        }
        build_both(&in, size > 8 ? le_read32(copy + 5) & ~7u : 0x10000);
    }
    free(copy);
    return 0;
}
