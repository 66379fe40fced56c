/* config.h: the loader's tunables in one struct, with defaults, and the parser of the boot
 * configuration file /boot/multios.cfg that overrides them. Pure core.
 *
 * The file format (also in README.md, "Configuration"):
 *   - text, one `key = value` a line; LF or CRLF line ends; the last line needs no newline
 *   - blank lines and lines whose first non-blank character is `#` are ignored (no comments
 *     after a value: `#` is a valid command-line character)
 *   - spaces and tabs around keys and values are ignored; keys are case-insensitive
 *   - keys:
 *       kernel     path of the kernel on the FAT32 partition, starting with `/`, at most
 *                  CONFIG_KERNEL_MAX bytes (default /boot/kernel.elf)
 *       cmdline    the rest of the line, at most CONFIG_CMDLINE_MAX bytes, handed to the
 *                  kernel in the boot info (default empty)
 *       heap_size  boot-heap size: decimal or 0x hex with an optional K/M/G suffix (KiB,
 *                  MiB, GiB), at least the 1 MiB heap minimum (default 16M)
 *       frame_size bytes per frame of the allocator: a power of two from 4K to 512K
 *                  (CONFIG_FILE_MAX_FRAME_GRAN)
 *       heap_min   lowest physical address of the boot heap (number as for heap_size)
 *       memtest    on/off, yes/no, true/false, 1/0 (default off)
 *       log_level  error, warn, info, debug or 0-3 (default info)
 *   - a line longer than CONFIG_LINE_MAX bytes, a line holding a NUL byte, a line without
 *     `=`, an unknown key, a malformed or out-of-range value, and a key given a second time
 *     are each reported with their line number and ignored: that key keeps its default (for
 *     a duplicate, the first value stays). A broken line never stops the rest of the file. */
#ifndef CONFIG_H
#define CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Log levels: the same numbers as stage2/console.h (LOG_ERROR .. LOG_DEBUG). */
#define CONFIG_LOG_ERROR 0u
#define CONFIG_LOG_WARN  1u
#define CONFIG_LOG_INFO  2u
#define CONFIG_LOG_DEBUG 3u

#define CONFIG_DEFAULT_HEAP_SIZE     (16ull << 20) /* 16 MiB */
#define CONFIG_DEFAULT_HEAP_MIN_SIZE (1ull << 20)  /* below this the boot fails ("boot heap") */
#define CONFIG_DEFAULT_HEAP_ALIGN    4096ull
#define CONFIG_DEFAULT_HEAP_MIN_ADDR (1ull << 20)  /* keep the heap out of low memory */
#define CONFIG_DEFAULT_FRAME_GRAN    4096ull
#define CONFIG_DEFAULT_MEMTEST       false         /* slow under TCG: opt-in */
#define CONFIG_DEFAULT_LOG_LEVEL     CONFIG_LOG_INFO

/* Bounds config_validate enforces. */
#define CONFIG_MIN_FRAME_GRAN 4096ull
#define CONFIG_MAX_FRAME_GRAN (1ull << 30) /* 1 GiB frames: beyond that nothing useful fits */

struct boot_config {
    uint64_t heap_size;      /* wanted boot-heap size in bytes */
    uint64_t heap_min_size;  /* smallest acceptable heap; the heap shrinks down to this */
    uint64_t heap_align;     /* alignment of the heap's base (power of two; < gran means gran) */
    uint64_t heap_min_addr;  /* the heap is placed at or above this physical address */
    uint64_t frame_gran;     /* bytes per bitmap frame: a power of two >= 4096 */
    bool     memtest;        /* run memtest over free RAM before placing the heap */
    uint32_t log_level;      /* CONFIG_LOG_* */
};

/* Fill c with the defaults above. */
void config_defaults(struct boot_config *c);

/* ERR_OK if every field is in its domain, else ERR_INVALID_ARG: frame_gran a power of two in
 * [CONFIG_MIN_FRAME_GRAN, CONFIG_MAX_FRAME_GRAN], heap_align a non-zero power of two,
 * 0 < heap_min_size <= heap_size, heap_min_addr + heap_size not wrapping, log_level <= DEBUG. */
err_t config_validate(const struct boot_config *c);

/* ---- the configuration file ---- */

