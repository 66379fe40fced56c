/* multiboot/main.c: the Multiboot test kernels (mb1, mb1-aout, mb2, mb2-reloc). Entered by
 * entry.inc with the state the loader left; checks the machine state (EAX magic, EBX, flat
 * segments, paging off, A20 on, interrupts off) and every field of the information
 * structure it is given, prints what the harness compares with the firmware and the
 * configuration, and leaves QEMU with pass (33) or fail (35). The lines:
 *   mbmap: N entries / mbmap: 0xBASE 0xLENGTH TYPE    the memory map, as given
 *   mb: mem_lower L mem_upper U
 *   mb: cmdline "..."            mb: loader "..."     mb: boot drive 0xD partition P
 *   mb: module I 0xSTART 0xEND "string"               mb: framebuffer ...
 *   mb: load_base 0x...  (version 2)                  <name>: PASS | FAIL ...
 * Built position-independent (-fpie, every symbol hidden, no jump tables, no tables of
 * pointers): the relocatable kernel runs wherever the loader put it. */
#pragma GCC visibility push(hidden)

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "kio.h"
#include "modcheck.h"

#define MB1_MAGIC 0x2BADB002u
#define MB2_MAGIC 0x36D76289u
/* MB_EXPECT (tests/kernels/build.mk): the version the loader must choose; 0 for the kernel
 * with both headers, which accepts either and says which it got. */

/* What entry.inc recorded (its ST_* offsets). */
struct mb_entry_state {
    uint32_t eax, ebx, ecx, edx, esi, edi, ebp, esp, eflags, ret, cr0;
    uint32_t cs, ds, es, fs, gs, ss;
};

extern char __kernel_start[], __kernel_end[];

#define MAX_MAP 128u
#define MAX_MODS 16u
#define MAX_RANGES (8u + MAX_MODS)

struct entry {
    uint64_t base, len;
    uint32_t type;
};

static struct {
    unsigned failures;
    const char *first;
    struct entry map[MAX_MAP];
    unsigned nmap;
    struct { uint32_t start, end; const char *str; } mod[MAX_MODS];
    unsigned nmod;
    struct { uint64_t base, len; } info[MAX_RANGES]; /* what the structure occupies */
    unsigned ninfo;
    uint32_t mem_lower, mem_upper;
    bool have_mem;
} k;

static void fail(const char *what, const char *fmt, ...)
{
    va_list ap;
    kio_printf("%s: check failed: %s: ", MB_NAME, what);
    va_start(ap, fmt);
    kio_vprintf(fmt, ap);
    va_end(ap);
    kio_putc('\n');
    if (!k.failures++)
        k.first = what;
}

static uint32_t rd32(uint32_t pa)
{
    return *(const volatile uint32_t *)(uintptr_t)pa;
}

static uint64_t rd64(uint32_t pa)
{
    return rd32(pa) | (uint64_t)rd32(pa + 4) << 32;
}

static uint8_t rd8(uint32_t pa)
{
    return *(const volatile uint8_t *)(uintptr_t)pa;
}

static unsigned str_len(uint32_t pa)
{
    unsigned n = 0;
    while (n < 4096 && rd8(pa + n))
        n++;
    return n;
}

static void info_range(uint64_t base, uint64_t len)
{
    if (k.ninfo < MAX_RANGES) {
        k.info[k.ninfo].base = base;
        k.info[k.ninfo].len = len;
        k.ninfo++;
    }
}

/* A string the structure points to: NUL-terminated within 4 KiB, counted as its memory. */
static const char *info_str(const char *what, uint32_t pa)
{
    unsigned n;
    if (!pa) {
        fail(what, "null pointer");
        return "";
    }
    n = str_len(pa);
    if (n == 4096) {
        fail(what, "no NUL within 4 KiB of 0x%x", pa);
        return "";
    }
    info_range(pa, n + 1u);
    return (const char *)(uintptr_t)pa;
}

static void map_add(uint64_t base, uint64_t len, uint32_t type)
{
    if (k.nmap == MAX_MAP) {
        fail("mmap", "more than %u entries", MAX_MAP);
        return;
    }
    k.map[k.nmap].base = base;
    k.map[k.nmap].len = len;
    k.map[k.nmap].type = type;
    k.nmap++;
}

