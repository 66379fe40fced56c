# libFuzzer harness for the long-mode page-table builder in a fake physical memory.
FUZZERS += fuzz_paging
fuzz_paging_SRCS := tests/fuzz/fuzz_paging.c stage2/core/paging.c
