/* load.c: the inspector's input as text, whole, from a file or stdin. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lex.h"
#include "load.h"

int load_is_directory(const char *path)
{
    struct stat st;
    return strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

err_t load_text(const char *path, char **text, struct parse_error *err)
{
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    size_t cap = 4096, n = 0;
    char *buf = NULL;
    err_t e = ERR_OK;

    *text = NULL;
    if (!f)
        return lex_fail(err, ERR_IO, 0, "cannot open: %s", strerror(errno));
    for (;;) {
        char *grown = realloc(buf, cap + 1);
        if (!grown) {
            e = lex_fail(err, ERR_IO, 0, "out of memory reading the input");
            goto out;
        }
        buf = grown;
        n += fread(buf + n, 1, cap - n, f);
        if (ferror(f)) {
            e = lex_fail(err, ERR_IO, 0, "read error: %s", strerror(errno));
            goto out;
        }
        if (n < cap)
            break;
        if (cap >= LOAD_MAX_BYTES) {
            e = lex_fail(err, ERR_CAPACITY, 0, "input larger than %u MiB", LOAD_MAX_BYTES >> 20);
            goto out;
        }
        cap *= 2;
    }
    buf[n] = '\0';
    /* The readers see C strings, and a NUL would end the input early. Serial captures do
     * carry stray NULs (a port read while nothing was sent); they become SUB (0x1a, the
     * character meant for exactly this), which no reader accepts inside an entry but every
     * reader skips in the lines it ignores. */
    for (char *q = memchr(buf, '\0', n); q; q = memchr(q, '\0', n - (size_t)(q - buf)))
        *q = '\x1a';
out:
    if (!is_stdin)
        fclose(f);
    if (e != ERR_OK)
        free(buf);
    else
        *text = buf;
    return e;
}
