/* sim_bios.h: a scripted, simulated BIOS for host tests of the BIOS protocols. It implements
 * bios_int_fn for INT 15h (E820, E801, 88h) and INT 12h, writes entries into the bounce
 * buffer the way real firmware does, checks every request it is given, and can be told to
 * misbehave in the ways real BIOSes do. INT 13h goes to a disk when one is attached
 * (sim_bios_attach_disk, tests/support/sim_disk.h); INT 10h goes to a video BIOS a test
 * installs (sim_vbe.h), and does nothing without one. */
#ifndef SIM_BIOS_H
#define SIM_BIOS_H

#include <stdbool.h>
#include <stdint.h>

#include "bios_regs.h"
#include "memmap.h"

#define SIM_BOUNCE_PHYS 0x70000u
#define SIM_BOUNCE_SIZE 0x10000u
#define SIM_MAX 1024u

enum sim_end {
    SIM_END_EBX0,     /* well-behaved: EBX = 0 with the last entry */
    SIM_END_CF,       /* EBX never 0; the call after the last entry returns CF */
    SIM_END_CLAMP,    /* EBX never 0; asking past the end returns the last entry again */
    SIM_END_WRAP,     /* EBX never 0; after the last entry the list starts over */
    SIM_END_ENDLESS,  /* fresh EBX and fresh (made-up) entries forever */
    SIM_END_STATEFUL, /* EBX always 1, position kept inside; EBX = 0 with the last entry */
};

struct sim_bios {
    /* script */
    struct e820_entry table[SIM_MAX];
    uint32_t n;
    enum sim_end end;
    uint32_t ecx_ret;         /* ECX returned (20: SeaBIOS, writes 20 bytes; 24: attrs) */
    bool no_e820;             /* CF on every E820 call */
    bool garbage_sig;         /* EAX not 'SMAP' (from the first call), CF clear */
    uint32_t lose_smap_at;    /* E820 call index from which EAX is garbage (0 = never) */
    bool clobber;             /* trash ESI, EDI, EBP, EDX, ES, DS, and ECX's upper half;
                               * INT 12h: EAX's upper half */
    bool e801_ok;
    uint16_t e801_ax, e801_bx, e801_cx, e801_dx;
    bool e88_ok;
    uint16_t e88_ax;
    uint16_t int12_ax;        /* 0: INT 12h does nothing */
    /* INT 10h (NULL: it does nothing, as with no video BIOS at all) */
    void (*int10)(void *ctx, const struct bios_regs *in, struct bios_regs *out);
    void *int10_ctx;
    /* the memory the BIOS writes to */
    uint8_t *bounce;
    uint32_t bounce_phys;
    /* observations */
    uint32_t e820_calls, e801_calls, e88_calls, int12_calls, other_calls;
    uint32_t bad_requests;    /* E820 calls with wrong EAX/EDX/ECX or ES:DI */
    uint32_t attr_not_preset; /* E820 calls whose attribute dword was not 1 */
    uint32_t pos;             /* SIM_END_STATEFUL cursor */
    /* INT 13h, when a disk is attached */
    bios_int_fn int13;
    void *int13_ctx;
};

/* Fresh BIOS with no E820 table, E801/88h failing, INT 12h doing nothing. */
void sim_bios_init(struct sim_bios *s, uint8_t *bounce);
void sim_bios_set_table(struct sim_bios *s, const struct e820_entry *t, uint32_t n);
/* Load the last "e820 map has N items:" block of a SeaBIOS debug log (its whole text, as
 * testutil_read_file returns it). Returns the count, 0 if the log has no such block. */
uint32_t sim_bios_load_seabios_log(struct sim_bios *s, const char *text);

struct bios_iface sim_bios_iface(struct sim_bios *s);
/* INT 13h calls go to call(ctx, ...), such as sim_disk_call with a struct sim_disk. */
void sim_bios_attach_disk(struct sim_bios *s, bios_int_fn call, void *ctx);
void sim_bios_call(void *ctx, uint8_t vec, const struct bios_regs *in, struct bios_regs *out);

#endif
