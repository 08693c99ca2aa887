/* test_mta.c - the mail server node: mailboxes (nodes/mailstore.c),
 * the reply-text table, and whole small worlds built from a scenario:
 * a user agent submits, the server answers with the scenario's texts,
 * delivers with a Received: field, refuses unknown users (550) and
 * relaying (550), and a server that is down loses nothing it answered
 * 250. */
#include <stdio.h>
#include <string.h>

#include "engine/sim.h"
#include "net/net.h"
#include "nodes/mail_node.h"
#include "nodes/mailstore.h"
#include "scenario/scn.h"
#include "test.h"
#include "world.h"
#include "trace/trace.h"

static void
test_mailstore(void)
{
	struct sim *s = sim_new(1);
	struct trace *t = trace_new();
	struct net *n;
	struct mailstore *ms;
	const uint8_t *p;
	const struct trace_event *ev;
	size_t len;
	int32_t id;

	ASSERT(s != NULL && t != NULL);
	n = net_new(s, t);
	ASSERT(n != NULL);
	ASSERT_EQ(net_node_add(n, "mail", "mail-server", 0, &id), NL_OK);
	ms = mailstore_new();
	ASSERT(ms != NULL);
	ASSERT_EQ(mailstore_add_user(ms, "bob"), NL_OK);
	ASSERT_EQ(mailstore_add_user(ms, "BOB"), NL_EEXIST);
	ASSERT_EQ(mailstore_add_user(ms, "carol"), NL_OK);
	ASSERT(mailstore_has_user(ms, "Bob"));
	ASSERT(!mailstore_has_user(ms, "dave"));
	ASSERT_EQ(mailstore_deliver(ms, n, id, "dave",
	    (const uint8_t *)"x", 1), NL_ENOTFOUND);
	ASSERT_EQ(mailstore_deliver(ms, n, id, "bob",
	    (const uint8_t *)"Hi\r\n", 4), NL_OK);
	ASSERT_EQ(mailstore_deliver(ms, n, id, "bob",
	    (const uint8_t *)"Again\r\n", 7), NL_OK);
	ASSERT_EQ(mailstore_count(ms, "bob"), 2);
	ASSERT_EQ(mailstore_count(ms, "carol"), 0);
	p = mailstore_get(ms, "bob", 1, &len);
	ASSERT(p != NULL);
	ASSERT_EQ(len, 7);
	ASSERT_MEM_EQ(p, "Again\r\n", 7);
	ASSERT(mailstore_get(ms, "bob", 2, &len) == NULL);
	/* Each delivery is a state event with the message as data. */
	ASSERT(trace_count(t) >= 2);
	ev = trace_at(t, trace_count(t) - 1);
	ASSERT_EQ(ev->kind, TRACE_STATE);
	ASSERT(ev->flags & TRACE_F_SHOW);
	ASSERT_EQ(ev->len, 7);
	ASSERT_STR_EQ(ev->summary,
	    "mailbox bob: +1 message (7 bytes), 2 in all");
	mailstore_free(ms);
	mailstore_free(NULL);
	net_free(n);
	trace_free(t);
	sim_free(s);
}

static void
test_reply_names(void)
{
	struct smtp_srv_texts tx;
	size_t i;

	memset(&tx, 0, sizeof tx);
	for (i = 0; node_mail_reply_name(i) != NULL; i++)
		ASSERT_EQ(node_mail_reply_set(&tx, node_mail_reply_name(i),
		    "x"), NL_OK);
	ASSERT_EQ(i, 32);
	ASSERT_STR_EQ(tx.greeting, "x");
	ASSERT_STR_EQ(tx.too_many_errors, "x");
	ASSERT_EQ(node_mail_reply_set(&tx, "greting", "y"), NL_ENOTFOUND);
}

