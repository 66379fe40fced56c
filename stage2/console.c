/* console.c: levelled log lines and panic on top of the format engine, to serial and VGA. */
#include <stdbool.h>

#include "console.h"
#include "format.h"
#include "io.h"

#define CONSOLE_PREFIX "multios: "

static int console_level = LOG_INFO;
static bool console_ready;
static bool console_bol = true;     /* at the beginning of a line */

static void console_raw(char c)
{
    serial_putc(c);
    vga_putc(c);
    console_bol = c == '\n';
}

/* Every line gets the prefix, including the continuation lines of a multi-line message,
 * so the boot tests can always tell stage2's output from the BIOS's and the kernel's. */
static void console_putc(void *ctx, char c)
{
    (void)ctx;
    if (console_bol)
        for (const char *p = CONSOLE_PREFIX; *p; p++)
            console_raw(*p);
    console_raw(c);
}

static void console_end_line(void)
{
    if (!console_bol)
        console_raw('\n');
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
    console_end_line();
    int n = format_print(console_putc, NULL, "%s", prefix);
    n += format_vprint(console_putc, NULL, fmt, ap);
    if (n == 0)
        console_putc(NULL, '\n');  /* an empty message is still a (prefixed) line */
    console_end_line();
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
    console_end_line();
    format_print(console_putc, NULL, "panic: %s: ", step ? step : "?");
    va_list ap;
    va_start(ap, fmt);
    format_vprint(console_putc, NULL, fmt, ap);
    va_end(ap);
    console_end_line();
    format_print(console_putc, NULL, "halted\n");
    cpu_halt_forever();
}
