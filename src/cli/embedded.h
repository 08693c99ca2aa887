/* embedded.h - the scenarios compiled into the netlab binary, so `netlab`
 * and `netlab run NAME` work from any directory. The table is generated
 * at build time by the embed tool (src/cli/embed.c) from the scenarios/ folder
 * into build/gen/scenarios.c. */
#ifndef NL_EMBEDDED_H
#define NL_EMBEDDED_H

#include <stddef.h>

struct embedded_scenario {
	const char *name;		/* file base name ("tcp-basics") */
	const char *title;		/* meta.title, roughly read; "" if none */
	const unsigned char *bytes;	/* the JSON file as it was */
	size_t len;			/* its length in bytes */
};

/* Sorted by name (the order of the files given to embed). */
extern const struct embedded_scenario embedded_scenarios[];
extern const size_t embedded_scenario_count;

/* The scenario called name, NULL if none (cli/embedded.c). */
const struct embedded_scenario *embedded_find(const char *name);

#endif
