/* sim_vbe.h: a scripted video BIOS for host tests of the VBE protocol (stage2/bios/vbe.c),
 * installed as the INT 10h of a sim_bios. It answers 4F00h, 4F01h and 4F02h from a list of
 * modes, writes its blocks into the bounce buffer at ES:DI as VBE 2.0 and 3.0 BIOSes do,
 * checks each request, and misbehaves as real ones do: the mode list in the controller
 * block's reserved area (SeaVGABIOS) or in its ROM, a list without its FFFFh end, blocks of a
 * 1.2 BIOS (no linear framebuffer), a 3.0 BIOS that leaves the linear-mode fields unwritten,
 * modes it cannot describe or set. */
#ifndef SIM_VBE_H
#define SIM_VBE_H

#include <stdbool.h>
#include <stdint.h>

#include "sim_bios.h"

#define SIM_VBE_ROM_PHYS 0xc0000u /* the video BIOS ROM: C000:0000 */
#define SIM_VBE_ROM_SIZE 0x10000u
#define SIM_VBE_MODES    64u

/* One mode as the BIOS describes it (VBE 3.0 ModeInfoBlock fields). */
struct sim_vbe_mode {
    uint16_t number;
    uint16_t attr;            /* ModeAttributes */
    uint16_t width, height;
    uint8_t bpp, model;       /* BitsPerPixel, MemoryModel (6 direct, 4 packed pixel) */
    uint8_t banks, bank_size; /* NumberOfBanks, BankSize */
    uint16_t pitch;           /* BytesPerScanLine */
    uint16_t lin_pitch;       /* LinBytesPerScanLine (3.0) */
    uint32_t phys;            /* PhysBasePtr */
    uint8_t masks[6];         /* red size, position, green size, position, blue ... (1.2) */
    uint8_t lin_masks[6];     /* the same for linear modes (3.0) */
    bool info_fails;          /* 4F01h says AH = 01h for it */
    bool set_fails;           /* 4F02h says AH = 01h for it */
};

enum sim_vbe_list {
    SIM_VBE_LIST_IN_BLOCK, /* in the controller block's reserved area, as SeaVGABIOS does */
    SIM_VBE_LIST_IN_ROM,   /* in the ROM at C000:0100 */
    SIM_VBE_LIST_NOWHERE,  /* a pointer into memory nobody can read */
};

struct sim_vbe {
    /* script */
    bool present;             /* false: AL comes back unchanged, as without VBE */
    uint8_t status_4f00;      /* AH for 4F00h (0: success) */
    char signature[4];        /* "VESA" */
    uint16_t version;         /* 0x0300 */
    uint16_t memory_64k;      /* TotalMemory */
    enum sim_vbe_list where;
    bool unterminated;        /* the list has no FFFFh: junk words follow it */
    bool short_mode_info;     /* writes only the 2.0 part (to 31h) even as 3.0, leaving the
                               * rest of the caller's buffer as it was */
    bool scratch_list;        /* 4F01h overwrites the list's first words: GRUB's "some cards
                               * store video mode list in temporary memory" */
    struct sim_vbe_mode mode[SIM_VBE_MODES];
    uint32_t n;
    uint16_t extra[8];        /* further numbers in the list, after the modes */
    uint32_t n_extra;
    /* memory */
    struct sim_bios *bios;
    uint8_t rom[SIM_VBE_ROM_SIZE];
    /* observations */
    uint32_t calls_4f00, calls_4f01, calls_4f02, other_calls;
    uint32_t bad_requests;    /* a block outside the bounce buffer, a 4F00h without "VBE2" */
    uint32_t blocks_overlapping_list; /* 4F01h written over the list in the block */
    uint16_t set;             /* BX of the last successful 4F02h (0: none) */
};

/* A VBE 3.0 BIOS with 16 MiB, no modes, its list in the block, installed as s's INT 10h. */
void sim_vbe_init(struct sim_vbe *v, struct sim_bios *s);

/* A direct-colour LFB mode at 0xfd000000 (x:8:8:8, 8:8:8, 5:6:5 or 1:5:5:5 by bpp), pitch
 * width * bytes, both pitches and both mask sets filled; the caller changes what it tests. */
struct sim_vbe_mode sim_vbe_mode_rgb(uint16_t number, uint16_t w, uint16_t h, uint8_t bpp);
void sim_vbe_add(struct sim_vbe *v, struct sim_vbe_mode m);

/* vbe_ptr_fn over the simulated first MiB: the bounce buffer and the ROM; NULL elsewhere. */
void *sim_vbe_ptr(void *ctx, uint64_t phys, uint64_t bytes);

#endif
