# The boot configuration: the struct's defaults and validation, and the /boot/multios.cfg
# parser.
HOST_TESTS += test_config test_config_parse
test_config_SRCS := tests/host/test_config.c $(CORE_CONFIG_SRCS)
test_config_parse_SRCS := tests/host/test_config_parse.c $(CORE_CONFIG_SRCS)
