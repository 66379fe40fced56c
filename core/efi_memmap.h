/* efi_memmap.h: the UEFI memory map as GetMemoryMap() returns it: a view over the firmware's
 * descriptor array that steps by DescriptorSize, and the conversion of each descriptor to an
 * E820 type so that the map goes through memmap_sanitize like an E820 table. Pure core: no
 * firmware calls, no allocation; the raw buffer stays the caller's, so a boot info can carry
 * it untouched for kernels that want runtime services.
 *
 * A UEFI loader does, after its last GetMemoryMap():
 *     efi_memmap_init(&m, buf, map_size, desc_size, desc_version);
 *     efi_memmap_to_e820(&m, raw, MEMMAP_RAW_MAX, &n, &efi_report);
 *     memmap_sanitize(&map, raw, NULL, n, scratch, sizeof scratch, &report);
 * and keeps buf, desc_size, desc_version and m.count as the raw EFI view. */
#ifndef EFI_MEMMAP_H
#define EFI_MEMMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "memmap.h"

/* EFI_MEMORY_TYPE (UEFI 2.10, section 7.2.1, table 7.5). */
#define EFI_RESERVED_MEMORY_TYPE        0u
#define EFI_LOADER_CODE                 1u
#define EFI_LOADER_DATA                 2u
#define EFI_BOOT_SERVICES_CODE          3u
#define EFI_BOOT_SERVICES_DATA          4u
#define EFI_RUNTIME_SERVICES_CODE       5u
#define EFI_RUNTIME_SERVICES_DATA       6u
#define EFI_CONVENTIONAL_MEMORY         7u
#define EFI_UNUSABLE_MEMORY             8u
#define EFI_ACPI_RECLAIM_MEMORY         9u
#define EFI_ACPI_MEMORY_NVS            10u
#define EFI_MEMORY_MAPPED_IO           11u
#define EFI_MEMORY_MAPPED_IO_PORT_SPACE 12u
#define EFI_PAL_CODE                   13u
#define EFI_PERSISTENT_MEMORY          14u
#define EFI_UNACCEPTED_MEMORY          15u
#define EFI_MEMORY_TYPE_COUNT          16u /* types the spec defines; above: unassigned, */
#define EFI_MEMORY_TYPE_OEM_FIRST 0x70000000u /* OEM (0x70000000-0x7fffffff) and */
#define EFI_MEMORY_TYPE_OS_FIRST  0x80000000u /* OS loader (0x80000000-) types */

/* Attribute bits (the same table). */
#define EFI_MEMORY_UC            (1ull << 0)
#define EFI_MEMORY_WC            (1ull << 1)
#define EFI_MEMORY_WT            (1ull << 2)
#define EFI_MEMORY_WB            (1ull << 3)
#define EFI_MEMORY_UCE           (1ull << 4)
#define EFI_MEMORY_WP            (1ull << 12)
#define EFI_MEMORY_RP            (1ull << 13)
#define EFI_MEMORY_XP            (1ull << 14)
#define EFI_MEMORY_NV            (1ull << 15)
#define EFI_MEMORY_MORE_RELIABLE (1ull << 16)
#define EFI_MEMORY_RO            (1ull << 17)
#define EFI_MEMORY_SP            (1ull << 18) /* specific purpose: soft reserved */
#define EFI_MEMORY_CPU_CRYPTO    (1ull << 19)
#define EFI_MEMORY_HOT_PLUGGABLE (1ull << 20)
#define EFI_MEMORY_ISA_VALID     (1ull << 62)
#define EFI_MEMORY_RUNTIME       (1ull << 63)

#define EFI_PAGE_SIZE 4096u
#define EFI_PAGE_SHIFT 12u
#define EFI_MEMORY_DESCRIPTOR_VERSION 1u

/* EFI_MEMORY_DESCRIPTOR, version 1, as it lies in the firmware's buffer (little-endian, the
 * compiler's natural padding after Type). Firmware may return a larger DescriptorSize (EDK2
 * returns 48) to leave room for future fields: never step through a map by sizeof. */
struct efi_memory_descriptor {
    uint32_t type;
    uint32_t pad;
    uint64_t physical_start;
    uint64_t virtual_start;
    uint64_t number_of_pages;
    uint64_t attribute;
};
#define EFI_MEMORY_DESCRIPTOR_SIZE 40u
_Static_assert(sizeof(struct efi_memory_descriptor) == EFI_MEMORY_DESCRIPTOR_SIZE,
               "EFI_MEMORY_DESCRIPTOR version 1 is 40 bytes");
_Static_assert(offsetof(struct efi_memory_descriptor, physical_start) == 8, "layout");
_Static_assert(offsetof(struct efi_memory_descriptor, number_of_pages) == 24, "layout");
_Static_assert(offsetof(struct efi_memory_descriptor, attribute) == 32, "layout");

