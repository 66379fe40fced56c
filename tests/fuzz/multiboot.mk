# libFuzzer harness for the Multiboot core: the header parsers, the map, both information
# builders (tests/fuzz/fuzz_multiboot.c).
FUZZERS += fuzz_multiboot
fuzz_multiboot_SRCS := tests/fuzz/fuzz_multiboot.c $(CORE_MULTIBOOT_SRCS)

# Seeds: the Multiboot test kernels (both header versions, the a.out fields, the relocatable
# tag), so the fuzzer starts from valid headers and checksums.
$(B)/corpus/fuzz_multiboot/.seeded: $(MB_KERNELS)
	@mkdir -p $(@D)
	$(Q)cp $^ $(@D)/ && touch $@
$(B)/fuzz/fuzz_multiboot: | $(B)/corpus/fuzz_multiboot/.seeded
