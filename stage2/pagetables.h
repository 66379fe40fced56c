/* pagetables.h: the 4-level page tables a kernel entered in long mode gets (core/paging.h's
 * plan), in PAGE_TABLES frames below 4 GiB, with stage2's log line and panic. */
#ifndef PAGETABLES_H
#define PAGETABLES_H

#include <stdbool.h>
#include <stdint.h>

#include "memory.h"
#include "paging.h"

/* Identity map of the low 4 GiB and all RAM, the direct map at PAGING_HHDM_OFFSET, and each
 * of the `count` segments at its virtual address. nx: use the no-execute bit. pg->root is
 * then CR3. Panics "paging". */
void pagetables_build(struct paging *pg, struct memory *mem, const struct paging_segment *seg,
                      uint32_t count, bool nx);

#endif
