# Fixed-size pools carved from the boot heap.
HOST_TESTS += test_pool
test_pool_SRCS := tests/host/test_pool.c stage2/core/pool.c stage2/core/heap.c \
	stage2/core/config.c stage2/core/frames.c stage2/core/frames_bits.c \
	stage2/core/frames_query.c stage2/core/memmap.c stage2/core/memmap_sanitize.c
