/* inspect.c - the node inspector: click a node and a card shows what the
 * trace says of it up to the cursor. Its DNS cache is folded from the
 * state events ("cache + NAME TTL TYPE DATA", "cache expired NAME TYPE")
 * with each TTL counting down as the cursor's time runs; a mail server's
 * queue (next retry counting down) and mailboxes (fold.c); open TCP
 * connections; its zones and other state lines; its latest events. All of it is recomputed every
 * frame from the trace, in fixed arrays, so stepping back shows exactly
 * what stepping forward showed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ui_int.h"
#include "util/nl.h"

#define CACHE_MAX 48		/* cache entries shown */
#define OTHER_MAX 6		/* other state lines shown */
#define RECENT_MAX 6		/* latest events shown */
#define CARD_W 380		/* the inspector's width */
#define QUEUE_MAX 16		/* queued mails shown */
#define BOX_MAX 6		/* mailboxes shown */
#define CONN_MAX 12		/* connections shown */
#define ROOM 64			/* kept free under a list for what follows */

/* A word of a summary: a pointer into the trace's text and a length. */
struct word {
	const char *s;
	int n;
};

struct entry {
	struct word name, type, data;	/* owner, TYPE, RDATA */
	sim_time added;			/* when it went in */
	long long ttl;			/* seconds, as it went in */
};

/* Splits s at spaces into up to max words; the last takes the rest. */
static int
words(const char *s, struct word *w, int max)
{
	int n = 0;

	while (*s != '\0' && n < max) {
		while (*s == ' ')
			s++;
		if (*s == '\0')
			break;
		w[n].s = s;
		if (n == max - 1) {
			w[n].n = (int)strlen(s);
		} else {
			const char *e = strchr(s, ' ');

			w[n].n = e != NULL ? (int)(e - s) : (int)strlen(s);
		}
		s += w[n].n;
		n++;
	}
	return n;
}

static int
word_is(struct word w, const char *s)
{
	return (size_t)w.n == strlen(s) && memcmp(w.s, s, (size_t)w.n) == 0;
}

static int
word_eq(struct word a, struct word b)
{
	return a.n == b.n && memcmp(a.s, b.s, (size_t)a.n) == 0;
}

/* Folds node id's cache up to the cursor, on from list position *pos
 * with n entries and *nother notes (as ui_fold_queue). Returns the
 * entry count. */
static int
fold_cache(const struct ui_ctx *c, int32_t id, struct entry *e, int max,
    int n, const char **other, int *nother, size_t *pos)
{
	const struct ui_model *m = c->m;
	size_t k, ns;
	const uint32_t *st = ui_node_states(m, id, 0, &ns);
	size_t end = (size_t)(ui_index_before(st, ns, c->v->cursor) + 1);
	int i, j;

	for (k = *pos; k < end; k++) {
		const struct trace_event *ev = trace_at(m->t, st[k]);
		struct word w[6];
		int nw;

		if (ev->node != id)
			continue;
		nw = words(ev->summary, w, 6);
		if (nw >= 6 && word_is(w[0], "cache") && word_is(w[1], "+")) {
			if (n == max) {
				memmove(e, e + 1, (size_t)(max - 1) * sizeof *e);
				n--;
			}
			e[n].name = w[2];
			e[n].ttl = strtoll(w[3].s, NULL, 10);
			e[n].type = w[4];
			e[n].data = w[5];
			e[n].added = ev->t;
			n++;
		} else if (nw >= 4 && word_is(w[0], "cache") &&
		    (word_is(w[1], "expired") || word_is(w[1], "-"))) {
			struct word nm = w[2], ty;

			/* "expired NAME TYPE": the type is the next word */
			ty.s = w[3].s;
			ty.n = 0;
			while (ty.n < w[3].n && ty.s[ty.n] != ' ')
				ty.n++;
			for (i = j = 0; i < n; i++)
				if (!(word_eq(e[i].name, nm) &&
				    word_eq(e[i].type, ty)))
					e[j++] = e[i];
			n = j;
		} else if (nw >= 2 && word_is(w[0], "cache")) {
			continue;	/* hits: the list shows them */
		} else if (ev->proto == TRACE_P_MAIL ||
		    strncmp(ev->summary, "mailbox ", 8) == 0) {
			continue;	/* the queue and mailbox sections */
		} else {
			if (*nother == OTHER_MAX) {
				memmove(other, other + 1,
				    (OTHER_MAX - 1) * sizeof *other);
				(*nother)--;
			}
			other[(*nother)++] = ev->summary;
		}
	}
	*pos = end;
	return n;
}

