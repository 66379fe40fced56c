# tests/host/disk.mk: the INT 13h protocol (stage2/bios/int13.c) against simulated BIOS disks.
HOST_TESTS += test_disk
test_disk_SRCS := tests/host/test_disk.c $(STAGE2_BIOS_INT13_SRCS)
