/* imf_parse.c - reading RFC 5322 messages: lines are pushed in, events
 * pulled out (the shape of OpenSMTPD's rfc5322.c), and a whole-message
 * view with the byte range of every header field.
 *
 *   message = fields [CRLF body]       (RFC 5322 3.5)
 *   field   = field-name ":" unstructured CRLF, folded by CRLF WSP
 *   field-name = 1*ftext; ftext = %d33-57 / %d59-126   (3.6.8; obsolete
 *                WSP before the colon, 4.5, is accepted) */
#include <string.h>

#include "proto/imf/imf.h"
#include "proto/imf/imf_int.h"
#include "util/alloc.h"

#define FIELD_MAX_DEFAULT 16384
#define FIELDS_MAX_DEFAULT 1000

enum pstate {
	P_HEAD,		/* in the header section, no field open */
	P_FIELD,	/* a field is open: continuation lines may follow */
	P_BODY,		/* in the body */
	P_END		/* IMF_EV_END returned */
};

struct imf_parser {
	struct imf_limits lim;	/* limits, defaults filled in */
	enum pstate state;	/* where the parser is */
	enum nl_status err;	/* NL_OK, or what stopped it for good */
	struct nl_dbuf line;	/* the pushed line, NUL-terminated */
	int have_line;		/* line pushed and not yet taken */
	int ended;		/* imf_parser_end was called */
	size_t colon;		/* offset in line of the open field's ':' */
	struct nl_dbuf name;	/* name of the open field */
	struct nl_dbuf value;	/* its value, unfolded so far */
	size_t nfields;		/* fields seen */
};

struct imf_parser *
imf_parser_new(const struct imf_limits *lim)
{
	struct imf_parser *p = nl_calloc(1, sizeof *p);

	if (p == NULL)
		return NULL;
	if (lim != NULL)
		p->lim = *lim;
	if (p->lim.line_max == 0)
		p->lim.line_max = IMF_LINE_MAX;
	if (p->lim.field_max == 0)
		p->lim.field_max = FIELD_MAX_DEFAULT;
	if (p->lim.fields_max == 0)
		p->lim.fields_max = FIELDS_MAX_DEFAULT;
	p->state = P_HEAD;
	p->err = NL_OK;
	nl_dbuf_init(&p->line, p->lim.line_max);
	nl_dbuf_init(&p->name, p->lim.line_max);
	nl_dbuf_init(&p->value, p->lim.field_max);
	return p;
}

void
imf_parser_free(struct imf_parser *p)
{
	if (p == NULL)
		return;
	nl_dbuf_free(&p->line);
	nl_dbuf_free(&p->name);
	nl_dbuf_free(&p->value);
	nl_free(p);
}

/* Stops the parser for good with st. */
static enum nl_status
fail(struct imf_parser *p, enum nl_status st)
{
	p->err = st;
	p->have_line = 0;
	return st;
}

enum nl_status
imf_parser_push(struct imf_parser *p, const void *line, size_t len)
{
	enum nl_status st;

	if (p->err != NL_OK)
		return p->err;
	if (p->have_line || p->ended)
		return NL_ESTATE;
	if (len > p->lim.line_max)
		return fail(p, NL_ELIMIT);
	nl_dbuf_reset(&p->line);
	/* An empty line still needs a buffer to point res->value at. */
	st = nl_dbuf_add(&p->line, len > 0 ? line : "", len);
	if (st != NL_OK)
		return fail(p, st);
	p->have_line = 1;
	return NL_OK;
}

enum nl_status
imf_parser_end(struct imf_parser *p)
{
	if (p->err != NL_OK)
		return p->err;
	if (p->ended)
		return NL_ESTATE;
	p->ended = 1;
	return NL_OK;
}

/* If the line starts a field, returns the length of its name and sets
 * *colon; else 0. */
static size_t
field_name(const uint8_t *l, size_t n, size_t *colon)
{
	size_t i = 0, name;

	while (i < n && l[i] >= 33 && l[i] <= 126 && l[i] != ':')
		i++;
	name = i;
	while (i < n && (l[i] == ' ' || l[i] == '\t'))
		i++;
	if (name == 0 || i == n || l[i] != ':')
		return 0;
	*colon = i;
	return name;
}

