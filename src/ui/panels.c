/* panels.c - the side panels: the event list that follows the cursor
 * (time, protocol, from -> to, summary; a click jumps there; chips filter
 * protocols) and the detail pane of the current event (decoded fields and
 * a hex dump, the selected field's bytes lit). */
#include <stdio.h>
#include <string.h>

#include "ui/ui_int.h"
#include "util/nl.h"

#define ROW_H 44		/* an event list row: two lines */
#define LIST_HEAD_H 40		/* "Events" and the filter chips */
#define FIELD_H 21		/* a field of the detail pane */
#define HEX_H 19		/* a row of the hex dump */

/* The badge of an event: its protocol's label, or what it is. */
static const char *
badge_of(const struct ui_model *m, size_t e, struct ui_color *col)
{
	const struct trace_event *ev = trace_at(m->t, e);
	enum trace_proto p = ui_event_proto(m, e);

	*col = ui_proto_color(p);
	switch (ev->kind) {
	case TRACE_PKT_DROP:
		*col = UI_C_RED;
		return "DROP";
	case TRACE_NOTE:
		*col = UI_C_ACCENT;
		return "NOTE";
	case TRACE_LINK:
		*col = ev->a ? UI_C_DIM : UI_C_RED;
		return "LINK";
	case TRACE_NODE:
		*col = ev->a ? UI_C_DIM : UI_C_RED;
		return "NODE";
	case TRACE_CHECK:
		*col = UI_C_ACCENT;
		return "CHECK";
	case TRACE_STATE:
		return p == TRACE_P_NONE ? "STATE" : trace_proto_label(p);
	default:
		return p == TRACE_P_NONE ? "APP" : trace_proto_label(p);
	}
}

/* "crepes.fr → hamburger.edu", a link's name, or "". */
static void
who_of(const struct ui_model *m, const struct trace_event *ev, char *buf,
    size_t size)
{
	const struct trace_link *lk;

	buf[0] = '\0';
	if (ev->kind == TRACE_LINK) {
		lk = trace_link(m->t, ev->link);
		snprintf(buf, size, "%s %s", lk != NULL ? lk->name : "-",
		    ev->a ? "up" : "down");
	} else if (ev->node >= 0 && ev->peer >= 0) {
		snprintf(buf, size, "%s \xe2\x86\x92 %s",
		    trace_node_name(m->t, ev->node),
		    trace_node_name(m->t, ev->peer));
	} else if (ev->node >= 0) {
		snprintf(buf, size, "%s", trace_node_name(m->t, ev->node));
	}
}

static void
list_chips(struct ui_ctx *c, struct ui_rect head)
{
	int x = head.x + head.w - UI_PAD, p;

	/* right to left, so the first protocol ends up leftmost */
	for (p = TRACE_PROTO_COUNT_ - 1; p > TRACE_P_NONE; p--) {
		const char *label = trace_proto_label((enum trace_proto)p);
		int hidden = (c->v->hidden >> p) & 1u, w;
		struct ui_color col = ui_proto_color((enum trace_proto)p);

		if (!((c->m->protos >> p) & 1u))
			continue;
		w = ui_text_w(c, UI_FONT_SMALL, label) + 14;
		x -= w;
		if (x < head.x + 90)
			break;
		ui_chip(c, x, head.y + 10, 20, label, UI_FONT_SMALL,
		    hidden ? UI_C_RAISED : ui_alpha(col, 45),
		    hidden ? UI_C_FAINT : col);
		ui_hit(c, (struct ui_rect){x, head.y + 10, w, 20},
		    UI_ROLE_BUTTON, UI_BTN_FILTER + p);
		x -= 6;
	}
}

/* A row's second line: for a datagram on a link, its summary without
 * the addresses the first line already names by node. */
static const char *
row_text(const struct trace_event *ev)
{
	const char *b;

	if ((ev->kind == TRACE_PKT_SEND || ev->kind == TRACE_PKT_RECV ||
	    ev->kind == TRACE_PKT_DROP) &&
	    strncmp(ev->summary, "TCP ", 4) == 0 &&
	    (b = strstr(ev->summary, " [")) != NULL)
		return b + 1;
	return ev->summary;
}

