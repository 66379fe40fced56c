/* test_elf.c: elf_validate and elf_load against real linked kernels (built by tests/host/elf.mk
 * from tests/fixtures/elf/) and against hand-built files mutated one field at a time. The
 * expected addresses come from the linker scripts and from the hand-built specs, not from the
 * code under test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf.h"
#include "fake_ram.h"
#include "testutil.h"
#include "../fixtures/elf/elf_build.h"

/* ---- real kernels ---------------------------------------------------------------------- */

/* Independent reading of the fixture's program headers (plain offsets from the ELF spec), to
 * know where segment data ends without asking elf.c. */
static uint64_t ld(const uint8_t *p, int bytes)
{
    uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static uint64_t ref_data_end(const uint8_t *f, int is64)
{
    uint64_t phoff = ld(f + (is64 ? 32 : 28), is64 ? 8 : 4);
    uint64_t phnum = ld(f + (is64 ? 56 : 44), 2);
    uint64_t phent = is64 ? 56 : 32;
    uint64_t end = phoff + phnum * phent;
    for (uint64_t i = 0; i < phnum; i++) {
        const uint8_t *p = f + phoff + i * phent;
        uint64_t off = ld(p + (is64 ? 8 : 4), is64 ? 8 : 4);
        uint64_t filesz = ld(p + (is64 ? 32 : 16), is64 ? 8 : 4);
        if (off + filesz > end)
            end = off + filesz;
    }
    return end;
}

static void check_truncations(const uint8_t *file, size_t size, int is64)
{
    uint64_t need = ref_data_end(file, is64);
    assert_true(need <= size);
    struct elf_info info;
    for (size_t len = 0; len < size; len++) {
        err_t e = elf_validate(file, len, &info);
        if (len < need) {
            if (e == ERR_OK)
                fail_msg("truncated at %zu of %zu (data ends at %llu) accepted", len, size,
                         (unsigned long long)need);
            assert_int_equal(e, info.err);
            assert_true(info.reason[0] != '\0');
        } else {
            /* Only section headers/symbols are cut: nothing the loader uses. */
            assert_int_equal(e, ERR_OK);
        }
    }
}

static void test_real_kernel64(void **state)
{
    (void)state;
    size_t size;
    uint8_t *f = (uint8_t *)testutil_read_file("build/fixtures/elf/kernel64.elf", &size);
    struct elf_info info;
    assert_int_equal(elf_validate(f, size, &info), ERR_OK);
    assert_string_equal(info.reason, "ok");
    assert_int_equal(info.elf_class, ELF_CLASS_64);
    assert_int_equal(info.machine, 62);
    assert_int_equal(info.entry, 0xffffffff80100000ull); /* _start opens .text */
    assert_int_equal(info.seg_count, 2);
    assert_int_equal(info.seg[0].vaddr, 0xffffffff80100000ull);
    assert_int_equal(info.seg[0].paddr, 0x100000);
    assert_int_equal(info.seg[0].flags, ELF_PF_R | ELF_PF_X);
    assert_true(info.seg[0].filesz > 0 && info.seg[0].filesz < 0x1000);
    assert_int_equal(info.seg[1].vaddr, 0xffffffff80102000ull);
    assert_int_equal(info.seg[1].paddr, 0x102000);
    assert_int_equal(info.seg[1].flags, ELF_PF_R | ELF_PF_W);
    assert_int_equal(info.seg[1].filesz, 4);              /* one uint32_t of .data */
    assert_true(info.seg[1].memsz >= 4 + 65536);          /* plus the 64 KiB bss */
    assert_int_equal(info.entry_phys, 0x100000);
    assert_int_equal(info.vaddr_lo, 0xffffffff80100000ull);
    assert_int_equal(info.paddr_lo, 0x100000);
    assert_int_equal(info.paddr_hi, 0x102000 + info.seg[1].memsz);
    assert_int_equal(info.headers_end, 64 + 2 * 56);
    check_truncations(f, size, 1);
    free(f);
}

static void test_real_kernel32(void **state)
{
    (void)state;
    size_t size;
    uint8_t *f = (uint8_t *)testutil_read_file("build/fixtures/elf/kernel32.elf", &size);
    struct elf_info info;
    assert_int_equal(elf_validate(f, size, &info), ERR_OK);
    assert_int_equal(info.elf_class, ELF_CLASS_32);
    assert_int_equal(info.machine, 3);
    assert_int_equal(info.entry, 0x100000);
    assert_int_equal(info.seg_count, 2);
    assert_int_equal(info.seg[0].vaddr, 0x100000);
    assert_int_equal(info.seg[0].paddr, 0x100000);
    assert_int_equal(info.seg[0].flags, ELF_PF_R | ELF_PF_X);
    assert_int_equal(info.seg[1].paddr, 0x102000);
    assert_int_equal(info.seg[1].filesz, 4);
    assert_true(info.seg[1].memsz >= 4 + 65536);
    assert_int_equal(info.headers_end, 52 + 2 * 32);
    check_truncations(f, size, 0);
    free(f);
}

static void test_real_shared_page(void **state)
{
    (void)state;
    size_t size;
    uint8_t *f = (uint8_t *)testutil_read_file("build/fixtures/elf/shared64.elf", &size);
    struct elf_info info;
    assert_int_equal(elf_validate(f, size, &info), ERR_OK);
    assert_int_equal(info.seg_count, 2);
    /* data follows text in the same 4 KiB page, virtually and physically */
    assert_int_equal(info.seg[0].vaddr, 0xffffffff80200000ull);
    assert_true(info.seg[1].vaddr >= info.seg[0].vaddr + info.seg[0].memsz);
    assert_true(info.seg[1].vaddr < 0xffffffff80201000ull);
    assert_int_equal(info.seg[1].paddr - info.seg[0].paddr, info.seg[1].vaddr - info.seg[0].vaddr);
    free(f);
}

/* Headers delivered in two steps, as stage2 reads them. */
static void test_headers_in_two_steps(void **state)
{
    (void)state;
    size_t size;
    uint8_t *f = (uint8_t *)testutil_read_file("build/fixtures/elf/kernel64.elf", &size);
    struct elf_info info;
    assert_int_equal(elf_validate_headers(f, 16, size, &info), ERR_TRUNCATED);
    assert_int_equal(info.headers_end, 64);
    assert_int_equal(elf_validate_headers(f, 64, size, &info), ERR_TRUNCATED);
    assert_int_equal(info.headers_end, 176);
    assert_int_equal(elf_validate_headers(f, 176, size, &info), ERR_OK);
    assert_int_equal(info.seg_count, 2);
    /* but the segment bounds are still checked against the real file size */
    assert_int_equal(elf_validate_headers(f, 176, 0x2000, &info), ERR_TRUNCATED);
    assert_int_equal(info.headers_end, 176);
    free(f);
}

/* ---- hand-built files ------------------------------------------------------------------ */

static uint8_t buf[1 << 16];

/* A valid two-segment kernel: text RX at 1 MiB, data RW with bss right after. */
static size_t base_elf(int is64, struct tb_elf *e)
{
    memset(e, 0, sizeof(*e));
    e->is64 = is64;
    uint64_t hi = is64 ? 0xffffffff80000000ull : 0;
    e->entry = hi + 0x100010;
    e->nseg = 2;
    e->seg[0] = (struct tb_seg){ 1, 5, hi + 0x100000, 0x100000, 0x300, 0x300, 0 };
    e->seg[1] = (struct tb_seg){ 1, 6, hi + 0x101000, 0x101000, 0x80, 0x2000, 0 };
    size_t n = tb_build(e, buf, sizeof(buf));
    assert_true(n > 0);
    return n;
}

static err_t validate(size_t n, struct elf_info *info)
{
    err_t e = elf_validate(buf, n, info);
    assert_int_equal(e, info->err);
    assert_true(info->reason[0] != '\0');
    return e;
}

static void expect(size_t n, err_t want, const char *reason_part)
{
    struct elf_info info;
    err_t e = validate(n, &info);
    if (e != want || (reason_part && !strstr(info.reason, reason_part)))
        fail_msg("got %d (%s), want %d (%s)", e, info.reason, want, reason_part ? reason_part : "");
}

static void test_hand_built_ok(void **state)
{
    (void)state;
    for (int is64 = 0; is64 < 2; is64++) {
        struct tb_elf e;
        size_t n = base_elf(is64, &e);
        struct elf_info info;
        assert_int_equal(validate(n, &info), ERR_OK);
        assert_int_equal(info.seg_count, 2);
        assert_int_equal(info.seg[0].offset, e.seg[0].offset);
        assert_int_equal(info.seg[1].memsz, 0x2000);
        assert_int_equal(info.seg[1].index, 1);
        assert_int_equal(info.entry_phys, 0x100010);
        /* every truncation that cuts headers or segment data fails; the full file is fine */
        for (size_t len = 0; len < n; len++) {
            err_t r = elf_validate(buf, len, &info);
            assert_int_not_equal(r, ERR_OK);
            assert_true(r == ERR_TRUNCATED || r == ERR_BAD_MAGIC);
        }
    }
}

static void test_bad_ident(void **state)
{
    (void)state;
    for (int is64 = 0; is64 < 2; is64++) {
        struct tb_elf e;
        size_t n = base_elf(is64, &e);
        buf[1] = 'e';
        expect(n, ERR_BAD_MAGIC, "magic");
        n = base_elf(is64, &e);
        buf[4] = 0;
        expect(n, ERR_UNSUPPORTED, "class");
        buf[4] = 3;
        expect(n, ERR_UNSUPPORTED, "class");
        n = base_elf(is64, &e);
        buf[5] = 2;
        expect(n, ERR_UNSUPPORTED, "little-endian");
        n = base_elf(is64, &e);
        buf[6] = 0;
        expect(n, ERR_UNSUPPORTED, "version");
        n = base_elf(is64, &e);
        tb_w32(buf + 20, 2);
        expect(n, ERR_UNSUPPORTED, "version");
    }
}

static void test_bad_type_machine(void **state)
{
    (void)state;
    for (int is64 = 0; is64 < 2; is64++) {
        struct tb_elf e;
        size_t n = base_elf(is64, &e);
        tb_w16(buf + 16, 3); /* ET_DYN */
        expect(n, ERR_UNSUPPORTED, "ET_EXEC");
        tb_w16(buf + 16, 1); /* ET_REL */
        expect(n, ERR_UNSUPPORTED, "ET_EXEC");
        n = base_elf(is64, &e);
        tb_w16(buf + 18, 40); /* ARM */
        expect(n, ERR_UNSUPPORTED, "machine");
        tb_w16(buf + 18, is64 ? 3 : 62); /* the other x86: class and machine disagree */
        expect(n, ERR_UNSUPPORTED, "machine");
    }
}

static void test_bad_header_sizes(void **state)
{
    (void)state;
    for (int is64 = 0; is64 < 2; is64++) {
        struct tb_elf e;
        size_t n = base_elf(is64, &e);
        tb_w16(buf + tb_off_ehsize(is64), tb_ehsize(is64) + 4);
        expect(n, ERR_BAD_FORMAT, "e_ehsize");
        n = base_elf(is64, &e);
        tb_w16(buf + tb_off_phentsize(is64), tb_phentsize(is64) - 1);
        expect(n, ERR_BAD_FORMAT, "e_phentsize");
        n = base_elf(is64, &e);
        tb_w16(buf + tb_off_phnum(is64), 0);
        expect(n, ERR_BAD_FORMAT, "no program headers");
        tb_w16(buf + tb_off_phnum(is64), 0xffff);
        expect(n, ERR_BAD_FORMAT, "too many");
        tb_w16(buf + tb_off_phnum(is64), ELF_MAX_PHNUM + 1);
        expect(n, ERR_BAD_FORMAT, "too many");
        /* 256 headers: allowed by the cap, but the table runs past this small file */
        tb_w16(buf + tb_off_phnum(is64), ELF_MAX_PHNUM);
        expect(n, ERR_TRUNCATED, "program header table");
    }
}

static void test_phoff_out_of_bounds(void **state)
{
    (void)state;
    for (int is64 = 0; is64 < 2; is64++) {
        struct tb_elf e;
        size_t n = base_elf(is64, &e);
        uint8_t *phoff = buf + tb_off_phoff(is64);
        uint64_t bad[] = { n, n - 1, n - tb_phentsize(is64), 0xffffffffu, 0xfffffff0u };
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            if (is64)
                tb_w64(phoff, bad[i]);
            else
                tb_w32(phoff, bad[i]);
            expect(n, ERR_TRUNCATED, "program header table");
        }
        if (is64) {
            tb_w64(phoff, UINT64_MAX - 8); /* phoff + table would wrap */
            expect(n, ERR_TRUNCATED, "program header table");
            tb_w64(phoff, 1ull << 63);
            expect(n, ERR_TRUNCATED, "program header table");
        }
    }
}

