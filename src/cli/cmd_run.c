/* cmd_run.c - `netlab run FILE|NAME [options]` and `netlab` alone: load a
 * scenario (a file, else a built-in one), build the world, run the whole
 * scenario (fast), write the trace and pcap files asked for, then open
 * the viewer on the trace (or print the transcript with --headless or
 * when there is no display). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/embedded.h"
#include "engine/sim.h"
#include "net/net.h"
#include "scenario/scn.h"
#include "trace/pcap.h"
#include "trace/trace.h"
#include "trace/trace_file.h"
#include "trace/transcript.h"
#include "util/alloc.h"

/* How long a run may go on in virtual time when --until is not given:
 * every shipped scenario is over long before (TIME-WAIT included). */
#define RUN_LIMIT (3600 * SIM_S)

struct run_opts {
	const char *what;	/* FILE or NAME */
	int headless;		/* --headless */
	const char *trace_out;	/* --trace */
	const char *pcap_out;	/* --pcap */
	const char *pcap_at;	/* --pcap-at */
	int has_seed;
	uint64_t seed;		/* --seed */
	int has_until;
	sim_time until;		/* --until */
	const char *answers;	/* --answers: a student's answers */
	struct ui_opts ui;	/* --font, --screenshot, --step, ... */
};

static int
file_exists(const char *path)
{
	FILE *f = fopen(path, "rb");

	if (f == NULL)
		return 0;
	fclose(f);
	return 1;
}

/* Loads what: a file if one is there, else a built-in scenario. Returns
 * an exit status; errors are printed. */
static int
load(const char *what, struct scn_model **out)
{
	const struct embedded_scenario *es = NULL;
	struct scn_errors errs;
	enum nl_status st;

	*out = NULL;
	scn_errors_init(&errs);
	if (!file_exists(what)) {
		es = embedded_find(strcmp(what, "default") == 0 ?
		    NL_DEFAULT_SCENARIO : what);
		if (es == NULL && strchr(what, '/') == NULL &&
		    strstr(what, ".json") == NULL)
			return cli_usage_error("run", "no file or built-in "
			    "scenario called '%s' (see 'netlab list')", what);
	}
	if (es != NULL)
		st = scn_load_buffer(es->name, es->bytes, es->len, out, &errs);
	else
		st = scn_load_file(what, out, &errs);
	if (st != NL_OK) {
		scn_errors_print(&errs, stderr);
		if (st == NL_ENOMEM)
			fprintf(stderr, "netlab run: %s\n", nl_status_str(st));
		scn_errors_free(&errs);
		return st == NL_ENOMEM ? CLI_EXIT_FAIL : CLI_EXIT_USAGE;
	}
	scn_errors_free(&errs);
	return CLI_EXIT_OK;
}

/* The viewer over t, with the scenario's layout hints by node name. */
static int
show(const struct run_opts *o, const struct scn_model *m,
    const struct trace *t)
{
	size_t n = trace_node_count(t), i;
	struct ui_hint *hints = nl_calloc(n ? n : 1, sizeof *hints);
	struct ui_opts uo = o->ui;
	int rc;

	if (hints != NULL) {
		for (i = 0; i < n; i++) {
			const struct scn_node *sn = scn_model_node(m,
			    trace_node_name(t, (int32_t)i));

			if (sn != NULL && sn->layout.set) {
				hints[i].set = 1;
				hints[i].x = sn->layout.x;
				hints[i].y = sn->layout.y;
			}
		}
		uo.hints = hints;
		uo.nhints = n;
	}
	rc = cli_show("run", t, &uo);
	nl_free(hints);
	return rc;
}

/* ---- --answers FILE: checking a student's answers ---- */

#define ANSWERS_MAX 200		/* answers read from the file */

/* A student's answers, one a line: a choice number (1 is the first) or
 * letter (a is the first). Lines starting with '#' are comments. v[i]
 * is 0-based, -1 for a line that is neither (it counts as wrong), -2 for
 * an empty line (no answer). */
