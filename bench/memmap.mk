# Sanitizer speed on real-shaped and large random tables; lookup speed.
BENCHES += bench_memmap
bench_memmap_SRCS := bench/bench_memmap.c $(CORE_MEMMAP_SRCS)
