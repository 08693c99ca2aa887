/* test_mailfaults.c - the mail guarantee under faults (RFC 5321 6.1):
 * a message a server accepted with 250 after DATA is delivered or
 * bounced, whatever links and servers fail meanwhile.
 *
 * Each schedule is a small two-domain world (user agents, mail servers
 * with short queue timers, local DNS servers, a root that holds the MX
 * records) with a seeded random timeline: mails both ways, one to an
 * unknown user, and links and nodes going down and up (links maybe
 * never up again).
 * After the run, from the trace alone: every (Message-ID, recipient) a
 * user agent saw accepted is in the recipient's mailbox, or a bounce
 * naming both is in the sender's (or the postmaster's) mailbox; and
 * every queued message left its queue. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "engine/sim.h"
#include "net/net.h"
#include "scenario/scn.h"
#include "test.h"
#include "world.h"
#include "trace/trace.h"

#define MF_SCHEDULES 1000
#define MF_RUN (3 * 3600 * SIM_S)	/* lifetime 4 min: settled long before */
#define MF_PAIRS 32

#define MF_WORLD                                                           \
	"{\"netlab_scenario\": 1, \"seed\": %u, \"nodes\": ["              \
	"{\"id\": \"alice\", \"kind\": \"user-agent\", \"address\": "     \
	"\"10.1.0.10\", \"user\": \"alice@crepes.fr\", \"server\": \"mc\"}," \
	"{\"id\": \"mc\", \"kind\": \"mail-server\", \"address\": "       \
	"\"10.1.0.25\", \"domain\": \"crepes.fr\", \"users\": [\"alice\"], " \
	"\"dns\": \"dl\", \"queue\": {\"retry\": \"10s\", \"max_retry\": " \
	"\"40s\", \"lifetime\": \"4m\"}},"                                 \
	"{\"id\": \"dl\", \"kind\": \"dns-local\", \"address\": \"10.1.0.53\"}," \
	"{\"id\": \"r1\", \"kind\": \"router\", \"addresses\": "          \
	"[\"10.1.0.1\", \"10.9.0.1\"]},"                                  \
	"{\"id\": \"core\", \"kind\": \"router\", \"addresses\": "        \
	"[\"10.9.0.2\", \"10.9.0.3\", \"10.9.0.5\"]},"                    \
	"{\"id\": \"root\", \"kind\": \"dns-root\", \"address\": "        \
	"\"10.9.0.4\", \"zones\": [{\"origin\": \".\", \"records\": ["     \
	"{\"name\": \".\", \"type\": \"NS\", \"data\": \"root.\"},"        \
	"{\"name\": \"root.\", \"type\": \"A\", \"data\": \"10.9.0.4\"},"  \
	"{\"name\": \"crepes.fr.\", \"type\": \"MX\", \"data\": "         \
	"\"10 mc.crepes.fr.\"},"                                           \
	"{\"name\": \"mc.crepes.fr.\", \"type\": \"A\", \"data\": "       \
	"\"10.1.0.25\"},"                                                  \
	"{\"name\": \"hamburger.edu.\", \"type\": \"MX\", \"data\": "     \
	"\"10 mh.hamburger.edu.\"},"                                       \
	"{\"name\": \"mh.hamburger.edu.\", \"type\": \"A\", \"data\": "   \
	"\"10.2.0.25\"}]}]},"                                              \
	"{\"id\": \"r2\", \"kind\": \"router\", \"addresses\": "          \
	"[\"10.9.0.6\", \"10.2.0.1\"]},"                                  \
	"{\"id\": \"mh\", \"kind\": \"mail-server\", \"address\": "       \
	"\"10.2.0.25\", \"domain\": \"hamburger.edu\", \"users\": "       \
	"[\"bob\"], \"dns\": \"dl2\", \"queue\": {\"retry\": \"10s\", "    \
	"\"max_retry\": \"40s\", \"lifetime\": \"4m\"}},"                  \
	"{\"id\": \"dl2\", \"kind\": \"dns-local\", \"address\": "        \
	"\"10.2.0.53\"},"                                                  \
	"{\"id\": \"bob\", \"kind\": \"user-agent\", \"address\": "       \
	"\"10.2.0.10\", \"user\": \"bob@hamburger.edu\", \"server\": "    \
	"\"mh\"}],"                                                        \
	"\"links\": ["                                                     \
	"{\"a\": \"alice\", \"b\": \"r1\"}, {\"a\": \"mc\", \"b\": \"r1\"}," \
	"{\"a\": \"dl\", \"b\": \"r1\"},"                                  \
	"{\"id\": \"wan1\", \"a\": \"r1\", \"b\": \"core\", \"delay\": \"20ms\"}," \
	"{\"a\": \"core\", \"b\": \"root\", \"delay\": \"5ms\"},"          \
	"{\"id\": \"wan2\", \"a\": \"core\", \"b\": \"r2\", \"delay\": \"20ms\"}," \
	"{\"id\": \"lan2\", \"a\": \"r2\", \"b\": \"mh\"},"                \
	"{\"a\": \"dl2\", \"b\": \"r2\"}, {\"a\": \"bob\", \"b\": \"r2\"}]," \
	"\"timeline\": ["

