/* fake_storage.c: the fresh-buffer storage of fake_storage.h. */
#include "fake_storage.h"

#include <stdlib.h>
#include <string.h>

void *fake_storage_ptr(void *ctx, uint64_t phys, uint64_t bytes)
{
    struct fake_storage *s = ctx;
    if (s->fail || (s->max_bytes && bytes > s->max_bytes) || bytes > SIZE_MAX / 2)
        return NULL;
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 8;
        s->buf = realloc(s->buf, s->cap * sizeof(*s->buf));
        if (!s->buf)
            abort();
    }
    /* page-aligned, as the frames it stands for */
    size_t size = ((size_t)bytes + s->offset + 4095) & ~(size_t)4095;
    uint8_t *p = aligned_alloc(4096, size ? size : 4096);
    if (!p)
        abort();
    memset(p, 0xa5, size); /* garbage: nothing may rely on zeroed RAM */
    s->buf[s->n++] = p;
    s->calls++;
    s->phys = phys;
    s->bytes = bytes;
    return p + s->offset;
}

void fake_storage_release(struct fake_storage *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->buf[i]);
    free(s->buf);
    s->buf = NULL;
    s->n = s->cap = 0;
    s->calls = 0;
    s->phys = s->bytes = 0;
}
