# stage2/build.mk: stage2.bin = entry + thunk (assembly at the mode boundaries), the BIOS
# protocols (stage2/bios/), stage2's own steps (stage2/*.c) and the pure core
# (core/core.mk), linked at STAGE2_LOAD_ADDR by stage2/linker.ld and sealed (size and
# checksum in the header) by tools/mkimage_seal.py. The assembly's and the linker script's
# constants come from the C headers (stage2/layout.mk).

# The BIOS protocols behind the bios_iface seam; host tests drive them with a scripted BIOS
# (or, for the BDA, a fake first MiB). Each set links on its own.
STAGE2_BIOS_E820_SRCS := stage2/bios/e820_detect.c stage2/bios/e820_fallback.c \
	stage2/bios/int12.c
STAGE2_BIOS_LOW_SRCS := stage2/bios/int12.c stage2/bios/bda.c stage2/bios/rsdp_find.c \
	$(CORE_RSDP_SRCS)
STAGE2_BIOS_INT13_SRCS := stage2/bios/int13.c
STAGE2_BIOS_VBE_SRCS := stage2/bios/vbe.c
STAGE2_BIOS_SRCS := $(STAGE2_BIOS_E820_SRCS) $(STAGE2_BIOS_LOW_SRCS) $(STAGE2_BIOS_INT13_SRCS) \
	$(STAGE2_BIOS_VBE_SRCS)

# What the low-level smoke test (stage2-hello) shares with the real stage2.
STAGE2_LOW_ASM := stage2/entry.asm stage2/thunk.asm
STAGE2_LOW_SRCS := stage2/bios.c stage2/a20.c stage2/console.c stage2/serial.c stage2/vga.c \
	stage2/string.c stage2/stage1_info.c $(CORE_FORMAT_SRCS) $(CORE_ERROR_SRCS)

# The boot protocols behind protocol.h, one file each.
STAGE2_PROTO_SRCS := stage2/proto_multios.c stage2/proto_multiboot1.c \
	stage2/proto_multiboot2.c stage2/mb_boot.c

# The boot recipe (main.c) and its steps.
STAGE2_BOOT_ASM := stage2/handoff.asm stage2/handoff_mb.asm stage2/idt_stubs.asm
STAGE2_BOOT_SRCS := stage2/main.c stage2/memory.c stage2/disk.c stage2/cpu.c stage2/idt.c \
	stage2/volume.c stage2/partition.c stage2/config_load.c stage2/kernel.c stage2/video.c \
	stage2/kernel_elf.c \
	stage2/pagetables.c stage2/protocol.c $(STAGE2_PROTO_SRCS) stage2/bootinfo.c \
	stage2/modules.c

STAGE2_ASM := $(sort $(STAGE2_LOW_ASM) $(STAGE2_BOOT_ASM))
STAGE2_SRCS := $(sort $(STAGE2_LOW_SRCS) $(STAGE2_BOOT_SRCS) $(STAGE2_BIOS_SRCS) $(CORE_SRCS))
# entry.o first only for a readable map; stage2/linker.ld decides the layout.
STAGE2_OBJS := $(patsubst %.asm,$(B)/stage2/%.o,$(STAGE2_ASM)) \
	$(patsubst %.c,$(B)/stage2/%.o,$(STAGE2_SRCS))
STAGE2_LIBGCC := $(shell $(TARGETCC) -m32 -print-libgcc-file-name)

STAGE2_LDS := stage2/linker.ld
STAGE2_ELF := $(B)/stage2.elf
STAGE2_BIN := $(B)/stage2.bin
ALL_TARGETS += $(STAGE2_BIN) $(B)/stage2.lst

# GCC 12 warns about any constant pointer below 4 KiB (the BIOS data area is there).
STAGE2_EXTRA_CFLAGS := --param=min-pagesize=0
# string.c implements memset & co.: GCC must not turn its loops into calls to themselves.
$(B)/stage2/stage2/string.o: STAGE2_EXTRA_CFLAGS += -fno-tree-loop-distribute-patterns

$(B)/stage2/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $< (stage2)"
	$(Q)$(TARGETCC) $(TARGET_CFLAGS) $(call inc_for,$<) $(STAGE2_EXTRA_CFLAGS) -c -o $@ $<

$(B)/stage2/%.o: %.asm $(LAYOUT_INC)
	@mkdir -p $(@D)
	@echo "  NASM    $<"
	$(Q)$(NASM) -f elf32 -w+all $(NASM_INC) -MD $(@:.o=.d) -MP -o $@ $<
# NASM 2.16's -MD leaves %include files out: entry.asm's message printer is stage1's.
$(B)/stage2/stage2/entry.o: stage1/bios_print.inc

