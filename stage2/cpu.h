/* cpu.h: what stage2 needs to know about the processor before it picks a hand-off path. */
#ifndef CPU_H
#define CPU_H

#include <stdbool.h>

struct cpu_info {
    char vendor[13];   /* CPUID leaf 0 vendor string, "" without CPUID */
    bool cpuid;        /* EFLAGS.ID can be toggled (486DX4 and later) */
    bool pae;          /* leaf 1 EDX bit 6 */
    bool long_mode;    /* leaf 0x80000001 EDX bit 29 */
    bool nx;           /* leaf 0x80000001 EDX bit 20 */
    bool gib_pages;    /* leaf 0x80000001 EDX bit 26: 1 GiB pages */
};

/* Fill *c from CPUID; never fails (absent features read as false). */
void cpu_detect(struct cpu_info *c);

/* One log line naming the vendor and the features found. */
void cpu_log(const struct cpu_info *c);

/* A 64-bit kernel needs long mode and PAE: panic "cpu" with a message that says "long
 * mode" (or PAE) when they are missing. */
void cpu_require_long_mode(const struct cpu_info *c);

#endif
