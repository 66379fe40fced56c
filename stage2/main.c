/* main.c: stage2's boot recipe, one step per line. Entered from entry.asm in 32-bit protected
 * mode with the boot drive; every step logs what it found and panics with its name if it
 * cannot go on, so the last line on serial always says where a boot stopped.
 *
 * The configuration file is read as soon as the boot partition is mounted, before the memory
 * map and every step that uses a setting; nothing in it can stop the boot except the kernel
 * it names being missing or broken, as the default one can be (config.h).
 *
 * The kernel's headers are read before anything is allocated, and its frames are taken
 * right after the bitmap's: a 32-bit kernel must load at its p_paddr (typically 1 MiB), so
 * the loader's own data has to go around it, not the other way. The boot heap comes last
 * and takes what is left up to its size, so with too little RAM it is the heap that fails
 * ("boot heap"), never the page tables or the boot info. */
#include <stdint.h>

#include "a20.h"
#include "bios.h"
#include "bootinfo.h"
#include "config_load.h"
#include "console.h"
#include "cpu.h"
#include "disk.h"
#include "handoff.h"
#include "idt.h"
#include "kernel.h"
#include "kernel_elf.h"
#include "memory.h"
#include "pagetables.h"
#include "volume.h"

/* Everything a boot builds, in .bss (the stack below 0x7c00 is small). */
struct boot {
    struct bios_iface bios;
    struct cpu_info cpu;
    struct memory mem;
    struct config_file conf; /* the one configuration: /boot/multios.cfg over the defaults */
    struct disk disk;
    struct volume vol;
    struct kernel_file kernel;
    struct elf_info elf;
    struct paging pg;        /* 64-bit kernels: the tables handed over in CR3 */
    struct bootinfo info;
};

static struct boot boot;

/* The kernel stack sits right below the bounce buffer and must not run into it. */
_Static_assert(MEMORY_KERNEL_STACK_BASE + MEMORY_KERNEL_STACK_SIZE <= BOUNCE_PHYS,
               "kernel stack overlaps the bounce buffer");

/* 64-bit kernels: every segment mapped at its virtual address. */
static void stage2_map(struct boot *b, bool nx)
{
    struct paging_segment seg[ELF_MAX_SEGMENTS];

    for (uint32_t i = 0; i < b->elf.seg_count; i++) {
        const struct elf_segment *s = &b->elf.seg[i];
        seg[i] = (struct paging_segment){
            .virt = s->vaddr,
            .phys = s->load,
            .size = s->memsz,
            .flags = (s->flags & ELF_PF_W ? PAGING_WRITE : 0) |
                     (s->flags & ELF_PF_X ? PAGING_EXEC : 0),
        };
    }
    pagetables_build(&b->pg, &b->mem, seg, b->elf.seg_count, nx);
}

/* The kernel's entry state recorded in the boot info, and the jump itself. */
static void stage2_describe(struct boot *b, uint32_t drive, struct bootinfo_kernel *k)
{
    bool lm = b->elf.elf_class == ELF_CLASS_64;
    uint64_t page = ELF_PAGE_SIZE;
    uint64_t lo = b->elf.load_lo & ~(page - 1);
    uint64_t hi = (b->elf.load_hi + page - 1) & ~(page - 1);

    *k = (struct bootinfo_kernel){
        .boot_drive = drive,
        .long_mode = lm,
        .page_table_root = lm ? b->pg.root : 0,
        .hhdm_offset = lm ? PAGING_HHDM_OFFSET : 0,
        /* whole pages: the KERNEL-typed frames, as the map shows them */
        .phys_base = lo,
        .phys_size = hi - lo,
        .entry = lm ? b->elf.entry : b->elf.entry_phys,
        .stack_base = MEMORY_KERNEL_STACK_BASE,
        .stack_size = MEMORY_KERNEL_STACK_SIZE,
        .seg = b->elf.seg,
        .seg_count = b->elf.seg_count,
        .cmdline = b->conf.cmdline,
    };
}

