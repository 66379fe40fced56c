/* idt.c: stage2's exception IDT and the 64-bit one a long-mode kernel starts with (see idt.h).
 * Interrupts stay off in stage2 outside BIOS calls and the PICs are masked at the hand-off, so
 * only the 32 exception vectors have gates; anything else would #GP into them. */
#include <stdbool.h>

#include "console.h"
#include "idt.h"
#include "io.h"
#include "layout.h"

#define IDT_VECTORS   32u
#define IDT_GATE_INT32 0x8Eu /* present, DPL 0, 32-bit interrupt gate (IF cleared) */
#define IDT_GATE_INT64 0x8Eu /* the same type value means a 64-bit gate in long mode */

struct idt_gate {
    uint16_t offset_lo;
    uint16_t selector;
    uint8_t  zero;
    uint8_t  type;
    uint16_t offset_hi;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate) == 8, "IDT gate layout");

struct idt_desc {
    uint16_t limit;
    uint32_t base;
} __attribute__((packed));

/* Long mode's gates are 16 bytes: the handler's offset is 64 bits wide. */
struct idt_gate64 {
    uint16_t offset_lo;
    uint16_t selector;
    uint8_t  ist;
    uint8_t  type;
    uint16_t offset_mid;
    uint32_t offset_hi;
    uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate64) == 16, "IDT gate layout (long mode)");

/* What lidt reads in 64-bit mode: the base is 8 bytes. */
struct idt_desc64 {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

extern const uint32_t idt_stubs[IDT_VECTORS];
extern const uint32_t idt_long_stubs[IDT_VECTORS];

static struct idt_gate idt_table[IDT_VECTORS];
static struct idt_gate64 idt_long_table[IDT_VECTORS] __attribute__((aligned(16)));
static struct idt_desc64 idt_long_desc;
/* Set at the 32-bit hand-off: from then on an exception is the kernel's, not stage2's. */
static bool idt_kernel_running;

static const char *const idt_names[IDT_VECTORS] = {
    "divide error", "debug", "NMI", "breakpoint", "overflow", "bound range",
    "invalid opcode", "no FPU", "double fault", "coprocessor overrun", "invalid TSS",
    "segment not present", "stack fault", "general protection", "page fault", "reserved",
    "x87 error", "alignment check", "machine check", "SIMD error", "virtualization",
    "control protection",
};

void idt_init(void)
{
    struct idt_desc d;

    for (uint32_t v = 0; v < IDT_VECTORS; v++)
        idt_table[v] = (struct idt_gate){ .offset_lo = (uint16_t)idt_stubs[v],
                                          .selector = GDT_SEL_CODE32, .type = IDT_GATE_INT32,
                                          .offset_hi = (uint16_t)(idt_stubs[v] >> 16) };
    d.limit = sizeof(idt_table) - 1u;
    d.base = (uint32_t)(uintptr_t)idt_table;
    __asm__ volatile("lidt %0" : : "m"(d));
}

const void *idt_long_prepare(void)
{
    /* The stubs are in stage2's image, below 4 GiB: offset_hi stays 0. */
    for (uint32_t v = 0; v < IDT_VECTORS; v++) {
        uint32_t a = idt_long_stubs[v];
        idt_long_table[v] = (struct idt_gate64){ .offset_lo = (uint16_t)a,
                                                 .selector = GDT_SEL_CODE64,
                                                 .type = IDT_GATE_INT64,
                                                 .offset_mid = (uint16_t)(a >> 16) };
    }
    idt_long_desc.limit = sizeof(idt_long_table) - 1u;
    idt_long_desc.base = (uint32_t)(uintptr_t)idt_long_table;
    return &idt_long_desc;
}

void idt_enter_kernel(void)
{
    idt_kernel_running = true;
}

void idt_exception(uint32_t vector, uint32_t error, uint32_t eip, uint32_t cs)
{
    const char *name = vector < IDT_VECTORS && idt_names[vector] ? idt_names[vector] : "?";

    if (idt_kernel_running) {
        /* Not a stage2 bug: the kernel faulted before its own lidt. Said in the same words
         * as the long-mode report (idt_stubs.asm), whatever log level the config chose. */
        console_set_level(LOG_INFO);
        log_info("kernel exception %u before the kernel loaded its own IDT: %s at eip 0x%x, "
                 "cs 0x%x, error code 0x%x", vector, name, eip, cs, error);
        log_info("halted");
        cpu_halt_forever();
    }
    panic("cpu", "exception %u (%s) at eip 0x%x, cs 0x%x, error code 0x%x", vector, name,
          eip, cs, error);
}
