; fault64: an ELF64 kernel whose first instruction is UD2. It proves the loader's reporting IDT
; (stage2/idt.h): the boot must end with "multios: kernel exception 6 before the kernel
; loaded its own IDT: rip 0xffffffff80100000, ..." and a halt, never a triple fault.
bits 64

section .text.entry
global _start

; IN: the loader's 64-bit entry state. OUT: never returns (#UD on the first instruction).
; CLOBBERS: nothing: the exception is the point.
_start:
        ud2
.hang:  cli                             ; only reached if UD2 did not fault
        hlt
        jmp     .hang
