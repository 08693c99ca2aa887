/* http_client.c - the client side of an HTTP/1.1 connection (RFC 9112
 * 9): one request at a time on a persistent connection; the response is
 * read whatever its framing (Content-Length, chunked, or until the
 * close), 1xx interim responses are skipped (RFC 9110 15.2), and the
 * connection is over when either side said "Connection: close". */
#include <stdio.h>
#include <string.h>

#include "proto/http/http.h"
#include "util/alloc.h"

struct http_cli {
	struct http_cli_config cfg;	/* callbacks and limits */
	struct nl_dbuf *out;		/* the glue's out-buffer */
	struct http_parser ps;		/* the response being read */
	enum http_cli_state state;	/* changed by set_state only */
	int close_after;		/* the request said close */
	char why[96];			/* why the session failed */
};

static void
set_state(struct http_cli *c, enum http_cli_state st)
{
	c->state = st;
}

struct http_cli *
http_cli_new(const struct http_cli_config *cfg, struct nl_dbuf *out)
{
	struct http_cli *c = nl_calloc(1, sizeof *c);

	if (c == NULL)
		return NULL;
	c->cfg = *cfg;
	c->out = out;
	http_parser_init(&c->ps, 1, cfg->body_max);
	set_state(c, HTTP_CLI_IDLE);
	return c;
}

void
http_cli_free(struct http_cli *c)
{
	if (c == NULL)
		return;
	http_parser_free(&c->ps);
	nl_free(c);
}

enum http_cli_state
http_cli_state(const struct http_cli *c)
{
	return c->state;
}

const char *
http_cli_why(const struct http_cli *c)
{
	return c->why;
}

enum nl_status
http_cli_request(struct http_cli *c, const struct http_out *o)
{
	enum nl_status st;

	if (c->state != HTTP_CLI_IDLE)
		return NL_ESTATE;
	st = http_request_write(c->out, o);
	if (st != NL_OK)
		return st;
	http_parser_reset(&c->ps);
	if (strcmp(o->method, "HEAD") == 0)
		http_parser_expect_no_body(&c->ps);
	c->close_after = o->close;
	set_state(c, HTTP_CLI_WAITING);
	return NL_OK;
}

static void
cli_fail(struct http_cli *c, const char *why)
{
	snprintf(c->why, sizeof c->why, "%s", why);
	set_state(c, HTTP_CLI_CLOSED);
}

/* A whole response: 1xx are skipped, the others go to the glue. */
static enum nl_status
cli_response(struct http_cli *c)
{
	const struct http_msg *m = http_parser_msg(&c->ps);
	int closes;

	if (m->status < 200) {
		http_parser_reset(&c->ps);
		return NL_AGAIN;
	}
	closes = c->close_after || http_msg_closes(m);
	set_state(c, closes ? HTTP_CLI_CLOSED : HTTP_CLI_IDLE);
	if (c->cfg.response != NULL)
		c->cfg.response(c->cfg.arg, m);
	return closes ? NL_ECLOSED : NL_OK;
}

enum nl_status
http_cli_feed(struct http_cli *c, const uint8_t *data, size_t len)
{
	size_t off = 0, used;
	enum nl_status st;
	const char *why;

	while (off < len) {
		if (c->state == HTTP_CLI_CLOSED)
			return NL_ECLOSED;
		if (c->state == HTTP_CLI_IDLE) {
			cli_fail(c, "bytes from the server with no request");
			return NL_EMALFORMED;
		}
		st = http_parser_feed(&c->ps, data + off, len - off, &used);
		off += used;
		if (st == NL_AGAIN)
			continue;
		if (st != NL_OK) {
			(void)http_parser_error(&c->ps, &why);
			cli_fail(c, st == NL_ENOMEM ? "out of memory" : why);
			return st;
		}
		st = cli_response(c);
		if (st == NL_ECLOSED)
			return st;
	}
	return c->state == HTTP_CLI_CLOSED ? NL_ECLOSED : NL_OK;
}

enum nl_status
http_cli_close(struct http_cli *c)
{
	enum nl_status st;

	if (c->state != HTTP_CLI_WAITING) {
		set_state(c, HTTP_CLI_CLOSED);
		return NL_OK;
	}
	st = http_parser_eof(&c->ps);
	if (st == NL_OK) {
		set_state(c, HTTP_CLI_CLOSED);
		if (c->cfg.response != NULL)
			c->cfg.response(c->cfg.arg, http_parser_msg(&c->ps));
		return NL_OK;
	}
	cli_fail(c, "connection closed before the response was complete");
	return NL_EMALFORMED;
}
