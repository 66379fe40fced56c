/* test_mbr.c: MBR partition table parsing: hand-built sectors laid out like the MultiOS image
 * (FAT32 at LBA 2048 of a 64 MiB disk), the choice among several FAT32 partitions (the active
 * one, else the first), GPT protective and hybrid MBRs, every rejection rule, and random
 * tables checked against the bytes they were built from. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mbr.h"

static uint8_t sec[512];

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* Slot i at 0x1BE + 16 i: status, CHS (junk on purpose: LBA is what counts), type, CHS,
 * LBA start, sector count. */
static void slot(int i, uint8_t status, uint8_t type, uint32_t start, uint32_t count)
{
    uint8_t *e = sec + 0x1be + 16 * i;
    e[0] = status;
    e[1] = 0xfe; e[2] = 0xff; e[3] = 0xff;
    e[4] = type;
    e[5] = 0xfe; e[6] = 0xff; e[7] = 0xff;
    put32(e + 8, start);
    put32(e + 12, count);
}

static int fresh(void **state)
{
    (void)state;
    memset(sec, 0, sizeof sec);
    for (int i = 0; i < 0x1be; i++)
        sec[i] = (uint8_t)(i * 7 + 3); /* boot code bytes: never looked at */
    sec[510] = 0x55;
    sec[511] = 0xaa;
    return 0;
}

static void assert_part(const struct mbr_part *p, uint32_t index, uint8_t status, uint8_t type,
                        uint32_t start, uint32_t count)
{
    assert_int_equal(p->index, index);
    assert_int_equal(p->status, status);
    assert_int_equal(p->type, type);
    assert_int_equal(p->lba_start, start);
    assert_int_equal(p->lba_count, count);
}

/* 64 MiB = 131072 sectors; the partition fills LBA 2048..131071. */
static void multios_image_layout(void **state)
{
    (void)state;
    struct mbr_part p;
    slot(0, 0x80, 0x0c, 2048, 131072 - 2048);
    assert_int_equal(mbr_find_fat32(sec, sizeof sec, 131072, &p, NULL), ERR_OK);
    assert_part(&p, 0, 0x80, 0x0c, 2048, 129024);
    /* unknown disk size: not checked */
    assert_int_equal(mbr_find_fat32(sec, sizeof sec, 0, &p, NULL), ERR_OK);
    /* a longer buffer (a whole bounce buffer) is fine */
    static uint8_t big[4096];
    memcpy(big, sec, 512);
    assert_int_equal(mbr_find_fat32(big, sizeof big, 131072, &p, NULL), ERR_OK);
}

/* Several FAT32 partitions: the active one, else the first in table order (issue 13). */
static void active_fat32_else_the_first(void **state)
{
    (void)state;
    struct mbr_part p;
    uint32_t count = 99;
    slot(0, 0x00, 0x83, 2048, 1000);      /* Linux */
    slot(1, 0x00, 0x0b, 4096, 2000);      /* FAT32 (CHS), first in table order ... */
    slot(3, 0x80, 0x0c, 8192, 3000);      /* ... but FAT32 (LBA) is active */
    assert_int_equal(mbr_find_fat32(sec, sizeof sec, 0, &p, &count), ERR_OK);
    assert_int_equal(count, 2);
    assert_part(&p, 3, 0x80, 0x0c, 8192, 3000);

    /* nothing active: the first in table order */
    sec[0x1be + 16 * 3] = 0x00;
    assert_int_equal(mbr_find_fat32(sec, sizeof sec, 0, &p, &count), ERR_OK);
    assert_int_equal(count, 2);
    assert_part(&p, 1, 0x00, 0x0b, 4096, 2000);

    /* an active partition that is not FAT32 changes nothing */
    sec[0x1be] = 0x80;
    assert_int_equal(mbr_find_fat32(sec, sizeof sec, 0, &p, &count), ERR_OK);
    assert_int_equal(p.index, 1);

    struct mbr_part all[4];
    assert_int_equal(mbr_parse(sec, sizeof sec, all), ERR_OK);
    assert_int_equal(all[0].type, 0x83);
    assert_int_equal(all[2].type, 0x00);
    assert_int_equal(all[3].status, 0x00);
    assert_int_equal(all[3].lba_start, 8192);
    assert_false(mbr_is_protective(all));
}

