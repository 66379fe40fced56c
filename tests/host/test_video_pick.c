/* test_video_pick.c: the choice of a mode (video_pick: fits, depth, pixels, list order), the
 * request's defaults, the text mode's fields, and where a framebuffer may lie in the map
 * (video_fb_clash). Mode lists are written out by hand; a property test checks the choice
 * against a brute-force reading of the rules on random lists. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "video_pick.h"

static struct video_mode mode(uint32_t w, uint32_t h, uint32_t bpp)
{
    return (struct video_mode){ .type = VIDEO_TYPE_RGB, .addr = 0xfd000000u,
                                .pitch = w * ((bpp + 7) / 8), .width = w, .height = h,
                                .bpp = bpp, .vbe_mode = 0x100 };
}

static struct video_request want(uint32_t w, uint32_t h, uint32_t d)
{
    return (struct video_request){ .given = true, .graphics = true, .width = w, .height = h,
                                   .depth = d };
}

/* QEMU's std VGA offers these (a part of its list, in its order). */
static struct video_mode qemu[16];
static uint32_t nqemu;

static int setup_qemu(void **state)
{
    static const uint32_t m[][3] = {
        { 320, 200, 15 },   { 320, 200, 16 },  { 640, 480, 16 },   { 640, 480, 24 },
        { 800, 600, 16 },   { 800, 600, 24 },  { 1024, 768, 16 },  { 1024, 768, 24 },
        { 1280, 1024, 24 }, { 640, 480, 32 },  { 800, 600, 32 },   { 1024, 768, 32 },
        { 1280, 1024, 32 }, { 1280, 720, 32 }, { 1152, 864, 32 },  { 1920, 1080, 32 },
    };
    (void)state;
    for (nqemu = 0; nqemu < 16; nqemu++)
        qemu[nqemu] = mode(m[nqemu][0], m[nqemu][1], m[nqemu][2]);
    return 0;
}

#define PICK(w, h, d) video_pick(qemu, nqemu, &(struct video_request){ true, true, w, h, d })

static void exact_match(void **state)
{
    (void)state;
    assert_int_equal(PICK(1024, 768, 32), 11);
    assert_int_equal(PICK(800, 600, 16), 4);
    assert_int_equal(PICK(1280, 1024, 24), 8);
    assert_int_equal(PICK(320, 200, 15), 0);
}

/* Never larger than asked: the largest that fits; nothing fits below the smallest. */
static void never_larger_than_asked(void **state)
{
    (void)state;
    assert_int_equal(PICK(1000, 700, 32), 10);   /* 800x600x32 */
    assert_int_equal(PICK(1279, 1024, 32), 14);  /* 1152x864x32, not 1280x1024 */
    assert_int_equal(PICK(1920, 1079, 32), 12);  /* 1280x1024 beats 1280x720 and 1152x864 */
    assert_int_equal(PICK(100, 100, 32), -1);
    assert_int_equal(PICK(319, 200, 16), -1);
    assert_int_equal(PICK(320, 199, 16), -1);
}

/* The depth first: the requested one at a smaller size beats another at the exact size. */
static void depth_before_size(void **state)
{
    (void)state;
    assert_int_equal(PICK(1280, 1024, 16), 6);   /* 1024x768x16, not 1280x1024x24 */
    assert_int_equal(PICK(320, 200, 32), 1);     /* no 32 that small: 16 is nearer than 15 */
}

/* No depth asked: nearest to 32; equally near on both sides: the deeper. */
static void nearest_depth(void **state)
{
    struct video_mode m[3] = { mode(640, 480, 16), mode(640, 480, 32), mode(640, 480, 15) };
    (void)state;
    assert_int_equal(video_pick(m, 3, &(struct video_request){ true, true, 640, 480, 24 }), 1);
    assert_int_equal(video_pick(m, 3, &(struct video_request){ true, true, 640, 480, 8 }), 2);
    assert_int_equal(video_pick(m, 3, &(struct video_request){ true, true, 640, 480, 17 }), 0);
    assert_int_equal(video_pick(m, 3, &(struct video_request){ true, true, 640, 480, 0 }), 1);
}