/* The type of the one entry holding all of [base, base + len), 0 if none does. */
static uint32_t map_type(uint64_t base, uint64_t len)
{
    for (unsigned i = 0; i < k.nmap; i++)
        if (base >= k.map[i].base && base - k.map[i].base < k.map[i].len)
            return len <= k.map[i].len - (base - k.map[i].base) ? k.map[i].type : 0;
    return 0;
}

static bool overlap(uint64_t a, uint64_t an, uint64_t b, uint64_t bn)
{
    return a < b + bn && b < a + an;
}

/* ---- the machine state ---- */

/* A GDT descriptor the selector names: flat (base 0, 4 GiB with 4 KiB granularity), present,
 * 32-bit, code or writable data. */
static void check_segment(const char *name, uint32_t sel, bool code)
{
    struct __attribute__((packed)) { uint16_t limit; uint32_t base; } gdtr;
    uint32_t lo, hi, base, limit;

    __asm__ volatile("sgdt %0" : "=m"(gdtr));
    if ((sel & 4u) || (sel | 7u) > gdtr.limit || sel < 8u) {
        fail("segments", "%s = 0x%x is not a GDT descriptor (GDT limit 0x%x)", name, sel,
             gdtr.limit);
        return;
    }
    lo = rd32(gdtr.base + (sel & ~7u));
    hi = rd32(gdtr.base + (sel & ~7u) + 4u);
    base = (lo >> 16) | (hi & 0xffu) << 16 | (hi & 0xff000000u);
    limit = (lo & 0xffffu) | (hi & 0xf0000u);
    kio_printf("mb: %s 0x%x base 0x%x limit 0x%x%s flags 0x%x\n", name, sel, base, limit,
               hi & (1u << 23) ? "fff" : "", (hi >> 8) & 0xf0ffu);
    if (base != 0 || limit != 0xfffffu || !(hi & (1u << 23)))
        fail("segments", "%s: base 0x%x limit 0x%x G %u: not flat 4 GiB", name, base, limit,
             (hi >> 23) & 1u);
    if (!(hi & (1u << 15)) || !(hi & (1u << 22)) || !(hi & (1u << 12)))
        fail("segments", "%s: not a present 32-bit code/data descriptor (0x%x)", name, hi);
    if (code ? !(hi & (1u << 11)) : (hi & (1u << 11)) || !(hi & (1u << 9)))
        fail("segments", "%s: %s", name, code ? "not code" : "not writable data");
}

/* A20: a byte of our .bss and its alias 1 MiB lower (loader memory the map says is ours). */
static volatile uint8_t a20_probe[16];

static void check_machine(const struct mb_entry_state *st)
{
    uint32_t probe = (uint32_t)(uintptr_t)&a20_probe[8], alias = probe ^ 0x100000u;
    volatile uint8_t *a = (volatile uint8_t *)(uintptr_t)alias;
    uint8_t save = *a;

    kio_printf("mb: eax 0x%x ebx 0x%x eflags 0x%x cr0 0x%x esp 0x%x\n", st->eax, st->ebx,
               st->eflags, st->cr0, st->esp);
    if (st->eax != (MB_EXPECT == 1 ? MB1_MAGIC : MB2_MAGIC) &&
        (MB_EXPECT || st->eax != MB1_MAGIC))
        fail("eax magic", "EAX 0x%x, want Multiboot %u's", st->eax, MB_EXPECT ? MB_EXPECT : 2u);
    if (!st->ebx)
        fail("ebx", "no information structure");
    if (!(st->cr0 & 1u) || (st->cr0 & 0x80000000u))
        fail("cr0", "0x%x: want PE set and PG clear (protected mode, paging off)", st->cr0);
    if (st->eflags & ((1u << 9) | (1u << 17)))
        fail("eflags", "0x%x: IF or VM set", st->eflags);
    check_segment("cs", st->cs, true);
    check_segment("ds", st->ds, false);
    check_segment("es", st->es, false);
    check_segment("fs", st->fs, false);
    check_segment("gs", st->gs, false);
    check_segment("ss", st->ss, false);
    a20_probe[8] = 0xa5;
    *a = 0x5a;
    if (a20_probe[8] != 0xa5)
        fail("a20", "writing 0x%x changed 0x%x: A20 is off", alias, probe);
    *a = save;
}

/* ---- what the structure says, either version ---- */

