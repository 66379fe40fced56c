# tests/qemu/build.mk: the QEMU boot tests (tests/qemu/boottest.py). `make test` runs
# qemu-boot after the host tests: test_mapcheck.py first shows (no QEMU) that the map
# comparison rejects wrong maps (qemu-selftest.tap), then one harness run, at most QEMU_JOBS
# QEMUs at a time, TAP in build/results/qemu-<suite>.tap for the suites matrix, demo32, reloc,
# lowram, bad, blkdebug, chs, usb and config. qemu-matrix, qemu-demo32, qemu-bad and qemu-devices
# (blkdebug, chs, usb) run by hand (QEMU_ONLY=regex narrows further, e.g. QEMU_ONLY='pc-8G').

QEMU_JOBS ?= 2
QEMU_ONLY ?=
QEMU_NEEDS := $(B)/multios.img $(B)/e820 kernels $(B)/stage1-chs.bin $(B)/stage2-chs.bin \
	$(B)/stage2-fault.bin
BOOTTEST := python3 tests/qemu/boottest.py --image $(B)/multios.img --kernels $(B)/kernels \
	--e820 $(B)/e820 --results $(B)/results --work $(B)/qemu --jobs $(QEMU_JOBS) \
	$(if $(QEMU_ONLY),--only '$(QEMU_ONLY)')

QEMU_TESTS += qemu-boot
.PHONY: qemu-boot qemu-matrix qemu-demo32 qemu-bad qemu-devices qemu-config qemu-prereqs

# Build what the boots need; if that fails, say so in the results instead of vanishing from
# the count, and let the harness report each case it cannot run.
qemu-prereqs:
	$(Q)mkdir -p $(B)/results
	$(Q)$(MAKE) --no-print-directory $(QEMU_NEEDS) || \
		echo "not ok - qemu-build: could not build $(QEMU_NEEDS)" > $(B)/results/qemu-build.tap

qemu-boot: qemu-prereqs
	$(Q)python3 tests/qemu/test_mapcheck.py $(B)/e820 $(B)/results
	$(Q)$(BOOTTEST) matrix demo32 reloc lowram bad blkdebug chs usb config
qemu-matrix: qemu-prereqs
	$(Q)$(BOOTTEST) matrix
qemu-demo32: qemu-prereqs
	$(Q)$(BOOTTEST) demo32
qemu-bad: qemu-prereqs
	$(Q)$(BOOTTEST) bad
qemu-devices: qemu-prereqs
	$(Q)$(BOOTTEST) blkdebug chs usb
qemu-config: qemu-prereqs
	$(Q)$(BOOTTEST) config
