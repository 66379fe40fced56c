/* sim_disk.c: the scripted INT 13h disk of sim_disk.h. */
#include "sim_disk.h"

#include <string.h>

void sim_disk_init(struct sim_disk *s, uint8_t *bounce, uint32_t bounce_phys,
                   uint32_t bounce_size)
{
    memset(s, 0, sizeof *s);
    s->drive = 0x80;
    s->sectors = 20000;
    s->ext = true;
    s->max_ext = 127;
    s->bps = 512;
    s->bounce = bounce;
    s->bounce_phys = bounce_phys;
    s->bounce_size = bounce_size;
}

uint8_t sim_disk_byte(uint64_t lba, uint32_t i)
{
    return (uint8_t)(lba * 7u + i * 13u + (lba >> 8));
}

struct bios_iface sim_disk_iface(struct sim_disk *s)
{
    return (struct bios_iface){ .call = sim_disk_call, .ctx = s, .bounce = s->bounce,
                                .bounce_phys = s->bounce_phys, .bounce_size = s->bounce_size };
}

/* The bytes at seg:off, len of them, when they lie inside the bounce buffer; else NULL. */
static uint8_t *sim_disk_mem(struct sim_disk *s, uint16_t seg, uint16_t off, uint32_t len)
{
    uint32_t phys = rm_phys(seg, off);

    if (phys < s->bounce_phys || phys + len > s->bounce_phys + s->bounce_size)
        return NULL;
    return s->bounce + (phys - s->bounce_phys);
}

static void sim_disk_fill(uint8_t *dst, uint64_t lba, uint32_t n)
{
    for (uint32_t k = 0; k < n; k++)
        for (uint32_t i = 0; i < 512; i++)
            dst[k * 512 + i] = sim_disk_byte(lba + k, i);
}

static void sim_disk_ret(struct bios_regs *r, bool ok, uint8_t ah)
{
    r->eflags = ok ? r->eflags & ~EFLAGS_CF : r->eflags | EFLAGS_CF;
    r->eax = (r->eax & 0xffff00ffu) | ((uint32_t)ah << 8);
}

static void sim_disk_bad(struct sim_disk *s, struct bios_regs *r)
{
    s->bad_requests++;
    sim_disk_ret(r, false, 0x01);
}

static void sim_disk_read_done(struct sim_disk *s, struct bios_regs *r, uint32_t n)
{
    if (n > s->largest)
        s->largest = n;
    sim_disk_ret(r, true, s->ok_ah);
}

/* AH=42h: the packet at DS:SI. */
static void sim_disk_42(struct sim_disk *s, const struct bios_regs *in, struct bios_regs *r)
{
    uint8_t *dap = sim_disk_mem(s, in->ds, (uint16_t)in->esi, 16);
    uint16_t count, off, seg;
    uint64_t lba;
    uint8_t *dst;

    if (!dap || dap[0] < 16) {
        sim_disk_bad(s, r);
        return;
    }
    s->last_dap_phys = rm_phys(in->ds, (uint16_t)in->esi);
    memcpy(&count, dap + 2, 2);
    memcpy(&off, dap + 4, 2);
    memcpy(&seg, dap + 6, 2);
    memcpy(&lba, dap + 8, 8);
    /* Like SeaBIOS, a failed call writes the count it transferred (0) into the packet: a
     * reader that reused the packet would then "read" nothing on its retry. */
    if (s->ext_reads_fail || s->fail_next) {
        if (!s->ext_reads_fail)
            s->fail_next--;
        sim_disk_ret(r, false, s->ext_reads_fail ? 0x01 : 0x80);
        memset(dap + 2, 0, 2);
        return;
    }
    dst = sim_disk_mem(s, seg, off, count * 512u);
    /* the data must not run into the packet, which lives in the same buffer */
    if (count == 0 || !dst || (dst < dap + 16 && dap < dst + count * 512u)) {
        sim_disk_bad(s, r);
        return;
    }
    if (count > s->max_ext || lba + count > s->sectors) {
        sim_disk_ret(r, false, 0x01);
        memset(dap + 2, 0, 2);
        return;
    }
    if (s->ext_short && count > s->ext_short) {
        count = (uint16_t)s->ext_short;
        memcpy(dap + 2, &count, 2);
    }
    sim_disk_fill(dst, lba, count);
    s->ext_reads++;
    sim_disk_read_done(s, r, count);
}

/* AH=02h: AL sectors from CH/CL/DH to ES:BX, within one track. */
static void sim_disk_02(struct sim_disk *s, const struct bios_regs *in, struct bios_regs *r)
{
    uint32_t n = in->eax & 0xffu, sec = in->ecx & 0x3fu;
    uint32_t cyl = ((in->ecx >> 8) & 0xffu) | ((in->ecx & 0xc0u) << 2);
    uint32_t head = (in->edx >> 8) & 0xffu;
    uint8_t *dst = sim_disk_mem(s, in->es, (uint16_t)in->ebx, n * 512u);

    if (s->fail_next) {
        s->fail_next--;
        sim_disk_ret(r, false, 0x80);
        return;
    }
    /* sectors count from 1, and a call must not cross a track */
    if (!s->spt || !dst || n == 0 || sec == 0 || sec - 1 + n > s->spt || head >= s->heads ||
        cyl >= s->cyls) {
        sim_disk_bad(s, r);
        return;
    }
    sim_disk_fill(dst, ((uint64_t)cyl * s->heads + head) * s->spt + sec - 1, n);
    s->chs_reads++;
    sim_disk_read_done(s, r, n);
}

/* AH=48h: the drive parameters into DS:SI (its size word says how much fits). */
static void sim_disk_48(struct sim_disk *s, const struct bios_regs *in, struct bios_regs *r)
{
    uint8_t *p = sim_disk_mem(s, in->ds, (uint16_t)in->esi, 0x1a);

    if (!p || p[0] < 0x1a) {
        sim_disk_bad(s, r);
        return;
    }
    memcpy(p + 0x10, &s->sectors, 8);
    memcpy(p + 0x18, &s->bps, 2);
    sim_disk_ret(r, true, 0);
}

void sim_disk_call(void *ctx, uint8_t vec, const struct bios_regs *in, struct bios_regs *out)
{
    struct sim_disk *s = ctx;
    struct bios_regs r = *in; /* in == out is allowed */
    uint8_t ah = bios_ah(in);

    if (vec != 0x13 || (in->edx & 0xffu) != s->drive) {
        sim_disk_bad(s, &r);
        *out = r;
        return;
    }
    switch (ah) {
    case 0x00:
        s->resets++;
        sim_disk_ret(&r, true, 0);
        break;
    case 0x41:
        if (s->ext && (in->ebx & 0xffffu) == 0x55aa) {
            sim_disk_ret(&r, true, 0x30);
            r.ebx = 0xaa55;
            r.ecx = 1;
        } else {
            sim_disk_ret(&r, false, 0x01);
        }
        break;
    case 0x42:
        sim_disk_42(s, in, &r);
        break;
    case 0x48:
        sim_disk_48(s, in, &r);
        break;
    case 0x08:
        if (!s->spt) {
            sim_disk_ret(&r, false, 0x01);
            break;
        }
        r.ecx = (((s->cyls - 1) & 0xffu) << 8) | (((s->cyls - 1) >> 2) & 0xc0u) | s->spt;
        r.edx = ((s->heads - 1) << 8) | 1;
        sim_disk_ret(&r, true, 0);
        break;
    case 0x02:
        sim_disk_02(s, in, &r);
        break;
    default:
        sim_disk_bad(s, &r);
    }
    *out = r;
}
