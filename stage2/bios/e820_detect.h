/* e820_detect.h: find the machine's memory map through the BIOS: INT 15h E820 and, when
 * that fails or cannot be trusted, E801, then 88h, then a conservative low-memory guess.
 * Pure core: the BIOS call and the bounce buffer come in as a struct bios_iface, so host
 * tests run the same loop against scripted, simulated BIOSes. */
#ifndef E820_DETECT_H
#define E820_DETECT_H

#include <stdint.h>

#include "bios_regs.h"
#include "error.h"
#include "memmap.h"
#include "multios/bootinfo.h"
#include "pc.h"

#define E820_SMAP       0x534D4150u /* 'SMAP', in EAX/EDX of the E820 call */
#define E820_FUNC       0x0000E820u
#define E801_FUNC       0x0000E801u
#define E820_ENTRY_MIN  20u         /* base, length, type */
#define E820_ENTRY_MAX  24u         /* ... + ACPI 3.0 extended attributes */

/* The conservative map when every BIOS method failed: low RAM only. INT 12h's answer is used
 * when it is sane (E820_LOW_MIN_KIB..640 KiB); otherwise 639 KiB, the usual size that leaves
 * the last KiB to an EBDA. */
#define E820_LOW_DEFAULT_KIB 639u
#define E820_LOW_MIN_KIB      64u
#define E820_LOW_MAX_KIB     PC_CONV_KIB

/* Quirks seen and worked around (e820_detect.quirks). None of them makes the table wrong. */
#define E820_QUIRK_CF_END     (1u << 0) /* list ended by CF on the call after the last entry */
#define E820_QUIRK_EBX_LOOP   (1u << 1) /* an old EBX came back and so did its entry: the list
                                         * ended there, the repeats are dropped */
/* The returned size is read from CX (ECX's upper half is ignored: BIOS junk). */
#define E820_QUIRK_ECX_SHORT  (1u << 2) /* CX < 20 returned: entry taken as 20 bytes */
#define E820_QUIRK_ECX_LONG   (1u << 3) /* CX > 24 returned: entry taken as 24 bytes */
#define E820_QUIRK_ECX_ODD    (1u << 4) /* CX 21..23: attributes incomplete, taken as 20 */
#define E820_QUIRK_E801_CXDX  (1u << 5) /* E801 left AX/BX zero: CX/DX used */
#define E820_QUIRK_E801_HOLE  (1u << 6) /* E801 < 15 MiB below 16 MiB: RAM above 16 MiB ignored */
#define E820_QUIRK_INT12_BAD  (1u << 7) /* INT 12h answer not sane: default low size used */

/* The detected table. Embed it (static in stage2, ~14 KiB), e820_detect fills it. */
struct e820_detect {
    /* The table in the order the source produced it (for E820: exactly as the BIOS gave
     * it). Feed entry/size/count to memmap_sanitize(out, entry, size, count, ...). */
    struct e820_entry entry[MEMMAP_RAW_MAX];
    uint8_t size[MEMMAP_RAW_MAX];   /* bytes returned for entry i: 20 or 24 (synthesized: 20) */
    uint32_t next[MEMMAP_RAW_MAX];  /* E820 continuation value (EBX) returned with entry i */
    uint32_t count;
    /* Where the table came from: exactly one of MULTIOS_BOOT_E820 / _E801 / _INT15_88 /
     * _LOW_GUESS, plus MULTIOS_BOOT_E820_ATTRS when any E820 entry was 24 bytes. OR it into
     * multios_boot_info.flags. */
    uint32_t source;
    /* Why E820 was not used: ERR_OK when it was; else ERR_E820_UNSUPPORTED (CF or no 'SMAP'
     * on the first call), ERR_E820_BAD_SIGNATURE ('SMAP' lost mid-list: table discarded),
     * ERR_CAPACITY (more than MEMMAP_RAW_MAX entries: endless or absurd list, discarded),
     * ERR_NOT_FOUND (a complete list without any usable RAM). */
    err_t e820_err;
    /* For the log when a fallback happened: why E820 was not used, and what was used
     * instead ("using E801", ...). Both NULL when E820 was used; constant strings. */
    const char *reason;
    const char *fallback;
    uint32_t quirks;      /* E820_QUIRK_* */
    uint32_t e820_calls;  /* INT 15h E820 calls made */
    uint32_t e820_count;  /* entries E820 had returned before it was abandoned (0 if used) */
    uint32_t low_kib;     /* INT 12h answer (0 if not asked / not sane) */
};

/* Run E820 and the fallbacks through `bios` (vector 0x15 and 0x12 only; the bounce buffer
 * must hold >= 24 bytes below 1 MiB). Always leaves a usable table in `d` unless the
 * arguments are bad: returns ERR_INVALID_ARG (NULL pointers, no call, bounce buffer too
 * small or unreachable from real mode; d->count is then 0), ERR_OK otherwise. Check
 * d->source and d->e820_err / d->reason to learn whether a fallback was taken. */
err_t e820_detect(const struct bios_iface *bios, struct e820_detect *d);

/* The steps, for callers and tests that want one method alone. Each resets d's table and
 * fills it only on success (d->count == 0 on failure); returns the reason on failure. */
err_t e820_detect_e820(const struct bios_iface *bios, struct e820_detect *d);
err_t e820_detect_e801(const struct bios_iface *bios, struct e820_detect *d);
err_t e820_detect_88(const struct bios_iface *bios, struct e820_detect *d);
void e820_detect_low_guess(const struct bios_iface *bios, struct e820_detect *d);

#endif
