# E820 detection loop and fallbacks against simulated BIOSes (tests/support/sim_bios.c).
HOST_TESTS += test_e820_detect
test_e820_detect_SRCS := tests/host/test_e820_detect.c tests/support/sim_bios.c tests/support/testutil.c \
	$(STAGE2_BIOS_E820_SRCS)
