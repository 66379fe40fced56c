# The boot configuration: the struct's defaults and validation, and the /boot/multios.cfg
# parser.
HOST_TESTS += test_config test_config_parse
test_config_SRCS := tests/host/test_config.c stage2/core/config.c
test_config_parse_SRCS := tests/host/test_config_parse.c stage2/core/config_parse.c \
	stage2/core/config.c
