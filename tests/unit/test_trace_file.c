/* test_trace_file.c - trace files: exact bytes, round trips both ways,
 * escaping, every reader error with its exact message, and hostile input
 * (truncation, random bytes, mutations, long lines, deep nesting, huge
 * numbers, allocation failures). */
#include "test.h"

#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "trace/trace.h"
#include "trace/trace_file.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/nl.h"

#include "../tfile.h"

/* ---- Helpers ---- */

static char *
unconst(const char *s)
{
	return (char *)(uintptr_t)s;
}

/* Appends an event; the fields not given are -1 ids and zeros. */
static enum nl_status
add_ev(struct trace *t, enum trace_kind kind, sim_time at, int32_t node,
    int32_t peer, int32_t link, enum trace_proto proto, uint16_t flags,
    const char *summary, const void *data, uint32_t len)
{
	struct trace_event ev;

	memset(&ev, 0, sizeof ev);
	ev.kind = (uint8_t)kind;
	ev.t = at;
	ev.node = node;
	ev.peer = peer;
	ev.link = link;
	ev.proto = (uint8_t)proto;
	ev.flags = flags;
	ev.summary = unconst(summary);
	ev.data = (uint8_t *)(uintptr_t)data;
	ev.len = len;
	return trace_append(t, &ev, NULL);
}

static enum nl_status
add_link(struct trace *t, const char *name, int32_t a, int32_t b,
    sim_time delay, uint64_t bw, double loss, uint32_t queue)
{
	struct trace_link l;
	int32_t id;

	memset(&l, 0, sizeof l);
	l.name = unconst(name);
	l.a = a;
	l.b = b;
	l.delay = delay;
	l.bandwidth = bw;
	l.loss = loss;
	l.queue = queue;
	return trace_link_add(t, &l, &id);
}

/*
 * A trace with every kind of event, extreme values, awkward strings and,
 * when big, a 65535-byte payload. NULL if out of memory.
 */
static struct trace *
sample(int big)
{
	static const uint8_t syn[] = { 0x45, 0x00, 0x00, 0x28, 0x00, 0x01,
		0x40, 0x00, 0x40, 0x06, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x01,
		0x0a, 0x00, 0x01, 0x01 };
	struct trace *t = trace_new();
	struct trace_event ev;
	uint8_t *payload = NULL;
	int32_t id;
	int ok = 1;
	uint32_t i;

	if (t == NULL)
		return NULL;
	ok &= trace_set_meta(t, "smtp-basic",
	    "Alice \"mails\" Bob \xe2\x86\x92 caf\xc3\xa9", UINT64_MAX) == NL_OK;
	ok &= trace_node_add(t, "crepes.fr", "host", &id) == NL_OK;
	ok &= trace_node_addr_add(t, id, 0x0a000001) == NL_OK;
	ok &= trace_node_add(t, "hamburger.edu", "mail-server", &id) == NL_OK;
	ok &= trace_node_addr_add(t, id, 0x0a000101) == NL_OK;
	ok &= trace_node_addr_add(t, id, 0xc0a8fffe) == NL_OK;
	ok &= trace_node_add(t, "r1", "router", &id) == NL_OK;
	ok &= add_link(t, "crepes.fr-r1", 0, 2, SIM_MS, 100000000, 0.1,
	    100) == NL_OK;
	ok &= add_link(t, "r1-hamburger.edu", 2, 1, 5 * SIM_MS, UINT64_MAX,
	    0.0, UINT32_MAX) == NL_OK;
	ok &= add_ev(t, TRACE_PKT_SEND, 0, 0, 2, 0, TRACE_P_TCP,
	    TRACE_F_ORIGIN, "TCP 10.0.0.1:1025 > 10.0.1.1:25 [SYN]", syn,
	    sizeof syn) == NL_OK;
	ok &= add_ev(t, TRACE_PKT_RECV, 1200, 2, 0, 0, TRACE_P_TCP, 0,
	    "TCP 10.0.0.1:1025 > 10.0.1.1:25 [SYN]", syn, sizeof syn) == NL_OK;
	ok &= add_ev(t, TRACE_PKT_DROP, 1200, 2, 1, 1, TRACE_P_UDP, 0,
	    "UDP 10.0.0.1:1024 > 10.0.1.1:53", NULL, 0) == NL_OK;
	ok &= add_ev(t, TRACE_TCP_STATE, 2000, 0, 1, -1, TRACE_P_TCP,
	    TRACE_F_SHOW, "SYN_SENT -> ESTABLISHED", NULL, 0) == NL_OK;
	ok &= add_ev(t, TRACE_APP, 12 * SIM_MS, 0, 1, -1, TRACE_P_SMTP,
	    TRACE_F_TO_SERVER, "C: HELO crepes.fr", "HELO crepes.fr\r\n",
	    16) == NL_OK;
	ok &= add_ev(t, TRACE_STATE, 12 * SIM_MS, 1, -1, -1, TRACE_P_DNS,
	    TRACE_F_SHOW, "cache + hamburger.edu MX 10 (ttl 3600)", NULL,
	    0) == NL_OK;
	ok &= add_ev(t, TRACE_NOTE, 13 * SIM_MS, -1, -1, -1, TRACE_P_NONE, 0,
	    "q\" b\\ nl\n tab\t ctl\x01 del\x7f \xc3\xa9\xe2\x86\x92 raw\xff",
	    NULL, 0) == NL_OK;
	ok &= add_ev(t, TRACE_LINK, 14 * SIM_MS, -1, -1, 1, TRACE_P_NONE, 0,
	    "", NULL, 0) == NL_OK;
	ok &= add_ev(t, TRACE_NODE, 15 * SIM_MS, 2, -1, -1, TRACE_P_NONE,
	    0xffff, "", NULL, 0) == NL_OK;
	/* A time past 2^53, where a double would lose the last digit. */
	memset(&ev, 0, sizeof ev);
	ev.kind = TRACE_APP;
	ev.t = ((sim_time)1 << 62) + 1;
	ev.node = 1;
	ev.peer = 0;
	ev.link = -1;
	ev.proto = TRACE_P_IMAP;
	ev.a = INT64_MIN;
	ev.b = INT64_MAX;
	ev.c = -1;
	ev.summary = unconst("S: * OK");
	if (big) {
		payload = nl_alloc(TRACE_FILE_PAYLOAD_MAX);
		if (payload == NULL) {
			trace_free(t);
			return NULL;
		}
		for (i = 0; i < TRACE_FILE_PAYLOAD_MAX; i++)
			payload[i] = (uint8_t)(i * 7 + 3);
		ev.data = payload;
		ev.len = TRACE_FILE_PAYLOAD_MAX;
	}
	ok &= trace_append(t, &ev, NULL) == NL_OK;
	nl_free(payload);
	if (!ok) {
		trace_free(t);
		return NULL;
	}
	return t;
}