static _Noreturn void stage2_enter(const struct boot *b, const struct bootinfo_kernel *k)
{
    static struct handoff_long h;
    uint32_t stack_top = MEMORY_KERNEL_STACK_BASE + MEMORY_KERNEL_STACK_SIZE;

    if (!k->long_mode)
        handoff_enter_protected((uint32_t)k->entry, stack_top, (uint32_t)b->info.phys);
    h = (struct handoff_long){ .cr3 = k->page_table_root, .entry = k->entry,
                               .stack_top = stack_top, .boot_info = b->info.phys,
                               .nx = b->pg.nx };
    handoff_enter_long(&h);
}

/* A configured heap_min above every free run big enough for the heap minimum (below 4 GiB,
 * where the heap must be) would stop the boot at the heap step: a setting in the config
 * file must not make the machine unbootable, so the default is used instead. */
static void stage2_heap_fit(struct memory *mem)
{
    struct boot_config *c = &mem->cfg;
    uint64_t run;

    if (c->heap_min_addr == CONFIG_DEFAULT_HEAP_MIN_ADDR)
        return;
    run = frames_largest_run(&mem->frames, c->heap_align, c->heap_min_addr, FRAMES_BELOW_4G) *
          mem->frames.gran;
    if (run >= c->heap_min_size)
        return;
    log_warn("config: heap_min 0x%llx leaves %llu KiB for the %llu KiB heap minimum: the "
             "default 0x%llx is used", (unsigned long long)c->heap_min_addr,
             (unsigned long long)(run >> 10), (unsigned long long)(c->heap_min_size >> 10),
             (unsigned long long)CONFIG_DEFAULT_HEAP_MIN_ADDR);
    c->heap_min_addr = CONFIG_DEFAULT_HEAP_MIN_ADDR;
}

void stage2_main(uint32_t boot_drive);

void stage2_main(uint32_t boot_drive)
{
    struct boot *b = &boot;
    struct bootinfo_kernel k;
    uint64_t keep_end;
    bool lm;

    idt_init(); /* from here a CPU exception is a panic, not a triple fault and a reset */
    console_init();
    log_info("%s %s stage2, boot drive 0x%x", MULTIOS_LOADER_NAME, MULTIOS_LOADER_VERSION,
             boot_drive & 0xffu);
    a20_enable();
    cpu_detect(&b->cpu);
    cpu_log(&b->cpu);
    b->bios = bios_iface_default();
    disk_open(&b->disk, &b->bios, (uint8_t)boot_drive);
    volume_mount(&b->vol, &b->disk);
    config_load(&b->conf, &b->vol); /* before every step that uses a setting */
    memory_detect(&b->mem, &b->bios);
    kernel_open(&b->kernel, &b->vol, b->conf.kernel);
    keep_end = kernel_elf_validate(&b->kernel, &b->elf);
    lm = b->elf.elf_class == ELF_CLASS_64;
    if (lm)
        cpu_require_long_mode(&b->cpu);
    memory_frames(&b->mem, &b->conf.cfg, keep_end);
    memory_test(&b->mem);
    kernel_elf_place(&b->elf, &b->mem);
    kernel_elf_load(&b->kernel, &b->elf);
    disk_log_stats(&b->disk);
    if (lm)
        stage2_map(b, b->cpu.nx);
    stage2_describe(b, boot_drive & 0xffu, &k);
    bootinfo_alloc(&b->info, &b->mem);
    stage2_heap_fit(&b->mem);
    memory_heap(&b->mem);
    memory_release_low(&b->mem);
    frames_seal(&b->mem.frames); /* the map is final: nothing may allocate after this */
    bootinfo_fill(&b->info, &b->mem, &k);
    log_info("entering kernel at 0x%llx (%s)", (unsigned long long)k.entry,
             lm ? "long mode" : "protected mode");
    stage2_enter(b, &k);
}
