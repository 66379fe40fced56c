/* rsdp.h: finding the ACPI RSDP ("RSD PTR ", ACPI 6.x section 5.2.5) in a window of
 * low memory. Pure core: the caller hands in the bytes (in stage2 the memory itself, in
 * tests a buffer) and the physical address they start at. */
#ifndef RSDP_H
#define RSDP_H

#include <stdbool.h>
#include <stdint.h>

#define RSDP_V1_LENGTH 20u  /* ACPI 1.0 structure, covered by the first checksum */
#define RSDP_V2_LENGTH 36u  /* ACPI 2.0+ structure, covered by the extended checksum */

/* Is there a valid RSDP at p, with `avail` readable bytes from p? Signature, the checksum
 * over the first 20 bytes, and for revision >= 2 a length of at least 36 that fits in
 * `avail` and the extended checksum over that length. */
bool rsdp_valid(const uint8_t *p, uint64_t avail);

/* Scan mem[0..len), which starts at physical `base`, on 16-byte boundaries (the spec's
 * alignment; base need not be aligned: offsets are chosen so the physical address is) for
 * the first valid RSDP. Returns its physical address, 0 if none. */
uint64_t rsdp_scan(const uint8_t *mem, uint64_t base, uint64_t len);

#endif
