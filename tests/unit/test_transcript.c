/* test_transcript.c - the text transcript: the exact line of each kind of
 * event, the header, truncation on UTF-8 boundaries, escaping of control
 * bytes, and the same text from a trace read back from its file. */
#include "test.h"

#include <stdint.h>

#include "trace/trace.h"
#include "trace/trace_file.h"
#include "trace/transcript.h"
#include "util/alloc.h"

#include "../tfile.h"

#define ARROW "\xe2\x86\x92"	/* → */

/* An event with no payload; ids -1 unless given. */
static struct trace_event
mk(enum trace_kind kind, sim_time t, int32_t node, int32_t peer,
    enum trace_proto proto, uint16_t flags, const char *summary)
{
	struct trace_event ev;

	memset(&ev, 0, sizeof ev);
	ev.kind = (uint8_t)kind;
	ev.t = t;
	ev.node = node;
	ev.peer = peer;
	ev.link = -1;
	ev.proto = (uint8_t)proto;
	ev.flags = flags;
	ev.summary = (char *)(uintptr_t)summary;
	return ev;
}

/* The topology of the default scenario, in small. */
static struct trace *
topo(void)
{
	struct trace *t = trace_new();
	struct trace_link l;
	int32_t id;

	if (t == NULL)
		return NULL;
	memset(&l, 0, sizeof l);
	l.name = (char *)(uintptr_t)"crepes.fr-hamburger.edu";
	l.b = 1;
	if (trace_set_meta(t, "smtp-basic", "Alice mails Bob", 42) != NL_OK ||
	    trace_node_add(t, "crepes.fr", "host", &id) != NL_OK ||
	    trace_node_add(t, "hamburger.edu", "mail-server", &id) != NL_OK ||
	    trace_node_add(t, "a.root-servers.net", "dns-root", &id) != NL_OK ||
	    trace_link_add(t, &l, &id) != NL_OK) {
		trace_free(t);
		return NULL;
	}
	return t;
}

/* Checks ev's line (want NULL: no line). */
static void
expect_line(const struct trace *t, const struct trace_event *ev,
    const char *want)
{
	char buf[512];
	int has;

	memset(buf, 'Z', sizeof buf);
	has = trace_transcript_line(t, ev, buf, sizeof buf);
	if (want == NULL) {
		ASSERT_EQ(has, 0);
		ASSERT_STR_EQ(buf, "");
	} else {
		ASSERT_EQ(has, 1);
		ASSERT_STR_EQ(buf, want);
	}
}

static void
test_transcript_app(void)
{
	struct trace *t = topo();
	struct trace_event ev;

	ASSERT(t != NULL);
	ev = mk(TRACE_APP, 12 * SIM_MS, 0, 1, TRACE_P_SMTP, TRACE_F_TO_SERVER,
	    "C: HELO crepes.fr");
	expect_line(t, &ev, "[   0.012000] crepes.fr " ARROW
	    " hamburger.edu  SMTP  C: HELO crepes.fr");
	ev = mk(TRACE_APP, 12500 * SIM_US, 1, 0, TRACE_P_SMTP, 0,
	    "S: 250 hamburger.edu");
	expect_line(t, &ev, "[   0.012500] hamburger.edu " ARROW
	    " crepes.fr  SMTP  S: 250 hamburger.edu");
	ev = mk(TRACE_APP, 20 * SIM_MS, 0, 2, TRACE_P_DNS, TRACE_F_TO_SERVER,
	    "query hamburger.edu MX");
	expect_line(t, &ev, "[   0.020000] crepes.fr " ARROW
	    " a.root-servers.net  DNS   query hamburger.edu MX");
	ev = mk(TRACE_APP, 1234 * SIM_S + 5 * SIM_US, 0, -1, TRACE_P_NONE, 0,
	    "hello");
	expect_line(t, &ev, "[1234.000005] crepes.fr  APP   hello");
	ev = mk(TRACE_APP, 0, 0, 1, TRACE_P_IMAP, 0, "");
	expect_line(t, &ev, "[   0.000000] crepes.fr " ARROW
	    " hamburger.edu  IMAP");
	ev = mk(TRACE_APP, 0, 7, 1, TRACE_P_POP3, 0, "+OK");
	expect_line(t, &ev, "[   0.000000] - " ARROW " hamburger.edu  POP3  +OK");
	trace_free(t);
}

