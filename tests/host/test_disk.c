/* test_disk.c: the INT 13h protocol (stage2/bios/int13.c) against the scripted fake BIOS with
 * a disk attached (tests/support/sim_bios.c, sim_disk.c): extended reads in chunks that fit
 * the bounce buffer and the 127-sector limit, the disk address packet, retries after a
 * reset, chunks cut to 63, 7 and 1 sectors for BIOSes that refuse large reads, the fall back
 * to CHS when AH=42h fails even for one sector, CF as the only failure signal (junk in AH),
 * short reads the packet reports, bogus drive numbers, sectors that are not 512 bytes, CHS
 * reads for a BIOS without extensions (one track per call, sector numbers from 1), and the
 * events the protocol reports for stage2's log as it works around each failure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "int13.h"
#include "sim_bios.h"
#include "sim_disk.h"

/* The fake BIOS and its disk, on the heap: the bounce buffer is 64 KiB. */
struct rig {
    struct sim_bios bios;
    struct sim_disk disk;
    uint8_t bounce[SIM_BOUNCE_SIZE];
    struct bios_iface iface;
};

static struct rig *rig_new(bool ext)
{
    struct rig *r = calloc(1, sizeof(*r));

    assert_non_null(r);
    sim_bios_init(&r->bios, r->bounce);
    sim_disk_init(&r->disk, r->bounce, SIM_BOUNCE_PHYS, SIM_BOUNCE_SIZE);
    r->disk.ext = ext;
    sim_bios_attach_disk(&r->bios, sim_disk_call, &r->disk);
    r->iface = sim_bios_iface(&r->bios);
    return r;
}

/* A geometry for AH=08h. */
static void rig_chs(struct rig *r, uint32_t cyls, uint32_t heads, uint32_t spt)
{
    r->disk.cyls = cyls;
    r->disk.heads = heads;
    r->disk.spt = spt;
}

/* Every request the disk got was well-formed; then free the rig. */
static void rig_done(struct rig *r)
{
    assert_int_equal(r->disk.bad_requests, 0);
    free(r);
}

static void check_data(const uint8_t *buf, uint64_t lba, uint32_t n)
{
    for (uint32_t s = 0; s < n; s++)
        for (uint32_t i = 0; i < 512; i++)
            if (buf[s * 512 + i] != sim_disk_byte(lba + s, i))
                fail_msg("sector %llu byte %u wrong", (unsigned long long)(lba + s), i);
}

/* The events the protocol reported, in order (what stage2 logs as warnings). */
struct events {
    struct int13_event ev[32];
    uint32_t n;
};

static void events_record(void *ctx, const struct int13_event *ev)
{
    struct events *e = ctx;
    assert_true(e->n < 32);
    e->ev[e->n++] = *ev;
}

static void events_listen(struct int13_disk *d, struct events *e)
{
    memset(e, 0, sizeof *e);
    d->event = events_record;
    d->event_ctx = e;
}

/* int13_init on drive 0x80, which must work, and (ev not NULL) the events from then on. */
static void rig_open(struct rig *r, struct int13_disk *d, struct events *ev)
{
    assert_int_equal(int13_init(d, &r->iface, 0x80), ERR_OK);
    if (ev)
        events_listen(d, ev);
}

/* n sectors from lba through the protocol: they must read, and hold what the disk holds. */
static void read_checked(struct int13_disk *d, uint64_t lba, uint32_t n)
{
    uint8_t *buf = malloc((size_t)n * 512u);

    assert_non_null(buf);
    assert_int_equal(int13_read(d, lba, n, buf), ERR_OK);
    check_data(buf, lba, n);
    free(buf);
}

static void assert_retry(const struct int13_event *ev, uint64_t lba, uint32_t count,
                         uint8_t status, uint32_t attempt)
{
    assert_int_equal(ev->kind, INT13_EVENT_RETRY);
    assert_int_equal(ev->lba, lba);
    assert_int_equal(ev->count, count);
    assert_int_equal(ev->status, status);
    assert_int_equal(ev->attempt, attempt);
}

/* The tries of one chunk (retry events 2..4), then the chunk cut to `cut`. */
static const struct int13_event *assert_tries_then_cut(const struct int13_event *ev,
                                                       uint64_t lba, uint32_t n,
                                                       uint8_t status, uint32_t cut)
{
    for (uint32_t i = 0; i < INT13_RETRIES; i++)
        assert_retry(ev++, lba, n, status, i + 2);
    assert_int_equal(ev->kind, INT13_EVENT_CHUNK_CUT);
    assert_int_equal(ev->lba, lba);
    assert_int_equal(ev->count, cut);
    assert_int_equal(ev->status, status);
    return ev + 1;
}

