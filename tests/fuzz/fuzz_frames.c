/* fuzz_frames.c: libFuzzer harness for the frame allocator. The input draws a memory map
 * (sanitized by the real sanitizer), a granularity and a placement floor, then drives
 * alloc / alloc_range / reserve / free / is_free / typed variants / queries. The
 * byte-per-frame reference model (tests/support/frames_model.c) answers each request by
 * brute force; after every step the answer, the address, the free count and the frames the
 * step touched must agree, and at the end every frame, the run statistics and (after
 * sealing) the refusals. abort() on a mismatch.
 *
 * Input: [0] gran (4/8/16 KiB) and seal bit, [1] floor for the storage (MiB), [2] number of
 * map entries n (<= 16), then n entries of 5 bytes:
 *   b0 b1 base in 4 KiB pages, b2 length units minus 1, b3 bits0-2 type, bit4 64 KiB units,
 *   bit5 +4 GiB, bit7 unaligned start (+16*b4 bytes);
 * then ops of 6 bytes: kind, region, frame offset (2 bytes), count, align/window. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fake_storage.h"
#include "frames.h"
#include "frames_model.h"
#include "fuzz_check.h"
#include "memmap.h"

#define MiB 0x100000ull
#define GiB 0x40000000ull
#define MAXRAW 16u
#define STORE 256u

static struct frames_model md;

static struct fake_storage storage = { .max_bytes = 1u << 20 };

static uint64_t pick_addr(const uint8_t *b)
{
    uint32_t r = b[1] % md.nreg;
    uint64_t off = (uint64_t)(b[2] | b[3] << 8) % (md.frames[r] + 1);
    uint64_t a = md.base[r] + off * md.gran;
    switch (b[1] >> 5) {
    case 0: return a + 1 + b[3] % (md.gran - 1);  /* unaligned */
    case 1: return a - md.gran;                     /* just before */
    case 2: return (uint64_t)b[2] << 56 | (uint64_t)b[3] << 12; /* wild */
    default: return a;
    }
}

static uint64_t pick_n(uint8_t b)
{
    if (b < 128)
        return 1 + (b & 7);
    if (b < 240)
        return b - 127;
    if (b < 250)
        return (uint64_t)(b - 239) * 300;
    return b == 250 ? 0 : b == 251 ? UINT64_MAX : (UINT64_MAX >> 12) + (b - 252);
}

