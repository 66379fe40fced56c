/* bios_broken.c: test-only BIOS glue, linked instead of stage2/bios.c: every call goes to the
 * real thunk, but INT 13h answers as one kind of broken BIOS does, chosen when it is built
 * (BROKEN_<kind>, stage2/build.mk). QEMU's BIOS has none of these faults, so this is how the
 * boot tests (suites chs, bootdisk and bad) boot stage2's ways around them for real:
 *   BROKEN_NO_EXT    AH=41h says there are no extensions (build/stage2-chs.bin)
 *   BROKEN_NO_LBA    AH=41h offers them, but every AH=42h fails with AH=01h, as on some USB
 *                    BIOSes: reads are cut to 63, 7 and 1 sectors, then go on with CHS
 *                    (build/stage2-no-lba.bin)
 *   BROKEN_AH_JUNK   reads that work come back with CF clear and junk in AH
 *                    (build/stage2-ah-junk.bin)
 *   BROKEN_4K        AH=48h says the drive has 4096-byte sectors (build/stage2-4k.bin) */
#include <stdint.h>

#include "bios.h"

/* The byte offset of the sector size in AH=48h's result buffer (EDD). */
#define EDD_BYTES_PER_SECTOR 0x18u

#if defined(BROKEN_NO_EXT)
#define BROKEN_REFUSED_AH 0x41 /* the function the BIOS does not have */
#elif defined(BROKEN_NO_LBA)
#define BROKEN_REFUSED_AH 0x42
#endif

static void bios_broken_int(void *ctx, uint8_t vec, const struct bios_regs *in,
                            struct bios_regs *out)
{
    uint8_t ah = bios_ah(in);

#ifdef BROKEN_REFUSED_AH
    if (vec == 0x13 && ah == BROKEN_REFUSED_AH) {
        *out = *in;
        out->eflags |= EFLAGS_CF;
        out->eax = (in->eax & 0xffff00ffu) | 0x0100u; /* AH=01h: invalid function */
        return;
    }
#endif
    bios_int(ctx, vec, in, out);
#if defined(BROKEN_AH_JUNK)
    if (vec == 0x13 && (ah == 0x02 || ah == 0x42) && !bios_cf(out))
        out->eax = (out->eax & 0xffff00ffu) | 0x5a00u;
#elif defined(BROKEN_4K)
    if (vec == 0x13 && ah == 0x48 && !bios_cf(out)) {
        uint8_t *edd = (uint8_t *)(uintptr_t)rm_phys(in->ds, (uint16_t)in->esi);
        edd[EDD_BYTES_PER_SECTOR] = 0x00;
        edd[EDD_BYTES_PER_SECTOR + 1] = 0x10; /* 4096 */
    }
#endif
    (void)ah;
}

struct bios_iface bios_iface_default(void)
{
    return (struct bios_iface){
        .call = bios_broken_int,
        .ctx = NULL,
        .bounce = (void *)(uintptr_t)BOUNCE_PHYS,
        .bounce_phys = BOUNCE_PHYS,
        .bounce_size = BOUNCE_SIZE,
    };
}
