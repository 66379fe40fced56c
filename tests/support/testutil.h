/* testutil.h: helpers shared by the host tests: reading fixtures (a missing one fails the
 * test, never skips it), writing files, scratch directories, and comparing E820 tables. Paths
 * are relative to the top of the tree, where `make test` runs the tests. */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memmap.h"

/* The whole file, NUL-terminated, in a malloc'd buffer the caller frees. A file that is
 * missing or unreadable fails the running test (a fixture that went missing must not make a
 * test pass by testing nothing). *len (if not NULL) gets the byte count. */
char *testutil_read_file(const char *path, size_t *len);

/* A malloc'd copy of text with every "\n" turned into "\r\n", as a capture made on Windows
 * or through a serial terminal arrives; the caller frees it. */
char *testutil_crlf(const char *text);

/* Create or replace path with text; fails the running test if it cannot. */
void testutil_write_file(const char *path, const char *text);

/* mkdtemp under /tmp named after the test: buf gets "/tmp/NAME.XXXXXX" filled in. For cmocka
 * setup functions, which report failure by returning non-zero: 0 on success, -1 otherwise. */
int testutil_make_tmpdir(char *buf, size_t size, const char *name);
/* rm -rf of a directory testutil_make_tmpdir made; 0 on success, -1 otherwise. */
int testutil_remove_tmpdir(const char *dir);

/* For a test of a built tool (cmocka setup): -1 with a message if the executable `tool` is
 * missing, else testutil_make_tmpdir(buf, size, name). */
int testutil_tool_setup(const char *tool, char *buf, size_t size, const char *name);

/* Run a shell command; keep its stdout (and stderr too if the command redirects it) in out,
 * NUL-terminated, and return its exit status. A command that cannot be started or does not
 * exit normally fails the test. */
int testutil_run(char *out, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* got[0..got_n) must have want_n entries equal to want in base, length and type (attr is
 * left to the caller: readers and the BIOS loop each have their own rule for it). */
void testutil_assert_entries(const struct e820_entry *got, uint32_t got_n,
                             const struct e820_entry *want, uint32_t want_n);

/* A text reader of the inspector (tools/e820/parse.h): parse_fixture, parse_dmesg, ... */
struct e820_input;
struct parse_error;
typedef err_t (*testutil_reader_fn)(const char *text, struct e820_input *out,
                                    struct parse_error *err);

/* The capture at path, read by `reader` as it is and with CRLF line ends, must give the same
 * table (entries and their sizes), and a non-empty one. */
void testutil_assert_crlf_same(testutil_reader_fn reader, const char *path);

#endif