static void test_ext_chunks(void **state)
{
    (void)state;
    struct rig *r = rig_new(true);
    struct int13_disk d;

    rig_open(r, &d, NULL);
    assert_true(d.ext);
    /* 64 KiB bounce minus the 16-byte packet holds 127 sectors: both limits agree here */
    assert_int_equal(d.max_chunk, 127);
    assert_int_equal(d.total_sectors, 20000);
    assert_int_equal(d.sector_size, 512);
    read_checked(&d, 5, 1000);
    /* ceil(1000 / 127) = 8 calls, the largest 127 sectors */
    assert_int_equal(r->disk.ext_reads, 8);
    assert_int_equal(r->disk.largest, 127);
    assert_int_equal(d.sectors_read, 1000);
    /* the packet sits in the last 16 bytes of the bounce buffer: 0x7000:fff0 */
    assert_int_equal(r->disk.last_dap_phys, SIM_BOUNCE_PHYS + SIM_BOUNCE_SIZE - 16);
    rig_done(r);
}

static void test_ext_retry(void **state)
{
    (void)state;
    struct rig *r = rig_new(true);
    struct int13_disk d;
    struct events ev;

    rig_open(r, &d, &ev);
    r->disk.fail_next = 2; /* two failures, then success: retried after resets */
    read_checked(&d, 100, 4);
    assert_int_equal(r->disk.resets, 2);
    assert_int_equal(d.retries, 2);
    /* one event per retry, before it: the 4-sector call at LBA 100 failed with AH=80h */
    assert_int_equal(ev.n, 2);
    assert_retry(&ev.ev[0], 100, 4, 0x80, 2);
    assert_retry(&ev.ev[1], 100, 4, 0x80, 3);
    assert_int_equal(d.calls, 1);
    rig_done(r);
}

static void test_ext_fails(void **state)
{
    (void)state;
    struct rig *r = rig_new(true);
    struct int13_disk d;
    uint8_t buf[512];
    struct events ev;

    rig_open(r, &d, &ev);
    r->disk.fail_next = 1000; /* a dead disk without CHS geometry: the reader gives up */
    assert_int_equal(int13_read(&d, 100, 1, buf), ERR_DISK_READ);
    /* 1 try + 3 retries for a 1-sector chunk, nothing left to cut, no CHS to fall back to */
    assert_int_equal(r->disk.resets, 3);
    assert_int_equal(ev.n, INT13_RETRIES);
    for (uint32_t i = 0; i < INT13_RETRIES; i++)
        assert_retry(&ev.ev[i], 100, 1, 0x80, i + 2);
    assert_true(d.ext);
    /* the panic names the sector and the BIOS's status (the simulated AH=80h, timeout) */
    assert_int_equal(d.fail_lba, 100);
    assert_int_equal(d.fail_status, 0x80);
    /* past the end of the disk: the BIOS refuses (AH=01h), the reader reports it */
    r->disk.fail_next = 0;
    assert_int_equal(int13_read(&d, 20000, 1, buf), ERR_DISK_READ);
    assert_int_equal(d.fail_lba, 20000);
    assert_int_equal(d.fail_status, 0x01);
    rig_done(r);
}

static void test_ext_small_limit(void **state)
{
    (void)state;
    struct rig *r = rig_new(true);
    struct int13_disk d;
    struct events ev;

    /* A BIOS that says it has extensions but fails reads over 64 sectors: the chunk is cut
     * (127 -> 63) and the read completes with the right data. */
    r->disk.max_ext = 64;
    rig_open(r, &d, &ev);
    read_checked(&d, 7, 300);
    assert_int_equal(d.max_chunk, 63);
    assert_int_equal(r->disk.largest, 63);
    /* the 127-sector call was refused (AH=01h) on every try, then the chunk was cut once */
    assert_int_equal(ev.n, INT13_RETRIES + 1);
    assert_tries_then_cut(ev.ev, 7, 127, 0x01, 63);
    rig_done(r);
}

/* AH=41h says the extensions are there, but AH=42h fails whatever its size (some USB
 * BIOSes): the chunk goes 127, 63, 7, 1 as GRUB's biosdisk.c does, then reads go on with
 * CHS from AH=08h's geometry, one track at most per call, for the rest of the boot. */
