; entry.asm: stage2's first bytes. The header stage1 checks, then the 16-bit entry: segments,
; stack, GDT, protected mode, .bss zeroed, and a call to stage2_main(boot_drive).
;
; Header layout (stage2/stage2_header.h; tools/mkimage_seal.py fills size and checksum):
;   +0  jmp near start16, pad byte   +4  magic 'MOS2'   +8  word: size in 512-byte sectors
;   +10 word: header version (1)     +12 dword: checksum, so that the 32-bit sum of every
;                                    dword of the sealed image is zero.

STACK_TOP equ 0x7c00                ; 0x0500-0x7bff: one stack for real and protected mode
; The stack's lowest 16 bytes above the A20 test word: a pattern bios_int checks before every
; BIOS call, so a stack that overflowed towards the BIOS data area and the IVT is a panic
; instead of a BIOS call through a trampled vector.
STACK_GUARD       equ 0x0510
STACK_GUARD_VALUE equ 0x4b415453    ; "STAK"

SEL_CODE32 equ 0x08
SEL_DATA32 equ 0x10

extern stage2_main
extern __bss_start
extern __bss_end
global stage2_start
global stage2_boot_drive
global stage2_gdt
global stage2_gdt_desc
global STACK_GUARD
global STACK_GUARD_VALUE

section .header
bits 16
stage2_start:
    jmp near start16
    db 0
    dd 'MOS2'
    dw 0                            ; size in sectors (sealed)
    dw 1                            ; header version
    dd 0                            ; checksum (sealed)

section .text16
bits 16
; start16: stage1 jumps here (0000:8000) in real mode.
; IN: DL = boot drive. OUT: never returns. CLOBBERS: everything.
start16:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov sp, STACK_TOP
    jmp 0:.cs_zero
.cs_zero:
    cld
    mov [stage2_boot_drive], dl
    o32 lgdt [stage2_gdt_desc]
    mov eax, cr0
    or al, 1                        ; PE
    mov cr0, eax
    jmp dword SEL_CODE32:pm32_entry

section .data16
stage2_boot_drive: db 0
    align 8
; The contract's selectors: 0x08 code32, 0x10 data32, 0x18 code16, 0x20 data16, 0x28 code64.
; The 16-bit pair (64 KiB limits) is what the thunk loads before it clears PE, so real mode
; starts with real-mode segment limits.
stage2_gdt:
    dq 0
    dq 0x00cf9a000000ffff           ; 0x08 code32, base 0, 4 GiB
    dq 0x00cf92000000ffff           ; 0x10 data32, base 0, 4 GiB
    dq 0x00009a000000ffff           ; 0x18 code16, base 0, 64 KiB
    dq 0x000092000000ffff           ; 0x20 data16, base 0, 64 KiB
    dq 0x00af9a000000ffff           ; 0x28 code64 (L=1)
.end:
stage2_gdt_desc:
    dw stage2_gdt.end - stage2_gdt - 1
    dd stage2_gdt

section .text.entry32 progbits alloc exec
bits 32
; pm32_entry: flat 32-bit protected mode, interrupts off.
pm32_entry:
    mov ax, SEL_DATA32
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov esp, STACK_TOP
    mov eax, STACK_GUARD_VALUE
    mov edi, STACK_GUARD
    mov ecx, 4
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
