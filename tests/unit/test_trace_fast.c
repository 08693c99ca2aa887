/* test_trace_fast.c - the trace file reader's two paths agree: the
 * scanner for lines as the writer prints them (trace_file_scan.c) takes
 * every line of real runs and gives the events the cJSON path gives;
 * every other line falls back to the cJSON path, so the trace or the
 * error message is the same whichever path is forced. */
#include "test.h"

#include <stdint.h>
#include <stdlib.h>

#include "engine/sim.h"
#include "scenario/scn.h"
#include "trace/trace.h"
#include "trace/trace_file.h"
#include "trace/trace_file_int.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/nl.h"

#include "../tfile.h"
#include "world.h"

/* ---- Helpers ---- */

/*
 * Checks the file of t (bytes b, n) both ways: the scanner takes each of
 * its event lines, alone, to the very event of t; reading on either path
 * gives t back; writing that again gives the same bytes. Returns 0 and
 * says why on stderr otherwise.
 */
static int
check_file(const struct trace *t, const char *b, size_t n)
{
	struct trace_file_scan_buf *sb = nl_alloc(sizeof *sb);
	struct trace_file_scan_ref ref;
	struct trace_event ev;
	struct trace *fast = NULL, *slow = NULL;
	const char *p = b, *nl;
	char err[256], *back = NULL;
	size_t k = 0, blen = 0;
	enum nl_status wst;
	int ok = 0;

	if (sb == NULL)
		return 0;
	ref.nnodes = trace_node_count(t);
	ref.nlinks = trace_link_count(t);
	ref.prev_t = 0;
	p = memchr(b, '\n', n);	/* the header takes the general path */
	if (p == NULL)
		goto done;
	for (p++; p < b + n; p = nl + 1, k++) {
		nl = memchr(p, '\n', (size_t)(b + n - p));
		if (nl == NULL || k >= trace_count(t))
			goto done;
		ref.k = k;
		/* The newline ends the line, as in the reader's buffer. */
		if (!trace_file_scan_event(p, (size_t)(nl - p), &ref, sb, &ev) ||
		    !trace_event_same(&ev, trace_at(t, k))) {
			fprintf(stderr, "  event %zu: scanner refused or differs\n",
			    k);
			goto done;
		}
		ref.prev_t = ev.t;
	}
	if (k != trace_count(t))
		goto done;
	if (tf_trace_read(b, n, 0, &fast, err, sizeof err) != NL_OK ||
	    tf_trace_read(b, n, 1, &slow, err, sizeof err) != NL_OK) {
		fprintf(stderr, "  read back: %s\n", err);
		goto done;
	}
	if (!trace_same(t, fast) || !trace_same(t, slow))
		goto done;
	back = tf_trace_bytes(fast, &blen, &wst);
	ok = back != NULL && blen == n && memcmp(back, b, n) == 0;
done:
	nl_free(back);
	trace_free(fast);
	trace_free(slow);
	nl_free(sb);
	return ok;
}

/* ---- Lines as the writer prints them ---- */

/* Real runs: packets with payloads, TCP states, mail, DNS, an
 * attachment, captions and checkpoints. */
static void
test_trace_fast_scenarios(void)
{
	static const char *const names[] = { "smtp-alice-bob", "tcp-loss",
		"dns-caching", "mime-attachment", "pop3-vs-imap" };
	struct trace *t;
	size_t i, n;
	char *b;
	enum nl_status wst;

	for (i = 0; i < NL_ARRAY_LEN(names); i++) {
		t = test_scenario_trace(names[i], 3600 * SIM_S);
		ASSERT(t != NULL);
		ASSERT(trace_count(t) > 50);
		b = tf_trace_bytes(t, &n, &wst);
		ASSERT(b != NULL);
		if (!check_file(t, b, n)) {
			nl_free(b);
			trace_free(t);
			TEST_FAIL_AT("%s: the two paths differ", names[i]);
		}
		nl_free(b);
		trace_free(t);
	}
}

static char *
unconst(const char *s)
{
	return (char *)(uintptr_t)s;
}

