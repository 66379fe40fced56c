/* config_load.c: read /boot/multios.cfg, warn about each line refused, log each setting,
 * apply the log level. */
#include "config_load.h"
#include "console.h"

/* The console starts at the default level, so the messages before config_load are exactly
 * those the default configuration would show; the file's levels are the console's. */
_Static_assert(CONFIG_DEFAULT_LOG_LEVEL == LOG_INFO, "the console starts at the default level");
_Static_assert(CONFIG_LOG_ERROR == LOG_ERROR && CONFIG_LOG_WARN == LOG_WARN &&
               CONFIG_LOG_INFO == LOG_INFO && CONFIG_LOG_DEBUG == LOG_DEBUG,
               "config and console log levels");

/* The file, read whole (it is small). Static, not from the heap: the heap does not exist
 * yet, and is placed after the kernel, which the configuration names. */
static char config_load_text[CONFIG_FILE_MAX];

static void config_load_warn(void *ctx, const struct config_error *e)
{
    (void)ctx;
    /* A refused value leaves the default (a refused duplicate, the first value). */
    if (e->key != CONFIG_KEY_NONE && e->problem != CONFIG_DUPLICATE)
        log_warn("config: %s line %u: %s '%s': ignored, default kept", CONFIG_PATH, e->line,
                 config_problem_str(e->problem), e->key_text);
    else if (e->key_text[0])
        log_warn("config: %s line %u: %s '%s': ignored", CONFIG_PATH, e->line,
                 config_problem_str(e->problem), e->key_text);
    else
        log_warn("config: %s line %u: %s: ignored", CONFIG_PATH, e->line,
                 config_problem_str(e->problem));
}

/* One line per global setting the file gave, in the file's terms. */
static void config_load_log_globals(const struct config_file *cf)
{
    static const char *const level[] = { "error", "warn", "info", "debug" };
    const struct boot_config *c = &cf->cfg;

    for (unsigned key = 0; key < CONFIG_KEY_COUNT; key++) {
        const char *name = config_key_name((enum config_key)key);
        if (!(cf->set & (1u << key)))
            continue;
        switch (key) {
        case CONFIG_KEY_HEAP_SIZE:
            log_info("config: %s = %llu KiB", name, (unsigned long long)(c->heap_size >> 10));
            break;
        case CONFIG_KEY_FRAME_SIZE:
            log_info("config: %s = %llu KiB", name, (unsigned long long)(c->frame_gran >> 10));
            break;
        case CONFIG_KEY_HEAP_MIN:
            log_info("config: %s = 0x%llx", name, (unsigned long long)c->heap_min_addr);
            break;
        case CONFIG_KEY_MEMTEST:
            log_info("config: %s = %s", name, c->memtest ? "on" : "off");
            break;
        case CONFIG_KEY_LOG_LEVEL:
            log_info("config: %s = %s", name, level[c->log_level & 3u]);
            break;
        case CONFIG_KEY_DEFAULT:
            log_info("config: %s = %s", name, cf->default_text);
            break;
        default:
            break;
        }
    }
}

/* The modules of the entry that boots, one line each, in the order they are loaded. */
static void config_load_log_modules(const struct config_entry *e)
{
    uint32_t i = 1;

    for (const struct config_module *m = e->modules; m; m = m->next, i++)
        log_info("config: module %u: %s \"%s\"", i, m->path, m->cmdline);
}

/* The entry keys the file gave: as plain settings for a file with one untitled entry (as
 * every file was before entries existed), else one line per entry and the one that boots. */
static void config_load_log_entries(const struct config_file *cf)
{
    const struct config_entry *e = &cf->entry[0];

    if (cf->entry_count == 1 && !e->title[0]) {
        if (e->set & (1u << CONFIG_KEY_KERNEL))
            log_info("config: kernel = %s", e->kernel);
        if (e->set & (1u << CONFIG_KEY_CMDLINE))
            log_info("config: cmdline = \"%s\"", e->cmdline);
        if (e->set & (1u << CONFIG_KEY_PROTOCOL))
            log_info("config: protocol = %s", config_protocol_name(e->protocol));
        config_load_log_modules(e);
        return;
    }
    for (uint32_t i = 0; i < cf->entry_count; i++) {
        e = &cf->entry[i];
        log_info("config: entry %u \"%s\": kernel %s, cmdline \"%s\", protocol %s, %u modules",
                 i + 1u, config_entry_name(e), e->kernel, e->cmdline,
                 config_protocol_name(e->protocol), e->module_count);
    }
    log_info("config: booting entry %u \"%s\"", cf->chosen + 1u,
             config_entry_name(config_chosen(cf)));
    config_load_log_modules(config_chosen(cf));
}

/* The file over the defaults already in *cf; any problem with the file itself leaves them. */
static void config_load_file(struct config_file *cf, struct volume *vol)
{
    struct volume_file f;
    uint64_t got = 0;
    err_t e;

    e = volume_open(vol, CONFIG_PATH, &f, "looking up " CONFIG_PATH);
    if (e == ERR_NOT_FOUND) {
        log_info("config: no %s, defaults used (kernel %s)", CONFIG_PATH,
                 config_chosen(cf)->kernel);
        return;
    }
    if (e == ERR_OK && f.is_dir)
        e = ERR_INVALID_ARG;
    if (e != ERR_OK) {
        log_warn("config: cannot open %s: %s; defaults used", CONFIG_PATH, err_str(e));
        return;
    }
    if (f.size > CONFIG_FILE_MAX)
        log_warn("config: %s is %u bytes: only the first %u are read", CONFIG_PATH, f.size,
                 CONFIG_FILE_MAX);
    e = volume_read(vol, &f, 0, config_load_text,
                    f.size < CONFIG_FILE_MAX ? f.size : CONFIG_FILE_MAX, &got,
                    "reading " CONFIG_PATH);
    if (e != ERR_OK) {
        log_warn("config: cannot read %s: %s; defaults used", CONFIG_PATH, err_str(e));
        return;
    }
    config_parse(config_load_text, (size_t)got, cf, config_load_warn, NULL);
    log_info("config: %s, %u bytes, %u lines, %u refused", CONFIG_PATH, (unsigned)got,
             cf->lines, cf->errors);
    /* Every line refused is almost always the wrong file, or one saved in an encoding we
     * cannot read (UTF-16): say so once, where it is seen, rather than only line by line. */
    if (cf->errors && !cf->accepted)
        log_warn("config: no line of %s could be used: the whole file is ignored, defaults "
                 "used", CONFIG_PATH);
    config_load_log_globals(cf);
    config_load_log_entries(cf);
}

void config_load(struct config_file *cf, struct volume *vol)
{
    config_file_defaults(cf);
    config_load_file(cf, vol);
    console_set_level((int)cf->cfg.log_level);
}
