; entry.asm: demo64's first instructions and its exception stubs.
bits 64

section .text.entry
global _start
extern demo64_main

; _start: the loader jumps here in long mode.
; IN:       RDI = boot-info physical address, RSP = top of the loader's stack, IF = 0
; OUT:      never returns (demo64_main exits QEMU)
; CLOBBERS: everything
_start:
        mov     rsi, rsp                ; sp exactly as the loader set it
        pushfq
        pop     rdx                     ; RFLAGS at entry
        mov     rcx, cr3
        mov     r8, cr0
        and     rsp, -16                ; SysV alignment before the call
        call    demo64_main
.hang:  cli
        hlt
        jmp     .hang

section .text
extern demo64_exception

; One stub per CPU exception: push a dummy error code where the CPU pushes none, then the
; vector, so the common path always sees [vector, error, rip, cs, rflags, ...].
%macro ISR 1
isr%1:
%if %1 == 8 || (%1 >= 10 && %1 <= 14) || %1 == 17 || %1 == 21 || %1 == 29 || %1 == 30
%else
        push    0
%endif
        push    %1
        jmp     isr_common
%endmacro

%assign v 0
%rep 32
ISR v
%assign v v + 1
%endrep

; isr_common: report and exit; an exception in a test kernel is always a failure.
; IN:  [rsp] vector, [rsp+8] error code, [rsp+16] RIP
isr_common:
        mov     rdi, [rsp]
        mov     rsi, [rsp + 8]
        mov     rdx, [rsp + 16]
        mov     rcx, cr2
        and     rsp, -16
        call    demo64_exception
        jmp     _start.hang

section .rodata
global demo64_isr_table
demo64_isr_table:
%assign v 0
%rep 32
        dq      isr %+ v
%assign v v + 1
%endrep
