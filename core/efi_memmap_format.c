/* efi_memmap_format.c: one EFI descriptor in the words Linux prints with efi=debug, so that a
 * UEFI loader's serial log and a Linux dmesg read back the same way (tools/e820). The layout
 * is efi_md_typeattr_format() and efi_print_memmap() of Linux 6.x since the HP flag
 * (drivers/firmware/efi/efi.c and memmap.c): short type names, an inclusive end. */
#include "efi_memmap.h"
#include "format.h"

static const char *const type_names[EFI_MEMORY_TYPE_COUNT] = {
    "Reserved",     "Loader Code", "Loader Data",  "Boot Code",    "Boot Data",
    "Runtime Code", "Runtime Data", "Conventional", "Unusable",     "ACPI Reclaim",
    "ACPI Mem NVS", "MMIO",        "MMIO Port",    "PAL Code",     "Persistent",
    "Unaccepted",
};

const char *efi_memmap_type_name(uint32_t efi_type)
{
    return efi_type < EFI_MEMORY_TYPE_COUNT ? type_names[efi_type] : NULL;
}

const struct efi_memmap_flag efi_memmap_flags[EFI_MEMMAP_FLAG_COUNT] = {
    { EFI_MEMORY_RUNTIME, "RUN", 3 }, { EFI_MEMORY_HOT_PLUGGABLE, "HP", 2 },
    { EFI_MEMORY_MORE_RELIABLE, "MR", 2 }, { EFI_MEMORY_CPU_CRYPTO, "CC", 2 },
    { EFI_MEMORY_SP, "SP", 2 }, { EFI_MEMORY_NV, "NV", 2 }, { EFI_MEMORY_XP, "XP", 2 },
    { EFI_MEMORY_RP, "RP", 2 }, { EFI_MEMORY_WP, "WP", 2 }, { EFI_MEMORY_RO, "RO", 2 },
    { EFI_MEMORY_UCE, "UCE", 3 }, { EFI_MEMORY_WB, "WB", 2 }, { EFI_MEMORY_WT, "WT", 2 },
    { EFI_MEMORY_WC, "WC", 2 }, { EFI_MEMORY_UC, "UC", 2 },
};

/* Append to buf at *pos (the snprintf way: *pos counts what would have been written). */
static void put(char *buf, size_t size, size_t *pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void put(char *buf, size_t size, size_t *pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = format_vsnprint(*pos < size ? buf + *pos : NULL, *pos < size ? size - *pos : 0,
                            fmt, ap);
    va_end(ap);
    if (n > 0)
        *pos += (size_t)n;
}

int efi_memmap_format(const struct efi_memory_descriptor *d, uint32_t index, char *buf,
                      size_t size)
{
    size_t pos = 0;
    const char *name = efi_memmap_type_name(d->type);

    if (size > 0)
        buf[0] = '\0';
    put(buf, size, &pos, "mem%02u: ", index);
    if (name)
        put(buf, size, &pos, "[%-12s", name);
    else
        put(buf, size, &pos, "[type=%u", d->type);
    uint64_t known = 0;
    for (uint32_t i = 0; i < EFI_MEMMAP_FLAG_COUNT; i++)
        known |= efi_memmap_flags[i].bit;
    if (d->attribute & ~known) {
        put(buf, size, &pos, "|attr=0x%016llx]", (unsigned long long)d->attribute);
    } else {
        for (uint32_t i = 0; i < EFI_MEMMAP_FLAG_COUNT; i++)
            put(buf, size, &pos, "|%*s", efi_memmap_flags[i].width,
                (d->attribute & efi_memmap_flags[i].bit) ? efi_memmap_flags[i].name : "");
        put(buf, size, &pos, "]");
    }
    /* Linux's arithmetic, modulo 2^64: a reader recovers NumberOfPages from the range's low
     * 52 bits of pages and the size's (pages >> 8). */
    uint64_t end = d->physical_start + (d->number_of_pages << EFI_PAGE_SHIFT) - 1u;
    put(buf, size, &pos, " range=[0x%016llx-0x%016llx] (%lluMB)",
        (unsigned long long)d->physical_start, (unsigned long long)end,
        (unsigned long long)(d->number_of_pages >> (20 - EFI_PAGE_SHIFT)));
    return pos > (size_t)INT32_MAX ? INT32_MAX : (int)pos;
}
