; handoff.asm: stage2's last instructions. Both routines are called from 32-bit C (cdecl),
; never return, and leave with interrupts off and the direction flag clear, as the contract's
; kernel entry state says.

bits 32
section .text

CODE64_SEL      equ 0x28            ; GDT selector with L=1 (contract: see entry.asm's GDT)
CR0_PG          equ 1 << 31
CR4_PAE         equ 1 << 5
MSR_EFER        equ 0xC0000080
EFER_LME        equ 1 << 8
EFER_NXE        equ 1 << 11
BOOT_EAX_MAGIC  equ 0x4D4F5342      ; MULTIOS_BOOT_EAX_MAGIC ("MOSB")

; struct handoff_long offsets (asserted in handoff.h)
HL_CR3          equ 0
HL_ENTRY        equ 8
HL_STACK        equ 16
HL_BOOTINFO     equ 24
HL_NX           equ 32

; void handoff_enter_long(const struct handoff_long *h)
; IN:       [esp+4] = h (below 4 GiB, identity-mapped by the tables h->cr3 points at)
; OUT:      never returns: 64-bit code at h->entry, RSP = h->stack_top, RDI = h->boot_info
; CLOBBERS: everything
global handoff_enter_long
handoff_enter_long:
        cli
        cld
        mov     esi, [esp + 4]

        ; Paging must be off while CR3/EFER change; stage2 never turned it on, but be sure.
        mov     eax, cr0
        and     eax, ~CR0_PG
        mov     cr0, eax

        mov     eax, cr4
        or      eax, CR4_PAE
        mov     cr4, eax

        mov     eax, [esi + HL_CR3]
        mov     cr3, eax

        ; EFER.LME now; NXE only when the tables use bit 63, since a CPU without NX faults
        ; on a set reserved bit instead of ignoring it.
        mov     ecx, MSR_EFER
        rdmsr
        or      eax, EFER_LME
        cmp     dword [esi + HL_NX], 0
        je      .no_nx
        or      eax, EFER_NXE
.no_nx:
        wrmsr

        ; Paging on with LME set activates long mode (compatibility mode until the far jump).
        mov     eax, cr0
        or      eax, CR0_PG
        mov     cr0, eax

        jmp     CODE64_SEL:.long64

bits 64
.long64:
        ; The upper halves of the general registers are undefined after the switch.
        mov     esi, esi
        mov     rsp, [rsi + HL_STACK]
        mov     rdi, [rsi + HL_BOOTINFO]
        mov     rax, [rsi + HL_ENTRY]
        xor     ebp, ebp            ; a backtrace in the kernel ends here
        jmp     rax                 ; RSP exactly stack_top, as the boot info says

bits 32
; void handoff_enter_protected(uint32_t entry, uint32_t stack_top, uint32_t boot_info)
; IN:       [esp+4] entry, [esp+8] stack_top, [esp+12] boot_info
; OUT:      never returns: EAX = magic, EBX = boot_info, ESP = stack_top, paging off
; CLOBBERS: everything
global handoff_enter_protected
handoff_enter_protected:
        cli
        cld
        mov     edx, [esp + 4]
        mov     ecx, [esp + 8]
        mov     ebx, [esp + 12]
        mov     esp, ecx
        mov     eax, BOOT_EAX_MAGIC
        xor     ecx, ecx
        xor     esi, esi
        xor     edi, edi
        xor     ebp, ebp
        jmp     edx

section .note.GNU-stack noalloc noexec nowrite progbits
