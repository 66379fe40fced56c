/* video.h: the display a kernel is handed: what it asked for (a protocol's header, or the
 * configuration's `video` key) and the mode the loader set. Every protocol that reports a
 * framebuffer (Multiboot 1 and 2, the native boot info) reads struct video_mode, so they
 * all describe the same screen. */
#ifndef VIDEO_H
#define VIDEO_H

#include <stdbool.h>
#include <stdint.h>

/* What a kernel asks for. Zero fields mean "no preference" (Multiboot's 0 width/height/depth). */
struct video_request {
    bool given;        /* the kernel (or the configuration) asked for anything */
    bool graphics;     /* a linear framebuffer; false: EGA text */
    uint32_t width, height, depth;
};

#define VIDEO_TYPE_INDEXED  0u /* palette (Multiboot framebuffer_type 0) */
#define VIDEO_TYPE_RGB      1u /* direct colour */
#define VIDEO_TYPE_EGA_TEXT 2u /* 2 bytes a cell: character, attribute */

struct video_channel {
    uint8_t pos;       /* lowest bit of the channel within a pixel */
    uint8_t size;      /* bits */
};

/* The mode the kernel is entered in. Text mode reports the EGA text buffer, as Multiboot
 * does: width/height in characters, bpp 16, pitch in bytes per row. */
struct video_mode {
    uint32_t type;     /* VIDEO_TYPE_* */
    uint64_t addr;     /* physical address of the framebuffer */
    uint32_t pitch;    /* bytes per row */
    uint32_t width, height;
    uint32_t bpp;
    struct video_channel red, green, blue; /* VIDEO_TYPE_RGB */
    uint16_t vbe_mode; /* the VBE mode number set (0xffff: none, text mode kept) */
};

/* Choose and set the mode for `req` (the configuration's `video` overrides it), or keep
 * EGA text; fills *mode either way. Called after the last disk read and log line the
 * screen must show, because a graphics mode ends the VGA text console (serial goes on). */
struct boot;
void video_set(struct boot *b);

#endif
