/* test_http.c - HTTP/1.1 (RFC 9112): the parser fed whole, one byte at a
 * time and in 5-byte chunks (same result), chunked bodies, requests the
 * server must refuse (400, 413, 414, 431, 501, 505) with no large
 * allocation, a client and server dialogue with keep-alive and
 * "Connection: close", pipelined requests, form fields, and
 * out-of-memory at every allocation. */
#include <stdlib.h>

#include "test.h"

#include "dialogue.h"
#include "engine/sim.h"
#include "proto/http/http.h"
#include "scenario/scn.h"
#include "trace/trace.h"
#include "util/alloc.h"
#include "util/nl.h"

static const size_t chunks[] = { 0, 1, 5 };

/* A summary of a parsed message, to compare runs. */
static void
msg_sum(const struct http_msg *m, char *out, size_t size)
{
	size_t i, o;

	o = (size_t)snprintf(out, size, "%s %s %d %d [%s] 1.%d", m->response ?
	    "resp" : m->method, m->response ? "-" : m->target, m->status,
	    m->chunked, m->response ? m->reason : "", m->minor);
	for (i = 0; i < m->nfields && o < size; i++)
		o += (size_t)snprintf(out + o, size - o, "|%s=%s",
		    m->fields[i].name, m->fields[i].value);
	if (o < size)
		snprintf(out + o, size - o, "|body(%zu)=%.*s", m->body_len,
		    (int)m->body_len, m->body != NULL ?
		    (const char *)m->body : "");
}

/* Parses text in chunks of `chunk` bytes; *sum gets the summary.
 * Returns the parser's last status. */
static enum nl_status
parse_in(int response, const char *text, size_t chunk, char *sum,
    size_t size, size_t *consumed)
{
	struct http_parser p;
	size_t n = strlen(text), off = 0, used;
	enum nl_status st = NL_AGAIN;

	http_parser_init(&p, response, 0);
	sum[0] = '\0';
	while (off < n) {
		size_t k = chunk == 0 || chunk > n - off ? n - off : chunk;

		st = http_parser_feed(&p, (const uint8_t *)text + off, k,
		    &used);
		off += used;
		if (st != NL_AGAIN)
			break;
	}
	if (st == NL_AGAIN && response)
		st = http_parser_eof(&p);
	if (st == NL_OK)
		msg_sum(http_parser_msg(&p), sum, size);
	*consumed = off;
	http_parser_free(&p);
	return st;
}

static void
test_http_request_parse(void)
{
	static const char req[] =
	    "\r\nPOST /send?x=1 HTTP/1.1\r\n"
	    "Host: webmail.crepes.fr\r\n"
	    "Content-Type: application/x-www-form-urlencoded\r\n"
	    "Content-Length: 22  \r\n"
	    "Cookie:   sid=abc \t\r\n"
	    "\r\n"
	    "to=bob%40hamburger.edu"
	    "GET / HTTP/1.1\r\n";
	char first[1024], sum[1024];
	size_t i, used0 = 0, used;

	for (i = 0; i < NL_ARRAY_LEN(chunks); i++) {
		ASSERT_EQ(parse_in(0, req, chunks[i], sum, sizeof sum, &used),
		    NL_OK);
		if (i == 0) {
			memcpy(first, sum, sizeof sum);
			used0 = used;
		}
		ASSERT_STR_EQ(sum, first);
		ASSERT_EQ(used, used0);
	}
	ASSERT_STR_EQ(first, "POST /send?x=1 0 0 [] 1.1"
	    "|Host=webmail.crepes.fr"
	    "|Content-Type=application/x-www-form-urlencoded"
	    "|Content-Length=22|Cookie=sid=abc"
	    "|body(22)=to=bob%40hamburger.edu");
	/* The pipelined GET is left to the caller. */
	ASSERT_EQ(used0, sizeof req - 1 - strlen("GET / HTTP/1.1\r\n"));
}

static void
test_http_chunked(void)
{
	static const char resp[] =
	    "HTTP/1.1 200 OK\r\n"
	    "Transfer-Encoding: chunked\r\n"
	    "\r\n"
	    "5;name=value\r\nHello\r\n"
	    "1B\r\n, 8-bit clean: \x01\x02\xff bytes ok\r\n"
	    "0\r\n"
	    "Expires: never\r\n"
	    "\r\n";
	char first[1024], sum[1024];
	size_t i, used;

	for (i = 0; i < NL_ARRAY_LEN(chunks); i++) {
		ASSERT_EQ(parse_in(1, resp, chunks[i], sum, sizeof sum, &used),
		    NL_OK);
		if (i == 0)
			memcpy(first, sum, sizeof sum);
		ASSERT_STR_EQ(sum, first);
		ASSERT_EQ(used, sizeof resp - 1);
	}
	ASSERT(strstr(first, "resp - 200 1 [OK] 1.1") == first);
	ASSERT(strstr(first, "|body(32)=Hello, 8-bit clean: \x01\x02\xff "
	    "bytes ok") != NULL);
	/* A bad chunk size and a missing CRLF after the data. */
	ASSERT_EQ(parse_in(1, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked"
	    "\r\n\r\nzz\r\n", 0, sum, sizeof sum, &used), NL_EMALFORMED);
	ASSERT_EQ(parse_in(1, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked"
	    "\r\n\r\n2\r\nabX", 1, sum, sizeof sum, &used), NL_EMALFORMED);
	/* A chunk bigger than the body limit: refused before reading it. */
	ASSERT_EQ(parse_in(1, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked"
	    "\r\n\r\nfffffffff\r\n", 0, sum, sizeof sum, &used), NL_ELIMIT);
}