static int
section(struct ui_ctx *c, int x, int y, int w, const char *title)
{
	ui_text(c, UI_FONT_BOLD, x, y, title, UI_C_TEXT);
	ui_fill(c, (struct ui_rect){x, y + 20, w, 1}, 0, UI_C_BORDER);
	return y + 26;
}

/* The latest events at node id (rows of the list), newest first, into
 * out; returns how many. */
static int
recent(const struct ui_ctx *c, int32_t id, uint32_t *out)
{
	const struct ui_model *m = c->m;
	const uint32_t *rows = m->rows[c->v->gran];
	long k = ui_index_before(rows, m->nrows[c->v->gran], c->v->cursor);
	int n = 0;

	for (; k >= 0 && n < RECENT_MAX; k--) {
		const struct trace_event *ev = trace_at(m->t, rows[k]);

		if ((ev->node == id || ev->peer == id) && ev->kind != TRACE_NOTE)
			out[n++] = rows[k];
	}
	return n;
}

/* Everything the card shows, folded up to the cursor. */
struct card {
	struct entry cache[CACHE_MAX];
	int ncache;
	const char *other[OTHER_MAX];
	int nother;
	struct ui_qent q[QUEUE_MAX];
	int nq;
	struct ui_box box[BOX_MAX];
	int nbox;
	struct ui_conn conn[CONN_MAX];
	int nconn;
	size_t pos[2];		/* where the folds stopped in the node's
				 * state events (the cache, queue and box
				 * folds read that list) and in its
				 * tcp-state events */
};

/* The last card folded: a frame with the same node and the cursor where
 * it was, or further on, carries it on instead of folding from the
 * start. Paused or playing forward, a frame then costs the events since
 * the last one, not the node's whole history (a campus DNS server logs
 * tens of thousands). Keyed by the model's serial, never its address. */
static struct {
	uint64_t serial;	/* the model's, 0: nothing kept */
	int32_t id;
	size_t cursor;
	struct card k;
} kept;

/* The colour of a queued mail's state: amber waits, red failed. */
static struct ui_color
mailq_color(enum trace_mailq s)
{
	switch (s) {
	case TRACE_MAILQ_QUEUED:
		return UI_C_DIM;
	case TRACE_MAILQ_ATTEMPT:
		return UI_C_ACCENT;
	case TRACE_MAILQ_DEFERRED:
		return UI_C_AMBER;
	case TRACE_MAILQ_DELIVERED:
	case TRACE_MAILQ_DONE:
		return ui_proto_color(TRACE_P_SMTP);
	case TRACE_MAILQ_BOUNCED:
		return UI_C_RED;
	case TRACE_MAILQ_COUNT_:
		break;
	}
	return UI_C_DIM;
}

/* What a queue event's summary says after "queue QID: ", and the QID
 * into id. */
static const char *
queue_text(const char *s, char *id, size_t size)
{
	const char *colon = strstr(s, ": ");

	id[0] = '\0';
	if (strncmp(s, "queue ", 6) != 0 || colon == NULL)
		return s;
	snprintf(id, size, "%.*s", (int)(colon - s - 6), s + 6);
	return colon + 2;
}

/* The mail queue section from y: per mail its id and state, the retry
 * counting down, its subject and where it goes, the latest word on it.
 * Returns the y below. */
