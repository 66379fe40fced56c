/* multiboot.h: Multiboot 1 (spec 0.6.96) and Multiboot 2 (spec 2.0) as the loader sees them:
 * the headers a kernel carries, parsed and judged (mb_header.c), the image they describe
 * placed (mb_place.c), and the information structures handed to the kernel, built into a
 * caller's buffer (mb1_info.c, mb2_info.c, from the one map mb_map.c derives). Pure core:
 * every input, however hostile, gets ERR_OK or an error code with a reason.
 *
 * Field layouts follow the specifications (GRUB's multiboot.h / multiboot2.h agree); the
 * offsets are written out where the structures are built, not as C structs, because the
 * Multiboot 1 structures are packed (a memory-map entry's 64-bit base sits at offset 4). */
#ifndef MULTIBOOT_H
#define MULTIBOOT_H

#include <stdbool.h>
#include <stdint.h>

#include "elf.h"
#include "error.h"
#include "memmap.h"

/* ---- Multiboot 1 ---- */
#define MB1_HEADER_MAGIC 0x1BADB002u
#define MB1_BOOT_MAGIC   0x2BADB002u /* EAX at entry */
#define MB1_SEARCH       8192u       /* the header lies within the file's first 8 KiB */
#define MB1_HEADER_ALIGN 4u

/* Header flags: bits 0-15 are requirements (a loader that does not know one must refuse),
 * 16-31 optional. */
#define MB1_FLAG_PAGE_ALIGN (1u << 0)  /* modules page-aligned */
#define MB1_FLAG_MEMORY     (1u << 1)  /* mem_* (and the map) in the info */
#define MB1_FLAG_VIDEO      (1u << 2)  /* the mode fields at 32..47 are valid */
#define MB1_FLAG_AOUT       (1u << 16) /* the address fields at 12..31 are valid */
#define MB1_FLAGS_REQUIRED  0xffffu
#define MB1_FLAGS_KNOWN     (MB1_FLAG_PAGE_ALIGN | MB1_FLAG_MEMORY | MB1_FLAG_VIDEO)

/* The info structure: flags say which fields are valid. */
#define MB1_INFO_MEMORY      (1u << 0)  /* mem_lower, mem_upper */
#define MB1_INFO_BOOTDEV     (1u << 1)
#define MB1_INFO_CMDLINE     (1u << 2)
#define MB1_INFO_MODS        (1u << 3)
#define MB1_INFO_MEM_MAP     (1u << 6)
#define MB1_INFO_DRIVES      (1u << 7)
#define MB1_INFO_LOADER_NAME (1u << 9)
#define MB1_INFO_APM         (1u << 10)
#define MB1_INFO_VBE         (1u << 11)
#define MB1_INFO_FRAMEBUFFER (1u << 12)
#define MB1_INFO_SIZE        116u       /* through color_info */
#define MB1_MMAP_ENTRY_SIZE  24u        /* with its own `size` word, which says 20 */
#define MB1_MODULE_SIZE      16u

/* ---- Multiboot 2 ---- */
#define MB2_HEADER_MAGIC 0xE85250D6u
#define MB2_BOOT_MAGIC   0x36D76289u /* EAX at entry */
#define MB2_SEARCH       32768u      /* the header lies within the file's first 32 KiB */
#define MB2_HEADER_ALIGN 8u
#define MB2_ARCH_I386    0u
#define MB2_TAG_ALIGN    8u

/* Header tag types; flags bit 0 marks a tag optional. */
#define MB2_HTAG_END          0u
#define MB2_HTAG_INFO_REQUEST 1u
#define MB2_HTAG_ADDRESS      2u
#define MB2_HTAG_ENTRY        3u
#define MB2_HTAG_CONSOLE      4u
#define MB2_HTAG_FRAMEBUFFER  5u
#define MB2_HTAG_MODULE_ALIGN 6u
#define MB2_HTAG_EFI_BS       7u
#define MB2_HTAG_ENTRY_EFI32  8u
#define MB2_HTAG_ENTRY_EFI64  9u
#define MB2_HTAG_RELOCATABLE  10u
#define MB2_HTAG_OPTIONAL     1u

