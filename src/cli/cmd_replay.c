/* cmd_replay.c - `netlab replay TRACE [--headless] [viewer options]`: a
 * saved trace shown exactly as the run that made it showed it, in the
 * viewer or as the transcript. Both depend on the trace alone, so nothing
 * of the scenario is needed (the layout is automatic). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "trace/trace.h"
#include "trace/trace_file.h"
#include "trace/transcript.h"

int
cmd_replay(int argc, char **argv)
{
	const char *path = NULL;
	struct trace *t;
	char err[512];
	enum nl_status st;
	int headless = 0, i, rc;
	struct ui_opts uo;

	memset(&uo, 0, sizeof uo);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			cli_usage();
			return CLI_EXIT_OK;
		}
		rc = cli_viewer_opt("replay", argc, argv, &i, &uo);
		if (rc == CLI_EXIT_USAGE)
			return rc;
		if (rc == 1)
			continue;
		if (strcmp(argv[i], "--headless") == 0)
			headless = 1;
		else if (argv[i][0] == '-' && argv[i][1] != '\0')
			return cli_usage_error("replay", "unknown option '%s'",
			    argv[i]);
		else if (path != NULL)
			return cli_usage_error("replay", "one trace at a time "
			    "('%s' and '%s')", path, argv[i]);
		else
			path = argv[i];
	}
	if (path == NULL)
		return cli_usage_error("replay", "which trace? give a file "
		    "saved with 'netlab run --trace FILE'");
	if (cli_viewer_check("replay", &uo) != 0)
		return CLI_EXIT_USAGE;
	err[0] = '\0';
	st = trace_file_load(path, &t, err, sizeof err);
	if (st != NL_OK) {
		fprintf(stderr, "netlab replay: %s: %s\n", path,
		    err[0] != '\0' ? err : nl_status_str(st));
		return st == NL_ENOMEM ? CLI_EXIT_FAIL : CLI_EXIT_USAGE;
	}
	if (!headless || uo.screenshot != NULL ||
	    uo.export_ladder != NULL) {
		rc = cli_show("replay", t, &uo);
		trace_free(t);
		return rc;
	}
	st = trace_transcript_write(t, stdout);
	if (st == NL_OK && fflush(stdout) != 0)
		st = NL_EIO;
	trace_free(t);
	if (st != NL_OK) {
		fprintf(stderr, "netlab replay: cannot print the transcript: "
		    "%s\n", nl_status_str(st));
		return CLI_EXIT_FAIL;
	}
	return CLI_EXIT_OK;
}
