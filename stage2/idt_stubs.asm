; idt_stubs.asm: the entry stubs of stage2's protected-mode exception handlers. Without an IDT a
; CPU exception in stage2 (a bug, or a BIOS that returns with a trampled stack) would triple
; fault, and a real machine would reset and boot into the same fault again: a reboot loop.
; Each stub pushes a zero where the CPU pushes no error code, then the vector, and calls
; idt_exception(vector, error, eip, cs), which panics.

%include "layout.inc"

bits 32
section .text

extern idt_exception
global idt_stubs

; IN: the CPU's exception frame ([error,] EIP, CS, EFLAGS). OUT: never returns.
; CLOBBERS: everything (idt_exception panics and halts).
%macro STUB 1
align 16
idt_stub_%+%1:
%if %1 = 8 || (%1 >= 10 && %1 <= 14) || %1 = 17 || %1 = 21 || %1 = 29 || %1 = 30
    push dword %1                   ; the CPU pushed an error code
%else
    push dword 0                    ; no error code: keep one frame layout
    push dword %1
%endif
    jmp idt_common
%endmacro

%assign v 0
%rep 32
STUB v
%assign v v + 1
%endrep

; The frame is [vector][error][eip][cs] for every vector.
idt_common:
    cld
    mov ax, GDT_SEL_DATA32          ; flat data, in case the fault came with odd DS/ES
    mov ds, ax
    mov es, ax
    call idt_exception              ; cdecl: (vector, error, eip, cs) are already in place
.halt:
    cli
    hlt
    jmp .halt

; ---------------------------------------------------------------------------------------------
; The long-mode reporting stubs (idt_long_prepare builds the gates). They run after the hand-off
; on the kernel's stack, in its page tables (stage2's image is identity-mapped there), with
; nothing of stage2's C available (it is 32-bit code): they write one line to COM1 by polling
; the UART and halt. Same frame convention as above, 8-byte slots.
bits 64

COM1            equ 0x3F8
COM1_LSR        equ COM1 + 5
LSR_THR_EMPTY   equ 0x20

; IN: the CPU's long-mode frame ([error,] RIP, CS, RFLAGS, RSP, SS). OUT: never returns.
; CLOBBERS: everything
%macro STUB64 1
align 16
idt_long_stub_%+%1:
%if %1 = 8 || (%1 >= 10 && %1 <= 14) || %1 = 17 || %1 = 21 || %1 = 29 || %1 = 30
    push qword %1
%else
    push qword 0
    push qword %1
%endif
    jmp idt_long_common
%endmacro

%assign v 0
%rep 32
STUB64 v
%assign v v + 1
%endrep

; The frame is [vector][error][rip][cs] for every vector.
; "multios: kernel exception N before the kernel loaded its own IDT: rip 0x..., error code 0x..."
idt_long_common:
    cli
    cld
    mov esi, idt_long_msg_head
    call idt_long_puts
    mov rax, [rsp]
    call idt_long_putdec
    mov esi, idt_long_msg_rip
    call idt_long_puts
    mov rax, [rsp + 16]
    call idt_long_puthex
    mov esi, idt_long_msg_err
    call idt_long_puts
    mov rax, [rsp + 8]
    call idt_long_puthex
    mov esi, idt_long_msg_halt
    call idt_long_puts
.halt:
    cli
    hlt
    jmp .halt

; idt_long_putc: one byte to COM1 once the transmitter is empty (a missing UART reads 0xFF,
; which says empty, so this cannot hang).
; IN: AL = byte. OUT: nothing. CLOBBERS: AL, AH, DX
idt_long_putc:
    mov ah, al
    mov dx, COM1_LSR
.wait:
    in al, dx
    test al, LSR_THR_EMPTY
    jz .wait
    mov dx, COM1
    mov al, ah
    out dx, al
    ret

; idt_long_puts: a NUL-terminated string (below 4 GiB). IN: RSI. CLOBBERS: RAX, RDX, RSI
idt_long_puts:
    lodsb
    test al, al
    jz .done
    call idt_long_putc
    jmp idt_long_puts
.done:
    ret

; idt_long_putdec: RAX in decimal, no leading zeros. CLOBBERS: RAX, RCX, RDX, R8
idt_long_putdec:
    mov ecx, 10
    xor r8d, r8d                    ; digits pushed
.split:
    xor edx, edx
    div rcx
    push rdx                        ; least significant first
    inc r8d
    test rax, rax
    jnz .split
.print:
    pop rax
    add al, '0'
    call idt_long_putc
    dec r8d
    jnz .print
    ret

; idt_long_puthex: RAX as 0x plus 16 hex digits. CLOBBERS: RAX, RCX, RDX, R8
idt_long_puthex:
    mov r8, rax
    mov al, '0'
    call idt_long_putc
    mov al, 'x'
    call idt_long_putc
    mov ecx, 16
.nibble:
    rol r8, 4
    mov eax, r8d
    and eax, 0xF
    cmp al, 10
    jb .dec
    add al, 'a' - 10 - '0'
.dec:
    add al, '0'
    call idt_long_putc
    dec ecx
    jnz .nibble
    ret

section .rodata
idt_long_msg_head: db 13, 10, "multios: kernel exception ", 0
idt_long_msg_rip:  db " before the kernel loaded its own IDT: rip ", 0
idt_long_msg_err:  db ", error code ", 0
idt_long_msg_halt: db 13, 10, "multios: halted", 13, 10, 0

bits 32
; Stub addresses for idt.c, one per vector (16-byte aligned stubs, but a table is clearer).
section .rodata
align 4
idt_stubs:
%assign v 0
%rep 32
    dd idt_stub_ %+ v
%assign v v + 1
%endrep

; The long-mode stubs' addresses, for idt_long_prepare.
global idt_long_stubs
idt_long_stubs:
%assign v 0
%rep 32
    dd idt_long_stub_ %+ v
%assign v v + 1
%endrep

section .note.GNU-stack noalloc noexec nowrite progbits
