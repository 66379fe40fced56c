/* test_config.c: the configuration defaults and every rule of config_validate. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "config.h"

static void defaults_are_the_documented_ones(void **state)
{
    (void)state;
    struct boot_config c;
    config_defaults(&c);
    assert_int_equal(c.heap_size, 16u << 20);
    assert_int_equal(c.heap_min_size, 1u << 20);
    assert_int_equal(c.heap_align, 4096);
    assert_int_equal(c.heap_min_addr, 0x100000);
    assert_int_equal(c.frame_gran, 4096);
    assert_false(c.memtest);
    assert_int_equal(c.log_level, 2); /* LOG_INFO in stage2/console.h */
    assert_int_equal(config_validate(&c), ERR_OK);
}

static void each_field_is_checked(void **state)
{
    (void)state;
    struct boot_config c;
    static const uint64_t bad_gran[] = {0, 2048, 4095, 4097, 12288, 1ull << 31, 1ull << 63};
    static const uint64_t good_gran[] = {4096, 8192, 2u << 20, 1u << 30};
    for (unsigned i = 0; i < sizeof(bad_gran) / sizeof(bad_gran[0]); i++) {
        config_defaults(&c);
        c.frame_gran = bad_gran[i];
        assert_int_equal(config_validate(&c), ERR_INVALID_ARG);
    }
    for (unsigned i = 0; i < sizeof(good_gran) / sizeof(good_gran[0]); i++) {
        config_defaults(&c);
        c.frame_gran = good_gran[i];
        assert_int_equal(config_validate(&c), ERR_OK);
    }
    config_defaults(&c);
    c.heap_align = 0;
    assert_int_equal(config_validate(&c), ERR_INVALID_ARG);
    c.heap_align = 3 << 12;
    assert_int_equal(config_validate(&c), ERR_INVALID_ARG);
    c.heap_align = 1; /* below the frame size: means one frame */
    assert_int_equal(config_validate(&c), ERR_OK);

    config_defaults(&c);
    c.heap_min_size = 0;
    assert_int_equal(config_validate(&c), ERR_INVALID_ARG);
    c.heap_min_size = c.heap_size + 1;
    assert_int_equal(config_validate(&c), ERR_INVALID_ARG);
    c.heap_min_size = c.heap_size;
    assert_int_equal(config_validate(&c), ERR_OK);

    config_defaults(&c);
    c.heap_min_addr = UINT64_MAX - c.heap_size + 1; /* min + size would wrap */
    assert_int_equal(config_validate(&c), ERR_INVALID_ARG);
    c.heap_min_addr = UINT64_MAX - c.heap_size;
    assert_int_equal(config_validate(&c), ERR_OK);

    config_defaults(&c);
    c.log_level = CONFIG_LOG_DEBUG + 1;
    assert_int_equal(config_validate(&c), ERR_INVALID_ARG);
    c.log_level = CONFIG_LOG_ERROR;
    assert_int_equal(config_validate(&c), ERR_OK);
    assert_int_equal(config_validate(NULL), ERR_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_are_the_documented_ones),
        cmocka_unit_test(each_field_is_checked),
    };
    return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
