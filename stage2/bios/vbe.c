/* vbe.c: the VESA BIOS Extensions protocol (vbe.h). The blocks go through the bounce buffer:
 * the controller's at its start, a mode's right after it, so a mode list the BIOS built in
 * the controller block's reserved area (SeaVGABIOS does) is never overwritten before it is
 * copied out. */
#include <string.h>

#include "le.h"
#include "vbe.h"

#define VBE_SUCCESS 0x004fu /* AL = 4Fh: the function exists; AH = 0: it worked */
#define VBE_MODE_INFO_OFFSET VBE_INFO_SIZE

/* VbeInfoBlock fields. */
#define VBE_INFO_VERSION   0x04u
#define VBE_INFO_MODE_PTR  0x0eu /* offset, then segment */
#define VBE_INFO_MEMORY    0x12u /* 64 KiB units */

/* ModeInfoBlock fields. */
#define VBE_MI_ATTRIBUTES  0x00u
#define VBE_MI_PITCH       0x10u
#define VBE_MI_WIDTH       0x12u
#define VBE_MI_HEIGHT      0x14u
#define VBE_MI_BPP         0x19u
#define VBE_MI_BANKS       0x1au
#define VBE_MI_MODEL       0x1bu
#define VBE_MI_BANK_SIZE   0x1cu
#define VBE_MI_MASKS       0x1fu /* red size, red position, green ..., blue ... */
#define VBE_MI_PHYS_BASE   0x28u
#define VBE_MI_LIN_PITCH   0x32u
#define VBE_MI_LIN_MASKS   0x36u

#define VBE_ATTR_SUPPORTED 0x0001u
#define VBE_ATTR_COLOUR    0x0008u
#define VBE_ATTR_GRAPHICS  0x0010u
#define VBE_ATTR_LFB       0x0080u

#define VBE_MODEL_PACKED   4u
#define VBE_MODEL_DIRECT   6u

#define VBE_SET_LFB        0x4000u /* 4F02h BX bit 14: use the linear framebuffer */
#define VBE_MODE_FLAGS     0xc000u /* bits 14-15 in a list entry: not a mode (81FFh & co.) */

static const char *const vbe_verdict_names[VBE_MODE_VERDICT_COUNT] = {
    [VBE_MODE_OK] = "usable",
    [VBE_MODE_CALL_FAILED] = "4F01h failed",
    [VBE_MODE_UNSUPPORTED] = "not supported by this hardware configuration",
    [VBE_MODE_TEXT] = "not a colour graphics mode",
    [VBE_MODE_NO_LFB] = "no linear framebuffer",
    [VBE_MODE_NOT_DIRECT] = "not direct colour at 15, 16, 24 or 32 bits",
    [VBE_MODE_INTERLEAVED] = "memory interleaved in banks",
    [VBE_MODE_BAD_GEOMETRY] = "impossible size, pitch or address",
    [VBE_MODE_BAD_MASKS] = "impossible colour masks",
    [VBE_MODE_TOO_BIG] = "needs more video memory than the card has",
};

const char *vbe_mode_verdict_str(enum vbe_mode_verdict v)
{
    return (unsigned)v < VBE_MODE_VERDICT_COUNT ? vbe_verdict_names[v] : "?";
}

