/* idt.c: stage2's exception IDT (see idt.h). Interrupts stay off in stage2 outside BIOS
 * calls, so only the 32 exception vectors have gates; anything else would #GP into them. */
#include "console.h"
#include "idt.h"

#define IDT_VECTORS   32u
#define IDT_SEL_CODE  0x08u
#define IDT_GATE_INT32 0x8Eu /* present, DPL 0, 32-bit interrupt gate (IF cleared) */

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

extern const uint32_t idt_stubs[IDT_VECTORS];

static struct idt_gate idt_table[IDT_VECTORS];

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
                                          .selector = IDT_SEL_CODE, .type = IDT_GATE_INT32,
                                          .offset_hi = (uint16_t)(idt_stubs[v] >> 16) };
    d.limit = sizeof(idt_table) - 1u;
    d.base = (uint32_t)(uintptr_t)idt_table;
    __asm__ volatile("lidt %0" : : "m"(d));
}

void idt_exception(uint32_t vector, uint32_t error, uint32_t eip, uint32_t cs)
{
    const char *name = vector < IDT_VECTORS && idt_names[vector] ? idt_names[vector] : "?";

    panic("cpu", "exception %u (%s) at eip 0x%x, cs 0x%x, error code 0x%x", vector, name,
          eip, cs, error);
}
