/* test_memmap.c: memmap_sanitize and the map queries on small hand-drawn tables. Expected
 * maps are worked out from the pictures in the comments, not taken from the code's output. */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "memmap.h"

#define KiB 0x400ull
#define MiB 0x100000ull
#define GiB 0x40000000ull
#define TOP UINT64_MAX

static uint64_t scratch[MEMMAP_SCRATCH_BYTES(64) / 8];
static struct e820_entry out_store[MEMMAP_MAX];

struct expect {
    uint64_t base, length;
    uint32_t type;
};

/* Sanitize raw[n] and check the result against want[nwant]. */
static struct memmap_report run(const struct e820_entry *raw, const uint8_t *size, uint32_t n,
                                const struct expect *want, uint32_t nwant)
{
    struct memmap m;
    struct memmap_report rep;
    memmap_init(&m, out_store, MEMMAP_MAX);
    assert_int_equal(memmap_sanitize(&m, raw, size, n, scratch, sizeof(scratch), &rep), ERR_OK);
    bool same = m.count == nwant;
    for (uint32_t i = 0; same && i < nwant; i++)
        same = m.entry[i].base == want[i].base && m.entry[i].length == want[i].length &&
               m.entry[i].type == want[i].type;
    for (uint32_t i = 0; !same && i < m.count; i++)
        print_message("# got %u: 0x%llx 0x%llx %u\n", i, (unsigned long long)m.entry[i].base,
                      (unsigned long long)m.entry[i].length, m.entry[i].type);
    assert_true(same);
    return rep;
}

#define N(a) ((uint32_t)(sizeof(a) / sizeof((a)[0])))

/*   0        16K  20K        64K
 *   |usable  |res |usable     |       one conflict range, usable split in two */
static void reserved_nested_in_usable_splits_it(void **state)
{
    (void)state;
    const struct e820_entry raw[] = {{0, 64 * KiB, 1, 0}, {16 * KiB, 4 * KiB, 2, 0}};
    const struct expect want[] = {{0, 16 * KiB, 1}, {16 * KiB, 4 * KiB, 2},
                                  {20 * KiB, 44 * KiB, 1}};
    struct memmap_report r = run(raw, NULL, N(raw), want, N(want));
    assert_int_equal(r.overlaps, 1);
    assert_int_equal(r.merged, 0);
    assert_false(r.unsorted);
}

/* Unknown type 0x20 beats everything standard; 5 beats 4; a hole stays a hole.
 *   0      1M     2M     3M            5M     6M     7M     8M
 *   [1 ...........)
 *          [0x20 .......)
 *                        (hole)        [5 ...........)
 *                                             [4 ...........)          */
static void larger_type_wins_and_holes_stay(void **state)
{
    (void)state;
    const struct e820_entry raw[] = {{0, 2 * MiB, 1, 0},
                                     {1 * MiB, 2 * MiB, 0x20, 0},
                                     {6 * MiB, 2 * MiB, 4, 0},
                                     {5 * MiB, 2 * MiB, 5, 0}};
    const struct expect want[] = {{0, 1 * MiB, 1},
                                  {1 * MiB, 2 * MiB, 0x20},
                                  {5 * MiB, 2 * MiB, 5},
                                  {7 * MiB, 1 * MiB, 4}};
    struct memmap_report r = run(raw, NULL, N(raw), want, N(want));
    assert_int_equal(r.overlaps, 2);
    assert_true(r.unsorted); /* 5M after 6M */
}

static void touching_and_overlapping_same_type_merge(void **state)
{
    (void)state;
    /* [0,4K) [4K,8K) touch; [6K,12K) overlaps; [0,4K) again is a duplicate. */
    const struct e820_entry raw[] = {{0, 4 * KiB, 1, 0},
                                     {4 * KiB, 4 * KiB, 1, 0},
                                     {6 * KiB, 6 * KiB, 1, 0},
                                     {0, 4 * KiB, 1, 0}};
    const struct expect want[] = {{0, 12 * KiB, 1}};
    struct memmap_report r = run(raw, NULL, N(raw), want, N(want));
    assert_int_equal(r.merged, 3);
    assert_int_equal(r.overlaps, 0);
    assert_true(r.unsorted); /* the duplicate at 0 comes after 6K */
}