static void
test_http_response_framing(void)
{
	char sum[1024];
	size_t used;

	/* No length: the body runs until the close. */
	ASSERT_EQ(parse_in(1, "HTTP/1.0 200 OK\r\n\r\nuntil close", 1, sum,
	    sizeof sum, &used), NL_OK);
	ASSERT_STR_EQ(sum, "resp - 200 0 [OK] 1.0|body(11)=until close");
	/* 204 and 304 have no body; a reason may be empty. */
	ASSERT_EQ(parse_in(1, "HTTP/1.1 204 \r\n\r\n", 0, sum, sizeof sum,
	    &used), NL_OK);
	ASSERT_STR_EQ(sum, "resp - 204 0 [] 1.1|body(0)=");
	ASSERT_EQ(parse_in(1, "HTTP/1.1 304\r\n\r\n", 0, sum, sizeof sum,
	    &used), NL_OK);
	ASSERT_EQ(parse_in(1, "HTTP/2.0 200 OK\r\n\r\n", 0, sum, sizeof sum,
	    &used), NL_EUNSUPPORTED);
	ASSERT_EQ(parse_in(1, "HTTP/1.1 20x OK\r\n\r\n", 0, sum, sizeof sum,
	    &used), NL_EMALFORMED);
	/* Cut short inside a Content-Length body. */
	ASSERT_EQ(parse_in(1, "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n"
	    "abc", 0, sum, sizeof sum, &used), NL_EMALFORMED);
}

/* ---- The server session ---- */

struct srv_t {
	struct http_srv *s;
	struct nl_dbuf out;
	int requests;		/* requests handed to the glue */
	int defer;		/* do not answer in the callback */
	int refused;		/* status of the last refusal */
	char last[256];		/* method and target of the last */
};

static void
srv_answer(struct srv_t *t, const struct http_msg *m)
{
	struct http_out o;
	char body[300];
	int n;

	memset(&o, 0, sizeof o);
	if (strcmp(m->target, "/missing") == 0) {
		o.status = 404;
	} else if (strcmp(m->method, "POST") == 0 &&
	    strcmp(m->target, "/") == 0) {
		o.status = 405;
	} else {
		n = snprintf(body, sizeof body, "<p>%s %s</p>\r\n", m->method,
		    m->target);
		o.status = 200;
		o.content_type = "text/html";
		o.body = (const uint8_t *)body;
		o.body_len = (size_t)n;
	}
	(void)http_srv_respond(t->s, &o);
}

static void
srv_request(void *arg, struct http_srv *s, const struct http_msg *m)
{
	struct srv_t *t = arg;

	NL_UNUSED(s);
	t->requests++;
	snprintf(t->last, sizeof t->last, "%s %s", m->method, m->target);
	if (!t->defer)
		srv_answer(t, m);
}

static void
srv_refused(void *arg, int status, const char *why)
{
	struct srv_t *t = arg;

	NL_UNUSED(why);
	t->refused = status;
}

static int
srv_open(struct srv_t *t)
{
	struct http_srv_config cfg;

	memset(t, 0, sizeof *t);
	memset(&cfg, 0, sizeof cfg);
	cfg.server = "netlab";
	cfg.request = srv_request;
	cfg.refused = srv_refused;
	cfg.arg = t;
	cfg.body_max = 4096;
	nl_dbuf_init(&t->out, HTTP_OUT_MAX);
	t->s = http_srv_new(&cfg, &t->out);
	return t->s != NULL;
}

static void
srv_close(struct srv_t *t)
{
	http_srv_free(t->s);
	nl_dbuf_free(&t->out);
}

/* Feeds text in chunks; the last status. */
static enum nl_status
srv_feed(struct srv_t *t, const char *text, size_t n, size_t chunk)
{
	enum nl_status st = NL_OK;
	size_t off = 0;

	while (off < n && st == NL_OK) {
		size_t k = chunk == 0 || chunk > n - off ? n - off : chunk;

		st = http_srv_feed(t->s, (const uint8_t *)text + off, k);
		off += k;
	}
	return st;
}

/* The status code of the first response in out, 0 if none. */
static int
first_status(const struct srv_t *t)
{
	if (t->out.len < 12 || memcmp(t->out.data, "HTTP/1.1 ", 9) != 0)
		return 0;
	return atoi((const char *)t->out.data + 9);
}