static int
draw_queue(struct ui_ctx *c, const struct card *k, int x, int y, int w,
    int bottom)
{
	const struct ui_model *m = c->m;
	char buf[200], id[40], subj[120];
	int i;

	y = section(c, x, y, w, "Mail queue");
	if (k->nq == 0) {
		ui_text(c, UI_FONT_SMALL, x, y, "Empty: nothing waits to be "
		    "relayed.", UI_C_FAINT);
		return y + 26;
	}
	for (i = 0; i < k->nq && y + 54 < bottom - ROOM; i++) {
		const struct ui_qent *q = &k->q[i];
		const struct trace_event *last = trace_at(m->t, q->last);
		const struct trace_event *qe = q->queued != UI_NONE ?
		    trace_at(m->t, q->queued) : NULL;
		const char *what = queue_text(last->summary, id, sizeof id);
		struct ui_color sc = mailq_color(q->state);
		int cw;

		snprintf(buf, sizeof buf, "%s", id[0] != '\0' ? id : "mail");
		cw = ui_text(c, UI_FONT_MONO, x, y + 2, buf, UI_C_TEXT);
		ui_chip(c, x + cw + 8, y, 19, trace_mailq_str(q->state),
		    UI_FONT_SMALL, ui_alpha(sc, 60), sc);
		buf[0] = '\0';
		if (q->state == TRACE_MAILQ_DEFERRED && q->retry >= 0) {
			sim_time left = q->retry - c->v->time;

			if (left > 0)
				snprintf(buf, sizeof buf, "next retry in %.1f s",
				    (double)left / (double)SIM_S);
			else
				snprintf(buf, sizeof buf, "retry due");
		} else if (q->attempts > 0) {
			snprintf(buf, sizeof buf, "attempt %d", q->attempts);
		}
		if (buf[0] != '\0')
			ui_text(c, UI_FONT_MONO, x + w - ui_text_w(c,
			    UI_FONT_MONO, buf), y + 2, buf,
			    q->state == TRACE_MAILQ_DEFERRED ? UI_C_AMBER :
			    UI_C_DIM);
		/* the message: its subject, else the envelope */
		if (qe != NULL && ui_header_value(qe->data, qe->len, "Subject",
		    subj, sizeof subj))
			snprintf(buf, sizeof buf, "\xe2\x80\x9c%s\xe2\x80\x9d%s%s",
			    subj, q->peer >= 0 ? " \xe2\x86\x92 " : "",
			    q->peer >= 0 ? trace_node_name(m->t, q->peer) : "");
		else
			snprintf(buf, sizeof buf, "%s", qe != NULL ?
			    queue_text(qe->summary, id, sizeof id) : "");
		ui_text_fit(c, UI_FONT_SMALL, x + 12, y + 21, w - 12, buf,
		    UI_C_TEXT);
		ui_text_fit(c, UI_FONT_SMALL, x + 12, y + 37, w - 12, what,
		    UI_C_DIM);
		y += 56;
	}
	if (i < k->nq) {
		snprintf(buf, sizeof buf, "and %d more", k->nq - i);
		ui_text(c, UI_FONT_SMALL, x, y, buf, UI_C_FAINT);
		y += 18;
	}
	return y + 8;
}

/* The mailboxes section from y: per user the count, per message its
 * subject, sender, size and flags. Returns the y below. */
