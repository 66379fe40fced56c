/* test_bootcheck.c: the demo kernels' checks run on the host against a hand-built boot info,
 * so a checker that passes everything (or fails a correct hand-off) is caught before QEMU.
 * The fake machine, a 128 MiB q35-like map as the loader should hand it over:
 *
 *   0x0       0x1000     usable              (page 0: the IVT, usable RAM per SeaBIOS)
 *   0x1000    0x80000    loader reclaimable  (stage2, stacks; kernel stack 0x60000-0x70000)
 *   0x80000   0x9f000    usable
 *   0x9fc00   0xa0000    reserved (EBDA)     [0x9f000, 0x9fc00): sliver, left out
 *   0xf0000   0x100000   reserved (BIOS; RSDP at 0xf5a00)
 *   0x100000  0x200000   boot heap
 *   0x200000  0x210000   boot info (struct, map, raw table, cmdline, segment table)
 *   0x210000  0x212000   frame bitmap (bits, then the region table)
 *   0x212000  0x216000   kernel
 *   0x216000  0x7fe0000  usable
 *   0x7fe0000 0x8000000  reserved
 *   0xb0000000 +256 MiB  reserved (MMCONFIG)
 *   0xb8000   the EGA text buffer (the framebuffer the boot info reports), and
 *   0xfd000000 a small graphics framebuffer for the tests that report one: both in no entry
 *
 * Frame bitmap: region 0 = [0, 0x9f000) at bit 0, region 1 = [0x100000, 0x7fe0000) at bit 192
 * (word-aligned, as frames.h lays it out); a bit is set exactly where the map is not usable.
 * The expected verdicts below follow from that picture, not from running the checker. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "../common/bootcheck_int.h"
#include "../common/kio.h"
#include "fake_ram.h"

/* ---- kio stand-in: output into a buffer, exit by longjmp -------------------------------- */
static char out[1 << 16];
static size_t out_len;
static jmp_buf exit_jmp;

void kio_init(void) {}
void kio_putc(char c)
{
    if (out_len + 1 < sizeof out)
        out[out_len++] = c, out[out_len] = '\0';
}
void kio_puts(const char *s)
{
    while (*s)
        kio_putc(*s++);
}
void kio_vprintf(const char *fmt, va_list ap)
{
    /* The kernels' %lx/%lu take uint64_t, which is unsigned long on x86-64: same as libc. */
    int n = vsnprintf(out + out_len, sizeof out - out_len, fmt, ap);
    if (n > 0)
        out_len += (size_t)n < sizeof out - out_len ? (size_t)n : sizeof out - out_len - 1;
}
void kio_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kio_vprintf(fmt, ap);
    va_end(ap);
}
_Noreturn void kio_exit(unsigned code)
{
    longjmp(exit_jmp, (int)code);
}
#define HELD 0x100 /* what run() returns when the kernel holds still (kio_halt) */
_Noreturn void kio_halt(void)
{
    longjmp(exit_jmp, HELD);
}

/* ---- fake physical memory ------------------------------------------------------------- */
#define INFO_PA   0x200000u
#define MMAP_PA   0x200400u
#define RAW_PA    0x200c00u
#define CMD_PA    0x201000u
#define SEG_PA    0x201400u
#define BITS_PA   0x210000u
#define REG_PA    0x211000u
#define KERN_PA   0x212000u
#define KERN_SIZE 0x4000u
#define RSDP_PA   0xf5a00u
#define R1_FRAMES ((0x7fe0000u - 0x100000u) / 4096u)
#define R1_BIT    192u

static _Alignas(4096) uint8_t win_info[0x20000]; /* phys 0x200000..0x220000 */
static _Alignas(4096) uint8_t win_bios[0x10000]; /* phys 0xf0000..0x100000 */

#define FB_PA 0xfd000000u
#define FB_W 64u
#define FB_H 48u
static uint8_t win_text[4000];               /* phys 0xb8000 */
static uint8_t win_fb[FB_H * FB_W * 4u];     /* phys FB_PA: FB_W x FB_H, 4 bytes a pixel */

