/* mb_boot.c: booting a Multiboot kernel, either version: the header judged, the image
 * (ELF of either class at its physical addresses, or the address fields' flat image) placed
 * and read, the modules, the information structure in BOOT_INFO frames built from the final
 * map, and the 32-bit entry. The version's parser and builder come in struct mb_version. */
#include <string.h>

#include "boot.h"
#include "bootinfo.h"
#include "console.h"
#include "format.h"
#include "handoff_mb.h"
#include "kernel_elf.h"
#include "le.h"
#include "mb_boot.h"
#include "rsdp.h"

#define MB_LOADER_NAME MULTIOS_LOADER_NAME " " MULTIOS_LOADER_VERSION


enum protocol_claim mb_boot_detect(const struct protocol *p, struct kernel_file *k,
                                   char why[PROTOCOL_WHY_MAX])
{
    const struct mb_version *v = p->data;
    struct mb_header h;

    kernel_read_head(k, v->version == 2 ? MB2_SEARCH : MB1_SEARCH);
    (void)v->parse(k->head, k->head_len, k->file.size, &h);
    if (h.found == MB_NONE)
        return PROTOCOL_NO;
    format_snprint(why, PROTOCOL_WHY_MAX, "Multiboot %u %s at file offset 0x%x",
                   (unsigned)v->version, h.found == MB_BROKEN ? "magic (bad checksum)" : "header",
                   (unsigned)h.offset);
    return h.found == MB_BROKEN ? PROTOCOL_BROKEN : PROTOCOL_YES;
}

/* One line on what the header asks for: where the image comes from, and only what else it
 * asks. */
static void mb_boot_log_header(const struct mb_header *h)
{
    char video[48] = "", reloc[64] = "";

    if (h->video)
        format_snprint(video, sizeof(video), ", a %s mode %ux%ux%u", h->video_text ? "text"
                       : "graphics", (unsigned)h->width, (unsigned)h->height,
                       (unsigned)h->depth);
    if (h->relocatable)
        format_snprint(reloc, sizeof(reloc), ", relocatable in 0x%x-0x%x align 0x%x",
                       (unsigned)h->min_addr, (unsigned)h->max_addr, (unsigned)h->align);
    log_info("kernel: Multiboot %u header: loaded by its %s%s%s%s%s", (unsigned)h->version,
             h->has_addr ? "load addresses" : "ELF program headers",
             h->has_entry ? ", an entry address" : "",
             h->page_align_modules ? ", page-aligned modules" : "", video, reloc);
}

void mb_boot_validate(struct boot *b)
{
    const struct mb_version *v = b->proto->data;
    struct proto_multiboot_state *m = &b->proto_state.multiboot;
    struct kernel_file *k = &b->kernel;
    const struct mb_header *h = &m->hdr;

    if (v->parse(k->head, k->head_len, k->file.size, &m->hdr) != ERR_OK)
        panic("kernel", "%s", h->reason);
    mb_boot_log_header(h);
    if (h->has_addr) {
        mb_aout_image(h, &m->img);
        log_info("kernel: image: file 0x%x+0x%x -> 0x%x, zeroed to 0x%llx, entry 0x%x",
                 (unsigned)h->text_offset, (unsigned)h->load_size, (unsigned)h->load_addr,
                 (unsigned long long)m->img.paddr_hi, (unsigned)h->entry_addr);
        b->keep_end = (m->img.paddr_hi + MEMORY_PAGE - 1u) & ~(uint64_t)(MEMORY_PAGE - 1u);
    } else {
        if (k->head_len < 4 || memcmp(k->head, "\177ELF", 4) != 0)
            panic("kernel", "the Multiboot %u header gives no load addresses and %s is not "
                  "an ELF file: nothing says where to load it", (unsigned)v->version, k->path);
        b->keep_end = kernel_elf_validate(k, &m->img);
    }
    b->long_mode = false; /* every Multiboot kernel starts in 32-bit protected mode */
    /* A display request: MB1's mode fields, MB2's framebuffer tag, or an MB2 console tag
     * that requires a console but cannot use EGA text (console_flags bit 0 without bit 1). */
    if (h->video || (h->console && (h->console_flags & 3u) == 1u))
        b->video_req = (struct video_request){ .given = true, .graphics = !h->video_text,
                                               .width = h->width, .height = h->height,
                                               .depth = h->depth };
}

