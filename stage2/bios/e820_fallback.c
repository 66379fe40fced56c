/* e820_fallback.c: what to believe when E820 fails: INT 15h E801, then AH=88h, then a
 * conservative low-memory guess; and e820_detect, the chain that tries them in order. */
#include <string.h>

#include "e820_detect.h"
#include "int12.h"
#include "pc.h"

#define KIB 1024ull
#define MIB (1024ull * 1024ull)

static void table_add(struct e820_detect *d, uint64_t base, uint64_t length, uint32_t type)
{
    if (length == 0 || d->count >= MEMMAP_RAW_MAX)
        return; /* at most 6 synthesized entries: the cap is never reached */
    d->entry[d->count] = (struct e820_entry){ base, length, type, E820_ATTR_ENABLED };
    d->size[d->count] = E820_ENTRY_MIN;
    d->next[d->count] = 0;
    d->count++;
}

/* The low RAM size: INT 12h's answer when it is sane, else the default. A BIOS without
 * INT 12h answers 0. */
static uint32_t low_kib(const struct bios_iface *bios, struct e820_detect *d)
{
    uint32_t kib = int12_kib(bios);

    if (kib < E820_LOW_MIN_KIB || kib > E820_LOW_MAX_KIB) {
        d->quirks |= E820_QUIRK_INT12_BAD;
        d->low_kib = 0;
        return E820_LOW_DEFAULT_KIB;
    }
    d->low_kib = kib;
    return kib;
}

/* Below 1 MiB every fallback draws the same picture:
 *   0 ........ low RAM ........ low | EBDA reserved | A0000 hole F0000 | BIOS ROM | 1 MiB */
static void table_low(struct e820_detect *d, uint32_t low_kib)
{
    uint64_t low = (uint64_t)low_kib * KIB;

    table_add(d, 0, low, E820_TYPE_RAM);
    table_add(d, low, PC_VGA_HOLE - low, E820_TYPE_RESERVED);
    table_add(d, PC_BIOS_ROM, PC_HIGH_MEM - PC_BIOS_ROM, E820_TYPE_RESERVED);
}

static bool call_ok(const struct bios_iface *bios, const struct e820_detect *d)
{
    return bios && bios->call && d;
}

/* One INT 15h size query (E801 or 88h) from a clean table: ERR_OK with the registers in
 * *out, ERR_BIOS when the BIOS set CF (no such function). */
static err_t size_query(const struct bios_iface *bios, struct e820_detect *d, uint32_t func,
                        struct bios_regs *out)
{
    struct bios_regs in;

    if (!call_ok(bios, d))
        return ERR_INVALID_ARG;
    d->count = 0;
    d->source = 0;
    bios_regs_init(&in);
    in.eax = func;
    *out = in;
    bios->call(bios->ctx, 0x15, &in, out);
    return bios_cf(out) ? ERR_BIOS : ERR_OK;
}

err_t e820_detect_e801(const struct bios_iface *bios, struct e820_detect *d)
{
    struct bios_regs out;
    err_t e = size_query(bios, d, E801_FUNC, &out);

    if (e != ERR_OK)
        return e;

    /* The answers are 16-bit; the upper halves of the registers are whatever was there. */
    uint32_t ax = out.eax & 0xffffu, bx = out.ebx & 0xffffu;
    uint32_t cx = out.ecx & 0xffffu, dx = out.edx & 0xffffu;
    /* Some BIOSes report only in CX/DX ("configured memory") and leave AX/BX zero. */
    if (ax == 0 && bx == 0) {
        ax = cx;
        bx = dx;
        if (ax || bx)
            d->quirks |= E820_QUIRK_E801_CXDX;
    }
    /* AX counts KiB between 1 and 16 MiB: more than 15 MiB is impossible (Linux: "Bogus!"). */
    if (ax > 15u * 1024u)
        return ERR_BAD_FORMAT;
    /* BX counts 64 KiB blocks above 16 MiB, which only continue the RAM below when that is
     * full; with a hole under 16 MiB (an ISA hole) where BX's RAM starts is not known, so it
     * is left out, as Linux does. */
    if (ax < 15u * 1024u && bx != 0) {
        d->quirks |= E820_QUIRK_E801_HOLE;
        bx = 0;
    }
    if (ax == 0)
        return ERR_NOT_FOUND;

    table_low(d, low_kib(bios, d));
    table_add(d, PC_HIGH_MEM, (uint64_t)ax * KIB, E820_TYPE_RAM);
    table_add(d, 16 * MIB, (uint64_t)bx * 64u * KIB, E820_TYPE_RAM);
    d->source = MULTIOS_BOOT_E801;
    return ERR_OK;
}

err_t e820_detect_88(const struct bios_iface *bios, struct e820_detect *d)
{
    struct bios_regs out;
    err_t e = size_query(bios, d, 0x8800u, &out);

    if (e != ERR_OK)
        return e;
    /* AX: KiB above 1 MiB (at most 64 MiB - 1 KiB; many BIOSes cap it lower). */
    uint32_t ax = out.eax & 0xffffu;
    if (ax == 0)
        return ERR_NOT_FOUND;

    table_low(d, low_kib(bios, d));
    table_add(d, PC_HIGH_MEM, (uint64_t)ax * KIB, E820_TYPE_RAM);
    d->source = MULTIOS_BOOT_INT15_88;
    return ERR_OK;
}

void e820_detect_low_guess(const struct bios_iface *bios, struct e820_detect *d)
{
    if (!d)
        return;
    d->count = 0;
    if (call_ok(bios, d)) {
        table_low(d, low_kib(bios, d));
    } else {
        /* No BIOS to ask at all: the default picture. */
        d->quirks |= E820_QUIRK_INT12_BAD;
        table_low(d, E820_LOW_DEFAULT_KIB);
    }
    d->source = MULTIOS_BOOT_LOW_GUESS;
}

/* Why E820 was not used, for the log. */
static const char *reason_of(err_t e)
{
    switch (e) {
    case ERR_E820_UNSUPPORTED: return "E820 not supported (CF or no 'SMAP' on the first call)";
    case ERR_E820_BAD_SIGNATURE: return "E820 'SMAP' signature lost mid-list, table discarded";
    case ERR_CAPACITY: return "E820 list longer than 512 entries (endless?), table discarded";
    case ERR_NOT_FOUND: return "E820 reported no usable RAM";
    default: return "E820 failed";
    }
}

err_t e820_detect(const struct bios_iface *bios, struct e820_detect *d)
{
    if (!d)
        return ERR_INVALID_ARG;
    d->count = 0;
    d->source = 0;
    d->e820_err = ERR_OK;
    d->reason = NULL;
    d->fallback = NULL;
    d->quirks = 0;
    d->e820_calls = 0;
    d->e820_count = 0;
    d->low_kib = 0;

    err_t e = e820_detect_e820(bios, d);
    if (e == ERR_INVALID_ARG)
        return e;
    d->e820_err = e;
    if (e == ERR_OK)
        return ERR_OK;

    if (e820_detect_e801(bios, d) == ERR_OK) {
        d->fallback = "using E801";
    } else if (e820_detect_88(bios, d) == ERR_OK) {
        d->fallback = "E801 failed, using INT 15h 88h";
    } else {
        e820_detect_low_guess(bios, d);
        d->fallback = "E801 and 88h failed, using low memory only";
    }
    d->reason = reason_of(e);
    return ERR_OK;
}
