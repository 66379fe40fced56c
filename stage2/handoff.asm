; handoff.asm: stage2's last instructions. Both routines are called from 32-bit C (cdecl) and
; never return. They leave the machine in the state docs/PROTOCOL.md specifies, which a
; kernel can rely on:
;   - entered as if called: the stack pointer is stack_top - 8 (64-bit) / - 4 (32-bit) and
;     holds a 0 return address, so a C entry point sees the alignment the SysV ABI promises
;     (RSP + 8 / ESP + 4 a multiple of 16) and a backtrace stops there;
;   - every general register zero except RDI, RSP (64-bit) / EAX, EBX, ESP (32-bit);
;   - RFLAGS = 0x2 (IF = 0, DF = 0, nothing else set); both PICs masked, so a premature sti
;     cannot deliver IRQ0 on vector 8 and look like a double fault;
;   - CR0.WP set, so read-only leaves bind at CPL 0 as well; SSE left off (CR4.OSFXSR clear);
;   - an IDT that reports an exception on COM1 and halts (idt.h), instead of a triple fault.

bits 32
section .text

extern idt_long_prepare
extern idt_enter_kernel

; GDT_SEL_CODE64, MULTIOS_BOOT_EAX_MAGIC, struct handoff_long's offsets: from the C headers.
%include "layout.inc"

CR0_WP          equ 1 << 16
CR0_PG          equ 1 << 31
CR4_PAE         equ 1 << 5
MSR_EFER        equ 0xC0000080
EFER_LME        equ 1 << 8
EFER_NXE        equ 1 << 11
FLAGS_ENTRY     equ 0x2             ; bit 1 always reads 1; IF, DF and the rest 0
PIC1_DATA       equ 0x21
PIC2_DATA       equ 0xA1

; handoff_mask_pics: mask every IRQ line on both 8259s (the BIOS leaves the timer, keyboard
; and disk lines open). Interrupts are off; the mask stays for the kernel to change.
; IN: nothing. OUT: nothing. CLOBBERS: AL
handoff_mask_pics:
        mov     al, 0xFF
        out     PIC2_DATA, al
        out     PIC1_DATA, al
        ret

; void handoff_enter_long(const struct handoff_long *h)
; IN:       [esp+4] = h (below 4 GiB, identity-mapped by the tables h->cr3 points at)
; OUT:      never returns: 64-bit code at h->entry, RSP = h->stack_top - 8 holding 0,
;           RDI = h->boot_info, the other general registers 0, reporting IDT loaded
; CLOBBERS: everything
global handoff_enter_long
handoff_enter_long:
        cli
        cld
        call    idt_long_prepare    ; cdecl: EAX = the IDT descriptor, ECX/EDX clobbered
        mov     ebp, eax
        mov     esi, [esp + 4]
        call    handoff_mask_pics

        ; Paging must be off while CR3/EFER change; stage2 never turned it on, but be sure.
        mov     eax, cr0
        and     eax, ~CR0_PG
        mov     cr0, eax

        mov     eax, cr4
        or      eax, CR4_PAE
        mov     cr4, eax

        mov     eax, [esi + HANDOFF_LONG_CR3]
        mov     cr3, eax

        ; EFER.LME now; NXE only when the tables use bit 63, since a CPU without NX faults
        ; on a set reserved bit instead of ignoring it.
        mov     ecx, MSR_EFER
        rdmsr
        or      eax, EFER_LME
        cmp     dword [esi + HANDOFF_LONG_NX], 0
        je      .no_nx
        or      eax, EFER_NXE
.no_nx:
        wrmsr

        ; Paging on with LME set activates long mode (compatibility mode until the far jump).
        ; WP with it: the kernel's r-- and r-x leaves bind at CPL 0 from its first instruction.
        mov     eax, cr0
        or      eax, CR0_PG | CR0_WP
        mov     cr0, eax

        jmp     GDT_SEL_CODE64:.long64

bits 64
.long64:
        ; The upper halves of the general registers are undefined after the switch.
        mov     esi, esi
        mov     ebp, ebp
        lidt    [rbp]               ; 64-bit gates: stage2's 32-bit IDT means nothing here
        mov     rsp, [rsi + HANDOFF_LONG_STACK_TOP]
        mov     rdi, [rsi + HANDOFF_LONG_BOOT_INFO]
        ; As if called: [stack_top - 8] = 0 is the return address the entry point sees;
        ; below it the entry address for the ret and the flags for popfq (both consumed).
        push    0
        push    qword [rsi + HANDOFF_LONG_ENTRY]
        push    FLAGS_ENTRY
        xor     eax, eax            ; 32-bit xors zero the whole 64-bit register
        xor     ebx, ebx
        xor     ecx, ecx
        xor     edx, edx
        xor     esi, esi
        xor     ebp, ebp            ; a backtrace in the kernel ends here
        xor     r8d, r8d
        xor     r9d, r9d
        xor     r10d, r10d
        xor     r11d, r11d
        xor     r12d, r12d
        xor     r13d, r13d
        xor     r14d, r14d
        xor     r15d, r15d
        popfq                       ; last: the xors above set ZF and PF
        ret                         ; to entry, RSP = stack_top - 8

bits 32
; void handoff_enter_protected(uint32_t entry, uint32_t stack_top, uint32_t boot_info)
; IN:       [esp+4] entry, [esp+8] stack_top, [esp+12] boot_info
; OUT:      never returns: EAX = magic, EBX = boot_info, ESP = stack_top - 4 holding 0, the
;           other general registers 0, paging off, stage2's IDT reporting kernel exceptions
; CLOBBERS: everything
global handoff_enter_protected
handoff_enter_protected:
        cli
        cld
        call    idt_enter_kernel    ; cdecl: EAX, ECX, EDX clobbered
        call    handoff_mask_pics
        mov     eax, cr0            ; WP is inert with paging off; set for when it goes on
        or      eax, CR0_WP
        mov     cr0, eax
        mov     edx, [esp + 4]
        mov     ecx, [esp + 8]
        mov     ebx, [esp + 12]
        mov     esp, ecx
        push    0                   ; the return address at [stack_top - 4]
        push    edx                 ; for the ret
        push    FLAGS_ENTRY         ; for popfd
        xor     ecx, ecx
        xor     edx, edx
        xor     esi, esi
        xor     edi, edi
        xor     ebp, ebp
        mov     eax, MULTIOS_BOOT_EAX_MAGIC
        popfd
        ret                         ; to entry, ESP = stack_top - 4

section .note.GNU-stack noalloc noexec nowrite progbits
