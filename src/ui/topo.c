/* topo.c - the topology view: nodes as discs drawn by kind with their
 * name, kind and addresses, links with their delay, the current message
 * as a numbered arrow from sender to receiver, every datagram in flight
 * as a dot on its link, and a cross where one was lost.
 *
 * A dot's place is a pure function of the cursor's virtual time and its
 * pkt-send's transmission start (b) and arrival (c), as ns-3's animator
 * gets them from the channel: nothing survives between frames. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ui_int.h"
#include "util/nl.h"

#define ADDR_LINES 3		/* addresses shown under a node at most */
#define LABEL_MAX_W 190		/* a node's label lines, pixels */

const char *
ui_class_name(enum ui_node_class c)
{
	switch (c) {
	case UI_NC_HOST:
		return "host";
	case UI_NC_ROUTER:
		return "router";
	case UI_NC_USER:
		return "user agent";
	case UI_NC_MAIL:
		return "mail server";
	case UI_NC_DNS_ROOT:
		return "root DNS server";
	case UI_NC_DNS_TLD:
		return "TLD DNS server";
	case UI_NC_DNS_AUTH:
		return "authoritative DNS";
	case UI_NC_DNS_LOCAL:
		return "local DNS server";
	case UI_NC_COUNT_:
		break;
	}
	return "node";
}

const char *
ui_node_kind_name(const struct ui_model *m, int32_t id)
{
	const struct trace_node *tn = trace_node(m->t, id);

	/* Kinds that share a class's look but not its name. */
	if (tn != NULL && tn->kind != NULL) {
		if (strcmp(tn->kind, "browser") == 0)
			return "web browser";
		if (strcmp(tn->kind, "webmail") == 0)
			return "webmail server";
	}
	return ui_class_name((enum ui_node_class)m->nodes[id].cls);
}

static enum ui_icon
class_icon(enum ui_node_class c)
{
	switch (c) {
	case UI_NC_ROUTER:
		return UI_ICON_ROUTER;
	case UI_NC_USER:
		return UI_ICON_USER;
	case UI_NC_MAIL:
		return UI_ICON_MAIL;
	case UI_NC_DNS_ROOT:
	case UI_NC_DNS_TLD:
	case UI_NC_DNS_AUTH:
	case UI_NC_DNS_LOCAL:
		return UI_ICON_DNS;
	case UI_NC_HOST:
	case UI_NC_COUNT_:
		break;
	}
	return UI_ICON_HOST;
}

/* ---- Geometry ---- */

struct pt {
	double x, y;
};

static int
ix(double v)
{
	return (int)lround(v);
}

/* Many nodes: small discs and names only. */
static int
compact(const struct ui_ctx *c)
{
	return c->m->nnodes > 24;
}

/* Discs grow with the zoom, but less: text keeps its size (so it stays
 * readable at any zoom) and must still fit under them. */
static double
disc_scale(const struct ui_ctx *c)
{
	double z = sqrt(c->v->zoom);

	return z < 0.7 ? 0.7 : z > 1.6 ? 1.6 : z;
}

static int
radius_of(const struct ui_ctx *c, int32_t id)
{
	double r = compact(c) ? 8 : c->m->nodes[id].cls == UI_NC_ROUTER ?
	    19 : 23;

	return (int)lround(r * disc_scale(c));
}

/* The i-th address of a node (the model keeps them ", "-separated) into
 * buf; 0 when there is none. */
static int
addr_line(const struct ui_ctx *c, int32_t id, int i, char *buf, size_t size)
{
	const char *s = c->m->nodes[id].addr, *e;
	size_t n;

	while (i-- > 0) {
		s = strstr(s, ", ");
		if (s == NULL)
			return 0;
		s += 2;
	}
	if (*s == '\0')
		return 0;
	e = strstr(s, ", ");
	n = e != NULL ? (size_t)(e - s) : strlen(s);
	if (n >= size)
		n = size - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return 1;
}

/* Whether the kind goes under the name: not for hosts and routers,
 * whose icons say it. */
static int
shows_kind(const struct ui_ctx *c, int32_t id)
{
	enum ui_node_class k = (enum ui_node_class)c->m->nodes[id].cls;

	return !compact(c) && k != UI_NC_HOST && k != UI_NC_ROUTER;
}

/* The size of the label lines under a node's disc. */
static void
label_size(const struct ui_ctx *c, int32_t id, int *w, int *h)
{
	const struct trace_node *tn = trace_node(c->m->t, id);
	char buf[32];
	int k;

	*w = ui_text_w(c, compact(c) ? UI_FONT_SMALL : UI_FONT_BOLD, tn->name);
	*h = ui_font_h(c, compact(c) ? UI_FONT_SMALL : UI_FONT_BOLD) + 2;
	if (compact(c)) {
		*w = NL_MIN(*w, 90);
		return;
	}
	if (shows_kind(c, id)) {
		*w = NL_MAX(*w, ui_text_w(c, UI_FONT_SMALL,
		    ui_node_kind_name(c->m, id)));
		*h += 15;
	}
	for (k = 0; k < ADDR_LINES && addr_line(c, id, k, buf, sizeof buf);
	    k++) {
		*w = NL_MAX(*w, ui_text_w(c, UI_FONT_SMALL, buf));
		*h += 15;
	}
	*w = NL_MIN(*w, LABEL_MAX_W);
}

