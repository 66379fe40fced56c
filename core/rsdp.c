/* rsdp.c: the ACPI RSDP search (ACPI 6.x 5.2.5.1: "RSD PTR " on a 16-byte boundary, in the
 * EBDA's first KiB or in 0xE0000-0xFFFFF). Only the structure's own checks are applied; what
 * the RSDT/XSDT it points to holds is the kernel's business. */
#include <string.h>

#include "rsdp.h"

static bool rsdp_sum_zero(const uint8_t *p, uint64_t len)
{
    uint8_t sum = 0;
    for (uint64_t i = 0; i < len; i++)
        sum = (uint8_t)(sum + p[i]);
    return sum == 0;
}

bool rsdp_valid(const uint8_t *p, uint64_t avail)
{
    uint32_t len;

    if (!p || avail < RSDP_V1_LENGTH || memcmp(p, "RSD PTR ", 8) != 0 ||
        !rsdp_sum_zero(p, RSDP_V1_LENGTH))
        return false;
    if (p[15] < 2) /* revision 0: ACPI 1.0, 20 bytes, nothing more to check */
        return true;
    if (avail < RSDP_V2_LENGTH)
        return false;
    memcpy(&len, p + 20, 4);
    return len >= RSDP_V2_LENGTH && len <= avail && rsdp_sum_zero(p, len);
}

uint64_t rsdp_scan(const uint8_t *mem, uint64_t base, uint64_t len)
{
    uint64_t off;

    if (!mem || len < RSDP_V1_LENGTH)
        return 0;
    off = (16u - (base & 15u)) & 15u;
    for (; off <= len - RSDP_V1_LENGTH; off += 16)
        if (rsdp_valid(mem + off, len - off))
            return base + off;
    return 0;
}
