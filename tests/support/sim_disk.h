/* sim_disk.h: a scripted INT 13h disk for host tests of the INT 13h protocol
 * (stage2/bios/int13.c), attached to the scripted fake BIOS (sim_bios.h: sim_bios_attach_disk)
 * or used on its own. It answers AH=00h, 02h, 08h, 41h, 42h and 48h for one drive the way
 * BIOSes do (SeaBIOS's quirks included: a failed AH=42h writes 0 into the packet's count),
 * checks every request it gets, and can be told to misbehave as real BIOSes do. Sector lba
 * byte i holds sim_disk_byte(lba, i), so a test can check what was read. */
#ifndef SIM_DISK_H
#define SIM_DISK_H

#include <stdbool.h>
#include <stdint.h>

#include "bios_regs.h"

struct sim_disk {
    /* script */
    uint8_t drive;          /* the drive number it answers to (calls for others fail) */
    uint64_t sectors;       /* disk size: reads past it fail (AH=01h) */
    bool ext;               /* AH=41h says the extensions are there (BX=AA55h, CX bit 0) */
    bool ext_reads_fail;    /* ... but every AH=42h fails (CF, AH=01h), as on some USB BIOSes */
    uint32_t max_ext;       /* AH=42h refuses more sectors than this (AH=01h) */
    uint32_t fail_next;     /* this many read calls fail (CF, AH=80h timeout) */
    uint8_t ok_ah;          /* AH a read returns with CF clear: 0, or junk some BIOSes leave */
    uint32_t ext_short;     /* AH=42h reads at most this many sectors and says so (0: all) */
    uint16_t bps;           /* the sector size AH=48h reports (0: it leaves the field 0) */
    uint32_t spt, heads, cyls; /* CHS geometry for AH=08h; spt 0: AH=08h fails */
    /* the memory the BIOS reads into and reads packets from */
    uint8_t *bounce;
    uint32_t bounce_phys, bounce_size;
    /* observations */
    uint32_t ext_reads, chs_reads;  /* read calls that worked */
    uint32_t resets, largest;       /* AH=00h calls; the largest read that worked */
    uint32_t bad_requests;          /* wrong drive, zero count, a packet or buffer outside the
                                     * bounce buffer or over it, a CHS read crossing a track */
    uint32_t last_dap_phys;         /* where the last AH=42h packet was */
};

/* A 20000-sector disk 0x80 with extensions and no geometry, reads of up to 127 sectors. */
void sim_disk_init(struct sim_disk *s, uint8_t *bounce, uint32_t bounce_phys,
                   uint32_t bounce_size);

/* What sector lba's byte i holds. */
uint8_t sim_disk_byte(uint64_t lba, uint32_t i);

/* INT 13h (bios_int_fn; ctx is the struct sim_disk). */
void sim_disk_call(void *ctx, uint8_t vec, const struct bios_regs *in, struct bios_regs *out);

/* The disk alone as a struct bios_iface. */
struct bios_iface sim_disk_iface(struct sim_disk *s);

#endif
