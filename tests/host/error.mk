HOST_TESTS += test_error
test_error_SRCS := tests/host/test_error.c $(CORE_ERROR_SRCS)