/* ---- Writing and round trips ---- */

static void
test_trace_file_roundtrip(void)
{
	struct trace *t = sample(1), *t2 = NULL;
	char *b1, *b2;
	size_t n1, n2;
	enum nl_status st;
	char err[256];

	ASSERT(t != NULL);
	b1 = tf_trace_bytes(t, &n1, &st);
	ASSERT_EQ(st, NL_OK);
	/* Same trace, same bytes. */
	b2 = tf_trace_bytes(t, &n2, &st);
	ASSERT_EQ(st, NL_OK);
	ASSERT_EQ(n1, n2);
	ASSERT_MEM_EQ(b1, b2, n1);
	nl_free(b2);
	/* read(write(t)) == t */
	st = tf_trace_read(b1, n1, 0, &t2, err, sizeof err);
	if (st != NL_OK)
		TEST_FAIL_AT("read back: %s", err);
	ASSERT(trace_same(t, t2));
	ASSERT_EQ(trace_at(t2, 9)->t, ((sim_time)1 << 62) + 1);
	ASSERT_EQ(trace_at(t2, 9)->a, INT64_MIN);
	ASSERT_U64_EQ(trace_seed(t2), UINT64_MAX);
	ASSERT(trace_link(t2, 0)->loss == 0.1);
	/* write(read(file)) == file */
	b2 = tf_trace_bytes(t2, &n2, &st);
	ASSERT_EQ(st, NL_OK);
	ASSERT_EQ(n1, n2);
	ASSERT_MEM_EQ(b1, b2, n1);
	nl_free(b1);
	nl_free(b2);
	trace_free(t);
	trace_free(t2);
}

/* The exact bytes of a small trace: the format itself is pinned. */
static void
test_trace_file_exact(void)
{
	static const char want[] =
	    "{\"netlab_trace\": 1, \"scenario\": \"demo\", \"title\": "
	    "\"A title\", \"seed\": 7, \"nodes\": [{\"id\": 0, \"name\": "
	    "\"a\", \"kind\": \"host\", \"addrs\": [\"10.0.0.1\", "
	    "\"255.255.255.255\"]}, {\"id\": 1, \"name\": \"b\", \"kind\": "
	    "\"host\", \"addrs\": []}], \"links\": [{\"id\": 0, \"name\": "
	    "\"a-b\", \"a\": 0, \"b\": 1, \"delay_ns\": 1000000, "
	    "\"bandwidth\": 1000000, \"loss\": 0.1, \"queue\": 10}, "
	    "{\"id\": 1, \"name\": \"b-a\", \"a\": 1, \"b\": 0, "
	    "\"delay_ns\": 0, \"bandwidth\": 0, \"loss\": 1e-05, "
	    "\"queue\": 0}], \"events\": 2}\n"
	    "{\"seq\": 0, \"t_ns\": 12000000, \"kind\": \"app\", \"node\": 0, "
	    "\"peer\": 1, \"link\": -1, \"proto\": \"smtp\", \"flags\": 2, "
	    "\"a\": 0, \"b\": 0, \"c\": 0, \"summary\": \"C: HELO a\", "
	    "\"hex\": \"48454c4f20610d0a\"}\n"
	    "{\"seq\": 1, \"t_ns\": 12000000, \"kind\": \"pkt-drop\", "
	    "\"node\": 1, \"peer\": -1, \"link\": 0, \"proto\": \"-\", "
	    "\"flags\": 0, \"a\": 1, \"b\": -1, \"c\": 0, \"summary\": \"\", "
	    "\"hex\": \"\"}\n";
	struct trace *t = trace_new();
	struct trace_event ev;
	char *b;
	size_t n;
	int32_t id;
	enum nl_status st;

	ASSERT(t != NULL);
	ASSERT_EQ(trace_set_meta(t, "demo", "A title", 7), NL_OK);
	ASSERT_EQ(trace_node_add(t, "a", "host", &id), NL_OK);
	ASSERT_EQ(trace_node_addr_add(t, id, 0x0a000001), NL_OK);
	ASSERT_EQ(trace_node_addr_add(t, id, 0xffffffff), NL_OK);
	ASSERT_EQ(trace_node_add(t, "b", "host", &id), NL_OK);
	ASSERT_EQ(add_link(t, "a-b", 0, 1, SIM_MS, 1000000, 0.1, 10), NL_OK);
	ASSERT_EQ(add_link(t, "b-a", 1, 0, 0, 0, 1e-5, 0), NL_OK);
	ASSERT_EQ(add_ev(t, TRACE_APP, 12 * SIM_MS, 0, 1, -1, TRACE_P_SMTP,
	    TRACE_F_TO_SERVER, "C: HELO a", "HELO a\r\n", 8), NL_OK);
	memset(&ev, 0, sizeof ev);
	ev.kind = TRACE_PKT_DROP;
	ev.t = 12 * SIM_MS;
	ev.node = 1;
	ev.peer = -1;
	ev.link = 0;
	ev.a = TRACE_DROP_QUEUE_FULL;
	ev.b = -1;
	ASSERT_EQ(trace_append(t, &ev, NULL), NL_OK);
	b = tf_trace_bytes(t, &n, &st);
	ASSERT_EQ(st, NL_OK);
	ASSERT_STR_EQ((const char *)b, want);
	nl_free(b);
	trace_free(t);
}