static void signature_and_length(void **state)
{
    (void)state;
    struct mbr_part p = { .index = 77 };
    slot(0, 0x80, 0x0c, 2048, 100);
    assert_int_equal(mbr_find_fat32(sec, 511, 0, &p, NULL), ERR_TRUNCATED);
    assert_int_equal(mbr_find_fat32(NULL, 512, 0, &p, NULL), ERR_INVALID_ARG);
    assert_int_equal(mbr_find_fat32(sec, 512, 0, NULL, NULL), ERR_INVALID_ARG);
    sec[510] = 0xaa; /* bytes swapped: the word 0xAA55 stored big-endian */
    sec[511] = 0x55;
    assert_int_equal(mbr_find_fat32(sec, 512, 0, &p, NULL), ERR_BAD_MAGIC);
    sec[510] = 0x55;
    sec[511] = 0x00;
    assert_int_equal(mbr_find_fat32(sec, 512, 0, &p, NULL), ERR_BAD_MAGIC);
    assert_int_equal(p.index, 77); /* untouched on error */
}

/* A FAT32 volume boot sector (no partition table) also ends in 55 AA. */
static void superfloppy_boot_sector_is_not_a_table(void **state)
{
    (void)state;
    struct mbr_part p;
    for (int i = 0x1be; i < 510; i++)
        sec[i] = (uint8_t)(0x20 + i % 90); /* boot message text */
    assert_int_equal(mbr_find_fat32(sec, 512, 0, &p, NULL), ERR_BAD_FORMAT);
    fresh(NULL);
    slot(2, 0x01, 0x0c, 2048, 100);
    assert_int_equal(mbr_find_fat32(sec, 512, 0, &p, NULL), ERR_BAD_FORMAT);
}

static void nonsense_slots(void **state)
{
    (void)state;
    struct mbr_part p;
    slot(0, 0x80, 0x0c, 2048, 0);
    assert_int_equal(mbr_find_fat32(sec, 512, 0, &p, NULL), ERR_BAD_FORMAT);
    slot(0, 0x80, 0x0c, 0, 2048); /* over the MBR itself */
    assert_int_equal(mbr_find_fat32(sec, 512, 0, &p, NULL), ERR_BAD_FORMAT);
    slot(0, 0x80, 0x0c, 0xffffff00u, 0x101); /* ends one sector past 2^32 */
    assert_int_equal(mbr_find_fat32(sec, 512, 0, &p, NULL), ERR_OVERFLOW);
    slot(0, 0x80, 0x0c, 0xffffff00u, 0x100); /* ends exactly at 2^32: fine */
    assert_int_equal(mbr_find_fat32(sec, 512, 0, &p, NULL), ERR_OK);
    assert_int_equal(p.lba_start, 0xffffff00u);
    /* an empty slot's fields are not judged */
    fresh(NULL);
    slot(0, 0x00, 0x00, 0, 0xffffffffu);
    slot(1, 0x00, 0x0c, 63, 1);
    assert_int_equal(mbr_find_fat32(sec, 512, 0, &p, NULL), ERR_OK);
    assert_int_equal(p.index, 1);
}

static void overlapping_slots(void **state)
{
    (void)state;
    struct mbr_part p;
    /*  2048        4096        6144
     *  |  slot 0   |  slot 1   |      adjacent: fine
     *        |  slot 2  |             overlaps both: the table is not trusted */
    slot(0, 0x80, 0x0c, 2048, 2048);
    slot(1, 0x00, 0x83, 4096, 2048);
    assert_int_equal(mbr_find_fat32(sec, 512, 0, &p, NULL), ERR_OK);
    slot(2, 0x00, 0x82, 3000, 2000);
    assert_int_equal(mbr_find_fat32(sec, 512, 0, &p, NULL), ERR_OVERLAP);
    slot(2, 0x00, 0x82, 4095, 1); /* last sector of slot 0 */
    assert_int_equal(mbr_find_fat32(sec, 512, 0, &p, NULL), ERR_OVERLAP);
}

static void partition_past_end_of_disk(void **state)
{
    (void)state;
    struct mbr_part p;
    slot(0, 0x80, 0x0c, 2048, 129024);
    assert_int_equal(mbr_find_fat32(sec, 512, 131072, &p, NULL), ERR_OK);
    assert_int_equal(mbr_find_fat32(sec, 512, 131071, &p, NULL), ERR_TRUNCATED);
}