# The low-level smoke test (tests/qemu, suite lowlevel): the same entry, thunk and drivers with
# tests/stage2/hello.c as stage2_main instead of the boot recipe.
STAGE2_HELLO_OBJS := $(patsubst %.asm,$(B)/stage2/%.o,$(STAGE2_LOW_ASM)) \
	$(patsubst %.c,$(B)/stage2/%.o,$(STAGE2_LOW_SRCS) tests/stage2/hello.c \
		stage2/bios/int12.c stage2/bios/bda.c)

# The boot recipe with tests/stage2/bios_broken.c as its BIOS glue instead of stage2/bios.c,
# built once per broken BIOS it plays (BROKEN_<kind>): stage2-chs.bin (no INT 13h
# extensions: the boot tests, suite chs, boot stage2's CHS path for real behind
# build/stage1-chs.bin), stage2-no-lba.bin (AH=42h always fails), stage2-ah-junk.bin (junk in
# AH when a read works), stage2-4k.bin (4096-byte sectors).
STAGE2_BROKEN := chs:NO_EXT no-lba:NO_LBA ah-junk:AH_JUNK 4k:4K
STAGE2_BROKEN_NAMES := $(foreach v,$(STAGE2_BROKEN),$(word 1,$(subst :, ,$(v))))
STAGE2_BROKEN_BINS := $(STAGE2_BROKEN_NAMES:%=$(B)/stage2-%.bin)
broken_kind = $(word 2,$(subst :, ,$(filter $(1):%,$(STAGE2_BROKEN))))
$(B)/stage2/tests/stage2/bios_broken-%.o: tests/stage2/bios_broken.c
	@mkdir -p $(@D)
	@echo "  CC      $< (stage2, BROKEN_$(call broken_kind,$*))"
	$(Q)$(TARGETCC) $(TARGET_CFLAGS) $(call inc_for,$<) $(STAGE2_EXTRA_CFLAGS) \
		-DBROKEN_$(call broken_kind,$*) -c -o $@ $<
$(STAGE2_BROKEN_NAMES:%=$(B)/stage2-%.elf): $(B)/stage2-%.elf: \
		$(filter-out $(B)/stage2/stage2/bios.o,$(STAGE2_OBJS)) \
		$(B)/stage2/tests/stage2/bios_broken-%.o

# tests/stage2/fault_main.c instead of the boot recipe: UD2 right after loading the IDT, so
# the boot tests can check that a CPU exception in stage2 is a panic and a halt, not a
# triple fault.
STAGE2_FAULT_OBJS := $(filter-out $(B)/stage2/stage2/main.o,$(STAGE2_OBJS)) \
	$(B)/stage2/tests/stage2/fault_main.o

$(STAGE2_ELF): $(STAGE2_OBJS)
$(B)/stage2-hello.elf: $(STAGE2_HELLO_OBJS)
$(B)/stage2-fault.elf: $(STAGE2_FAULT_OBJS)
$(STAGE2_ELF) $(B)/stage2-hello.elf $(B)/stage2-fault.elf $(STAGE2_BROKEN_BINS:.bin=.elf): \
		$(STAGE2_LDS) $(LAYOUT_LD)
	@echo "  LD      $@"
	$(Q)$(LD) -m elf_i386 -L $(GEN_DIR) -T $(STAGE2_LDS) --gc-sections --no-warn-rwx-segments \
		-Map $(@:.elf=.map) -o $@ $(filter %.o,$^) $(STAGE2_LIBGCC)

$(B)/stage2.bin $(B)/stage2-hello.bin $(B)/stage2-fault.bin $(STAGE2_BROKEN_BINS): \
		%.bin: %.elf tools/mkimage_seal.py tools/layout_inc.py $(LAYOUT_INC)
	@echo "  SEAL    $@"
	$(Q)$(OBJCOPY) -O binary $< $@.raw
	$(Q)python3 tools/mkimage_seal.py --layout $(LAYOUT_INC) $@.raw $@
	$(Q)rm -f $@.raw

# Disassembly: the header and 16-bit code as 8086, the rest as i386.
$(B)/stage2.lst: $(STAGE2_ELF)
	@echo "  OBJDUMP $@"
	$(Q){ $(OBJDUMP) -d -M intel,i8086 -j .header -j .text16 $<; \
		$(OBJDUMP) -d -M intel -j .text $<; } > $@

-include $(sort $(STAGE2_OBJS:.o=.d) $(STAGE2_HELLO_OBJS:.o=.d) \
	$(B)/stage2/tests/stage2/fault_main.d $(STAGE2_BROKEN_NAMES:%=$(B)/stage2/tests/stage2/bios_broken-%.d))
