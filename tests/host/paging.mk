# Long-mode page-table builder and the stage2 plan, in a fake physical memory.
HOST_TESTS += test_paging
test_paging_SRCS := tests/host/test_paging.c tests/support/fake_tables.c $(CORE_PAGING_SRCS)

# The stage2 pipeline on SeaBIOS tables: e820_detect -> memmap_sanitize -> write-backs ->
# paging plan, with page-table frames written back into the map while the plan runs.
HOST_TESTS += test_boot_map
test_boot_map_SRCS := tests/host/test_boot_map.c tests/support/sim_bios.c tests/support/testutil.c \
	tests/support/fake_tables.c \
	$(STAGE2_BIOS_E820_SRCS) $(CORE_PAGING_SRCS) $(CORE_MEMMAP_SRCS)