/* The structure's bytes: measured now (the map a Multiboot kernel gets no longer changes:
 * later allocations only turn available RAM into loader types, which it sees as available),
 * with room for the largest framebuffer description and the modules' records. */
static void mb_boot_alloc_info(const struct mb_version *v, struct boot *b)
{
    /* the largest description: RGB with the VBE blocks (measuring reads no bytes) */
    static const struct mb_framebuffer any_fb = { .type = MB_FB_RGB,
                                                  .vbe_control_info = (const uint8_t *)"",
                                                  .vbe_mode_info = (const uint8_t *)"" };
    struct proto_multiboot_state *m = &b->proto_state.multiboot;
    const struct config_entry *e = config_chosen(&b->conf);
    struct mb_info_in in = { .map = &b->mem.map, .cmdline = e->cmdline,
                             .loader_name = MB_LOADER_NAME, .fb = &any_fb,
                             .rsdp = (const uint8_t *)"", .rsdp_length = 64 }; /* measuring
                                                                   reads no bytes */
    uint64_t need = 0, gran = b->mem.frames.gran;
    err_t err;

    if (v->build(NULL, 0, 0, &in, &need) != ERR_OK)
        panic("boot info", "cannot lay out the Multiboot %u information", (unsigned)v->version);
    for (const struct config_module *c = e->modules; c; c = c->next)
        need += (16u + strlen(c->cmdline) + 1u + 7u) & ~7u;
    m->info_bytes = need + 256u; /* a few map entries more, for good measure */
    err = frames_alloc_typed(&b->mem.frames, &b->mem.map, E820_TYPE_BOOT_INFO,
                             (m->info_bytes + gran - 1u) / gran, 0, FRAMES_BELOW_4G,
                             &m->info_phys);
    if (err != ERR_OK)
        panic("boot info", "cannot allocate %llu bytes for the Multiboot %u information: %s",
              (unsigned long long)m->info_bytes, (unsigned)v->version, err_str(err));
}

void mb_boot_load(struct boot *b)
{
    const struct mb_version *v = b->proto->data;
    struct proto_multiboot_state *m = &b->proto_state.multiboot;
    struct elf_place_env env = kernel_elf_env(&b->mem, true);
    const struct mb_header *h = &m->hdr;
    uint64_t delta;
    err_t e;

    e = elf_place(&m->img, &env);
    if (e != ERR_OK && h->relocatable) {
        log_info("kernel: not at its link address (%s): relocatable within 0x%x-0x%x, "
                 "align 0x%x, %s first", m->img.reason, (unsigned)h->min_addr,
                 (unsigned)h->max_addr, (unsigned)h->align,
                 h->preference == MB2_RELOC_HIGH ? "highest" : "lowest");
        m->img.err = ERR_OK;
        e = mb_place_relocated(&m->img, h, &env);
    }
    if (e != ERR_OK)
        panic("kernel", "%s%s", h->has_addr ? "image from the load addresses: " : "",
              m->img.reason);
    kernel_elf_log_placed(&m->img);
    delta = m->img.seg[0].load - m->img.seg[0].paddr;
    m->entry = (uint32_t)(h->has_entry ? h->entry_addr + delta : m->img.entry_phys);
    if (m->img.relocated)
        log_info("kernel: relocated from 0x%llx to 0x%llx, entry 0x%x",
                 (unsigned long long)m->img.paddr_lo, (unsigned long long)m->img.load_lo,
                 (unsigned)m->entry);
    kernel_elf_load(&b->kernel, &m->img);
    modules_load(&m->mods, &b->mem, &b->vol, config_chosen(&b->conf), MEMORY_PAGE);
    mb_boot_alloc_info(v, b);
}