static void zero_length_and_type_zero_dropped(void **state)
{
    (void)state;
    const struct e820_entry raw[] = {{0, 0, 1, 0},          /* zero length */
                                     {4 * KiB, 0, 0, 0},    /* zero length (counted first) */
                                     {0, 8 * KiB, 0, 0},    /* type 0 */
                                     {8 * KiB, 4 * KiB, 2, 0}};
    const struct expect want[] = {{8 * KiB, 4 * KiB, 2}};
    struct memmap_report r = run(raw, NULL, N(raw), want, N(want));
    assert_int_equal(r.zero_length, 2);
    assert_int_equal(r.type_zero, 1);
    assert_false(r.unsorted); /* only kept entries count */
}

static void wrap_is_clipped_at_top(void **state)
{
    (void)state;
    /* base 2^64-4K, length 8K: wraps, keeps [2^64-4K, 2^64). Another ends exactly at 2^64:
     * not a wrap. */
    const struct e820_entry raw[] = {{TOP - 4 * KiB + 1, 8 * KiB, 2, 0},
                                     {TOP - 16 * KiB + 1, 8 * KiB, 1, 0},
                                     {TOP - 8 * KiB + 1, 8 * KiB, 7, 0}};
    const struct expect want[] = {{TOP - 16 * KiB + 1, 8 * KiB, 1},
                                  {TOP - 8 * KiB + 1, 8 * KiB, 7}};
    struct memmap_report r = run(raw, NULL, N(raw), want, N(want));
    assert_int_equal(r.wraps_clipped, 1);
    assert_int_equal(r.overlaps, 1);
}

static void whole_address_space_is_two_entries(void **state)
{
    (void)state;
    const struct e820_entry raw[] = {{0, 1ull << 63, 1, 0}, {1ull << 63, 1ull << 63, 1, 0}};
    const struct expect want[] = {{0, TOP, 1}, {TOP, 1, 1}};
    struct memmap_report r = run(raw, NULL, N(raw), want, N(want));
    assert_int_equal(r.merged, 1);
    /* Room for one entry is not enough for the pair. */
    struct e820_entry one[1];
    struct memmap m;
    memmap_init(&m, one, 1);
    assert_int_equal(memmap_sanitize(&m, raw, NULL, 2, scratch, sizeof(scratch), NULL),
                     ERR_CAPACITY);
    assert_int_equal(m.count, 0);
}

static void attributes_drop_disabled_only_when_some_enabled(void **state)
{
    (void)state;
    const struct e820_entry raw[] = {{0, 4 * KiB, 1, 1},
                                     {4 * KiB, 4 * KiB, 2, 0}, /* disabled: dropped */
                                     {8 * KiB, 4 * KiB, 1, 0}};
    const uint8_t size[] = {24, 24, 20}; /* the last one has no attributes at all */
    const struct expect want[] = {{0, 4 * KiB, 1}, {8 * KiB, 4 * KiB, 1}};
    struct memmap_report r = run(raw, size, N(raw), want, N(want));
    assert_int_equal(r.attr_ignored, 1);

    /* Every 24-byte entry says 0: the BIOS doesn't fill attributes; keep them all. */
    const uint8_t all24[] = {24, 24, 24};
    const struct e820_entry zero[] = {{0, 4 * KiB, 1, 0}, {4 * KiB, 4 * KiB, 2, 0}};
    const struct expect want2[] = {{0, 4 * KiB, 1}, {4 * KiB, 4 * KiB, 2}};
    r = run(zero, all24, N(zero), want2, N(want2));
    assert_int_equal(r.attr_ignored, 0);
}

/* Type 12 never merges and is cut wherever any entry begins or ends inside it.
 *   0      4K     8K     12K    16K
 *   [12 ........................)
 *          [1    )                    (1 loses, but its ends still cut the PRAM)
 *                        [12    )     (touching/overlapping PRAM: still separate pieces) */
