# Sanitizer speed on real-shaped and large random tables; lookup speed.
BENCHES += bench_memmap
bench_memmap_SRCS := bench/bench_memmap.c stage2/core/memmap.c stage2/core/memmap_sanitize.c
