# Host tests of the E820 inspector (tools/e820): one test file per reader, plus end-to-end.
HOST_TESTS += test_inspector_fixture
test_inspector_fixture_SRCS := tests/host/test_inspector_fixture.c tools/e820/parse_fixture.c
HOST_TESTS += test_inspector_seabios
test_inspector_seabios_SRCS := tests/host/test_inspector_seabios.c tests/support/testutil.c tools/e820/parse_seabios.c
HOST_TESTS += test_inspector_dmesg
test_inspector_dmesg_SRCS := tests/host/test_inspector_dmesg.c tests/support/testutil.c tools/e820/parse_dmesg.c
HOST_TESTS += test_inspector_sysfs
test_inspector_sysfs_SRCS := tests/host/test_inspector_sysfs.c tests/support/testutil.c tools/e820/parse_sysfs.c
HOST_TESTS += test_inspector_detect
test_inspector_detect_SRCS := tests/host/test_inspector_detect.c tests/support/testutil.c tools/e820/parse_detect.c \
	tools/e820/parse_fixture.c tools/e820/parse_dmesg.c tools/e820/parse_seabios.c \
	$(E820_EFI_READER_SRCS)
# Runs build/e820 itself (make test builds the tools before running the tests).
HOST_TESTS += test_inspector_e2e
test_inspector_e2e_SRCS := tests/host/test_inspector_e2e.c tests/support/testutil.c tools/e820/parse_fixture.c
HOST_TESTS += test_inspector_output
test_inspector_output_SRCS := tests/host/test_inspector_output.c tools/e820/output_totals.c \
	tools/e820/output_picture.c
# The UEFI readers (Linux efi=debug lines, UEFI Shell memmap) with the core they convert
# through, and the readers of the E820 forms they are compared with.
HOST_TESTS += test_inspector_efi_dmesg
test_inspector_efi_dmesg_SRCS := tests/host/test_inspector_efi_dmesg.c tests/support/testutil.c \
	tests/support/efi_check.c \
	tools/e820/parse_detect.c tools/e820/parse_fixture.c tools/e820/parse_dmesg.c \
	tools/e820/parse_seabios.c $(E820_EFI_READER_SRCS)
HOST_TESTS += test_inspector_efi_shell
test_inspector_efi_shell_SRCS := tests/host/test_inspector_efi_shell.c tests/support/testutil.c \
	tests/support/efi_check.c \
	tools/e820/parse_detect.c tools/e820/parse_fixture.c tools/e820/parse_dmesg.c \
	tools/e820/parse_seabios.c $(E820_EFI_READER_SRCS)
# Runs build/e820 on UEFI maps.
HOST_TESTS += test_inspector_efi_e2e
test_inspector_efi_e2e_SRCS := tests/host/test_inspector_efi_e2e.c tests/support/testutil.c
