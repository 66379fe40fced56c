# libFuzzer harness for the FAT32 reader (tests/fuzz/fuzz_fat32.c). Seeds: small hand-laid
# volumes written by the same file built as a program (-DFUZZ_FAT32_SEED_MAIN).
FUZZERS += fuzz_fat32
FAT32_CORE_SRCS := stage2/core/fat32.c stage2/core/fat32_dir.c stage2/core/error.c
fuzz_fat32_SRCS := tests/fuzz/fuzz_fat32.c $(FAT32_CORE_SRCS)

$(B)/fuzz-seed/fat32_seed: tests/fuzz/fuzz_fat32.c $(FAT32_CORE_SRCS) include/fat32.h
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(filter-out -MMD -MP,$(HOST_CFLAGS)) -DFUZZ_FAT32_SEED_MAIN -o $@ \
		$(filter %.c,$^)
$(B)/corpus/fuzz_fat32/.seeded: $(B)/fuzz-seed/fat32_seed
	@mkdir -p $(@D)
	$(Q)$< $(@D) && touch $@
$(B)/fuzz/fuzz_fat32: | $(B)/corpus/fuzz_fat32/.seeded
