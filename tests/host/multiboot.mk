# tests/host/multiboot.mk: the Multiboot core (headers, placement, the map, both information
# structures) against hand-made headers and maps.
HOST_TESTS += test_multiboot
test_multiboot_SRCS := tests/host/test_multiboot.c tests/support/fake_storage.c \
	$(CORE_MULTIBOOT_SRCS)
