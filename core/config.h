/* config.h: the loader's tunables in one struct, with defaults, and the parser of the boot
 * configuration file /boot/multios.cfg that overrides them. Pure core.
 *
 * The file format (README.md, "Configuration", says it for users):
 *   - text, one `key = value` a line; LF or CRLF line ends; the last line needs no newline;
 *     a UTF-8 byte-order mark at the start is skipped (Windows Notepad writes one)
 *   - blank lines and lines whose first non-blank character is `#` are ignored (no comments
 *     after a value: `#` is a valid command-line character)
 *   - spaces and tabs around keys and values are ignored; keys are case-insensitive
 *   - `[title]` starts a boot entry; the entry keys after it belong to that entry. The entry
 *     keys before the first `[title]` form an entry too (titled after its kernel), so a
 *     file without any `[title]` is one entry, as in every file written before entries
 *     existed; in a file with titled entries that top part only counts as an entry when it
 *     names a kernel (otherwise its entry keys are reported and ignored).
 *   - global keys (anywhere in the file; they apply to the whole boot):
 *       heap_size  boot-heap size: decimal or 0x hex with an optional K/M/G suffix (KiB,
 *                  MiB, GiB), at least the 1 MiB heap minimum (default 16M)
 *       frame_size bytes per frame of the allocator: a power of two from 4K to 512K
 *                  (CONFIG_FILE_MAX_FRAME_GRAN)
 *       heap_min   lowest physical address of the boot heap (number as for heap_size)
 *       memtest    on/off, yes/no, true/false, 1/0 (default off)
 *       log_level  error, warn, info, debug or 0-3 (default info)
 *       default    the entry to boot: its title, or its number counting from 1 (default:
 *                  the first entry)
 *   - entry keys:
 *       kernel     path of the kernel on the FAT32 partition, starting with `/`, at most
 *                  CONFIG_KERNEL_MAX bytes (default /boot/kernel.elf)
 *       cmdline    the rest of the line, at most CONFIG_CMDLINE_MAX bytes, handed to the
 *                  kernel (default empty)
 *       protocol   how the kernel is booted: auto (its headers decide), multios,
 *                  multiboot1 or multiboot2 (default auto)
 *       module     `/path the module's command line`: a file loaded beside the kernel. The
 *                  first repeatable key: every line adds one module, in file order, any
 *                  number (bounded by the file's size); the path ends at the first blank
 *                  (at most CONFIG_KERNEL_MAX bytes), the command line is the rest
 *                  (at most CONFIG_CMDLINE_MAX bytes)
 *       video      auto (the kernel's own request, if any; the default), text (keep EGA
 *                  text), or WIDTHxHEIGHTxDEPTH / WIDTHxHEIGHT: a graphics mode no larger,
 *                  in decimal (core/video_pick.h says how the mode is chosen)
 *   - a line longer than CONFIG_LINE_MAX bytes, a line holding a NUL byte, a line without
 *     `=`, an unknown key, a malformed or out-of-range value, a key given a second time in
 *     the same scope (the file's globals, or one entry), a malformed or repeated `[title]`
 *     and the keys under a refused one are each reported with their line number and
 *     ignored: that key keeps its default (for a duplicate, the first value stays). A
 *     broken line never stops the rest of the file. */
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
#define CONFIG_TITLE_MAX     63u    /* bytes of an entry's [title] */
#define CONFIG_ENTRIES_MAX   16u    /* entries in one file, the untitled top one included */
#define CONFIG_LINE_MAX      1408u  /* bytes of one line, without its line end: room for
                                     * `module = ` with the longest path and command line */
