# Memory test on simulated RAM with injected faults.
HOST_TESTS += test_memtest
test_memtest_SRCS := tests/host/test_memtest.c stage2/core/memtest.c stage2/core/frames.c \
	stage2/core/frames_bits.c stage2/core/frames_query.c stage2/core/memmap.c \
	stage2/core/memmap_sanitize.c
