/* console.h: stage2's log and panic, on COM1 (115200 8N1) and the VGA text screen. Every
 * line starts with "multios: " so the boot tests can tell ours from the BIOS's. */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <stdarg.h>

#define LOG_ERROR 0
#define LOG_WARN  1
#define LOG_INFO  2
#define LOG_DEBUG 3

/* Set up COM1 and the screen; call first. Messages before it go nowhere. */
void console_init(void);

/* Messages above this level are dropped (default LOG_INFO). */
void console_set_level(int level);

/* One line: "multios: " (plus "error: " / "warning: "), the message, and a newline unless
 * the message ends with one. A message with embedded newlines prints several lines, each
 * starting with "multios: ". */
void log_msg(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_vmsg(int level, const char *fmt, va_list ap);

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

/* Prints "multios: panic: <step>: <message>" and "multios: halted" on serial and screen,
 * then halts forever with interrupts off. Never reboots. */
_Noreturn void panic(const char *step, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The devices behind the console (serial.c, vga.c). */
void serial_init(void);
void serial_putc(char c);
void vga_init(void);
void vga_putc(char c);
/* From now on vga_putc writes nothing: a graphics mode was set, and the text buffer would be
 * drawn over the framebuffer (video.c). Serial goes on. */
void vga_stop(void);

#endif
