/* main.c - the netlab command: dispatch to one command per file
 * (cmd_run.c, cmd_replay.c, cmd_validate.c, cmd_list.c, cmd_decode.c),
 * the usage text and the shared option helpers. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_decode.h"

void
cli_usage(void)
{
	fputs(
"usage: netlab [COMMAND [ARGS...]]\n"
"\n"
"netlab runs a network scenario on a virtual network, records every\n"
"message in a trace and shows it as a transcript.\n"
"\n"
"Commands:\n"
"  netlab                     open the default scenario (" NL_DEFAULT_SCENARIO
")\n"
"  netlab run FILE|NAME [OPTIONS]\n"
"                             run a scenario file, or a built-in scenario by\n"
"                             name (see 'netlab list'; 'default' is "
NL_DEFAULT_SCENARIO ")\n"
"      --headless             print the transcript, do not open the viewer\n"
"      --trace OUT            save the trace to the file OUT\n"
"      --pcap OUT             save the packets to OUT as a pcap file\n"
"      --pcap-at NODE         with --pcap: the packets as NODE sees them\n"
"                             (default: every packet once, at its source)\n"
"      --seed N               random seed (default: the scenario's \"seed\")\n"
"      --until TIME           stop at virtual time TIME, e.g. 30s or 1.5s\n"
"  netlab replay TRACE [--headless]\n"
"                             show a saved trace as the run showed it\n"
"  netlab validate FILE...    check scenario files; print FILE: OK or every\n"
"                             error\n"
"  netlab list                list the built-in scenarios\n"
"  netlab decode dns [--reencode]\n"
"                             decode DNS messages given in hex on stdin\n"
"  netlab --help              show this help\n"
"  netlab --version           show the version\n"
"\n"
"Exit status: 0 success, 1 runtime failure, 2 bad usage or bad input.\n",
	    stdout);
}

int
cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	if (cmd != NULL)
		fprintf(stderr, "netlab %s: ", cmd);
	else
		fputs("netlab: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\ntry 'netlab --help'\n", stderr);
	return CLI_EXIT_USAGE;
}

int
cli_opt(const char *arg, const char *name, const char **inline_value)
{
	size_t n = strlen(name);

	*inline_value = NULL;
	if (strncmp(arg, name, n) != 0)
		return 0;
	if (arg[n] == '\0')
		return 1;
	if (arg[n] == '=') {
		*inline_value = arg + n + 1;
		return 1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	const char *cmd;

	if (argc < 2)
		return cmd_default();
	cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
	    strcmp(cmd, "help") == 0) {
		cli_usage();
		return CLI_EXIT_OK;
	}
	if (strcmp(cmd, "--version") == 0) {
		puts("netlab " NETLAB_VERSION);
		return CLI_EXIT_OK;
	}
	if (strcmp(cmd, "run") == 0)
		return cmd_run(argc - 1, argv + 1);
	if (strcmp(cmd, "replay") == 0)
		return cmd_replay(argc - 1, argv + 1);
	if (strcmp(cmd, "validate") == 0)
		return cmd_validate(argc - 1, argv + 1);
	if (strcmp(cmd, "list") == 0)
		return cmd_list(argc - 1, argv + 1);
	if (strcmp(cmd, "decode") == 0)
		return cmd_decode(argc - 1, argv + 1);
	if (cmd[0] == '-')
		return cli_usage_error(NULL, "unknown option '%s'", cmd);
	return cli_usage_error(NULL, "unknown command '%s'", cmd);
}
