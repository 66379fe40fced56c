/* memmap.h: the physical memory map: E820 entry types, the sanitizer that turns a raw
 * firmware table into a sorted, non-overlapping map, and lookups over it. Pure core: no BIOS,
 * no allocation, no fixed addresses; the same code runs in stage2, host tests and tools. */
#ifndef MEMMAP_H
#define MEMMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "multios/bootinfo.h"

/* Firmware types (ACPI 6.x table 15-312 plus Linux's names for the rest). */
#define E820_TYPE_RAM           1u
#define E820_TYPE_RESERVED      2u
#define E820_TYPE_ACPI          3u
#define E820_TYPE_NVS           4u
#define E820_TYPE_UNUSABLE      5u
#define E820_TYPE_PMEM          7u
#define E820_TYPE_PRAM         12u
#define E820_TYPE_SOFT_RESERVED 0xefffffffu
/* Loader types: the same numbers as the hand-off header. */
#define E820_TYPE_LOADER_RECLAIMABLE MULTIOS_MEM_LOADER_RECLAIMABLE
#define E820_TYPE_KERNEL             MULTIOS_MEM_KERNEL
#define E820_TYPE_BOOT_HEAP          MULTIOS_MEM_BOOT_HEAP
#define E820_TYPE_FRAME_BITMAP       MULTIOS_MEM_FRAME_BITMAP
#define E820_TYPE_PAGE_TABLES        MULTIOS_MEM_PAGE_TABLES
#define E820_TYPE_BOOT_INFO          MULTIOS_MEM_BOOT_INFO

#define E820_ATTR_ENABLED     MULTIOS_MEM_ATTR_ENABLED
#define E820_ATTR_NONVOLATILE MULTIOS_MEM_ATTR_NONVOLATILE

/* An E820 entry exactly as INT 15h writes it (24 bytes; 20 when the BIOS omits attr). */
struct e820_entry {
    uint64_t base;
    uint64_t length;
    uint32_t type;
    uint32_t attr;
};
_Static_assert(sizeof(struct e820_entry) == 24, "E820 entry is 24 bytes");
_Static_assert(sizeof(struct e820_entry) == sizeof(struct multios_mmap_entry), "same layout");

/* Raw tables up to this many entries are accepted by every producer (BIOS loop, parsers). */
#define MEMMAP_RAW_MAX 512u
/* A sanitized map of n raw entries has at most 2n-1 entries, or 2 when one piece covers all
 * of [0, 2^64) (stored as two, see memmap_sanitize): MEMMAP_MAX holds either. */
#define MEMMAP_MAX (2u * MEMMAP_RAW_MAX)

/* A sorted, non-overlapping map. Storage belongs to the caller. */
struct memmap {
    struct e820_entry *entry;
    uint32_t count;
    uint32_t capacity;
};

/* What sanitizing fixed; the same fields the kernel gets in multios_sanitize_report. */
struct memmap_report {
    uint32_t overlaps;      /* places where entries of different types overlapped */
    uint32_t zero_length;   /* zero-length entries dropped */
    uint32_t type_zero;     /* type-0 entries dropped */
    uint32_t wraps_clipped; /* base + length wrapped past 2^64: clipped to end at 2^64 */
    uint32_t attr_ignored;  /* 24-byte entries dropped because attr bit 0 was clear */
    uint32_t merged;        /* input pieces merged into a neighbour of the same type */
    bool     unsorted;      /* input was not sorted by base */
};

/* Bytes of scratch memmap_sanitize needs for n raw entries. */
#define MEMMAP_SCRATCH_BYTES(n) ((size_t)(n) * 2u * 24u + 64u)

void memmap_init(struct memmap *m, struct e820_entry *storage, uint32_t capacity);

/* Last byte of an entry of non-zero length, clipped at 2^64 - 1 (a raw entry may run past
 * 2^64; a sanitized one never does). */
static inline uint64_t memmap_entry_last(const struct e820_entry *e)
{
    uint64_t last = e->base + (e->length - 1u);
    return last < e->base ? UINT64_MAX : last; /* the sum wrapped past 2^64 */
}

