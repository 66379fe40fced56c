/* output_efi.c: what converting a UEFI map did, as the list the table and json formats both
 * print (so the two agree on every count and its meaning). */
#include "output.h"

uint32_t output_efi_items(const struct efi_memmap_report *r, struct output_efi_item *item)
{
    const struct output_efi_item all[OUTPUT_EFI_ITEMS] = {
        { "zero_pages", "descriptors dropped: zero pages", r->zero_pages },
        { "out_of_range", "descriptors dropped: end past 2^64", r->out_of_range },
        { "not_wb", "usable types without WB: reserved", r->not_wb },
        { "soft_reserved", "usable types with SP: soft reserved", r->soft_reserved },
        { "unknown_type", "unknown (OEM/OS) types: reserved", r->unknown_type },
        { "unaligned", "starts not 4 KiB aligned (kept)", r->unaligned },
        { "trailing_bytes", "bytes after the last descriptor", r->trailing_bytes },
        { "newer_version", "DescriptorVersion above 1", r->newer_version ? 1u : 0u },
    };
    for (uint32_t i = 0; i < OUTPUT_EFI_ITEMS; i++)
        item[i] = all[i];
    return OUTPUT_EFI_ITEMS;
}
