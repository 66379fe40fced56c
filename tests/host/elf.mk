# tests/host/elf.mk: ELF validator/placement/loader tests, and the real kernels they read
# (linked from tests/fixtures/elf/ with the host gcc: -m64 and -m32, -nostdlib -static).
HOST_TESTS += test_elf
test_elf_SRCS := tests/host/test_elf.c tests/support/testutil.c tests/support/fake_ram.c \
	$(CORE_ELF_SRCS)

ELF_FIXTURE_DIR := $(B)/fixtures/elf
ELF_FIXTURES := $(ELF_FIXTURE_DIR)/kernel64.elf $(ELF_FIXTURE_DIR)/kernel32.elf \
	$(ELF_FIXTURE_DIR)/shared64.elf
ELF_FIXTURE_CFLAGS := -ffreestanding -fno-pic -fno-pie -no-pie -nostdlib -static -O2 \
	-fno-asynchronous-unwind-tables -fno-stack-protector -Wl,--build-id=none $(WARN)
ELF_FIXTURE_64 := -m64 -mcmodel=kernel -mno-red-zone

$(ELF_FIXTURE_DIR)/kernel64.elf: tests/fixtures/elf/kernel.c tests/fixtures/elf/kernel64.ld
	@mkdir -p $(@D)
	@echo "  ELF     $@"
	$(Q)$(HOSTCC) $(ELF_FIXTURE_64) $(ELF_FIXTURE_CFLAGS) -Wl,-T,tests/fixtures/elf/kernel64.ld -o $@ $<
$(ELF_FIXTURE_DIR)/shared64.elf: tests/fixtures/elf/kernel.c tests/fixtures/elf/shared64.ld
	@mkdir -p $(@D)
	@echo "  ELF     $@"
	$(Q)$(HOSTCC) $(ELF_FIXTURE_64) $(ELF_FIXTURE_CFLAGS) -Wl,-T,tests/fixtures/elf/shared64.ld -o $@ $<
$(ELF_FIXTURE_DIR)/kernel32.elf: tests/fixtures/elf/kernel.c tests/fixtures/elf/kernel32.ld
	@mkdir -p $(@D)
	@echo "  ELF     $@"
	$(Q)$(HOSTCC) -m32 $(ELF_FIXTURE_CFLAGS) -Wl,-T,tests/fixtures/elf/kernel32.ld -o $@ $<

# Order-only: the fixtures are data the test reads at run time, not link inputs.
$(B)/tests/test_elf $(B)/tests-san/test_elf: | $(ELF_FIXTURES)

# Placement against a real memory map and frame allocator.
HOST_TESTS += test_elf_place
test_elf_place_SRCS := tests/host/test_elf_place.c tests/support/fake_ram.c \
	tests/support/fake_storage.c $(CORE_ELF_PLACE_SRCS)
$(B)/tests/test_elf_place $(B)/tests-san/test_elf_place: | $(ELF_FIXTURES)
