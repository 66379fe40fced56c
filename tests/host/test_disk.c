/* test_disk.c: the INT 13h protocol (stage2/bios/int13.c) against a simulated BIOS disk:
 * extended reads in chunks that fit the bounce buffer and the 127-sector limit, the disk
 * address packet, retries after a reset, chunk halving for BIOSes that refuse large reads,
 * CHS reads for a BIOS without extensions (one track per call, sector numbers from 1), and
 * the events the protocol reports for stage2's log as it works around each failure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "int13.h"

#define SIM_SECTORS  20000u
#define SIM_BOUNCE   0x70000u
#define SIM_BOUNCE_SIZE 0x10000u

struct sim {
    uint8_t *bounce;
    bool ext;
    uint32_t max_ext;      /* AH=42h refuses more than this many sectors */
    uint32_t fail_next;    /* this many read calls fail (CF, AH=0x80) */
    uint32_t spt, heads, cyls;
    /* log */
    uint32_t reads, resets, largest;
    uint32_t last_dap_seg, last_dap_off;
};

/* Sector lba byte i holds a pattern a test can recompute. */
static uint8_t sim_byte(uint64_t lba, uint32_t i)
{
    return (uint8_t)(lba * 7u + i * 13u + (lba >> 8));
}

static void sim_fill(uint8_t *dst, uint64_t lba, uint32_t n)
{
    for (uint32_t s = 0; s < n; s++)
        for (uint32_t i = 0; i < 512; i++)
            dst[s * 512 + i] = sim_byte(lba + s, i);
}

static uint8_t *sim_mem(struct sim *s, uint16_t seg, uint16_t off, uint32_t len)
{
    uint32_t phys = ((uint32_t)seg << 4) + off;
    assert_true(phys >= SIM_BOUNCE && phys + len <= SIM_BOUNCE + SIM_BOUNCE_SIZE);
    return s->bounce + (phys - SIM_BOUNCE);
}

static void sim_ok(struct bios_regs *r)
{
    r->eflags &= ~EFLAGS_CF;
    r->eax &= 0xffff00ffu;
}

static void sim_fail(struct bios_regs *r, uint8_t ah)
{
    r->eflags |= EFLAGS_CF;
    r->eax = (r->eax & 0xffff00ffu) | ((uint32_t)ah << 8);
}

