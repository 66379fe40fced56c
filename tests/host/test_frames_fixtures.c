/* test_frames_fixtures.c: a frame bitmap built from every real-firmware E820 fixture
 * (tests/fixtures/e820/, read with the inspector's fixture reader). For each one the storage
 * size is checked against an independent count made here from the raw entries, the storage
 * must sit at 1 MiB and show up in the map, and the stats must describe an otherwise empty
 * bitmap. The QEMU pc 4 GiB table (reserved range at 1 TiB) and q35 8 GiB are also worked out
 * by hand below: a bitmap spanning the address space would take 32 MiB there. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fake_storage.h"
#include "frames.h"
#include "memmap.h"
#include "testutil.h"
#include "../../tools/e820/parse.h"

#define MiB 0x100000ull

static const char *const fixtures[] = {
    "02-lkml2005-intel-dualcore-4g-no-remap", "06-apple-macbookpro11-1",
    "10-hp-proliant-dl380-gen9",              "13-google-peppy-coreboot-seabios",
    "19-virtualbox-bios-6g",                  "23-xen-hvm-seabios-raw",
    "seabios-pc-1G",                          "seabios-pc-32M",
    "seabios-pc-4G",                          "seabios-q35-128M",
    "seabios-q35-2G-full-debug",              "seabios-q35-3G",
    "seabios-q35-4G-kvm",                     "seabios-q35-8G",
};

static struct e820_input input;
static struct e820_entry store[MEMMAP_MAX];
static uint64_t scratch[MEMMAP_SCRATCH_BYTES(MEMMAP_RAW_MAX) / 8];

struct expect {
    uint64_t frames, regions, bytes, largest_region;
};

/* Independent count from the raw type-1 entries (the fixtures have no overlapping RAM). */
static struct expect count_raw(const struct e820_input *in, uint64_t gran)
{
    struct expect x = {0, 0, 0, 0};
    for (uint32_t i = 0; i < in->count; i++) {
        const struct e820_entry *e = &in->entry[i];
        if (e->type != 1)
            continue;
        uint64_t first = (e->base + gran - 1) / gran;
        uint64_t last = (e->base + e->length) / gran;
        if (last <= first)
            continue;
        x.frames += last - first;
        x.regions++;
        x.bytes += (last - first + 63) / 64 * 8 + 24;
        if (last - first > x.largest_region)
            x.largest_region = last - first;
    }
    return x;
}

static void check_fixture(const char *name, uint64_t gran, struct frames *f_out,
                          uint64_t *bytes_out)
{
    struct memmap m;
    struct frames f;
    struct fake_storage storage = {0};
    char path[256];
    snprintf(path, sizeof(path), "tests/fixtures/e820/%s.txt", name);
    char *text = testutil_read_file(path, NULL);

    assert_int_equal(parse_fixture(text, &input, NULL), ERR_OK);
    free(text);
    memmap_init(&m, store, MEMMAP_MAX);
    assert_int_equal(memmap_sanitize(&m, input.entry, input.size, input.count, scratch,
                                     sizeof(scratch), NULL), ERR_OK);
    struct expect x = count_raw(&input, gran);
    uint64_t bytes = 0;
    uint32_t regions = 0;
    assert_int_equal(frames_storage_bytes(&m, gran, &bytes, &regions), ERR_OK);
    assert_int_equal(bytes, x.bytes);
    assert_int_equal(regions, x.regions);

    assert_int_equal(frames_init(&f, &m, gran, MiB, fake_storage_ptr, &storage), ERR_OK);
    uint64_t sf = (bytes + gran - 1) / gran;
    assert_int_equal(f.total, x.frames);
    assert_int_equal(f.storage_bytes, bytes);
    /* every fixture has usable RAM at 1 MiB (or at the first 2 MiB frame above it) */
    assert_int_equal(f.storage_phys, (MiB + gran - 1) / gran * gran);
    assert_int_equal(memmap_bytes_of_type(&m, E820_TYPE_FRAME_BITMAP), sf * gran);
    assert_int_equal(memmap_type_at(&m, f.storage_phys), E820_TYPE_FRAME_BITMAP);

    struct frames_stats s;
    frames_stats(&f, &s);
    assert_int_equal(s.free, x.frames - sf);
    assert_int_equal(s.used, sf);
    /* each region is one free run; the storage sits at the start of one of them */
    assert_int_equal(s.free_runs, x.regions);
    assert_true(s.largest_run == x.largest_region || s.largest_run == x.largest_region - sf);
    print_message("# %-40s gran %7llu: %6llu frames, %2llu regions, %7llu bytes\n", name,
                  (unsigned long long)gran, (unsigned long long)x.frames,
                  (unsigned long long)x.regions, (unsigned long long)bytes);
    if (f_out)
        *f_out = f;
    if (bytes_out)
        *bytes_out = bytes;
    fake_storage_release(&storage);
}

static void every_fixture_at_4k_and_2m(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
        check_fixture(fixtures[i], 4096, NULL, NULL);
        check_fixture(fixtures[i], 2 * MiB, NULL, NULL);
    }
}

/* QEMU pc, 4 GiB: usable [0, 0x9fc00) = 159 whole frames, [1 MiB, 0xbffe0000) =
 * 0xbfee0 = 786144 frames, [4 GiB, 5 GiB) = 262144 frames: 1048447 frames in all.
 * Words: 3 + 12284 (786144 / 64 = 12283.5) + 4096 = 16383 -> 131064 bytes, plus 3 regions
 * * 24 = 131136 bytes, 33 frames. A bitmap spanning to the reserved range's end at 1 TiB
 * would need 2^40 / 4096 / 8 = 32 MiB. */
static void qemu_pc_4g_bitmap_follows_usable_ram(void **state)
{
    (void)state;
    struct frames f;
    uint64_t bytes;
    check_fixture("seabios-pc-4G", 4096, &f, &bytes);
    assert_int_equal(f.total, 1048447);
    assert_int_equal(bytes, 131136);
    assert_int_equal(f.storage_frames, 33);
    assert_int_equal(f.region_count, 3);
    assert_true(bytes < 1048447 / 8 + 3 * (8 + 24));
    assert_true(bytes * 200 < (1ull << 40) / 4096 / 8); /* vs 32 MiB: under 0.5% of it */
}

/* q35, 8 GiB: 159 + 0x7fedf (523999) + 0x180000 (1572864) frames; words 3 + 8188 + 24576 =
 * 32767 -> 262136 bytes + 72 = 262208 bytes. */
static void qemu_q35_8g_by_hand(void **state)
{
    (void)state;
    struct frames f;
    uint64_t bytes;
    check_fixture("seabios-q35-8G", 4096, &f, &bytes);
    assert_int_equal(f.total, 159 + 523999 + 1572864);
    assert_int_equal(bytes, 262208);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_fixture_at_4k_and_2m),
        cmocka_unit_test(qemu_pc_4g_bitmap_follows_usable_ram),
        cmocka_unit_test(qemu_q35_8g_by_hand),
    };
    return cmocka_run_group_tests_name("frames_fixtures", tests, NULL, NULL);
}
