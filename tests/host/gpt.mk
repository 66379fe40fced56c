# tests/host/gpt.mk: the GUID partition table (core/gpt.c) and its CRC-32 (core/crc32.c):
# hand-built tables, every rejection rule, and sectors sfdisk wrote (tests/fixtures/gpt).
HOST_TESTS += test_gpt
test_gpt_SRCS := tests/host/test_gpt.c tests/support/testutil.c $(CORE_GPT_SRCS) $(CORE_MBR_SRCS)
# libFuzzer harness for the GPT header checks and the entry scan.
FUZZERS += fuzz_gpt
fuzz_gpt_SRCS := tests/fuzz/fuzz_gpt.c $(CORE_GPT_SRCS)
