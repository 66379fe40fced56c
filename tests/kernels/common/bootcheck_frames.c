/* bootcheck_frames.c: the frame bitmap against the final map, every bit of every region.
 * The rule: a frame's bit is clear exactly when the whole frame is USABLE in the map. Frames
 * the loader took (heap, bitmap, page tables, kernel, boot info, its own low memory) must be
 * set, and every whole usable frame must be somewhere in the bitmap and free. */
#include "bootcheck_int.h"
#include "kio.h"

/* Set bits in [start, start + n) of the bitmap; 64 at a time where whole words allow (an 8 GiB
 * map is two million bits: bit-at-a-time is slow under TCG). Bits are LSB-first in uint64_t
 * words, which on x86 is also LSB-first in bytes, so byte access gives the same bits. */
static uint64_t popcount64(uint64_t v)
{
    v = v - ((v >> 1) & 0x5555555555555555ull);
    v = (v & 0x3333333333333333ull) + ((v >> 2) & 0x3333333333333333ull);
    v = (v + (v >> 4)) & 0x0f0f0f0f0f0f0f0full;
    return (v * 0x0101010101010101ull) >> 56;
}

static uint64_t count_set(const uint8_t *bits, uint64_t start, uint64_t n)
{
    uint64_t set = 0;
    while (n && (start & 63)) {
        set += (bits[start >> 3] >> (start & 7)) & 1u;
        start++;
        n--;
    }
    const uint64_t *w = (const uint64_t *)(const void *)(bits + (start >> 3));
    for (; n >= 64; n -= 64, start += 64)
        set += popcount64(*w++);
    for (; n; n--, start++)
        set += (bits[start >> 3] >> (start & 7)) & 1u;
    return set;
}

/* Whole frames of size 1 << shift inside [a, last] (a aligned), without overflow at 2^64. */
static uint64_t whole_frames(uint64_t a, uint64_t last, unsigned shift)
{
    uint64_t span = last - a; /* bytes - 1 */
    uint64_t mask = ((uint64_t)1 << shift) - 1;
    return (span >> shift) + ((span & mask) == mask);
}

static unsigned log2_exact(uint64_t v)
{
    unsigned n = 0;
    while (v > 1) {
        v >>= 1;
        n++;
    }
    return n;
}

/* Check one region; adds its free bits to *free. False after the first mismatch. */
static bool check_region(struct bc *s, const struct multios_frame_region *r, uint32_t idx,
                         const uint8_t *bits, unsigned shift, uint64_t *free)
{
    uint64_t gran = (uint64_t)1 << shift;
    for (uint64_t f = 0; f < r->frames;) {
        uint64_t a = r->base + (f << shift);
        int i = bc_find(s, a);
        uint64_t run = 1;
        bool want_free = false;
        if (i >= 0 && a + (gran - 1) <= bc_last(&s->map[i])) {
            run = whole_frames(a, bc_last(&s->map[i]), shift);
            if (run > r->frames - f)
                run = r->frames - f;
            want_free = s->map[i].type == MULTIOS_MEM_USABLE;
        }
        uint64_t set = count_set(bits, r->bit_offset + f, run);
        if (want_free ? set != 0 : set != run) {
            /* Name the first frame that disagrees. */
            uint64_t k = 0;
            while (k < run && (count_set(bits, r->bit_offset + f + k, 1) == 0) == want_free)
                k++;
            uint64_t bad = a + (k << shift);
            bc_fail(s, "frame bitmap", "region %u frame 0x%lx is %s but the map says type 0x%x",
                    idx, bad, want_free ? "used" : "free", bc_range_type(s, bad, 1));
            return false;
        }
        *free += run - set;
        f += run;
    }
    return true;
}

