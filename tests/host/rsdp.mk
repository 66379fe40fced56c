# tests/host/rsdp.mk: the ACPI RSDP search.
HOST_TESTS += test_rsdp
test_rsdp_SRCS := tests/host/test_rsdp.c $(CORE_RSDP_SRCS)
