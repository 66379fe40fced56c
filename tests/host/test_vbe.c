/* test_vbe.c: the VBE protocol (stage2/bios/vbe.c) against scripted video BIOSes
 * (tests/support/sim_vbe.c): the controller block and its mode list wherever the BIOS keeps
 * it, one mode's block decoded with each version's rules and the quirks real BIOSes have,
 * setting a mode, and a whole list read, decoded and chosen from (core/video_pick.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "le.h"
#include "sim_vbe.h"
#include "vbe.h"

static uint8_t bounce[SIM_BOUNCE_SIZE];
static struct sim_bios bios;
static struct sim_vbe vbe;
static struct bios_iface iface;
static struct vbe_controller ctl;
static uint8_t raw[VBE_MODE_INFO_SIZE];

/* QEMU's std VGA, in part: an 8-bit mode, 1024x768 at 24 and 32 bits, 800x600x16. */
static int setup(void **state)
{
    (void)state;
    sim_bios_init(&bios, bounce);
    sim_vbe_init(&vbe, &bios);
    iface = sim_bios_iface(&bios);
    struct sim_vbe_mode m8 = sim_vbe_mode_rgb(0x105, 1024, 768, 8);
    m8.model = 4;
    memset(m8.masks, 0, 6);
    memset(m8.lin_masks, 0, 6);
    sim_vbe_add(&vbe, m8);
    sim_vbe_add(&vbe, sim_vbe_mode_rgb(0x118, 1024, 768, 24));
    sim_vbe_add(&vbe, sim_vbe_mode_rgb(0x144, 1024, 768, 32));
    sim_vbe_add(&vbe, sim_vbe_mode_rgb(0x114, 800, 600, 16));
    return 0;
}

static enum vbe_status read_ctl(void)
{
    return vbe_controller_read(&iface, sim_vbe_ptr, &vbe, &ctl);
}

/* The controller block, mode i of the script, decoded. */
static enum vbe_mode_verdict decode(uint32_t i, struct video_mode *m)
{
    assert_int_equal(read_ctl(), VBE_OK);
    return vbe_mode_read(&iface, &ctl, vbe.mode[i].number, raw, m);
}

static void list_in_the_block(void **state)
{
    (void)state;
    assert_int_equal(read_ctl(), VBE_OK);
    assert_int_equal(ctl.version, 0x0300);
    assert_int_equal(ctl.memory, 16u << 20);
    assert_int_equal(ctl.mode_count, 4);
    assert_int_equal(ctl.mode[0], 0x105);
    assert_int_equal(ctl.mode[3], 0x114);
    assert_false(ctl.unterminated);
    assert_int_equal(ctl.list_phys, SIM_BOUNCE_PHYS + 0x22);
    assert_memory_equal(ctl.raw, "VESA", 4);
    assert_int_equal(ctl.ax, 0x004f);
    assert_int_equal(vbe.bad_requests, 0); /* "VBE2" asked, the block in the bounce buffer */
}

static void list_in_the_rom(void **state)
{
    (void)state;
    vbe.where = SIM_VBE_LIST_IN_ROM;
    assert_int_equal(read_ctl(), VBE_OK);
    assert_int_equal(ctl.mode_count, 4);
    assert_int_equal(ctl.mode[2], 0x144);
    assert_int_equal(ctl.list_phys, 0xc0100);
}

/* Copied out before any other call: a 4F01h that reuses the list's memory cannot touch it,
 * and the protocol's own mode block never lands on a list in the controller block. */
static void list_survives_later_calls(void **state)
{
    struct video_mode m;
    (void)state;
    vbe.scratch_list = true;
    for (int where = 0; where < 2; where++) {
        vbe.where = where ? SIM_VBE_LIST_IN_ROM : SIM_VBE_LIST_IN_BLOCK;
        assert_int_equal(read_ctl(), VBE_OK);
        for (uint32_t i = 0; i < ctl.mode_count; i++)
            vbe_mode_read(&iface, &ctl, ctl.mode[i], raw, &m);
        assert_int_equal(ctl.mode_count, 4);
        assert_int_equal(ctl.mode[1], 0x118);
    }
    assert_int_equal(vbe.blocks_overlapping_list, 0);
    assert_int_equal(vbe.calls_4f01, 8);
}

