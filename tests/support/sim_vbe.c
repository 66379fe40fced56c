/* sim_vbe.c: the scripted video BIOS of sim_vbe.h. */
#include "sim_vbe.h"

#include <string.h>

#define LIST_ROM_OFFSET 0x100u  /* C000:0100 */
#define LIST_BLOCK_OFFSET 0x22u /* the reserved area of VbeInfoBlock, as SeaVGABIOS uses */
#define NOWHERE_PHYS 0x30000u   /* memory sim_vbe_ptr cannot read */

static void sim_vbe_int10(void *ctx, const struct bios_regs *in, struct bios_regs *out);

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, (uint16_t)v);
    put16(p + 2, (uint16_t)(v >> 16));
}

void sim_vbe_init(struct sim_vbe *v, struct sim_bios *s)
{
    memset(v, 0, sizeof *v);
    v->present = true;
    memcpy(v->signature, "VESA", 4);
    v->version = 0x0300;
    v->memory_64k = 256;
    v->where = SIM_VBE_LIST_IN_BLOCK;
    v->bios = s;
    memset(v->rom, 0xcc, sizeof v->rom);
    s->int10 = sim_vbe_int10;
    s->int10_ctx = v;
}

struct sim_vbe_mode sim_vbe_mode_rgb(uint16_t number, uint16_t w, uint16_t h, uint8_t bpp)
{
    uint8_t g = bpp == 16 ? 6 : bpp == 15 ? 5 : 8, rb = bpp >= 24 ? 8 : 5;
    struct sim_vbe_mode m = {
        .number = number, .attr = 0x009b, .width = w, .height = h, .bpp = bpp, .model = 6,
        .banks = 1, .pitch = (uint16_t)(w * ((bpp + 7) / 8)), .phys = 0xfd000000u,
        .masks = { rb, (uint8_t)(rb + g), g, rb, rb, 0 },
    };
    m.lin_pitch = m.pitch;
    memcpy(m.lin_masks, m.masks, sizeof m.masks);
    return m;
}

void sim_vbe_add(struct sim_vbe *v, struct sim_vbe_mode m)
{
    if (v->n < SIM_VBE_MODES)
        v->mode[v->n++] = m;
}

/* The bounce buffer at ES:DI, `bytes` long, or NULL (a bad request). */
static uint8_t *sim_vbe_buffer(struct sim_vbe *v, const struct bios_regs *in, uint32_t bytes)
{
    uint32_t phys = rm_phys(in->es, (uint16_t)in->edi);
    struct sim_bios *s = v->bios;

    if (phys < s->bounce_phys || phys + bytes > s->bounce_phys + SIM_BOUNCE_SIZE) {
        v->bad_requests++;
        return NULL;
    }
    return s->bounce + (phys - s->bounce_phys);
}

/* The list's words at p: the modes, the extra numbers, then FFFFh or junk. */
static void sim_vbe_write_list(const struct sim_vbe *v, uint8_t *p, uint32_t room)
{
    uint32_t i = 0, words = room / 2;

    for (uint32_t k = 0; k < v->n && i < words; k++)
        put16(p + 2 * i++, v->mode[k].number);
    for (uint32_t k = 0; k < v->n_extra && i < words; k++)
        put16(p + 2 * i++, v->extra[k]);
    while (i < words) {
        put16(p + 2 * i, v->unterminated ? (uint16_t)(0x4000u + i) : 0xffffu);
        if (!v->unterminated)
            break;
        i++;
    }
}

static void sim_vbe_4f00(struct sim_vbe *v, const struct bios_regs *in, struct bios_regs *out)
{
    uint8_t *b = sim_vbe_buffer(v, in, 512);
    uint16_t seg = (uint16_t)in->es, off = (uint16_t)in->edi;
    bool vbe2;

    v->calls_4f00++;
    if (!b)
        return;
    vbe2 = memcmp(b, "VBE2", 4) == 0;
    if (!vbe2)
        v->bad_requests++;
    if (v->status_4f00) {
        out->eax = (uint32_t)v->status_4f00 << 8 | 0x4fu;
        return;
    }
    /* a 2.0+ BIOS asked without "VBE2" fills only the 256 bytes of the 1.x block */
    memset(b, 0, vbe2 ? 512 : 256);
    memcpy(b, v->signature, 4);
    put16(b + 4, v->version);
    put32(b + 6, (uint32_t)0xc000u << 16 | 0x0010u); /* OEM string in the ROM */
    put16(b + 0x12, v->memory_64k);
    switch (v->where) {
    case SIM_VBE_LIST_IN_BLOCK:
        put32(b + 0x0e, (uint32_t)seg << 16 | (uint16_t)(off + LIST_BLOCK_OFFSET));
        sim_vbe_write_list(v, b + LIST_BLOCK_OFFSET, 222 - 2);
        break;
    case SIM_VBE_LIST_IN_ROM:
        put32(b + 0x0e, (uint32_t)0xc000u << 16 | LIST_ROM_OFFSET);
        sim_vbe_write_list(v, v->rom + LIST_ROM_OFFSET, SIM_VBE_ROM_SIZE - LIST_ROM_OFFSET);
        break;
    default:
        put32(b + 0x0e, (NOWHERE_PHYS >> 4) << 16);
        break;
    }
    out->eax = 0x004f;
}

