# Boot heap: bump allocation, placement through the frame bitmap, debug records.
HOST_TESTS += test_heap
test_heap_SRCS := tests/host/test_heap.c stage2/core/heap.c stage2/core/config.c \
	stage2/core/frames.c stage2/core/frames_bits.c stage2/core/frames_query.c \
	stage2/core/memmap.c stage2/core/memmap_sanitize.c