/* The margins that keep every disc and label inside the canvas. */
static void
set_margins(struct ui_ctx *c)
{
	size_t i;
	int w, h, r;

	c->mx = c->my = 0;
	c->my_bottom = 0;
	for (i = 0; i < c->m->nnodes; i++) {
		label_size(c, (int32_t)i, &w, &h);
		/* at zoom 1: zooming must not move the layout under it */
		r = (int)lround(radius_of(c, (int32_t)i) / disc_scale(c));
		c->mx = NL_MAX(c->mx, NL_MAX(w / 2.0, r) + 12);
		c->my = NL_MAX(c->my, r + 14.0);
		c->my_bottom = NL_MAX(c->my_bottom, r + 8.0 + h + 10);
	}
	/* keep clear of the legend in the bottom-left corner, and of the
	 * SMTP phase bar at the top when the trace has SMTP */
	c->my_bottom += compact(c) ? 0 : 30;
	if (!compact(c) && ((c->m->protos >> TRACE_P_SMTP) & 1u))
		c->my += 40;
}

static struct pt
node_pt(const struct ui_ctx *c, int32_t id)
{
	const struct ui_rect *k = &c->rg.canvas;
	const struct ui_node_info *n = &c->m->nodes[id];
	double mx = c->mx > 0 ? c->mx : 40, top = c->my > 0 ? c->my : 30;
	double bot = c->my_bottom > 0 ? c->my_bottom : 40;
	double w = k->w - 2 * mx, h = k->h - top - bot;
	struct pt p;

	p.x = k->x + mx + n->x * (w > 0 ? w : 0);
	p.y = k->y + top + n->y * (h > 0 ? h : 0);
	/* pan and zoom: scale about the canvas's centre, then shift */
	if (c->v->zoom != 1 || c->v->pan_x != 0 || c->v->pan_y != 0) {
		double cx = k->x + k->w / 2.0, cy = k->y + k->h / 2.0;

		p.x = cx + (p.x - cx) * c->v->zoom + c->v->pan_x;
		p.y = cy + (p.y - cy) * c->v->zoom + c->v->pan_y;
	}
	return p;
}

/* The disc of a node: what a click hits and arrows end at. */
static struct ui_rect
node_disc(const struct ui_ctx *c, int32_t id)
{
	struct pt p = node_pt(c, id);
	int r = radius_of(c, id);

	return (struct ui_rect){ix(p.x) - r, ix(p.y) - r, 2 * r, 2 * r};
}

/* The visible stretch from node a to node b (disc edge to disc edge),
 * shifted `lane` pixels to the left of the direction of travel. */
struct way {
	struct pt p, q;		/* from, to */
	double nx, ny;		/* left normal of the direction */
	double len;		/* |q - p| */
};

static int
way_of(const struct ui_ctx *c, int32_t a, int32_t b, double lane,
    struct way *w)
{
	struct pt pa, pb;
	double dx, dy, len, ea, eb;

	if (a < 0 || b < 0 || (size_t)a >= c->m->nnodes ||
	    (size_t)b >= c->m->nnodes)
		return 0;
	pa = node_pt(c, a);
	pb = node_pt(c, b);
	dx = pb.x - pa.x;
	dy = pb.y - pa.y;
	len = sqrt(dx * dx + dy * dy);
	ea = radius_of(c, a) + 5;
	eb = radius_of(c, b) + 5;
	if (len < 1)
		return 0;
	dx /= len;
	dy /= len;
	w->nx = dy;
	w->ny = -dx;
	/* the lane runs beside the link: start where it clears the disc */
	if (lane != 0) {
		double ra = ea * ea - lane * lane, rb = eb * eb - lane * lane;

		ea = ra > 0 ? sqrt(ra) : 0;
		eb = rb > 0 ? sqrt(rb) : 0;
		ea += 3;
		eb += 3;
	}
	if (ea + eb > len - 4)
		ea = eb = (len - 4) / 2 > 0 ? (len - 4) / 2 : 0;
	w->p.x = pa.x + dx * ea + w->nx * lane;
	w->p.y = pa.y + dy * ea + w->ny * lane;
	w->q.x = pb.x - dx * eb + w->nx * lane;
	w->q.y = pb.y - dy * eb + w->ny * lane;
	w->len = hypot(w->q.x - w->p.x, w->q.y - w->p.y);
	return 1;
}

static struct pt
way_at(const struct way *w, double f)
{
	struct pt r;

	r.x = w->p.x + (w->q.x - w->p.x) * f;
	r.y = w->p.y + (w->q.y - w->p.y) * f;
	return r;
}

/* ---- State folded from the trace: links and nodes up or down ---- */

static int
is_up(const struct ui_ctx *c, enum trace_kind kind, int32_t id)
{
	size_t k = (size_t)(ui_index_before(c->m->updown, c->m->nupdown,
	    c->v->cursor) + 1);

	while (k-- > 0) {
		const struct trace_event *ev = trace_at(c->m->t,
		    c->m->updown[k]);

		if (ev->kind != kind)
			continue;
		if ((kind == TRACE_LINK ? ev->link : ev->node) == id)
			return ev->a != 0;
	}
	return 1;
}

/* ---- Links ---- */

static void
link_label(const struct trace_link *lk, int up, char *buf, size_t size,
    struct ui_color *fg)
{
	char bw[24];

	if (lk->bandwidth >= 1000000000 && lk->bandwidth % 1000000000 == 0)
		snprintf(bw, sizeof bw, "%llu Gbit/s",
		    (unsigned long long)(lk->bandwidth / 1000000000));
	else if (lk->bandwidth >= 1000000)
		snprintf(bw, sizeof bw, "%g Mbit/s", (double)lk->bandwidth / 1e6);
	else
		snprintf(bw, sizeof bw, "%g kbit/s", (double)lk->bandwidth / 1e3);
	*fg = UI_C_DIM;
	if (!up) {
		snprintf(buf, size, "link down");
		*fg = UI_C_RED;
	} else if (lk->loss > 0) {
		snprintf(buf, size, "%g ms \xc2\xb7 %s \xc2\xb7 %g%% loss",
		    (double)lk->delay / 1e6, bw, lk->loss * 100);
		*fg = UI_C_AMBER;
	} else {
		snprintf(buf, size, "%g ms \xc2\xb7 %s", (double)lk->delay / 1e6,
		    bw);
	}
}

