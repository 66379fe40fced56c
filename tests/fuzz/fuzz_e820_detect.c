/* fuzz_e820_detect.c: libFuzzer harness for e820_detect. The input scripts a hostile BIOS
 * (every E820 answer's CF, EAX, EBX, CX and the bytes written to ES:DI; E801, 88h and
 * INT 12h answers); the harness records every answer and then checks the detected table
 * against those records, abort() on a violation.
 *
 * Input: 16 header bytes, then the E820 script.
 *   header: [0] what happens when the script runs out (0-1: CF, 2: fresh entries forever,
 *           3: the last answer forever), [1] E801 flags (bit0: CF), [2..9] E801 AX BX CX DX,
 *           [10] 88h flags (bit0: CF), [11..12] 88h AX, [13..14] INT 12h AX, [15] unused.
 *   each E820 answer: c = flags byte
 *           bit0 CF; bits1-3 == 7: EAX not 'SMAP'; bits4-5 CX: 20, 24, the next byte (with
 *           the one after as junk in ECX's upper half), 24 with junk upper half; bit6
 *           write only 20 bytes; bit7 EBX from four bytes (else one byte, so repeats and 0
 *           are common); then one entry byte e: bit7 a full
 *           24-byte entry follows, else a compact one from two bytes (base MiB, length 64 KiB
 *           units, type e & 7). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e820_detect.h"

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: CHECK(%s)\n", __FILE__, __LINE__, \
                                          #c); abort(); } } while (0)

#define BOUNCE_PHYS 0x7000u
#define MAX_REPLIES (MEMMAP_RAW_MAX + 16)

struct reply {
    bool cf, smap;
    uint32_t ebx, ecx;
    uint8_t buf[24];  /* the bounce buffer as the BIOS left it */
};

struct script {
    const uint8_t *p;
    size_t left;
    uint8_t mode;
    const uint8_t *hdr;
    uint8_t *bounce;
    /* observations */
    struct reply r[MAX_REPLIES];
    uint32_t nr;            /* E820 calls answered (recorded up to MAX_REPLIES) */
    uint32_t calls;
    uint32_t expect_ebx;    /* the continuation value the next E820 call must carry */
    bool bad_request;
    bool e801_called, e88_called, int12_called;
    uint32_t fresh;
};

static uint8_t take(struct script *s)
{
    if (!s->left)
        return 0;
    s->left--;
    return *s->p++;
}

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