static const struct fake_ram ram_info = { 0x200000, sizeof win_info, win_info };
static const struct fake_ram ram_bios = { 0xf0000, sizeof win_bios, win_bios };
static const struct fake_ram ram_text = { 0xb8000, sizeof win_text, win_text };
static const struct fake_ram ram_fb = { FB_PA, sizeof win_fb, win_fb };

static const void *fake_phys(uint64_t pa, uint64_t len)
{
    const struct fake_ram *w[] = { &ram_info, &ram_bios, &ram_text, &ram_fb };
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
        const void *p = fake_ram_at(w[i], pa, len);
        if (p)
            return p;
    }
    return NULL;
}

static bool fake_identity(uint64_t va, uint64_t *pa, uint64_t tables[BOOTCHECK_MAX_TABLES],
                          unsigned *n)
{
    (void)tables;
    *n = 0;
    *pa = va;
    return true;
}

static struct multios_boot_info *bi;
static struct multios_mmap_entry *map;
static struct bootcheck_env env;

static const struct multios_mmap_entry good_map[] = {
    {0x0, 0x1000, 1, MULTIOS_MEM_ATTR_ENABLED},
    {0x1000, 0x7f000, MULTIOS_MEM_LOADER_RECLAIMABLE, MULTIOS_MEM_ATTR_ENABLED},
    {0x80000, 0x1f000, 1, MULTIOS_MEM_ATTR_ENABLED},
    {0x9fc00, 0x400, 2, MULTIOS_MEM_ATTR_ENABLED},
    {0xf0000, 0x10000, 2, MULTIOS_MEM_ATTR_ENABLED},
    {0x100000, 0x100000, MULTIOS_MEM_BOOT_HEAP, MULTIOS_MEM_ATTR_ENABLED},
    {0x200000, 0x10000, MULTIOS_MEM_BOOT_INFO, MULTIOS_MEM_ATTR_ENABLED},
    {0x210000, 0x2000, MULTIOS_MEM_FRAME_BITMAP, MULTIOS_MEM_ATTR_ENABLED},
    {KERN_PA, KERN_SIZE, MULTIOS_MEM_KERNEL, MULTIOS_MEM_ATTR_ENABLED},
    {0x216000, 0x7fe0000 - 0x216000, 1, MULTIOS_MEM_ATTR_ENABLED},
    {0x7fe0000, 0x20000, 2, MULTIOS_MEM_ATTR_ENABLED},
    {0xb0000000, 0x10000000, 2, MULTIOS_MEM_ATTR_ENABLED},
};
#define GOOD_COUNT (sizeof good_map / sizeof good_map[0])

static void set_bit(uint64_t bit, bool v)
{
    uint8_t *b = win_info + (BITS_PA - 0x200000) + bit / 8;
    if (v)
        *b |= (uint8_t)(1u << (bit % 8));
    else
        *b &= (uint8_t)~(1u << (bit % 8));
}

/* Bit for frame address a in the two regions (the test's own reference layout). */
static uint64_t bit_of(uint64_t a)
{
    return a < 0x100000 ? a / 4096 : R1_BIT + (a - 0x100000) / 4096;
}

/* The general registers at entry, in encoding order (setup fills the protected-mode 8). */
static uint64_t regs[16];

