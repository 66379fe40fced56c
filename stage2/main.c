/* main.c: stage2's boot recipe, one step per line. Entered from entry.asm in 32-bit protected
 * mode with the boot drive; every step logs what it found and panics with its name if it
 * cannot go on, so the last line on serial always says where a boot stopped.
 *
 * The configuration file is read as soon as the boot partition is mounted, before the memory
 * map and every step that uses a setting; nothing in it can stop the boot except the kernel
 * it names being missing or broken, as the default one can be (config.h).
 *
 * The kernel's headers are judged before anything is allocated, and its frames are taken
 * right after the bitmap's: a kernel linked at fixed addresses (a 32-bit one at its p_paddr,
 * typically 1 MiB) must load there, so the loader's own data has to go around it, not the
 * other way. The boot protocol (protocol.h) then takes the frames its hand-off needs; the
 * boot heap comes last and takes what is left up to its size, so with too little RAM it is
 * the heap that fails ("boot heap"), never the page tables or the boot info. */
#include <stdint.h>

#include "a20.h"
#include "boot.h"
#include "bootinfo.h"
#include "config_load.h"
#include "console.h"
#include "idt.h"
#include "stage1_info.h"

static struct boot boot; /* in .bss: the stack below 0x7c00 is small */

void stage2_main(uint32_t boot_drive);

void stage2_main(uint32_t boot_drive)
{
    struct boot *b = &boot;

    idt_init(); /* from here a CPU exception is a panic, not a triple fault and a reset */
    console_init();
    b->drive = boot_drive & 0xffu;
    b->tsc_stage1 = stage1_info_tsc(&stage2_stage1_info);
    log_info("%s %s stage2, boot drive 0x%x", MULTIOS_LOADER_NAME, MULTIOS_LOADER_VERSION,
             b->drive);
    a20_enable();
    cpu_detect(&b->cpu);
    cpu_log(&b->cpu);
    b->bios = bios_iface_default();
    disk_open(&b->disk, &b->bios, (uint8_t)b->drive, stage2_stage1_info.bios_dl);
    b->drive = b->disk.io.drive;
    volume_mount(&b->vol, &b->disk);
    config_load(&b->conf, &b->vol); /* before every step that uses a setting */
    stage1_info_log(&stage2_stage1_info); /* at debug level: after the config's log_level */
    memory_detect(&b->mem, &b->bios);
    volume_limit(&b->vol, memmap_usable_bytes(&b->mem.map)); /* no gzip file beyond RAM */
    kernel_open(&b->kernel, &b->vol, config_chosen(&b->conf)->kernel);
    b->proto = protocol_select(&b->kernel, config_chosen(&b->conf)->protocol);
    b->proto->validate(b);
    if (b->long_mode)
        cpu_require_long_mode(&b->cpu);
    memory_frames(&b->mem, &b->conf.cfg, b->keep_end);
    memory_test(&b->mem);
    b->proto->load(b);
    kernel_check(&b->kernel); /* a gzip'd kernel's CRC, where no segment reached */
    disk_log_stats(&b->disk);
    memory_heap(&b->mem);
    memory_release_low(&b->mem);
    frames_seal(&b->mem.frames); /* the map is final: nothing may allocate after this */
    video_set(b);                /* last: a graphics mode ends the text console */
    b->proto->handoff(b);
    b->proto->enter(b);
}
