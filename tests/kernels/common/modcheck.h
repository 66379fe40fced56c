/* modcheck.h: the test modules' known pattern (tests/kernels/mkmodule.py writes them), which
 * every test kernel checks byte for byte wherever the loader put a module:
 *   bytes 0-7   "MODTEST1"
 *   bytes 8-11  seed (little-endian)
 *   bytes 12-15 the file's size
 *   byte i >= 16: (i * 7 + (i >> 8) * 13 + seed) & 0xff, so a page out of place shows. */
#ifndef MODCHECK_H
#define MODCHECK_H

#include <stdint.h>

/* NULL when [p, p + size) is a whole test module, else what is wrong with it. */
const char *modcheck(const uint8_t *p, uint64_t size);

#endif
