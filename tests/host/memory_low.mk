# stage2's low-memory step (stage2/memory.c) on the host: 4 KiB typing at any frame size and
# the check that the low memory stage2 uses is RAM. memory.c links the core it calls.
HOST_TESTS += test_memory_low
test_memory_low_SRCS := tests/host/test_memory_low.c stage2/memory.c $(CORE_HEAP_SRCS) \
	$(CORE_MEMTEST_SRCS) $(CORE_ERROR_SRCS) $(STAGE2_BIOS_E820_SRCS)