/* The edges the scanner must still take: 64-bit extremes, 19 digits,
 * the last node and link, flags 65535, every escape the writer makes,
 * raw UTF-8 and invalid bytes, a summary and a payload at their limits. */
static void
test_trace_fast_edges(void)
{
	struct trace *t = trace_new();
	struct trace_event ev;
	struct trace_link l;
	char *summary, *b, ctl[40];
	uint8_t *payload;
	int32_t id;
	size_t n, i;
	enum nl_status wst;
	int ok = 1;

	summary = nl_alloc(TRACE_FILE_SUMMARY_MAX + 1);
	payload = nl_alloc(TRACE_FILE_PAYLOAD_MAX);
	ASSERT(t != NULL && summary != NULL && payload != NULL);
	ok &= trace_set_meta(t, "edges", "t", 3) == NL_OK;
	ok &= trace_node_add(t, "a", "host", &id) == NL_OK;
	ok &= trace_node_add(t, "b", "host", &id) == NL_OK;
	memset(&l, 0, sizeof l);
	l.name = unconst("a-b");
	l.b = 1;
	ok &= trace_link_add(t, &l, &id) == NL_OK;
	for (i = 0; i < 31; i++)	/* 0x01..0x1f, then DEL */
		ctl[i] = (char)(i + 1);
	memcpy(ctl + 31, "\x7f\"\\\xc3\xa9\xff", 7);
	memset(&ev, 0, sizeof ev);
	ev.node = 1;
	ev.peer = -1;
	ev.link = 0;
	ev.kind = TRACE_KIND_COUNT_ - 1;
	ev.proto = TRACE_PROTO_COUNT_ - 1;
	ev.flags = UINT16_MAX;
	ev.a = INT64_MIN;
	ev.b = INT64_MAX;
	ev.c = -1000000000000000000;	/* 19 digits */
	ev.summary = ctl;
	ok &= trace_append(t, &ev, NULL) == NL_OK;
	/* A summary at the limit, escapes included, and a full payload. */
	for (i = 0; i < TRACE_FILE_SUMMARY_MAX; i++)
		summary[i] = i % 97 == 0 ? '"' : (char)('a' + i % 26);
	summary[TRACE_FILE_SUMMARY_MAX] = '\0';
	for (i = 0; i < TRACE_FILE_PAYLOAD_MAX; i++)
		payload[i] = (uint8_t)(i * 13 + 5);
	ev.kind = TRACE_APP;
	ev.proto = TRACE_P_NONE;
	ev.node = -1;
	ev.link = -1;
	ev.flags = 0;
	ev.a = ev.b = ev.c = 0;
	ev.t = 1;
	ev.summary = summary;
	ev.data = payload;
	ev.len = TRACE_FILE_PAYLOAD_MAX;
	ok &= trace_append(t, &ev, NULL) == NL_OK;
	/* The same time again, then the last time there is. */
	ev.summary = unconst("");
	ev.data = NULL;
	ev.len = 0;
	ok &= trace_append(t, &ev, NULL) == NL_OK;
	ev.t = INT64_MAX;
	ok &= trace_append(t, &ev, NULL) == NL_OK;
	nl_free(summary);
	nl_free(payload);
	ASSERT(ok);
	b = tf_trace_bytes(t, &n, &wst);
	ASSERT(b != NULL);
	ok = check_file(t, b, n);
	nl_free(b);
	trace_free(t);
	ASSERT(ok);
}

/* ---- Every other line: the general path, same result ---- */

/* A header with 2 nodes and 1 link announcing one event. */
#define HDR "{\"netlab_trace\": 1, \"scenario\": \"s\", \"title\": \"t\", " \
	"\"seed\": 1, \"nodes\": [{\"id\": 0, \"name\": \"a\", \"kind\": " \
	"\"host\", \"addrs\": [\"10.0.0.1\"]}, {\"id\": 1, \"name\": \"b\", " \
	"\"kind\": \"host\", \"addrs\": []}], \"links\": [{\"id\": 0, " \
	"\"name\": \"a-b\", \"a\": 0, \"b\": 1, \"delay_ns\": 1000, " \
	"\"bandwidth\": 1000000, \"loss\": 0, \"queue\": 10}], " \
	"\"events\": 1}\n"

