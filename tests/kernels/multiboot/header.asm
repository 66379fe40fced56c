; header.asm: the Multiboot test kernels' headers, then their first instructions
; (entry.inc). Assembled once per kernel (tests/kernels/build.mk):
;   -DMB1        a Multiboot 1 header: modules page-aligned (flag 0), memory information
;                (flag 1); with -DAOUT also the address fields (flag 16), for the flat binary
;                that has no ELF header at all (objcopy -O binary of the same link: the
;                header is its first byte)
;   -DMB2        a Multiboot 2 header: a required information request for every tag the
;                checks read, console flags (EGA text supported), module alignment; with
;                -DRELOC the relocatable tag (2 MiB-aligned, highest first, in
;                [2 MiB, 1 GiB)); -DREFUSE_TAG adds a required tag of a type spec 2.0 does
;                not define, -DREFUSE_REQUEST a required request for the ELF symbols, which
;                this loader does not provide: both must be refused by name
;   both         a kernel with both headers (auto must choose Multiboot 2)
bits 32

section .multiboot progbits alloc exec nowrite align=8

%ifdef MB2
MB2_MAGIC equ 0xE85250D6
align 8
mb2_header:
        dd      MB2_MAGIC
        dd      0                               ; i386
        dd      mb2_header_end - mb2_header
        dd      0x100000000 - (MB2_MAGIC + (mb2_header_end - mb2_header))
align 8
        dw      1, 0                            ; information request, required
        dd      .req_end - ($ - 4)
        dd      1, 2, 3, 4, 5, 6, 8, 14, 15, 21
%ifdef REFUSE_REQUEST
        dd      9                               ; ELF symbols
%endif
.req_end:
align 8
        dw      4, 0                            ; console flags: EGA text supported
        dd      12, 2
align 8
        dw      6, 0                            ; module alignment
        dd      8
%ifdef RELOC
align 8
        dw      10, 0                           ; relocatable
        dd      24, 0x200000, 0x40000000, 0x200000, 2
%endif
%ifdef REFUSE_TAG
align 8
        dw      11, 0                           ; not a header tag of spec 2.0, required
        dd      8
%endif
align 8
        dw      0, 0                            ; end
        dd      8
mb2_header_end:
%endif

%ifdef MB1
MB1_MAGIC equ 0x1BADB002
%ifdef AOUT
MB1_FLAGS equ 0x00010003
%else
MB1_FLAGS equ 0x00000003
%endif
align 4
mb1_header:
        dd      MB1_MAGIC
        dd      MB1_FLAGS
        dd      -(MB1_MAGIC + MB1_FLAGS)
%ifdef AOUT
extern __kernel_start, __load_end, __kernel_end
        dd      mb1_header              ; header_addr
        dd      __kernel_start          ; load_addr: the file's first byte
        dd      __load_end              ; load_end_addr: the end of .data
        dd      __kernel_end            ; bss_end_addr
        dd      _start                  ; entry_addr
%endif
%endif

%include "entry.inc"
