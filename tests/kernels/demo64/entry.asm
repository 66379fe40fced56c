; entry.asm: demo64's first instructions and its exception stubs.
bits 64

section .text.entry
global _start
extern demo64_main

; _start: the loader jumps here in long mode, as if it had called us.
; IN:       RDI = boot-info physical address, RSP = stack top - 8 holding a 0 return address,
;           every other general register 0, RFLAGS 0x2, PICs masked
; OUT:      never returns (demo64_main exits QEMU)
; CLOBBERS: everything
; Everything the checks look at is recorded before anything is changed (bootcheck.h).
_start:
        mov     [rel demo64_entry_regs + 0 * 8], rax
        mov     [rel demo64_entry_regs + 1 * 8], rcx
        mov     [rel demo64_entry_regs + 2 * 8], rdx
        mov     [rel demo64_entry_regs + 3 * 8], rbx
        mov     [rel demo64_entry_regs + 4 * 8], rsp
        mov     [rel demo64_entry_regs + 5 * 8], rbp
        mov     [rel demo64_entry_regs + 6 * 8], rsi
        mov     [rel demo64_entry_regs + 7 * 8], rdi
        mov     [rel demo64_entry_regs + 8 * 8], r8
        mov     [rel demo64_entry_regs + 9 * 8], r9
        mov     [rel demo64_entry_regs + 10 * 8], r10
        mov     [rel demo64_entry_regs + 11 * 8], r11
        mov     [rel demo64_entry_regs + 12 * 8], r12
        mov     [rel demo64_entry_regs + 13 * 8], r13
        mov     [rel demo64_entry_regs + 14 * 8], r14
        mov     [rel demo64_entry_regs + 15 * 8], r15
        pushfq                          ; below RSP: the entry state's slots are untouched
        pop     rdx                     ; RFLAGS at entry (no instruction above sets flags)
        mov     rax, [rsp]
        mov     [rel demo64_entry_ret], rax
        in      al, 0xa1                ; PIC masks: slave in the high byte
        mov     ah, al
        in      al, 0x21
        mov     [rel demo64_entry_pic], ax
        mov     rsi, rsp                ; sp exactly as the loader set it
        mov     rcx, cr3
        mov     r8, cr0
        push    0                       ; a frame like any function's: RSP was 8 mod 16, so
        call    demo64_main             ; it is 0 mod 16 at the call, if the loader was right
.hang:  cli
        hlt
        jmp     .hang

section .bss
; General registers at entry in encoding order (rax rcx rdx rbx rsp rbp rsi rdi r8..r15),
; the word at [rsp] and the PIC masks, for bootcheck.
global demo64_entry_regs, demo64_entry_ret, demo64_entry_pic
alignb 8
demo64_entry_regs:  resq 16
demo64_entry_ret:   resq 1
demo64_entry_pic:   resw 1

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
