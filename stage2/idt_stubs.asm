; idt_stubs.asm: the entry stubs of stage2's protected-mode exception handlers. Without an IDT a
; CPU exception in stage2 (a bug, or a BIOS that returns with a trampled stack) would triple
; fault, and a real machine would reset and boot into the same fault again: a reboot loop.
; Each stub pushes a zero where the CPU pushes no error code, then the vector, and calls
; idt_exception(vector, error, eip, cs), which panics.

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
    mov ax, 0x10                    ; flat data, in case the fault came with odd DS/ES
    mov ds, ax
    mov es, ax
    call idt_exception              ; cdecl: (vector, error, eip, cs) are already in place
.halt:
    cli
    hlt
    jmp .halt

; Stub addresses for idt.c, one per vector (16-byte aligned stubs, but a table is clearer).
section .rodata
align 4
idt_stubs:
%assign v 0
%rep 32
    dd idt_stub_ %+ v
%assign v v + 1
%endrep

section .note.GNU-stack noalloc noexec nowrite progbits
