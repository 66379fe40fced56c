/* proto_multiboot2.c: the Multiboot 2 protocol (spec 2.0): a kernel with a Multiboot 2 header,
 * entered in 32-bit protected mode with EAX = 0x36D76289 and EBX = its information structure.
 * The steps are mb_boot.c's, shared with the other version; this file names its header
 * parser and information builder. */
#include "mb_boot.h"

static const struct mb_version mb2 = {
    .version = 2,
    .magic = MB2_BOOT_MAGIC,
    .parse = mb2_header_parse,
    .build = mb2_info_build,
};

const struct protocol proto_multiboot2 = {
    .name = "multiboot2",
    .id = CONFIG_PROTOCOL_MULTIBOOT2,
    .data = &mb2,
    .detect = mb_boot_detect,
    .validate = mb_boot_validate,
    .load = mb_boot_load,
    .handoff = mb_boot_handoff,
    .enter = mb_boot_enter,
};
