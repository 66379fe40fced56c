# Fixed-size pools carved from the boot heap.
HOST_TESTS += test_pool
test_pool_SRCS := tests/host/test_pool.c $(CORE_POOL_SRCS)