static void test_ext_fails_falls_back_to_chs(void **state)
{
    (void)state;
    struct rig *r = rig_new(true);
    struct int13_disk d;
    const struct int13_event *e;
    struct events ev;

    r->disk.ext_reads_fail = true;
    rig_chs(r, 20, 16, 63);
    rig_open(r, &d, &ev);
    assert_true(d.ext);
    read_checked(&d, 60, 200);
    e = assert_tries_then_cut(ev.ev, 60, 127, 0x01, 63);
    e = assert_tries_then_cut(e, 60, 63, 0x01, 7);
    e = assert_tries_then_cut(e, 60, 7, 0x01, 1);
    for (uint32_t i = 0; i < INT13_RETRIES; i++)
        assert_retry(e++, 60, 1, 0x01, i + 2);
    assert_int_equal(e->kind, INT13_EVENT_CHS);
    assert_int_equal(e->lba, 60);
    assert_int_equal(e->status, 0x01);
    assert_int_equal(e->count, 63); /* CHS chunks: a track */
    assert_int_equal(e + 1 - ev.ev, ev.n);
    assert_false(d.ext);
    assert_true(d.chs_fallback);
    assert_int_equal(d.sectors_per_track, 63);
    assert_int_equal(d.heads, 16);
    /* AH=48h's size stays; LBA 60..259 by track: 3, 63, 63, 63, 8 sectors */
    assert_int_equal(d.total_sectors, 20000);
    assert_int_equal(r->disk.ext_reads, 0);
    assert_int_equal(r->disk.chs_reads, 5);
    assert_int_equal(d.calls, 5);
    /* from now on CHS straight away: no AH=42h is tried again */
    memset(&ev, 0, sizeof ev);
    read_checked(&d, 1008, 1);
    assert_int_equal(ev.n, 0);
    assert_int_equal(r->disk.chs_reads, 6);
    rig_done(r);
}

/* The same BIOS without AH=08h geometry either: nothing to fall back to, the read fails with
 * the status AH=42h gave. */
static void test_ext_fails_no_geometry(void **state)
{
    (void)state;
    struct rig *r = rig_new(true);
    struct int13_disk d;
    uint8_t buf[512];

    r->disk.ext_reads_fail = true;
    rig_open(r, &d, NULL);
    assert_int_equal(int13_read(&d, 9, 1, buf), ERR_DISK_READ);
    assert_int_equal(d.fail_lba, 9);
    assert_int_equal(d.fail_status, 0x01);
    assert_false(d.chs_fallback);
    rig_done(r);
}

/* CF clear with junk in AH is a read that worked: GRUB reads AH only when CF is set. */
static void test_cf_clear_ah_junk(void **state)
{
    (void)state;
    struct rig *r = rig_new(true);
    struct int13_disk d;
    struct events ev;

    r->disk.ok_ah = 0x5a;
    rig_open(r, &d, &ev);
    read_checked(&d, 3, 300);
    assert_int_equal(ev.n, 0);
    assert_int_equal(d.retries, 0);
    assert_int_equal(d.calls, 3);
    rig_done(r);
    /* the same on the CHS path */
    r = rig_new(false);
    r->disk.ok_ah = 0x5a;
    rig_chs(r, 80, 2, 18);
    rig_open(r, &d, NULL);
    read_checked(&d, 10, 40);
    assert_int_equal(d.retries, 0);
    rig_done(r);
}

/* A BIOS that transfers fewer sectors than asked says so in the packet (EDD): the rest is
 * read by the next call, and nothing counts as a failure. */
static void test_ext_short_reads(void **state)
{
    (void)state;
    struct rig *r = rig_new(true);
    struct int13_disk d;

    r->disk.ext_short = 16;
    rig_open(r, &d, NULL);
    read_checked(&d, 40, 100);
    assert_int_equal(d.calls, 7); /* 6 x 16 + 4 */
    assert_int_equal(d.retries, 0);
    assert_int_equal(d.sectors_read, 100);
    rig_done(r);
}

/* DL outside 0x00-0x0f and 0x80-0x8f is not a drive number (some BIOSes pass garbage): the
 * protocol uses 0x80, as GRUB's boot.S does, and keeps what it was given. The disk answers
 * to 0x80 only and counts any other drive as a bad request. */
static void test_bogus_drive(void **state)
{
    (void)state;
    static const uint8_t bogus[] = { 0x10, 0x3c, 0x5a, 0x7f, 0x90, 0xa0, 0xe0, 0xff };
    static const uint8_t valid[] = { 0x00, 0x01, 0x0f, 0x80, 0x81, 0x8f };

    for (size_t i = 0; i < sizeof bogus; i++) {
        struct rig *r = rig_new(true);
        struct int13_disk d;

        assert_false(int13_drive_valid(bogus[i]));
        assert_int_equal(int13_init(&d, &r->iface, bogus[i]), ERR_OK);
        assert_int_equal(d.drive, 0x80);
        assert_int_equal(d.drive_given, bogus[i]);
        read_checked(&d, 77, 2);
        rig_done(r);
    }
    for (size_t i = 0; i < sizeof valid; i++) {
        struct rig *r = rig_new(true);
        struct int13_disk d;

        assert_true(int13_drive_valid(valid[i]));
        r->disk.drive = valid[i];
        assert_int_equal(int13_init(&d, &r->iface, valid[i]), ERR_OK);
        assert_int_equal(d.drive, valid[i]);
        read_checked(&d, 5, 1);
        rig_done(r);
    }
}

