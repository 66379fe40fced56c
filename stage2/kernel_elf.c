/* kernel_elf.c: validate, place and load an ELF kernel, with stage2's log lines and panics. */
#include "console.h"
#include "kernel_elf.h"

uint64_t kernel_elf_validate(struct kernel_file *k, struct elf_info *info)
{
    err_t e = elf_validate_headers(k->head, k->head_len, k->file.size, info);

    /* Program headers past the head: elf.h says how many bytes it needs. */
    if (e == ERR_TRUNCATED && info->headers_end > k->head_len &&
        info->headers_end <= k->file.size && info->headers_end <= KERNEL_HEAD_MAX) {
        kernel_read_head(k, (uint32_t)info->headers_end);
        e = elf_validate_headers(k->head, k->head_len, k->file.size, info);
    }
    if (e != ERR_OK)
        panic("kernel", "invalid ELF: %s", info->reason);
    log_info("kernel: ELF%u, entry 0x%llx, %u segments, virtual 0x%llx-0x%llx",
             info->elf_class == ELF_CLASS_64 ? 64u : 32u, (unsigned long long)info->entry,
             info->seg_count, (unsigned long long)info->vaddr_lo,
             (unsigned long long)info->vaddr_hi);
    if (info->paddr_hi <= info->paddr_lo)
        return 0;
    return (info->paddr_hi + ELF_PAGE_SIZE - 1) & ~(uint64_t)(ELF_PAGE_SIZE - 1);
}

struct elf_place_env kernel_elf_env(struct memory *mem, bool at_paddr)
{
    /* Everything of the loader's below 0x80000; the bitmap, heap and page tables above 1 MiB
     * are frames in use, which elf_place refuses on its own. */
    static const struct elf_avoid avoid[] = {
        { 0, MEMORY_LOADER_LOW_END, "the loader" },
    };

    return (struct elf_place_env){
        .map = &mem->map,
        .frames = &mem->frames,
        .avoid = avoid,
        .avoid_count = sizeof(avoid) / sizeof(avoid[0]),
        .kernel_type = E820_TYPE_KERNEL,
        .at_paddr = at_paddr,
    };
}

void kernel_elf_log_placed(const struct elf_info *info)
{
    for (uint32_t i = 0; i < info->seg_count; i++) {
        const struct elf_segment *s = &info->seg[i];
        log_info("kernel: segment %u: 0x%llx+0x%llx -> phys 0x%llx (%c%c%c)", i,
                 (unsigned long long)s->vaddr, (unsigned long long)s->memsz,
                 (unsigned long long)s->load, s->flags & ELF_PF_R ? 'r' : '-',
                 s->flags & ELF_PF_W ? 'w' : '-', s->flags & ELF_PF_X ? 'x' : '-');
    }
}

void kernel_elf_place(struct elf_info *info, struct memory *mem)
{
    struct elf_place_env env = kernel_elf_env(mem, false);

    if (elf_place(info, &env) != ERR_OK)
        panic("kernel", "%s", info->reason);
    kernel_elf_log_placed(info);
    if (info->relocated)
        log_info("kernel: p_paddr not free or not usable: segments placed elsewhere");
}

/* elf_read_fn over the kernel file: exactly len bytes, ERR_TRUNCATED past its end. */
static err_t kernel_elf_read(void *ctx, uint64_t offset, void *dst, uint64_t len)
{
    struct kernel_file *k = ctx;
    uint64_t got = 0;
    err_t e = volume_read(k->vol, &k->file, offset, dst, len, &got,
                          "loading the kernel's segments");

    if (e == ERR_OK && got != len)
        return ERR_TRUNCATED;
    return e;
}

void kernel_elf_load(struct kernel_file *k, struct elf_info *info)
{
    err_t e = elf_load(info, kernel_elf_read, k, memory_ptr, NULL);

    if (e != ERR_OK)
        panic("kernel", "loading %s failed: %s (%s)", k->path, info->reason, err_str(e));
    log_info("kernel: loaded at 0x%llx-0x%llx", (unsigned long long)info->load_lo,
             (unsigned long long)info->load_hi);
}
