; fault32: an ELF32 kernel whose first instruction is UD2. It proves stage2's IDT keeps
; reporting after the 32-bit hand-off (stage2/idt.h): the boot must end with "multios: kernel
; exception 6 before the kernel loaded its own IDT: invalid opcode at eip 0x1800000, ..." and a
; halt, never a triple fault.
bits 32

section .text.entry
global _start

; IN: the loader's 32-bit entry state. OUT: never returns (#UD on the first instruction).
; CLOBBERS: nothing: the exception is the point.
_start:
        ud2
.hang:  cli                             ; only reached if UD2 did not fault
        hlt
        jmp     .hang
