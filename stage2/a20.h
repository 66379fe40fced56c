/* a20.h: turning on the A20 gate so odd megabytes are addressable. */
#ifndef A20_H
#define A20_H

#include <stdbool.h>

/* True when 0x100500 and 0x000500 are different memory (the wrap-around test). */
bool a20_is_enabled(void);

/* The ways to turn A20 on, in the order a20_enable tries them. */
enum a20_method { A20_BIOS, A20_KBC, A20_FAST, A20_METHODS };

/* One method, then the wrap-around test: true if A20 is on afterwards. */
bool a20_try(enum a20_method m);
const char *a20_method_name(enum a20_method m);

/* Enable A20: already on, else BIOS INT 15h AX=2401h, else the keyboard controller, else
 * port 0x92 ("fast A20"), each checked with the wrap-around test. Logs the method that
 * worked; panics with step "A20" if none does. */
void a20_enable(void);

#endif