/* The one merge rule of the sanitizer and memmap_set_type: may touching or overlapping
 * pieces of this type become one entry? Not persistent memory (12) or soft-reserved memory
 * (0xefffffff), where each entry describes a device of its own; not type 0, which is no
 * memory at all (the sanitizer drops type-0 entries before it merges anything, and
 * memmap_set_type drops type-0 pieces, holes, after it has merged). */
static inline bool memmap_type_merges(uint32_t type)
{
    return type != 0 && type != E820_TYPE_PRAM && type != E820_TYPE_SOFT_RESERVED;
}

/* Sanitize n raw entries into `out` (replacing its contents; out must not overlap raw or
 * scratch). What each report field counts exactly is defined at the top of
 * core/memmap_sanitize.c. Output attr fields are 0 (attributes are consumed here).
 * The whole address space [0, 2^64) is emitted as [0, 2^64-1) + [2^64-1, 2^64). raw_size[i]
 * is the byte count the BIOS returned for entry i (20 or 24); raw_size == NULL means 20 for
 * all (attributes ignored). scratch must hold MEMMAP_SCRATCH_BYTES(n) bytes, suitably
 * aligned for uint64_t.
 * Returns ERR_CAPACITY if `out` or the scratch is too small (out is then empty), ERR_OK
 * otherwise; rep may be NULL. O(n log n), no recursion. */
err_t memmap_sanitize(struct memmap *out, const struct e820_entry *raw, const uint8_t *raw_size,
                      uint32_t n, void *scratch, size_t scratch_bytes, struct memmap_report *rep);

/* Type at addr, 0 if no entry covers it. O(log n). */
uint32_t memmap_type_at(const struct memmap *m, uint64_t addr);

/* Overwrite [base, base+length) with `type`, splitting and merging neighbours so the map
 * stays sorted, non-overlapping and merged. Used by allocators to write back what they took.
 * ERR_CAPACITY if the split needs more entries than the map has room for (map unchanged).
 * length 0 does nothing; type 0 punches a hole; a range past 2^64 is ERR_OVERFLOW. Types 12
 * and 0xefffffff never merge with their neighbours. O(log n + moved entries). */
err_t memmap_set_type(struct memmap *m, uint64_t base, uint64_t length, uint32_t type);

/* Totals. */
uint64_t memmap_usable_bytes(const struct memmap *m);
/* Last usable byte + 1 (a map reaching 2^64 answers UINT64_MAX), 0 if none. */
uint64_t memmap_highest_usable(const struct memmap *m);
uint64_t memmap_bytes_of_type(const struct memmap *m, uint32_t type);

/* A usable range in whole frames: [base, end), end exclusive (end <= 2^64 - gran). */
struct memmap_range {
    uint64_t base;
    uint64_t end;
};

/* The usable RAM (type 1 only) of m, each range's start rounded up and end rounded down to
 * `gran` (a power of two); ranges that vanish are dropped. Writes up to cap ranges and sets
 * *count to the number written. ERR_CAPACITY if more than cap ranges exist, ERR_INVALID_ARG
 * for a bad gran (0 or not a power of two). */
err_t memmap_usable_ranges(const struct memmap *m, uint64_t gran, struct memmap_range *out,
                           uint32_t cap, uint32_t *count);

/* Copy of `in` into `out` where entries of usable or loader types are trimmed to whole
 * `gran` frames (slivers dropped, so those bytes become holes); other entries are copied
 * byte-exact. This is the map a kernel receives. in == out is allowed; ERR_CAPACITY leaves
 * out unchanged. */
err_t memmap_frame_align(const struct memmap *in, uint64_t gran, struct memmap *out);

/* True if a kernel may use memory of this type (usable or any loader type). */
bool memmap_type_is_usable_or_loader(uint32_t type);

/* Short name for a type: "usable", "reserved", "ACPI reclaimable", "ACPI NVS", "bad",
 * "persistent", "PRAM", "boot heap", ..., "type 0x...": writes into buf when unknown
 * (buf needs 16 bytes; with less, or NULL, the answer is "unknown"). Never NULL. */
const char *memmap_type_name(uint32_t type, char *buf, size_t bufsize);

#endif