#define CONFIG_FILE_MAX      16384u /* stage2 reads at most this much of the file */
#define CONFIG_KEY_TEXT_MAX  23u    /* bytes of the key copied into a config_error */
/* The strings kept (titles, paths, command lines) are pieces of the file, each shorter than
 * its line (a value never holds its `=`, a title never its brackets); a module line adds a
 * record (three pointers, plus alignment: at most 15 bytes in 32-bit stage2, 31 on a 64-bit
 * host) to its two strings, and is at least 10 bytes long with its line end (`module=/a`),
 * so twice the file's size bounds it all in stage2, four times on a 64-bit host; a longer
 * text (host callers may pass one) is reported CONFIG_NO_ROOM. Stage2's bss is tight (its
 * image and bss end below STAGE2_END_MAX), hence not simply the larger bound. */
#define CONFIG_POOL_MAX      ((sizeof(void *) > 4 ? 4u : 2u) * CONFIG_FILE_MAX)
/* The largest frame_size the file may ask for, below config_validate's bound: stage2's low
 * memory (kernel stack at 0x60000, bounce buffer up to 0x80000) must stay in whole usable
 * frames. With 512 KiB frames, conventional memory [0, ~0x9fc00) still holds the frame
 * [0, 0x80000); 1 MiB frames leave none below 1 MiB and the boot panics (measured). */
#define CONFIG_FILE_MAX_FRAME_GRAN (512ull << 10)

enum config_key {
    CONFIG_KEY_KERNEL,      /* entry keys */
    CONFIG_KEY_CMDLINE,
    CONFIG_KEY_PROTOCOL,
    CONFIG_KEY_MODULE,      /* repeatable */
    CONFIG_KEY_VIDEO,
    CONFIG_KEY_HEAP_SIZE,   /* global keys */
    CONFIG_KEY_FRAME_SIZE,
    CONFIG_KEY_HEAP_MIN,
    CONFIG_KEY_MEMTEST,
    CONFIG_KEY_LOG_LEVEL,
    CONFIG_KEY_DEFAULT,
    CONFIG_KEY_COUNT,
    CONFIG_KEY_NONE = CONFIG_KEY_COUNT /* the line has no key we know */
};

/* True for the keys that belong to an entry (the rest are the file's globals). */
bool config_key_is_entry(enum config_key k);
/* True for the keys whose every line adds a value (in file order) instead of setting one:
 * they are never a duplicate. */
bool config_key_is_repeatable(enum config_key k);

/* `protocol`: how the entry's kernel is booted. AUTO lets the kernel's headers decide (a
 * Multiboot 2 header over a Multiboot 1 header over a plain ELF). Room for more (linux). */
enum config_protocol {
    CONFIG_PROTOCOL_AUTO,
    CONFIG_PROTOCOL_MULTIOS,
    CONFIG_PROTOCOL_MULTIBOOT1,
    CONFIG_PROTOCOL_MULTIBOOT2,
    CONFIG_PROTOCOL_COUNT
};

/* The protocol's name as the file writes it ("multiboot2"), "?" out of range. */
const char *config_protocol_name(enum config_protocol p);

enum config_problem {
    CONFIG_BAD_SYNTAX,      /* no `=`, or nothing before it */
    CONFIG_UNKNOWN_KEY,
    CONFIG_BAD_VALUE,       /* not a number / word / path this key takes */
    CONFIG_OUT_OF_RANGE,    /* well-formed, but config_validate refuses it */
    CONFIG_VALUE_TOO_LONG,  /* kernel or cmdline past its maximum */
    CONFIG_DUPLICATE,       /* the key was already given; the first value stays */
    CONFIG_LINE_TOO_LONG,   /* past CONFIG_LINE_MAX */
    CONFIG_NUL_BYTE,        /* a NUL byte inside the line */
    CONFIG_BAD_TITLE,       /* `[title]` empty, unclosed, too long or with control bytes */
    CONFIG_DUPLICATE_TITLE, /* a second entry with a title already used */
    CONFIG_TOO_MANY_ENTRIES, /* past CONFIG_ENTRIES_MAX */
    CONFIG_UNDER_BAD_TITLE, /* an entry key under a refused `[title]` */
    CONFIG_NO_KERNEL_ABOVE, /* an entry key above the first `[title]` with no kernel there */
    CONFIG_NO_SUCH_ENTRY,   /* `default` names no entry: the first one boots */
    CONFIG_NO_ROOM,         /* the strings outgrew CONFIG_POOL_MAX (a text past the file limit) */
    CONFIG_PROBLEM_COUNT
};

