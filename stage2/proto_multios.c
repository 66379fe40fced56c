/* proto_multios.c: the native protocol: an ELF32 kernel entered in protected mode with paging
 * off, or an ELF64 kernel in long mode on our page tables, handed struct multios_boot_info
 * (include/multios/bootinfo.h; built by bootinfo.c, entered through handoff.asm). */
#include <string.h>

#include "boot.h"
#include "console.h"
#include "kernel_elf.h"
#include "pagetables.h"

/* The kernel stack sits right below the bounce buffer and must not run into it. */
_Static_assert(MEMORY_KERNEL_STACK_BASE + MEMORY_KERNEL_STACK_SIZE <= BOUNCE_PHYS,
               "kernel stack overlaps the bounce buffer");

static bool proto_multios_detect(struct kernel_file *k, char why[PROTOCOL_WHY_MAX])
{
    static const char what[] = "ELF header";

    if (k->head_len < 4 || memcmp(k->head, "\177ELF", 4) != 0)
        return false;
    memcpy(why, what, sizeof(what));
    return true;
}

static void proto_multios_validate(struct boot *b)
{
    struct proto_multios_state *m = &b->proto_state.multios;

    b->keep_end = kernel_elf_validate(&b->kernel, &m->elf);
    b->long_mode = m->elf.elf_class == ELF_CLASS_64;
}

/* 64-bit kernels: every segment mapped at its virtual address. */
static void proto_multios_map(struct proto_multios_state *m, struct memory *mem, bool nx)
{
    struct paging_segment seg[ELF_MAX_SEGMENTS];

    for (uint32_t i = 0; i < m->elf.seg_count; i++) {
        const struct elf_segment *s = &m->elf.seg[i];
        seg[i] = (struct paging_segment){
            .virt = s->vaddr,
            .phys = s->load,
            .size = s->memsz,
            .flags = (s->flags & ELF_PF_W ? PAGING_WRITE : 0) |
                     (s->flags & ELF_PF_X ? PAGING_EXEC : 0),
        };
    }
    pagetables_build(&m->pg, mem, seg, m->elf.seg_count, nx);
}

/* The kernel's entry state, as the boot info records it. */
static void proto_multios_describe(struct boot *b)
{
    struct proto_multios_state *m = &b->proto_state.multios;
    bool lm = b->long_mode;
    uint64_t page = ELF_PAGE_SIZE;
    uint64_t lo = m->elf.load_lo & ~(page - 1);
    uint64_t hi = (m->elf.load_hi + page - 1) & ~(page - 1);

    m->k = (struct bootinfo_kernel){
        .boot_drive = b->drive,
        .long_mode = lm,
        .page_table_root = lm ? m->pg.root : 0,
        .hhdm_offset = lm ? PAGING_HHDM_OFFSET : 0,
        /* whole pages: the KERNEL-typed frames, as the map shows them */
        .phys_base = lo,
        .phys_size = hi - lo,
        .entry = lm ? m->elf.entry : m->elf.entry_phys,
        .stack_base = MEMORY_KERNEL_STACK_BASE,
        .stack_size = MEMORY_KERNEL_STACK_SIZE,
        .seg = m->elf.seg,
        .seg_count = m->elf.seg_count,
        .cmdline = config_chosen(&b->conf)->cmdline,
    };
}

static void proto_multios_load(struct boot *b)
{
    struct proto_multios_state *m = &b->proto_state.multios;

    kernel_elf_place(&m->elf, &b->mem);
    kernel_elf_load(&b->kernel, &m->elf);
    if (b->long_mode)
        proto_multios_map(m, &b->mem, b->cpu.nx);
    proto_multios_describe(b);
    bootinfo_alloc(&m->info, &b->mem);
}

static void proto_multios_handoff(struct boot *b)
{
    struct proto_multios_state *m = &b->proto_state.multios;

    bootinfo_fill(&m->info, &b->mem, &m->k);
}

static _Noreturn void proto_multios_enter(struct boot *b)
{
    struct proto_multios_state *m = &b->proto_state.multios;
    uint32_t stack_top = MEMORY_KERNEL_STACK_BASE + MEMORY_KERNEL_STACK_SIZE;

    log_info("entering kernel at 0x%llx (%s)", (unsigned long long)m->k.entry,
             m->k.long_mode ? "long mode" : "protected mode");
    if (!m->k.long_mode)
        handoff_enter_protected((uint32_t)m->k.entry, stack_top, (uint32_t)m->info.phys);
    m->jump = (struct handoff_long){ .cr3 = m->k.page_table_root, .entry = m->k.entry,
                                     .stack_top = stack_top, .boot_info = m->info.phys,
                                     .nx = m->pg.nx };
    handoff_enter_long(&m->jump);
}

const struct protocol proto_multios = {
    .name = "multios",
    .detect = proto_multios_detect,
    .validate = proto_multios_validate,
    .load = proto_multios_load,
    .handoff = proto_multios_handoff,
    .enter = proto_multios_enter,
};
