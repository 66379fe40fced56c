/* idt.h: stage2's protected-mode IDT: every CPU exception (vectors 0-31) panics "cpu" with
 * the vector, error code and EIP, so a fault halts with a message instead of a triple fault
 * and a reset loop. The thunk swaps in the real-mode IVT for BIOS calls and restores this.
 * The kernel is entered with a reporting IDT for the same reason (idt_long_prepare,
 * idt_enter_kernel): a fault before its own lidt must not become a reset loop either. */
#ifndef IDT_H
#define IDT_H

#include <stdint.h>

/* Build the 32 gates (code selector 0x08, 32-bit interrupt gates) and load the IDT. */
void idt_init(void);

/* The reporting IDT a 64-bit kernel starts with: 32 gates (selector 0x28, 64-bit interrupt
 * gates, no IST) to stubs in idt_stubs.asm that print "multios: kernel exception N before
 * the kernel loaded its own IDT" with RIP and the error code on COM1 and halt. Builds the
 * table in stage2's image (LOADER_RECLAIMABLE memory, identity-mapped) and returns the
 * 10-byte descriptor for a lidt executed in 64-bit mode (handoff.asm). */
const void *idt_long_prepare(void);

/* The 32-bit hand-off keeps stage2's IDT: from this call on, an exception is reported as
 * the kernel's ("multios: kernel exception N before the kernel loaded its own IDT", EIP,
 * error code) and halts, instead of a stage2 panic. */
void idt_enter_kernel(void);

/* Called by idt_stubs.asm. In stage2: panics "cpu". After idt_enter_kernel: the report
 * above and a halt. */
_Noreturn void idt_exception(uint32_t vector, uint32_t error, uint32_t eip, uint32_t cs);

#endif
