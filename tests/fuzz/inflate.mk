# libFuzzer harness for the DEFLATE decoder and gzip container against zlib
# (tests/fuzz/fuzz_inflate.c, linked with -lz). Seeds: the small gzip test vectors
# (tests/host/gzip.mk), as gzip files and as raw deflate data.
FUZZERS += fuzz_inflate
fuzz_inflate_SRCS := tests/fuzz/fuzz_inflate.c $(CORE_GZIP_SRCS)
fuzz_inflate_LIBS := -lz

$(B)/fuzz-seed/inflate_seed: tests/fuzz/fuzz_inflate.c $(CORE_GZIP_SRCS) core/gzip.h \
		core/inflate.h core/crc32.h tests/support/fuzz_check.h
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)$(HOSTCC) $(filter-out -MMD -MP,$(HOST_CFLAGS)) $(TEST_INC) -DFUZZ_INFLATE_SEED_MAIN \
		-o $@ $(filter %.c,$^)
$(B)/corpus/fuzz_inflate/.seeded: $(B)/fuzz-seed/inflate_seed $(GZIP_FIX)/stamp
	@mkdir -p $(@D)
	$(Q)$< $(@D) $(GZIP_FIX)/*.gz && touch $@
$(B)/fuzz/fuzz_inflate: | $(B)/corpus/fuzz_inflate/.seeded
