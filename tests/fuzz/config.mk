# libFuzzer harness for the /boot/multios.cfg parser.
FUZZERS += fuzz_config
fuzz_config_SRCS := tests/fuzz/fuzz_config.c $(CORE_CONFIG_SRCS)