const char *vbe_status_str(enum vbe_status s)
{
    static const char *const names[] = {
        [VBE_OK] = "present",
        [VBE_ABSENT] = "no VBE (INT 10h 4F00h not supported)",
        [VBE_FAILED] = "INT 10h 4F00h failed",
        [VBE_BAD_SIGNATURE] = "no VESA signature",
        [VBE_TOO_OLD] = "VBE before 2.0 has no linear framebuffer",
        [VBE_NO_MODES] = "no mode list",
    };
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

/* INT 10h with ES:DI at bounce_phys + offset. False if the bounce buffer is out of reach. */
static bool vbe_call(const struct bios_iface *bios, struct bios_regs *r, uint32_t offset)
{
    uint16_t seg, off;

    if (!rm_ptr(bios->bounce_phys + offset, &seg, &off))
        return false;
    r->es = seg;
    r->edi = off;
    bios->call(bios->ctx, 0x10, r, r);
    return true;
}

/* The list of mode numbers at seg:off, one word at a time through ptr: it ends at FFFFh, and
 * is cut (unterminated) when VBE_MODES_MAX are kept, at the end of its segment or of the
 * first MiB, or where ptr cannot read. Ralf Brown: "the S3 specific video modes will most
 * likely follow the FFFFh terminator": they are not looked for. */
static void vbe_read_list(struct vbe_controller *c, vbe_ptr_fn ptr, void *ctx, uint16_t seg,
                          uint16_t off)
{
    for (uint32_t o = off; o + 2u <= 0x10000u; o += 2u) {
        uint32_t phys = rm_phys(seg, 0) + o;
        const uint8_t *p = phys + 2u <= PC_HIGH_MEM ? ptr(ctx, phys, 2) : NULL;
        uint16_t mode;

        if (!p)
            break;
        mode = le_read16(p);
        if (mode == 0xffffu)
            return;
        if (c->mode_count + c->skipped == VBE_MODES_MAX)
            break;
        /* VGA modes (below 100h) have no VBE mode info to trust and no LFB bit to set */
        if (mode < 0x100u || (mode & VBE_MODE_FLAGS))
            c->skipped++;
        else
            c->mode[c->mode_count++] = mode;
    }
    c->unterminated = true;
}

enum vbe_status vbe_controller_read(const struct bios_iface *bios, vbe_ptr_fn ptr, void *ctx,
                                    struct vbe_controller *c)
{
    uint8_t *blk = bios->bounce;
    struct bios_regs r;
    uint32_t list;

    memset(c, 0, sizeof *c);
    /* "VBE2" asks a 2.0+ BIOS for the whole 512-byte block (VBE 3.0, 4F00h). */
    memset(blk, 0, VBE_INFO_SIZE);
    memcpy(blk, "VBE2", 4);
    bios_regs_init(&r);
    r.eax = 0x4f00u;
    if (!vbe_call(bios, &r, 0))
        return VBE_ABSENT;
    c->ax = (uint16_t)r.eax;
    if ((r.eax & 0xffu) != 0x4fu)
        return VBE_ABSENT;
    if ((r.eax & 0xffffu) != VBE_SUCCESS)
        return VBE_FAILED;
    memcpy(c->raw, blk, VBE_INFO_SIZE);
    if (memcmp(blk, "VESA", 4) != 0)
        return VBE_BAD_SIGNATURE;
    c->version = le_read16(blk + VBE_INFO_VERSION);
    c->memory = (uint64_t)le_read16(blk + VBE_INFO_MEMORY) << 16;
    if (c->version < 0x0200u)
        return VBE_TOO_OLD;
    list = le_read32(blk + VBE_INFO_MODE_PTR);
    c->list_phys = rm_phys((uint16_t)(list >> 16), (uint16_t)list);
    /* Read it now: some BIOSes build it in the block's reserved area, or in memory the next
     * call reuses (GRUB's "some cards store video mode list in temporary memory"). */
    vbe_read_list(c, ptr, ctx, (uint16_t)(list >> 16), (uint16_t)list);
    return c->mode_count ? VBE_OK : VBE_NO_MODES;
}

/* The standard layout of a direct-colour pixel of this depth (x:8:8:8, 8:8:8, 5:6:5,
 * 1:5:5:5), for BIOSes that report none. */
static void vbe_default_masks(uint32_t bpp, struct video_mode *m)
{
    uint8_t g = bpp == 16 ? 6 : bpp == 15 ? 5 : 8;
    uint8_t rb = bpp >= 24 ? 8 : 5;

    m->blue = (struct video_channel){ 0, rb };
    m->green = (struct video_channel){ rb, g };
    m->red = (struct video_channel){ (uint8_t)(rb + g), rb };
}

/* Each channel non-empty, inside the pixel, and apart from the others. */
static bool vbe_masks_ok(const struct video_mode *m)
{
    const struct video_channel *ch[3] = { &m->red, &m->green, &m->blue };
    uint64_t seen = 0;

    for (int i = 0; i < 3; i++) {
        uint64_t bits;
        if (!ch[i]->size || ch[i]->pos + ch[i]->size > m->bpp)
            return false;
        bits = ((1ull << ch[i]->size) - 1u) << ch[i]->pos;
        if (seen & bits)
            return false;
        seen |= bits;
    }
    return true;
}

/* The masks at p (sizes and positions, red green blue) into m; false if all sizes are 0. */
static bool vbe_read_masks(const uint8_t *p, struct video_mode *m)
{
    m->red = (struct video_channel){ p[1], p[0] };
    m->green = (struct video_channel){ p[3], p[2] };
    m->blue = (struct video_channel){ p[5], p[4] };
    return p[0] || p[2] || p[4];
}

enum vbe_mode_verdict vbe_mode_decode(const uint8_t *raw, const struct vbe_controller *c,
                                      uint16_t mode, struct video_mode *out)
{
    uint16_t attr = le_read16(raw + VBE_MI_ATTRIBUTES);
    uint32_t bpp = raw[VBE_MI_BPP], model = raw[VBE_MI_MODEL];
    uint32_t pitch = le_read16(raw + VBE_MI_PITCH);
    bool v3 = c->version >= 0x0300u;
    struct video_mode m = {
        .type = VIDEO_TYPE_RGB,
        .addr = le_read32(raw + VBE_MI_PHYS_BASE),
        .width = le_read16(raw + VBE_MI_WIDTH),
        .height = le_read16(raw + VBE_MI_HEIGHT),
        .bpp = bpp,
        .vbe_mode = mode,
    };

    if (!(attr & VBE_ATTR_SUPPORTED))
        return VBE_MODE_UNSUPPORTED;
    if ((attr & (VBE_ATTR_COLOUR | VBE_ATTR_GRAPHICS)) != (VBE_ATTR_COLOUR | VBE_ATTR_GRAPHICS))
        return VBE_MODE_TEXT;
    if (!(attr & VBE_ATTR_LFB) || !m.addr)
        return VBE_MODE_NO_LFB;
    /* SYSLINUX: older BIOSes call direct-colour modes packed pixel; above 8 bits a pixel
     * that can only mean direct colour. */
    if ((model != VBE_MODEL_DIRECT && model != VBE_MODEL_PACKED) ||
        (bpp != 15 && bpp != 16 && bpp != 24 && bpp != 32))
        return VBE_MODE_NOT_DIRECT;
    /* SYSLINUX: the Bochs VBE BIOS reports several banks for unbanked modes, but with a
     * bank size of 0; only a real bank size means interleaved memory. */
    if (raw[VBE_MI_BANKS] > 1u && raw[VBE_MI_BANK_SIZE])
        return VBE_MODE_INTERLEAVED;
    /* VBE 3.0: linear modes have their own pitch and masks; a 3.0 BIOS that leaves them 0
     * is read as 2.0 (Limine and GRUB take the Lin fields from any 3.0 BIOS blindly). */
    if (v3 && le_read16(raw + VBE_MI_LIN_PITCH))
        pitch = le_read16(raw + VBE_MI_LIN_PITCH);
    m.pitch = pitch;
    if (!m.width || !m.height || pitch < m.width * ((bpp + 7u) / 8u) ||
        m.addr + video_mode_bytes(&m) > 0x100000000ull)
        return VBE_MODE_BAD_GEOMETRY;
    if (!(v3 && vbe_read_masks(raw + VBE_MI_LIN_MASKS, &m)) &&
        !vbe_read_masks(raw + VBE_MI_MASKS, &m))
        vbe_default_masks(bpp, &m); /* none at all: packed-pixel "direct" modes report none */
    if (!vbe_masks_ok(&m))
        return VBE_MODE_BAD_MASKS;
    /* Ralf Brown, 4F00h: listed modes may "require more memory than currently installed". */
    if (c->memory && video_mode_bytes(&m) > c->memory)
        return VBE_MODE_TOO_BIG;
    *out = m;
    return VBE_MODE_OK;
}

enum vbe_mode_verdict vbe_mode_read(const struct bios_iface *bios,
                                    const struct vbe_controller *c, uint16_t mode,
                                    uint8_t *raw, struct video_mode *out)
{
    uint8_t *blk = (uint8_t *)bios->bounce + VBE_MODE_INFO_OFFSET;
    struct bios_regs r;

    /* VBE 1.0 did not zero the bytes it does not fill (Ralf Brown, 4F01h). */
    memset(blk, 0, VBE_MODE_INFO_SIZE);
    bios_regs_init(&r);
    r.eax = 0x4f01u;
    r.ecx = mode;
    if (!vbe_call(bios, &r, VBE_MODE_INFO_OFFSET) || (r.eax & 0xffffu) != VBE_SUCCESS)
        return VBE_MODE_CALL_FAILED;
    memcpy(raw, blk, VBE_MODE_INFO_SIZE);
    return vbe_mode_decode(raw, c, mode, out);
}

uint16_t vbe_set_mode(const struct bios_iface *bios, uint16_t mode)
{
    struct bios_regs r;

    bios_regs_init(&r);
    r.eax = 0x4f02u;
    r.ebx = (uint32_t)mode | VBE_SET_LFB;
    bios->call(bios->ctx, 0x10, &r, &r);
    return (uint16_t)r.eax;
}
