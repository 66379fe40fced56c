/* demo32: the ELF32 demo kernel, entered in protected mode with paging off, so physical
 * addresses below 4 GiB are pointers and nothing above is reachable. */
#include <stdbool.h>
#include <stdint.h>

#include "bootcheck.h"
#include "kio.h"

#define LOW_4G 0x100000000ull

extern char __kernel_start[], __kernel_end[];
extern const uint32_t demo32_entry_regs[8]; /* entry.asm: the state the loader left */
extern const uint32_t demo32_entry_ret;
extern const uint16_t demo32_entry_pic;
void _start(void);

static const void *phys(uint64_t pa, uint64_t len)
{
    if (pa >= LOW_4G || len > LOW_4G - pa)
        return 0;
    return (const void *)(uintptr_t)pa;
}

static bool identity(uint64_t va, uint64_t *pa, uint64_t tables[BOOTCHECK_MAX_TABLES],
                     unsigned *ntables)
{
    (void)tables;
    *ntables = 0;
    *pa = va;
    return va < LOW_4G;
}

_Noreturn void demo32_main(uint32_t eax, uint32_t boot_info, uint32_t sp, uint32_t eflags,
                           uint32_t cr0)
{
    uint64_t regs[8];
    for (unsigned i = 0; i < 8; i++)
        regs[i] = demo32_entry_regs[i];
    kio_init();
    struct bootcheck_env env = {
        .name = "demo32",
        .boot_info = boot_info,
        .long_mode = false,
        .sp = sp,
        .entry = (uint32_t)(uintptr_t)_start,
        .image_start = (uint32_t)(uintptr_t)__kernel_start,
        .image_end = (uint32_t)(uintptr_t)__kernel_end,
        .cr3 = 0,
        .cpu_flags = eflags,
        .cr0 = cr0,
        .check_eax = true,
        .eax = eax,
        .regs = regs,
        .ret_slot = demo32_entry_ret,
        .check_pic = true,
        .pic_mask = demo32_entry_pic,
        .phys = phys,
        .virt_to_phys = identity,
    };
    bootcheck_main(&env);
}
