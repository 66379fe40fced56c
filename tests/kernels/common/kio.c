/* kio.c: COM1 polling output and the printf subset the demo kernels print the boot info with.
 * Polling only: the kernels run with interrupts off and never install handlers. */
#include <stdarg.h>
#include <stdbool.h>

#include "kio.h"

#define COM1 0x3f8u

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

void kio_init(void)
{
    /* The loader already set COM1 up; program it again anyway so the kernel does not depend
     * on that (115200 8N1, FIFO on, no interrupts). */
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x80);
    outb(COM1 + 0, 0x01);
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03);
    outb(COM1 + 2, 0xc7);
    outb(COM1 + 4, 0x03);
}

void kio_putc(char c)
{
    if (c == '\n')
        kio_putc('\r');
    /* Bounded wait: a missing UART (LSR reads 0xff) must not hang the kernel. */
    for (unsigned spin = 0; spin < 100000u; spin++)
        if (inb(COM1 + 5) & 0x20)
            break;
    outb(COM1, (uint8_t)c);
}

void kio_puts(const char *s)
{
    while (*s)
        kio_putc(*s++);
}

static void put_digits(const char *buf, unsigned n, unsigned width, char pad)
{
    for (unsigned i = n; i < width; i++)
        kio_putc(pad);
    for (unsigned i = 0; i < n; i++)
        kio_putc(buf[i]);
}

static void put_hex(uint64_t v, unsigned width, char pad)
{
    char buf[16];
    unsigned n = 0;
    for (int shift = 60; shift >= 0; shift -= 4) {
        unsigned d = (unsigned)(v >> shift) & 15u;
        if (d || n || shift == 0)
            buf[n++] = "0123456789abcdef"[d];
    }
    put_digits(buf, n, width, pad);
}

/* Decimal by repeated subtraction of powers of ten: no 64-bit division, so the 32-bit kernel
 * needs no libgcc. */
static void put_dec(uint64_t v, unsigned width, char pad)
{
    static const uint64_t pow10[20] = {
        10000000000000000000ull, 1000000000000000000ull, 100000000000000000ull,
        10000000000000000ull, 1000000000000000ull, 100000000000000ull, 10000000000000ull,
        1000000000000ull, 100000000000ull, 10000000000ull, 1000000000ull, 100000000ull,
        10000000ull, 1000000ull, 100000ull, 10000ull, 1000ull, 100ull, 10ull, 1ull};
    char buf[20];
    unsigned n = 0;
    for (unsigned i = 0; i < 20; i++) {
        unsigned digit = 0;
        while (v >= pow10[i]) {
            v -= pow10[i];
            digit++;
        }
        if (digit || n || i == 19)
            buf[n++] = (char)('0' + digit);
    }
    put_digits(buf, n, width, pad);
}

void kio_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kio_vprintf(fmt, ap);
    va_end(ap);
}

void kio_vprintf(const char *fmt, va_list ap)
{
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            kio_putc(*p);
            continue;
        }
        p++;
        char pad = ' ';
        unsigned width = 0;
        if (*p == '0') {
            pad = '0';
            p++;
        }
        while (*p >= '0' && *p <= '9')
            width = width * 10u + (unsigned)(*p++ - '0');
        bool wide = false;
        if (*p == 'l') {
            wide = true;
            p++;
        }
        switch (*p) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            kio_puts(s ? s : "(null)");
            break;
        }
        case 'c':
            kio_putc((char)va_arg(ap, int));
            break;
        case 'd': {
            int v = va_arg(ap, int);
            if (v < 0) {
                kio_putc('-');
                put_dec((uint64_t)0 - (uint64_t)(int64_t)v, width, pad);
            } else {
                put_dec((uint64_t)v, width, pad);
            }
            break;
        }
        case 'u':
        case 'x': {
            uint64_t v = wide ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
            if (*p == 'x')
                put_hex(v, width, pad);
            else
                put_dec(v, width, pad);
            break;
        }
        case '%':
            kio_putc('%');
            break;
        case '\0':
            p--;
            break;
        default:
            kio_putc('%');
            kio_putc(*p);
            break;
        }
    }
}

_Noreturn void kio_halt(void)
{
    for (;;)
        __asm__ volatile("cli; hlt");
}

_Noreturn void kio_exit(unsigned code)
{
    outb(KIO_EXIT_PORT, (uint8_t)code);
    kio_halt();
}

void *memset(void *d, int c, size_t n)
{
    unsigned char *p = d;
    while (n--)
        *p++ = (unsigned char)c;
    return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
    unsigned char *p = d;
    const unsigned char *q = s;
    while (n--)
        *p++ = *q++;
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *p = a, *q = b;
    for (; n; n--, p++, q++)
        if (*p != *q)
            return *p < *q ? -1 : 1;
    return 0;
}
