/* hello.c: a stand-in stage2_main until stage2/main.c exists (stage2/build.mk drops this
 * file once stage2/boot.mk lists main.c). Proves the entry, console, A20 and the thunk. */
#include <stdint.h>

#include "a20.h"
#include "bios.h"
#include "console.h"
#include "io.h"

void stage2_main(uint32_t boot_drive);

void stage2_main(uint32_t boot_drive)
{
    console_init();
    log_info("stage2 (hello) started from drive 0x%x", (unsigned)boot_drive);
    a20_enable();

    struct bios_regs r;
    bios_regs_init(&r);
    bios_int(NULL, 0x12, &r, &r);
    log_info("INT 12h: %u KiB of low memory (CF=%d)", (unsigned)(r.eax & 0xffff), bios_cf(&r));

    bios_regs_init(&r);
    r.eax = 0xe801;
    bios_int(NULL, 0x15, &r, &r);
    log_info("INT 15h E801: AX=%#x BX=%#x CX=%#x DX=%#x CF=%d", (unsigned)(r.eax & 0xffff),
             (unsigned)(r.ebx & 0xffff), (unsigned)(r.ecx & 0xffff),
             (unsigned)(r.edx & 0xffff), bios_cf(&r));
    log_info("64-bit: %llu %llx %lld", 18446744073709551615ull, 0x123456789abcdefull,
             -9223372036854775807ll - 1);
    panic("hello", "end of the stand-in stage2 (%s)", "ok");
}
