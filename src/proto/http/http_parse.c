/* http_parse.c - the HTTP/1.1 message parser (RFC 9112 2-7): start line,
 * field lines, and the body framed by Content-Length, by the chunked
 * coding or by the close. Progress lives in struct http_parser, so the
 * result does not depend on how the bytes were chunked (Redis's
 * processMultibulkBuffer). Only CR LF ends a line: a bare CR or LF is
 * refused with 400 (RFC 9112 2.2 lets a recipient refuse them), so no
 * two parsers can disagree on where a message ends. */
#include <string.h>

#include "proto/http/http.h"
#include "util/nl.h"

/* RFC 9110 5.6.2: tchar. */
static int
is_tchar(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || (c != '\0' && strchr("!#$%&'*+-.^_`|~",
	    c) != NULL);
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static int
ci_eq(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
			return 0;
	return 1;
}

void
http_parser_init(struct http_parser *p, int response, size_t body_max)
{
	memset(p, 0, sizeof *p);
	p->response = response;
	p->body_max = body_max ? body_max : HTTP_BODY_MAX;
	/* One more for the NUL after each line. */
	nl_dbuf_init(&p->head, HTTP_HEAD_MAX + HTTP_FIELDS_MAX + 2);
	nl_dbuf_init(&p->body, p->body_max);
	p->state = HTTP_PS_START;
}

void
http_parser_free(struct http_parser *p)
{
	nl_dbuf_free(&p->head);
	nl_dbuf_free(&p->body);
}

void
http_parser_reset(struct http_parser *p)
{
	struct nl_dbuf head = p->head, body = p->body;
	int response = p->response;
	size_t body_max = p->body_max;

	nl_dbuf_reset(&head);
	nl_dbuf_reset(&body);
	memset(p, 0, sizeof *p);
	p->head = head;
	p->body = body;
	p->response = response;
	p->body_max = body_max;
	p->state = HTTP_PS_START;
}

void
http_parser_expect_no_body(struct http_parser *p)
{
	p->no_body = 1;
}

enum http_ps
http_parser_state(const struct http_parser *p)
{
	return p->state;
}

const struct http_msg *
http_parser_msg(const struct http_parser *p)
{
	return p->state == HTTP_PS_DONE ? &p->msg : NULL;
}

int
http_parser_error(const struct http_parser *p, const char **why)
{
	if (why != NULL)
		*why = p->state == HTTP_PS_ERROR ? p->why : "";
	return p->state == HTTP_PS_ERROR ? p->error : 0;
}

/* Stops with the status a server answers; returns the code to give. */
static enum nl_status
fail(struct http_parser *p, int status, const char *why)
{
	p->state = HTTP_PS_ERROR;
	p->error = status;
	p->why = why;
	switch (status) {
	case 413:
	case 414:
	case 431:
		return NL_ELIMIT;
	case 501:
	case 505:
		return NL_EUNSUPPORTED;
	default:
		return NL_EMALFORMED;
	}
}

/* Refusal of a status-line or a message: a client has nothing to
 * answer, but the numbers tell a test what went wrong all the same. */
static enum nl_status
error_code(const struct http_parser *p)
{
	switch (p->error) {
	case 413:
	case 414:
	case 431:
		return NL_ELIMIT;
	case 501:
	case 505:
		return NL_EUNSUPPORTED;
	case 0:
		return NL_ENOMEM;
	default:
		return NL_EMALFORMED;
	}
}

static char *
head_at(const struct http_parser *p, size_t off)
{
	return (char *)p->head.data + off;
}

/* "HTTP/1.x": RFC 9112 2.3; the major version must be 1. */
static enum nl_status
parse_version(struct http_parser *p, const char *s)
{
	if (strncmp(s, "HTTP/", 5) != 0 || s[5] < '0' || s[5] > '9' ||
	    s[6] != '.' || s[7] < '0' || s[7] > '9')
		return fail(p, 400, "bad HTTP version");
	if (s[5] != '1')
		return fail(p, 505, "HTTP version not supported");
	p->minor = s[7] - '0';
	return NL_OK;
}

/* request-line = method SP request-target SP HTTP-version (RFC 9112 3). */
static enum nl_status
parse_request_line(struct http_parser *p, size_t start, size_t len)
{
	char *s = head_at(p, start);
	size_t i = 0, t;

	while (i < len && is_tchar((unsigned char)s[i]))
		i++;
	if (i == 0 || i >= len || s[i] != ' ')
		return fail(p, 400, "bad method");
	if (i > HTTP_METHOD_MAX)
		return fail(p, 501, "method too long");
	s[i++] = '\0';
	p->method = start;
	t = i;
	/* The target: visible ASCII (RFC 3986 characters; no spaces). */
	while (i < len && s[i] > 0x20 && s[i] < 0x7f)
		i++;
	if (i == t || i >= len || s[i] != ' ')
		return fail(p, 400, "bad request target");
	s[i++] = '\0';
	p->target = start + t;
	if (len - i != 8)
		return fail(p, 400, "bad HTTP version");
	return parse_version(p, s + i);
}

/* status-line = HTTP-version SP status-code SP [reason-phrase]. */
static enum nl_status
parse_status_line(struct http_parser *p, size_t start, size_t len)
{
	char *s = head_at(p, start);
	size_t i;
	enum nl_status st;

	if (len < 12 || s[8] != ' ')
		return fail(p, 400, "bad status line");
	s[8] = '\0';
	st = parse_version(p, s);
	if (st != NL_OK)
		return st;
	for (i = 9; i < 12; i++)
		if (s[i] < '0' || s[i] > '9')
			return fail(p, 400, "bad status code");
	p->status = (s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0');
	if (p->status < 100)
		return fail(p, 400, "bad status code");
	if (len > 12 && s[12] != ' ')
		return fail(p, 400, "bad status line");
	for (i = 13; i < len; i++)
		if ((unsigned char)s[i] < 0x20 && s[i] != '\t')
			return fail(p, 400, "control byte in reason");
	/* No reason: point at the NUL that ends the line. */
	p->reason = start + (len > 12 ? 13 : len);
	return NL_OK;
}

/* field-line = field-name ":" OWS field-value OWS (RFC 9112 5). */
static enum nl_status
parse_field(struct http_parser *p, size_t start, size_t len)
{
	char *s = head_at(p, start);
	size_t i = 0, v, e;

	if (s[0] == ' ' || s[0] == '\t')
		return fail(p, 400, "obsolete line folding");
	while (i < len && is_tchar((unsigned char)s[i]))
		i++;
	/* No whitespace is allowed before the colon (RFC 9112 5.1). */
	if (i == 0 || i >= len || s[i] != ':')
		return fail(p, 400, "bad field name");
	if (p->nfields == HTTP_FIELDS_MAX)
		return fail(p, 431, "too many header fields");
	s[i++] = '\0';
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	v = i;
	for (; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return fail(p, 400, "control byte in a field value");
	}
	e = len;
	while (e > v && (s[e - 1] == ' ' || s[e - 1] == '\t'))
		e--;
	s[e] = '\0';
	p->pos[p->nfields].name = start;
	p->pos[p->nfields].value = start + v;
	p->nfields++;
	return NL_OK;
}

static const char *
field(const struct http_parser *p, const char *name, size_t *count)
{
	const char *found = NULL;
	size_t i;

	*count = 0;
	for (i = 0; i < p->nfields; i++)
		if (strlen(head_at(p, p->pos[i].name)) == strlen(name) &&
		    ci_eq(head_at(p, p->pos[i].name), name, strlen(name))) {
			if (found == NULL)
				found = head_at(p, p->pos[i].value);
			(*count)++;
		}
	return found;
}

/* Content-Length = 1*DIGIT; every field and list member must agree
 * (RFC 9110 8.6). *out gets the length, or UINT64_MAX when over. */
static int
content_length(const struct http_parser *p, uint64_t *out)
{
	size_t i;
	int seen = 0;
	uint64_t val = 0;

	for (i = 0; i < p->nfields; i++) {
		const char *v = head_at(p, p->pos[i].value);

		if (!ci_eq(head_at(p, p->pos[i].name), "content-length", 15))
			continue;
		for (;;) {
			uint64_t x = 0;
			int digits = 0;

			while (*v >= '0' && *v <= '9') {
				x = x > UINT64_MAX / 20 ? UINT64_MAX / 2 :
				    x * 10 + (uint64_t)(*v - '0');
				v++;
				digits++;
			}
			if (digits == 0 || (seen && x != val))
				return -1;
			val = x;
			seen = 1;
			while (*v == ' ' || *v == '\t')
				v++;
			if (*v == '\0')
				break;
			if (*v++ != ',')
				return -1;
			while (*v == ' ' || *v == '\t')
				v++;
		}
	}
	*out = val;
	return seen;
}

/* The message is complete: the fields become pointers. */
static void
finish(struct http_parser *p)
{
	size_t i;

	memset(&p->msg, 0, sizeof p->msg);
	for (i = 0; i < p->nfields; i++) {
		p->fields[i].name = head_at(p, p->pos[i].name);
		p->fields[i].value = head_at(p, p->pos[i].value);
	}
	p->msg.response = p->response;
	p->msg.minor = p->minor;
	if (p->response) {
		p->msg.status = p->status;
		p->msg.reason = head_at(p, p->reason);
	} else {
		p->msg.method = head_at(p, p->method);
		p->msg.target = head_at(p, p->target);
	}
	p->msg.fields = p->fields;
	p->msg.nfields = p->nfields;
	p->msg.body = p->body.len > 0 ? p->body.data : NULL;
	p->msg.body_len = p->body.len;
	p->msg.chunked = p->chunked;
	p->msg.head_len = p->head.len;
	p->state = HTTP_PS_DONE;
}

/* The header section ended: decide how the body is framed (RFC 9112
 * 6.3). */
static enum nl_status
head_done(struct http_parser *p)
{
	size_t nte, nhost;
	const char *te = field(p, "transfer-encoding", &nte);
	uint64_t cl = 0;
	int has_cl = content_length(p, &cl);

	if (!p->response && p->minor >= 1 &&
	    (field(p, "host", &nhost) == NULL || nhost != 1))
		return fail(p, 400, "HTTP/1.1 needs one Host field");
	if (p->response && (p->no_body || p->status / 100 == 1 ||
	    p->status == 204 || p->status == 304)) {
		finish(p);
		return NL_OK;
	}
	if (te != NULL) {
		/* Both framings at once is how requests are smuggled:
		 * refuse (RFC 9112 6.1 allows it). */
		if (has_cl != 0 && !p->response)
			return fail(p, 400, "Transfer-Encoding with "
			    "Content-Length");
		if (nte != 1 || strlen(te) != 7 || !ci_eq(te, "chunked", 7))
			return fail(p, 501, "transfer coding not implemented");
		p->chunked = 1;
		p->line_len = 0;
		p->state = HTTP_PS_CHUNK_SIZE;
		return NL_AGAIN;
	}
	if (has_cl < 0)
		return fail(p, 400, "bad Content-Length");
	if (has_cl > 0) {
		if (cl > p->body_max)
			return fail(p, 413, "body too large");
		if (cl == 0) {
			finish(p);
			return NL_OK;
		}
		p->left = cl;
		p->state = HTTP_PS_BODY;
		return NL_AGAIN;
	}
	if (p->response) {
		p->state = HTTP_PS_EOF_BODY;
		return NL_AGAIN;
	}
	finish(p);
	return NL_OK;
}

/* A line of the head is complete (its NUL is in place). */
static enum nl_status
head_line(struct http_parser *p)
{
	size_t start = p->line_start, len = p->head.len - 1 - start;
	enum nl_status st;

	p->line_start = p->head.len;
	if (p->state == HTTP_PS_START) {
		if (len == 0) {
			/* RFC 9112 2.2: ignore a CRLF before the request. */
			if (++p->empty_lines > 4 || p->response)
				return fail(p, 400, "empty lines before the "
				    "start line");
			nl_dbuf_reset(&p->head);
			p->line_start = 0;
			return NL_AGAIN;
		}
		st = p->response ? parse_status_line(p, start, len) :
		    parse_request_line(p, start, len);
		if (st != NL_OK)
			return st;
		p->state = HTTP_PS_HEAD;
		return NL_AGAIN;
	}
	if (len == 0)
		return head_done(p);
	st = parse_field(p, start, len);
	return st == NL_OK ? NL_AGAIN : st;
}

/* One byte of the start line or the header section. */
static enum nl_status
head_byte(struct http_parser *p, uint8_t b)
{
	size_t len;

	if (p->cr) {
		p->cr = 0;
		if (b != '\n')
			return fail(p, 400, "bare CR");
		if (nl_dbuf_add_u8(&p->head, 0) != NL_OK)
			return fail(p, 431, "header section too large");
		return head_line(p);
	}
	if (b == '\r') {
		p->cr = 1;
		return NL_AGAIN;
	}
	if (b == '\n')
		return fail(p, 400, "bare LF");
	if (b == '\0')
		return fail(p, 400, "NUL in the header section");
	len = p->head.len - p->line_start;
	if (len >= HTTP_LINE_MAX)
		return fail(p, p->state == HTTP_PS_START ? (p->response ?
		    400 : 414) : 431, p->state == HTTP_PS_START ?
		    "start line too long" : "field line too long");
	if (p->head.len >= HTTP_HEAD_MAX)
		return fail(p, 431, "header section too large");
	if (nl_dbuf_add_u8(&p->head, b) != NL_OK) {
		/* The head was freed with the failed append: start over
		 * is impossible, so this message is lost. */
		p->state = HTTP_PS_ERROR;
		p->error = 0;
		p->why = "out of memory";
		return NL_ENOMEM;
	}
	return NL_AGAIN;
}

/* chunk = chunk-size [ chunk-ext ] CRLF (RFC 9112 7.1). */
static enum nl_status
chunk_line(struct http_parser *p)
{
	uint64_t size = 0;
	size_t i = 0;
	int digits = 0;

	for (; i < p->line_len; i++) {
		int c = lower((unsigned char)p->chunk[i]), d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else
			break;
		if (++digits > 15)
			return fail(p, 413, "chunk too large");
		size = size * 16 + (uint64_t)d;
	}
	if (digits == 0)
		return fail(p, 400, "bad chunk size");
	while (i < p->line_len && (p->chunk[i] == ' ' || p->chunk[i] == '\t'))
		i++;
	if (i < p->line_len && p->chunk[i] != ';')
		return fail(p, 400, "bad chunk size");
	for (; i < p->line_len; i++)
		if ((unsigned char)p->chunk[i] < 0x20 && p->chunk[i] != '\t')
			return fail(p, 400, "control byte in a chunk extension");
	p->line_len = 0;
	if (size == 0) {
		p->state = HTTP_PS_TRAILER;
		return NL_AGAIN;
	}
	if (size > p->body_max - p->body.len)
		return fail(p, 413, "body too large");
	p->left = size;
	p->state = HTTP_PS_CHUNK_DATA;
	return NL_AGAIN;
}

/* A byte of a chunk-size line or of a trailer line. */
static enum nl_status
chunk_byte(struct http_parser *p, uint8_t b)
{
	if (p->cr) {
		p->cr = 0;
		if (b != '\n')
			return fail(p, 400, "bare CR");
		if (p->state == HTTP_PS_CHUNK_SIZE)
			return chunk_line(p);
		/* A trailer line: discarded (RFC 9112 7.1.2); the empty
		 * one ends the message. */
		if (p->line_len == 0) {
			finish(p);
			return NL_OK;
		}
		p->line_len = 0;
		return NL_AGAIN;
	}
	if (b == '\r') {
		p->cr = 1;
		return NL_AGAIN;
	}
	if (b == '\n')
		return fail(p, 400, "bare LF");
	if (p->state == HTTP_PS_CHUNK_SIZE) {
		if (p->line_len == sizeof p->chunk)
			return fail(p, 400, "chunk-size line too long");
		p->chunk[p->line_len++] = (char)b;
		return NL_AGAIN;
	}
	if (b == '\0')
		return fail(p, 400, "NUL in a trailer");
	p->line_len++;
	if (p->line_len > HTTP_LINE_MAX || ++p->trailer_bytes > HTTP_HEAD_MAX)
		return fail(p, 431, "trailer section too large");
	return NL_AGAIN;
}

static enum nl_status
body_add(struct http_parser *p, const uint8_t *data, size_t n)
{
	if (nl_dbuf_add(&p->body, data, n) != NL_OK) {
		p->state = HTTP_PS_ERROR;
		p->error = p->body.max - p->body.len < n ? 413 : 0;
		p->why = p->error ? "body too large" : "out of memory";
		return p->error ? NL_ELIMIT : NL_ENOMEM;
	}
	return NL_OK;
}

enum nl_status
http_parser_feed(struct http_parser *p, const uint8_t *data, size_t len,
    size_t *used)
{
	size_t i = 0, n;
	enum nl_status st = NL_AGAIN;

	*used = 0;
	if (p->state == HTTP_PS_ERROR)
		return error_code(p);
	if (p->state == HTTP_PS_DONE)
		http_parser_reset(p);
	while (i < len && st == NL_AGAIN) {
		switch (p->state) {
		case HTTP_PS_START:
		case HTTP_PS_HEAD:
			st = head_byte(p, data[i++]);
			break;
		case HTTP_PS_BODY:
		case HTTP_PS_CHUNK_DATA:
			n = len - i;
			if (n > p->left)
				n = (size_t)p->left;
			st = body_add(p, data + i, n);
			if (st != NL_OK)
				break;
			st = NL_AGAIN;
			i += n;
			p->left -= n;
			if (p->left == 0 && p->state == HTTP_PS_BODY) {
				finish(p);
				st = NL_OK;
			} else if (p->left == 0) {
				p->state = HTTP_PS_CHUNK_END;
				p->line_len = 0;
			}
			break;
		case HTTP_PS_CHUNK_END:
			/* Exactly CRLF after the data. */
			if (data[i] != (p->line_len == 0 ? '\r' : '\n')) {
				st = fail(p, 400, "no CRLF after chunk data");
				break;
			}
			i++;
			if (++p->line_len == 2) {
				p->line_len = 0;
				p->state = HTTP_PS_CHUNK_SIZE;
			}
			break;
		case HTTP_PS_CHUNK_SIZE:
		case HTTP_PS_TRAILER:
			st = chunk_byte(p, data[i++]);
			break;
		case HTTP_PS_EOF_BODY:
			st = body_add(p, data + i, len - i);
			if (st == NL_OK)
				st = NL_AGAIN;
			i = len;
			break;
		case HTTP_PS_DONE:
		case HTTP_PS_ERROR:
			(void)NL_NEVER(1);
			st = NL_ESTATE;
			break;
		}
	}
	*used = i;
	return st;
}

enum nl_status
http_parser_eof(struct http_parser *p)
{
	if (p->state == HTTP_PS_EOF_BODY) {
		finish(p);
		return NL_OK;
	}
	if (p->state == HTTP_PS_START && p->head.len == 0 && !p->cr)
		return NL_AGAIN;
	if (p->state == HTTP_PS_DONE || p->state == HTTP_PS_ERROR)
		return p->state == HTTP_PS_DONE ? NL_OK : error_code(p);
	return fail(p, 400, "connection closed inside a message");
}

/* ---- Reading a parsed message ---- */

const char *
http_msg_field(const struct http_msg *m, const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; i < m->nfields; i++)
		if (strlen(m->fields[i].name) == n &&
		    ci_eq(m->fields[i].name, name, n))
			return m->fields[i].value;
	return NULL;
}

int
http_msg_has_token(const struct http_msg *m, const char *name,
    const char *tok)
{
	size_t i, n = strlen(name), t = strlen(tok);

	for (i = 0; i < m->nfields; i++) {
		const char *v = m->fields[i].value;

		if (strlen(m->fields[i].name) != n ||
		    !ci_eq(m->fields[i].name, name, n))
			continue;
		while (*v != '\0') {
			const char *s;

			while (*v == ' ' || *v == '\t' || *v == ',')
				v++;
			s = v;
			while (*v != '\0' && *v != ',' && *v != ' ' &&
			    *v != '\t')
				v++;
			if ((size_t)(v - s) == t && ci_eq(s, tok, t))
				return 1;
		}
	}
	return 0;
}

int
http_msg_closes(const struct http_msg *m)
{
	if (http_msg_has_token(m, "connection", "close"))
		return 1;
	return m->minor == 0 &&
	    !http_msg_has_token(m, "connection", "keep-alive");
}