/* The event line as the writer prints it: pieces before and after the
 * summary and hex, so that tests can swap any part. */
#define EV_HEAD "{\"seq\": 0, \"t_ns\": 5, \"kind\": \"app\", \"node\": 0, " \
	"\"peer\": 1, \"link\": 0, \"proto\": \"smtp\", \"flags\": 2, " \
	"\"a\": 7, \"b\": -7, \"c\": 0, \"summary\": "
#define EV_LINE EV_HEAD "\"C: HELO\", \"hex\": \"0aff\"}"

/* Reads HDR + line + "\n" on both paths: 1 when the status, the message
 * and (on success) the trace are the same; *st gets the status, err the
 * message. Also 0 when the scanner takes the line and scan_ok is 0. */
static int
both_paths(const char *line, size_t len, int scan_ok, enum nl_status *st,
    char *err, size_t errlen)
{
	struct trace_file_scan_buf *sb = nl_alloc(sizeof *sb);
	struct trace_file_scan_ref ref = { 0, 0, 2, 1 };
	struct trace_event ev;
	struct trace *t1 = NULL, *t2 = NULL;
	struct nl_dbuf b;
	char err2[256];
	enum nl_status st2;
	int ok;

	nl_dbuf_init(&b, 4u << 20);
	nl_dbuf_add_str(&b, HDR);
	nl_dbuf_add(&b, line, len);
	nl_dbuf_add_str(&b, "\n");
	if (sb == NULL || b.data == NULL) {
		nl_free(sb);
		nl_dbuf_free(&b);
		return 0;
	}
	/* In the file's buffer the line ends with its newline. */
	ok = trace_file_scan_event((const char *)b.data + strlen(HDR), len,
	    &ref, sb, &ev) == scan_ok;
	*st = tf_trace_read((const char *)b.data, b.len, 0, &t1, err, errlen);
	st2 = tf_trace_read((const char *)b.data, b.len, 1, &t2, err2,
	    sizeof err2);
	ok = ok && *st == st2 && strcmp(err, err2) == 0 &&
	    (*st != NL_OK || trace_same(t1, t2));
	if (!ok)
		fprintf(stderr, "  %.*s\n  fast: %s\n  slow: %s\n",
		    (int)(len < 300 ? len : 300), line, err, err2);
	trace_free(t1);
	trace_free(t2);
	nl_free(sb);
	nl_dbuf_free(&b);
	return ok;
}

/* Lines that are valid but not as the writer prints them, or over a
 * limit, or no JSON at all: the scanner refuses each, and both paths
 * then give the same trace or the same message. */
