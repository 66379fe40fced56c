; mbr.asm: stage1, the 512-byte MBR. Takes a TSC stamp, loads stage2 to STAGE2_LOAD_ADDR
; (0x8000) from where the MBR's stage2 location says (the installer writes it: LBA and
; sectors), in reads up to the next 32 KiB boundary, checks its magic and jumps to it in real
; mode; stage2's own entry checks its checksum. What stage1 learnt (drive, TSC stamp, how it
; read) stays in memory for stage2: struct stage1_info (stage2/stage1_info.h).
;
; Reads use INT 13h AH=42h with retries after a disk reset; when every try fails (a BIOS
; without extensions, or one whose AH=42h does not work on this device) stage1 goes on with
; CHS (AH=08h geometry, AH=02h reads within a track), as GRUB does. A failure prints
; "MBR: " and a short reason, with the BIOS status in hex for a read, on screen (INT 10h,
; colour 7 so it shows under a graphics logo) and COM1 (INT 14h, initialised first unless
; the BDA lists none), then INT 18h lets the BIOS try the next boot device, as GRUB and
; SYSLINUX do; should the BIOS return, stage1 halts. It never reboots.
;
; MBR layout (stage2/layout.h): 0..2 jmp, 3..89 room for a BPB (some BIOSes write one there
; when they boot a stick as a "floppy": no code or data), 90..97 the head of the disk address
; packet, 98..105 stage2's first LBA (the packet's LBA), 106..107 its length in sectors,
; 108..439 code and constant data (STAGE1_CODE_END), 440..443 disk signature, 444..445
; reserved, 446..509 partition table, 510 0xAA55. Windows writes a signature at 440 when it
; attaches a disk and fdisk/sfdisk/parted write a label ID there, so stage1 keeps nothing at
; or past 440.
;
; Test builds (stage1/build.mk): STAGE1_FORCE_CHS asks for a function no BIOS has instead of
; AH=42h, so every read fails and stage1 falls back to CHS; STAGE1_TEST_DL=n boots as if the
; BIOS had passed DL=n; STAGE1_TEST_NO_TSC executes UD2 where RDTSC is, as a CPU without a
; TSC faults there.

%include "layout.inc"
%include "stage1/bios_print.inc"

bits 16
org STAGE1_LOAD_ADDR

STAGE2_SEG      equ STAGE2_LOAD_ADDR >> 4
SECTOR_PARAS    equ STAGE2_SECTOR >> 4  ; a sector in 16-byte paragraphs (segment units)
READ_TRIES      equ 4               ; tries of each read, a disk reset before each retry
IVT_UD          equ 6 * 4           ; the real-mode vector of #UD (invalid opcode)

; BP = STAGE1_LOAD_ADDR = LOADER_STACK_TOP. Above it, this sector: the disk address packet
; (the read cursor) and the sectors still to read (STAGE1_STAGE2_SECTORS counts down).
; Below it, struct stage1_info (stage2/stage1_info.h, offsets from layout.inc), pushed last
; field first; info_push checks each push against the struct, so the two cannot drift apart.
DAP             equ STAGE1_DAP
DAP_COUNT       equ STAGE1_DAP + 2
DAP_OFFSET      equ STAGE1_DAP + 4
DAP_SEGMENT     equ STAGE1_DAP + 6
DAP_LBA         equ STAGE1_STAGE2_LBA
LEFT            equ STAGE1_STAGE2_SECTORS
INFO            equ -STAGE1_INFO_SIZE
%assign info_at STAGE1_INFO_SIZE
%macro info_push 3                  ; bytes, field offset, operand
    %assign info_at info_at - %1
    %if info_at != %2
        %error "stage1_info: push lands at info_at, the struct has the field at %2"
    %endif
    push %3
%endmacro

    jmp short start
    nop
; Room for a FAT32 BIOS parameter block: some BIOSes write one here when they boot a USB stick
; as a "floppy", so no code or data may live in bytes 3..89.
    times DAP - ($ - $$) db 0
; The disk address packet for AH=42h: STAGE2_SEG:0000 from stage2's first sector, which
; with the sector count after it is the stage2 location an installer writes.
    db 16, 0                        ; size, reserved
    dw 0                            ; count: set before every call
    dw 0, STAGE2_SEG                ; offset, segment