static void
test_trace_file_escaping(void)
{
	static const char want[] = "\"summary\": \"q\\\" b\\\\ nl\\u000a tab"
	    "\\u0009 ctl\\u0001 del\\u007f \xc3\xa9\xe2\x86\x92 raw\xff\"";
	static const char other[] =
	    "{\"netlab_trace\": 1, \"scenario\": \"\\u00e9\\n\\/\", "
	    "\"title\": \"\\ud83d\\ude00\", \"seed\": 0, \"nodes\": [], "
	    "\"links\": [], \"events\": 0}\n";
	struct trace *t = sample(0), *t2 = NULL;
	char *b;
	size_t n;
	enum nl_status st;
	char err[256];

	ASSERT(t != NULL);
	b = tf_trace_bytes(t, &n, &st);
	ASSERT_EQ(st, NL_OK);
	ASSERT(strstr((const char *)b, want) != NULL);
	ASSERT(strstr((const char *)b, "\"title\": \"Alice \\\"mails\\\" Bob "
	    "\xe2\x86\x92 caf\xc3\xa9\"") != NULL);
	st = tf_trace_read(b, n, 0, &t2, err, sizeof err);
	if (st != NL_OK)
		TEST_FAIL_AT("read back: %s", err);
	ASSERT_STR_EQ(trace_at(t2, 6)->summary, trace_at(t, 6)->summary);
	nl_free(b);
	trace_free(t2);
	trace_free(t);

	/* Other writers' escapes: short forms, \u, surrogate pairs. */
	st = tf_trace_read(other, sizeof other - 1, 0, &t2, err, sizeof err);
	if (st != NL_OK)
		TEST_FAIL_AT("read: %s", err);
	ASSERT_STR_EQ(trace_scenario(t2), "\xc3\xa9\n/");
	ASSERT_STR_EQ(trace_title(t2), "\xf0\x9f\x98\x80");
	b = tf_trace_bytes(t2, &n, &st);
	ASSERT_EQ(st, NL_OK);
	ASSERT(strstr((const char *)b, "\"scenario\": \"\xc3\xa9\\u000a/\"") !=
	    NULL);
	nl_free(b);
	trace_free(t2);
}

/* What the writer refuses, it refuses before writing a byte. */
static void
test_trace_file_write_refuses(void)
{
	struct trace *t;
	FILE *f;
	uint8_t *big;
	char *longs;

	t = sample(0);
	ASSERT(t != NULL);
	ASSERT_EQ(add_ev(t, TRACE_APP, INT64_MAX, 3, -1, -1, TRACE_P_SMTP, 0,
	    "x", NULL, 0), NL_OK);
	f = tmpfile();
	ASSERT(f != NULL);
	ASSERT_EQ(trace_file_write(t, f), NL_EINVAL);
	ASSERT_EQ(ftell(f), 0);
	fclose(f);
	trace_free(t);

	t = sample(0);
	ASSERT(t != NULL);
	ASSERT_EQ(add_ev(t, TRACE_APP, INT64_MAX, 0, -1, 2, TRACE_P_SMTP, 0,
	    "x", NULL, 0), NL_OK);
	f = tmpfile();
	ASSERT(f != NULL);
	ASSERT_EQ(trace_file_write(t, f), NL_EINVAL);
	fclose(f);
	trace_free(t);

	t = sample(0);
	ASSERT(t != NULL);
	ASSERT_EQ(add_link(t, "nan", 0, 1, 0, 0, NAN, 1), NL_OK);
	f = tmpfile();
	ASSERT(f != NULL);
	ASSERT_EQ(trace_file_write(t, f), NL_EINVAL);
	fclose(f);
	trace_free(t);

	t = sample(0);
	big = nl_calloc(1, TRACE_FILE_PAYLOAD_MAX + 1);
	ASSERT(t != NULL && big != NULL);
	ASSERT_EQ(add_ev(t, TRACE_APP, INT64_MAX, 0, -1, -1, TRACE_P_SMTP, 0,
	    "x", big, TRACE_FILE_PAYLOAD_MAX + 1), NL_OK);
	nl_free(big);
	f = tmpfile();
	ASSERT(f != NULL);
	ASSERT_EQ(trace_file_write(t, f), NL_ELIMIT);
	ASSERT_EQ(ftell(f), 0);
	fclose(f);
	trace_free(t);

	t = sample(0);
	longs = nl_alloc(TRACE_FILE_SUMMARY_MAX + 2);
	ASSERT(t != NULL && longs != NULL);
	memset(longs, 'x', TRACE_FILE_SUMMARY_MAX + 1);
	longs[TRACE_FILE_SUMMARY_MAX + 1] = '\0';
	ASSERT_EQ(add_ev(t, TRACE_APP, INT64_MAX, 0, -1, -1, TRACE_P_SMTP, 0,
	    longs, NULL, 0), NL_OK);
	nl_free(longs);
	f = tmpfile();
	ASSERT(f != NULL);
	ASSERT_EQ(trace_file_write(t, f), NL_ELIMIT);
	fclose(f);
	trace_free(t);
}

static void
test_trace_file_save_load(void)
{
	static const char path[] = "test_trace_file.tmp.jsonl";
	struct trace *t = sample(0), *t2 = NULL;
	char err[256];

	ASSERT(t != NULL);
	ASSERT_EQ(trace_file_save(t, path), NL_OK);
	ASSERT_EQ(trace_file_load(path, &t2, err, sizeof err), NL_OK);
	remove(path);
	ASSERT(trace_same(t, t2));
	trace_free(t2);
	trace_free(t);
	t2 = (struct trace *)1;
	ASSERT_EQ(trace_file_load("no/such/dir/trace.jsonl", &t2, err,
	    sizeof err), NL_EIO);
	ASSERT(t2 == NULL);
	ASSERT(strncmp(err, "cannot open: ", 13) == 0);
}

