# tests/qemu/build.mk: the QEMU boot tests (tests/qemu/boottest.py). The suites are listed
# once, in tests/qemu/suites.py (`python3 tests/qemu/boottest.py --list`). `make test` runs
# qemu-boot after the host tests: test_mapcheck.py and test_framecheck.py first show (no QEMU)
# that the map comparison rejects wrong maps (qemu-selftest.tap) and the screen check wrong
# screens (qemu-framecheck.tap), then one harness run of every suite, at
# most QEMU_JOBS QEMUs at a time, TAP in build/results/qemu-<suite>.tap.
#   make qemu-SUITE               one suite: make qemu-matrix, make qemu-lowlevel, ...
#   make qemu SUITES="bad usb"    some suites (all without SUITES)
#   QEMU_ONLY=regex               only the cases whose SUITE/CASE matches, e.g. QEMU_ONLY=pc-8G

QEMU_JOBS ?= 2
QEMU_ONLY ?=
SUITES ?=
QEMU_ROMS := $(patsubst tests/qemu/roms/%.asm,$(B)/tests/roms/%.rom,$(wildcard tests/qemu/roms/*.asm))
QEMU_NEEDS := $(B)/multios.img $(B)/e820 kernels $(B)/stage1.bin $(STAGE1_TEST_BINS) \
	$(B)/stage2-hello.bin $(STAGE2_BROKEN_BINS) $(B)/stage2-fault.bin $(QEMU_ROMS)
BOOTTEST := python3 tests/qemu/boottest.py --build $(B) --results $(B)/results \
	--work $(B)/qemu --jobs $(QEMU_JOBS) $(if $(QEMU_ONLY),--only '$(QEMU_ONLY)')

# Test option ROMs (runner.Machine(rom=...)): flat NASM, sealed (size, checksum).
$(B)/tests/roms/%.rom: tests/qemu/roms/%.asm tests/qemu/optionrom.py
	@mkdir -p $(@D)
	@echo "  NASM    $< (option ROM)"
	$(Q)$(NASM) -f bin -w+all -o $@.raw $<
	$(Q)python3 tests/qemu/optionrom.py $@.raw $@
	$(Q)rm -f $@.raw

QEMU_TESTS += qemu-boot
.PHONY: qemu-boot qemu qemu-prereqs

# Build what the boots need; if that fails, say so in the results instead of vanishing from
# the count, and let the harness report each case it cannot run.
qemu-prereqs:
	$(Q)mkdir -p $(B)/results
	$(Q)$(MAKE) --no-print-directory $(QEMU_NEEDS) || \
		echo "not ok - qemu-build: could not build $(QEMU_NEEDS)" > $(B)/results/qemu-build.tap

qemu-boot: qemu-prereqs
	$(Q)python3 tests/qemu/test_mapcheck.py $(B)/e820 $(B)/results
	$(Q)python3 tests/qemu/test_framecheck.py $(B)/results
	$(Q)$(BOOTTEST)
qemu: qemu-prereqs
	$(Q)$(BOOTTEST) $(SUITES)
qemu-%: qemu-prereqs
	$(Q)$(BOOTTEST) $*
