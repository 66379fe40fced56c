/* multios/bootinfo.h: the boot-info structure MultiOS hands to a kernel. Copy this file into
 * your kernel; it depends only on <stdint.h>. Every field has a fixed width and a fixed offset
 * (checked below), so the same header serves 32-bit and 64-bit kernels. The specification,
 * with the entry state and the compatibility rules, is docs/PROTOCOL.md. */
#ifndef MULTIOS_BOOTINFO_H
#define MULTIOS_BOOTINFO_H

#include <stdint.h>

#define MULTIOS_BOOTINFO_MAGIC   0x31544F4F42534F4DULL /* "MOSBOOT1", little-endian */
/* Versions only add (fields, flags, types, guarantees): accept version >= the one you know. */
#define MULTIOS_BOOTINFO_VERSION 3u
/* A 32-bit kernel is entered with this in EAX and the boot-info address in EBX. */
#define MULTIOS_BOOT_EAX_MAGIC   0x4D4F5342u           /* "MOSB" */

/* Memory types in the final map. The firmware's E820 types keep their numbers; 0x1000..0x1005
 * are the loader's own. Everything except USABLE and the loader types is memory the kernel
 * must not touch; treat a type you do not know as reserved. */
#define MULTIOS_MEM_USABLE            1u
#define MULTIOS_MEM_RESERVED          2u
#define MULTIOS_MEM_ACPI_RECLAIMABLE  3u
#define MULTIOS_MEM_ACPI_NVS          4u
#define MULTIOS_MEM_BAD               5u
#define MULTIOS_MEM_PERSISTENT        7u
#define MULTIOS_MEM_PRAM             12u
/* Loader-owned: free for the kernel once it no longer needs what they hold. */
#define MULTIOS_MEM_LOADER_RECLAIMABLE 0x1000u /* [0, 0x80000): loader, IVT/BDA, kernel stack */
#define MULTIOS_MEM_KERNEL             0x1001u /* the kernel's loaded segments, and (version
                                                * 3) the modules */
#define MULTIOS_MEM_BOOT_HEAP          0x1002u /* the boot heap: command lines, segment table,
                                                * module paths */
#define MULTIOS_MEM_FRAME_BITMAP       0x1003u
#define MULTIOS_MEM_PAGE_TABLES        0x1004u
#define MULTIOS_MEM_BOOT_INFO          0x1005u /* this structure, the memory map, the raw E820
                                                * table, the module table */

#define MULTIOS_MEM_IS_LOADER(t) ((t) >= 0x1000u && (t) <= 0x1005u)

/* ACPI 3.0 extended attributes (bit 0: enabled, bit 1: non-volatile). */
#define MULTIOS_MEM_ATTR_ENABLED     1u
#define MULTIOS_MEM_ATTR_NONVOLATILE 2u

/* boot_info.flags */
#define MULTIOS_BOOT_LONG_MODE   (1u << 0) /* kernel entered in 64-bit mode */
#define MULTIOS_BOOT_E820        (1u << 1) /* map came from INT 15h E820 */
#define MULTIOS_BOOT_E801        (1u << 2) /* ... from the E801 fallback */
#define MULTIOS_BOOT_INT15_88    (1u << 3) /* ... from the 88h fallback */
#define MULTIOS_BOOT_LOW_GUESS   (1u << 4) /* ... from the conservative built-in guess */
#define MULTIOS_BOOT_E820_ATTRS  (1u << 5) /* some E820 entry was 24 bytes: e820_raw attrs
                                            * are the BIOS's */

/* One memory-map entry: the E820 layout, 24 bytes. In the final map attr is always
 * MULTIOS_MEM_ATTR_ENABLED (entries the firmware marked disabled were dropped). */
struct multios_mmap_entry {
    uint64_t base;
    uint64_t length;
    uint32_t type;
    uint32_t attr;
};

/* What the loader's sanitizer changed in the firmware's table. */
struct multios_sanitize_report {
    uint32_t overlaps;       /* overlapping pieces resolved (the higher type number won) */
    uint32_t zero_length;    /* zero-length entries dropped */
    uint32_t type_zero;      /* type-0 entries dropped */
    uint32_t wraps_clipped;  /* entries whose end wrapped past 2^64, clipped */
    uint32_t attr_ignored;   /* entries dropped because ACPI 3.0 "enabled" was clear */
    uint32_t merged;         /* entries merged into a neighbour of the same type */
    uint32_t unsorted;       /* 1 if the firmware's table was not sorted by base */
    uint32_t reserved;
};

