/* handoff.h: the last step of stage2: leave 32-bit protected mode for the kernel, in long
 * mode (ELF64) or in protected mode with paging off (ELF32). Neither function returns. */
#ifndef HANDOFF_H
#define HANDOFF_H

#include <stdint.h>

/* Everything the 64-bit jump needs, read by handoff.asm at offsets generated from this struct
 * (stage2/asm_offsets.c). It must live in memory the new page tables identity-map (all of
 * stage2 does: the low 4 GiB are mapped). */
struct handoff_long {
    uint64_t cr3;        /* physical address of the PML4 (below 4 GiB) */
    uint64_t entry;      /* 64-bit virtual entry point */
    uint64_t stack_top;  /* 16-byte aligned; RSP at entry is stack_top - 8, holding 0 */
    uint64_t boot_info;  /* RDI at entry */
    uint32_t nx;         /* 1: set EFER.NXE (the tables use the no-execute bit) */
    uint32_t reserved;
};

/* PICs masked, PAE, CR3, EFER.LME (and NXE), paging on with CR0.WP, far jump to the 0x28
 * code64 selector, the reporting IDT (idt_long_prepare) loaded, then entry as if called:
 * RSP = stack_top - 8 with a 0 return address there, RDI = boot_info, every other general
 * register 0, RFLAGS = 0x2. */
_Noreturn void handoff_enter_long(const struct handoff_long *h);

/* Paging stays off (CR0.WP set for later), PICs masked, stage2's IDT now reporting kernel
 * exceptions (idt_enter_kernel); entry as if called: ESP = stack_top - 4 with a 0 return
 * address there, EAX = MULTIOS_BOOT_EAX_MAGIC, EBX = boot_info, every other general
 * register 0, EFLAGS = 0x2. */
_Noreturn void handoff_enter_protected(uint32_t entry, uint32_t stack_top, uint32_t boot_info);

#endif