static void pram_splits_at_every_boundary(void **state)
{
    (void)state;
    const struct e820_entry raw[] = {{0, 12 * KiB, 12, 0},
                                     {4 * KiB, 4 * KiB, 1, 0},
                                     {8 * KiB, 8 * KiB, 12, 0}};
    const struct expect want[] = {{0, 4 * KiB, 12},
                                  {4 * KiB, 4 * KiB, 12},
                                  {8 * KiB, 4 * KiB, 12},
                                  {12 * KiB, 4 * KiB, 12}};
    struct memmap_report r = run(raw, NULL, N(raw), want, N(want));
    assert_int_equal(r.overlaps, 1);
    assert_int_equal(r.merged, 0);

    const struct e820_entry dup[] = {{0, 4 * KiB, 0xefffffffu, 0},
                                     {0, 4 * KiB, 0xefffffffu, 0},
                                     {4 * KiB, 4 * KiB, 0xefffffffu, 0}};
    const struct expect want2[] = {{0, 4 * KiB, 0xefffffffu}, {4 * KiB, 4 * KiB, 0xefffffffu}};
    r = run(dup, NULL, N(dup), want2, N(want2));
    assert_int_equal(r.merged, 1);
}

static void capacity_errors_leave_out_empty(void **state)
{
    (void)state;
    const struct e820_entry raw[] = {{0, 64 * KiB, 1, 0}, {16 * KiB, 4 * KiB, 2, 0}};
    struct e820_entry two[2];
    struct memmap m;
    memmap_init(&m, two, 2);
    assert_int_equal(memmap_sanitize(&m, raw, NULL, 2, scratch, sizeof(scratch), NULL),
                     ERR_CAPACITY);
    assert_int_equal(m.count, 0);
    memmap_init(&m, out_store, MEMMAP_MAX);
    assert_int_equal(memmap_sanitize(&m, raw, NULL, 2, scratch, MEMMAP_SCRATCH_BYTES(2) - 1,
                                     NULL), ERR_CAPACITY);
    assert_int_equal(memmap_sanitize(&m, raw, NULL, 2, scratch, MEMMAP_SCRATCH_BYTES(2), NULL),
                     ERR_OK);
    assert_int_equal(m.count, 3);
    assert_int_equal(memmap_sanitize(&m, NULL, NULL, 0, NULL, 0, NULL), ERR_OK);
    assert_int_equal(m.count, 0);
}

/* A map for the query tests:
 *   0     640K      1M          16M   4G         5G
 *   [1    )[2 )     [1          )[2  ) [1        ) */
static struct e820_entry qstore[16];
static struct memmap qmap(void)
{
    const struct e820_entry e[] = {{0, 640 * KiB, 1, 0},
                                   {640 * KiB, 384 * KiB, 2, 0},
                                   {1 * MiB, 15 * MiB, 1, 0},
                                   {16 * MiB, 1 * MiB, 2, 0},
                                   {4 * GiB, 1 * GiB, 1, 0}};
    struct memmap m;
    memmap_init(&m, qstore, 16);
    memcpy(qstore, e, sizeof(e));
    m.count = N(e);
    return m;
}

static void type_at_and_totals(void **state)
{
    (void)state;
    struct memmap m = qmap();
    assert_int_equal(memmap_type_at(&m, 0), 1);
    assert_int_equal(memmap_type_at(&m, 640 * KiB - 1), 1);
    assert_int_equal(memmap_type_at(&m, 640 * KiB), 2);
    assert_int_equal(memmap_type_at(&m, 17 * MiB - 1), 2);
    assert_int_equal(memmap_type_at(&m, 17 * MiB), 0);
    assert_int_equal(memmap_type_at(&m, 5 * GiB - 1), 1);
    assert_int_equal(memmap_type_at(&m, 5 * GiB), 0);
    assert_int_equal(memmap_type_at(&m, TOP), 0);
    assert_int_equal(memmap_usable_bytes(&m), 640 * KiB + 15 * MiB + 1 * GiB);
    assert_int_equal(memmap_bytes_of_type(&m, 2), 384 * KiB + 1 * MiB);
    assert_int_equal(memmap_highest_usable(&m), 5 * GiB);
}

