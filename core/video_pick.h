/* video_pick.h: the display a kernel asks for and the mode it gets, and the choice between
 * them: which of the firmware's graphics modes comes closest to a request, and whether a
 * framebuffer may be handed out at all given the memory map. Pure core: the modes come
 * decoded (stage2/bios/vbe.c), the choice is the caller's to set. */
#ifndef VIDEO_PICK_H
#define VIDEO_PICK_H

#include <stdbool.h>
#include <stdint.h>

#include "memmap.h"

/* What a kernel asks for. Zero fields mean "no preference" (Multiboot's 0 width/height/depth). */
struct video_request {
    bool given;        /* the kernel (or the configuration) asked for anything */
    bool graphics;     /* a linear framebuffer; false: EGA text */
    uint32_t width, height, depth;
};

/* What "no preference" means: the size most screens since the late 1990s show well (Limine's
 * first fallback too), at the deepest direct colour. */
#define VIDEO_DEFAULT_WIDTH  1024u
#define VIDEO_DEFAULT_HEIGHT 768u
#define VIDEO_DEFAULT_DEPTH  32u

#define VIDEO_TYPE_INDEXED  0u /* palette (Multiboot framebuffer_type 0); never chosen */
#define VIDEO_TYPE_RGB      1u /* direct colour */
#define VIDEO_TYPE_EGA_TEXT 2u /* 2 bytes a cell: character, attribute */

#define VIDEO_NO_VBE_MODE 0xffffu

struct video_channel {
    uint8_t pos;       /* lowest bit of the channel within a pixel */
    uint8_t size;      /* bits */
};

/* A mode: the one the kernel is entered in, or one the firmware offers. Text mode reports the
 * EGA text buffer, as Multiboot does: width/height in characters, bpp 16, pitch in bytes per
 * row. */
struct video_mode {
    uint32_t type;     /* VIDEO_TYPE_* */
    uint64_t addr;     /* physical address of the framebuffer */
    uint32_t pitch;    /* bytes per row */
    uint32_t width, height;
    uint32_t bpp;
    struct video_channel red, green, blue;
    uint16_t vbe_mode; /* the VBE mode number (VIDEO_NO_VBE_MODE: none, text mode kept) */
    /* The firmware's own blocks for the mode set, for protocols that pass them on (Multiboot's
     * vbe_control_info and vbe_mode_info): VBE_INFO_SIZE and VBE_MODE_INFO_SIZE bytes; NULL
     * in text mode. */
    const uint8_t *vbe_control_info;
    const uint8_t *vbe_mode_info;
};

/* Bytes the framebuffer spans: pitch * height (the rows below the last are not the kernel's). */
static inline uint64_t video_mode_bytes(const struct video_mode *m)
{
    return (uint64_t)m->pitch * m->height;
}

/* The BIOS's 80x25 colour text mode at PC_VGA_TEXT, as a mode. */
struct video_mode video_text_mode(void);

/* The request with "no preference" filled in (VIDEO_DEFAULT_*): width and height together
 * (one without the other is no size), depth on its own. */
struct video_request video_request_resolve(const struct video_request *req);

/* The closest of `n` direct-colour modes to `req` (resolved), or -1 when none fits. The
 * rules, in order:
 *   1. a mode fits when it is no wider and no taller than the request: everything it shows
 *      was asked for, and a smaller screen is the one a monitor is likeliest to take (GRUB
 *      keeps under the monitor's preferred mode for the same reason). Others are never
 *      chosen;
 *   2. the requested depth, else the nearest (ties: the deeper): the depth decides how the
 *      kernel writes a pixel, the size only how many it writes;
 *   3. the most pixels, then the wider;
 *   4. the first in the firmware's list.
 * Modes that are not VIDEO_TYPE_RGB are skipped. Total: any n, any field values. */
int video_pick(const struct video_mode *modes, uint32_t n, const struct video_request *req);

/* Whether a framebuffer at [base, base + bytes) may be handed to a kernel: true (with the
 * first such entry in *hit, if hit is not NULL) when it overlaps map memory a kernel may use
 * or must keep: usable RAM, the loader's types, ACPI tables and NVS, persistent memory. A
 * framebuffer is MMIO: normally in no entry at all (the PCI hole), or in a reserved one. A
 * range that wraps past 2^64 clashes. */
bool video_fb_clash(const struct memmap *map, uint64_t base, uint64_t bytes,
                    struct e820_entry *hit);

#endif
