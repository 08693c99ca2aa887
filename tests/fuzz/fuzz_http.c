/* fuzz_http.c - fuzz target for the HTTP/1.1 sessions (RFC 9112).
 *
 * Feeds the bytes to a server session that answers every request at
 * once, whole and in chunks whose size the first byte picks: the two
 * outputs must be equal, byte for byte (chunking must not matter). Then
 * feeds them to a client session as the response to a GET, and to the
 * form decoder. The parser's buffers must stay within their limits.
 * Any other outcome aborts, which the fuzzer reports as a crash. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/http/http.h"
#include "util/alloc.h"
#include "util/buf.h"

/* Past the header and body limits nothing new happens, only slower. */
#define FUZZ_MAX (HTTP_HEAD_MAX * 4)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct run {
	struct http_srv *s;
	struct nl_dbuf out;
};

/* Echoes the request's method, target and body length. */
static void
on_request(void *arg, struct http_srv *s, const struct http_msg *m)
{
	struct run *r = arg;
	struct http_out o;
	char body[64];
	const char *extra[] = { "X-Fields: many" };
	int n;

	(void)r;
	n = snprintf(body, sizeof body, "%.16s %zu %zu", m->method,
	    m->nfields, m->body_len);
	memset(&o, 0, sizeof o);
	o.status = m->target[0] == '/' ? 200 : 404;
	o.content_type = "text/plain";
	o.body = (const uint8_t *)body;
	o.body_len = n > 0 ? (size_t)n : 0;
	o.extra = extra;
	o.nextra = m->nfields > 3 ? 1 : 0;
	(void)http_srv_respond(s, &o);
}

static void
run_server(const uint8_t *data, size_t size, size_t chunk,
    struct nl_dbuf *got)
{
	struct http_srv_config cfg;
	struct run r;
	size_t pos = 0;

	memset(&cfg, 0, sizeof cfg);
	cfg.body_max = 4096;
	cfg.server = "fuzz";
	cfg.request = on_request;
	cfg.arg = &r;
	nl_dbuf_init(&r.out, HTTP_OUT_MAX);
	r.s = http_srv_new(&cfg, &r.out);
	if (r.s == NULL)
		abort();
	while (pos < size) {
		size_t k = chunk == 0 ? size - pos : chunk;

		if (k > size - pos)
			k = size - pos;
		if (http_srv_feed(r.s, data + pos, k) != NL_OK)
			break;
		pos += k;
	}
	if (nl_dbuf_add(got, r.out.data != NULL ? r.out.data :
	    (const uint8_t *)"", r.out.len) != NL_OK)
		abort();
	http_srv_free(r.s);
	nl_dbuf_free(&r.out);
}

static void
on_response(void *arg, const struct http_msg *m)
{
	size_t *n = arg;

	if (m->status < 200 || m->status > 999 || (m->body_len > 0 &&
	    m->body == NULL) || m->body_len > 4096)
		abort();
	(*n)++;
}

static void
run_client(const uint8_t *data, size_t size)
{
	struct http_cli_config cfg;
	struct http_cli *c;
	struct nl_dbuf out;
	struct http_out o;
	size_t got = 0;

	memset(&cfg, 0, sizeof cfg);
	cfg.body_max = 4096;
	cfg.response = on_response;
	cfg.arg = &got;
	nl_dbuf_init(&out, 4096);
	c = http_cli_new(&cfg, &out);
	if (c == NULL)
		abort();
	memset(&o, 0, sizeof o);
	o.method = "GET";
	o.target = "/";
	o.host = "fuzz";
	if (http_cli_request(c, &o) != NL_OK)
		abort();
	if (http_cli_feed(c, data, size) == NL_OK)
		(void)http_cli_close(c);
	if (got > 1)
		abort();
	http_cli_free(c);
	nl_dbuf_free(&out);
}

static void
run_parser(const uint8_t *data, size_t size)
{
	struct http_parser p;
	size_t off = 0, used;
	enum nl_status st = NL_OK;

	http_parser_init(&p, 0, 4096);
	while (off < size && (st == NL_OK || st == NL_AGAIN)) {
		st = http_parser_feed(&p, data + off, size - off, &used);
		off += used;
		if (p.head.cap > HTTP_HEAD_MAX + HTTP_FIELDS_MAX + 2 ||
		    p.body.len > 4096)
			abort();
	}
	http_parser_free(&p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nl_dbuf whole, chunked;
	size_t chunk;
	char v[256];

	if (size == 0 || size > FUZZ_MAX)
		return 0;
	chunk = (size_t)data[0] % 16 + 1;
	nl_dbuf_init(&whole, 1u << 26);
	nl_dbuf_init(&chunked, 1u << 26);
	run_server(data + 1, size - 1, 0, &whole);
	run_server(data + 1, size - 1, chunk, &chunked);
	if (whole.len != chunked.len || (whole.len > 0 &&
	    memcmp(whole.data, chunked.data, whole.len) != 0))
		abort();
	nl_dbuf_free(&whole);
	nl_dbuf_free(&chunked);
	run_client(data + 1, size - 1);
	run_parser(data + 1, size - 1);
	(void)http_form_get(data, size, "to", v, sizeof v);
	return 0;
}
