/* io.h: x86 port I/O for stage2's device drivers (serial, VGA cursor, A20). */
#ifndef IO_H
#define IO_H

#include <stdint.h>

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

/* About a microsecond: a write to the unused POST-code port, as Linux's io_delay does. */
static inline void io_wait(void)
{
    outb(0x80, 0);
}

static inline _Noreturn void cpu_halt_forever(void)
{
    for (;;)
        __asm__ volatile("cli; hlt");
}

#endif
