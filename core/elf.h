/* elf.h: the kernel loader's ELF32/ELF64 support, in three separate steps:
 *   1. elf_validate  - check every header field before anything is trusted (pure, no memory map);
 *   2. elf_place     - decide where each PT_LOAD segment goes in physical memory, against the
 *                      memory map and the frame allocator, and reserve those frames;
 *   3. elf_load      - copy p_filesz bytes of each segment and zero the rest of p_memsz, through
 *                      a phys->pointer callback.
 * Pure core: no BIOS, no allocation, every input (however hostile) gets ERR_OK or an error code
 * plus a human-readable reason in elf_info.reason (stage2 prints it after "invalid ELF: ").
 *
 * Typical stage2 use (the file may be read in two steps so its buffer never sits where the
 * kernel wants to go):
 *     struct elf_info ki;
 *     e = elf_validate_headers(hdr_buf, hdr_len, file_size, &ki);  // or elf_validate(file,...)
 *     if (e == ERR_TRUNCATED && ki.headers_end > hdr_len) -> read ki.headers_end bytes, retry
 *     if (e) panic("kernel", "invalid ELF: %s", ki.reason);
 *     e = elf_place(&ki, &env);            // ERR_OVERLAP: "... overlaps ...", ERR_NO_MEMORY: "too large"
 *     if (e) panic("kernel", "%s", ki.reason);
 *     e = elf_load(&ki, read_file, fctx, phys_to_ptr, NULL);  // or elf_load_mem()
 * Afterwards ki.seg[i].load is where segment i went (its vaddr maps there, for ELF64 paging),
 * ki.entry is the entry point (virtual for ELF64; physical == virtual for ELF32, paging off). */
#ifndef ELF_H
#define ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "memmap.h"

#include "frames.h"

/* e_ident[EI_CLASS] values; elf_info.elf_class holds one of them. */
#define ELF_CLASS_32 1u
#define ELF_CLASS_64 2u

#define ELF_EM_386    3u
#define ELF_EM_X86_64 62u

#define ELF_ET_EXEC 2u
#define ELF_PT_LOAD 1u

/* p_flags */
#define ELF_PF_X 1u
#define ELF_PF_W 2u
#define ELF_PF_R 4u

/* Caps. A kernel with more PT_LOAD segments than ELF_MAX_SEGMENTS is refused (ERR_CAPACITY);
 * e_phnum above ELF_MAX_PHNUM is refused as insane (ERR_BAD_FORMAT). */
#define ELF_MAX_SEGMENTS 16u
#define ELF_MAX_PHNUM    256u

/* Page size used for placement and reservation (frames are 4 KiB). */
#define ELF_PAGE_SIZE 4096u

/* Where stage2 can copy to: every placed byte ends below this (32-bit pointers). */
#define ELF_LOAD_LIMIT 0x100000000ull

/* One PT_LOAD segment, as found in the file plus where elf_place put it. */
struct elf_segment {
    uint64_t vaddr;   /* p_vaddr */
    uint64_t paddr;   /* p_paddr as the file asks */
    uint64_t filesz;  /* p_filesz (<= memsz) */
    uint64_t memsz;   /* p_memsz (> 0: empty PT_LOADs are dropped by validation) */
    uint64_t offset;  /* p_offset ([offset, offset+filesz) is inside the file) */
    uint32_t flags;   /* ELF_PF_* */
    uint32_t index;   /* index of this program header in the file (for messages) */
    uint64_t load;    /* physical address the segment was placed at (set by elf_place;
                         == paddr unless an ELF64 segment was relocated) */
};

