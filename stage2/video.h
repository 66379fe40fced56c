/* video.h: the display a kernel is handed: what it asked for (a protocol's header, or the
 * configuration's `video` key) and the mode the loader set. Every protocol that reports a
 * framebuffer (Multiboot 1 and 2, the native boot info) reads struct video_mode, so they
 * all describe the same screen. The types and the choice of a mode are the pure core's
 * (core/video_pick.h); the VBE calls are stage2/bios/vbe.c's. */
#ifndef VIDEO_H
#define VIDEO_H

#include "multios/bootinfo.h"
#include "video_pick.h"

/* Choose and set the mode for the kernel's request b->video_req, which the chosen entry's
 * `video` key overrides (`auto` keeps it), or keep EGA text; fills b->video either way.
 * Called after the last disk read and after frames_seal, as late as possible: a graphics
 * mode ends the VGA text console (serial goes on), and the framebuffer is judged against
 * the final map. Never fails: every problem is a log line and text mode. */
struct boot;
void video_set(struct boot *b);

/* The native boot info's description of the mode (the kernel's copy of *m). */
void video_bootinfo(const struct video_mode *m, struct multios_framebuffer *fb);

#endif
