/* trace_file_scan.c - the trace file reader's fast path: one pass over an
 * event line of the exact shape trace_file_write gives it
 * (docs/trace-format.md), making the general reader's checks on the way.
 * Any other line, valid or not, is left to that reader (trace_file.c),
 * which alone reports errors, so they read the same whichever path runs. */
#include "trace/trace_file_int.h"

#include <string.h>

/* Where the scan is; the byte at end is below 0x20, so every loop that
 * wants a printable byte stops there without testing p < end. */
struct sc {
	const unsigned char *p;		/* next byte */
	const unsigned char *end;	/* the line's end */
};

/* The names as the writer prints them, indexed by enum (ORDER KIND,
 * ORDER PROTO in trace.h), with their lengths. */
static const char *const kind_names[] = {
#define SC_KIND_NAME(name, text) text,
	TRACE_KIND_MAP(SC_KIND_NAME)
#undef SC_KIND_NAME
};
static const unsigned char kind_lens[] = {
#define SC_KIND_LEN(name, text) sizeof text - 1,
	TRACE_KIND_MAP(SC_KIND_LEN)
#undef SC_KIND_LEN
};
static const char *const proto_names[] = {
#define SC_PROTO_NAME(name, text, label) text,
	TRACE_PROTO_MAP(SC_PROTO_NAME)
#undef SC_PROTO_NAME
};
static const unsigned char proto_lens[] = {
#define SC_PROTO_LEN(name, text, label) sizeof text - 1,
	TRACE_PROTO_MAP(SC_PROTO_LEN)
#undef SC_PROTO_LEN
};

/* 16 + the value of each lowercase hex digit (the only case the writer
 * uses), 0 for every other byte: bit 4 says "valid". */
static const unsigned char hex_val[256] = {
	['0'] = 16, ['1'] = 17, ['2'] = 18, ['3'] = 19, ['4'] = 20,
	['5'] = 21, ['6'] = 22, ['7'] = 23, ['8'] = 24, ['9'] = 25,
	['a'] = 26, ['b'] = 27, ['c'] = 28, ['d'] = 29, ['e'] = 30,
	['f'] = 31,
};

/* Skips the n bytes of l if the line has them next. Inline, so that
 * the compiler turns each memcmp of a literal into a few compares. */
static inline int
sc_lit(struct sc *s, const char *l, size_t n)
{
	if ((size_t)(s->end - s->p) < n || memcmp(s->p, l, n) != 0)
		return 0;
	s->p += n;
	return 1;
}

#define SC_LIT(s, l) sc_lit((s), (l), sizeof(l) - 1)

/*
 * A decimal integer as out_u64/out_i64 print it: "0", or a digit 1-9 and
 * at most 18 more (so it fits 64 bits without overflow checks), after a
 * '-' when neg_ok and the value is not 0. *neg and *mag get sign and
 * magnitude. "-0", "-" or 20 digits return 0; so do "007" and "1e3" in
 * effect, since the literal that must follow a number starts with ','.
 */
static int
sc_int(struct sc *s, int neg_ok, int *neg, uint64_t *mag)
{
	const unsigned char *p = s->p;
	uint64_t m;
	int i;

	*neg = 0;
	if (*p == '-') {
		if (!neg_ok)
			return 0;
		*neg = 1;
		p++;
	}
	if (*p == '0') {
		if (*neg)
			return 0;
		*mag = 0;
		s->p = p + 1;
		return 1;
	}
	if (*p < '1' || *p > '9')
		return 0;
	m = (uint64_t)(*p++ - '0');
	for (i = 1; *p >= '0' && *p <= '9'; i++, p++) {
		if (i == 19)
			return 0;
		m = m * 10 + (uint64_t)(*p - '0');
	}
	*mag = m;
	s->p = p;
	return 1;
}

/* A non-negative integer up to max. */
static int
sc_u64(struct sc *s, uint64_t max, uint64_t *out)
{
	int neg;

	return sc_int(s, 0, &neg, out) && *out <= max;
}

/* Any 64-bit integer. */
static int
sc_i64(struct sc *s, int64_t *out)
{
	uint64_t m;
	int neg;

	if (!sc_int(s, 1, &neg, &m))
		return 0;
	if (neg) {
		if (m > (uint64_t)INT64_MAX + 1)
			return 0;
		*out = m == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)m;
	} else {
		if (m > (uint64_t)INT64_MAX)
			return 0;
		*out = (int64_t)m;
	}
	return 1;
}

/* A node or link id: -1, or below n (and INT32_MAX). */
static int
sc_id(struct sc *s, size_t n, int32_t *out)
{
	uint64_t m;
	int neg;

	if (!sc_int(s, 1, &neg, &m))
		return 0;
	if (neg) {
		if (m != 1)
			return 0;
		*out = -1;
		return 1;
	}
	if (m >= n || m > INT32_MAX)
		return 0;
	*out = (int32_t)m;
	return 1;
}

/* One of the n names, then its closing quote (the opening one is part
 * of the literal before); *out gets its index. A name never holds a
 * quote, a backslash or a control byte, so a line with one inside the
 * string matches no name. */