/* Same depth and pixels: the wider; all equal: the first listed. */
static void ties(void **state)
{
    struct video_mode m[4] = { mode(960, 960, 32), mode(1280, 720, 32), mode(1280, 720, 32),
                               mode(720, 1280, 32) };
    (void)state;
    assert_int_equal(video_pick(m, 4, &(struct video_request){ true, true, 2000, 2000, 32 }), 1);
    m[1].type = VIDEO_TYPE_INDEXED; /* out of the running: its twin */
    assert_int_equal(video_pick(m, 4, &(struct video_request){ true, true, 2000, 2000, 32 }), 2);
}

static void defaults_fill_no_preference(void **state)
{
    struct video_request r;
    (void)state;
    r = video_request_resolve(&(struct video_request){ true, true, 0, 0, 0 });
    assert_int_equal(r.width, 1024);
    assert_int_equal(r.height, 768);
    assert_int_equal(r.depth, 32);
    r = video_request_resolve(&(struct video_request){ true, true, 800, 0, 16 });
    assert_int_equal(r.width, 1024); /* a width alone is no size */
    assert_int_equal(r.height, 768);
    assert_int_equal(r.depth, 16);
    r = video_request_resolve(&(struct video_request){ true, true, 640, 480, 0 });
    assert_int_equal(r.width, 640);
    assert_int_equal(r.depth, 32);
    assert_int_equal(PICK(0, 0, 0), 11);
}

static void only_direct_colour_counts(void **state)
{
    struct video_mode m[2] = { mode(640, 480, 32), mode(640, 480, 16) };
    (void)state;
    m[0].type = VIDEO_TYPE_INDEXED;
    assert_int_equal(video_pick(m, 2, &(struct video_request){ true, true, 640, 480, 32 }), 1);
    m[1].type = VIDEO_TYPE_EGA_TEXT;
    assert_int_equal(video_pick(m, 2, &(struct video_request){ true, true, 640, 480, 32 }), -1);
    assert_int_equal(video_pick(m, 0, &(struct video_request){ true, true, 640, 480, 32 }), -1);
}

static void text_mode_fields(void **state)
{
    struct video_mode t = video_text_mode();
    (void)state;
    assert_int_equal(t.type, VIDEO_TYPE_EGA_TEXT);
    assert_int_equal(t.addr, 0xb8000);
    assert_int_equal(t.width, 80);
    assert_int_equal(t.height, 25);
    assert_int_equal(t.pitch, 160);
    assert_int_equal(t.bpp, 16);
    assert_int_equal(t.vbe_mode, VIDEO_NO_VBE_MODE);
    assert_int_equal(video_mode_bytes(&t), 4000);
    assert_null(t.vbe_control_info);
}

/* ---- the framebuffer and the map ------------------------------------------------------- */
/*   0          0x9fc00    usable
 *   0x100000   0x7fe0000  usable, with the kernel at 0x200000 (0x1001)
 *   0x7fe0000  0x8000000  ACPI reclaimable
 *   0xe0000000 +256 MiB   reserved (a BIOS that lists the framebuffer's BAR)
 *   0xfd000000            hole: where QEMU's std VGA puts its framebuffer */
static struct e820_entry entries[] = {
    { 0x0, 0x9fc00, E820_TYPE_RAM, 0 },
    { 0x100000, 0x100000, E820_TYPE_RAM, 0 },
    { 0x200000, 0x10000, E820_TYPE_KERNEL, 0 },
    { 0x210000, 0x7fe0000 - 0x210000, E820_TYPE_RAM, 0 },
    { 0x7fe0000, 0x20000, E820_TYPE_ACPI, 0 },
    { 0xe0000000, 0x10000000, E820_TYPE_RESERVED, 0 },
};
static const struct memmap map = { entries, 6, 6 };

