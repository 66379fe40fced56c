/* demo32: the ELF32 demo kernel, entered in protected mode with paging off, so physical
 * addresses below 4 GiB are pointers and nothing above is reachable. */
#include <stdbool.h>
#include <stdint.h>

#include "bootcheck.h"
#include "kio.h"

#define LOW_4G 0x100000000ull

extern char __kernel_start[], __kernel_end[];
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
        .phys = phys,
        .virt_to_phys = identity,
    };
    bootcheck_main(&env);
}
