/* efi_check.c: shared checks of the UEFI reader tests (see efi_check.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "efi_check.h"

void efi_check_desc(const struct efi_input *in, uint32_t i, uint32_t type, uint64_t start,
                    uint64_t pages, uint64_t attr)
{
    assert_true(i < in->count);
    assert_int_equal(in->desc[i].type, type);
    assert_int_equal(in->desc[i].physical_start, start);
    assert_int_equal(in->desc[i].number_of_pages, pages);
    assert_int_equal(in->desc[i].attribute, attr);
}

void efi_check_fails(efi_check_reader_fn reader, const char *text, err_t code, unsigned line,
                     const char *needle)
{
    static struct efi_input in;
    struct parse_error pe;
    memset(&pe, 0, sizeof pe);
    assert_int_equal(reader(text, &in, &pe), code);
    assert_int_equal(pe.line, line);
    if (!strstr(pe.msg, needle))
        fail_msg("message '%s' lacks '%s'", pe.msg, needle);
}

void efi_check_broken_lines(efi_check_reader_fn reader, const char *head,
                            const struct efi_check_case *c, size_t n)
{
    char text[1024];
    for (size_t i = 0; i < n; i++) {
        snprintf(text, sizeof text, "%s%s\n", head, c[i].line);
        efi_check_fails(reader, text, ERR_BAD_FORMAT, 2, c[i].needle);
    }
}
