/* mb2_info.c: the Multiboot 2 information structure (spec 2.0, section 3.6): total_size, then
 * 8-aligned tags. Given: the command line, the loader name, the modules, basic memory, the
 * BIOS boot device, the memory map, the VBE info (when a VBE mode was set), the framebuffer
 * (EGA text in text mode), copies of the
 * ACPI RSDP (old: its first 20 bytes; new: the whole structure, for revision 2 and later),
 * the image's load base, the end tag. */
#include "mb_info_int.h"

/* A tag of `size` bytes: type and size written, its offset returned. */
static uint64_t mb2_tag(struct mb_writer *w, uint32_t type, uint64_t size)
{
    uint64_t at = mb_take(w, size, MB2_TAG_ALIGN);

    mb_put32(w, at, type);
    mb_put32(w, at + 4, (uint32_t)size);
    return at;
}

static void mb2_string_tag(struct mb_writer *w, uint32_t type, const char *s)
{
    uint64_t at = mb2_tag(w, type, 8);

    (void)mb_put_str(w, s);
    mb_put32(w, at + 4, (uint32_t)(w->pos - at));
}

static void mb2_modules(struct mb_writer *w, const struct mb_info_in *in)
{
    for (uint32_t m = 0; m < in->module_count; m++) {
        uint64_t at = mb2_tag(w, MB2_TAG_MODULE, 16);
        mb_put32(w, at + 8, in->modules[m].start);
        mb_put32(w, at + 12, in->modules[m].end);
        (void)mb_put_str(w, in->modules[m].cmdline ? in->modules[m].cmdline : "");
        mb_put32(w, at + 4, (uint32_t)(w->pos - at));
    }
}

static void mb2_mmap(struct mb_writer *w, const struct memmap *map)
{
    uint64_t at = mb2_tag(w, MB2_TAG_MMAP, 16);
    struct e820_entry e;
    uint32_t i = 0;

    mb_put32(w, at + 8, MB2_MMAP_ENTRY_SIZE);
    mb_put32(w, at + 12, 0); /* entry_version */
    while (mb_map_next(map, &i, &e)) {
        uint64_t ent = mb_take(w, MB2_MMAP_ENTRY_SIZE, 8);
        mb_put64(w, ent, e.base);
        mb_put64(w, ent + 8, e.length);
        mb_put32(w, ent + 16, e.type);
    }
    mb_put32(w, at + 4, (uint32_t)(w->pos - at));
}

/* The common part (32 bytes, GRUB's layout with a 16-bit reserved word), then the colour
 * information: 6 bytes of field positions and sizes for RGB, a palette of 0 colours for an
 * indexed mode (no palette is kept), nothing for EGA text. */
static void mb2_framebuffer(struct mb_writer *w, const struct mb_framebuffer *fb)
{
    uint64_t size = 32u + (fb->type == MB_FB_RGB ? 6u : fb->type == MB_FB_INDEXED ? 2u : 0u);
    uint64_t at = mb2_tag(w, MB2_TAG_FRAMEBUFFER, size);

    mb_put64(w, at + 8, fb->addr);
    mb_put32(w, at + 16, fb->pitch);
    mb_put32(w, at + 20, fb->width);
    mb_put32(w, at + 24, fb->height);
    mb_put8(w, at + 28, fb->bpp);
    mb_put8(w, at + 29, fb->type);
    if (fb->type == MB_FB_RGB) {
        const uint8_t c[6] = { fb->red_pos, fb->red_size, fb->green_pos, fb->green_size,
                               fb->blue_pos, fb->blue_size };
        mb_put_bytes(w, at + 32, c, sizeof(c));
    }
}

/* The VBE info tag: mode, the protected-mode interface (not queried: 0), the two blocks. */
static void mb2_vbe(struct mb_writer *w, const struct mb_framebuffer *fb)
{
    uint64_t at;

    if (!fb->vbe_control_info || !fb->vbe_mode_info)
        return;
    at = mb2_tag(w, MB2_TAG_VBE, 16u + MB_VBE_CONTROL_INFO_SIZE + MB_VBE_MODE_INFO_SIZE);
    mb_put16(w, at + 8, fb->vbe_mode);
    mb_put_bytes(w, at + 16, fb->vbe_control_info, MB_VBE_CONTROL_INFO_SIZE);
    mb_put_bytes(w, at + 16 + MB_VBE_CONTROL_INFO_SIZE, fb->vbe_mode_info,
                 MB_VBE_MODE_INFO_SIZE);
}

static void mb2_acpi(struct mb_writer *w, const struct mb_info_in *in)
{
    uint64_t at;

    if (!in->rsdp || in->rsdp_length < 20u)
        return;
    at = mb2_tag(w, MB2_TAG_ACPI_OLD, 8u + 20u);
    mb_put_bytes(w, at + 8, in->rsdp, 20u);
    if (in->rsdp_length <= 20u)
        return;
    at = mb2_tag(w, MB2_TAG_ACPI_NEW, 8u + (uint64_t)in->rsdp_length);
    mb_put_bytes(w, at + 8, in->rsdp, in->rsdp_length);
}

err_t mb2_info_build(void *buf, uint64_t cap, uint64_t phys, const struct mb_info_in *in,
                     uint64_t *used)
{
    struct mb_writer w = { buf, cap, phys, 0 };
    uint32_t lower, upper;
    uint64_t at;

    if (!in || !used || !in->map || !in->cmdline || !in->loader_name ||
        (in->module_count && !in->modules))
        return ERR_INVALID_ARG;
    (void)mb_take(&w, 8, 8); /* total_size, reserved */
    mb2_string_tag(&w, MB2_TAG_CMDLINE, in->cmdline);
    mb2_string_tag(&w, MB2_TAG_LOADER_NAME, in->loader_name);
    mb2_modules(&w, in);
    at = mb2_tag(&w, MB2_TAG_BASIC_MEMINFO, 16);
    mb_mem_lower_upper(in->map, &lower, &upper);
    mb_put32(&w, at + 8, lower);
    mb_put32(&w, at + 12, upper);
    at = mb2_tag(&w, MB2_TAG_BOOTDEV, 20);
    mb_put32(&w, at + 8, in->boot_drive);
    mb_put32(&w, at + 12, in->boot_partition);
    mb_put32(&w, at + 16, 0xffffffffu); /* no sub-partition */
    mb2_mmap(&w, in->map);
    if (in->fb) {
        mb2_vbe(&w, in->fb);
        mb2_framebuffer(&w, in->fb);
    }
    mb2_acpi(&w, in);
    at = mb2_tag(&w, MB2_TAG_LOAD_BASE, 12);
    mb_put32(&w, at + 8, in->load_base);
    (void)mb2_tag(&w, MB2_TAG_END, 8);
    mb_put32(&w, 0, (uint32_t)w.pos);
    return mb_finish(&w, used);
}
