/* mb1_info.c: the Multiboot 1 information structure (spec 0.6.96, section 3.3), laid out in
 * one block: the 116-byte structure, the memory map, the module list, then the strings. The
 * APM table, the drives and the ELF section headers are not given (their flags stay clear);
 * the VBE fields (flag 11) only when a VBE mode was set. */
#include "mb_info_int.h"

/* Offsets in the structure. */
#define MB1_FLAGS        0u
#define MB1_MEM_LOWER    4u
#define MB1_MEM_UPPER    8u
#define MB1_BOOT_DEVICE  12u
#define MB1_CMDLINE      16u
#define MB1_MODS_COUNT   20u
#define MB1_MODS_ADDR    24u
#define MB1_MMAP_LENGTH  44u
#define MB1_MMAP_ADDR    48u
#define MB1_LOADER_NAME  64u
#define MB1_VBE_CONTROL  72u
#define MB1_VBE_MODE_INFO 76u
#define MB1_VBE_MODE     80u
#define MB1_FB_ADDR      88u
#define MB1_FB_PITCH     96u
#define MB1_FB_WIDTH     100u
#define MB1_FB_HEIGHT    104u
#define MB1_FB_BPP       108u
#define MB1_FB_TYPE      109u
#define MB1_FB_COLOR     110u

/* The boot device: the drive in the top byte, then the partition at each nesting level
 * (0xff: not used). An MBR slot is the first level; there is no second or third. */
static uint32_t mb1_boot_device(const struct mb_info_in *in)
{
    uint32_t part = in->boot_partition > 0xfeu ? 0xffu : in->boot_partition;
    return (in->boot_drive & 0xffu) << 24 | part << 16 | 0xffffu;
}

static void mb1_framebuffer(struct mb_writer *w, const struct mb_framebuffer *fb)
{
    mb_put64(w, MB1_FB_ADDR, fb->addr);
    mb_put32(w, MB1_FB_PITCH, fb->pitch);
    mb_put32(w, MB1_FB_WIDTH, fb->width);
    mb_put32(w, MB1_FB_HEIGHT, fb->height);
    mb_put8(w, MB1_FB_BPP, fb->bpp);
    mb_put8(w, MB1_FB_TYPE, fb->type);
    if (fb->type == MB_FB_RGB) {
        const uint8_t c[6] = { fb->red_pos, fb->red_size, fb->green_pos, fb->green_size,
                               fb->blue_pos, fb->blue_size };
        mb_put_bytes(w, MB1_FB_COLOR, c, sizeof(c));
    }
    /* indexed: palette_addr 0 and 0 colours, as no palette is kept; EGA text: none */
}

err_t mb1_info_build(void *buf, uint64_t cap, uint64_t phys, const struct mb_info_in *in,
                     uint64_t *used)
{
    struct mb_writer w = { buf, cap, phys, 0 };
    uint32_t flags = MB1_INFO_MEMORY | MB1_INFO_BOOTDEV | MB1_INFO_CMDLINE | MB1_INFO_MODS |
                     MB1_INFO_MEM_MAP | MB1_INFO_LOADER_NAME;
    uint32_t lower, upper, i = 0;
    uint64_t map_at, mods_at;
    struct e820_entry e;

    if (!in || !used || !in->map || !in->cmdline || !in->loader_name ||
        (in->module_count && !in->modules))
        return ERR_INVALID_ARG;
    (void)mb_take(&w, MB1_INFO_SIZE, 8);
    mb_mem_lower_upper(in->map, &lower, &upper);
    mb_put32(&w, MB1_MEM_LOWER, lower);
    mb_put32(&w, MB1_MEM_UPPER, upper);
    mb_put32(&w, MB1_BOOT_DEVICE, mb1_boot_device(in));
    if (in->fb) {
        flags |= MB1_INFO_FRAMEBUFFER;
        mb1_framebuffer(&w, in->fb);
    }
    mb_put32(&w, MB1_FLAGS, flags);

    /* The map: each entry's `size` (20) does not count itself. */
    map_at = mb_take(&w, 0, 8);
    while (mb_map_next(in->map, &i, &e)) {
        uint64_t at = mb_take(&w, MB1_MMAP_ENTRY_SIZE, 4);
        mb_put32(&w, at, MB1_MMAP_ENTRY_SIZE - 4u);
        mb_put64(&w, at + 4, e.base);
        mb_put64(&w, at + 12, e.length);
        mb_put32(&w, at + 20, e.type);
    }
    mb_put32(&w, MB1_MMAP_LENGTH, (uint32_t)(w.pos - map_at));
    mb_put32(&w, MB1_MMAP_ADDR, mb_phys(&w, map_at));

    mods_at = mb_take(&w, (uint64_t)in->module_count * MB1_MODULE_SIZE, 4);
    mb_put32(&w, MB1_MODS_COUNT, in->module_count);
    mb_put32(&w, MB1_MODS_ADDR, in->module_count ? mb_phys(&w, mods_at) : 0);
    for (uint32_t m = 0; m < in->module_count; m++) {
        uint64_t at = mods_at + (uint64_t)m * MB1_MODULE_SIZE;
        mb_put32(&w, at, in->modules[m].start);
        mb_put32(&w, at + 4, in->modules[m].end);
        mb_put32(&w, at + 8, mb_put_str(&w, in->modules[m].cmdline ? in->modules[m].cmdline
                                                                     : ""));
    }
    if (in->fb && in->fb->vbe_control_info && in->fb->vbe_mode_info) {
        uint64_t ctl = mb_take(&w, MB_VBE_CONTROL_INFO_SIZE, 4);
        uint64_t mode = mb_take(&w, MB_VBE_MODE_INFO_SIZE, 4);
        mb_put_bytes(&w, ctl, in->fb->vbe_control_info, MB_VBE_CONTROL_INFO_SIZE);
        mb_put_bytes(&w, mode, in->fb->vbe_mode_info, MB_VBE_MODE_INFO_SIZE);
        mb_put32(&w, MB1_VBE_CONTROL, mb_phys(&w, ctl));
        mb_put32(&w, MB1_VBE_MODE_INFO, mb_phys(&w, mode));
        mb_put16(&w, MB1_VBE_MODE, in->fb->vbe_mode); /* interface seg/off/len stay 0 */
        flags |= MB1_INFO_VBE;
        mb_put32(&w, MB1_FLAGS, flags);
    }
    mb_put32(&w, MB1_CMDLINE, mb_put_str(&w, in->cmdline));
    mb_put32(&w, MB1_LOADER_NAME, mb_put_str(&w, in->loader_name));
    return mb_finish(&w, used);
}