enum nl_status
imf_parser_next(struct imf_parser *p, struct imf_res *res)
{
	const uint8_t *l = p->line.data;
	size_t n = p->line.len, nl, colon = 0;
	enum nl_status st;

	memset(res, 0, sizeof *res);
	res->ev = IMF_EV_NONE;
	if (p->err != NL_OK)
		return p->err;
	switch (p->state) {
	case P_HEAD:
		if (!p->have_line) {
			if (!p->ended)
				return NL_OK;
			p->state = P_BODY;
			res->ev = IMF_EV_HEADERS_END;
			return NL_OK;
		}
		if (n == 0) {
			p->have_line = 0;
			p->state = P_BODY;
			res->ev = IMF_EV_HEADERS_END;
			return NL_OK;
		}
		nl = field_name(l, n, &colon);
		if (nl == 0) {
			/* No field and no empty line: the body has begun
			 * (a message of body lines only, as in the textbook
			 * dialogue). The line stays for BODY_LINE. */
			p->state = P_BODY;
			res->ev = IMF_EV_HEADERS_END;
			res->no_blank = 1;
			return NL_OK;
		}
		if (p->nfields == p->lim.fields_max)
			return fail(p, NL_ELIMIT);
		p->nfields++;
		nl_dbuf_reset(&p->name);
		nl_dbuf_reset(&p->value);
		st = nl_dbuf_add(&p->name, l, nl);
		if (st == NL_OK)
			st = nl_dbuf_add(&p->value, l + colon + 1,
			    n - colon - 1);
		if (st != NL_OK)
			return fail(p, st);
		p->have_line = 0;
		p->colon = colon;
		p->state = P_FIELD;
		res->ev = IMF_EV_HEADER_START;
		res->name = (const char *)p->name.data;
		res->value = (const char *)l + colon + 1;
		res->value_len = n - colon - 1;
		return NL_OK;
	case P_FIELD:
		if (p->have_line && n > 0 && (l[0] == ' ' || l[0] == '\t')) {
			st = nl_dbuf_add(&p->value, l, n);
			if (st != NL_OK)
				return fail(p, st);
			p->have_line = 0;
			res->ev = IMF_EV_HEADER_CONT;
			res->name = (const char *)p->name.data;
			res->value = (const char *)l;
			res->value_len = n;
			return NL_OK;
		}
		if (!p->have_line && !p->ended)
			return NL_OK;
		p->state = P_HEAD;
		res->ev = IMF_EV_HEADER_END;
		res->name = (const char *)p->name.data;
		res->value = p->value.data ? (const char *)p->value.data : "";
		res->value_len = p->value.len;
		return NL_OK;
	case P_BODY:
		if (p->have_line) {
			p->have_line = 0;
			res->ev = IMF_EV_BODY_LINE;
			res->value = (const char *)l;
			res->value_len = n;
			return NL_OK;
		}
		if (p->ended) {
			p->state = P_END;
			res->ev = IMF_EV_END;
		}
		return NL_OK;
	case P_END:
		res->ev = IMF_EV_END;
		return NL_OK;
	}
	return NL_OK;
}

void
imf_view_free(struct imf_view *v)
{
	nl_free(v->fields);
	memset(v, 0, sizeof *v);
}

/* Adds a field to v, growing the array. */
static enum nl_status
view_add(struct imf_view *v, size_t *cap, const struct imf_field *f)
{
	if (v->nfields == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		struct imf_field *nf = nl_realloc(v->fields, nc * sizeof *nf);

		if (nf == NULL)
			return NL_ENOMEM;
		v->fields = nf;
		*cap = nc;
	}
	v->fields[v->nfields++] = *f;
	return NL_OK;
}

