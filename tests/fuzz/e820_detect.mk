# libFuzzer harness for the E820 loop and its fallbacks against a BIOS scripted by the input.
FUZZERS += fuzz_e820_detect
fuzz_e820_detect_SRCS := tests/fuzz/fuzz_e820_detect.c $(STAGE2_BIOS_E820_SRCS)
