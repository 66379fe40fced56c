# libFuzzer harness for the memory-map core (sanitize, type_at, set_type).
FUZZERS += fuzz_memmap
fuzz_memmap_SRCS := tests/fuzz/fuzz_memmap.c $(CORE_MEMMAP_SRCS)
