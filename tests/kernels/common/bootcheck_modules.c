/* bootcheck_modules.c: the modules the boot info lists (version 2): each page-aligned in
 * KERNEL memory, clear of the kernel's segments and of every other module, its path and
 * command line strings in loader memory, its bytes the test pattern (modcheck.h). Prints
 *   module: <i> 0xBASE 0xSIZE <path> "<cmdline>"
 * for the harness to compare with the configuration. */
#include "bootcheck_int.h"
#include "kio.h"
#include "modcheck.h"

/* A string the boot info points to: in the boot heap or boot-info memory, NUL-terminated
 * within 4 KiB. */
static const char *bc_string(struct bc *s, const char *what, uint64_t pa)
{
    const char *str = pa ? s->env->phys(pa, 4096) : 0;
    uint32_t type = bc_range_type(s, pa, 1);

    if (!str) {
        bc_fail(s, what, "0x%lx not reachable", pa);
        return 0;
    }
    if (type != MULTIOS_MEM_BOOT_HEAP && type != MULTIOS_MEM_BOOT_INFO)
        bc_fail(s, what, "string at 0x%lx in memory of type 0x%x, want boot heap or info", pa,
                type);
    for (unsigned i = 0; i < 4096; i++)
        if (str[i] == '\0')
            return str;
    bc_fail(s, what, "no NUL in the first 4 KiB at 0x%lx", pa);
    return 0;
}

static bool bc_overlap(uint64_t a, uint64_t an, uint64_t b, uint64_t bn)
{
    return a < b + bn && b < a + an;
}

void bc_check_modules(struct bc *s)
{
    const struct multios_boot_info *bi = s->bi;
    const struct multios_module *t;
    const struct multios_segment *seg;

    kio_printf("modules: %u\n", bi->module_count);
    if (bi->module_entry_size != sizeof(struct multios_module)) {
        bc_fail(s, "module_entry_size", "%u, want %u", bi->module_entry_size,
                (unsigned)sizeof(struct multios_module));
        return;
    }
    if (bi->module_count == 0) {
        if (bi->modules != 0)
            bc_fail(s, "modules", "0x%lx with no modules, want 0", bi->modules);
        return;
    }
    t = s->env->phys(bi->modules, (uint64_t)bi->module_count * sizeof(*t));
    seg = s->env->phys(bi->segments, (uint64_t)bi->segment_count * sizeof(*seg));
    if (!t || !seg || !s->map) {
        bc_fail(s, "modules", "table at 0x%lx not reachable", bi->modules);
        return;
    }
    if (bc_range_type(s, bi->modules, (uint64_t)bi->module_count * sizeof(*t)) !=
        MULTIOS_MEM_BOOT_INFO)
        bc_fail(s, "modules", "table at 0x%lx not in boot-info memory", bi->modules);
    for (uint32_t i = 0; i < bi->module_count; i++) {
        const struct multios_module *m = &t[i];
        const char *path = bc_string(s, "module path", m->path);
        const char *cmd = bc_string(s, "module cmdline", m->cmdline);
        uint64_t span = m->size ? m->size : 1;
        const uint8_t *bytes = s->env->phys(m->base, span);
        const char *why;

        kio_printf("module: %u 0x%lx 0x%lx %s \"%s\"\n", i, m->base, m->size,
                   path ? path : "?", cmd ? cmd : "?");
        if (m->base % BC_PAGE)
            bc_fail(s, "module", "#%u at 0x%lx is not page-aligned", i, m->base);
        if (m->base + span > 0x100000000ull)
            bc_fail(s, "module", "#%u at 0x%lx runs past 4 GiB", i, m->base);
        if (bc_range_type(s, m->base, span) != MULTIOS_MEM_KERNEL)
            bc_fail(s, "module", "#%u [0x%lx, +0x%lx) is not KERNEL memory", i, m->base, span);
        for (uint32_t k = 0; k < bi->segment_count; k++)
            if (bc_overlap(m->base, span, seg[k].phys, seg[k].memsz))
                bc_fail(s, "module", "#%u overlaps kernel segment %u", i, k);
        for (uint32_t k = 0; k < i; k++)
            if (bc_overlap(m->base, span, t[k].base, t[k].size ? t[k].size : 1))
                bc_fail(s, "module", "#%u overlaps module %u", i, k);
        if (!bytes)
            bc_fail(s, "module", "#%u at 0x%lx not reachable", i, m->base);
        else if ((why = modcheck(bytes, m->size)))
            bc_fail(s, "module", "#%u: %s", i, why);
    }
}
