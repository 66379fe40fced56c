; mbr.asm: stage1, the 512-byte MBR. Loads stage2 from LBA 1.. to STAGE2_LOAD_ADDR (0x8000),
; checks its header magic and checksum, and jumps to it in real mode with DL = boot drive.
; Each failure prints a short reason on screen (INT 10h) and COM1 (INT 14h) and halts; it
; never reboots.
;
; The stage2 header is struct stage2_header (stage2/stage2_header.h, built by
; stage2/entry.asm, sealed by tools/mkimage_seal.py): the magic, the size in sectors, and a
; checksum such that the 32-bit sum of every dword of the image (size sectors) is 0. Its
; offsets and the addresses below come from the C headers through layout.inc (build/gen).
;
; Sector layout: 0..2 jmp, 3..89 BPB room, 90..439 code and constant data (STAGE1_CODE_END),
; 440..443 disk signature, 444..445 reserved, 446..509 partition table, 510 0xAA55. Windows
; writes a signature at 440 when it attaches a disk and fdisk/sfdisk/parted write a label ID
; there, so stage1 keeps nothing at or past 440 and builds its variables (the disk address
; packet among them) at run time on the stack.

%include "layout.inc"

bits 16
org STAGE1_LOAD_ADDR

STAGE2_SEG      equ STAGE2_LOAD_ADDR >> 4
SECTOR_PARAS    equ STAGE2_SECTOR >> 4  ; a sector in 16-byte paragraphs (segment units)
READ_TRIES      equ 4
BDA_COM1        equ 0x0400          ; BDA word: COM1's I/O base, 0 when the machine has none

; Variables, pushed at start below LOADER_STACK_TOP (just below this code; all start at 0
; unless noted), addressed from BP.
drive           equ 0               ; byte: DL from the BIOS
heads           equ 2               ; word: CHS heads
sectors         equ 4               ; word: CHS sectors per track; 0 means LBA (AH=42h) mode
; Disk address packet for AH=42h, also the loader's cursor: one sector to dap_seg:dap_off
; from dap_lba. Starts at stage2's header, LBA 1 -> STAGE2_SEG:0000.
dap             equ 6               ; byte 16 (packet size), byte 0
dap_count       equ 8               ; word: set to 1 before every try
dap_off         equ 10
dap_seg         equ 12
dap_lba         equ 14              ; qword

    jmp short start
    nop
; Room for a FAT32 BIOS parameter block: some BIOSes write one here when they boot a USB stick
; as a "floppy", so no code or data may live in bytes 3..89.
    times 90 - ($ - $$) db 0

start:
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax                      ; interrupts are held off until after the next instruction
    mov sp, LOADER_STACK_TOP
    jmp 0:.cs_zero                  ; some BIOSes jump to 07c0:0000; normalise CS
.cs_zero:
    sti
    cld
    ; The variables above, last field first (pushes are smaller than stores).
    push ax
    push ax
    push ax
    push byte 1                     ; dap_lba = 1
    push STAGE2_SEG                 ; dap_seg
    push ax                         ; dap_off
    push ax                         ; dap_count
    push byte 16                    ; dap: size 16, reserved 0
    push ax                         ; sectors = 0: LBA until AH=08h says otherwise
    push ax                         ; heads
    push dx                         ; drive
    mov bp, sp

%ifndef STAGE1_FORCE_CHS               ; test hook: nasm -DSTAGE1_FORCE_CHS leaves it out
    ; INT 13h AH=41h: extensions present (BX=AA55h) and the DAP interface (CX bit 0)?
    mov ah, 0x41
    mov bx, 0x55aa
    int 0x13
    jc .geometry
    cmp bx, 0xaa55
    jne .geometry
    shr cx, 1
    jc .load                        ; LBA mode: sectors stays 0
%endif

.geometry:
    ; No extensions: CHS with the geometry from AH=08h (CL bits 0-5 = sectors per track,
    ; DH = last head). ES:DI = 0:0 guards against BIOSes that return a table pointer there.
    mov ah, 0x08
    mov dl, [bp + drive]
    xor di, di
    int 0x13
    jc error_read
    and cx, 0x3f
    jz error_read                   ; a zero would divide by zero below
    mov [bp + sectors], cx
    movzx dx, dh
    inc dx
    mov [bp + heads], dx

