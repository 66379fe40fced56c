# Memory-map core: hand-drawn cases, fixtures from real firmware, random-table properties.
MEMMAP_CORE_SRCS := stage2/core/memmap.c stage2/core/memmap_sanitize.c

HOST_TESTS += test_memmap
test_memmap_SRCS := tests/host/test_memmap.c $(MEMMAP_CORE_SRCS)

HOST_TESTS += test_memmap_props
test_memmap_props_SRCS := tests/host/test_memmap_props.c $(MEMMAP_CORE_SRCS)

# Fixtures are read with the inspector's reader (tools/e820), so both agree on the format.
HOST_TESTS += test_memmap_fixtures
test_memmap_fixtures_SRCS := tests/host/test_memmap_fixtures.c tests/host/testutil.c \
	$(MEMMAP_CORE_SRCS) \
	tools/e820/parse_fixture.c
