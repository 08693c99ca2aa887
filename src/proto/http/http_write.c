/* http_write.c - writing HTTP/1.1 requests and responses (RFC 9112 3,
 * 4, 5, 6.2), the reason phrases of RFC 9110 15, the names of the
 * parser and session states, and application/x-www-form-urlencoded
 * fields (the URL Standard's encoding, as HTML forms send them). */
#include <stdio.h>
#include <string.h>

#include "proto/http/http.h"

const char *
http_reason(int status)
{
	switch (status) {
	case 100: return "Continue";
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 411: return "Length Required";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default: return "";
	}
}

const char *
http_ps_str(enum http_ps s)
{
	switch (s) {
	case HTTP_PS_START: return "start-line";
	case HTTP_PS_HEAD: return "header";
	case HTTP_PS_BODY: return "body";
	case HTTP_PS_CHUNK_SIZE: return "chunk-size";
	case HTTP_PS_CHUNK_DATA: return "chunk-data";
	case HTTP_PS_CHUNK_END: return "chunk-end";
	case HTTP_PS_TRAILER: return "trailer";
	case HTTP_PS_EOF_BODY: return "body-until-close";
	case HTTP_PS_DONE: return "done";
	case HTTP_PS_ERROR: return "error";
	}
	return "?";
}

const char *
http_srv_state_str(enum http_srv_state s)
{
	switch (s) {
	case HTTP_SRV_READING: return "reading";
	case HTTP_SRV_WAITING: return "waiting";
	case HTTP_SRV_CLOSING: return "closing";
	case HTTP_SRV_CLOSED: return "closed";
	}
	return "?";
}

const char *
http_cli_state_str(enum http_cli_state s)
{
	switch (s) {
	case HTTP_CLI_IDLE: return "idle";
	case HTTP_CLI_WAITING: return "waiting";
	case HTTP_CLI_CLOSED: return "closed";
	}
	return "?";
}

/* 1 when s may go on a header line: no CR, LF or NUL (the NUL ends s). */
static int
field_ok(const char *s)
{
	return s != NULL && strpbrk(s, "\r\n") == NULL;
}

/* The fields every message gets, the blank line and the body. */
static enum nl_status
write_rest(struct nl_dbuf *out, const struct http_out *o, int request)
{
	enum nl_status st = NL_OK;
	size_t i;

	if (o->content_type != NULL)
		st = nl_dbuf_addf(out, "Content-Type: %s\r\n",
		    o->content_type);
	/* A request with no content and no method semantics for it has
	 * no Content-Length (RFC 9110 8.6). */
	if (st == NL_OK && (!request || o->body_len > 0 ||
	    strcmp(o->method, "POST") == 0))
		st = nl_dbuf_addf(out, "Content-Length: %zu\r\n",
		    o->body_len);
	for (i = 0; i < o->nextra && st == NL_OK; i++)
		st = nl_dbuf_addf(out, "%s\r\n", o->extra[i]);
	if (st == NL_OK && o->close)
		st = nl_dbuf_add_str(out, "Connection: close\r\n");
	if (st == NL_OK)
		st = nl_dbuf_add(out, "\r\n", 2);
	if (st == NL_OK && o->body_len > 0 && !o->no_body)
		st = nl_dbuf_add(out, o->body, o->body_len);
	return st;
}

static int
extras_ok(const struct http_out *o)
{
	size_t i;

	if (o->content_type != NULL && !field_ok(o->content_type))
		return 0;
	for (i = 0; i < o->nextra; i++)
		if (!field_ok(o->extra[i]) || strchr(o->extra[i], ':') ==
		    NULL)
			return 0;
	return o->body_len == 0 || o->body != NULL;
}

enum nl_status
http_request_write(struct nl_dbuf *out, const struct http_out *o)
{
	const char *p;
	enum nl_status st;

	if (o->method == NULL || o->target == NULL || o->host == NULL ||
	    o->method[0] == '\0' || o->target[0] == '\0' ||
	    !field_ok(o->host) || !extras_ok(o))
		return NL_EINVAL;
	for (p = o->method; *p != '\0'; p++)
		if (*p <= ' ' || *p >= 0x7f)
			return NL_EINVAL;
	for (p = o->target; *p != '\0'; p++)
		if (*p <= ' ' || *p >= 0x7f)
			return NL_EINVAL;
	st = nl_dbuf_addf(out, "%s %s HTTP/1.1\r\nHost: %s\r\n", o->method,
	    o->target, o->host);
	return st == NL_OK ? write_rest(out, o, 1) : st;
}

enum nl_status
http_response_write(struct nl_dbuf *out, const struct http_out *o)
{
	const char *reason = o->reason != NULL ? o->reason :
	    http_reason(o->status);
	enum nl_status st;

	if (o->status < 100 || o->status > 599 || !field_ok(reason) ||
	    !extras_ok(o))
		return NL_EINVAL;
	st = nl_dbuf_addf(out, "HTTP/1.1 %d %s\r\n", o->status, reason);
	return st == NL_OK ? write_rest(out, o, 0) : st;
}

/* ---- application/x-www-form-urlencoded ---- */

static enum nl_status
form_enc(struct nl_dbuf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	enum nl_status st = NL_OK;

	for (; *s != '\0' && st == NL_OK; s++) {
		unsigned char c = (unsigned char)*s;
		char e[3];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '*' || c == '-' ||
		    c == '.' || c == '_') {
			st = nl_dbuf_add_u8(out, c);
		} else if (c == ' ') {
			st = nl_dbuf_add_u8(out, '+');
		} else {
			e[0] = '%';
			e[1] = hex[c >> 4];
			e[2] = hex[c & 15];
			st = nl_dbuf_add(out, e, 3);
		}
	}
	return st;
}

enum nl_status
http_form_add(struct nl_dbuf *out, const char *name, const char *value)
{
	enum nl_status st = NL_OK;

	if (out->len > 0)
		st = nl_dbuf_add_u8(out, '&');
	if (st == NL_OK)
		st = form_enc(out, name);
	if (st == NL_OK)
		st = nl_dbuf_add_u8(out, '=');
	if (st == NL_OK)
		st = form_enc(out, value);
	return st;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes form[0..len) into out; NL_ELIMIT, NL_EMALFORMED. */
static enum nl_status
form_dec(const uint8_t *p, size_t len, char *out, size_t outsz)
{
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		int c = p[i];

		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			int h, l;

			if (i + 2 >= len)
				return NL_EMALFORMED;
			h = hexval(p[i + 1]);
			l = hexval(p[i + 2]);
			if (h < 0 || l < 0)
				return NL_EMALFORMED;
			c = h * 16 + l;
			i += 2;
		}
		if (c == 0)
			return NL_EMALFORMED;
		if (o + 1 >= outsz)
			return NL_ELIMIT;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return NL_OK;
}

enum nl_status
http_form_get(const uint8_t *form, size_t len, const char *name, char *out,
    size_t outsz)
{
	size_t i = 0, nl = strlen(name);

	if (outsz == 0)
		return NL_ELIMIT;
	out[0] = '\0';
	while (i < len) {
		size_t s = i, eq, e;

		while (i < len && form[i] != '&')
			i++;
		e = i++;
		for (eq = s; eq < e && form[eq] != '='; eq++)
			;
		/* Names in netlab's forms need no decoding; compare raw. */
		if (eq - s == nl && memcmp(form + s, name, nl) == 0)
			return eq < e ? form_dec(form + eq + 1, e - eq - 1, out,
			    outsz) : NL_OK;
	}
	return NL_ENOTFOUND;
}
