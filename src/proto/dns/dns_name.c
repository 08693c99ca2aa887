/* dns_name.c - domain names: wire reading with compression pointers,
 * wire writing with a compression table, and presentation form.
 * RFC 1035 3.1 (names), 4.1.4 (compression), 5.1 (escapes in master
 * files); RFC 4343 (case insensitivity). */
#include <string.h>

#include "proto/dns/dns_int.h"
#include "proto/dns/dns_msg.h"
#include "util/alloc.h"
#include "util/nl.h"

enum nl_status
dns_fail(struct dns_perr *err, enum dns_err code, size_t off)
{
	if (err != NULL) {
		err->code = code;
		err->off = off;
	}
	return NL_EMALFORMED;
}

static uint8_t
fold(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c + ('a' - 'A')) : c;
}

int
dns_name_valid(const struct dns_name *n)
{
	size_t off = 0;

	if (n == NULL || n->len < 1)
		return 0;
	while (off < n->len) {
		uint8_t c = n->wire[off];

		if (c == 0)
			return off + 1 == n->len;
		if (c > DNS_LABEL_MAX)
			return 0;
		off += 1u + c;
	}
	return 0;
}

int
dns_name_eq(const struct dns_name *a, const struct dns_name *b)
{
	size_t i;

	if (a->len != b->len)
		return 0;
	/* Names usually come in one case: equal bytes settle it at once. */
	if (memcmp(a->wire, b->wire, a->len) == 0)
		return 1;
	/* Length octets are below 64, so folding them changes nothing. */
	for (i = 0; i < a->len; i++)
		if (fold(a->wire[i]) != fold(b->wire[i]))
			return 0;
	return 1;
}

/* ---- Reading (4.1.4) ----
 *
 *     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *     | 1  1|                OFFSET                   |
 *     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *
 * A label starts with a length octet whose top bits are 00; 11 makes the
 * two octets a pointer to an earlier name; 01 and 10 are reserved (RFC
 * 6891 gave 01 to extended labels, none in use). So a label over 63
 * octets cannot even be written: its length octet, 64 to 127, reads as
 * the reserved type 0x40, and that is the reason given. A pointer must
 * point before itself and, after a jump, before the previous target as
 * well (a real compressor only ever points at names written earlier), so
 * the walk cannot loop; DNS_MAX_INDIRS caps the hops all the same. */
enum nl_status
dns_name_read(struct nl_rbuf *r, size_t end, enum dns_err past,
    struct dns_name *out, struct dns_perr *err)
{
	size_t msglen = nl_rbuf_pos(r) + nl_rbuf_left(r);
	size_t pos = nl_rbuf_pos(r);
	size_t limit = pos;	/* targets must be below this */
	size_t bound = end;	/* bytes read must be below this */
	size_t after = 0;	/* where the name ends in place */
	size_t n = 0;		/* octets in out->wire */
	unsigned jumps = 0;
	uint8_t c, lo;
	size_t target;

