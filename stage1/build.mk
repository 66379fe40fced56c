# stage1/build.mk: the MBR. NASM refuses to assemble it past 440 bytes of code and data (a
# negative TIMES count in mbr.asm: 440..445 are the disk signature), so an oversized stage1
# fails the build.

STAGE1_BIN := $(B)/stage1.bin
ALL_TARGETS += $(STAGE1_BIN) $(B)/stage1.lst

$(STAGE1_BIN): stage1/mbr.asm
	@mkdir -p $(@D)
	@echo "  NASM    $<"
	$(Q)$(NASM) -f bin -w+all -o $@ $<

# Disassembly listing at the address the BIOS loads it to.
$(B)/stage1.lst: $(STAGE1_BIN)
	@echo "  OBJDUMP $@"
	$(Q)$(OBJDUMP) -D -b binary -m i8086 -M intel --adjust-vma=0x7c00 $< > $@

# The same MBR with the extensions check skipped, so the CHS path can be booted in QEMU.
$(B)/stage1-chs.bin: stage1/mbr.asm
	@mkdir -p $(@D)
	@echo "  NASM    $< (CHS only)"
	$(Q)$(NASM) -f bin -w+all -DSTAGE1_FORCE_CHS -o $@ $<