/* A sender, a router and a server for hamburger.edu with user bob. */
#define WORLD_HEAD                                                         \
	"{\"netlab_scenario\": 1, \"nodes\": ["                            \
	"{\"id\": \"alice\", \"kind\": \"user-agent\", \"address\": "     \
	"\"10.0.0.1\", \"user\": \"alice@crepes.fr\", \"server\": \"mx\"}," \
	"{\"id\": \"r\", \"kind\": \"router\", \"addresses\": "           \
	"[\"10.0.0.254\", \"10.0.1.254\"]},"                              \
	"{\"id\": \"mx\", \"kind\": \"mail-server\", \"address\": "       \
	"\"10.0.1.1\", \"domain\": \"hamburger.edu\", \"users\": "        \
	"[\"bob\"], \"replies\": {\"greeting\": \"%d at your service\"}}]," \
	"\"links\": [{\"a\": \"alice\", \"b\": \"r\", \"id\": \"l1\", "  \
	"\"delay\": \"10ms\"}, {\"a\": \"r\", \"b\": \"mx\", "            \
	"\"delay\": \"10ms\"}], \"timeline\": ["

/* Runs WORLD_HEAD + timeline + "]}" for 300 s into *t. */
static int
run_world(const char *timeline, struct trace **t)
{
	char text[4096];

	snprintf(text, sizeof text, "%s%s]}", WORLD_HEAD, timeline);
	return test_world_run(text, 1, 300 * SIM_S, t);
}

/* Bob's server with a password, his laptop and phone, and a user agent
 * that knows the wrong password; the timeline follows. */
#define ACCESS_HEAD                                                        \
	"{\"netlab_scenario\": 1, \"nodes\": ["                            \
	"{\"id\": \"alice\", \"kind\": \"user-agent\", \"address\": "     \
	"\"10.0.0.1\", \"user\": \"alice@crepes.fr\", \"server\": \"mx\"}," \
	"{\"id\": \"laptop\", \"kind\": \"user-agent\", \"address\": "    \
	"\"10.0.0.2\", \"user\": \"bob@hamburger.edu\", \"password\": "   \
	"\"pickles\", \"server\": \"mx\"},"                               \
	"{\"id\": \"phone\", \"kind\": \"user-agent\", \"address\": "     \
	"\"10.0.0.3\", \"user\": \"bob@hamburger.edu\", \"password\": "   \
	"\"pickles\", \"server\": \"mx\"},"                               \
	"{\"id\": \"mallory\", \"kind\": \"user-agent\", \"address\": "   \
	"\"10.0.0.4\", \"user\": \"bob@hamburger.edu\", \"password\": "   \
	"\"ketchup\", \"server\": \"mx\"},"                               \
	"{\"id\": \"r\", \"kind\": \"router\", \"addresses\": "           \
	"[\"10.0.0.254\", \"10.0.1.254\"]},"                              \
	"{\"id\": \"mx\", \"kind\": \"mail-server\", \"address\": "       \
	"\"10.0.1.1\", \"domain\": \"hamburger.edu\", \"users\": "        \
	"[{\"name\": \"bob\", \"password\": \"pickles\"}]}],"             \
	"\"links\": [{\"a\": \"alice\", \"b\": \"r\"}, {\"a\": \"laptop\", " \
	"\"b\": \"r\"}, {\"a\": \"phone\", \"b\": \"r\"}, {\"a\": "       \
	"\"mallory\", \"b\": \"r\"}, {\"a\": \"r\", \"b\": \"mx\"}], "    \
	"\"timeline\": [{\"at\": \"1s\", \"do\": \"send-mail\", \"from\": " \
	"\"alice\", \"to\": \"bob@hamburger.edu\", \"subject\": \"Hi\", "  \
	"\"body\": \"Hello Bob\"},"

/* Runs ACCESS_HEAD + timeline + "]}" for 300 s into *t. */
static int
run_access(const char *timeline, struct trace **t)
{
	char text[4096];

	snprintf(text, sizeof text, "%s%s]}", ACCESS_HEAD, timeline);
	return test_world_run(text, 1, 300 * SIM_S, t);
}