/* One region of the frame bitmap: `frames` frames starting at physical `base`, whose bits
 * start at bit `bit_offset` of the bitmap. A set bit is a used frame. */
struct multios_frame_region {
    uint64_t base;
    uint64_t frames;
    uint64_t bit_offset;
};

/* The loader's frame bitmap, for a kernel that wants to adopt it. */
struct multios_frame_bitmap {
    uint64_t bitmap;        /* physical address of the bits (uint64_t words) */
    uint64_t bitmap_bytes;
    uint64_t regions;       /* physical address of struct multios_frame_region[region_count] */
    uint32_t region_count;
    uint32_t reserved;
    uint64_t granularity;   /* bytes per frame (power of two, >= 4096) */
    uint64_t frames_total;  /* frames covered (usable RAM only) */
    uint64_t frames_free;
};

struct multios_heap_info {
    uint64_t base;
    uint64_t size;
    uint64_t used;
    uint64_t peak;
    uint32_t allocations;
    uint32_t failures;
};

/* Where one loaded segment (ELF PT_LOAD) went. An ELF64 kernel's segments are placed at
 * p_paddr when that memory is usable and free, elsewhere otherwise, and relocated groups of
 * segments need not be contiguous: this table, not kernel_phys_base, says where each is. */
struct multios_segment {
    uint64_t vaddr;          /* p_vaddr: where it is mapped (64-bit) */
    uint64_t phys;           /* physical address it was loaded at */
    uint64_t memsz;          /* p_memsz: bytes at phys (BSS zeroed) */
    uint64_t paddr;          /* p_paddr as the file asked (== phys unless relocated) */
    uint32_t flags;          /* ELF p_flags: 1 X, 2 W, 4 R */
    uint32_t reserved;
};

/* One module (version 3): a file the configuration's `module` lines name, loaded at a
 * page-aligned address below 4 GiB, in KERNEL memory. */
struct multios_module {
    uint64_t base;           /* physical address of its first byte, a multiple of 4096 */
    uint64_t size;           /* bytes of the file (its frames may run further, unused) */
    uint64_t path;           /* physical address of its path on the boot partition */
    uint64_t cmdline;        /* physical address of its command line: always a string, "" when
                              * the line gave none */
};

/* framebuffer.type (version 2) */
#define MULTIOS_FB_NONE     0u /* no screen described */
#define MULTIOS_FB_RGB      1u /* a linear framebuffer in direct colour (a VBE mode) */
#define MULTIOS_FB_EGA_TEXT 2u /* the VGA text buffer: 2 bytes a cell, character then attribute */

/* The screen at entry (version 2). A framebuffer is device memory below 4 GiB, normally in
 * no map entry (the PCI hole) or in a reserved one; never over usable, loader, ACPI, NVS or
 * persistent memory. docs/PROTOCOL.md section 4 says what a kernel may rely on. */
struct multios_framebuffer {
    uint64_t addr;           /* physical address of the top-left pixel (text: cell) */
    uint64_t size;           /* bytes from addr the screen spans: pitch * height */
    uint32_t type;           /* MULTIOS_FB_* */
    uint32_t pitch;          /* bytes from one row to the next (may exceed width * bpp / 8) */
    uint32_t width;          /* pixels (text: characters) */
    uint32_t height;         /* rows of pixels (text: of characters) */
    uint16_t bpp;            /* bits per pixel: 15, 16, 24 or 32 (text: 16) */
    uint16_t vbe_mode;       /* the VBE mode number set, 0 when none (text mode kept) */
    uint8_t  red_pos;        /* RGB: lowest bit of each channel within a pixel, and its width */
    uint8_t  red_size;
    uint8_t  green_pos;
    uint8_t  green_size;
    uint8_t  blue_pos;
    uint8_t  blue_size;
    uint16_t reserved0;      /* 0 */
    uint32_t reserved;       /* 0 */
};

