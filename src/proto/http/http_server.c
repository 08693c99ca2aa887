/* http_server.c - the server side of an HTTP/1.1 connection (RFC 9112
 * 9): requests are read one at a time, each handed to the glue, which
 * answers now or later (a webmail page may wait on IMAP); requests that
 * arrive meanwhile wait, in order (RFC 9112 9.3.2, pipelining). The
 * connection persists unless a request says "Connection: close" or is
 * HTTP/1.0 (9.3), or the request could not be read: then the session
 * answers 400, 413, 414, 431, 501 or 505 itself and closes (9.6). */
#include <stdio.h>
#include <string.h>

#include "proto/http/http.h"
#include "util/alloc.h"

#define SRV_EXTRA_MAX 16	/* extra fields a response may carry */

struct http_srv {
	struct http_srv_config cfg;	/* callbacks and limits */
	struct nl_dbuf *out;		/* the glue's out-buffer */
	struct http_parser ps;		/* the request being read */
	enum http_srv_state state;	/* changed by set_state only */
	struct nl_dbuf pipe;		/* bytes received while WAITING */
	int close_after;		/* the pending request closes */
	int head;			/* the pending request is HEAD */
};

static void
set_state(struct http_srv *s, enum http_srv_state st)
{
	s->state = st;
}

struct http_srv *
http_srv_new(const struct http_srv_config *cfg, struct nl_dbuf *out)
{
	struct http_srv *s = nl_calloc(1, sizeof *s);

	if (s == NULL)
		return NULL;
	s->cfg = *cfg;
	s->out = out;
	http_parser_init(&s->ps, 0, cfg->body_max);
	nl_dbuf_init(&s->pipe, HTTP_PIPE_MAX);
	set_state(s, HTTP_SRV_READING);
	return s;
}

void
http_srv_free(struct http_srv *s)
{
	if (s == NULL)
		return;
	http_parser_free(&s->ps);
	nl_dbuf_free(&s->pipe);
	nl_free(s);
}

enum http_srv_state
http_srv_state(const struct http_srv *s)
{
	return s->state;
}

const struct http_msg *
http_srv_request(const struct http_srv *s)
{
	return s->state == HTTP_SRV_WAITING ? http_parser_msg(&s->ps) : NULL;
}

void
http_srv_close(struct http_srv *s)
{
	set_state(s, HTTP_SRV_CLOSED);
}

/* Writes a response with the Server field added. */
static enum nl_status
write_response(struct http_srv *s, const struct http_out *o)
{
	const char *extra[SRV_EXTRA_MAX + 1];
	char server[128];
	struct http_out w = *o;
	size_t i;

	if (o->nextra > SRV_EXTRA_MAX)
		return NL_EINVAL;
	for (i = 0; i < o->nextra; i++)
		extra[i] = o->extra[i];
	if (s->cfg.server != NULL) {
		snprintf(server, sizeof server, "Server: %s", s->cfg.server);
		extra[i++] = server;
	}
	w.extra = extra;
	w.nextra = i;
	return http_response_write(s->out, &w);
}

/* The session refuses what it could not read, and closes. */
static enum nl_status
refuse(struct http_srv *s, int status, const char *why)
{
	char body[256];
	struct http_out o;
	int n;
	enum nl_status st;

	n = snprintf(body, sizeof body, "<html><body><h1>%d %s</h1>"
	    "<p>%s</p></body></html>\n", status, http_reason(status), why);
	memset(&o, 0, sizeof o);
	o.status = status;
	o.content_type = "text/html";
	o.body = (const uint8_t *)body;
	o.body_len = n > 0 && (size_t)n < sizeof body ? (size_t)n : 0;
	o.close = 1;
	st = write_response(s, &o);
	set_state(s, HTTP_SRV_CLOSING);
	if (s->cfg.refused != NULL)
		s->cfg.refused(s->cfg.arg, status, why);
	return st == NL_OK ? NL_ECLOSED : st;
}

/* RFC 9110 9.1: methods the server does not know get 501. */
static int
known_method(const char *m)
{
	return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0 ||
	    strcmp(m, "POST") == 0;
}

/* Reads requests from data while the session is READING. */
static enum nl_status
srv_read(struct http_srv *s, const uint8_t *data, size_t len)
{
	size_t off = 0, used;
	enum nl_status st;

	while (s->state == HTTP_SRV_READING && off < len) {
		const struct http_msg *m;
		const char *why;

		st = http_parser_feed(&s->ps, data + off, len - off, &used);
		off += used;
		if (st == NL_AGAIN)
			return NL_OK;
		if (st == NL_ENOMEM)
			return st;
		if (st != NL_OK) {
			int code = http_parser_error(&s->ps, &why);

			return refuse(s, code ? code : 400, why);
		}
		m = http_parser_msg(&s->ps);
		if (!known_method(m->method))
			return refuse(s, 501, "method not implemented");
		s->close_after = http_msg_closes(m);
		s->head = strcmp(m->method, "HEAD") == 0;
		set_state(s, HTTP_SRV_WAITING);
		s->cfg.request(s->cfg.arg, s, m);
	}
	if (s->state == HTTP_SRV_WAITING && off < len) {
		/* Pipelined: kept until the response is written. */
		if (nl_dbuf_add(&s->pipe, data + off, len - off) != NL_OK)
			return NL_ELIMIT;
	}
	return s->state == HTTP_SRV_CLOSING || s->state == HTTP_SRV_CLOSED ?
	    NL_ECLOSED : NL_OK;
}

enum nl_status
http_srv_feed(struct http_srv *s, const uint8_t *data, size_t len)
{
	switch (s->state) {
	case HTTP_SRV_READING:
		return srv_read(s, data, len);
	case HTTP_SRV_WAITING:
		if (nl_dbuf_add(&s->pipe, data, len) != NL_OK)
			return NL_ELIMIT;
		return NL_OK;
	case HTTP_SRV_CLOSING:
	case HTTP_SRV_CLOSED:
		break;
	}
	return NL_ECLOSED;
}

enum nl_status
http_srv_respond(struct http_srv *s, const struct http_out *o)
{
	struct http_out w = *o;
	enum nl_status st;
	uint8_t *rest;
	size_t n;

	if (s->state != HTTP_SRV_WAITING)
		return NL_ESTATE;
	w.close = o->close || s->close_after;
	w.no_body = s->head;
	st = write_response(s, &w);
	if (st != NL_OK)
		return st;
	if (w.close) {
		set_state(s, HTTP_SRV_CLOSING);
		return NL_ECLOSED;
	}
	set_state(s, HTTP_SRV_READING);
	http_parser_reset(&s->ps);
	if (s->pipe.len == 0)
		return NL_OK;
	rest = nl_dbuf_take(&s->pipe, &n);
	st = srv_read(s, rest, n);
	nl_free(rest);
	return st;
}