/* The first event whose summary contains needle, or -1. */
static long
find_sub(const struct trace *t, const char *needle)
{
	size_t i;

	for (i = 0; i < trace_count(t); i++) {
		const struct trace_event *ev = trace_at(t, i);

		if (ev->summary != NULL && strstr(ev->summary, needle) != NULL)
			return (long)i;
	}
	return -1;
}

/* POP3 download-and-delete: DELE marks, QUIT (UPDATE) removes; the
 * phone then finds an empty maildrop. */
static void
test_pop3_delete_on_quit(void)
{
	struct trace *t = NULL;
	const struct trace_event *ev;
	long dele, quit, gone, msg;

	ASSERT(run_access("{\"at\": \"2s\", \"do\": \"fetch-mail\", "
	    "\"from\": \"laptop\", \"protocol\": \"pop3\", \"keep\": false},"
	    "{\"at\": \"4s\", \"do\": \"fetch-mail\", \"from\": \"phone\", "
	    "\"protocol\": \"pop3\"}", &t));
	ASSERT(test_find(t, "C: PASS pickles") >= 0);
	msg = test_find(t, "S: (message, ");
	ASSERT(msg >= 0);
	ev = trace_at(t, (size_t)msg);
	ASSERT_EQ(ev->proto, TRACE_P_POP3);
	ASSERT(test_has(ev->data, ev->len, "Hello Bob\r\n"));
	dele = test_find(t, "C: DELE 1");
	quit = test_find(t, "S: +OK hamburger.edu POP3 server signing off");
	gone = test_find(t, "mailbox bob: -1 message");
	ASSERT(dele >= 0 && gone > dele && quit > gone);
	ASSERT(test_find(t, "laptop: 1 new message: \"Hi\"") > gone);
	ASSERT(test_find(t, "phone: no new messages") > gone);
	ASSERT_EQ(test_count(t, "mailbox bob: -1 message"), 1);
	trace_free(t);
}

/* IMAP: the laptop's FETCH BODY[] sets \Seen in the store; the phone's
 * session sees it, and nothing is deleted. */
static void
test_imap_flags_shared(void)
{
	struct trace *t = NULL;
	long seen;

	ASSERT(run_access("{\"at\": \"2s\", \"do\": \"fetch-mail\", "
	    "\"from\": \"laptop\", \"protocol\": \"imap\"},"
	    "{\"at\": \"4s\", \"do\": \"fetch-mail\", \"from\": \"phone\", "
	    "\"protocol\": \"imap\"}", &t));
	ASSERT(test_find(t, "S: * 1 FETCH (UID 1 FLAGS () ") >= 0);
	seen = test_find(t, "mailbox bob: message 1 (uid 1) flags now (\\Seen)");
	ASSERT(seen >= 0);
	ASSERT(test_find(t, "laptop: 1 new message: \"Hi\"") > seen);
	ASSERT(test_find(t, "S: * 1 FETCH (UID 1 FLAGS (\\Seen) ") > seen);
	ASSERT(test_find(t, "phone: no new messages (1 already read") > seen);
	ASSERT_EQ(test_count(t, "mailbox bob: -1 message"), 0);
	ASSERT_EQ(test_count(t, "C: A004 FETCH 1 BODY[]"), 1);
	trace_free(t);
}

