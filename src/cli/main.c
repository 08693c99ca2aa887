/* main.c - the netlab command: dispatch to one command per file
 * (cmd_run.c, cmd_replay.c, cmd_validate.c, cmd_list.c, cmd_decode.c),
 * the usage text and the shared option helpers. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cmd_decode.h"
#include "cli/cmd_gen.h"
#include "trace/transcript.h"

void
cli_usage(void)
{
	fputs(
"usage: netlab [COMMAND [ARGS...]]\n"
"\n"
"netlab runs a network scenario on a virtual network, records every\n"
"message in a trace and plays it in a viewer (or prints it as a\n"
"transcript).\n"
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
"      --answers FILE         grade a student's answers to the checkpoints\n"
"                             (one a line: a letter or a number from 1);\n"
"                             exit 0 when all are right, 1 otherwise\n"
"  netlab replay TRACE [--headless] [VIEWER OPTIONS]\n"
"                             show a saved trace as the run showed it\n"
"\n"
"Viewer options (run, replay):\n"
"      --font FILE            the TTF font to use (default: DejaVu Sans or\n"
"                             another found in the usual system places)\n"
"      --screenshot OUT.bmp   draw the viewer offscreen, write it as a BMP\n"
"                             image and exit (no display needed)\n"
"      --step N               with --screenshot: after N steps (messages)\n"
"      --size WxH             with --screenshot: image size (1280x800)\n"
"      --export-ladder OUT.png\n"
"                             write the whole ladder diagram as PNG and\n"
"                             exit (over 250 messages: OUT-2.png, ...)\n"
"      --segments             start showing every segment, not only the\n"
"                             application messages\n"
"      --ladder               start on the ladder diagram\n"
"      --inspect NODE         start with NODE's inspector open (its DNS\n"
"                             cache, state and latest events)\n"
"\n"
"With no display the viewer commands print the transcript instead.\n"
"In the viewer, H lists the keys.\n"
"  netlab validate FILE...    check scenario files; print FILE: OK or every\n"
"                             error\n"
"  netlab list                list the built-in scenarios\n"
"  netlab decode dns [--reencode]\n"
"                             decode DNS messages given in hex on stdin\n"
"  netlab gen campus [--hosts N] [--domains D] [--lookups L] [--mails M]\n"
"                  [--users U] [--seed S]\n"
"                             write a campus-sized scenario to stdout: N\n"
"                             hosts (100), D domains (10) with U users\n"
"                             each (2), L lookups (1000), M mails (100)\n"
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

/* A whole decimal number 0 .. LONG_MAX. */
static int
parse_long(const char *s, long *out)
{
	long v;
	char *end;

	if (*s < '0' || *s > '9')
		return 0;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return 0;
	*out = v;
	return 1;
}

/* "1280x800": both 200 .. 8192. */
static int
parse_size(const char *s, int *w, int *h)
{
	long a, b;
	char *end;

	if (*s < '0' || *s > '9')
		return 0;
	errno = 0;
	a = strtol(s, &end, 10);
	if (errno != 0 || (*end != 'x' && *end != 'X') || end[1] < '0' ||
	    end[1] > '9')
		return 0;
	b = strtol(end + 1, &end, 10);
	if (errno != 0 || *end != '\0' || a < 200 || b < 200 || a > 8192 ||
	    b > 8192)
		return 0;
	*w = (int)a;
	*h = (int)b;
	return 1;
}

int
cli_viewer_opt(const char *cmd, int argc, char **argv, int *i,
    struct ui_opts *o)
{
	static const char *const with_value[] = {"--font", "--screenshot",
	    "--step", "--size", "--inspect", "--export-ladder"};
	const char *a = argv[*i], *v = NULL, *name = NULL;
	size_t k;

	if (strcmp(a, "--segments") == 0) {
		o->segments = 1;
		return 1;
	}
	if (strcmp(a, "--ladder") == 0) {
		o->ladder = 1;
		return 1;
	}
	for (k = 0; k < sizeof with_value / sizeof with_value[0]; k++)
		if (cli_opt(a, with_value[k], &v)) {
			name = with_value[k];
			break;
		}
	if (name == NULL)
		return 0;
	if (v == NULL) {
		if (*i + 1 >= argc)
			return cli_usage_error(cmd, "%s needs a value", name);
		v = argv[++*i];
	}
	if (*v == '\0')
		return cli_usage_error(cmd, "%s needs a value", name);
	if (strcmp(name, "--font") == 0) {
		o->font = v;
	} else if (strcmp(name, "--inspect") == 0) {
		o->inspect = v;
	} else if (strcmp(name, "--screenshot") == 0) {
		o->screenshot = v;
	} else if (strcmp(name, "--export-ladder") == 0) {
		o->export_ladder = v;
	} else if (strcmp(name, "--step") == 0) {
		if (!parse_long(v, &o->step))
			return cli_usage_error(cmd, "--step: expected a whole "
			    "number, found '%s'", v);
	} else if (!parse_size(v, &o->width, &o->height)) {
		return cli_usage_error(cmd, "--size: expected WIDTHxHEIGHT "
		    "like 1280x800 (200 to 8192 each), found '%s'", v);
	}
	return 1;
}

int
cli_viewer_check(const char *cmd, const struct ui_opts *o)
{
	if (o->step != 0 && o->screenshot == NULL)
		return cli_usage_error(cmd, "--step needs --screenshot OUT");
	if (o->width != 0 && o->screenshot == NULL &&
	    o->export_ladder == NULL)
		return cli_usage_error(cmd, "--size needs --screenshot OUT");
	return 0;
}

static int
print_transcript(const char *cmd, const struct trace *t)
{
	enum nl_status st = trace_transcript_write(t, stdout);

	if (st == NL_OK && fflush(stdout) != 0)
		st = NL_EIO;
	if (st != NL_OK) {
		fprintf(stderr, "netlab %s: cannot print the transcript: %s\n",
		    cmd, nl_status_str(st));
		return CLI_EXIT_FAIL;
	}
	return CLI_EXIT_OK;
}

int
cli_show(const char *cmd, const struct trace *t, const struct ui_opts *o)
{
	char err[512];
	enum nl_status st = ui_run(t, o, err, sizeof err);

	if (st == NL_OK)
		return CLI_EXIT_OK;
	if (st == NL_EUNSUPPORTED && o->screenshot == NULL &&
	    o->export_ladder == NULL) {
		fprintf(stderr, "netlab: no display (%s); printing the "
		    "transcript instead\n", err);
		return print_transcript(cmd, t);
	}
	if (o->export_ladder != NULL && o->screenshot == NULL)
		fprintf(stderr, "netlab %s: --export-ladder %s: %s\n", cmd,
		    o->export_ladder, err[0] != '\0' ? err :
		    nl_status_str(st));
	else if (o->screenshot != NULL)
		fprintf(stderr, "netlab %s: --screenshot %s: %s\n", cmd,
		    o->screenshot, err[0] != '\0' ? err : nl_status_str(st));
	else
		fprintf(stderr, "netlab %s: the viewer: %s\n", cmd,
		    err[0] != '\0' ? err : nl_status_str(st));
	return st == NL_ENOTFOUND && (o->font != NULL || o->inspect != NULL) ?
	    CLI_EXIT_USAGE : CLI_EXIT_FAIL;
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
	if (strcmp(cmd, "gen") == 0)
		return cmd_gen(argc - 1, argv + 1);
	if (cmd[0] == '-')
		return cli_usage_error(NULL, "unknown option '%s'", cmd);
	return cli_usage_error(NULL, "unknown command '%s'", cmd);
}