static void set_type_splits_and_merges(void **state)
{
    (void)state;
    struct memmap m = qmap();
    /* Carve a kernel out of the middle of [1M, 16M): 5 -> 7 entries. */
    assert_int_equal(memmap_set_type(&m, 2 * MiB, 1 * MiB, 0x1001), ERR_OK);
    assert_int_equal(m.count, 7);
    assert_int_equal(memmap_type_at(&m, 2 * MiB - 1), 1);
    assert_int_equal(memmap_type_at(&m, 2 * MiB), 0x1001);
    assert_int_equal(memmap_type_at(&m, 3 * MiB), 1);
    /* Give it back: merges into one usable entry again. */
    assert_int_equal(memmap_set_type(&m, 2 * MiB, 1 * MiB, 1), ERR_OK);
    assert_int_equal(m.count, 5);
    assert_int_equal(m.entry[2].base, 1 * MiB);
    assert_int_equal(m.entry[2].length, 15 * MiB);
    /* Usable over the reserved hole between 640K and 1M joins three entries into one. */
    assert_int_equal(memmap_set_type(&m, 640 * KiB, 384 * KiB, 1), ERR_OK);
    assert_int_equal(m.count, 3);
    assert_int_equal(m.entry[0].length, 16 * MiB);
    /* Type 0 punches a hole. */
    assert_int_equal(memmap_set_type(&m, 0, 4 * KiB, 0), ERR_OK);
    assert_int_equal(m.entry[0].base, 4 * KiB);
    assert_int_equal(memmap_set_type(&m, TOP, 2, 1), ERR_OVERFLOW);
    /* Full map: a split that needs room fails and leaves the map as it was. */
    struct e820_entry before[16];
    memcpy(before, m.entry, sizeof(before));
    uint32_t count = m.count;
    m.capacity = m.count + 1;
    assert_int_equal(memmap_set_type(&m, 8 * MiB, 4 * KiB, 2), ERR_CAPACITY);
    assert_int_equal(m.count, count);
    assert_memory_equal(before, m.entry, sizeof(before));
}

static void usable_ranges_round_inwards(void **state)
{
    (void)state;
    const struct e820_entry e[] = {{0x500, 0x9f000 - 0x500 + 0x800, 1, 0}, /* 0x500..0x9f800 */
                                   {0x100000, 0x1000, 1, 0},
                                   {0x200800, 0x800, 1, 0}, /* no whole 4K frame */
                                   {TOP - 0x1fff, 0x2000, 1, 0}};
    struct e820_entry s[4];
    struct memmap m;
    memmap_init(&m, s, 4);
    memcpy(s, e, sizeof(e));
    m.count = 4;
    struct memmap_range r[4];
    uint32_t n = 99;
    assert_int_equal(memmap_usable_ranges(&m, 4096, r, 4, &n), ERR_OK);
    assert_int_equal(n, 3);
    assert_int_equal(r[0].base, 0x1000);
    assert_int_equal(r[0].end, 0x9f000);
    assert_int_equal(r[1].base, 0x100000);
    assert_int_equal(r[1].end, 0x101000);
    /* Reaching 2^64 loses the top frame: end must stay representable. */
    assert_int_equal(r[2].base, TOP - 0x1fff);
    assert_int_equal(r[2].end, TOP - 0xfff);
    assert_int_equal(memmap_usable_ranges(&m, 4096, r, 2, &n), ERR_CAPACITY);
    assert_int_equal(n, 2);
    assert_int_equal(memmap_usable_ranges(&m, 3000, r, 4, &n), ERR_INVALID_ARG);
    assert_int_equal(memmap_usable_ranges(&m, 0, r, 4, &n), ERR_INVALID_ARG);

    struct e820_entry fs[4];
    struct memmap f;
    memmap_init(&f, fs, 4);
    assert_int_equal(memmap_frame_align(&m, 4096, &f), ERR_OK);
    assert_int_equal(f.count, 3);
    assert_int_equal(fs[0].base, 0x1000);
    assert_int_equal(fs[0].length, 0x9e000);
}

