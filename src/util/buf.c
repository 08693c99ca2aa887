/* buf.c - bounded reader and capped growable writer (see buf.h). */
#include "util/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/alloc.h"

void
nl_rbuf_init(struct nl_rbuf *r, const void *data, size_t len)
{
	r->data = data;
	r->len = data != NULL ? len : 0;
	r->pos = 0;
	r->tag = 0;
}

enum nl_status
nl_rbuf_seek(struct nl_rbuf *r, size_t pos)
{
	if (pos > r->len)
		return NL_ELIMIT;
	r->pos = pos;
	return NL_OK;
}

enum nl_status
nl_rbuf_bytes(struct nl_rbuf *r, void *out, size_t n)
{
	if (nl_rbuf_left(r) < n)
		return NL_AGAIN;
	if (n > 0)
		memcpy(out, r->data + r->pos, n);
	r->pos += n;
	return NL_OK;
}

const uint8_t *
nl_rbuf_take(struct nl_rbuf *r, size_t n)
{
	const uint8_t *p;

	if (nl_rbuf_left(r) < n)
		return NULL;
	p = r->data + r->pos;
	r->pos += n;
	return p;
}

enum nl_status
nl_rbuf_skip(struct nl_rbuf *r, size_t n)
{
	if (nl_rbuf_left(r) < n)
		return NL_AGAIN;
	r->pos += n;
	return NL_OK;
}

void
nl_rbuf_tag(struct nl_rbuf *r)
{
	r->tag = r->pos;
}

void
nl_rbuf_rollback(struct nl_rbuf *r)
{
	r->pos = r->tag;
}

void
nl_dbuf_init(struct nl_dbuf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void
nl_dbuf_free(struct nl_dbuf *b)
{
	nl_free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void
nl_dbuf_reset(struct nl_dbuf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

/* Makes room for n more bytes plus the NUL; frees b on failure. */
static enum nl_status
dbuf_grow(struct nl_dbuf *b, size_t n)
{
	size_t need, cap;
	uint8_t *p;

	if (n > b->max || b->len > b->max - n) {
		nl_dbuf_free(b);
		return NL_ELIMIT;
	}
	need = b->len + n + 1;
	if (need <= b->cap)
		return NL_OK;
	cap = b->cap ? b->cap : 512;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = nl_realloc(b->data, cap);
	if (p == NULL) {
		nl_dbuf_free(b);
		return NL_ENOMEM;
	}
	b->data = p;
	b->cap = cap;
	return NL_OK;
}

enum nl_status
nl_dbuf_add(struct nl_dbuf *b, const void *p, size_t n)
{
	enum nl_status st = dbuf_grow(b, n);

	if (st != NL_OK)
		return st;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return NL_OK;
}

enum nl_status
nl_dbuf_add_str(struct nl_dbuf *b, const char *s)
{
	return nl_dbuf_add(b, s, strlen(s));
}

enum nl_status
nl_dbuf_addf(struct nl_dbuf *b, const char *fmt, ...)
{
	va_list ap;
	char small[256];
	int n;
	enum nl_status st;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		nl_dbuf_free(b);
		return NL_EINVAL;
	}
	if ((size_t)n < sizeof small)
		return nl_dbuf_add(b, small, (size_t)n);
	st = dbuf_grow(b, (size_t)n);
	if (st != NL_OK)
		return st;
	va_start(ap, fmt);
	vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return NL_OK;
}

enum nl_status
nl_dbuf_put_u16(struct nl_dbuf *b, size_t off, uint16_t v)
{
	if (off > b->len || b->len - off < 2)
		return NL_EINVAL;
	b->data[off] = (uint8_t)(v >> 8);
	b->data[off + 1] = (uint8_t)v;
	return NL_OK;
}

uint8_t *
nl_dbuf_take(struct nl_dbuf *b, size_t *len)
{
	uint8_t *p = b->data;

	if (len != NULL)
		*len = b->len;
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	return p;
}
