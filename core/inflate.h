/* inflate.h: a DEFLATE (RFC 1951) decoder for the pure core: streaming, table-driven, no
 * allocation. The caller provides the 32 KiB window and the input (one buffer, or a read
 * callback handing out pieces), and asks for output in pieces of any size:
 *
 *     inflate_init(&z, window, read, ctx);          // or read = NULL + inflate_set_input
 *     inflate_run(&z, dst, len, &got);              // up to len bytes straight into dst
 *     inflate_skip(&z, len, &got, &data);           // or into the window (to skip ahead)
 *
 * Output goes straight to the caller's buffer (a kernel's final place); back-references
 * reach into the buffer itself and, before it, into the window, which keeps the last 32 KiB
 * of output and lets a caller re-read them (inflate_history). Huffman codes are decoded by
 * table lookup (a 2^10-entry root table plus subtables for longer codes, as zlib and
 * libdeflate do), eight input bytes loaded into the bit buffer at a time.
 *
 * What the decoder accepts is exactly what zlib 1.2.x accepts (tests/fuzz/fuzz_inflate.c
 * checks it against zlib): at most 286 literal/length and 30 distance codes, no
 * over-subscribed code, no incomplete code except one of a single 1-bit code (or none at all,
 * for distances), a repeat code needing a previous length, an end-of-block code, stored
 * lengths that match their complement, no distance past the start of the output.
 * Every failure is an error code (error.h) with a reason in z->msg, and is sticky. */
#ifndef INFLATE_H
#define INFLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* The window: the caller's buffer of exactly this many bytes. */
#define INFLATE_WINDOW 32768u

/* Root table sizes (bits) and table capacities. The capacities are a safe bound: a subtable
 * of b bits needs at least b + 1 codes, so 288 codes make at most 48 five-bit subtables
 * (1536 entries) past the 1024-entry root, and 32 distance codes four seven-bit ones. */
#define INFLATE_LITLEN_ROOT 10u
#define INFLATE_DIST_ROOT   8u
#define INFLATE_PRE_ROOT    7u
#define INFLATE_LITLEN_CAP  2560u
#define INFLATE_DIST_CAP    768u
#define INFLATE_PRE_CAP     128u

/* The next piece of input: set *buf and *len (0 at the end of the input). The piece must
 * stay readable until the next call. Any error is passed on unchanged (ERR_DISK_READ ...). */
typedef err_t (*inflate_read_fn)(void *ctx, const uint8_t **buf, size_t *len);

/* The bit buffer: a machine word (32 bits in stage2, 64 on the host). */
#if UINTPTR_MAX > 0xffffffffu
typedef uint64_t inflate_bits_t;
#else
typedef uint32_t inflate_bits_t;
#endif

enum inflate_mode {
    INFLATE_BLOCK,   /* at a block header */
    INFLATE_STORED,  /* inside a stored block: stored_left bytes to go */
    INFLATE_HUFF,    /* inside a Huffman block */
    INFLATE_END,     /* after the last block's end */
    INFLATE_FAILED,  /* err and msg say why */
};

struct inflate {
    /* input: the current piece and the bit buffer (LSB first, as DEFLATE packs bits) */
    const uint8_t *in, *in_end;
    inflate_read_fn read;
    void *read_ctx;
    inflate_bits_t bits;
    uint32_t nbits;
    /* the window: the last whave (<= 32 KiB) bytes of output, ending before wnext */
    uint8_t *window;
    uint32_t wnext, whave;
    uint32_t dhave;          /* of which this stream made (what distances may reach) */
    /* where the stream is */
    uint8_t mode;            /* enum inflate_mode */
    bool last;               /* the current block is the final one */
    bool fixed;              /* the tables hold the fixed code */
    uint32_t stored_left;
    uint32_t copy_len, copy_dist; /* a match cut short by the end of the output buffer */
    uint64_t total_out;      /* bytes this stream produced */
    err_t err;
    const char *msg;         /* the failure's reason (zlib's words), or "ok" */
    /* decoding tables: entries as inflate.c describes */
    uint32_t litlen[INFLATE_LITLEN_CAP];
    uint32_t dist[INFLATE_DIST_CAP];
    uint32_t pre[INFLATE_PRE_CAP];
    uint8_t lens[320];       /* code lengths of a dynamic block being read */
};

