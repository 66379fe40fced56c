/* memmap_sanitize.c: turn a raw E820 table into a sorted, non-overlapping, merged map by a
 * sweep over the entries' boundaries (the rules of Linux's e820__update_table, with the
 * differences the issue names: wraps are clipped, not fatal; types 12 and 0xefffffff split).
 *
 * Counting rules for struct memmap_report, so tests and the kernel agree on what they mean.
 * Every raw entry is classified once, by the first rule that applies, in this order:
 *   length 0 -> zero_length; type 0 -> type_zero; raw_size 24 with attr bit 0 clear while
 *   some 24-byte entry of the table (any entry, even one dropped for another reason) has
 *   bit 0 set -> attr_ignored; otherwise the entry is "kept", and counted in wraps_clipped
 *   if base + length > 2^64 (ending exactly at 2^64 is not a wrap). A raw_size other than
 *   24 (20, or anything odd) means the entry has no attributes.
 * unsorted: some kept entry has a smaller base than the kept entry before it in input order.
 * overlaps: the number of maximal address ranges in which every byte is covered by kept
 *   entries of at least two different types (same-type overlaps are merges, not conflicts).
 *   A usable entry with two reserved entries nested in it, apart, is 2; touching, 1.
 * merged: kept entries whose type won at their first byte but which did not begin an output
 *   entry there, because an output entry of their type was already running (overlap,
 *   touching neighbour or duplicate). Two identical type-12 entries give one output entry
 *   and merged = 1; type 12 never joins a touching neighbour.
 *
 * The map cannot hold a single entry [0, 2^64) (its length would need 65 bits); a piece that
 * covers the whole address space is stored as [0, 2^64 - 1) and [2^64 - 1, 2^64). */
#include "memmap.h"

/* One boundary of a kept entry. pos is the address of the first byte after the boundary;
 * an end at 2^64 is pos = UINT64_MAX with EV_TOP, which sorts after every real address. */
struct ev {
    uint64_t pos;
    uint32_t type;
    uint32_t info; /* raw index | EV_END | EV_TOP */
};
#define EV_END 0x80000000u
#define EV_TOP 0x40000000u
#define EV_IDX 0x3fffffffu

_Static_assert(sizeof(struct ev) == 16, "event size feeds MEMMAP_SCRATCH_BYTES");

static bool ev_less(const struct ev *a, const struct ev *b)
{
    if (a->pos != b->pos)
        return a->pos < b->pos;
    return (a->info & EV_TOP) < (b->info & EV_TOP);
}

static bool ev_same_boundary(const struct ev *a, const struct ev *b)
{
    return a->pos == b->pos && (a->info & EV_TOP) == (b->info & EV_TOP);
}

/* Sift v[i] down a max-heap of n events, Floyd's way: walk the larger children down to a
 * leaf, then climb back to where v[i] belongs. About half the comparisons of the textbook
 * loop, since the element sifted during the sort-down usually belongs near the bottom. */
static void ev_sift_down(struct ev *v, uint32_t i, uint32_t n)
{
    struct ev x = v[i];
    uint32_t j = i;
    for (uint32_t c; (c = 2u * j + 1u) < n; j = c) {
        if (c + 1u < n && ev_less(&v[c], &v[c + 1u]))
            c++;
        v[j] = v[c];
    }
    while (j > i) {
        uint32_t p = (j - 1u) / 2u;
        if (!ev_less(&v[p], &x))
            break;
        v[j] = v[p];
        j = p;
    }
    v[j] = x;
}

/* Heap sort: O(n log n), in place, no recursion. Order within a boundary does not matter. */
static void ev_sort(struct ev *v, uint32_t n)
{
    if (n < 2u)
        return;
    for (uint32_t i = n / 2u; i-- > 0;)
        ev_sift_down(v, i, n);
    for (uint32_t end = n - 1u; end > 0; end--) {
        struct ev t = v[0];
        v[0] = v[end];
        v[end] = t;
        ev_sift_down(v, 0, end);
    }
}

/* A binary heap of kept entries ordered by type: the largest type on top (max) or the
 * smallest (min). The type sits next to the index so that sifting never touches the raw
 * table (which matters for cache misses on big tables). Entries that have ended are removed
 * lazily when they reach the top. */
struct pq_item {
    uint32_t type;
    uint32_t idx;
};

struct pq {
    struct pq_item *item;
    uint32_t n;
    bool max;
};

_Static_assert(sizeof(struct pq_item) == 8, "heap item size feeds MEMMAP_SCRATCH_BYTES");

static bool pq_above(const struct pq *q, struct pq_item a, struct pq_item b)
{
    return q->max ? a.type > b.type : a.type < b.type;
}

static void pq_push(struct pq *q, struct pq_item x)
{
    uint32_t i = q->n++;
    while (i > 0) {
        uint32_t p = (i - 1u) / 2u;
        if (!pq_above(q, x, q->item[p]))
            break;
        q->item[i] = q->item[p];
        i = p;
    }
    q->item[i] = x;
}

static void pq_pop(struct pq *q)
{
    struct pq_item x = q->item[--q->n];
    uint32_t i = 0;
    for (;;) {
        uint32_t c = 2u * i + 1u;
        if (c >= q->n)
            break;
        if (c + 1u < q->n && pq_above(q, q->item[c + 1u], q->item[c]))
            c++;
        if (!pq_above(q, q->item[c], x))
            break;
        q->item[i] = q->item[c];
        i = c;
    }
    if (q->n > 0)
        q->item[i] = x;
}

/* Drop ended entries from the top. At the boundary (pos, top) an entry has ended if its
 * last byte lies before pos, or always at the 2^64 boundary. */
