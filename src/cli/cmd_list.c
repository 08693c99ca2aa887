/* cmd_list.c - `netlab list`: the scenarios built into the binary, one a
 * line, name and title in two aligned columns. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/embedded.h"

int
cmd_list(int argc, char **argv)
{
	size_t i, width = 0;

	if (argc > 1) {
		if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
			cli_usage();
			return CLI_EXIT_OK;
		}
		return cli_usage_error("list", "unexpected argument '%s'",
		    argv[1]);
	}
	for (i = 0; i < embedded_scenario_count; i++)
		if (strlen(embedded_scenarios[i].name) > width)
			width = strlen(embedded_scenarios[i].name);
	for (i = 0; i < embedded_scenario_count; i++) {
		const struct embedded_scenario *es = &embedded_scenarios[i];

		printf("%-*s  %s%s\n", (int)width, es->name, es->title,
		    strcmp(es->name, NL_DEFAULT_SCENARIO) == 0 ?
		    " (default)" : "");
	}
	return fflush(stdout) != 0 ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}
