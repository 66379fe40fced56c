/* test_pool.c: fixed-size pools: O(1) alloc/free order, double frees and foreign/interior
 * pointers refused without changing anything, writes into freed blocks cannot corrupt the
 * free list, statistics, and a random sequence against a used/free reference array. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "heap.h"
#include "pool.h"

static uint8_t arena[64 * 1024] __attribute__((aligned(4096)));

static struct heap fresh_heap(uint64_t size)
{
    struct heap h;
    assert_int_equal(heap_init_mem(&h, arena, 0x100000, size), ERR_OK);
    return h;
}

/* 24-byte blocks aligned to 16 become 32-byte blocks; 4 of them (128 bytes) followed by the
 * link table (4 x 4 bytes) in the heap. */
static void layout_and_lifo_reuse(void **state)
{
    (void)state;
    struct heap h = fresh_heap(4096);
    struct pool p;
    struct pool_stats s;
    assert_int_equal(pool_init(&p, &h, 24, 4, 16), ERR_OK);
    assert_int_equal(p.block_size, 32);
    assert_ptr_equal(p.mem, arena);
    assert_ptr_equal((uint8_t *)p.link, arena + 128);
    assert_int_equal(h.top, 128 + 16);

    uint8_t *b[5];
    for (int i = 0; i < 4; i++) {
        b[i] = pool_alloc(&p);
        assert_ptr_equal(b[i], arena + 32 * i); /* in address order from a fresh pool */
        assert_true(pool_owns(&p, b[i]));
    }
    assert_null(pool_alloc(&p));
    pool_stats(&p, &s);
    assert_int_equal(s.used, 4);
    assert_int_equal(s.free, 0);
    assert_int_equal(s.utilization_pct, 100);
    assert_int_equal(s.failures, 1);

    assert_int_equal(pool_free(&p, b[2]), ERR_OK);
    assert_int_equal(pool_free(&p, b[0]), ERR_OK);
    assert_false(pool_owns(&p, b[0]));
    /* the free list is LIFO: b[0] first, then b[2] */
    b[4] = pool_alloc(&p);
    assert_ptr_equal(b[4], b[0]);
    assert_ptr_equal(pool_alloc(&p), b[2]);
    pool_stats(&p, &s);
    assert_int_equal(s.used, 4);
    assert_int_equal(s.peak, 4);
    assert_int_equal(s.blocks, 4);
    assert_int_equal(s.block_size, 32);
}

static void bad_frees_are_refused_and_change_nothing(void **state)
{
    (void)state;
    struct heap h = fresh_heap(4096);
    struct pool p;
    struct pool_stats s;
    assert_int_equal(pool_init(&p, &h, 16, 8, 0), ERR_OK);
    uint8_t *a = pool_alloc(&p), *b = pool_alloc(&p);
    assert_int_equal(pool_free(&p, a), ERR_OK);
    uint32_t head = p.free_head, used = p.used;
    assert_int_equal(pool_free(&p, a), ERR_ALREADY_FREE);          /* double free */
    assert_int_equal(pool_free(&p, b + 1), ERR_NOT_OWNED);         /* interior */
    assert_int_equal(pool_free(&p, b + 8), ERR_NOT_OWNED);
    assert_int_equal(pool_free(&p, arena + 16 * 8), ERR_NOT_OWNED); /* one past the end */
    assert_int_equal(pool_free(&p, arena + 2000), ERR_NOT_OWNED);
    assert_int_equal(pool_free(&p, p.mem + 16 * 5), ERR_ALREADY_FREE); /* never handed out */
    int local;
    assert_int_equal(pool_free(&p, &local), ERR_NOT_OWNED);
    assert_int_equal(pool_free(&p, NULL), ERR_NOT_OWNED);
    assert_int_equal(pool_free(NULL, a), ERR_INVALID_ARG);
    assert_int_equal(p.free_head, head);
    assert_int_equal(p.used, used);
    pool_stats(&p, &s);
    assert_int_equal(s.bad_frees, 8);
    /* scribbling over a freed block does not break the pool (links live outside) */
    memset(a, 0xff, 16);
    assert_ptr_equal(pool_alloc(&p), a);
    assert_int_equal(pool_free(&p, b), ERR_OK);
}

static void init_errors(void **state)
{
    (void)state;
    struct heap h = fresh_heap(4096);
    struct pool p;
    assert_int_equal(pool_init(&p, &h, 0, 4, 0), ERR_INVALID_ARG);
    assert_int_equal(pool_init(&p, &h, 8, 0, 0), ERR_INVALID_ARG);
    assert_int_equal(pool_init(&p, &h, 8, 4, 12), ERR_INVALID_ARG);
    assert_int_equal(pool_init(&p, &h, 8, POOL_MAX_BLOCKS + 1, 0), ERR_INVALID_ARG);
    assert_int_equal(pool_init(NULL, &h, 8, 4, 0), ERR_INVALID_ARG);
    assert_int_equal(pool_init(&p, NULL, 8, 4, 0), ERR_INVALID_ARG);
    assert_int_equal(pool_init(&p, &h, UINT64_MAX, 4, 8), ERR_OVERFLOW);
    assert_int_equal(pool_init(&p, &h, 1ull << 62, 8, 8), ERR_OVERFLOW);
    /* 4096-byte heap: 63 blocks of 64 bytes (4032) + 252 bytes of links = 4284: no room */
    assert_int_equal(pool_init(&p, &h, 64, 63, 0), ERR_NO_MEMORY);
    /* the blocks fitted but not the links: the blocks' space was given back */
    assert_int_equal(h.top, 0);
    /* 60 blocks: 3840 + 240 = 4080 fits */
    assert_int_equal(pool_init(&p, &h, 64, 60, 0), ERR_OK);
    assert_int_equal(h.top, 4080);
}

