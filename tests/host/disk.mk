# tests/host/disk.mk: stage2's INT 13h reader against simulated BIOS disks.
HOST_TESTS += test_disk
test_disk_SRCS := tests/host/test_disk.c stage2/disk.c $(CORE_ERROR_SRCS)
