/* protocol.c: the boot protocols stage2 knows, and which one boots the kernel. */
#include <string.h>

#include "console.h"
#include "protocol.h"

/* Searched in order, so a kernel carrying several headers gets the richest protocol: the
 * Multiboot headers, when they come, go before the plain ELF the native protocol claims. */
static const struct protocol *const protocol_table[] = {
    &proto_multios,
};

const struct protocol *protocol_select(struct kernel_file *k)
{
    const struct protocol *p = &proto_multios;
    const char *reason = "no protocol's header found";
    char why[PROTOCOL_WHY_MAX];

    for (size_t i = 0; i < sizeof(protocol_table) / sizeof(protocol_table[0]); i++) {
        if (protocol_table[i]->detect(k, why)) {
            p = protocol_table[i];
            reason = why;
            break;
        }
    }
    log_info("kernel: protocol %s: %s", p->name, reason);
    return p;
}
