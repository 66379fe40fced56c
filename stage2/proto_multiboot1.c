/* proto_multiboot1.c: the Multiboot 1 protocol (spec 0.6.96): a kernel with a Multiboot 1 header,
 * entered in 32-bit protected mode with EAX = 0x2BADB002 and EBX = its information structure.
 * The steps are mb_boot.c's, shared with the other version; this file names its header
 * parser and information builder. */
#include "mb_boot.h"

static const struct mb_version mb1 = {
    .version = 1,
    .magic = MB1_BOOT_MAGIC,
    .parse = mb1_header_parse,
    .build = mb1_info_build,
};

const struct protocol proto_multiboot1 = {
    .name = "multiboot1",
    .id = CONFIG_PROTOCOL_MULTIBOOT1,
    .data = &mb1,
    .detect = mb_boot_detect,
    .validate = mb_boot_validate,
    .load = mb_boot_load,
    .handoff = mb_boot_handoff,
    .enter = mb_boot_enter,
};