static void sim_int13(void *ctx, uint8_t vec, const struct bios_regs *in, struct bios_regs *out)
{
    struct sim *s = ctx;
    struct bios_regs r = *in;
    uint8_t ah = (uint8_t)(in->eax >> 8);

    assert_int_equal(vec, 0x13);
    assert_int_equal(in->edx & 0xff, 0x80);
    switch (ah) {
    case 0x00:
        s->resets++;
        sim_ok(&r);
        break;
    case 0x41:
        if (s->ext && (in->ebx & 0xffff) == 0x55aa) {
            sim_ok(&r);
            r.ebx = 0xaa55;
            r.ecx = 1;
        } else {
            sim_fail(&r, 1);
        }
        break;
    case 0x48: {
        uint8_t *p = sim_mem(s, in->ds, (uint16_t)in->esi, 0x1e);
        uint64_t total = SIM_SECTORS;
        uint16_t bps = 512;
        assert_true(p[0] >= 0x1a);
        memcpy(p + 0x10, &total, 8);
        memcpy(p + 0x18, &bps, 2);
        sim_ok(&r);
        break;
    }
    case 0x42: {
        uint8_t *dap = sim_mem(s, in->ds, (uint16_t)in->esi, 16);
        uint16_t count, off, seg;
        uint64_t lba;
        assert_int_equal(dap[0], 16);
        memcpy(&count, dap + 2, 2);
        memcpy(&off, dap + 4, 2);
        memcpy(&seg, dap + 6, 2);
        memcpy(&lba, dap + 8, 8);
        s->last_dap_seg = in->ds;
        s->last_dap_off = (uint16_t)in->esi;
        /* Like SeaBIOS, a failed call writes the count it transferred (0) into the packet:
         * a reader that reused the packet would then "read" nothing on its retry. */
        if (s->fail_next) {
            s->fail_next--;
            sim_fail(&r, 0x80);
            memset(dap + 2, 0, 2);
            break;
        }
        if (count == 0)
            fail_msg("AH=42h with a zero count at LBA %llu", (unsigned long long)lba);
        if (count > s->max_ext || lba + count > SIM_SECTORS) {
            sim_fail(&r, 1);
            memset(dap + 2, 0, 2);
            break;
        }
        /* the data must not run into the packet, which lives in the same buffer */
        uint8_t *dst = sim_mem(s, seg, off, count * 512u);
        assert_true(dst + count * 512u <= dap || dst >= dap + 16);
        sim_fill(dst, lba, count);
        s->reads++;
        if (count > s->largest)
            s->largest = count;
        sim_ok(&r);
        break;
    }
    case 0x08:
        if (!s->spt) {
            sim_fail(&r, 1);
            break;
        }
        r.ecx = (((s->cyls - 1) & 0xff) << 8) | (((s->cyls - 1) >> 2) & 0xc0) | s->spt;
        r.edx = ((s->heads - 1) << 8) | 1;
        sim_ok(&r);
        break;
    case 0x02: {
        uint32_t n = in->eax & 0xff;
        uint32_t sec = in->ecx & 0x3f;
        uint32_t cyl = ((in->ecx >> 8) & 0xff) | ((in->ecx & 0xc0) << 2);
        uint32_t head = (in->edx >> 8) & 0xff;
        uint64_t lba = ((uint64_t)cyl * s->heads + head) * s->spt + sec - 1;
        if (s->fail_next) {
            s->fail_next--;
            sim_fail(&r, 0x80);
            break;
        }
        /* a call must not cross a track, and sectors count from 1 */
        assert_true(sec >= 1 && n >= 1 && sec - 1 + n <= s->spt);
        sim_fill(sim_mem(s, in->es, (uint16_t)in->ebx, n * 512u), lba, n);
        s->reads++;
        if (n > s->largest)
            s->largest = n;
        sim_ok(&r);
        break;
    }
    default:
        fail_msg("unexpected INT 13h AH=%02x", ah);
    }
    *out = r;
}

static struct sim *sim_new(bool ext)
{
    struct sim *s = calloc(1, sizeof(*s));
    s->bounce = calloc(1, SIM_BOUNCE_SIZE);
    s->ext = ext;
    s->max_ext = 127;
    return s;
}

static void sim_free(struct sim *s)
{
    free(s->bounce);
    free(s);
}

static struct bios_iface sim_iface(struct sim *s)
{
    return (struct bios_iface){ .call = sim_int13, .ctx = s, .bounce = s->bounce,
                                .bounce_phys = SIM_BOUNCE, .bounce_size = SIM_BOUNCE_SIZE };
}

static void check_data(const uint8_t *buf, uint64_t lba, uint32_t n)
{
    for (uint32_t s = 0; s < n; s++)
        for (uint32_t i = 0; i < 512; i++)
            if (buf[s * 512 + i] != sim_byte(lba + s, i))
                fail_msg("sector %llu byte %u wrong", (unsigned long long)(lba + s), i);
}

/* The events the protocol reported, in order (what stage2 logs as warnings). */
struct events {
    struct int13_event ev[16];
    uint32_t n;
};

static void events_record(void *ctx, const struct int13_event *ev)
{
    struct events *e = ctx;
    assert_true(e->n < 16);
    e->ev[e->n++] = *ev;
}

