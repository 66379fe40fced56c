/* paging.h: x86-64 4-level page tables built by the loader for a long-mode kernel. Pure core:
 * table frames come from a caller callback, below a limit the caller gives, and are written
 * through a phys->pointer callback, so the same code runs in stage2 (32-bit, paging off:
 * pointer == physical address, tables below 4 GiB), in a 64-bit loader and in host tests (a
 * fake physical memory). paging_map uses 2 MiB pages wherever alignment and
 * size allow, 4 KiB pages elsewhere (the plan is stricter, see paging_plan_build); 1 GiB
 * pages are never used (not every CPU has them). */
#ifndef PAGING_H
#define PAGING_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "memmap.h"

#define PAGE_SIZE_4K 0x1000ull
#define PAGE_SIZE_2M 0x200000ull

/* Hardware bits of a page-table entry (Intel SDM vol. 3, 4.5). */
#define PTE_PRESENT  (1ull << 0)
#define PTE_WRITE    (1ull << 1)
#define PTE_USER     (1ull << 2)
#define PTE_PWT      (1ull << 3)
#define PTE_PCD      (1ull << 4)
#define PTE_ACCESSED (1ull << 5)
#define PTE_DIRTY    (1ull << 6)
#define PTE_PS       (1ull << 7)  /* in a PD entry: this is a 2 MiB page */
#define PTE_GLOBAL   (1ull << 8)
#define PTE_NX       (1ull << 63) /* only valid once EFER.NXE is set */
#define PTE_ADDR_MASK 0x000ffffffffff000ull

#define PAGING_PHYS_LIMIT (1ull << 52)   /* architectural MAXPHYADDR */
/* table_limit for a loader that writes the tables and loads CR3 from 32-bit code with paging
 * off, as stage2 does: it reaches only the low 4 GiB. A 64-bit loader passes
 * PAGING_PHYS_LIMIT. */
#define PAGING_TABLES_BELOW_4G 0x100000000ull

/* Mapping flags for paging_map (not hardware bits). Memory is always present and readable. */
#define PAGING_WRITE  (1u << 0)
#define PAGING_EXEC   (1u << 1)  /* without it the page gets NX, if pg->nx is set */
#define PAGING_GLOBAL (1u << 2)
/* Operation flag: where a page is already mapped to the same physical address with other
 * permissions, widen them (write if either writes, exec if either executes) instead of
 * failing. For kernel segments that share a page or lie inside the identity map. */
#define PAGING_MERGE  (1u << 8)

/* Frame source: one 4 KiB-aligned frame below the table limit given to paging_init, its
 * physical address in *phys. paging zeroes the frame itself. Return ERR_OK or an error
 * (typically ERR_NO_MEMORY), which paging passes on. */
typedef err_t (*paging_alloc_fn)(void *ctx, uint64_t *phys);
/* Where the caller can write a table frame at `phys` (4 KiB). Stage2: (void *)(uintptr_t)phys. */
typedef void *(*paging_ptr_fn)(void *ctx, uint64_t phys);

struct paging {
    paging_alloc_fn alloc;
    paging_ptr_fn ptr;
    void *ctx;            /* passed to both callbacks */
    bool nx;              /* set NX on non-exec pages; only if the CPU has NX and the
                           * hand-off sets EFER.NXE before paging is used (else NX is a
                           * reserved bit and every access faults) */
    uint64_t table_limit; /* every table frame lies below it (paging_init) */
    uint64_t root;        /* physical address of the PML4: CR3 */
    uint32_t tables;      /* table frames used, root included */
    uint64_t pages_4k;    /* leaf entries written */
    uint64_t pages_2m;
};

/* Set up pg and allocate its PML4. table_limit: every table frame (the PML4 is CR3) must lie
 * wholly below it, because the caller writes them and loads CR3 from code that reaches only
 * [0, table_limit): PAGING_TABLES_BELOW_4G from 32-bit code, PAGING_PHYS_LIMIT from 64-bit
 * code. ERR_INVALID_ARG (NULL pg/alloc/ptr, table_limit below 4 KiB or above
 * PAGING_PHYS_LIMIT), the allocator's error, ERR_MISALIGNED / ERR_NOT_USABLE if it returns a
 * frame that is not 4 KiB aligned / not below table_limit, ERR_INVALID_ARG if ptr returns
 * NULL. */
err_t paging_init(struct paging *pg, paging_alloc_fn alloc, paging_ptr_fn ptr, void *ctx,
                  bool nx, uint64_t table_limit);

