/* buf.h - a bounded reader and a growable writer with a hard cap.
 *
 * Every codec reads through struct nl_rbuf and writes through struct
 * nl_dbuf (c-ares's ares_buf, curl's dynbuf). The structs are visible so
 * that they live on the stack of a parser with no allocation; their fields
 * are private to buf.c and to the inline functions at the end of this
 * header all the same: use the functions. The fixed-size reads and
 * writes are inline because every header field of every datagram goes
 * through them (a tenth of a campus run was spent in their calls). */
#ifndef NL_BUF_H
#define NL_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util/status.h"

/* ---- Reader: never reads past len; every fetch returns a status. ---- */
struct nl_rbuf {
	const uint8_t *data;	/* bytes being read, not owned */
	size_t len;		/* number of bytes in data */
	size_t pos;		/* next byte to read */
	size_t tag;		/* position saved by nl_rbuf_tag */
};

void nl_rbuf_init(struct nl_rbuf *r, const void *data, size_t len);
static inline size_t nl_rbuf_left(const struct nl_rbuf *r);
static inline size_t nl_rbuf_pos(const struct nl_rbuf *r);
/* Moves to an absolute position; NL_ELIMIT past the end. */
enum nl_status nl_rbuf_seek(struct nl_rbuf *r, size_t pos);
/* Each fetch: NL_AGAIN when fewer bytes are left than asked for (nothing
 * consumed, *out set to 0), else NL_OK. Big-endian, network order. */
static inline enum nl_status nl_rbuf_u8(struct nl_rbuf *r, uint8_t *out);
static inline enum nl_status nl_rbuf_u16(struct nl_rbuf *r, uint16_t *out);
static inline enum nl_status nl_rbuf_u32(struct nl_rbuf *r, uint32_t *out);
enum nl_status nl_rbuf_bytes(struct nl_rbuf *r, void *out, size_t n);
/* A pointer to the next n bytes, consumed; NULL if fewer are left. */
const uint8_t *nl_rbuf_take(struct nl_rbuf *r, size_t n);
enum nl_status nl_rbuf_skip(struct nl_rbuf *r, size_t n);
/* Tag the position; roll back to it when a message proves incomplete. */
void nl_rbuf_tag(struct nl_rbuf *r);
void nl_rbuf_rollback(struct nl_rbuf *r);

/* ---- Writer: grows up to max bytes, then refuses with NL_ELIMIT. ---- */
struct nl_dbuf {
	uint8_t *data;		/* owned, NUL-terminated when not NULL */
	size_t len;		/* bytes used, not counting the NUL */
	size_t cap;		/* bytes allocated */
	size_t max;		/* hard cap on len */
};

/* An empty buffer that may grow to max bytes; allocates nothing yet. */
void nl_dbuf_init(struct nl_dbuf *b, size_t max);
/* Frees the bytes and leaves an empty buffer with the same cap. */
void nl_dbuf_free(struct nl_dbuf *b);
/* Forgets the content but keeps the memory for reuse. */
void nl_dbuf_reset(struct nl_dbuf *b);
/* Appends. On NL_ENOMEM or NL_ELIMIT the buffer is freed (curl's rule:
 * an append that fails frees its own buffer), so a caller never goes on
 * with half a message. */
enum nl_status nl_dbuf_add(struct nl_dbuf *b, const void *p, size_t n);
enum nl_status nl_dbuf_add_str(struct nl_dbuf *b, const char *s);
static inline enum nl_status nl_dbuf_add_u8(struct nl_dbuf *b, uint8_t v);
static inline enum nl_status nl_dbuf_add_u16(struct nl_dbuf *b, uint16_t v);
static inline enum nl_status nl_dbuf_add_u32(struct nl_dbuf *b, uint32_t v);
enum nl_status nl_dbuf_addf(struct nl_dbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Overwrites 2 bytes at off (for lengths known only later). */
enum nl_status nl_dbuf_put_u16(struct nl_dbuf *b, size_t off, uint16_t v);
/* Hands the bytes to the caller (free with nl_free) and resets b. The
 * result is NUL-terminated; *len (optional) gets the length. NULL if b
 * is empty. */
uint8_t *nl_dbuf_take(struct nl_dbuf *b, size_t *len);

/* ---- The inline ones ---- */

static inline size_t
nl_rbuf_left(const struct nl_rbuf *r)
{
	return r->len - r->pos;
}

static inline size_t
nl_rbuf_pos(const struct nl_rbuf *r)
{
	return r->pos;
}

static inline enum nl_status
nl_rbuf_u8(struct nl_rbuf *r, uint8_t *out)
{
	if (r->len - r->pos < 1) {
		*out = 0;
		return NL_AGAIN;
	}
	*out = r->data[r->pos++];
	return NL_OK;
}

static inline enum nl_status
nl_rbuf_u16(struct nl_rbuf *r, uint16_t *out)
{
	if (r->len - r->pos < 2) {
		*out = 0;
		return NL_AGAIN;
	}
	*out = (uint16_t)((unsigned)r->data[r->pos] << 8 | r->data[r->pos + 1]);
	r->pos += 2;
	return NL_OK;
}

static inline enum nl_status
nl_rbuf_u32(struct nl_rbuf *r, uint32_t *out)
{
	const uint8_t *p;

	if (r->len - r->pos < 4) {
		*out = 0;
		return NL_AGAIN;
	}
	p = r->data + r->pos;
	*out = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
	r->pos += 4;
	return NL_OK;
}

/* Appends n bytes (a fixed-size field) without a call when they fit. */
static inline enum nl_status
nl_dbuf_add_fixed_(struct nl_dbuf *b, const uint8_t *p, size_t n)
{
	/* Room for them and the NUL without growing, within max. */
	if (b->cap - b->len <= n || b->max - b->len < n)
		return nl_dbuf_add(b, p, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return NL_OK;
}

static inline enum nl_status
nl_dbuf_add_u8(struct nl_dbuf *b, uint8_t v)
{
	return nl_dbuf_add_fixed_(b, &v, 1);
}

static inline enum nl_status
nl_dbuf_add_u16(struct nl_dbuf *b, uint16_t v)
{
	uint8_t p[2];

	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return nl_dbuf_add_fixed_(b, p, 2);
}

static inline enum nl_status
nl_dbuf_add_u32(struct nl_dbuf *b, uint32_t v)
{
	uint8_t p[4];

	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
	return nl_dbuf_add_fixed_(b, p, 4);
}

#endif
