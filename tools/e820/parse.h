/* parse.h: readers that turn a textual memory map (our fixture format, Linux dmesg, SeaBIOS
 * debug log, /sys/firmware/memmap, and UEFI maps from Linux's efi=debug output or the UEFI
 * Shell's memmap command) into raw entries for memmap_sanitize. Host code: the readers never
 * sanitize, never truncate, and answer every input with a map or an error that names the
 * line. */
#ifndef E820_PARSE_H
#define E820_PARSE_H

#include <stdbool.h>
#include <stdint.h>

#include "efi_memmap.h"
#include "error.h"
#include "memmap.h"

/* A raw table as the firmware (or its log) gave it: entries in input order, size[i] is the
 * byte count INT 15h would have returned (24 when attributes are present, else 20). */
struct e820_input {
    struct e820_entry entry[MEMMAP_RAW_MAX];
    uint8_t size[MEMMAP_RAW_MAX];
    uint32_t count;
    bool efi;                            /* converted from a UEFI map by efi_memmap_to_e820 */
    struct efi_memmap_report efi_report; /* what that conversion did (when efi) */
};

/* A UEFI map as a reader recovered it: descriptors in map order, version-1 layout. */
struct efi_input {
    struct efi_memory_descriptor desc[MEMMAP_RAW_MAX];
    uint32_t count;
};

/* Where and why a reader gave up. line is 1-based, 0 when no line applies (msg then names
 * the file, e.g. for sysfs). msg never contains the line number itself. */
struct parse_error {
    unsigned line;
    char msg[160];
};

/* Fixture format: `0xBASE 0xLENGTH TYPE [ATTR]` a line, TYPE and ATTR decimal or 0x hex,
 * `#` starts a comment, blank lines ignored. ERR_BAD_FORMAT on a malformed line,
 * ERR_CAPACITY past MEMMAP_RAW_MAX entries. err may be NULL. */
err_t parse_fixture(const char *text, struct e820_input *out, struct parse_error *err);

/* Linux dmesg / syslog: `BIOS-e820: [mem 0xS-0xE] NAME` (inclusive end) and the older
 * `BIOS-e820: S - E (NAME)` (exclusive end); other lines are skipped. */
err_t parse_dmesg(const char *text, struct e820_input *out, struct parse_error *err);

/* SeaBIOS debug log: the last `e820 map has N items:` table, exclusive ends. */
err_t parse_seabios(const char *text, struct e820_input *out, struct parse_error *err);

/* A /sys/firmware/memmap-shaped directory: subdirectories 0, 1, ... each with start, end
 * (inclusive) and type files. */
err_t parse_sysfs(const char *dir, struct e820_input *out, struct parse_error *err);

/* Linux's efi=debug lines, in the three forms it has printed (the numeric one up to 3.18,
 * the flag form with an exclusive end of 3.19 to 4.x, the flag form with an inclusive end
 * since), with "efi: ", "EFI: " or no prefix; the last table of the input. */
err_t parse_efi_dmesg(const char *text, struct efi_input *out, struct parse_error *err);

/* The UEFI Shell's memmap output: EDK2's table (short type names), its -sfo form (full
 * names), and the lower-case names of EFI 1.x shells; the last table of the input. */
err_t parse_efi_shell(const char *text, struct efi_input *out, struct parse_error *err);

/* For parse_detect: does this line hold an entry of the form? */
struct lex_line;
bool parse_efi_dmesg_is_entry(const struct lex_line *ln);
bool parse_efi_shell_is_entry(const struct lex_line *ln);

/* Which reader a text input needs. */
enum parse_form {
    PARSE_FORM_UNKNOWN = 0,
    PARSE_FORM_FIXTURE,
    PARSE_FORM_DMESG,
    PARSE_FORM_SEABIOS,
    PARSE_FORM_SYSFS, /* never returned by parse_detect: a directory path means sysfs */
    PARSE_FORM_EFI_DMESG,
    PARSE_FORM_EFI_SHELL,
};

/* Read a UEFI form (PARSE_FORM_EFI_*) and convert it as a UEFI loader does
 * (efi_memmap_to_e820): out gets the raw E820 entries, out->efi_report what the conversion
 * dropped and retyped. */
err_t parse_efi(enum parse_form form, const char *text, struct e820_input *out,
                struct parse_error *err);

/* Guess the form of a text input from its contents. */
enum parse_form parse_detect(const char *text);

/* Dispatch to the reader for `form` (text forms only). */
err_t parse_text(enum parse_form form, const char *text, struct e820_input *out,
                 struct parse_error *err);

const char *parse_form_name(enum parse_form form);

#endif