static int setup(void **state)
{
    (void)state;
    memset(win_info, 0, sizeof win_info);
    memset(win_bios, 0, sizeof win_bios);
    memset(win_text, 0, sizeof win_text);
    memset(win_fb, 0, sizeof win_fb);
    out_len = 0;
    out[0] = '\0';

    bi = (struct multios_boot_info *)win_info;
    map = (struct multios_mmap_entry *)(win_info + (MMAP_PA - 0x200000));
    memcpy(map, good_map, sizeof good_map);
    bi->magic = MULTIOS_BOOTINFO_MAGIC;
    bi->version = MULTIOS_BOOTINFO_VERSION;
    bi->size = sizeof *bi;
    strcpy(bi->loader_name, "MultiOS");
    strcpy(bi->loader_version, "0.1");
    bi->boot_drive = 0x80;
    bi->flags = MULTIOS_BOOT_E820;
    bi->cmdline = CMD_PA;
    strcpy((char *)win_info + (CMD_PA - 0x200000), "quiet");
    bi->rsdp = RSDP_PA;
    /* two segments filling the kernel's 0x4000 bytes: text 0x2000, data+bss 0x2000 */
    struct multios_segment *seg = (void *)(win_info + (SEG_PA - 0x200000));
    seg[0] = (struct multios_segment){KERN_PA, KERN_PA, 0x2000, KERN_PA, 5, 0};
    seg[1] = (struct multios_segment){KERN_PA + 0x2000, KERN_PA + 0x2000, 0x2000,
                                      KERN_PA + 0x2000, 6, 0};
    bi->segments = SEG_PA;
    bi->segment_count = 2;
    bi->segment_entry_size = sizeof(struct multios_segment);
    bi->module_entry_size = sizeof(struct multios_module);
    bi->kernel_phys_base = KERN_PA;
    bi->kernel_phys_size = KERN_SIZE;
    bi->kernel_entry = KERN_PA;
    bi->stack_base = 0x60000;
    bi->stack_size = 0x10000;
    bi->mmap = MMAP_PA;
    bi->mmap_count = GOOD_COUNT;
    bi->mmap_entry_size = sizeof(struct multios_mmap_entry);
    struct multios_mmap_entry *raw = (void *)(win_info + (RAW_PA - 0x200000));
    raw[0] = (struct multios_mmap_entry){0x0, 0x9fc00, 1, 0};
    raw[1] = (struct multios_mmap_entry){0x100000, 0x7ee0000, 1, 0};
    bi->e820_raw = RAW_PA;
    bi->e820_raw_count = 2;
    bi->e820_raw_entry_size = sizeof(struct multios_mmap_entry);
    bi->heap = (struct multios_heap_info){0x100000, 0x100000, 0x3000, 0x5000, 12, 0};
    bi->framebuffer = (struct multios_framebuffer){ .addr = 0xb8000, .size = 4000,
                                                    .type = MULTIOS_FB_EGA_TEXT, .pitch = 160,
                                                    .width = 80, .height = 25, .bpp = 16 };

    /* Bitmap: every bit set, then clear exactly the usable frames. */
    uint64_t nbits = R1_BIT + ((R1_FRAMES + 63) / 64) * 64;
    memset(win_info + (BITS_PA - 0x200000), 0xff, nbits / 8);
    uint64_t free = 0;
    for (size_t i = 0; i < GOOD_COUNT; i++)
        if (good_map[i].type == 1)
            for (uint64_t a = good_map[i].base; a < good_map[i].base + good_map[i].length;
                 a += 4096, free++)
                set_bit(bit_of(a), false);
    struct multios_frame_region *reg = (void *)(win_info + (REG_PA - 0x200000));
    reg[0] = (struct multios_frame_region){0x0, 0x9f, 0};
    reg[1] = (struct multios_frame_region){0x100000, R1_FRAMES, R1_BIT};
    bi->frames = (struct multios_frame_bitmap){BITS_PA, nbits / 8, REG_PA, 2, 0, 4096,
                                               0x9f + R1_FRAMES, free};

    /* A valid RSDP (revision 0): checksum byte makes the first 20 bytes sum to 0. */
    uint8_t *r = win_bios + (RSDP_PA - 0xf0000);
    memcpy(r, "RSD PTR ", 8);
    memcpy(r + 9, "BOCHS ", 6); /* r[8] is the checksum byte */
    uint8_t sum = 0;
    for (int i = 0; i < 20; i++)
        sum = (uint8_t)(sum + r[i]);
    r[8] = (uint8_t)(0x100 - sum);

    /* Entered as if called: ESP one return address (a 0) below the stack top 0x70000, so
     * ESP + 4 is 16-aligned; only EAX, EBX and ESP hold anything; CR0 = PE | ET | WP. */
    memset(regs, 0, sizeof regs);
    regs[0] = MULTIOS_BOOT_EAX_MAGIC;
    regs[3] = INFO_PA;
    regs[4] = 0x6fffc;
    env = (struct bootcheck_env){
        .name = "demo32", .boot_info = INFO_PA, .long_mode = false, .sp = 0x6fffc,
        .entry = KERN_PA, .image_start = KERN_PA, .image_end = KERN_PA + 0x3000,
        .cr3 = 0, .cpu_flags = 0x2, .cr0 = 0x10011, .check_eax = true,
        .eax = MULTIOS_BOOT_EAX_MAGIC, .regs = regs, .ret_slot = 0, .check_pic = true,
        .pic_mask = 0xffff, .phys = fake_phys, .virt_to_phys = fake_identity};
    return 0;
}

