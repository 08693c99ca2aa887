/* transcript.c - the text transcript of a trace (format in
 * docs/trace-format.md, "Transcript").
 *
 * Every line is built into a caller's fixed buffer with snprintf-like
 * truncation, so the viewer can format lines each frame without
 * allocating; the writer retries a line that did not fit in a bigger
 * buffer. Text from the trace is printed with control bytes escaped: a
 * trace file is hostile input and must not drive the terminal. */
#include "trace/transcript.h"

#include <inttypes.h>
#include <string.h>

#include "util/alloc.h"
#include "util/nl.h"

#define TX_ARROW " \xe2\x86\x92 "	/* " → " (U+2192) */
#define TX_SMALL 1024			/* first try for a line, bytes */

/* A line being built: keeps what fits in buf and counts what does not. */
struct tx_out {
	char *buf;	/* caller's buffer */
	size_t size;	/* its size, NUL included */
	size_t len;	/* length of the whole line so far */
};

static void
tx_raw(struct tx_out *o, const char *p, size_t n)
{
	size_t room;

	if (o->size > 0 && o->len < o->size - 1) {
		room = o->size - 1 - o->len;
		memcpy(o->buf + o->len, p, n < room ? n : room);
	}
	o->len += n;
}

static void
tx_lit(struct tx_out *o, const char *s)
{
	tx_raw(o, s, strlen(s));
}

/* Text from the trace: bytes below 0x20 and DEL as \n, \r, \t or \xHH,
 * everything else (UTF-8 included) unchanged. */
static void
tx_text(struct tx_out *o, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s, *run = p;
	char esc[4];

	for (; *p != '\0'; p++) {
		if (*p >= 0x20 && *p != 0x7f)
			continue;
		tx_raw(o, (const char *)run, (size_t)(p - run));
		if (*p == '\n') {
			tx_raw(o, "\\n", 2);
		} else if (*p == '\r') {
			tx_raw(o, "\\r", 2);
		} else if (*p == '\t') {
			tx_raw(o, "\\t", 2);
		} else {
			esc[0] = '\\';
			esc[1] = 'x';
			esc[2] = hex[*p >> 4];
			esc[3] = hex[*p & 15];
			tx_raw(o, esc, 4);
		}
		run = p + 1;
	}
	tx_raw(o, (const char *)run, (size_t)(p - run));
}

/*
 * Ends the line with a NUL. When it was cut, the cut moves back to the
 * start of a UTF-8 character that did not fit whole.
 */
static void
tx_end(struct tx_out *o)
{
	const unsigned char *b = (const unsigned char *)o->buf;
	size_t end, j, need;

	if (o->size == 0)
		return;
	end = o->len < o->size - 1 ? o->len : o->size - 1;
	if (end < o->len && end > 0) {
		/* Find the first byte of the last character kept. */
		j = end;
		while (j > 0 && end - j < 4 && (b[j - 1] & 0xc0) == 0x80)
			j--;
		if (j > 0) {
			j--;
			need = b[j] >= 0xf0 ? 4 : b[j] >= 0xe0 ? 3 :
			    b[j] >= 0xc0 ? 2 : 1;
			if (j + need > end)
				end = j;
		}
	}
	o->buf[end] = '\0';
}

/* "[   0.012000] " */
static void
tx_time(struct tx_out *o, sim_time t)
{
	char tb[32], line[48];

	sim_time_str(t, tb, sizeof tb);
	snprintf(line, sizeof line, "[%11s] ", tb);
	tx_lit(o, line);
}

/* "NODE" or "NODE → PEER" */
static void
tx_who(struct tx_out *o, const struct trace *t, const struct trace_event *ev)
{
	tx_text(o, trace_node_name(t, ev->node));
	if (ev->peer >= 0) {
		tx_lit(o, TX_ARROW);
		tx_text(o, trace_node_name(t, ev->peer));
	}
}

/* "  LABEL text": the label padded to 5 columns like %-5s, then a space
 * and the text; nothing after the label when the text is empty. */
static void
tx_label(struct tx_out *o, const char *label, const char *text)
{
	size_t n = strlen(label);

	tx_raw(o, "  ", 2);
	tx_lit(o, label);
	if (text[0] == '\0')
		return;
	for (; n < 5; n++)
		tx_raw(o, " ", 1);
	tx_raw(o, " ", 1);
	tx_text(o, text);
}