static void
test_trace_fast_fallback(void)
{
	static const struct {
		const char *line;	/* the event line */
		int valid;		/* 1: it loads */
	} cases[] = {
		/* Valid JSON, other spacing or order. */
		{ "{\"seq\":0,\"t_ns\":5,\"kind\":\"app\",\"node\":0,\"peer\":1,"
		  "\"link\":0,\"proto\":\"smtp\",\"flags\":2,\"a\":7,\"b\":-7,"
		  "\"c\":0,\"summary\":\"C: HELO\",\"hex\":\"0aff\"}", 1 },
		{ "{\"seq\":  0, \"t_ns\": 5, \"kind\": \"app\", \"node\": 0, "
		  "\"peer\": 1, \"link\": 0, \"proto\": \"smtp\", \"flags\": 2, "
		  "\"a\": 7, \"b\": -7, \"c\": 0, \"summary\": \"C: HELO\", "
		  "\"hex\": \"0aff\"}", 1 },
		{ " " EV_LINE, 1 },
		{ EV_LINE " ", 1 },
		{ EV_LINE "\r", 1 },
		{ "{\"hex\": \"0aff\", \"seq\": 0, \"t_ns\": 5, \"kind\": "
		  "\"app\", \"node\": 0, \"peer\": 1, \"link\": 0, \"proto\": "
		  "\"smtp\", \"flags\": 2, \"a\": 7, \"b\": -7, \"c\": 0, "
		  "\"summary\": \"C: HELO\"}", 1 },
		/* Escapes the writer does not make. */
		{ EV_HEAD "\"\\u0041\\n\\t\\/\\b\\f\\r\", \"hex\": \"\"}", 1 },
		{ EV_HEAD "\"caf\\u00e9 \\u20ac\", \"hex\": \"\"}", 1 },
		{ EV_HEAD "\"\\u001F \\u007F\", \"hex\": \"\"}", 1 },
		{ EV_HEAD "\"\\u0000\", \"hex\": \"\"}", 1 },
		{ EV_HEAD "\"raw\ttab\", \"hex\": \"\"}", 1 },
		{ EV_HEAD "\"x\", \"hex\": \"0AFF\"}", 1 },
		{ EV_HEAD "\"x\", \"hex\": \"0A\"}", 1 },
		{ EV_HEAD "\"x\", \"hex\": \"\\u0030a\"}", 1 },
		/* Other number forms. */
		{ "{\"seq\": 0, \"t_ns\": 5e0, \"kind\": \"app\", \"node\": 0, "
		  "\"peer\": 1, \"link\": 0, \"proto\": \"smtp\", \"flags\": 2, "
		  "\"a\": 7.0, \"b\": -7, \"c\": -0, \"summary\": \"x\", "
		  "\"hex\": \"\"}", 1 },
		{ "{\"seq\": 0, \"t_ns\": 05, \"kind\": \"app\", \"node\": 0, "
		  "\"peer\": 1, \"link\": 0, \"proto\": \"smtp\", \"flags\": 2, "
		  "\"a\": 7, \"b\": -7, \"c\": 0, \"summary\": \"x\", "
		  "\"hex\": \"\"}", 1 },
		{ "{\"seq\": 0, \"t_ns\": 5, \"kind\": \"app\", \"node\": 0, "
		  "\"peer\": 1, \"link\": 0, \"proto\": \"smtp\", \"flags\": 2, "
		  "\"a\": 0000000000000000000007, \"b\": -7, \"c\": 0, "
		  "\"summary\": \"x\", \"hex\": \"\"}", 1 },
		/* Out of range. */
		{ "{\"seq\": 1, \"t_ns\": 5, \"kind\": \"app\", \"node\": 0, "
		  "\"peer\": 1, \"link\": 0, \"proto\": \"smtp\", \"flags\": 2, "
		  "\"a\": 7, \"b\": -7, \"c\": 0, \"summary\": \"x\", "
		  "\"hex\": \"\"}", 0 },
		{ "{\"seq\": 0, \"t_ns\": -5, \"kind\": \"app\", \"node\": 0, "
		  "\"peer\": 1, \"link\": 0, \"proto\": \"smtp\", \"flags\": 2, "
		  "\"a\": 7, \"b\": -7, \"c\": 0, \"summary\": \"x\", "
		  "\"hex\": \"\"}", 0 },
		{ "{\"seq\": 0, \"t_ns\": 9223372036854775808, \"kind\": \"app\", "
		  "\"node\": 0, \"peer\": 1, \"link\": 0, \"proto\": \"smtp\", "
		  "\"flags\": 2, \"a\": 7, \"b\": -7, \"c\": 0, \"summary\": "
		  "\"x\", \"hex\": \"\"}", 0 },
		{ "{\"seq\": 0, \"t_ns\": 5, \"kind\": \"app\", \"node\": 2, "
		  "\"peer\": 1, \"link\": 0, \"proto\": \"smtp\", \"flags\": 2, "
		  "\"a\": 7, \"b\": -7, \"c\": 0, \"summary\": \"x\", "
		  "\"hex\": \"\"}", 0 },
		{ "{\"seq\": 0, \"t_ns\": 5, \"kind\": \"app\", \"node\": 0, "
		  "\"peer\": -2, \"link\": 0, \"proto\": \"smtp\", \"flags\": 2, "
		  "\"a\": 7, \"b\": -7, \"c\": 0, \"summary\": \"x\", "
		  "\"hex\": \"\"}", 0 },
		{ "{\"seq\": 0, \"t_ns\": 5, \"kind\": \"app\", \"node\": 0, "
		  "\"peer\": 1, \"link\": 1, \"proto\": \"smtp\", \"flags\": 2, "
		  "\"a\": 7, \"b\": -7, \"c\": 0, \"summary\": \"x\", "
		  "\"hex\": \"\"}", 0 },
		{ "{\"seq\": 0, \"t_ns\": 5, \"kind\": \"app\", \"node\": 0, "
		  "\"peer\": 1, \"link\": 2147483648, \"proto\": \"smtp\", "
		  "\"flags\": 2, \"a\": 7, \"b\": -7, \"c\": 0, \"summary\": "
		  "\"x\", \"hex\": \"\"}", 0 },
		{ "{\"seq\": 0, \"t_ns\": 5, \"kind\": \"app\", \"node\": 0, "
		  "\"peer\": 1, \"link\": 0, \"proto\": \"smtp\", \"flags\": "
		  "65536, \"a\": 7, \"b\": -7, \"c\": 0, \"summary\": \"x\", "
		  "\"hex\": \"\"}", 0 },
		{ "{\"seq\": 0, \"t_ns\": 5, \"kind\": \"app\", \"node\": 0, "
		  "\"peer\": 1, \"link\": 0, \"proto\": \"smtp\", \"flags\": 2, "
		  "\"a\": 9223372036854775808, \"b\": -7, \"c\": 0, "
		  "\"summary\": \"x\", \"hex\": \"\"}", 0 },
		{ "{\"seq\": 0, \"t_ns\": 5, \"kind\": \"app\", \"node\": 0, "
		  "\"peer\": 1, \"link\": 0, \"proto\": \"smtp\", \"flags\": 2, "
		  "\"a\": 7, \"b\": -9223372036854775809, \"c\": 0, "
		  "\"summary\": \"x\", \"hex\": \"\"}", 0 },
		{ "{\"seq\": 0, \"t_ns\": 5, \"kind\": \"app\", \"node\": 0, "
		  "\"peer\": 1, \"link\": 0, \"proto\": \"smtp\", \"flags\": 2, "
		  "\"a\": 7, \"b\": -7, \"c\": 99999999999999999999, "
		  "\"summary\": \"x\", \"hex\": \"\"}", 0 },
		{ "{\"seq\": 0, \"t_ns\": 5, \"kind\": \"App\", \"node\": 0, "
		  "\"peer\": 1, \"link\": 0, \"proto\": \"smtp\", \"flags\": 2, "
		  "\"a\": 7, \"b\": -7, \"c\": 0, \"summary\": \"x\", "
		  "\"hex\": \"\"}", 0 },
		/* cJSON ends a string at \u0000: this reads as "smtp". */
		{ "{\"seq\": 0, \"t_ns\": 5, \"kind\": \"app\", \"node\": 0, "
		  "\"peer\": 1, \"link\": 0, \"proto\": \"smtp\\u0000\", "
		  "\"flags\": 2, \"a\": 7, \"b\": -7, \"c\": 0, \"summary\": "
		  "\"x\", \"hex\": \"\"}", 1 },
		/* Bad hex. */
		{ EV_HEAD "\"x\", \"hex\": \"0g\"}", 0 },
		{ EV_HEAD "\"x\", \"hex\": \"0af\"}", 0 },
		{ EV_HEAD "\"x\", \"hex\": \"0a f\"}", 0 },
		{ EV_HEAD "\"x\", \"hex\": 10}", 0 },
		/* Keys and shape. */
		{ EV_HEAD "\"x\"}", 0 },
		{ EV_HEAD "\"x\", \"hex\": \"\", \"hex\": \"\"}", 0 },
		{ EV_HEAD "\"x\", \"hex\": \"\", \"extra\": 1}", 0 },
		{ EV_HEAD "\"x\", \"hex\": \"\"", 0 },
		{ EV_HEAD "\"x\", \"hex\": \"\"}}", 0 },
		{ EV_HEAD "\"x, \"hex\": \"\"}", 0 },
		{ EV_HEAD "\"x\\", 0 },
		{ EV_HEAD "\"\\q\", \"hex\": \"\"}", 0 },
		/* cJSON reads a bad \u as U+0000, ending the string. */
		{ EV_HEAD "\"\\u00zz\", \"hex\": \"\"}", 1 },
		{ EV_HEAD "null, \"hex\": \"\"}", 0 },
		{ "[]", 0 },
		{ "{\"seq\": 0", 0 },
		{ "{\"seq\": -", 0 },
		{ "{", 0 },
	};
	static const char nul[] = EV_HEAD "\"a\0b\", \"hex\": \"\"}";
	enum nl_status st;
	char err[256];
	size_t i;

	/* The writer's own line goes the fast way and loads. */
	ASSERT(both_paths(EV_LINE, strlen(EV_LINE), 1, &st, err, sizeof err));
	ASSERT_EQ(st, NL_OK);
	for (i = 0; i < NL_ARRAY_LEN(cases); i++) {
		if (!both_paths(cases[i].line, strlen(cases[i].line), 0, &st,
		    err, sizeof err))
			TEST_FAIL_AT("case %zu differs", i);
		if ((st == NL_OK) != cases[i].valid)
			TEST_FAIL_AT("case %zu: %s", i,
			    st == NL_OK ? "loads" : err);
	}
	/* A NUL byte inside: the general path names it. */
	ASSERT(both_paths(nul, sizeof nul - 1, 0, &st, err, sizeof err));
	ASSERT_STR_EQ(err, "line 2: a NUL byte in the line");
	/* The messages are the general path's, word for word. */
	ASSERT(both_paths(EV_HEAD "\"x\", \"hex\": \"0G\"}",
	    strlen(EV_HEAD "\"x\", \"hex\": \"0G\"}"), 0, &st, err,
	    sizeof err));
	ASSERT_STR_EQ(err, "line 2: \"hex\": not a hex digit at offset 1");
	ASSERT(both_paths("{\"seq\": 0, \"t_ns\": 5, \"kind\": \"app\", "
	    "\"node\": 0, \"peer\": 1, \"link\": 0, \"proto\": \"smtp\", "
	    "\"flags\": 65536, \"a\": 7, \"b\": -7, \"c\": 0, \"summary\": "
	    "\"x\", \"hex\": \"\"}", strlen("{\"seq\": 0, \"t_ns\": 5, "
	    "\"kind\": \"app\", \"node\": 0, \"peer\": 1, \"link\": 0, "
	    "\"proto\": \"smtp\", \"flags\": 65536, \"a\": 7, \"b\": -7, "
	    "\"c\": 0, \"summary\": \"x\", \"hex\": \"\"}"), 0, &st, err,
	    sizeof err));
	ASSERT_STR_EQ(err, "line 2: \"flags\": expected an integer from 0 to "
	    "65535, found 65536");
}