static void test_segment_fields(void **state)
{
    (void)state;
    for (int is64 = 0; is64 < 2; is64++) {
        struct tb_elf e;
        size_t n;
        /* filesz > memsz */
        n = base_elf(is64, &e);
        e.seg[1].filesz = 0x81; e.seg[1].memsz = 0x80; e.seg[1].offset = 0;
        n = tb_build(&e, buf, sizeof(buf));
        expect(n, ERR_BAD_FORMAT, "p_filesz > p_memsz");
        /* data outside the file: offset past the end, and offset + filesz past it */
        n = base_elf(is64, &e);
        if (is64)
            tb_w64(tb_ph(buf, 1, 1, 8, 4), n);
        else
            tb_w32(tb_ph(buf, 0, 1, 8, 4), n);
        expect(n, ERR_TRUNCATED, "outside the file");
        n = base_elf(is64, &e);
        if (is64)
            tb_w64(tb_ph(buf, 1, 1, 8, 4), UINT64_MAX - 0x10); /* offset + filesz wraps */
        else
            tb_w32(tb_ph(buf, 0, 1, 8, 4), 0xfffffff0u);
        expect(n, ERR_TRUNCATED, "outside the file");
        /* vaddr + memsz overflows */
        n = base_elf(is64, &e);
        e.seg[1].vaddr = is64 ? UINT64_MAX - 0xfff : 0xfffff000u; e.seg[1].offset = 0;
        n = tb_build(&e, buf, sizeof(buf));
        expect(n, ERR_OVERFLOW, "p_vaddr");
        /* paddr + memsz overflows */
        n = base_elf(is64, &e);
        e.seg[1].paddr = is64 ? UINT64_MAX - 0xfff : 0xfffff000u; e.seg[1].offset = 0;
        n = tb_build(&e, buf, sizeof(buf));
        expect(n, ERR_OVERFLOW, "p_paddr");
    }
    /* ELF32 may end exactly at 4 GiB */
    struct tb_elf e;
    base_elf(0, &e);
    e.seg[1].vaddr = e.seg[1].paddr = 0xffffe000u; e.seg[1].offset = 0;
    expect(tb_build(&e, buf, sizeof(buf)), ERR_OK, NULL);
    /* ELF64: non-canonical and crossing the canonical hole */
    base_elf(1, &e);
    e.seg[1].vaddr = 0x0000900000000000ull; e.seg[1].offset = 0;
    expect(tb_build(&e, buf, sizeof(buf)), ERR_BAD_FORMAT, "canonical");
    base_elf(1, &e);
    e.seg[1].vaddr = 0x00007ffffffff000ull; e.seg[1].offset = 0; /* runs into the hole */
    expect(tb_build(&e, buf, sizeof(buf)), ERR_BAD_FORMAT, "canonical");
    base_elf(1, &e);
    e.seg[1].vaddr = 0x00007fffffffe000ull; e.seg[1].offset = 0; /* ends exactly at the hole */
    expect(tb_build(&e, buf, sizeof(buf)), ERR_OK, NULL);
}

