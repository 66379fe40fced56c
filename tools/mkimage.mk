# tools/mkimage.mk: the disk image and `make run`.
#   make image [KERNEL=path/to/kernel.elf]   build/multios.img around any kernel
#   make run   [KERNEL=...]                  boot it headless, serial on this terminal;
#                                            exit 33 from isa-debug-exit (pass) -> 0
#   IMAGE_CONFIG=file                        also install it as /boot/multios.cfg
#   IMAGE_FILES="a b ..."                    also install each as /boot/<its name> (modules,
#                                            other kernels); the image grows to hold them
#   IMAGE_LABEL=gpt                          a GPT disk (stage2 in a BIOS-boot partition;
#                                            needs sfdisk) instead of an MBR one
#   QEMU_RUN_FLAGS="-m 1G -smp 4"            extra QEMU options for make run

KERNEL ?= $(B)/kernels/demo64.elf
IMAGE := $(B)/multios.img
IMAGE_SIZE_MIB ?= 64
IMAGE_CONFIG ?=
IMAGE_FILES ?=
IMAGE_LABEL ?= mbr
QEMU ?= qemu-system-x86_64
QEMU_RUN_FLAGS ?=

# The image only when there is a kernel to put in it (tests/kernels/build.mk builds it).
ALL_TARGETS += $(if $(wildcard tests/kernels/build.mk),$(IMAGE))

# Rebuild the image when KERNEL or IMAGE_CONFIG names another file, not only when a file
# changes.
IMAGE_INPUTS := $(abspath $(KERNEL)) $(if $(IMAGE_CONFIG),$(abspath $(IMAGE_CONFIG))) $(IMAGE_SIZE_MIB) \
	$(IMAGE_LABEL) $(abspath $(IMAGE_FILES))
$(B)/multios.inputs: FORCE
	@mkdir -p $(@D)
	@echo '$(IMAGE_INPUTS)' | cmp -s - $@ || echo '$(IMAGE_INPUTS)' > $@

$(IMAGE): $(STAGE1_BIN) $(STAGE2_BIN) $(KERNEL) $(IMAGE_CONFIG) $(IMAGE_FILES) $(B)/multios.inputs \
		tools/mkimage.py tools/layout_inc.py $(LAYOUT_INC)
	@echo "  MKIMAGE $@ ($(KERNEL))"
	$(Q)python3 tools/mkimage.py --stage1 $(STAGE1_BIN) --stage2 $(STAGE2_BIN) \
		--kernel $(KERNEL) --size-mib $(IMAGE_SIZE_MIB) --out $@ --layout $(LAYOUT_INC) \
		--label $(IMAGE_LABEL) $(if $(IMAGE_CONFIG),--config $(IMAGE_CONFIG)) \
		$(foreach f,$(IMAGE_FILES),--file $(f))

image: $(IMAGE)

run: $(IMAGE)
	$(Q)$(QEMU) -accel tcg -M q35 -m 256M -drive file=$(IMAGE),format=raw -serial stdio \
		-display none -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=4 \
		$(QEMU_RUN_FLAGS); rc=$$?; \
	if [ $$rc -eq 33 ]; then exit 0; else echo "make run: QEMU exited with $$rc" >&2; exit $$rc; fi

.PHONY: FORCE
FORCE:
