/* mb_info_int.h: what the two Multiboot information builders share (mb_info.c): a cursor
 * that lays the structure out in a caller's buffer, or only measures it. Not for other
 * files. */
#ifndef MB_INFO_INT_H
#define MB_INFO_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "multiboot.h"

struct mb_writer {
    uint8_t *buf;   /* NULL: measuring */
    uint64_t cap;
    uint64_t phys;  /* where buf[0] lies */
    uint64_t pos;   /* bytes laid out so far */
};

/* Room for n bytes at the next multiple of align (padding zeroed): their offset. */
uint64_t mb_take(struct mb_writer *w, uint64_t n, uint64_t align);
/* Little-endian fields at an offset taken before; written only when they fit. */
void mb_put8(struct mb_writer *w, uint64_t at, uint8_t v);
void mb_put16(struct mb_writer *w, uint64_t at, uint16_t v);
void mb_put32(struct mb_writer *w, uint64_t at, uint32_t v);
void mb_put64(struct mb_writer *w, uint64_t at, uint64_t v);
void mb_put_bytes(struct mb_writer *w, uint64_t at, const void *src, uint64_t n);
/* A NUL-terminated copy of s (1-aligned): its physical address. */
uint32_t mb_put_str(struct mb_writer *w, const char *s);
/* The physical address of offset `at` (below 4 GiB once mb_finish accepted the layout). */
uint32_t mb_phys(const struct mb_writer *w, uint64_t at);
/* The verdict: *used = bytes laid out; ERR_CAPACITY if they do not fit the buffer,
 * ERR_OVERFLOW if they would cross 4 GiB. */
err_t mb_finish(const struct mb_writer *w, uint64_t *used);

#endif