static void events_listen(struct int13_disk *d, struct events *e)
{
    memset(e, 0, sizeof *e);
    d->event = events_record;
    d->event_ctx = e;
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

static void test_ext_chunks(void **state)
{
    (void)state;
    struct sim *s = sim_new(true);
    struct bios_iface b = sim_iface(s);
    struct int13_disk d;
    uint32_t n = 1000;
    uint8_t *buf = malloc(n * 512u);

    assert_int_equal(int13_init(&d, &b, 0x80), ERR_OK);
    assert_true(d.ext);
    /* 64 KiB bounce minus the 16-byte packet holds 127 sectors: both limits agree here */
    assert_int_equal(d.max_chunk, 127);
    assert_int_equal(d.total_sectors, SIM_SECTORS);
    assert_int_equal(int13_read(&d, 5, n, buf), ERR_OK);
    check_data(buf, 5, n);
    /* ceil(1000 / 127) = 8 calls, the largest 127 sectors */
    assert_int_equal(s->reads, 8);
    assert_int_equal(s->largest, 127);
    assert_int_equal(d.sectors_read, 1000);
    /* the packet sits in the last 16 bytes of the bounce buffer: 0x7000:fff0 */
    assert_int_equal(((uint32_t)s->last_dap_seg << 4) + s->last_dap_off,
                     SIM_BOUNCE + SIM_BOUNCE_SIZE - 16);
    free(buf);
    sim_free(s);
}

static void test_ext_retry(void **state)
{
    (void)state;
    struct sim *s = sim_new(true);
    struct bios_iface b = sim_iface(s);
    struct int13_disk d;
    uint8_t buf[4 * 512];

    struct events ev;

    assert_int_equal(int13_init(&d, &b, 0x80), ERR_OK);
    events_listen(&d, &ev);
    s->fail_next = 2; /* two failures, then success: retried after resets */
    assert_int_equal(int13_read(&d, 100, 4, buf), ERR_OK);
    check_data(buf, 100, 4);
    assert_int_equal(s->resets, 2);
    assert_int_equal(d.retries, 2);
    /* one event per retry, before it: the 4-sector call at LBA 100 failed with AH=80h */
    assert_int_equal(ev.n, 2);
    assert_retry(&ev.ev[0], 100, 4, 0x80, 2);
    assert_retry(&ev.ev[1], 100, 4, 0x80, 3);
    assert_int_equal(d.calls, 1);
    sim_free(s);
}

static void test_ext_fails(void **state)
{
    (void)state;
    struct sim *s = sim_new(true);
    struct bios_iface b = sim_iface(s);
    struct int13_disk d;
    uint8_t buf[512];

    struct events ev;

    assert_int_equal(int13_init(&d, &b, 0x80), ERR_OK);
    events_listen(&d, &ev);
    s->fail_next = 1000; /* a dead disk: the reader gives up with an error */
    assert_int_equal(int13_read(&d, 100, 1, buf), ERR_DISK_READ);
    /* 1 try + 3 retries for a 1-sector chunk, nothing left to cut */
    assert_int_equal(s->resets, 3);
    assert_int_equal(ev.n, INT13_RETRIES);
    for (uint32_t i = 0; i < INT13_RETRIES; i++)
        assert_retry(&ev.ev[i], 100, 1, 0x80, i + 2);
    /* the panic names the sector and the BIOS's status (the simulated AH=80h, timeout) */
    assert_int_equal(d.fail_lba, 100);
    assert_int_equal(d.fail_status, 0x80);
    /* past the end of the disk: the BIOS refuses (AH=01h), the reader reports it */
    s->fail_next = 0;
    assert_int_equal(int13_read(&d, SIM_SECTORS, 1, buf), ERR_DISK_READ);
    assert_int_equal(d.fail_lba, SIM_SECTORS);
    assert_int_equal(d.fail_status, 0x01);
    sim_free(s);
}

static void test_ext_small_limit(void **state)
{
    (void)state;
    struct sim *s = sim_new(true);
    struct bios_iface b = sim_iface(s);
    struct int13_disk d;
    uint32_t n = 300;
    uint8_t *buf = malloc(n * 512u);

    /* A BIOS that says it has extensions but fails reads over 64 sectors: the chunk halves
     * (127 -> 63) and the read completes with the right data. */
    struct events ev;

    s->max_ext = 64;
    assert_int_equal(int13_init(&d, &b, 0x80), ERR_OK);
    events_listen(&d, &ev);
    assert_int_equal(int13_read(&d, 7, n, buf), ERR_OK);
    check_data(buf, 7, n);
    assert_int_equal(d.max_chunk, 63);
    assert_int_equal(s->largest, 63);
    /* the 127-sector call was refused (AH=01h) on every try, then the chunk was cut once */
    assert_int_equal(ev.n, INT13_RETRIES + 1);
    for (uint32_t i = 0; i < INT13_RETRIES; i++)
        assert_retry(&ev.ev[i], 7, 127, 0x01, i + 2);
    assert_int_equal(ev.ev[INT13_RETRIES].kind, INT13_EVENT_CHUNK_CUT);
    assert_int_equal(ev.ev[INT13_RETRIES].lba, 7);
    assert_int_equal(ev.ev[INT13_RETRIES].count, 63);
    assert_int_equal(ev.ev[INT13_RETRIES].status, 0x01);
    free(buf);
    sim_free(s);
}

/* Without a hook the protocol works around the same failures, silently; int13_init clears
 * a hook left from before. */
static void test_no_hook(void **state)
{
    (void)state;
    struct sim *s = sim_new(true);
    struct bios_iface b = sim_iface(s);
    struct int13_disk d;
    struct events ev;
    uint8_t buf[2 * 512];

    assert_int_equal(int13_init(&d, &b, 0x80), ERR_OK);
    events_listen(&d, &ev);
    assert_int_equal(int13_init(&d, &b, 0x80), ERR_OK);
    assert_null(d.event);
    assert_null(d.event_ctx);
    s->fail_next = 1;
    assert_int_equal(int13_read(&d, 9, 2, buf), ERR_OK);
    check_data(buf, 9, 2);
    assert_int_equal(d.retries, 1);
    assert_int_equal(ev.n, 0);
    sim_free(s);
}

/* CHS reads retry the same way, and the events name the failed call's sector and size. */
static void test_chs_retry(void **state)
{
    (void)state;
    struct sim *s = sim_new(false);
    struct bios_iface b = sim_iface(s);
    struct int13_disk d;
    struct events ev;
    uint8_t buf[10 * 512];

    s->spt = 18; /* a 1.44 MB floppy's geometry */
    s->heads = 2;
    s->cyls = 80;
    assert_int_equal(int13_init(&d, &b, 0x80), ERR_OK);
    events_listen(&d, &ev);
    s->fail_next = 1;
    /* LBA 30..39: 6 sectors to the end of track 1, then 4; the first call fails once */
    assert_int_equal(int13_read(&d, 30, 10, buf), ERR_OK);
    check_data(buf, 30, 10);
    assert_int_equal(ev.n, 1);
    assert_retry(&ev.ev[0], 30, 6, 0x80, 2);
    assert_int_equal(s->resets, 1);
    assert_int_equal(d.calls, 2);
    sim_free(s);
}

static void test_chs(void **state)
{
    (void)state;
    struct sim *s = sim_new(false);
    struct bios_iface b = sim_iface(s);
    struct int13_disk d;
    uint32_t n = 200;
    uint8_t *buf = malloc(n * 512u);

    s->spt = 63;
    s->heads = 16;
    s->cyls = 20;
    assert_int_equal(int13_init(&d, &b, 0x80), ERR_OK);
    assert_false(d.ext);
    assert_int_equal(d.sectors_per_track, 63);
    assert_int_equal(d.heads, 16);
    assert_int_equal(d.cylinders, 20);
    assert_int_equal(d.total_sectors, 20 * 16 * 63);
    /* LBA 60..259: 3 sectors to the end of track 0, then tracks 1-3 whole (189), then 8 */
    assert_int_equal(int13_read(&d, 60, n, buf), ERR_OK);
    check_data(buf, 60, n);
    assert_int_equal(s->reads, 5);
    /* LBA 1008 = cylinder 1, head 0, sector 1 */
    assert_int_equal(int13_read(&d, 1008, 1, buf), ERR_OK);
    check_data(buf, 1008, 1);
    free(buf);
    sim_free(s);
}

static void test_no_disk(void **state)
{
    (void)state;
    struct sim *s = sim_new(false); /* no extensions and no geometry */
    struct bios_iface b = sim_iface(s);
    struct int13_disk d;

    assert_int_equal(int13_init(&d, &b, 0x80), ERR_BIOS);
    assert_int_equal(int13_init(&d, NULL, 0x80), ERR_INVALID_ARG);
    /* a bounce buffer that cannot hold a sector and the packet */
    b.bounce_size = 512 + 15;
    assert_int_equal(int13_init(&d, &b, 0x80), ERR_INVALID_ARG);
    sim_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ext_chunks),     cmocka_unit_test(test_ext_retry),
        cmocka_unit_test(test_ext_fails),      cmocka_unit_test(test_ext_small_limit),
        cmocka_unit_test(test_chs),            cmocka_unit_test(test_no_disk),
        cmocka_unit_test(test_no_hook),        cmocka_unit_test(test_chs_retry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