%if $ - $$ != DAP_LBA
    %error "the stage2 LBA must be the packet's"
%endif
    dq 0                            ; stage2's first LBA: the installer's (tools/mkimage.py)
    dw 0                            ; stage2's sectors: 0 = none installed

start:
    xor ax, ax
    mov ss, ax                      ; interrupts are held off until after the next instruction
    mov sp, LOADER_STACK_TOP
    mov bp, sp
    mov ds, ax
    ; CS may be 07c0h or 0000h: the code uses relative jumps, and data through DS only.
%ifdef STAGE1_TEST_DL
    mov dl, STAGE1_TEST_DL
%endif
    ; Some BIOSes pass garbage in DL. As GRUB's boot.S does, anything but 0x00-0x0f (floppies)
    ; and 0x80-0x8f (hard disks) is taken for the first hard disk; DH keeps the BIOS's DL.
    mov dh, dl
    test dl, 0x70
    jz .drive_ok
    mov dl, 0x80
.drive_ok:
    info_push 2, S1_DRIVE, dx       ; drive, bios_dl

    ; The TSC stamp, for stage2's boot profile. A 486 or 386 has no RDTSC: it raises #UD,
    ; which would hang in the BIOS's handler, so INT 6 points past the RDTSC (stage2 puts
    ; the BIOS's vector back). The CPU's #UD frame (IP, CS, FLAGS) then fills the three words
    ; that a working RDTSC pushes with IP 0.
    info_push 4, S1_BIOS_INT6, dword [IVT_UD]
    mov word [IVT_UD], .tsc_done
    mov [IVT_UD + 2], ax            ; segment 0
%ifdef STAGE1_TEST_NO_TSC
    ud2
%else
    rdtsc
%endif
    pushf
    push cs
    info_push 6, S1_UD_IP, byte 0
