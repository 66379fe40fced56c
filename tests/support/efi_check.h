/* efi_check.h: the checks the tests of the inspector's UEFI readers share: a recovered
 * descriptor, and a reader failing with the right code, line and words. */
#ifndef EFI_CHECK_H
#define EFI_CHECK_H

#include <stdint.h>

#include "../../tools/e820/parse.h"

/* Descriptor i of in must exist and hold these fields. */
void efi_check_desc(const struct efi_input *in, uint32_t i, uint32_t type, uint64_t start,
                    uint64_t pages, uint64_t attr);

/* A UEFI reader (parse_efi_dmesg, parse_efi_shell). */
typedef err_t (*efi_check_reader_fn)(const char *text, struct efi_input *out,
                                     struct parse_error *err);

/* reader must refuse text with code, naming line (0: none) in a message holding needle. */
void efi_check_fails(efi_check_reader_fn reader, const char *text, err_t code, unsigned line,
                     const char *needle);

/* Each of n lines, put after a first line `head` (so on line 2), must fail with
 * ERR_BAD_FORMAT and its needle. */
struct efi_check_case {
    const char *line;
    const char *needle;
};
void efi_check_broken_lines(efi_check_reader_fn reader, const char *head,
                            const struct efi_check_case *c, size_t n);

#endif
