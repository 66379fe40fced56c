/* fuzz_efi_memmap.c: libFuzzer harness for the core's UEFI map: arbitrary bytes are a
 * firmware's descriptor array. The first two bytes choose DescriptorSize, the third the
 * version, the rest is the buffer (at an odd address, as a misaligned one may be). Checked:
 * the view counts whole descriptors only; each raw entry comes from one descriptor in order,
 * with the core's type rule and a range inside [0, 2^64); the report adds up; the result
 * sanitizes; and every descriptor printed in the core's Linux format says what it holds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "efi_memmap.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct e820_entry raw[4096], sane[8192];
    static uint64_t scratch[MEMMAP_SCRATCH_BYTES(4096) / 8 + 1];
    if (size < 3)
        return 0;
    size_t desc_size = (size_t)(data[0] | (data[1] << 8)) % 129; /* 0..128: small ones fail */
    uint32_t version = data[2] % 4;
    uint8_t *copy = malloc(size - 3 + 1);
    if (!copy)
        return 0;
    memcpy(copy + 1, data + 3, size - 3);

    struct efi_memmap m;
    err_t e = efi_memmap_init(&m, copy + 1, size - 3, desc_size, version);
    if (desc_size < EFI_MEMORY_DESCRIPTOR_SIZE) {
        CHECK(e == ERR_BAD_FORMAT);
    } else if (version == 0) {
        CHECK(e == ERR_UNSUPPORTED);
    } else {
        CHECK(e == ERR_OK);
        CHECK(m.count == (size - 3) / desc_size && m.trailing == (size - 3) % desc_size);
        struct efi_memmap_report r;
        uint32_t n = 0;
        CHECK(efi_memmap_to_e820(&m, raw, 4096, &n, &r) == ERR_OK);
        CHECK(r.descriptors == m.count && n + r.zero_pages + r.out_of_range == m.count);
        CHECK(r.newer_version == (version > 1) && r.trailing_bytes == m.trailing);
        uint32_t k = 0;
        for (uint32_t i = 0; i < m.count; i++) {
            struct efi_memory_descriptor d;
            uint64_t base, length;
            efi_memmap_get(&m, i, &d);
            char line[200];
            int len = efi_memmap_format(&d, i, line, sizeof line);
            CHECK(len > 0 && (size_t)len < sizeof line && strlen(line) == (size_t)len);
            if (!efi_memmap_range(&d, &base, &length, NULL))
                continue;
            CHECK(k < n && raw[k].base == base && raw[k].length == length && length > 0);
            CHECK(length - 1 <= UINT64_MAX - base); /* never past 2^64 */
            CHECK(raw[k].type == efi_memmap_e820_type(d.type, d.attribute));
            k++;
        }
        CHECK(k == n);
        struct memmap map;
        memmap_init(&map, sane, 8192);
        CHECK(memmap_sanitize(&map, raw, NULL, n, scratch, sizeof scratch, NULL) == ERR_OK);
    }
    free(copy);
    return 0;
}
