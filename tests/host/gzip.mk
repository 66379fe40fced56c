# tests/host/gzip.mk: the DEFLATE decoder on hand-made streams (test_inflate), and the gzip
# container on vectors made at build time by the real gzip(1) and Python's zlib
# (tests/fixtures/gzip/mkvectors.py writes them and their sources into build/fixtures/gzip/).
HOST_TESTS += test_inflate
test_inflate_SRCS := tests/host/test_inflate.c $(CORE_INFLATE_SRCS)

HOST_TESTS += test_gzip
test_gzip_SRCS := tests/host/test_gzip.c tests/support/testutil.c $(CORE_GZIP_SRCS)

GZIP_FIX := $(B)/fixtures/gzip
$(GZIP_FIX)/stamp: tests/fixtures/gzip/mkvectors.py
	@echo "  GZIP    $(GZIP_FIX)/*.gz"
	$(Q)rm -rf $(GZIP_FIX) && python3 $< $(GZIP_FIX) && touch $@

# Order-only: the vectors are data the test reads at run time, not link inputs.
$(B)/tests/test_gzip $(B)/tests-san/test_gzip: | $(GZIP_FIX)/stamp
