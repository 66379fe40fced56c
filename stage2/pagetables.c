/* pagetables.c: a long-mode kernel's page tables over the memory map, and their log line. */
#include "console.h"
#include "pagetables.h"

/* Page-table frames: anywhere above the first MiB, below 4 GiB (CR3 is loaded from 32-bit
 * code), typed PAGE_TABLES in the map. */
static err_t pagetables_alloc(void *ctx, uint64_t *phys)
{
    struct memory *mem = ctx;
    return frames_alloc_typed(&mem->frames, &mem->map, E820_TYPE_PAGE_TABLES, 1, 0,
                              FRAMES_BELOW_4G, phys);
}

static void *pagetables_ptr(void *ctx, uint64_t phys)
{
    (void)ctx;
    return memory_ptr(NULL, phys, 4096);
}

void pagetables_build(struct paging *pg, struct memory *mem, const struct paging_segment *seg,
                      uint32_t count, bool nx)
{
    static const char *const step_name[] = { "", "the root table", "the identity map",
                                             "the direct map", "kernel segment" };
    struct paging_plan_result res = { 0 };
    err_t e;

    e = paging_plan_build(pg, pagetables_alloc, pagetables_ptr, mem, nx,
                          PAGING_TABLES_BELOW_4G, &mem->map,
                          PAGING_HHDM_OFFSET, seg, count, &res);
    if (e != ERR_OK)
        panic("paging", "building %s failed (index %d): %s",
              step_name[res.fail_step <= PAGING_STEP_KERNEL ? res.fail_step : 0],
              (int)res.fail_index, err_str(e));
    log_info("paging: CR3 0x%llx, %u tables, %llu 2 MiB + %llu 4 KiB pages, RAM mapped up to "
             "0x%llx, HHDM at 0x%llx%s",
             (unsigned long long)pg->root, pg->tables, (unsigned long long)pg->pages_2m,
             (unsigned long long)pg->pages_4k, (unsigned long long)res.identity_end,
             (unsigned long long)PAGING_HHDM_OFFSET, nx ? ", NX on" : "");
    if (res.clipped)
        log_warn("paging: %llu MiB of RAM above 64 TiB left unmapped",
                 (unsigned long long)(res.clipped >> 20));
}
