# tests/kernels/build.mk: the demo kernels (demo64: ELF64 higher half, make run's default;
# demo32: ELF32, protected mode) and the bad kernels the QEMU boot tests feed the loader.
# Everything lands in build/kernels/.

KERNEL_DIR := tests/kernels
KERNEL_OUT := $(B)/kernels
# Where demo32 is linked (it loads at p_paddr): above the loader's default 16 MiB boot heap
# at 1 MiB, below the 32 MiB of the smallest test machine.
DEMO32_PHYS ?= 0x1800000
# demo64's p_paddr (free RAM at boot), and demo64-reloc's: 3 GiB, in the PCI hole of every
# test machine (pc and q35, 32M..8G), not RAM, so the loader must place the segments elsewhere.
DEMO64_PHYS ?= 0x100000
DEMO64_RELOC_PHYS ?= 0xc0000000

KERNEL_CFLAGS := -std=c11 -ffreestanding -fno-pic -fno-pie -fno-stack-protector -mno-sse \
	-mno-mmx -mno-80387 -O2 -fno-builtin -fno-tree-loop-distribute-patterns \
	-fno-asynchronous-unwind-tables $(WARN) -Iinclude -I$(KERNEL_DIR)/common -MMD -MP
KERNEL64_CFLAGS := -m64 -mno-red-zone -mcmodel=kernel $(KERNEL_CFLAGS)
KERNEL32_CFLAGS := -m32 -march=i686 $(KERNEL_CFLAGS)
KERNEL_LDFLAGS := -nostdlib -z max-page-size=0x1000 -z noexecstack --no-dynamic-linker

KERNEL_COMMON_SRCS := $(addprefix $(KERNEL_DIR)/common/,kio.c bootcheck.c bootcheck_map.c \
	bootcheck_paging.c bootcheck_frames.c bootcheck_fb.c bootcheck_modules.c modcheck.c)
DEMO64_SRCS := $(KERNEL_COMMON_SRCS) $(KERNEL_DIR)/demo64/main.c $(KERNEL_DIR)/demo64/entry.asm
DEMO32_SRCS := $(KERNEL_COMMON_SRCS) $(KERNEL_DIR)/demo32/main.c $(KERNEL_DIR)/demo32/entry.asm
DEMO64_OBJS := $(patsubst %,$(KERNEL_OUT)/obj64/%.o,$(basename $(DEMO64_SRCS)))
DEMO32_OBJS := $(patsubst %,$(KERNEL_OUT)/obj32/%.o,$(basename $(DEMO32_SRCS)))

KERNELS_GOOD := $(KERNEL_OUT)/demo64.elf $(KERNEL_OUT)/demo64-reloc.elf $(KERNEL_OUT)/demo32.elf
KERNELS_BAD := $(addprefix $(KERNEL_OUT)/bad-,truncated.elf notelf.elf overlap.elf \
	overlap64.elf toolarge.elf) $(KERNEL_OUT)/fault64.elf $(KERNEL_OUT)/fault32.elf
ALL_TARGETS += $(KERNEL_OUT)/demo64.elf

.PHONY: kernels
kernels: $(KERNELS_GOOD) $(KERNELS_BAD)

$(KERNEL_OUT)/obj64/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC64    $<"
	$(Q)$(TARGETCC) $(KERNEL64_CFLAGS) -c -o $@ $<
$(KERNEL_OUT)/obj64/%.o: %.asm
	@mkdir -p $(@D)
	@echo "  NASM64  $<"
	$(Q)$(NASM) -f elf64 -o $@ $<
$(KERNEL_OUT)/obj32/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC32    $<"
	$(Q)$(TARGETCC) $(KERNEL32_CFLAGS) -c -o $@ $<
$(KERNEL_OUT)/obj32/%.o: %.asm
	@mkdir -p $(@D)
	@echo "  NASM32  $<"
	$(Q)$(NASM) -f elf32 -o $@ $<

$(KERNEL_OUT)/demo64.elf: $(DEMO64_OBJS) $(KERNEL_DIR)/demo64/linker.ld
	@echo "  LD      $@"
	$(Q)$(LD) -m elf_x86_64 $(KERNEL_LDFLAGS) --defsym=DEMO64_PHYS=$(DEMO64_PHYS) \
		-T $(KERNEL_DIR)/demo64/linker.ld -o $@ $(DEMO64_OBJS)
$(KERNEL_OUT)/demo64-reloc.elf: $(DEMO64_OBJS) $(KERNEL_DIR)/demo64/linker.ld
	@echo "  LD      $@"
	$(Q)$(LD) -m elf_x86_64 $(KERNEL_LDFLAGS) --defsym=DEMO64_PHYS=$(DEMO64_RELOC_PHYS) \
		-T $(KERNEL_DIR)/demo64/linker.ld -o $@ $(DEMO64_OBJS)
$(KERNEL_OUT)/demo32.elf: $(DEMO32_OBJS) $(KERNEL_DIR)/demo32/linker.ld
	@echo "  LD      $@"
	$(Q)$(LD) -m elf_i386 $(KERNEL_LDFLAGS) --defsym=DEMO32_PHYS=$(DEMO32_PHYS) \
		-T $(KERNEL_DIR)/demo32/linker.ld -o $@ $(DEMO32_OBJS)