static void check_map(void)
{
    bool usable = false;

    kio_printf("mbmap: %u entries\n", k.nmap);
    for (unsigned i = 0; i < k.nmap; i++) {
        const struct entry *e = &k.map[i];
        kio_printf("mbmap: 0x%lx 0x%lx %u\n", e->base, e->len, e->type);
        if (!e->len || e->base + e->len < e->base)
            fail("mmap", "entry %u: empty or wraps", i);
        if (i && e->base < k.map[i - 1].base + k.map[i - 1].len)
            fail("mmap", "entry %u at 0x%lx: unsorted or overlapping", i, e->base);
        if (e->type >= 0x1000u && e->type <= 0x1005u)
            fail("mmap", "entry %u: the loader's type 0x%x (Multiboot has E820 types only)", i,
                 e->type);
        usable |= e->type == 1u;
    }
    if (!usable)
        fail("mmap", "no available memory");
}

/* mem_lower/mem_upper must say what the map says. */
static void check_mem(void)
{
    uint64_t lower = 0, upper = 0;

    kio_printf("mb: mem_lower %u mem_upper %u\n", k.mem_lower, k.mem_upper);
    for (unsigned i = 0; i < k.nmap; i++) {
        const struct entry *e = &k.map[i];
        if (e->type != 1u)
            continue;
        if (e->base == 0)
            lower = e->len >> 10 > 640u ? 640u : e->len >> 10;
        if (e->base <= 0x100000u && e->base + e->len > 0x100000u)
            upper = (e->base + e->len - 0x100000u) >> 10;
    }
    if (!k.have_mem || k.mem_lower != lower || k.mem_upper != upper)
        fail("mem_lower/upper", "%u/%u KiB, the map says %lu/%lu", k.mem_lower, k.mem_upper,
             lower, upper);
}

static void check_modules(void)
{
    uint64_t kbase = (uintptr_t)__kernel_start, klen = (uintptr_t)__kernel_end - kbase;

    kio_printf("mb: modules %u\n", k.nmod);
    for (unsigned i = 0; i < k.nmod; i++) {
        uint32_t s = k.mod[i].start, e = k.mod[i].end;
        uint64_t span = e > s ? e - s : 1u;
        const char *why;
        kio_printf("mb: module %u 0x%x 0x%x \"%s\"\n", i, s, e, k.mod[i].str);
        if (s & 0xfffu)
            fail("module", "#%u at 0x%x is not page-aligned", i, s);
        if (e < s) {
            fail("module", "#%u ends at 0x%x before it starts", i, e);
            continue;
        }
        if (map_type(s, span) != 1u)
            fail("module", "#%u [0x%x, 0x%x) is not available memory in the map", i, s, e);
        if (overlap(s, span, kbase, klen))
            fail("module", "#%u overlaps the kernel", i);
        for (unsigned j = 0; j < i; j++)
            if (overlap(s, span, k.mod[j].start, k.mod[j].end - k.mod[j].start))
                fail("module", "#%u overlaps module %u", i, j);
        for (unsigned j = 0; j < k.ninfo; j++)
            if (overlap(s, span, k.info[j].base, k.info[j].len))
                fail("module", "#%u overlaps the information at 0x%lx", i, k.info[j].base);
        if ((why = modcheck((const uint8_t *)(uintptr_t)s, e - s)))
            fail("module", "#%u: %s", i, why);
    }
    for (unsigned j = 0; j < k.ninfo; j++) {
        if (overlap(k.info[j].base, k.info[j].len, kbase, klen))
            fail("info", "the information at 0x%lx overlaps the kernel", k.info[j].base);
        if (map_type(k.info[j].base, k.info[j].len) != 1u)
            fail("info", "the information at 0x%lx is not available memory in the map",
                 k.info[j].base);
    }
}

static void check_loader(const char *name)
{
    kio_printf("mb: loader \"%s\"\n", name);
    if (!name[0])
        fail("loader name", "empty");
}

static void check_boot_device(uint32_t drive, uint32_t part, uint32_t sub)
{
    kio_printf("mb: boot drive 0x%x partition %u sub 0x%x\n", drive, part, sub);
    if (drive < 0x80u || drive > 0x8fu || part > 3u)
        fail("boot device", "drive 0x%x partition %u: not a hard disk's MBR slot", drive, part);
}

