/* load.h: reading the inspector's input: a file or stdin into one NUL-terminated buffer. */
#ifndef E820_LOAD_H
#define E820_LOAD_H

#include <stddef.h>

#include "parse.h"

/* Inputs larger than this are refused rather than read: a whole syslog fits many times. */
#define LOAD_MAX_BYTES (64u << 20)

/* Read path ("-" = stdin) into a malloc'd NUL-terminated *text, NUL bytes inside replaced by
 * 0x1a. ERR_IO if it cannot be read, ERR_CAPACITY past LOAD_MAX_BYTES. */
err_t load_text(const char *path, char **text, struct parse_error *err);

/* True if path names a directory (then it is read as /sys/firmware/memmap). */
int load_is_directory(const char *path);

#endif