static void test_overlaps(void **state)
{
    (void)state;
    for (int is64 = 0; is64 < 2; is64++) {
        uint64_t hi = is64 ? 0xffffffff80000000ull : 0;
        struct tb_elf e;
        /* virtual overlap by one byte */
        base_elf(is64, &e);
        e.seg[1].vaddr = hi + 0x1002ff; e.seg[1].paddr = 0x200000; e.seg[1].offset = 0;
        expect(tb_build(&e, buf, sizeof(buf)), ERR_OVERLAP, "overlap virtually");
        /* touching is fine */
        base_elf(is64, &e);
        e.seg[1].vaddr = hi + 0x100300; e.seg[1].paddr = 0x100300; e.seg[1].offset = 0;
        expect(tb_build(&e, buf, sizeof(buf)), ERR_OK, NULL);
        /* physical overlap only */
        base_elf(is64, &e);
        e.seg[1].paddr = 0x100200; e.seg[1].offset = 0;
        expect(tb_build(&e, buf, sizeof(buf)), ERR_OVERLAP, "overlap physically");
        /* one segment nested in another */
        base_elf(is64, &e);
        e.seg[1].vaddr = hi + 0x100100; e.seg[1].paddr = 0x100100; e.seg[1].memsz = 0x10;
        e.seg[1].filesz = 0x10;
        e.seg[1].offset = 0;
        expect(tb_build(&e, buf, sizeof(buf)), ERR_OVERLAP, "program headers 0 and 1");
    }
}

