/* bootcheck_fb.c: the screen the kernel was given (boot info version 2's framebuffer): its
 * description must be self-consistent and lie outside the RAM of the map; then the kernel
 * draws on it what tests/qemu/framecheck.py reads back off QEMU's screen: every pixel of a
 * graphics mode in the pattern below, or one marker line on the last row of EGA text. With
 * `bootcheck.hold` on the command line the kernel then holds still instead of leaving QEMU,
 * so the harness can take the screendump. Line format (framecheck.py parses it):
 *   framebuffer: type T addr 0xA size 0xS pitch P width W height H bpp B vbe_mode 0xM
 *                red POS:SIZE green POS:SIZE blue POS:SIZE */
#include "bootcheck_int.h"
#include "kio.h"

#define FB_TEXT_ADDR 0xb8000u
#define FB_HOLD_WORD "bootcheck.hold"

/* The pattern: red = x, green = y (low 8 bits), blue = which 256-pixel block, so a wrong
 * pitch, address or channel order changes what the screen shows. framecheck.py has the
 * same three lines. */
static void fb_pattern(uint32_t x, uint32_t y, uint8_t rgb[3])
{
    rgb[0] = (uint8_t)x;
    rgb[1] = (uint8_t)y;
    rgb[2] = (uint8_t)(((x >> 8) << 5) | ((y >> 8) << 2) | 3u);
}

/* An 8-bit channel value in a channel of `size` bits: its top bits. */
static uint32_t fb_channel(uint8_t v, uint8_t size, uint8_t pos)
{
    uint32_t c = size <= 8 ? (uint32_t)v >> (8u - size) : (uint32_t)v << (size - 8u);
    return c << pos;
}

static void fb_draw(const struct multios_framebuffer *fb, uint8_t *base)
{
    uint32_t bytes = (fb->bpp + 7u) / 8u;

    for (uint32_t y = 0; y < fb->height; y++) {
        volatile uint8_t *row = base + (uint64_t)y * fb->pitch;
        for (uint32_t x = 0; x < fb->width; x++) {
            uint8_t rgb[3];
            fb_pattern(x, y, rgb);
            uint32_t px = fb_channel(rgb[0], fb->red_size, fb->red_pos) |
                          fb_channel(rgb[1], fb->green_size, fb->green_pos) |
                          fb_channel(rgb[2], fb->blue_size, fb->blue_pos);
            for (uint32_t b = 0; b < bytes; b++)
                row[x * bytes + b] = (uint8_t)(px >> (8u * b));
        }
    }
}

/* Channels inside the pixel and apart. */
static bool fb_channels_ok(const struct multios_framebuffer *fb)
{
    const uint8_t ch[3][2] = { { fb->red_pos, fb->red_size }, { fb->green_pos, fb->green_size },
                               { fb->blue_pos, fb->blue_size } };
    uint64_t seen = 0;

    for (int i = 0; i < 3; i++) {
        if (!ch[i][1] || ch[i][0] + ch[i][1] > fb->bpp)
            return false;
        uint64_t bits = ((1ull << ch[i][1]) - 1u) << ch[i][0];
        if (seen & bits)
            return false;
        seen |= bits;
    }
    return true;
}

/* No part of [base, base + len) in memory the map hands out or the firmware keeps: usable,
 * the loader's, ACPI reclaimable and NVS, persistent (PROTOCOL.md, struct
 * multios_framebuffer). */
static void fb_check_map(struct bc *s, uint64_t base, uint64_t len)
{
    if (!s->map || !s->map_ok)
        return;
    for (uint32_t i = 0; i < s->count; i++) {
        const struct multios_mmap_entry *e = &s->map[i];
        uint32_t t = e->type;
        if (!e->length || !(t == MULTIOS_MEM_USABLE || MULTIOS_MEM_IS_LOADER(t) ||
                            t == MULTIOS_MEM_ACPI_RECLAIMABLE || t == MULTIOS_MEM_ACPI_NVS ||
                            t == MULTIOS_MEM_PERSISTENT || t == MULTIOS_MEM_PRAM))
            continue;
        if (e->base <= base + len - 1 && base <= bc_last(e))
            bc_fail(s, "framebuffer", "0x%lx-0x%lx overlaps map entry 0x%lx-0x%lx type %u",
                    base, base + len - 1, e->base, bc_last(e), e->type);
    }
}