static int run(void)
{
    int code = setjmp(exit_jmp);
    if (code == 0)
        bootcheck_main(&env);
    return code;
}

/* The verdict line names the first failed check: "demo32: FAIL <what> (". */
static void assert_fails_with(const char *what)
{
    assert_int_equal(run(), 0x11);
    char want[128];
    snprintf(want, sizeof want, "demo32: FAIL %s (", what);
    if (!strstr(out, want))
        fail_msg("expected '%s' in:\n%s", want, out);
}

static void test_good_handoff_passes(void **state)
{
    (void)state;
    int code = run();
    if (code != 0x10)
        fail_msg("expected PASS: %s", strstr(out, "check failed") ? strstr(out, "check failed") : out);
    assert_non_null(strstr(out, "demo32: PASS\n"));
    assert_null(strstr(out, "check failed"));
}

/* The printed map must be the fixture format the harness parses, entry for entry. */
static void test_printed_map_is_fixture_format(void **state)
{
    (void)state;
    assert_int_equal(run(), 0x10);
    char want[GOOD_COUNT * 64] = "";
    size_t n = 0;
    for (size_t i = 0; i < GOOD_COUNT; i++)
        n += (size_t)snprintf(want + n, sizeof want - n, "mmap: 0x%llx 0x%llx %u\n",
                              (unsigned long long)good_map[i].base,
                              (unsigned long long)good_map[i].length, good_map[i].type);
    assert_non_null(strstr(out, "mmap: 12 entries\n"));
    assert_non_null(strstr(out, want));
    assert_non_null(strstr(out, "e820raw: 2 entries\ne820raw: 0x0 0x9fc00 1 0x0\n"
                                "e820raw: 0x100000 0x7ee0000 1 0x0\n"));
}

static void test_usable_frame_marked_used(void **state)
{
    (void)state;
    set_bit(bit_of(0x5000000), true);
    assert_fails_with("frame bitmap");
    assert_non_null(strstr(out, "frame 0x5000000 is used"));
}

static void test_loader_frame_marked_free(void **state)
{
    (void)state;
    set_bit(bit_of(0x150000), false); /* inside the boot heap */
    bi->frames.frames_free++;
    assert_fails_with("frame bitmap");
    assert_non_null(strstr(out, "frame 0x150000 is free"));
}

static void test_frames_free_count_wrong(void **state)
{
    (void)state;
    bi->frames.frames_free--;
    assert_fails_with("frames_free");
}

static void test_usable_frames_missing_from_bitmap(void **state)
{
    (void)state;
    /* Region 1 stops 16 frames short: those usable frames are in no region. */
    struct multios_frame_region *reg = (void *)(win_info + (REG_PA - 0x200000));
    reg[1].frames -= 16;
    bi->frames.frames_total -= 16;
    bi->frames.frames_free -= 16;
    assert_fails_with("frames coverage");
}

static void test_unsorted_map(void **state)
{
    (void)state;
    struct multios_mmap_entry t = map[2];
    map[2] = map[3];
    map[3] = t;
    assert_fails_with("mmap order");
}

static void test_overlapping_map(void **state)
{
    (void)state;
    map[9].base -= 0x1000; /* usable now overlaps the kernel's last page */
    map[9].length += 0x1000;
    assert_fails_with("mmap order");
}

static void test_unmerged_map(void **state)
{
    (void)state;
    map[5].type = MULTIOS_MEM_BOOT_INFO; /* heap entry now touches boot info, same type */
    assert_fails_with("mmap merged");
}