static void test_entry(void **state)
{
    (void)state;
    for (int is64 = 0; is64 < 2; is64++) {
        uint64_t hi = is64 ? 0xffffffff80000000ull : 0;
        struct tb_elf e;
        base_elf(is64, &e);
        e.entry = hi + 0x100300; /* one past the end of text */
        expect(tb_build(&e, buf, sizeof(buf)), ERR_BAD_FORMAT, "outside every segment");
        base_elf(is64, &e);
        e.entry = hi + 0x101000; /* data is not executable */
        expect(tb_build(&e, buf, sizeof(buf)), ERR_BAD_FORMAT, "non-executable");
        base_elf(is64, &e);
        e.entry = hi + 0x1002ff; /* last byte of text */
        expect(tb_build(&e, buf, sizeof(buf)), ERR_OK, NULL);
        base_elf(is64, &e);
        e.entry = 0x100010; /* the physical address is not the entry of a higher-half kernel */
        expect(tb_build(&e, buf, sizeof(buf)), is64 ? ERR_BAD_FORMAT : ERR_OK, NULL);
    }
}

static void test_segment_counts(void **state)
{
    (void)state;
    for (int is64 = 0; is64 < 2; is64++) {
        struct tb_elf e;
        /* no PT_LOAD at all (a PT_NOTE only) */
        base_elf(is64, &e);
        e.nseg = 1; e.seg[0].type = 4; e.seg[0].offset = 0;
        expect(tb_build(&e, buf, sizeof(buf)), ERR_BAD_FORMAT, "no loadable");
        /* an empty PT_LOAD is dropped, a non-LOAD header ignored */
        base_elf(is64, &e);
        e.nseg = 4;
        e.seg[0].offset = e.seg[1].offset = 0;
        e.seg[2] = (struct tb_seg){ 1, 6, 0x5000, 0x5000, 0, 0, 0 };
        e.seg[3] = (struct tb_seg){ 0x6474e551, 6, 0, 0, 0, 0, 0 }; /* PT_GNU_STACK */
        size_t n = tb_build(&e, buf, sizeof(buf));
        struct elf_info info;
        assert_int_equal(validate(n, &info), ERR_OK);
        assert_int_equal(info.seg_count, 2);
        /* ELF_MAX_SEGMENTS PT_LOADs fit, one more does not */
        for (uint32_t count = ELF_MAX_SEGMENTS; count <= ELF_MAX_SEGMENTS + 1; count++) {
            memset(&e, 0, sizeof(e));
            e.is64 = is64;
            e.nseg = count;
            e.entry = 0x100000;
            for (uint32_t i = 0; i < count; i++)
                e.seg[i] = (struct tb_seg){ 1, 5, 0x100000 + i * 0x1000, 0x100000 + i * 0x1000,
                                            0x10, 0x100, 0 };
            n = tb_build(&e, buf, sizeof(buf));
            if (count == ELF_MAX_SEGMENTS) {
                assert_int_equal(validate(n, &info), ERR_OK);
                assert_int_equal(info.seg_count, ELF_MAX_SEGMENTS);
                assert_int_equal(info.vaddr_hi, 0x100000 + (count - 1) * 0x1000 + 0x100);
            } else {
                expect(n, ERR_CAPACITY, "too many PT_LOAD");
            }
        }
    }
}