static void fb_check_rgb(struct bc *s, const struct multios_framebuffer *fb)
{
    uint64_t size = (uint64_t)fb->pitch * fb->height;

    if (fb->bpp != 15 && fb->bpp != 16 && fb->bpp != 24 && fb->bpp != 32)
        bc_fail(s, "framebuffer", "bpp %u, want 15, 16, 24 or 32", fb->bpp);
    else if (!fb->width || !fb->height || fb->pitch < fb->width * ((fb->bpp + 7u) / 8u))
        bc_fail(s, "framebuffer", "%ux%u with pitch %u", fb->width, fb->height, fb->pitch);
    else if (!fb_channels_ok(fb))
        bc_fail(s, "framebuffer", "colour channels outside the pixel or overlapping");
    else if (fb->size != size)
        bc_fail(s, "framebuffer", "size 0x%lx, want pitch * height = 0x%lx", fb->size, size);
    else if (!fb->addr || fb->addr + size > 0x100000000ull)
        bc_fail(s, "framebuffer", "0x%lx-0x%lx is not below 4 GiB", fb->addr,
                fb->addr + size);
    else if (fb->vbe_mode < 0x100)
        bc_fail(s, "framebuffer", "VBE mode 0x%x is not a VBE mode number", fb->vbe_mode);
    else {
        fb_check_map(s, fb->addr, size);
        uint8_t *p = (uint8_t *)(uintptr_t)s->env->phys(fb->addr, size);
        if (!p)
            bc_fail(s, "framebuffer", "0x%lx-0x%lx not mapped", fb->addr, fb->addr + size);
        else if (!s->failures)
            fb_draw(fb, p);
    }
}

/* Text: the BIOS's 80x25 colour text mode; a marker on the last row. */
static void fb_check_text(struct bc *s, const struct multios_framebuffer *fb)
{
    static const char mark[] = ": EGA text framebuffer 80x25 at 0xb8000";

    if (fb->addr != FB_TEXT_ADDR || fb->width != 80 || fb->height != 25 || fb->pitch != 160 ||
        fb->bpp != 16 || fb->size != 4000 || fb->vbe_mode || fb->red_size || fb->green_size ||
        fb->blue_size) {
        bc_fail(s, "framebuffer", "EGA text but not 80x25 cells of 16 bits at 0xb8000");
        return;
    }
    volatile uint8_t *row = (uint8_t *)(uintptr_t)s->env->phys(fb->addr, fb->size);
    if (!row) {
        bc_fail(s, "framebuffer", "0xb8000 not mapped");
        return;
    }
    row += 24u * fb->pitch;
    unsigned col = 0;
    for (const char *p = s->env->name; *p && col < 80; p++, col++)
        row[2 * col] = (uint8_t)*p, row[2 * col + 1] = 0x1f;
    for (const char *p = mark; *p && col < 80; p++, col++)
        row[2 * col] = (uint8_t)*p, row[2 * col + 1] = 0x1f;
}

void bc_check_framebuffer(struct bc *s)
{
    const struct multios_framebuffer *fb = &s->bi->framebuffer;

    kio_printf("framebuffer: type %u addr 0x%lx size 0x%lx pitch %u width %u height %u bpp %u "
               "vbe_mode 0x%x red %u:%u green %u:%u blue %u:%u\n", fb->type, fb->addr,
               fb->size, fb->pitch, fb->width, fb->height, fb->bpp, fb->vbe_mode, fb->red_pos,
               fb->red_size, fb->green_pos, fb->green_size, fb->blue_pos, fb->blue_size);
    if (fb->reserved0 || fb->reserved)
        bc_fail(s, "framebuffer", "reserved fields not 0");
    if (fb->type == MULTIOS_FB_RGB)
        fb_check_rgb(s, fb);
    else if (fb->type == MULTIOS_FB_EGA_TEXT)
        fb_check_text(s, fb);
    else
        bc_fail(s, "framebuffer", "type %u, want RGB (1) or EGA text (2)", fb->type);
}

bool bc_hold_asked(struct bc *s)
{
    const char *str = s->bi->cmdline ? s->env->phys(s->bi->cmdline, 4096) : 0;

    for (unsigned i = 0; str && i < 4096 && str[i]; i++) {
        unsigned n = 0;
        while (FB_HOLD_WORD[n] && i + n < 4096 && str[i + n] == FB_HOLD_WORD[n])
            n++;
        if (!FB_HOLD_WORD[n])
            return true;
    }
    return false;
}
