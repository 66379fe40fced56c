/* a20.c: the A20 gate, tried the ways Linux's arch/x86/boot/a20.c tries it, each checked by
 * writing distinct values at 0x000500 and 0x100500 and seeing whether they alias. */
#include <stdint.h>

#include "a20.h"
#include "bios.h"
#include "console.h"
#include "io.h"

#define A20_TEST_LOW  MEMORY_LOADER_LOW_BASE /* the loader's first word (layout.h) */
#define A20_TEST_HIGH (A20_TEST_LOW + 0x100000u) /* the same address when A20 is off */
#define A20_TEST_SHORT 32           /* loops: the BIOS and port 0x92 act at once */
#define A20_TEST_LONG  2097152      /* the keyboard controller can take a while */

#define KBC_DATA   0x60u
#define KBC_STATUS 0x64u
#define KBC_IBF    0x02u            /* input buffer full: controller busy */
#define KBC_OBF    0x01u
#define KBC_WRITE_OUTPUT 0xd1u
#define KBC_OUTPUT_A20_ON 0xdfu
#define KBC_NULL_CMD 0xffu
#define KBC_SPIN_LIMIT 100000

#define PORT_FAST_A20 0x92u
#define FAST_A20_ON   0x02u
#define FAST_A20_RESET 0x01u        /* writing 1 here resets the machine: always clear */

/* The words under test. Volatile so every read goes to memory; the addresses come through an
 * empty asm so GCC does not treat a constant pointer below 4 KiB as a bug. */
static volatile uint16_t *a20_word(uint32_t phys)
{
    volatile uint16_t *p = (volatile uint16_t *)(uintptr_t)phys;
    __asm__("" : "+r"(p));
    return p;
}

static bool a20_test(int loops)
{
    volatile uint16_t *low = a20_word(A20_TEST_LOW);
    volatile uint16_t *high = a20_word(A20_TEST_HIGH);
    uint16_t saved = *low;
    bool on = false;
    for (int i = 0; i < loops && !on; i++) {
        *low = (uint16_t)(saved + 1 + i);
        io_wait();
        on = *high != *low;
    }
    *low = saved;
    return on;
}

bool a20_is_enabled(void)
{
    return a20_test(A20_TEST_SHORT);
}

static void a20_bios(void)
{
    struct bios_regs r;
    bios_regs_init(&r);
    r.eax = 0x2401;
    bios_int(NULL, 0x15, &r, &r);
}

static bool kbc_wait_input(void)
{
    for (int i = 0; i < KBC_SPIN_LIMIT; i++) {
        uint8_t st = inb(KBC_STATUS);
        if (st == 0xff)
            return false;           /* no controller on the bus */
        if (st & KBC_OBF) {         /* drain stale output so the controller can move on */
            (void)inb(KBC_DATA);
            continue;
        }
        if (!(st & KBC_IBF))
            return true;
        io_wait();
    }
    return false;
}

static void a20_kbc(void)
{
    if (!kbc_wait_input())
        return;
    outb(KBC_STATUS, KBC_WRITE_OUTPUT);
    if (!kbc_wait_input())
        return;
    outb(KBC_DATA, KBC_OUTPUT_A20_ON);
    kbc_wait_input();
    /* A null command: some USB legacy emulations (UHCI) need it to finish the write. */
    outb(KBC_STATUS, KBC_NULL_CMD);
    kbc_wait_input();
}

static void a20_fast(void)
{
    uint8_t v = inb(PORT_FAST_A20);
    v |= FAST_A20_ON;
    v &= (uint8_t)~FAST_A20_RESET;
    outb(PORT_FAST_A20, v);
}

const char *a20_method_name(enum a20_method m)
{
    switch (m) {
    case A20_BIOS: return "the BIOS (INT 15h AX=2401h)";
    case A20_KBC: return "the keyboard controller";
    case A20_FAST: return "port 0x92";
    default: return "?";
    }
}

bool a20_try(enum a20_method m)
{
    switch (m) {
    case A20_BIOS:
        a20_bios();
        return a20_test(A20_TEST_SHORT);
    case A20_KBC:
        a20_kbc();
        return a20_test(A20_TEST_LONG);
    case A20_FAST:
        a20_fast();
        return a20_test(A20_TEST_LONG);
    default:
        return false;
    }
}

void a20_enable(void)
{
    if (a20_is_enabled()) {
        log_info("A20 already enabled");
        return;
    }
    for (int m = 0; m < A20_METHODS; m++) {
        if (a20_try((enum a20_method)m)) {
            log_info("A20 enabled by %s", a20_method_name((enum a20_method)m));
            return;
        }
        log_debug("A20: %s did not enable it", a20_method_name((enum a20_method)m));
    }
    panic("A20", "could not enable the A20 line (BIOS, keyboard controller and port 0x92 "
                 "all failed)");
}
