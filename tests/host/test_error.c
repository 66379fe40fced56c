/* test_error.c: every error code has its own non-empty name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "error.h"

static void every_code_has_a_distinct_name(void **state)
{
    (void)state;
    for (int a = 0; a < ERR_COUNT; a++) {
        const char *na = err_str((err_t)a);
        assert_non_null(na);
        assert_true(strlen(na) > 0);
        assert_string_not_equal(na, "unknown error");
        for (int b = a + 1; b < ERR_COUNT; b++)
            assert_string_not_equal(na, err_str((err_t)b));
    }
}

static void out_of_range_codes_are_unknown(void **state)
{
    (void)state;
    assert_string_equal(err_str(ERR_COUNT), "unknown error");
    assert_string_equal(err_str((err_t)-1), "unknown error");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_code_has_a_distinct_name),
        cmocka_unit_test(out_of_range_codes_are_unknown),
    };
    return cmocka_run_group_tests_name("error", tests, NULL, NULL);
}
