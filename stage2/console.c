/* console.c: levelled log lines and panic on top of the format engine, to serial and VGA. */
#include <stdbool.h>

#include "console.h"
#include "format.h"
#include "io.h"

static int console_level = LOG_INFO;
static bool console_ready;
static char console_last;   /* last character written, to end every line with one '\n' */

static void console_putc(void *ctx, char c)
{
    (void)ctx;
    serial_putc(c);
    vga_putc(c);
    console_last = c;
}

void console_init(void)
{
    serial_init();
    vga_init();
    console_ready = true;
}

void console_set_level(int level)
{
    console_level = level;
}

static void console_line(const char *prefix, const char *fmt, va_list ap)
{
    if (!console_ready)
        return;
    format_print(console_putc, NULL, "multios: %s", prefix);
    format_vprint(console_putc, NULL, fmt, ap);
    if (console_last != '\n')
        console_putc(NULL, '\n');
}

void log_vmsg(int level, const char *fmt, va_list ap)
{
    if (level > console_level)
        return;
    const char *prefix = level == LOG_ERROR ? "error: " : level == LOG_WARN ? "warning: " : "";
    console_line(prefix, fmt, ap);
}

void log_msg(int level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_vmsg(level, fmt, ap);
    va_end(ap);
}

_Noreturn void panic(const char *step, const char *fmt, ...)
{
    __asm__ volatile("cli");
    if (!console_ready)
        console_init();
    format_print(console_putc, NULL, "multios: panic: %s: ", step ? step : "?");
    va_list ap;
    va_start(ap, fmt);
    format_vprint(console_putc, NULL, fmt, ap);
    va_end(ap);
    if (console_last != '\n')
        console_putc(NULL, '\n');
    format_print(console_putc, NULL, "multios: halted\n");
    cpu_halt_forever();
}
