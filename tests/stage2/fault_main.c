/* fault_main.c: the faulting stage2 (build/stage2-fault.bin), linked instead of the boot
 * recipe: it loads the IDT, starts the console and executes UD2, so the boot tests (suite
 * bad, stage2-exception) can check that a CPU exception in stage2 is a panic and a halt,
 * not a triple fault and a reset. */
#include <stdint.h>

#include "console.h"
#include "idt.h"

void stage2_main(uint32_t boot_drive);

void stage2_main(uint32_t boot_drive)
{
    (void)boot_drive;
    idt_init();
    console_init();
    __asm__ volatile("ud2");
    panic("fault test", "UD2 did not fault");
}
