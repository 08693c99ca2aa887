/* inspect.c - the node inspector: click a node and a card shows what the
 * trace says of it up to the cursor. Its DNS cache is folded from the
 * state events ("cache + NAME TTL TYPE DATA", "cache expired NAME TYPE")
 * with each TTL counting down as the cursor's time runs; its zones and
 * other state lines; its latest events. All of it is recomputed every
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
#define CARD_W 360		/* the inspector's width */

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

/* Folds node id's cache up to the cursor. Returns the entry count. */
static int
fold_cache(const struct ui_ctx *c, int32_t id, struct entry *e, int max,
    const char **other, int *nother)
{
	const struct ui_model *m = c->m;
	size_t k, end = (size_t)(ui_index_before(m->states, m->nstates,
	    c->v->cursor) + 1);
	int n = 0, i, j;

	*nother = 0;
	for (k = 0; k < end; k++) {
		const struct trace_event *ev = trace_at(m->t, m->states[k]);
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
		} else {
			if (*nother == OTHER_MAX) {
				memmove(other, other + 1,
				    (OTHER_MAX - 1) * sizeof *other);
				(*nother)--;
			}
			other[(*nother)++] = ev->summary;
		}
	}
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

/* The height the card's content needs. */
static int
content_h(const struct ui_ctx *c, int32_t id, int ncache, int nother)
{
	uint32_t r[RECENT_MAX];
	int n = recent(c, id, r);

	return 14 + 50 + (ncache ? 26 + 36 * ncache + 8 : 0) +
	    (nother ? 26 + 18 * nother + 8 : 0) + 26 + (n ? 36 * n : 18) + 8;
}

void
ui_build_inspector(struct ui_ctx *c)
{
	const struct ui_model *m = c->m;
	int32_t id = c->v->node;
	const struct trace_node *tn = trace_node(m->t, id);
	struct entry cache[CACHE_MAX];
	const char *other[OTHER_MAX];
	int ncache, nother, i, x, y, w, bottom, cw;
	struct ui_rect card;
	enum ui_node_class cls;
	char buf[160], t[32];

	if (tn == NULL)
		return;
	cls = (enum ui_node_class)m->nodes[id].cls;
	ncache = fold_cache(c, id, cache, CACHE_MAX, other, &nother);
	card = (struct ui_rect){c->rg.canvas.x + c->rg.canvas.w - CARD_W - 12,
	    c->rg.canvas.y + 12, CARD_W, content_h(c, id, ncache, nother)};
	if (card.h > c->rg.canvas.h - 24)
		card.h = c->rg.canvas.h - 24;
	if (card.x < c->rg.canvas.x + 12)
		card.x = c->rg.canvas.x + 12;
	bottom = card.y + card.h;
	ui_ctx_clip(c, c->rg.canvas);
	ui_fill(c, (struct ui_rect){card.x, card.y + 3, card.w, card.h}, 12,
	    UI_RGBA(0, 0, 0, 110));
	ui_fill(c, card, 12, ui_alpha(UI_C_PANEL, 245));
	ui_stroke(c, card, 12, 1, ui_class_color(cls));
	ui_hit(c, card, UI_ROLE_INSPECTOR, id);
	ui_ctx_clip(c, card);
	x = card.x + 16;
	w = card.w - 32;
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
	snprintf(buf, sizeof buf, "%s%s%s", ui_class_name(cls),
	    m->nodes[id].addr[0] != '\0' ? " \xc2\xb7 " : "",
	    m->nodes[id].addr);
	ui_text_fit(c, UI_FONT_SMALL, x, y, w, buf, ui_class_color(cls));
	y += 26;

	if (ncache > 0) {
		y = section(c, x, y, w, "DNS cache");
		cw = w - 70;
		for (i = 0; i < ncache && y + 34 < bottom - 120; i++) {
			const struct entry *e = &cache[i];
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
		if (i < ncache) {
			snprintf(buf, sizeof buf, "and %d more", ncache - i);
			ui_text(c, UI_FONT_SMALL, x, y, buf, UI_C_FAINT);
			y += 18;
		}
		y += 8;
	}
	if (nother > 0) {
		y = section(c, x, y, w, "State");
		for (i = 0; i < nother && y + 20 < bottom - 110; i++) {
			ui_text_fit(c, UI_FONT_SMALL, x, y, w, other[i], UI_C_DIM);
			y += 18;
		}
		y += 8;
	}
	/* the latest events at the node (as the list shows them) */
	{
		uint32_t shown[RECENT_MAX];
		int n = recent(c, id, shown);

		y = section(c, x, y, w, "Latest events");
		if (n == 0)
			ui_text(c, UI_FONT_SMALL, x, y, "None yet.", UI_C_FAINT);
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
	ui_ctx_clip(c, (struct ui_rect){0, 0, c->v->w, c->v->h});
}
