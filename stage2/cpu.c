/* cpu.c: CPUID probing. Long mode and PAE are required only for a 64-bit kernel, so this
 * file reports and main decides (a 32-bit kernel still boots on a CPU without them). */
#include <stdint.h>
#include <string.h>

#include "console.h"
#include "cpu.h"

#define EFLAGS_ID (1u << 21)

/* CPUID exists when the ID flag in EFLAGS can be flipped (not on a 386 or early 486). */
static bool cpu_has_cpuid(void)
{
    uint32_t before, after;
    __asm__ volatile("pushfl\n\t"
                     "popl %0\n\t"
                     "movl %0, %1\n\t"
                     "xorl %2, %1\n\t"
                     "pushl %1\n\t"
                     "popfl\n\t"
                     "pushfl\n\t"
                     "popl %1\n\t"
                     "pushl %0\n\t"
                     "popfl"
                     : "=&r"(before), "=&r"(after)
                     : "i"(EFLAGS_ID)
                     : "cc");
    return ((before ^ after) & EFLAGS_ID) != 0;
}

static void cpu_cpuid(uint32_t leaf, uint32_t r[4])
{
    __asm__ volatile("cpuid"
                     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                     : "a"(leaf), "c"(0u));
}

void cpu_detect(struct cpu_info *c)
{
    uint32_t r[4];

    memset(c, 0, sizeof(*c));
    c->cpuid = cpu_has_cpuid();
    if (!c->cpuid)
        return;

    cpu_cpuid(0, r);
    memcpy(c->vendor + 0, &r[1], 4);  /* EBX, EDX, ECX spell the vendor in that order */
    memcpy(c->vendor + 4, &r[3], 4);
    memcpy(c->vendor + 8, &r[2], 4);
    c->vendor[12] = '\0';
    if (r[0] >= 1) {
        cpu_cpuid(1, r);
        c->pae = (r[3] >> 6) & 1u;
    }

    /* QEMU's "-cpu qemu64,-lm" still answers the extended leaves: only the bit says no. */
    cpu_cpuid(0x80000000u, r);
    if (r[0] >= 0x80000001u && r[0] <= 0x8000ffffu) {
        cpu_cpuid(0x80000001u, r);
        c->nx = (r[3] >> 20) & 1u;
        c->gib_pages = (r[3] >> 26) & 1u;
        c->long_mode = (r[3] >> 29) & 1u;
    }
}

void cpu_log(const struct cpu_info *c)
{
    if (!c->cpuid) {
        log_info("cpu: no CPUID (pre-Pentium): 32-bit kernels only");
        return;
    }
    log_info("cpu: %s, long mode %s, PAE %s, NX %s, 1 GiB pages %s", c->vendor,
             c->long_mode ? "yes" : "no", c->pae ? "yes" : "no", c->nx ? "yes" : "no",
             c->gib_pages ? "yes" : "no");
}

void cpu_require_long_mode(const struct cpu_info *c)
{
    if (!c->long_mode)
        panic("cpu", "the kernel is 64-bit but this CPU has no long mode (CPUID 80000001h "
              "EDX bit 29 clear)");
    if (!c->pae)
        panic("cpu", "the kernel is 64-bit but this CPU has no PAE, which long mode needs");
}
