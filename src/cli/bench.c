/* bench.c - netlab-bench: benchmarks that print `name value unit` lines,
 * each beside a baseline measured in the same run.
 *
 *   netlab-bench hold P E   the classic hold model on the engine (P
 *                           pending events, E events fired, each firing
 *                           schedules one at now + Exp(1 s)), then the
 *                           same on a bare binary heap of (time, seq);
 *                           prints both rates and their ratio.
 *   netlab-bench codec N    the codecs alone: N DNS responses encoded and
 *                           decoded, SMTP client lines split and parsed
 *                           (the floor the full-stack figures face).
 *   netlab-bench run NAME FILE
 *                           loads scenario FILE (from `netlab gen`),
 *                           runs it with traces off and prints NAME.*
 *                           lines: the timeline's work (lookups or mails)
 *                           per wall second, events per second, peak
 *                           RSS, and the ratio to the codec floor.
 *   netlab-bench trace FILE runs FILE with a trace, then writes the trace
 *                           file and reads it back, and writes the pcap,
 *                           each against a plain fwrite/fread of the same
 *                           bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/bench_ui.h"
#include "cli/platform.h"
#include "engine/sim.h"
#include "proto/dns/dns_msg.h"
#include "proto/line/line.h"
#include "proto/smtp/smtp_codec.h"
#include "scenario/scn.h"
#include "scenario/scn_model.h"
#include "trace/pcap.h"
#include "trace/trace.h"
#include "trace/trace_file.h"
#include "util/buf.h"

#define HOLD_MEAN SIM_S

struct hold {
	uint64_t left;		/* events still to fire */
};

static sim_time
hold_fire(struct sim *s, void *arg)
{
	struct hold *h = arg;

	if (h->left == 0) {
		sim_stop(s);
		return SIM_DONE;
	}
	h->left--;
	sim_schedule(s, sim_rand_exp(s, HOLD_MEAN), hold_fire, h);
	return SIM_DONE;
}

/* Events per second of the engine's hold model. */
static double
hold_engine(uint64_t p, uint64_t e, uint64_t seed)
{
	struct sim *s = sim_new(seed);
	struct hold h;
	uint64_t i, t0, t1;

	if (s == NULL)
		return 0;
	h.left = e;
	for (i = 0; i < p; i++)
		sim_schedule(s, sim_rand_exp(s, HOLD_MEAN), hold_fire, &h);
	t0 = nl_wall_ns();
	sim_run(s, SIM_RUN_EMPTY, 0);
	t1 = nl_wall_ns();
	sim_free(s);
	return (double)e * 1e9 / (double)(t1 - t0 ? t1 - t0 : 1);
}

/* The baseline: a bare array binary heap of (time, seq) keys, nothing
 * else: no callbacks, no ids, no cancel. */
struct bkey {
	sim_time t;
	uint64_t seq;
};

static int
bkey_less(const struct bkey *a, const struct bkey *b)
{
	return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static void
bheap_push(struct bkey *h, size_t *n, struct bkey k)
{
	size_t i = (*n)++;

	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (!bkey_less(&k, &h[parent]))
			break;
		h[i] = h[parent];
		i = parent;
	}
	h[i] = k;
}

static struct bkey
bheap_pop(struct bkey *h, size_t *n)
{
	struct bkey top = h[0], last = h[--*n];
	size_t i = 0;

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= *n)
			break;
		if (c + 1 < *n && bkey_less(&h[c + 1], &h[c]))
			c++;
		if (!bkey_less(&h[c], &last))
			break;
		h[i] = h[c];
		i = c;
	}
	if (*n > 0)
		h[i] = last;
	return top;
}

static double
hold_bare(uint64_t p, uint64_t e, uint64_t seed)
{
	/* The same PRNG and draws as the engine run. */
	struct sim *rng = sim_new(seed);
	struct bkey *h = malloc((size_t)(p + 1) * sizeof *h);
	size_t n = 0;
	uint64_t i, seq = 0, t0, t1;
	volatile sim_time sink = 0;

	if (rng == NULL || h == NULL) {
		free(h);
		sim_free(rng);
		return 0;
	}
	for (i = 0; i < p; i++) {
		struct bkey k = { sim_rand_exp(rng, HOLD_MEAN), seq++ };

		bheap_push(h, &n, k);
	}
	t0 = nl_wall_ns();
	for (i = 0; i < e; i++) {
		struct bkey k = bheap_pop(h, &n);

		k.t += sim_rand_exp(rng, HOLD_MEAN);
		k.seq = seq++;
		bheap_push(h, &n, k);
	}
	t1 = nl_wall_ns();
	sink = h[0].t;
	(void)sink;
	free(h);
	sim_free(rng);
	return (double)e * 1e9 / (double)(t1 - t0 ? t1 - t0 : 1);
}