#define CONFIG_PATH          "/boot/multios.cfg"
#define CONFIG_DEFAULT_KERNEL "/boot/kernel.elf"
#define CONFIG_KERNEL_MAX    255u   /* bytes of the kernel path, without the NUL */
#define CONFIG_CMDLINE_MAX   1023u  /* bytes of the command line, without the NUL */
#define CONFIG_LINE_MAX      1152u  /* bytes of one line, without its line end */
#define CONFIG_FILE_MAX      16384u /* stage2 reads at most this much of the file */
#define CONFIG_KEY_TEXT_MAX  23u    /* bytes of the key copied into a config_error */
/* The largest frame_size the file may ask for, below config_validate's bound: stage2's low
 * memory (kernel stack at 0x60000, bounce buffer up to 0x80000) must stay in whole usable
 * frames. With 512 KiB frames, conventional memory [0, ~0x9fc00) still holds the frame
 * [0, 0x80000); 1 MiB frames leave none below 1 MiB and the boot panics (measured). */
#define CONFIG_FILE_MAX_FRAME_GRAN (512ull << 10)

enum config_key {
    CONFIG_KEY_KERNEL,
    CONFIG_KEY_CMDLINE,
    CONFIG_KEY_HEAP_SIZE,
    CONFIG_KEY_FRAME_SIZE,
    CONFIG_KEY_HEAP_MIN,
    CONFIG_KEY_MEMTEST,
    CONFIG_KEY_LOG_LEVEL,
    CONFIG_KEY_COUNT,
    CONFIG_KEY_NONE = CONFIG_KEY_COUNT /* the line has no key we know */
};

enum config_problem {
    CONFIG_BAD_SYNTAX,      /* no `=`, or nothing before it */
    CONFIG_UNKNOWN_KEY,
    CONFIG_BAD_VALUE,       /* not a number / word / path this key takes */
    CONFIG_OUT_OF_RANGE,    /* well-formed, but config_validate refuses it */
    CONFIG_VALUE_TOO_LONG,  /* kernel or cmdline past its maximum */
    CONFIG_DUPLICATE,       /* the key was already given; the first value stays */
    CONFIG_LINE_TOO_LONG,   /* past CONFIG_LINE_MAX */
    CONFIG_NUL_BYTE,        /* a NUL byte inside the line */
    CONFIG_PROBLEM_COUNT
};

/* One rejected line, as the error callback receives it. */
struct config_error {
    uint32_t line;                        /* 1-based */
    enum config_problem problem;
    enum config_key key;                  /* CONFIG_KEY_NONE when the key is unknown/absent */
    char key_text[CONFIG_KEY_TEXT_MAX + 1]; /* the key as written (clipped, NUL-terminated,
                                               bytes outside 0x21..0x7e shown as '?') */
};

typedef void (*config_error_fn)(void *ctx, const struct config_error *e);

/* What a configuration file says: the tunables plus the two strings (caller-owned storage:
 * no allocation). */
struct config_file {
    struct boot_config cfg;
    char kernel[CONFIG_KERNEL_MAX + 1];
    char cmdline[CONFIG_CMDLINE_MAX + 1];
    uint32_t set;      /* bit (1u << CONFIG_KEY_x): the value came from the file */
    uint32_t errors;   /* lines rejected (each reported once through on_error) */
    uint32_t lines;    /* lines seen */
};

/* Defaults: config_defaults, kernel CONFIG_DEFAULT_KERNEL, empty command line, nothing set. */
void config_file_defaults(struct config_file *out);

/* Parse `len` bytes of `text` (NULL with len 0 = an empty file) into *out, starting from
 * config_file_defaults. Every rejected line is reported through on_error (may be NULL) and
 * leaves its key as it was; out->cfg always passes config_validate. ERR_OK if every line
 * was accepted, ERR_BAD_FORMAT if any was rejected (the accepted ones still apply),
 * ERR_INVALID_ARG if out is NULL or text is NULL with len > 0. Total on every input. */
err_t config_parse(const char *text, size_t len, struct config_file *out,
                   config_error_fn on_error, void *ctx);

/* The key's name as written in the file ("heap_size"), "?" out of range. */
const char *config_key_name(enum config_key k);

/* A short description of a problem ("unknown key"), never NULL. */
const char *config_problem_str(enum config_problem p);

#endif
