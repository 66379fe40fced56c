/* asm_offsets.c: the constants the assembly and the linker script use, taken from the C
 * headers that define them. Never linked: stage2/layout.mk compiles it with -S for stage2's
 * target and turns each marker line into a NASM %define (build/gen/layout.inc, included by
 * stage1/mbr.asm and the stage2 .asm files) and, for LD_CONST, a linker-script symbol as well
 * (build/gen/layout.ld, included by stage2/linker.ld). SeaBIOS's asm-offsets.c and Linux's
 * kbuild asm-offsets work the same way. */
#include <stddef.h>

#include "bios_regs.h"
#include "handoff.h"
#include "layout.h"
#include "mbr.h"
#include "multios/bootinfo.h"
#include "stage1_info.h"
#include "stage2_header.h"

/* Marker lines in the compiler's assembly output: "->inc LINE" is a line of layout.inc,
 * "->ld LINE" one of layout.ld; the build keeps the LINEs of each kind (sed). Values are
 * printed as bare numbers (%c). CONST and LD_CONST keep the name of the header's macro. */
#define MARK(kind, text, val) \
    __asm__ volatile("\n.ascii \"->" kind " " text "\"" : : "i"((unsigned long long)(val)))
#define CONST(sym)            MARK("inc", "%%define " #sym " %c0", sym)
#define LD_CONST(sym) \
    MARK("inc", "%%define " #sym " %c0", sym); MARK("ld", #sym " = %c0;", sym)
#define OFFSET(sym, str, mem) \
    MARK("inc", "%%define " #sym " %c0 ; offsetof(" #str ", " #mem ")", offsetof(struct str, mem))
#define SIZE(sym, str) \
    MARK("inc", "%%define " #sym " %c0 ; sizeof(" #str ")", sizeof(struct str))
#define COMMENT(text)         __asm__ volatile("\n.ascii \"->inc ; " text "\"")

void asm_offsets(void);

void asm_offsets(void)
{
    COMMENT("Generated from stage2/asm_offsets.c by stage2/layout.mk: do not edit.");
    MARK("ld", "/* Generated from stage2/asm_offsets.c by stage2/layout.mk: do not edit. */", 0);
    COMMENT("Low memory (stage2/layout.h)");
    CONST(STAGE1_LOAD_ADDR);
    CONST(STAGE1_CODE_END);
    CONST(STAGE1_DAP);
    CONST(STAGE1_STAGE2_LBA);
    CONST(STAGE1_STAGE2_SECTORS);
    LD_CONST(STAGE2_LOAD_ADDR);
    CONST(STAGE2_SECTOR);
    LD_CONST(STAGE2_END_MAX);
    CONST(STAGE2_MAX_SECTORS);
    LD_CONST(STAGE2_REAL_END);
    CONST(LOADER_STACK_TOP);
    CONST(LOADER_STACK_GUARD);
    CONST(LOADER_STACK_GUARD_SIZE);
    CONST(LOADER_STACK_GUARD_VALUE);

    COMMENT("struct stage1_info (stage2/stage1_info.h): stage1's variables, for stage2");
    CONST(STAGE1_INFO_ADDR);
    SIZE(STAGE1_INFO_SIZE, stage1_info);
    OFFSET(S1_SECTORS, stage1_info, sectors);
    OFFSET(S1_HEADS, stage1_info, heads);
    OFFSET(S1_TSC, stage1_info, tsc);
    OFFSET(S1_UD_IP, stage1_info, ud_ip);
    OFFSET(S1_BIOS_INT6, stage1_info, bios_int6);
    OFFSET(S1_DRIVE, stage1_info, drive);
    OFFSET(S1_BIOS_DL, stage1_info, bios_dl);

    COMMENT("The MBR (core/mbr.h)");
    CONST(MBR_SIG_OFFSET);

    COMMENT("GDT selectors (stage2/layout.h)");
    CONST(GDT_SEL_CODE32);
    CONST(GDT_SEL_DATA32);
    CONST(GDT_SEL_CODE16);
    CONST(GDT_SEL_DATA16);
    CONST(GDT_SEL_CODE64);

    COMMENT("struct stage2_header (stage2/stage2_header.h)");
    CONST(STAGE2_MAGIC);
    CONST(STAGE2_HEADER_VERSION);
    OFFSET(STAGE2_HDR_MAGIC, stage2_header, magic);
    OFFSET(STAGE2_HDR_SECTORS, stage2_header, sectors);
    OFFSET(STAGE2_HDR_VERSION, stage2_header, version);
    OFFSET(STAGE2_HDR_CHECKSUM, stage2_header, checksum);
    SIZE(STAGE2_HDR_SIZE, stage2_header);

    COMMENT("struct bios_regs (stage2/bios/bios_regs.h)");
    OFFSET(BIOS_REGS_EAX, bios_regs, eax);
    OFFSET(BIOS_REGS_EBX, bios_regs, ebx);
    OFFSET(BIOS_REGS_ECX, bios_regs, ecx);
    OFFSET(BIOS_REGS_EDX, bios_regs, edx);
    OFFSET(BIOS_REGS_ESI, bios_regs, esi);
    OFFSET(BIOS_REGS_EDI, bios_regs, edi);
    OFFSET(BIOS_REGS_EBP, bios_regs, ebp);
    OFFSET(BIOS_REGS_EFLAGS, bios_regs, eflags);
    OFFSET(BIOS_REGS_DS, bios_regs, ds);
    OFFSET(BIOS_REGS_ES, bios_regs, es);
    OFFSET(BIOS_REGS_FS, bios_regs, fs);
    OFFSET(BIOS_REGS_GS, bios_regs, gs);
    SIZE(BIOS_REGS_SIZE, bios_regs);

    COMMENT("struct handoff_long (stage2/handoff.h) and the hand-off's EAX");
    OFFSET(HANDOFF_LONG_CR3, handoff_long, cr3);
    OFFSET(HANDOFF_LONG_ENTRY, handoff_long, entry);
    OFFSET(HANDOFF_LONG_STACK_TOP, handoff_long, stack_top);
    OFFSET(HANDOFF_LONG_BOOT_INFO, handoff_long, boot_info);
    OFFSET(HANDOFF_LONG_NX, handoff_long, nx);
    CONST(MULTIOS_BOOT_EAX_MAGIC);
}
