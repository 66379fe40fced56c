# libFuzzer harness for the VBE protocol (stage2/bios/vbe.c) and the mode choice
# (core/video_pick.c) against a video BIOS scripted by the input.
FUZZERS += fuzz_vbe
fuzz_vbe_SRCS := tests/fuzz/fuzz_vbe.c $(STAGE2_BIOS_VBE_SRCS) $(CORE_VIDEO_SRCS)
