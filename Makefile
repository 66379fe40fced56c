# MultiOS bootloader: one non-recursive Makefile. Each module adds to the lists below from its
# own fragment (stage1/build.mk, tests/host/*.mk, ...); the rules that build them live here.
# The pure core's source sets are defined once, in core/core.mk.
#
#   make            stage1, stage2, disk image, host tools
#   make run        build the image and boot it in QEMU (serial on this terminal)
#   make test       every test: host unit tests (plain and ASan+UBSan), QEMU boot tests
#   make bench      benchmarks, one "name: value unit" line each
#   make fuzz       libFuzzer harnesses, FUZZ_SECONDS each (default 60)
#   V=1             show the commands

.DELETE_ON_ERROR:
.SUFFIXES:
.SECONDEXPANSION:

V ?= 0
Q := $(if $(filter 1,$(V)),,@)
B := build

NASM ?= nasm
HOSTCC ?= gcc
TARGETCC ?= gcc
CLANG ?= clang
LD := ld
OBJCOPY := objcopy
OBJDUMP := objdump

WARN := -Wall -Wextra -Werror
# The layers, enforced by the include path: core/ sees only itself and the public headers,
# stage2/bios/ (the BIOS protocols) sees the core but not stage2, everything else sees all.
CORE_INC := -Iinclude -Icore
BIOS_INC := $(CORE_INC) -Istage2/bios
APP_INC := $(BIOS_INC) -Istage2
# Tests, fuzzers and their helpers also see what they share: tests/support/.
TEST_INC := $(APP_INC) -Itests/support
inc_for = $(if $(filter core/%,$(1)),$(CORE_INC),$(if $(filter stage2/bios/%,$(1)),$(BIOS_INC),$(if $(filter tests/%,$(1)),$(TEST_INC),$(APP_INC))))
# Freestanding 32-bit code for stage2 (and the same core files built for the host below).
TARGET_CFLAGS := -std=c11 -m32 -march=i686 -ffreestanding -fno-pic -fno-pie \
	-fno-stack-protector -mno-sse -mno-mmx -mno-80387 -Os -ffunction-sections \
	-fdata-sections -fno-asynchronous-unwind-tables -fno-omit-frame-pointer \
	$(WARN) -MMD -MP
HOST_CFLAGS := -std=c11 -O2 -g $(WARN) -D_DEFAULT_SOURCE -MMD -MP
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
CMOCKA_LIBS := -lcmocka
FUZZ_SECONDS ?= 60

# Lists the fragments fill in.
HOST_TESTS :=     # name; name_SRCS := test file + exact production sources
FUZZERS :=        # name; name_SRCS, name_LIBS (extra libraries, e.g. -lz)
BENCHES :=        # name; name_SRCS, name_LIBS
TOOLS :=          # name; name_SRCS  -> build/name
QEMU_TESTS :=     # phony targets run by make test after the host tests
ALL_TARGETS :=    # extra things `make` builds (stage1, stage2, image)

