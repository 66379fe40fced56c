/* gpt.h: the GUID partition table (UEFI spec, chapter 5), read from sectors in memory: the
 * header (LBA 1, its backup at the disk's last LBA) checked with its CRC32, and the entry
 * array scanned a piece at a time for the partitions a FAT32 boot volume may be in
 * (Microsoft basic data, EFI system), checked against the header's CRC32 of the array.
 * Pure core: the caller reads the sectors. 512-byte sectors only, as the loader. */
#ifndef GPT_H
#define GPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define GPT_SECTOR_SIZE     512u
#define GPT_HEADER_LBA      1u      /* the primary header; the backup is at the last LBA */
#define GPT_HEADER_MIN_SIZE 92u     /* the fields of revision 1.0 */
#define GPT_ENTRY_MIN_SIZE  128u
#define GPT_ENTRY_MAX_SIZE  512u    /* the spec allows 128 * 2^n; whole entries per sector */
#define GPT_ENTRIES_MAX     65536u  /* far more than any tool writes (128 is the norm) */
#define GPT_SCAN_MAX        16u     /* FAT candidates kept, in the order they are tried */

/* Attribute bit 2: "legacy BIOS bootable", GPT's counterpart of the MBR's active flag. */
#define GPT_ATTR_LEGACY_BIOS_BOOTABLE (1ull << 2)

/* Partition type GUIDs as they are on the disk (the first three fields little-endian). */
extern const uint8_t gpt_type_basic_data[16]; /* EBD0A0A2-B9E5-4433-87C0-68B6B72699C7 */
extern const uint8_t gpt_type_esp[16];        /* C12A7328-F81F-11D2-BA4B-00A0C93EC93B */
extern const uint8_t gpt_type_bios_boot[16];  /* 21686148-6449-6E6F-744E-656564454649 */

enum gpt_kind {
    GPT_KIND_OTHER,
    GPT_KIND_BASIC_DATA,  /* Microsoft basic data: FAT, exFAT or NTFS */
    GPT_KIND_ESP,         /* EFI system partition: FAT */
    GPT_KIND_BIOS_BOOT,   /* GRUB's and ours: where a BIOS loader keeps its next stage */
};

struct gpt_header {
    uint64_t my_lba;         /* where this header is */
    uint64_t alternate_lba;  /* where the other copy is */
    uint64_t first_usable, last_usable;
    uint64_t entries_lba;    /* the entry array's first sector */
    uint32_t entry_count, entry_size;
    uint32_t entries_crc;    /* CRC32 of entry_count * entry_size bytes */
};

struct gpt_part {
    uint32_t index;          /* slot in the entry array, 0-based */
    enum gpt_kind kind;
    uint64_t first_lba, last_lba; /* inclusive */
    uint64_t attributes;
};

/* Check the header sector read from `lba` (len >= 512 bytes): signature "EFI PART",
 * revision 1.x, a header size of 92..512 bytes whose CRC32 matches, my_lba == lba, usable
 * range in order, entry size a power of two in 128..GPT_ENTRY_MAX_SIZE, 1..GPT_ENTRIES_MAX
 * entries, and an entry array that lies outside the usable range and does not cover LBA 0
 * or this header. Errors: ERR_INVALID_ARG (NULL), ERR_TRUNCATED (len < 512),
 * ERR_BAD_MAGIC (signature), ERR_UNSUPPORTED (revision, entry size), ERR_BAD_FORMAT
 * (anything else). *out written only on ERR_OK. */
err_t gpt_header_parse(const uint8_t *sector, size_t len, uint64_t lba, struct gpt_header *out);

/* Sectors the entry array of a parsed header takes. */
uint32_t gpt_entries_sectors(const struct gpt_header *h);

/* The kind of a type GUID (16 bytes as on the disk). */
enum gpt_kind gpt_kind_of(const uint8_t *type);

/* A scan of the entry array, fed in pieces as it is read. */
struct gpt_scan {
    struct gpt_header hdr;
    uint32_t crc;            /* of the entry bytes so far */
    uint32_t seen;           /* entries fed so far */
    uint32_t used;           /* entries with a type (not all zero) */
    uint32_t bad;            /* used entries outside the usable range or ending first */
    uint32_t n;              /* FAT candidates in cand[] */
    uint32_t dropped;        /* candidates past GPT_SCAN_MAX */
    struct gpt_part cand[GPT_SCAN_MAX];
};

void gpt_scan_init(struct gpt_scan *s, const struct gpt_header *h);

/* The next len bytes of the entry array, a multiple of the entry size (the sectors as read:
 * bytes past the array's end are ignored). Used entries of a FAT kind (basic data, EFI
 * system) inside the usable range become candidates; one whose range is not is counted in
 * bad and skipped. ERR_INVALID_ARG (NULL, or len not whole entries). */
err_t gpt_scan_feed(struct gpt_scan *s, const uint8_t *buf, size_t len);

/* After the whole array: ERR_TRUNCATED if entries are missing, ERR_BAD_FORMAT if the CRC32
 * does not match the header's (the array cannot be trusted: try the backup), else ERR_OK
 * with cand[] in the order to try them: those marked legacy BIOS bootable first, then table
 * order (as the MBR's active partition, else the first). n may be 0. */
err_t gpt_scan_finish(struct gpt_scan *s);

#endif
