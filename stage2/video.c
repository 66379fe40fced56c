/* video.c: the display step. The request is the kernel's (b->video_req, from its protocol's
 * headers) unless the boot entry's `video` key says otherwise; a graphics request gets the
 * closest VBE mode (core/video_pick.h) whose framebuffer lies outside the RAM of the final
 * map, and anything that goes wrong leaves the BIOS's 80x25 text mode, reported as such. */
#include "boot.h"
#include "console.h"
#include "vbe.h"
#include "video.h"

/* In .bss: the controller block and the chosen mode's block stay for the hand-off (Multiboot
 * passes them on); the candidates are the modes that could be set. */
static struct vbe_controller video_ctl;
static struct video_mode video_cand[VBE_MODES_MAX];
static uint8_t video_mode_raw[VBE_MODE_INFO_SIZE];

/* The request that counts, and who made it. */
static struct video_request video_wanted(const struct boot *b, const char **who)
{
    const struct config_video *cv = &config_chosen(&b->conf)->video;

    *who = "the configuration";
    if (cv->mode == CONFIG_VIDEO_TEXT)
        return (struct video_request){ .given = true };
    if (cv->mode == CONFIG_VIDEO_MODE)
        return (struct video_request){ .given = true, .graphics = true, .width = cv->width,
                                       .height = cv->height, .depth = cv->depth };
    *who = "the kernel";
    return b->video_req;
}

/* The modes that could be set: VBE modes of usable shape whose framebuffer the map allows.
 * A framebuffer over RAM the map hands out is refused, not carved out: the map is final by
 * now, and a kernel would allocate over its own screen. */
static uint32_t video_candidates(struct boot *b)
{
    struct e820_entry hit = { 0 }, first = { 0 };
    uint32_t n = 0, clashes = 0;
    uint64_t clash_addr = 0;

    for (uint32_t i = 0; i < video_ctl.mode_count; i++) {
        struct video_mode *m = &video_cand[n];
        uint16_t mode = video_ctl.mode[i];
        enum vbe_mode_verdict v = vbe_mode_read(&b->bios, &video_ctl, mode, video_mode_raw, m);

        if (v != VBE_MODE_OK) {
            log_debug("video: mode 0x%x: %s", mode, vbe_mode_verdict_str(v));
            continue;
        }
        log_debug("video: mode 0x%x: %ux%ux%u, framebuffer 0x%llx, pitch %u", mode, m->width,
                  m->height, m->bpp, (unsigned long long)m->addr, m->pitch);
        if (video_fb_clash(&b->mem.map, m->addr, video_mode_bytes(m), &hit)) {
            if (!clashes++) {
                clash_addr = m->addr;
                first = hit;
            }
            continue;
        }
        n++;
    }
    if (clashes)
        log_warn("video: %u modes refused: their framebuffer (0x%llx) overlaps memory the map "
                 "gives the kernel (0x%llx-0x%llx, type %u)", clashes,
                 (unsigned long long)clash_addr, (unsigned long long)first.base,
                 (unsigned long long)memmap_entry_last(&first), first.type);
    return n;
}

/* The same screen: every field a kernel is told about. */
static bool video_same(const struct video_mode *a, const struct video_mode *b)
{
    return a->addr == b->addr && a->pitch == b->pitch && a->width == b->width &&
           a->height == b->height && a->bpp == b->bpp && a->red.pos == b->red.pos &&
           a->red.size == b->red.size && a->green.pos == b->green.pos &&
           a->green.size == b->green.size && a->blue.pos == b->blue.pos &&
           a->blue.size == b->blue.size;
}

/* Set the closest candidate; one that the BIOS refuses to set is dropped and the next
 * closest tried. False if none fits or none could be set. */
