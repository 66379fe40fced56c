/* elf_load.c: copy a placed kernel's segments into memory: p_filesz bytes from the file, then
 * zeroes up to p_memsz (the bss). Memory is reached only through the caller's phys->pointer
 * callback, the file only through its read callback, so the same code runs in stage2 (identity
 * pointers, FAT32 reads) and in host tests (buffers). */
#include "elf.h"

#include <string.h>

/* memset/read in pieces that fit a 32-bit size_t (a segment may be up to 4 GiB - 1). */
#define CHUNK 0x40000000ull

struct mem_file {
    const uint8_t *data;
    uint64_t size;
};

static err_t mem_read(void *ctx, uint64_t offset, void *dst, uint64_t len)
{
    const struct mem_file *m = ctx;
    if (offset > m->size || len > m->size - offset)
        return ERR_TRUNCATED;
    memcpy(dst, m->data + offset, (size_t)len);
    return ERR_OK;
}

static err_t load_fail(struct elf_info *info, err_t e, uint32_t i, const char *what)
{
    return elf_fail(info, e, "segment %u: %s (%s)", (unsigned)i, what, err_str(e));
}

err_t elf_load(struct elf_info *info, elf_read_fn read, void *read_ctx, elf_phys_fn phys,
               void *phys_ctx)
{
    if (!info)
        return ERR_INVALID_ARG;
    if (info->err != ERR_OK || info->seg_count > ELF_MAX_SEGMENTS)
        return elf_fail(info, ERR_INVALID_ARG, "ELF not validated and placed");
    if (!read || !phys)
        return elf_fail(info, ERR_INVALID_ARG, "no read or memory callback");

    for (uint32_t i = 0; i < info->seg_count; i++) {
        const struct elf_segment *s = &info->seg[i];
        if (s->filesz > s->memsz || s->load > UINT64_MAX - s->memsz)
            return load_fail(info, ERR_INVALID_ARG, i, "inconsistent segment");
        uint8_t *dst = phys(phys_ctx, s->load, s->memsz);
        if (!dst)
            return load_fail(info, ERR_NOT_USABLE, i, "destination not reachable");
        for (uint64_t done = 0; done < s->filesz;) {
            uint64_t n = s->filesz - done > CHUNK ? CHUNK : s->filesz - done;
            err_t e = read(read_ctx, s->offset + done, dst + done, n);
            if (e)
                return load_fail(info, e, i, "reading the file failed");
            done += n;
        }
        for (uint64_t done = s->filesz; done < s->memsz;) {
            uint64_t n = s->memsz - done > CHUNK ? CHUNK : s->memsz - done;
            memset(dst + done, 0, (size_t)n);
            done += n;
        }
    }
    return elf_fail(info, ERR_OK, "ok");
}

err_t elf_load_mem(struct elf_info *info, const void *file, uint64_t size, elf_phys_fn phys,
                   void *phys_ctx)
{
    struct mem_file m = { file, size };
    if (!file && info)
        return elf_fail(info, ERR_INVALID_ARG, "no file");
    return elf_load(info, mem_read, &m, phys, phys_ctx);
}