static int
parse_count(const char *s, uint64_t *out)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end != '\0' || v < 1 || v > 1e10)
		return 0;
	*out = (uint64_t)v;
	return 1;
}

static int
cmd_hold(int argc, char **argv)
{
	uint64_t p, e;
	double eng, bare;

	if (argc != 4 || !parse_count(argv[2], &p) ||
	    !parse_count(argv[3], &e)) {
		fprintf(stderr, "usage: netlab-bench hold PENDING EVENTS\n");
		return 2;
	}
	/* Alternate and keep the best of three of each, so that a noisy
	 * neighbour on the machine penalises neither side alone. */
	eng = bare = 0;
	for (int i = 0; i < 3; i++) {
		double x = hold_engine(p, e, 1), y = hold_bare(p, e, 1);

		eng = x > eng ? x : eng;
		bare = y > bare ? y : bare;
	}
	printf("hold %llu %llu %.0f\n", (unsigned long long)p,
	    (unsigned long long)e, eng);
	printf("heap %llu %llu %.0f\n", (unsigned long long)p,
	    (unsigned long long)e, bare);
	printf("ratio %.3f\n", bare > 0 ? eng / bare : 0.0);
	return 0;
}

/* ---- The codecs alone ---- */

static double
secs_since(uint64_t t0)
{
	uint64_t d = nl_wall_ns() - t0;

	return (double)(d ? d : 1) / 1e9;
}

/* A typical answer of an authoritative server: one question, an A
 * answer, the NS in AUTHORITY and its address in ADDITIONAL. */
static struct dns_msg *
codec_dns_msg(void)
{
	struct dns_msg *m = dns_msg_new();
	struct dns_name qn, zn, ns;
	struct dns_rr *rr;

	if (m == NULL || dns_name_from_str("www.d17.edu", &qn, NULL) != NL_OK ||
	    dns_name_from_str("d17.edu", &zn, NULL) != NL_OK ||
	    dns_name_from_str("ns.d17.edu", &ns, NULL) != NL_OK ||
	    dns_msg_add_question(m, &qn, DNS_T_A, DNS_C_IN) != NL_OK)
		goto fail;
	m->hdr.id = 0x1234;
	m->hdr.qr = 1;
	m->hdr.aa = 1;
	if ((rr = dns_msg_add_rr(m, DNS_S_ANSWER, &qn, DNS_T_A, DNS_C_IN,
	    3600)) == NULL)
		goto fail;
	memcpy(rr->rd.a, "\xac\x10\x00\x11", 4);
	if ((rr = dns_msg_add_rr(m, DNS_S_AUTHORITY, &zn, DNS_T_NS, DNS_C_IN,
	    3600)) == NULL)
		goto fail;
	rr->rd.name = ns;
	if ((rr = dns_msg_add_rr(m, DNS_S_ADDITIONAL, &ns, DNS_T_A, DNS_C_IN,
	    3600)) == NULL)
		goto fail;
	memcpy(rr->rd.a, "\x0a\x40\x11\x35", 4);
	return m;
fail:
	dns_msg_free(m);
	return NULL;
}

/* DNS messages encoded and decoded per second (one of each per message). */
static double
codec_dns(uint64_t n)
{
	struct dns_msg *m = codec_dns_msg(), *back;
	struct nl_dbuf b;
	uint64_t i, t0, ok = 0;

	if (m == NULL)
		return 0;
	nl_dbuf_init(&b, 65535);
	t0 = nl_wall_ns();
	for (i = 0; i < n; i++) {
		nl_dbuf_reset(&b);
		if (dns_msg_write(m, &b) != NL_OK)
			break;
		if (dns_msg_parse(b.data, b.len, &back, NULL) != NL_OK)
			break;
		ok += back->sec[DNS_S_ANSWER].count;
		dns_msg_free(back);
	}
	nl_dbuf_free(&b);
	dns_msg_free(m);
	return ok == n ? (double)n / secs_since(t0) : 0;
}

/* SMTP lines split from a byte stream and parsed, per second: the client
 * side of one textbook session, again and again. */
