/* main.c: build/e820, the memory-map inspector: read a memory map (fixture, dmesg, SeaBIOS
 * log, /sys/firmware/memmap, or a UEFI map from Linux's efi=debug lines or the UEFI Shell's
 * memmap), sanitize it with the bootloader's own memmap_sanitize, and print it.
 * Exit status: 0 done, 1 bad or unreadable input, 2 usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "output.h"

enum format { FORMAT_TABLE, FORMAT_FIXTURE, FORMAT_JSON };

struct options {
    enum format format;
    enum parse_form form; /* PARSE_FORM_UNKNOWN: detect */
    uint64_t align;
    const char *path;
};

static void usage(FILE *f)
{
    fprintf(f, "usage: e820 [--format table|fixture|json] [--align N]\n"
               "            [--input fixture|dmesg|seabios|sysfs|efi-dmesg|efi-shell] FILE|DIR|-\n"
               "Reads a memory map (our fixture format, Linux dmesg, a SeaBIOS debug log, a\n"
               "/sys/firmware/memmap directory, a UEFI map from Linux's efi=debug lines or the\n"
               "UEFI Shell's memmap; detected unless --input says), sanitizes it as the\n"
               "bootloader does and prints it. --align N trims usable memory to N-byte frames\n"
               "(N a power of two), as a kernel receives the map.\n");
}

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "e820: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n");
    usage(stderr);
    return 2;
}

/* `--name value` or `--name=value`; advances *i past what it used. */
static const char *option_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0)
        return NULL;
    if (argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (argv[*i][n] != '\0' || *i + 1 >= argc)
        return NULL;
    return argv[++*i];
}

static bool parse_align(const char *s, uint64_t *v)
{
    char *end;
    /* Decimal or 0x hex; a leading 0 would make strtoull read octal, which nobody means. */
    if (*s < '0' || *s > '9' || (s[0] == '0' && s[1] >= '0' && s[1] <= '9'))
        return false;
    unsigned long long x = strtoull(s, &end, 0);
    if (*end != '\0' || x == 0 || (x & (x - 1)) != 0)
        return false;
    *v = x;
    return true;
}

/* 0 on success, else the exit status for a usage error. */
static int parse_args(int argc, char **argv, struct options *o)
{
    *o = (struct options){ FORMAT_TABLE, PARSE_FORM_UNKNOWN, 0, NULL };
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            exit(0);
        } else if ((v = option_value(argc, argv, &i, "--format")) != NULL) {
            if (!strcmp(v, "table"))
                o->format = FORMAT_TABLE;
            else if (!strcmp(v, "fixture"))
                o->format = FORMAT_FIXTURE;
            else if (!strcmp(v, "json"))
                o->format = FORMAT_JSON;
            else
                return usage_error("unknown format '%s'", v);
        } else if ((v = option_value(argc, argv, &i, "--align")) != NULL) {
            if (!parse_align(v, &o->align))
                return usage_error("--align wants a power of two, not '%s'", v);
        } else if ((v = option_value(argc, argv, &i, "--input")) != NULL) {
            static const enum parse_form forms[] = { PARSE_FORM_FIXTURE, PARSE_FORM_DMESG,
                                                     PARSE_FORM_SEABIOS, PARSE_FORM_SYSFS,
                                                     PARSE_FORM_EFI_DMESG,
                                                     PARSE_FORM_EFI_SHELL };
            o->form = PARSE_FORM_UNKNOWN;
            for (size_t k = 0; k < sizeof forms / sizeof forms[0]; k++)
                if (!strcmp(v, parse_form_name(forms[k])))
                    o->form = forms[k];
            if (o->form == PARSE_FORM_UNKNOWN)
                return usage_error("unknown input form '%s'", v);
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return usage_error("unknown option '%s'", argv[i]);
        } else if (o->path) {
            return usage_error("one input only ('%s' is extra)", argv[i]);
        } else {
            o->path = argv[i];
        }
    }
    if (!o->path)
        return usage_error("%s", "no input given (use - for stdin)");
    return 0;
}