static void test_null_and_tiny(void **state)
{
    (void)state;
    struct elf_info info;
    assert_int_equal(elf_validate(NULL, 100, &info), ERR_INVALID_ARG);
    assert_int_equal(elf_validate(buf, 0, NULL), ERR_INVALID_ARG);
    static const uint8_t tiny[4] = { 0x7f, 'E', 'L', 'F' };
    assert_int_equal(elf_validate(tiny, sizeof(tiny), &info), ERR_TRUNCATED);
    assert_non_null(strstr(info.reason, "past the end"));
    assert_int_equal(elf_segment_at(&info, 0), -1);
}

/* ---- loading --------------------------------------------------------------------------- */

/* Fake physical memory [0x100000, 0x200000). */
static uint8_t ram[0x100000];
static struct fake_ram window = { 0x100000, sizeof(ram), ram };

static void test_load_real(void **state)
{
    (void)state;
    size_t size;
    uint8_t *f = (uint8_t *)testutil_read_file("build/fixtures/elf/kernel64.elf", &size);
    struct elf_info info;
    assert_int_equal(elf_validate(f, size, &info), ERR_OK);
    memset(ram, 0xaa, sizeof(ram));
    assert_int_equal(elf_load_mem(&info, f, size, fake_ram_ptr, &window), ERR_OK);
    /* text: the file's bytes at its offset */
    assert_memory_equal(ram, f + info.seg[0].offset, info.seg[0].filesz);
    /* .data holds `counter = 0x12345678` (little-endian), then the bss is zero */
    const uint8_t *data = ram + 0x2000;
    assert_int_equal(data[0], 0x78);
    assert_int_equal(data[1], 0x56);
    assert_int_equal(data[2], 0x34);
    assert_int_equal(data[3], 0x12);
    for (uint64_t i = 4; i < info.seg[1].memsz; i++)
        if (data[i] != 0)
            fail_msg("bss byte %llu not zeroed", (unsigned long long)i);
    /* nothing written past the end of the segment */
    assert_int_equal(data[info.seg[1].memsz], 0xaa);
    free(f);
}