/* The raw map: the firmware's buffer and the two numbers GetMemoryMap() returned with it. */
struct efi_memmap {
    const uint8_t *buf;
    size_t desc_size;      /* DescriptorSize: the stride */
    uint32_t desc_version; /* DescriptorVersion */
    uint32_t count;        /* whole descriptors in the buffer */
    uint32_t trailing;     /* bytes after the last whole descriptor (ignored) */
};

/* What the conversion did, beyond what memmap_report says about the sanitizing. */
struct efi_memmap_report {
    uint32_t descriptors;    /* descriptors read */
    uint32_t zero_pages;     /* dropped: NumberOfPages 0 */
    uint32_t out_of_range;   /* dropped: a page starting above 0xfffffffffffff000, i.e. the
                              * end passes 2^64, or the whole 2^64 bytes in one descriptor */
    uint32_t unaligned;      /* kept byte-exact, though PhysicalStart is not 4 KiB aligned */
    uint32_t not_wb;         /* usable types without the WB attribute: reserved */
    uint32_t soft_reserved;  /* usable types with EFI_MEMORY_SP: soft reserved */
    uint32_t unknown_type;   /* types the spec does not define (OEM, OS, unassigned): reserved */
    uint32_t trailing_bytes; /* the map size was not a multiple of DescriptorSize */
    bool newer_version;      /* DescriptorVersion above 1: read as its version-1 prefix */
};

/* A view of map_size bytes at buf holding descriptors desc_size bytes apart. ERR_BAD_FORMAT
 * if desc_size cannot hold a version-1 descriptor (< 40); ERR_UNSUPPORTED for
 * DescriptorVersion 0; ERR_INVALID_ARG for buf NULL with map_size > 0; ERR_CAPACITY past
 * 2^32 - 1 descriptors. A version above 1 is accepted (the UEFI spec keeps DescriptorSize
 * so that new fields can be appended; Linux too only warns). A map_size that is not a
 * multiple of desc_size leaves trailing bytes, which are not a descriptor and are ignored. */
err_t efi_memmap_init(struct efi_memmap *m, const void *buf, size_t map_size, size_t desc_size,
                      uint32_t desc_version);

/* Descriptor i (< m->count), read field by field: the buffer may have any alignment. */
void efi_memmap_get(const struct efi_memmap *m, uint32_t i, struct efi_memory_descriptor *d);

/* The E820 type of a descriptor, by Linux's rules (see efi_memmap.c). */
uint32_t efi_memmap_e820_type(uint32_t efi_type, uint64_t attribute);

/* The bytes a descriptor covers, computed without overflow: false (and the reason in *why,
 * if not NULL: "zero pages" or "out of range") when it covers nothing the spec allows. */
bool efi_memmap_range(const struct efi_memory_descriptor *d, uint64_t *base, uint64_t *length,
                      const char **why);

/* One raw E820 entry per descriptor that covers something, in map order, with its E820
 * type; *count gets how many. Never truncates: ERR_CAPACITY if more than cap (then *count is
 * 0). rep (may be NULL) is filled from zero. Run memmap_sanitize on the result (raw_size
 * NULL: the entries carry no ACPI 3.0 attributes). */
err_t efi_memmap_to_e820(const struct efi_memmap *m, struct e820_entry *out, uint32_t cap,
                         uint32_t *count, struct efi_memmap_report *rep);

/* The attribute flags Linux's efi=debug output names, in its printing order and column
 * widths (Linux 6.x since HP); any other attribute bit makes it print "|attr=0x%016llx]". */
struct efi_memmap_flag {
    uint64_t bit;
    const char *name;
    int width;
};
#define EFI_MEMMAP_FLAG_COUNT 15u
extern const struct efi_memmap_flag efi_memmap_flags[EFI_MEMMAP_FLAG_COUNT];

/* Linux's name of a type in its current efi=debug output ("Conventional", "MMIO Port", ...),
 * NULL for types it prints as "[type=N". */
const char *efi_memmap_type_name(uint32_t efi_type);

/* One descriptor as Linux 6.x prints it with efi=debug, without the "efi: " prefix:
 *   mem07: [Conventional|   |  |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] range=[0x...-0x...] (0MB)
 * so that a loader's serial log reads back with build/e820 (--input efi-dmesg), losslessly:
 * the range is printed modulo 2^64 as Linux does, and the size in MiB carries the high bits
 * of NumberOfPages. Returns the length the whole line has (like snprintf); buf gets at most
 * size - 1 characters and a NUL. */
int efi_memmap_format(const struct efi_memory_descriptor *d, uint32_t index, char *buf,
                      size_t size);

#endif
