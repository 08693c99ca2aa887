/* ladder.c - the ladder (sequence) diagram: one column per node that a
 * step of the current granularity involves, one slanted arrow per
 * message, time going down, the cursor's message lit and the rows kept
 * in view as the cursor moves. Rows are spaced by message, not by time,
 * as in the textbook figures; the time of each sits in the margin. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ui_int.h"
#include "util/nl.h"

#define HEAD_H 60		/* column headers */
#define LROW_H 40		/* one message */
#define MARGIN_W 84		/* times on the left */

static int
column_x(const struct ui_ctx *c, int col)
{
	const struct ui_rect *r = &c->rg.canvas;
	int n = c->m->ncolumns[c->v->gran];
	int w = r->w - MARGIN_W - 24;

	if (n <= 0)
		return r->x + MARGIN_W;
	return r->x + MARGIN_W + (int)((double)w * ((double)col + 0.5) /
	    (double)n);
}

static void
headers(struct ui_ctx *c, struct ui_rect r)
{
	const struct ui_model *m = c->m;
	const int32_t *col = m->column[c->v->gran];
	int n = m->ncolumns[c->v->gran], cw;
	size_t i;

	cw = n > 0 ? (r.w - MARGIN_W - 24) / n - 10 : 0;
	if (cw > 200)
		cw = 200;
	ui_fill(c, (struct ui_rect){r.x, r.y, r.w, HEAD_H}, 0, UI_C_PANEL);
	ui_fill(c, (struct ui_rect){r.x, r.y + HEAD_H - 1, r.w, 1}, 0,
	    UI_C_BORDER);
	for (i = 0; i < m->nnodes; i++) {
		int x;
		struct ui_rect card;
		struct ui_color kc;

		if (col[i] < 0)
			continue;
		x = column_x(c, col[i]);
		kc = ui_class_color((enum ui_node_class)m->nodes[i].cls);
		card = (struct ui_rect){x - cw / 2, r.y + 8, cw, 42};
		ui_fill(c, card, 8, UI_C_RAISED);
		ui_fill(c, (struct ui_rect){card.x + 8, card.y + card.h - 3,
		    card.w - 16, 3}, 1, kc);
		{
			const char *nm = trace_node_name(m->t, (int32_t)i);
			enum ui_font nf = ui_text_w(c, UI_FONT_BOLD, nm) <=
			    cw - 14 ? UI_FONT_BOLD : UI_FONT_SMALL;
			int nw = NL_MIN(ui_text_w(c, nf, nm), cw - 14);
			int aw = NL_MIN(ui_text_w(c, UI_FONT_SMALL,
			    m->nodes[i].addr), cw - 14);

			ui_text_fit(c, nf, x - nw / 2, card.y + 3 +
			    (nf == UI_FONT_SMALL ? 2 : 0), cw - 14, nm,
			    UI_C_TEXT);
			ui_text_fit(c, UI_FONT_SMALL, x - aw / 2,
			    card.y + 21, cw - 14, m->nodes[i].addr, UI_C_DIM);
		}
	}
}