/* Information tag types. */
#define MB2_TAG_END          0u
#define MB2_TAG_CMDLINE      1u
#define MB2_TAG_LOADER_NAME  2u
#define MB2_TAG_MODULE       3u
#define MB2_TAG_BASIC_MEMINFO 4u
#define MB2_TAG_BOOTDEV      5u
#define MB2_TAG_MMAP         6u
#define MB2_TAG_VBE          7u
#define MB2_TAG_FRAMEBUFFER  8u
#define MB2_TAG_ELF_SECTIONS 9u
#define MB2_TAG_APM          10u
#define MB2_TAG_EFI32        11u
#define MB2_TAG_EFI64        12u
#define MB2_TAG_SMBIOS       13u
#define MB2_TAG_ACPI_OLD     14u
#define MB2_TAG_ACPI_NEW     15u
#define MB2_TAG_NETWORK      16u
#define MB2_TAG_EFI_MMAP     17u
#define MB2_TAG_EFI_BS       18u
#define MB2_TAG_EFI32_IH     19u
#define MB2_TAG_EFI64_IH     20u
#define MB2_TAG_LOAD_BASE    21u
#define MB2_TAG_TYPES        22u
#define MB2_MMAP_ENTRY_SIZE  24u

/* Relocatable tag preferences. */
#define MB2_RELOC_NONE 0u
#define MB2_RELOC_LOW  1u
#define MB2_RELOC_HIGH 2u

/* Framebuffer types (both versions). */
#define MB_FB_INDEXED  0u
#define MB_FB_RGB      1u
#define MB_FB_EGA_TEXT 2u

/* What a header says, as far as the loader uses it. */
enum mb_found {
    MB_NONE,   /* no magic in the window: the file is not this protocol's */
    MB_BROKEN, /* magic, but no valid checksum (or the header runs out of the window) */
    MB_HEADER, /* a header (checksum valid): it claims the kernel, even if refused later */
};

struct mb_header {
    enum mb_found found;
    uint32_t version;         /* 1 or 2 */
    uint32_t offset;          /* file offset of the magic */
    uint32_t flags;           /* Multiboot 1: the header's flags word */
    /* Load by these instead of an ELF header (MB1 flag 16, the MB2 address tag); the image
     * is file[text_offset, +load_size) at load_addr, then bss up to load_addr + mem_size. */
    bool has_addr;
    uint32_t header_addr, load_addr, load_end_addr, bss_end_addr;
    uint32_t text_offset;
    uint32_t load_size, mem_size;
    bool has_entry;           /* MB1 with addresses, the MB2 entry tag */
    uint32_t entry_addr;
    bool page_align_modules;  /* MB1 flag 0, MB2 module alignment tag */
    /* A display request: MB1 flag 2 (mode_type 0 graphics, 1 text), the MB2 framebuffer
     * tag (graphics). 0 = no preference. */
    bool video;
    bool video_text;
    uint32_t width, height, depth;
    bool console;             /* MB2 console flags tag */
    uint32_t console_flags;
    bool relocatable;         /* MB2 relocatable tag */
    uint32_t min_addr, max_addr, align, preference;
    uint32_t requests;        /* MB2: information types requested (each at most once) */
    uint32_t ignored;         /* MB2: tags not applicable under BIOS (EFI) or optional and
                                 unknown, skipped */
    char reason[160];         /* why not, when the result is not ERR_OK */
};

/* Find and judge the Multiboot 1 header in head[0..head_len) (the file's first bytes; the
 * file has file_size bytes): the first 4-aligned magic in the first MB1_SEARCH bytes with a
 * valid checksum. ERR_NOT_FOUND (found = MB_NONE or MB_BROKEN: a magic without a valid
 * checksum, said in reason), ERR_OK, or the reason it is refused (found = MB_HEADER): a
 * required flag not known, address fields that contradict each other or the file, fields
 * past the window. head_len must cover min(file_size, MB1_SEARCH) for a complete search. */
err_t mb1_header_parse(const uint8_t *head, uint64_t head_len, uint64_t file_size,
                       struct mb_header *h);

/* The same for Multiboot 2 (8-aligned, first MB2_SEARCH bytes): architecture, length,
 * checksum, then every tag; a tag or an information request marked required that this
 * loader does not support is refused with its name. */
err_t mb2_header_parse(const uint8_t *head, uint64_t head_len, uint64_t file_size,
                       struct mb_header *h);

/* Name of a Multiboot 2 header tag or information tag type, "unknown" past the known. */
const char *mb2_header_tag_name(uint32_t type);
const char *mb2_info_tag_name(uint32_t type);

/* Does this loader answer a required Multiboot 2 information request for `type`? Yes for
 * what it provides and for what cannot exist under a BIOS (the EFI tags). */
bool mb2_info_tag_supported(uint32_t type);

/* The image of a header with address fields as one segment (vaddr = paddr = load_addr,
 * file bytes from text_offset, bss zeroed, entry entry_addr), validated, for elf_place and
 * elf_load. */
