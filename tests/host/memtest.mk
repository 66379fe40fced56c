# Memory test on simulated RAM with injected faults.
HOST_TESTS += test_memtest
test_memtest_SRCS := tests/host/test_memtest.c tests/support/fake_storage.c $(CORE_MEMTEST_SRCS)
