; entry.asm: stage2's first bytes. The header stage1 checks, then the 16-bit entry: segments,
; stack, GDT, protected mode, .bss zeroed, and a call to stage2_main(boot_drive).
;
; The header is struct stage2_header (stage2_header.h): a jump to start16, the magic, the
; size in sectors and the checksum, which tools/mkimage_seal.py fills in so that the 32-bit
; sum of every dword of the sealed image is zero, and the header version. Its offsets, the
; stack, its guard and the GDT selectors come from the C headers through layout.inc.

%include "layout.inc"

extern stage2_main
extern __bss_start
extern __bss_end
global stage2_start
global stage2_boot_drive
global stage2_gdt
global stage2_gdt_desc

; at_offset base, n: pad with zeros up to base + n; a field placed past it fails the build
; (negative TIMES).
%macro at_offset 2
    times (%2) - ($ - %1) db 0
%endmacro

section .header
bits 16
stage2_start:
    jmp near start16
    at_offset stage2_start, STAGE2_HDR_MAGIC
    dd STAGE2_MAGIC
    at_offset stage2_start, STAGE2_HDR_SECTORS
    dw 0                            ; size in sectors (sealed)
    at_offset stage2_start, STAGE2_HDR_VERSION
    dw STAGE2_HEADER_VERSION
    at_offset stage2_start, STAGE2_HDR_CHECKSUM
    dd 0                            ; checksum (sealed)
    at_offset stage2_start, STAGE2_HDR_SIZE

section .text16
bits 16
; start16: stage1 jumps here (0000:STAGE2_LOAD_ADDR) in real mode.
; IN: DL = boot drive. OUT: never returns. CLOBBERS: everything.
start16:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov sp, LOADER_STACK_TOP
    jmp 0:.cs_zero
.cs_zero:
    cld
    mov [stage2_boot_drive], dl
    o32 lgdt [stage2_gdt_desc]
    mov eax, cr0
    or al, 1                        ; PE
    mov cr0, eax
    jmp dword GDT_SEL_CODE32:pm32_entry

section .data16
stage2_boot_drive: db 0
    align 8
; The contract's selectors (layout.h): 0x08 code32, 0x10 data32, 0x18 code16, 0x20 data16,
; 0x28 code64; each descriptor lands at its selector's offset. The 16-bit pair (64 KiB
; limits) is what the thunk loads before it clears PE, so real mode starts with real-mode
; segment limits.
stage2_gdt:
    dq 0
    at_offset stage2_gdt, GDT_SEL_CODE32
    dq 0x00cf9a000000ffff           ; code32, base 0, 4 GiB
    at_offset stage2_gdt, GDT_SEL_DATA32
    dq 0x00cf92000000ffff           ; data32, base 0, 4 GiB
    at_offset stage2_gdt, GDT_SEL_CODE16
    dq 0x00009a000000ffff           ; code16, base 0, 64 KiB
    at_offset stage2_gdt, GDT_SEL_DATA16
    dq 0x000092000000ffff           ; data16, base 0, 64 KiB
    at_offset stage2_gdt, GDT_SEL_CODE64
    dq 0x00af9a000000ffff           ; code64 (L=1)
.end:
stage2_gdt_desc:
    dw stage2_gdt.end - stage2_gdt - 1
    dd stage2_gdt

section .text.entry32 progbits alloc exec
bits 32
; pm32_entry: flat 32-bit protected mode, interrupts off.
pm32_entry:
    mov ax, GDT_SEL_DATA32
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov esp, LOADER_STACK_TOP
    mov eax, LOADER_STACK_GUARD_VALUE
    mov edi, LOADER_STACK_GUARD
    mov ecx, LOADER_STACK_GUARD_SIZE / 4
    rep stosd
    mov edi, __bss_start
    mov ecx, __bss_end
    sub ecx, edi
    xor eax, eax
    rep stosb
    movzx eax, byte [stage2_boot_drive]
    push eax
    call stage2_main
.halt:
    cli
    hlt
    jmp .halt

section .note.GNU-stack noalloc noexec nowrite progbits
