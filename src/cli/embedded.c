/* embedded.c - looking up the scenarios compiled into the binary. */
#include "cli/embedded.h"

#include <string.h>

const struct embedded_scenario *
embedded_find(const char *name)
{
	size_t i;

	for (i = 0; i < embedded_scenario_count; i++)
		if (strcmp(embedded_scenarios[i].name, name) == 0)
			return &embedded_scenarios[i];
	return NULL;
}
