# libFuzzer harness for the /boot/multios.cfg parser.
FUZZERS += fuzz_config
fuzz_config_SRCS := tests/fuzz/fuzz_config.c stage2/core/config_parse.c stage2/core/config.c