/* Start a stream. window: INFLATE_WINDOW bytes. read: NULL for one input buffer given with
 * inflate_set_input. */
void inflate_init(struct inflate *z, uint8_t *window, inflate_read_fn read, void *ctx);

/* The whole input at once (with read == NULL, its end is the end of the input). */
void inflate_set_input(struct inflate *z, const void *buf, size_t len);

/* Start the next stream on the same input (the next gzip member): the window keeps its
 * bytes for inflate_history, but no distance may reach them. */
void inflate_reset(struct inflate *z);

/* Produce up to len bytes into dst; *got is how many, fewer than len only at the stream's
 * end (z->mode == INFLATE_END). Bytes of dst past *got may have been written. Errors:
 * ERR_INFLATE_TRUNCATED (the input ended), ERR_INFLATE_DATA (malformed: z->msg says how),
 * ERR_INFLATE_DISTANCE (a distance past the start of the output), the read callback's. */
err_t inflate_run(struct inflate *z, uint8_t *dst, size_t len, size_t *got);

/* The same, but the bytes go to the window: up to len of them, fewer also where the window's
 * end cuts the piece (call again). *data: where the *got bytes are, until the next call. */
err_t inflate_skip(struct inflate *z, size_t len, size_t *got, const uint8_t **data);

/* Copy len bytes of earlier output into dst, starting `back` bytes before the end of the
 * output so far (len <= back <= z->whave). False if they are no longer in the window. */
bool inflate_history(const struct inflate *z, uint32_t back, void *dst, size_t len);

/* Between streams (after INFLATE_END, or before the first): the input at the next byte
 * boundary, for a container's header and trailer. */
/* The next byte; ERR_INFLATE_TRUNCATED at the end of the input. */
err_t inflate_byte(struct inflate *z, uint8_t *b);
/* True when no input is left; *e is set on a read error. */
bool inflate_input_done(struct inflate *z, err_t *e);

/* ---- internal, shared by inflate.c and inflate_tables.c ---- */
/* A table entry: bits 0-3 the code bits to drop at this level, 4-7 the extra bits to read
 * after it (or a subtable's index bits), 8-11 what it is, 16-31 its value: the literal byte,
 * the base length or distance, the subtable's first index, or a code-length symbol. A
 * length or distance has no flag. */
#define INFLATE_E_LIT 0x100u
#define INFLATE_E_EOB 0x200u
#define INFLATE_E_SUB 0x400u
#define INFLATE_E_BAD 0x800u /* a code no symbol has (incomplete code, fixed 286/287, 30/31) */

/* Record a failure (sticky) and return it. */
err_t inflate_fail(struct inflate *z, err_t e, const char *msg);
/* At least n (<= 24) bits in z->bits; ERR_INFLATE_TRUNCATED or the read error if not. */
err_t inflate_need(struct inflate *z, uint32_t n);
/* The next n bits, dropped from the buffer (inflate_need first). */
static inline uint32_t inflate_take(struct inflate *z, uint32_t n)
{
    uint32_t v = (uint32_t)z->bits & ((1u << n) - 1u);
    z->bits >>= n;
    z->nbits -= n;
    return v;
}
/* Decode one symbol through `table` (root bits `root`), bit by bit safe at the end of input:
 * *e is the entry, its code dropped. */
err_t inflate_decode(struct inflate *z, const uint32_t *table, uint32_t root, uint32_t *e);
/* Load the fixed code (BTYPE 01) / read a dynamic block's code (BTYPE 10) into the tables. */
void inflate_fixed(struct inflate *z);
err_t inflate_dynamic(struct inflate *z);

#endif
