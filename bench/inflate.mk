# Our inflate against zlib's (linked with -lz) on build/stage2.elf repeated to 16 MiB, gzip -6.
BENCHES += bench_inflate
bench_inflate_SRCS := bench/bench_inflate.c $(CORE_GZIP_SRCS)
bench_inflate_LIBS := -lz

BENCH_DATA := $(B)/bench-data
$(BENCH_DATA)/stage2x16M: $(STAGE2_ELF)
	@mkdir -p $(@D)
	@echo "  BENCH   $@"
	$(Q)rm -f $@ && while [ "$$(stat -c %s $@ 2>/dev/null || echo 0)" -lt 16777216 ]; do \
		cat $< >> $@; done && truncate -s 16M $@
$(BENCH_DATA)/stage2x16M.gz: $(BENCH_DATA)/stage2x16M
	$(Q)gzip -6 -n -c < $< > $@
$(B)/bench/bench_inflate: | $(BENCH_DATA)/stage2x16M.gz