/* Locale: a comma as decimal point must not leak into the file. Skipped
 * (passes) where no such locale is installed. */
static void
test_trace_file_locale(void)
{
	static const char *const names[] = { "de_DE.UTF-8", "de_DE.utf8",
		"fr_FR.UTF-8", "de_DE", "German" };
	struct trace *t = sample(0);
	char *b;
	size_t n, i;
	enum nl_status st;
	const char *ok = NULL;

	ASSERT(t != NULL);
	for (i = 0; i < NL_ARRAY_LEN(names) && ok == NULL; i++)
		ok = setlocale(LC_NUMERIC, names[i]);
	b = tf_trace_bytes(t, &n, &st);
	setlocale(LC_NUMERIC, "C");
	ASSERT_EQ(st, NL_OK);
	ASSERT(strstr((const char *)b, "\"loss\": 0.1,") != NULL);
	nl_free(b);
	trace_free(t);
}

/* ---- Reading: what is accepted ---- */

/* Base header, 3 nodes and 2 links, with %s for "events". */
#define HDR_A "{\"netlab_trace\": 1, \"scenario\": \"s\", \"title\": \"t\", " \
	"\"seed\": 1, \"nodes\": [{\"id\": 0, \"name\": \"a\", \"kind\": " \
	"\"host\", \"addrs\": [\"10.0.0.1\"]}, {\"id\": 1, \"name\": \"b\", " \
	"\"kind\": \"host\", \"addrs\": []}, {\"id\": 2, \"name\": \"r\", " \
	"\"kind\": \"router\", \"addrs\": []}], \"links\": [{\"id\": 0, " \
	"\"name\": \"a-r\", \"a\": 0, \"b\": 2, \"delay_ns\": 1000, " \
	"\"bandwidth\": 1000000, \"loss\": 0, \"queue\": 10}, {\"id\": 1, " \
	"\"name\": \"r-b\", \"a\": 2, \"b\": 1, \"delay_ns\": 1000, " \
	"\"bandwidth\": 1000000, \"loss\": 0, \"queue\": 10}], \"events\": "

static const char *const ev_keys[] = { "seq", "t_ns", "kind", "node",
	"peer", "link", "proto", "flags", "a", "b", "c", "summary", "hex" };
static const char *const ev_vals[] = { NULL, "7000", "\"note\"", "-1",
	"-1", "-1", "\"-\"", "0", "0", "0", "0", "\"x\"", "\"\"" };

/*
 * A file: the base header announcing `announced` events, then nev note
 * events at t 7000. In event bad_at, key gets the raw JSON val instead
 * (val NULL: the key is left out; key "+k": an extra key k). NULL-
 * terminated; free with nl_free.
 */
static char *
mk_file(unsigned announced, unsigned nev, unsigned bad_at, const char *key,
    const char *val, size_t *len)
{
	struct nl_dbuf b;
	unsigned i;
	size_t k;
	int first;

	nl_dbuf_init(&b, 64u << 20);
	nl_dbuf_addf(&b, "%s%u}\n", HDR_A, announced);
	for (i = 0; i < nev; i++) {
		nl_dbuf_add_str(&b, "{");
		first = 1;
		for (k = 0; k < NL_ARRAY_LEN(ev_keys); k++) {
			int mine = i == bad_at && key != NULL &&
			    strcmp(key, ev_keys[k]) == 0;

			if (mine && val == NULL)
				continue;
			nl_dbuf_addf(&b, "%s\"%s\": ", first ? "" : ", ",
			    ev_keys[k]);
			first = 0;
			if (mine)
				nl_dbuf_add_str(&b, val);
			else if (k == 0)
				nl_dbuf_addf(&b, "%u", i);
			else
				nl_dbuf_add_str(&b, ev_vals[k]);
		}
		if (i == bad_at && key != NULL && key[0] == '+')
			nl_dbuf_addf(&b, ", \"%s\": %s", key + 1, val);
		nl_dbuf_add_str(&b, "}\n");
	}
	return (char *)nl_dbuf_take(&b, len);
}

/* s with the first `from` replaced by `to` (free with nl_free). */
static char *
subst(const char *s, const char *from, const char *to)
{
	const char *at = strstr(s, from);
	struct nl_dbuf b;

	nl_dbuf_init(&b, 64u << 20);
	if (at == NULL)
		return (char *)nl_dbuf_take(&b, NULL);	/* NULL */
	nl_dbuf_add(&b, s, (size_t)(at - s));
	nl_dbuf_add_str(&b, to);
	nl_dbuf_add_str(&b, at + strlen(from));
	return (char *)nl_dbuf_take(&b, NULL);
}