.load:
    ; One sector at a time (never crosses a 64 KiB DMA boundary or a track), summing each
    ; as it arrives. The first one is the header: it says how many sectors there are.
    xor ebx, ebx                    ; checksum
    xor cx, cx                      ; sectors left; 0 until the header is read
.next:
    call read_sector
    les si, [bp + dap_off]          ; ES:SI = the sector just read
    inc cx
    loop .sum                       ; CX was 0: this is the header
    cmp dword [es:STAGE2_HDR_MAGIC], STAGE2_MAGIC
    jne error_magic
    mov cx, [es:STAGE2_HDR_SECTORS] ; total sectors, header included: 1..STAGE2_MAX_SECTORS
    dec cx
    cmp cx, STAGE2_MAX_SECTORS
    jae error_magic
    inc cx
.sum:
    es lodsd
    add ebx, eax
    test si, STAGE2_SECTOR - 1
    jnz .sum
    add word [bp + dap_seg], SECTOR_PARAS ; stage2's sector n is LBA n, at load + (n-1) * 512
    inc word [bp + dap_lba]
    loop .next
    test ebx, ebx                   ; a correct image sums to zero
    jnz error_checksum

    mov dl, [bp + drive]
    jmp 0:STAGE2_LOAD_ADDR

; read_sector: read the sector at dap_lba to dap_seg:dap_off, retrying after a disk reset;
; halts with a message if every try fails.
; IN: BP = variables (drive, sectors: 0 for LBA mode, heads, dap). OUT: nothing.
; CLOBBERS: nothing.
read_sector:
    pushad                          ; some BIOSes clobber the high halves too
    push es
    mov di, READ_TRIES
.try:
    mov dl, [bp + drive]
    mov ah, 0x42
    lea si, [bp + dap]
    ; A failed AH=42h writes the count it transferred (0) back into the packet (SeaBIOS
    ; does), so a retry with the packet as left would "succeed" reading nothing: re-arm it.
    mov word [si + dap_count - dap], 1
    cmp word [bp + sectors], 0
    je .call
    ; LBA -> CHS: sector = LBA % spt + 1, head = (LBA / spt) % heads, cyl = LBA / spt / heads
    mov ax, [bp + dap_lba]
    xor dx, dx
    div word [bp + sectors]
    mov cx, dx
    inc cx
    xor dx, dx
    div word [bp + heads]
    mov dh, dl                      ; head
    mov ch, al                      ; cylinder bits 0-7
    shl ah, 6
    or cl, ah                       ; cylinder bits 8-9 in CL bits 6-7
    mov dl, [bp + drive]
    les bx, [bp + dap_off]
    mov ax, 0x0201
.call:
    int 0x13
    jc .fail
    pop es
    popad
    ret
.fail:
    xor ax, ax                      ; reset the controller and try again
    mov dl, [bp + drive]
    int 0x13
    dec di
    jnz .try
    ; every try failed: fall through to error_read

; The error paths call `error` with the message right after the call.
error_read:
    call error
    db "disk read error", 13, 10, 0
error_magic:
    call error
    db "no stage2", 13, 10, 0
error_checksum:
    call error
    db "stage2 checksum", 13, 10, 0

; error: print "MBR: " and the message whose address is on the stack, then halt forever with
; interrupts off. IN: [SP] = message. OUT: never returns.
error:
    mov si, msg_prefix
    call print
    pop si
    call print
.halt:
    cli
    hlt
    jmp .halt

; print: write the NUL-terminated string at SI to the screen and, when the BDA lists a COM1,
; to COM1 (with no UART, INT 14h would wait for its timeout on every character).
; IN: SI, DS = 0. OUT: nothing. CLOBBERS: AX, BX, DX, SI.
print:
    lodsb
    test al, al
    jz .done
    xor dx, dx
    cmp [BDA_COM1], dx
    je .screen
    mov ah, 0x01                    ; INT 14h AH=01h: send AL on COM1 (AL is kept)
    int 0x14
.screen:
    mov ah, 0x0e                    ; INT 10h AH=0Eh: teletype output, page 0
    xor bx, bx
    int 0x10
    jmp print
.done:
    ret

msg_prefix: db "MBR: ", 0

; Everything above must end before the disk signature at 440; the build fails otherwise.
code_end:
    times STAGE1_CODE_END - (code_end - $$) db 0
    times MBR_SIG_OFFSET - ($ - $$) db 0 ; signature, partition table: tools/mkimage.py's
    dw 0xaa55