	out->len = 0;
	for (;;) {
		if (pos >= bound)
			goto overrun;
		if (nl_rbuf_seek(r, pos) != NL_OK ||
		    nl_rbuf_u8(r, &c) != NL_OK)
			goto overrun;
		switch (c & 0xC0) {
		case 0x00:
			if (c == 0) {
				out->wire[n++] = 0;
				out->len = (uint8_t)n;
				if (jumps == 0)
					after = pos + 1;
				if (nl_rbuf_seek(r, after) != NL_OK)
					goto overrun;
				return NL_OK;
			}
			/* Leave room for this label and the root. */
			if (n + 1 + c + 1 > DNS_NAME_MAX)
				return dns_fail(err, DNS_E_NAME_LEN, pos);
			if (c >= bound - pos)
				goto overrun;
			out->wire[n] = c;
			if (nl_rbuf_bytes(r, out->wire + n + 1, c) != NL_OK)
				goto overrun;
			n += 1u + c;
			pos += 1u + c;
			break;
		case 0xC0:
			if (bound - pos < 2 || nl_rbuf_u8(r, &lo) != NL_OK)
				goto overrun;
			target = (size_t)(c & 0x3F) << 8 | lo;
			if (target >= msglen)
				return dns_fail(err, DNS_E_PTR_PAST, pos);
			if (target > pos)
				return dns_fail(err, DNS_E_PTR_FORWARD, pos);
			if (target >= limit)
				return dns_fail(err, DNS_E_PTR_LOOP, pos);
			if (++jumps > DNS_MAX_INDIRS)
				return dns_fail(err, DNS_E_PTR_MANY, pos);
			if (jumps == 1)
				after = pos + 2;
			limit = target;
			pos = target;
			bound = msglen;
			break;
		case 0x40:
			return dns_fail(err, DNS_E_LABEL_0X40, pos);
		default:
			return dns_fail(err, DNS_E_LABEL_0X80, pos);
		}
	}
overrun:
	/* Before any jump the name is bounded by end, and running over it
	 * is the caller's error; after one, by the message. */
	return dns_fail(err, jumps == 0 ? past : DNS_E_NAME_END,
	    pos < msglen ? pos : msglen);
}

enum nl_status
dns_name_parse(const uint8_t *msg, size_t len, size_t off,
    struct dns_name *out, size_t *next, struct dns_perr *err)
{
	struct nl_rbuf r;
	struct dns_perr local;
	enum nl_status st;

	if (err == NULL)
		err = &local;
	err->code = DNS_E_NONE;
	err->off = 0;
	if (next != NULL)
		*next = 0;
	nl_rbuf_init(&r, msg, len);
	if (nl_rbuf_seek(&r, off) != NL_OK) {
		st = dns_fail(err, DNS_E_NAME_END, len);
		goto fail;
	}
	st = dns_name_read(&r, len, DNS_E_NAME_END, out, err);
	if (st != NL_OK)
		goto fail;
	if (next != NULL)
		*next = nl_rbuf_pos(&r);
	return NL_OK;
fail:
	out->len = 1;
	out->wire[0] = 0;
	return st;
}

/* ---- Writing: the compression table ----
 *
 * Each suffix written at an offset <= 0x3fff is remembered; a later name
 * whose suffix matches (ignoring case) points at the first occurrence,
 * as BIND and dnspython do. Suffix hashes are built from the root up, so
 * hashing a whole name costs one pass over it. */

void
dns_wctx_init(struct dns_wctx *w, struct nl_dbuf *out)
{
	w->out = out;
	w->base = out->len;
	memset(w->small, 0, sizeof w->small);
	w->tab = w->small;
	w->n = 0;
	w->cap = DNS_CTAB_SMALL;
}

void
dns_wctx_free(struct dns_wctx *w)
{
	if (w->tab != w->small)
		nl_free(w->tab);
	w->tab = w->small;
	memset(w->small, 0, sizeof w->small);
	w->n = 0;
	w->cap = DNS_CTAB_SMALL;
}

static int
suffix_eq(const uint8_t *a, const uint8_t *b, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (fold(a[i]) != fold(b[i]))
			return 0;
	return 1;
}

/* The offset of an equal suffix, or -1. */
static long
ctab_find(const struct dns_wctx *w, const uint8_t *s, uint8_t len,
    uint32_t h)
{
	size_t i;

	if (w->cap == 0)
		return -1;
	for (i = h & (w->cap - 1); w->tab[i].wire != NULL;
	    i = (i + 1) & (w->cap - 1)) {
		const struct dns_ctab_ent *e = &w->tab[i];

		if (e->hash == h && e->len == len && suffix_eq(e->wire, s, len))
			return e->off;
	}
	return -1;
}

static void
ctab_put(struct dns_ctab_ent *tab, size_t cap, const struct dns_ctab_ent *e)
{
	size_t i = e->hash & (cap - 1);

	while (tab[i].wire != NULL)
		i = (i + 1) & (cap - 1);
	tab[i] = *e;
}