static int
sc_name(struct sc *s, const char *const *names, const unsigned char *lens,
    int n, uint8_t *out)
{
	const unsigned char *q = memchr(s->p, '"', (size_t)(s->end - s->p));
	size_t len;
	int i;

	if (q == NULL)
		return 0;
	len = (size_t)(q - s->p);
	for (i = 0; i < n; i++) {
		if (lens[i] == len && memcmp(names[i], s->p, len) == 0) {
			*out = (uint8_t)i;
			s->p = q + 1;
			return 1;
		}
	}
	return 0;
}

/*
 * The summary's text up to its closing quote, with out_str's escapes
 * only: \" and \\, and \u00XX in lowercase for a control byte (01-1f)
 * or DEL. Anything else escaped (\n, \/, \u0041, \u0000), a raw control
 * byte, or more than TRACE_FILE_SUMMARY_MAX bytes decoded returns 0.
 * out holds TRACE_FILE_SUMMARY_MAX + 1 bytes.
 */
static int
sc_summary(struct sc *s, char *out)
{
	const unsigned char *p = s->p;
	unsigned hi, lo;
	size_t k = 0;
	unsigned char c;

	for (;;) {
		c = *p;
		if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f) {
			p++;
		} else if (c == '"') {
			break;
		} else if (c != '\\') {
			return 0;	/* a raw control byte or the end */
		} else if (p[1] == '"' || p[1] == '\\') {
			c = p[1];
			p += 2;
		} else if (p[1] == 'u' && p[2] == '0' && p[3] == '0' &&
		    (hi = hex_val[p[4]]) != 0 && (lo = hex_val[p[5]]) != 0) {
			c = (unsigned char)((hi & 15) << 4 | (lo & 15));
			if ((c == 0 || c >= 0x20) && c != 0x7f)
				return 0;
			p += 6;
		} else {
			return 0;
		}
		if (k == TRACE_FILE_SUMMARY_MAX)
			return 0;
		out[k++] = (char)c;
	}
	out[k] = '\0';
	s->p = p + 1;
	return 1;
}

/* The hex payload up to its closing quote: an even number of lowercase
 * digits, at most TRACE_FILE_PAYLOAD_MAX bytes decoded into out. */
static int
sc_hex(struct sc *s, uint8_t *out, uint32_t *len)
{
	const unsigned char *p = s->p;
	const unsigned char *q = memchr(p, '"', (size_t)(s->end - p));
	unsigned ok = 16, x, y;
	size_t n, i;

	if (q == NULL)
		return 0;
	n = (size_t)(q - p) / 2;
	if ((q - p) % 2 != 0 || n > TRACE_FILE_PAYLOAD_MAX)
		return 0;
	/* Decode first, judge once at the end: no branch per byte. */
	for (i = 0; i < n; i++) {
		x = hex_val[p[2 * i]];
		y = hex_val[p[2 * i + 1]];
		ok &= x & y;
		out[i] = (uint8_t)((x & 15) << 4 | (y & 15));
	}
	if (ok == 0)
		return 0;
	*len = (uint32_t)n;
	s->p = q + 1;
	return 1;
}

int
trace_file_scan_event(const char *line, size_t len,
    const struct trace_file_scan_ref *ref, struct trace_file_scan_buf *buf,
    struct trace_event *ev)
{
	struct sc s;
	uint64_t u;

	s.p = (const unsigned char *)line;
	s.end = s.p + len;
	memset(ev, 0, sizeof *ev);
	if (!SC_LIT(&s, "{\"seq\": ") || !sc_u64(&s, UINT64_MAX, &u) ||
	    u != ref->k)
		return 0;
	if (!SC_LIT(&s, ", \"t_ns\": ") || !sc_u64(&s, INT64_MAX, &u) ||
	    (ref->k > 0 && (sim_time)u < ref->prev_t))
		return 0;
	ev->t = (sim_time)u;
	if (!SC_LIT(&s, ", \"kind\": \"") ||
	    !sc_name(&s, kind_names, kind_lens, TRACE_KIND_COUNT_, &ev->kind) ||
	    !SC_LIT(&s, ", \"node\": ") || !sc_id(&s, ref->nnodes, &ev->node) ||
	    !SC_LIT(&s, ", \"peer\": ") || !sc_id(&s, ref->nnodes, &ev->peer) ||
	    !SC_LIT(&s, ", \"link\": ") || !sc_id(&s, ref->nlinks, &ev->link) ||
	    !SC_LIT(&s, ", \"proto\": \"") ||
	    !sc_name(&s, proto_names, proto_lens, TRACE_PROTO_COUNT_,
	    &ev->proto))
		return 0;
	if (!SC_LIT(&s, ", \"flags\": ") || !sc_u64(&s, UINT16_MAX, &u))
		return 0;
	ev->flags = (uint16_t)u;
	if (!SC_LIT(&s, ", \"a\": ") || !sc_i64(&s, &ev->a) ||
	    !SC_LIT(&s, ", \"b\": ") || !sc_i64(&s, &ev->b) ||
	    !SC_LIT(&s, ", \"c\": ") || !sc_i64(&s, &ev->c) ||
	    !SC_LIT(&s, ", \"summary\": \"") || !sc_summary(&s, buf->summary) ||
	    !SC_LIT(&s, ", \"hex\": \"") ||
	    !sc_hex(&s, buf->payload, &ev->len) ||
	    !SC_LIT(&s, "}") || s.p != s.end)
		return 0;
	ev->summary = buf->summary;
	ev->data = ev->len > 0 ? buf->payload : NULL;
	return 1;
}
