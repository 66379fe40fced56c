/* boot.h: everything one boot builds, handed from step to step of the recipe (main.c) and to
 * the boot protocol (protocol.h). */
#ifndef BOOT_H
#define BOOT_H

#include <stdbool.h>
#include <stdint.h>

#include "bios.h"
#include "config.h"
#include "cpu.h"
#include "disk.h"
#include "kernel.h"
#include "mb_boot.h"
#include "memory.h"
#include "proto_multios.h"
#include "protocol.h"
#include "video.h"
#include "volume.h"

struct boot {
    uint32_t drive;              /* the BIOS boot drive (DL at boot, 0x80 if it was garbage) */
    uint64_t tsc_stage1;         /* the TSC at stage1's first instructions, 0 if none: where
                                    the boot's profile starts */
    struct bios_iface bios;
    struct cpu_info cpu;
    struct disk disk;
    struct volume vol;           /* the FAT32 boot partition */
    struct config_file conf;     /* the one configuration: /boot/multios.cfg over the defaults */
    struct memory mem;
    struct kernel_file kernel;
    const struct protocol *proto;
    /* What the protocol's validate found the kernel needs, before anything is allocated: */
    uint64_t keep_end;           /* end of the physical range it asks for (0: none); the
                                    loader's own allocations go above it */
    bool long_mode;              /* it is entered in long mode */
    struct video_request video_req; /* the display the kernel's headers ask for */
    struct video_mode video;     /* the display it gets (video_set) */
    union {                      /* the chosen protocol's own state */
        struct proto_multios_state multios;
        struct proto_multiboot_state multiboot; /* either version */
    } proto_state;
};

#endif