static void
test_trace_file_accepts(void)
{
	struct trace *t = NULL;
	char err[256], *f, *g;
	size_t n;

	/* Exact 64-bit extremes. */
	f = mk_file(1, 1, 0, "a", "-9223372036854775808", &n);
	g = subst(f, "\"seed\": 1,", "\"seed\": 18446744073709551615,");
	nl_free(f);
	ASSERT(g != NULL);
	f = subst(g, "\"c\": 0", "\"c\": 9223372036854775807");
	nl_free(g);
	ASSERT_EQ(tf_trace_read(f, strlen(f), 0, &t, err, sizeof err), NL_OK);
	nl_free(f);
	ASSERT_U64_EQ(trace_seed(t), UINT64_MAX);
	ASSERT_EQ(trace_at(t, 0)->a, INT64_MIN);
	ASSERT_EQ(trace_at(t, 0)->c, INT64_MAX);
	trace_free(t);

	/* Integers written as doubles, when integral. */
	f = mk_file(1, 1, 0, "t_ns", "1.5e3", &n);
	ASSERT_EQ(tf_trace_read(f, n, 0, &t, err, sizeof err), NL_OK);
	nl_free(f);
	ASSERT_EQ(trace_at(t, 0)->t, 1500);
	trace_free(t);

	/* CRLF line ends, keys in another order, upper-case hex, no final
	 * newline. */
	f = nl_strdup(HDR_A "1}\r\n{\"hex\": \"0A0b\", \"summary\": \"x\", "
	    "\"c\": 0, \"b\": 0, \"a\": 0, \"flags\": 4, \"proto\": \"dns\", "
	    "\"link\": 1, \"peer\": 2, \"node\": 0, \"kind\": \"app\", "
	    "\"t_ns\": 5, \"seq\": 0}");
	ASSERT(f != NULL);
	if (tf_trace_read(f, strlen(f), 0, &t, err, sizeof err) != NL_OK)
		TEST_FAIL_AT("%s", err);
	nl_free(f);
	ASSERT_EQ(trace_at(t, 0)->len, 2);
	ASSERT_EQ(trace_at(t, 0)->data[0], 0x0a);
	ASSERT_EQ(trace_at(t, 0)->data[1], 0x0b);
	ASSERT_EQ(trace_at(t, 0)->proto, TRACE_P_DNS);
	ASSERT_EQ(trace_at(t, 0)->peer, 2);
	trace_free(t);

	/* A line of exactly TRACE_FILE_LINE_MAX bytes is fine... */
	f = mk_file(0, 0, 0, NULL, NULL, &n);
	g = nl_alloc(TRACE_FILE_LINE_MAX + 2);
	ASSERT(f != NULL && g != NULL);
	memcpy(g, f, n - 2);	/* all but "}\n" */
	memset(g + n - 2, ' ', TRACE_FILE_LINE_MAX - 1 - (n - 2));
	g[TRACE_FILE_LINE_MAX - 1] = '}';
	g[TRACE_FILE_LINE_MAX] = '\n';
	nl_free(f);
	if (tf_trace_read(g, TRACE_FILE_LINE_MAX + 1, 0, &t, err, sizeof err) !=
	    NL_OK)
		TEST_FAIL_AT("%s", err);
	trace_free(t);
	/* ... one more is not. */
	g[TRACE_FILE_LINE_MAX - 1] = ' ';
	g[TRACE_FILE_LINE_MAX] = '}';
	g[TRACE_FILE_LINE_MAX + 1] = '\n';
	ASSERT_EQ(tf_trace_read(g, TRACE_FILE_LINE_MAX + 2, 0, &t, err,
	    sizeof err), NL_ELIMIT);
	ASSERT_STR_EQ(err, "line 1: longer than 1048576 bytes");
	nl_free(g);
}

/* ---- Reading: every error, with its exact message ---- */

/* Reads n bytes of f expecting failure st with message msg. */
static void
expect_err(const char *f, size_t n, enum nl_status want, const char *msg)
{
	struct trace *t = (struct trace *)1;
	char err[512];
	enum nl_status st;

	ASSERT(f != NULL);
	st = tf_trace_read(f, n, 0, &t, err, sizeof err);
	if (st == NL_OK)
		trace_free(t);
	if (st != want || strcmp(err, msg) != 0)
		TEST_FAIL_AT("want %s \"%s\"\n    got %s \"%s\"",
		    nl_status_name(want), msg, nl_status_name(st), err);
	ASSERT(t == NULL);
}

/* An event field error on event bad_at of nev. */
static void
expect_ev_err(unsigned nev, unsigned bad_at, const char *key,
    const char *val, const char *msg)
{
	size_t n;
	char *f = mk_file(nev, nev, bad_at, key, val, &n);

	expect_err(f, n, NL_EMALFORMED, msg);
	nl_free(f);
}

/* A header error: the base file with from replaced by to. */
static void
expect_hdr_err(const char *from, const char *to, const char *msg)
{
	size_t n;
	char *f = mk_file(1, 1, 0, NULL, NULL, &n), *g = subst(f, from, to);

	nl_free(f);
	if (g == NULL)
		TEST_FAIL_AT("no \"%s\" in the base file", from);
	expect_err(g, strlen(g), NL_EMALFORMED, msg);
	nl_free(g);
}

