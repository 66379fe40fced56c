/* config.h: the loader's tunables in one struct, with defaults. The config-file parser that
 * overrides them comes later; until then stage2 uses config_defaults() as is. Pure core. */
#ifndef CONFIG_H
#define CONFIG_H

#include <stdbool.h>
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

#endif
