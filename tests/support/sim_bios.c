/* sim_bios.c: the simulated BIOS of sim_bios.h. */
#include "sim_bios.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define SMAP 0x534D4150u

void sim_bios_init(struct sim_bios *s, uint8_t *bounce)
{
    memset(s, 0, sizeof *s);
    s->bounce = bounce;
    s->bounce_phys = SIM_BOUNCE_PHYS;
    s->ecx_ret = 20;
    s->end = SIM_END_EBX0;
    memset(bounce, 0xcc, SIM_BOUNCE_SIZE);
}

void sim_bios_set_table(struct sim_bios *s, const struct e820_entry *t, uint32_t n)
{
    memcpy(s->table, t, n * sizeof *t);
    s->n = n;
}

uint32_t sim_bios_load_seabios_log(struct sim_bios *s, const char *text)
{
    bool in_map = false;
    uint32_t n = 0;

    for (const char *line = text; *line;) {
        const char *eol = strchr(line, '\n');
        size_t len = eol ? (size_t)(eol - line) : strlen(line);
        char buf[256];
        unsigned idx, type;
        uint64_t a, b;

        if (len >= sizeof buf)
            len = sizeof buf - 1; /* no map line is this long: it cannot parse anyway */
        memcpy(buf, line, len);
        buf[len] = '\0';
        line = eol ? eol + 1 : line + strlen(line);
        if (strncmp(buf, "e820 map has", 12) == 0) {
            in_map = true;
            n = 0;
            continue;
        }
        if (!in_map)
            continue;
        if (sscanf(buf, " %u: %" SCNx64 " - %" SCNx64 " = %u", &idx, &a, &b, &type) != 4) {
            in_map = false;
            continue;
        }
        if (n < SIM_MAX)
            s->table[n++] = (struct e820_entry){ a, b - a, type, 1 };
    }
    s->n = n;
    return n;
}

struct bios_iface sim_bios_iface(struct sim_bios *s)
{
    return (struct bios_iface){ .call = sim_bios_call, .ctx = s, .bounce = s->bounce,
                                .bounce_phys = s->bounce_phys, .bounce_size = SIM_BOUNCE_SIZE };
}

void sim_bios_attach_disk(struct sim_bios *s, bios_int_fn call, void *ctx)
{
    s->int13 = call;
    s->int13_ctx = ctx;
}

static void sim_clobber(const struct sim_bios *s, struct bios_regs *r)
{
    if (!s->clobber)
        return;
    r->esi = 0xdeadbeef;
    r->edi = 0xbadc0de0;
    r->ebp = 0x55aa55aa;
    r->edx = 0x12345678;
    r->es = 0xf000;
    r->ds = 0x1234;
    r->ecx |= 0xabcd0000u;
}

/* Writes entry e at ES:DI like firmware: 20 bytes (attr left alone) or 24. */
static void sim_write(struct sim_bios *s, const struct bios_regs *in, struct e820_entry e,
                      struct bios_regs *out)
{
    uint32_t phys = rm_phys(in->es, (uint16_t)in->edi);
    uint8_t *p = s->bounce + (phys - s->bounce_phys);
    memcpy(p, &e, s->ecx_ret >= 24 ? 24 : 20);
    out->eax = SMAP;
    out->ecx = s->ecx_ret;
    out->eflags &= ~EFLAGS_CF;
}

