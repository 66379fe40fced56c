/* bootcheck.h: the boot-info checks both demo kernels run. The kernel describes how it can
 * reach memory (struct bootcheck_env); bootcheck prints the boot info in the form the QEMU
 * tests parse, checks it, and leaves QEMU with pass (33) or fail (35). */
#ifndef BOOTCHECK_H
#define BOOTCHECK_H

#include <stdbool.h>
#include <stdint.h>

#define BOOTCHECK_MAX_TABLES 4 /* page-table levels a walk may visit (PML4..PT) */

struct bootcheck_env {
    const char *name;      /* "demo64" / "demo32": prefix of the kernel's own lines */
    uint64_t boot_info;    /* physical address the loader passed (RDI / EBX) */
    bool long_mode;        /* entered in 64-bit mode */
    uint64_t sp;           /* stack pointer at entry, before the kernel pushed anything:
                            * stack_top - 8 (long) / - 4 (protected), as if called */
    uint64_t entry;        /* our entry point as linked */
    uint64_t image_start;  /* first byte of our image (virtual, linker symbol) */
    uint64_t image_end;    /* one past the last byte, .bss included */
    uint64_t cr3;          /* CR3 at entry; 0 with paging off */
    uint64_t cpu_flags;    /* EFLAGS at entry (IF must be clear) */
    uint64_t cr0;          /* CR0 at entry: PE and WP always, PG exactly in long mode */
    /* General registers at entry in encoding order: rax rcx rdx rbx rsp rbp rsi rdi r8..r15
     * (16 in long mode), eax ecx edx ebx esp ebp esi edi (8 in protected mode). All must be
     * 0 except RDI, RSP (EAX, EBX, ESP). NULL skips the check. */
    const uint64_t *regs;
    uint64_t ret_slot;     /* the word at [sp] at entry: the 0 "return address" */
    bool check_pic;        /* pic_mask was read at entry */
    uint16_t pic_mask;     /* 8259 masks at entry: master low byte, slave high; want 0xffff */
    bool check_eax;        /* 32-bit: EAX must have held MULTIOS_BOOT_EAX_MAGIC */
    uint32_t eax;          /* EAX at entry */
    /* Pointer through which [pa, pa + len) can be read, or NULL when the kernel cannot reach
     * all of it (the 64-bit kernel checks the mapping first instead of faulting). */
    const void *(*phys)(uint64_t pa, uint64_t len);
    /* Virtual -> physical through the live page tables. tables[] receives the physical
     * address of every table the walk read (*ntables of them). Identity, no tables, when
     * paging is off. False if va is not mapped. */
    bool (*virt_to_phys)(uint64_t va, uint64_t *pa, uint64_t tables[BOOTCHECK_MAX_TABLES],
                         unsigned *ntables);
};

/* Print, check, and exit QEMU: never returns. */
_Noreturn void bootcheck_main(const struct bootcheck_env *env);

#endif