static void
test_trace_file_event_errors(void)
{
	expect_ev_err(11, 10, "t_ns", "\"abc\"",
	    "line 12: \"t_ns\": expected a non-negative integer, found \"abc\"");
	expect_ev_err(1, 0, "t_ns", "-1",
	    "line 2: \"t_ns\": expected a non-negative integer, found -1");
	expect_ev_err(3, 1, "t_ns", "5000",
	    "line 3: times go backwards (5000 after 7000)");
	expect_ev_err(4, 2, "seq", "7", "line 4: \"seq\" is 7, expected 2");
	expect_ev_err(1, 0, "seq", "\"0\"",
	    "line 2: \"seq\": expected a non-negative integer, found \"0\"");
	expect_ev_err(1, 0, "kind", "\"pkt-sned\"",
	    "line 2: unknown kind \"pkt-sned\"");
	expect_ev_err(1, 0, "kind", "3",
	    "line 2: \"kind\": expected a string, found 3");
	expect_ev_err(4, 3, "node", "9",
	    "line 5: \"node\": 9 is not a node (the header has 3)");
	expect_ev_err(1, 0, "node", "-2",
	    "line 2: \"node\": expected an integer from -1 to 2147483647, "
	    "found -2");
	expect_ev_err(1, 0, "peer", "1.5",
	    "line 2: \"peer\": expected an integer from -1 to 2147483647, "
	    "found 1.5");
	expect_ev_err(1, 0, "peer", "2147483648",
	    "line 2: \"peer\": expected an integer from -1 to 2147483647, "
	    "found 2147483648");
	expect_ev_err(1, 0, "link", "2",
	    "line 2: \"link\": 2 is not a link (the header has 2)");
	expect_ev_err(1, 0, "proto", "\"ftp\"", "line 2: unknown proto \"ftp\"");
	expect_ev_err(1, 0, "flags", "65536",
	    "line 2: \"flags\": expected an integer from 0 to 65535, "
	    "found 65536");
	expect_ev_err(1, 0, "flags", "true",
	    "line 2: \"flags\": expected an integer from 0 to 65535, "
	    "found true");
	expect_ev_err(1, 0, "a", "9223372036854775808",
	    "line 2: \"a\": expected a 64-bit integer, "
	    "found 9223372036854775808");
	expect_ev_err(1, 0, "a", "-9223372036854775809",
	    "line 2: \"a\": expected a 64-bit integer, "
	    "found -9223372036854775809");
	expect_ev_err(1, 0, "b", "1e999",
	    "line 2: \"b\": expected a 64-bit integer, found 1e999");
	expect_ev_err(1, 0, "b", "1e19",
	    "line 2: \"b\": expected a 64-bit integer, found 1e19");
	expect_ev_err(1, 0, "c", "99999999999999999999999",
	    "line 2: \"c\": expected a 64-bit integer, "
	    "found 99999999999999999999999");
	expect_ev_err(1, 0, "c", "[1, 2]",
	    "line 2: \"c\": expected a 64-bit integer, found an array");
	expect_ev_err(1, 0, "summary", "null",
	    "line 2: \"summary\": expected a string, found null");
	expect_ev_err(1, 0, "summary", "{}",
	    "line 2: \"summary\": expected a string, found an object");
	expect_ev_err(1, 0, "hex", "\"abc\"",
	    "line 2: \"hex\": odd number of digits (3)");
	expect_ev_err(1, 0, "hex", "\"zz\"",
	    "line 2: \"hex\": not a hex digit at offset 0");
	expect_ev_err(1, 0, "hex", "\"00 11\"",
	    "line 2: \"hex\": not a hex digit at offset 2");
	expect_ev_err(1, 0, "hex", NULL, "line 2: missing \"hex\"");
	expect_ev_err(1, 0, "seq", NULL, "line 2: missing \"seq\"");
	expect_ev_err(1, 0, "+sumary", "\"y\"",
	    "line 2: unknown key \"sumary\"");
	expect_ev_err(1, 0, "+seq", "0", "line 2: duplicate key \"seq\"");
	expect_ev_err(1, 0, "+\\u0007", "0",
	    "line 2: unknown key \"\\u0007\"");
	expect_ev_err(1, 0, "kind",
	    "\"a very long kind name that goes on and on and on\"",
	    "line 2: unknown kind \"a very long kind name that goes on and o"
	    "...\"");
}

static void
test_trace_file_header_errors(void)
{
	static const char bad_json[] = HDR_A "1}\n{\"seq\": 0,\n";
	static const char nul[] = HDR_A "1}\n{\0";
	static const char crlf_blank[] = HDR_A "1}\n\n";

	expect_err("", 0, NL_EMALFORMED, "line 1: empty file");
	expect_err("\n", 1, NL_EMALFORMED, "line 1: empty line");
	expect_err("{}\n", 3, NL_EMALFORMED,
	    "line 1: not a netlab trace (no \"netlab_trace\" key)");
	expect_err("hello\n", 6, NL_EMALFORMED,
	    "line 1: not a netlab trace (not valid JSON at column 1)");
	expect_err("[]\n", 3, NL_EMALFORMED,
	    "line 1: not a netlab trace (expected a JSON object, "
	    "found an array)");
	expect_err("42", 2, NL_EMALFORMED,
	    "line 1: not a netlab trace (expected a JSON object, "
	    "found a number)");
	expect_err(bad_json, sizeof bad_json - 1, NL_EMALFORMED,
	    "line 2: not valid JSON at column 11");
	expect_err(nul, sizeof nul - 1, NL_EMALFORMED,
	    "line 2: a NUL byte in the line");
	expect_err(crlf_blank, sizeof crlf_blank - 1, NL_EMALFORMED,
	    "line 2: empty line");
	expect_hdr_err("\"netlab_trace\": 1", "\"netlab_trace\": 2",
	    "line 1: unsupported netlab_trace version 2");
	expect_hdr_err("\"netlab_trace\": 1", "\"netlab_trace\": \"1\"",
	    "line 1: \"netlab_trace\": expected a non-negative integer, "
	    "found \"1\"");
	expect_hdr_err("\"seed\": 1", "\"seed\": 18446744073709551616",
	    "line 1: \"seed\": expected a non-negative integer, "
	    "found 18446744073709551616");
	expect_hdr_err("\"seed\": 1", "\"seed\": 1, \"colour\": 1",
	    "line 1: unknown key \"colour\"");
	expect_hdr_err("\"title\": \"t\", ", "",
	    "line 1: missing \"title\"");
	expect_hdr_err("\"title\": \"t\"", "\"title\": 5",
	    "line 1: \"title\": expected a string, found 5");
	expect_hdr_err("\"nodes\": [", "\"nodes\": 3, \"x\": [",
	    "line 1: unknown key \"x\"");
	expect_hdr_err("{\"id\": 1, \"name\": \"b\"", "{\"id\": 5, \"name\": \"b\"",
	    "line 1: \"nodes[1].id\" is 5, expected 1");
	expect_hdr_err("\"10.0.0.1\"", "\"10.0.0.256\"",
	    "line 1: \"nodes[0].addrs[0]\": expected an IPv4 address like "
	    "\"10.0.0.1\", found \"10.0.0.256\"");
	expect_hdr_err("\"10.0.0.1\"", "\"10.0.0.1\", \"1.2.3\"",
	    "line 1: \"nodes[0].addrs[1]\": expected an IPv4 address like "
	    "\"10.0.0.1\", found \"1.2.3\"");
	expect_hdr_err("\"10.0.0.1\"", "\"010.0.0.1\"",
	    "line 1: \"nodes[0].addrs[0]\": expected an IPv4 address like "
	    "\"10.0.0.1\", found \"010.0.0.1\"");
	expect_hdr_err(", \"addrs\": [\"10.0.0.1\"]", "",
	    "line 1: \"nodes[0]\": missing \"addrs\"");
	expect_hdr_err("{\"id\": 0, \"name\": \"a\"", "7, {\"id\": 0, \"name\": \"a\"",
	    "line 1: \"nodes[0]\": expected an object, found 7");
	expect_hdr_err("\"loss\": 0", "\"loss\": 1.5",
	    "line 1: \"links[0].loss\": expected a number from 0 to 1, "
	    "found 1.5");
	expect_hdr_err("\"a\": 0, \"b\": 2", "\"a\": 7, \"b\": 2",
	    "line 1: \"links[0].a\": 7 is not a node (the header has 3)");
	expect_hdr_err("\"a\": 0, \"b\": 2", "\"a\": -1, \"b\": 2",
	    "line 1: \"links[0].a\": expected an integer from 0 to "
	    "2147483647, found -1");
	expect_hdr_err("\"delay_ns\": 1000", "\"delay_ns\": -5",
	    "line 1: \"links[0].delay_ns\": expected a non-negative integer, "
	    "found -5");
	expect_hdr_err("\"queue\": 10", "\"queue\": 4294967296",
	    "line 1: \"links[0].queue\": expected an integer from 0 to "
	    "4294967295, found 4294967296");
	expect_hdr_err("\"events\": 1", "\"events\": -1",
	    "line 1: \"events\": expected a non-negative integer, found -1");
}

