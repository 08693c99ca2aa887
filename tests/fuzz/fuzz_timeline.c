/* fuzz_timeline.c - fuzz target for whole runs: the bytes are the
 * timeline of a fixed small world (a DNS hierarchy, a mail server and
 * three user agents behind one router), which is loaded through the
 * public scenario API, built and run through the engine to a bounded
 * virtual time. Every input must load, build and run to the end; the
 * engine must never run an event in the past.
 *
 * Each action is 4 bytes: op, time (16 bits, big-endian, in 10 ms
 * steps, so up to 655 s) and one argument byte whose meaning depends
 * on op (which link, which node, which name, which protocol). At most
 * TL_ACTIONS_MAX actions are read; trailing bytes are ignored. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/sim.h"
#include "scenario/scn.h"
#include "trace/trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TL_ACTIONS_MAX 48
/* How long a run goes on after the last action: longer than every TCP
 * and DNS timeout, and than TIME-WAIT. */
#define TL_TAIL (900 * SIM_S)

/* The world without its timeline: nodes and links. */
static const char tl_world[] =
    "{\"netlab_scenario\": 1, \"seed\": 7,\n"
    " \"nodes\": [\n"
    "  {\"id\": \"alice\", \"kind\": \"user-agent\", \"address\": "
    "\"10.0.1.10\", \"user\": \"alice@crepes.fr\", \"server\": "
    "\"mail\", \"dns\": \"local\"},\n"
    "  {\"id\": \"bob\", \"kind\": \"user-agent\", \"address\": "
    "\"10.0.1.11\", \"user\": \"bob@hamburger.edu\", \"password\": "
    "\"pickles\", \"server\": \"mail\", \"dns\": \"local\"},\n"
    "  {\"id\": \"bob2\", \"kind\": \"user-agent\", \"address\": "
    "\"10.0.1.12\", \"user\": \"bob@hamburger.edu\", \"password\": "
    "\"wrong\", \"server\": \"mail\"},\n"
    "  {\"id\": \"mail\", \"kind\": \"mail-server\", \"address\": "
    "\"10.0.2.25\", \"domain\": \"hamburger.edu\", \"dns\": \"local\", "
    "\"users\": [{\"name\": \"bob\", \"password\": \"pickles\"}]},\n"
    "  {\"id\": \"r1\", \"kind\": \"router\", \"addresses\": "
    "[\"10.0.1.1\", \"10.0.2.1\", \"10.0.3.1\"]},\n"
    "  {\"id\": \"local\", \"kind\": \"dns-local\", \"address\": "
    "\"10.0.2.53\", \"resolver\": {\"timeout\": \"1s\", \"retries\": 1}},\n"
    "  {\"id\": \"root\", \"kind\": \"dns-root\", \"address\": "
    "\"10.0.3.4\", \"zones\": [{\"origin\": \".\", \"ttl\": \"1h\", "
    "\"records\": ["
    "{\"name\": \".\", \"type\": \"NS\", \"data\": \"root.\"},"
    "{\"name\": \"root.\", \"type\": \"A\", \"data\": \"10.0.3.4\"},"
    "{\"name\": \"edu.\", \"type\": \"NS\", \"data\": \"dns.edu.\"},"
    "{\"name\": \"dns.edu.\", \"type\": \"A\", \"data\": \"10.0.3.5\"}"
    "]}]},\n"
    "  {\"id\": \"edu\", \"kind\": \"dns-authoritative\", \"address\": "
    "\"10.0.3.5\", \"zones\": [{\"origin\": \"edu.\", \"ttl\": \"30s\", "
    "\"soa\": {\"minimum\": \"20s\"}, \"records\": ["
    "{\"name\": \"@\", \"type\": \"NS\", \"data\": \"dns.edu.\"},"
    "{\"name\": \"dns.edu.\", \"type\": \"A\", \"data\": \"10.0.3.5\"},"
    "{\"name\": \"hamburger.edu.\", \"type\": \"MX\", \"data\": "
    "\"10 mail.hamburger.edu.\"},"
    "{\"name\": \"hamburger.edu.\", \"type\": \"A\", \"ttl\": \"5s\", "
    "\"data\": \"10.0.2.80\"},"
    "{\"name\": \"mail.hamburger.edu.\", \"type\": \"A\", \"data\": "
    "\"10.0.2.25\"},"
    "{\"name\": \"www.hamburger.edu.\", \"type\": \"CNAME\", \"data\": "
    "\"hamburger.edu.\"}"
    "]}]}\n"
    " ],\n"
    " \"links\": [\n"
    "  {\"id\": \"l0\", \"a\": \"alice\", \"b\": \"r1\", \"delay\": "
    "\"5ms\", \"bandwidth\": \"10Mbit/s\"},\n"
    "  {\"id\": \"l1\", \"a\": \"bob\", \"b\": \"r1\", \"delay\": "
    "\"2ms\", \"bandwidth\": \"10Mbit/s\", \"loss\": \"5%\"},\n"
    "  {\"id\": \"l2\", \"a\": \"bob2\", \"b\": \"r1\", \"delay\": "
    "\"20ms\", \"bandwidth\": \"1Mbit/s\", \"queue\": 4},\n"
    "  {\"id\": \"l3\", \"a\": \"mail\", \"b\": \"r1\", \"delay\": "
    "\"1ms\", \"bandwidth\": \"100Mbit/s\"},\n"
    "  {\"id\": \"l4\", \"a\": \"local\", \"b\": \"r1\", \"delay\": "
    "\"1ms\", \"bandwidth\": \"100Mbit/s\"},\n"
    "  {\"id\": \"l5\", \"a\": \"root\", \"b\": \"r1\", \"delay\": "
    "\"30ms\", \"bandwidth\": \"100Mbit/s\"},\n"
    "  {\"id\": \"l6\", \"a\": \"edu\", \"b\": \"r1\", \"delay\": "
    "\"40ms\", \"bandwidth\": \"100Mbit/s\"}\n"
    " ],\n"
    " \"timeline\": [\n";