static void framebuffer_against_the_map(void **state)
{
    struct e820_entry hit = { 0 };
    (void)state;
    assert_false(video_fb_clash(&map, 0xfd000000, 0x300000, &hit));   /* the hole */
    assert_false(video_fb_clash(&map, 0xe0000000, 0x300000, &hit));   /* reserved */
    assert_false(video_fb_clash(&map, 0x9fc00, 0x60400, NULL));       /* touches both ends */
    assert_true(video_fb_clash(&map, 0x9f000, 0x1000, &hit));         /* last usable page */
    assert_int_equal(hit.base, 0);
    assert_true(video_fb_clash(&map, 0x200000, 0x1000, &hit));        /* the kernel */
    assert_int_equal(hit.type, E820_TYPE_KERNEL);
    assert_true(video_fb_clash(&map, 0x7ff0000, 0x1000, &hit));       /* ACPI tables */
    assert_int_equal(hit.type, E820_TYPE_ACPI);
    assert_true(video_fb_clash(&map, 0xdff00000, 0x200000, &hit) == false);
    assert_true(video_fb_clash(&map, 0xfffffffffffff000ull, 0x2000, NULL)); /* wraps */
    assert_false(video_fb_clash(NULL, 0xfd000000, 0x1000, NULL));
}

/* ---- property: the choice is the best by the rules, read the slow way ------------------ */
static bool fits(const struct video_mode *m, const struct video_request *r)
{
    return m->type == VIDEO_TYPE_RGB && m->width <= r->width && m->height <= r->height;
}

/* The rules as a key, compared field by field (smaller is better). */
static void key(const struct video_mode *m, const struct video_request *r, int64_t k[4])
{
    int64_t d = (int64_t)m->bpp - r->depth;
    k[0] = d < 0 ? -d : d;
    k[1] = -(int64_t)m->bpp;
    k[2] = -(int64_t)m->width * m->height;
    k[3] = -(int64_t)m->width;
}

static void random_lists_agree_with_the_rules(void **state)
{
    static const uint32_t depths[] = { 8, 15, 16, 24, 32 };
    (void)state;
    srand(8);
    for (int trial = 0; trial < 20000; trial++) {
        struct video_mode m[12];
        uint32_t n = (uint32_t)(rand() % 13);
        struct video_request r = want((uint32_t)(rand() % 5) * 400, (uint32_t)(rand() % 5) * 300,
                                      depths[rand() % 5] * (uint32_t)(rand() % 2));
        struct video_request rr = video_request_resolve(&r);
        for (uint32_t i = 0; i < n; i++) {
            m[i] = mode(200 + (uint32_t)(rand() % 6) * 200, 150 + (uint32_t)(rand() % 6) * 150,
                        depths[rand() % 5]);
            if (rand() % 8 == 0)
                m[i].type = VIDEO_TYPE_INDEXED;
        }
        int got = video_pick(m, n, &r);
        int best = -1;
        for (uint32_t i = 0; i < n; i++) {
            int64_t a[4], b[4];
            if (!fits(&m[i], &rr))
                continue;
            if (best >= 0) {
                key(&m[i], &rr, a);
                key(&m[best], &rr, b);
                int j = 0;
                while (j < 4 && a[j] == b[j])
                    j++;
                if (j == 4 || a[j] > b[j])
                    continue;
            }
            best = (int)i;
        }
        assert_int_equal(got, best);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(exact_match, setup_qemu),
        cmocka_unit_test_setup(never_larger_than_asked, setup_qemu),
        cmocka_unit_test_setup(depth_before_size, setup_qemu),
        cmocka_unit_test(nearest_depth),
        cmocka_unit_test(ties),
        cmocka_unit_test_setup(defaults_fill_no_preference, setup_qemu),
        cmocka_unit_test(only_direct_colour_counts),
        cmocka_unit_test(text_mode_fields),
        cmocka_unit_test(framebuffer_against_the_map),
        cmocka_unit_test(random_lists_agree_with_the_rules),
    };
    return cmocka_run_group_tests_name("video_pick", tests, NULL, NULL);
}