static void test_load_hand_built(void **state)
{
    (void)state;
    struct tb_elf e;
    size_t n = base_elf(0, &e);
    struct elf_info info;
    assert_int_equal(validate(n, &info), ERR_OK);
    memset(ram, 0xaa, sizeof(ram));
    assert_int_equal(elf_load_mem(&info, buf, n, fake_ram_ptr, &window), ERR_OK);
    for (uint64_t i = 0; i < 0x300; i++)
        assert_int_equal(ram[i], tb_pattern(e.seg[0].offset + i));
    assert_int_equal(ram[0x300], 0xaa); /* gap between segments untouched */
    for (uint64_t i = 0; i < 0x2000; i++)
        assert_int_equal(ram[0x1000 + i], i < 0x80 ? tb_pattern(e.seg[1].offset + i) : 0);
    assert_int_equal(ram[0x3000], 0xaa);

    /* destination unreachable: ERR_NOT_USABLE with the segment named */
    info.seg[1].load = 0x500000;
    assert_int_equal(elf_load_mem(&info, buf, n, fake_ram_ptr, &window), ERR_NOT_USABLE);
    assert_non_null(strstr(info.reason, "segment 1"));
    /* a file shorter than the validated one: the read error is passed on */
    info.err = ERR_OK;
    info.seg[1].load = 0x101000;
    assert_int_equal(elf_load_mem(&info, buf, e.seg[1].offset + 1, fake_ram_ptr, &window), ERR_TRUNCATED);
    /* refuses an info that failed validation */
    assert_int_equal(elf_validate(buf, 3, &info), ERR_TRUNCATED);
    assert_int_equal(elf_load_mem(&info, buf, n, fake_ram_ptr, &window), ERR_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_kernel64),
        cmocka_unit_test(test_real_kernel32),
        cmocka_unit_test(test_real_shared_page),
        cmocka_unit_test(test_headers_in_two_steps),
        cmocka_unit_test(test_hand_built_ok),
        cmocka_unit_test(test_bad_ident),
        cmocka_unit_test(test_bad_type_machine),
        cmocka_unit_test(test_bad_header_sizes),
        cmocka_unit_test(test_phoff_out_of_bounds),
        cmocka_unit_test(test_segment_fields),
        cmocka_unit_test(test_overlaps),
        cmocka_unit_test(test_entry),
        cmocka_unit_test(test_segment_counts),
        cmocka_unit_test(test_null_and_tiny),
        cmocka_unit_test(test_load_real),
        cmocka_unit_test(test_load_hand_built),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