struct elf_info {
    err_t    err;            /* result of the last step (validate/place/load) */
    char     reason[96];     /* NUL-terminated, never empty after a step ran: "ok" or why not,
                                e.g. "program header 2: p_filesz > p_memsz",
                                "segment 1 (phdr 2) at 0x8000-0x9000 overlaps the loader" */
    uint32_t elf_class;      /* ELF_CLASS_32 or ELF_CLASS_64 */
    uint32_t machine;        /* ELF_EM_386 or ELF_EM_X86_64 */
    uint64_t entry;          /* e_entry (inside an executable PT_LOAD segment's vaddr range) */
    uint64_t entry_phys;     /* set by elf_place: e_entry translated through its segment
                                (entry - vaddr + load). ELF32 kernels run with paging off:
                                jump HERE. ELF64: jump to `entry` (virtual, paged). */
    uint64_t headers_end;    /* bytes of the file the headers need: max(ehsize, phoff+phnum*phentsize) */
    uint32_t seg_count;      /* PT_LOAD segments with p_memsz > 0, in file order */
    struct elf_segment seg[ELF_MAX_SEGMENTS];
    uint64_t vaddr_lo, vaddr_hi; /* [lo, hi): union span of the segments' virtual ranges */
    uint64_t paddr_lo, paddr_hi; /* same for p_paddr as the file asks */
    /* Set by elf_place: */
    uint64_t load_lo, load_hi;   /* [lo, hi): span of the placed segments (kernel_phys_base/size) */
    bool     relocated;          /* at least one ELF64 segment was not placed at its p_paddr */
};

/* Validate a whole ELF file held in memory: file[0..size). Fills *out (always, also on error:
 * out->err and out->reason say what failed). Checks, each with its own reason:
 *   size >= 16 and magic (ERR_BAD_MAGIC); class 32/64 (ERR_UNSUPPORTED); data = LSB
 *   (ERR_UNSUPPORTED); EI_VERSION and e_version = 1 (ERR_UNSUPPORTED); e_type = ET_EXEC
 *   (ERR_UNSUPPORTED); e_machine matches the class (EM_386 for 32, EM_X86_64 for 64;
 *   ERR_UNSUPPORTED); file holds the ELF header and e_ehsize is right (ERR_TRUNCATED /
 *   ERR_BAD_FORMAT); e_phentsize is the class's size, e_phnum in 1..ELF_MAX_PHNUM (and not
 *   PN_XNUM) (ERR_BAD_FORMAT); program-header table inside the file (ERR_TRUNCATED);
 *   for each PT_LOAD: p_filesz <= p_memsz, [p_offset, p_offset+p_filesz) inside the file
 *   (ERR_TRUNCATED), p_vaddr+p_memsz and p_paddr+p_memsz do not wrap (ERR_OVERFLOW; for ELF32
 *   not past 4 GiB either); ELF64 virtual ranges canonical (ERR_BAD_FORMAT); p_align is not
 *   checked (we copy bytes, we do not mmap); at most ELF_MAX_SEGMENTS non-empty PT_LOADs (ERR_CAPACITY); at least one
 *   (ERR_BAD_FORMAT); no two segments overlap virtually or physically (ERR_OVERLAP); e_entry
 *   inside a PF_X segment (ERR_BAD_FORMAT).
 * Never reads outside file[0..size). */
err_t elf_validate(const void *file, uint64_t size, struct elf_info *out);

/* Same, when only the first buf_len bytes of a file of file_size bytes are in memory: segment
 * bounds are checked against file_size, headers must lie in buf[0..buf_len). If they do not,
 * returns ERR_TRUNCATED with out->headers_end > buf_len (and <= file_size): read that many bytes
 * and call again. elf_validate(f, n, o) == elf_validate_headers(f, n, n, o). */
err_t elf_validate_headers(const void *buf, uint64_t buf_len, uint64_t file_size,
                           struct elf_info *out);

/* A physical range that belongs to the loader (its image, stacks, bounce buffer...). */
struct elf_avoid {
    uint64_t base;
    uint64_t end;     /* exclusive */
    const char *name; /* for the reason, e.g. "the loader"; NULL means "the loader" */
};