static void pq_prune(struct pq *q, const struct e820_entry *raw, uint64_t pos, bool top)
{
    while (q->n > 0 && (top || memmap_entry_last(&raw[q->item[0].idx]) < pos))
        pq_pop(q);
}

static bool append(struct memmap *out, uint64_t base, uint64_t length, uint32_t type)
{
    if (out->count >= out->capacity)
        return false;
    out->entry[out->count++] = (struct e820_entry){base, length, type, 0};
    return true;
}

/* Append [start, end) where end is pos, or 2^64 when top. False when out is full. */
static bool emit(struct memmap *out, uint64_t start, uint64_t pos, bool top, uint32_t type)
{
    if (!top)
        return append(out, start, pos - start, type);
    if (start != 0)
        return append(out, start, 0u - start, type);
    /* [0, 2^64): see the note at the top of the file. */
    return append(out, 0, UINT64_MAX, type) && append(out, UINT64_MAX, 1, type);
}

/* Classify raw entries, write two events per kept one; returns the event count. */
static uint32_t collect(const struct e820_entry *raw, const uint8_t *raw_size, uint32_t n,
                        struct ev *ev, struct memmap_report *r)
{
    bool attrs_valid = false;
    for (uint32_t i = 0; raw_size && i < n; i++)
        if (raw_size[i] == 24u && (raw[i].attr & E820_ATTR_ENABLED))
            attrs_valid = true;

    uint32_t nev = 0;
    bool have_prev = false;
    uint64_t prev_base = 0;
    for (uint32_t i = 0; i < n; i++) {
        const struct e820_entry *e = &raw[i];
        if (e->length == 0) {
            r->zero_length++;
            continue;
        }
        if (e->type == 0) {
            r->type_zero++;
            continue;
        }
        /* ACPI 3.0: a 24-byte entry with "enabled" clear is to be ignored; but some BIOSes
         * return 0 in every attr field, so only trust the bit if someone sets it. */
        if (attrs_valid && raw_size[i] == 24u && !(e->attr & E820_ATTR_ENABLED)) {
            r->attr_ignored++;
            continue;
        }
        uint64_t last = memmap_entry_last(e);
        if (e->length - 1u > UINT64_MAX - e->base)
            r->wraps_clipped++;
        if (have_prev && e->base < prev_base)
            r->unsorted = true;
        have_prev = true;
        prev_base = e->base;

        ev[nev].pos = e->base;
        ev[nev].type = e->type;
        ev[nev].info = i;
        nev++;
        ev[nev].pos = last == UINT64_MAX ? UINT64_MAX : last + 1u;
        ev[nev].type = e->type;
        ev[nev].info = i | EV_END | (last == UINT64_MAX ? EV_TOP : 0u);
        nev++;
    }
    return nev;
}

err_t memmap_sanitize(struct memmap *out, const struct e820_entry *raw, const uint8_t *raw_size,
                      uint32_t n, void *scratch, size_t scratch_bytes, struct memmap_report *rep)
{
    struct memmap_report dummy;
    struct memmap_report *r = rep ? rep : &dummy;
    *r = (struct memmap_report){0};
    if (!out)
        return ERR_INVALID_ARG;
    out->count = 0;
    if (n == 0)
        return ERR_OK;
    if (!raw || !out->entry)
        return ERR_INVALID_ARG;
    /* Events (2 x 16 bytes per entry) then two heaps (2 x 8), after aligning to 8 bytes:
     * 48 bytes per entry, as MEMMAP_SCRATCH_BYTES says. */
    if (n > EV_IDX || !scratch || scratch_bytes < 64u || (scratch_bytes - 64u) / 48u < n)
        return ERR_CAPACITY;
    uintptr_t p = ((uintptr_t)scratch + 7u) & ~(uintptr_t)7u;
    struct ev *ev = (struct ev *)p;
    struct pq hi = {(struct pq_item *)(ev + 2u * (size_t)n), 0, true};
    struct pq lo = {hi.item + n, 0, false};

    uint32_t nev = collect(raw, raw_size, n, ev, r);
    ev_sort(ev, nev);

    bool have = false, conflict = false;
    uint64_t start = 0;
    uint32_t cur = 0;
    for (uint32_t g = 0; g < nev;) {
        uint64_t pos = ev[g].pos;
        bool top = (ev[g].info & EV_TOP) != 0;
        uint32_t end = g;
        while (end < nev && ev_same_boundary(&ev[g], &ev[end])) {
            if (!(ev[end].info & EV_END)) {
                struct pq_item it = {ev[end].type, ev[end].info & EV_IDX};
                pq_push(&hi, it);
                pq_push(&lo, it);
            }
            end++;
        }
        pq_prune(&hi, raw, pos, top);
        pq_prune(&lo, raw, pos, top);
        uint32_t type = hi.n ? hi.item[0].type : 0u;
        bool now_conflict = hi.n && lo.item[0].type != type;
        if (now_conflict && !conflict)
            r->overlaps++;
        conflict = now_conflict;

        /* Types 12 and 0xefffffff describe separate devices: cut them at every boundary. */
        bool cont = have && type == cur && memmap_type_merges(type);
        if (have && !cont) {
            if (!emit(out, start, pos, top, cur)) {
                out->count = 0;
                return ERR_CAPACITY;
            }
            have = false;
        }
        uint32_t starting = 0;
        for (uint32_t k = g; k < end; k++)
            if (!(ev[k].info & EV_END) && ev[k].type == type)
                starting++;
        if (!cont && type != 0) {
            have = true;
            start = pos;
            cur = type;
            if (starting > 0)
                starting--; /* one of them begins the output entry */
        }
        r->merged += starting;
        g = end;
    }
    return ERR_OK;
}