/* No FFFFh: the list is cut at VBE_MODES_MAX entries (or where memory ends), never read on. */
static void list_without_its_end(void **state)
{
    (void)state;
    vbe.unterminated = true;
    vbe.where = SIM_VBE_LIST_IN_ROM;
    assert_int_equal(read_ctl(), VBE_OK);
    assert_true(ctl.unterminated);
    assert_int_equal(ctl.mode_count, 4); /* the junk has flag bits set: skipped */
    assert_int_equal(ctl.mode_count + ctl.skipped, VBE_MODES_MAX);

    vbe.where = SIM_VBE_LIST_IN_BLOCK;
    assert_int_equal(read_ctl(), VBE_OK);
    assert_true(ctl.unterminated);
    assert_int_equal(ctl.mode_count, 4);

    vbe.where = SIM_VBE_LIST_NOWHERE;
    assert_int_equal(read_ctl(), VBE_NO_MODES);
    assert_true(ctl.unterminated);
}

/* VGA mode numbers and words with bits 14-15 (81FFh, "all of video memory") are not modes. */
static void vga_and_flagged_numbers_skipped(void **state)
{
    (void)state;
    vbe.extra[0] = 0x13;
    vbe.extra[1] = 0x81ff;
    vbe.extra[2] = 0x4118;
    vbe.extra[3] = 0x11a; /* listed but unknown: kept, its 4F01h will fail */
    vbe.n_extra = 4;
    assert_int_equal(read_ctl(), VBE_OK);
    assert_int_equal(ctl.mode_count, 5);
    assert_int_equal(ctl.mode[4], 0x11a);
    assert_int_equal(ctl.skipped, 3);
}

static void controller_failures(void **state)
{
    (void)state;
    vbe.present = false;
    assert_int_equal(read_ctl(), VBE_ABSENT);
    assert_int_equal(ctl.ax, 0x4f00); /* unchanged */
    vbe.present = true;
    vbe.status_4f00 = 0x01;
    assert_int_equal(read_ctl(), VBE_FAILED);
    vbe.status_4f00 = 0;
    memcpy(vbe.signature, "VBE2", 4); /* the request echoed back */
    assert_int_equal(read_ctl(), VBE_BAD_SIGNATURE);
    memcpy(vbe.signature, "VESA", 4);
    vbe.version = 0x0102; /* VBE 1.2: banked modes only */
    assert_int_equal(read_ctl(), VBE_TOO_OLD);
    vbe.version = 0x0200;
    vbe.n = 0;
    assert_int_equal(read_ctl(), VBE_NO_MODES);
    assert_int_equal(vbe.bad_requests, 0);
    for (int s = VBE_OK; s <= VBE_NO_MODES; s++)
        assert_string_not_equal(vbe_status_str((enum vbe_status)s), "?");
}

static void direct_colour_modes(void **state)
{
    struct video_mode m;
    (void)state;
    assert_int_equal(decode(2, &m), VBE_MODE_OK);
    assert_int_equal(m.type, VIDEO_TYPE_RGB);
    assert_int_equal(m.width, 1024);
    assert_int_equal(m.height, 768);
    assert_int_equal(m.bpp, 32);
    assert_int_equal(m.pitch, 4096);
    assert_int_equal(m.addr, 0xfd000000u);
    assert_int_equal(m.vbe_mode, 0x144);
    assert_int_equal(m.red.pos, 16);
    assert_int_equal(m.red.size, 8);
    assert_int_equal(m.green.pos, 8);
    assert_int_equal(m.blue.pos, 0);
    assert_int_equal(le_read16(raw), 0x009b);
    assert_int_equal(decode(3, &m), VBE_MODE_OK);
    assert_int_equal(m.bpp, 16);
    assert_int_equal(m.red.pos, 11);
    assert_int_equal(m.green.size, 6);
    assert_int_equal(decode(0, &m), VBE_MODE_NOT_DIRECT); /* 8 bits: a palette */
}

/* The mode's attributes: each missing bit has its own verdict. */
static void attributes(void **state)
{
    struct video_mode m;
    (void)state;
    vbe.mode[2].attr = 0x001b; /* no LFB */
    assert_int_equal(decode(2, &m), VBE_MODE_NO_LFB);
    vbe.mode[2].attr = 0x009a; /* not supported by the hardware */
    assert_int_equal(decode(2, &m), VBE_MODE_UNSUPPORTED);
    vbe.mode[2].attr = 0x008b; /* text */
    assert_int_equal(decode(2, &m), VBE_MODE_TEXT);
    vbe.mode[2].attr = 0x0093; /* monochrome */
    assert_int_equal(decode(2, &m), VBE_MODE_TEXT);
    vbe.mode[2].attr = 0x0099; /* bit 1 clear: VBE 2.0 calls it reserved; not needed */
    assert_int_equal(decode(2, &m), VBE_MODE_OK);
    vbe.mode[2].phys = 0; /* LFB bit but no address */
    assert_int_equal(decode(2, &m), VBE_MODE_NO_LFB);
    vbe.mode[2].info_fails = true;
    assert_int_equal(decode(2, &m), VBE_MODE_CALL_FAILED);
}

