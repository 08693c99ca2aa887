/* cmd_validate.c - `netlab validate FILE...`: loads each scenario file
 * without running it; prints "FILE: OK" for a good one, and every error
 * of a bad one on stderr. Exit 0 when all are good, 2 otherwise. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "scenario/scn.h"

int
cmd_validate(int argc, char **argv)
{
	int i, nfiles = 0, rc = CLI_EXIT_OK;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_usage();
			return CLI_EXIT_OK;
		}
		if (argv[i][0] == '-' && argv[i][1] != '\0')
			return cli_usage_error("validate", "unknown option "
			    "'%s'", argv[i]);
		nfiles++;
	}
	if (nfiles == 0)
		return cli_usage_error("validate", "which files? give one or "
		    "more scenario files");
	for (i = 1; i < argc; i++) {
		struct scn_errors errs;
		struct scn_model *m;
		enum nl_status st;

		scn_errors_init(&errs);
		st = scn_load_file(argv[i], &m, &errs);
		if (st == NL_OK) {
			printf("%s: OK\n", argv[i]);
			scn_model_free(m);
		} else {
			fflush(stdout);
			scn_errors_print(&errs, stderr);
			if (st == NL_ENOMEM) {
				fprintf(stderr, "%s: %s\n", argv[i],
				    nl_status_str(st));
				rc = CLI_EXIT_FAIL;
			} else if (rc == CLI_EXIT_OK) {
				rc = CLI_EXIT_USAGE;
			}
		}
		scn_errors_free(&errs);
	}
	if (fflush(stdout) != 0)
		return CLI_EXIT_FAIL;
	return rc;
}
