/* fake_ram.h: a window of fake physical memory, [base, base + size) backed by `bytes`, for
 * tests whose physical addresses matter (an ELF loaded where it was placed, a boot info read
 * where the loader wrote it). Anything outside the window cannot be reached. */
#ifndef FAKE_RAM_H
#define FAKE_RAM_H

#include <stdint.h>

struct fake_ram {
    uint64_t base;
    uint64_t size;
    uint8_t *bytes;
};

/* Where [phys, phys + len) lives in the window, or NULL if any of it is outside. */
void *fake_ram_at(const struct fake_ram *r, uint64_t phys, uint64_t len);

/* fake_ram_at with the window as ctx: an elf_phys_fn (and a frames_ptr_fn). */
void *fake_ram_ptr(void *ctx, uint64_t phys, uint64_t len);

#endif