/* Map [virt, virt+size) to [phys, phys+size). virt, phys and size must be multiples of
 * 4 KiB (ERR_MISALIGNED); size 0 is ERR_INVALID_ARG; the virtual range must be canonical and
 * not cross the hole (ERR_INVALID_ARG), the physical range must end at or below 2^52
 * (ERR_OVERFLOW). A page already mapped to the same physical address with the same
 * permissions is left as it is (so overlapping identical requests are fine); anything else
 * already mapped in the range is ERR_OVERLAP (or widened, with PAGING_MERGE and the same
 * physical address). Conflicts are found before anything is written, so on ERR_OVERLAP the
 * tables are unchanged; only an allocation failure can leave a prefix mapped. */
err_t paging_map(struct paging *pg, uint64_t virt, uint64_t phys, uint64_t size,
                 uint32_t flags);

/* What one virtual address maps to (for tests and logs). */
struct paging_walk {
    uint64_t phys;       /* physical address of virt */
    uint64_t page_size;  /* PAGE_SIZE_4K or PAGE_SIZE_2M */
    uint64_t pte;        /* the leaf entry, hardware bits */
    uint32_t flags;      /* PAGING_WRITE / PAGING_EXEC / PAGING_GLOBAL as the leaf says */
};
/* ERR_NOT_FOUND if virt is not mapped (or not canonical), ERR_INVALID_ARG for a NULL or
 * uninitialized pg, ERR_OK and *w otherwise. w->flags are the effective permissions (write
 * only if every level allows it; exec unless NX is set at any level). */
err_t paging_translate(const struct paging *pg, uint64_t virt, struct paging_walk *w);

/* ---- the stage2 plan: one call builds everything a long-mode kernel is entered with ---- */

#define PAGING_HHDM_OFFSET   0xffff800000000000ull
/* Physical memory beyond this is neither identity- nor HHDM-mapped (64 TiB: the lower half
 * is 128 TiB and the HHDM must stay below a -2 GiB kernel); it is counted in plan_clipped. */
#define PAGING_PLAN_PHYS_MAX (1ull << 46)

/* A kernel segment: virt and phys need the same offset within a 4 KiB page; the mapped
 * range is widened to whole pages. flags: PAGING_WRITE / PAGING_EXEC (from ELF p_flags). */
struct paging_segment {
    uint64_t virt;
    uint64_t phys;
    uint64_t size;       /* p_memsz; 0 = nothing to map */
    uint32_t flags;
};

/* Which step of the plan failed, for the panic message. */
enum paging_plan_step {
    PAGING_STEP_NONE = 0,
    PAGING_STEP_ROOT,      /* paging_init */
    PAGING_STEP_IDENTITY,  /* identity map (low 4 GiB or map entry `fail_index`) */
    PAGING_STEP_HHDM,      /* direct map (low 4 GiB or map entry `fail_index`) */
    PAGING_STEP_KERNEL,    /* kernel segment `fail_index` */
};

struct paging_plan_result {
    uint64_t identity_end;  /* highest identity/HHDM-mapped physical address + 1 */
    uint64_t clipped;       /* bytes of RAM above PAGING_PLAN_PHYS_MAX left unmapped */
    enum paging_plan_step fail_step;
    uint32_t fail_index;    /* map entry or segment index; UINT32_MAX for the low 4 GiB */
};

/* Build the stage2 plan into pg (paging_init is called here with nx and table_limit; pg's
 * fields other than those set by paging_init are results: pg->root is CR3, pg->tables the
 * frames used):
 *   1. identity map of [0, 4 GiB) and of every map entry that is RAM (usable, ACPI
 *      reclaimable, ACPI NVS, loader types; not persistent memory), writable and
 *      executable (the loader's own code runs there across the switch to long mode);
 *   2. the same physical ranges again at hhdm_offset + phys, writable, not executable;
 *   3. each kernel segment at its virtual address (PAGING_MERGE: a segment inside the
 *      identity map of its own physical memory is fine).
 * Map entries are widened to whole 4 KiB pages. Identity and HHDM use a 2 MiB page only for
 * a 2 MiB range that is all one kind in the map (usable and loader types together, or one
 * other type, or, in the low 4 GiB, no entry at all) and never for the first 2 MiB: a large
 * page over memory of different MTRR types is undefined (Intel SDM vol. 3, 11.11.9). The
 * rest gets 4 KiB pages. hhdm_offset must be 4 KiB-aligned and in
 * the upper half with room for PAGING_PLAN_PHYS_MAX (ERR_INVALID_ARG). Returns the first
 * error; res (may be NULL) says where it happened. */
err_t paging_plan_build(struct paging *pg, paging_alloc_fn alloc, paging_ptr_fn ptr, void *ctx,
                        bool nx, uint64_t table_limit, const struct memmap *map,
                        uint64_t hhdm_offset, const struct paging_segment *seg,
                        uint32_t seg_count, struct paging_plan_result *res);

#endif