static void
test_transcript_silent(void)
{
	struct trace *t = topo();
	struct trace_event ev;

	ASSERT(t != NULL);
	ev = mk(TRACE_PKT_SEND, 0, 0, 1, TRACE_P_TCP, TRACE_F_ORIGIN, "TCP");
	expect_line(t, &ev, NULL);
	ev = mk(TRACE_PKT_RECV, 0, 1, 0, TRACE_P_TCP, 0, "TCP");
	expect_line(t, &ev, NULL);
	ev = mk(TRACE_TCP_STATE, 0, 0, 1, TRACE_P_TCP, 0, "LISTEN -> SYN_RCVD");
	expect_line(t, &ev, NULL);
	ev = mk(TRACE_STATE, 0, 1, -1, TRACE_P_DNS, 0, "cache - x");
	expect_line(t, &ev, NULL);
	ev = mk(TRACE_KIND_COUNT_, 0, 1, -1, TRACE_P_DNS, TRACE_F_SHOW, "x");
	expect_line(t, &ev, NULL);
	ev.kind = 200;
	expect_line(t, &ev, NULL);
	trace_free(t);
}

static void
test_transcript_drop(void)
{
	struct trace *t = topo();
	struct trace_event ev;

	ASSERT(t != NULL);
	ev = mk(TRACE_PKT_DROP, SIM_S, 0, 1, TRACE_P_UDP, 0,
	    "UDP 10.0.0.1:1024 > 10.0.1.1:53");
	ev.a = TRACE_DROP_LOSS;
	expect_line(t, &ev, "[   1.000000] crepes.fr " ARROW
	    " hamburger.edu  DROP  UDP 10.0.0.1:1024 > 10.0.1.1:53 (loss)");
	/* The summary names the reason already: not twice. */
	ev = mk(TRACE_PKT_DROP, SIM_S, 0, -1, TRACE_P_IP, 0,
	    "no route to 10.9.9.9");
	ev.a = TRACE_DROP_NO_ROUTE;
	expect_line(t, &ev, "[   1.000000] crepes.fr  DROP  no route to "
	    "10.9.9.9");
	ev = mk(TRACE_PKT_DROP, SIM_S, 2, -1, TRACE_P_IP, 0, "");
	ev.a = TRACE_DROP_TTL;
	expect_line(t, &ev, "[   1.000000] a.root-servers.net  DROP  "
	    "TTL exceeded");
	ev = mk(TRACE_PKT_DROP, SIM_S, 2, -1, TRACE_P_IP, 0, "odd");
	ev.a = 99;
	expect_line(t, &ev, "[   1.000000] a.root-servers.net  DROP  odd");
	ev.a = -1;
	ev.summary = (char *)(uintptr_t)"";
	expect_line(t, &ev, "[   1.000000] a.root-servers.net  DROP");
	trace_free(t);
}

static void
test_transcript_state(void)
{
	struct trace *t = topo();
	struct trace_event ev;

	ASSERT(t != NULL);
	ev = mk(TRACE_TCP_STATE, 2 * SIM_MS, 0, 1, TRACE_P_TCP, TRACE_F_SHOW,
	    "SYN_SENT -> ESTABLISHED");
	expect_line(t, &ev, "[   0.002000] crepes.fr " ARROW
	    " hamburger.edu  TCP   SYN_SENT -> ESTABLISHED");
	ev = mk(TRACE_TCP_STATE, 2 * SIM_MS, 1, -1, TRACE_P_TCP, TRACE_F_SHOW,
	    "");
	ev.a = 1;
	ev.b = 4;
	expect_line(t, &ev, "[   0.002000] hamburger.edu  TCP   state 1 -> 4");
	ev = mk(TRACE_STATE, 3 * SIM_MS, 1, -1, TRACE_P_DNS, TRACE_F_SHOW,
	    "cache + hamburger.edu MX 10 (ttl 3600)");
	expect_line(t, &ev, "[   0.003000] hamburger.edu  DNS   cache + "
	    "hamburger.edu MX 10 (ttl 3600)");
	ev = mk(TRACE_STATE, 3 * SIM_MS, 1, 0, TRACE_P_MAIL, TRACE_F_SHOW,
	    "queued for bob@hamburger.edu");
	expect_line(t, &ev, "[   0.003000] hamburger.edu " ARROW
	    " crepes.fr  MAIL  queued for bob@hamburger.edu");
	ev = mk(TRACE_STATE, 3 * SIM_MS, 1, -1, TRACE_P_NONE, TRACE_F_SHOW,
	    "up");
	expect_line(t, &ev, "[   0.003000] hamburger.edu  STATE up");
	trace_free(t);
}