struct answers {
	int v[ANSWERS_MAX];
	char text[ANSWERS_MAX][16];	/* as written, for the report */
	size_t n;
};

static int
answers_read(const char *path, struct answers *as)
{
	FILE *f = fopen(path, "rb");
	char line[256];

	as->n = 0;
	if (f == NULL) {
		fprintf(stderr, "netlab run: --answers: cannot open %s: %s\n",
		    path, strerror(errno));
		return CLI_EXIT_USAGE;
	}
	while (fgets(line, sizeof line, f) != NULL && as->n < ANSWERS_MAX) {
		char *p = line, *e;
		int v = -1;

		while (*p == ' ' || *p == '\t')
			p++;
		e = p + strlen(p);
		while (e > p && (e[-1] == '\n' || e[-1] == '\r' ||
		    e[-1] == ' ' || e[-1] == '\t'))
			*--e = '\0';
		if (*p == '#')
			continue;
		if (*p == '\0')
			v = -2;
		else if (p[1] == '\0' && ((*p >= 'a' && *p <= 'z') ||
		    (*p >= 'A' && *p <= 'Z')))
			v = (*p | 0x20) - 'a';
		else if (strspn(p, "0123456789") == strlen(p) &&
		    strlen(p) <= 3 && atoi(p) >= 1)
			v = atoi(p) - 1;
		as->v[as->n] = v;
		snprintf(as->text[as->n], sizeof as->text[0], "%.15s", p);
		as->n++;
	}
	fclose(f);
	return CLI_EXIT_OK;
}

/* Line i of a checkpoint's data (trace.h) into buf, "" past the end. */
static void
check_line(const struct trace_event *ev, size_t i, char *buf, size_t size)
{
	const char *s = (const char *)ev->data, *end = s + ev->len, *nl;
	size_t n;

	buf[0] = '\0';
	while (s != NULL && s < end) {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (i-- == 0) {
			n = (size_t)((nl != NULL ? nl : end) - s);
			snprintf(buf, size, "%.*s", (int)n, s);
			return;
		}
		s = nl != NULL ? nl + 1 : NULL;
	}
}

/* The verdict on answer k, to checkpoint ev; 1 when right. */
static int
answer_print(FILE *f, const struct trace_event *ev, const struct answers *as,
    size_t k)
{
	char choice[512], right[512], why[2048];
	int v = k < as->n ? as->v[k] : -2;
	int ok = v >= 0 && v == ev->a;

	check_line(ev, (size_t)(ev->a >= 0 ? ev->a : 0), right, sizeof right);
	check_line(ev, (size_t)(ev->b >= 0 ? ev->b : 0), why, sizeof why);
	if (v == -2) {
		fprintf(f, "    your answer: none: wrong\n");
	} else if (v < 0 || v >= ev->b) {
		fprintf(f, "    your answer: \"%s\" is not one of the %d "
		    "choices: wrong\n", as->text[k], (int)ev->b);
	} else {
		check_line(ev, (size_t)v, choice, sizeof choice);
		fprintf(f, "    your answer: %c) %s: %s\n", 'a' + v, choice,
		    ok ? "right" : "wrong");
	}
	if (!ok)
		fprintf(f, "    the answer: %c) %s\n", (int)('a' + ev->a),
		    right);
	fprintf(f, "    why: %s\n", why);
	return ok;
}

/* Prints the transcript of t with the verdict on each answer of file
 * path under its checkpoint, then the score. Returns CLI_EXIT_OK when
 * every answer is right, CLI_EXIT_FAIL when one is wrong or missing (or
 * printing failed), CLI_EXIT_USAGE when the file cannot be read. */
