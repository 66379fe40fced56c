; entry.asm: stage2's first bytes. The header (stage1 checks its magic), then the 16-bit entry: the
; image's checksum, stage1's info kept, segments, stack, GDT, protected mode, .bss zeroed,
; and a call to stage2_main(boot_drive).
;
; The header is struct stage2_header (stage2_header.h): a jump to start16, the magic, the
; size in sectors and the checksum, which tools/mkimage_seal.py fills in so that the 32-bit
; sum of every dword of the sealed image is zero, and the header version. Stage1 checks the
; magic; the checksum is checked here, where there is room. Its offsets, stage1's info
; (struct stage1_info), the stack, its guard and the GDT selectors come from the C headers
; through layout.inc.

%include "layout.inc"
%include "stage1/bios_print.inc"

IVT_UD  equ 6 * 4                   ; the real-mode vector of #UD, which stage1 borrowed

extern stage2_main
extern __bss_start
extern __bss_end
global stage2_start
global stage2_boot_drive
global stage2_stage1_info
global stage2_gdt
global stage2_gdt_desc

; at_offset base, n: pad with zeros up to base + n; a field placed past it fails the build
; (negative TIMES).
%macro at_offset 2
    times (%2) - ($ - %1) db 0
%endmacro

section .header
bits 16
stage2_start:
    jmp near start16
    at_offset stage2_start, STAGE2_HDR_MAGIC
    dd STAGE2_MAGIC
    at_offset stage2_start, STAGE2_HDR_SECTORS
    dw 0                            ; size in sectors (sealed)
    at_offset stage2_start, STAGE2_HDR_VERSION
    dw STAGE2_HEADER_VERSION
    at_offset stage2_start, STAGE2_HDR_CHECKSUM
    dd 0                            ; checksum (sealed)
    at_offset stage2_start, STAGE2_HDR_SIZE

section .text16
bits 16
; start16: stage1 jumps here (0000:STAGE2_LOAD_ADDR) in real mode, its info (struct
; stage1_info) at STAGE1_INFO_ADDR, just below the stack top: the stack stays below it until
; it is copied.
; IN: stage1's info. OUT: never returns. CLOBBERS: everything.
start16:
    cli
    xor ax, ax
    mov ds, ax
    mov ss, ax
    mov sp, STAGE1_INFO_ADDR
    jmp 0:.cs_zero
.cs_zero:
    cld
    ; The 32-bit sum of every dword of the image, header.sectors sectors from the first, is
    ; zero for an intact image. Real mode: one segment per sector.
    mov cx, [STAGE2_LOAD_ADDR + STAGE2_HDR_SECTORS]
    dec cx
    cmp cx, STAGE2_MAX_SECTORS
    jae .corrupt                    ; 0 or more than stage1 may load: not our header
    inc cx
    mov bx, STAGE2_LOAD_ADDR >> 4
    xor eax, eax
.sector:
    mov es, bx
    xor si, si
.dword:
    add eax, [es:si]
    add si, 4
    cmp si, STAGE2_SECTOR
    jb .dword
    add bx, STAGE2_SECTOR >> 4
    loop .sector
    test eax, eax
    jnz .corrupt

    ; Keep stage1's info (stage2_stage1_info, in C: stage1_info.h) before the stack grows over
    ; it, and give the BIOS its INT 6 vector back, which stage1 pointed into itself to catch
    ; RDTSC's #UD: only when it still points into stage1's sector (a stage1 that did not
    ; borrow it leaves no saved vector to trust).
    mov es, ax
    mov si, STAGE1_INFO_ADDR
    mov di, stage2_stage1_info
    mov cx, STAGE1_INFO_SIZE
    rep movsb
    cmp word [IVT_UD + 2], ax
    jne .int6_done
    mov bx, [IVT_UD]
    sub bx, STAGE1_LOAD_ADDR
    cmp bx, STAGE2_SECTOR
    jae .int6_done
    mov ebx, [stage2_stage1_info + S1_BIOS_INT6]
    mov [IVT_UD], ebx
.int6_done:
    mov fs, ax
    mov gs, ax
    mov sp, LOADER_STACK_TOP
    mov dl, [stage2_stage1_info + S1_DRIVE]
    mov [stage2_boot_drive], dl
    o32 lgdt [stage2_gdt_desc]
    mov eax, cr0
    or al, 1                        ; PE
    mov cr0, eax
    jmp dword GDT_SEL_CODE32:pm32_entry

; A corrupt or incomplete image: its code cannot be trusted, so the message goes out through
; the BIOS (stage2's console does not exist yet) and the machine halts, as a panic would.
.corrupt:
    com1_init
    mov si, msg_corrupt
    print_bios .halt
.halt:
    hlt
    jmp .halt

msg_corrupt:
    db "multios: panic: stage2: stage2 checksum mismatch: the image on the disk is corrupt "
    db "or incomplete (write it again)", 13, 10, "multios: halted", 13, 10, 0

section .data16
stage2_boot_drive: db 0
stage2_stage1_info: times STAGE1_INFO_SIZE db 0
    align 8
; The contract's selectors (layout.h): 0x08 code32, 0x10 data32, 0x18 code16, 0x20 data16,
; 0x28 code64; each descriptor lands at its selector's offset. The 16-bit pair (64 KiB
; limits) is what the thunk loads before it clears PE, so real mode starts with real-mode
; segment limits.
stage2_gdt:
    dq 0
    at_offset stage2_gdt, GDT_SEL_CODE32
    dq 0x00cf9a000000ffff           ; code32, base 0, 4 GiB
    at_offset stage2_gdt, GDT_SEL_DATA32
    dq 0x00cf92000000ffff           ; data32, base 0, 4 GiB
    at_offset stage2_gdt, GDT_SEL_CODE16
    dq 0x00009a000000ffff           ; code16, base 0, 64 KiB
    at_offset stage2_gdt, GDT_SEL_DATA16
    dq 0x000092000000ffff           ; data16, base 0, 64 KiB
    at_offset stage2_gdt, GDT_SEL_CODE64
    dq 0x00af9a000000ffff           ; code64 (L=1)
.end:
stage2_gdt_desc:
    dw stage2_gdt.end - stage2_gdt - 1
    dd stage2_gdt

section .text.entry32 progbits alloc exec
bits 32
; pm32_entry: flat 32-bit protected mode, interrupts off.
pm32_entry:
    mov ax, GDT_SEL_DATA32
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov esp, LOADER_STACK_TOP
    mov eax, LOADER_STACK_GUARD_VALUE
    mov edi, LOADER_STACK_GUARD
    mov ecx, LOADER_STACK_GUARD_SIZE / 4
    rep stosd
    mov edi, __bss_start
    mov ecx, __bss_end
    sub ecx, edi
    xor eax, eax
    rep stosb
    movzx eax, byte [stage2_boot_drive]
    push eax
    call stage2_main
.halt:
    cli
    hlt
    jmp .halt

section .note.GNU-stack noalloc noexec nowrite progbits