/* The label of a protocol, or fallback when it has none (proto "-"). */
static const char *
proto_label(const struct trace_event *ev, const char *fallback)
{
	const char *l;

	if (ev->proto >= TRACE_PROTO_COUNT_)
		return fallback;
	l = trace_proto_label((enum trace_proto)ev->proto);
	return l[0] != '\0' ? l : fallback;
}

/* Line i (0-based) of a checkpoint's data as [*p, *n); 0 past the end. */
static int
data_line(const struct trace_event *ev, size_t i, const char **p, size_t *n)
{
	const char *s = (const char *)ev->data, *end = s + ev->len, *nl;

	if (ev->data == NULL)
		return 0;
	for (;;) {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (i == 0) {
			*p = s;
			*n = (size_t)((nl != NULL ? nl : end) - s);
			return 1;
		}
		if (nl == NULL)
			return 0;
		s = nl + 1;
		i--;
	}
}

/* Text of n bytes (not NUL-terminated) as tx_text prints it. */
static void
tx_textn(struct tx_out *o, const char *p, size_t n)
{
	char buf[256];

	while (n > 0) {
		size_t k = n < sizeof buf - 1 ? n : sizeof buf - 1;

		memcpy(buf, p, k);
		buf[k] = '\0';
		/* A NUL in the data ends a piece: print it escaped. */
		tx_text(o, buf);
		if (strlen(buf) < k) {
			k = strlen(buf) + 1;
			tx_raw(o, "\\x00", 4);
		}
		p += k;
		n -= k;
	}
}

/* A checkpoint's choices and answer (trace.h): " [a) x | b) y] answer:
 * b) y — why". Letters name the choices, a for the first. */
static void
tx_check(struct tx_out *o, const struct trace_event *ev)
{
	const char *p;
	size_t n, i, nchoices = ev->b > 0 && ev->b <= 26 ? (size_t)ev->b : 0;
	char letter[4] = "a) ";

	if (nchoices == 0)
		return;
	tx_lit(o, " [");
	for (i = 0; i < nchoices && data_line(ev, i, &p, &n); i++) {
		letter[0] = (char)('a' + i);
		tx_lit(o, i > 0 ? " | " : "");
		tx_lit(o, letter);
		tx_textn(o, p, n);
	}
	tx_lit(o, "]");
	if (ev->a >= 0 && (size_t)ev->a < nchoices &&
	    data_line(ev, (size_t)ev->a, &p, &n)) {
		letter[0] = (char)('a' + ev->a);
		tx_lit(o, " answer: ");
		tx_lit(o, letter);
		tx_textn(o, p, n);
	}
	if (data_line(ev, nchoices, &p, &n) && n > 0) {
		tx_lit(o, " \xe2\x80\x94 ");	/* " — " */
		tx_textn(o, p, n);
	}
}

/* Builds ev's line into o; 0 when it has none. */
static int
tx_event(struct tx_out *o, const struct trace *t, const struct trace_event *ev)
{
	const char *summary = ev->summary != NULL ? ev->summary : "";
	const struct trace_link *l;
	const char *why;
	char num[64];

	switch ((enum trace_kind)ev->kind) {
	case TRACE_PKT_SEND:
	case TRACE_PKT_RECV:
	case TRACE_KIND_COUNT_:
		return 0;
	case TRACE_APP:
		tx_time(o, ev->t);
		tx_who(o, t, ev);
		tx_label(o, proto_label(ev, "APP"), summary);
		return 1;
	case TRACE_PKT_DROP:
		tx_time(o, ev->t);
		tx_who(o, t, ev);
		/* The reason goes in parentheses unless the summary
		 * already says it. */
		why = ev->a >= 0 && ev->a < TRACE_DROP_COUNT_ ?
		    trace_drop_str((enum trace_drop)ev->a) : "";
		if (summary[0] == '\0' || why[0] == '\0' ||
		    strstr(summary, why) != NULL) {
			tx_label(o, "DROP", summary[0] != '\0' ? summary : why);
		} else {
			tx_label(o, "DROP", summary);
			tx_raw(o, " (", 2);
			tx_lit(o, why);
			tx_raw(o, ")", 1);
		}
		return 1;
	case TRACE_TCP_STATE:
		if (!(ev->flags & TRACE_F_SHOW))
			return 0;
		tx_time(o, ev->t);
		tx_who(o, t, ev);
		if (summary[0] == '\0') {
			snprintf(num, sizeof num, "state %" PRId64 " -> %" PRId64,
			    ev->a, ev->b);
			summary = num;
		}
		tx_label(o, "TCP", summary);
		return 1;
	case TRACE_STATE:
		if (!(ev->flags & TRACE_F_SHOW))
			return 0;
		tx_time(o, ev->t);
		tx_who(o, t, ev);
		tx_label(o, proto_label(ev, "STATE"), summary);
		return 1;
	case TRACE_NOTE:
		tx_time(o, ev->t);
		if (ev->node < 0) {
			tx_lit(o, "note: ");
			tx_text(o, summary);
		} else {
			tx_who(o, t, ev);
			tx_label(o, "NOTE", summary);
		}
		return 1;
	case TRACE_LINK:
		tx_time(o, ev->t);
		l = trace_link(t, ev->link);
		tx_text(o, l != NULL ? l->name : "-");
		tx_label(o, "LINK", ev->a ? "up" : "down");
		return 1;
	case TRACE_NODE:
		tx_time(o, ev->t);
		tx_text(o, trace_node_name(t, ev->node));
		tx_label(o, "NODE", ev->a ? "up" : "down");
		return 1;
	case TRACE_CHECK:
		tx_time(o, ev->t);
		tx_lit(o, "checkpoint: ");
		tx_text(o, summary);
		tx_check(o, ev);
		return 1;
	}
	return 0;	/* a kind out of range */
}