static int
answers_run(const char *path, const struct trace *t)
{
	struct answers *as = nl_calloc(1, sizeof *as);
	size_t size = 64 * 1024, i, k = 0, right = 0;
	char *line = nl_alloc(size);
	const struct trace_event *ev;
	int rc = CLI_EXIT_FAIL;

	if (as == NULL || line == NULL) {
		fprintf(stderr, "netlab run: %s\n", nl_status_str(NL_ENOMEM));
		goto done;
	}
	rc = answers_read(path, as);
	if (rc != CLI_EXIT_OK)
		goto done;
	trace_transcript_header(t, line, size);
	printf("%s\n", line);
	for (i = 0; (ev = trace_at(t, i)) != NULL; i++) {
		if (trace_transcript_line(t, ev, line, size))
			printf("%s\n", line);
		if (ev->kind == TRACE_CHECK)
			right += (size_t)answer_print(stdout, ev, as, k++);
	}
	printf("score: %zu of %zu right", right, k);
	if (as->n > k)
		printf(" (%zu more answers than checkpoints)", as->n - k);
	printf("\n");
	rc = right == k ? CLI_EXIT_OK : CLI_EXIT_FAIL;
	if (fflush(stdout) != 0) {
		fprintf(stderr, "netlab run: cannot print the transcript: "
		    "%s\n", nl_status_str(NL_EIO));
		rc = CLI_EXIT_FAIL;
	}
done:
	nl_free(line);
	nl_free(as);
	return rc;
}

/* Everything after loading; frees what it makes. */
static int
run(const struct run_opts *o, const struct scn_model *m)
{
	struct sim *s = NULL;
	struct trace *t = NULL;
	struct scn_world *w = NULL;
	int32_t at = TRACE_PCAP_ALL_NODES;
	char err[256];
	enum nl_status st;
	int rc = CLI_EXIT_FAIL;

	s = sim_new(o->has_seed ? o->seed : m->seed);
	t = trace_new();
	if (s == NULL || t == NULL) {
		fprintf(stderr, "netlab run: %s\n", nl_status_str(NL_ENOMEM));
		goto done;
	}
	st = scn_build(m, s, t, &w, err, sizeof err);
	if (st != NL_OK) {
		fprintf(stderr, "netlab run: %s\n", err);
		goto done;
	}
	if (o->pcap_at != NULL) {
		at = net_node_find(scn_world_net(w), o->pcap_at);
		if (at < 0) {
			fprintf(stderr, "netlab run: --pcap-at: scenario '%s' "
			    "has no node '%s'\n", m->name, o->pcap_at);
			rc = CLI_EXIT_USAGE;
			goto done;
		}
	}
	sim_run(s, SIM_RUN_UNTIL, o->has_until ? o->until : RUN_LIMIT);
	{
		char which[512];
		size_t n = scn_world_unmatched(w, which, sizeof which);

		/* A pattern that never matched is a mistake in the scenario
		 * (unless --until cut the run short): its text was lost. */
		if (n > 0 && !o->has_until)
			fprintf(stderr, "netlab run: warning: %zu caption or "
			    "checkpoint pattern%s never matched: %s\n", n,
			    n == 1 ? "" : "s", which);
	}
	if (o->answers != NULL) {
		rc = answers_run(o->answers, t);
		goto done;
	}

	if (o->headless) {
		st = trace_transcript_write(t, stdout);
		if (st == NL_OK && fflush(stdout) != 0)
			st = NL_EIO;
		if (st != NL_OK) {
			fprintf(stderr, "netlab run: cannot print the "
			    "transcript: %s\n", nl_status_str(st));
			goto done;
		}
	}
	if (o->trace_out != NULL) {
		st = trace_file_save(t, o->trace_out);
		if (st != NL_OK) {
			fprintf(stderr, "netlab run: cannot save the trace to "
			    "%s: %s\n", o->trace_out, nl_status_str(st));
			goto done;
		}
	}
	if (o->pcap_out != NULL) {
		st = trace_pcap_write_file(t, at, o->pcap_out);
		if (st != NL_OK) {
			fprintf(stderr, "netlab run: cannot save the packets "
			    "to %s: %s\n", o->pcap_out, nl_status_str(st));
			goto done;
		}
	}
	if (!o->headless) {
		rc = show(o, m, t);
		goto done;
	}
	rc = CLI_EXIT_OK;
done:
	scn_world_free(w);
	sim_free(s);
	trace_free(t);
	return rc;
}

