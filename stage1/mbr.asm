; mbr.asm: stage1, the 512-byte MBR. Loads stage2 from LBA 1.. to 0x8000, checks its header
; magic and checksum, and jumps to it in real mode with DL = boot drive. Each failure prints a
; short reason on screen (INT 10h) and COM1 (INT 14h) and halts; it never reboots.
;
; Stage2 header (see stage2/entry.asm, filled in by tools/mkimage_seal.py):
;   +0 jmp near (3 bytes) + pad   +4 magic 'MOS2'   +8 word: size in 512-byte sectors
;   +12 dword checksum: the 32-bit sum of every dword of the image (size * 512 bytes) is 0.

bits 16
org 0x7c00

STAGE2_SEG      equ 0x0800          ; physical 0x8000
STAGE2_MAGIC    equ 'MOS2'
; The contract keeps stage2 and its bss below 0x60000: (0x60000 - 0x8000) / 512 sectors.
STAGE2_MAX_SECT equ 704
READ_TRIES      equ 4
; Variables that need no initial value live just past the MBR (0x7e00..0x7fff is free).
drive           equ 0x7e00          ; byte: DL from the BIOS
heads           equ 0x7e02          ; word: CHS heads

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
    mov sp, 0x7c00
    jmp 0:.cs_zero                  ; some BIOSes jump to 07c0:0000; normalise CS
.cs_zero:
    sti
    cld
    mov [drive], dl

%ifndef STAGE1_FORCE_CHS               ; test hook: nasm -DSTAGE1_FORCE_CHS leaves it out
    ; INT 13h AH=41h: extensions present (BX=AA55h) and the DAP interface (CX bit 0)?
    mov ah, 0x41
    mov bx, 0x55aa
    int 0x13
    jc .geometry
    cmp bx, 0xaa55
    jne .geometry
    shr cx, 1
    jc .load                        ; LBA mode: [sectors] stays 0
%endif

.geometry:
    ; No extensions: CHS with the geometry from AH=08h (CL bits 0-5 = sectors per track,
    ; DH = last head). ES:DI = 0:0 guards against BIOSes that return a table pointer there.
    mov ah, 0x08
    mov dl, [drive]
    xor di, di
    int 0x13
    jc error_read
    and cx, 0x3f
    jz error_read                   ; a zero would divide by zero below
    mov [sectors], cx
    movzx dx, dh
    inc dx
    mov [heads], dx

.load:
    ; One sector at a time (never crosses a 64 KiB DMA boundary or a track), summing each
    ; as it arrives. The first one is the header: it says how many sectors there are.
    xor ebx, ebx                    ; checksum
    xor cx, cx                      ; sectors left; 0 until the header is read
.next:
    call read_sector
    les si, [dap_off]               ; ES:SI = the sector just read
    inc cx
    loop .sum                       ; CX was 0: this is the header
    cmp dword [es:4], STAGE2_MAGIC
    jne error_magic
    mov cx, [es:8]                  ; total sectors, header included: 1..STAGE2_MAX_SECT
    dec cx
    cmp cx, STAGE2_MAX_SECT
    jae error_magic
    inc cx
.sum:
    es lodsd
    add ebx, eax
    test si, 0x1ff
    jnz .sum
    add word [dap_seg], 0x20        ; sector n of stage2 is LBA n, at 0x8000 + (n-1) * 512
    inc word [dap_lba]
    loop .next
    test ebx, ebx                   ; a correct image sums to zero
    jnz error_checksum

    mov dl, [drive]
    jmp 0:0x8000

; read_sector: read the sector at dap_lba to dap_seg:0000, retrying after a disk reset;
; halts with a message if every try fails.
; IN: dap_lba, dap_seg, drive, sectors (0: LBA mode), heads. OUT: nothing. CLOBBERS: nothing.
read_sector:
    pushad                          ; some BIOSes clobber the high halves too
    push es
    mov bp, READ_TRIES
.try:
    mov dl, [drive]
    mov ah, 0x42
    mov si, dap
    ; A failed AH=42h writes the count it transferred (0) back into the packet (SeaBIOS
    ; does), so a retry with the packet as left would "succeed" reading nothing: re-arm it.
    mov word [si + 2], 1
    cmp word [sectors], 0
    je .call
    ; LBA -> CHS: sector = LBA % spt + 1, head = (LBA / spt) % heads, cyl = LBA / spt / heads
    mov ax, [dap_lba]
    xor dx, dx
    div word [sectors]
    mov cx, dx
    inc cx
    xor dx, dx
    div word [heads]
    mov dh, dl                      ; head
    mov ch, al                      ; cylinder bits 0-7
    shl ah, 6
    or cl, ah                       ; cylinder bits 8-9 in CL bits 6-7
    mov dl, [drive]
    les bx, [dap_off]
    mov ax, 0x0201
.call:
    int 0x13
    jc .fail
    pop es
    popad
    ret
.fail:
    xor ax, ax                      ; reset the controller and try again
    mov dl, [drive]
    int 0x13
    dec bp
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

; print: write the NUL-terminated string at SI to the screen and to COM1.
; IN: SI. OUT: nothing. CLOBBERS: AX, BX, DX, SI.
print:
    lodsb
    test al, al
    jz .done
    mov ah, 0x01                    ; INT 14h AH=01h: send AL on COM1 (AL is kept)
    xor dx, dx
    int 0x14
    mov ah, 0x0e                    ; INT 10h AH=0Eh: teletype output, page 0
    xor bx, bx
    int 0x10
    jmp print
.done:
    ret

msg_prefix: db "MBR: ", 0

sectors: dw 0                       ; CHS sectors per track; 0 means LBA (AH=42h) mode

; Disk address packet for AH=42h, also the loader's cursor: one sector to dap_seg:dap_off
; from dap_lba. Starts at stage2's header, LBA 1 -> 0x0800:0000.
dap:     db 16, 0
         dw 1
dap_off: dw 0
dap_seg: dw STAGE2_SEG
dap_lba: dd 1, 0

; Everything above must fit before the partition table at 446; the build fails otherwise.
code_end:
%assign CODE_LIMIT 446
    times CODE_LIMIT - (code_end - $$) db 0
    times 510 - ($ - $$) db 0       ; partition table: written by tools/mkimage.py
    dw 0xaa55