static void
build_links(struct ui_ctx *c)
{
	size_t n = trace_link_count(c->m->t), l, nplaced = 0, k;
	struct ui_rect placed[64];
	char buf[96];

	for (l = 0; l < n; l++) {
		const struct trace_link *lk = trace_link(c->m->t, (int32_t)l);
		int up = is_up(c, TRACE_LINK, (int32_t)l), tw;
		struct ui_color col = up ? UI_C_LINK : UI_C_RED, fg;
		struct pt a, b, mid;
		struct way w;
		struct ui_cmd *cmd;

		if (lk->a < 0 || lk->b < 0 || (size_t)lk->a >= c->m->nnodes ||
		    (size_t)lk->b >= c->m->nnodes)
			continue;
		a = node_pt(c, lk->a);
		b = node_pt(c, lk->b);
		if (up) {
			/* a crowd's links are hairlines: cheaper, and less
			 * ink between that many nodes */
			cmd = ui_dl_line(c->dl, ix(a.x), ix(a.y), ix(b.x), ix(b.y),
			    compact(c) ? 1 : 3, col);
			if (cmd != NULL) {
				cmd->role = UI_ROLE_LINK;
				cmd->ref = (int32_t)l;
			}
		} else {
			/* dashed: 10 on, 8 off */
			double len = hypot(b.x - a.x, b.y - a.y), s;

			for (s = 0; s < len; s += 18) {
				double e = s + 10 < len ? s + 10 : len;

				ui_line(c, ix(a.x + (b.x - a.x) * s / len),
				    ix(a.y + (b.y - a.y) * s / len),
				    ix(a.x + (b.x - a.x) * e / len),
				    ix(a.y + (b.y - a.y) * e / len), 3, col);
			}
		}
		if (compact(c) || !way_of(c, lk->a, lk->b, 0, &w))
			continue;
		/* the label, only where the link is long enough for it */
		link_label(lk, up, buf, sizeof buf, &fg);
		tw = ui_text_w(c, UI_FONT_SMALL, buf);
		if (w.len < tw + 40 && up)
			continue;
		mid = way_at(&w, 0.5);
		{
			struct ui_rect r = {ix(mid.x) - tw / 2 - 7, ix(mid.y) - 9,
			    tw + 14, 18};

			/* no label over another: the first link keeps it */
			for (k = 0; k < nplaced; k++)
				if (ui_rect_overlaps(r, placed[k]))
					break;
			if (k < nplaced || nplaced == NL_ARRAY_LEN(placed))
				continue;
			placed[nplaced++] = r;
			ui_fill(c, r, 9, UI_C_CANVAS);
			ui_stroke(c, r, 9, 1, up ? UI_C_BORDER : UI_C_RED);
			ui_text(c, UI_FONT_SMALL, r.x + 7, r.y + (18 - ui_font_h(c,
			    UI_FONT_SMALL)) / 2, buf, fg);
		}
	}
}

/* ---- Nodes ---- */

static void
centred(struct ui_ctx *c, enum ui_font f, int cx, int y, const char *s,
    struct ui_color col)
{
	int w = NL_MIN(ui_text_w(c, f, s), LABEL_MAX_W);

	ui_text_fit(c, f, cx - w / 2, y, LABEL_MAX_W, s, col);
}

/* Whether r (a crowd's node name) is clear of the names placed so far
 * on the canvas; if so it takes its cells. Outside the grid: clear. */
static int
name_room(struct ui_ctx *c, struct ui_rect r)
{
	const struct ui_rect *k = &c->rg.canvas;
	int x0 = (r.x - k->x) / UI_GRID_CELL, x1 = (r.x + r.w - 1 - k->x) /
	    UI_GRID_CELL, y0 = (r.y - k->y) / UI_GRID_CELL,
	    y1 = (r.y + r.h - 1 - k->y) / UI_GRID_CELL, x, y;

	if (r.x < k->x || r.y < k->y || x1 >= UI_GRID_W || y1 >= UI_GRID_H)
		return 1;
	for (y = y0; y <= y1; y++)
		for (x = x0; x <= x1; x++)
			if (c->taken[(y * UI_GRID_W + x) / 8] >> (x & 7) & 1)
				return 0;
	for (y = y0; y <= y1; y++)
		for (x = x0; x <= x1; x++)
			c->taken[(y * UI_GRID_W + x) / 8] |=
			    (uint8_t)(1u << (x & 7));
	return 1;
}

