# Frame bitmap vs a plain bit-at-a-time scanner; bitmap overhead per SeaBIOS fixture.
BENCHES += bench_frames
bench_frames_SRCS := bench/bench_frames.c stage2/core/frames.c stage2/core/frames_bits.c \
	stage2/core/frames_query.c stage2/core/memmap.c stage2/core/memmap_sanitize.c \
	tools/e820/parse_fixture.c