static void
test_transcript_note_link_node(void)
{
	struct trace *t = topo();
	struct trace_event ev;

	ASSERT(t != NULL);
	ev = mk(TRACE_NOTE, 0, -1, -1, TRACE_P_NONE, 0,
	    "Alice writes to Bob.");
	expect_line(t, &ev, "[   0.000000] note: Alice writes to Bob.");
	ev = mk(TRACE_NOTE, SIM_S, 1, -1, TRACE_P_NONE, 0,
	    "1 mail in the queue");
	expect_line(t, &ev, "[   1.000000] hamburger.edu  NOTE  "
	    "1 mail in the queue");
	ev = mk(TRACE_NOTE, SIM_S, 1, 0, TRACE_P_SMTP, 0, "retry in 60 s");
	expect_line(t, &ev, "[   1.000000] hamburger.edu " ARROW
	    " crepes.fr  NOTE  retry in 60 s");
	ev = mk(TRACE_LINK, 2 * SIM_S, -1, -1, TRACE_P_NONE, 0, "");
	ev.link = 0;
	ev.a = 0;
	expect_line(t, &ev, "[   2.000000] crepes.fr-hamburger.edu  LINK  "
	    "down");
	ev.a = 1;
	expect_line(t, &ev, "[   2.000000] crepes.fr-hamburger.edu  LINK  up");
	ev.link = 5;
	expect_line(t, &ev, "[   2.000000] -  LINK  up");
	ev = mk(TRACE_NODE, 3 * SIM_S, 1, -1, TRACE_P_NONE, 0, "");
	ev.a = 0;
	expect_line(t, &ev, "[   3.000000] hamburger.edu  NODE  down");
	ev.a = 1;
	expect_line(t, &ev, "[   3.000000] hamburger.edu  NODE  up");
	trace_free(t);
}

static void
test_transcript_escapes(void)
{
	struct trace *t = topo();
	struct trace_event ev;
	int32_t id;

	ASSERT(t != NULL);
	ASSERT_EQ(trace_node_add(t, "evil\x1b[2J", "host", &id), NL_OK);
	ev = mk(TRACE_APP, 0, 1, id, TRACE_P_SMTP, 0,
	    "S: 250 ok\r\n\t\x7f caf\xc3\xa9");
	expect_line(t, &ev, "[   0.000000] hamburger.edu " ARROW
	    " evil\\x1b[2J  SMTP  S: 250 ok\\r\\n\\t\\x7f caf\xc3\xa9");
	trace_free(t);
}

static void
test_transcript_truncation(void)
{
	struct trace *t = topo();
	struct trace_event ev;
	char buf[64];

	ASSERT(t != NULL);
	ev = mk(TRACE_APP, 12 * SIM_MS, 0, 1, TRACE_P_SMTP, 0, "C: QUIT");
	/* "[   0.012000] crepes.fr " is 24 bytes, then 3 of arrow. */
	ASSERT_EQ(trace_transcript_line(t, &ev, buf, 26), 1);
	ASSERT_STR_EQ(buf, "[   0.012000] crepes.fr ");
	ASSERT_EQ(trace_transcript_line(t, &ev, buf, 27), 1);
	ASSERT_STR_EQ(buf, "[   0.012000] crepes.fr ");
	ASSERT_EQ(trace_transcript_line(t, &ev, buf, 28), 1);
	ASSERT_STR_EQ(buf, "[   0.012000] crepes.fr " ARROW);
	ASSERT_EQ(trace_transcript_line(t, &ev, buf, 1), 1);
	ASSERT_STR_EQ(buf, "");
	ASSERT_EQ(trace_transcript_line(t, &ev, NULL, 0), 1);
	ASSERT_EQ(trace_transcript_header(t, buf, 10), 58);
	ASSERT_STR_EQ(buf, "# netlab ");
	trace_free(t);
}

static void
test_transcript_header(void)
{
	struct trace *t = topo();
	char buf[128];

	ASSERT(t != NULL);
	ASSERT_EQ(trace_transcript_header(t, buf, sizeof buf), 58);
	ASSERT_STR_EQ(buf,
	    "# netlab transcript: smtp-basic: Alice mails Bob (seed 42)");
	ASSERT_EQ(trace_set_meta(t, "dns", "", UINT64_MAX), NL_OK);
	trace_transcript_header(t, buf, sizeof buf);
	ASSERT_STR_EQ(buf,
	    "# netlab transcript: dns (seed 18446744073709551615)");
	ASSERT_EQ(trace_set_meta(t, "", "Only a title", 0), NL_OK);
	trace_transcript_header(t, buf, sizeof buf);
	ASSERT_STR_EQ(buf, "# netlab transcript: Only a title (seed 0)");
	ASSERT_EQ(trace_set_meta(t, NULL, NULL, 0), NL_OK);
	trace_transcript_header(t, buf, sizeof buf);
	ASSERT_STR_EQ(buf, "# netlab transcript (seed 0)");
	trace_free(t);
}