static void sim_e820(struct sim_bios *s, const struct bios_regs *in, struct bios_regs *out)
{
    uint32_t call = s->e820_calls++;
    uint32_t phys = rm_phys(in->es, (uint16_t)in->edi);

    if (in->eax != 0xE820u || in->edx != SMAP || in->ecx < 24 || phys < s->bounce_phys ||
        phys + 24 > s->bounce_phys + SIM_BOUNCE_SIZE) {
        s->bad_requests++;
        out->eflags |= EFLAGS_CF;
        out->eax = 0x8600;
        return;
    }
    uint32_t attr;
    memcpy(&attr, s->bounce + (phys - s->bounce_phys) + 20, 4);
    if (attr != 1)
        s->attr_not_preset++;

    if (s->no_e820 || s->n == 0) {
        out->eflags |= EFLAGS_CF;
        out->eax = 0x8600;
        return;
    }
    uint32_t i = in->ebx;
    struct e820_entry e;
    uint32_t next;
    switch (s->end) {
    case SIM_END_EBX0:
        if (i >= s->n) {
            out->eflags |= EFLAGS_CF;
            return;
        }
        e = s->table[i];
        next = (i + 1 < s->n) ? i + 1 : 0;
        break;
    case SIM_END_CF:
        if (i >= s->n) {
            out->eflags |= EFLAGS_CF;
            out->eax = 0x8600; /* what a failing AH looks like */
            sim_clobber(s, out);
            return;
        }
        e = s->table[i];
        next = i + 1;
        break;
    case SIM_END_CLAMP:
        if (i >= s->n)
            i = s->n - 1;
        e = s->table[i];
        next = (i + 1 < s->n) ? i + 1 : s->n;
        break;
    case SIM_END_WRAP:
        i %= s->n;
        e = s->table[i];
        next = i + 1; /* n after the last: n % n is entry 0 again */
        break;
    case SIM_END_ENDLESS:
        e = (struct e820_entry){ 0x100000000ull + (uint64_t)i * 0x1000u, 0x1000, 1, 1 };
        if (i < s->n)
            e = s->table[i];
        next = i + 1;
        break;
    case SIM_END_STATEFUL:
    default:
        if (s->pos >= s->n) {
            out->eflags |= EFLAGS_CF;
            return;
        }
        e = s->table[s->pos++];
        next = s->pos < s->n ? 1 : 0;
        break;
    }
    sim_write(s, in, e, out);
    out->ebx = next;
    if (s->garbage_sig || (s->lose_smap_at && call >= s->lose_smap_at))
        out->eax = 0x41524247; /* junk */
    sim_clobber(s, out);
}

void sim_bios_call(void *ctx, uint8_t vec, const struct bios_regs *in_, struct bios_regs *out)
{
    struct sim_bios *s = ctx;
    struct bios_regs in = *in_; /* in == out is allowed */

    *out = in;
    if (vec == 0x13 && s->int13) {
        s->int13(s->int13_ctx, vec, &in, out);
        return;
    }
    if (vec == 0x12) {
        s->int12_calls++;
        /* Only AX is the answer: with clobber, EAX's upper half comes back as junk. */
        if (s->int12_ax)
            out->eax = ((s->clobber ? 0xdead0000u : in.eax) & 0xffff0000u) | s->int12_ax;
        return;
    }
    if (vec == 0x10 && s->int10) {
        s->int10(s->int10_ctx, &in, out);
        return;
    }
    if (vec != 0x15) {
        s->other_calls++;
        return;
    }
    if (in.eax == 0xE820u || (in.eax & 0xffffu) == 0xE820u) {
        sim_e820(s, &in, out);
        return;
    }
    if ((in.eax & 0xffffu) == 0xE801u) {
        s->e801_calls++;
        if (!s->e801_ok) {
            out->eflags |= EFLAGS_CF;
            out->eax = (in.eax & 0xffff00ffu) | 0x8600u;
            return;
        }
        /* Upper halves left as junk on purpose: only the low 16 bits are answers. */
        out->eax = 0xdead0000u | s->e801_ax;
        out->ebx = 0xbeef0000u | s->e801_bx;
        out->ecx = 0x77770000u | s->e801_cx;
        out->edx = 0x66660000u | s->e801_dx;
        out->eflags &= ~EFLAGS_CF;
        sim_clobber(s, out);
        out->edx = 0x66660000u | s->e801_dx;
        out->ecx = 0x77770000u | s->e801_cx;
        return;
    }
    if ((in.eax & 0xff00u) == 0x8800u) {
        s->e88_calls++;
        if (!s->e88_ok) {
            out->eflags |= EFLAGS_CF;
            out->eax = 0x8600u;
            return;
        }
        out->eax = s->e88_ax;
        out->eflags &= ~EFLAGS_CF;
        return;
    }
    s->other_calls++;
}
