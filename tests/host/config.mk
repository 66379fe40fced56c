# The boot configuration struct: defaults and validation.
HOST_TESTS += test_config
test_config_SRCS := tests/host/test_config.c stage2/core/config.c