/* The wrong password is refused by both servers; nothing changes. */
static void
test_bad_password(void)
{
	struct trace *t = NULL;

	ASSERT(run_access("{\"at\": \"2s\", \"do\": \"fetch-mail\", "
	    "\"from\": \"mallory\", \"protocol\": \"pop3\", \"keep\": false},"
	    "{\"at\": \"4s\", \"do\": \"fetch-mail\", \"from\": \"mallory\", "
	    "\"protocol\": \"imap\", \"keep\": false}", &t));
	ASSERT(test_find(t, "C: PASS ketchup") >= 0);
	ASSERT(test_find(t, "S: -ERR") > test_find(t, "C: PASS ketchup"));
	ASSERT(test_find(t, "S: A001 NO") >= 0);
	ASSERT(test_find(t, "C: RETR") < 0);
	ASSERT(test_find(t, "C: A002 SELECT") < 0);
	ASSERT(find_sub(t, "POP3 fetch failed") >= 0);
	ASSERT(find_sub(t, "IMAP fetch failed") >= 0);
	ASSERT_EQ(test_count(t, "mailbox bob: -1 message"), 0);
	ASSERT_EQ(test_count(t, "mailbox bob: message"), 0);
	trace_free(t);
}

static void
test_submit_deliver(void)
{
	struct trace *t = NULL;
	const struct trace_event *ev;
	long i;

	ASSERT(run_world("{\"at\": \"1s\", \"do\": \"send-mail\", \"from\": "
	    "\"alice\", \"to\": \"Bob@Hamburger.edu\", \"subject\": \"Hi\", "
	    "\"body\": \"Hello Bob\"}", &t));
	ASSERT(test_find(t, "S: 220 hamburger.edu at your service") >= 0);
	ASSERT(test_find(t, "C: HELO alice") >= 0);
	ASSERT(test_find(t, "C: Subject: Hi") >= 0);
	i = test_find(t, "mailbox bob: +1 message");
	ASSERT(i >= 0);
	ev = trace_at(t, (size_t)i);
	ASSERT(ev->len > 9);
	ASSERT_MEM_EQ(ev->data, "Received:", 9);
	ASSERT(test_has(ev->data, ev->len, "Hello Bob"));
	ASSERT(test_find(t, "the mail to Bob@Hamburger.edu was accepted") > i);
	trace_free(t);
}

static void
test_refusals(void)
{
	struct trace *t = NULL;

	ASSERT(run_world("{\"at\": \"1s\", \"do\": \"send-mail\", \"from\": "
	    "\"alice\", \"to\": [\"carol@hamburger.edu\"], "
	    "\"body\": \"x\"}", &t));
	ASSERT(test_find(t, "S: 550 No such user here") >= 0);
	ASSERT_EQ(test_count(t, "mailbox "), 0);
	ASSERT_EQ(test_count(t, "the mail to "), 1);
	ASSERT(test_find(t, "the mail to carol@hamburger.edu was not accepted: "
	    "refused (550") >= 0);
	trace_free(t);
}

/* A client that is none of the server's user agents (here the router)
 * may not relay: 550 for a remote recipient, 250 for a local one. */
static void
relay_connected(struct net_tcp *c, enum nl_status st, void *ctx)
{
	static const char lines[] = "HELO r\r\nMAIL FROM:<eve@x.org>\r\n"
	    "RCPT TO:<dan@x.org>\r\nRCPT TO:<bob@hamburger.edu>\r\n"
	    "QUIT\r\n";

	(void)ctx;
	if (st == NL_OK)
		(void)net_tcp_send(c, lines, sizeof lines - 1);
}

static void
test_relay_denied(void)
{
	static const struct net_tcp_cbs cbs = { relay_connected, NULL, NULL,
	    NULL };
	char text[2048];
	struct test_world tw;
	struct net_tcp *c;
	struct net *n;
	long deny, ok;

	snprintf(text, sizeof text, "%s]}", WORLD_HEAD);
	ASSERT(test_world_open(&tw, text, 1));
	n = scn_world_net(tw.w);
	ASSERT_EQ(net_tcp_connect(n, net_node_find(n, "r"),
	    net_node_addr(n, net_node_find(n, "mx")), NODE_SMTP_PORT, &cbs,
	    NULL, &c), NL_OK);
	sim_run(tw.s, SIM_RUN_UNTIL, 10 * SIM_S);
	test_world_close(&tw);
	deny = test_find(tw.t, "S: 550 Relaying denied");
	ok = test_find(tw.t, "S: 221 ");
	ASSERT(deny >= 0 && ok > deny);
	ASSERT_EQ(test_count(tw.t, "queue "), 0);
	trace_free(tw.t);
}