size_t
trace_transcript_header(const struct trace *t, char *buf, size_t size)
{
	struct tx_out o = { buf, size, 0 };
	const char *scenario = trace_scenario(t), *title = trace_title(t);
	char seed[48];

	tx_lit(&o, "# netlab transcript");
	if (scenario[0] != '\0' || title[0] != '\0')
		tx_raw(&o, ":", 1);
	if (scenario[0] != '\0') {
		tx_raw(&o, " ", 1);
		tx_text(&o, scenario);
		if (title[0] != '\0')
			tx_raw(&o, ":", 1);
	}
	if (title[0] != '\0') {
		tx_raw(&o, " ", 1);
		tx_text(&o, title);
	}
	snprintf(seed, sizeof seed, " (seed %" PRIu64 ")", trace_seed(t));
	tx_lit(&o, seed);
	tx_end(&o);
	return o.len;
}

int
trace_transcript_line(const struct trace *t, const struct trace_event *ev,
    char *buf, size_t size)
{
	struct tx_out o = { buf, size, 0 };
	int has = tx_event(&o, t, ev);

	if (!has)
		o.len = 0;
	tx_end(&o);
	return has;
}

/* Writes one line of len bytes plus '\n'. */
static enum nl_status
put_line(FILE *f, const char *s, size_t len)
{
	if (fwrite(s, 1, len, f) != len || putc('\n', f) == EOF)
		return NL_EIO;
	return NL_OK;
}

enum nl_status
trace_transcript_write(const struct trace *t, FILE *f)
{
	char small[TX_SMALL];
	char *big = NULL;
	size_t bigsize = 0, i;
	const struct trace_event *ev;
	struct tx_out o;
	enum nl_status st;

	o.len = trace_transcript_header(t, small, sizeof small);
	if (o.len >= sizeof small) {
		bigsize = o.len + 1;
		big = nl_alloc(bigsize);
		if (big == NULL)
			return NL_ENOMEM;
		trace_transcript_header(t, big, bigsize);
		st = put_line(f, big, o.len);
	} else {
		st = put_line(f, small, o.len);
	}
	for (i = 0; st == NL_OK && (ev = trace_at(t, i)) != NULL; i++) {
		o.buf = small;
		o.size = sizeof small;
		o.len = 0;
		if (!tx_event(&o, t, ev))
			continue;
		if (o.len >= sizeof small) {
			/* Too long for the stack: again, on the heap. */
			if (o.len + 1 > bigsize) {
				nl_free(big);
				bigsize = o.len + 1;
				big = nl_alloc(bigsize);
				if (big == NULL) {
					st = NL_ENOMEM;
					break;
				}
			}
			o.buf = big;
			o.size = bigsize;
			o.len = 0;
			tx_event(&o, t, ev);
		}
		st = put_line(f, o.buf, o.len);
	}
	nl_free(big);
	return st;
}
