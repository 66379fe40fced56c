/* kio.h: the demo kernels' only I/O: COM1 output, a tiny printf, and leaving QEMU through
 * isa-debug-exit. Shared by the 64-bit and 32-bit kernels, so nothing here assumes a mode. */
#ifndef KIO_H
#define KIO_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* isa-debug-exit at iobase 0xf4: QEMU exits with (value << 1) | 1, so 0x10 -> 33, 0x11 -> 35. */
#define KIO_EXIT_PORT 0xf4u
#define KIO_EXIT_PASS 0x10u
#define KIO_EXIT_FAIL 0x11u

void kio_init(void);
void kio_putc(char c);
void kio_puts(const char *s);

/* printf subset: %s %c %u %d %x (32-bit int arguments), %lx %lu (uint64_t arguments in BOTH
 * builds: the kernels pass every address as uint64_t so the same format strings serve 32 and
 * 64 bit), width and 0 flag for %x/%lx. No format attribute on purpose: %l means uint64_t
 * here, which is not what gcc's checker assumes on i386. */
void kio_printf(const char *fmt, ...);
void kio_vprintf(const char *fmt, va_list ap);

/* Leave QEMU with the pass or fail status; if no exit device is there, halt forever. */
_Noreturn void kio_exit(unsigned code);
/* Stop here with interrupts off, QEMU still running (for the harness to inspect it). */
_Noreturn void kio_halt(void);

/* GCC may emit calls to these even in freestanding code. */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#endif