/* EGA text, as the BIOS data area says the screen is (columns at 0x44a, rows - 1 at 0x484). */
static void check_framebuffer(uint64_t addr, uint32_t pitch, uint32_t w, uint32_t h, uint32_t bpp,
                              uint32_t type)
{
    uint32_t cols = rd8(0x44a) | (uint32_t)rd8(0x44b) << 8, rows = rd8(0x484) + 1u;

    kio_printf("mb: framebuffer 0x%lx pitch %u %ux%u bpp %u type %u\n", addr, pitch, w, h, bpp,
               type);
    if (type == 2u && (addr != 0xb8000u || w != cols || h != rows || pitch != 2u * cols ||
                       bpp != 16u))
        fail("framebuffer", "EGA text 0x%lx %ux%u pitch %u bpp %u; the BDA says %ux%u at "
             "0xb8000", addr, w, h, pitch, bpp, cols, rows);
    if (type > 2u)
        fail("framebuffer", "type %u", type);
}

/* A VBE mode's blocks (copies of the BIOS's VbeInfoBlock and ModeInfoBlock) must describe
 * the framebuffer the structure reports. */
static void check_vbe(uint32_t mode, uint32_t ctl, uint32_t info, uint64_t addr, uint32_t w,
                      uint32_t h, uint32_t bpp)
{
    kio_printf("mb: vbe mode 0x%x control 0x%x mode info 0x%x\n", mode, ctl, info);
    info_range(ctl, 512);
    info_range(info, 256);
    if (rd32(ctl) != 0x41534556u) /* "VESA" */
        fail("vbe", "the control block at 0x%x has no VESA signature", ctl);
    if (rd32(info + 40) != addr || (rd8(info + 18) | (uint32_t)rd8(info + 19) << 8) != w ||
        (rd8(info + 20) | (uint32_t)rd8(info + 21) << 8) != h || rd8(info + 25) != bpp)
        fail("vbe", "the mode block says 0x%x %ux%ux%u, the framebuffer 0x%lx %ux%ux%u",
             rd32(info + 40), rd8(info + 18) | (uint32_t)rd8(info + 19) << 8,
             rd8(info + 20) | (uint32_t)rd8(info + 21) << 8, rd8(info + 25), addr, w, h, bpp);
}

static void check_info1(uint32_t mbi)
{
    uint32_t flags = rd32(mbi), want = 0x1u | 0x2u | 0x4u | 0x8u | 0x40u | 0x200u | 0x1000u;
    uint32_t len, addr, bd;

    if (rd8(mbi + 109) == 1u) /* a VBE mode: its fields too */
        want |= 0x800u;
    info_range(mbi, 116);
    kio_printf("mb: flags 0x%x\n", flags);
    if (flags != want)
        fail("flags", "0x%x, want 0x%x (memory, boot device, cmdline, modules, map, loader "
             "name, framebuffer; no APM, drives, symbols or VBE)", flags, want);
    k.mem_lower = rd32(mbi + 4);
    k.mem_upper = rd32(mbi + 8);
    k.have_mem = flags & 1u;
    bd = rd32(mbi + 12);
    check_boot_device(bd >> 24, (bd >> 16) & 0xffu, bd & 0xffffu);
    if ((bd & 0xffffu) != 0xffffu)
        fail("boot device", "0x%x: the second and third levels must be 0xff", bd);
    kio_printf("mb: cmdline \"%s\"\n", info_str("cmdline", rd32(mbi + 16)));
    k.nmod = rd32(mbi + 20);
    if (k.nmod > MAX_MODS) {
        fail("modules", "%u, more than this kernel checks", k.nmod);
        k.nmod = 0;
    }
    info_range(rd32(mbi + 24), 16u * k.nmod);
    for (unsigned i = 0; i < k.nmod; i++) {
        uint32_t m = rd32(mbi + 24) + 16u * i;
        k.mod[i].start = rd32(m);
        k.mod[i].end = rd32(m + 4);
        k.mod[i].str = info_str("module string", rd32(m + 8));
    }
    len = rd32(mbi + 44);
    addr = rd32(mbi + 48);
    info_range(addr, len);
    for (uint32_t at = addr; at < addr + len;) {
        uint32_t size = rd32(at);
        if (size != 20u)
            fail("mmap", "entry at 0x%x: size %u, this loader gives 20", at, size);
        if (size < 20u || at + 4u + size > addr + len) {
            fail("mmap", "entry at 0x%x runs past mmap_length %u", at, len);
            break;
        }
        map_add(rd64(at + 4), rd64(at + 12), rd32(at + 20));
        at += size + 4u;
    }
    if (rd32(mbi + 52) || rd32(mbi + 56) || rd32(mbi + 68))
        fail("drives/apm", "drives 0x%x+%u, APM 0x%x: want none", rd32(mbi + 56),
             rd32(mbi + 52), rd32(mbi + 68));
    check_loader(info_str("loader name", rd32(mbi + 64)));
    check_framebuffer(rd64(mbi + 88), rd32(mbi + 96), rd32(mbi + 100), rd32(mbi + 104),
                      rd8(mbi + 108), rd8(mbi + 109));
    if (flags & 0x800u)
        check_vbe(rd8(mbi + 80) | (uint32_t)rd8(mbi + 81) << 8, rd32(mbi + 72), rd32(mbi + 76),
                  rd64(mbi + 88), rd32(mbi + 100), rd32(mbi + 104), rd8(mbi + 108));
}

