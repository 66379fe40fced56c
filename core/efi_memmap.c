/* efi_memmap.c: reading the descriptor array GetMemoryMap() returns and converting it to raw
 * E820 entries for memmap_sanitize. The type rules are Linux's; what it calls invalid, the
 * UEFI spec's limits decide here (see efi_memmap_range). */
#include "efi_memmap.h"
#include "le.h"

err_t efi_memmap_init(struct efi_memmap *m, const void *buf, size_t map_size, size_t desc_size,
                      uint32_t desc_version)
{
    *m = (struct efi_memmap){ 0 };
    if (!buf && map_size > 0)
        return ERR_INVALID_ARG;
    /* A DescriptorSize below the version-1 layout is not a map we can read; one above it is
     * padding (EDK2 pads to 48 bytes, which Linux 2.6 greeted with "Kernel-defined memdesc
     * doesn't match the one from EFI!"). */
    if (desc_size < EFI_MEMORY_DESCRIPTOR_SIZE)
        return ERR_BAD_FORMAT;
    if (desc_version == 0)
        return ERR_UNSUPPORTED;
    size_t count = map_size / desc_size;
    if (count > UINT32_MAX)
        return ERR_CAPACITY;
    m->buf = buf;
    m->desc_size = desc_size;
    m->desc_version = desc_version;
    m->count = (uint32_t)count;
    m->trailing = (uint32_t)(map_size % desc_size);
    return ERR_OK;
}

void efi_memmap_get(const struct efi_memmap *m, uint32_t i, struct efi_memory_descriptor *d)
{
    /* Step by DescriptorSize, never by sizeof: i * desc_size stays inside the buffer, since
     * count * desc_size <= map_size. */
    const uint8_t *p = m->buf + (size_t)i * m->desc_size;
    d->type = le_read32(p);
    d->pad = le_read32(p + 4);
    d->physical_start = le_read64(p + 8);
    d->virtual_start = le_read64(p + 16);
    d->number_of_pages = le_read64(p + 24);
    d->attribute = le_read64(p + 32);
}

/* The conversion of Linux's do_add_efi_memmap() (arch/x86/platform/efi/efi.c, read in Linux
 * 5.10.13; unchanged in substance since 5.5, when EFI_MEMORY_SP came in):
 *   - loader code/data, boot services code/data and conventional memory: soft reserved
 *     (0xefffffff) with EFI_MEMORY_SP (Linux: unless booted efi=nosoftreserve; SP wins over
 *     WB), else usable with EFI_MEMORY_WB, else reserved: memory that cannot be mapped
 *     write-back is not RAM a kernel may use as such;
 *   - ACPI reclaim -> 3, ACPI NVS -> 4, unusable -> 5, persistent -> 7 (E820 PMEM);
 *   - everything else, including runtime services, MMIO, MMIO port space, PAL code,
 *     reserved, unaccepted (type 15: it must be accepted before use, which a loader that
 *     does not do TDX/SEV-SNP acceptance cannot do) and OEM/OS/unassigned types: reserved.
 * Boot services memory counts as usable because the loader calls ExitBootServices() before
 * the kernel runs. Linux's EFI stub (setup_e820() in drivers/firmware/efi/libstub/
 * x86-stub.c) differs: it ignores WB and skips unknown types instead of reserving them. */
uint32_t efi_memmap_e820_type(uint32_t efi_type, uint64_t attribute)
{
    switch (efi_type) {
    case EFI_LOADER_CODE:
    case EFI_LOADER_DATA:
    case EFI_BOOT_SERVICES_CODE:
    case EFI_BOOT_SERVICES_DATA:
    case EFI_CONVENTIONAL_MEMORY:
        if (attribute & EFI_MEMORY_SP)
            return E820_TYPE_SOFT_RESERVED;
        return (attribute & EFI_MEMORY_WB) ? E820_TYPE_RAM : E820_TYPE_RESERVED;
    case EFI_ACPI_RECLAIM_MEMORY:
        return E820_TYPE_ACPI;
    case EFI_ACPI_MEMORY_NVS:
        return E820_TYPE_NVS;
    case EFI_UNUSABLE_MEMORY:
        return E820_TYPE_UNUSABLE;
    case EFI_PERSISTENT_MEMORY:
        return E820_TYPE_PMEM;
    default:
        return E820_TYPE_RESERVED;
    }
}

/* The UEFI spec (EFI_MEMORY_DESCRIPTOR, 2.10 section 7.2.3): "NumberOfPages must not be 0,
 * and must not be any value that would represent a memory page with a start address ...
 * above 0xfffffffffffff000". So a descriptor may end exactly at 2^64 but not past it.
 * Linux drops such descriptors too (efi_clean_memmap(), "Invalid EFI memory map entries",
 * since 4.9), rather than clip them: a NumberOfPages that wraps is garbage, and trusting it
 * could invent terabytes of RAM or reserve away all the real RAM above it. */
bool efi_memmap_range(const struct efi_memory_descriptor *d, uint64_t *base, uint64_t *length,
                      const char **why)
{
    uint64_t start = d->physical_start, pages = d->number_of_pages;
    const char *reason = NULL;
    /* Bytes from start to 2^64, in whole pages: (2^64 - start) >> 12 without the 65-bit
     * number; 2^52 pages when start is 0. */
    uint64_t room = start ? (0u - start) >> EFI_PAGE_SHIFT : 1ull << (64 - EFI_PAGE_SHIFT);
    if (pages == 0)
        reason = "zero pages";
    else if (pages > room || (start == 0 && pages == room))
        reason = "out of range"; /* past 2^64, or all 2^64 bytes (no length holds that) */
    if (why)
        *why = reason;
    if (reason)
        return false;
    *base = start;
    *length = pages << EFI_PAGE_SHIFT;
    return true;
}

static bool efi_usable_type(uint32_t t)
{
    return t == EFI_LOADER_CODE || t == EFI_LOADER_DATA || t == EFI_BOOT_SERVICES_CODE ||
           t == EFI_BOOT_SERVICES_DATA || t == EFI_CONVENTIONAL_MEMORY;
}

err_t efi_memmap_to_e820(const struct efi_memmap *m, struct e820_entry *out, uint32_t cap,
                         uint32_t *count, struct efi_memmap_report *rep)
{
    struct efi_memmap_report r = { 0 };
    uint32_t n = 0;

    *count = 0;
    r.descriptors = m->count;
    r.trailing_bytes = m->trailing;
    r.newer_version = m->desc_version > EFI_MEMORY_DESCRIPTOR_VERSION;
    for (uint32_t i = 0; i < m->count; i++) {
        struct efi_memory_descriptor d;
        uint64_t base, length;
        const char *why;
        efi_memmap_get(m, i, &d);
        if (!efi_memmap_range(&d, &base, &length, &why)) {
            if (d.number_of_pages == 0)
                r.zero_pages++;
            else
                r.out_of_range++;
            continue;
        }
        if (n >= cap) {
            if (rep)
                *rep = r;
            return ERR_CAPACITY;
        }
        uint32_t type = efi_memmap_e820_type(d.type, d.attribute);
        if (base & (EFI_PAGE_SIZE - 1u))
            r.unaligned++;
        if (d.type >= EFI_MEMORY_TYPE_COUNT)
            r.unknown_type++;
        else if (type == E820_TYPE_SOFT_RESERVED)
            r.soft_reserved++;
        else if (efi_usable_type(d.type) && type == E820_TYPE_RESERVED)
            r.not_wb++;
        out[n++] = (struct e820_entry){ base, length, type, 0 };
    }
    *count = n;
    if (rep)
        *rep = r;
    return ERR_OK;
}