static void
test_http_bad_requests(void)
{
	static const char *const bad[] = {
		"GET / HTTP/1.1\nHost: a\r\n\r\n",		/* bare LF */
		"GET / HTTP/1.1\r\nHost: a\r\r\n\r\n",		/* bare CR */
		"GET / HTTP/1.1\r\n\r\n",			/* no Host */
		"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
		"GET / HTTP/1.1\r\nHost : a\r\n\r\n",		/* space */
		"GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: a\r\nX: a\x01z\r\n\r\n",
		"GET  / HTTP/1.1\r\nHost: a\r\n\r\n",
		"GET / HTTP/1.1 \r\nHost: a\r\n\r\n",
		"GET / HTTX/1.1\r\nHost: a\r\n\r\n",
		"G\"ET / HTTP/1.1\r\nHost: a\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 4\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n"
		    "Transfer-Encoding: chunked\r\n\r\n",
		"\x16\x03\x01\x02 \x01\xfc\x03\x03\r\n\r\n",	/* TLS */
	};
	struct srv_t t;
	size_t i, c;
	enum nl_status st;

	for (i = 0; i < NL_ARRAY_LEN(bad); i++) {
		for (c = 0; c < NL_ARRAY_LEN(chunks); c++) {
			ASSERT(srv_open(&t));
			st = srv_feed(&t, bad[i], strlen(bad[i]), chunks[c]);
			if (st != NL_ECLOSED || first_status(&t) != 400)
				TEST_FAIL_AT("bad[%zu] chunk %zu: %.40s", i,
				    chunks[c], (const char *)t.out.data);
			ASSERT_EQ(t.refused, 400);
			ASSERT_EQ(t.requests, 0);
			ASSERT(strstr((const char *)t.out.data,
			    "Connection: close\r\n") != NULL);
			ASSERT_EQ(http_srv_state(t.s), HTTP_SRV_CLOSING);
			/* What comes after is ignored. */
			ASSERT_EQ(srv_feed(&t, "x", 1, 0), NL_ECLOSED);
			srv_close(&t);
		}
	}
	/* Unknown method: 501; HTTP/2 on the wire: 505. */
	ASSERT(srv_open(&t));
	ASSERT_EQ(srv_feed(&t, "BREW / HTTP/1.1\r\nHost: a\r\n\r\n", 29, 0),
	    NL_ECLOSED);
	ASSERT_EQ(first_status(&t), 501);
	srv_close(&t);
	ASSERT(srv_open(&t));
	ASSERT_EQ(srv_feed(&t, "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 28, 0),
	    NL_ECLOSED);
	ASSERT_EQ(first_status(&t), 505);
	srv_close(&t);
	/* An unknown transfer coding: 501. */
	ASSERT(srv_open(&t));
	ASSERT_EQ(srv_feed(&t, "POST /a HTTP/1.1\r\nHost: a\r\n"
	    "Transfer-Encoding: gzip\r\n\r\n", 55, 0), NL_ECLOSED);
	ASSERT_EQ(first_status(&t), 501);
	srv_close(&t);
}

/* Oversize input is refused as soon as it crosses the limit, and the
 * parser never holds more than the limit. */
static void
test_http_oversize(void)
{
	struct srv_t t;
	struct nl_dbuf big;
	size_t i;

	nl_dbuf_init(&big, 1u << 22);
	/* A field line over HTTP_LINE_MAX, with no end in sight. */
	(void)nl_dbuf_add_str(&big, "GET / HTTP/1.1\r\nHost: a\r\nX-Big: ");
	for (i = 0; i < (1u << 20) && big.data != NULL; i++)
		(void)nl_dbuf_add_u8(&big, 'a');
	ASSERT(big.data != NULL);
	ASSERT(srv_open(&t));
	ASSERT_EQ(srv_feed(&t, (const char *)big.data, big.len, 4096),
	    NL_ECLOSED);
	ASSERT_EQ(first_status(&t), 431);
	srv_close(&t);

	/* Many short fields: more than HTTP_FIELDS_MAX. */
	nl_dbuf_reset(&big);
	(void)nl_dbuf_add_str(&big, "GET / HTTP/1.1\r\nHost: a\r\n");
	for (i = 0; i < 200; i++)
		(void)nl_dbuf_add_str(&big, "X-A: b\r\n");
	(void)nl_dbuf_add_str(&big, "\r\n");
	ASSERT(srv_open(&t));
	ASSERT_EQ(srv_feed(&t, (const char *)big.data, big.len, 1),
	    NL_ECLOSED);
	ASSERT_EQ(first_status(&t), 431);
	srv_close(&t);

	/* A header section over HTTP_HEAD_MAX made of legal lines. */
	nl_dbuf_reset(&big);
	(void)nl_dbuf_add_str(&big, "GET / HTTP/1.1\r\nHost: a\r\n");
	for (i = 0; i < 40; i++) {
		size_t k;

		(void)nl_dbuf_add_str(&big, "X-Long: ");
		for (k = 0; k < 1000; k++)
			(void)nl_dbuf_add_u8(&big, 'v');
		(void)nl_dbuf_add_str(&big, "\r\n");
	}
	ASSERT(srv_open(&t));
	ASSERT_EQ(srv_feed(&t, (const char *)big.data, big.len, 0),
	    NL_ECLOSED);
	ASSERT_EQ(first_status(&t), 431);
	srv_close(&t);

	/* A request line past the limit: 414. */
	nl_dbuf_reset(&big);
	(void)nl_dbuf_add_str(&big, "GET /");
	for (i = 0; i < 20000; i++)
		(void)nl_dbuf_add_u8(&big, 'p');
	ASSERT(srv_open(&t));
	ASSERT_EQ(srv_feed(&t, (const char *)big.data, big.len, 0),
	    NL_ECLOSED);
	ASSERT_EQ(first_status(&t), 414);
	srv_close(&t);
	nl_dbuf_free(&big);

	/* A huge Content-Length: 413 before any byte of body. */
	{
		struct http_parser p;
		static const char req[] = "POST / HTTP/1.1\r\nHost: a\r\n"
		    "Content-Length: 99999999999999999999\r\n\r\n";
		size_t used;

		http_parser_init(&p, 0, 4096);
		ASSERT_EQ(http_parser_feed(&p, (const uint8_t *)req,
		    sizeof req - 1, &used), NL_ELIMIT);
		ASSERT_EQ(http_parser_error(&p, NULL), 413);
		ASSERT_EQ(p.body.cap, 0);
		ASSERT(p.head.cap <= HTTP_HEAD_MAX + HTTP_FIELDS_MAX + 2);
		http_parser_free(&p);
	}
	/* The 1 MiB field line above: the head never grew past its cap. */
	{
		struct http_parser p;
		size_t used, n;
		uint8_t a[4096];
		enum nl_status st = NL_AGAIN;

		memset(a, 'a', sizeof a);
		http_parser_init(&p, 0, 0);
		(void)http_parser_feed(&p, (const uint8_t *)"GET / HTTP/1.1"
		    "\r\nX: ", 19, &used);
		for (n = 0; n < 256 && st == NL_AGAIN; n++)
			st = http_parser_feed(&p, a, sizeof a, &used);
		ASSERT_EQ(st, NL_ELIMIT);
		ASSERT_EQ(http_parser_error(&p, NULL), 431);
		ASSERT(p.head.cap <= HTTP_HEAD_MAX + HTTP_FIELDS_MAX + 2);
		http_parser_free(&p);
	}
	/* A body over the server's limit: 413. */
	ASSERT(srv_open(&t));
	ASSERT_EQ(srv_feed(&t, "POST /x HTTP/1.1\r\nHost: a\r\n"
	    "Content-Length: 5000\r\n\r\n", 52, 0), NL_ECLOSED);
	ASSERT_EQ(first_status(&t), 413);
	srv_close(&t);
}

/* ---- A client and a server talking ---- */

struct pair {
	struct srv_t srv;
	struct http_cli *cli;
	struct nl_dbuf cout;
	struct dlg_tx tx;
	char got[4096];		/* what the client got, one per line */
	size_t ngot;
	size_t chunk;
};

static void
cli_response(void *arg, const struct http_msg *m)
{
	struct pair *p = arg;
	int n;

	n = snprintf(p->got + p->ngot, sizeof p->got - p->ngot, "%d %.*s\n",
	    m->status, (int)m->body_len, m->body != NULL ?
	    (const char *)m->body : "");
	if (n > 0 && (size_t)n < sizeof p->got - p->ngot)
		p->ngot += (size_t)n;
}

/* Moves bytes both ways until nothing moves; the last server status. */
static enum nl_status
pump(struct pair *p)
{
	enum nl_status st = NL_OK, cst;

	while (p->cout.len > 0 || p->srv.out.len > 0) {
		if (p->cout.len > 0) {
			uint8_t *b;
			size_t n;

			b = nl_dbuf_take(&p->cout, &n);
			dlg_tx_add(&p->tx, 1, b, n);
			st = srv_feed(&p->srv, (const char *)b, n, p->chunk);
			nl_free(b);
		}
		if (p->srv.out.len > 0) {
			uint8_t *b;
			size_t n, off = 0;

			b = nl_dbuf_take(&p->srv.out, &n);
			dlg_tx_add(&p->tx, 0, b, n);
			while (off < n) {
				size_t k = p->chunk == 0 || p->chunk > n - off ?
				    n - off : p->chunk;

				cst = http_cli_feed(p->cli, b + off, k);
				off += k;
				if (cst != NL_OK)
					break;
			}
			nl_free(b);
		}
	}
	return st;
}

static int
pair_open(struct pair *p, size_t chunk)
{
	struct http_cli_config cfg;

	memset(p, 0, sizeof *p);
	if (!srv_open(&p->srv))
		return 0;
	memset(&cfg, 0, sizeof cfg);
	cfg.response = cli_response;
	cfg.arg = p;
	nl_dbuf_init(&p->cout, HTTP_OUT_MAX);
	p->cli = http_cli_new(&cfg, &p->cout);
	p->chunk = chunk;
	dlg_tx_init(&p->tx);
	return p->cli != NULL;
}

static void
pair_close(struct pair *p)
{
	http_cli_free(p->cli);
	nl_dbuf_free(&p->cout);
	srv_close(&p->srv);
}

static enum nl_status
pair_get(struct pair *p, const char *method, const char *target,
    const char *form, int close)
{
	struct http_out o;
	enum nl_status st;

	memset(&o, 0, sizeof o);
	o.method = method;
	o.target = target;
	o.host = "webmail.crepes.fr";
	o.close = close;
	if (form != NULL) {
		o.content_type = "application/x-www-form-urlencoded";
		o.body = (const uint8_t *)form;
		o.body_len = strlen(form);
	}
	st = http_cli_request(p->cli, &o);
	if (st != NL_OK)
		return st;
	return pump(p);
}

static const char dialogue[] =
    "C: GET /inbox HTTP/1.1\n"
    "C: Host: webmail.crepes.fr\n"
    "C: \n"
    "S: HTTP/1.1 200 OK\n"
    "S: Content-Type: text/html\n"
    "S: Content-Length: 19\n"
    "S: Server: netlab\n"
    "S: \n"
    "S: <p>GET /inbox</p>\n"
    "C: GET /missing HTTP/1.1\n"
    "C: Host: webmail.crepes.fr\n"
    "C: \n"
    "S: HTTP/1.1 404 Not Found\n"
    "S: Content-Length: 0\n"
    "S: Server: netlab\n"
    "S: \n"
    "C: POST / HTTP/1.1\n"
    "C: Host: webmail.crepes.fr\n"
    "C: Content-Type: application/x-www-form-urlencoded\n"
    "C: Content-Length: 9\n"
    "C: \n"
    "C: a=b+c+d\n"
    "S: HTTP/1.1 405 Method Not Allowed\n"
    "S: Content-Length: 0\n"
    "S: Server: netlab\n"
    "S: \n"
    "C: HEAD /x HTTP/1.1\n"
    "C: Host: webmail.crepes.fr\n"
    "C: Connection: close\n"
    "C: \n"
    "S: HTTP/1.1 200 OK\n"
    "S: Content-Type: text/html\n"
    "S: Content-Length: 16\n"
    "S: Server: netlab\n"
    "S: Connection: close\n"
    "S: \n";

static void
test_http_dialogue(void)
{
	struct pair p;
	size_t c;

	for (c = 0; c < NL_ARRAY_LEN(chunks); c++) {
		ASSERT(pair_open(&p, chunks[c]));
		ASSERT_EQ(pair_get(&p, "GET", "/inbox", NULL, 0), NL_OK);
		ASSERT_EQ(http_cli_state(p.cli), HTTP_CLI_IDLE);
		ASSERT_EQ(pair_get(&p, "GET", "/missing", NULL, 0), NL_OK);
		ASSERT_EQ(pair_get(&p, "POST", "/", "a=b+c+d\r\n", 0), NL_OK);
		/* The connection persists until a request says close. */
		ASSERT_EQ(http_srv_state(p.srv.s), HTTP_SRV_READING);
		ASSERT_EQ(pair_get(&p, "HEAD", "/x", NULL, 1), NL_ECLOSED);
		ASSERT_EQ(http_srv_state(p.srv.s), HTTP_SRV_CLOSING);
		ASSERT_EQ(http_cli_state(p.cli), HTTP_CLI_CLOSED);
		ASSERT_STR_EQ(p.got, "200 <p>GET /inbox</p>\r\n\n404 \n405 \n"
		    "200 \n");
		ASSERT_STR_EQ(p.tx.text, dialogue);
		ASSERT_EQ(pair_get(&p, "GET", "/", NULL, 0), NL_ESTATE);
		pair_close(&p);
	}
}

/* Two requests in one segment while the first waits for its answer. */
static void
test_http_pipelined(void)
{
	static const char two[] =
	    "GET /a HTTP/1.1\r\nHost: a\r\n\r\n"
	    "GET /b HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
	struct srv_t t;
	size_t c;

	for (c = 0; c < NL_ARRAY_LEN(chunks); c++) {
		struct http_out o;

		ASSERT(srv_open(&t));
		t.defer = 1;
		ASSERT_EQ(srv_feed(&t, two, sizeof two - 1, chunks[c]), NL_OK);
		ASSERT_EQ(t.requests, 1);
		ASSERT_STR_EQ(t.last, "GET /a");
		ASSERT_EQ(http_srv_state(t.s), HTTP_SRV_WAITING);
		ASSERT(http_srv_request(t.s) != NULL);
		ASSERT_EQ(t.out.len, 0);
		memset(&o, 0, sizeof o);
		o.status = 200;
		/* Answering the first reads the second. */
		ASSERT_EQ(http_srv_respond(t.s, &o), NL_OK);
		ASSERT_EQ(t.requests, 2);
		ASSERT_STR_EQ(t.last, "GET /b");
		ASSERT_EQ(http_srv_respond(t.s, &o), NL_ECLOSED);
		ASSERT_EQ(http_srv_respond(t.s, &o), NL_ESTATE);
		ASSERT(strstr((const char *)t.out.data, "Connection: close")
		    != NULL);
		srv_close(&t);
	}
}

static void
test_http_form(void)
{
	struct nl_dbuf b;
	char v[64];
	static const char f[] = "user=bob&pass=&x=%41%2b+z&bad=%4&nul=%00";

	nl_dbuf_init(&b, 1024);
	ASSERT_EQ(http_form_add(&b, "to", "bob@hamburger.edu"), NL_OK);
	ASSERT_EQ(http_form_add(&b, "subject", "Hi & bye 100%"), NL_OK);
	ASSERT_STR_EQ((const char *)b.data,
	    "to=bob%40hamburger.edu&subject=Hi+%26+bye+100%25");
	ASSERT_EQ(http_form_get(b.data, b.len, "subject", v, sizeof v),
	    NL_OK);
	ASSERT_STR_EQ(v, "Hi & bye 100%");
	nl_dbuf_free(&b);
	ASSERT_EQ(http_form_get((const uint8_t *)f, strlen(f), "user", v,
	    sizeof v), NL_OK);
	ASSERT_STR_EQ(v, "bob");
	ASSERT_EQ(http_form_get((const uint8_t *)f, strlen(f), "pass", v,
	    sizeof v), NL_OK);
	ASSERT_STR_EQ(v, "");
	ASSERT_EQ(http_form_get((const uint8_t *)f, strlen(f), "x", v,
	    sizeof v), NL_OK);
	ASSERT_STR_EQ(v, "A+ z");
	ASSERT_EQ(http_form_get((const uint8_t *)f, strlen(f), "bad", v,
	    sizeof v), NL_EMALFORMED);
	ASSERT_EQ(http_form_get((const uint8_t *)f, strlen(f), "nul", v,
	    sizeof v), NL_EMALFORMED);
	ASSERT_EQ(http_form_get((const uint8_t *)f, strlen(f), "none", v,
	    sizeof v), NL_ENOTFOUND);
	ASSERT_EQ(http_form_get((const uint8_t *)f, strlen(f), "user", v, 3),
	    NL_ELIMIT);
}

static void
test_http_writers(void)
{
	struct nl_dbuf b;
	struct http_out o;
	const char *bad_extra[] = { "X-A: 1\r\nX-Inject: 2" };

	nl_dbuf_init(&b, 4096);
	memset(&o, 0, sizeof o);
	o.method = "GET";
	o.target = "/a b";
	o.host = "h";
	ASSERT_EQ(http_request_write(&b, &o), NL_EINVAL);
	o.target = "/";
	o.extra = bad_extra;
	o.nextra = 1;
	ASSERT_EQ(http_request_write(&b, &o), NL_EINVAL);
	o.nextra = 0;
	o.host = "h\r\nX: y";
	ASSERT_EQ(http_request_write(&b, &o), NL_EINVAL);
	memset(&o, 0, sizeof o);
	o.status = 99;
	ASSERT_EQ(http_response_write(&b, &o), NL_EINVAL);
	o.status = 303;
	ASSERT_EQ(http_response_write(&b, &o), NL_OK);
	ASSERT_STR_EQ((const char *)b.data, "HTTP/1.1 303 See Other\r\n"
	    "Content-Length: 0\r\n\r\n");
	nl_dbuf_free(&b);
	ASSERT_STR_EQ(http_reason(431), "Request Header Fields Too Large");
	ASSERT_STR_EQ(http_srv_state_str(HTTP_SRV_WAITING), "waiting");
	ASSERT_STR_EQ(http_cli_state_str(HTTP_CLI_CLOSED), "closed");
	ASSERT_STR_EQ(http_ps_str(HTTP_PS_CHUNK_DATA), "chunk-data");
}

/* Every allocation of a dialogue fails in turn: no crash, no leak, and
 * eventually the dialogue passes. */
static void
test_http_oom(void)
{
	long n;
	int passed = 0;

	for (n = 0; n < 200 && !passed; n++) {
		struct pair p;
		int failed, ok;

		nl_alloc_fail_after(n);
		ok = pair_open(&p, 5);
		if (ok) {
			(void)pair_get(&p, "GET", "/inbox", NULL, 0);
			(void)pair_get(&p, "POST", "/s", "a=b", 1);
		}
		failed = nl_alloc_failed();
		nl_alloc_fail_after(-1);
		if (ok && !failed) {
			ASSERT_STR_EQ(p.got, "200 <p>GET /inbox</p>\r\n\n"
			    "200 <p>POST /s</p>\r\n\n");
			passed = 1;
		}
		if (p.cli != NULL || p.srv.s != NULL)
			pair_close(&p);
		else {
			nl_dbuf_free(&p.cout);
			nl_dbuf_free(&p.srv.out);
		}
	}
	ASSERT(passed);
}

/* ---- A browser, a webmail server and a mail server ---- */

#define WEB_WORLD                                                          \
	"{\"netlab_scenario\": 1, \"nodes\": ["                            \
	"{\"id\": \"pc\", \"kind\": \"browser\", \"address\": "          \
	"\"10.0.0.1\"},"                                                    \
	"{\"id\": \"r\", \"kind\": \"router\", \"addresses\": "           \
	"[\"10.0.0.254\", \"10.0.1.254\"]},"                              \
	"{\"id\": \"web\", \"kind\": \"webmail\", \"address\": "         \
	"\"10.0.1.80\", \"mail_server\": \"mx\"},"                        \
	"{\"id\": \"mx\", \"kind\": \"mail-server\", \"address\": "      \
	"\"10.0.1.1\", \"domain\": \"crepes.fr\", \"users\": "            \
	"[{\"name\": \"alice\", \"password\": \"ketchup\"}, "             \
	"{\"name\": \"bob\", \"password\": \"pickles\"}]}],"              \
	"\"links\": [{\"a\": \"pc\", \"b\": \"r\"}, {\"a\": \"r\", "    \
	"\"b\": \"web\"}, {\"a\": \"r\", \"b\": \"mx\"}], \"timeline\": ["

#define BR(at, what) "{\"at\": \"" at "\", \"do\": \"browse\", "       \
	"\"from\": \"pc\", " what "}"

static const char web_timeline[] =
    BR("1s", "\"url\": \"http://web/\"") ","
    BR("2s", "\"submit\": {\"user\": \"alice\", \"password\": "
    "\"ketchup\"}") ","
    BR("3s", "\"click\": \"Compose\"") ","
    BR("4s", "\"submit\": {\"to\": \"bob@crepes.fr\", \"subject\": "
    "\"Hi & bye\", \"body\": \"Line one\\nx < y\"}") ","
    BR("6s", "\"url\": \"/logout\"") ","
    BR("7s", "\"url\": \"/inbox\"") ","
    BR("8s", "\"url\": \"/nowhere\"") ","
    BR("9s", "\"url\": \"http://web/login\"") ","
    BR("10s", "\"url\": \"http://web/\"") ","
    BR("11s", "\"submit\": {\"user\": \"bob\", \"password\": "
    "\"wrong\"}") ","
    BR("12s", "\"submit\": {\"user\": \"bob\", \"password\": "
    "\"pickles\"}") ","
    BR("13s", "\"click\": \"Hi & bye\"") ","
    BR("14s", "\"click\": \"Nope\"") ","
    BR("15s", "\"url\": \"/compose\"") ","
    BR("15.5s", "\"submit\": {\"nofield\": \"x\"}") ","
    BR("16s", "\"url\": \"http://nohost/\"") ","
    "{\"at\": \"17s\", \"do\": \"node-down\", \"node\": \"mx\"},"
    BR("18s", "\"url\": \"http://web/inbox\"") "]}";

static long
ev_find(const struct trace *t, const char *prefix, size_t from)
{
	size_t i;

	for (i = from; i < trace_count(t); i++) {
		const struct trace_event *ev = trace_at(t, i);

		if (ev->summary != NULL &&
		    strncmp(ev->summary, prefix, strlen(prefix)) == 0)
			return (long)i;
	}
	return -1;
}

static int
ev_has(const struct trace_event *ev, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; ev->data != NULL && i + n <= ev->len; i++)
		if (memcmp(ev->data + i, needle, n) == 0)
			return 1;
	return 0;
}

