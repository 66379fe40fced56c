/* video_pick.c: the closest mode to a request, and the framebuffer's place in the map
 * (video_pick.h). */
#include "video_pick.h"

#include "pc.h"

struct video_mode video_text_mode(void)
{
    return (struct video_mode){ .type = VIDEO_TYPE_EGA_TEXT, .addr = PC_VGA_TEXT, .pitch = 160,
                                .width = 80, .height = 25, .bpp = 16,
                                .vbe_mode = VIDEO_NO_VBE_MODE };
}

struct video_request video_request_resolve(const struct video_request *req)
{
    struct video_request r = *req;

    if (!r.width || !r.height) {
        r.width = VIDEO_DEFAULT_WIDTH;
        r.height = VIDEO_DEFAULT_HEIGHT;
    }
    if (!r.depth)
        r.depth = VIDEO_DEFAULT_DEPTH;
    return r;
}

static uint32_t depth_distance(uint32_t bpp, uint32_t want)
{
    return bpp > want ? bpp - want : want - bpp;
}

/* Is a better than b for the (resolved) request? Both fit. */
static bool better(const struct video_mode *a, const struct video_mode *b,
                   const struct video_request *r)
{
    uint32_t da = depth_distance(a->bpp, r->depth), db = depth_distance(b->bpp, r->depth);
    uint64_t pa = (uint64_t)a->width * a->height, pb = (uint64_t)b->width * b->height;

    if (da != db)
        return da < db;
    if (a->bpp != b->bpp)
        return a->bpp > b->bpp; /* equally near on both sides: the deeper */
    if (pa != pb)
        return pa > pb;
    return a->width > b->width;
}

int video_pick(const struct video_mode *modes, uint32_t n, const struct video_request *req)
{
    struct video_request r = video_request_resolve(req);
    int best = -1;

    for (uint32_t i = 0; i < n && i <= (uint32_t)INT32_MAX; i++) {
        const struct video_mode *m = &modes[i];
        if (m->type != VIDEO_TYPE_RGB || m->width > r.width || m->height > r.height)
            continue;
        if (best < 0 || better(m, &modes[best], &r))
            best = (int)i;
    }
    return best;
}

/* Memory a framebuffer must not share: what a kernel may allocate, or must keep intact. */
static bool fb_forbidden(uint32_t type)
{
    return memmap_type_is_usable_or_loader(type) || type == E820_TYPE_ACPI ||
           type == E820_TYPE_NVS || type == E820_TYPE_PMEM || type == E820_TYPE_PRAM;
}

bool video_fb_clash(const struct memmap *map, uint64_t base, uint64_t bytes,
                    struct e820_entry *hit)
{
    uint64_t last = base + (bytes ? bytes - 1u : 0u);

    if (last < base)
        return true;
    for (uint32_t i = 0; map && i < map->count; i++) {
        const struct e820_entry *e = &map->entry[i];
        if (!e->length || !fb_forbidden(e->type))
            continue;
        if (e->base <= last && base <= memmap_entry_last(e)) {
            if (hit)
                *hit = *e;
            return true;
        }
    }
    return false;
}
