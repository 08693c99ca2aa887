/* test_faults.c - fault properties: seeded random fault schedules on
 * small worlds, with invariants checked from the trace.
 *
 * A schedule adds to a world's own timeline link outages, loss bursts
 * (a link down for a few hundred milliseconds, losing what is on the
 * wire), random loss on one link, and nodes that crash and restart
 * (servers included), all at times drawn from a PRNG seeded with the
 * schedule's number, so every run is the same. The world then runs to
 * a quiet end and every invariant reads its trace.
 *
 * To add a world: one function that returns its JSON, one row in
 * fault_worlds[]. To add an invariant: one function that reads a trace,
 * one row in fault_invariants[]; invariants that do not concern a
 * world pass on it (no event of theirs). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/sim.h"
#include "net/net.h"
#include "nodes/dns_cache.h"
#include "scenario/scn.h"
#include "test.h"
#include "trace/trace.h"
#include "util/alloc.h"

/* How long a world may take to go quiet after its last action: DNS
 * entries live for days in the shipped zones. */
#define FAULT_QUIET (30 * 24 * 3600 * SIM_S)
#define FAULT_WHY_MAX 256
#define FAULT_JSON_MAX 65536

/* ---- The PRNG of the schedules (splitmix64: fixed, tiny) ---------------- */