static bool video_set_closest(struct boot *b, uint32_t n, const struct video_request *req)
{
    for (;;) {
        int i = video_pick(video_cand, n, req);
        struct video_mode *m, again;
        uint16_t ax;

        if (i < 0)
            return false;
        m = &video_cand[i];
        /* its block, kept for the hand-off: read again now that it is the one, and it must
         * say what it said before (the map was checked against that) */
        if (vbe_mode_read(&b->bios, &video_ctl, m->vbe_mode, video_mode_raw, &again) !=
                VBE_MODE_OK || !video_same(m, &again)) {
            log_warn("video: mode 0x%x reads differently the second time: not used",
                     m->vbe_mode);
            m->type = VIDEO_TYPE_INDEXED; /* out of the running */
            continue;
        }
        log_info("video: setting VBE mode 0x%x (%ux%ux%u); the screen shows no more of this "
                 "log, serial does", m->vbe_mode, m->width, m->height, m->bpp);
        ax = vbe_set_mode(&b->bios, m->vbe_mode);
        if (ax == 0x004fu) {
            vga_stop(); /* the text buffer is no longer the screen: writing it would draw */
            b->video = *m;
            b->video.vbe_control_info = video_ctl.raw;
            b->video.vbe_mode_info = video_mode_raw;
            return true;
        }
        log_warn("video: the BIOS did not set mode 0x%x (AX 0x%x): trying the next closest",
                 m->vbe_mode, ax);
        m->type = VIDEO_TYPE_INDEXED;
    }
}

void video_set(struct boot *b)
{
    const char *who;
    struct video_request req = video_wanted(b, &who);
    enum vbe_status st;
    uint32_t n;

    b->video = video_text_mode();
    if (!req.given || !req.graphics) {
        log_info("video: text mode 80x25 (%s)", req.given ? who : "no graphics asked for");
        return;
    }
    log_info("video: %s asks for %ux%ux%u (0: no preference)", who, req.width, req.height,
             req.depth);
    st = vbe_controller_read(&b->bios, memory_ptr, NULL, &video_ctl);
    if (st != VBE_OK) {
        log_warn("video: %s (AX 0x%x): text mode 80x25 kept", vbe_status_str(st), video_ctl.ax);
        return;
    }
    log_info("video: VBE %u.%u, %llu KiB of video memory, %u modes listed at 0x%x%s",
             video_ctl.version >> 8, video_ctl.version & 0xffu,
             (unsigned long long)(video_ctl.memory >> 10), video_ctl.mode_count,
             video_ctl.list_phys, video_ctl.unterminated ? " (list cut: no FFFFh end)" : "");
    n = video_candidates(b);
    if (!video_set_closest(b, n, &req)) {
        log_warn("video: no VBE mode fits %ux%ux%u (%u usable): text mode 80x25 kept",
                 req.width, req.height, req.depth, n);
        return;
    }
    log_info("video: mode 0x%x set: %ux%u, %u bits a pixel (red %u@%u, green %u@%u, blue "
             "%u@%u), framebuffer 0x%llx, pitch %u", b->video.vbe_mode, b->video.width,
             b->video.height, b->video.bpp, b->video.red.size, b->video.red.pos,
             b->video.green.size, b->video.green.pos, b->video.blue.size, b->video.blue.pos,
             (unsigned long long)b->video.addr, b->video.pitch);
}

void video_bootinfo(const struct video_mode *m, struct multios_framebuffer *fb)
{
    bool rgb = m->type == VIDEO_TYPE_RGB;

    *fb = (struct multios_framebuffer){
        .addr = m->addr,
        .size = video_mode_bytes(m),
        .type = rgb ? MULTIOS_FB_RGB : MULTIOS_FB_EGA_TEXT,
        .pitch = m->pitch,
        .width = m->width,
        .height = m->height,
        .bpp = (uint16_t)m->bpp,
        .vbe_mode = rgb ? m->vbe_mode : 0,
        .red_pos = m->red.pos, .red_size = m->red.size,
        .green_pos = m->green.pos, .green_size = m->green.size,
        .blue_pos = m->blue.pos, .blue_size = m->blue.size,
    };
}