static void
list_row(struct ui_ctx *c, struct ui_rect r, size_t e, int current)
{
	const struct ui_model *m = c->m;
	const struct trace_event *ev = trace_at(m->t, e);
	int future = e >= c->v->cursor, x = r.x + UI_PAD + 4, bw;
	struct ui_color bcol, fg = future ? UI_C_FAINT : UI_C_TEXT;
	const char *badge = badge_of(m, e, &bcol);
	char t[32], who[160];

	if (current) {
		ui_fill(c, r, 0, ui_alpha(UI_C_ACCENT, 46));
		ui_fill(c, (struct ui_rect){r.x, r.y, 3, r.h}, 0, UI_C_ACCENT);
	}
	ui_fill(c, (struct ui_rect){r.x + UI_PAD, r.y + r.h - 1, r.w - 2 *
	    UI_PAD, 1}, 0, ui_alpha(UI_C_BORDER, 160));
	ui_fmt_time(t, sizeof t, ev->t);
	x += ui_text(c, UI_FONT_MONO, x, r.y + 5, t, future ? UI_C_FAINT :
	    UI_C_DIM) + 10;
	bw = ui_chip(c, x, r.y + 4, 18, badge, UI_FONT_SMALL,
	    ui_alpha(bcol, future ? 20 : 45), future ? ui_alpha(bcol, 140) :
	    bcol);
	x += bw + 8;
	who_of(m, ev, who, sizeof who);
	ui_text_fit(c, UI_FONT_SMALL, x, r.y + 6, r.x + r.w - UI_PAD - x, who,
	    future ? UI_C_FAINT : UI_C_DIM);
	ui_text_fit(c, UI_FONT_REGULAR, r.x + UI_PAD + 4, r.y + 24,
	    r.w - 2 * UI_PAD - 4, row_text(ev), ev->kind == TRACE_PKT_DROP &&
	    !future ? UI_RGBA(255, 160, 150, 255) : fg);
	ui_hit(c, r, current ? UI_ROLE_ROW_CURRENT : UI_ROLE_ROW,
	    (int32_t)e);
}

void
ui_build_list(struct ui_ctx *c)
{
	const struct ui_model *m = c->m;
	const struct ui_view *v = c->v;
	struct ui_rect r = c->rg.list, head, body;
	const uint32_t *rows = m->rows[v->gran];
	long n = (long)m->nrows[v->gran], cur, first, k;
	int y, visible;
	char buf[48];

	if (r.w <= 0 || r.h <= 0)
		return;
	ui_fill(c, r, 0, UI_C_PANEL);
	ui_fill(c, (struct ui_rect){r.x, r.y, 1, r.h}, 0, UI_C_BORDER);
	head = (struct ui_rect){r.x, r.y, r.w, LIST_HEAD_H};
	body = (struct ui_rect){r.x + 1, r.y + LIST_HEAD_H, r.w - 1,
	    r.h - LIST_HEAD_H};
	ui_ctx_clip(c, r);
	k = ui_text(c, UI_FONT_BOLD, r.x + UI_PAD + 4, r.y + 12, "Events",
	    UI_C_TEXT);
	snprintf(buf, sizeof buf, "%ld", n);
	ui_text(c, UI_FONT_SMALL, r.x + UI_PAD + 4 + (int)k + 8, r.y + 14,
	    buf, UI_C_FAINT);
	list_chips(c, head);
	ui_fill(c, (struct ui_rect){r.x, body.y - 1, r.w, 1}, 0, UI_C_BORDER);
	ui_hit(c, body, UI_ROLE_LIST, -1);
	ui_ctx_clip(c, body);

	cur = ui_index_before(rows, (size_t)n, v->cursor);
	while (cur >= 0 && ui_view_hides(v, m, rows[cur]))
		cur--;
	visible = body.h / ROW_H;
	if (v->list_follow) {
		int back = visible / 3;

		first = cur < 0 ? 0 : cur;
		for (k = first - 1; k >= 0 && back > 0; k--)
			if (!ui_view_hides(v, m, rows[k])) {
				first = k;
				back--;
			}
	} else {
		first = v->list_first < 0 ? 0 : v->list_first;
	}
	y = body.y;
	for (k = first; k < n && y < body.y + body.h; k++) {
		if (ui_view_hides(v, m, rows[k]))
			continue;
		list_row(c, (struct ui_rect){body.x, y, body.w, ROW_H},
		    rows[k], k == cur);
		y += ROW_H;
	}
	if (n == 0)
		ui_text(c, UI_FONT_REGULAR, body.x + UI_PAD, body.y + UI_PAD,
		    "No events.", UI_C_DIM);
	ui_ctx_clip(c, (struct ui_rect){0, 0, v->w, v->h});
}

/* ---- Detail ---- */

/* The colour of byte off in the hex dump: by the section it is in. */
static struct ui_color
section_color(const struct ui_detail *d, uint32_t off)
{
	static const struct ui_color pal[] = {
		UI_RGBA(129, 170, 255, 255), UI_RGBA(94, 220, 196, 255),
		UI_RGBA(250, 204, 110, 255), UI_RGBA(230, 233, 239, 255),
	};
	size_t i, sec = 0;
	int found = -1;

	for (i = 0; i < d->nfields; i++) {
		const struct ui_field *f = &d->fields[i];

		if (f->depth != 0)
			continue;
		if (f->len > 0 && off >= f->off && off - f->off < f->len)
			found = (int)sec;
		sec++;
	}
	return found < 0 ? UI_C_DIM : pal[(size_t)found % NL_ARRAY_LEN(pal)];
}