static double
codec_smtp(uint64_t n)
{
	static const char session[] =
	    "HELO crepes.fr\r\n"
	    "MAIL FROM: <alice@crepes.fr>\r\n"
	    "RCPT TO: <bob@hamburger.edu>\r\n"
	    "DATA\r\n"
	    "Subject: Minutes of the meeting\r\n"
	    "\r\n"
	    "Hello,\r\n"
	    "the minutes are below.\r\n"
	    ".\r\n"
	    "QUIT\r\n";
	struct line_buf lb;
	struct smtp_cmdline cl;
	struct smtp_path_args pa;
	uint64_t lines = 0, t0;
	int in_data = 0;

	line_init(&lb, LINE_SMTP_TEXT_MAX);
	t0 = nl_wall_ns();
	while (lines < n) {
		const uint8_t *p = (const uint8_t *)session, *line;
		size_t left = sizeof session - 1, used, len;

		while (left > 0 && line_next(&lb, p, left, &used, &line,
		    &len) == NL_OK) {
			p += used;
			left -= used;
			lines++;
			if (in_data) {
				in_data = !(len == 1 && line[0] == '.');
				continue;
			}
			smtp_cmd_parse((const char *)line, len, &cl);
			if (cl.cmd == SMTP_CMD_MAIL)
				(void)smtp_mail_parse(cl.args, cl.args_len, &pa);
			else if (cl.cmd == SMTP_CMD_RCPT)
				(void)smtp_rcpt_parse(cl.args, cl.args_len, &pa);
			else if (cl.cmd == SMTP_CMD_DATA)
				in_data = 1;
		}
	}
	line_free(&lb);
	return (double)lines / secs_since(t0);
}

static int
cmd_codec(int argc, char **argv)
{
	uint64_t n;
	double dns = 0, smtp = 0;

	if (argc != 3 || !parse_count(argv[2], &n)) {
		fprintf(stderr, "usage: netlab-bench codec N\n");
		return 2;
	}
	for (int i = 0; i < 3; i++) {
		double x = codec_dns(n), y = codec_smtp(n * 4);

		dns = x > dns ? x : dns;
		smtp = y > smtp ? y : smtp;
	}
	printf("codec.dns_msgs_per_s %.0f msg/s\n", dns);
	printf("codec.smtp_lines_per_s %.0f line/s\n", smtp);
	return dns > 0 && smtp > 0 ? 0 : 1;
}

/* ---- A whole scenario ---- */

/* The timeline's work: lookups, mails and other actions, a load's
 * count each. */
static uint64_t
model_work(const struct scn_model *m)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < m->nactions; i++)
		n += m->actions[i].count ? m->actions[i].count : 1;
	return n;
}

/* Whether the timeline has an action of kind k. */
static int
model_has(const struct scn_model *m, enum scn_action_kind k)
{
	size_t i;

	for (i = 0; i < m->nactions; i++)
		if (m->actions[i].kind == k)
			return 1;
	return 0;
}

/* Loads FILE; prints why not. */
static struct scn_model *
bench_load(const char *file, double *secs)
{
	struct scn_errors errs;
	struct scn_model *m = NULL;
	uint64_t t0 = nl_wall_ns();

	scn_errors_init(&errs);
	if (scn_load_file(file, &m, &errs) != NL_OK) {
		scn_errors_print(&errs, stderr);
		m = NULL;
	}
	scn_errors_free(&errs);
	*secs = secs_since(t0);
	return m;
}

/* Wall and processor seconds of a build and a run. */
struct bench_times {
	double build, run;	/* wall */
	double cpu;		/* processor, both */
};

/* Builds and runs m on a new engine; t may be NULL (traces off).
 * Returns the events fired, 0 on failure. */
static uint64_t
bench_run(const struct scn_model *m, struct trace *t, struct bench_times *bt)
{
	struct sim *s = sim_new(m->seed);
	struct scn_world *w = NULL;
	char err[256];
	uint64_t t0 = nl_wall_ns(), c0 = nl_cpu_ns(), fired = 0;

	if (s == NULL || scn_build(m, s, t, &w, err, sizeof err) != NL_OK) {
		fprintf(stderr, "netlab-bench: %s\n", s ? err : "no memory");
		sim_free(s);
		return 0;
	}
	bt->build = secs_since(t0);
	t0 = nl_wall_ns();
	/* As `netlab run` does: to the last action, then an hour for the
	 * retries and timers it started. */
	sim_run(s, SIM_RUN_UNTIL, scn_world_last_action(w) + 3600 * SIM_S);
	fired = sim_fired(s);
	bt->run = secs_since(t0);
	bt->cpu = (double)(nl_cpu_ns() - c0) / 1e9;
	scn_world_free(w);
	sim_free(s);
	return fired;
}