/* The RSDP the firmware has (the EBDA's first KiB, then 0xe0000-0xfffff), 0 if none. */
static uint32_t find_rsdp(void)
{
    uint32_t ebda = (uint32_t)(rd8(0x40e) | rd8(0x40f) << 8) << 4;
    uint32_t from[2] = { ebda, 0xe0000u }, to[2] = { ebda + 1024u, 0x100000u };

    for (unsigned w = ebda ? 0 : 1; w < 2; w++)
        for (uint32_t p = from[w]; p + 20u <= to[w]; p += 16u) {
            uint8_t sum = 0;
            if (rd32(p) != 0x20445352u || rd32(p + 4) != 0x20525450u) /* "RSD PTR " */
                continue;
            for (unsigned i = 0; i < 20u; i++)
                sum += rd8(p + i);
            if (!sum)
                return p;
        }
    return 0;
}

static void check_acpi(uint32_t old_tag, uint32_t new_tag)
{
    uint32_t rsdp = find_rsdp(), len = 20;

    kio_printf("mb: rsdp 0x%x tags old 0x%x new 0x%x\n", rsdp, old_tag, new_tag);
    if (!rsdp) {
        if (old_tag || new_tag)
            fail("acpi", "RSDP tags without an RSDP in the BIOS areas");
        return;
    }
    if (rd8(rsdp + 15) >= 2u)
        len = rd32(rsdp + 20);
    if (!old_tag || rd32(old_tag + 4) != 28u)
        fail("acpi", "no old RSDP tag of 28 bytes");
    else
        for (unsigned i = 0; i < 20u; i++)
            if (rd8(old_tag + 8 + i) != rd8(rsdp + i)) {
                fail("acpi", "old RSDP tag byte %u differs from the RSDP at 0x%x", i, rsdp);
                break;
            }
    if (len == 20u) {
        if (new_tag)
            fail("acpi", "a new RSDP tag for an ACPI 1.0 RSDP");
        return;
    }
    if (!new_tag || rd32(new_tag + 4) != 8u + len) {
        fail("acpi", "no new RSDP tag of %u bytes", 8u + len);
        return;
    }
    for (unsigned i = 0; i < len; i++)
        if (rd8(new_tag + 8 + i) != rd8(rsdp + i)) {
            fail("acpi", "new RSDP tag byte %u differs", i);
            break;
        }
}

