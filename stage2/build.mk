# stage2/build.mk: stage2.bin = entry + thunk (assembly at the mode boundaries), the BIOS
# protocols (stage2/bios/), stage2's own steps (stage2/*.c) and the pure core
# (core/core.mk), linked at 0x8000 by linker.ld and sealed (size and checksum in the header)
# by tools/mkimage_seal.py.

# The BIOS protocols behind the bios_iface seam; host tests drive them with a scripted BIOS.
STAGE2_BIOS_E820_SRCS := stage2/bios/e820_detect.c stage2/bios/e820_fallback.c
STAGE2_BIOS_SRCS := $(STAGE2_BIOS_E820_SRCS)

# What the low-level smoke test (stage2-hello) shares with the real stage2.
STAGE2_LOW_ASM := stage2/entry.asm stage2/thunk.asm
STAGE2_LOW_SRCS := stage2/bios.c stage2/a20.c stage2/console.c stage2/serial.c stage2/vga.c \
	stage2/string.c $(CORE_FORMAT_SRCS) $(CORE_ERROR_SRCS)

# The boot recipe (main.c) and its steps.
STAGE2_BOOT_ASM := stage2/handoff.asm stage2/idt_stubs.asm
STAGE2_BOOT_SRCS := stage2/main.c stage2/memory.c stage2/disk.c stage2/cpu.c stage2/idt.c \
	stage2/kernel.c stage2/bootinfo.c

STAGE2_ASM := $(sort $(STAGE2_LOW_ASM) $(STAGE2_BOOT_ASM))
STAGE2_SRCS := $(sort $(STAGE2_LOW_SRCS) $(STAGE2_BOOT_SRCS) $(STAGE2_BIOS_SRCS) $(CORE_SRCS))
# entry.o first only for a readable map; linker.ld decides the layout.
STAGE2_OBJS := $(patsubst %.asm,$(B)/stage2/%.o,$(STAGE2_ASM)) \
	$(patsubst %.c,$(B)/stage2/%.o,$(STAGE2_SRCS))
STAGE2_LIBGCC := $(shell $(TARGETCC) -m32 -print-libgcc-file-name)

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

$(B)/stage2/%.o: %.asm
	@mkdir -p $(@D)
	@echo "  NASM    $<"
	$(Q)$(NASM) -f elf32 -w+all -MD $(@:.o=.d) -MP -o $@ $<

# The low-level smoke test (tests/qemu, suite lowlevel): the same entry, thunk and drivers with
# stage2/hello.c as stage2_main instead of the boot recipe.
STAGE2_HELLO_OBJS := $(patsubst %.asm,$(B)/stage2/%.o,$(STAGE2_LOW_ASM)) \
	$(patsubst %.c,$(B)/stage2/%.o,$(STAGE2_LOW_SRCS) stage2/hello.c)

# The boot recipe with disk.c built to skip the INT 13h extensions check, so the boot tests
# (tests/qemu, suite chs) can boot stage2's CHS path for real behind build/stage1-chs.bin.
$(B)/stage2/chs/disk.o: stage2/disk.c
	@mkdir -p $(@D)
	@echo "  CC      $< (stage2, CHS only)"
	$(Q)$(TARGETCC) $(TARGET_CFLAGS) $(APP_INC) $(STAGE2_EXTRA_CFLAGS) -DDISK_FORCE_CHS=1 -c -o $@ $<
STAGE2_CHS_OBJS := $(filter-out $(B)/stage2/stage2/disk.o,$(STAGE2_OBJS)) $(B)/stage2/chs/disk.o

# The boot recipe that executes UD2 right after loading its IDT: the boot tests check that a
# CPU exception in stage2 is a panic and a halt, not a triple fault.
$(B)/stage2/fault/main.o: stage2/main.c
	@mkdir -p $(@D)
	@echo "  CC      $< (stage2, faults on purpose)"
	$(Q)$(TARGETCC) $(TARGET_CFLAGS) $(APP_INC) $(STAGE2_EXTRA_CFLAGS) -DSTAGE2_FAULT_TEST=1 -c -o $@ $<
STAGE2_FAULT_OBJS := $(filter-out $(B)/stage2/stage2/main.o,$(STAGE2_OBJS)) \
	$(B)/stage2/fault/main.o

$(STAGE2_ELF): $(STAGE2_OBJS) linker.ld
$(B)/stage2-hello.elf: $(STAGE2_HELLO_OBJS) linker.ld
$(B)/stage2-chs.elf: $(STAGE2_CHS_OBJS) linker.ld
$(B)/stage2-fault.elf: $(STAGE2_FAULT_OBJS) linker.ld
$(STAGE2_ELF) $(B)/stage2-hello.elf $(B)/stage2-chs.elf $(B)/stage2-fault.elf:
	@echo "  LD      $@"
	$(Q)$(LD) -m elf_i386 -T linker.ld --gc-sections --no-warn-rwx-segments \
		-Map $(@:.elf=.map) -o $@ $(filter %.o,$^) $(STAGE2_LIBGCC)

$(B)/stage2.bin $(B)/stage2-hello.bin $(B)/stage2-chs.bin $(B)/stage2-fault.bin: \
		%.bin: %.elf tools/mkimage_seal.py
	@echo "  SEAL    $@"
	$(Q)$(OBJCOPY) -O binary $< $@.raw
	$(Q)python3 tools/mkimage_seal.py $@.raw $@
	$(Q)rm -f $@.raw

# Disassembly: the header and 16-bit code as 8086, the rest as i386.
$(B)/stage2.lst: $(STAGE2_ELF)
	@echo "  OBJDUMP $@"
	$(Q){ $(OBJDUMP) -d -M intel,i8086 -j .header -j .text16 $<; \
		$(OBJDUMP) -d -M intel -j .text $<; } > $@

-include $(sort $(STAGE2_OBJS:.o=.d) $(STAGE2_HELLO_OBJS:.o=.d) $(B)/stage2/chs/disk.d \
	$(B)/stage2/fault/main.d)