.tsc_done:
    info_push 4, S1_TSC + 4, edx
    info_push 4, S1_TSC, eax
    info_push 2, S1_HEADS, byte 0
    info_push 2, S1_SECTORS, byte 0 ; 0: AH=42h, until it fails
    sti                             ; (the #UD cleared IF)

    ; AH=42h first: a BIOS without extensions refuses it (AH=01h) and stage1 falls back to
    ; CHS, as it does when a BIOS that has them keeps failing: one path for both, so no
    ; AH=41h check.
.next:
    mov di, READ_TRIES
.try:
    ; Reads up to the next 32 KiB boundary: none crosses a 64 KiB boundary (a BIOS's DMA
    ; cannot), and every 64 KiB takes 2 calls, as it would with the most AH=42h allows
    ; (127 sectors). The destination is segment:0, so that is 64 - (segment / 32) % 64
    ; sectors.
    mov ax, [bp + DAP_SEGMENT]
    not ax
    and ah, 0x07
    inc ax
    shr ax, 5
    cmp ax, [bp + LEFT]
    jbe .chunk
    mov ax, [bp + LEFT]
.chunk:
    ; A failed AH=42h writes the count it transferred (0) back into the packet (SeaBIOS
    ; does), so every try sets it again.
    mov [bp + DAP_COUNT], ax
    mov cx, [bp + INFO + S1_SECTORS]
    jcxz .lba
    ; CHS: sector = LBA % spt + 1, head = (LBA / spt) % heads, cylinder = LBA / spt / heads,
    ; and no call past the end of a track (many BIOSes cannot cross one). The division is
    ; 16-bit: a track past 65535 (2 GiB at 63 sectors a track) is out of reach. So is a
    ; cylinder past 1023, whose bits 10 and up are lost: the magic (or stage2's checksum)
    ; then tells.
    les ax, [bp + DAP_LBA]
    mov dx, es                      ; DX:AX = LBA bits 0-31
    cmp dx, cx
    jae .far
    div cx                          ; AX = track, DX = sector - 1
    sub cx, dx                      ; sectors left in this track
    cmp cx, [bp + DAP_COUNT]
    jae .in_track
    mov [bp + DAP_COUNT], cx
.in_track:
    mov cx, dx
    inc cx                          ; CL = sector
    xor dx, dx
    div word [bp + INFO + S1_HEADS] ; AX = cylinder, DX = head
    mov dh, dl                      ; head
    mov ch, al                      ; cylinder bits 0-7
    shl ah, 6
    or cl, ah                       ; cylinder bits 8-9 in CL bits 6-7
    les bx, [bp + DAP_OFFSET]
    mov al, [bp + DAP_COUNT]
    mov ah, 0x02
    db 0x3d                         ; CMP AX, imm16: skips the MOV below
.lba:
%ifdef STAGE1_FORCE_CHS
    mov ah, 0x4f                    ; test hook: a function no BIOS has, so CHS it is
%else
    mov ah, 0x42
%endif
    mov dl, [bp + INFO + S1_DRIVE]
    lea si, [bp + DAP]
    int 0x13
    ; CF is the only failure signal: some BIOSes leave junk in AH on success (GRUB, too,
    ; reads AH only when CF is set).
    jnc .done
    mov si, ax                      ; the BIOS status, for the message
    xor ax, ax                      ; reset the controller (DL = drive) and try again
    int 0x13
    dec di
    jnz .try
    xchg ax, si                     ; AH = the status of the last read
    ; AH=42h failed every try: fall back to CHS (from this chunk on), as GRUB does, before
    ; giving up.
    cmp [bp + INFO + S1_SECTORS], di ; DI = 0
    jne error_read
    ; CHS geometry from AH=08h (DL = drive still): CL bits 0-5 = sectors per track, DH =
    ; last head. (ES:DI is what a floppy's parameter table pointer comes back in; stage1
    ; does not read it, so it need not be set to 0:0 first.)
    mov ah, 0x08
    int 0x13
    jc error_read
    and cx, 0x3f
    jz error_read                   ; a zero would divide by zero
    mov [bp + INFO + S1_SECTORS], cx
    mov [bp + INFO + S1_HEADS], dh  ; the high byte is 0 from the push
    inc word [bp + INFO + S1_HEADS] ; up to 256
    jmp .next
.done:
    mov ax, [bp + DAP_COUNT]        ; what the BIOS read (AH=42h: as it wrote back)
    add [bp + DAP_LBA], ax
    adc word [bp + DAP_LBA + 2], byte 0
    imul cx, ax, SECTOR_PARAS
    add [bp + DAP_SEGMENT], cx
    ; Past stage2's ceiling (STAGE2_MAX_SECTORS) it is not a stage2 of ours: stop before
    ; the reads reach the EBDA. (The last read ended at most 32 KiB past it, in free memory.)
    cmp word [bp + DAP_SEGMENT], STAGE2_END_MAX >> 4
    ja error_magic
    sub [bp + LEFT], ax
    jnz .next

    ; The magic's first half: a sector that is not stage2's header (zeros, another loader's
    ; code) fails it; stage2's entry then checks the whole image's checksum.
    cmp word [STAGE2_LOAD_ADDR + STAGE2_HDR_MAGIC], STAGE2_MAGIC & 0xffff
    jne error_magic
    jmp 0:STAGE2_LOAD_ADDR

.far:
    mov ah, 0x04                    ; "sector not found": past what CHS can address
; error_read: "MBR: read error 0x" and the BIOS status in AH as two hex digits.
error_read:
    mov al, ah
    aam 16                          ; AH = high nibble, AL = low nibble
    cmp al, 10                      ; nibble -> '0'-'9', 'A'-'F'
    sbb al, 0x69
    das
    xchg al, ah
    cmp al, 10
    sbb al, 0x69
    das
    mov [msg_status], ax
    mov si, msg_read
    jmp short error
error_magic:
    mov si, msg_magic

; error: initialise COM1 (when the BDA lists one), print the message at SI on screen and
; COM1, then INT 18h (the BIOS's "boot failed, try the next device"); halt if that returns.
; IN: SI = NUL-terminated message, DS = 0. OUT: never returns.
error:
    cld
    com1_init
    print_bios .give_up
.give_up:
    int 0x18
.halt:
    cli
    hlt
    jmp .halt

msg_read:   db "MBR: read error 0x"
msg_status: db "??", 13, 10, 0
msg_magic:  db "MBR: no stage2", 13, 10, 0

; Everything above must end before the disk signature; the build fails otherwise.
code_end:
    times STAGE1_CODE_END - (code_end - $$) db 0
    times MBR_SIG_OFFSET - ($ - $$) db 0 ; signature, partition table: tools/mkimage.py's
    dw 0xaa55
