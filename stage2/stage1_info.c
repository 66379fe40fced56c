/* stage1_info.c: what stage1 handed over (stage1_info.h), for the log and the boot profile. */
#include "console.h"
#include "stage1_info.h"

uint64_t stage1_info_tsc(const struct stage1_info *s)
{
    return s->ud_ip == 0 ? s->tsc : 0;
}

void stage1_info_log(const struct stage1_info *s)
{
    if (s->ud_ip == 0)
        log_debug("stage1: TSC %llu at its first instructions", (unsigned long long)s->tsc);
    else
        log_debug("stage1: no TSC stamp: RDTSC raised #UD at %04x:%04x (no TSC on this CPU)",
                  s->ud_cs, s->ud_ip);
    if (s->sectors)
        log_info("stage1: read stage2 with CHS (AH=02h), %u heads, %u sectors a track",
                 s->heads, s->sectors);
}
