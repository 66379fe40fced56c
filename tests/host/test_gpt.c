/* test_gpt.c: the GUID partition table (core/gpt.c) and CRC-32 (core/crc32.c): the CRC
 * against known vectors and a bit-at-a-time reference; headers built here and sealed with
 * that reference, one broken field at a time for every rejection rule; the entry scan
 * (candidates, their order, damaged entries, the array's CRC, any chunking); and the
 * sectors sfdisk wrote for a 64 MiB disk with a BIOS-boot and a basic data partition
 * (tests/fixtures/gpt/README.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "crc32.h"
#include "gpt.h"
#include "mbr.h"
#include "testutil.h"

/* CRC-32 one bit at a time, straight from the polynomial: the reference. */
static uint32_t ref_crc32(const uint8_t *p, size_t n)
{
    uint32_t crc = 0xffffffffu;

    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int b = 0; b < 8; b++)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
    put32(p, (uint32_t)v);
    put32(p + 4, (uint32_t)(v >> 32));
}

static void crc32_vectors(void **state)
{
    (void)state;
    static uint8_t big[100000];

    assert_int_equal(crc32_update(0, "123456789", 9), 0xcbf43926u); /* the check value */
    assert_int_equal(crc32_update(0, "", 0), 0);
    assert_int_equal(crc32_update(0, "a", 1), 0xe8b7be43u);
    srand(7);
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (uint8_t)rand();
    uint32_t whole = crc32_update(0, big, sizeof big);
    assert_int_equal(whole, ref_crc32(big, sizeof big));
    /* in pieces, as the entry scan feeds it */
    uint32_t crc = 0;
    for (size_t off = 0, n = 1; off < sizeof big; off += n, n = n * 3 % 1021 + 1)
        crc = crc32_update(crc, big + off, off + n > sizeof big ? sizeof big - off : n);
    assert_int_equal(crc, whole);
}

/* A disk of `sectors` sectors, GPT the way sfdisk lays it out: header at LBA 1, 128 entries of
 * 128 bytes from LBA 2, usable 34 .. sectors - 34. */
struct disk {
    uint64_t sectors;
    uint8_t hdr[512];
    uint8_t entries[128 * 128];
};

static struct disk dk;

static void entry(int i, const uint8_t *type, uint64_t first, uint64_t last, uint64_t attrs)
{
    uint8_t *e = dk.entries + 128 * i;

    memcpy(e, type, 16);
    memset(e + 16, 0x11 * (i + 1), 16); /* unique partition GUID */
    put64(e + 32, first);
    put64(e + 40, last);
    put64(e + 48, attrs);
}

/* The header's CRCs again after a change to it or the entries (the reference CRC). */
static void seal(void)
{
    put32(dk.hdr + 88, ref_crc32(dk.entries, sizeof dk.entries));
    put32(dk.hdr + 16, 0);
    put32(dk.hdr + 16, ref_crc32(dk.hdr, dk.hdr[12] | dk.hdr[13] << 8));
}

static int fresh(void **state)
{
    (void)state;
    memset(&dk, 0, sizeof dk);
    dk.sectors = 131072;
    memcpy(dk.hdr, "EFI PART", 8);
    put32(dk.hdr + 8, 0x00010000);
    put32(dk.hdr + 12, 92);
    put64(dk.hdr + 24, 1);
    put64(dk.hdr + 32, dk.sectors - 1);
    put64(dk.hdr + 40, 34);
    put64(dk.hdr + 48, dk.sectors - 34);
    memset(dk.hdr + 56, 0xab, 16); /* disk GUID */
    put64(dk.hdr + 72, 2);
    put32(dk.hdr + 80, 128);
    put32(dk.hdr + 84, 128);
    entry(0, gpt_type_bios_boot, 2048, 4095, 0);
    entry(1, gpt_type_basic_data, 4096, 129023, 0);
    seal();
    return 0;
}

static void header_fields(void **state)
{
    (void)state;
    struct gpt_header h;

    assert_int_equal(gpt_header_parse(dk.hdr, sizeof dk.hdr, 1, &h), ERR_OK);
    assert_int_equal(h.my_lba, 1);
    assert_int_equal(h.alternate_lba, 131071);
    assert_int_equal(h.first_usable, 34);
    assert_int_equal(h.last_usable, 131038);
    assert_int_equal(h.entries_lba, 2);
    assert_int_equal(h.entry_count, 128);
    assert_int_equal(h.entry_size, 128);
    assert_int_equal(h.entries_crc, ref_crc32(dk.entries, sizeof dk.entries));
    assert_int_equal(gpt_entries_sectors(&h), 32);
    /* a header may be longer than 92 bytes (the rest is covered by its CRC) */
    put32(dk.hdr + 12, 512);
    seal();
    assert_int_equal(gpt_header_parse(dk.hdr, sizeof dk.hdr, 1, &h), ERR_OK);
    /* minor revisions keep the layout */
    put32(dk.hdr + 8, 0x00010003);
    seal();
    assert_int_equal(gpt_header_parse(dk.hdr, sizeof dk.hdr, 1, &h), ERR_OK);
}