static void
build_node(struct ui_ctx *c, int32_t id, struct ui_color hl)
{
	const struct trace_node *tn = trace_node(c->m->t, id);
	enum ui_node_class cls = (enum ui_node_class)c->m->nodes[id].cls;
	struct ui_color kc = ui_class_color(cls);
	struct pt p = node_pt(c, id);
	int r = radius_of(c, id), up = is_up(c, TRACE_NODE, id);
	int cx = ix(p.x), cy = ix(p.y), lw, lh, y, k;
	struct ui_rect disc = node_disc(c, id);
	char buf[32];

	/* off the canvas (zoomed in): nothing of it shows */
	if (cx + LABEL_MAX_W < c->clip.x || cx - LABEL_MAX_W > c->clip.x +
	    c->clip.w || cy + r + 80 < c->clip.y || cy - r - 40 > c->clip.y +
	    c->clip.h)
		return;
	if (!up)
		kc = UI_C_FAINT;
	if (compact(c)) {
		/* many nodes: a disc and a name, cheap to draw */
		ui_dl_circle(c->dl, cx, cy, r + (hl.a ? 3 : 0), 0,
		    hl.a ? hl : ui_alpha(kc, 150));
		ui_dl_circle(c->dl, cx, cy, r - 2, 0, ui_mix(UI_C_RAISED, kc,
		    60));
		{
			int w = NL_MIN(ui_text_w(c, UI_FONT_SMALL, tn->name), 90);

			if (name_room(c, (struct ui_rect){cx - w / 2, cy + r + 3,
			    w, ui_font_h(c, UI_FONT_SMALL)}))
				ui_text_fit(c, UI_FONT_SMALL, cx - w / 2,
				    cy + r + 3, 90, tn->name, UI_C_DIM);
		}
		ui_hit(c, disc, UI_ROLE_NODE, id);
		return;
	}
	if (hl.a)
		ui_dl_circle(c->dl, cx, cy, r + 5, 3, hl);
	ui_dl_circle(c->dl, cx, cy + 2, r + 1, 0, UI_RGBA(0, 0, 0, 110));
	ui_dl_circle(c->dl, cx, cy, r, 0, ui_mix(UI_C_RAISED, kc, 40));
	ui_dl_circle(c->dl, cx, cy, r, 2, ui_alpha(kc, up ? 200 : 120));
	{
		int is = r * 11 / 10;

		ui_dl_icon(c->dl, class_icon(cls), (struct ui_rect){cx - is / 2,
		    cy - is / 2, is, is}, kc);
	}
	if (!up)
		ui_dl_icon(c->dl, UI_ICON_DROP, (struct ui_rect){cx + r - 8,
		    cy - r - 2, 12, 12}, UI_C_RED);
	/* the label lines, on a backing that keeps them readable over
	 * links */
	label_size(c, id, &lw, &lh);
	y = cy + r + 6;
	ui_fill(c, (struct ui_rect){cx - lw / 2 - 5, y - 1, lw + 10, lh + 2}, 5,
	    ui_alpha(UI_C_CANVAS, 215));
	centred(c, compact(c) ? UI_FONT_SMALL : UI_FONT_BOLD, cx, y, tn->name,
	    up ? UI_C_TEXT : UI_C_FAINT);
	y += ui_font_h(c, compact(c) ? UI_FONT_SMALL : UI_FONT_BOLD) + 2;
	if (shows_kind(c, id)) {
		centred(c, UI_FONT_SMALL, cx, y, ui_node_kind_name(c->m, id),
		    up ? ui_alpha(kc, 230) : UI_C_RED);
		y += 15;
	}
	for (k = 0; !compact(c) && k < ADDR_LINES &&
	    addr_line(c, id, k, buf, sizeof buf); k++, y += 15)
		centred(c, UI_FONT_SMALL, cx, y, buf, UI_C_DIM);
	if (!up && !shows_kind(c, id))
		centred(c, UI_FONT_SMALL, cx, y, "down", UI_C_RED);
	ui_hit(c, disc, UI_ROLE_NODE, id);
}

/* ---- Messages ---- */

/* A label box centred on (x, y) with a coloured border; a number badge
 * before the text when num > 0. */
/* The box of a label centred on (x, y), kept inside the canvas; the
 * badge's width in *bw. *moved tells whether the canvas pushed it. */
static struct ui_rect
label_rect(const struct ui_ctx *c, int x, int y, const char *s, int strong,
    int num, int *bw, int *moved)
{
	enum ui_font f = strong ? UI_FONT_BOLD : UI_FONT_SMALL;
	int tw = NL_MIN(ui_text_w(c, f, s), 360), h = ui_font_h(c, f) + 8;
	struct ui_rect r, k = c->rg.canvas;
	char nb[16];

	*bw = 0;
	if (num > 0) {
		snprintf(nb, sizeof nb, "%d", num);
		*bw = NL_MAX(ui_text_w(c, UI_FONT_BOLD, nb) + 10, h - 6) + 6;
	}
	r.w = tw + 16 + *bw;
	r.h = h;
	r.x = x - r.w / 2;
	r.y = y - h / 2;
	*moved = 0;
	if (r.x + r.w > k.x + k.w - 6) {
		r.x = k.x + k.w - 6 - r.w;
		*moved = 1;
	}
	if (r.x < k.x + 6) {
		r.x = k.x + 6;
		*moved = 1;
	}
	if (r.y < k.y + 6) {
		r.y = k.y + 6;
		*moved = 1;
	}
	if (r.y + r.h > k.y + k.h - 6) {
		r.y = k.y + k.h - 6 - r.h;
		*moved = 1;
	}
	return r;
}

/* How bad a place r is for a label: the node discs and names it would
 * cover, and being pushed by the canvas's edge. */
static int
label_cost(const struct ui_ctx *c, struct ui_rect r, int moved)
{
	int cost = moved ? 3 : 0;
	size_t i;

	for (i = 0; i < c->m->nnodes; i++) {
		struct ui_rect d = node_disc(c, (int32_t)i);

		d.y -= 4;
		d.h += 40;	/* the name under the disc */
		d.x -= 20;
		d.w += 40;
		if (ui_rect_overlaps(r, d))
			cost += 2;
	}
	return cost;
}

