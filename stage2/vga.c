/* vga.c: 80x25 colour text at 0xB8000, continuing below whatever the BIOS printed. */
#include <stdbool.h>
#include <stdint.h>

#include "console.h"
#include "io.h"
#include "pc.h"

#define VGA_TEXT  PC_VGA_TEXT
#define VGA_COLS  80
#define VGA_ROWS  25
#define VGA_ATTR  0x07          /* light grey on black */
#define CRTC_INDEX 0x3d4u
#define CRTC_DATA  0x3d5u

static volatile uint16_t *const vga_mem = (volatile uint16_t *)VGA_TEXT;
static int vga_row, vga_col;
static bool vga_stopped;

static void vga_cursor_update(void)
{
    uint16_t pos = (uint16_t)(vga_row * VGA_COLS + vga_col);
    outb(CRTC_INDEX, 0x0f);
    outb(CRTC_DATA, (uint8_t)pos);
    outb(CRTC_INDEX, 0x0e);
    outb(CRTC_DATA, (uint8_t)(pos >> 8));
}

void vga_init(void)
{
    const volatile uint8_t *bda = (const volatile uint8_t *)PC_BDA_CURSOR;
    vga_col = bda[0] < VGA_COLS ? bda[0] : 0;
    vga_row = bda[1] < VGA_ROWS ? bda[1] : VGA_ROWS - 1;
    if (vga_col) {
        vga_col = 0;
        vga_row++;
    }
    if (vga_row >= VGA_ROWS)
        vga_row = VGA_ROWS - 1;
    vga_cursor_update();
}

static void vga_scroll(void)
{
    for (int i = 0; i < (VGA_ROWS - 1) * VGA_COLS; i++)
        vga_mem[i] = vga_mem[i + VGA_COLS];
    for (int i = 0; i < VGA_COLS; i++)
        vga_mem[(VGA_ROWS - 1) * VGA_COLS + i] = (uint16_t)(VGA_ATTR << 8 | ' ');
}

void vga_stop(void)
{
    vga_stopped = true;
}

void vga_putc(char c)
{
    if (vga_stopped)
        return;
    if (c == '\n') {
        vga_col = 0;
        vga_row++;
    } else if (c == '\r') {
        vga_col = 0;
    } else {
        vga_mem[vga_row * VGA_COLS + vga_col] = (uint16_t)(VGA_ATTR << 8 | (uint8_t)c);
        if (++vga_col == VGA_COLS) {
            vga_col = 0;
            vga_row++;
        }
    }
    if (vga_row == VGA_ROWS) {
        vga_scroll();
        vga_row = VGA_ROWS - 1;
    }
    if (c == '\n')
        vga_cursor_update();
}