static void e820_answer(struct script *s, const struct bios_regs *in, struct bios_regs *out)
{
    uint32_t call = s->calls++;
    uint32_t phys = rm_phys(in->es, (uint16_t)in->edi);
    /* Every request must be well-formed: function, signature, room, ES:DI at the bounce
     * buffer, and EBX = the previous answer's continuation (0 on the first call). */
    if (in->eax != E820_FUNC || in->edx != E820_SMAP || in->ecx < 24 || phys != BOUNCE_PHYS ||
        in->ebx != s->expect_ebx)
        s->bad_request = true;
    uint32_t attr;
    memcpy(&attr, s->bounce + 20, 4);
    CHECK(attr == E820_ATTR_ENABLED); /* the loop presets the ACPI 3.0 enabled bit */

    struct reply r = {0};
    if (s->left) {
        uint8_t c = take(s);
        r.cf = c & 1;
        r.smap = ((c >> 1) & 7) != 7;
        switch ((c >> 4) & 3) {
        case 0: r.ecx = 20; break;
        case 1: r.ecx = 24; break;
        case 2: r.ecx = take(s) | (uint32_t)take(s) << 16; break; /* CX 0..255, junk above */
        default: r.ecx = 0xabcd0018u; break;
        }
        if (c & 0x80) {
            r.ebx = take(s) | (uint32_t)take(s) << 8 | (uint32_t)take(s) << 16 |
                    (uint32_t)take(s) << 24;
        } else {
            r.ebx = take(s);
        }
        struct e820_entry e = {0};
        uint8_t eb = take(s);
        if (eb & 0x80) {
            uint8_t raw[24];
            for (int i = 0; i < 24; i++)
                raw[i] = take(s);
            memcpy(&e, raw, 24);
        } else {
            e.base = (uint64_t)take(s) << 20;
            e.length = (uint64_t)take(s) << 16;
            e.type = eb & 7;
            e.attr = (eb >> 3) & 3;
        }
        memcpy(s->bounce, &e, (c & 0x40) ? 20 : 24);
    } else if (s->mode == 2) {
        /* An endless list: fresh entries and fresh continuation values. */
        struct e820_entry e = {0x100000000ull + (uint64_t)s->fresh * 0x1000u, 0x1000, 1, 1};
        s->fresh++;
        r.ebx = 0x10000u + s->fresh;
        r.ecx = 24;
        r.smap = true;
        memcpy(s->bounce, &e, 24);
    } else if (s->mode == 3 && s->nr > 0 && s->nr <= MAX_REPLIES) {
        r = s->r[s->nr - 1];
        memcpy(s->bounce, r.buf, 24);
    } else {
        r.cf = true;
    }
    memcpy(r.buf, s->bounce, 24);
    out->eflags = r.cf ? (out->eflags | EFLAGS_CF) : (out->eflags & ~EFLAGS_CF);
    out->eax = r.smap ? E820_SMAP : 0x8600u;
    out->ebx = r.ebx;
    out->ecx = r.ecx;
    out->edx = 0x12345678u; /* clobbered, as some BIOSes do */
    out->esi = 0xdeadbeefu;
    out->es = 0xf000;
    if (call < MAX_REPLIES)
        s->r[call] = r;
    s->nr = s->calls < MAX_REPLIES ? s->calls : MAX_REPLIES;
    s->expect_ebx = r.ebx;
}

static void bios_call(void *ctx, uint8_t vec, const struct bios_regs *in_, struct bios_regs *out)
{
    struct script *s = ctx;
    struct bios_regs in = *in_;
    const uint8_t *h = s->hdr;

    *out = in;
    if (vec == 0x12) {
        s->int12_called = true;
        out->eax = (in.eax & 0xffff0000u) | le16(h + 13);
        return;
    }
    CHECK(vec == 0x15);
    if (in.eax == E820_FUNC) {
        CHECK(!s->e801_called && !s->e88_called); /* E820 comes first, once */
        e820_answer(s, &in, out);
    } else if (in.eax == E801_FUNC) {
        s->e801_called = true;
        if (h[1] & 1) {
            out->eflags |= EFLAGS_CF;
            return;
        }
        out->eflags &= ~EFLAGS_CF;
        out->eax = 0xdead0000u | le16(h + 2);
        out->ebx = 0xbeef0000u | le16(h + 4);
        out->ecx = 0x77770000u | le16(h + 6);
        out->edx = 0x66660000u | le16(h + 8);
    } else if ((in.eax & 0xff00u) == 0x8800u) {
        s->e88_called = true;
        if (h[10] & 1) {
            out->eflags |= EFLAGS_CF;
            return;
        }
        out->eflags &= ~EFLAGS_CF;
        out->eax = 0x55550000u | le16(h + 11);
    } else {
        abort(); /* nothing else may be asked */
    }
}

static uint8_t ref_size(uint32_t ecx)
{
    ecx &= 0xffffu;
    return ecx >= 24 ? 24 : 20;
}

static uint32_t one_source(uint32_t src)
{
    uint32_t s = src & (MULTIOS_BOOT_E820 | MULTIOS_BOOT_E801 | MULTIOS_BOOT_INT15_88 |
                        MULTIOS_BOOT_LOW_GUESS);
    CHECK(s != 0 && (s & (s - 1)) == 0);
    CHECK((src & ~(s | MULTIOS_BOOT_E820_ATTRS)) == 0);
    return s;
}

