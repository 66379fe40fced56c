# stage2's low-memory step (stage2/memory.c) on the host: 4 KiB typing at any frame size and
# the check that the low memory stage2 uses is RAM. memory.c links the core it calls.
HOST_TESTS += test_memory_low
test_memory_low_SRCS := tests/host/test_memory_low.c stage2/memory.c stage2/core/memmap.c \
	stage2/core/memmap_sanitize.c stage2/core/frames.c stage2/core/frames_bits.c \
	stage2/core/frames_query.c stage2/core/heap.c stage2/core/memtest.c \
	stage2/core/e820_detect.c stage2/core/e820_fallback.c stage2/core/config.c \
	stage2/core/error.c
