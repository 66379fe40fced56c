/* bda.h: the BIOS data area words the loader reads: where the EBDA is and how much
 * conventional memory lies below it. The BDA is read through a pointer function, so host
 * tests hand in a fake first MiB. */
#ifndef BDA_H
#define BDA_H

#include <stdint.h>

#include "pc.h"

/* Physical range -> pointer the C code can read, NULL if it cannot. stage2 passes memory_ptr
 * (paging is off: the identity); tests map a buffer. Same shape as frames_ptr_fn. */
typedef void *(*bda_ptr_fn)(void *ctx, uint64_t phys, uint64_t bytes);

/* The EBDA's physical address from the segment word at PC_BDA_EBDA_SEG; 0 when the BDA
 * cannot be read or names no place an EBDA can be (inside the IVT or BDA, or at or above
 * 640 KiB: a BIOS without an EBDA leaves the word 0). */
uint32_t bda_ebda(bda_ptr_fn ptr, void *ctx);

/* The word at PC_BDA_BASE_KIB: KiB of conventional memory below the EBDA, the value INT 12h
 * returns on a PC BIOS. 0 when the BDA cannot be read; not checked for sanity. */
uint32_t bda_base_kib(bda_ptr_fn ptr, void *ctx);

#endif
