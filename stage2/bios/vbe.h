/* vbe.h: the VESA BIOS Extensions through INT 10h: the controller and its mode list (4F00h),
 * one mode's description (4F01h), setting a mode with its linear framebuffer (4F02h). No
 * logging: each call returns what it found and why a mode cannot be used, for stage2/video.c
 * to log and choose from (core/video_pick.h). Host tests drive it with the scripted BIOS.
 *
 * Versions (VBE 3.0 spec, section 4; Ralf Brown's INT 10h/4F00h-4F01h):
 *   1.x   no linear framebuffer at all (PhysBasePtr came with 2.0): refused as too old;
 *   2.0   the LFB, its address (PhysBasePtr), pitch in BytesPerScanLine, masks at 1Fh-26h;
 *   3.0   linear modes have their own pitch and masks (LinBytesPerScanLine, 32h-3Dh). */
#ifndef VBE_H
#define VBE_H

#include <stdbool.h>
#include <stdint.h>

#include "bios_regs.h"
#include "video_pick.h"

#define VBE_INFO_SIZE      512u /* VbeInfoBlock with the "VBE2" request: 512 bytes */
#define VBE_MODE_INFO_SIZE 256u /* ModeInfoBlock */
#define VBE_MODES_MAX      256u /* mode numbers kept from the list (a real list has ~100) */

/* Physical range -> pointer the C code can read, NULL if it cannot (stage2: memory_ptr, paging
 * off; tests: the simulated BIOS's memory). The mode list may be anywhere in the first MiB. */
typedef void *(*vbe_ptr_fn)(void *ctx, uint64_t phys, uint64_t bytes);

enum vbe_status {
    VBE_OK,
    VBE_ABSENT,        /* AL != 4Fh: no VBE (no VGA BIOS, or one without the extensions) */
    VBE_FAILED,        /* AL = 4Fh but AH reports a failure */
    VBE_BAD_SIGNATURE, /* the block does not start with "VESA" */
    VBE_TOO_OLD,       /* version below 2.0: no linear framebuffer */
    VBE_NO_MODES,      /* the mode list is empty or unreadable */
};

/* The controller, from 4F00h. */
struct vbe_controller {
    uint16_t version;               /* BCD: 0x0300 is 3.0 */
    uint64_t memory;                /* bytes of video memory (TotalMemory, 64 KiB units) */
    uint16_t mode[VBE_MODES_MAX];   /* the list's VBE mode numbers, in its order */
    uint32_t mode_count;
    uint32_t skipped;               /* list entries not kept (VGA modes, flag bits set) */
    bool unterminated;              /* no FFFFh within VBE_MODES_MAX entries or readable
                                     * memory: the list was cut there */
    uint32_t list_phys;             /* where the list was (in the block, or in the ROM) */
    uint16_t ax;                    /* AX after 4F00h, for the log */
    uint8_t raw[VBE_INFO_SIZE];     /* the block as the BIOS wrote it */
};

/* Why a mode from the list cannot be used (VBE_MODE_OK: it can). */
enum vbe_mode_verdict {
    VBE_MODE_OK,
    VBE_MODE_CALL_FAILED,   /* 4F01h failed for it */
    VBE_MODE_UNSUPPORTED,   /* attribute bit 0: not supported by this hardware (or monitor) */
    VBE_MODE_TEXT,          /* not a colour graphics mode */
    VBE_MODE_NO_LFB,        /* attribute bit 7 clear, or no PhysBasePtr */
    VBE_MODE_NOT_DIRECT,    /* not direct colour at 15, 16, 24 or 32 bits a pixel */
    VBE_MODE_INTERLEAVED,   /* memory in several banks (CGA/Hercules-like interleaving) */
    VBE_MODE_BAD_GEOMETRY,  /* no width or height, a pitch below a row's pixels, or past
                             * 4 GiB */
    VBE_MODE_BAD_MASKS,     /* colour channels outside the pixel or overlapping */
    VBE_MODE_TOO_BIG,       /* needs more video memory than the controller has */
    VBE_MODE_VERDICT_COUNT
};

/* 4F00h with the "VBE2" request into the bounce buffer, then the mode list copied out of
 * wherever it is before anything else can overwrite it. */
enum vbe_status vbe_controller_read(const struct bios_iface *bios, vbe_ptr_fn ptr, void *ctx,
                                    struct vbe_controller *c);

/* 4F01h for `mode` into the bounce buffer (zeroed first), the block copied into raw
 * (VBE_MODE_INFO_SIZE bytes), then vbe_mode_decode. */
enum vbe_mode_verdict vbe_mode_read(const struct bios_iface *bios,
                                    const struct vbe_controller *c, uint16_t mode,
                                    uint8_t *raw, struct video_mode *out);

/* A ModeInfoBlock (VBE_MODE_INFO_SIZE bytes) as a direct-colour linear mode of controller
 * c: *out filled (type VIDEO_TYPE_RGB) when VBE_MODE_OK, untouched otherwise. Total on any
 * bytes. */
enum vbe_mode_verdict vbe_mode_decode(const uint8_t *raw, const struct vbe_controller *c,
                                      uint16_t mode, struct video_mode *out);

/* 4F02h: set `mode` with its linear framebuffer (bit 14), display memory cleared (bit 15
 * clear). AX after the call: 0x004F is success. */
uint16_t vbe_set_mode(const struct bios_iface *bios, uint16_t mode);

/* "not supported by the hardware", ...: why, for the log. Never NULL. */
const char *vbe_mode_verdict_str(enum vbe_mode_verdict v);
const char *vbe_status_str(enum vbe_status s);

#endif
