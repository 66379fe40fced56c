/* fuzz_vbe.c: libFuzzer harness for the VBE protocol and the choice of a mode. The input is
 * a hostile video BIOS: its controller block, the memory around its mode list, and one
 * ModeInfoBlock it gives for every mode; the harness reads the controller, decodes every
 * listed mode, and picks one, abort() on a violation of:
 *   - the list: kept + skipped never past VBE_MODES_MAX, each kept number 100h or above
 *     without bits 14-15; the block handed to the decoder is the BIOS's, byte for byte;
 *   - a usable mode (VBE_MODE_OK): direct colour at 15, 16, 24 or 32 bits, a width and
 *     height, a pitch that holds a row, a non-zero address with the whole framebuffer below
 *     4 GiB and within the controller's memory, channels non-empty, inside the pixel and
 *     apart; a refused one leaves the output untouched;
 *   - the choice: -1 exactly when no usable mode fits the request, else a usable mode that
 *     fits, at the best depth distance of all that fit.
 *
 * Input: [0] version (bit 0: 3.0, else 2.0; bit 1: the raw value of [1] as the major, so
 * 1.x happens), [2..3] memory (64 KiB units), [4..7] where the list is: bytes 4-5 an even
 * offset into the memory below (byte 7 bit 0: bytes 4-7 taken as the BIOS's raw seg:off
 * instead), [8..13] the request (width/8, height/8, depth), [14..269] the ModeInfoBlock,
 * the rest: memory from 0x7000 on (the list's world), zero-padded. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_check.h"
#include "le.h"
#include "vbe.h"

#define MEM_PHYS 0x7000u
#define MEM_SIZE 0x20000u /* up to 0x27000: a bounce buffer at 0x10000 lives in it */
#define BOUNCE   0x10000u

static uint8_t mem[MEM_SIZE];
static uint8_t mode_info[VBE_MODE_INFO_SIZE];
static uint8_t head[14];

static void *fuzz_ptr(void *ctx, uint64_t phys, uint64_t bytes)
{
    (void)ctx;
    if (phys < MEM_PHYS || phys + bytes > MEM_PHYS + MEM_SIZE)
        return NULL;
    return mem + (phys - MEM_PHYS);
}

/* 4F00h: "VESA", the version, the memory and the list pointer from the input, the rest of
 * the block as memory already holds it; 4F01h: the input's block for any mode. */
static void fuzz_bios(void *ctx, uint8_t vec, const struct bios_regs *in, struct bios_regs *out)
{
    uint8_t *p = fuzz_ptr(ctx, rm_phys(in->es, (uint16_t)in->edi), VBE_INFO_SIZE);
    uint32_t fn = in->eax & 0xffff; /* in == out: read before writing */

    *out = *in;
    CHECK(vec == 0x10 && p);
    out->eax = 0x004f;
    if (fn == 0x4f00) {
        uint32_t list = MEM_PHYS + (le_read16(head + 4) * 2u) % MEM_SIZE;
        memcpy(p, "VESA", 4);
        p[4] = 0;
        p[5] = head[0] & 2 ? head[1] : head[0] & 1 ? 3 : 2;
        if (head[7] & 1)
            memcpy(p + 0x0e, head + 4, 4);
        else
            memcpy(p + 0x0e, (uint8_t[4]){ (uint8_t)(list & 0xf), 0, (uint8_t)(list >> 4),
                                           (uint8_t)(list >> 12) }, 4);
        memcpy(p + 0x12, head + 2, 2);
    } else if (fn == 0x4f01) {
        memcpy(p, mode_info, sizeof mode_info);
    }
}

static void check_mode(const struct video_mode *m, const struct vbe_controller *c)
{
    const struct video_channel *ch[3] = { &m->red, &m->green, &m->blue };
    uint64_t seen = 0;

    CHECK(m->type == VIDEO_TYPE_RGB);
    CHECK(m->bpp == 15 || m->bpp == 16 || m->bpp == 24 || m->bpp == 32);
    CHECK(m->width && m->height && m->pitch >= m->width * ((m->bpp + 7) / 8));
    CHECK(m->addr && m->addr + video_mode_bytes(m) <= 0x100000000ull);
    CHECK(!c->memory || video_mode_bytes(m) <= c->memory);
    for (int i = 0; i < 3; i++) {
        CHECK(ch[i]->size && ch[i]->pos + ch[i]->size <= m->bpp);
        uint64_t bits = ((1ull << ch[i]->size) - 1) << ch[i]->pos;
        CHECK(!(seen & bits));
        seen |= bits;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct vbe_controller c;
    static struct video_mode modes[VBE_MODES_MAX];
    struct bios_iface bios = { fuzz_bios, NULL, mem + (BOUNCE - MEM_PHYS), BOUNCE, 0x1000 };
    size_t rest = size > sizeof head + sizeof mode_info ? size - sizeof head - sizeof mode_info
                                                         : 0;
    uint32_t n = 0;

    memset(head, 0, sizeof head);
    memset(mode_info, 0, sizeof mode_info);
    memset(mem, 0, sizeof mem);
    memcpy(head, data, size < sizeof head ? size : sizeof head);
    if (size > sizeof head)
        memcpy(mode_info, data + sizeof head,
               size - sizeof head < sizeof mode_info ? size - sizeof head : sizeof mode_info);
    memcpy(mem, data + size - rest, rest < MEM_SIZE ? rest : MEM_SIZE);

    if (vbe_controller_read(&bios, fuzz_ptr, NULL, &c) != VBE_OK && c.mode_count == 0)
        return 0;
    CHECK(c.mode_count >= 1 && c.mode_count + c.skipped <= VBE_MODES_MAX);
    for (uint32_t i = 0; i < c.mode_count; i++) {
        CHECK(c.mode[i] >= 0x100 && !(c.mode[i] & 0xc000));
        struct video_mode m, untouched;
        memset(&m, 0xa5, sizeof m);
        untouched = m;
        uint8_t raw[VBE_MODE_INFO_SIZE];
        enum vbe_mode_verdict v = vbe_mode_read(&bios, &c, c.mode[i], raw, &m);
        CHECK((unsigned)v < VBE_MODE_VERDICT_COUNT);
        CHECK(memcmp(raw, mode_info, sizeof raw) == 0);
        if (v != VBE_MODE_OK) {
            CHECK(memcmp(&m, &untouched, sizeof m) == 0);
            continue;
        }
        check_mode(&m, &c);
        CHECK(m.vbe_mode == c.mode[i]);
        modes[n++] = m;
    }

    struct video_request req = { true, true, head[8] * 8u, head[10] * 8u, head[12] };
    struct video_request r = video_request_resolve(&req);
    int got = video_pick(modes, n, &req);
    uint32_t best_dist = UINT32_MAX;
    for (uint32_t i = 0; i < n; i++)
        if (modes[i].width <= r.width && modes[i].height <= r.height) {
            uint32_t d = modes[i].bpp > r.depth ? modes[i].bpp - r.depth : r.depth - modes[i].bpp;
            best_dist = d < best_dist ? d : best_dist;
        }
    if (best_dist == UINT32_MAX) {
        CHECK(got == -1);
    } else {
        CHECK(got >= 0 && (uint32_t)got < n);
        const struct video_mode *g = &modes[got];
        uint32_t d = g->bpp > r.depth ? g->bpp - r.depth : r.depth - g->bpp;
        CHECK(g->width <= r.width && g->height <= r.height && d == best_dist);
    }
    return 0;
}
