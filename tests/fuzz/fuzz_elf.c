/* fuzz_elf.c: libFuzzer harness for the ELF validator, placement and loader. Input: an ELF
 * file. Whatever validate/place/load answer, the harness re-checks it independently: an OK
 * from validate means every invariant the loader relies on holds (re-derived here from the
 * result, with overflow-safe arithmetic), an OK from place means every segment sits in frames
 * it reserved, below 4 GiB, clear of the loader, with paging-consistent offsets (or, placed
 * with paging off as for a Multiboot kernel, at its p_paddr); a refusal leaves the allocator
 * and the map as they were. Any violation aborts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf.h"
#include "fake_ram.h"
#include "frames.h"
#include "fuzz_check.h"
#include "memmap.h"

#define MiB 0x100000ull
#define RAM_BYTES (16 * MiB)

/* A 16 MiB machine: low RAM, the BIOS hole, RAM from 1 MiB to 16 MiB, a reserved top page. */
static const struct e820_entry raw_map[] = {
    { 0, 0x9fc00, 1, 0 },
    { 0x9fc00, 0x400, 2, 0 },
    { 0xf0000, 0x10000, 2, 0 },
    { 0x100000, 0xf00000, 1, 0 },
    { 0xfffc0000, 0x40000, 2, 0 },
};

static struct e820_entry map_store[64];
static uint64_t scratch[MEMMAP_SCRATCH_BYTES(8) / 8];
/* The machine's RAM, where frames_init puts its bitmap and elf_load_mem the kernel. */
static struct fake_ram ram;

static bool overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return alen && blen && a < b + blen && b < a + alen;
}

static void check_validated(const struct elf_info *in, const uint8_t *data, size_t size)
{
    CHECK(in->err == ERR_OK);
    CHECK(in->seg_count >= 1 && in->seg_count <= ELF_MAX_SEGMENTS);
    CHECK(in->elf_class == data[4]);
    CHECK(in->machine == (in->elf_class == ELF_CLASS_64 ? ELF_EM_X86_64 : ELF_EM_386));
    CHECK(in->headers_end <= size);
    bool is64 = in->elf_class == ELF_CLASS_64;
    bool entry_ok = false;
    for (uint32_t i = 0; i < in->seg_count; i++) {
        const struct elf_segment *s = &in->seg[i];
        CHECK(s->memsz > 0 && s->filesz <= s->memsz);
        CHECK(s->filesz <= size && s->offset <= size - s->filesz);
        CHECK(s->vaddr <= UINT64_MAX - s->memsz && s->paddr <= UINT64_MAX - s->memsz);
        if (!is64) {
            CHECK(s->vaddr + s->memsz <= 0x100000000ull);
            CHECK(s->paddr + s->memsz <= 0x100000000ull);
        } else {
            uint64_t last = s->vaddr + s->memsz - 1;
            CHECK((s->vaddr >> 47) == (last >> 47));
            CHECK((s->vaddr >> 47) == 0 || (s->vaddr >> 47) == 0x1ffff);
        }
        if ((s->flags & ELF_PF_X) && in->entry >= s->vaddr && in->entry - s->vaddr < s->memsz)
            entry_ok = true;
        for (uint32_t j = i + 1; j < in->seg_count; j++) {
            CHECK(!overlap(s->vaddr, s->memsz, in->seg[j].vaddr, in->seg[j].memsz));
            CHECK(!overlap(s->paddr, s->memsz, in->seg[j].paddr, in->seg[j].memsz));
        }
    }
    CHECK(entry_ok);
}

/* paged: an ELF64 run with paging (segments may move, a virtual page one physical page);
 * otherwise every segment sits at its p_paddr. */