/* The fallback tables: sorted, non-overlapping, 20-byte, low RAM at 0 below 640 KiB. */
static void check_fallback(const struct script *s, const struct e820_detect *d, uint32_t src)
{
    const uint8_t *h = s->hdr;
    CHECK(d->e820_err != ERR_OK && d->reason != NULL && d->reason[0] != '\0');
    CHECK(d->fallback != NULL && d->fallback[0] != '\0');
    CHECK(d->count >= 1 && d->count <= 6);
    CHECK(s->int12_called);
    uint32_t i12 = le16(h + 13);
    bool sane = i12 >= E820_LOW_MIN_KIB && i12 <= E820_LOW_MAX_KIB;
    uint64_t low = (sane ? i12 : E820_LOW_DEFAULT_KIB) * 1024ull;
    CHECK(d->low_kib == (sane ? i12 : 0));
    CHECK(!!(d->quirks & E820_QUIRK_INT12_BAD) == !sane);
    CHECK(d->entry[0].base == 0 && d->entry[0].length == low && d->entry[0].type == E820_TYPE_RAM);
    CHECK(low < 0x100000u);
    uint64_t ram_above = 0;
    for (uint32_t i = 0; i < d->count; i++) {
        const struct e820_entry *e = &d->entry[i];
        CHECK(d->size[i] == 20 && d->next[i] == 0 && e->length > 0);
        CHECK(e->type == E820_TYPE_RAM || e->type == E820_TYPE_RESERVED);
        if (i)
            CHECK(d->entry[i - 1].base + d->entry[i - 1].length <= e->base);
        if (e->base >= 0x100000u) {
            CHECK(e->type == E820_TYPE_RAM);
            ram_above += e->length;
        } else {
            CHECK(e->base + e->length <= 0x100000u);
            CHECK(e->type == E820_TYPE_RESERVED || e->base == 0);
        }
    }
    if (src == MULTIOS_BOOT_E801) {
        CHECK(s->e801_called && !(h[1] & 1));
        uint32_t ax = le16(h + 2), bx = le16(h + 4);
        if (ax == 0 && bx == 0) {
            ax = le16(h + 6);
            bx = le16(h + 8);
        }
        CHECK(ax > 0 && ax <= 15u * 1024u);
        uint64_t want = ax * 1024ull + (ax == 15u * 1024u ? bx * 65536ull : 0);
        CHECK(ram_above == want);
    } else if (src == MULTIOS_BOOT_INT15_88) {
        CHECK(!(h[10] & 1) && le16(h + 11) != 0);
        CHECK(ram_above == le16(h + 11) * 1024ull);
    } else {
        CHECK(ram_above == 0 && d->count == (low < 0xA0000u ? 3u : 2u));
        CHECK((h[10] & 1) || le16(h + 11) == 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t bounce[64];
    static struct script s;
    static struct e820_detect d;

    if (size < 16)
        return 0;
    memset(&s, 0, sizeof(s));
    memset(bounce, 0xcc, sizeof(bounce));
    s.hdr = data;
    s.mode = data[0] & 3;
    s.p = data + 16;
    s.left = size - 16;
    s.bounce = bounce;
    memset(&d, 0xa5, sizeof(d));

    struct bios_iface bios = { bios_call, &s, bounce, BOUNCE_PHYS, sizeof(bounce) };
    CHECK(e820_detect(&bios, &d) == ERR_OK);
    CHECK(!s.bad_request);
    CHECK(d.count >= 1 && d.count <= MEMMAP_RAW_MAX);
    CHECK(d.e820_calls == s.calls);
    CHECK(s.calls <= MEMMAP_RAW_MAX + 2);
    uint32_t src = one_source(d.source);

    /* How far the answers ran before the first CF or lost signature. */
    uint32_t good = 0;
    while (good < s.nr && !s.r[good].cf && s.r[good].smap)
        good++;

    if (src == MULTIOS_BOOT_E820) {
        CHECK(d.e820_err == ERR_OK && d.reason == NULL && d.fallback == NULL &&
              d.e820_count == 0);
        CHECK(!s.e801_called && !s.e88_called && !s.int12_called);
        CHECK(d.count <= good); /* every entry came from an answer with 'SMAP' and no CF */
        bool attrs = false, ram = false;
        for (uint32_t i = 0; i < d.count; i++) {
            struct e820_entry want;
            memcpy(&want, s.r[i].buf, 24);
            CHECK(memcmp(&d.entry[i], &want, 24) == 0);
            CHECK(d.size[i] == ref_size(s.r[i].ecx));
            CHECK(d.next[i] == s.r[i].ebx);
            attrs |= d.size[i] == 24;
            ram |= want.type == E820_TYPE_RAM && want.length != 0;
        }
        CHECK(ram);
        CHECK(!!(d.source & MULTIOS_BOOT_E820_ATTRS) == attrs);
        /* The list ended in one of the three ways a BIOS ends it. */
        uint32_t last = s.calls - 1;
        bool ended = (last < s.nr && s.r[last].cf) || s.r[d.count - 1].ebx == 0 ||
                     (d.quirks & E820_QUIRK_EBX_LOOP);
        CHECK(ended);
        if (!(d.quirks & E820_QUIRK_EBX_LOOP)) {
            CHECK(d.count == s.calls - (s.r[last].cf ? 1 : 0));
        } else {
            /* A loop: what was dropped after the kept entries repeated earlier answers
             * (same entry, size and continuation), and the last kept one is no repeat. */
            for (uint32_t i = d.count; i + 1 < s.calls; i++) {
                bool dup = false;
                for (uint32_t j = 0; j < i && !dup; j++)
                    dup = memcmp(s.r[i].buf, s.r[j].buf, 24) == 0 && s.r[i].ebx == s.r[j].ebx &&
                          ref_size(s.r[i].ecx) == ref_size(s.r[j].ecx);
                CHECK(dup);
            }
            for (uint32_t j = 0; j + 1 < d.count; j++)
                CHECK(!(memcmp(s.r[j].buf, s.r[d.count - 1].buf, 24) == 0 &&
                        s.r[j].ebx == s.r[d.count - 1].ebx &&
                        ref_size(s.r[j].ecx) == ref_size(s.r[d.count - 1].ecx)));
        }
        /* The CX quirks name exactly the sizes seen in the answers that were read. */
        uint32_t q = 0;
        for (uint32_t i = 0; i < s.calls && i < s.nr; i++) {
            if (s.r[i].cf || !s.r[i].smap)
                continue;
            uint32_t cx = s.r[i].ecx & 0xffffu;
            q |= cx < 20 ? E820_QUIRK_ECX_SHORT : cx > 24 ? E820_QUIRK_ECX_LONG
                 : cx > 20 && cx < 24 ? E820_QUIRK_ECX_ODD : 0u;
        }
        CHECK((d.quirks & (E820_QUIRK_ECX_SHORT | E820_QUIRK_ECX_LONG | E820_QUIRK_ECX_ODD)) == q);
        CHECK(!!(d.quirks & E820_QUIRK_CF_END) == s.r[last].cf);
    } else {
        CHECK(!(d.source & MULTIOS_BOOT_E820_ATTRS));
        switch (d.e820_err) {
        case ERR_E820_UNSUPPORTED:
            CHECK(s.calls == 1 && good == 0);
            break;
        case ERR_E820_BAD_SIGNATURE:
            CHECK(good < s.nr && !s.r[good].cf && !s.r[good].smap && good > 0);
            CHECK(d.e820_count == good);
            break;
        case ERR_CAPACITY:
            CHECK(good > MEMMAP_RAW_MAX && d.e820_count == MEMMAP_RAW_MAX);
            break;
        case ERR_NOT_FOUND:
            CHECK(d.e820_count >= 1 && d.e820_count <= good);
            for (uint32_t i = 0; i < d.e820_count; i++) {
                struct e820_entry e;
                memcpy(&e, s.r[i].buf, 24);
                CHECK(!(e.type == E820_TYPE_RAM && e.length != 0));
            }
            break;
        default:
            abort();
        }
        check_fallback(&s, &d, src);
    }
    return 0;
}