static void
row(struct ui_ctx *c, int y, uint32_t s, int current)
{
	const struct ui_model *m = c->m;
	const struct trace_event *ev = trace_at(m->t, s);
	const int32_t *col = m->column[c->v->gran];
	int future = s >= c->v->cursor, x0, x1, lost;
	struct ui_color pc = ui_proto_color(ui_event_proto(m, s));
	struct ui_color ac = future ? ui_alpha(pc, 70) : pc;
	char text[200], t[32];
	struct ui_rect lr;
	int tw, mid;
	struct ui_cmd *a;

	if (ev->node < 0 || ev->peer < 0 || (size_t)ev->node >= m->nnodes ||
	    (size_t)ev->peer >= m->nnodes || col[ev->node] < 0 ||
	    col[ev->peer] < 0)
		return;
	if (ev->kind == TRACE_PKT_SEND)
		ui_seg_label(m, s, text, sizeof text);
	else
		ui_app_label(ev, text, sizeof text);
	x0 = column_x(c, col[ev->node]);
	x1 = column_x(c, col[ev->peer]);
	lost = ev->kind == TRACE_PKT_SEND && m->drop_of[s] != UI_NONE;
	if (current)
		ui_fill(c, (struct ui_rect){c->rg.canvas.x, y - 4,
		    c->rg.canvas.w, LROW_H}, 0, ui_alpha(UI_C_ACCENT, 30));
	ui_fmt_time(t, sizeof t, ev->t);
	ui_text(c, UI_FONT_MONO, c->rg.canvas.x + 10, y + 12, t,
	    future ? UI_C_FAINT : UI_C_DIM);
	if (lost) {
		int xm = (x0 + x1) / 2;

		ui_line(c, x0, y + 18, xm, y + 24, current ? 3 : 2, ac);
		ui_dl_icon(c->dl, UI_ICON_DROP, (struct ui_rect){xm - 7,
		    y + 17, 14, 14}, UI_C_RED);
	} else {
		a = ui_dl_arrow(c->dl, x0, y + 18, x1, y + 30, current ? 3 : 2,
		    ac);
		if (a != NULL) {
			a->role = UI_ROLE_LADDER_MSG;
			a->ref = (int32_t)s;
		}
	}
	tw = ui_text_w(c, current ? UI_FONT_BOLD : UI_FONT_SMALL, text);
	mid = (x0 + x1) / 2;
	/* one message a row: its label may reach past its own columns */
	if (tw > NL_MAX(abs(x1 - x0) - 16, 260))
		tw = NL_MAX(abs(x1 - x0) - 16, 260);
	if (mid - tw / 2 - 6 < c->rg.canvas.x + MARGIN_W - 10)
		mid = c->rg.canvas.x + MARGIN_W - 10 + tw / 2 + 6;
	lr = (struct ui_rect){mid - tw / 2 - 6, y - 2, tw + 12, 18};
	ui_fill(c, lr, 5, UI_C_CANVAS);
	ui_text_fit(c, current ? UI_FONT_BOLD : UI_FONT_SMALL, lr.x + 6,
	    y - 1, tw, text, future ? UI_C_FAINT : current ? UI_C_TEXT :
	    ui_mix(pc, UI_C_TEXT, 120));
	/* application messages are numbered, as in the textbook figures */
	if (ev->kind == TRACE_APP) {
		char nb[16];
		int n = (int)ui_index_before(m->steps[UI_GRAN_APP],
		    m->nsteps[UI_GRAN_APP], s + 1) + 1;
		int bw;

		snprintf(nb, sizeof nb, "%d", n);
		bw = NL_MAX(ui_text_w(c, UI_FONT_SMALL, nb) + 8, 17);
		ui_fill(c, (struct ui_rect){lr.x - bw - 2, y - 2, bw, 17}, 8,
		    future ? ui_alpha(pc, 60) : pc);
		ui_text(c, UI_FONT_SMALL, lr.x - bw - 2 + (bw - ui_text_w(c,
		    UI_FONT_SMALL, nb)) / 2, y, nb, UI_C_BG);
	}
	ui_hit(c, (struct ui_rect){c->rg.canvas.x, y - 4, c->rg.canvas.w,
	    LROW_H}, UI_ROLE_LADDER_MSG, (int32_t)s);
}

