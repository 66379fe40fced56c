# Boot heap: bump allocation, placement through the frame bitmap, debug records.
HOST_TESTS += test_heap
test_heap_SRCS := tests/host/test_heap.c tests/support/fake_storage.c $(CORE_HEAP_SRCS)