static int
cmd_run(int argc, char **argv)
{
	const char *name;
	struct scn_model *m;
	struct bench_times bt;
	double load_s, run_s, floor;
	uint64_t work, events;
	int is_mail, mixed;

	if (argc != 4) {
		fprintf(stderr, "usage: netlab-bench run NAME FILE\n");
		return 2;
	}
	name = argv[2];
	m = bench_load(argv[3], &load_s);
	if (m == NULL)
		return 1;
	work = model_work(m);
	/* A mail benchmark has mail-loads and no resolve-load; a mixed
	 * scenario counts timeline actions against the DNS floor. */
	mixed = model_has(m, SCN_ACT_MAIL_LOAD) &&
	    model_has(m, SCN_ACT_RESOLVE_LOAD);
	is_mail = !mixed && model_has(m, SCN_ACT_MAIL_LOAD);
	events = bench_run(m, NULL, &bt);
	scn_model_free(m);
	if (events == 0)
		return 1;
	run_s = bt.build + bt.run;
	/* The floor, measured now in this process: the codec of the
	 * protocol doing the work. A lookup is at least one DNS message
	 * each way; a relayed mail is two SMTP sessions (submission, then
	 * relay) of the 10-line client dialogue codec_smtp parses. */
	floor = is_mail ? codec_smtp(2000000) / 10.0 : codec_dns(200000);
	printf("%s.load %.2f s (reading and checking the JSON)\n", name,
	    load_s);
	printf("%s.run %.2f s (build %.2f s + run %.2f s; %.2f s of CPU)\n",
	    name, run_s, bt.build, bt.run, bt.cpu);
	printf("%s.%s_per_s %.0f %s/s\n", name, is_mail ? "mails" : mixed ?
	    "actions" : "lookups", (double)work / run_s, is_mail ? "mail" :
	    mixed ? "action" : "lookup");
	printf("%s.events_per_s %.0f event/s (%llu events)\n", name,
	    (double)events / run_s, (unsigned long long)events);
	printf("%s.peak_rss %.0f MiB\n", name,
	    (double)nl_peak_rss() / (1024.0 * 1024.0));
	printf("%s.vs_codec %.5f (%s per s / %s per s)\n", name,
	    (double)work / run_s / floor, is_mail ? "mails" : mixed ?
	    "lookups and mails" : "lookups",
	    is_mail ? "SMTP sessions parsed" : "DNS msgs coded");
	return 0;
}

/* ---- The trace: file and pcap ---- */

/* Bytes of f from the start. */
static long
file_size(FILE *f)
{
	long n;

	if (fseek(f, 0, SEEK_END) != 0)
		return -1;
	n = ftell(f);
	rewind(f);
	return n;
}

/* The floor: n bytes written with fwrite and read back with fread. */
static double
raw_io(long n)
{
	FILE *f = tmpfile();
	char *buf = malloc(1 << 16);
	long left;
	uint64_t t0;

	if (f == NULL || buf == NULL) {
		free(buf);
		if (f != NULL)
			fclose(f);
		return 0;
	}
	memset(buf, 'x', 1 << 16);
	t0 = nl_wall_ns();
	for (left = n; left > 0; left -= 1 << 16)
		(void)fwrite(buf, 1, left < (1 << 16) ? (size_t)left : 1 << 16,
		    f);
	fflush(f);
	rewind(f);
	while (fread(buf, 1, 1 << 16, f) > 0)
		;
	fclose(f);
	free(buf);
	return (double)n / secs_since(t0);
}

/* Scenario file run with a trace, *bt its times; NULL on failure (said
 * on stderr). */
static struct trace *
bench_traced(const char *file, struct bench_times *bt)
{
	struct scn_model *m;
	struct trace *t;
	double load_s;

	m = bench_load(file, &load_s);
	t = trace_new();
	if (m == NULL || t == NULL || bench_run(m, t, bt) == 0) {
		trace_free(t);
		t = NULL;
	}
	scn_model_free(m);
	return t;
}