static void check_placed(const struct elf_info *in, const struct frames *f,
                         const struct memmap *m, bool paged)
{
    bool is64 = paged;
    for (uint32_t i = 0; i < in->seg_count; i++) {
        const struct elf_segment *s = &in->seg[i];
        CHECK(s->load <= ELF_LOAD_LIMIT && s->memsz <= ELF_LOAD_LIMIT - s->load);
        CHECK(!overlap(s->load, s->memsz, 0, 0x80000)); /* the loader */
        if (!is64)
            CHECK(s->load == s->paddr);
        else
            CHECK((s->load & 0xfff) == (s->vaddr & 0xfff));
        for (uint64_t a = s->load & ~0xfffull; a < s->load + s->memsz; a += 0x1000) {
            bool fr = true;
            CHECK(frames_is_free(f, a, &fr) == ERR_OK && !fr);
            CHECK(memmap_type_at(m, a) == E820_TYPE_KERNEL);
        }
        for (uint32_t j = i + 1; j < in->seg_count; j++) {
            const struct elf_segment *t = &in->seg[j];
            CHECK(!overlap(s->load, s->memsz, t->load, t->memsz));
            /* one virtual page, one physical page */
            uint64_t sp0 = s->vaddr >> 12, sp1 = (s->vaddr + s->memsz - 1) >> 12;
            uint64_t tp0 = t->vaddr >> 12, tp1 = (t->vaddr + t->memsz - 1) >> 12;
            if (is64 && sp0 <= tp1 && tp0 <= sp1)
                CHECK(s->load - s->vaddr == t->load - t->vaddr);
        }
    }
    int at = elf_segment_at(in, in->entry);
    CHECK(at >= 0);
    CHECK(in->entry_phys == in->entry - in->seg[at].vaddr + in->seg[at].load);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct elf_info info;
    err_t e = elf_validate(data, size, &info);
    CHECK(e == info.err);
    CHECK(info.reason[0] != '\0' && memchr(info.reason, 0, sizeof(info.reason)));
    /* headers in two steps agree with the whole file */
    struct elf_info part;
    uint64_t first = size < 64 ? size : 64;
    err_t e2 = elf_validate_headers(data, first, size, &part);
    if (e2 == ERR_TRUNCATED && part.headers_end > first && part.headers_end <= size)
        e2 = elf_validate_headers(data, part.headers_end, size, &part);
    CHECK(e2 == e);
    if (e != ERR_OK)
        return 0;
    check_validated(&info, data, size);
    CHECK(part.seg_count == info.seg_count && part.entry == info.entry);

    /* place against a fresh 16 MiB world whose low memory the loader holds (as stage2) */
    static struct memmap m;
    static struct frames f;
    memmap_init(&m, map_store, 64);
    CHECK(memmap_sanitize(&m, raw_map, NULL, 5, scratch, sizeof(scratch), NULL) == ERR_OK);
    if (!ram.bytes)
        ram = (struct fake_ram){ 0, RAM_BYTES, calloc(1, RAM_BYTES) };
    CHECK(ram.bytes && frames_init(&f, &m, 4096, 8 * MiB, fake_ram_ptr, &ram) == ERR_OK);
    CHECK(frames_reserve_typed(&f, &m, E820_TYPE_LOADER_RECLAIMABLE, 0, 0x80) == ERR_OK);
    static const struct elf_avoid avoid[] = { { 0, 0x80000, "the loader" } };
    /* paging off (a Multiboot kernel) for inputs of odd size: every segment at p_paddr */
    struct elf_place_env env = { &m, &f, avoid, 1, E820_TYPE_KERNEL, size & 1 };
    struct frames_stats before, after;
    frames_stats(&f, &before);
    uint64_t kernel_before = memmap_bytes_of_type(&m, E820_TYPE_KERNEL);
    e = elf_place(&info, &env);
    CHECK(e == info.err);
    frames_stats(&f, &after);
    if (e != ERR_OK) {
        CHECK(after.free == before.free);
        CHECK(memmap_bytes_of_type(&m, E820_TYPE_KERNEL) == kernel_before);
        return 0;
    }
    check_placed(&info, &f, &m, info.elf_class == ELF_CLASS_64 && !env.at_paddr);
    CHECK(!(env.at_paddr && info.relocated));

    e = elf_load_mem(&info, data, size, fake_ram_ptr, &ram);
    CHECK(e == ERR_OK); /* everything placed is inside the 16 MiB of fake RAM */
    for (uint32_t i = 0; i < info.seg_count; i++) {
        const struct elf_segment *s = &info.seg[i];
        CHECK(memcmp(ram.bytes + s->load, data + s->offset, (size_t)s->filesz) == 0);
        if (s->memsz > s->filesz) {
            CHECK(ram.bytes[s->load + s->filesz] == 0 && ram.bytes[s->load + s->memsz - 1] == 0);
        }
    }
    return 0;
}