/* Older BIOSes call direct-colour modes packed pixel, without masks (SYSLINUX takes them);
 * the standard layout of the depth is then assumed. */
static void packed_pixel_direct_modes(void **state)
{
    struct video_mode m;
    (void)state;
    for (uint32_t i = 1; i <= 3; i++) {
        vbe.mode[i].model = 4;
        memset(vbe.mode[i].masks, 0, 6);
        memset(vbe.mode[i].lin_masks, 0, 6);
    }
    assert_int_equal(decode(1, &m), VBE_MODE_OK);
    assert_int_equal(m.red.pos, 16);
    assert_int_equal(m.blue.size, 8);
    assert_int_equal(decode(3, &m), VBE_MODE_OK);
    assert_int_equal(m.red.pos, 11);
    assert_int_equal(m.green.size, 6);
    vbe.mode[3].bpp = 15;
    assert_int_equal(decode(3, &m), VBE_MODE_OK);
    assert_int_equal(m.red.pos, 10);
    assert_int_equal(m.green.size, 5);
    vbe.mode[3].model = 3; /* planar */
    assert_int_equal(decode(3, &m), VBE_MODE_NOT_DIRECT);
}

/* SYSLINUX: the Bochs BIOS says several banks with a bank size of 0 for unbanked modes. */
static void banks(void **state)
{
    struct video_mode m;
    (void)state;
    vbe.mode[2].banks = 4;
    assert_int_equal(decode(2, &m), VBE_MODE_OK);
    vbe.mode[2].bank_size = 8;
    assert_int_equal(decode(2, &m), VBE_MODE_INTERLEAVED);
}

/* 3.0: linear modes have their own pitch and masks; 2.0 has none; a 3.0 BIOS that leaves
 * them unwritten (the buffer was zeroed first, so they read 0) is read as 2.0. */
static void version_differences(void **state)
{
    struct video_mode m;
    (void)state;
    vbe.mode[2].pitch = 5000; /* banked pitch, say, wider than the linear one */
    vbe.mode[2].lin_masks[1] = 0;  /* red at bit 0, blue at 16 in linear modes */
    vbe.mode[2].lin_masks[5] = 16;
    assert_int_equal(decode(2, &m), VBE_MODE_OK);
    assert_int_equal(m.pitch, 4096);
    assert_int_equal(m.red.pos, 0);
    assert_int_equal(m.blue.pos, 16);

    vbe.version = 0x0200;
    assert_int_equal(decode(2, &m), VBE_MODE_OK);
    assert_int_equal(m.pitch, 5000);
    assert_int_equal(m.red.pos, 16);

    vbe.version = 0x0300;
    vbe.short_mode_info = true; /* the bounce buffer is 0xcc junk where it does not write */
    assert_int_equal(decode(2, &m), VBE_MODE_OK);
    assert_int_equal(m.pitch, 5000);
    assert_int_equal(m.red.pos, 16);

    vbe.short_mode_info = false;
    vbe.mode[2].lin_pitch = 0;
    memset(vbe.mode[2].lin_masks, 0, 6);
    assert_int_equal(decode(2, &m), VBE_MODE_OK);
    assert_int_equal(m.pitch, 5000);
    assert_int_equal(m.red.pos, 16);
}

