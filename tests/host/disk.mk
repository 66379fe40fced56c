# tests/host/disk.mk: the INT 13h protocol (stage2/bios/int13.c) against the scripted fake BIOS
# with a simulated disk (tests/support/sim_bios.c, sim_disk.c).
HOST_TESTS += test_disk
test_disk_SRCS := tests/host/test_disk.c tests/support/sim_bios.c tests/support/sim_disk.c \
	$(STAGE2_BIOS_INT13_SRCS)
