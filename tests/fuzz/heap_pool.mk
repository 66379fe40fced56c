# libFuzzer harness for the boot heap and the block pools carved from it.
FUZZERS += fuzz_heap_pool
fuzz_heap_pool_SRCS := tests/fuzz/fuzz_heap_pool.c stage2/core/heap.c stage2/core/pool.c \
	stage2/core/config.c stage2/core/frames.c stage2/core/frames_bits.c \
	stage2/core/frames_query.c stage2/core/memmap.c stage2/core/memmap_sanitize.c