static int
cmd_trace(int argc, char **argv)
{
	struct trace *t, *back = NULL;
	struct bench_times bt;
	FILE *f = NULL, *p = NULL;
	double w_s, r_s, p_s, mb;
	uint64_t t0;
	long size, psize;
	size_t n;
	char err[256];

	if (argc != 3) {
		fprintf(stderr, "usage: netlab-bench trace FILE\n");
		return 2;
	}
	if ((t = bench_traced(argv[2], &bt)) == NULL)
		return 1;
	n = trace_count(t);
	f = tmpfile();
	p = tmpfile();
	if (f == NULL || p == NULL)
		goto fail;
	t0 = nl_wall_ns();
	if (trace_file_write(t, f) != NL_OK || fflush(f) != 0)
		goto fail;
	w_s = secs_since(t0);
	size = file_size(f);
	t0 = nl_wall_ns();
	if (trace_file_read(f, &back, err, sizeof err) != NL_OK) {
		fprintf(stderr, "netlab-bench: reading back: %s\n", err);
		goto fail;
	}
	r_s = secs_since(t0);
	if (trace_count(back) != n) {
		fprintf(stderr, "netlab-bench: read back %zu events of %zu\n",
		    trace_count(back), n);
		goto fail;
	}
	t0 = nl_wall_ns();
	if (trace_pcap_write(t, TRACE_PCAP_ALL_NODES, p) != NL_OK ||
	    fflush(p) != 0)
		goto fail;
	p_s = secs_since(t0);
	psize = file_size(p);
	mb = (double)size / 1e6;
	printf("trace.events %zu events (%.1f MB file, %.1f s to run)\n", n,
	    mb, bt.build + bt.run);
	printf("trace.write %.1f MB/s (%.2f s)\n", mb / w_s, w_s);
	printf("trace.read %.1f MB/s (%.2f s)\n", mb / r_s, r_s);
	printf("trace.write_read_1e6 %.2f s per 10^6 events\n",
	    (w_s + r_s) * 1e6 / (double)n);
	printf("trace.raw_io %.1f MB/s (fwrite+fread of as many bytes)\n",
	    raw_io(size) / 1e6);
	printf("trace.vs_raw %.3f (trace write+read / raw write+read)\n",
	    ((double)size / (w_s + r_s)) / raw_io(size));
	printf("pcap.write %.1f MB/s (%.1f MB, %.2f s)\n",
	    (double)psize / 1e6 / p_s, (double)psize / 1e6, p_s);
	fclose(f);
	fclose(p);
	trace_free(back);
	trace_free(t);
	return 0;
fail:
	if (f != NULL)
		fclose(f);
	if (p != NULL)
		fclose(p);
	trace_free(back);
	trace_free(t);
	return 1;
}

/* `netlab-bench inspect SCENARIO.json NODE`: the scenario run with a
 * trace, then the viewer's frame with NODE's inspector open at the last
 * event, against the same frame without it (bench_ui.c). */
static int
cmd_inspect(int argc, char **argv)
{
	struct trace *t;
	struct bench_times bt;
	int rc;

	if (argc != 4) {
		fprintf(stderr, "usage: netlab-bench inspect FILE NODE\n");
		return 2;
	}
	if ((t = bench_traced(argv[2], &bt)) == NULL)
		return 1;
	rc = bench_ui_inspect(t, argv[3]);
	trace_free(t);
	return rc;
}

/* ---- The viewer ----
 * The frame-time figure (display-list build and software draw at 1,000
 * nodes and 10,000 messages in flight) is `netlab-bench ui`, dispatched
 * in main() below and written in its own file, bench_ui.c. */

static void
usage(FILE *f)
{
	fprintf(f, "usage: netlab-bench hold PENDING EVENTS\n"
	    "       netlab-bench codec N\n"
	    "       netlab-bench run NAME SCENARIO.json\n"
	    "       netlab-bench trace SCENARIO.json\n"
	    "       netlab-bench ui [NODES MESSAGES]\n"
	    "       netlab-bench inspect SCENARIO.json NODE\n");
}

int
main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "hold") == 0)
		return cmd_hold(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "codec") == 0)
		return cmd_codec(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "run") == 0)
		return cmd_run(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "trace") == 0)
		return cmd_trace(argc, argv);
	/* The viewer's figure: `netlab-bench ui ...` (bench_ui.c). */
	if (argc >= 2 && strcmp(argv[1], "ui") == 0)
		return bench_ui(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "inspect") == 0)
		return cmd_inspect(argc, argv);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return 0;
	}
	usage(stderr);
	return 2;
}
