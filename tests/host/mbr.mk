# MBR partition table parser.
HOST_TESTS += test_mbr
test_mbr_SRCS := tests/host/test_mbr.c $(CORE_MBR_SRCS)