static const char *const tl_links[] = {
	"l0", "l1", "l2", "l3", "l4", "l5", "l6"
};
static const char *const tl_nodes[] = {
	"alice", "bob", "bob2", "mail", "r1", "local", "root", "edu"
};
static const char *const tl_senders[] = { "alice", "bob", "bob2" };
static const char *const tl_fetchers[] = { "bob", "bob2" };
/* resolve: a name and a type; hits, a CNAME, NXDOMAIN, NODATA, and a
 * name under no zone. */
static const char *const tl_names[][2] = {
	{ "hamburger.edu", "MX" }, { "mail.hamburger.edu", "A" },
	{ "www.hamburger.edu", "A" }, { "hamburger.edu", "A" },
	{ "nope.hamburger.edu", "A" }, { "hamburger.edu", "AAAA" },
	{ "edu", "NS" }, { "example.org", "A" }
};
/* send-mail: one recipient; a local user, an unknown one, another
 * domain (a relay refused). */
static const char *const tl_rcpts[] = {
	"bob@hamburger.edu", "nobody@hamburger.edu", "carol@crepes.fr"
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* A JSON text being built: a fixed buffer large enough for
 * TL_ACTIONS_MAX actions (every string above is short). */
struct tl_json {
	char buf[16384];
	size_t len;
};

static void tl_put(struct tl_json *j, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
tl_put(struct tl_json *j, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(j->buf + j->len, sizeof j->buf - j->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof j->buf - j->len)
		abort();	/* the buffer is sized for the worst case */
	j->len += (size_t)n;
}

/* Appends the action that 4 bytes p describe. */
static void
tl_action(struct tl_json *j, const uint8_t *p)
{
	unsigned ms = ((unsigned)p[1] << 8 | p[2]) * 10u, arg = p[3];

	tl_put(j, "  {\"at\": \"%u.%03us\", ", ms / 1000, ms % 1000);
	switch (p[0] % 9) {
	case 0:
		tl_put(j, "\"do\": \"send-mail\", \"from\": \"%s\", \"to\": "
		    "\"%s\", \"subject\": \"m%u\", \"body\": [\"line\", "
		    "\".dot\", \"\"], \"raw\": %s}",
		    tl_senders[arg % NELEM(tl_senders)],
		    tl_rcpts[(arg >> 2) % NELEM(tl_rcpts)], arg,
		    arg & 0x80 ? "true" : "false");
		break;
	case 1:
		tl_put(j, "\"do\": \"resolve\", \"from\": \"%s\", \"name\": "
		    "\"%s\", \"type\": \"%s\"}", arg & 0x80 ? "bob" : "alice",
		    tl_names[arg % NELEM(tl_names)][0],
		    tl_names[arg % NELEM(tl_names)][1]);
		break;
	case 2:
		tl_put(j, "\"do\": \"fetch-mail\", \"from\": \"%s\", "
		    "\"protocol\": \"%s\", \"keep\": %s}",
		    tl_fetchers[arg % NELEM(tl_fetchers)],
		    arg & 2 ? "imap" : "pop3", arg & 4 ? "true" : "false");
		break;
	case 3:
	case 4:
		tl_put(j, "\"do\": \"link-%s\", \"link\": \"%s\"}",
		    p[0] % 9 == 3 ? "down" : "up",
		    tl_links[arg % NELEM(tl_links)]);
		break;
	case 5:
	case 6:
		tl_put(j, "\"do\": \"node-%s\", \"node\": \"%s\"}",
		    p[0] % 9 == 5 ? "down" : "up",
		    tl_nodes[arg % NELEM(tl_nodes)]);
		break;
	case 7:
		tl_put(j, "\"do\": \"cache-flush\", \"node\": \"local\"}");
		break;
	default:
		tl_put(j, "\"do\": \"note\", \"text\": \"n%u\"}", arg);
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tl_json j;
	struct scn_errors errs;
	struct scn_model *m = NULL;
	struct sim *s;
	struct trace *t;
	struct scn_world *w = NULL;
	char err[256];
	size_t i, n = size / 4;
	sim_time last = INT64_MIN;

	if (n > TL_ACTIONS_MAX)
		n = TL_ACTIONS_MAX;
	j.len = 0;
	tl_put(&j, "%s", tl_world);
	for (i = 0; i < n; i++) {
		tl_action(&j, data + 4 * i);
		tl_put(&j, "%s\n", i + 1 < n ? "," : "");
	}
	tl_put(&j, " ]}\n");

	scn_errors_init(&errs);
	if (scn_load_buffer("timeline.json", j.buf, j.len, &m, &errs) !=
	    NL_OK) {
		/* The generated world is always valid: show why not. */
		scn_errors_print(&errs, stderr);
		abort();
	}
	scn_errors_free(&errs);
	s = sim_new(m->seed);
	t = trace_new();
	if (s == NULL || t == NULL)
		abort();
	if (scn_build(m, s, t, &w, err, sizeof err) != NL_OK) {
		fprintf(stderr, "fuzz_timeline: %s\n", err);
		abort();
	}
	sim_run(s, SIM_RUN_UNTIL, scn_world_last_action(w) + TL_TAIL);
	for (i = 0; i < trace_count(t); i++) {
		const struct trace_event *ev = trace_at(t, i);

		if (ev->t < last)
			abort();	/* an event in the past */
		last = ev->t;
	}
	scn_world_free(w);
	sim_free(s);
	trace_free(t);
	scn_model_free(m);
	return 0;
}
