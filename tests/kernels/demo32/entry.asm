; entry.asm: demo32's first instructions.
bits 32

section .text.entry
global _start
extern demo32_main

; _start: the loader jumps here in 32-bit protected mode, paging off, as if it had called us.
; IN:       EAX = MULTIOS_BOOT_EAX_MAGIC, EBX = boot-info address, ESP = stack top - 4
;           holding a 0 return address, every other general register 0, EFLAGS 0x2
; OUT:      never returns (demo32_main exits QEMU)
; CLOBBERS: everything
; Everything the checks look at is recorded before anything is changed (bootcheck.h).
_start:
        mov     [demo32_entry_regs + 0 * 4], eax
        mov     [demo32_entry_regs + 1 * 4], ecx
        mov     [demo32_entry_regs + 2 * 4], edx
        mov     [demo32_entry_regs + 3 * 4], ebx
        mov     [demo32_entry_regs + 4 * 4], esp
        mov     [demo32_entry_regs + 5 * 4], ebp
        mov     [demo32_entry_regs + 6 * 4], esi
        mov     [demo32_entry_regs + 7 * 4], edi
        pushfd                          ; below ESP: the entry state's slots are untouched
        pop     edx                     ; EFLAGS at entry (no instruction above sets flags)
        mov     ecx, [esp]
        mov     [demo32_entry_ret], ecx
        mov     ecx, eax
        in      al, 0xa1                ; PIC masks: slave in the high byte
        mov     ah, al
        in      al, 0x21
        mov     [demo32_entry_pic], ax
        mov     eax, ecx
        mov     ecx, esp                ; sp exactly as the loader set it
        mov     esi, cr0
        sub     esp, 8                  ; ESP was 12 mod 16; 8 + 5 pushes = 28: 0 mod 16 at
        push    esi                     ; the call, if the loader was right
        push    edx                     ; eflags
        push    ecx                     ; sp
        push    ebx                     ; boot info
        push    eax                     ; magic
        call    demo32_main
.hang:  cli
        hlt
        jmp     .hang

section .bss
; General registers at entry in encoding order (eax ecx edx ebx esp ebp esi edi), the word
; at [esp] and the PIC masks, for bootcheck.
global demo32_entry_regs, demo32_entry_ret, demo32_entry_pic
alignb 4
demo32_entry_regs:  resd 8
demo32_entry_ret:   resd 1
demo32_entry_pic:   resw 1