static int
draw_boxes(struct ui_ctx *c, const struct card *k, int x, int y, int w,
    int bottom)
{
	const struct ui_model *m = c->m;
	char buf[200], from[100], subj[120];
	int i, j;

	y = section(c, x, y, w, "Mailboxes");
	for (i = 0; i < k->nbox && y + 20 < bottom - ROOM; i++) {
		const struct ui_box *b = &k->box[i];
		int uw = ui_text(c, UI_FONT_REGULAR, x, y, b->user, UI_C_TEXT);

		snprintf(buf, sizeof buf, "%d message%s", b->total,
		    b->total == 1 ? "" : "s");
		ui_text(c, UI_FONT_SMALL, x + uw + 10, y + 2, buf, UI_C_DIM);
		y += 22;
		for (j = 0; j < b->n && y + 34 < bottom - ROOM; j++) {
			const struct trace_event *ev = trace_at(m->t,
			    b->msg[j].ev);

			if (!ui_header_value(ev->data, ev->len, "Subject", subj,
			    sizeof subj))
				snprintf(subj, sizeof subj, "(no subject)");
			if (!ui_header_value(ev->data, ev->len, "From", from,
			    sizeof from))
				snprintf(from, sizeof from, "?");
			ui_text_fit(c, UI_FONT_SMALL, x + 12, y, w - 12, subj,
			    UI_C_TEXT);
			snprintf(buf, sizeof buf, "From: %s \xc2\xb7 %u bytes%s%s",
			    from, (unsigned)b->msg[j].size,
			    b->msg[j].flags[0] != '\0' ? " \xc2\xb7 " : "",
			    b->msg[j].flags);
			ui_text_fit(c, UI_FONT_SMALL, x + 12, y + 16, w - 12, buf,
			    UI_C_DIM);
			y += 34;
		}
		if (j < b->total && b->total > 0) {
			snprintf(buf, sizeof buf, "and %d more", b->total - j);
			ui_text(c, UI_FONT_SMALL, x + 12, y, buf, UI_C_FAINT);
			y += 18;
		}
	}
	return y + 8;
}

/* The TCP connections section from y (none when the node has no
 * socket): the listening ports on one line, then each connection's
 * state, peer and endpoints. Returns the y below. */
static int
draw_conns(struct ui_ctx *c, const struct card *k, int x, int y, int w,
    int bottom)
{
	char buf[160], ports[96];
	size_t pl = 0;
	int i, open = 0;

	ports[0] = '\0';
	for (i = 0; i < k->nconn; i++) {
		const char *colon = strrchr(k->conn[i].ends, ':');

		if (k->conn[i].state != UI_TCP_LISTEN) {
			open++;
			continue;
		}
		if (colon != NULL && pl + 8 < sizeof ports)
			pl += (size_t)snprintf(ports + pl, sizeof ports - pl,
			    "%s%.6s", pl ? ", " : "", colon + 1);
	}
	if (open == 0 && ports[0] == '\0')
		return y;
	y = section(c, x, y, w, "TCP connections");
	if (ports[0] != '\0') {
		snprintf(buf, sizeof buf, "Listening on port%s %s",
		    strchr(ports, ',') != NULL ? "s" : "", ports);
		ui_text_fit(c, UI_FONT_SMALL, x, y, w, buf, UI_C_DIM);
		y += 20;
	}
	for (i = 0; i < k->nconn && y + 34 < bottom - ROOM; i++) {
		const struct ui_conn *cn = &k->conn[i];
		struct ui_color sc = cn->state == UI_TCP_ESTABLISHED ?
		    ui_proto_color(TRACE_P_TCP) : UI_C_AMBER;
		int sw;

		if (cn->state == UI_TCP_LISTEN)
			continue;
		sw = ui_text(c, UI_FONT_SMALL, x, y,
		    ui_tcp_str(cn->state), sc);
		if (cn->peer >= 0) {
			snprintf(buf, sizeof buf, "with %s",
			    trace_node_name(c->m->t, cn->peer));
			ui_text_fit(c, UI_FONT_SMALL, x + sw + 8, y, w - sw - 8,
			    buf, UI_C_TEXT);
		}
		ui_text_fit(c, UI_FONT_MONO, x + 12, y + 16, w - 12,
		    cn->ends, UI_C_DIM);
		y += 36;
	}
	if (open == 0)
		ui_text(c, UI_FONT_SMALL, x, y, "None open.", UI_C_FAINT);
	return y + (open == 0 ? 20 : 4);
}

/* The card's content from y down; returns where it ends. With an empty
 * clip this only measures. */
