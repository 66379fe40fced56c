# The low-memory policy (core/lowmem.c) with stage2's parameters: 4 KiB typing at any frame
# size, the check that the low memory stage2 uses is RAM, conventional memory held and
# released.
HOST_TESTS += test_memory_low
test_memory_low_SRCS := tests/host/test_memory_low.c $(CORE_LOWMEM_SRCS)
