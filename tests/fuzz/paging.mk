# libFuzzer harness for the long-mode page-table builder in a fake physical memory.
FUZZERS += fuzz_paging
fuzz_paging_SRCS := tests/fuzz/fuzz_paging.c tests/support/fake_tables.c $(CORE_PAGING_SRCS)

# The stage2 plan (identity, HHDM, kernel segments) on maps drawn by the input.
FUZZERS += fuzz_paging_plan
fuzz_paging_plan_SRCS := tests/fuzz/fuzz_paging_plan.c tests/support/fake_tables.c \
	$(CORE_PAGING_SRCS) $(CORE_MEMMAP_SRCS)