static void
test_trace_file_counts(void)
{
	size_t n;
	char *f;

	/* Truncated: the count catches lost lines. */
	f = mk_file(60, 56, 0, NULL, NULL, &n);
	expect_err(f, n, NL_EMALFORMED,
	    "line 57: the header announces 60 events, found 56");
	/* The same without the last newline. */
	expect_err(f, n - 1, NL_EMALFORMED,
	    "line 57: the header announces 60 events, found 56");
	nl_free(f);
	f = mk_file(3, 0, 0, NULL, NULL, &n);
	expect_err(f, n, NL_EMALFORMED,
	    "line 1: the header announces 3 events, found 0");
	nl_free(f);
	f = mk_file(1, 3, 0, NULL, NULL, &n);
	expect_err(f, n, NL_EMALFORMED,
	    "line 3: the header announces 1 events, found more");
	nl_free(f);
	/* A huge count allocates nothing in advance. */
	f = mk_file(0, 0, 0, NULL, NULL, &n);
	{
		char *g = subst(f, "\"events\": 0",
		    "\"events\": 18446744073709551615");

		expect_err(g, strlen(g), NL_EMALFORMED,
		    "line 1: the header announces 18446744073709551615 "
		    "events, found 0");
		nl_free(g);
	}
	nl_free(f);
}

/* Cut the file anywhere: only a cut of the final newline still reads. */
static void
test_trace_file_truncated(void)
{
	struct trace *t = sample(0), *t2;
	char *b;
	size_t n, cut;
	enum nl_status st;
	char err[256];

	ASSERT(t != NULL);
	b = tf_trace_bytes(t, &n, &st);
	ASSERT_EQ(st, NL_OK);
	for (cut = 0; cut < n; cut++) {
		st = tf_trace_read(b, cut, 0, &t2, err, sizeof err);
		if (cut == n - 1) {
			ASSERT_EQ(st, NL_OK);
			ASSERT(trace_same(t, t2));
			trace_free(t2);
		} else {
			ASSERT_EQ(st, NL_EMALFORMED);
			ASSERT(t2 == NULL);
			ASSERT(strncmp(err, "line ", 5) == 0);
		}
	}
	nl_free(b);
	trace_free(t);
}

/* A tiny deterministic PRNG (xorshift32) for the hostile-input tests. */
static uint32_t
rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* If p parses, writing it back and reading again gives the same trace
 * and the same bytes. */
static void
check_stable(const void *p, size_t n)
{
	struct trace *t = NULL, *t2 = NULL;
	char *b1, *b2;
	size_t n1, n2;
	enum nl_status st;
	char err[256];

	if (tf_trace_read(p, n, 0, &t, err, sizeof err) != NL_OK) {
		ASSERT(t == NULL);
		ASSERT(strncmp(err, "line ", 5) == 0);
		return;
	}
	b1 = tf_trace_bytes(t, &n1, &st);
	ASSERT_EQ(st, NL_OK);
	ASSERT_EQ(tf_trace_read(b1, n1, 0, &t2, err, sizeof err), NL_OK);
	ASSERT(trace_same(t, t2));
	b2 = tf_trace_bytes(t2, &n2, &st);
	ASSERT_EQ(st, NL_OK);
	ASSERT_EQ(n1, n2);
	ASSERT_MEM_EQ(b1, b2, n1);
	nl_free(b1);
	nl_free(b2);
	trace_free(t);
	trace_free(t2);
}

static void
test_trace_file_random(void)
{
	static const char alpha[] = "{}[]\":,0123456789-+.eE \n\rtruefalsn"
	    "\\u/abcdefx\x01\xc3\xa9\xff";
	uint8_t buf[3000];
	uint32_t s = 12345, i, j, len;

	for (i = 0; i < 300 && !test_failed; i++) {
		len = rnd(&s) % sizeof buf;
		for (j = 0; j < len; j++)
			buf[j] = (i & 1) ? (uint8_t)rnd(&s) :
			    (uint8_t)alpha[rnd(&s) % (sizeof alpha - 1)];
		check_stable(buf, len);
	}
}

