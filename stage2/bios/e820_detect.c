/* e820_detect.c: the INT 15h E820 loop, with every termination rule and BIOS quirk named
 * where it is handled. The fallbacks (E801, 88h, low guess) and the chain that tries them
 * live in e820_fallback.c. */
#include <string.h>

#include "e820_detect.h"

/* The bounce buffer must hold one 24-byte entry and be reachable as ES:DI from real mode. */
static bool e820_bounce_ok(const struct bios_iface *bios, uint16_t *seg, uint16_t *off)
{
    if (!bios || !bios->call || !bios->bounce || bios->bounce_size < E820_ENTRY_MAX)
        return false;
    if (bios->bounce_phys > PC_HIGH_MEM - E820_ENTRY_MAX)
        return false;
    return rm_ptr(bios->bounce_phys, seg, off) != 0;
}

/* ECX says how many bytes the BIOS wrote. 24 means the ACPI 3.0 attribute dword is real;
 * anything else is taken as a plain 20-byte entry (its attr is ignored by the sanitizer).
 * Out-of-range answers are not fatal: the buffer holds an entry either way (Linux ignores
 * ECX altogether), so the entry is kept and the oddity recorded. */
static uint8_t e820_entry_size(uint32_t ecx, uint32_t *quirks)
{
    /* Only CX counts: 16-bit BIOS code may set CX alone and leave junk in the upper half
     * (it was zero on the way in, so junk there means the BIOS clobbered it). */
    ecx &= 0xffffu;
    if (ecx == E820_ENTRY_MAX)
        return E820_ENTRY_MAX;
    if (ecx > E820_ENTRY_MAX) {
        *quirks |= E820_QUIRK_ECX_LONG;
        return E820_ENTRY_MAX;
    }
    if (ecx < E820_ENTRY_MIN)
        *quirks |= E820_QUIRK_ECX_SHORT;
    else if (ecx > E820_ENTRY_MIN)
        *quirks |= E820_QUIRK_ECX_ODD;
    return E820_ENTRY_MIN;
}

static bool e820_same(const struct e820_detect *d, uint32_t i, uint32_t j)
{
    return d->size[i] == d->size[j] && d->next[i] == d->next[j] &&
           memcmp(&d->entry[i], &d->entry[j], sizeof d->entry[i]) == 0;
}

/* A BIOS that answers an old continuation value again is looping: once that is confirmed,
 * drop the trailing entries that repeat an earlier (entry, continuation) pair, so a BIOS
 * that clamps its index at the last entry or wraps around to the first leaves no copies. */
static uint32_t e820_trim_repeats(const struct e820_detect *d, uint32_t n)
{
    while (n > 1) {
        bool dup = false;
        for (uint32_t j = 0; j + 1 < n && !dup; j++)
            dup = e820_same(d, j, n - 1);
        if (!dup)
            break;
        n--;
    }
    return n;
}

static bool e820_has_ram(const struct e820_detect *d, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (d->entry[i].type == E820_TYPE_RAM && d->entry[i].length != 0)
            return true;
    return false;
}

err_t e820_detect_e820(const struct bios_iface *bios, struct e820_detect *d)
{
    uint16_t seg, off;

    if (!d)
        return ERR_INVALID_ARG;
    d->count = 0;
    d->source = 0;
    if (!e820_bounce_ok(bios, &seg, &off))
        return ERR_INVALID_ARG;

    /* One buffer for every call, copied out entry by entry: at least one BIOS assumes the
     * buffer is the one it filled last time and writes only the fields that changed (Linux
     * arch/x86/boot/memory.c). It starts zeroed so such a BIOS cannot leak old junk. */
    uint8_t *buf = bios->bounce;
    memset(buf, 0, E820_ENTRY_MAX);

    uint32_t n = 0, cont = 0, attrs = 0;
    uint32_t suspect = UINT32_MAX; /* entry the next call must repeat if the BIOS loops */

    for (;;) {
        struct bios_regs in, out;

        /* Every input register is set afresh on each call: BIOSes clobber ESI, EDI, EBP,
         * EDX and even ES, so nothing from the previous answer is reused but EBX. */
        bios_regs_init(&in);
        in.eax = E820_FUNC;
        in.ebx = cont;
        in.ecx = E820_ENTRY_MAX;
        in.edx = E820_SMAP;
        in.es = seg;
        in.edi = off;
        /* Ask for 24 bytes with the ACPI 3.0 "enabled" bit pre-set: SeaBIOS answers with 20
         * bytes and leaves the dword alone, so it still reads as enabled. */
        const uint32_t enabled = E820_ATTR_ENABLED;
        memcpy(buf + 20, &enabled, sizeof enabled);

        out = in;
        bios->call(bios->ctx, 0x15, &in, &out);
        d->e820_calls++;

        /* CF on the first call: no E820. CF on a later call: the list ended on the call
         * before (many BIOSes never return EBX = 0); this call's buffer is not an entry. */
        if (bios_cf(&out)) {
            if (n == 0)
                return ERR_E820_UNSUPPORTED;
            d->quirks |= E820_QUIRK_CF_END;
            break;
        }
        /* No 'SMAP' on the first answer: the BIOS does not know E820 (and may have done
         * something else entirely). Lost mid-list: we cannot tell whether what we have is
         * partial, complete or garbage, so the whole table is discarded (Linux does too). */
        if (out.eax != E820_SMAP) {
            if (n == 0)
                return ERR_E820_UNSUPPORTED;
            d->e820_count = n;
            return ERR_E820_BAD_SIGNATURE;
        }

        uint8_t size = e820_entry_size(out.ecx, &d->quirks);
        struct e820_entry e;
        memcpy(&e, buf, sizeof e);

        if (suspect != UINT32_MAX) {
            /* The input was a continuation value seen before: same answer again means the
             * BIOS is going round in circles (EBX never reaches 0). A different answer means
             * its EBX is not a cursor (some keep state inside): carry on, the cap guards. */
            if (d->size[suspect] == size && memcmp(&d->entry[suspect], &e, sizeof e) == 0 &&
                d->next[suspect] == out.ebx) {
                d->quirks |= E820_QUIRK_EBX_LOOP;
                n = e820_trim_repeats(d, n);
                break;
            }
            suspect = UINT32_MAX;
        }

        /* Never truncate silently: a list that does not fit is an endless or absurd one. */
        if (n == MEMMAP_RAW_MAX) {
            d->e820_count = n;
            return ERR_CAPACITY;
        }
        d->entry[n] = e;
        d->size[n] = size;
        d->next[n] = out.ebx;
        if (size == E820_ENTRY_MAX)
            attrs = 1;
        n++;

        if (out.ebx == 0)
            break;
        for (uint32_t i = 0; i + 1 < n; i++) {
            if (d->next[i] == out.ebx) {
                suspect = i + 1; /* the entry that answered this continuation before */
                break;
            }
        }
        cont = out.ebx;
    }

    if (!e820_has_ram(d, n)) {
        d->e820_count = n;
        return ERR_NOT_FOUND;
    }
    d->count = n;
    d->source = MULTIOS_BOOT_E820 | (attrs ? MULTIOS_BOOT_E820_ATTRS : 0u);
    return ERR_OK;
}