static void check_info2(uint32_t mbi)
{
    uint32_t total = rd32(mbi), seen[22] = { 0 }, old_acpi = 0, new_acpi = 0, vbe = 0, fb = 0;

    info_range(mbi, total);
    kio_printf("mb: total_size %u\n", total);
    if (mbi & 7u || total < 16u || total % 8u)
        fail("info", "at 0x%x, total_size %u: want 8-aligned, a multiple of 8", mbi, total);
    for (uint32_t at = 8;;) {
        uint32_t t = mbi + at, type, size;
        if (at + 8u > total) {
            fail("tags", "no end tag within total_size");
            break;
        }
        type = rd32(t);
        size = rd32(t + 4);
        if (size < 8u || size > total - at) {
            fail("tags", "tag %u at +%u: size %u", type, at, size);
            break;
        }
        if (type < 22u)
            seen[type]++;
        if (type == 0) {
            if (size != 8u || at + 8u != total)
                fail("tags", "end tag of %u bytes at +%u of %u", size, at, total);
            break;
        }
        if (type == 1u)
            kio_printf("mb: cmdline \"%s\"\n", info_str("cmdline", t + 8));
        else if (type == 2u)
            check_loader(info_str("loader name", t + 8));
        else if (type == 3u && k.nmod < MAX_MODS) {
            k.mod[k.nmod].start = rd32(t + 8);
            k.mod[k.nmod].end = rd32(t + 12);
            k.mod[k.nmod].str = info_str("module string", t + 16);
            k.nmod++;
        } else if (type == 4u) {
            k.mem_lower = rd32(t + 8);
            k.mem_upper = rd32(t + 12);
            k.have_mem = size == 16u;
        } else if (type == 5u) {
            if (size != 20u)
                fail("bootdev", "size %u", size);
            check_boot_device(rd32(t + 8), rd32(t + 12), rd32(t + 16));
        } else if (type == 6u) {
            if (rd32(t + 8) != 24u || rd32(t + 12) != 0)
                fail("mmap", "entry_size %u version %u, want 24 and 0", rd32(t + 8),
                     rd32(t + 12));
            else
                for (uint32_t e = 16; e + 24u <= size; e += 24u)
                    map_add(rd64(t + e), rd64(t + e + 8), rd32(t + e + 16));
        } else if (type == 7u) {
            vbe = t;
            if (size != 784u)
                fail("vbe", "VBE tag of %u bytes, want 784", size);
        } else if (type == 8u) {
            fb = t;
            check_framebuffer(rd64(t + 8), rd32(t + 16), rd32(t + 20), rd32(t + 24), rd8(t + 28),
                              rd8(t + 29));
        } else if (type == 14u) {
            old_acpi = t;
        } else if (type == 15u) {
            new_acpi = t;
        } else if (type == 21u) {
            uint32_t base = rd32(t + 8);
            kio_printf("mb: load_base 0x%x\n", base);
            if (base != (uint32_t)(uintptr_t)__kernel_start)
                fail("load base", "0x%x, but the kernel runs at 0x%x", base,
                     (uint32_t)(uintptr_t)__kernel_start);
        }
        at += (size + 7u) & ~7u;
    }
    for (unsigned type = 1; type < 22u; type++) {
        bool once = type == 1u || type == 2u || type == 4u || type == 5u || type == 6u ||
                    type == 8u || type == 21u;
        if (type != 3u && seen[type] > 1u)
            fail("tags", "tag %u given %u times", type, seen[type]);
        if (once && seen[type] != 1u)
            fail("tags", "tag %u missing", type);
    }
    if (seen[3] != k.nmod)
        fail("modules", "%u module tags, more than this kernel checks", seen[3]);
    if (fb && (rd8(fb + 29) == 1u) != (vbe != 0))
        fail("vbe", "a VBE tag %s, framebuffer type %u", vbe ? "given" : "missing",
             rd8(fb + 29));
    else if (vbe && fb)
        check_vbe(rd8(vbe + 8) | (uint32_t)rd8(vbe + 9) << 8, vbe + 16, vbe + 528,
                  rd64(fb + 8), rd32(fb + 20), rd32(fb + 24), rd8(fb + 28));
    check_acpi(old_acpi, new_acpi);
#ifdef MB_RELOC
    {
        uint32_t base = (uint32_t)(uintptr_t)__kernel_start;
        uint32_t end = (uint32_t)(uintptr_t)__kernel_end;
        kio_printf("mb: running at 0x%x-0x%x, linked at 0x%x\n", base, end, MB_LINKED);
        if (base == MB_LINKED || base % 0x200000u || base < 0x200000u || end > 0x40000000u)
            fail("relocation", "running at 0x%x-0x%x: want moved from 0x%x, 2 MiB-aligned, "
                 "inside [0x200000, 0x40000000]", base, end, MB_LINKED);
    }
#endif
}

_Noreturn void mb_main(const struct mb_entry_state *st);

_Noreturn void mb_main(const struct mb_entry_state *st)
{
    kio_init();
    kio_printf("%s: entered, EAX 0x%x, EBX 0x%x, running at 0x%x\n", MB_NAME, st->eax, st->ebx,
               (unsigned)(uintptr_t)__kernel_start);
    check_machine(st);
    kio_printf("mb: version %u\n", st->eax == MB1_MAGIC ? 1u : st->eax == MB2_MAGIC ? 2u : 0u);
    if (st->ebx && (st->eax == MB1_MAGIC || st->eax == MB2_MAGIC)) {
        if (st->eax == MB1_MAGIC)
            check_info1(st->ebx);
        else
            check_info2(st->ebx);
        check_map();
        check_mem();
        check_modules();
    }
    if (k.failures == 0) {
        kio_printf("%s: PASS\n", MB_NAME);
        kio_exit(KIO_EXIT_PASS);
    }
    kio_printf("%s: FAIL %s (%u failures)\n", MB_NAME, k.first, k.failures);
    kio_exit(KIO_EXIT_FAIL);
}