# fault64 / fault32: UD2 as their first instruction, for the reporting IDT a kernel is entered
# with (stage2/idt.h).
$(KERNEL_OUT)/fault64.elf: $(KERNEL_OUT)/obj64/$(KERNEL_DIR)/fault64/entry.o \
		$(KERNEL_DIR)/fault64/linker.ld
	@echo "  LD      $@"
	$(Q)$(LD) -m elf_x86_64 $(KERNEL_LDFLAGS) -T $(KERNEL_DIR)/fault64/linker.ld -o $@ \
		$(filter %.o,$^)
$(KERNEL_OUT)/fault32.elf: $(KERNEL_OUT)/obj32/$(KERNEL_DIR)/fault32/entry.o \
		$(KERNEL_DIR)/fault32/linker.ld
	@echo "  LD      $@"
	$(Q)$(LD) -m elf_i386 $(KERNEL_LDFLAGS) --defsym=DEMO32_PHYS=$(DEMO32_PHYS) \
		-T $(KERNEL_DIR)/fault32/linker.ld -o $@ $(filter %.o,$^)

$(KERNEL_OUT)/bad-truncated.elf: $(KERNEL_OUT)/demo64.elf $(KERNEL_DIR)/mkbad.py
	$(Q)python3 $(KERNEL_DIR)/mkbad.py truncated $@ $<
$(KERNEL_OUT)/bad-%.elf: $(KERNEL_DIR)/mkbad.py
	@mkdir -p $(@D)
	$(Q)python3 $(KERNEL_DIR)/mkbad.py $* $@
$(KERNEL_OUT)/bad-%.bin: $(KERNEL_DIR)/mkbad.py
	@mkdir -p $(@D)
	$(Q)python3 $(KERNEL_DIR)/mkbad.py $* $@

-include $(DEMO64_OBJS:.o=.d) $(DEMO32_OBJS:.o=.d)

# The kernels' checks on the host, against hand-built boot infos (a checker that passes
# everything would make every QEMU run meaningless).
HOST_TESTS += test_bootcheck
test_bootcheck_SRCS := tests/kernels/host/test_bootcheck.c tests/support/fake_ram.c \
	$(filter-out %/kio.c,$(KERNEL_COMMON_SRCS))

# ---- the Multiboot test kernels (tests/kernels/multiboot) ----------------------------------
# Position-independent 32-bit code (the relocatable one runs wherever the loader put it), one
# C file that checks either version, the headers of each variant from header.asm:
#   mb1.elf          ELF32, Multiboot 1, at 1 MiB
#   mb1-aout.bin     the same code as a flat binary: only the header's address fields say
#                    where it goes (the a.out kludge)
#   mb1-elf64.elf    the same as ELF64 (objcopy), virtual addresses in the top 2 GiB, physical
#                    at 1 MiB: entered in protected mode at its physical entry
#   mb2.elf          ELF32, Multiboot 2, at 1 MiB
#   mb12.elf         both headers: auto must choose Multiboot 2, `protocol` may force 1
#   mb2-reloc.elf    linked at 3 GiB (no RAM there) with the relocatable tag; checked to be
#                    the same bytes linked elsewhere, so it truly runs anywhere
#   mb2-refuse-tag.elf, mb2-refuse-request.elf   a required tag / information request this
#                    loader does not support: the loader must refuse them by name
# and the test modules, mod-SEED-SIZE.bin (tests/kernels/mkmodule.py).
MB_DIR := $(KERNEL_DIR)/multiboot
# (GCC 12 warns about any constant pointer below 4 KiB: the BIOS data area is there.)
MB_CFLAGS := -m32 -march=i686 $(KERNEL_CFLAGS) -fpie -fno-jump-tables --param=min-pagesize=0
MB_COMMON_SRCS := $(KERNEL_DIR)/common/kio.c $(KERNEL_DIR)/common/modcheck.c
MB_OBJ := $(KERNEL_OUT)/mbobj
MB_LINK = $(LD) -m elf_i386 $(KERNEL_LDFLAGS) --no-warn-rwx-segments --defsym=MB_PHYS=$(2) \
	-T $(MB_DIR)/linker.ld -o $(1) $(filter %.o,$^)

$(MB_OBJ)/common/%.o: $(KERNEL_DIR)/common/%.c
	@mkdir -p $(@D)
	@echo "  CC32PIC $<"
	$(Q)$(TARGETCC) $(MB_CFLAGS) -c -o $@ $<
$(MB_OBJ)/main-%.o: $(MB_DIR)/main.c
	@mkdir -p $(@D)
	@echo "  CC32PIC $< ($*)"
	$(Q)$(TARGETCC) $(MB_CFLAGS) $(MB_DEFS_$*) -c -o $@ $<
$(MB_OBJ)/head-%.o: $(MB_DIR)/header.asm $(MB_DIR)/entry.inc
	@mkdir -p $(@D)
	@echo "  NASM32  $@"
	$(Q)$(NASM) -f elf32 -I$(MB_DIR)/ $(MB_HEAD_$*) -o $@ $<

