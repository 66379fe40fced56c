/* hello.c: the low-level smoke test, linked as build/stage2-hello.bin instead of the boot
 * recipe (the QEMU suite lowlevel boots it). Checks what stage1 handed over (drive, how it
 * read, its TSC stamp, the INT 6 vector it borrowed), the entry, console, every A20 method,
 * INT 12h against the BDA word it reads, and the thunk's glove box (descriptor tables,
 * segments and flags survive a call; registers and the bounce buffer go through). Ends
 * with "multios: lowlevel: PASS" and QEMU's isa-debug-exit (exit 33); any failure panics. */
#include <stdint.h>
#include <string.h>

#include "a20.h"
#include "bda.h"
#include "bios.h"
#include "console.h"
#include "int12.h"
#include "io.h"
#include "stage1_info.h"

void stage2_main(uint32_t boot_drive);

struct cpu_state {
    uint8_t gdtr[6], idtr[6];
    uint16_t cs, ds, es, fs, gs, ss;
    uint32_t eflags;
};

static void cpu_state_read(struct cpu_state *s)
{
    __asm__ volatile("sgdt %0; sidt %1" : "=m"(s->gdtr), "=m"(s->idtr));
    __asm__ volatile("mov %%cs, %0; mov %%ds, %1; mov %%es, %2"
                     : "=r"(s->cs), "=r"(s->ds), "=r"(s->es));
    __asm__ volatile("mov %%fs, %0; mov %%gs, %1; mov %%ss, %2"
                     : "=r"(s->fs), "=r"(s->gs), "=r"(s->ss));
    __asm__ volatile("pushfl; popl %0" : "=r"(s->eflags));
}

static void hello_thunk_check(void)
{
    struct cpu_state before, after;
    struct bios_regs r;
    const uint32_t smap = 0x534d4150u;
    uint8_t *bounce = (uint8_t *)(uintptr_t)BOUNCE_PHYS;
    memset(bounce, 0xcc, 24);

    /* The first E820 entry, into the bounce buffer: ES:DI, EAX..EDX in, EAX/ECX/EBX out. */
    cpu_state_read(&before);
    bios_regs_init(&r);
    r.eax = 0xe820;
    r.edx = smap;
    r.ecx = 24;
    r.es = (uint16_t)(BOUNCE_PHYS >> 4);
    r.edi = 0;
    bios_int(NULL, 0x15, &r, &r);
    cpu_state_read(&after);
    /* Arithmetic flags (CF PF AF ZF SF OF) follow whatever ran last; the rest must hold. */
    before.eflags &= ~0x8d5u;
    after.eflags &= ~0x8d5u;

    uint64_t base, len;
    uint32_t type;
    memcpy(&base, bounce, 8);
    memcpy(&len, bounce + 8, 8);
    memcpy(&type, bounce + 16, 4);
    log_info("lowlevel: thunk: E820[0] EAX=%#x CF=%d ECX=%u EBX=%u: %#llx +%#llx type %u",
             (unsigned)r.eax, bios_cf(&r), (unsigned)r.ecx, (unsigned)r.ebx,
             (unsigned long long)base, (unsigned long long)len, (unsigned)type);
    if (r.eax != smap || bios_cf(&r) || (r.ecx != 20 && r.ecx != 24))
        panic("thunk", "E820 through the thunk returned garbage");
    if (memcmp(&before, &after, sizeof before))
        panic("thunk", "GDTR, IDTR, segments or EFLAGS changed across a BIOS call "
                       "(eflags %#x -> %#x)", (unsigned)before.eflags, (unsigned)after.eflags);
    log_info("lowlevel: thunk: GDTR, IDTR, segments and EFLAGS (%#x) intact",
             (unsigned)after.eflags);
}