/* Each rule, one broken field at a time (resealed, so only the rule under test trips). */
static void header_rejections(void **state)
{
    (void)state;
    struct gpt_header h = { .my_lba = 77 }, keep = h;

    assert_int_equal(gpt_header_parse(NULL, 512, 1, &h), ERR_INVALID_ARG);
    assert_int_equal(gpt_header_parse(dk.hdr, 512, 1, NULL), ERR_INVALID_ARG);
    assert_int_equal(gpt_header_parse(dk.hdr, 511, 1, &h), ERR_TRUNCATED);
    /* read from the wrong place: a header is only valid where it says it is */
    assert_int_equal(gpt_header_parse(dk.hdr, 512, 2, &h), ERR_BAD_FORMAT);

    dk.hdr[0] = 'e';
    seal();
    assert_int_equal(gpt_header_parse(dk.hdr, 512, 1, &h), ERR_BAD_MAGIC);
    fresh(NULL);
    put32(dk.hdr + 8, 0x00020000);
    seal();
    assert_int_equal(gpt_header_parse(dk.hdr, 512, 1, &h), ERR_UNSUPPORTED);
    fresh(NULL);
    dk.hdr[100] = 1; /* past the 92 bytes: not covered, not looked at */
    assert_int_equal(gpt_header_parse(dk.hdr, 512, 1, &h), ERR_OK);
    dk.hdr[60] ^= 1; /* the disk GUID: covered */
    assert_int_equal(gpt_header_parse(dk.hdr, 512, 1, &h), ERR_BAD_FORMAT);

    static const struct { int off, width; uint64_t value; err_t want; } bad[] = {
        { 12, 4, 91, ERR_BAD_FORMAT },         /* header size */
        { 12, 4, 513, ERR_BAD_FORMAT },
        { 40, 8, 131039, ERR_BAD_FORMAT },     /* first usable past last usable */
        { 84, 4, 64, ERR_UNSUPPORTED },        /* entry size */
        { 84, 4, 192, ERR_UNSUPPORTED },
        { 84, 4, 1024, ERR_UNSUPPORTED },
        { 80, 4, 0, ERR_BAD_FORMAT },          /* entry count */
        { 80, 4, GPT_ENTRIES_MAX + 1, ERR_BAD_FORMAT },
        { 72, 8, 0, ERR_BAD_FORMAT },          /* entries over the MBR */
        { 72, 8, 1, ERR_BAD_FORMAT },          /* ... over this header */
        { 72, 8, 20, ERR_BAD_FORMAT },         /* ... into the usable range */
        { 72, 8, 0xfffffffffffffff0ull, ERR_BAD_FORMAT }, /* ... past 2^64 */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fresh(NULL);
        if (bad[i].width == 4)
            put32(dk.hdr + bad[i].off, (uint32_t)bad[i].value);
        else
            put64(dk.hdr + bad[i].off, bad[i].value);
        seal();
        h = keep;
        assert_int_equal(gpt_header_parse(dk.hdr, 512, 1, &h), bad[i].want);
        assert_memory_equal(&h, &keep, sizeof h); /* untouched on an error */
    }
    /* 65536 entries of 128 bytes from LBA 2: up to LBA 16385, clear of usable from 16386 */
    fresh(NULL);
    put32(dk.hdr + 80, GPT_ENTRIES_MAX);
    put64(dk.hdr + 40, 16386);
    seal();
    assert_int_equal(gpt_header_parse(dk.hdr, 512, 1, &h), ERR_OK);
    assert_int_equal(gpt_entries_sectors(&h), 16384);
}

/* The array fed `chunk` bytes at a time, then finished. */
static err_t scan(struct gpt_scan *s, size_t chunk)
{
    struct gpt_header h;

    assert_int_equal(gpt_header_parse(dk.hdr, 512, 1, &h), ERR_OK);
    gpt_scan_init(s, &h);
    for (size_t off = 0; off < sizeof dk.entries; off += chunk)
        assert_int_equal(gpt_scan_feed(s, dk.entries + off, chunk), ERR_OK);
    return gpt_scan_finish(s);
}

