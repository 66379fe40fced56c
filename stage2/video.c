/* video.c: the display step. For now the loader keeps the BIOS's 80x25 colour text mode and
 * reports it (VBE modes come with the video work of issue 8). */
#include "boot.h"
#include "pc.h"
#include "video.h"

void video_set(struct boot *b)
{
    b->video = (struct video_mode){ .type = VIDEO_TYPE_EGA_TEXT, .addr = PC_VGA_TEXT,
                                    .pitch = 160, .width = 80, .height = 25, .bpp = 16,
                                    .vbe_mode = 0xffffu };
}