static void test_usable_sliver(void **state)
{
    (void)state;
    map[2].length = 0x1fc00; /* 0x80000..0x9fc00: not whole frames */
    assert_fails_with("mmap frames");
}

static void test_kernel_outside_kernel_memory(void **state)
{
    (void)state;
    env.image_start = 0x300000; /* our image would be in usable RAM */
    env.image_end = 0x303000;
    env.entry = bi->kernel_entry = 0x300000;
    assert_fails_with("kernel image");
}

static void test_kernel_region_wrong_type(void **state)
{
    (void)state;
    map[8].type = MULTIOS_MEM_BOOT_HEAP; /* kernel memory typed as heap */
    assert_int_equal(run(), 0x11);
    assert_non_null(strstr(out, "check failed: kernel location"));
}

static void test_segment_outside_kernel(void **state)
{
    (void)state;
    struct multios_segment *seg = (void *)(win_info + (SEG_PA - 0x200000));
    seg[1].phys = seg[1].paddr = KERN_PA + 0x3000; /* runs 0x1000 past the KERNEL entry */
    assert_fails_with("segment");
}

static void test_segment_not_at_paddr(void **state)
{
    (void)state;
    struct multios_segment *seg = (void *)(win_info + (SEG_PA - 0x200000));
    seg[0].paddr = 0x400000; /* protected mode: a segment cannot have moved */
    assert_fails_with("segment");
}

static void test_module_entry_size_wrong(void **state)
{
    (void)state;
    bi->module_entry_size = 24;
    assert_fails_with("module_entry_size");
}

static void test_module_table_without_modules(void **state)
{
    (void)state;
    bi->modules = SEG_PA;
    assert_fails_with("modules");
}

/* A module in usable memory (the loader must type it KERNEL), not page-aligned, and without
 * the test pattern: each is its own failure. */
static void test_module_in_usable_memory(void **state)
{
    (void)state;
    struct multios_module *m = (void *)(win_info + (SEG_PA + 0x200 - 0x200000));
    m->base = 0x216010;
    m->size = 0x100;
    m->path = CMD_PA;
    m->cmdline = CMD_PA;
    bi->modules = SEG_PA + 0x200;
    bi->module_count = 1;
    assert_fails_with("module");
    assert_non_null(strstr(out, "is not KERNEL memory"));
    assert_non_null(strstr(out, "is not page-aligned"));
    assert_non_null(strstr(out, "no MODTEST1 magic"));
    assert_non_null(strstr(out, "module: 0 0x216010 0x100 quiet \"quiet\""));
}

static void test_segment_table_missing(void **state)
{
    (void)state;
    bi->segment_count = 0;
    assert_fails_with("segments");
}

static void test_stack_in_usable_memory(void **state)
{
    (void)state;
    bi->stack_base = 0x80000;
    env.sp = regs[4] = 0x8fffc; /* the top 0x90000 less the return address */
    assert_fails_with("stack location");
}

static void test_sp_not_stack_top(void **state)
{
    (void)state;
    env.sp = regs[4] = 0x6ff0c; /* aligned as if called, but 0xf0 below the top */
    assert_fails_with("stack pointer");
}

/* The old hand-off: ESP exactly the (16-aligned) stack top, so ESP + 4 is not aligned. */
static void test_sp_at_stack_top_misaligned(void **state)
{
    (void)state;
    env.sp = regs[4] = 0x70000;
    assert_fails_with("stack alignment");
    assert_non_null(strstr(out, "sp 0x70000 is 0 mod 16, want 12"));
}

static void test_return_address_not_zero(void **state)
{
    (void)state;
    env.ret_slot = 0x8000;
    assert_fails_with("return address");
}

static void test_register_left_nonzero(void **state)
{
    (void)state;
    regs[6] = 0x1234; /* esi */
    assert_fails_with("registers");
    assert_non_null(strstr(out, "registers: esi 0x1234 at entry, want 0"));
}

static void test_ebx_not_boot_info(void **state)
{
    (void)state;
    regs[3] = INFO_PA + 0x1000;
    assert_fails_with("registers");
}