static void scan_finds_the_fat_partitions(void **state)
{
    (void)state;
    struct gpt_scan s;

    assert_int_equal(scan(&s, 512), ERR_OK);
    assert_int_equal(s.used, 2);
    assert_int_equal(s.bad, 0);
    assert_int_equal(s.n, 1); /* the BIOS-boot partition is not a candidate */
    assert_int_equal(s.cand[0].index, 1);
    assert_int_equal(s.cand[0].kind, GPT_KIND_BASIC_DATA);
    assert_int_equal(s.cand[0].first_lba, 4096);
    assert_int_equal(s.cand[0].last_lba, 129023);
    assert_int_equal(gpt_kind_of(dk.entries), GPT_KIND_BIOS_BOOT);
    static const uint8_t linux_fs[16] = { 0xaf, 0x3d, 0xc6, 0x0f, 0x83, 0x84, 0x72, 0x47,
                                          0x8e, 0x79, 0x3d, 0x69, 0xd8, 0x47, 0x7d, 0xe4 };
    assert_int_equal(gpt_kind_of(linux_fs), GPT_KIND_OTHER);
}

/* Several FAT candidates: those marked legacy BIOS bootable first, each group in table order
 * (the GPT counterpart of "the active one, else the first"). */
static void scan_order_bootable_first(void **state)
{
    (void)state;
    struct gpt_scan s;

    entry(2, gpt_type_esp, 200, 1000, 0);
    entry(5, gpt_type_basic_data, 129024, 130000, GPT_ATTR_LEGACY_BIOS_BOOTABLE | 1);
    entry(7, gpt_type_esp, 130001, 131000, GPT_ATTR_LEGACY_BIOS_BOOTABLE);
    seal();
    for (size_t chunk = 128; chunk <= sizeof dk.entries; chunk *= 2) {
        assert_int_equal(scan(&s, chunk), ERR_OK);
        assert_int_equal(s.n, 4);
        assert_int_equal(s.cand[0].index, 5);
        assert_int_equal(s.cand[1].index, 7);
        assert_int_equal(s.cand[2].index, 1);
        assert_int_equal(s.cand[3].index, 2);
        assert_int_equal(s.cand[3].kind, GPT_KIND_ESP);
    }
    /* none marked: table order */
    entry(5, gpt_type_basic_data, 129024, 130000, 0);
    entry(7, gpt_type_esp, 130001, 131000, 0);
    seal();
    assert_int_equal(scan(&s, 512), ERR_OK);
    for (uint32_t i = 0; i + 1 < s.n; i++)
        assert_true(s.cand[i].index < s.cand[i + 1].index);
}

static void scan_skips_damaged_entries(void **state)
{
    (void)state;
    struct gpt_scan s;

    entry(2, gpt_type_basic_data, 10, 100, 0);          /* starts before first usable */
    entry(3, gpt_type_basic_data, 131000, 131050, 0);   /* ends after last usable */
    entry(4, gpt_type_basic_data, 5000, 4999, 0);       /* ends before it starts */
    entry(6, gpt_type_basic_data, 34, 34, 0);           /* one sector: fine */
    seal();
    assert_int_equal(scan(&s, 512), ERR_OK);
    assert_int_equal(s.used, 6);
    assert_int_equal(s.bad, 3);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.cand[1].index, 6);
}

static void scan_keeps_sixteen(void **state)
{
    (void)state;
    struct gpt_scan s;

    for (int i = 2; i < 40; i++)
        entry(i, gpt_type_basic_data, 200 + 10 * i, 205 + 10 * i, 0);
    seal();
    assert_int_equal(scan(&s, 512), ERR_OK);
    assert_int_equal(s.n, GPT_SCAN_MAX);
    assert_int_equal(s.dropped, 39 - GPT_SCAN_MAX);
}

/* The array's CRC is checked; a missing piece is not taken for a whole array; bytes past
 * the array (the rest of its last sector) are not part of it. */
