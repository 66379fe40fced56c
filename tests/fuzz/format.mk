# libFuzzer harness for the printf engine (stage2's console formatting).
FUZZERS += fuzz_format
fuzz_format_SRCS := tests/fuzz/fuzz_format.c $(CORE_FORMAT_SRCS)
