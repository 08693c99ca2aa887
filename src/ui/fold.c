/* fold.c - a node's mail queue, mailboxes and TCP connections as they
 * stand at the cursor, folded from the trace's state and tcp-state
 * events (STYLE.md 2.5: every change of them is an event). The inspector
 * recomputes them each frame into fixed arrays, so stepping back shows
 * exactly what stepping forward showed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ui_int.h"
#include "util/nl.h"

/* The events of list[0..n) before the cursor. The folds below go on
 * from list position *pos with n entries already folded (0 and 0 for a
 * fold from the start: the inspector keeps its last fold and carries it
 * on while the cursor moves forward), and set *pos to where they
 * stopped. */
static size_t
upto(const struct ui_ctx *c, const uint32_t *list, size_t n)
{
	return (size_t)(ui_index_before(list, n, c->v->cursor) + 1);
}

/* ---- Mail queue: state events with proto mail (trace.h) ---- */

int
ui_fold_queue(const struct ui_ctx *c, int32_t id, struct ui_qent *q, int max,
    int n, size_t *pos)
{
	const struct ui_model *m = c->m;
	size_t k, ns;
	const uint32_t *st = ui_node_states(m, id, 0, &ns);
	size_t end = upto(c, st, ns);
	int i;

	for (k = *pos; k < end; k++) {
		uint32_t e = st[k];
		const struct trace_event *ev = trace_at(m->t, e);

		if (ev->node != id || ev->proto != TRACE_P_MAIL || ev->a < 0 ||
		    ev->a >= TRACE_MAILQ_COUNT_)
			continue;
		for (i = 0; i < n && q[i].qid != ev->b; i++)
			;
		if (ev->a == TRACE_MAILQ_DONE) {
			if (i < n) {
				memmove(q + i, q + i + 1, (size_t)(n - i - 1) *
				    sizeof *q);
				n--;
			}
			continue;
		}
		if (i == n) {
			if (n == max)
				continue;	/* shown: the oldest max */
			memset(&q[n], 0, sizeof q[n]);
			q[n].qid = ev->b;
			q[n].queued = UI_NONE;
			q[n].retry = -1;
			n++;
		}
		q[i].state = (enum trace_mailq)ev->a;
		q[i].last = e;
		if (ev->a == TRACE_MAILQ_QUEUED)
			q[i].queued = e;
		if (ev->a == TRACE_MAILQ_ATTEMPT)
			q[i].attempts++;
		q[i].retry = ev->a == TRACE_MAILQ_DEFERRED ? ev->c : -1;
		if (ev->peer >= 0)
			q[i].peer = ev->peer;
		else if (ev->a == TRACE_MAILQ_QUEUED)
			q[i].peer = -1;
	}
	*pos = end;
	return n;
}

/* ---- Mailboxes: "mailbox USER: +1 message (N bytes), K in all" ---- */

/* "mailbox USER: " at the start of s: the user in *u (length *un) and
 * what follows in *rest. */
static int
mailbox_of(const char *s, const char **u, int *un, const char **rest)
{
	const char *colon;

	if (strncmp(s, "mailbox ", 8) != 0)
		return 0;
	s += 8;
	colon = strstr(s, ": ");
	if (colon == NULL || colon == s || colon - s >= UI_USER_MAX)
		return 0;
	*u = s;
	*un = (int)(colon - s);
	*rest = colon + 2;
	return 1;
}

/* User u's box in b[0..*n), added when new (NULL when b is full). */
static struct ui_box *
box_get(struct ui_box *b, int *n, int max, const char *u, int un)
{
	int i;

	for (i = 0; i < *n; i++)
		if ((int)strlen(b[i].user) == un && memcmp(b[i].user, u,
		    (size_t)un) == 0)
			return &b[i];
	if (*n == max)
		return NULL;
	memset(&b[*n], 0, sizeof b[*n]);
	memcpy(b[*n].user, u, (size_t)un);
	return &b[(*n)++];
}

int
ui_fold_boxes(const struct ui_ctx *c, int32_t id, struct ui_box *b, int max,
    int n, size_t *pos)
{
	const struct ui_model *m = c->m;
	size_t k, ns;
	const uint32_t *st = ui_node_states(m, id, 0, &ns);
	size_t end = upto(c, st, ns);
	int i;

	for (k = *pos; k < end; k++) {
		uint32_t e = st[k];
		const struct trace_event *ev = trace_at(m->t, e);
		const char *u, *rest;
		int un;
		struct ui_box *x;
		unsigned long long size = 0;

		if (ev->node != id || ev->proto == TRACE_P_MAIL ||
		    !mailbox_of(ev->summary, &u, &un, &rest) ||
		    (x = box_get(b, &n, max, u, un)) == NULL)
			continue;
		if (strncmp(rest, "+1 message (", 12) == 0) {
			size = strtoull(rest + 12, NULL, 10);
			x->total++;
			if (x->n == UI_BOX_MSGS)
				continue;	/* counted, not listed */
			x->msg[x->n].ev = e;
			x->msg[x->n].size = (uint32_t)size;
			x->msg[x->n].flags[0] = '\0';
			x->n++;
		} else if (strncmp(rest, "-1 message (", 12) == 0) {
			/* the event names no message: the first of that
			 * size (POP3 and IMAP expunge in order) */
			size = strtoull(rest + 12, NULL, 10);
			if (x->total > 0)
				x->total--;
			for (i = 0; i < x->n && x->msg[i].size != size; i++)
				;
			if (i == x->n)
				i = 0;
			if (x->n > 0) {
				memmove(x->msg + i, x->msg + i + 1,
				    (size_t)(x->n - i - 1) * sizeof x->msg[0]);
				x->n--;
			}
		} else if (strncmp(rest, "message ", 8) == 0) {
			/* "message I (uid U) flags now (\Seen ...)" */
			long idx = strtol(rest + 8, NULL, 10);
			const char *f = strstr(rest, "flags now (");

			if (idx >= 1 && idx <= x->n && f != NULL) {
				char *d = x->msg[idx - 1].flags;
				size_t fl = strcspn(f + 11, ")");

				if (fl >= sizeof x->msg[0].flags)
					fl = sizeof x->msg[0].flags - 1;
				memcpy(d, f + 11, fl);
				d[fl] = '\0';
			}
		}
	}
	*pos = end;
	return n;
}