void bc_check_frames(struct bc *s)
{
    const struct multios_frame_bitmap *fb = &s->bi->frames;
    uint64_t gran = fb->granularity;
    if (gran < BC_PAGE || (gran & (gran - 1))) {
        bc_fail(s, "frames granularity", "0x%lx is not a power of two >= 4096", gran);
        return;
    }
    unsigned shift = log2_exact(gran);
    if (fb->region_count == 0 || fb->region_count > BC_MAP_MAX || fb->bitmap_bytes == 0) {
        bc_fail(s, "frames", "%u regions, 0x%lx bytes", fb->region_count, fb->bitmap_bytes);
        return;
    }
    if (!s->map)
        return;
    /* The bits and the region table are the loader's: BITMAP or BOOT_INFO memory. */
    uint32_t t = bc_range_type(s, fb->bitmap, fb->bitmap_bytes);
    if (t != MULTIOS_MEM_FRAME_BITMAP)
        bc_fail(s, "frames bitmap location", "[0x%lx, +0x%lx) is type 0x%x", fb->bitmap,
                fb->bitmap_bytes, t);
    uint64_t rbytes = (uint64_t)fb->region_count * sizeof(struct multios_frame_region);
    t = bc_range_type(s, fb->regions, rbytes);
    if (t != MULTIOS_MEM_FRAME_BITMAP && t != MULTIOS_MEM_BOOT_INFO)
        bc_fail(s, "frames regions location", "[0x%lx, +0x%lx) is type 0x%x", fb->regions,
                rbytes, t);
    if (fb->bitmap & 7)
        bc_fail(s, "frames bitmap location", "0x%lx is not uint64_t-aligned", fb->bitmap);
    const uint8_t *bits = s->env->phys(fb->bitmap, fb->bitmap_bytes);
    const struct multios_frame_region *reg = s->env->phys(fb->regions, rbytes);
    if (!bits || !reg || (fb->bitmap & 7)) {
        bc_fail(s, "frames", "bitmap 0x%lx or regions 0x%lx not reachable", fb->bitmap,
                fb->regions);
        return;
    }

    uint64_t total = 0, free = 0, bit_end = 0, prev_end = 0;
    for (uint32_t i = 0; i < fb->region_count; i++) {
        const struct multios_frame_region *r = &reg[i];
        kio_printf("frames: region 0x%lx frames %lu bit %lu\n", r->base, r->frames,
                   r->bit_offset);
        uint64_t bytes = r->frames << shift;
        if (r->frames == 0 || (r->base & (gran - 1)) || (bytes >> shift) != r->frames ||
            r->base + bytes - 1 < r->base || (i && r->base < prev_end) ||
            r->bit_offset < bit_end || r->bit_offset + r->frames > fb->bitmap_bytes * 8) {
            bc_fail(s, "frames regions", "region %u (0x%lx, %lu frames, bit %lu) is misaligned, "
                    "unsorted, overlapping or outside the bitmap", i, r->base, r->frames,
                    r->bit_offset);
            return;
        }
        prev_end = r->base + bytes; /* may be 0 at 2^64: then nothing can follow */
        bit_end = r->bit_offset + r->frames;
        total += r->frames;
        if (!check_region(s, r, i, bits, shift, &free))
            return;
    }
    if (total != fb->frames_total)
        bc_fail(s, "frames_total", "regions hold %lu frames, boot info says %lu", total,
                fb->frames_total);
    if (free != fb->frames_free)
        bc_fail(s, "frames_free", "%lu clear bits, boot info says %lu", free, fb->frames_free);

    /* Coverage: free bits only ever sit on whole usable frames, so if their count equals the
     * number of whole usable frames in the map, every usable frame is in the bitmap. */
    uint64_t usable = 0;
    for (uint32_t i = 0; i < s->count; i++) {
        const struct multios_mmap_entry *e = &s->map[i];
        if (e->type != MULTIOS_MEM_USABLE)
            continue;
        uint64_t a = (e->base + (gran - 1)) & ~(gran - 1);
        if (a >= e->base && a <= bc_last(e) && a + (gran - 1) <= bc_last(e))
            usable += whole_frames(a, bc_last(e), shift);
    }
    if (usable != free)
        bc_fail(s, "frames coverage", "map has %lu whole usable frames, bitmap %lu free", usable,
                free);
    else
        kio_printf("%s: frame bitmap agrees with the map (%lu frames, %lu free)\n",
                   s->env->name, total, free);
}