/* Limits the scanner leaves to the general path: a summary one byte
 * over, a payload one byte over, hex past the payload limit. */
static void
test_trace_fast_limits(void)
{
	size_t over = TRACE_FILE_SUMMARY_MAX + 1;
	size_t hexn = 2 * (TRACE_FILE_PAYLOAD_MAX + 1);
	struct nl_dbuf b;
	enum nl_status st;
	char err[256], *line;
	size_t len;
	int ok;

	nl_dbuf_init(&b, 4u << 20);
	nl_dbuf_add_str(&b, EV_HEAD "\"");
	len = b.len;
	while (b.len < len + over)
		nl_dbuf_add_str(&b, "y");
	nl_dbuf_add_str(&b, "\", \"hex\": \"\"}");
	line = (char *)nl_dbuf_take(&b, &len);
	ASSERT(line != NULL);
	ok = both_paths(line, len, 0, &st, err, sizeof err);
	nl_free(line);
	ASSERT(ok);
	ASSERT_EQ(st, NL_EMALFORMED);
	ASSERT_STR_EQ(err, "line 2: \"summary\": 65537 bytes, over the limit "
	    "of 65536");
	/* The same with the last byte escaped: 65536 decoded, accepted. */
	nl_dbuf_init(&b, 4u << 20);
	nl_dbuf_add_str(&b, EV_HEAD "\"");
	len = b.len;
	while (b.len < len + TRACE_FILE_SUMMARY_MAX - 1)
		nl_dbuf_add_str(&b, "y");
	nl_dbuf_add_str(&b, "\\u0001\", \"hex\": \"\"}");
	line = (char *)nl_dbuf_take(&b, &len);
	ASSERT(line != NULL);
	ok = both_paths(line, len, 1, &st, err, sizeof err);
	nl_free(line);
	ASSERT(ok);
	ASSERT_EQ(st, NL_OK);
	/* Hex for one byte over the payload limit. */
	nl_dbuf_init(&b, 4u << 20);
	nl_dbuf_add_str(&b, EV_HEAD "\"x\", \"hex\": \"");
	len = b.len;
	while (b.len < len + hexn)
		nl_dbuf_add_str(&b, "ab");
	nl_dbuf_add_str(&b, "\"}");
	line = (char *)nl_dbuf_take(&b, &len);
	ASSERT(line != NULL);
	ok = both_paths(line, len, 0, &st, err, sizeof err);
	nl_free(line);
	ASSERT(ok);
	ASSERT_STR_EQ(err, "line 2: \"hex\": 65536 bytes of payload, over "
	    "the limit of 65535");
}

