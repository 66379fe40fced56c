HOST_TESTS += test_format
test_format_SRCS := tests/host/test_format.c stage2/core/format.c
