/* bootcheck.c: print the boot info in the form the QEMU tests parse, run every check, give
 * the verdict. The line formats are part of the test interface (tests/qemu/checks.py and
 * mapcheck.py):
 *   mmap: 0xBASE 0xLENGTH TYPE          the final map, fixture format after the prefix
 *   e820raw: 0xBASE 0xLENGTH TYPE 0xATTR the firmware's table, in its order
 *   framebuffer: ...                     the screen (bootcheck_fb.c)
 *   <name>: PASS  |  <name>: FAIL <first failed check> (<n> failures) */
#include "bootcheck_int.h"
#include "kio.h"

void bc_fail(struct bc *s, const char *what, const char *fmt, ...)
{
    va_list ap;
    kio_printf("%s: check failed: %s: ", s->env->name, what);
    va_start(ap, fmt);
    kio_vprintf(fmt, ap);
    va_end(ap);
    kio_putc('\n');
    if (!s->failures++)
        s->first = what;
}

/* A fixed-size char field must hold a NUL; print it only if it does. */
static const char *bounded_str(const char *field, unsigned size)
{
    for (unsigned i = 0; i < size; i++)
        if (field[i] == '\0')
            return field;
    return 0;
}

static bool check_header(struct bc *s)
{
    const struct multios_boot_info *bi = s->bi;
    if (bi->magic != MULTIOS_BOOTINFO_MAGIC) {
        bc_fail(s, "magic", "0x%lx, want 0x%lx", bi->magic, (uint64_t)MULTIOS_BOOTINFO_MAGIC);
        return false; /* nothing else in the structure can be trusted */
    }
    if (bi->version != MULTIOS_BOOTINFO_VERSION)
        bc_fail(s, "version", "%u, want %u", bi->version, MULTIOS_BOOTINFO_VERSION);
    if (bi->size != sizeof(struct multios_boot_info))
        bc_fail(s, "size", "%u, want %u", bi->size, (unsigned)sizeof(struct multios_boot_info));

    const char *name = bounded_str(bi->loader_name, sizeof bi->loader_name);
    const char *ver = bounded_str(bi->loader_version, sizeof bi->loader_version);
    if (!name || !name[0])
        bc_fail(s, "loader_name", "empty or not NUL-terminated");
    if (!ver || !ver[0])
        bc_fail(s, "loader_version", "empty or not NUL-terminated");
    kio_printf("bootinfo: version %u size %u flags 0x%x loader \"%s\" \"%s\"\n", bi->version,
               bi->size, bi->flags, name ? name : "?", ver ? ver : "?");

    bool lm = (bi->flags & MULTIOS_BOOT_LONG_MODE) != 0;
    if (lm != s->env->long_mode)
        bc_fail(s, "flags", "LONG_MODE flag %u but kernel entered in %s mode", lm,
                s->env->long_mode ? "long" : "protected");
    uint32_t src = bi->flags & (MULTIOS_BOOT_E820 | MULTIOS_BOOT_E801 | MULTIOS_BOOT_INT15_88 |
                                MULTIOS_BOOT_LOW_GUESS);
    if (src == 0 || (src & (src - 1)) != 0)
        bc_fail(s, "flags", "map source bits 0x%x: want exactly one", src);

    /* Plausible BIOS drive numbers: floppies 0x00-0x03, hard disks 0x80-0x8f. */
    kio_printf("bootinfo: boot_drive 0x%x\n", bi->boot_drive);
    if (!(bi->boot_drive <= 0x03 || (bi->boot_drive >= 0x80 && bi->boot_drive <= 0x8f)))
        bc_fail(s, "boot_drive", "0x%x is not a BIOS drive number", bi->boot_drive);

    kio_printf("bootinfo: kernel phys 0x%lx size 0x%lx entry 0x%lx\n", bi->kernel_phys_base,
               bi->kernel_phys_size, bi->kernel_entry);
    kio_printf("bootinfo: stack 0x%lx size 0x%lx sp 0x%lx\n", bi->stack_base, bi->stack_size,
               s->env->sp);
    kio_printf("bootinfo: hhdm 0x%lx page_table_root 0x%lx cr3 0x%lx\n", bi->hhdm_offset,
               bi->page_table_root, s->env->cr3);
    kio_printf("bootinfo: rsdp 0x%lx cmdline 0x%lx\n", bi->rsdp, bi->cmdline);
    return true;
}

