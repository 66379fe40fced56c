# libFuzzer harness for the ELF validator, placement and loader (tests/fuzz/fuzz_elf.c).
# Seeds: the linked test kernels from tests/host/elf.mk.
FUZZERS += fuzz_elf
fuzz_elf_SRCS := tests/fuzz/fuzz_elf.c tests/support/fake_ram.c $(CORE_ELF_PLACE_SRCS)

$(B)/corpus/fuzz_elf/.seeded: $(ELF_FIXTURES)
	@mkdir -p $(@D)
	$(Q)cp $^ $(@D)/ && touch $@
$(B)/fuzz/fuzz_elf: | $(B)/corpus/fuzz_elf/.seeded
