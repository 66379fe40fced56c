# build/e820: the E820 inspector (tools/e820/, manual in tools/e820/README.md), linked
# against the same pure-core memory-map code stage2 runs.
TOOLS += e820
e820_SRCS := tools/e820/main.c tools/e820/load.c \
	tools/e820/parse_fixture.c tools/e820/parse_dmesg.c tools/e820/parse_seabios.c \
	tools/e820/parse_sysfs.c tools/e820/parse_detect.c \
	tools/e820/output_table.c tools/e820/output_fixture.c tools/e820/output_json.c \
	tools/e820/output_totals.c tools/e820/output_picture.c \
	$(CORE_MEMMAP_SRCS) $(CORE_ERROR_SRCS)