/* Times going backwards, seen from the second event: the scanner
 * refuses it, the message is the general path's. */
static void
test_trace_fast_backwards(void)
{
	static const char file[] =
	    "{\"netlab_trace\": 1, \"scenario\": \"s\", \"title\": \"t\", "
	    "\"seed\": 1, \"nodes\": [], \"links\": [], \"events\": 2}\n"
	    "{\"seq\": 0, \"t_ns\": 9, \"kind\": \"note\", \"node\": -1, "
	    "\"peer\": -1, \"link\": -1, \"proto\": \"-\", \"flags\": 0, "
	    "\"a\": 0, \"b\": 0, \"c\": 0, \"summary\": \"\", \"hex\": \"\"}\n"
	    "{\"seq\": 1, \"t_ns\": 8, \"kind\": \"note\", \"node\": -1, "
	    "\"peer\": -1, \"link\": -1, \"proto\": \"-\", \"flags\": 0, "
	    "\"a\": 0, \"b\": 0, \"c\": 0, \"summary\": \"\", \"hex\": \"\"}\n";
	struct trace *t;
	char err[256], err2[256];

	ASSERT_EQ(tf_trace_read(file, sizeof file - 1, 0, &t, err, sizeof err),
	    NL_EMALFORMED);
	ASSERT_EQ(tf_trace_read(file, sizeof file - 1, 1, &t, err2, sizeof err2),
	    NL_EMALFORMED);
	ASSERT_STR_EQ(err, "line 3: times go backwards (8 after 9)");
	ASSERT_STR_EQ(err, err2);
}