enum nl_status
imf_view_parse(const uint8_t *msg, size_t len, struct imf_view *v)
{
	struct imf_parser *p;
	struct imf_res r;
	struct imf_field cur = { 0, 0, 0, 0 };
	size_t pos = 0, cap = 0, line_off = 0, line_n = 0, line_total = 0;
	enum nl_status st = NL_OK;
	int done = 0;

	memset(v, 0, sizeof *v);
	p = imf_parser_new(NULL);
	if (p == NULL)
		return NL_ENOMEM;
	while (!done) {
		st = imf_parser_next(p, &r);
		if (st != NL_OK)
			break;
		switch (r.ev) {
		case IMF_EV_NONE:
			if (pos == len) {
				st = imf_parser_end(p);
				break;
			} else {
				const uint8_t *lf = memchr(msg + pos, '\n',
				    len - pos);

				line_off = pos;
				line_total = lf ? (size_t)(lf - msg) + 1 - pos :
				    len - pos;
				line_n = lf ? line_total - 1 : line_total;
				if (lf && line_n > 0 && msg[pos + line_n - 1] ==
				    '\r')
					line_n--;
				pos += line_total;
				st = imf_parser_push(p, msg + line_off, line_n);
			}
			break;
		case IMF_EV_HEADER_START:
			cur.off = line_off;
			cur.name_len = strlen(r.name);
			cur.value_off = line_off + p->colon + 1;
			cur.len = line_n;
			break;
		case IMF_EV_HEADER_CONT:
			cur.len = line_off + line_n - cur.off;
			break;
		case IMF_EV_HEADER_END:
			st = view_add(v, &cap, &cur);
			break;
		case IMF_EV_HEADERS_END:
			v->no_blank = r.no_blank;
			if (r.no_blank)
				v->body_off = line_off;
			else if (p->ended)
				v->body_off = len;
			else
				v->body_off = line_off + line_total;
			v->body_len = len - v->body_off;
			done = 1;
			break;
		case IMF_EV_BODY_LINE:
		case IMF_EV_END:
			done = 1;	/* cannot happen before HEADERS_END */
			break;
		}
		if (st != NL_OK)
			break;
	}
	imf_parser_free(p);
	if (st != NL_OK)
		imf_view_free(v);
	return st;
}

const struct imf_field *
imf_view_find(const struct imf_view *v, const uint8_t *msg, const char *name,
    size_t index)
{
	size_t i;

	for (i = 0; i < v->nfields; i++) {
		const struct imf_field *f = &v->fields[i];

		if (imf_eq_nocase((const char *)msg + f->off, f->name_len,
		    name) && index-- == 0)
			return f;
	}
	return NULL;
}

enum nl_status
imf_field_value(const uint8_t *msg, const struct imf_field *f,
    struct nl_dbuf *out)
{
	size_t i = f->value_off, end = f->off + f->len, start;
	enum nl_status st = NL_OK;

	while (i < end && (msg[i] == ' ' || msg[i] == '\t' || msg[i] == '\r' ||
	    msg[i] == '\n'))
		i++;
	while (end > i && (msg[end - 1] == ' ' || msg[end - 1] == '\t' ||
	    msg[end - 1] == '\r' || msg[end - 1] == '\n'))
		end--;
	/* Unfolding: remove each line end; the WSP after it stays. */
	for (start = i; i < end && st == NL_OK; i++) {
		if (msg[i] == '\r' || msg[i] == '\n') {
			if (i > start)
				st = nl_dbuf_add(out, msg + start, i - start);
			start = i + 1;
		}
	}
	if (st == NL_OK)
		st = nl_dbuf_add(out, msg + start, end - start);
	return st;
}

enum nl_status
imf_header_get(const uint8_t *msg, size_t len, const char *name,
    size_t index, struct nl_dbuf *out)
{
	struct imf_view v;
	const struct imf_field *f;
	enum nl_status st = imf_view_parse(msg, len, &v);

	if (st != NL_OK)
		return st;
	f = imf_view_find(&v, msg, name, index);
	st = f ? imf_field_value(msg, f, out) : NL_ENOTFOUND;
	imf_view_free(&v);
	return st;
}