/* strncasecmp for ASCII, without the locale. */
static int
ascii_ncaseeq(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int x = (unsigned char)a[i], y = (unsigned char)b[i];

		if (x >= 'A' && x <= 'Z')
			x += 'a' - 'A';
		if (y >= 'A' && y <= 'Z')
			y += 'a' - 'A';
		if (x != y)
			return 0;
	}
	return 1;
}

int
ui_header_value(const uint8_t *msg, size_t len, const char *name, char *buf,
    size_t size)
{
	size_t nl = strlen(name), i = 0;

	buf[0] = '\0';
	while (i < len) {
		size_t e = i, o = 0;

		while (e < len && msg[e] != '\n')
			e++;
		/* the blank line ends the header section (RFC 5322 2.1) */
		if (e == i || (e == i + 1 && msg[i] == '\r'))
			return 0;
		if (e - i > nl && msg[i + nl] == ':' &&
		    ascii_ncaseeq((const char *)msg + i, name, nl)) {
			size_t s = i + nl + 1;

			while (s < e && (msg[s] == ' ' || msg[s] == '\t'))
				s++;
			while (s < e && msg[s] != '\r' && o + 1 < size)
				buf[o++] = (char)msg[s++];
			buf[o] = '\0';
			return 1;
		}
		i = e + 1;
	}
	return 0;
}

/* ---- TCP connections: tcp-state events, a = old, b = new, c = id ---- */

const char *
ui_tcp_str(enum ui_tcp s)
{
	switch (s) {
	case UI_TCP_CLOSED:
		return "CLOSED";
	case UI_TCP_LISTEN:
		return "LISTEN";
	case UI_TCP_SYN_SENT:
		return "SYN-SENT";
	case UI_TCP_SYN_RCVD:
		return "SYN-RECEIVED";
	case UI_TCP_ESTABLISHED:
		return "ESTABLISHED";
	case UI_TCP_FIN_WAIT_1:
		return "FIN-WAIT-1";
	case UI_TCP_FIN_WAIT_2:
		return "FIN-WAIT-2";
	case UI_TCP_CLOSE_WAIT:
		return "CLOSE-WAIT";
	case UI_TCP_CLOSING:
		return "CLOSING";
	case UI_TCP_LAST_ACK:
		return "LAST-ACK";
	case UI_TCP_TIME_WAIT:
		return "TIME-WAIT";
	case UI_TCP_COUNT_:
		break;
	}
	return "?";
}

int
ui_fold_conns(const struct ui_ctx *c, int32_t id, struct ui_conn *k,
    int max, int n, size_t *pos)
{
	const struct ui_model *m = c->m;
	size_t j, ns;
	const uint32_t *st = ui_node_states(m, id, 1, &ns);
	size_t end = upto(c, st, ns);
	int i;

	for (j = *pos; j < end; j++) {
		uint32_t e = st[j];
		const struct trace_event *ev = trace_at(m->t, e);
		const char *s, *ends;

		if (ev->node != id || ev->b < 0 ||
		    ev->b >= UI_TCP_COUNT_)
			continue;
		for (i = 0; i < n && k[i].conn != ev->c; i++)
			;
		if (ev->b == UI_TCP_CLOSED) {
			if (i < n) {
				memmove(k + i, k + i + 1, (size_t)(n - i - 1) *
				    sizeof *k);
				n--;
			}
			continue;
		}
		if (i == n) {
			if (n == max)
				continue;
			memset(&k[n], 0, sizeof k[n]);
			k[n].conn = ev->c;
			k[n].peer = -1;
			n++;
		}
		k[i].state = (enum ui_tcp)ev->b;
		if (ev->peer >= 0)
			k[i].peer = ev->peer;
		/* "OLD -> NEW LOCAL -> REMOTE": the endpoints */
		s = strstr(ev->summary, " -> ");
		ends = s != NULL ? strchr(s + 4, ' ') : NULL;
		if (ends != NULL && ends[1] != '\0')
			snprintf(k[i].ends, sizeof k[i].ends, "%s", ends + 1);
	}
	*pos = end;
	return n;
}