/* 2048- and 4096-byte sectors (a CD, a 4Kn disk) are refused, and the protocol says which
 * size it found; 0 (some emulated drives) is taken for 512. */
static void test_sector_size(void **state)
{
    (void)state;
    static const uint16_t refused[] = { 2048, 4096, 1024 };
    struct int13_disk d;

    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        struct rig *r = rig_new(true);

        r->disk.bps = refused[i];
        assert_int_equal(int13_init(&d, &r->iface, 0x80), ERR_UNSUPPORTED);
        assert_int_equal(d.sector_size, refused[i]);
        rig_done(r);
    }
    struct rig *r = rig_new(true);
    r->disk.bps = 0;
    rig_open(r, &d, NULL);
    assert_int_equal(d.sector_size, 0);
    rig_done(r);
}

/* Without a hook the protocol works around the same failures, silently; int13_init clears
 * a hook left from before. */
static void test_no_hook(void **state)
{
    (void)state;
    struct rig *r = rig_new(true);
    struct int13_disk d;
    struct events ev;

    rig_open(r, &d, &ev);
    rig_open(r, &d, NULL);
    assert_null(d.event);
    assert_null(d.event_ctx);
    r->disk.fail_next = 1;
    read_checked(&d, 9, 2);
    assert_int_equal(d.retries, 1);
    assert_int_equal(ev.n, 0);
    rig_done(r);
}

/* CHS reads retry the same way, and the events name the failed call's sector and size. */
static void test_chs_retry(void **state)
{
    (void)state;
    struct rig *r = rig_new(false);
    struct int13_disk d;
    struct events ev;

    rig_chs(r, 80, 2, 18); /* a 1.44 MB floppy's geometry */
    rig_open(r, &d, &ev);
    r->disk.fail_next = 1;
    /* LBA 30..39: 6 sectors to the end of track 1, then 4; the first call fails once */
    read_checked(&d, 30, 10);
    assert_int_equal(ev.n, 1);
    assert_retry(&ev.ev[0], 30, 6, 0x80, 2);
    assert_int_equal(r->disk.resets, 1);
    assert_int_equal(d.calls, 2);
    rig_done(r);
}

static void test_chs(void **state)
{
    (void)state;
    struct rig *r = rig_new(false);
    struct int13_disk d;
    uint8_t buf[512];

    rig_chs(r, 20, 16, 63);
    rig_open(r, &d, NULL);
    assert_false(d.ext);
    assert_false(d.chs_fallback);
    assert_int_equal(d.sectors_per_track, 63);
    assert_int_equal(d.heads, 16);
    assert_int_equal(d.cylinders, 20);
    assert_int_equal(d.total_sectors, 20 * 16 * 63);
    /* LBA 60..259: 3 sectors to the end of track 0, then tracks 1-3 whole (189), then 8 */
    read_checked(&d, 60, 200);
    assert_int_equal(r->disk.chs_reads, 5);
    /* LBA 1008 = cylinder 1, head 0, sector 1 */
    read_checked(&d, 1008, 1);
    /* past cylinder 1023 CHS cannot address: refused without asking the BIOS */
    rig_chs(r, 1100, 16, 63);
    rig_open(r, &d, NULL);
    assert_int_equal(int13_read(&d, 1024u * 16 * 63, 1, buf), ERR_DISK_READ);
    assert_int_equal(d.fail_status, INT13_STATUS_NONE);
    rig_done(r);
}

static void test_no_disk(void **state)
{
    (void)state;
    struct rig *r = rig_new(false); /* no extensions and no geometry */
    struct int13_disk d;

    assert_int_equal(int13_init(&d, &r->iface, 0x80), ERR_BIOS);
    assert_int_equal(int13_init(&d, NULL, 0x80), ERR_INVALID_ARG);
    /* a bounce buffer that cannot hold a sector and the packet */
    r->iface.bounce_size = 512 + 15;
    assert_int_equal(int13_init(&d, &r->iface, 0x80), ERR_INVALID_ARG);
    rig_done(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ext_chunks),
        cmocka_unit_test(test_ext_retry),
        cmocka_unit_test(test_ext_fails),
        cmocka_unit_test(test_ext_small_limit),
        cmocka_unit_test(test_ext_fails_falls_back_to_chs),
        cmocka_unit_test(test_ext_fails_no_geometry),
        cmocka_unit_test(test_cf_clear_ah_junk),
        cmocka_unit_test(test_ext_short_reads),
        cmocka_unit_test(test_bogus_drive),
        cmocka_unit_test(test_sector_size),
        cmocka_unit_test(test_chs),
        cmocka_unit_test(test_no_disk),
        cmocka_unit_test(test_no_hook),
        cmocka_unit_test(test_chs_retry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
