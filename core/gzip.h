/* gzip.h: the gzip container (RFC 1952) around inflate.h: the header (FEXTRA, FNAME,
 * FCOMMENT, FHCRC checked), the deflate data, the trailer's CRC-32 and ISIZE checked against
 * what came out, and members one after another as gzip(1) writes them with `cat a.gz b.gz`.
 * Streaming and allocation-free like inflate.h: the caller provides the window and the input
 * and takes the output in pieces, into its own buffers or skipped through the window.
 *
 *     gzip_init(&g, window, read, ctx, limit);   // or read = NULL + gzip_set_input
 *     gzip_read(&g, dst, len, &got);              // got < len only at the end of the data
 *     gzip_read(&g, NULL, len, &got);             // skip len bytes
 *     gzip_finish(&g);                            // to the end: every check made
 *
 * Errors (error.h, sticky, with the reason in g->msg): ERR_GZIP_HEADER (no magic, a method
 * other than deflate, reserved flags, header CRC, bytes after the last member that are no
 * member), ERR_GZIP_CRC, ERR_GZIP_SIZE (ISIZE), ERR_GZIP_LIMIT (more output than `limit`: a
 * bomb is stopped at the limit's byte, not after decompressing it), and inflate's:
 * ERR_INFLATE_TRUNCATED, ERR_INFLATE_DATA, ERR_INFLATE_DISTANCE, the read callback's. */
#ifndef GZIP_H
#define GZIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crc32.h"
#include "inflate.h"

/* Header flags (FLG). */
#define GZIP_FTEXT    0x01u
#define GZIP_FHCRC    0x02u
#define GZIP_FEXTRA   0x04u
#define GZIP_FNAME    0x08u
#define GZIP_FCOMMENT 0x10u
#define GZIP_FRESERVED 0xe0u

/* The first member's FNAME is kept up to this many bytes (the rest is skipped). */
#define GZIP_NAME_MAX 64u

/* The first member's header. */
struct gzip_header {
    uint8_t flags, xfl, os;
    uint32_t mtime;
    uint16_t extra_len;          /* FEXTRA's XLEN */
    char name[GZIP_NAME_MAX];    /* FNAME, NUL-terminated, cut to GZIP_NAME_MAX - 1 */
};

enum gzip_state { GZIP_HEADER, GZIP_DATA, GZIP_END, GZIP_FAILED };

struct gzip {
    struct inflate z;
    struct crc32_table crc_tab;
    uint32_t crc;                /* of the current member's output so far */
    uint32_t member_size;        /* its length, modulo 2^32 as ISIZE */
    uint64_t total;              /* bytes out of every member so far */
    uint64_t limit;              /* at most this many */
    uint32_t members;            /* members finished (trailer checked) */
    uint8_t state;               /* enum gzip_state */
    err_t err;
    const char *msg;             /* the failure's reason, or "ok" */
    struct gzip_header hdr;
};

/* True if buf starts with the gzip magic and the deflate method: 1f 8b 08. */
bool gzip_magic(const void *buf, size_t len);

/* DEFLATE's most output per byte of input: a 258-byte match coded in 2 bits. */
#define GZIP_MAX_RATIO 1032u
/* The smallest gzip file: a 10-byte header, an empty block (2 bytes), the 8-byte trailer. */
#define GZIP_MIN_FILE 20u

/* Can a gzip file of file_size bytes have the trailer's `isize`? Not above GZIP_MAX_RATIO
 * times its deflate data (nor can any member of it): a larger ISIZE is not from an encoder,
 * but from a file cut short (its last 4 bytes are then compressed data) or damaged. */
bool gzip_isize_possible(uint32_t isize, uint64_t file_size);

/* Start decoding. window: INFLATE_WINDOW bytes; read: the input in pieces, or NULL for
 * gzip_set_input; limit: the most output allowed (UINT64_MAX: none). */
void gzip_init(struct gzip *g, uint8_t *window, inflate_read_fn read, void *ctx,
               uint64_t limit);
void gzip_set_input(struct gzip *g, const void *buf, size_t len);

/* Up to len bytes of output into dst (NULL: skipped); *got is how many, fewer than len only
 * at the end of the last member (g->state == GZIP_END). */
err_t gzip_read(struct gzip *g, void *dst, size_t len, size_t *got);

/* Decode the rest, discarding it, so that every check has been made: ERR_OK only for a
 * whole, valid file. */
err_t gzip_finish(struct gzip *g);

/* The last `back` (<= 32 KiB) bytes of output again, len <= back of them: inflate_history. */
bool gzip_history(const struct gzip *g, uint32_t back, void *dst, size_t len);

#endif