static const struct sim_vbe_mode *sim_vbe_find(const struct sim_vbe *v, uint16_t number)
{
    for (uint32_t i = 0; i < v->n; i++)
        if (v->mode[i].number == number)
            return &v->mode[i];
    return NULL;
}

static void sim_vbe_4f01(struct sim_vbe *v, const struct bios_regs *in, struct bios_regs *out)
{
    const struct sim_vbe_mode *m = sim_vbe_find(v, (uint16_t)in->ecx);
    uint8_t *b = sim_vbe_buffer(v, in, 256);
    uint32_t end = v->short_mode_info || v->version < 0x0300 ? 0x32u : 0x42u;

    v->calls_4f01++;
    if (!b)
        return;
    if (v->where == SIM_VBE_LIST_IN_BLOCK &&
        b < v->bios->bounce + 512 && b + 256 > v->bios->bounce + LIST_BLOCK_OFFSET)
        v->blocks_overlapping_list++;
    if (v->scratch_list) /* the list was in memory this call reuses */
        memset(v->where == SIM_VBE_LIST_IN_ROM ? v->rom + LIST_ROM_OFFSET
                                               : v->bios->bounce + LIST_BLOCK_OFFSET, 0xff, 8);
    if (!m || m->info_fails) {
        out->eax = 0x014f;
        return;
    }
    memset(b, 0, end);
    put16(b + 0x00, m->attr);
    b[0x02] = 0x07;                 /* window A: exists, readable, writable */
    put16(b + 0x04, 64);
    put16(b + 0x06, 64);
    put16(b + 0x08, 0xa000);
    put16(b + 0x10, m->pitch);
    put16(b + 0x12, m->width);
    put16(b + 0x14, m->height);
    b[0x16] = 8;
    b[0x17] = 16;
    b[0x18] = 1;
    b[0x19] = m->bpp;
    b[0x1a] = m->banks;
    b[0x1b] = m->model;
    b[0x1c] = m->bank_size;
    memcpy(b + 0x1f, m->masks, 6);
    put32(b + 0x28, m->phys);
    if (end > 0x32u) {
        put16(b + 0x32, m->lin_pitch);
        memcpy(b + 0x36, m->lin_masks, 6);
    }
    out->eax = 0x004f;
}

static void sim_vbe_4f02(struct sim_vbe *v, const struct bios_regs *in, struct bios_regs *out)
{
    const struct sim_vbe_mode *m = sim_vbe_find(v, (uint16_t)(in->ebx & 0x3fffu));

    v->calls_4f02++;
    if (!m || m->set_fails) {
        out->eax = 0x014f;
        return;
    }
    v->set = (uint16_t)in->ebx;
    out->eax = 0x004f;
}

static void sim_vbe_int10(void *ctx, const struct bios_regs *in, struct bios_regs *out)
{
    struct sim_vbe *v = ctx;

    if (!v->present || (in->eax & 0xff00u) != 0x4f00u) {
        v->other_calls++;
        return; /* AX unchanged: AL is not 4Fh */
    }
    switch (in->eax & 0xffu) {
    case 0x00:
        sim_vbe_4f00(v, in, out);
        break;
    case 0x01:
        sim_vbe_4f01(v, in, out);
        break;
    case 0x02:
        sim_vbe_4f02(v, in, out);
        break;
    default:
        out->eax = 0x014f;
        v->other_calls++;
        break;
    }
}

void *sim_vbe_ptr(void *ctx, uint64_t phys, uint64_t bytes)
{
    struct sim_vbe *v = ctx;
    struct sim_bios *s = v->bios;

    if (phys >= s->bounce_phys && phys + bytes <= s->bounce_phys + SIM_BOUNCE_SIZE)
        return s->bounce + (phys - s->bounce_phys);
    if (phys >= SIM_VBE_ROM_PHYS && phys + bytes <= SIM_VBE_ROM_PHYS + SIM_VBE_ROM_SIZE)
        return v->rom + (phys - SIM_VBE_ROM_PHYS);
    return NULL;
}
