/* bios_regs.h: the register block every BIOS call goes through, and real-mode pointer
 * helpers. One struct in, one struct out (in == out allowed), like Linux's intcall. The
 * thunk (stage2/thunk.asm) reads and writes these fields at offsets generated from it. */
#ifndef BIOS_REGS_H
#define BIOS_REGS_H

#include <stddef.h>
#include <stdint.h>

#include "pc.h"

#define EFLAGS_CF 0x0001u
#define EFLAGS_ZF 0x0040u

struct bios_regs {
    uint32_t eax, ebx, ecx, edx;
    uint32_t esi, edi, ebp;
    uint32_t eflags;
    uint16_t ds, es, fs, gs;
};

/* The thunk takes the offsets from this struct (build/gen/layout.inc) and copies it in
 * dwords. */
_Static_assert(sizeof(struct bios_regs) % 4 == 0, "thunk.asm copies it in dwords");

/* Registers start zeroed with CF set, so a BIOS function that does nothing reads as a
 * failure (Linux arch/x86/boot/regs.c does the same). */
static inline void bios_regs_init(struct bios_regs *r)
{
    *r = (struct bios_regs){ .eflags = EFLAGS_CF };
}

static inline uint8_t bios_ah(const struct bios_regs *r) { return (uint8_t)(r->eax >> 8); }
static inline int bios_cf(const struct bios_regs *r) { return (r->eflags & EFLAGS_CF) != 0; }

/* A BIOS interrupt call: vector, registers in, registers out. Stage2 implements it with the
 * real-mode thunk; host tests pass scripted fakes. */
typedef void (*bios_int_fn)(void *ctx, uint8_t vec, const struct bios_regs *in,
                            struct bios_regs *out);

/* What BIOS-using pure code needs: the call, and one bounce buffer below 1 MiB that the
 * BIOS can address as seg:off (bounce_phys) and the C code as a pointer (bounce). */
struct bios_iface {
    bios_int_fn call;
    void *ctx;
    void *bounce;
    uint32_t bounce_phys;
    uint32_t bounce_size;
};

/* Real-mode pointers: a low-memory physical address as segment:offset. Returns 0 and leaves
 * seg/off untouched for anything at or above 1 MiB (the BIOS cannot reach it). */
static inline int rm_ptr(uint32_t phys, uint16_t *seg, uint16_t *off)
{
    if (phys >= PC_HIGH_MEM)
        return 0;
    *seg = (uint16_t)(phys >> 4);
    *off = (uint16_t)(phys & 0xfu);
    return 1;
}

static inline uint32_t rm_phys(uint16_t seg, uint16_t off)
{
    return ((uint32_t)seg << 4) + off;
}

#endif
