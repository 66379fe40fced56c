# INT 12h against the scripted BIOS (tests/support/sim_bios.c); the BDA words and the RSDP
# search against a fake first MiB.
HOST_TESTS += test_bios_low
test_bios_low_SRCS := tests/host/test_bios_low.c tests/support/sim_bios.c $(STAGE2_BIOS_LOW_SRCS)