/* The whole text of trace_transcript_write, NUL-terminated. */
static char *
transcript_of(const struct trace *t)
{
	FILE *f = tmpfile();
	size_t n;

	if (f != NULL && trace_transcript_write(t, f) != NL_OK) {
		fclose(f);
		f = NULL;
	}
	return tf_slurp(f, &n);
}

static void
test_transcript_write(void)
{
	static const char want[] =
	    "# netlab transcript: smtp-basic: Alice mails Bob (seed 42)\n"
	    "[   0.000000] note: Alice writes to Bob.\n"
	    "[   0.012000] crepes.fr " ARROW " hamburger.edu  SMTP  "
	    "C: HELO crepes.fr\n"
	    "[   0.012500] hamburger.edu " ARROW " crepes.fr  SMTP  "
	    "S: 250 hamburger.edu\n"
	    "[   2.000000] crepes.fr-hamburger.edu  LINK  down\n";
	struct trace *t = topo(), *t2 = NULL;
	struct trace_event ev;
	char *text, *text2, *longs;
	FILE *f;
	char err[256];
	size_t n;

	ASSERT(t != NULL);
	ev = mk(TRACE_NOTE, 0, -1, -1, TRACE_P_NONE, 0, "Alice writes to Bob.");
	ASSERT_EQ(trace_append(t, &ev, NULL), NL_OK);
	ev = mk(TRACE_PKT_SEND, 12 * SIM_MS, 0, 1, TRACE_P_TCP, 0, "TCP");
	ASSERT_EQ(trace_append(t, &ev, NULL), NL_OK);
	ev = mk(TRACE_APP, 12 * SIM_MS, 0, 1, TRACE_P_SMTP, TRACE_F_TO_SERVER,
	    "C: HELO crepes.fr");
	ASSERT_EQ(trace_append(t, &ev, NULL), NL_OK);
	ev = mk(TRACE_APP, 12500 * SIM_US, 1, 0, TRACE_P_SMTP, 0,
	    "S: 250 hamburger.edu");
	ASSERT_EQ(trace_append(t, &ev, NULL), NL_OK);
	ev = mk(TRACE_LINK, 2 * SIM_S, -1, -1, TRACE_P_NONE, 0, "");
	ev.link = 0;
	ASSERT_EQ(trace_append(t, &ev, NULL), NL_OK);
	text = transcript_of(t);
	ASSERT_STR_EQ(text, want);

	/* Read back from its trace file, the trace prints the same. */
	f = tmpfile();
	ASSERT(f != NULL);
	ASSERT_EQ(trace_file_write(t, f), NL_OK);
	rewind(f);
	ASSERT_EQ(trace_file_read(f, &t2, err, sizeof err), NL_OK);
	fclose(f);
	text2 = transcript_of(t2);
	ASSERT_STR_EQ(text2, text);
	nl_free(text);
	nl_free(text2);
	trace_free(t2);

	/* A line longer than the writer's stack buffer comes out whole. */
	n = 5000;
	longs = nl_alloc(n + 1);
	ASSERT(longs != NULL);
	memset(longs, 'y', n);
	longs[n] = '\0';
	ev = mk(TRACE_NOTE, 3 * SIM_S, -1, -1, TRACE_P_NONE, 0, longs);
	ASSERT_EQ(trace_append(t, &ev, NULL), NL_OK);
	ASSERT_EQ(trace_set_meta(t, longs, "x", 1), NL_OK);
	nl_free(longs);
	text = transcript_of(t);
	ASSERT(text != NULL);
	/* The header grows from 58 to 21 + 5000 + 12 bytes. */
	ASSERT_EQ(strlen(text), strlen(want) - 58 + 5033 +
	    strlen("[   3.000000] note: \n") + 5000);
	ASSERT(strstr(text, "[   3.000000] note: yyyy") != NULL);
	nl_free(text);
	trace_free(t);
}

const struct test_case tests_transcript[] = {
	{ "transcript_app", test_transcript_app },
	{ "transcript_silent", test_transcript_silent },
	{ "transcript_drop", test_transcript_drop },
	{ "transcript_state", test_transcript_state },
	{ "transcript_note_link_node", test_transcript_note_link_node },
	{ "transcript_escapes", test_transcript_escapes },
	{ "transcript_truncation", test_transcript_truncation },
	{ "transcript_header", test_transcript_header },
	{ "transcript_write", test_transcript_write },
	{ NULL, NULL },
};
