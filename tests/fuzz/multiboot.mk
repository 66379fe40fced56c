# libFuzzer harness for the Multiboot core: the header parsers, the map, both information
# builders (tests/fuzz/fuzz_multiboot.c).
FUZZERS += fuzz_multiboot
fuzz_multiboot_SRCS := tests/fuzz/fuzz_multiboot.c $(CORE_MULTIBOOT_SRCS)
