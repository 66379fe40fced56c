/* fake_storage.h: storage the core asks for by physical address (frames_init's bitmap,
 * heap_init's arena), for tests where the address only has to be recorded, not backed: each
 * request gets a fresh buffer full of garbage, so nothing can rely on zeroed RAM, kept until
 * fake_storage_release. fake_storage_ptr is a frames_ptr_fn (frames_init, heap_init). */
#ifndef FAKE_STORAGE_H
#define FAKE_STORAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fake_storage {
    /* what the test sets */
    bool fail;           /* refuse every request: the memory cannot be reached */
    uint64_t max_bytes;  /* refuse larger requests (0: any size) */
    size_t offset;       /* hand out buffer + offset (4: not 8-byte aligned) */
    /* what the fake records */
    int calls;           /* requests answered with a buffer */
    uint64_t phys, bytes; /* the last of them */
    void **buf;
    size_t n, cap;
};

void *fake_storage_ptr(void *ctx, uint64_t phys, uint64_t bytes);

/* Free every buffer handed out and clear the record; the settings stay. */
void fake_storage_release(struct fake_storage *s);

#endif