/* The mode video_set left, as Multiboot describes it. */
static void mb_boot_framebuffer(const struct video_mode *vm, struct mb_framebuffer *fb)
{
    *fb = (struct mb_framebuffer){
        .addr = vm->addr, .pitch = vm->pitch, .width = vm->width, .height = vm->height,
        .bpp = (uint8_t)vm->bpp,
        .type = vm->type == VIDEO_TYPE_RGB       ? MB_FB_RGB
                : vm->type == VIDEO_TYPE_INDEXED ? MB_FB_INDEXED
                                                 : MB_FB_EGA_TEXT,
        .red_pos = vm->red.pos, .red_size = vm->red.size,
        .green_pos = vm->green.pos, .green_size = vm->green.size,
        .blue_pos = vm->blue.pos, .blue_size = vm->blue.size,
        .vbe_mode = vm->vbe_mode, .vbe_control_info = vm->vbe_control_info,
        .vbe_mode_info = vm->vbe_mode_info,
    };
}

void mb_boot_handoff(struct boot *b)
{
    const struct mb_version *v = b->proto->data;
    struct proto_multiboot_state *m = &b->proto_state.multiboot;
    const struct config_module *c = m->mods.cfg;
    struct mb_module *mods = NULL;
    struct mb_framebuffer fb;
    uint64_t rsdp = bootinfo_find_rsdp(), used = 0;
    struct mb_info_in in = {
        .map = &b->mem.map, .cmdline = config_chosen(&b->conf)->cmdline,
        .loader_name = MB_LOADER_NAME, .module_count = m->mods.count,
        .boot_drive = b->drive, .boot_partition = b->vol.part_index, .fb = &fb,
        .load_base = (uint32_t)m->img.load_lo,
    };
    err_t e;

    if (m->mods.count && !(mods = heap_alloc(&b->mem.heap, m->mods.count * sizeof(*mods), 8)))
        panic("boot info", "boot heap: no room for %u module records", m->mods.count);
    for (uint32_t i = 0; i < m->mods.count && c; i++, c = c->next)
        mods[i] = (struct mb_module){ (uint32_t)m->mods.rec[i].base,
                                      (uint32_t)(m->mods.rec[i].base + m->mods.rec[i].size),
                                      c->cmdline };
    in.modules = mods;
    mb_boot_framebuffer(&b->video, &fb);
    if (rsdp) {
        in.rsdp = memory_ptr(NULL, rsdp, RSDP_V2_LENGTH);
        /* revision 2 and later: the length field says how much the extended checksum covers
         * (rsdp_valid checked it is at least 36) */
        in.rsdp_length = in.rsdp[15] >= 2 ? le_read32(in.rsdp + 20) : RSDP_V1_LENGTH;
    }
    e = v->build(memory_ptr(NULL, m->info_phys, m->info_bytes), m->info_bytes, m->info_phys,
                 &in, &used);
    if (e != ERR_OK)
        panic("boot info", "cannot build the Multiboot %u information: %s (%llu bytes "
              "needed, %llu allocated)", (unsigned)v->version, err_str(e),
              (unsigned long long)used, (unsigned long long)m->info_bytes);
    memory_log_map("memory map (final; the loader's types are available to the kernel)",
                   &b->mem.map);
    log_info("boot info: Multiboot %u information at 0x%llx (%llu bytes), RSDP %s0x%llx",
             (unsigned)v->version, (unsigned long long)m->info_phys,
             (unsigned long long)used, rsdp ? "at " : "not found, ", (unsigned long long)rsdp);
}

_Noreturn void mb_boot_enter(struct boot *b)
{
    const struct mb_version *v = b->proto->data;
    struct proto_multiboot_state *m = &b->proto_state.multiboot;

    log_info("entering kernel at 0x%x (protected mode, Multiboot %u: EAX 0x%x, EBX 0x%llx)",
             (unsigned)m->entry, (unsigned)v->version, (unsigned)v->magic,
             (unsigned long long)m->info_phys);
    handoff_enter_multiboot(m->entry, v->magic, (uint32_t)m->info_phys,
                            MEMORY_KERNEL_STACK_BASE + MEMORY_KERNEL_STACK_SIZE);
}
