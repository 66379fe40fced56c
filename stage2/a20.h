/* a20.h: turning on the A20 gate so odd megabytes are addressable. */
#ifndef A20_H
#define A20_H

#include <stdbool.h>

/* True when 0x100500 and 0x000500 are different memory (the wrap-around test). */
bool a20_is_enabled(void);

/* Enable A20: already on, else BIOS INT 15h AX=2401h, else the keyboard controller, else
 * port 0x92 ("fast A20"), each checked with the wrap-around test. Logs the method that
 * worked; panics with step "A20" if none does. */
void a20_enable(void);

#endif
