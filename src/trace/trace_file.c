/* trace_file.c - trace files as JSON Lines (docs/trace-format.md).
 *
 * The writer prints every line by hand so that the same trace always gives
 * the same bytes. An event line exactly as the writer prints it is read by
 * the scanner in trace_file_scan.c; every other line (the header, lines
 * written by other tools, bad lines) is parsed with cJSON and then each
 * field checked; since cJSON keeps numbers only as doubles, which cannot
 * hold every 64-bit seed or time, integers are converted from their
 * literal text in the line (see num_walk). Errors come from this path
 * only, so they do not depend on which path a line took. */
#include "trace/trace_file.h"
#include "trace/trace_file_int.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "util/nl.h"

#if defined(__GNUC__)
#define TF_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define TF_PRINTF(f, a)
#endif

static const char hex_digits[] = "0123456789abcdef";

/* Two characters per byte value, and per number below 100: the writer
 * puts two at a time. */
static const char hex_pairs[] =
	"000102030405060708090a0b0c0d0e0f"
	"101112131415161718191a1b1c1d1e1f"
	"202122232425262728292a2b2c2d2e2f"
	"303132333435363738393a3b3c3d3e3f"
	"404142434445464748494a4b4c4d4e4f"
	"505152535455565758595a5b5c5d5e5f"
	"606162636465666768696a6b6c6d6e6f"
	"707172737475767778797a7b7c7d7e7f"
	"808182838485868788898a8b8c8d8e8f"
	"909192939495969798999a9b9c9d9e9f"
	"a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"
	"b0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
	"c0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
	"d0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
	"e0e1e2e3e4e5e6e7e8e9eaebecedeeef"
	"f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";
static const char dec_pairs[] =
	"0001020304050607080910111213141516171819"
	"2021222324252627282930313233343536373839"
	"4041424344454647484950515253545556575859"
	"6061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* ==================================================================== */
/* Writer                                                               */
/* ==================================================================== */

/*
 * The put_* functions write at q, which has room (the caller sees to
 * it), and return the end of what they wrote; the out_* functions below
 * build a line of unknown length (the header) in a capped buffer.
 */

/* Copies n bytes. */
static char *
put_raw(char *q, const char *s, size_t n)
{
	memcpy(q, s, n);
	return q + n;
}

#define PUT_LIT(q, l) put_raw((q), (l), sizeof(l) - 1)