/* The switch works: the general path allocates a cJSON tree per line,
 * the scanner nothing, so reading on the general path needs more
 * allocations before it gets through. Without this, a switch that did
 * nothing would make the comparisons above compare the scanner with
 * itself. */
static void
test_trace_fast_switch(void)
{
	static const char file[] = HDR EV_LINE "\n";
	long need[2];
	struct trace *t;
	char err[256];
	enum nl_status st;
	int slow;

	for (slow = 0; slow < 2; slow++) {
		for (need[slow] = 0; need[slow] < 10000; need[slow]++) {
			nl_alloc_fail_after(need[slow]);
			st = tf_trace_read(file, sizeof file - 1, slow, &t, err,
			    sizeof err);
			nl_alloc_fail_after(-1);
			trace_free(t);
			if (st == NL_OK)
				break;
			ASSERT_EQ(st, NL_ENOMEM);
		}
	}
	ASSERT(need[0] < 10000 && need[1] < 10000);
	/* 13 keys: well over 13 more allocations. */
	ASSERT(need[1] > need[0] + 13);
}

const struct test_case tests_trace_fast[] = {
	{ "trace_fast_scenarios", test_trace_fast_scenarios },
	{ "trace_fast_edges", test_trace_fast_edges },
	{ "trace_fast_fallback", test_trace_fast_fallback },
	{ "trace_fast_limits", test_trace_fast_limits },
	{ "trace_fast_backwards", test_trace_fast_backwards },
	{ "trace_fast_switch", test_trace_fast_switch },
	{ NULL, NULL },
};
