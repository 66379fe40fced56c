; logo.asm: a test option ROM (tests/qemu/roms, sealed by optionrom.py) that leaves the screen
; in a graphics mode at POST, as a BIOS showing a vendor logo does: mode 13h, 320x200 in 256
; colours. The boot tests then read the screen back (runner.Screen) to see whether stage1's
; message shows on it or was drawn in black.

bits 16
org 0
    db 0x55, 0xaa                   ; option ROM signature
    db 0                            ; size in 512-byte blocks (optionrom.py)
    jmp short init                  ; the BIOS far-calls offset 3 at POST

init:
    push ax
    mov ax, 0x0013                  ; INT 10h AH=00h: set mode 13h
    int 0x10
    pop ax
    retf