static void
detail_fields(struct ui_ctx *c, struct ui_rect area)
{
	const struct ui_detail *d = &c->v->detail;
	int y = area.y, first = c->v->detail_scroll, vx = area.x + 176;
	size_t i;

	if (first > (int)d->nfields - 1)
		first = (int)d->nfields - 1;
	if (first < 0)
		first = 0;
	ui_ctx_clip(c, area);
	ui_hit(c, area, UI_ROLE_DETAIL, -1);
	for (i = (size_t)first; i < d->nfields && y + FIELD_H <= area.y + area.h;
	    i++) {
		const struct ui_field *f = &d->fields[i];
		struct ui_rect row = {area.x, y, area.w, FIELD_H};
		int sel = (int)i == c->v->field;

		if (sel)
			ui_fill(c, row, 4, ui_alpha(UI_C_ACCENT, 70));
		if (f->depth == 0) {
			int w;

			if (!sel)
				ui_fill(c, row, 4, UI_C_RAISED);
			ui_fill(c, (struct ui_rect){row.x + 8, y + 7, 7, 7}, 3,
			    section_color(d, f->off));
			w = ui_text(c, UI_FONT_BOLD, row.x + 22, y + 2, f->name,
			    UI_C_TEXT);
			ui_text_fit(c, UI_FONT_REGULAR, row.x + 32 + w, y + 2,
			    row.w - 40 - w, f->value, UI_C_DIM);
		} else {
			ui_text_fit(c, UI_FONT_REGULAR, row.x + 22, y + 2,
			    vx - row.x - 30, f->name, UI_C_DIM);
			ui_text_fit(c, UI_FONT_REGULAR, vx, y + 2,
			    row.x + row.w - vx - 6, f->value, UI_C_TEXT);
		}
		ui_hit(c, row, UI_ROLE_FIELD, (int32_t)i);
		y += FIELD_H + (f->depth == 0 ? 2 : 0);
	}
}

/* Bytes per hex dump row that fit w pixels: 16, else 8. */
static int
hex_per(const struct ui_ctx *c, int w)
{
	int cw = ui_text_w(c, UI_FONT_MONO, "0");

	if (cw <= 0)
		cw = 8;
	return (6 + 16 * 3 + 2 + 16) * cw <= w ? 16 : 8;
}

static void
detail_hex(struct ui_ctx *c, struct ui_rect area, const uint8_t *data,
    uint32_t len)
{
	const struct ui_detail *d = &c->v->detail;
	const struct ui_field *sel = c->v->field >= 0 &&
	    (size_t)c->v->field < d->nfields ? &d->fields[c->v->field] : NULL;
	int cw = ui_text_w(c, UI_FONT_MONO, "0"), per, rows, first = 0, r;
	int hx, ax, total;
	char buf[8];

	if (cw <= 0)
		cw = 8;
	per = hex_per(c, area.w);
	hx = area.x + 6 * cw;
	ax = hx + per * 3 * cw + cw;
	total = (int)((len + (uint32_t)per - 1) / (uint32_t)per);
	rows = area.h / HEX_H;
	if (sel != NULL && sel->len > 0 && rows > 0) {
		int fr = (int)(sel->off / (uint32_t)per);

		if (fr >= rows - 1)
			first = fr - 1;
	}
	if (first > total - rows)
		first = total - rows > 0 ? total - rows : 0;
	ui_ctx_clip(c, area);
	for (r = first; r < total && (r - first) < rows; r++) {
		/* whole rows only */
		int y = area.y + (r - first) * HEX_H, b;

		snprintf(buf, sizeof buf, "%04x", (unsigned)(r * per));
		ui_text(c, UI_FONT_MONO, area.x, y, buf, UI_C_FAINT);
		for (b = 0; b < per; b++) {
			uint32_t off = (uint32_t)(r * per + b);
			int bx = hx + b * 3 * cw, lit;
			char ch[2];

			if (off >= len)
				break;
			lit = sel != NULL && off >= sel->off &&
			    off - sel->off < sel->len;
			if (lit) {
				ui_fill(c, (struct ui_rect){bx - cw / 2, y,
				    3 * cw, HEX_H}, 0,
				    ui_alpha(UI_C_ACCENT, 110));
				ui_fill(c, (struct ui_rect){ax + b * cw, y, cw,
				    HEX_H}, 0, ui_alpha(UI_C_ACCENT, 110));
			}
			snprintf(buf, sizeof buf, "%02x", data[off]);
			ui_text(c, UI_FONT_MONO, bx, y, buf, lit ? UI_C_TEXT :
			    section_color(d, off));
			ch[0] = data[off] >= 0x20 && data[off] < 0x7f ?
			    (char)data[off] : '.';
			ch[1] = '\0';
			ui_text(c, UI_FONT_MONO, ax + b * cw, y, ch, lit ?
			    UI_C_TEXT : UI_C_FAINT);
			ui_hit(c, (struct ui_rect){bx - cw / 2, y, 3 * cw,
			    HEX_H}, UI_ROLE_HEX, (int32_t)off);
		}
	}
}

