HOST_TESTS += test_format
test_format_SRCS := tests/host/test_format.c $(CORE_FORMAT_SRCS)