static int
body(struct ui_ctx *c, const struct card *k, int32_t id, int x, int y,
    int w, int bottom)
{
	const struct ui_model *m = c->m;
	char buf[160], t[32];
	int i, cw;

	if (k->ncache > 0) {
		y = section(c, x, y, w, "DNS cache");
		cw = w - 70;
		for (i = 0; i < k->ncache && y + 34 < bottom - 120; i++) {
			const struct entry *e = &k->cache[i];
			long long left = e->ttl - (c->v->time - e->added) / SIM_S;

			snprintf(buf, sizeof buf, "%.*s %.*s", e->name.n,
			    e->name.s, e->type.n, e->type.s);
			ui_text_fit(c, UI_FONT_REGULAR, x, y, cw, buf, UI_C_TEXT);
			snprintf(buf, sizeof buf, "%lld s", left > 0 ? left : 0);
			ui_text(c, UI_FONT_MONO, x + w - ui_text_w(c, UI_FONT_MONO,
			    buf), y + 1, buf, left > 0 ? UI_C_AMBER : UI_C_RED);
			snprintf(buf, sizeof buf, "%.*s", e->data.n, e->data.s);
			ui_text_fit(c, UI_FONT_SMALL, x + 12, y + 18, cw - 12, buf,
			    UI_C_DIM);
			y += 36;
		}
		if (i < k->ncache) {
			snprintf(buf, sizeof buf, "and %d more", k->ncache - i);
			ui_text(c, UI_FONT_SMALL, x, y, buf, UI_C_FAINT);
			y += 18;
		}
		y += 8;
	}
	/* a mail server always has a queue; say so when it is empty */
	if (k->nq > 0 || m->nodes[id].cls == UI_NC_MAIL)
		y = draw_queue(c, k, x, y, w, bottom);
	if (k->nbox > 0)
		y = draw_boxes(c, k, x, y, w, bottom);
	y = draw_conns(c, k, x, y, w, bottom);
	if (k->nother > 0) {
		y = section(c, x, y, w, "State");
		for (i = 0; i < k->nother && y + 20 < bottom - 110; i++) {
			ui_text_fit(c, UI_FONT_SMALL, x, y, w, k->other[i],
			    UI_C_DIM);
			y += 18;
		}
		y += 8;
	}
	/* the latest events at the node (as the list shows them) */
	{
		uint32_t shown[RECENT_MAX];
		int n = recent(c, id, shown);

		y = section(c, x, y, w, "Latest events");
		if (n == 0) {
			ui_text(c, UI_FONT_SMALL, x, y, "None yet.", UI_C_FAINT);
			y += 18;
		}
		/* the newest that fit, oldest of them first */
		if (n > (bottom - y) / 36)
			n = (bottom - y) / 36 > 0 ? (bottom - y) / 36 : 0;
		for (i = n - 1; i >= 0; i--) {
			const struct trace_event *ev = trace_at(m->t, shown[i]);

			ui_fmt_time(t, sizeof t, ev->t);
			snprintf(buf, sizeof buf, "%s  %s", t, ev->node == id ?
			    (ev->peer >= 0 ? "sent" : "") : "received");
			ui_text(c, UI_FONT_SMALL, x, y, buf, UI_C_FAINT);
			ui_text_fit(c, UI_FONT_SMALL, x + 12, y + 16, w - 12,
			    ev->summary, UI_C_DIM);
			ui_hit(c, (struct ui_rect){x, y, w, 34}, UI_ROLE_ROW,
			    (int32_t)shown[i]);
			y += 36;
		}
	}
	return y;
}