static void scan_crc_and_truncation(void **state)
{
    (void)state;
    struct gpt_scan s;
    struct gpt_header h;

    dk.entries[128 * 1 + 32] ^= 0x40; /* partition 1 moved, header not updated */
    assert_int_equal(scan(&s, 512), ERR_BAD_FORMAT);

    fresh(NULL);
    assert_int_equal(gpt_header_parse(dk.hdr, 512, 1, &h), ERR_OK);
    gpt_scan_init(&s, &h);
    assert_int_equal(gpt_scan_feed(&s, dk.entries, sizeof dk.entries - 512), ERR_OK);
    assert_int_equal(gpt_scan_finish(&s), ERR_TRUNCATED);
    assert_int_equal(gpt_scan_feed(&s, dk.entries, 100), ERR_INVALID_ARG);
    assert_int_equal(gpt_scan_feed(NULL, dk.entries, 128), ERR_INVALID_ARG);

    /* 6 entries: the array ends inside its second sector; the rest of it is junk */
    memset(dk.entries + 6 * 128, 0xee, sizeof dk.entries - 6 * 128);
    put32(dk.hdr + 80, 6);
    put32(dk.hdr + 88, ref_crc32(dk.entries, 6 * 128));
    put32(dk.hdr + 16, 0);
    put32(dk.hdr + 16, ref_crc32(dk.hdr, 92));
    assert_int_equal(gpt_header_parse(dk.hdr, 512, 1, &h), ERR_OK);
    assert_int_equal(gpt_entries_sectors(&h), 2);
    gpt_scan_init(&s, &h);
    assert_int_equal(gpt_scan_feed(&s, dk.entries, 1024), ERR_OK);
    assert_int_equal(gpt_scan_finish(&s), ERR_OK);
    assert_int_equal(s.seen, 6);
    assert_int_equal(s.n, 1);
}

static uint8_t *fixture(const char *name)
{
    char path[128];
    size_t len;

    snprintf(path, sizeof path, "tests/fixtures/gpt/%s", name);
    uint8_t *p = (uint8_t *)testutil_read_file(path, &len);
    assert_int_equal(len, 512);
    return p;
}

/* What sfdisk wrote (tests/fixtures/gpt/README.md): the protective MBR, both headers, and
 * the first sector of the entry array (the other 31 are zeros). */
static void sfdisk_disk(void **state)
{
    (void)state;
    uint8_t *mbr = fixture("sfdisk-64M-lba0.bin"), *primary = fixture("sfdisk-64M-lba1.bin");
    uint8_t *backup = fixture("sfdisk-64M-lba131071.bin"), *first = fixture("sfdisk-64M-lba2.bin");
    struct mbr_part part[4], p;
    struct gpt_header h, b;
    struct gpt_scan s;
    static uint8_t zeros[31 * 512];

    assert_int_equal(mbr_parse(mbr, 512, part), ERR_OK);
    assert_true(mbr_is_protective(part));
    assert_int_equal(mbr_find_fat32(mbr, 512, 131072, &p, NULL), ERR_UNSUPPORTED);

    assert_int_equal(gpt_header_parse(primary, 512, 1, &h), ERR_OK);
    assert_int_equal(h.alternate_lba, 131071);
    assert_int_equal(h.first_usable, 34);
    assert_int_equal(h.last_usable, 131038);
    assert_int_equal(h.entries_lba, 2);
    assert_int_equal(gpt_header_parse(backup, 512, 131071, &b), ERR_OK);
    assert_int_equal(b.alternate_lba, 1);
    assert_int_equal(b.entries_lba, 131039);
    assert_int_equal(b.entries_crc, h.entries_crc);
    /* the backup is only valid where it is */
    assert_int_equal(gpt_header_parse(backup, 512, 1, &b), ERR_BAD_FORMAT);

    gpt_scan_init(&s, &h);
    assert_int_equal(gpt_scan_feed(&s, first, 512), ERR_OK);
    assert_int_equal(gpt_scan_feed(&s, zeros, sizeof zeros), ERR_OK);
    assert_int_equal(gpt_scan_finish(&s), ERR_OK);
    assert_int_equal(s.used, 2);
    assert_int_equal(gpt_kind_of(first), GPT_KIND_BIOS_BOOT);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.cand[0].index, 1);
    assert_int_equal(s.cand[0].kind, GPT_KIND_BASIC_DATA);
    assert_int_equal(s.cand[0].first_lba, 4096);
    assert_int_equal(s.cand[0].last_lba, 129023);
    assert_true(s.cand[0].attributes & GPT_ATTR_LEGACY_BIOS_BOOTABLE);
    free(mbr);
    free(primary);
    free(backup);
    free(first);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(crc32_vectors),
        cmocka_unit_test_setup(header_fields, fresh),
        cmocka_unit_test_setup(header_rejections, fresh),
        cmocka_unit_test_setup(scan_finds_the_fat_partitions, fresh),
        cmocka_unit_test_setup(scan_order_bootable_first, fresh),
        cmocka_unit_test_setup(scan_skips_damaged_entries, fresh),
        cmocka_unit_test_setup(scan_keeps_sixteen, fresh),
        cmocka_unit_test_setup(scan_crc_and_truncation, fresh),
        cmocka_unit_test(sfdisk_disk),
    };
    return cmocka_run_group_tests_name("gpt", tests, NULL, NULL);
}
