# libFuzzer harness for the frame allocator against a byte-per-frame reference model.
FUZZERS += fuzz_frames
fuzz_frames_SRCS := tests/fuzz/fuzz_frames.c tests/support/frames_model.c tests/support/fake_storage.c \
	$(CORE_FRAMES_SRCS) $(CORE_ERROR_SRCS)
