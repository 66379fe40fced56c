/* idt.h: stage2's protected-mode IDT: every CPU exception (vectors 0-31) panics "cpu" with
 * the vector, error code and EIP, so a fault halts with a message instead of a triple fault
 * and a reset loop. The thunk swaps in the real-mode IVT for BIOS calls and restores this. */
#ifndef IDT_H
#define IDT_H

#include <stdint.h>

/* Build the 32 gates (code selector 0x08, 32-bit interrupt gates) and load the IDT. */
void idt_init(void);

/* Called by idt_stubs.asm. */
_Noreturn void idt_exception(uint32_t vector, uint32_t error, uint32_t eip, uint32_t cs);

#endif
