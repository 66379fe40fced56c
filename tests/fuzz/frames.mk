# libFuzzer harness for the frame allocator against a byte-per-frame reference model.
FUZZERS += fuzz_frames
fuzz_frames_SRCS := tests/fuzz/fuzz_frames.c stage2/core/frames.c stage2/core/frames_bits.c \
	stage2/core/frames_query.c stage2/core/memmap.c stage2/core/memmap_sanitize.c