include core/core.mk
include stage2/layout.mk
include stage1/build.mk
include stage2/build.mk
include tests/kernels/build.mk
include $(sort $(wildcard tools/*.mk))
include $(sort $(wildcard tests/host/*.mk))
include $(sort $(wildcard tests/fuzz/*.mk))
include $(sort $(wildcard bench/*.mk))
include tests/qemu/build.mk

.PHONY: all test host-test run-host-tests bench fuzz clean run image
.DEFAULT_GOAL := all
all: $(ALL_TARGETS) $(addprefix $(B)/,$(TOOLS))

# ---- host programs -------------------------------------------------------------------------
# $(1): output, $(2): sources, $(3): extra flags, $(4): libs, $(5): object dir, $(6): linker
define host_prog
$(1): $(patsubst %.c,$(5)/%.o,$(sort $(2)))
	@mkdir -p $$(@D)
	@echo "  LD      $$@"
	$(Q)$(or $(6),$(HOSTCC)) $(3) -o $$@ $$^ $(4) -lm
-include $(patsubst %.c,$(5)/%.d,$(sort $(2)))
endef

$(B)/host/%.o: %.c
	@mkdir -p $(@D)
	@echo "  HOSTCC  $<"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(call inc_for,$<) -c -o $@ $<
$(B)/host-san/%.o: %.c
	@mkdir -p $(@D)
	@echo "  HOSTCC  $< (asan+ubsan)"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(call inc_for,$<) $(SAN_FLAGS) -c -o $@ $<
$(B)/fuzz-obj/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CLANG   $< (fuzz)"
	$(Q)$(CLANG) -std=c11 $(WARN) $(call inc_for,$<) -D_DEFAULT_SOURCE -MMD -MP $(FUZZ_FLAGS) -c -o $@ $<
$(B)/bench-obj/%.o: %.c
	@mkdir -p $(@D)
	@echo "  HOSTCC  $< (bench)"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(call inc_for,$<) -O2 -DNDEBUG -c -o $@ $<

$(foreach t,$(HOST_TESTS),$(eval $(call host_prog,$(B)/tests/$(t),$($(t)_SRCS),,$(CMOCKA_LIBS),$(B)/host)))
$(foreach t,$(HOST_TESTS),$(eval $(call host_prog,$(B)/tests-san/$(t),$($(t)_SRCS),$(SAN_FLAGS),$(CMOCKA_LIBS),$(B)/host-san)))
$(foreach t,$(TOOLS),$(eval $(call host_prog,$(B)/$(t),$($(t)_SRCS),,,$(B)/host)))
$(foreach t,$(BENCHES),$(eval $(call host_prog,$(B)/bench/$(t),$($(t)_SRCS),,$($(t)_LIBS),$(B)/bench-obj)))
$(foreach t,$(FUZZERS),$(eval $(call host_prog,$(B)/fuzz/$(t),$($(t)_SRCS),$(FUZZ_FLAGS),$($(t)_LIBS),$(B)/fuzz-obj,$(CLANG))))

# ---- tests ---------------------------------------------------------------------------------
HOST_TEST_BINS := $(addprefix $(B)/tests/,$(HOST_TESTS)) $(addprefix $(B)/tests-san/,$(HOST_TESTS))

# Every test result is a TAP file under build/results/; tests/summary prints the last line.
test:
	$(Q)rm -rf $(B)/results && mkdir -p $(B)/results
	$(Q)$(MAKE) --no-print-directory -k $(HOST_TEST_BINS) $(addprefix $(B)/,$(TOOLS)) || \
		echo "not ok - build: host tests or tools failed to build" >> $(B)/results/build.tap
	$(Q)$(MAKE) --no-print-directory run-host-tests
	$(Q)for q in $(QEMU_TESTS); do $(MAKE) --no-print-directory $$q || \
		echo "not ok - $$q: exited with status $$?" >> $(B)/results/harness.tap; done
	$(Q)tests/summary $(B)/results

# A test that did not build still counts, as a failure.
run-host-tests:
	$(Q)mkdir -p $(B)/results
	$(Q)for t in $(HOST_TEST_BINS); do \
		if [ -x "$$t" ]; then tests/run-tap "$$t" $(B)/results || true; \
		else echo "not ok - $$t: did not build" >> $(B)/results/build.tap; fi; done

host-test: $(HOST_TEST_BINS) $(addprefix $(B)/,$(TOOLS))
	$(Q)$(MAKE) --no-print-directory run-host-tests

bench: $(addprefix $(B)/bench/,$(BENCHES))
	$(Q)for b in $^; do "$$b" || exit 1; done

fuzz: $(addprefix $(B)/fuzz/,$(FUZZERS))
	$(Q)for f in $^; do mkdir -p $(B)/corpus/$$(basename $$f); \
		echo "== $$f ($(FUZZ_SECONDS)s)"; \
		mkdir -p $(B)/fuzz-crash; \
		"$$f" -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			-artifact_prefix=$(B)/fuzz-crash/ $(B)/corpus/$$(basename $$f) || exit 1; done

clean:
	rm -rf $(B)