void
ui_build_detail(struct ui_ctx *c)
{
	const struct ui_view *v = c->v;
	const struct ui_detail *d = &v->detail;
	struct ui_rect r = c->rg.detail, fa, ha;
	const struct trace_event *ev;
	int x = r.x + UI_PAD + 4, w = r.w - 2 * UI_PAD - 4, y, hexh;
	char buf[200], t[32], who[160];

	if (r.w <= 0 || r.h <= 0)
		return;
	ui_fill(c, r, 0, UI_C_PANEL);
	ui_fill(c, (struct ui_rect){r.x, r.y, 1, r.h}, 0, UI_C_BORDER);
	ui_fill(c, (struct ui_rect){r.x, r.y, r.w, 1}, 0, UI_C_BORDER);
	ui_ctx_clip(c, r);
	ui_text(c, UI_FONT_BOLD, x, r.y + 12, "Message", UI_C_TEXT);
	if (d->ev == UINT32_MAX) {
		ui_text(c, UI_FONT_REGULAR, x, r.y + 44, "Nothing has happened "
		    "yet.", UI_C_DIM);
		ui_ctx_clip(c, (struct ui_rect){0, 0, v->w, v->h});
		return;
	}
	ev = trace_at(c->m->t, d->ev);
	ui_fmt_time(t, sizeof t, ev->t);
	snprintf(buf, sizeof buf, "#%u \xc2\xb7 %s s \xc2\xb7 %s", d->ev, t,
	    trace_kind_str((enum trace_kind)ev->kind));
	ui_text(c, UI_FONT_SMALL, r.x + r.w - UI_PAD - ui_text_w(c,
	    UI_FONT_SMALL, buf), r.y + 14, buf, UI_C_FAINT);
	who_of(c->m, ev, who, sizeof who);
	y = r.y + 38;
	if (who[0] != '\0') {
		ui_text_fit(c, UI_FONT_SMALL, x, y, w, who, UI_C_DIM);
		y += 18;
	}
	y += 18 * ui_text_wrap(c, UI_FONT_REGULAR, x, y, w, 18, 2,
	    ev->summary, UI_C_TEXT) + 8;

	/* fields first, then the bytes right under them; when both do
	 * not fit, the bytes keep at least 40% (each part scrolls) */
	{
		int avail = r.y + r.h - y, per = hex_per(c, w), need_f = 0;
		int need_h = 0, hy;
		size_t i;

		for (i = 0; i < d->nfields; i++)
			need_f += FIELD_H + (d->fields[i].depth == 0 ? 2 : 0);
		if (ev->len > 0)
			need_h = (int)((ev->len + (uint32_t)per - 1) /
			    (uint32_t)per) * HEX_H + 30;
		hexh = need_h;
		if (need_f + need_h + 10 > avail) {
			hexh = avail * 40 / 100;
			if (hexh > need_h)
				hexh = need_h;
			if (hexh < 3 * HEX_H + 30 && need_h > 0)
				hexh = 3 * HEX_H + 30;
		}
		fa = (struct ui_rect){r.x + UI_PAD - 4, y, r.w - 2 * UI_PAD + 8,
		    NL_MIN(need_f, avail - hexh - 10)};
		if (fa.h > 0)
			detail_fields(c, fa);
		ui_ctx_clip(c, r);
		hy = y + (fa.h > 0 ? fa.h : 0) + 10;
		if (hexh > 0 && hy < r.y + r.h - 3 * HEX_H) {
			ui_fill(c, (struct ui_rect){r.x + UI_PAD, hy - 2,
			    r.w - 2 * UI_PAD, 1}, 0, UI_C_BORDER);
			snprintf(buf, sizeof buf, "Bytes (%u)", ev->len);
			ui_text(c, UI_FONT_SMALL, x, hy + 6, buf, UI_C_DIM);
			ha = (struct ui_rect){x, hy + 26, w, r.y + r.h - hy - 30};
			if (ha.h > 0)
				detail_hex(c, ha, ev->data, ev->len);
		}
	}
	ui_ctx_clip(c, (struct ui_rect){0, 0, v->w, v->h});
}