MB_DEFS_mb1 := -DMB_EXPECT=1 -DMB_NAME='"mb1"'
MB_DEFS_mb2 := -DMB_EXPECT=2 -DMB_NAME='"mb2"'
MB_DEFS_mb12 := -DMB_EXPECT=0 -DMB_NAME='"mb12"'
MB_DEFS_mb2reloc := $(MB_DEFS_mb2) -DMB_RELOC -DMB_LINKED=0xc0000000u
MB_HEAD_mb1 := -DMB1
MB_HEAD_mb1aout := -DMB1 -DAOUT
MB_HEAD_mb2 := -DMB2
MB_HEAD_mb12 := -DMB1 -DMB2
MB_HEAD_mb2reloc := -DMB2 -DRELOC
MB_HEAD_mb2tag := -DMB2 -DREFUSE_TAG
MB_HEAD_mb2req := -DMB2 -DREFUSE_REQUEST
MB_COMMON_OBJS := $(patsubst $(KERNEL_DIR)/common/%.c,$(MB_OBJ)/common/%.o,$(MB_COMMON_SRCS))
MB_NEEDS := $(MB_COMMON_OBJS) $(MB_DIR)/linker.ld

$(KERNEL_OUT)/mb1.elf: $(MB_OBJ)/head-mb1.o $(MB_OBJ)/main-mb1.o $(MB_NEEDS)
$(KERNEL_OUT)/mb1-aout.elf: $(MB_OBJ)/head-mb1aout.o $(MB_OBJ)/main-mb1.o $(MB_NEEDS)
$(KERNEL_OUT)/mb2.elf: $(MB_OBJ)/head-mb2.o $(MB_OBJ)/main-mb2.o $(MB_NEEDS)
$(KERNEL_OUT)/mb12.elf: $(MB_OBJ)/head-mb12.o $(MB_OBJ)/main-mb12.o $(MB_NEEDS)
$(KERNEL_OUT)/mb2-refuse-tag.elf: $(MB_OBJ)/head-mb2tag.o $(MB_OBJ)/main-mb2.o $(MB_NEEDS)
$(KERNEL_OUT)/mb2-refuse-request.elf: $(MB_OBJ)/head-mb2req.o $(MB_OBJ)/main-mb2.o $(MB_NEEDS)
$(addprefix $(KERNEL_OUT)/,mb1.elf mb1-aout.elf mb2.elf mb12.elf mb2-refuse-tag.elf \
		mb2-refuse-request.elf):
	@echo "  LD      $@"
	$(Q)$(call MB_LINK,$@,0x100000)
$(KERNEL_OUT)/mb1-aout.bin: $(KERNEL_OUT)/mb1-aout.elf
	@echo "  OBJCOPY $@"
	$(Q)$(OBJCOPY) -O binary $< $@
$(KERNEL_OUT)/mb1-elf64.elf: $(KERNEL_OUT)/mb1.elf
	@echo "  OBJCOPY $@"
	$(Q)$(OBJCOPY) -O elf64-x86-64 --change-start 0xffffffff80000000 \
		$(foreach s,.text .rodata .data .bss,--change-section-vma '$(s)+0xffffffff80000000') \
		$< $@
$(KERNEL_OUT)/mb2-reloc.elf: $(MB_OBJ)/head-mb2reloc.o $(MB_OBJ)/main-mb2reloc.o $(MB_NEEDS)
	@echo "  LD      $@ (and at 0x1000000: the bytes must not differ)"
	$(Q)$(call MB_LINK,$@,0xc0000000)
	$(Q)$(call MB_LINK,$@.other,0x1000000)
	$(Q)$(OBJCOPY) -O binary $@ $@.bin && $(OBJCOPY) -O binary $@.other $@.other.bin
	$(Q)cmp -s $@.bin $@.other.bin || { echo "$@: not position-independent" >&2; rm -f $@; exit 1; }
	$(Q)rm -f $@.other $@.bin $@.other.bin

# The test modules: mod-SEED-SIZE.bin.
$(KERNEL_OUT)/mod-%.bin: $(KERNEL_DIR)/mkmodule.py
	@mkdir -p $(@D)
	$(Q)python3 $< $(word 1,$(subst -, ,$*)) $(word 2,$(subst -, ,$*)) $@
MB_MODULES := $(addprefix $(KERNEL_OUT)/,mod-1-5000.bin mod-2-70000.bin mod-3-16.bin \
	mod-4-4194321.bin)

MB_KERNELS := $(addprefix $(KERNEL_OUT)/,mb1.elf mb1-aout.bin mb1-elf64.elf mb2.elf mb12.elf \
	mb2-reloc.elf mb2-refuse-tag.elf mb2-refuse-request.elf)
MB_BAD := $(addprefix $(KERNEL_OUT)/bad-,mb1-badsum.bin mb1-aout-inconsistent.bin \
	mb1-aout-loader.bin)
kernels: $(MB_KERNELS) $(MB_MODULES) $(MB_BAD)
-include $(wildcard $(MB_OBJ)/*.d $(MB_OBJ)/common/*.d)