static void
label_box(struct ui_ctx *c, int x, int y, const char *s, struct ui_color col,
    int strong, int num, enum ui_role role, int32_t ref)
{
	enum ui_font f = strong ? UI_FONT_BOLD : UI_FONT_SMALL;
	int h = ui_font_h(c, f) + 8, bw, moved, tw;
	char nb[16];
	struct ui_rect r = label_rect(c, x, y, s, strong, num, &bw, &moved);
	struct ui_cmd *t;

	tw = r.w - 16 - bw;
	if (num > 0)
		snprintf(nb, sizeof nb, "%d", num);
	ui_fill(c, r, 7, ui_mix(UI_C_PANEL, col, strong ? 40 : 18));
	ui_stroke(c, r, 7, 1, ui_alpha(col, strong ? 255 : 150));
	if (num > 0) {
		struct ui_rect b = {r.x + 4, r.y + 3, bw - 6, h - 6};

		ui_fill(c, b, (h - 6) / 2, col);
		ui_text(c, UI_FONT_BOLD, b.x + (b.w - ui_text_w(c, UI_FONT_BOLD,
		    nb)) / 2, b.y + (b.h - ui_font_h(c, UI_FONT_BOLD)) / 2, nb,
		    UI_C_BG);
	}
	ui_text_fit(c, f, r.x + 8 + bw, r.y + 4, tw, s, UI_C_TEXT);
	t = c->dl->ncmds > 0 ? &c->dl->cmds[c->dl->ncmds - 1] : NULL;
	if (t != NULL && t->type == UI_CMD_TEXT) {
		t->role = (uint8_t)role;
		t->ref = ref;
	}
}

/* The label of datagram (pkt-send) i: its message's when it carries
 * one over UDP (a DNS query says more than "UDP len=35") or at message
 * level, else its TCP flags and numbers. */
void
ui_seg_label(const struct ui_model *m, size_t i, char *buf, size_t size)
{
	const struct trace_event *ev = trace_at(m->t, i);
	uint32_t app = m->app_of[i];

	if (app != UI_NONE && (ev->proto == TRACE_P_UDP))
		ui_app_label(trace_at(m->t, app), buf, size);
	else if (app != UI_NONE && strncmp(ev->summary, "TCP ", 4) != 0)
		ui_app_label(trace_at(m->t, app), buf, size);
	else
		ui_short_label(ev->summary, buf, size);
}

/* Where a lost datagram vanishes on its link. */
struct drop_at {
	int32_t from, to;	/* the link's ends, in travel direction */
	double f;		/* fraction of the way */
	sim_time t;		/* when the datagram gets there */
};

static int
drop_place(const struct ui_ctx *c, uint32_t d, struct drop_at *o)
{
	const struct trace_event *de = trace_at(c->m->t, d);

	if (de->b >= 0 && (uint64_t)de->b < d &&
	    ui_send_timed(trace_at(c->m->t, (size_t)de->b))) {
		const struct trace_event *se = trace_at(c->m->t, (size_t)de->b);
		sim_time span = se->c - se->b;

		o->from = se->node;
		o->to = se->peer;
		if (de->a == TRACE_DROP_LOSS || span <= 0) {
			o->f = 0.5;
		} else {
			o->f = (double)(de->t - se->b) / (double)span;
			o->f = o->f < 0.08 ? 0.08 : o->f > 0.92 ? 0.92 : o->f;
		}
		o->t = se->b + (sim_time)(o->f * (double)span);
		if (o->t > de->t)
			o->t = de->t;
	} else {
		o->from = de->node;
		o->to = de->peer;
		o->f = 0.1;
		o->t = de->t;
	}
	return o->from >= 0 && o->to >= 0 && o->from != o->to;
}

/* How long a drop's cross stays: two seconds of wall time. */
static sim_time
linger(const struct ui_ctx *c)
{
	return 2 * c->m->pace * ui_speed_tenths(c->v->speed) / 10;
}

/* Everything in flight at the cursor's time: a dot per datagram on its
 * link, labelled with its message when it is not the current one; only
 * protocol `only` when it is >= 0. */
static void
build_flight(struct ui_ctx *c, long cur, int only)
{
	const struct ui_model *m = c->m;
	sim_time T = c->v->time;
	size_t i = c->v->cursor, nlab = 0, k;
	uint32_t labelled[48];
	int32_t cur_link = -1, cur_from = -1;

	if (cur >= 0 && trace_at(m->t, (size_t)cur)->kind == TRACE_PKT_SEND) {
		cur_link = trace_at(m->t, (size_t)cur)->link;
		cur_from = trace_at(m->t, (size_t)cur)->node;
	}
	while (i-- > 0) {
		const struct trace_event *ev = trace_at(m->t, i);
		struct way w;
		struct pt p;
		double f;
		uint32_t app;
		struct ui_color col;
		struct ui_cmd *dot;

		if (ev->t < T - m->max_flight ||
		    c->dl->ncmds + UI_RESERVE > UI_DLIST_CMDS)
			break;
		if (ev->kind != TRACE_PKT_SEND || !ui_send_timed(ev) ||
		    ev->b > T || ev->c <= T || ev->c <= ev->b)
			continue;
		app = m->app_of[i];
		if (c->v->gran == UI_GRAN_APP && app == UI_NONE)
			continue;
		if (ui_view_hides(c->v, m, i) || (only >= 0 &&
		    (int)ui_event_proto(m, i) != only))
			continue;
		f = (double)(T - ev->b) / (double)(ev->c - ev->b);
		if (m->drop_of[i] != UI_NONE) {
			struct drop_at da;

			if (drop_place(c, m->drop_of[i], &da) && f >= da.f)
				continue;
		}
		if (ev->node < 0 || ev->peer < 0 ||
		    !way_of(c, ev->node, ev->peer, UI_LANE, &w))
			continue;
		col = ui_proto_color(ui_event_proto(m, i));
		p = way_at(&w, f);
		if (!compact(c))
			ui_dl_circle(c->dl, ix(p.x), ix(p.y), 8, 0, UI_C_CANVAS);
		dot = ui_dl_circle(c->dl, ix(p.x), ix(p.y), compact(c) ? 4 : 6,
		    0, col);
		if (dot != NULL) {
			dot->role = UI_ROLE_MSG;
			dot->ref = (int32_t)i;
		}
		if (compact(c))
			continue;
		/* one label per message (per link, at segment level); none
		 * for the current one, whose arrow has it */
		{
			uint32_t key = c->v->gran == UI_GRAN_APP ? app :
			    (uint32_t)ev->link << 1 |
			    (uint32_t)(ev->node < ev->peer);
			char text[96];

			if (c->v->gran == UI_GRAN_APP && (long)app == cur)
				continue;
			/* near a node the label would cover the node's */
			if (f < 0.18 || f > 0.82)
				continue;
			if (c->v->gran == UI_GRAN_SEGMENT && cur_link >= 0 &&
			    ev->link == cur_link && ev->node == cur_from)
				continue;
			for (k = 0; k < nlab && labelled[k] != key; k++)
				;
			if (k < nlab || nlab == NL_ARRAY_LEN(labelled))
				continue;
			labelled[nlab++] = key;
			if (c->v->gran == UI_GRAN_APP)
				ui_app_label(trace_at(m->t, app), text,
				    sizeof text);
			else
				ui_seg_label(m, i, text, sizeof text);
			label_box(c, ix(p.x + w.nx * 22), ix(p.y + w.ny * 22),
			    text, col, 0, 0, UI_ROLE_NONE, (int32_t)i);
		}
	}
}

