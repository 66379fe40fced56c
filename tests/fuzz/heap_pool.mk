# libFuzzer harness for the boot heap and the block pools carved from it.
FUZZERS += fuzz_heap_pool
fuzz_heap_pool_SRCS := tests/fuzz/fuzz_heap_pool.c $(CORE_POOL_SRCS)