/* Decimal, exact, no locale involved: at most 20 bytes. */
static char *
put_u64(char *q, uint64_t v)
{
	char d[20];
	size_t i = sizeof d;

	while (v >= 100) {
		i -= 2;
		memcpy(d + i, dec_pairs + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10) {
		i -= 2;
		memcpy(d + i, dec_pairs + 2 * v, 2);
	} else {
		d[--i] = (char)('0' + v);
	}
	return put_raw(q, d + i, sizeof d - i);
}

/* At most 20 bytes too ("-9223372036854775808"). */
static char *
put_i64(char *q, int64_t v)
{
	if (v >= 0)
		return put_u64(q, (uint64_t)v);
	*q++ = '-';
	/* -(v + 1) + 1 cannot overflow, even for INT64_MIN. */
	return put_u64(q, (uint64_t)(-(v + 1)) + 1);
}

/*
 * The n bytes at s inside a JSON string: quote and backslash escaped,
 * control characters (and DEL) as \u00XX, every other byte (UTF-8
 * included) as it is. At most 6 bytes out for each byte in.
 */
static char *
put_esc(char *q, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;
	const unsigned char *e = p + n;

	for (; p < e; p++) {
		if (*p >= 0x20 && *p != '"' && *p != '\\' && *p != 0x7f)
			continue;
		q = put_raw(q, (const char *)run, (size_t)(p - run));
		if (*p == '"' || *p == '\\') {
			*q++ = '\\';
			*q++ = (char)*p;
		} else {
			q = PUT_LIT(q, "\\u00");
			*q++ = hex_digits[*p >> 4];
			*q++ = hex_digits[*p & 15];
		}
		run = p + 1;
	}
	return put_raw(q, (const char *)run, (size_t)(e - run));
}

/* Lowercase hex of n bytes: 2n bytes. */
static char *
put_hex(char *q, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		memcpy(q + 2 * i, hex_pairs + 2 * p[i], 2);
	return q + 2 * n;
}

/* One line being built. After the first failure every put is skipped
 * (the buffer has freed itself), so callers check st once at the end. */
struct tf_out {
	struct nl_dbuf b;	/* the line, capped at TRACE_FILE_LINE_MAX */
	enum nl_status st;	/* first failure, NL_OK so far */
};

static void
out_raw(struct tf_out *o, const char *p, size_t n)
{
	if (o->st == NL_OK)
		o->st = nl_dbuf_add(&o->b, p, n);
}

static void
out_lit(struct tf_out *o, const char *s)
{
	out_raw(o, s, strlen(s));
}

static void
out_u64(struct tf_out *o, uint64_t v)
{
	char d[20];

	out_raw(o, d, (size_t)(put_u64(d, v) - d));
}

static void
out_i64(struct tf_out *o, int64_t v)
{
	char d[20];

	out_raw(o, d, (size_t)(put_i64(d, v) - d));
}

/* A JSON string (put_esc), a chunk of s at a time. */
static void
out_str(struct tf_out *o, const char *s)
{
	char chunk[6 * 256];
	size_t n = strlen(s), k;

	out_raw(o, "\"", 1);
	while (n > 0) {
		k = n < 256 ? n : 256;
		out_raw(o, chunk, (size_t)(put_esc(chunk, s, k) - chunk));
		s += k;
		n -= k;
	}
	out_raw(o, "\"", 1);
}

/*
 * A finite double, as the shortest of %.15g, %.16g, %.17g that reads back
 * to the same value (so 0.1 prints "0.1", and every value round-trips).
 * printf and strtod follow LC_NUMERIC, so both see the locale's decimal
 * point, which is then replaced by '.'.
 */
static void
out_double(struct tf_out *o, double v)
{
	char buf[64], *q;
	const char *dp;
	size_t dl;
	int prec;

	for (prec = 15; prec <= 17; prec++) {
		snprintf(buf, sizeof buf, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	dp = localeconv()->decimal_point;
	if (dp != NULL && dp[0] != '\0' && strcmp(dp, ".") != 0 &&
	    (q = strstr(buf, dp)) != NULL) {
		dl = strlen(dp);
		*q = '.';
		memmove(q + 1, q + dl, strlen(q + dl) + 1);
	}
	out_lit(o, buf);
}

/* A host-order IPv4 address as a quoted dotted quad. */
static void
out_addr(struct tf_out *o, uint32_t a)
{
	char buf[24];

	snprintf(buf, sizeof buf, "\"%u.%u.%u.%u\"", (unsigned)(a >> 24),
	    (unsigned)(a >> 16 & 255), (unsigned)(a >> 8 & 255),
	    (unsigned)(a & 255));
	out_lit(o, buf);
}

/* Line 1. nevents is passed in so that the reader can write back the
 * header it has just read, before the events are there. */
static void
header_put(struct tf_out *o, const struct trace *t, uint64_t nevents)
{
	size_t i, j, nn = trace_node_count(t), nl = trace_link_count(t);

	out_lit(o, "{\"netlab_trace\": ");
	out_u64(o, TRACE_FILE_VERSION);
	out_lit(o, ", \"scenario\": ");
	out_str(o, trace_scenario(t));
	out_lit(o, ", \"title\": ");
	out_str(o, trace_title(t));
	out_lit(o, ", \"seed\": ");
	out_u64(o, trace_seed(t));
	out_lit(o, ", \"nodes\": [");
	for (i = 0; i < nn; i++) {
		const struct trace_node *n = trace_node(t, (int32_t)i);

		out_lit(o, i > 0 ? ", {\"id\": " : "{\"id\": ");
		out_u64(o, i);
		out_lit(o, ", \"name\": ");
		out_str(o, n->name);
		out_lit(o, ", \"kind\": ");
		out_str(o, n->kind);
		out_lit(o, ", \"addrs\": [");
		for (j = 0; j < n->naddrs; j++) {
			if (j > 0)
				out_raw(o, ", ", 2);
			out_addr(o, n->addrs[j]);
		}
		out_lit(o, "]}");
	}
	out_lit(o, "], \"links\": [");
	for (i = 0; i < nl; i++) {
		const struct trace_link *l = trace_link(t, (int32_t)i);

		out_lit(o, i > 0 ? ", {\"id\": " : "{\"id\": ");
		out_u64(o, i);
		out_lit(o, ", \"name\": ");
		out_str(o, l->name);
		out_lit(o, ", \"a\": ");
		out_i64(o, l->a);
		out_lit(o, ", \"b\": ");
		out_i64(o, l->b);
		out_lit(o, ", \"delay_ns\": ");
		out_i64(o, l->delay);
		out_lit(o, ", \"bandwidth\": ");
		out_u64(o, l->bandwidth);
		out_lit(o, ", \"loss\": ");
		out_double(o, l->loss);
		out_lit(o, ", \"queue\": ");
		out_u64(o, l->queue);
		out_lit(o, "}");
	}
	out_lit(o, "], \"events\": ");
	out_u64(o, nevents);
	out_lit(o, "}");
}

/* Bytes an event line takes at most besides its summary and payload:
 * the keys (under 140), nine numbers of up to 20 characters, two names
 * and the newline come to under 400. */
#define TF_EVENT_FIXED 512

/* The bytes the event line of ev can take, newline included;
 * slen = strlen of its summary. */
static size_t
event_bound(const struct trace_event *ev, size_t slen)
{
	return TF_EVENT_FIXED + 6 * slen + 2 * (size_t)ev->len;
}

/* One event line and its newline at q, which has event_bound bytes;
 * every key always, in this order (the reader's scanner in
 * trace_file_scan.c expects exactly this shape). */
static char *
event_put(char *q, const struct trace_event *ev, const char *summary,
    size_t slen)
{
	const char *name;

	q = PUT_LIT(q, "{\"seq\": ");
	q = put_u64(q, ev->seq);
	q = PUT_LIT(q, ", \"t_ns\": ");
	q = put_i64(q, ev->t);
	q = PUT_LIT(q, ", \"kind\": \"");
	name = trace_kind_str((enum trace_kind)ev->kind);
	q = put_raw(q, name, strlen(name));
	q = PUT_LIT(q, "\", \"node\": ");
	q = put_i64(q, ev->node);
	q = PUT_LIT(q, ", \"peer\": ");
	q = put_i64(q, ev->peer);
	q = PUT_LIT(q, ", \"link\": ");
	q = put_i64(q, ev->link);
	q = PUT_LIT(q, ", \"proto\": \"");
	name = trace_proto_str((enum trace_proto)ev->proto);
	q = put_raw(q, name, strlen(name));
	q = PUT_LIT(q, "\", \"flags\": ");
	q = put_u64(q, ev->flags);
	q = PUT_LIT(q, ", \"a\": ");
	q = put_i64(q, ev->a);
	q = PUT_LIT(q, ", \"b\": ");
	q = put_i64(q, ev->b);
	q = PUT_LIT(q, ", \"c\": ");
	q = put_i64(q, ev->c);
	q = PUT_LIT(q, ", \"summary\": \"");
	q = put_esc(q, summary, slen);
	q = PUT_LIT(q, "\", \"hex\": \"");
	if (ev->data != NULL)
		q = put_hex(q, ev->data, ev->len);
	return PUT_LIT(q, "\"}\n");
}

/* Whether id is -1 or one of the n table entries. */
static int
id_ok(int32_t id, size_t n)
{
	return id == -1 || (id >= 0 && (size_t)id < n);
}

/*
 * Refuses, before a byte is written, a trace the reader would refuse, so
 * that every file we write reads back. NL_EINVAL or NL_ELIMIT as
 * described in trace_file.h.
 */
static enum nl_status
write_check(const struct trace *t)
{
	size_t i, nn = trace_node_count(t), nl = trace_link_count(t);
	const struct trace_event *ev;

	for (i = 0; i < nl; i++) {
		const struct trace_link *l = trace_link(t, (int32_t)i);

		if (l->a < 0 || (size_t)l->a >= nn || l->b < 0 ||
		    (size_t)l->b >= nn || l->delay < 0 ||
		    !(l->loss >= 0.0 && l->loss <= 1.0))
			return NL_EINVAL;
	}
	for (i = 0; (ev = trace_at(t, i)) != NULL; i++) {
		if (ev->t < 0 || ev->kind >= TRACE_KIND_COUNT_ ||
		    ev->proto >= TRACE_PROTO_COUNT_ ||
		    !id_ok(ev->node, nn) || !id_ok(ev->peer, nn) ||
		    !id_ok(ev->link, nl) ||
		    (ev->len > 0 && ev->data == NULL))
			return NL_EINVAL;
		if (ev->len > TRACE_FILE_PAYLOAD_MAX ||
		    (ev->summary != NULL &&
		    strlen(ev->summary) > TRACE_FILE_SUMMARY_MAX))
			return NL_ELIMIT;
	}
	return NL_OK;
}

/* Bytes the writer gathers before each fwrite; more than the longest
 * event line (event_bound of the largest summary and payload). */
#define TF_WBLOCK (1u << 20)

enum nl_status
trace_file_write(const struct trace *t, FILE *f)
{
	struct tf_out o;
	const struct trace_event *ev;
	const char *summary;
	char *blk = NULL;
	size_t i, used = 0, slen, need;
	enum nl_status st;

	st = write_check(t);
	if (st != NL_OK)
		return st;
	/* Everything that can fail on memory, before the first byte. */
	nl_dbuf_init(&o.b, TRACE_FILE_LINE_MAX);
	o.st = NL_OK;
	header_put(&o, t, trace_count(t));
	if ((st = o.st) != NL_OK)
		goto done;
	blk = nl_alloc(TF_WBLOCK);
	if (blk == NULL) {
		st = NL_ENOMEM;
		goto done;
	}
	if (fwrite(o.b.data, 1, o.b.len, f) != o.b.len ||
	    putc('\n', f) == EOF) {
		st = NL_EIO;
		goto done;
	}
	/* Lines go into blk, and blk to f when the next line may not fit:
	 * one fwrite per block rather than one per line. */
	for (i = 0; (ev = trace_at(t, i)) != NULL; i++) {
		summary = ev->summary != NULL ? ev->summary : "";
		slen = strlen(summary);
		need = event_bound(ev, slen);
		if (NL_NEVER(need > TF_WBLOCK)) {	/* write_check */
			st = NL_ELIMIT;
			goto done;
		}
		if (TF_WBLOCK - used < need) {
			if (fwrite(blk, 1, used, f) != used) {
				st = NL_EIO;
				goto done;
			}
			used = 0;
		}
		used = (size_t)(event_put(blk + used, ev, summary, slen) - blk);
	}
	if (used > 0 && fwrite(blk, 1, used, f) != used)
		st = NL_EIO;
done:
	nl_free(blk);
	nl_dbuf_free(&o.b);
	return st;
}

enum nl_status
trace_file_save(const struct trace *t, const char *path)
{
	enum nl_status st;
	FILE *f;

	/* Refuse a bad trace before the old file is clobbered. */
	st = write_check(t);
	if (st != NL_OK)
		return st;
	f = fopen(path, "wb");
	if (f == NULL)
		return NL_EIO;
	st = trace_file_write(t, f);
	if (fclose(f) != 0 && st == NL_OK)
		st = NL_EIO;
	if (st != NL_OK)
		remove(path);
	return st;
}

/* ==================================================================== */
/* Reader                                                               */
/* ==================================================================== */

#define TF_BLOCK 65536		/* bytes read from the FILE at a time */
#define TF_DEPTH_MAX 1100	/* guard above cJSON's own nesting limit */
#define TF_SHOW_MAX 40		/* bytes of a bad value quoted in a message */
#define TF_SHOW_BUF (TF_SHOW_MAX * 6 + 32)	/* room to quote them */

/* The reader's state; on the heap because of its two big buffers. */
struct tf_in {
	FILE *f;			/* the file, not owned */
	char *err;			/* caller's message buffer, may be NULL */
	size_t errlen;			/* its size */
	unsigned long lineno;		/* number of the line in `line` */
	struct nl_dbuf line;		/* the current line, no newline */
	size_t blen;			/* bytes in blk */
	size_t bpos;			/* next byte of blk to use */
	int eof;			/* fread has reached the end */
	char blk[TF_BLOCK];		/* read-ahead */
	struct trace_file_scan_buf scan; /* decoded summary and "hex" */
};

static int tf_slow;		/* trace_file_set_slow */

void
trace_file_set_slow(int on)
{
	tf_slow = on;
}

/* Writes "line N: <message>" to the caller's buffer; returns st. */
static enum nl_status fail(struct tf_in *in, enum nl_status st,
    const char *fmt, ...) TF_PRINTF(3, 4);

static enum nl_status
fail(struct tf_in *in, enum nl_status st, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (in->err == NULL || in->errlen == 0)
		return st;
	n = snprintf(in->err, in->errlen, "line %lu: ", in->lineno);
	if (n >= 0 && (size_t)n < in->errlen) {
		va_start(ap, fmt);
		vsnprintf(in->err + n, in->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return st;
}

/*
 * Reads the next line into in->line, without its newline, refusing it
 * past TRACE_FILE_LINE_MAX bytes (nothing beyond is kept). Returns 1 for
 * a line, 0 at the end of the file, -1 on failure (*st set, reported).
 */
static int
read_line(struct tf_in *in, enum nl_status *st)
{
	const char *p, *nl;
	size_t n, take;
	int any = 0;

	nl_dbuf_reset(&in->line);
	in->lineno++;
	for (;;) {
		if (in->bpos == in->blen) {
			if (in->eof)
				break;
			in->bpos = 0;
			in->blen = fread(in->blk, 1, sizeof in->blk, in->f);
			if (in->blen < sizeof in->blk) {
				if (ferror(in->f)) {
					*st = fail(in, NL_EIO, "read error");
					return -1;
				}
				in->eof = 1;
			}
			if (in->blen == 0)
				break;
		}
		any = 1;
		p = in->blk + in->bpos;
		n = in->blen - in->bpos;
		nl = memchr(p, '\n', n);
		take = nl != NULL ? (size_t)(nl - p) : n;
		if (take > TRACE_FILE_LINE_MAX - in->line.len) {
			*st = fail(in, NL_ELIMIT, "longer than %u bytes",
			    TRACE_FILE_LINE_MAX);
			return -1;
		}
		if (take > 0) {
			*st = nl_dbuf_add(&in->line, p, take);
			if (*st != NL_OK) {
				*st = fail(in, *st, "out of memory");
				return -1;
			}
		}
		in->bpos += take;
		if (nl != NULL) {
			in->bpos++;
			return 1;
		}
	}
	return any;
}

/* The text of the current line (never NULL once it is not empty). */
static const char *
line_text(const struct tf_in *in)
{
	return in->line.data != NULL ? (const char *)in->line.data : "";
}

/* From p, the start of the next number literal outside a string, or
 * NULL. Only used on text cJSON has accepted, so strings are closed. */
static const char *
num_next(const char *p)
{
	for (; *p != '\0'; p++) {
		if (*p == '"') {
			for (p++; *p != '\0' && *p != '"'; p++)
				if (*p == '\\' && p[1] != '\0')
					p++;
			if (*p == '\0')
				return NULL;
		} else if (*p == '-' || (*p >= '0' && *p <= '9')) {
			return p;
		}
	}
	return NULL;
}

/* Length of the number literal at p: the characters cJSON takes. */
static size_t
num_len(const char *p)
{
	size_t n = 0;

	while ((p[n] >= '0' && p[n] <= '9') || p[n] == '-' || p[n] == '+' ||
	    p[n] == '.' || p[n] == 'e' || p[n] == 'E')
		n++;
	return n;
}

/*
 * Records in each number item's valueint (which we never use otherwise)
 * the offset of its literal in the line. It works because cJSON keeps
 * children in document order, so a pre-order walk meets the number items
 * in the order their literals appear; outside strings, a number literal is
 * the only thing that starts with '-' or a digit. -1 if nested past
 * TF_DEPTH_MAX (cJSON refuses that first) or out of step (cannot happen).
 */
static int
num_walk(cJSON *item, const char *text, const char **pos, int depth)
{
	const char *p;

	for (; item != NULL; item = item->next) {
		if (cJSON_IsNumber(item)) {
			p = num_next(*pos);
			if (NL_NEVER(p == NULL))
				return -1;
			item->valueint = (int)(p - text);
			*pos = p + num_len(p);
		} else if (item->child != NULL) {
			if (depth >= TF_DEPTH_MAX ||
			    num_walk(item->child, text, pos, depth + 1) < 0)
				return -1;
		}
	}
	return 0;
}

/*
 * Quotes s for a message like a JSON string, cutting it after about
 * TF_SHOW_MAX bytes (on a UTF-8 boundary) with "...". size must be at
 * least TF_SHOW_BUF: at most TF_SHOW_MAX + 3 bytes of s are shown, each
 * as at most 6 characters.
 */
static void
show_str(const char *s, char *buf, size_t size)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t k = 0, i;

	if (NL_NEVER(size < TF_SHOW_BUF)) {
		if (size > 0)
			buf[0] = '\0';
		return;
	}
	buf[k++] = '"';
	for (i = 0; p[i] != '\0'; i++) {
		/* Past the limit, stop before a byte that starts a
		 * character; a UTF-8 character has at most 3 more. */
		if (i >= TF_SHOW_MAX &&
		    ((p[i] & 0xc0) != 0x80 || i >= TF_SHOW_MAX + 3)) {
			memcpy(buf + k, "...", 3);
			k += 3;
			break;
		}
		if (p[i] == '"' || p[i] == '\\') {
			buf[k++] = '\\';
			buf[k++] = (char)p[i];
		} else if (p[i] < 0x20 || p[i] == 0x7f) {
			buf[k++] = '\\';
			buf[k++] = 'u';
			buf[k++] = '0';
			buf[k++] = '0';
			buf[k++] = hex_digits[p[i] >> 4];
			buf[k++] = hex_digits[p[i] & 15];
		} else {
			buf[k++] = (char)p[i];
		}
	}
	buf[k++] = '"';
	buf[k] = '\0';
}

/* What a message calls a value that is not what was expected. */
static const char *
show_value(const struct tf_in *in, const cJSON *v, char *buf, size_t size)
{
	const char *lit;
	size_t n;

	if (cJSON_IsString(v)) {
		show_str(v->valuestring, buf, size);
	} else if (cJSON_IsNumber(v)) {
		lit = line_text(in) + v->valueint;
		n = num_len(lit);
		if (n > TF_SHOW_MAX)
			snprintf(buf, size, "%.*s...", TF_SHOW_MAX, lit);
		else
			snprintf(buf, size, "%.*s", (int)n, lit);
	} else if (cJSON_IsTrue(v)) {
		snprintf(buf, size, "true");
	} else if (cJSON_IsFalse(v)) {
		snprintf(buf, size, "false");
	} else if (cJSON_IsNull(v)) {
		snprintf(buf, size, "null");
	} else if (cJSON_IsArray(v)) {
		snprintf(buf, size, "an array");
	} else {
		snprintf(buf, size, "an object");
	}
	return buf;
}

/* "expected WHAT, found X" about the value at path. */
static enum nl_status
fail_expect(struct tf_in *in, const char *path, const char *what,
    const cJSON *v)
{
	char buf[TF_SHOW_BUF];

	return fail(in, NL_EMALFORMED, "\"%s\": expected %s, found %s", path,
	    what, show_value(in, v, buf, sizeof buf));
}

/*
 * The integer value of a number item: 0 with *neg and *mag set; 1 if it is
 * not an integer; 2 when its magnitude is over UINT64_MAX. A plain
 * literal ("-12") is converted exactly; one with a fraction or exponent
 * ("1.5e3") is taken from cJSON's double, if that is integral.
 */
static int
num_int(const struct tf_in *in, const cJSON *v, int *neg, uint64_t *mag)
{
	const char *s = line_text(in) + v->valueint;
	uint64_t m = 0, d;
	size_t i = 0;
	int over = 0, n = 0;
	double x;

	if (s[0] == '-') {
		n = 1;
		i = 1;
	}
	for (; s[i] >= '0' && s[i] <= '9'; i++) {
		d = (uint64_t)(s[i] - '0');
		if (m > (UINT64_MAX - d) / 10)
			over = 1;
		else
			m = m * 10 + d;
	}
	if (s[i] == '.' || s[i] == 'e' || s[i] == 'E') {
		x = v->valuedouble;
		if (isinf(x))
			return 2;
		if (isnan(x) || x != floor(x))
			return 1;
		if (fabs(x) >= 18446744073709551616.0)
			return 2;
		*neg = x < 0;
		*mag = (uint64_t)fabs(x);
		return 0;
	}
	if (over)
		return 2;
	*neg = n && m != 0;
	*mag = m;
	return 0;
}

/* Reads v, at path, as an integer in [min, max]; what is the phrase the
 * error uses ("a non-negative integer"). */
static enum nl_status
get_i64(struct tf_in *in, const cJSON *v, const char *path, int64_t min,
    int64_t max, const char *what, int64_t *out)
{
	uint64_t mag;
	int64_t x;
	int neg;

	*out = 0;
	if (!cJSON_IsNumber(v) || num_int(in, v, &neg, &mag) != 0)
		return fail_expect(in, path, what, v);
	if (neg) {
		if (mag > (uint64_t)INT64_MAX + 1)
			return fail_expect(in, path, what, v);
		x = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN :
		    -(int64_t)mag;
	} else {
		if (mag > (uint64_t)INT64_MAX)
			return fail_expect(in, path, what, v);
		x = (int64_t)mag;
	}
	if (x < min || x > max)
		return fail_expect(in, path, what, v);
	*out = x;
	return NL_OK;
}

/* The same for an unsigned integer in [0, max]. */
static enum nl_status
get_u64(struct tf_in *in, const cJSON *v, const char *path, uint64_t max,
    const char *what, uint64_t *out)
{
	uint64_t mag;
	int neg;

	*out = 0;
	if (!cJSON_IsNumber(v) || num_int(in, v, &neg, &mag) != 0 || neg ||
	    mag > max)
		return fail_expect(in, path, what, v);
	*out = mag;
	return NL_OK;
}

/* A string value; *out points into the tree. */
static enum nl_status
get_str(struct tf_in *in, const cJSON *v, const char *path,
    const char **out)
{
	*out = "";
	if (!cJSON_IsString(v) || v->valuestring == NULL)
		return fail_expect(in, path, "a string", v);
	*out = v->valuestring;
	return NL_OK;
}

/*
 * Checks that object obj (at `where`, "" at the top or "nodes[2]") has
 * each of the nkeys keys exactly once and no other; vals[i] gets the
 * value of keys[i].
 */
static enum nl_status
get_keys(struct tf_in *in, const cJSON *obj, const char *where,
    const char *const *keys, size_t nkeys, const cJSON **vals)
{
	char buf[TF_SHOW_BUF], pre[64];
	const cJSON *c;
	size_t i;

	pre[0] = '\0';
	if (where[0] != '\0')
		snprintf(pre, sizeof pre, "\"%s\": ", where);
	for (i = 0; i < nkeys; i++)
		vals[i] = NULL;
	for (c = obj->child; c != NULL; c = c->next) {
		const char *k = c->string != NULL ? c->string : "";

		for (i = 0; i < nkeys; i++)
			if (strcmp(k, keys[i]) == 0)
				break;
		if (i == nkeys) {
			show_str(k, buf, sizeof buf);
			return fail(in, NL_EMALFORMED, "%sunknown key %s",
			    pre, buf);
		}
		if (vals[i] != NULL)
			return fail(in, NL_EMALFORMED,
			    "%sduplicate key \"%s\"", pre, keys[i]);
		vals[i] = c;
	}
	for (i = 0; i < nkeys; i++)
		if (vals[i] == NULL)
			return fail(in, NL_EMALFORMED, "%smissing \"%s\"",
			    pre, keys[i]);
	return NL_OK;
}

/*
 * Parses the current line as a JSON object and marks its number literals.
 * On success *out is the tree (the caller deletes it).
 */
static int tf_json_oom;		/* set when cJSON's allocation failed */

/* cJSON allocates through netlab's allocator, so that running out of
 * memory is told apart from a line that is not JSON. */
static void *
tf_json_alloc(size_t n)
{
	void *p = nl_alloc(n);

	if (p == NULL)
		tf_json_oom = 1;
	return p;
}

static void
tf_json_free(void *p)
{
	nl_free(p);
}

static enum nl_status
parse_line(struct tf_in *in, int header, cJSON **out)
{
	const char *text = line_text(in), *end = NULL, *pos;
	const char *pre = header ? "not a netlab trace (" : "";
	const char *post = header ? ")" : "";
	char buf[TF_SHOW_BUF];
	cJSON_Hooks hooks = { tf_json_alloc, tf_json_free };
	cJSON *root;

	*out = NULL;
	if (in->line.len == 0)
		return fail(in, NL_EMALFORMED, "empty line");
	if (memchr(text, '\0', in->line.len) != NULL)
		return fail(in, NL_EMALFORMED, "%sa NUL byte in the line%s",
		    pre, post);
	cJSON_InitHooks(&hooks);
	tf_json_oom = 0;
	root = cJSON_ParseWithOpts(text, &end, 1);
	if (tf_json_oom) {
		cJSON_Delete(root);
		return fail(in, NL_ENOMEM, "out of memory");
	}
	if (root == NULL) {
		size_t col = end != NULL && end >= text ?
		    (size_t)(end - text) + 1 : 1;

		return fail(in, NL_EMALFORMED,
		    "%snot valid JSON at column %zu%s", pre, col, post);
	}
	if (!cJSON_IsObject(root)) {
		fail(in, NL_EMALFORMED, "%sexpected a JSON object, found %s%s",
		    pre, cJSON_IsNumber(root) ? "a number" :
		    show_value(in, root, buf, sizeof buf), post);
		cJSON_Delete(root);
		return NL_EMALFORMED;
	}
	pos = text;
	if (num_walk(root, text, &pos, 0) < 0) {
		cJSON_Delete(root);
		return fail(in, NL_EMALFORMED, "nested too deeply");
	}
	*out = root;
	return NL_OK;
}

/* trace_event.summary and trace_link.name are not const, but
 * trace_append and trace_link_add only read them (they copy). */
static char *
unconst(const char *s)
{
	return (char *)(uintptr_t)s;
}

/* A strict dotted quad: four decimal octets 0..255 without leading
 * zeros (which some parsers read as octal), nothing else. */
static int
addr_parse(const char *s, uint32_t *out)
{
	uint32_t a = 0, v;
	int i, digits;

	for (i = 0; i < 4; i++) {
		v = 0;
		for (digits = 0; *s >= '0' && *s <= '9'; s++, digits++) {
			if (digits == 3 || (digits == 1 && v == 0))
				return -1;
			v = v * 10 + (uint32_t)(*s - '0');
		}
		if (digits == 0 || v > 255)
			return -1;
		a = a << 8 | v;
		if (i < 3 && *s++ != '.')
			return -1;
	}
	if (*s != '\0')
		return -1;
	*out = a;
	return 0;
}

static const char *const header_keys[] = {
	"netlab_trace", "scenario", "title", "seed", "nodes", "links", "events"
};
enum { HK_VERSION, HK_SCENARIO, HK_TITLE, HK_SEED, HK_NODES, HK_LINKS,
	HK_EVENTS, HK_COUNT_ };	/* ORDER header_keys */

static const char *const node_keys[] = { "id", "name", "kind", "addrs" };
enum { NK_ID, NK_NAME, NK_KIND, NK_ADDRS, NK_COUNT_ };	/* ORDER node_keys */

static const char *const link_keys[] = {
	"id", "name", "a", "b", "delay_ns", "bandwidth", "loss", "queue"
};
enum { LK_ID, LK_NAME, LK_A, LK_B, LK_DELAY, LK_BANDWIDTH, LK_LOSS,
	LK_QUEUE, LK_COUNT_ };	/* ORDER link_keys */

static const char *const event_keys[] = {
	"seq", "t_ns", "kind", "node", "peer", "link", "proto", "flags",
	"a", "b", "c", "summary", "hex"
};
enum { EK_SEQ, EK_T, EK_KIND, EK_NODE, EK_PEER, EK_LINK, EK_PROTO,
	EK_FLAGS, EK_A, EK_B, EK_C, EK_SUMMARY, EK_HEX, EK_COUNT_ };
	/* ORDER event_keys */

/* The part the node and link entries share: entry i of a header array
 * is an object with exactly `keys` (into v, in that order; keys[0] is
 * "id" and keys[1] "name"), its "id" equals i, and *name is its name. */
static enum nl_status
read_entry(struct tf_in *in, const cJSON *obj, const char *where, size_t i,
    const char *const *keys, size_t nkeys, const cJSON **v,
    const char **name)
{
	char path[80];
	uint64_t id;
	enum nl_status st;

	if (!cJSON_IsObject(obj))
		return fail_expect(in, where, "an object", obj);
	st = get_keys(in, obj, where, keys, nkeys, v);
	if (st != NL_OK)
		return st;
	snprintf(path, sizeof path, "%s.id", where);
	st = get_u64(in, v[0], path, UINT64_MAX, "a non-negative integer",
	    &id);
	if (st != NL_OK)
		return st;
	if (id != i)
		return fail(in, NL_EMALFORMED, "\"%s\" is %llu, expected %zu",
		    path, (unsigned long long)id, i);
	snprintf(path, sizeof path, "%s.name", where);
	return get_str(in, v[1], path, name);
}

/* "nodes[i]" entry i of the header's node array into t. */
static enum nl_status
read_node(struct tf_in *in, struct trace *t, const cJSON *obj, size_t i)
{
	const cJSON *v[NK_COUNT_], *a;
	char where[48], path[80];
	const char *name, *kind;
	uint32_t addr;
	int32_t nid;
	size_t j = 0;
	enum nl_status st;

	snprintf(where, sizeof where, "nodes[%zu]", i);
	st = read_entry(in, obj, where, i, node_keys, NK_COUNT_, v, &name);
	if (st != NL_OK)
		return st;
	snprintf(path, sizeof path, "%s.kind", where);
	if ((st = get_str(in, v[NK_KIND], path, &kind)) != NL_OK)
		return st;
	snprintf(path, sizeof path, "%s.addrs", where);
	if (!cJSON_IsArray(v[NK_ADDRS]))
		return fail_expect(in, path, "an array", v[NK_ADDRS]);
	st = trace_node_add(t, name, kind, &nid);
	if (st != NL_OK)
		return fail(in, st, "out of memory");
	cJSON_ArrayForEach(a, v[NK_ADDRS]) {
		snprintf(path, sizeof path, "%s.addrs[%zu]", where, j++);
		if (!cJSON_IsString(a) || addr_parse(a->valuestring, &addr) != 0)
			return fail_expect(in, path,
			    "an IPv4 address like \"10.0.0.1\"", a);
		st = trace_node_addr_add(t, nid, addr);
		if (st != NL_OK)
			return fail(in, st, "out of memory");
	}
	return NL_OK;
}

/* A node id at path that must be one of the header's n nodes. */
static enum nl_status
get_node_ref(struct tf_in *in, const cJSON *v, const char *path,
    int64_t min, size_t n, int32_t *out)
{
	enum nl_status st;
	int64_t x;

	*out = -1;
	st = get_i64(in, v, path, min, INT32_MAX, min < 0 ?
	    "an integer from -1 to 2147483647" :
	    "an integer from 0 to 2147483647", &x);
	if (st != NL_OK)
		return st;
	if (x >= 0 && (uint64_t)x >= n)
		return fail(in, NL_EMALFORMED,
		    "\"%s\": %lld is not a node (the header has %zu)", path,
		    (long long)x, n);
	*out = (int32_t)x;
	return NL_OK;
}

/* "links[i]" entry i of the header's link array into t. */
static enum nl_status
read_link(struct tf_in *in, struct trace *t, const cJSON *obj, size_t i)
{
	const cJSON *v[LK_COUNT_];
	char where[48], path[80];
	struct trace_link l;
	const char *name;
	uint64_t u;
	int32_t lid;
	enum nl_status st;

	memset(&l, 0, sizeof l);
	snprintf(where, sizeof where, "links[%zu]", i);
	st = read_entry(in, obj, where, i, link_keys, LK_COUNT_, v, &name);
	if (st != NL_OK)
		return st;
	snprintf(path, sizeof path, "%s.a", where);
	st = get_node_ref(in, v[LK_A], path, 0, trace_node_count(t), &l.a);
	if (st != NL_OK)
		return st;
	snprintf(path, sizeof path, "%s.b", where);
	st = get_node_ref(in, v[LK_B], path, 0, trace_node_count(t), &l.b);
	if (st != NL_OK)
		return st;
	snprintf(path, sizeof path, "%s.delay_ns", where);
	st = get_i64(in, v[LK_DELAY], path, 0, INT64_MAX,
	    "a non-negative integer", &l.delay);
	if (st != NL_OK)
		return st;
	snprintf(path, sizeof path, "%s.bandwidth", where);
	st = get_u64(in, v[LK_BANDWIDTH], path, UINT64_MAX,
	    "a non-negative integer", &l.bandwidth);
	if (st != NL_OK)
		return st;
	snprintf(path, sizeof path, "%s.loss", where);
	if (!cJSON_IsNumber(v[LK_LOSS]) ||
	    !(v[LK_LOSS]->valuedouble >= 0.0 &&
	    v[LK_LOSS]->valuedouble <= 1.0))
		return fail_expect(in, path, "a number from 0 to 1",
		    v[LK_LOSS]);
	l.loss = v[LK_LOSS]->valuedouble;
	snprintf(path, sizeof path, "%s.queue", where);
	st = get_u64(in, v[LK_QUEUE], path, UINT32_MAX,
	    "an integer from 0 to 4294967295", &u);
	if (st != NL_OK)
		return st;
	l.queue = (uint32_t)u;
	l.name = unconst(name);
	st = trace_link_add(t, &l, &lid);
	if (st != NL_OK)
		return fail(in, st, "out of memory");
	return NL_OK;
}

/* Line 1 into t; *announced gets its "events". */
static enum nl_status
read_header(struct tf_in *in, struct trace *t, uint64_t *announced)
{
	const cJSON *v[HK_COUNT_], *el;
	const char *scenario, *title;
	cJSON *root = NULL;
	struct tf_out o;
	uint64_t version, seed;
	size_t i;
	enum nl_status st = NL_OK;
	int r;

	*announced = 0;
	r = read_line(in, &st);
	if (r < 0)
		return st;
	if (r == 0)
		return fail(in, NL_EMALFORMED, "empty file");
	st = parse_line(in, 1, &root);
	if (st != NL_OK)
		return st;
	/* The version first: a later version may have other keys. */
	el = cJSON_GetObjectItemCaseSensitive(root, "netlab_trace");
	if (el == NULL) {
		st = fail(in, NL_EMALFORMED,
		    "not a netlab trace (no \"netlab_trace\" key)");
		goto done;
	}
	st = get_u64(in, el, "netlab_trace", UINT64_MAX,
	    "a non-negative integer", &version);
	if (st != NL_OK)
		goto done;
	if (version != TRACE_FILE_VERSION) {
		st = fail(in, NL_EMALFORMED,
		    "unsupported netlab_trace version %llu",
		    (unsigned long long)version);
		goto done;
	}
	st = get_keys(in, root, "", header_keys, HK_COUNT_, v);
	if (st != NL_OK)
		goto done;
	if ((st = get_str(in, v[HK_SCENARIO], "scenario", &scenario)) != NL_OK ||
	    (st = get_str(in, v[HK_TITLE], "title", &title)) != NL_OK ||
	    (st = get_u64(in, v[HK_SEED], "seed", UINT64_MAX,
	    "a non-negative integer", &seed)) != NL_OK)
		goto done;
	st = trace_set_meta(t, scenario, title, seed);
	if (st != NL_OK) {
		st = fail(in, st, "out of memory");
		goto done;
	}
	if (!cJSON_IsArray(v[HK_NODES])) {
		st = fail_expect(in, "nodes", "an array", v[HK_NODES]);
		goto done;
	}
	i = 0;
	cJSON_ArrayForEach(el, v[HK_NODES]) {
		if ((st = read_node(in, t, el, i++)) != NL_OK)
			goto done;
	}
	if (!cJSON_IsArray(v[HK_LINKS])) {
		st = fail_expect(in, "links", "an array", v[HK_LINKS]);
		goto done;
	}
	i = 0;
	cJSON_ArrayForEach(el, v[HK_LINKS]) {
		if ((st = read_link(in, t, el, i++)) != NL_OK)
			goto done;
	}
	st = get_u64(in, v[HK_EVENTS], "events", UINT64_MAX,
	    "a non-negative integer", announced);
	if (st != NL_OK)
		goto done;
	/*
	 * Written back, a header can be longer than as read (we put spaces
	 * after ',' and ':', print 1e5 as 100000, escape raw control bytes):
	 * refuse one that would not fit a line, so that whatever we read we
	 * can also write and read again.
	 */
	nl_dbuf_init(&o.b, TRACE_FILE_LINE_MAX);
	o.st = NL_OK;
	header_put(&o, t, *announced);
	nl_dbuf_free(&o.b);
	if (o.st == NL_ELIMIT)
		st = fail(in, NL_ELIMIT,
		    "the header would be longer than %u bytes written back",
		    TRACE_FILE_LINE_MAX);
	else if (o.st != NL_OK)
		st = fail(in, o.st, "out of memory");
done:
	cJSON_Delete(root);
	return st;
}

/* Strict hex (an even number of digits, nothing else) into
 * in->scan.payload;
 * *len gets the byte count. */
static enum nl_status
read_hex(struct tf_in *in, const char *s, uint32_t *len)
{
	size_t n = strlen(s), i;
	int hi, lo;

	*len = 0;
	if (n / 2 > TRACE_FILE_PAYLOAD_MAX)
		return fail(in, NL_EMALFORMED,
		    "\"hex\": %zu bytes of payload, over the limit of %u",
		    n / 2, TRACE_FILE_PAYLOAD_MAX);
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
		    (c >= 'A' && c <= 'F')))
			return fail(in, NL_EMALFORMED,
			    "\"hex\": not a hex digit at offset %zu", i);
	}
	if (n % 2 != 0)
		return fail(in, NL_EMALFORMED,
		    "\"hex\": odd number of digits (%zu)", n);
	for (i = 0; i < n; i += 2) {
		hi = s[i] <= '9' ? s[i] - '0' : (s[i] | 0x20) - 'a' + 10;
		lo = s[i + 1] <= '9' ? s[i + 1] - '0' :
		    (s[i + 1] | 0x20) - 'a' + 10;
		in->scan.payload[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	*len = (uint32_t)(n / 2);
	return NL_OK;
}

/* Appends ev, read from the current line, to t; *prev_t gets its time. */
static enum nl_status
store_event(struct tf_in *in, struct trace *t, const struct trace_event *ev,
    sim_time *prev_t)
{
	enum nl_status st = trace_append(t, ev, NULL);

	if (st != NL_OK)
		return fail(in, st, "out of memory");
	*prev_t = ev->t;
	return NL_OK;
}

/*
 * One event line, the k-th, into t. *prev_t is the time of the event
 * before (updated). A line as the writer prints it takes the scanner in
 * trace_file_scan.c; any other line, and every error, the cJSON path
 * below, so that the messages do not depend on the path.
 */
static enum nl_status
read_event(struct tf_in *in, struct trace *t, uint64_t k, sim_time *prev_t)
{
	struct trace_file_scan_ref ref;
	const cJSON *v[EK_COUNT_];
	struct trace_event ev;
	cJSON *root = NULL;
	const char *s, *summary;
	char buf[TF_SHOW_BUF];
	enum trace_kind kind;
	enum trace_proto proto;
	uint64_t u;
	int64_t x;
	enum nl_status st;

	ref.k = k;
	ref.prev_t = *prev_t;
	ref.nnodes = trace_node_count(t);
	ref.nlinks = trace_link_count(t);
	if (!tf_slow && trace_file_scan_event(line_text(in), in->line.len,
	    &ref, &in->scan, &ev))
		return store_event(in, t, &ev, prev_t);
	memset(&ev, 0, sizeof ev);
	st = parse_line(in, 0, &root);
	if (st != NL_OK)
		return st;
	st = get_keys(in, root, "", event_keys, EK_COUNT_, v);
	if (st != NL_OK)
		goto done;
	st = get_u64(in, v[EK_SEQ], "seq", UINT64_MAX,
	    "a non-negative integer", &u);
	if (st != NL_OK)
		goto done;
	if (u != k) {
		st = fail(in, NL_EMALFORMED, "\"seq\" is %llu, expected %llu",
		    (unsigned long long)u, (unsigned long long)k);
		goto done;
	}
	st = get_i64(in, v[EK_T], "t_ns", 0, INT64_MAX,
	    "a non-negative integer", &ev.t);
	if (st != NL_OK)
		goto done;
	if (k > 0 && ev.t < *prev_t) {
		st = fail(in, NL_EMALFORMED,
		    "times go backwards (%lld after %lld)", (long long)ev.t,
		    (long long)*prev_t);
		goto done;
	}
	if ((st = get_str(in, v[EK_KIND], "kind", &s)) != NL_OK)
		goto done;
	if (trace_kind_from_str(s, &kind) != NL_OK) {
		show_str(s, buf, sizeof buf);
		st = fail(in, NL_EMALFORMED, "unknown kind %s", buf);
		goto done;
	}
	ev.kind = (uint8_t)kind;
	if ((st = get_node_ref(in, v[EK_NODE], "node", -1,
	    trace_node_count(t), &ev.node)) != NL_OK ||
	    (st = get_node_ref(in, v[EK_PEER], "peer", -1,
	    trace_node_count(t), &ev.peer)) != NL_OK)
		goto done;
	st = get_i64(in, v[EK_LINK], "link", -1, INT32_MAX,
	    "an integer from -1 to 2147483647", &x);
	if (st != NL_OK)
		goto done;
	if (x >= 0 && (uint64_t)x >= trace_link_count(t)) {
		st = fail(in, NL_EMALFORMED,
		    "\"link\": %lld is not a link (the header has %zu)",
		    (long long)x, trace_link_count(t));
		goto done;
	}
	ev.link = (int32_t)x;
	if ((st = get_str(in, v[EK_PROTO], "proto", &s)) != NL_OK)
		goto done;
	if (trace_proto_from_str(s, &proto) != NL_OK) {
		show_str(s, buf, sizeof buf);
		st = fail(in, NL_EMALFORMED, "unknown proto %s", buf);
		goto done;
	}
	ev.proto = (uint8_t)proto;
	st = get_u64(in, v[EK_FLAGS], "flags", UINT16_MAX,
	    "an integer from 0 to 65535", &u);
	if (st != NL_OK)
		goto done;
	ev.flags = (uint16_t)u;
	if ((st = get_i64(in, v[EK_A], "a", INT64_MIN, INT64_MAX,
	    "a 64-bit integer", &ev.a)) != NL_OK ||
	    (st = get_i64(in, v[EK_B], "b", INT64_MIN, INT64_MAX,
	    "a 64-bit integer", &ev.b)) != NL_OK ||
	    (st = get_i64(in, v[EK_C], "c", INT64_MIN, INT64_MAX,
	    "a 64-bit integer", &ev.c)) != NL_OK)
		goto done;
	if ((st = get_str(in, v[EK_SUMMARY], "summary", &summary)) != NL_OK)
		goto done;
	if (strlen(summary) > TRACE_FILE_SUMMARY_MAX) {
		st = fail(in, NL_EMALFORMED,
		    "\"summary\": %zu bytes, over the limit of %u",
		    strlen(summary), TRACE_FILE_SUMMARY_MAX);
		goto done;
	}
	ev.summary = unconst(summary);
	if ((st = get_str(in, v[EK_HEX], "hex", &s)) != NL_OK)
		goto done;
	if ((st = read_hex(in, s, &ev.len)) != NL_OK)
		goto done;
	ev.data = ev.len > 0 ? in->scan.payload : NULL;
	st = store_event(in, t, &ev, prev_t);
done:
	cJSON_Delete(root);
	return st;
}

enum nl_status
trace_file_read(FILE *f, struct trace **out, char *err, size_t errlen)
{
	struct tf_in *in;
	struct trace *t;
	uint64_t announced, k = 0;
	sim_time prev_t = 0;
	enum nl_status st;
	int r;

	*out = NULL;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	in = nl_alloc(sizeof *in);
	t = trace_new();
	if (in == NULL || t == NULL) {
		nl_free(in);
		trace_free(t);
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "out of memory");
		return NL_ENOMEM;
	}
	in->f = f;
	in->err = err;
	in->errlen = errlen;
	in->lineno = 0;
	nl_dbuf_init(&in->line, TRACE_FILE_LINE_MAX);
	in->blen = in->bpos = 0;
	in->eof = 0;

	st = read_header(in, t, &announced);
	while (st == NL_OK) {
		r = read_line(in, &st);
		if (r < 0)
			break;
		if (r == 0) {
			in->lineno--;	/* report on the last line there is */
			if (k != announced)
				st = fail(in, NL_EMALFORMED,
				    "the header announces %llu events, found %llu",
				    (unsigned long long)announced,
				    (unsigned long long)k);
			break;
		}
		if (k == announced) {
			st = fail(in, NL_EMALFORMED,
			    "the header announces %llu events, found more",
			    (unsigned long long)announced);
			break;
		}
		st = read_event(in, t, k, &prev_t);
		k++;
	}
	nl_dbuf_free(&in->line);
	nl_free(in);
	if (st != NL_OK) {
		trace_free(t);
		return st;
	}
	*out = t;
	return NL_OK;
}

enum nl_status
trace_file_load(const char *path, struct trace **out, char *err,
    size_t errlen)
{
	enum nl_status st;
	FILE *f;

	*out = NULL;
	f = fopen(path, "rb");
	if (f == NULL) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "cannot open: %s",
			    strerror(errno));
		return NL_EIO;
	}
	st = trace_file_read(f, out, err, errlen);
	fclose(f);
	return st;
}
