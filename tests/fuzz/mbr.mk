# libFuzzer harness for the MBR partition-table parser.
FUZZERS += fuzz_mbr
fuzz_mbr_SRCS := tests/fuzz/fuzz_mbr.c $(CORE_MBR_SRCS)
