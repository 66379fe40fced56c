/* output_fixture.c: the sanitized map in the fixture format and nothing else, so the output
 * can be diffed against a fixture and read back by parse_fixture. */
#include "output.h"

void output_fixture(FILE *f, const struct e820_result *r)
{
    for (uint32_t i = 0; i < r->map->count; i++) {
        const struct e820_entry *e = &r->map->entry[i];
        fprintf(f, "0x%llx 0x%llx %u\n", (unsigned long long)e->base,
                (unsigned long long)e->length, e->type);
    }
}