void
ui_build_inspector(struct ui_ctx *c)
{
	const struct ui_model *m = c->m;
	int32_t id = c->v->node;
	const struct trace_node *tn = trace_node(m->t, id);
	struct card store, *k = &store;
	int x, y, w, end, fits;
	struct ui_rect card, saved, none = {0, 0, 0, 0};
	enum ui_node_class cls;
	char buf[160];

	if (tn == NULL)
		return;
	cls = (enum ui_node_class)m->nodes[id].cls;
	if (kept.serial == m->serial && kept.id == id &&
	    kept.cursor <= c->v->cursor) {
		*k = kept.k;
	} else {
		k->ncache = k->nother = k->nq = k->nbox = k->nconn = 0;
		k->pos[0] = k->pos[1] = 0;
	}
	{
		/* the three folds of the state events start where they all
		 * stopped last time, and stop at the same place */
		size_t p1 = k->pos[0], p2 = k->pos[0];

		k->ncache = fold_cache(c, id, k->cache, CACHE_MAX, k->ncache,
		    k->other, &k->nother, &k->pos[0]);
		k->nq = ui_fold_queue(c, id, k->q, QUEUE_MAX, k->nq, &p1);
		k->nbox = ui_fold_boxes(c, id, k->box, BOX_MAX, k->nbox, &p2);
		k->nconn = ui_fold_conns(c, id, k->conn, CONN_MAX, k->nconn,
		    &k->pos[1]);
	}
	kept.serial = m->serial;
	kept.id = id;
	kept.cursor = c->v->cursor;
	kept.k = *k;
	card = (struct ui_rect){c->rg.canvas.x + c->rg.canvas.w - CARD_W - 12,
	    c->rg.canvas.y + 12, CARD_W, 0};
	if (card.x < c->rg.canvas.x + 12)
		card.x = c->rg.canvas.x + 12;
	/* below the SMTP phase bar, which sits at the canvas's top */
	if ((m->protos >> TRACE_P_SMTP) & 1u)
		card.y += 44;
	x = card.x + 16;
	w = card.w - 32;
	/* measure with nothing drawn: the card is as tall as its content,
	 * up to the canvas */
	saved = c->clip;
	c->clip = none;
	{
		size_t n = c->dl->ncmds, t = c->dl->ntext;

		end = body(c, k, id, x, card.y + 64, w, 1 << 28);
		c->dl->ncmds = n;
		c->dl->ntext = t;
	}
	c->clip = saved;
	card.h = end - card.y + 6;
	fits = card.y + card.h <= c->rg.canvas.y + c->rg.canvas.h - 12;
	if (!fits)
		card.h = c->rg.canvas.y + c->rg.canvas.h - 12 - card.y;
	ui_ctx_clip(c, c->rg.canvas);
	ui_fill(c, (struct ui_rect){card.x, card.y + 3, card.w, card.h}, 12,
	    UI_RGBA(0, 0, 0, 110));
	ui_fill(c, card, 12, ui_alpha(UI_C_PANEL, 245));
	ui_stroke(c, card, 12, 1, ui_class_color(cls));
	ui_hit(c, card, UI_ROLE_INSPECTOR, id);
	ui_ctx_clip(c, card);
	y = card.y + 14;
	/* title: name, close button; kind and addresses */
	ui_text_fit(c, UI_FONT_TITLE, x, y, w - 30, tn->name, UI_C_TEXT);
	{
		struct ui_rect b = {card.x + card.w - 38, y - 4, 26, 26};

		ui_fill(c, b, 13, UI_C_RAISED);
		ui_dl_icon(c->dl, UI_ICON_DROP, (struct ui_rect){b.x + 8,
		    b.y + 8, 10, 10}, UI_C_DIM);
		ui_hit(c, b, UI_ROLE_BUTTON, UI_BTN_CLOSE_NODE);
	}
	y += 24;
	snprintf(buf, sizeof buf, "%s%s%s", ui_node_kind_name(m, id),
	    m->nodes[id].addr[0] != '\0' ? " \xc2\xb7 " : "",
	    m->nodes[id].addr);
	ui_text_fit(c, UI_FONT_SMALL, x, y, w, buf, ui_class_color(cls));
	y += 26;
	/* what fits shows whole; else each list gives way to the next */
	body(c, k, id, x, y, w, fits ? 1 << 28 : card.y + card.h);
	ui_ctx_clip(c, (struct ui_rect){0, 0, c->v->w, c->v->h});
}