void
ui_build_ladder(struct ui_ctx *c)
{
	const struct ui_model *m = c->m;
	const struct ui_view *v = c->v;
	struct ui_rect r = c->rg.canvas, body;
	const uint32_t *steps = m->steps[v->gran];
	long n = (long)m->nsteps[v->gran], cur, first, k;
	const int32_t *col = m->column[v->gran];
	int y, visible;
	size_t i;

	ui_fill(c, r, 0, UI_C_CANVAS);
	if (r.w <= 0 || r.h <= HEAD_H)
		return;
	ui_ctx_clip(c, r);
	body = (struct ui_rect){r.x, r.y + HEAD_H, r.w, r.h - HEAD_H};
	/* lifelines */
	for (i = 0; i < m->nnodes; i++)
		if (col[i] >= 0)
			ui_fill(c, (struct ui_rect){column_x(c, col[i]), body.y,
			    1, body.h}, 0, UI_C_BORDER);
	ui_hit(c, body, UI_ROLE_LADDER, -1);

	cur = ui_index_before(steps, (size_t)n, v->cursor);
	while (cur >= 0 && ui_view_hides(v, m, steps[cur]))
		cur--;
	visible = body.h / LROW_H;
	if (v->ladder_first < 0) {
		int back = visible / 3;

		first = cur < 0 ? 0 : cur;
		for (k = first - 1; k >= 0 && back > 0; k--)
			if (!ui_view_hides(v, m, steps[k])) {
				first = k;
				back--;
			}
	} else {
		first = v->ladder_first < n ? v->ladder_first : n - 1;
		if (first < 0)
			first = 0;
	}
	/* the area's hit carries the first row, for the wheel */
	if (c->dl->ncmds > 0 && c->dl->cmds[c->dl->ncmds - 1].type ==
	    UI_CMD_HIT)
		c->dl->cmds[c->dl->ncmds - 1].ref = (int32_t)first;
	ui_ctx_clip(c, body);
	y = body.y + 14;
	for (k = first; k < n && y < body.y + body.h; k++) {
		if (ui_view_hides(v, m, steps[k]))
			continue;
		row(c, y, steps[k], k == cur);
		y += LROW_H;
	}
	if (n == 0)
		ui_text(c, UI_FONT_REGULAR, body.x + 20, body.y + 20,
		    "No messages at this granularity.", UI_C_DIM);
	ui_ctx_clip(c, r);
	headers(c, r);
	ui_ctx_clip(c, (struct ui_rect){0, 0, v->w, v->h});
}

/* ---- The whole diagram, for --export-ladder ---- */

int
ui_ladder_page_h(long nrows)
{
	return HEAD_H + 14 + (int)nrows * LROW_H + 10;
}

int
ui_ladder_export_w(const struct ui_model *m, enum ui_gran gran)
{
	int w = MARGIN_W + 24 + m->ncolumns[gran] * 190;

	return w < 960 ? 960 : w > 3200 ? 3200 : w;
}

void
ui_build_ladder_page(struct ui_dlist *dl, const struct ui_model *m,
    const struct ui_view *v, const struct ui_text *tx, int w, long first,
    long nrows, int y0, int h)
{
	const uint32_t *steps = m->steps[v->gran];
	const int32_t *col = m->column[v->gran];
	long n = (long)m->nsteps[v->gran], k, shown = 0;
	int page_h = ui_ladder_page_h(nrows), y;
	struct ui_ctx c;
	size_t i;

	memset(&c, 0, sizeof c);
	ui_dlist_clear(dl);
	c.dl = dl;
	c.m = m;
	c.v = v;
	c.tx = tx;
	/* the page is one tall canvas; this tile shows y0 .. y0 + h */
	c.rg.canvas = (struct ui_rect){0, -y0, w, page_h};
	ui_ctx_clip(&c, (struct ui_rect){0, 0, w, h});
	ui_fill(&c, (struct ui_rect){0, 0, w, h}, 0, UI_C_CANVAS);
	for (i = 0; i < m->nnodes; i++)
		if (col[i] >= 0)
			ui_fill(&c, (struct ui_rect){column_x(&c, col[i]),
			    -y0 + HEAD_H, 1, page_h - HEAD_H}, 0, UI_C_BORDER);
	y = -y0 + HEAD_H + 14;
	for (k = 0; k < n && shown < first + nrows; k++) {
		if (ui_view_hides(v, m, steps[k]))
			continue;
		if (shown++ < first)
			continue;
		/* rows outside the tile cost nothing to skip */
		if (y + LROW_H > 0 && y - LROW_H < h)
			row(&c, y, steps[k], 0);
		y += LROW_H;
	}
	if (y0 < HEAD_H)
		headers(&c, c.rg.canvas);
}
