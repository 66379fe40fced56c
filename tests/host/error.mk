HOST_TESTS += test_error
test_error_SRCS := tests/host/test_error.c stage2/core/error.c
