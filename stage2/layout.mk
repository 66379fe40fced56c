# stage2/layout.mk: the constants of the loader's assembly (stage1 and stage2) and of
# stage2/linker.ld, generated from the C headers that define them (stage2/layout.h and the
# structs the assembly reads), so neither can disagree with C. Included before stage1/build.mk
# and stage2/build.mk, which use LAYOUT_INC, LAYOUT_LD and NASM_INC.
#
# stage2/asm_offsets.c compiled with -S for stage2's target: each "->inc" marker line of its
# output is a line of layout.inc (NASM %defines for stage1 and stage2's .asm files), each
# "->ld" line one of layout.ld (symbols stage2/linker.ld INCLUDEs). Whatever includes a header
# it reads is rebuilt when the header changes: the .s through its -MMD dependencies, the
# assembly through NASM's -MD ones and the explicit prerequisites below.
GEN_DIR := $(B)/gen
LAYOUT_INC := $(GEN_DIR)/layout.inc
LAYOUT_LD := $(GEN_DIR)/layout.ld
NASM_INC := -I$(GEN_DIR)/
gen_markers = sed -n 's/^[[:space:]]*\.ascii[[:space:]]*"->$(1) \(.*\)"$$/\1/p'

$(GEN_DIR)/asm_offsets.s: stage2/asm_offsets.c
	@mkdir -p $(@D)
	@echo "  CC      $< (-S)"
	$(Q)$(TARGETCC) $(TARGET_CFLAGS) $(APP_INC) -S -o $@ $<
$(LAYOUT_INC): $(GEN_DIR)/asm_offsets.s
	@echo "  GEN     $@"
	$(Q)$(call gen_markers,inc) $< > $@
$(LAYOUT_LD): $(GEN_DIR)/asm_offsets.s
	@echo "  GEN     $@"
	$(Q)$(call gen_markers,ld) $< > $@
-include $(GEN_DIR)/asm_offsets.d