static void type_names(void **state)
{
    (void)state;
    char buf[16];
    assert_string_equal(memmap_type_name(1, NULL, 0), "usable");
    assert_string_equal(memmap_type_name(4, NULL, 0), "ACPI NVS");
    assert_string_equal(memmap_type_name(0x1002, NULL, 0), "boot heap");
    assert_string_equal(memmap_type_name(0x20, buf, sizeof(buf)), "type 0x20");
    assert_string_equal(memmap_type_name(0xdeadbeef, buf, sizeof(buf)), "type 0xdeadbeef");
    assert_string_equal(memmap_type_name(0, buf, sizeof(buf)), "type 0x0");
    assert_true(memmap_type_is_usable_or_loader(0x1005));
    assert_false(memmap_type_is_usable_or_loader(0x1006));
    assert_false(memmap_type_is_usable_or_loader(2));
}

/* Hostile arguments get error codes, never a crash (the san build checks the "never"). */
static void bad_arguments_get_codes(void **state)
{
    (void)state;
    const struct e820_entry raw[] = {{0, 4 * KiB, 1, 0}, {2 * KiB, 4 * KiB, 2, 0}};
    struct memmap m;
    memmap_init(&m, out_store, MEMMAP_MAX);
    assert_int_equal(memmap_sanitize(NULL, raw, NULL, 2, scratch, sizeof(scratch), NULL),
                     ERR_INVALID_ARG);
    assert_int_equal(memmap_sanitize(&m, NULL, NULL, 2, scratch, sizeof(scratch), NULL),
                     ERR_INVALID_ARG);
    assert_int_equal(memmap_sanitize(&m, raw, NULL, 2, NULL, sizeof(scratch), NULL),
                     ERR_CAPACITY);
    assert_int_equal(memmap_sanitize(&m, raw, NULL, 0x40000000u, scratch, sizeof(scratch),
                                     NULL), ERR_CAPACITY);
    assert_int_equal(memmap_sanitize(&m, raw, NULL, 0xffffffffu, scratch, SIZE_MAX, NULL),
                     ERR_CAPACITY);
    /* Scratch that is not 8-byte aligned: the 64 spare bytes absorb the alignment. */
    for (unsigned off = 1; off < 8; off++) {
        assert_int_equal(memmap_sanitize(&m, raw, NULL, 2, (char *)scratch + off,
                                         MEMMAP_SCRATCH_BYTES(2), NULL), ERR_OK);
        assert_int_equal(m.count, 2);
        assert_int_equal(m.entry[0].length, 2 * KiB);
    }
    /* A raw_size that is neither 20 nor 24 means no attributes: nothing dropped. */
    const struct e820_entry a[] = {{0, 4 * KiB, 1, 1}, {8 * KiB, 4 * KiB, 1, 0}};
    const uint8_t odd[] = {24, 28};
    struct memmap_report r;
    assert_int_equal(memmap_sanitize(&m, a, odd, 2, scratch, sizeof(scratch), &r), ERR_OK);
    assert_int_equal(m.count, 2);
    assert_int_equal(r.attr_ignored, 0);

    uint32_t n = 7;
    struct memmap_range rg[2];
    assert_int_equal(memmap_usable_ranges(NULL, 4096, rg, 2, &n), ERR_INVALID_ARG);
    assert_int_equal(n, 0); /* nothing written */
    assert_int_equal(memmap_usable_ranges(&m, 4096, NULL, 2, &n), ERR_INVALID_ARG);
    assert_int_equal(memmap_type_at(NULL, 0), 0);
    assert_int_equal(memmap_usable_bytes(NULL), 0);
    assert_int_equal(memmap_highest_usable(NULL), 0);
    assert_int_equal(memmap_set_type(NULL, 0, 1, 1), ERR_INVALID_ARG);
    assert_int_equal(memmap_set_type(&m, 0, 0, 2), ERR_OK); /* length 0: nothing to do */
    assert_int_equal(m.count, 2);
    char small[8];
    assert_string_equal(memmap_type_name(0x77, small, sizeof(small)), "unknown");
    assert_string_equal(memmap_type_name(0x77, NULL, 64), "unknown");
}

/* frame_align may work in place; a too-small output is refused and left alone.
 *   0x500       0x1000   0x2000 0x2800  0x3000     0x5000
 *   [1 ..........................)       kernel  [0x3000 ... 0x5000) loader type
 *                                [2   )  reserved stays byte-exact */