/* A pool whose init failed, and a zero-filled one that never saw pool_init (a static struct),
 * are empty pools: every call gets an answer, nothing is dereferenced. */
static void failed_or_zeroed_pool_refuses_everything(void **state)
{
    (void)state;
    struct heap h = fresh_heap(4096);
    struct pool p, z;
    struct pool_stats s;
    uint8_t *block = arena + 64;
    memset(&p, 0xa5, sizeof(p)); /* garbage, as on the stack */
    assert_int_equal(pool_init(&p, &h, 64, 63, 0), ERR_NO_MEMORY);
    memset(&z, 0, sizeof(z));
    struct pool *both[] = {&p, &z};
    for (int k = 0; k < 2; k++) {
        struct pool *q = both[k];
        assert_null(pool_alloc(q));
        assert_int_equal(pool_free(q, block), ERR_NOT_OWNED);
        assert_int_equal(pool_free(q, arena), ERR_NOT_OWNED);
        assert_false(pool_owns(q, arena));
        pool_stats(q, &s);
        assert_int_equal(s.blocks, 0);
        assert_int_equal(s.used, 0);
        assert_int_equal(s.free, 0);
        assert_int_equal(s.utilization_pct, 0);
        assert_int_equal(s.failures, 1);
        assert_int_equal(s.bad_frees, 2);
    }
    assert_int_equal(pool_init(&p, &h, 8, 0, 0), ERR_INVALID_ARG);
    assert_null(pool_alloc(&p));
}

/* Random alloc/free (including bad frees) against a reference: used[] per block. */
static void random_sequence_matches_reference(void **state)
{
    (void)state;
    struct heap h = fresh_heap(sizeof(arena));
    struct pool p;
    bool used[100] = {false};
    uint32_t nused = 0, peak = 0;
    uint64_t x = 99;
    assert_int_equal(pool_init(&p, &h, 40, 100, 8), ERR_OK);
    for (int i = 0; i < 50000; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        uint32_t k = (uint32_t)(x >> 33) % 100;
        if ((x >> 20) % 2) {
            uint8_t *b = pool_alloc(&p);
            if (nused == 100) {
                assert_null(b);
                continue;
            }
            assert_non_null(b);
            uint32_t idx = (uint32_t)((b - p.mem) / 40);
            assert_int_equal((b - p.mem) % 40, 0);
            assert_false(used[idx]);
            used[idx] = true;
            nused++;
            if (nused > peak)
                peak = nused;
        } else {
            uint8_t *b = p.mem + (size_t)k * 40 + ((x >> 50) % 8 == 0 ? 4 : 0);
            err_t want = b != p.mem + (size_t)k * 40 ? ERR_NOT_OWNED
                         : used[k]                   ? ERR_OK
                                                     : ERR_ALREADY_FREE;
            assert_int_equal(pool_free(&p, b), want);
            if (want == ERR_OK) {
                used[k] = false;
                nused--;
            }
        }
        assert_int_equal(p.used, nused);
    }
    struct pool_stats s;
    pool_stats(&p, &s);
    assert_int_equal(s.peak, peak);
    assert_int_equal(s.utilization_pct, nused);
    assert_int_equal(s.free, 100 - nused);
}

/* A pool whose blocks fit in the heap but whose link table does not must leave the heap as
 * it was: the allocation made before it is still the newest and can still be freed.
 *   heap 4096: [ a: 3000 ][ 800 bytes of blocks would fit ][ +400 link table: no ]
 * (fuzz_heap_pool found the first version giving the blocks back, which forgot `a`.) */
static void failed_init_leaves_the_heap_as_it_was(void **state)
{
    (void)state;
    struct heap h = fresh_heap(4096);
    struct pool p;
    void *a = heap_alloc(&h, 3000, 16);
    assert_non_null(a);
    assert_int_equal(pool_init(&p, &h, 8, 100, 8), ERR_NO_MEMORY);
    assert_int_equal(h.top, 3000);
    assert_int_equal(heap_free(&h, a), ERR_OK);
    assert_int_equal(h.top, 0); /* a's space came back */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(layout_and_lifo_reuse),
        cmocka_unit_test(bad_frees_are_refused_and_change_nothing),
        cmocka_unit_test(init_errors),
        cmocka_unit_test(failed_init_leaves_the_heap_as_it_was),
        cmocka_unit_test(failed_or_zeroed_pool_refuses_everything),
        cmocka_unit_test(random_sequence_matches_reference),
    };
    return cmocka_run_group_tests_name("pool", tests, NULL, NULL);
}