static void
test_link_down(void)
{
	struct trace *t = NULL;

	/* The SYN never arrives: a note, no mailbox change, no crash. */
	ASSERT(run_world("{\"at\": \"0s\", \"do\": \"link-down\", \"link\": "
	    "\"l1\"}, {\"at\": \"1s\", \"do\": \"send-mail\", \"from\": "
	    "\"alice\", \"to\": \"bob@hamburger.edu\", \"body\": \"x\"}", &t));
	ASSERT(test_find(t, "alice@crepes.fr: mail not sent") >= 0);
	ASSERT_EQ(test_count(t, "mailbox "), 0);
	trace_free(t);
}

static void
test_server_crash(void)
{
	struct trace *t = NULL;

	/* Down in the middle of the dialogue, and back: nothing is
	 * delivered, since the 250 after DATA never came. */
	ASSERT(run_world("{\"at\": \"1s\", \"do\": \"send-mail\", \"from\": "
	    "\"alice\", \"to\": \"bob@hamburger.edu\", \"body\": \"x\"},"
	    "{\"at\": \"1.1s\", \"do\": \"node-down\", \"node\": \"mx\"},"
	    "{\"at\": \"2s\", \"do\": \"node-up\", \"node\": \"mx\"},"
	    "{\"at\": \"3s\", \"do\": \"send-mail\", \"from\": \"alice\", "
	    "\"to\": \"bob@hamburger.edu\", \"body\": \"y\"}", &t));
	ASSERT_EQ(test_count(t, "mailbox bob: +1 message"), 1);
	ASSERT_EQ(test_count(t, "S: 250 OK queued as"), 1);
	trace_free(t);
}

static void
test_idle_timeout(void)
{
	static const struct net_tcp_cbs silent = { NULL, NULL, NULL, NULL };
	char text[2048];
	struct test_world tw;
	struct net_tcp *c;
	struct net *n;
	long g, q;

	/* A client that connects and never speaks: 421 after 300 s, and
	 * the server closes its side. */
	snprintf(text, sizeof text, "%s]}", WORLD_HEAD);
	ASSERT(test_world_open(&tw, text, 1));
	n = scn_world_net(tw.w);
	ASSERT_EQ(net_tcp_connect(n, net_node_find(n, "alice"),
	    net_node_addr(n, net_node_find(n, "mx")), NODE_SMTP_PORT, &silent,
	    NULL, &c), NL_OK);
	sim_run(tw.s, SIM_RUN_UNTIL, 400 * SIM_S);
	test_world_close(&tw);
	g = test_find(tw.t, "S: 220 ");
	q = test_find(tw.t, "S: 421 hamburger.edu Timeout");
	ASSERT(g >= 0 && q > g);
	ASSERT(trace_at(tw.t, (size_t)q)->t - trace_at(tw.t, (size_t)g)->t >=
	    300 * SIM_S);
	trace_free(tw.t);
}

const struct test_case tests_mta[] = {
	{ "mta_mailstore", test_mailstore },
	{ "mta_reply_names", test_reply_names },
	{ "mta_submit_deliver", test_submit_deliver },
	{ "mta_refusals", test_refusals },
	{ "mta_relay_denied", test_relay_denied },
	{ "mta_link_down", test_link_down },
	{ "mta_server_crash", test_server_crash },
	{ "mta_idle_timeout", test_idle_timeout },
	{ "mta_pop3_delete_on_quit", test_pop3_delete_on_quit },
	{ "mta_imap_flags_shared", test_imap_flags_shared },
	{ "mta_bad_password", test_bad_password },
	{ NULL, NULL },
};