/* Flip a few bytes of a valid file, many times. */
static void
test_trace_file_mutations(void)
{
	static const char pool[] = "0123456789-.e\"\\{}[],: xu\n\x7f\xc3";
	struct trace *t = sample(0);
	char *b;
	uint8_t *m;
	size_t n;
	uint32_t s = 777, i, k, flips;
	enum nl_status st;

	ASSERT(t != NULL);
	b = tf_trace_bytes(t, &n, &st);
	ASSERT_EQ(st, NL_OK);
	m = nl_alloc(n);
	ASSERT(m != NULL);
	for (i = 0; i < 1500 && !test_failed; i++) {
		memcpy(m, b, n);
		flips = 1 + rnd(&s) % 3;
		for (k = 0; k < flips; k++)
			m[rnd(&s) % n] = (i & 1) ? (uint8_t)rnd(&s) :
			    (uint8_t)pool[rnd(&s) % (sizeof pool - 1)];
		check_stable(m, n);
	}
	nl_free(m);
	nl_free(b);
	trace_free(t);
}

static void
test_trace_file_long_line(void)
{
	size_t big = 2u << 20, n;
	char *f, *g;

	f = nl_alloc(big);
	ASSERT(f != NULL);
	memset(f, 'x', big);
	expect_err(f, big, NL_ELIMIT, "line 1: longer than 1048576 bytes");
	/* On line 2, as a hex string that never ends. */
	g = mk_file(1, 0, 0, NULL, NULL, &n);
	ASSERT(g != NULL);
	memcpy(f, g, n);
	memcpy(f + n, "{\"hex\": \"", 9);
	memset(f + n + 9, 'a', big - n - 9);
	nl_free(g);
	expect_err(f, big, NL_ELIMIT, "line 2: longer than 1048576 bytes");
	nl_free(f);
}

static void
test_trace_file_deep_nesting(void)
{
	size_t depth = 200000, n, i;
	struct nl_dbuf b;
	char *f, *hdr;

	/* Far past cJSON's nesting limit. */
	hdr = mk_file(1, 0, 0, NULL, NULL, &n);
	ASSERT(hdr != NULL);
	nl_dbuf_init(&b, 8u << 20);
	nl_dbuf_add(&b, hdr, n);
	for (i = 0; i < depth; i++)
		nl_dbuf_add(&b, "[", 1);
	f = (char *)nl_dbuf_take(&b, &n);
	expect_err(f, n, NL_EMALFORMED, "line 2: not valid JSON at column 1001");
	nl_free(f);
	nl_free(hdr);

	/* Deep but within the limit, numbers at the bottom, in a field. */
	nl_dbuf_init(&b, 8u << 20);
	for (i = 0; i < 900; i++)
		nl_dbuf_add(&b, "[", 1);
	nl_dbuf_add_str(&b, "1, -2.5e3");
	for (i = 0; i < 900; i++)
		nl_dbuf_add(&b, "]", 1);
	f = (char *)nl_dbuf_take(&b, &n);
	expect_ev_err(1, 0, "c", f,
	    "line 2: \"c\": expected a 64-bit integer, found an array");
	/* ... and in an unknown key before the fields. */
	{
		struct nl_dbuf hb;
		char *g, *h, *k;

		nl_dbuf_init(&hb, 8u << 20);
		nl_dbuf_add_str(&hb, "{\"deep\": ");
		nl_dbuf_add_str(&hb, f);
		nl_dbuf_add_str(&hb, ", \"seq\": 0");
		h = (char *)nl_dbuf_take(&hb, NULL);
		g = mk_file(1, 1, 0, NULL, NULL, &n);
		k = subst(g, "{\"seq\": 0", h);
		nl_free(g);
		nl_free(h);
		expect_err(k, k != NULL ? strlen(k) : 0, NL_EMALFORMED,
		    "line 2: unknown key \"deep\"");
		nl_free(k);
	}
	nl_free(f);
}

/* Every allocation failure while reading ends in NL_ENOMEM, no trace
 * and no leak; and so for writing. */
static void
test_trace_file_oom(void)
{
	struct trace *t = sample(1), *t2;
	char *b;
	size_t n;
	long k;
	enum nl_status st;
	char err[256];
	FILE *f;

	ASSERT(t != NULL);
	b = tf_trace_bytes(t, &n, &st);
	ASSERT_EQ(st, NL_OK);
	for (k = 0; k < 100000; k++) {
		FILE *in = tmpfile();

		ASSERT(in != NULL);
		fwrite(b, 1, n, in);
		rewind(in);
		nl_alloc_fail_after(k);
		st = trace_file_read(in, &t2, err, sizeof err);
		nl_alloc_fail_after(-1);
		fclose(in);
		if (st == NL_OK)
			break;
		ASSERT_EQ(st, NL_ENOMEM);
		ASSERT(t2 == NULL);
	}
	ASSERT(st == NL_OK);
	ASSERT(trace_same(t, t2));
	trace_free(t2);
	for (k = 0; k < 100; k++) {
		f = tmpfile();
		ASSERT(f != NULL);
		nl_alloc_fail_after(k);
		st = trace_file_write(t, f);
		nl_alloc_fail_after(-1);
		fclose(f);
		if (st == NL_OK)
			break;
		ASSERT_EQ(st, NL_ENOMEM);
	}
	ASSERT(st == NL_OK);
	nl_free(b);
	trace_free(t);
}

const struct test_case tests_trace_file[] = {
	{ "trace_file_roundtrip", test_trace_file_roundtrip },
	{ "trace_file_exact", test_trace_file_exact },
	{ "trace_file_escaping", test_trace_file_escaping },
	{ "trace_file_write_refuses", test_trace_file_write_refuses },
	{ "trace_file_save_load", test_trace_file_save_load },
	{ "trace_file_locale", test_trace_file_locale },
	{ "trace_file_accepts", test_trace_file_accepts },
	{ "trace_file_event_errors", test_trace_file_event_errors },
	{ "trace_file_header_errors", test_trace_file_header_errors },
	{ "trace_file_counts", test_trace_file_counts },
	{ "trace_file_truncated", test_trace_file_truncated },
	{ "trace_file_random", test_trace_file_random },
	{ "trace_file_mutations", test_trace_file_mutations },
	{ "trace_file_long_line", test_trace_file_long_line },
	{ "trace_file_deep_nesting", test_trace_file_deep_nesting },
	{ "trace_file_oom", test_trace_file_oom },
	{ NULL, NULL },
};
