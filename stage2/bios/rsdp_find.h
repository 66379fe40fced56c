/* rsdp_find.h: where a BIOS machine keeps ACPI's RSDP: the EBDA's first KiB, then the BIOS
 * area 0xE0000-0xFFFFF (ACPI 6.x, 5.2.5.1). Under UEFI the configuration table says instead. */
#ifndef RSDP_FIND_H
#define RSDP_FIND_H

#include <stdint.h>

#include "bda.h"

#define RSDP_FIND_EBDA_BYTES 1024u /* the spec searches the EBDA's first KiB only */

/* Physical address of the first valid RSDP (rsdp_valid) in those two windows, read through
 * ptr; 0 if none, or if neither window can be read. */
uint64_t rsdp_find(bda_ptr_fn ptr, void *ctx);

#endif