/* Turn A20 off (port 0x92; QEMU's gate follows the last writer), then on by each method. */
static void hello_a20_check(void)
{
    a20_enable();
    for (int m = 0; m < A20_METHODS; m++) {
        outb(0x92, (uint8_t)(inb(0x92) & ~0x03u));
        if (a20_is_enabled())
            panic("A20", "still enabled after clearing port 0x92 bit 1");
        if (!a20_try((enum a20_method)m))
            panic("A20", "%s did not enable it", a20_method_name((enum a20_method)m));
        log_info("lowlevel: A20 off, then on by %s", a20_method_name((enum a20_method)m));
    }
}

/* Paging is off: physical addresses are pointers. */
static void *hello_phys(void *ctx, uint64_t phys, uint64_t bytes)
{
    (void)ctx;
    (void)bytes;
    return (void *)(uintptr_t)phys;
}

/* INT 12h through the thunk, and the BDA word a PC BIOS answers it from. */
static void hello_low_memory_check(void)
{
    struct bios_iface bios = bios_iface_default();
    uint32_t kib = int12_kib(&bios), bda_kib = bda_base_kib(hello_phys, NULL);

    log_info("lowlevel: INT 12h: %u KiB of low memory", (unsigned)kib);
    if (kib < 256 || kib > PC_CONV_KIB)
        panic("thunk", "INT 12h returned %u KiB", (unsigned)kib);
    log_info("lowlevel: BDA: %u KiB of low memory, EBDA at 0x%x", (unsigned)bda_kib,
             (unsigned)bda_ebda(hello_phys, NULL));
    if (bda_kib != kib)
        panic("BDA", "the word at 0x%x says %u KiB, INT 12h %u KiB", PC_BDA_BASE_KIB,
              (unsigned)bda_kib, (unsigned)kib);
}

/* Stage1's info (stage1_info.h), one line each for the boot tests to read; the stamp must
 * come before stage2's own TSC, and INT 6 must be the BIOS's again (entry.asm). */
static void hello_stage1_check(void)
{
    const struct stage1_info *s = &stage2_stage1_info;
    uint64_t stamp = stage1_info_tsc(s);
    uint32_t int6 = *(volatile uint32_t *)(uintptr_t)(6 * 4);

    log_info("lowlevel: stage1: drive 0x%x, BIOS DL 0x%x", s->drive, s->bios_dl);
    if (s->sectors)
        log_info("lowlevel: stage1: read with CHS, %u heads, %u sectors a track", s->heads,
                 s->sectors);
    else
        log_info("lowlevel: stage1: read with AH=42h");
    if (stamp) {
        uint32_t lo, hi;
        __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
        uint64_t now = (uint64_t)hi << 32 | lo;
        log_info("lowlevel: stage1: TSC stamp %llu, %llu cycles before stage2's",
                 (unsigned long long)stamp, (unsigned long long)(now - stamp));
        if (now <= stamp)
            panic("stage1", "TSC stamp %llu is not before stage2's %llu",
                  (unsigned long long)stamp, (unsigned long long)now);
    } else {
        log_info("lowlevel: stage1: no TSC stamp: #UD at %04x:%04x", s->ud_cs, s->ud_ip);
    }
    if ((int6 >> 16) == 0 && (int6 & 0xffffu) - STAGE1_LOAD_ADDR < STAGE2_SECTOR)
        panic("stage1", "INT 6 still points into stage1 (%04x:%04x)", (unsigned)(int6 >> 16),
              (unsigned)(int6 & 0xffffu));
}

void stage2_main(uint32_t boot_drive)
{
    console_init();
    log_info("lowlevel: stage2 started from drive 0x%x", (unsigned)boot_drive);
    hello_stage1_check();
    hello_a20_check();

    hello_low_memory_check();
    hello_thunk_check();
    log_info("lowlevel: PASS");
    outb(0xf4, 0x10);   /* QEMU isa-debug-exit: exit code 33 */
    panic("lowlevel", "isa-debug-exit did not stop the machine");
}