/* In long mode only RDI and RSP are named: RAX holding the EAX magic is a leftover, and the
 * R8-R15 names must come out right. The long-mode flag check fails too (the fake boot info
 * says protected mode); only the register lines are looked at here. */
static void test_long_mode_register_names(void **state)
{
    (void)state;
    memset(regs, 0, sizeof regs);
    env.long_mode = true;
    env.check_eax = false;
    env.sp = regs[4] = 0x6fff8;
    regs[7] = INFO_PA;
    regs[0] = 0x4d4f5342;
    regs[9] = 5;
    (void)run();
    assert_non_null(strstr(out, "registers: rax 0x4d4f5342 at entry, want 0"));
    assert_non_null(strstr(out, "registers: r9 0x5 at entry, want 0"));
    assert_null(strstr(out, "registers: rdi"));
    assert_null(strstr(out, "registers: rsp"));
    assert_null(strstr(out, "stack alignment"));
}

static void test_wp_clear(void **state)
{
    (void)state;
    env.cr0 = 0x11;
    assert_fails_with("cr0");
    assert_non_null(strstr(out, "WP clear"));
}

static void test_carry_flag_set(void **state)
{
    (void)state;
    env.cpu_flags = 0x3;
    assert_fails_with("flags");
}

static void test_pic_unmasked(void **state)
{
    (void)state;
    env.pic_mask = 0xfffe; /* IRQ0, the timer, open on the master */
    assert_fails_with("pic");
}

static void test_bad_magic(void **state)
{
    (void)state;
    bi->magic ^= 1;
    assert_fails_with("magic");
}

static void test_bad_eax(void **state)
{
    (void)state;
    env.eax = 0x2badb002;
    assert_fails_with("eax magic");
}

static void test_interrupts_on(void **state)
{
    (void)state;
    env.cpu_flags |= 1u << 9;
    assert_fails_with("interrupts");
}

static void test_rsdp_checksum(void **state)
{
    (void)state;
    win_bios[RSDP_PA - 0xf0000 + 9] ^= 0x40;
    assert_fails_with("rsdp");
}

static void test_boot_info_outside_boot_info_memory(void **state)
{
    (void)state;
    map[6].type = MULTIOS_MEM_LOADER_RECLAIMABLE;
    assert_fails_with("boot_info location");
}

static void test_heap_stats_inconsistent(void **state)
{
    (void)state;
    bi->heap.peak = bi->heap.used - 1;
    assert_fails_with("heap stats");
}

static void test_implausible_boot_drive(void **state)
{
    (void)state;
    bi->boot_drive = 0x42;
    assert_fails_with("boot_drive");
}

static void test_long_mode_flag_in_protected_mode(void **state)
{
    (void)state;
    bi->flags |= MULTIOS_BOOT_LONG_MODE;
    assert_fails_with("flags");
}

static void test_map_unreachable(void **state)
{
    (void)state;
    bi->mmap = 0x5000000; /* no window there */
    assert_fails_with("mmap");
}

/* The final map's entries all carry attr = enabled (the ACPI 3.0 bit): an entry with 0
 * would make an ACPI-aware kernel drop it. */
static void test_map_attr_disabled(void **state)
{
    (void)state;
    map[3].attr = 0;
    assert_fails_with("mmap attr");
}

/* ---- the framebuffer ------------------------------------------------------------------ */
/* A graphics mode in the fake window: FB_W x FB_H at `bpp` with these channels. */
static void set_rgb(unsigned bpp, unsigned pitch, const uint8_t ch[6])
{
    bi->framebuffer = (struct multios_framebuffer){
        .addr = FB_PA, .size = (uint64_t)pitch * FB_H, .type = MULTIOS_FB_RGB, .pitch = pitch,
        .width = FB_W, .height = FB_H, .bpp = (uint16_t)bpp, .vbe_mode = 0x144,
        .red_pos = ch[0], .red_size = ch[1], .green_pos = ch[2], .green_size = ch[3],
        .blue_pos = ch[4], .blue_size = ch[5] };
}

