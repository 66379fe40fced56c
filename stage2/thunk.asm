; thunk.asm: bios_int, the one way stage2 calls the BIOS. 32-bit protected mode -> 16-bit
; protected mode -> real mode -> INT n -> back, like Linux arch/x86/boot/bioscall.S but
; entered from protected mode. It is a glove box: GDTR, IDTR, every segment register, ESP,
; EBX/ESI/EDI/EBP and EFLAGS (DF, IF) come back as they were, whatever the BIOS does.
;
; The real-mode half runs with CS = 0, so its code and data must sit below 64 KiB
; (STAGE2_REAL_END: .text16 and .data16; linker.ld asserts it), and so must the stack (SS = 0,
; SP = low half of ESP).

; The selectors, struct bios_regs's offsets and the stack guard come from the C headers.
%include "layout.inc"

; Flags a caller may hand the BIOS: CF PF AF ZF SF OF. IF is always on during the call (the
; BIOS may wait for a disk or timer interrupt); TF and DF are never passed.
FLAGS_IN_MASK equ 0x08d5
FLAGS_IF      equ 0x0200

global bios_int
extern panic

; The 32-bit halves live in ordinary .text; only the 16-bit middle must sit below 64 KiB.
section .text.thunk progbits alloc exec
bits 32
; void bios_int(void *ctx, uint8_t vec, const struct bios_regs *in, struct bios_regs *out)
; IN: cdecl arguments (ctx unused); in == out allowed. OUT: *out = registers after INT vec.
; CLOBBERS: EAX, ECX, EDX (cdecl scratch); nothing else.
bios_int:
    pushfd
    push ebp
    push ebx
    push esi
    push edi
    cli
    cld
    ; The real-mode half keeps using this stack: it must be below 64 KiB and not overflowed.
    cmp esp, STAGE2_REAL_END
    jae .bad_stack
    mov eax, LOADER_STACK_GUARD
    cmp dword [eax], LOADER_STACK_GUARD_VALUE
    jne .bad_stack
    cmp dword [eax + LOADER_STACK_GUARD_SIZE - 4], LOADER_STACK_GUARD_VALUE
    jne .bad_stack
    mov eax, [esp + 28]             ; vec
    mov [.vector], al               ; patch the INT below
    mov esi, [esp + 32]             ; in
    mov edi, thunk_regs
    mov ecx, BIOS_REGS_SIZE / 4
    rep movsd

    sgdt [thunk_gdtr]
    sidt [thunk_idtr]
    mov [thunk_ds], ds
    mov [thunk_es], es
    mov [thunk_fs], fs
    mov [thunk_gs], gs
    mov [thunk_ss], ss
    mov [thunk_esp], esp
    jmp GDT_SEL_CODE16:.pm16

section .text16
bits 16
.pm16:
    ; Load 64 KiB-limit selectors so the segment caches are real-mode shaped.
    mov ax, GDT_SEL_DATA16
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov eax, cr0
    and al, 0xfe                    ; PE off (paging is never on while stage2 calls the BIOS)
    mov cr0, eax
    jmp 0:.real

.real:
    xor ax, ax
    mov ds, ax
    mov ss, ax
    o32 lidt [rm_idtr]              ; the BIOS's interrupt vector table at 0

    mov es, [thunk_regs + BIOS_REGS_ES]
    mov fs, [thunk_regs + BIOS_REGS_FS]
    mov gs, [thunk_regs + BIOS_REGS_GS]
    push word [thunk_regs + BIOS_REGS_DS]
    mov eax, [thunk_regs + BIOS_REGS_EFLAGS]
    and eax, FLAGS_IN_MASK
    or eax, FLAGS_IF
    push eax
    mov eax, [thunk_regs + BIOS_REGS_EAX]
    mov ebx, [thunk_regs + BIOS_REGS_EBX]
    mov ecx, [thunk_regs + BIOS_REGS_ECX]
    mov edx, [thunk_regs + BIOS_REGS_EDX]
    mov esi, [thunk_regs + BIOS_REGS_ESI]
    mov edi, [thunk_regs + BIOS_REGS_EDI]
    mov ebp, [thunk_regs + BIOS_REGS_EBP]
    popfd
    pop ds
    db 0xcd                         ; INT imm8
.vector:
    db 0x00

    ; CS is still 0, so CS: reaches the buffer whatever the BIOS left in DS.
    cli
    mov [cs:thunk_regs + BIOS_REGS_EAX], eax
    mov [cs:thunk_regs + BIOS_REGS_EBX], ebx
    mov [cs:thunk_regs + BIOS_REGS_ECX], ecx
    mov [cs:thunk_regs + BIOS_REGS_EDX], edx
    ; Some BIOSes corrupt ESI: that is what the caller sees.
    mov [cs:thunk_regs + BIOS_REGS_ESI], esi
    mov [cs:thunk_regs + BIOS_REGS_EDI], edi
    mov [cs:thunk_regs + BIOS_REGS_EBP], ebp
    mov [cs:thunk_regs + BIOS_REGS_DS], ds
    mov [cs:thunk_regs + BIOS_REGS_ES], es
    mov [cs:thunk_regs + BIOS_REGS_FS], fs
    mov [cs:thunk_regs + BIOS_REGS_GS], gs
    pushfd                          ; SS:SP may have been moved by the BIOS, but balanced
    pop dword [cs:thunk_regs + BIOS_REGS_EFLAGS]
    cld

    xor ax, ax
    mov ds, ax
    mov ss, ax
    mov esp, [thunk_esp]            ; below 64 KiB, so valid as a real-mode SS=0 stack too
    o32 lgdt [thunk_gdtr]
    mov eax, cr0
    or al, 1                        ; PE on
    mov cr0, eax
    jmp dword GDT_SEL_CODE32:.pm32

section .text.thunk
bits 32
.pm32:
    mov ax, GDT_SEL_DATA32
    mov ds, ax
    mov ss, [thunk_ss]
    mov esp, [thunk_esp]
    mov es, [thunk_es]
    mov fs, [thunk_fs]
    mov gs, [thunk_gs]
    mov ds, [thunk_ds]
    lidt [thunk_idtr]

    mov esi, thunk_regs
    mov edi, [esp + 36]             ; out
    mov ecx, BIOS_REGS_SIZE / 4
    rep movsd

    pop edi
    pop esi
    pop ebx
    pop ebp
    popfd                           ; the caller's IF and DF
    ret

.bad_stack:
    push esp
    push dword msg_stack
    push dword msg_step
    call panic                      ; never returns

section .rodata
msg_step:  db "thunk", 0
msg_stack: db "stack at 0x%x is above 64 KiB or overflowed past 0x", \
              %num(LOADER_STACK_GUARD + LOADER_STACK_GUARD_SIZE, -1, 16), 0

section .data16
    align 4
thunk_regs: times BIOS_REGS_SIZE db 0
thunk_esp:  dd 0
thunk_gdtr: dw 0
            dd 0
thunk_idtr: dw 0
            dd 0
thunk_ds:   dw 0
thunk_es:   dw 0
thunk_fs:   dw 0
thunk_gs:   dw 0
thunk_ss:   dw 0
rm_idtr:    dw 0x03ff
            dd 0

section .note.GNU-stack noalloc noexec nowrite progbits