/* What can fail: links by id, nodes by id. */
static const char *const mf_links[] = { "wan1", "wan2", "lan2" };
static const char *const mf_nodes[] = { "mc", "mh", "dl", "dl2", "root" };

/* splitmix64: the schedule's own generator, apart from the run's. */
static uint64_t
mf_next(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned
mf_below(uint64_t *x, unsigned n)
{
	return (unsigned)(mf_next(x) % n);
}

/* Appends to buf at *used; 0 when it does not fit. */
static int
mf_add(char *buf, size_t size, size_t *used, const char *text)
{
	size_t l = strlen(text);

	if (*used + l + 1 > size)
		return 0;
	memcpy(buf + *used, text, l + 1);
	*used += l;
	return 1;
}

/* The scenario of schedule `seed` into buf. */
static int
mf_scenario(unsigned seed, char *buf, size_t size)
{
	uint64_t x = seed * 0x5851f42d4c957f2dULL + 1;
	char item[4096];
	size_t used = 0;
	unsigned i, nf = 1 + mf_below(&x, 4);
	int first = 1;

	snprintf(item, sizeof item, MF_WORLD, seed);
	if (!mf_add(buf, size, &used, item))
		return 0;
#define MF_ITEM(...)                                                       \
	do {                                                               \
		char t_[256];                                              \
		snprintf(t_, sizeof t_, __VA_ARGS__);                      \
		if (!first && !mf_add(buf, size, &used, ","))              \
			return 0;                                          \
		first = 0;                                                 \
		if (!mf_add(buf, size, &used, t_))                         \
			return 0;                                          \
	} while (0)
	/* Mail both ways, and one that must bounce with 550. */
	for (i = 0; i < 2; i++)
		MF_ITEM("{\"at\": \"%ums\", \"do\": \"send-mail\", \"from\": "
		    "\"alice\", \"to\": \"bob@hamburger.edu\", \"subject\": "
		    "\"m%u\", \"body\": \"x\"}", mf_below(&x, 60000), i);
	MF_ITEM("{\"at\": \"%ums\", \"do\": \"send-mail\", \"from\": \"alice\", "
	    "\"to\": [\"nobody@hamburger.edu\", \"bob@hamburger.edu\"], "
	    "\"subject\": \"u\", \"body\": \"x\"}", mf_below(&x, 60000));
	MF_ITEM("{\"at\": \"%ums\", \"do\": \"send-mail\", \"from\": \"bob\", "
	    "\"to\": \"alice@crepes.fr\", \"subject\": \"b\", \"body\": "
	    "\"y\"}", mf_below(&x, 60000));
	for (i = 0; i < nf; i++) {
		unsigned down = mf_below(&x, 90000);
		unsigned up = down + 1000 + mf_below(&x, 200000);
		int never = mf_below(&x, 10) == 0;

		if (mf_below(&x, 2) == 0) {
			const char *l = mf_links[mf_below(&x, 3)];

			MF_ITEM("{\"at\": \"%ums\", \"do\": \"link-down\", "
			    "\"link\": \"%s\"}", down, l);
			if (!never)
				MF_ITEM("{\"at\": \"%ums\", \"do\": "
				    "\"link-up\", \"link\": \"%s\"}", up, l);
		} else {
			const char *nd = mf_nodes[mf_below(&x, 5)];

			/* A server always comes back: while it is down
			 * its queue is on its disk, neither delivered nor
			 * lost; links may stay down for good. */
			MF_ITEM("{\"at\": \"%ums\", \"do\": \"node-down\", "
			    "\"node\": \"%s\"}", down, nd);
			MF_ITEM("{\"at\": \"%ums\", \"do\": \"node-up\", "
			    "\"node\": \"%s\"}", up, nd);
		}
	}
#undef MF_ITEM
	return mf_add(buf, size, &used, "]}");
}

struct mf_pair {
	char id[96];		/* "<1.1704067200@crepes.fr>" */
	char rcpt[64];
	const char *sender;	/* the user agent's node */
};

struct mf_count {
	size_t accepted, delivered, bounced, queued;
};

/* The mail server and mailbox of an address of this world. */
static void
mf_box(const char *addr, const char **server, char *user, size_t size)
{
	const char *at = strchr(addr, '@');
	size_t l = at != NULL ? (size_t)(at - addr) : 0;

	*server = at != NULL && strcmp(at + 1, "crepes.fr") == 0 ? "mc" :
	    "mh";
	snprintf(user, size, "%.*s", (int)l, addr);
}

/* 1 if a "+1 message" event at server into mailbox user has a message
 * with all of needles. */
static int
mf_in_box(const struct trace *t, const char *server, const char *user,
    const char *n1, const char *n2)
{
	char prefix[80];
	size_t i;

	snprintf(prefix, sizeof prefix, "mailbox %s: +1 ", user);
	for (i = 0; i < trace_count(t); i++) {
		const struct trace_event *ev = trace_at(t, i);

		if (ev->kind != TRACE_STATE || ev->summary == NULL ||
		    strncmp(ev->summary, prefix, strlen(prefix)) != 0 ||
		    strcmp(trace_node_name(t, ev->node), server) != 0)
			continue;
		if (test_has(ev->data, ev->len, n1) && (n2 == NULL ||
		    test_has(ev->data, ev->len, n2)))
			return 1;
	}
	return 0;
}

/* Checks schedule seed; 0 (after a message on why, which may be NULL)
 * when the guarantee broke. */
static int
mf_check(unsigned seed, const struct trace *t, struct mf_count *c,
    FILE *why)
{
	struct mf_pair p[MF_PAIRS];
	char last[2][96] = { "", "" };
	size_t i, np = 0, queued = 0, done = 0;

	for (i = 0; i < trace_count(t); i++) {
		const struct trace_event *ev = trace_at(t, i);
		const char *node = trace_node_name(t, ev->node);
		const char *s = ev->summary != NULL ? ev->summary : "";
		int k = strcmp(node, "alice") == 0 ? 0 :
		    strcmp(node, "bob") == 0 ? 1 : -1;

		if (ev->kind == TRACE_STATE && ev->proto == TRACE_P_MAIL) {
			queued += ev->a == TRACE_MAILQ_QUEUED;
			done += ev->a == TRACE_MAILQ_DONE;
		}
		if (k < 0)
			continue;
		if (ev->kind == TRACE_APP && strncmp(s, "C: Message-ID: ",
		    15) == 0)
			snprintf(last[k], sizeof last[k], "%s", s + 15);
		if (ev->kind == TRACE_STATE && strncmp(s, "the mail to ", 12)
		    == 0 && strstr(s, " was accepted ") != NULL &&
		    np < MF_PAIRS) {
			const char *r = s + 12;
			const char *e = strchr(r, ' ');

			snprintf(p[np].id, sizeof p[np].id, "%s", last[k]);
			snprintf(p[np].rcpt, sizeof p[np].rcpt, "%.*s",
			    (int)(e - r), r);
			p[np].sender = k == 0 ? "alice@crepes.fr" :
			    "bob@hamburger.edu";
			np++;
		}
	}
	c->accepted += np;
	c->queued += queued;
	if (queued != done) {
		if (why != NULL)
			fprintf(why, "  schedule %u: %zu queued, %zu left the "
			    "queue\n", seed, queued, done);
		return 0;
	}
	for (i = 0; i < np; i++) {
		const char *srv;
		char user[64], mid[128], fr[128];

		snprintf(mid, sizeof mid, "Message-ID: %.96s", p[i].id);
		mf_box(p[i].rcpt, &srv, user, sizeof user);
		if (mf_in_box(t, srv, user, mid, NULL)) {
			c->delivered++;
			continue;
		}
		snprintf(fr, sizeof fr, "Final-Recipient: rfc822; %.64s",
		    p[i].rcpt);
		mf_box(p[i].sender, &srv, user, sizeof user);
		if (mf_in_box(t, srv, user, mid, fr) ||
		    mf_in_box(t, "mc", "postmaster", mid, NULL) ||
		    mf_in_box(t, "mh", "postmaster", mid, NULL)) {
			c->bounced++;
			continue;
		}
		if (why != NULL)
			fprintf(why, "  schedule %u: %s to %s accepted with "
			    "250, neither delivered nor bounced\n", seed,
			    p[i].id, p[i].rcpt);
		return 0;
	}
	return 1;
}

/* Runs schedule seed into a new trace; NULL if it cannot be built. */
static struct trace *
mf_run(unsigned seed)
{
	static char text[16384];
	struct trace *t;

	if (!mf_scenario(seed, text, sizeof text) ||
	    !test_world_run(text, seed, MF_RUN, &t))
		return NULL;
	return t;
}

/* A failing schedule as a scenario file, to replay with `netlab run`. */
static void
mf_dump(unsigned seed)
{
	static char text[16384];
	char path[64];
	FILE *f;

	snprintf(path, sizeof path, "mailfaults-%u.json", seed);
	if (!mf_scenario(seed, text, sizeof text) ||
	    (f = fopen(path, "w")) == NULL)
		return;
	fputs(text, f);
	fclose(f);
	fprintf(stderr, "  replay it: netlab run --headless %s\n", path);
}

static void
test_nothing_lost(void)
{
	struct mf_count c = { 0, 0, 0, 0 };
	unsigned seed;

	for (seed = 1; seed <= MF_SCHEDULES; seed++) {
		struct trace *t = mf_run(seed);
		int ok;

		ASSERT(t != NULL);
		ok = mf_check(seed, t, &c, stderr);
		trace_free(t);
		if (!ok)
			mf_dump(seed);
		ASSERT(ok);
	}
	/* The schedules must exercise both outcomes, or they prove
	 * little: deliveries, and bounces (550 for nobody@, and servers
	 * that never come back). */
	fprintf(stderr, "  %u schedules: %zu accepted with 250, %zu "
	    "delivered, %zu bounced; %zu queued for relay\n", MF_SCHEDULES,
	    c.accepted, c.delivered, c.bounced, c.queued);
	ASSERT(c.delivered > c.accepted / 2);
	ASSERT(c.bounced >= MF_SCHEDULES / 2);
	ASSERT_EQ(c.delivered + c.bounced, c.accepted);
}

/* The check itself: a trace where a mail was accepted and then nothing
 * happened must fail it. */
static void
test_check_catches_loss(void)
{
	struct trace *t = trace_new();
	struct trace_event ev;
	struct mf_count c = { 0, 0, 0, 0 };
	int32_t alice;

	ASSERT(t != NULL);
	ASSERT_EQ(trace_node_add(t, "alice", "user-agent", &alice), NL_OK);
	memset(&ev, 0, sizeof ev);
	ev.kind = TRACE_APP;
	ev.node = alice;
	ev.peer = ev.link = -1;
	ev.summary = (char *)(uintptr_t)"C: Message-ID: <1.1@crepes.fr>";
	ASSERT_EQ(trace_append(t, &ev, NULL), NL_OK);
	ev.kind = TRACE_STATE;
	ev.summary = (char *)(uintptr_t)"the mail to bob@hamburger.edu was "
	    "accepted by its server (250)";
	ASSERT_EQ(trace_append(t, &ev, NULL), NL_OK);
	ASSERT(!mf_check(0, t, &c, NULL));
	trace_free(t);
}

const struct test_case tests_mailfaults[] = {
	{ "mailfaults_check_catches_loss", test_check_catches_loss },
	{ "mailfaults_nothing_lost", test_nothing_lost },
	{ NULL, NULL },
};