static void frame_align_in_place_and_capacity(void **state)
{
    (void)state;
    struct e820_entry s[4] = {{0x500, 0x2300, 1, 0}, {0x2800, 0x800, 2, 0},
                              {0x3000, 0x2000, 0x1001, 0}, {0x5000, 0x100, 1, 0}};
    struct memmap m = {s, 4, 4};
    struct e820_entry o[2];
    struct memmap small = {o, 0, 2};
    assert_int_equal(memmap_frame_align(&m, 4096, &small), ERR_CAPACITY);
    assert_int_equal(small.count, 0);
    assert_int_equal(memmap_frame_align(&m, 4096, &m), ERR_OK);
    /* usable 0x500..0x2800 -> 0x1000..0x2000; reserved as is; kernel already whole frames;
     * the 0x100-byte usable sliver at 0x5000 is dropped. */
    assert_int_equal(m.count, 3);
    assert_int_equal(s[0].base, 0x1000);
    assert_int_equal(s[0].length, 0x1000);
    assert_int_equal(s[1].base, 0x2800);
    assert_int_equal(s[1].length, 0x800);
    assert_int_equal(s[2].base, 0x3000);
    assert_int_equal(s[2].length, 0x2000);
    assert_int_equal(s[2].type, 0x1001);
    assert_int_equal(memmap_frame_align(&m, 0, &m), ERR_INVALID_ARG);
}

/* Setting a range to PRAM next to PRAM keeps two entries; over usable it splits usable. */
static void set_type_never_merges_pram(void **state)
{
    (void)state;
    struct e820_entry s[8] = {{0, 0x10000, 1, 0}};
    struct memmap m = {s, 1, 8};
    assert_int_equal(memmap_set_type(&m, 0x4000, 0x1000, 12), ERR_OK);
    assert_int_equal(memmap_set_type(&m, 0x5000, 0x1000, 12), ERR_OK);
    assert_int_equal(m.count, 4);
    assert_int_equal(s[1].base, 0x4000);
    assert_int_equal(s[1].type, 12);
    assert_int_equal(s[2].base, 0x5000);
    assert_int_equal(s[2].length, 0x1000);
    assert_int_equal(s[3].base, 0x6000);
    assert_int_equal(s[3].type, 1);
    /* The whole space as one type is two entries; cutting it rejoins the rest. */
    assert_int_equal(memmap_set_type(&m, 0, UINT64_MAX, 1), ERR_OK);
    assert_int_equal(memmap_set_type(&m, UINT64_MAX, 1, 1), ERR_OK);
    assert_int_equal(m.count, 2);
    assert_int_equal(s[0].length, UINT64_MAX);
    assert_int_equal(s[1].base, UINT64_MAX);
    assert_int_equal(memmap_usable_bytes(&m), UINT64_MAX); /* saturated: 2^64 doesn't fit */
    assert_int_equal(memmap_highest_usable(&m), UINT64_MAX);
    assert_int_equal(memmap_set_type(&m, 0, 0x1000, 2), ERR_OK);
    assert_int_equal(m.count, 2);
    assert_int_equal(s[1].base, 0x1000);
    assert_int_equal(s[1].length, 0 - 0x1000ull);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reserved_nested_in_usable_splits_it),
        cmocka_unit_test(larger_type_wins_and_holes_stay),
        cmocka_unit_test(touching_and_overlapping_same_type_merge),
        cmocka_unit_test(zero_length_and_type_zero_dropped),
        cmocka_unit_test(wrap_is_clipped_at_top),
        cmocka_unit_test(whole_address_space_is_two_entries),
        cmocka_unit_test(attributes_drop_disabled_only_when_some_enabled),
        cmocka_unit_test(pram_splits_at_every_boundary),
        cmocka_unit_test(capacity_errors_leave_out_empty),
        cmocka_unit_test(type_at_and_totals),
        cmocka_unit_test(set_type_splits_and_merges),
        cmocka_unit_test(usable_ranges_round_inwards),
        cmocka_unit_test(type_names),
        cmocka_unit_test(bad_arguments_get_codes),
        cmocka_unit_test(frame_align_in_place_and_capacity),
        cmocka_unit_test(set_type_never_merges_pram),
    };
    return cmocka_run_group_tests_name("memmap", tests, NULL, NULL);
}