static const uint8_t xrgb8888[6] = { 16, 8, 8, 8, 0, 8 };

/* The pixel at (x, y), `bytes` wide, little-endian. */
static uint32_t pixel(unsigned x, unsigned y, unsigned pitch, unsigned bytes)
{
    uint32_t v = 0;
    for (unsigned b = 0; b < bytes; b++)
        v |= (uint32_t)win_fb[y * pitch + x * bytes + b] << (8 * b);
    return v;
}

/* The text marker on the last row, and the line the harness parses. */
static void test_text_framebuffer_marked(void **state)
{
    (void)state;
    assert_int_equal(run(), 0x10);
    assert_non_null(strstr(out, "framebuffer: type 2 addr 0xb8000 size 0xfa0 pitch 160 width "
                                "80 height 25 bpp 16 vbe_mode 0x0 red 0:0 green 0:0 blue 0:0\n"));
    const char *want = "demo32: EGA text framebuffer 80x25 at 0xb8000";
    for (size_t i = 0; want[i]; i++) {
        assert_int_equal(win_text[24 * 160 + 2 * i], want[i]);
        assert_int_equal(win_text[24 * 160 + 2 * i + 1], 0x1f);
    }
    assert_int_equal(win_text[23 * 160], 0); /* nothing above it */
}

static void test_text_framebuffer_wrong_size(void **state)
{
    (void)state;
    bi->framebuffer.width = 40;
    assert_fails_with("framebuffer");
}

static void test_no_framebuffer_type(void **state)
{
    (void)state;
    bi->framebuffer.type = MULTIOS_FB_NONE;
    assert_fails_with("framebuffer");
}

/* x:8:8:8: red = x, green = y, blue = the 256-pixel block (0 here) | 3, every pixel. */
static void test_rgb_pattern_32(void **state)
{
    (void)state;
    set_rgb(32, FB_W * 4, xrgb8888);
    assert_int_equal(run(), 0x10);
    for (unsigned y = 0; y < FB_H; y++)
        for (unsigned x = 0; x < FB_W; x++)
            assert_int_equal(pixel(x, y, FB_W * 4, 4), (x << 16) | (y << 8) | 3u);
}

/* 5:6:5 and 8:8:8 in 3 bytes, with a pitch wider than the row: each channel's top bits,
 * and nothing written between rows. */
static void test_rgb_pattern_16_and_24(void **state)
{
    (void)state;
    static const uint8_t rgb565[6] = { 11, 5, 5, 6, 0, 5 };
    set_rgb(16, FB_W * 2 + 16, rgb565);
    assert_int_equal(run(), 0x10);
    assert_int_equal(pixel(37, 21, FB_W * 2 + 16, 2), ((37u >> 3) << 11) | ((21u >> 2) << 5));
    assert_int_equal(win_fb[FB_W * 2 + 8], 0);

    setup(NULL);
    static const uint8_t bgr888[6] = { 0, 8, 8, 8, 16, 8 };
    set_rgb(24, FB_W * 3, bgr888);
    assert_int_equal(run(), 0x10);
    assert_int_equal(pixel(63, 47, FB_W * 3, 3), (3u << 16) | (47u << 8) | 63u);
}

static void test_rgb_pitch_below_row(void **state)
{
    (void)state;
    set_rgb(32, FB_W * 4 - 4, xrgb8888);
    assert_fails_with("framebuffer");
}

static void test_rgb_channels_overlap(void **state)
{
    (void)state;
    static const uint8_t overlap[6] = { 16, 8, 12, 8, 0, 8 };
    set_rgb(32, FB_W * 4, overlap);
    assert_fails_with("framebuffer");
}

static void test_rgb_size_not_pitch_times_height(void **state)
{
    (void)state;
    set_rgb(32, FB_W * 4, xrgb8888);
    bi->framebuffer.size += 4096;
    assert_fails_with("framebuffer");
}

/* A framebuffer in RAM the map hands out (the usable run above the kernel). */
static void test_rgb_in_usable_ram(void **state)
{
    (void)state;
    set_rgb(32, FB_W * 4, xrgb8888);
    bi->framebuffer.addr = 0x400000;
    assert_fails_with("framebuffer");
    assert_non_null(strstr(out, "overlaps map entry 0x216000-0x7fdffff type 1"));
}