static const uint64_t align_set[8] = {0, 4096, 8192, 65536, 1u << 20, 3, 1ull << 63, 2 * MiB};
static const uint32_t type_set[8] = {1, 1, 1, 2, 3, 4, 5, 1};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct e820_entry raw[MAXRAW], store[STORE];
    static uint64_t scratch[MEMMAP_SCRATCH_BYTES(MAXRAW) / 8];

    if (size < 3)
        return 0;
    uint64_t gran = 4096ull << (data[0] % 3);
    uint64_t floor_addr = (uint64_t)data[1] * MiB;
    uint32_t n = data[2] % (MAXRAW + 1);
    const uint8_t *p = data + 3;
    size_t left = size - 3;
    if (left < n * 5u)
        return 0;
    for (uint32_t i = 0; i < n; i++, p += 5, left -= 5) {
        uint64_t unit = p[3] & 0x10 ? 0x10000 : 0x1000;
        raw[i].base = (uint64_t)(p[0] | p[1] << 8) << 12;
        if (p[3] & 0x20)
            raw[i].base += 4 * GiB;
        if (p[3] & 0x80)
            raw[i].base += 16u * p[4];
        raw[i].length = (p[2] + 1u) * unit;
        raw[i].type = type_set[p[3] & 7];
        raw[i].attr = 0;
    }

    struct memmap m;
    memmap_init(&m, store, STORE);
    CHECK(memmap_sanitize(&m, raw, NULL, n, scratch, sizeof(scratch), NULL) == ERR_OK);

    /* The model's regions: every usable entry rounded inward to whole frames (16 entries
     * cannot make more regions than the model holds). */
    CHECK(frames_model_init(&md, &m, gran));

    /* frames_init: the storage goes where the model's first fit below 4 GiB says. */
    struct frames f;
    uint64_t where = 0;
    uint64_t bytes = frames_model_storage_bytes(&md);
    uint64_t sbytes = 0;
    uint32_t sreg = 0;
    CHECK(frames_storage_bytes(&m, gran, &sbytes, &sreg) == ERR_OK);
    CHECK(sbytes == bytes && sreg == md.nreg);
    storage.fail = left > 0 && p[0] == 0xff && (left--, p++, true);
    err_t want = frames_model_init_storage(&md, floor_addr, &where);
    if (want == ERR_OK && storage.fail)
        want = ERR_NOT_USABLE;
    err_t got = frames_init(&f, &m, gran, floor_addr, fake_storage_ptr, &storage);
    CHECK(got == want);
    if (got != ERR_OK) {
        frames_model_release(&md);
        fake_storage_release(&storage);
        return 0;
    }
    CHECK(f.storage_phys == where && f.storage_bytes == bytes);
    CHECK(memmap_type_at(&m, where) == E820_TYPE_FRAME_BITMAP);
    CHECK_AGREES(frames_model_check(&md, &f));

    for (; left >= 6; p += 6, left -= 6) {
        uint64_t a = 0, b = 0, cnt = pick_n(p[4]);
        uint64_t al = align_set[p[5] & 7];
        switch (p[0] % 9) {
        case 0:
        case 1: {
            uint64_t above = p[5] & 0x10 ? pick_addr(p) : 0;
            uint64_t below = p[5] & 0x20 ? pick_addr(p + 1) : FRAMES_ANYWHERE;
            if (p[5] & 0x40)
                below = p[5] & 0x80 ? FRAMES_BELOW_4G : FRAMES_BELOW_1M;
            want = frames_model_alloc(&md, cnt, al, above, below, &b);
            got = frames_alloc_range(&f, cnt, al, above, below, &a);
            CHECK(got == want);
            if (got == ERR_OK) {
                CHECK(a == b && a >= above && a + cnt * gran <= below);
                CHECK(a % (al > gran ? al : gran) == 0);
            }
            CHECK_AGREES(frames_model_check_near(&md, &f, got == ERR_OK ? a : md.base[0],
                                                 cnt));
            break;
        }
        case 2:
            a = pick_addr(p);
            want = frames_model_reserve(&md, a, cnt);
            CHECK(frames_reserve(&f, a, cnt) == want);
            CHECK_AGREES(frames_model_check_near(&md, &f, a - a % gran, cnt));
            break;
        case 3:
        case 4:
            a = pick_addr(p);
            want = frames_model_free(&md, a, cnt);
            CHECK(frames_free(&f, a, cnt) == want);
            CHECK_AGREES(frames_model_check_near(&md, &f, a - a % gran, cnt));
            break;
        case 5: {
            bool fr = false, want_fr = false;
            a = pick_addr(p);
            want = frames_model_is_free(&md, a, &want_fr);
            CHECK(frames_is_free(&f, a, &fr) == want && (want != ERR_OK || fr == want_fr));
            break;
        }
        case 6:
        case 7: {
            /* Typed: the map may be nearly full; a map failure gives the frames back. */
            uint32_t type = p[5] & 8 ? E820_TYPE_KERNEL : E820_TYPE_PAGE_TABLES;
            uint32_t oldn = m.count;
            m.capacity = oldn + (p[5] >> 6) < STORE ? oldn + (p[5] >> 6) : STORE;
            bool typed_alloc = p[0] % 9 == 6;
            if (typed_alloc) {
                want = frames_model_fit(&md, cnt, al, 0, FRAMES_BELOW_4G, &b);
                got = frames_alloc_typed(&f, &m, type, cnt, al, FRAMES_BELOW_4G, &a);
                a = got == ERR_OK ? a : b;
            } else {
                a = pick_addr(p);
                b = a;
                want = frames_model_change(&md, a, cnt, true);
                got = frames_reserve_typed(&f, &m, type, a, cnt);
            }
            if (want == ERR_OK && got == ERR_CAPACITY) {
                CHECK(m.count == oldn); /* nothing changed: the model stays as it was */
            } else {
                CHECK(got == want);
                if (got == ERR_OK) {
                    CHECK(a == b);
                    CHECK(frames_model_reserve(&md, a, cnt) == ERR_OK);
                    CHECK(memmap_type_at(&m, a) == type);
                    CHECK(memmap_type_at(&m, a + cnt * gran - 1) == type);
                }
            }
            m.capacity = STORE;
            CHECK_AGREES(frames_model_check_near(&md, &f, a - a % gran, cnt));
            break;
        }
        default: {
            uint64_t above = p[5] & 0x10 ? pick_addr(p) : 0;
            uint64_t below = p[5] & 0x20 ? pick_addr(p + 1) : FRAMES_ANYWHERE;
            uint64_t wl, wf;
            if (al & (al - 1))
                al = 0;
            frames_model_window(&md, al, above, below, &wl, &wf);
            CHECK(frames_largest_run(&f, al, above, below) == wl);
            CHECK(frames_free_in(&f, above, below) == wf);
            break;
        }
        }
    }
    CHECK_AGREES(frames_model_check(&md, &f));

    if (data[0] & 0x80) {
        /* Sealed: every change refused and nothing changes; queries still answer. */
        frames_seal(&f);
        uint64_t a = 0, some = md.base[0];
        CHECK(frames_alloc(&f, 1, 0, FRAMES_ANYWHERE, &a) == ERR_SEALED);
        CHECK(frames_reserve(&f, some, 1) == ERR_SEALED);
        CHECK(frames_free(&f, some, 1) == ERR_SEALED);
        CHECK(frames_alloc_typed(&f, &m, E820_TYPE_KERNEL, 1, 0, FRAMES_ANYWHERE, &a) ==
              ERR_SEALED);
        CHECK_AGREES(frames_model_check(&md, &f));
    }
    frames_model_release(&md);
    fake_storage_release(&storage);
    return 0;
}
