# Frame bitmap vs a plain bit-at-a-time scanner; bitmap overhead per SeaBIOS fixture.
BENCHES += bench_frames
bench_frames_SRCS := bench/bench_frames.c $(CORE_FRAMES_SRCS) \
	tools/e820/parse_fixture.c