static int
load_and_run(const struct run_opts *o)
{
	struct scn_model *m;
	int rc;

	rc = load(o->what, &m);
	if (rc != CLI_EXIT_OK)
		return rc;
	rc = run(o, m);
	scn_model_free(m);
	return rc;
}

/* A whole decimal number 0 .. UINT64_MAX. */
static int
parse_u64(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return 0;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return 0;
	*out = (uint64_t)v;
	return 1;
}

int
cmd_run(int argc, char **argv)
{
	struct run_opts o;
	int i;

	memset(&o, 0, sizeof o);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		const char **slot = NULL;
		const char *name = NULL;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			cli_usage();
			return CLI_EXIT_OK;
		}
		if (strcmp(a, "--headless") == 0) {
			o.headless = 1;
			continue;
		}
		{
			int r = cli_viewer_opt("run", argc, argv, &i, &o.ui);

			if (r == CLI_EXIT_USAGE)
				return r;
			if (r == 1)
				continue;
		}
		if (cli_opt(a, "--trace", &v)) {
			slot = &o.trace_out;
			name = "--trace";
		} else if (cli_opt(a, "--pcap-at", &v)) {
			slot = &o.pcap_at;
			name = "--pcap-at";
		} else if (cli_opt(a, "--pcap", &v)) {
			slot = &o.pcap_out;
			name = "--pcap";
		} else if (cli_opt(a, "--seed", &v)) {
			name = "--seed";
		} else if (cli_opt(a, "--until", &v)) {
			name = "--until";
		} else if (cli_opt(a, "--answers", &v)) {
			slot = &o.answers;
			name = "--answers";
		} else if (a[0] == '-' && a[1] != '\0') {
			return cli_usage_error("run", "unknown option '%s'", a);
		} else {
			if (o.what != NULL)
				return cli_usage_error("run", "one scenario at "
				    "a time ('%s' and '%s')", o.what, a);
			o.what = a;
			continue;
		}
		if (v == NULL) {
			if (i + 1 >= argc)
				return cli_usage_error("run", "%s needs a "
				    "value", name);
			v = argv[++i];
		}
		if (slot != NULL) {
			if (*v == '\0')
				return cli_usage_error("run", "%s needs a "
				    "value", name);
			*slot = v;
		} else if (strcmp(name, "--seed") == 0) {
			if (!parse_u64(v, &o.seed))
				return cli_usage_error("run", "--seed: expected "
				    "a whole number, found '%s'", v);
			o.has_seed = 1;
		} else {
			if (sim_time_parse(v, &o.until) != NL_OK)
				return cli_usage_error("run", "--until: expected "
				    "a time like 30s or 1.5s, found '%s'", v);
			o.has_until = 1;
		}
	}
	if (o.what == NULL)
		return cli_usage_error("run", "which scenario? give a file or "
		    "a name from 'netlab list'");
	if (o.pcap_at != NULL && o.pcap_out == NULL)
		return cli_usage_error("run", "--pcap-at needs --pcap OUT");
	if (cli_viewer_check("run", &o.ui) != 0)
		return CLI_EXIT_USAGE;
	if (o.answers != NULL && (o.trace_out != NULL || o.pcap_out != NULL ||
	    o.ui.screenshot != NULL || o.ui.export_ladder != NULL))
		return cli_usage_error("run", "--answers prints the checked "
		    "transcript only; run again for other outputs");
	if (o.answers != NULL)
		o.headless = 1;
	if (o.ui.screenshot != NULL || o.ui.export_ladder != NULL)
		o.headless = 0;
	return load_and_run(&o);
}

int
cmd_default(void)
{
	struct run_opts o;

	memset(&o, 0, sizeof o);
	o.what = "default";
	return load_and_run(&o);
}