static void
build_drops(struct ui_ctx *c)
{
	const struct ui_model *m = c->m;
	sim_time T = c->v->time, lg = linger(c);
	size_t k = ui_index_at_time(m, m->drops, m->ndrops,
	    T - lg - m->max_flight);

	for (; k < m->ndrops; k++) {
		uint32_t d = m->drops[k];
		struct drop_at da;
		struct way w;
		struct pt p;
		struct ui_cmd *x;

		if (trace_at(m->t, d)->t > ui_time_add(T, m->max_flight))
			break;
		if (!drop_place(c, d, &da) || T < da.t ||
		    T >= ui_time_add(da.t, lg))
			continue;
		if (ui_view_hides(c->v, m, d))
			continue;
		if (!way_of(c, da.from, da.to, UI_LANE, &w))
			continue;
		p = way_at(&w, da.f);
		ui_dl_circle(c->dl, ix(p.x), ix(p.y), 11, 0, UI_C_CANVAS);
		x = ui_dl_icon(c->dl, UI_ICON_DROP, (struct ui_rect){ix(p.x) - 8,
		    ix(p.y) - 8, 16, 16}, UI_C_RED);
		if (x != NULL) {
			x->role = UI_ROLE_DROP;
			x->ref = (int32_t)d;
		}
	}
}

/* The current step as an arrow, sender to receiver: straight for an
 * application message (the datagrams show the links it takes), along
 * its one link for a segment. With label_only, just its label. */
static void
build_current(struct ui_ctx *c, long s, int label_only)
{
	const struct ui_model *m = c->m;
	const struct trace_event *ev = trace_at(m->t, (size_t)s);
	struct ui_color col = ui_proto_color(ui_event_proto(m, (size_t)s));
	int faded = c->v->time >= m->end[s], num = 0;
	char text[200];
	struct way w;
	struct pt mid;

	if (ev->node < 0 || ev->peer < 0 || ev->node == ev->peer ||
	    !way_of(c, ev->node, ev->peer, UI_LANE, &w))
		return;
	if (faded)
		col = ui_alpha(col, 130);
	if (!label_only) {
		struct ui_cmd *cmd = ui_dl_arrow(c->dl, ix(w.p.x), ix(w.p.y),
		    ix(w.q.x), ix(w.q.y), 3, col);

		if (cmd != NULL) {
			cmd->role = UI_ROLE_MSG_ARROW;
			cmd->ref = (int32_t)s;
		}
		return;
	}
	if (ev->kind == TRACE_PKT_SEND) {
		ui_seg_label(m, (size_t)s, text, sizeof text);
	} else {
		ui_app_label(ev, text, sizeof text);
		num = (int)ui_index_before(m->steps[UI_GRAN_APP],
		    m->nsteps[UI_GRAN_APP], (size_t)s + 1) + 1;
	}
	/* beside the arrow, short of the middle where a link's own label
	 * sits; of a few places, the one that covers the fewest nodes */
	{
		static const double along[] = {0.42, 0.6, 0.28};
		static const double side[] = {20, -20 - 2 * UI_LANE};
		int best = -1, bx = 0, by = 0, k, j, bwid, moved;

		for (k = 0; k < 3; k++)
			for (j = 0; j < 2; j++) {
				int x, y, cost;
				struct ui_rect r;

				mid = way_at(&w, along[k]);
				x = ix(mid.x + w.nx * side[j]);
				y = ix(mid.y + w.ny * side[j]);
				r = label_rect(c, x, y, text, 1, num, &bwid,
				    &moved);
				cost = label_cost(c, r, moved) * 4 + k + j;
				if (best < 0 || cost < best) {
					best = cost;
					bx = x;
					by = y;
				}
			}
		label_box(c, bx, by, text, faded ? UI_C_DIM : col, 1, num,
		    UI_ROLE_MSG_LABEL, (int32_t)s);
	}
}

