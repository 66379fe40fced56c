/* error.h: the one error enum of the pure core and stage2. Pure code returns these; it never
 * panics. Add new codes at the end of their group and give each a string in error.c. */
#ifndef ERROR_H
#define ERROR_H

typedef enum {
    ERR_OK = 0,
    /* generic */
    ERR_INVALID_ARG,     /* a parameter is out of its domain (null, zero, not a power of two) */
    ERR_OVERFLOW,        /* an address or size computation would wrap */
    ERR_CAPACITY,        /* a fixed-size table is full (never silently truncated) */
    ERR_NOT_FOUND,
    ERR_SEALED,          /* the map or allocator was handed off; no more changes */
    /* memory */
    ERR_NO_MEMORY,       /* no free frames / heap space that satisfies the request */
    ERR_MISALIGNED,      /* address or size not a multiple of the granularity */
    ERR_NOT_USABLE,      /* address is not in usable RAM covered by the allocator */
    ERR_ALREADY_FREE,    /* double free */
    ERR_IN_USE,          /* reserve of a frame that is already allocated */
    ERR_NOT_OWNED,       /* pointer is not one of this pool's / heap's blocks */
    ERR_TOO_SMALL,       /* not enough RAM for the minimum (e.g. boot heap) */
    ERR_MEMTEST_FAILED,  /* memory test found bad cells */
    /* firmware and devices */
    ERR_BIOS,            /* a BIOS call reported failure (CF set) */
    ERR_E820_BAD_SIGNATURE, /* 'SMAP' missing from a mid-list E820 reply */
    ERR_E820_UNSUPPORTED,   /* no E820: fall back */
    ERR_DISK_READ,       /* read failed after retries */
    ERR_NO_LONG_MODE,
    ERR_NO_PAE,
    ERR_A20,
    /* formats */
    ERR_BAD_FORMAT,      /* malformed input (ELF, FAT, config, E820 text) */
    ERR_BAD_MAGIC,
    ERR_UNSUPPORTED,     /* well-formed but not something we handle (class, machine) */
    ERR_TRUNCATED,       /* a structure runs past the end of its container */
    ERR_OVERLAP,         /* segments overlap each other, the loader or reserved memory */
    ERR_IO,
    /* compressed data (inflate.h, gzip.h): each failure its own code */
    ERR_INFLATE_TRUNCATED, /* the input ends inside the compressed data */
    ERR_INFLATE_DATA,    /* malformed deflate data: block type, lengths, codes */
    ERR_INFLATE_DISTANCE, /* a back-reference to before the start of the output */
    ERR_GZIP_HEADER,     /* no gzip magic, not deflate, reserved flags, header CRC */
    ERR_GZIP_CRC,        /* the trailer's CRC-32 is not the data's */
    ERR_GZIP_SIZE,       /* the trailer's ISIZE is not the data's length */
    ERR_GZIP_LIMIT,      /* more output than the caller allows (a gzip bomb) */
    ERR_COUNT
} err_t;

/* A short constant description of an error code; never NULL. */
const char *err_str(err_t e);

#endif
