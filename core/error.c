/* error.c: names for the project-wide error codes. */
#include "error.h"

static const char *const err_names[ERR_COUNT] = {
    [ERR_OK] = "ok",
    [ERR_INVALID_ARG] = "invalid argument",
    [ERR_OVERFLOW] = "address or size overflow",
    [ERR_CAPACITY] = "table capacity exceeded",
    [ERR_NOT_FOUND] = "not found",
    [ERR_SEALED] = "memory map already handed off",
    [ERR_NO_MEMORY] = "out of memory",
    [ERR_MISALIGNED] = "misaligned address or size",
    [ERR_NOT_USABLE] = "address is not usable RAM",
    [ERR_ALREADY_FREE] = "already free",
    [ERR_IN_USE] = "already in use",
    [ERR_NOT_OWNED] = "not owned by this allocator",
    [ERR_TOO_SMALL] = "not enough memory",
    [ERR_MEMTEST_FAILED] = "memory test failed",
    [ERR_BIOS] = "BIOS call failed",
    [ERR_E820_BAD_SIGNATURE] = "E820 signature lost mid-list",
    [ERR_E820_UNSUPPORTED] = "E820 not supported",
    [ERR_DISK_READ] = "disk read failed",
    [ERR_NO_LONG_MODE] = "CPU has no long mode",
    [ERR_NO_PAE] = "CPU has no PAE",
    [ERR_A20] = "A20 line could not be enabled",
    [ERR_BAD_FORMAT] = "malformed input",
    [ERR_BAD_MAGIC] = "bad magic number",
    [ERR_UNSUPPORTED] = "unsupported format",
    [ERR_TRUNCATED] = "truncated",
    [ERR_OVERLAP] = "overlapping regions",
    [ERR_IO] = "I/O error",
    [ERR_INFLATE_TRUNCATED] = "compressed data truncated",
    [ERR_INFLATE_DATA] = "invalid compressed data",
    [ERR_INFLATE_DISTANCE] = "compressed data refers back past its start",
    [ERR_GZIP_HEADER] = "invalid gzip header",
    [ERR_GZIP_CRC] = "CRC-32 mismatch: the data is corrupt",
    [ERR_GZIP_SIZE] = "length mismatch: not the size its ISIZE gives",
    [ERR_GZIP_LIMIT] = "decompresses to more than allowed (a gzip bomb?)",
};

const char *err_str(err_t e)
{
    if ((unsigned)e >= ERR_COUNT || !err_names[e])
        return "unknown error";
    return err_names[e];
}