/* What the colours mean, in the canvas's bottom-left corner. */
static void
build_legend(struct ui_ctx *c)
{
	const struct ui_model *m = c->m;
	int x, y = c->rg.canvas.y + c->rg.canvas.h - 32, w = 16, p;
	int fh = ui_font_h(c, UI_FONT_SMALL);

	for (p = TRACE_P_UDP; p < TRACE_PROTO_COUNT_; p++)
		if ((m->protos >> p) & 1u)
			w += ui_text_w(c, UI_FONT_SMALL,
			    trace_proto_label((enum trace_proto)p)) + 30;
	if (m->ndrops > 0)
		w += ui_text_w(c, UI_FONT_SMALL, "lost") + 30;
	x = c->rg.canvas.x + 12;
	ui_fill(c, (struct ui_rect){x, y, w, 22}, 11, ui_alpha(UI_C_PANEL, 230));
	x += 12;
	for (p = TRACE_P_UDP; p < TRACE_PROTO_COUNT_; p++) {
		const char *l = trace_proto_label((enum trace_proto)p);

		if (!((m->protos >> p) & 1u))
			continue;
		ui_dl_circle(c->dl, x + 5, y + 11, 5, 0,
		    ui_proto_color((enum trace_proto)p));
		x += 16;
		x += ui_text(c, UI_FONT_SMALL, x, y + (22 - fh) / 2, l,
		    UI_C_DIM) + 14;
	}
	if (m->ndrops > 0) {
		ui_dl_icon(c->dl, UI_ICON_DROP, (struct ui_rect){x, y + 6, 10,
		    10}, UI_C_RED);
		x += 16;
		ui_text(c, UI_FONT_SMALL, x, y + (22 - fh) / 2, "lost",
		    UI_C_DIM);
	}
}

/* ---- SMTP phases ---- */

/* The phase (0 TCP handshake, 1 SMTP handshake, 2 transfer, 3 closure)
 * of the SMTP connection event s belongs to, or -1 when s is no SMTP. */
static int
smtp_phase(const struct ui_model *m, long s)
{
	const struct trace_event *ev = trace_at(m->t, (size_t)s);
	long k;

	if (ev->kind == TRACE_PKT_SEND && ev->proto == TRACE_P_TCP &&
	    m->app_of[s] == UI_NONE) {
		/* at segment level: SMTP's own TCP segments */
		if (strstr(ev->summary, ":25 [") == NULL &&
		    strstr(ev->summary, ":587 [") == NULL)
			return -1;
		if (strstr(ev->summary, "[SYN") != NULL)
			return 0;
		if (strstr(ev->summary, "FIN") != NULL)
			return 3;
	}
	if (ev->kind == TRACE_PKT_SEND && m->app_of[s] != UI_NONE)
		s = (long)m->app_of[s];
	ev = trace_at(m->t, (size_t)s);
	if (ev->kind != TRACE_APP || ev->proto != TRACE_P_SMTP)
		return -1;
	/* the greeting opens a session (RFC 5321 3.1), whatever the
	 * previous one between these two ended with */
	if (!(ev->flags & TRACE_F_TO_SERVER) && (strncmp(ev->summary,
	    "S: 220", 6) == 0 || strncmp(ev->summary, "220", 3) == 0))
		return 1;
	/* back to the latest client command of this session: the client's
	 * own events share its connection id; a server's reply (the
	 * server's end has an id of its own) follows the latest command
	 * between the two */
	for (k = s; k >= 0; k--) {
		const struct trace_event *e = trace_at(m->t, (size_t)k);
		const char *l;

		if (e->kind != TRACE_APP || e->proto != TRACE_P_SMTP ||
		    !((e->node == ev->node && e->peer == ev->peer) ||
		    (e->node == ev->peer && e->peer == ev->node)) ||
		    !(e->flags & TRACE_F_TO_SERVER) ||
		    ((ev->flags & TRACE_F_TO_SERVER) && e->c != ev->c))
			continue;
		l = strncmp(e->summary, "C: ", 3) == 0 ? e->summary + 3 :
		    e->summary;
		if (strncmp(l, "HELO", 4) == 0 || strncmp(l, "EHLO", 4) == 0)
			return 1;
		if (strncmp(l, "MAIL", 4) == 0 || strncmp(l, "RCPT", 4) == 0 ||
		    strncmp(l, "DATA", 4) == 0 || strncmp(l, "RSET", 4) == 0)
			return 2;
		if (strncmp(l, "QUIT", 4) == 0)
			return 3;
	}
	return 1;	/* the greeting: no command yet */
}

static void
build_phasebar(struct ui_ctx *c, int phase)
{
	static const char *const names[4] = {"TCP handshake",
	    "SMTP handshake", "Transfer", "Closure"};
	struct ui_color g = ui_proto_color(TRACE_P_SMTP);
	int w[4], total = 0, i, x, y = c->rg.canvas.y + 12, h = 26, gap = 22;
	int lw = ui_text_w(c, UI_FONT_BOLD, "SMTP") + 16;

	for (i = 0; i < 4; i++) {
		w[i] = ui_text_w(c, UI_FONT_SMALL, names[i]) + 22;
		total += w[i] + (i ? gap : 0);
	}
	x = c->rg.canvas.x + (c->rg.canvas.w - total - lw) / 2;
	ui_fill(c, (struct ui_rect){x - 10, y - 6, total + lw + 20, h + 12}, 10,
	    ui_alpha(UI_C_PANEL, 235));
	ui_text(c, UI_FONT_BOLD, x, y + (h - ui_font_h(c, UI_FONT_BOLD)) / 2,
	    "SMTP", g);
	x += lw;
	for (i = 0; i < 4; i++) {
		struct ui_rect r = {x, y, w[i], h};
		struct ui_cmd *t;

		if (i == phase)
			ui_fill(c, r, h / 2, g);
		else
			ui_stroke(c, r, h / 2, 1, i < phase ? ui_alpha(g, 170) :
			    UI_C_BORDER);
		ui_text(c, UI_FONT_SMALL, x + 11, y + (h - ui_font_h(c,
		    UI_FONT_SMALL)) / 2, names[i], i == phase ? UI_C_BG :
		    i < phase ? ui_alpha(g, 220) : UI_C_FAINT);
		t = c->dl->ncmds > 0 ? &c->dl->cmds[c->dl->ncmds - 1] : NULL;
		if (i == phase && t != NULL && t->type == UI_CMD_TEXT) {
			t->role = UI_ROLE_PHASE;
			t->ref = i;
		}
		x += w[i];
		if (i < 3)
			ui_dl_arrow(c->dl, x + 4, y + h / 2, x + gap - 4,
			    y + h / 2, 2, i < phase ? g : UI_C_BORDER);
		x += gap;
	}
}

