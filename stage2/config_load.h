/* config_load.h: stage2's configuration step: /boot/multios.cfg read from the boot volume
 * and parsed (core/config.h) into the one configuration every later step uses. */
#ifndef CONFIG_LOAD_H
#define CONFIG_LOAD_H

#include "config.h"
#include "volume.h"

/* The defaults, then CONFIG_PATH (at most CONFIG_FILE_MAX bytes) over them when it is there:
 * a warning naming the line for each line refused (that key keeps its default), one line
 * logged for each setting the file gave, and last the configured log level applied to the
 * console (every message before it, these included, used the default level). Never panics
 * over the file's contents: a typo must not make the machine unbootable (only a disk that
 * cannot be read does). */
void config_load(struct config_file *cf, struct volume *vol);

#endif