static void impossible_modes(void **state)
{
    struct video_mode m;
    (void)state;
    vbe.mode[2].lin_pitch = 4092; /* below 1024 pixels of 4 bytes */
    assert_int_equal(decode(2, &m), VBE_MODE_BAD_GEOMETRY);
    vbe.mode[2].lin_pitch = 4096;
    vbe.mode[2].height = 0;
    assert_int_equal(decode(2, &m), VBE_MODE_BAD_GEOMETRY);
    vbe.mode[2].height = 768;
    vbe.mode[2].phys = 0xffe00000u; /* 3 MiB from there runs past 4 GiB */
    assert_int_equal(decode(2, &m), VBE_MODE_BAD_GEOMETRY);
    vbe.mode[2].phys = 0xfd000000u;
    vbe.mode[2].lin_masks[3] = 12; /* green over red */
    assert_int_equal(decode(2, &m), VBE_MODE_BAD_MASKS);
    vbe.mode[2].lin_masks[3] = 8;
    vbe.mode[2].lin_masks[1] = 28; /* red past bit 31 */
    assert_int_equal(decode(2, &m), VBE_MODE_BAD_MASKS);
    vbe.mode[2].lin_masks[1] = 16;
    vbe.memory_64k = 32; /* 2 MiB: no room for 3 MiB */
    assert_int_equal(decode(2, &m), VBE_MODE_TOO_BIG);
    assert_int_equal(decode(3, &m), VBE_MODE_OK);
    for (int v = VBE_MODE_OK; v < VBE_MODE_VERDICT_COUNT; v++)
        assert_string_not_equal(vbe_mode_verdict_str((enum vbe_mode_verdict)v), "?");
}

/* 4F02h with the LFB bit and the display cleared (bit 15 clear). */
static void set_mode(void **state)
{
    (void)state;
    assert_int_equal(vbe_set_mode(&iface, 0x144), 0x004f);
    assert_int_equal(vbe.set, 0x4144);
    vbe.mode[1].set_fails = true;
    assert_int_equal(vbe_set_mode(&iface, 0x118), 0x014f);
    assert_int_equal(vbe.set, 0x4144);
    vbe.present = false;
    assert_int_equal(vbe_set_mode(&iface, 0x144), 0x4f02);
}

/* A 2.0 card of the late 1990s, its list in ROM: no 32-bit mode with an LFB, so a request
 * for 1024x768x32 gets the nearest depth at the largest size that fits. */
static void an_old_card_end_to_end(void **state)
{
    struct video_mode cand[8];
    uint32_t n = 0;
    (void)state;
    vbe.n = 0;
    vbe.version = 0x0200;
    vbe.where = SIM_VBE_LIST_IN_ROM;
    sim_vbe_add(&vbe, sim_vbe_mode_rgb(0x111, 640, 480, 16));
    sim_vbe_add(&vbe, sim_vbe_mode_rgb(0x114, 800, 600, 16));
    struct sim_vbe_mode banked = sim_vbe_mode_rgb(0x115, 800, 600, 32);
    banked.attr = 0x001b;
    sim_vbe_add(&vbe, banked);
    sim_vbe_add(&vbe, sim_vbe_mode_rgb(0x117, 1024, 768, 16));
    sim_vbe_add(&vbe, sim_vbe_mode_rgb(0x11a, 1280, 1024, 16));
    assert_int_equal(read_ctl(), VBE_OK);
    for (uint32_t i = 0; i < ctl.mode_count; i++)
        if (vbe_mode_read(&iface, &ctl, ctl.mode[i], raw, &cand[n]) == VBE_MODE_OK)
            n++;
    assert_int_equal(n, 4);
    int i = video_pick(cand, n, &(struct video_request){ true, true, 1024, 768, 32 });
    assert_int_equal(i, 2);
    assert_int_equal(cand[i].vbe_mode, 0x117);
    assert_int_equal(vbe_set_mode(&iface, cand[i].vbe_mode), 0x004f);
    assert_int_equal(vbe.set, 0x4117);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(list_in_the_block, setup),
        cmocka_unit_test_setup(list_in_the_rom, setup),
        cmocka_unit_test_setup(list_survives_later_calls, setup),
        cmocka_unit_test_setup(list_without_its_end, setup),
        cmocka_unit_test_setup(vga_and_flagged_numbers_skipped, setup),
        cmocka_unit_test_setup(controller_failures, setup),
        cmocka_unit_test_setup(direct_colour_modes, setup),
        cmocka_unit_test_setup(attributes, setup),
        cmocka_unit_test_setup(packed_pixel_direct_modes, setup),
        cmocka_unit_test_setup(banks, setup),
        cmocka_unit_test_setup(version_differences, setup),
        cmocka_unit_test_setup(impossible_modes, setup),
        cmocka_unit_test_setup(set_mode, setup),
        cmocka_unit_test_setup(an_old_card_end_to_end, setup),
    };
    return cmocka_run_group_tests_name("vbe", tests, NULL, NULL);
}