/* "cache hit" next to a server that just answered from it: the
 * cache hits (state events) of the last moments before the cursor. */
static void
build_cache_hits(struct ui_ctx *c)
{
	const struct ui_model *m = c->m;
	sim_time T = c->v->time, lg = 2 * linger(c);
	size_t k = ui_index_at_time(m, m->states, m->nstates, T - lg);
	int32_t shown[8];
	size_t nshown = 0, j;

	for (; k < m->nstates && m->states[k] < c->v->cursor; k++) {
		const struct trace_event *ev = trace_at(m->t, m->states[k]);
		struct pt p;
		int tw;
		struct ui_rect r;
		struct ui_cmd *t;

		if (strncmp(ev->summary, "cache hit", 9) != 0 || ev->node < 0 ||
		    (size_t)ev->node >= m->nnodes)
			continue;
		for (j = 0; j < nshown && shown[j] != ev->node; j++)
			;
		if (j < nshown || nshown == NL_ARRAY_LEN(shown))
			continue;
		shown[nshown++] = ev->node;
		p = node_pt(c, ev->node);
		tw = ui_text_w(c, UI_FONT_SMALL, "cache hit");
		r = (struct ui_rect){ix(p.x) - tw / 2 - 8,
		    ix(p.y) - radius_of(c, ev->node) - 30, tw + 16, 20};
		ui_fill(c, r, 10, ui_proto_color(TRACE_P_DNS));
		ui_text(c, UI_FONT_SMALL, r.x + 8, r.y + (20 - ui_font_h(c,
		    UI_FONT_SMALL)) / 2, "cache hit", UI_C_BG);
		t = c->dl->ncmds > 0 ? &c->dl->cmds[c->dl->ncmds - 1] : NULL;
		if (t != NULL && t->type == UI_CMD_TEXT) {
			t->role = UI_ROLE_CACHE_HIT;
			t->ref = (int32_t)m->states[k];
		}
	}
}

/* Zoomed or panned: the zoom and a button back to the whole network,
 * in the canvas's bottom-right corner. */
static void
build_zoom(struct ui_ctx *c)
{
	const struct ui_view *v = c->v;
	struct ui_rect k = c->rg.canvas, b;
	char buf[48];
	int tw, fh = ui_font_h(c, UI_FONT_SMALL);

	if (v->zoom == 1 && v->pan_x == 0 && v->pan_y == 0)
		return;
	snprintf(buf, sizeof buf, "%.0f%%  \xc2\xb7  Fit (Ctrl+0)",
	    v->zoom * 100);
	tw = ui_text_w(c, UI_FONT_SMALL, buf);
	b = (struct ui_rect){k.x + k.w - tw - 28, k.y + k.h - 34, tw + 16,
	    22};
	ui_fill(c, b, 11, ui_alpha(UI_C_RAISED, 240));
	ui_stroke(c, b, 11, 1, UI_C_BORDER);
	ui_text(c, UI_FONT_SMALL, b.x + 8, b.y + (22 - fh) / 2, buf, UI_C_DIM);
	ui_hit(c, b, UI_ROLE_BUTTON, UI_BTN_FIT);
}

void
ui_build_topology(struct ui_ctx *c)
{
	const struct ui_model *m = c->m;
	long s = ui_view_current_step(c->v, m);
	const struct trace_event *se = s >= 0 ? trace_at(m->t, (size_t)s) : NULL;
	struct ui_color hl = ui_proto_color(s >= 0 ?
	    ui_event_proto(m, (size_t)s) : TRACE_P_NONE);
	size_t i;

	ui_fill(c, c->rg.canvas, 0, UI_C_CANVAS);
	ui_ctx_clip(c, c->rg.canvas);
	/* under everything else: empty space pans and zooms */
	ui_hit(c, c->rg.canvas, UI_ROLE_CANVAS, -1);
	set_margins(c);
	build_links(c);
	if (s >= 0)
		build_current(c, s, 0);
	for (i = 0; i < m->nnodes; i++) {
		int mark = se != NULL && ((int32_t)i == se->node ||
		    (int32_t)i == se->peer);

		build_node(c, (int32_t)i, mark ? hl : UI_RGBA(0, 0, 0, 0));
	}
	if (compact(c)) {
		/* a crowd: its dots a protocol at a time, which lets the
		 * backend fill each colour's in one go */
		int p;

		for (p = 0; p < TRACE_PROTO_COUNT_; p++)
			if ((m->protos >> p) & 1u)
				build_flight(c, s, p);
	} else {
		build_flight(c, s, -1);
	}
	build_drops(c);
	if (s >= 0)
		build_current(c, s, 1);
	if (!compact(c))
		build_cache_hits(c);
	if (s >= 0) {
		int phase = smtp_phase(m, s);

		if (phase >= 0)
			build_phasebar(c, phase);
	}
	if (!compact(c))
		build_legend(c);
	build_zoom(c);
	if (m->nev == 0)
		ui_text(c, UI_FONT_REGULAR, c->rg.canvas.x + 20,
		    c->rg.canvas.y + 20, "This trace has no events.",
		    UI_C_DIM);
	ui_ctx_clip(c, (struct ui_rect){0, 0, c->v->w, c->v->h});
}