/* A .data pattern the loader must have copied from the file and a .bss area it must have
 * zeroed (several pages, so a loader that zeroes only the first page is caught). */
static volatile uint32_t data_probe[4] = {0x4d4f5342u, 0xdeadbeefu, 0x01234567u, 0x89abcdefu};
static volatile uint8_t bss_probe[3 * 4096 + 123];

/* Entered as if called (SysV): the stack pointer one return address below a 16-byte boundary
 * and that return address 0; every general register the contract does not name is 0; both
 * PICs masked. */
static void check_entry_call(struct bc *s)
{
    static const char *const name64[16] = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi",
                                           "rdi", "r8",  "r9",  "r10", "r11", "r12", "r13",
                                           "r14", "r15"};
    static const char *const name32[8] = {"eax", "ecx", "edx", "ebx",
                                          "esp", "ebp", "esi", "edi"};
    const struct bootcheck_env *env = s->env;
    bool lm = env->long_mode;
    uint64_t want_mod = lm ? 8u : 12u;

    if (env->sp % 16u != want_mod)
        bc_fail(s, "stack alignment", "sp 0x%lx is %lu mod 16, want %lu (%s + %u aligned)",
                env->sp, env->sp % 16u, want_mod, lm ? "rsp" : "esp", lm ? 8u : 4u);
    if (env->ret_slot != 0)
        bc_fail(s, "return address", "0x%lx at [sp], want 0", env->ret_slot);
    if (env->regs) {
        unsigned n = lm ? 16u : 8u;
        for (unsigned i = 0; i < n; i++) {
            /* encoding order: 0 ax, 3 bx, 4 sp, 7 di */
            bool named = i == 4 || (lm ? i == 7 : (i == 0 || i == 3));
            if (!named && env->regs[i] != 0)
                bc_fail(s, "registers", "%s 0x%lx at entry, want 0",
                        lm ? name64[i] : name32[i], env->regs[i]);
        }
        if (env->regs[4] != env->sp)
            bc_fail(s, "registers", "recorded sp 0x%lx is not sp 0x%lx", env->regs[4], env->sp);
        if (env->regs[lm ? 7 : 3] != env->boot_info)
            bc_fail(s, "registers", "%s 0x%lx is not the boot info 0x%lx", lm ? "rdi" : "ebx",
                    env->regs[lm ? 7 : 3], env->boot_info);
    }
    if (env->check_pic && env->pic_mask != 0xffffu)
        bc_fail(s, "pic", "8259 masks 0x%x (slave, master) at entry, want 0xffff",
                env->pic_mask);
}

static void check_entry_state(struct bc *s)
{
    const struct bootcheck_env *env = s->env;
    if (env->check_eax && env->eax != MULTIOS_BOOT_EAX_MAGIC)
        bc_fail(s, "eax magic", "EAX 0x%x, want 0x%x", env->eax, MULTIOS_BOOT_EAX_MAGIC);
    if (!(env->cr0 & 1u))
        bc_fail(s, "cr0", "PE clear (CR0 0x%lx)", env->cr0);
    if (((env->cr0 >> 31) & 1u) != (env->long_mode ? 1u : 0u))
        bc_fail(s, "cr0", "PG %s in %s mode (CR0 0x%lx)", env->long_mode ? "clear" : "set",
                env->long_mode ? "long" : "protected", env->cr0);
    if (!(env->cr0 & (1u << 16)))
        bc_fail(s, "cr0", "WP clear: read-only pages writable at CPL 0 (CR0 0x%lx)", env->cr0);
    if (env->cpu_flags & (1u << 9))
        bc_fail(s, "interrupts", "IF set at entry (EFLAGS 0x%lx)", env->cpu_flags);
    if (env->cpu_flags & (1u << 10))
        bc_fail(s, "direction", "DF set at entry (EFLAGS 0x%lx)", env->cpu_flags);
    if ((env->cpu_flags & ~(uint64_t)0x2) != 0)
        bc_fail(s, "flags", "EFLAGS 0x%lx at entry, want 0x2", env->cpu_flags);
    check_entry_call(s);
    if (data_probe[0] != 0x4d4f5342u || data_probe[1] != 0xdeadbeefu ||
        data_probe[2] != 0x01234567u || data_probe[3] != 0x89abcdefu)
        bc_fail(s, "data segment", ".data not loaded from the file");
    for (unsigned i = 0; i < sizeof bss_probe; i++)
        if (bss_probe[i]) {
            bc_fail(s, "bss", "byte %u of .bss is 0x%x, not zero", i, bss_probe[i]);
            break;
        }
}

