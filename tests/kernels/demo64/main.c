/* demo64: the ELF64 higher-half demo kernel. It reaches memory only through mappings it has
 * checked first (a page-table walk), so a loader that maps too little gets a FAIL line naming
 * the address instead of a triple fault; the exception stubs report anything else. */
#include <stdbool.h>
#include <stdint.h>

#include "bootcheck.h"
#include "kio.h"
#include "multios/bootinfo.h"

#define PTE_PRESENT 0x1ull
#define PTE_LARGE   0x80ull
#define PTE_ADDR    0x000ffffffffff000ull
#define LOW_4G      0x100000000ull

extern char __kernel_start[], __kernel_end[];
extern const uint64_t demo64_isr_table[32];
extern const uint64_t demo64_entry_regs[16]; /* entry.asm: the state the loader left */
extern const uint64_t demo64_entry_ret;
extern const uint16_t demo64_entry_pic;
void _start(void);

static uint64_t g_cr3;
static uint64_t g_hhdm; /* 0 until the boot info is known good: identity only */

/* Walk the live tables. They are read through the identity map, which the loader promises
 * for the low 4 GiB where it puts them; a table above 4 GiB is reported as unmapped. */
static bool walk(uint64_t va, uint64_t *pa, uint64_t tables[BOOTCHECK_MAX_TABLES],
                 unsigned *ntables)
{
    uint64_t table = g_cr3 & PTE_ADDR;
    *ntables = 0;
    for (int level = 3; level >= 0; level--) {
        if (table >= LOW_4G)
            return false;
        tables[(*ntables)++] = table;
        unsigned shift = 12u + 9u * (unsigned)level;
        uint64_t e = ((const volatile uint64_t *)(uintptr_t)table)[(va >> shift) & 511u];
        if (!(e & PTE_PRESENT))
            return false;
        if (level == 0 || ((level == 1 || level == 2) && (e & PTE_LARGE))) {
            uint64_t mask = ((uint64_t)1 << shift) - 1;
            *pa = ((e & PTE_ADDR) & ~mask) | (va & mask);
            return true;
        }
        table = e & PTE_ADDR;
    }
    return false;
}

static bool maps_to(uint64_t va, uint64_t pa)
{
    uint64_t got, t[BOOTCHECK_MAX_TABLES];
    unsigned n;
    return walk(va, &got, t, &n) && got == pa;
}

/* Through the direct map once it is known, else identity; both ends checked. */
static const void *phys(uint64_t pa, uint64_t len)
{
    uint64_t last = pa + (len ? len - 1 : 0);
    if (last < pa)
        return 0;
    if (g_hhdm && maps_to(g_hhdm + pa, pa) && maps_to(g_hhdm + last, last))
        return (const void *)(uintptr_t)(g_hhdm + pa);
    if (maps_to(pa, pa) && maps_to(last, last))
        return (const void *)(uintptr_t)pa;
    return 0;
}

struct idt_gate {
    uint16_t off0;
    uint16_t sel;
    uint8_t ist;
    uint8_t type;
    uint16_t off1;
    uint32_t off2;
    uint32_t zero;
};
static struct idt_gate idt[32];

static void idt_install(void)
{
    uint16_t cs;
    __asm__ volatile("mov %%cs, %0" : "=r"(cs));
    for (unsigned v = 0; v < 32; v++) {
        uint64_t a = demo64_isr_table[v];
        idt[v] = (struct idt_gate){(uint16_t)a, cs, 0, 0x8e, (uint16_t)(a >> 16),
                                   (uint32_t)(a >> 32), 0};
    }
    struct __attribute__((packed)) {
        uint16_t limit;
        uint64_t base;
    } idtr = {sizeof idt - 1, (uint64_t)(uintptr_t)idt};
    __asm__ volatile("lidt %0" : : "m"(idtr));
}

_Noreturn void demo64_exception(uint64_t vector, uint64_t error, uint64_t rip, uint64_t cr2)
{
    kio_printf("demo64: FAIL exception %lu error 0x%lx rip 0x%lx cr2 0x%lx\n", vector, error,
               rip, cr2);
    kio_exit(KIO_EXIT_FAIL);
}

_Noreturn void demo64_main(uint64_t boot_info, uint64_t sp, uint64_t rflags, uint64_t cr3,
                           uint64_t cr0)
{
    g_cr3 = cr3;
    kio_init();
    idt_install();

    /* Read the hhdm offset through identity first; bootcheck re-reads everything through
     * the direct map and checks both views agree. */
    const struct multios_boot_info *bi = phys(boot_info, sizeof *bi);
    if (bi && bi->magic == MULTIOS_BOOTINFO_MAGIC && bi->hhdm_offset >= 0xffff800000000000ull)
        g_hhdm = bi->hhdm_offset;

    struct bootcheck_env env = {
        .name = "demo64",
        .boot_info = boot_info,
        .long_mode = true,
        .sp = sp,
        .entry = (uint64_t)(uintptr_t)_start,
        .image_start = (uint64_t)(uintptr_t)__kernel_start,
        .image_end = (uint64_t)(uintptr_t)__kernel_end,
        .cr3 = cr3,
        .cpu_flags = rflags,
        .cr0 = cr0,
        .regs = demo64_entry_regs,
        .ret_slot = demo64_entry_ret,
        .check_pic = true,
        .pic_mask = demo64_entry_pic,
        .phys = phys,
        .virt_to_phys = walk,
    };
    bootcheck_main(&env);
}