/* One rejected line, as the error callback receives it. */
struct config_error {
    uint32_t line;                        /* 1-based */
    enum config_problem problem;
    enum config_key key;                  /* CONFIG_KEY_NONE when the key is unknown/absent */
    char key_text[CONFIG_KEY_TEXT_MAX + 1]; /* the key (or [title]) as written (clipped,
                                               NUL-terminated, bytes outside 0x21..0x7e
                                               shown as '?') */
};

typedef void (*config_error_fn)(void *ctx, const struct config_error *e);

/* One `module` line: a file loaded beside the kernel. In the pool, linked in file order. */
struct config_module {
    const struct config_module *next; /* NULL: the entry's last */
    const char *path;                 /* absolute, no blanks */
    const char *cmdline;              /* the rest of the line, "" when none */
};

/* An entry's `video`: CONFIG_VIDEO_AUTO unless the entry gives one. */
#define CONFIG_VIDEO_AUTO 0u /* whatever the kernel's headers ask for */
#define CONFIG_VIDEO_TEXT 1u /* EGA text, whatever they ask for */
#define CONFIG_VIDEO_MODE 2u /* a graphics mode: width x height (x depth, 0: no preference) */
#define CONFIG_VIDEO_DIM_MAX   16384u /* pixels: past any VBE mode (16-bit fields) in use */
#define CONFIG_VIDEO_DEPTH_MAX 32u
struct config_video {
    uint32_t mode;     /* CONFIG_VIDEO_* */
    uint32_t width, height, depth;
};

/* One boot entry: what to boot and how. Its strings point into the config_file's pool (or
 * at constant defaults), so a config_file is not to be copied with `=`. */
struct config_entry {
    const char *title;   /* the `[title]`; "" for the entry above the first title */
    const char *kernel;  /* CONFIG_DEFAULT_KERNEL unless the entry names one */
    const char *cmdline; /* "" unless the entry gives one */
    enum config_protocol protocol;        /* CONFIG_PROTOCOL_AUTO unless given */
    const struct config_module *modules;  /* the first `module`, NULL when none */
    uint32_t module_count;
    struct config_video video;
    uint32_t set;        /* bit (1u << CONFIG_KEY_x) for each entry key it gave */
    uint32_t line;       /* the line of its `[title]`, 0 for the top entry */
};

/* What a configuration file says: the global tunables, the entries and which one boots
 * (caller-owned storage: no allocation). */
struct config_file {
    struct boot_config cfg;
    uint32_t set;      /* bit (1u << CONFIG_KEY_x): a global key came from the file */
    struct config_entry entry[CONFIG_ENTRIES_MAX];
    uint32_t entry_count;  /* >= 1: without a usable entry in the file, the default one */
    uint32_t chosen;       /* index of the entry to boot: `default`, else 0 */
    uint32_t errors;   /* lines rejected (each reported once through on_error) */
    uint32_t lines;    /* lines seen */
    uint32_t accepted; /* lines that set something (`[title]` lines included) */
    /* parser state */
    uint32_t pool_used;
    uint32_t top_line;          /* first entry key above any title (0: none) */
    const char *default_text;   /* `default`'s value until the entries are known */
    uint32_t default_line;
    /* strings and module records; aligned for the records */
    _Alignas(struct config_module) char pool[CONFIG_POOL_MAX];
};

/* The entry to boot. */
static inline const struct config_entry *config_chosen(const struct config_file *f)
{
    return &f->entry[f->chosen];
}

/* How the log and a menu name an entry: its title, else its kernel's path. */
static inline const char *config_entry_name(const struct config_entry *e)
{
    return e->title[0] ? e->title : e->kernel;
}

/* Defaults: config_defaults and one untitled entry with kernel CONFIG_DEFAULT_KERNEL, an
 * empty command line, nothing set. */
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