static void
test_http_webmail(void)
{
	char text[8192];
	struct scn_errors e;
	struct scn_model *m = NULL;
	struct scn_world *w = NULL;
	struct trace *t;
	struct sim *s;
	char err[128];
	long i;

	snprintf(text, sizeof text, "%s%s", WEB_WORLD, web_timeline);
	scn_errors_init(&e);
	if (scn_load_buffer("t.json", text, strlen(text), &m, &e) != NL_OK)
		scn_errors_print(&e, stderr);
	scn_errors_free(&e);
	ASSERT(m != NULL);
	s = sim_new(1);
	t = trace_new();
	ASSERT(s != NULL && t != NULL);
	ASSERT_EQ(scn_build(m, s, t, &w, err, sizeof err), NL_OK);
	scn_model_free(m);
	sim_run(s, SIM_RUN_UNTIL, 120 * SIM_S);
	scn_world_free(w);
	sim_free(s);

	i = ev_find(t, "pc shows http://web/: 200 OK \"Webmail at crepes.fr\"",
	    0);
	ASSERT(i >= 0);
	ASSERT(ev_has(trace_at(t, (size_t)i), "Password: [____]"));
	/* The login: a redirect with a cookie, then IMAP behind the inbox. */
	ASSERT(ev_find(t, "S: Set-Cookie: sid=", 0) > i);
	ASSERT(ev_find(t, "C: Cookie: sid=", 0) > i);
	ASSERT(ev_find(t, "C: A001 LOGIN alice ketchup", 0) > i);
	i = ev_find(t, "pc shows http://web/inbox: 200 OK", 0);
	ASSERT(i >= 0);
	ASSERT(ev_has(trace_at(t, (size_t)i), "0 messages."));
	/* Sending: SMTP submission on 587, delivered to bob. */
	ASSERT(ev_find(t, "C: RCPT TO:<bob@crepes.fr>", 0) > i);
	ASSERT(ev_find(t, "C: Subject: Hi & bye", 0) > i);
	ASSERT(ev_find(t, "pc shows http://web/send: 200 OK \"Message sent\"",
	    0) > i);
	/* Logged out: the inbox sends back to the login page. */
	i = ev_find(t, "C: GET /logout HTTP/1.1", 0);
	ASSERT(i >= 0);
	ASSERT(ev_find(t, "S: Set-Cookie: sid=; Path=/; Max-Age=0", (size_t)i)
	    > i);
	ASSERT(ev_find(t, "pc shows http://web/nowhere: 404 Not Found", 0) >= 0);
	ASSERT(ev_find(t, "pc shows http://web/login: 405 Method Not Allowed",
	    0) >= 0);
	ASSERT(ev_find(t, "S: Allow: POST", 0) >= 0);
	/* A wrong password: IMAP refuses, the login page says so (403). */
	ASSERT(ev_find(t, "C: A001 LOGIN bob wrong", 0) >= 0);
	i = ev_find(t, "pc shows http://web/inbox: 403 Forbidden", 0);
	ASSERT(i >= 0);
	ASSERT(ev_has(trace_at(t, (size_t)i), "refused the login"));
	/* Bob reads the message: the page escapes what the mail said. */
	i = ev_find(t, "pc shows http://web/inbox: 200 OK \"Inbox of bob@", 0);
	ASSERT(i >= 0);
	ASSERT(ev_has(trace_at(t, (size_t)i), "[Hi & bye]"));
	i = ev_find(t, "pc shows http://web/msg?n=1: 200 OK \"Hi & bye\"", 0);
	ASSERT(i >= 0);
	ASSERT(ev_has(trace_at(t, (size_t)i), "Line one\nx < y"));
	ASSERT(ev_find(t, "pc: no link \"Nope\" on the page", 0) > i);
	ASSERT(ev_find(t, "pc: the form has no field \"nofield\"", 0) > i);
	ASSERT(ev_find(t, "pc: page / not loaded: no such host", 0) > i);
	/* The mail server is down: the inbox cannot be read. */
	i = ev_find(t, "pc shows http://web/inbox: 500 Internal Server Error "
	    "\"Inbox not available\"", 0);
	ASSERT(i >= 0);
	ASSERT(ev_has(trace_at(t, (size_t)i), "could not be reached"));
	/* One connection carried every request until the server's idle
	 * timeout closed it. */
	ASSERT_EQ(ev_find(t, "connected 10.0.0.1:49153", 0), -1);
	trace_free(t);
}