static uint64_t
fault_rand(uint64_t *st)
{
	uint64_t z = (*st += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [0, n); 0 when n == 0 (the bias is of no matter here). */
static uint64_t
fault_below(uint64_t *st, uint64_t n)
{
	return n == 0 ? 0 : fault_rand(st) % n;
}

/* ---- Invariants: each reads a whole trace --------------------------------- */

/* NL_OK, or a message in why (size FAULT_WHY_MAX). */
typedef int fault_inv_fn(const struct trace *t, char *why);

/* The engine never runs an event in the past: event times never go
 * down, a datagram leaves no earlier than it is sent, and arrives
 * exactly when its pkt-send said it would. */
static int
inv_time(const struct trace *t, char *why)
{
	size_t i, n = trace_count(t);
	sim_time last = 0;

	for (i = 0; i < n; i++) {
		const struct trace_event *ev = trace_at(t, i);

		if (ev->t < last) {
			snprintf(why, FAULT_WHY_MAX, "event %zu at %lld ns "
			    "comes after one at %lld ns", i, (long long)ev->t,
			    (long long)last);
			return 1;
		}
		last = ev->t;
		if (ev->kind == TRACE_PKT_SEND && (ev->b < ev->t ||
		    ev->c < ev->b)) {
			snprintf(why, FAULT_WHY_MAX, "pkt-send %zu at %lld "
			    "starts at %lld, arrives at %lld", i,
			    (long long)ev->t, (long long)ev->b,
			    (long long)ev->c);
			return 1;
		}
		if (ev->kind == TRACE_PKT_RECV) {
			const struct trace_event *snd =
			    ev->a >= 0 && (uint64_t)ev->a < i ?
			    trace_at(t, (size_t)ev->a) : NULL;

			if (snd == NULL || snd->kind != TRACE_PKT_SEND ||
			    snd->c != ev->t) {
				snprintf(why, FAULT_WHY_MAX, "pkt-recv %zu at "
				    "%lld does not match its pkt-send %lld",
				    i, (long long)ev->t, (long long)ev->a);
				return 1;
			}
		}
	}
	return 0;
}

/* One entry of a folded DNS cache. */
struct inv_entry {
	int32_t node;		/* the cache's node */
	uint8_t key[260];	/* question name (lower case) and type */
	size_t klen;
	int64_t expires;	/* ns, from the add */
	int64_t ttl;		/* seconds, as stored */
};

/* The key of a cache event's entry: the question of its DNS message,
 * name lower-cased (the first name of a message is never compressed)
 * and type. 0 when the data is not such a message. */
static int
inv_cache_key(const struct trace_event *ev, struct inv_entry *e)
{
	size_t off = 12, start, i;

	if (ev->data == NULL || ev->len < 12 + 1 + 4)
		return 0;
	start = off;
	while (off < ev->len && ev->data[off] != 0) {
		if (ev->data[off] & 0xc0)
			return 0;
		off += 1u + ev->data[off];
	}
	off += 1 + 2;	/* the root, then the type */
	if (off > ev->len || off - start > sizeof e->key)
		return 0;
	e->klen = off - start;
	for (i = 0; i < e->klen; i++) {
		uint8_t c = ev->data[start + i];

		e->key[i] = c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
	}
	return 1;
}

/* No DNS cache answers from an entry past its TTL: fold every cache's
 * state events (nodes/dns_cache.h); a hit must find a live entry added
 * earlier with the same expiry, before it expires, and report the TTL
 * left as ceil((expires - now) / 1 s); an expiry must come no earlier
 * than the entry's time. */
static int
inv_dns_ttl(const struct trace *t, char *why)
{
	struct inv_entry *v = NULL, e;
	size_t n = 0, cap = 0, i, j;
	int bad = 0;

	for (i = 0; i < trace_count(t) && !bad; i++) {
		const struct trace_event *ev = trace_at(t, i);

		if (ev->kind != TRACE_STATE || ev->proto != TRACE_P_DNS)
			continue;
		if (ev->a == DNS_ST_CACHE_FLUSH) {
			for (j = 0; j < n;) {
				if (v[j].node == ev->node)
					v[j] = v[--n];
				else
					j++;
			}
			continue;
		}
		if (ev->a != DNS_ST_CACHE_ADD && ev->a != DNS_ST_CACHE_HIT &&
		    ev->a != DNS_ST_CACHE_EXPIRE)
			continue;
		memset(&e, 0, sizeof e);
		if (!inv_cache_key(ev, &e)) {
			snprintf(why, FAULT_WHY_MAX, "cache event %zu has no "
			    "entry", i);
			bad = 1;
			break;
		}
		e.node = ev->node;
		for (j = 0; j < n; j++)
			if (v[j].node == e.node && v[j].klen == e.klen &&
			    memcmp(v[j].key, e.key, e.klen) == 0)
				break;
		switch (ev->a) {
		case DNS_ST_CACHE_ADD:
			if (j == n) {
				if (nl_array_grow((void **)&v, n, &cap,
				    sizeof *v, 16) != NL_OK) {
					snprintf(why, FAULT_WHY_MAX, "memory");
					bad = 1;
					break;
				}
				n++;
			}
			e.expires = ev->c;
			e.ttl = ev->b;
			v[j] = e;
			if (ev->c != ev->t + ev->b * SIM_S) {
				snprintf(why, FAULT_WHY_MAX, "cache add %zu: "
				    "TTL %lld s but expires at %lld", i,
				    (long long)ev->b, (long long)ev->c);
				bad = 1;
			}
			break;
		case DNS_ST_CACHE_HIT:
			if (j == n || ev->t >= v[j].expires ||
			    ev->c != v[j].expires ||
			    ev->b != (v[j].expires - ev->t + SIM_S - 1) /
			    SIM_S) {
				snprintf(why, FAULT_WHY_MAX, "cache hit %zu at "
				    "%lld ns (TTL %lld left) from %s entry "
				    "expiring at %lld: %s", i,
				    (long long)ev->t, (long long)ev->b,
				    j == n ? "no" : "an",
				    j == n ? 0LL : (long long)v[j].expires,
				    ev->summary);
				bad = 1;
			}
			break;
		default:	/* DNS_ST_CACHE_EXPIRE */
			if (j == n || ev->t < v[j].expires) {
				snprintf(why, FAULT_WHY_MAX, "cache expiry %zu "
				    "at %lld ns of %s entry: %s", i,
				    (long long)ev->t, j == n ? "no" :
				    "a live", ev->summary);
				bad = 1;
			} else {
				v[j] = v[--n];
			}
			break;
		}
	}
	nl_free(v);
	return bad;
}

/* Every TCP connection ends CLOSED (orderly, after TIME-WAIT, or
 * reset) once the run is quiet: fold the tcp-state events by
 * connection id; listeners (last state LISTEN) stay. */
static int
inv_tcp_closed(const struct trace *t, char *why)
{
	struct conn {
		int64_t id;
		int64_t state;
		size_t at;
	} *v = NULL;
	size_t n = 0, cap = 0, i, j;
	int bad = 0;

	for (i = 0; i < trace_count(t) && !bad; i++) {
		const struct trace_event *ev = trace_at(t, i);

		if (ev->kind != TRACE_TCP_STATE)
			continue;
		for (j = 0; j < n; j++)
			if (v[j].id == ev->c)
				break;
		if (j == n) {
			if (nl_array_grow((void **)&v, n, &cap, sizeof *v,
			    16) != NL_OK) {
				snprintf(why, FAULT_WHY_MAX, "memory");
				bad = 1;
				break;
			}
			n++;
			v[j].id = ev->c;
		} else if (v[j].state != ev->a) {
			snprintf(why, FAULT_WHY_MAX, "connection %lld: event "
			    "%zu leaves state %lld, but it was in %lld",
			    (long long)ev->c, i, (long long)ev->a,
			    (long long)v[j].state);
			bad = 1;
		}
		v[j].state = ev->b;
		v[j].at = i;
	}
	for (j = 0; j < n && !bad; j++)
		if (v[j].state != NET_TCP_CLOSED &&
		    v[j].state != NET_TCP_LISTEN) {
			snprintf(why, FAULT_WHY_MAX, "connection %lld ends in "
			    "%s (event %zu)", (long long)v[j].id,
			    net_tcp_state_str((enum net_tcp_state)v[j].state),
			    v[j].at);
			bad = 1;
		}
	nl_free(v);
	return bad;
}

struct fault_invariant {
	const char *name;
	fault_inv_fn *check;
};

static const struct fault_invariant fault_invariants[] = {
	{ "time never goes back", inv_time },
	{ "no DNS cache answer past its TTL", inv_dns_ttl },
	{ "every TCP connection ends closed or reset", inv_tcp_closed },
};

/* ---- Worlds --------------------------------------------------------------- */

/* Writes the world's JSON with an empty slot for extra actions: the
 * text up to and including `"timeline": [`, then the rest. A world is
 * a shipped scenario or a small JSON of its own. */
struct fault_world {
	const char *name;
	const char *file;	/* scenarios/NAME.json, or NULL */
	const char *json;	/* the world's own JSON, when no file */
	unsigned schedules;	/* how many schedules to run */
	unsigned faults;	/* faults per schedule, at most */
	unsigned kinds;		/* FAULT_LINKS, FAULT_NODES */
};

#define FAULT_LINKS 1u	/* link outages and loss bursts */
#define FAULT_NODES 2u	/* nodes crashing and restarting */

/* A small world of its own: a mail server, a user agent sending to it
 * and one fetching from it, and a DNS pair, behind one router. */
static const char world_small[] =
    "{\"netlab_scenario\": 1, \"seed\": 3, \"nodes\": ["
    "{\"id\": \"alice\", \"kind\": \"user-agent\", \"address\": "
    "\"10.0.1.10\", \"user\": \"alice@crepes.fr\", \"server\": \"mail\", "
    "\"dns\": \"local\"},"
    "{\"id\": \"bob\", \"kind\": \"user-agent\", \"address\": "
    "\"10.0.1.11\", \"user\": \"bob@hamburger.edu\", \"password\": "
    "\"pickles\", \"server\": \"mail\"},"
    "{\"id\": \"mail\", \"kind\": \"mail-server\", \"address\": "
    "\"10.0.2.25\", \"domain\": \"hamburger.edu\", \"dns\": \"local\", "
    "\"users\": [{\"name\": \"bob\", \"password\": \"pickles\"}]},"
    "{\"id\": \"r1\", \"kind\": \"router\", \"addresses\": "
    "[\"10.0.1.1\", \"10.0.2.1\"]},"
    "{\"id\": \"local\", \"kind\": \"dns-local\", \"address\": "
    "\"10.0.2.53\"},"
    "{\"id\": \"root\", \"kind\": \"dns-root\", \"address\": "
    "\"10.0.2.4\", \"zones\": [{\"origin\": \".\", \"ttl\": \"20s\", "
    "\"records\": [{\"name\": \"hamburger.edu.\", \"type\": \"A\", "
    "\"data\": \"10.0.2.25\"}, {\"name\": \"hamburger.edu.\", "
    "\"type\": \"MX\", \"ttl\": \"3s\", \"data\": "
    "\"10 hamburger.edu.\"}]}]}],"
    "\"links\": ["
    "{\"a\": \"alice\", \"b\": \"r1\", \"delay\": \"5ms\", "
    "\"bandwidth\": \"10Mbit/s\"},"
    "{\"a\": \"bob\", \"b\": \"r1\", \"delay\": \"10ms\", "
    "\"bandwidth\": \"10Mbit/s\"},"
    "{\"a\": \"mail\", \"b\": \"r1\", \"delay\": \"1ms\", "
    "\"bandwidth\": \"100Mbit/s\"},"
    "{\"a\": \"local\", \"b\": \"r1\", \"delay\": \"1ms\", "
    "\"bandwidth\": \"100Mbit/s\"},"
    "{\"a\": \"root\", \"b\": \"r1\", \"delay\": \"20ms\", "
    "\"bandwidth\": \"100Mbit/s\"}],"
    "\"timeline\": ["
    "{\"at\": \"0s\", \"do\": \"send-mail\", \"from\": \"alice\", "
    "\"to\": \"bob@hamburger.edu\", \"subject\": \"one\", \"body\": "
    "\"Do you like ketchup?\"},"
    "{\"at\": \"0.5s\", \"do\": \"resolve\", \"from\": \"alice\", "
    "\"name\": \"hamburger.edu\", \"type\": \"MX\"},"
    "{\"at\": \"1s\", \"do\": \"fetch-mail\", \"from\": \"bob\", "
    "\"protocol\": \"pop3\", \"keep\": true},"
    "{\"at\": \"2s\", \"do\": \"resolve\", \"from\": \"alice\", "
    "\"name\": \"hamburger.edu\", \"type\": \"MX\"},"
    "{\"at\": \"3s\", \"do\": \"send-mail\", \"from\": \"alice\", "
    "\"to\": \"bob@hamburger.edu\", \"subject\": \"two\", \"body\": "
    "\"How about pickles?\"},"
    "{\"at\": \"4s\", \"do\": \"fetch-mail\", \"from\": \"bob\", "
    "\"protocol\": \"imap\", \"keep\": false},"
    "{\"at\": \"6s\", \"do\": \"resolve\", \"from\": \"alice\", "
    "\"name\": \"hamburger.edu\", \"type\": \"MX\"},"
    "{\"at\": \"25s\", \"do\": \"resolve\", \"from\": \"alice\", "
    "\"name\": \"hamburger.edu\", \"type\": \"A\"}"
    "]}";

/* The mail world gets crashes too: a user agent waiting for a reply
 * from a server that crashed gives up after its reply timeout (RFC 5321
 * 4.5.3.2 for SMTP, 100 s for POP3 and IMAP), so every connection ends. */
static const struct fault_world fault_worlds[] = {
	{ "dns-caching", "dns-caching", NULL, 250, 6,
	  FAULT_LINKS | FAULT_NODES },
	{ "dns-server-down", "dns-server-down", NULL, 200, 6,
	  FAULT_LINKS | FAULT_NODES },
	{ "dns-iterated", "dns-iterated", NULL, 150, 6,
	  FAULT_LINKS | FAULT_NODES },
	{ "dns-recursive", "dns-recursive", NULL, 150, 6,
	  FAULT_LINKS | FAULT_NODES },
	{ "small mail+dns", NULL, world_small, 300, 8,
	  FAULT_LINKS | FAULT_NODES },
};

/* ---- Schedules ------------------------------------------------------------ */

/* The bytes of scenarios/NAME.json (tests run from the top folder or a
 * build folder below it), nl_free'd by the caller; NULL if not found. */
static char *
fault_file(const char *name)
{
	static const char *const dirs[] = { "scenarios/", "../scenarios/",
		"../../scenarios/" };
	size_t i;

	for (i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		char path[256];
		FILE *f;
		char *buf;
		size_t len;

		snprintf(path, sizeof path, "%s%s.json", dirs[i], name);
		f = fopen(path, "rb");
		if (f == NULL)
			continue;
		buf = nl_alloc(FAULT_JSON_MAX);
		len = buf == NULL ? 0 : fread(buf, 1, FAULT_JSON_MAX - 1, f);
		fclose(f);
		if (buf != NULL)
			buf[len] = '\0';
		return buf;
	}
	return NULL;
}

/* A world's base, loaded once: its JSON, and the names faults pick. */
struct fault_base {
	const char *json;	/* the world's JSON */
	size_t split;		/* just after `"timeline": [` */
	int empty;		/* the timeline had no action */
	const struct scn_model *m;	/* the world loaded as is */
	sim_time last;		/* its last action */
};

/* Appends to j (of size FAULT_JSON_MAX, *len used) the action `what`
 * ("link-down") on `key` ("link") `name` at `at` microseconds, and a
 * comma. 1 when it does not fit. */
static int
fault_put(char *j, size_t *len, const char *what, const char *key,
    const char *name, unsigned long long at)
{
	int n = snprintf(j + *len, FAULT_JSON_MAX - *len, "{\"at\": "
	    "\"%llu.%06llus\", \"do\": \"%s\", \"%s\": \"%s\"},",
	    at / 1000000, at % 1000000, what, key, name);

	if (n < 0 || (size_t)n >= FAULT_JSON_MAX - *len)
		return 1;
	*len += (size_t)n;
	return 0;
}

/* Writes into j the world's JSON with schedule `seed`'s faults added to
 * its timeline. Times in microseconds, within the world's active time
 * (its last action plus 5 s, at least 10 s). */
static int
fault_schedule(const struct fault_base *b, const struct fault_world *w,
    uint64_t seed, char *j)
{
	const struct scn_model *m = b->m;
	uint64_t st = seed * 0x2545f4914f6cdd1dull + 1;
	unsigned long long span = (unsigned long long)(b->last / SIM_US) +
	    5000000ull, at, len_us;
	unsigned i, k = 1 + (unsigned)fault_below(&st, w->faults);
	size_t len = b->split;

	if (span < 10000000ull)
		span = 10000000ull;
	memcpy(j, b->json, b->split);
	for (i = 0; i < k; i++) {
		unsigned kind = (unsigned)fault_below(&st, 3);
		const char *what;

		at = fault_below(&st, span);
		if (!(w->kinds & FAULT_NODES) || m->nnodes == 0)
			kind %= 2;
		if (!(w->kinds & FAULT_LINKS) || m->nlinks == 0)
			kind = 2;
		if (kind < 2) {
			/* A link outage (kind 0: seconds) or a loss burst
			 * (kind 1: a few hundred ms). */
			what = m->links[fault_below(&st, m->nlinks)].id;
			len_us = kind == 0 ? 500000 + fault_below(&st, 8000000) :
			    1000 + fault_below(&st, 300000);
			if (fault_put(j, &len, "link-down", "link", what, at) ||
			    fault_put(j, &len, "link-up", "link", what,
			    at + len_us))
				return 1;
		} else {
			/* A node crashes, and mostly restarts. */
			what = m->nodes[fault_below(&st, m->nnodes)].id;
			len_us = 10000 + fault_below(&st, 10000000);
			if (fault_put(j, &len, "node-down", "node", what, at))
				return 1;
			if (fault_below(&st, 8) != 0 &&
			    fault_put(j, &len, "node-up", "node", what,
			    at + len_us))
				return 1;
		}
	}
	/* The separator before the world's own actions (or the end). */
	if (b->empty)
		len--;	/* no action follows: drop the last comma */
	if (len + strlen(b->json + b->split) + 1 > FAULT_JSON_MAX)
		return 1;
	memcpy(j + len, b->json + b->split, strlen(b->json + b->split) + 1);
	return 0;
}

/* Runs one schedule: load, random loss on one link, build, run until
 * quiet, check every invariant. 0, or 1 with why filled. */
static int
fault_run(const struct fault_base *b, const struct fault_world *w,
    uint64_t seed, char *j, char *why)
{
	struct scn_errors errs;
	struct scn_model *m = NULL;
	struct sim *s = NULL;
	struct trace *t = NULL;
	struct scn_world *world = NULL;
	char err[200];
	uint64_t st = seed ^ 0x5bd1e995u;
	size_t i;
	int bad = 0;

	if (fault_schedule(b, w, seed, j)) {
		snprintf(why, FAULT_WHY_MAX, "schedule too long");
		return 1;
	}
	scn_errors_init(&errs);
	if (scn_load_buffer(w->name, j, strlen(j), &m, &errs) != NL_OK) {
		scn_error_format(&errs, 0, why, FAULT_WHY_MAX);
		scn_errors_free(&errs);
		return 1;
	}
	scn_errors_free(&errs);
	/* Half the schedules also lose up to 30% on one link. */
	if (m->nlinks > 0 && fault_below(&st, 2))
		m->links[fault_below(&st, m->nlinks)].loss =
		    (double)fault_below(&st, 30) / 100.0;
	m->seed = seed;
	s = sim_new(m->seed);
	t = trace_new();
	if (s == NULL || t == NULL ||
	    scn_build(m, s, t, &world, err, sizeof err) != NL_OK) {
		snprintf(why, FAULT_WHY_MAX, "build: %s", err);
		bad = 1;
		goto done;
	}
	sim_run(s, SIM_RUN_UNTIL, scn_world_last_action(world) + FAULT_QUIET);
	if (sim_pending(s) != 0) {
		snprintf(why, FAULT_WHY_MAX, "not quiet: %llu events pending",
		    (unsigned long long)sim_pending(s));
		bad = 1;
	}
	for (i = 0; !bad && i < sizeof fault_invariants /
	    sizeof fault_invariants[0]; i++) {
		char text[FAULT_WHY_MAX];

		if (fault_invariants[i].check(t, text)) {
			snprintf(why, FAULT_WHY_MAX, "%s: %.*s",
			    fault_invariants[i].name, 180, text);
			bad = 1;
		}
	}
done:
	scn_world_free(world);
	sim_free(s);
	trace_free(t);
	scn_model_free(m);
	return bad;
}

/* Loads world w's base: its JSON and names. */
static int
fault_base_load(const struct fault_world *w, struct fault_base *b,
    char **owned, struct scn_model **m)
{
	const char *p;
	struct scn_errors errs;
	int rc;

	*owned = NULL;
	*m = NULL;
	if (w->file != NULL) {
		*owned = fault_file(w->file);
		if (*owned == NULL)
			return 1;
		b->json = *owned;
	} else {
		b->json = w->json;
	}
	p = strstr(b->json, "\"timeline\"");
	p = p == NULL ? NULL : strchr(p, '[');
	if (p == NULL)
		return 1;
	b->split = (size_t)(p + 1 - b->json);
	p++;
	while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
		p++;
	b->empty = *p == ']';
	scn_errors_init(&errs);
	rc = scn_load_buffer(w->name, b->json, strlen(b->json), m, &errs) !=
	    NL_OK;
	scn_errors_free(&errs);
	if (rc)
		return 1;
	b->m = *m;
	b->last = (*m)->nactions > 0 ?
	    (*m)->actions[(*m)->nactions - 1].at : 0;
	return 0;
}

static void
faults_schedules(void)
{
	char *j = nl_alloc(FAULT_JSON_MAX);
	unsigned total = 0;
	size_t wi;

	ASSERT(j != NULL);
	for (wi = 0; wi < sizeof fault_worlds / sizeof fault_worlds[0];
	    wi++) {
		const struct fault_world *w = &fault_worlds[wi];
		struct fault_base b;
		struct scn_model *m;
		char *owned, why[FAULT_WHY_MAX];
		unsigned k;
		int bad = 0;

		memset(&b, 0, sizeof b);
		if (fault_base_load(w, &b, &owned, &m)) {
			scn_model_free(m);
			nl_free(owned);
			nl_free(j);
			TEST_FAIL_AT("world %s does not load", w->name);
		}
		for (k = 0; k < w->schedules && !bad; k++) {
			bad = fault_run(&b, w, 1000u * wi + k, j, why);
			total++;
		}
		scn_model_free(m);
		nl_free(owned);
		if (bad) {
			nl_free(j);
			TEST_FAIL_AT("world %s, schedule %u (seed %zu): %s",
			    w->name, k - 1, 1000u * wi + k - 1, why);
		}
	}
	nl_free(j);
	ASSERT(total >= 1000);
}

/* The invariants can fail: each catches a trace broken on purpose. */
static void
faults_invariants_catch(void)
{
	/* A cache entry: header, then the question "a." type A. */
	static uint8_t entry[] = { 0, 0, 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0,
		1, 'a', 0, 0, 1, 0, 1 };
	struct trace *t = trace_new();
	struct trace_event ev;
	char why[FAULT_WHY_MAX];
	int32_t a;

	ASSERT(t != NULL);
	ASSERT_EQ(trace_node_add(t, "n", "host", &a), NL_OK);
	memset(&ev, 0, sizeof ev);
	ev.summary = "";
	ev.node = a;
	ev.peer = ev.link = -1;
	/* A connection left ESTABLISHED. */
	ev.kind = TRACE_TCP_STATE;
	ev.a = NET_TCP_SYN_SENT;
	ev.b = NET_TCP_ESTABLISHED;
	ev.c = 1;
	ASSERT_EQ(trace_append(t, &ev, NULL), NL_OK);
	ASSERT_EQ(inv_tcp_closed(t, why), 1);
	ASSERT_EQ(inv_time(t, why), 0);
	/* A packet received before it was due. */
	ev.kind = TRACE_PKT_SEND;
	ev.t = 10;
	ev.b = 10;
	ev.c = 50;
	ASSERT_EQ(trace_append(t, &ev, NULL), NL_OK);
	ev.kind = TRACE_PKT_RECV;
	ev.t = 40;
	ev.a = 1;
	ASSERT_EQ(trace_append(t, &ev, NULL), NL_OK);
	ASSERT_EQ(inv_time(t, why), 1);
	trace_free(t);

	/* A cache hit after the entry's TTL ran out. */
	t = trace_new();
	ASSERT(t != NULL);
	ASSERT_EQ(trace_node_add(t, "n", "dns-local", &a), NL_OK);
	ev.node = a;
	ev.kind = TRACE_STATE;
	ev.proto = TRACE_P_DNS;
	ev.data = entry;
	ev.len = sizeof entry;
	ev.t = 0;
	ev.a = DNS_ST_CACHE_ADD;
	ev.b = 1;
	ev.c = SIM_S;
	ASSERT_EQ(trace_append(t, &ev, NULL), NL_OK);
	ev.t = SIM_S / 2;
	ev.a = DNS_ST_CACHE_HIT;
	ASSERT_EQ(trace_append(t, &ev, NULL), NL_OK);
	ASSERT_EQ(inv_dns_ttl(t, why), 0);
	ev.t = 2 * SIM_S;
	ASSERT_EQ(trace_append(t, &ev, NULL), NL_OK);
	ASSERT_EQ(inv_dns_ttl(t, why), 1);
	trace_free(t);
}

const struct test_case tests_faults[] = {
	{ "faults_invariants_catch", faults_invariants_catch },
	{ "faults_schedules", faults_schedules },
	{ NULL, NULL }
};