static int input_error(const char *source, const struct parse_error *pe, err_t e)
{
    const char *msg = pe->msg[0] ? pe->msg : err_str(e);
    if (pe->line)
        fprintf(stderr, "e820: %s:%u: %s\n", source, pe->line, msg);
    else
        fprintf(stderr, "e820: %s: %s\n", source, msg);
    return 1;
}

/* Read o->path with the right reader into in; 0 or the exit status. */
static int read_input(struct options *o, const char *source, struct e820_input *in)
{
    struct parse_error pe = { 0 };
    err_t e;
    bool dir = load_is_directory(o->path);

    if (dir || o->form == PARSE_FORM_SYSFS) {
        if (!dir)
            return input_error(source, &(struct parse_error){ 0, "--input sysfs wants a "
                               "directory" }, ERR_INVALID_ARG);
        if (o->form != PARSE_FORM_UNKNOWN && o->form != PARSE_FORM_SYSFS)
            return input_error(source, &(struct parse_error){ 0, "is a directory; only "
                               "sysfs input comes as one" }, ERR_INVALID_ARG);
        o->form = PARSE_FORM_SYSFS;
        e = parse_sysfs(o->path, in, &pe);
        return e == ERR_OK ? 0 : input_error(source, &pe, e);
    }
    char *text;
    if ((e = load_text(o->path, &text, &pe)) != ERR_OK)
        return input_error(source, &pe, e);
    bool guessed = o->form == PARSE_FORM_UNKNOWN;
    if (guessed)
        o->form = parse_detect(text);
    /* Unrecognisable text is read as a fixture: its first bad line then gets named. */
    e = parse_text(o->form == PARSE_FORM_UNKNOWN ? PARSE_FORM_FIXTURE : o->form, text, in, &pe);
    free(text);
    if (e != ERR_OK && guessed && o->form == PARSE_FORM_UNKNOWN)
        snprintf(pe.msg + strlen(pe.msg), sizeof pe.msg - strlen(pe.msg),
                 " (and no dmesg or SeaBIOS table either, nor a UEFI map)");
    return e == ERR_OK ? 0 : input_error(source, &pe, e);
}

int main(int argc, char **argv)
{
    static struct e820_input in;
    static struct e820_entry sane[MEMMAP_MAX], aligned[MEMMAP_MAX];
    static uint64_t scratch[MEMMAP_SCRATCH_BYTES(MEMMAP_RAW_MAX) / sizeof(uint64_t) + 1];
    struct memmap_report rep = { 0 };
    struct memmap map, out;
    struct options o;
    int rc;

    if ((rc = parse_args(argc, argv, &o)) != 0)
        return rc;
    const char *source = strcmp(o.path, "-") ? o.path : "<stdin>";
    if ((rc = read_input(&o, source, &in)) != 0)
        return rc;

    memmap_init(&map, sane, MEMMAP_MAX);
    err_t e = memmap_sanitize(&map, in.entry, in.size, in.count, scratch, sizeof scratch, &rep);
    if (e != ERR_OK) {
        fprintf(stderr, "e820: %s: sanitizing failed: %s\n", source, err_str(e));
        return 1;
    }
    if (o.align) {
        memmap_init(&out, aligned, MEMMAP_MAX);
        if ((e = memmap_frame_align(&map, o.align, &out)) != ERR_OK) {
            fprintf(stderr, "e820: %s: aligning to %llu failed: %s\n", source,
                    (unsigned long long)o.align, err_str(e));
            return 1;
        }
        map = out;
    }

    struct e820_result r = { source, o.form, in.count, &map, &rep, o.align,
                             in.efi ? &in.efi_report : NULL };
    if (o.format == FORMAT_FIXTURE)
        output_fixture(stdout, &r);
    else if (o.format == FORMAT_JSON)
        output_json(stdout, &r);
    else
        output_table(stdout, &r);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "e820: write error on standard output\n");
        return 1;
    }
    return 0;
}
