/* protocol.c: the boot protocols stage2 knows, and which one boots the kernel. */
#include <string.h>

#include "console.h"
#include "protocol.h"

/* Searched in order, so a kernel carrying several headers gets the richest protocol: a
 * Multiboot 2 header over a Multiboot 1 header over the plain ELF the native protocol
 * claims. */
static const struct protocol *const protocol_table[] = {
    &proto_multiboot2,
    &proto_multiboot1,
    &proto_multios,
};
#define PROTOCOL_COUNT (sizeof(protocol_table) / sizeof(protocol_table[0]))

static const struct protocol *protocol_named(struct kernel_file *k, enum config_protocol wanted)
{
    char why[PROTOCOL_WHY_MAX];

    for (size_t i = 0; i < PROTOCOL_COUNT; i++) {
        const struct protocol *p = protocol_table[i];
        if (p->id != wanted)
            continue;
        if (p->detect(p, k, why) == PROTOCOL_NO)
            panic("kernel", "protocol = %s is configured, but %s has no %s header", p->name,
                  k->path, p->name);
        log_info("kernel: protocol %s (configured): %s", p->name, why);
        return p;
    }
    panic("kernel", "protocol %s is not built into this loader", config_protocol_name(wanted));
}

/* Add a protocol's name to the log's list of the other headers the file carries. */
static void protocol_also(char *also, size_t cap, const struct protocol *p, bool broken)
{
    size_t at = strlen(also), n = strlen(p->name);

    if (at + n + 12 >= cap)
        return;
    if (at) {
        memcpy(also + at, ", ", 2);
        at += 2;
    }
    memcpy(also + at, p->name, n);
    at += n;
    memcpy(also + at, broken ? " (broken)" : "", broken ? 10 : 1);
}

const struct protocol *protocol_select(struct kernel_file *k, enum config_protocol wanted)
{
    const struct protocol *p = NULL, *broken = NULL;
    char why[PROTOCOL_WHY_MAX], chosen_why[PROTOCOL_WHY_MAX], also[PROTOCOL_WHY_MAX] = "";

    if (wanted != CONFIG_PROTOCOL_AUTO)
        return protocol_named(k, wanted);
    for (size_t i = 0; i < PROTOCOL_COUNT; i++) {
        const struct protocol *q = protocol_table[i];
        enum protocol_claim c = q->detect(q, k, why);
        if (c == PROTOCOL_NO)
            continue;
        if (c == PROTOCOL_YES && !p) {
            p = q;
            memcpy(chosen_why, why, sizeof(why));
            continue;
        }
        if (c == PROTOCOL_BROKEN && !broken && !p) {
            broken = q;
            memcpy(chosen_why, why, sizeof(why));
            continue;
        }
        protocol_also(also, sizeof(also), q, c == PROTOCOL_BROKEN);
    }
    if (p) {
        if (broken)
            protocol_also(also, sizeof(also), broken, true);
        log_info("kernel: protocol %s (auto): %s%s%s", p->name, chosen_why,
                 also[0] ? "; the file also has a header for " : "", also);
        return p;
    }
    if (broken) {
        log_info("kernel: protocol %s (auto): %s, and no valid header", broken->name,
                 chosen_why);
        return broken;
    }
    log_info("kernel: protocol multios (auto): no protocol's header found");
    return &proto_multios;
}