static void print_tables(struct bc *s)
{
    const struct multios_boot_info *bi = s->bi;
    const struct multios_sanitize_report *r = &bi->sanitize;

    kio_printf("mmap: %u entries\n", bi->mmap_count);
    if (s->map)
        for (uint32_t i = 0; i < s->count; i++)
            kio_printf("mmap: 0x%lx 0x%lx %u\n", s->map[i].base, s->map[i].length,
                       s->map[i].type);

    kio_printf("e820raw: %u entries\n", bi->e820_raw_count);
    if (bi->e820_raw_entry_size != sizeof(struct multios_mmap_entry))
        bc_fail(s, "e820_raw_entry_size", "%u, want %u", bi->e820_raw_entry_size,
                (unsigned)sizeof(struct multios_mmap_entry));
    else if (bi->e820_raw_count == 0 || bi->e820_raw_count > BC_RAW_MAX)
        bc_fail(s, "e820_raw_count", "%u not in 1..%u", bi->e820_raw_count, BC_RAW_MAX);
    else {
        uint64_t bytes = (uint64_t)bi->e820_raw_count * sizeof(struct multios_mmap_entry);
        const struct multios_mmap_entry *raw = s->env->phys(bi->e820_raw, bytes);
        if (!raw)
            bc_fail(s, "e820_raw", "0x%lx not reachable", bi->e820_raw);
        else
            for (uint32_t i = 0; i < bi->e820_raw_count; i++)
                kio_printf("e820raw: 0x%lx 0x%lx %u 0x%x\n", raw[i].base, raw[i].length,
                           raw[i].type, raw[i].attr);
    }

    kio_printf("sanitize: overlaps %u zero_length %u type_zero %u wraps_clipped %u "
               "attr_ignored %u merged %u unsorted %u\n",
               r->overlaps, r->zero_length, r->type_zero, r->wraps_clipped, r->attr_ignored,
               r->merged, r->unsorted);
    kio_printf("frames: bitmap 0x%lx bytes 0x%lx regions 0x%lx count %u granularity 0x%lx "
               "total %lu free %lu\n",
               bi->frames.bitmap, bi->frames.bitmap_bytes, bi->frames.regions,
               bi->frames.region_count, bi->frames.granularity, bi->frames.frames_total,
               bi->frames.frames_free);
    kio_printf("heap: base 0x%lx size 0x%lx used 0x%lx peak 0x%lx allocations %u failures %u\n",
               bi->heap.base, bi->heap.size, bi->heap.used, bi->heap.peak,
               bi->heap.allocations, bi->heap.failures);
}

_Noreturn void bootcheck_main(const struct bootcheck_env *env)
{
    struct bc s = {.env = env};

    kio_printf("%s: entered in %s mode, boot info at 0x%lx\n", env->name,
               env->long_mode ? "long" : "protected", env->boot_info);
    check_entry_state(&s);
    s.bi = env->phys(env->boot_info, sizeof(struct multios_boot_info));
    if (!s.bi)
        bc_fail(&s, "boot_info", "0x%lx not reachable", env->boot_info);
    else if (check_header(&s)) {
        bc_check_map(&s);
        print_tables(&s);
        bc_check_locations(&s);
        bc_check_kernel(&s);
        bc_check_segments(&s);
        bc_check_paging(&s);
        bc_check_frames(&s);
        bc_check_rsdp(&s);
        bc_check_framebuffer(&s);
        bc_check_modules(&s);
    }

    if (s.failures == 0) {
        kio_printf("%s: PASS\n", env->name);
        if (s.bi && bc_hold_asked(&s)) {
            kio_printf("%s: holding for the screen check\n", env->name);
            kio_halt();
        }
        kio_exit(KIO_EXIT_PASS);
    }
    kio_printf("%s: FAIL %s (%u failures)\n", env->name, s.first, s.failures);
    kio_exit(KIO_EXIT_FAIL);
}