void mb_aout_image(const struct mb_header *h, struct elf_info *out);

/* ---- placement (mb_place.c) ---- */

/* Move the whole image (every segment by one delta, so its layout is kept) into free RAM:
 * base a multiple of max(align, frame size), at or above min_addr and every env->avoid
 * range, ending at or below max_addr; the lowest such base, or the highest for
 * MB2_RELOC_HIGH. Reserves the frames (env->kernel_type, written back into the map) and
 * sets each segment's load, load_lo/hi, entry_phys and relocated. ERR_NO_MEMORY with the
 * reason when nothing fits; ERR_INVALID_ARG for a bad tag (align not a power of two,
 * min_addr above max_addr). */
err_t mb_place_relocated(struct elf_info *info, const struct mb_header *h,
                         const struct elf_place_env *env);

/* ---- the information structures (mb_map.c, mb1_info.c, mb2_info.c) ---- */

/* The memory map a Multiboot kernel gets, from the loader's final map: the loader's own
 * types reported as available RAM (1) and merged with their neighbours again, every other
 * entry as it is, byte-exact. Step through it: *i starts at 0; false at the end. */
bool mb_map_next(const struct memmap *m, uint32_t *i, struct e820_entry *out);

/* mem_lower: KiB of the available entry at 0 (at most 640); mem_upper: KiB of the available
 * entry holding 1 MiB, from 1 MiB to its end (at most 0xffffffff). Both 0 when absent. */
void mb_mem_lower_upper(const struct memmap *m, uint32_t *lower, uint32_t *upper);

/* The firmware's VBE blocks both versions copy for a VBE mode (VbeInfoBlock, ModeInfoBlock). */
#define MB_VBE_CONTROL_INFO_SIZE 512u
#define MB_VBE_MODE_INFO_SIZE    256u

/* A framebuffer as both versions describe it. */
struct mb_framebuffer {
    uint64_t addr;
    uint32_t pitch, width, height;
    uint8_t bpp, type;        /* MB_FB_* */
    uint8_t red_pos, red_size, green_pos, green_size, blue_pos, blue_size; /* MB_FB_RGB */
    /* A VBE mode set (MB1 flag 11 and its fields, the MB2 VBE info tag): the mode number and
     * the two blocks, copied into the structure; NULL blocks when text mode was kept. The
     * protected-mode interface (4F0Ah) is not queried: its fields are 0. */
    uint16_t vbe_mode;
    const uint8_t *vbe_control_info; /* MB_VBE_CONTROL_INFO_SIZE bytes */
    const uint8_t *vbe_mode_info;    /* MB_VBE_MODE_INFO_SIZE bytes */
};

/* One module as loaded. */
struct mb_module {
    uint32_t start, end;      /* [start, end): its bytes */
    const char *cmdline;
};

/* Everything an information structure says. */
struct mb_info_in {
    const struct memmap *map;        /* the loader's final map (mb_map_next converts it) */
    const char *cmdline;             /* never NULL */
    const char *loader_name;
    const struct mb_module *modules;
    uint32_t module_count;
    uint32_t boot_drive;             /* BIOS drive number */
    uint32_t boot_partition;         /* 0-based MBR slot, 0xffffffff: none */
    const struct mb_framebuffer *fb; /* NULL: none */
    const uint8_t *rsdp;             /* the RSDP's bytes, NULL: none */
    uint32_t rsdp_length;            /* 20 (ACPI 1.0) or the structure's length (2.0+) */
    uint32_t load_base;              /* Multiboot 2: where the image's lowest byte went */
};

/* Build the structure into buf[0..cap), which lies at physical `phys` (the pointers inside
 * are physical and below 4 GiB). buf NULL measures: *used gets the bytes needed either way.
 * ERR_CAPACITY when cap is too small (buf's contents then undefined), ERR_OVERFLOW when it
 * would cross 4 GiB, ERR_INVALID_ARG for NULL inputs. Multiboot 1: the 116-byte structure,
 * then the map (entries of 24 bytes, `size` 20), the module list, the VBE blocks (a VBE
 * mode), the strings. Multiboot 2: total_size, then 8-aligned tags: command line, loader
 * name, modules, basic memory, BIOS boot device, memory map, VBE info (a VBE mode),
 * framebuffer, ACPI old and new RSDP, load base, end. */
err_t mb1_info_build(void *buf, uint64_t cap, uint64_t phys, const struct mb_info_in *in,
                     uint64_t *used);
err_t mb2_info_build(void *buf, uint64_t cap, uint64_t phys, const struct mb_info_in *in,
                     uint64_t *used);

#endif