/* What placement works against. */
struct elf_place_env {
    struct memmap *map;            /* sanitized memory map; the kernel's frames are written
                                      back into it as kernel_type */
    struct frames *frames;         /* frame allocator: free frames are checked with it, and the
                                      kernel's frames are reserved/allocated in it */
    const struct elf_avoid *avoid; /* loader-owned ranges no segment may overlap */
    uint32_t avoid_count;
    uint32_t kernel_type;          /* memory type the kernel's frames get in the map the
                                      frame allocator writes back (E820_TYPE_KERNEL) */
    bool at_paddr;                 /* the kernel runs with paging off whatever its class (a
                                      Multiboot kernel): ELF64 segments too are placed at
                                      p_paddr or refused, as ELF32 ones always are */
};

/* Place the validated segments of *info (from elf_validate) and reserve their frames.
 * Rules (every segment is page-granular: its frames are [paddr & ~4095, round_up(paddr+memsz))):
 *   - Any segment whose p_paddr range overlaps an env->avoid range: ERR_OVERLAP,
 *     "segment N (...) overlaps the loader" (both classes: a kernel linked for another loader).
 *   - A kernel whose pages cannot fit in the free usable RAM below 4 GiB at all:
 *     ERR_NO_MEMORY, "kernel too large: ..." (checked before the overlap tests below, so a
 *     kernel with a huge bss says "too large", not "overlaps reserved memory").
 *   - ELF32 (paging off, runs at p_paddr): every page must be usable RAM (type 1) that is
 *     free in the frame allocator and below 4 GiB, else ERR_OVERLAP "segment N (...) overlaps
 *     reserved memory / memory in use / ...".
 *   - ELF64 (unless env->at_paddr, which places it as ELF32): each group of segments
 *     sharing virtual pages is placed at its p_paddr when all
 *     of its pages are usable, free and below 4 GiB; otherwise the group is relocated to free
 *     frames below 4 GiB, keeping each byte's offset within its page and the group's layout:
 *     lowest address first above 1 MiB (2 MiB-aligned for a group of 2 MiB or more whose
 *     virtual start is 2 MiB-aligned, when such a run is free), below 1 MiB only as a last
 *     resort; ERR_NO_MEMORY "kernel too large ..." if no run fits.
 * On success the frames are reserved (the allocator records them as env->kernel_type) and
 * info->seg[i].load, load_lo/hi, relocated are set. On error nothing stays reserved. */
err_t elf_place(struct elf_info *info, const struct elf_place_env *env);

/* Pointer through which physical [phys, phys+len) can be written, or NULL if it cannot. In
 * stage2 this is (void *)(uintptr_t)phys; host tests map into a buffer. */
typedef void *(*elf_phys_fn)(void *ctx, uint64_t phys, uint64_t len);
/* Read len bytes of the ELF file at `offset` into dst (e.g. a FAT32 file read). */
typedef err_t (*elf_read_fn)(void *ctx, uint64_t offset, void *dst, uint64_t len);

/* Copy each placed segment: p_filesz bytes from the file to seg.load, then zero up to
 * p_memsz. Errors: a NULL pointer from `phys` (ERR_NOT_USABLE), the read callback's error as
 * is. Sets info->err/reason. */
err_t elf_load(struct elf_info *info, elf_read_fn read, void *read_ctx,
               elf_phys_fn phys, void *phys_ctx);
/* Same, with the whole file in memory (file[0..size), as given to elf_validate). */
err_t elf_load_mem(struct elf_info *info, const void *file, uint64_t size,
                   elf_phys_fn phys, void *phys_ctx);

/* Index of the segment whose virtual range contains vaddr, or -1. */
int elf_segment_at(const struct elf_info *info, uint64_t vaddr);

/* Internal, shared by the elf*.c files: info->err = e and info->reason = the printf-style
 * message (core/format.h, cut to fit); returns e. */
err_t elf_fail(struct elf_info *info, err_t e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
