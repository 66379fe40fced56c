/* memmap.c: lookups, totals, frame views and in-place edits of a sanitized memory map (the
 * sanitizer itself is in memmap_sanitize.c). A map is sorted by base, non-overlapping, and
 * no two touching entries share a mergeable type; the one exception is a piece covering all
 * of [0, 2^64), stored as [0, 2^64 - 1) + [2^64 - 1, 2^64) because a length has 64 bits. */
#include <string.h>

#include "arith.h"
#include "memmap.h"

void memmap_init(struct memmap *m, struct e820_entry *storage, uint32_t capacity)
{
    m->entry = storage;
    m->count = 0;
    m->capacity = storage ? capacity : 0;
}

/* Index of the first entry whose last byte is >= addr (count if none). */
static uint32_t first_ending_at_or_after(const struct memmap *m, uint64_t addr)
{
    uint32_t lo = 0, hi = m->count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2u;
        if (memmap_entry_last(&m->entry[mid]) < addr)
            lo = mid + 1u;
        else
            hi = mid;
    }
    return lo;
}

uint32_t memmap_type_at(const struct memmap *m, uint64_t addr)
{
    if (!m || !m->entry)
        return 0;
    uint32_t i = first_ending_at_or_after(m, addr);
    if (i < m->count && m->entry[i].base <= addr)
        return m->entry[i].type;
    return 0;
}

/* An inclusive piece while memmap_set_type rebuilds the neighbourhood of its range. */
struct piece {
    uint64_t first, last;
    uint32_t type;
};

err_t memmap_set_type(struct memmap *m, uint64_t base, uint64_t length, uint32_t type)
{
    if (!m || (!m->entry && m->capacity))
        return ERR_INVALID_ARG;
    if (length == 0)
        return ERR_OK;
    if (length - 1u > UINT64_MAX - base)
        return ERR_OVERFLOW;
    uint64_t last = base + (length - 1u);

    /* Entries [lo, hi) overlap [base, last]; widen by the entry touching what they and the
     * new range span on each side, so that pieces of one type can merge (this also rejoins
     * the [0, 2^64) pair once it no longer covers everything). */
    uint32_t lo = first_ending_at_or_after(m, base);
    uint32_t hi = lo;
    while (hi < m->count && m->entry[hi].base <= last)
        hi++;
    uint64_t left = base, right = last;
    if (lo < hi && m->entry[lo].base < base)
        left = m->entry[lo].base;
    if (lo < hi && memmap_entry_last(&m->entry[hi - 1u]) > last)
        right = memmap_entry_last(&m->entry[hi - 1u]);
    if (lo > 0 && left > 0 && memmap_entry_last(&m->entry[lo - 1u]) == left - 1u)
        lo--;
    if (hi < m->count && right < UINT64_MAX && m->entry[hi].base == right + 1u)
        hi++;

    /* At most: two parts before base (a neighbour and a cut entry), the new range, two
     * parts after last. */
    struct piece p[5];
    uint32_t np = 0;
    for (uint32_t i = lo; i < hi; i++) {
        const struct e820_entry *e = &m->entry[i];
        if (e->base < base) {
            uint64_t l = memmap_entry_last(e);
            p[np++] = (struct piece){e->base, l < base ? l : base - 1u, e->type};
        }
    }
    p[np++] = (struct piece){base, last, type};
    for (uint32_t i = lo; i < hi; i++) {
        const struct e820_entry *e = &m->entry[i];
        uint64_t l = memmap_entry_last(e);
        if (l > last)
            p[np++] = (struct piece){e->base > last ? e->base : last + 1u, l, e->type};
    }

    /* Merge touching pieces of one mergeable type, then drop holes (type 0). */
    struct piece q[5];
    uint32_t nq = 0;
    for (uint32_t i = 0; i < np; i++) {
        if (nq > 0 && q[nq - 1u].type == p[i].type && memmap_type_merges(p[i].type) &&
            q[nq - 1u].last + 1u == p[i].first)
            q[nq - 1u].last = p[i].last;
        else
            q[nq++] = p[i];
    }
    uint32_t out = 0;
    for (uint32_t i = 0; i < nq; i++)
        if (q[i].type != 0)
            out += (q[i].first == 0 && q[i].last == UINT64_MAX) ? 2u : 1u;

    uint32_t removed = hi - lo;
    if ((uint64_t)m->count - removed + out > m->capacity)
        return ERR_CAPACITY;

    uint32_t tail = m->count - hi;
    memmove(&m->entry[lo + out], &m->entry[hi], (size_t)tail * sizeof(m->entry[0]));
    uint32_t w = lo;
    for (uint32_t i = 0; i < nq; i++) {
        if (q[i].type == 0)
            continue;
        uint64_t first = q[i].first, l = q[i].last;
        if (first == 0 && l == UINT64_MAX) { /* [0, 2^64) does not fit one entry */
            m->entry[w++] = (struct e820_entry){0, UINT64_MAX, q[i].type, 0};
            first = UINT64_MAX;
        }
        m->entry[w++] = (struct e820_entry){first, l - first + 1u, q[i].type, 0};
    }
    m->count = m->count - removed + out;
    return ERR_OK;
}

uint64_t memmap_bytes_of_type(const struct memmap *m, uint32_t type)
{
    uint64_t sum = 0;
    for (uint32_t i = 0; m && m->entry && i < m->count; i++)
        if (m->entry[i].type == type)
            sum = arith_add_sat(sum, m->entry[i].length);
    return sum; /* saturates at UINT64_MAX: all of 2^64 does not fit */
}

