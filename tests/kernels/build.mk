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
	bootcheck_paging.c bootcheck_frames.c bootcheck_fb.c)
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

-include $(DEMO64_OBJS:.o=.d) $(DEMO32_OBJS:.o=.d)

# The kernels' checks on the host, against hand-built boot infos (a checker that passes
# everything would make every QEMU run meaningless).
HOST_TESTS += test_bootcheck
test_bootcheck_SRCS := tests/kernels/host/test_bootcheck.c tests/support/fake_ram.c \
	$(filter-out %/kio.c,$(KERNEL_COMMON_SRCS))