static void nothing_to_find(void **state)
{
    (void)state;
    struct mbr_part p;
    assert_int_equal(mbr_find_fat32(sec, 512, 0, &p, NULL), ERR_NOT_FOUND); /* empty table */
    slot(0, 0x00, 0x83, 2048, 1000);
    slot(1, 0x00, 0x07, 4096, 1000); /* NTFS/exFAT */
    slot(2, 0x00, 0x0e, 8192, 1000); /* FAT16 LBA */
    assert_int_equal(mbr_find_fat32(sec, 512, 0, &p, NULL), ERR_NOT_FOUND);
    fresh(NULL);
    slot(0, 0x00, 0xee, 1, 0xffffffffu); /* GPT protective MBR: read the GPT */
    uint32_t count = 99;
    assert_int_equal(mbr_find_fat32(sec, 512, 0, &p, &count), ERR_UNSUPPORTED);
    assert_int_equal(count, 0);
    struct mbr_part all[4];
    assert_int_equal(mbr_parse(sec, 512, all), ERR_OK);
    assert_true(mbr_is_protective(all));
    /* a hybrid MBR, whose FAT32 slot mirrors a GPT partition: the slot is used */
    slot(1, 0x00, 0x0c, 2048, 4096);
    assert_int_equal(mbr_find_fat32(sec, 512, 0, &p, &count), ERR_OK);
    assert_int_equal(count, 1);
    assert_int_equal(p.index, 1);
}

/* Random tables: whatever the bytes, the answer agrees with a direct reading of them. */
static void random_tables_agree_with_their_bytes(void **state)
{
    (void)state;
    srand(4242);
    uint32_t ok = 0;
    for (int iter = 0; iter < 200000; iter++) {
        fresh(NULL);
        for (int i = 0; i < 4; i++) {
            static const uint8_t types[] = { 0x00, 0x0b, 0x0c, 0x83, 0xee, 0x05 };
            static const uint8_t statuses[] = { 0x00, 0x80, 0x00, 0x80, 0x7f };
            uint32_t start = (uint32_t)(rand() % 4 == 0 ? rand() % 3 : rand() % 200000);
            uint32_t count = (uint32_t)(rand() % 8 == 0 ? 0xfffffff0u + (uint32_t)(rand() % 16) : (uint32_t)(rand() % 100000));
            slot(i, statuses[rand() % (iter & 1 ? 4 : 5)], types[rand() % 6], start, count);
        }
        uint64_t disk = (uint64_t)(rand() % 2 ? 0 : 100000 + rand() % 200000);
        struct mbr_part p = { .index = 99 };
        err_t e = mbr_find_fat32(sec, 512, disk, &p, NULL);
        if (e != ERR_OK) {
            assert_int_equal(p.index, 99);
            continue;
        }
        ok++;
        const uint8_t *raw = sec + 0x1be + 16 * p.index;
        assert_true(raw[4] == 0x0b || raw[4] == 0x0c);
        assert_int_equal(p.type, raw[4]);
        assert_int_equal(p.lba_start, raw[8] | raw[9] << 8 | raw[10] << 16 | (uint32_t)raw[11] << 24);
        assert_true(p.lba_start >= 1 && p.lba_count >= 1);
        assert_true((uint64_t)p.lba_start + p.lba_count <= 0x100000000ull);
        if (disk)
            assert_true((uint64_t)p.lba_start + p.lba_count <= disk);
        /* the active FAT32 slot, else the first one */
        for (uint32_t j = 0; j < 4; j++) {
            const uint8_t *e = sec + 0x1be + 16 * j;
            if (j == p.index || (e[4] != 0x0b && e[4] != 0x0c))
                continue;
            if (p.status == 0x80)
                assert_true(e[0] != 0x80 || j > p.index);
            else
                assert_true(e[0] != 0x80 && j > p.index);
        }
        for (int j = 0; j < 4; j++)
            assert_true(sec[0x1be + 16 * j] == 0 || sec[0x1be + 16 * j] == 0x80);
    }
    assert_true(ok > 1000); /* the generator does reach the accepting path */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(multios_image_layout, fresh),
        cmocka_unit_test_setup(active_fat32_else_the_first, fresh),
        cmocka_unit_test_setup(signature_and_length, fresh),
        cmocka_unit_test_setup(superfloppy_boot_sector_is_not_a_table, fresh),
        cmocka_unit_test_setup(nonsense_slots, fresh),
        cmocka_unit_test_setup(overlapping_slots, fresh),
        cmocka_unit_test_setup(partition_past_end_of_disk, fresh),
        cmocka_unit_test_setup(nothing_to_find, fresh),
        cmocka_unit_test_setup(random_tables_agree_with_their_bytes, fresh),
    };
    return cmocka_run_group_tests_name("mbr", tests, NULL, NULL);
}
