/* fuzz_check.h: the fuzzers' CHECK(c): a violated invariant names its file, line and
 * condition on stderr and abort()s, which libFuzzer records as a crash with the input. */
#ifndef FUZZ_CHECK_H
#define FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define CHECK(c)                                                                          \
    do {                                                                                  \
        if (!(c)) {                                                                       \
            fprintf(stderr, "%s:%d: CHECK(%s)\n", __FILE__, __LINE__, #c);                \
            abort();                                                                      \
        }                                                                                 \
    } while (0)

/* A reference model's verdict: NULL if it agrees, else what differs. */
#define CHECK_AGREES(why)                                                                 \
    do {                                                                                  \
        const char *why_ = (why);                                                         \
        if (why_) {                                                                       \
            fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, why_);                     \
            abort();                                                                      \
        }                                                                                 \
    } while (0)

#endif