/* Adds a suffix; grows the table at half load. NL_ENOMEM. */
static enum nl_status
ctab_add(struct dns_wctx *w, const uint8_t *s, uint8_t len, uint32_t h,
    uint16_t off)
{
	struct dns_ctab_ent e;

	if (2 * (w->n + 1) > w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 64, i;
		struct dns_ctab_ent *tab = nl_calloc(cap, sizeof *tab);

		if (tab == NULL)
			return NL_ENOMEM;
		for (i = 0; i < w->cap; i++)
			if (w->tab[i].wire != NULL)
				ctab_put(tab, cap, &w->tab[i]);
		if (w->tab != w->small)
			nl_free(w->tab);
		w->tab = tab;
		w->cap = cap;
	}
	e.wire = s;
	e.hash = h;
	e.off = off;
	e.len = len;
	ctab_put(w->tab, w->cap, &e);
	w->n++;
	return NL_OK;
}

enum nl_status
dns_name_write(struct dns_wctx *w, const struct dns_name *n, int compress)
{
	size_t lab[DNS_NAME_MAX / 2 + 1];	/* label starts */
	uint32_t hash[DNS_NAME_MAX / 2 + 1];	/* hash of each suffix */
	size_t k = 0, i, off, j;
	uint32_t h;
	long found;
	enum nl_status st;

	if (!dns_name_valid(n)) {
		nl_dbuf_free(w->out);
		return NL_EINVAL;
	}
	if (!compress)
		return nl_dbuf_add(w->out, n->wire, n->len);
	for (off = 0; n->wire[off] != 0; off += 1u + n->wire[off])
		lab[k++] = off;
	/* FNV-1a over the folded octets, suffix by suffix from the root. */
	h = 2166136261u;
	for (i = k; i-- > 0;) {
		for (j = lab[i]; j < lab[i] + 1u + n->wire[lab[i]]; j++)
			h = (h ^ fold(n->wire[j])) * 16777619u;
		hash[i] = h;
	}
	for (i = 0; i < k; i++) {
		const uint8_t *s = n->wire + lab[i];
		uint8_t slen = (uint8_t)(n->len - lab[i]);
		size_t pos = w->out->len - w->base;

		found = ctab_find(w, s, slen, hash[i]);
		if (found >= 0)
			return nl_dbuf_add_u16(w->out,
			    (uint16_t)(0xC000u | (unsigned long)found));
		if (pos <= 0x3FFF) {
			st = ctab_add(w, s, slen, hash[i], (uint16_t)pos);
			if (st != NL_OK) {
				nl_dbuf_free(w->out);
				return st;
			}
		}
		st = nl_dbuf_add(w->out, s, 1u + s[0]);
		if (st != NL_OK)
			return st;
	}
	return nl_dbuf_add_u8(w->out, 0);
}

/* ---- Presentation form (5.1) ---- */

/* Octets that need a backslash in a label: the ones with a meaning in
 * master files, as dig and dnspython escape them. */
static int
special(uint8_t c)
{
	return c == '.' || c == ';' || c == '\\' || c == '"' || c == '(' ||
	    c == ')' || c == '@' || c == '$';
}

enum nl_status
dns_name_print(struct nl_dbuf *out, const struct dns_name *n)
{
	size_t off = 0, j;
	enum nl_status st;

	if (!dns_name_valid(n))
		return NL_EINVAL;
	if (n->wire[0] == 0)
		return nl_dbuf_add_u8(out, '.');
	while (n->wire[off] != 0) {
		uint8_t l = n->wire[off];

		for (j = off + 1; j <= off + l; j++) {
			uint8_t c = n->wire[j];

			if (special(c)) {
				uint8_t esc[2] = { '\\', c };

				st = nl_dbuf_add(out, esc, 2);
			} else if (c < 0x21 || c > 0x7E) {
				st = nl_dbuf_addf(out, "\\%03u", (unsigned)c);
			} else {
				st = nl_dbuf_add_u8(out, c);
			}
			if (st != NL_OK)
				return st;
		}
		st = nl_dbuf_add_u8(out, '.');
		if (st != NL_OK)
			return st;
		off += 1u + l;
	}
	return NL_OK;
}

