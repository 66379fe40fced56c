# libFuzzer harness for the ELF validator, placement and loader (tests/fuzz/fuzz_elf.c).
# Seeds: the linked test kernels from tests/host/elf.mk.
FUZZERS += fuzz_elf
# FRAMES_CORE_SRCS: frames + memmap sources, from tests/host/frames.mk.
fuzz_elf_SRCS := tests/fuzz/fuzz_elf.c stage2/core/elf.c stage2/core/elf_place.c \
	stage2/core/elf_load.c stage2/core/error.c $(FRAMES_CORE_SRCS)

$(B)/corpus/fuzz_elf/.seeded: $(ELF_FIXTURES)
	@mkdir -p $(@D)
	$(Q)cp $^ $(@D)/ && touch $@
$(B)/fuzz/fuzz_elf: | $(B)/corpus/fuzz_elf/.seeded