struct multios_boot_info {
    uint64_t magic;              /* MULTIOS_BOOTINFO_MAGIC */
    uint32_t version;            /* MULTIOS_BOOTINFO_VERSION */
    uint32_t size;               /* sizeof(struct multios_boot_info) as the loader built it;
                                  * never read at or past it */
    char     loader_name[32];    /* NUL-terminated */
    char     loader_version[16]; /* NUL-terminated */
    uint32_t boot_drive;         /* BIOS drive number the loader was booted from (DL) */
    uint32_t flags;              /* MULTIOS_BOOT_* */
    uint64_t cmdline;            /* physical address of a NUL-terminated string, always
                                  * valid: "" when none is configured, never 0 */
    uint64_t rsdp;               /* physical address of the ACPI RSDP, 0 if not found */
    uint64_t hhdm_offset;        /* 64-bit: virtual = physical + hhdm_offset for all RAM */
    uint64_t page_table_root;    /* CR3 at entry (0 for 32-bit kernels: paging off) */
    uint64_t kernel_phys_base;   /* lowest physical address of the loaded image */
    uint64_t kernel_phys_size;   /* bytes from kernel_phys_base to the end of the image */
    uint64_t kernel_entry;       /* entry point as jumped to */
    uint64_t stack_base;         /* lowest address of the kernel's initial stack (physical) */
    uint64_t stack_size;
    /* The final map: sorted, non-overlapping, loader types included. Usable and loader
     * entries are whole frames; slivers of usable RAM cut off by alignment are left out. */
    uint64_t mmap;               /* physical address of struct multios_mmap_entry[mmap_count] */
    uint32_t mmap_count;
    uint32_t mmap_entry_size;    /* stride of the array: step by it, not by sizeof */
    /* The table exactly as the firmware returned it, in its order. */
    uint64_t e820_raw;           /* physical address of struct multios_mmap_entry[...] */
    uint32_t e820_raw_count;
    uint32_t e820_raw_entry_size; /* stride, as mmap_entry_size */
    struct multios_sanitize_report sanitize;
    struct multios_frame_bitmap frames;
    struct multios_heap_info heap;
    /* The kernel's segments as loaded, in program-header order (in the boot heap). */
    uint64_t segments;           /* physical address of struct multios_segment[segment_count] */
    uint32_t segment_count;
    uint32_t segment_entry_size; /* stride, as mmap_entry_size */
    /* Version 3: the modules, in the configuration's order (modules and module_count 0 when
     * there are none). */
    uint64_t modules;            /* physical address of struct multios_module[module_count] */
    uint32_t module_count;
    uint32_t module_entry_size;  /* stride, as mmap_entry_size */
    uint64_t reserved[4];        /* 0; a later version may use them, 0 meaning "absent" */
    /* Version 2: */
    struct multios_framebuffer framebuffer; /* the screen: a VBE mode, or EGA text */
};

#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
_Static_assert(sizeof(struct multios_mmap_entry) == 24, "mmap entry layout");
_Static_assert(sizeof(struct multios_sanitize_report) == 32, "sanitize report layout");
_Static_assert(sizeof(struct multios_frame_region) == 24, "frame region layout");
_Static_assert(sizeof(struct multios_frame_bitmap) == 56, "frame bitmap layout");
_Static_assert(sizeof(struct multios_heap_info) == 40, "heap info layout");
_Static_assert(sizeof(struct multios_segment) == 40, "segment layout");
_Static_assert(sizeof(struct multios_module) == 32, "module layout");
_Static_assert(__builtin_offsetof(struct multios_boot_info, modules) == 320, "boot_info layout");
_Static_assert(sizeof(struct multios_framebuffer) == 48, "framebuffer layout");
_Static_assert(__builtin_offsetof(struct multios_framebuffer, bpp) == 32, "framebuffer layout");
_Static_assert(__builtin_offsetof(struct multios_boot_info, boot_drive) == 64, "boot_info layout");
_Static_assert(__builtin_offsetof(struct multios_boot_info, mmap) == 144, "boot_info layout");
_Static_assert(__builtin_offsetof(struct multios_boot_info, sanitize) == 176, "boot_info layout");
_Static_assert(__builtin_offsetof(struct multios_boot_info, frames) == 208, "boot_info layout");
_Static_assert(__builtin_offsetof(struct multios_boot_info, heap) == 264, "boot_info layout");
_Static_assert(__builtin_offsetof(struct multios_boot_info, segments) == 304, "boot_info layout");
_Static_assert(__builtin_offsetof(struct multios_boot_info, framebuffer) == 368, "v2 layout");
_Static_assert(sizeof(struct multios_boot_info) == 416, "boot_info layout");
#endif

#endif