const char *
dns_name_str(const struct dns_name *n, char *buf, size_t size)
{
	struct nl_dbuf b;

	if (size == 0)
		return buf;
	nl_dbuf_init(&b, size - 1);
	if (dns_name_print(&b, n) != NL_OK || b.data == NULL) {
		nl_dbuf_free(&b);
		if (size >= 2) {
			buf[0] = '?';
			buf[1] = '\0';
		} else {
			buf[0] = '\0';
		}
		return buf;
	}
	memcpy(buf, b.data, b.len + 1);
	nl_dbuf_free(&b);
	return buf;
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

enum nl_status
dns_name_from_str(const char *s, struct dns_name *out,
    struct dns_perr *err)
{
	size_t i = 0;
	size_t lstart = 0;	/* offset of the open label's length octet */
	size_t n = 1;		/* octets used, the open length octet too */
	size_t llen = 0;	/* octets in the open label */
	size_t at;
	unsigned v;

	if (err != NULL) {
		err->code = DNS_E_NONE;
		err->off = 0;
	}
	if (s[0] == '.' && s[1] == '\0') {
		out->len = 1;
		out->wire[0] = 0;
		return NL_OK;
	}
	for (;;) {
		char c = s[i];

		at = i;
		if (c == '\0' || c == '.') {
			if (llen == 0) {
				if (c == '\0' && i > 0)
					break;	/* "name." ends cleanly */
				goto fail_code_empty;
			}
			out->wire[lstart] = (uint8_t)llen;
			if (c == '\0') {
				break;
			}
			i++;
			lstart = n;
			if (n + 1 > DNS_NAME_MAX)
				goto fail_name_len;
			n++;
			llen = 0;
			continue;
		}
		if (c == '\\') {
			if (is_digit(s[i + 1])) {
				if (!is_digit(s[i + 2]) || !is_digit(s[i + 3]))
					goto fail_escape;
				v = (unsigned)(s[i + 1] - '0') * 100 +
				    (unsigned)(s[i + 2] - '0') * 10 +
				    (unsigned)(s[i + 3] - '0');
				if (v > 255)
					goto fail_escape;
				i += 4;
			} else if (s[i + 1] == '\0') {
				goto fail_escape;
			} else {
				v = (unsigned char)s[i + 1];
				i += 2;
			}
		} else {
			v = (unsigned char)c;
			i++;
		}
		if (llen == DNS_LABEL_MAX) {
			(void)dns_fail(err, DNS_E_LABEL_LEN, at);
			goto fail;
		}
		/* Leave room for the root. */
		if (n + 1 > DNS_NAME_MAX - 1)
			goto fail_name_len;
		out->wire[n++] = (uint8_t)v;
		llen++;
	}
	/* Close with the root label: n octets used by labels (the last
	 * length octet reserved in n only while a label is open). */
	if (llen == 0)
		n--;	/* "name." left an unused length octet open */
	if (n + 1 > DNS_NAME_MAX)
		goto fail_name_len;
	out->wire[n++] = 0;
	out->len = (uint8_t)n;
	return NL_OK;
fail_code_empty:
	(void)dns_fail(err, DNS_E_EMPTY_LABEL, at);
	goto fail;
fail_escape:
	(void)dns_fail(err, DNS_E_BAD_ESCAPE, at);
	goto fail;
fail_name_len:
	(void)dns_fail(err, DNS_E_NAME_LEN, at);
fail:
	out->len = 1;
	out->wire[0] = 0;
	return NL_EMALFORMED;
}
