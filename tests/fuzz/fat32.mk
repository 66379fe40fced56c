# libFuzzer harness for the FAT32 reader (tests/fuzz/fuzz_fat32.c). Seeds: small hand-laid
# volumes written by the same file built as a program (-DFUZZ_FAT32_SEED_MAIN).
FUZZERS += fuzz_fat32
fuzz_fat32_SRCS := tests/fuzz/fuzz_fat32.c $(CORE_FAT32_SRCS)

$(B)/fuzz-seed/fat32_seed: tests/fuzz/fuzz_fat32.c $(CORE_FAT32_SRCS) core/fat32.h \
		tests/support/fuzz_check.h
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(filter-out -MMD -MP,$(HOST_CFLAGS)) $(TEST_INC) -DFUZZ_FAT32_SEED_MAIN \
		-o $@ $(filter %.c,$^)
$(B)/corpus/fuzz_fat32/.seeded: $(B)/fuzz-seed/fat32_seed
	@mkdir -p $(@D)
	$(Q)$< $(@D) && touch $@
$(B)/fuzz/fuzz_fat32: | $(B)/corpus/fuzz_fat32/.seeded
