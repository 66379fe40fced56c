/* bootcheck_int.h: what the bootcheck_*.c files share: the state of one run and the map
 * lookups. Not for the kernels' own files. */
#ifndef BOOTCHECK_INT_H
#define BOOTCHECK_INT_H

#include "bootcheck.h"
#include "multios/bootinfo.h"

#define BC_PAGE 4096u
#define BC_MAP_MAX 1024u /* more entries than any loader map can have (MEMMAP_MAX) */
#define BC_RAW_MAX 512u  /* MEMMAP_RAW_MAX */

struct bc {
    const struct bootcheck_env *env;
    const struct multios_boot_info *bi;
    const struct multios_mmap_entry *map; /* NULL when the map itself is unusable */
    uint32_t count;
    bool map_ok;                          /* sorted and non-overlapping: lookups are exact */
    unsigned failures;
    const char *first;                    /* what the first failed check was */
    bool table_type_failed;               /* reported once, not once per walk */
};

/* Record a failed check: prints "<name>: check failed: <what>: <details>". */
void bc_fail(struct bc *s, const char *what, const char *fmt, ...);

/* Index of the map entry holding addr, or -1. */
int bc_find(const struct bc *s, uint64_t addr);
/* Type of the one entry holding all of [base, base + len), 0 if none does (len > 0). */
uint32_t bc_range_type(const struct bc *s, uint64_t base, uint64_t len);
/* Last byte of entry i (base + length - 1; the map check has made sure it does not wrap). */
uint64_t bc_last(const struct multios_mmap_entry *e);

/* virt_to_phys that also checks every table the walk read is PAGE_TABLES-typed memory. */
bool bc_translate(struct bc *s, uint64_t va, uint64_t *pa);

/* The checks, in the order bootcheck_main runs them. */
void bc_check_map(struct bc *s);
void bc_check_locations(struct bc *s);
void bc_check_kernel(struct bc *s);
void bc_check_segments(struct bc *s);
void bc_check_paging(struct bc *s);
void bc_check_frames(struct bc *s);
void bc_check_rsdp(struct bc *s);
void bc_check_modules(struct bc *s);
void bc_check_framebuffer(struct bc *s);

/* `bootcheck.hold` in the command line: after its verdict the kernel holds still for the
 * harness to read the screen (bootcheck_fb.c), instead of leaving QEMU. */
bool bc_hold_asked(struct bc *s);

#endif