/* The same world with the Nth allocation failing, for N spread over
 * the whole run: no crash, and LeakSanitizer finds nothing at exit. */
static void
test_http_webmail_oom(void)
{
	char text[8192];
	long n;
	int clean = 0;

	snprintf(text, sizeof text, "%s%s", WEB_WORLD, web_timeline);
	for (n = 0; n < 2000000 && !clean; n += 1 + n / 40) {
		struct scn_errors e;
		struct scn_model *m = NULL;
		struct scn_world *w = NULL;
		struct trace *t;
		struct sim *s;
		char err[128];

		nl_alloc_fail_after(n);
		scn_errors_init(&e);
		(void)scn_load_buffer("t.json", text, strlen(text), &m, &e);
		scn_errors_free(&e);
		s = sim_new(1);
		t = trace_new();
		if (m != NULL && s != NULL && t != NULL &&
		    scn_build(m, s, t, &w, err, sizeof err) == NL_OK)
			sim_run(s, SIM_RUN_UNTIL, 120 * SIM_S);
		scn_model_free(m);
		scn_world_free(w);
		sim_free(s);
		trace_free(t);
		clean = !nl_alloc_failed();
		nl_alloc_fail_after(-1);
	}
	ASSERT(clean);
}

const struct test_case tests_http[] = {
	{ "http_request_parse", test_http_request_parse },
	{ "http_chunked", test_http_chunked },
	{ "http_response_framing", test_http_response_framing },
	{ "http_bad_requests", test_http_bad_requests },
	{ "http_oversize", test_http_oversize },
	{ "http_dialogue", test_http_dialogue },
	{ "http_pipelined", test_http_pipelined },
	{ "http_form", test_http_form },
	{ "http_writers", test_http_writers },
	{ "http_oom", test_http_oom },
	{ "http_webmail", test_http_webmail },
	{ "http_webmail_oom", test_http_webmail_oom },
	{ NULL, NULL }
};
