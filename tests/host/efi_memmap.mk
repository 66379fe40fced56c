# The core's UEFI memory map (core/efi_memmap*.c): descriptor stepping, ranges, Linux's type
# rules, hostile maps through the sanitizer, the efi=debug line format.
HOST_TESTS += test_efi_memmap
test_efi_memmap_SRCS := tests/host/test_efi_memmap.c $(CORE_EFI_MEMMAP_SRCS)
