/* serial.c: COM1 at 115200 8N1, polled. The boot tests read this port. */
#include <stdbool.h>
#include <stdint.h>

#include "console.h"
#include "io.h"

#define COM1 0x3f8u
#define UART_DATA 0     /* DLL when DLAB is set */
#define UART_IER  1     /* DLM when DLAB is set */
#define UART_FCR  2
#define UART_LCR  3
#define UART_MCR  4
#define UART_LSR  5
#define UART_SCR  7
#define LSR_THRE  0x20  /* transmit holding register empty */
#define LCR_DLAB  0x80
#define LCR_8N1   0x03

/* Polls before a character is dropped: a missing or stuck UART must not hang the boot. */
#define SERIAL_SPIN_LIMIT 100000u

static bool serial_present;

void serial_init(void)
{
    /* The scratch register reads back what was written only if a UART is there. */
    outb(COM1 + UART_SCR, 0x5a);
    if (inb(COM1 + UART_SCR) != 0x5a)
        return;
    outb(COM1 + UART_IER, 0x00);            /* polled: no interrupts */
    outb(COM1 + UART_LCR, LCR_DLAB);
    outb(COM1 + UART_DATA, 1);              /* divisor 1: 115200 baud */
    outb(COM1 + UART_IER, 0);
    outb(COM1 + UART_LCR, LCR_8N1);
    outb(COM1 + UART_FCR, 0xc7);            /* FIFO on, cleared, 14-byte threshold */
    outb(COM1 + UART_MCR, 0x03);            /* DTR, RTS */
    serial_present = true;
}

static void serial_write(uint8_t b)
{
    for (uint32_t i = 0; i < SERIAL_SPIN_LIMIT; i++)
        if (inb(COM1 + UART_LSR) & LSR_THRE)
            break;
    outb(COM1 + UART_DATA, b);
}

void serial_putc(char c)
{
    if (!serial_present)
        return;
    if (c == '\n')
        serial_write('\r');
    serial_write((uint8_t)c);
}
