# Memory-map core: hand-drawn cases, fixtures from real firmware, random-table properties.

HOST_TESTS += test_memmap
test_memmap_SRCS := tests/host/test_memmap.c $(CORE_MEMMAP_SRCS)

HOST_TESTS += test_memmap_props
test_memmap_props_SRCS := tests/host/test_memmap_props.c $(CORE_MEMMAP_SRCS)

# Fixtures are read with the inspector's reader (tools/e820), so both agree on the format.
HOST_TESTS += test_memmap_fixtures
test_memmap_fixtures_SRCS := tests/host/test_memmap_fixtures.c tests/support/testutil.c \
	$(CORE_MEMMAP_SRCS) \
	tools/e820/parse_fixture.c