uint64_t memmap_usable_bytes(const struct memmap *m)
{
    return memmap_bytes_of_type(m, E820_TYPE_RAM);
}

uint64_t memmap_highest_usable(const struct memmap *m)
{
    for (uint32_t i = m && m->entry ? m->count : 0; i-- > 0;) {
        const struct e820_entry *e = &m->entry[i];
        if (e->type == E820_TYPE_RAM) {
            uint64_t l = memmap_entry_last(e);
            return l == UINT64_MAX ? UINT64_MAX : l + 1u;
        }
    }
    return 0;
}

/* Whole frames of e: [*b, *end). False if no whole frame fits. An entry reaching 2^64
 * loses its top frame so that end stays representable (end <= 2^64 - gran). */
static bool frames_of(const struct e820_entry *e, uint64_t gran, uint64_t *b, uint64_t *end)
{
    uint64_t mask = gran - 1u;
    if (e->base > UINT64_MAX - mask)
        return false;
    uint64_t first = (e->base + mask) & ~mask;
    uint64_t l = memmap_entry_last(e);
    uint64_t stop = l == UINT64_MAX ? (UINT64_MAX & ~mask) : ((l + 1u) & ~mask);
    if (first >= stop)
        return false;
    *b = first;
    *end = stop;
    return true;
}

err_t memmap_usable_ranges(const struct memmap *m, uint64_t gran, struct memmap_range *out,
                           uint32_t cap, uint32_t *count)
{
    uint32_t n = 0;
    if (count)
        *count = 0;
    if (!m || !count || (!out && cap) || (!m->entry && m->count))
        return ERR_INVALID_ARG;
    if (!arith_is_pow2(gran))
        return ERR_INVALID_ARG;
    for (uint32_t i = 0; i < m->count; i++) {
        uint64_t b, end;
        if (m->entry[i].type != E820_TYPE_RAM || !frames_of(&m->entry[i], gran, &b, &end))
            continue;
        /* The [0, 2^64) split pair: the second half never holds a whole frame, and the
         * first half's range already reaches the top frame boundary. */
        if (n > 0 && out[n - 1u].end == b) {
            out[n - 1u].end = end;
            continue;
        }
        if (n >= cap) {
            *count = n;
            return ERR_CAPACITY;
        }
        out[n].base = b;
        out[n].end = end;
        n++;
    }
    *count = n;
    return ERR_OK;
}

bool memmap_type_is_usable_or_loader(uint32_t type)
{
    return type == E820_TYPE_RAM || MULTIOS_MEM_IS_LOADER(type);
}

err_t memmap_frame_align(const struct memmap *in, uint64_t gran, struct memmap *out)
{
    if (!in || !out || (!in->entry && in->count) || (!out->entry && out->capacity))
        return ERR_INVALID_ARG;
    if (!arith_is_pow2(gran))
        return ERR_INVALID_ARG;
    /* Count first so that a too-small out is left untouched; in == out works because
     * entries are only ever written at or before the index they are read from. */
    uint32_t need = 0;
    for (uint32_t i = 0; i < in->count; i++) {
        uint64_t b, end;
        if (!memmap_type_is_usable_or_loader(in->entry[i].type) ||
            frames_of(&in->entry[i], gran, &b, &end))
            need++;
    }
    if (need > out->capacity)
        return ERR_CAPACITY;
    uint32_t n = 0, count = in->count;
    for (uint32_t i = 0; i < count; i++) {
        struct e820_entry e = in->entry[i];
        if (memmap_type_is_usable_or_loader(e.type)) {
            uint64_t b, end;
            if (!frames_of(&e, gran, &b, &end))
                continue;
            e.base = b;
            e.length = end - b;
        }
        out->entry[n++] = e;
    }
    out->count = n;
    return ERR_OK;
}

static const struct {
    uint32_t type;
    const char *name;
} type_names[] = {
    {E820_TYPE_RAM, "usable"},
    {E820_TYPE_RESERVED, "reserved"},
    {E820_TYPE_ACPI, "ACPI reclaimable"},
    {E820_TYPE_NVS, "ACPI NVS"},
    {E820_TYPE_UNUSABLE, "bad"},
    {E820_TYPE_PMEM, "persistent"},
    {E820_TYPE_PRAM, "PRAM"},
    {E820_TYPE_SOFT_RESERVED, "soft reserved"},
    {E820_TYPE_LOADER_RECLAIMABLE, "loader reclaimable"},
    {E820_TYPE_KERNEL, "kernel"},
    {E820_TYPE_BOOT_HEAP, "boot heap"},
    {E820_TYPE_FRAME_BITMAP, "frame bitmap"},
    {E820_TYPE_PAGE_TABLES, "page tables"},
    {E820_TYPE_BOOT_INFO, "boot info"},
};

const char *memmap_type_name(uint32_t type, char *buf, size_t bufsize)
{
    for (size_t i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
        if (type_names[i].type == type)
            return type_names[i].name;
    /* "type 0x" + up to 8 hex digits + NUL = 16 bytes. */
    if (!buf || bufsize < 16u)
        return "unknown";
    static const char hex[] = "0123456789abcdef";
    memcpy(buf, "type 0x", 7);
    size_t n = 7;
    int shift = 28;
    while (shift > 0 && ((type >> shift) & 0xfu) == 0)
        shift -= 4;
    for (; shift >= 0; shift -= 4)
        buf[n++] = hex[(type >> shift) & 0xfu];
    buf[n] = '\0';
    return buf;
}
