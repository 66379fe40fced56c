/* elf.c: ELF32/ELF64 header validation. Nothing in the file is trusted until every field used
 * later (by placement, loading and paging) has been checked here; every read is bounds-checked
 * against the buffer and every sum against overflow. */
#include "elf.h"

#include <stdarg.h>
#include <string.h>

#include "format.h"
#include "le.h"

#define EI_NIDENT 16u
#define EH32_SIZE 52u
#define EH64_SIZE 64u
#define PH32_SIZE 32u
#define PH64_SIZE 56u
#define PN_XNUM   0xffffu

/* ---- the result: info->err and the reason, formatted by the core's printf engine ---------- */

err_t elf_fail(struct elf_info *info, err_t e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    info->err = e;
    format_vsnprint(info->reason, sizeof(info->reason), fmt, ap);
    va_end(ap);
    return e;
}

/* "program header N: <what>" */
static err_t fail_ph(struct elf_info *info, err_t e, uint32_t ph, const char *what)
{
    return elf_fail(info, e, "program header %u: %s", (unsigned)ph, what);
}

/* The headers need n bytes: either the file is too short (for good) or the caller must give
 * us more of it. */
static err_t need_bytes(struct elf_info *info, uint64_t n, uint64_t buf_len, uint64_t file_size,
                        const char *what)
{
    info->headers_end = n;
    if (n > file_size)
        return elf_fail(info, ERR_TRUNCATED, "%s past the end of the file (%llu bytes)", what,
                        (unsigned long long)file_size);
    if (n > buf_len)
        return elf_fail(info, ERR_TRUNCATED, "headers need %llu bytes, have %llu",
                        (unsigned long long)n, (unsigned long long)buf_len);
    return ERR_OK;
}

/* x86-64 4-level paging: bits 63..47 all equal. */
static bool canonical(uint64_t a)
{
    uint64_t top = a >> 47;
    return top == 0 || top == 0x1ffffu;
}

static bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    /* Both ranges are known not to wrap. */
    return a < b + blen && b < a + alen;
}

/* Decode program header i into seg (raw fields only). */
static uint32_t read_phdr(const uint8_t *ph, bool is64, struct elf_segment *seg)
{
    uint32_t type = le_read32(ph);
    if (is64) {
        seg->flags = le_read32(ph + 4);
        seg->offset = le_read64(ph + 8);
        seg->vaddr = le_read64(ph + 16);
        seg->paddr = le_read64(ph + 24);
        seg->filesz = le_read64(ph + 32);
        seg->memsz = le_read64(ph + 40);
    } else {
        seg->offset = le_read32(ph + 4);
        seg->vaddr = le_read32(ph + 8);
        seg->paddr = le_read32(ph + 12);
        seg->filesz = le_read32(ph + 16);
        seg->memsz = le_read32(ph + 20);
        seg->flags = le_read32(ph + 24);
    }
    seg->load = seg->paddr;
    return type;
}

/* Checks on one PT_LOAD segment on its own. */
static err_t check_segment(struct elf_info *info, const struct elf_segment *s, bool is64,
                           uint64_t file_size)
{
    /* ELF32 addresses must stay below 4 GiB; ELF64 ones must not wrap 2^64 (the end is
     * exclusive, so a segment may not touch the very last byte either). */
    uint64_t limit = is64 ? UINT64_MAX : 0x100000000ull;

    if (s->filesz > s->memsz)
        return fail_ph(info, ERR_BAD_FORMAT, s->index, "p_filesz > p_memsz");
    if (s->filesz > file_size || s->offset > file_size - s->filesz)
        return fail_ph(info, ERR_TRUNCATED, s->index, "segment data outside the file");
    if (s->memsz > limit || s->vaddr > limit - s->memsz)
        return fail_ph(info, ERR_OVERFLOW, s->index, "p_vaddr + p_memsz overflows");
    if (s->paddr > limit - s->memsz)
        return fail_ph(info, ERR_OVERFLOW, s->index, "p_paddr + p_memsz overflows");
    if (is64 && (!canonical(s->vaddr) || !canonical(s->vaddr + s->memsz - 1u) ||
                 (s->vaddr >> 47) != ((s->vaddr + s->memsz - 1u) >> 47)))
        return fail_ph(info, ERR_BAD_FORMAT, s->index, "non-canonical virtual address");
    return ERR_OK;
}

