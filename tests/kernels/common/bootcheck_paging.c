/* bootcheck_paging.c: the 64-bit kernel's view through the loader's page tables: CR3 and
 * every table are PAGE_TABLES memory, the boot info is reachable identity-mapped and through
 * the higher-half direct map, and so is every usable and loader entry. 32-bit kernels run
 * with paging off: the fields must say so. */
#include "bootcheck_int.h"
#include "kio.h"

#define HHDM_MIN 0xffff800000000000ull /* the higher half starts here */

bool bc_translate(struct bc *s, uint64_t va, uint64_t *pa)
{
    uint64_t tables[BOOTCHECK_MAX_TABLES];
    unsigned n = 0;
    if (!s->env->virt_to_phys(va, pa, tables, &n))
        return false;
    for (unsigned i = 0; i < n && i < BOOTCHECK_MAX_TABLES && s->map; i++)
        if (bc_range_type(s, tables[i], BC_PAGE) != MULTIOS_MEM_PAGE_TABLES &&
            !s->table_type_failed) {
            s->table_type_failed = true;
            bc_fail(s, "page table location", "table at 0x%lx (walking 0x%lx) is type 0x%x",
                    tables[i], va, bc_range_type(s, tables[i], 1));
        }
    return true;
}

/* pa must be reachable at va = pa + offset (offset 0: identity). */
static bool expect_mapped(struct bc *s, const char *what, uint64_t offset, uint64_t pa)
{
    uint64_t got;
    if (!bc_translate(s, pa + offset, &got)) {
        bc_fail(s, what, "0x%lx not mapped", pa + offset);
        return false;
    }
    if (got != pa) {
        bc_fail(s, what, "0x%lx maps to 0x%lx, want 0x%lx", pa + offset, got, pa);
        return false;
    }
    return true;
}

void bc_check_paging(struct bc *s)
{
    const struct multios_boot_info *bi = s->bi;
    if (!s->env->long_mode) {
        if (bi->page_table_root != 0)
            bc_fail(s, "page_table_root", "0x%lx with paging off, want 0", bi->page_table_root);
        return;
    }
    uint64_t root = s->env->cr3 & ~(uint64_t)0xfff;
    if (root != bi->page_table_root)
        bc_fail(s, "page_table_root", "0x%lx but CR3 is 0x%lx", bi->page_table_root,
                s->env->cr3);
    if (s->map && bc_range_type(s, root, BC_PAGE) != MULTIOS_MEM_PAGE_TABLES)
        bc_fail(s, "cr3 location", "PML4 at 0x%lx is type 0x%x", root,
                bc_range_type(s, root, 1));
    if (bi->hhdm_offset < HHDM_MIN || (bi->hhdm_offset & 0x1fffff)) {
        bc_fail(s, "hhdm_offset", "0x%lx is not a 2 MiB-aligned higher-half address",
                bi->hhdm_offset);
        return;
    }

    /* The boot info through both views, byte for byte. */
    uint64_t b = s->env->boot_info;
    if (expect_mapped(s, "boot_info identity", 0, b) &&
        expect_mapped(s, "boot_info hhdm", bi->hhdm_offset, b)) {
        const void *id = (const void *)(uintptr_t)b;
        const void *hh = (const void *)(uintptr_t)(b + bi->hhdm_offset);
        if (memcmp(id, hh, sizeof *bi) != 0)
            bc_fail(s, "boot_info hhdm", "identity and hhdm views differ");
    }

    /* The low 4 GiB identity-mapped (firmware tables, MMIO), sampled. */
    static const uint64_t low[] = {0x0, 0x7000, 0x9f000, 0xb8000, 0xf0000, 0x100000,
                                   0x7ffff000, 0xfec00000, 0xfee00000, 0xfffff000};
    for (unsigned i = 0; i < sizeof low / sizeof low[0]; i++)
        if (!expect_mapped(s, "identity low 4 GiB", 0, low[i]))
            break;

    /* Every usable and loader entry, first and last page, both views. */
    unsigned bad = 0;
    for (uint32_t i = 0; s->map && i < s->count && bad == 0; i++) {
        const struct multios_mmap_entry *e = &s->map[i];
        if (e->type != MULTIOS_MEM_USABLE && !MULTIOS_MEM_IS_LOADER(e->type))
            continue;
        uint64_t pages[2] = {e->base & ~(uint64_t)0xfff, bc_last(e) & ~(uint64_t)0xfff};
        for (unsigned k = 0; k < 2; k++) {
            bad += !expect_mapped(s, "identity usable RAM", 0, pages[k]);
            bad += !expect_mapped(s, "hhdm usable RAM", bi->hhdm_offset, pages[k]);
        }
    }
    if (!s->failures)
        kio_printf("%s: identity and hhdm mappings ok\n", s->env->name);
}