static void test_hold_asked(void **state)
{
    (void)state;
    strcpy((char *)win_info + (CMD_PA - 0x200000), "quiet bootcheck.hold x");
    assert_int_equal(run(), HELD);
    assert_non_null(strstr(out, "demo32: PASS\ndemo32: holding for the screen check\n"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_good_handoff_passes, setup),
        cmocka_unit_test_setup(test_printed_map_is_fixture_format, setup),
        cmocka_unit_test_setup(test_usable_frame_marked_used, setup),
        cmocka_unit_test_setup(test_loader_frame_marked_free, setup),
        cmocka_unit_test_setup(test_frames_free_count_wrong, setup),
        cmocka_unit_test_setup(test_usable_frames_missing_from_bitmap, setup),
        cmocka_unit_test_setup(test_unsorted_map, setup),
        cmocka_unit_test_setup(test_map_attr_disabled, setup),
        cmocka_unit_test_setup(test_overlapping_map, setup),
        cmocka_unit_test_setup(test_unmerged_map, setup),
        cmocka_unit_test_setup(test_usable_sliver, setup),
        cmocka_unit_test_setup(test_kernel_outside_kernel_memory, setup),
        cmocka_unit_test_setup(test_kernel_region_wrong_type, setup),
        cmocka_unit_test_setup(test_segment_outside_kernel, setup),
        cmocka_unit_test_setup(test_segment_not_at_paddr, setup),
        cmocka_unit_test_setup(test_segment_table_missing, setup),
        cmocka_unit_test_setup(test_module_entry_size_wrong, setup),
        cmocka_unit_test_setup(test_module_table_without_modules, setup),
        cmocka_unit_test_setup(test_module_in_usable_memory, setup),
        cmocka_unit_test_setup(test_stack_in_usable_memory, setup),
        cmocka_unit_test_setup(test_sp_not_stack_top, setup),
        cmocka_unit_test_setup(test_sp_at_stack_top_misaligned, setup),
        cmocka_unit_test_setup(test_return_address_not_zero, setup),
        cmocka_unit_test_setup(test_register_left_nonzero, setup),
        cmocka_unit_test_setup(test_ebx_not_boot_info, setup),
        cmocka_unit_test_setup(test_long_mode_register_names, setup),
        cmocka_unit_test_setup(test_wp_clear, setup),
        cmocka_unit_test_setup(test_carry_flag_set, setup),
        cmocka_unit_test_setup(test_pic_unmasked, setup),
        cmocka_unit_test_setup(test_bad_magic, setup),
        cmocka_unit_test_setup(test_bad_eax, setup),
        cmocka_unit_test_setup(test_interrupts_on, setup),
        cmocka_unit_test_setup(test_rsdp_checksum, setup),
        cmocka_unit_test_setup(test_boot_info_outside_boot_info_memory, setup),
        cmocka_unit_test_setup(test_heap_stats_inconsistent, setup),
        cmocka_unit_test_setup(test_implausible_boot_drive, setup),
        cmocka_unit_test_setup(test_long_mode_flag_in_protected_mode, setup),
        cmocka_unit_test_setup(test_map_unreachable, setup),
        cmocka_unit_test_setup(test_text_framebuffer_marked, setup),
        cmocka_unit_test_setup(test_text_framebuffer_wrong_size, setup),
        cmocka_unit_test_setup(test_no_framebuffer_type, setup),
        cmocka_unit_test_setup(test_rgb_pattern_32, setup),
        cmocka_unit_test_setup(test_rgb_pattern_16_and_24, setup),
        cmocka_unit_test_setup(test_rgb_pitch_below_row, setup),
        cmocka_unit_test_setup(test_rgb_channels_overlap, setup),
        cmocka_unit_test_setup(test_rgb_size_not_pitch_times_height, setup),
        cmocka_unit_test_setup(test_rgb_in_usable_ram, setup),
        cmocka_unit_test_setup(test_hold_asked, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