static err_t check_pairs(struct elf_info *info)
{
    for (uint32_t i = 0; i < info->seg_count; i++) {
        const struct elf_segment *a = &info->seg[i];
        for (uint32_t j = i + 1; j < info->seg_count; j++) {
            const struct elf_segment *b = &info->seg[j];
            const char *what = NULL;
            if (ranges_overlap(a->vaddr, a->memsz, b->vaddr, b->memsz))
                what = " overlap virtually";
            else if (ranges_overlap(a->paddr, a->memsz, b->paddr, b->memsz))
                what = " overlap physically";
            if (what)
                return elf_fail(info, ERR_OVERLAP, "program headers %u and %u%s",
                                (unsigned)a->index, (unsigned)b->index, what);
        }
    }
    return ERR_OK;
}

static void compute_spans(struct elf_info *info)
{
    info->vaddr_lo = info->paddr_lo = UINT64_MAX;
    info->vaddr_hi = info->paddr_hi = 0;
    for (uint32_t i = 0; i < info->seg_count; i++) {
        const struct elf_segment *s = &info->seg[i];
        if (s->vaddr < info->vaddr_lo)
            info->vaddr_lo = s->vaddr;
        if (s->vaddr + s->memsz > info->vaddr_hi)
            info->vaddr_hi = s->vaddr + s->memsz;
        if (s->paddr < info->paddr_lo)
            info->paddr_lo = s->paddr;
        if (s->paddr + s->memsz > info->paddr_hi)
            info->paddr_hi = s->paddr + s->memsz;
    }
}

/* The ELF header (e_ident and the fixed fields). */
static err_t check_ehdr(struct elf_info *info, const uint8_t *f, uint64_t buf_len,
                        uint64_t file_size, bool *is64)
{
    err_t e = need_bytes(info, EI_NIDENT, buf_len, file_size, "ELF identification");
    if (e)
        return e;
    if (f[0] != 0x7f || f[1] != 'E' || f[2] != 'L' || f[3] != 'F')
        return elf_fail(info, ERR_BAD_MAGIC, "bad magic (not an ELF file)");
    if (f[4] != ELF_CLASS_32 && f[4] != ELF_CLASS_64)
        return elf_fail(info, ERR_UNSUPPORTED, "unknown ELF class (neither 32- nor 64-bit)");
    if (f[5] != 1)
        return elf_fail(info, ERR_UNSUPPORTED, "not little-endian (EI_DATA)");
    if (f[6] != 1)
        return elf_fail(info, ERR_UNSUPPORTED, "unknown ELF version (EI_VERSION)");
    *is64 = f[4] == ELF_CLASS_64;
    info->elf_class = f[4];

    uint32_t ehsize = *is64 ? EH64_SIZE : EH32_SIZE;
    e = need_bytes(info, ehsize, buf_len, file_size, "ELF header");
    if (e)
        return e;
    if (le_read16(f + 16) != ELF_ET_EXEC)
        return elf_fail(info, ERR_UNSUPPORTED, "not an executable (e_type != ET_EXEC)");
    info->machine = le_read16(f + 18);
    if (info->machine != (*is64 ? ELF_EM_X86_64 : ELF_EM_386))
        return elf_fail(info, ERR_UNSUPPORTED,
                        *is64 ? "64-bit ELF for a machine other than x86-64"
                              : "32-bit ELF for a machine other than i386");
    if (le_read32(f + 20) != 1)
        return elf_fail(info, ERR_UNSUPPORTED, "unknown ELF version (e_version)");
    uint32_t hdr_ehsize = le_read16(f + (*is64 ? 52 : 40));
    if (hdr_ehsize != ehsize)
        return elf_fail(info, ERR_BAD_FORMAT, "wrong e_ehsize");
    return ERR_OK;
}

