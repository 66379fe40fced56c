; entry.asm: demo32's first instructions.
bits 32

section .text.entry
global _start
extern demo32_main

; _start: the loader jumps here in 32-bit protected mode, paging off.
; IN:       EAX = MULTIOS_BOOT_EAX_MAGIC, EBX = boot-info address, ESP = stack top, IF = 0
; OUT:      never returns (demo32_main exits QEMU)
; CLOBBERS: everything
_start:
        mov     ecx, esp                ; sp exactly as the loader set it
        pushfd
        pop     edx                     ; EFLAGS at entry
        mov     esi, cr0
        and     esp, -16
        sub     esp, 12                 ; 5 pushes + 12 = 32: aligned at the call
        push    esi                     ; cr0
        push    edx                     ; eflags
        push    ecx                     ; sp
        push    ebx                     ; boot info
        push    eax                     ; magic
        call    demo32_main
.hang:  cli
        hlt
        jmp     .hang
