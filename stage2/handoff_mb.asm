; handoff_mb.asm: the jump into a Multiboot kernel (handoff_mb.h says the state it leaves).
; Beside handoff.asm, which enters the native protocol's kernels.

bits 32
section .text

extern idt_enter_kernel

; GDT_SEL_DATA32: from the C headers.
%include "layout.inc"

CR0_PG          equ 1 << 31
FLAGS_ENTRY     equ 0x2             ; bit 1 always reads 1; IF, DF, VM and the rest 0

; void handoff_enter_multiboot(uint32_t entry, uint32_t magic, uint32_t info,
;                              uint32_t stack_top)
; IN:       [esp+4] entry, [esp+8] magic, [esp+12] info, [esp+16] stack_top
; OUT:      never returns: EAX = magic, EBX = info, ESP = stack_top - 4 holding 0, the other
;           general registers 0, EFLAGS 0x2, paging off, flat segments, stage2's IDT
;           reporting kernel exceptions
; CLOBBERS: everything
global handoff_enter_multiboot
handoff_enter_multiboot:
        cli
        cld
        call    idt_enter_kernel    ; cdecl: EAX, ECX, EDX clobbered
        mov     eax, cr0            ; paging off, as both specifications require (stage2
        and     eax, ~CR0_PG        ; never turned it on: be sure)
        mov     cr0, eax
        mov     ax, GDT_SEL_DATA32  ; flat data segments, whatever stage2 left in them
        mov     ds, ax
        mov     es, ax
        mov     fs, ax
        mov     gs, ax
        mov     edx, [esp + 4]
        mov     eax, [esp + 8]
        mov     ebx, [esp + 12]
        mov     ecx, [esp + 16]
        mov     si, GDT_SEL_DATA32
        mov     ss, si              ; SS and ESP together: the next instruction is not
        mov     esp, ecx            ; interrupted (and interrupts are off anyway)
        push    0                   ; the return address at [stack_top - 4]
        push    edx                 ; for the ret
        push    FLAGS_ENTRY         ; for popfd
        xor     ecx, ecx
        xor     edx, edx
        xor     esi, esi
        xor     edi, edi
        xor     ebp, ebp
        popfd
        ret                         ; to entry, ESP = stack_top - 4

section .note.GNU-stack noalloc noexec nowrite progbits