err_t elf_validate_headers(const void *buf, uint64_t buf_len, uint64_t file_size,
                           struct elf_info *out)
{
    if (!out)
        return ERR_INVALID_ARG;
    memset(out, 0, sizeof(*out));
    if (!buf)
        return elf_fail(out, ERR_INVALID_ARG, "no file");
    if (buf_len > file_size)
        buf_len = file_size;
    const uint8_t *f = buf;
    bool is64 = false;

    err_t e = check_ehdr(out, f, buf_len, file_size, &is64);
    if (e)
        return e;

    uint64_t phoff = is64 ? le_read64(f + 32) : le_read32(f + 28);
    uint32_t phentsize = le_read16(f + (is64 ? 54 : 42));
    uint32_t phnum = le_read16(f + (is64 ? 56 : 44));
    out->entry = is64 ? le_read64(f + 24) : le_read32(f + 24);

    if (phentsize != (is64 ? PH64_SIZE : PH32_SIZE))
        return elf_fail(out, ERR_BAD_FORMAT, "wrong e_phentsize");
    if (phnum == 0)
        return elf_fail(out, ERR_BAD_FORMAT, "no program headers");
    if (phnum == PN_XNUM || phnum > ELF_MAX_PHNUM)
        return elf_fail(out, ERR_BAD_FORMAT, "too many program headers (e_phnum)");
    /* phnum * phentsize <= 256 * 56, so only phoff can overflow the sum. */
    uint64_t table = (uint64_t)phnum * phentsize;
    if (phoff > file_size || table > file_size - phoff) {
        out->headers_end = 0;
        return elf_fail(out, ERR_TRUNCATED, "program header table outside the file");
    }
    uint64_t hdr_end = phoff + table;
    if (hdr_end < (is64 ? EH64_SIZE : EH32_SIZE))
        hdr_end = is64 ? EH64_SIZE : EH32_SIZE;
    e = need_bytes(out, hdr_end, buf_len, file_size, "program header table");
    if (e)
        return e;

    for (uint32_t i = 0; i < phnum; i++) {
        struct elf_segment s;
        memset(&s, 0, sizeof(s));
        s.index = i;
        if (read_phdr(f + phoff + (uint64_t)i * phentsize, is64, &s) != ELF_PT_LOAD)
            continue;
        e = check_segment(out, &s, is64, file_size);
        if (e)
            return e;
        if (s.memsz == 0)
            continue; /* loads nothing; keeps the overlap and entry rules simple */
        if (out->seg_count == ELF_MAX_SEGMENTS)
            return elf_fail(out, ERR_CAPACITY, "too many PT_LOAD segments");
        out->seg[out->seg_count++] = s;
    }
    if (out->seg_count == 0)
        return elf_fail(out, ERR_BAD_FORMAT, "no loadable (PT_LOAD) segment");
    e = check_pairs(out);
    if (e)
        return e;

    int at = elf_segment_at(out, out->entry);
    if (at < 0)
        return elf_fail(out, ERR_BAD_FORMAT, "entry point outside every segment");
    if (!(out->seg[at].flags & ELF_PF_X))
        return elf_fail(out, ERR_BAD_FORMAT, "entry point in a non-executable segment");

    compute_spans(out);
    out->load_lo = out->paddr_lo;
    out->load_hi = out->paddr_hi;
    out->entry_phys = out->entry - out->seg[at].vaddr + out->seg[at].paddr;
    return elf_fail(out, ERR_OK, "ok");
}

err_t elf_validate(const void *file, uint64_t size, struct elf_info *out)
{
    return elf_validate_headers(file, size, size, out);
}

int elf_segment_at(const struct elf_info *info, uint64_t vaddr)
{
    for (uint32_t i = 0; i < info->seg_count && i < ELF_MAX_SEGMENTS; i++) {
        const struct elf_segment *s = &info->seg[i];
        if (vaddr >= s->vaddr && vaddr - s->vaddr < s->memsz)
            return (int)i;
    }
    return -1;
}
