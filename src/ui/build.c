/* build.c - one frame as a display list: the theme, the text and shape
 * helpers every part uses, the title bar, the caption, the timeline, the
 * transport controls and the help overlay. The topology (topo.c), the
 * ladder (ladder.c), the event list and the detail pane (panels.c) are
 * built from here; one switch on the screen picks what shows. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ui_int.h"
#include "util/nl.h"

/* ---- Theme ---- */

struct ui_color
ui_proto_color(enum trace_proto p)
{
	switch (p) {
	case TRACE_P_NONE:
		return UI_RGBA(154, 163, 178, 255);
	case TRACE_P_IP:
		return UI_RGBA(129, 140, 248, 255);
	case TRACE_P_UDP:
		return UI_RGBA(167, 139, 250, 255);
	case TRACE_P_TCP:
		return UI_RGBA(96, 165, 250, 255);
	case TRACE_P_ECHO:
		return UI_RGBA(45, 212, 191, 255);
	case TRACE_P_DISCARD:
		return UI_RGBA(251, 146, 60, 255);
	case TRACE_P_DNS:
		return UI_RGBA(250, 204, 21, 255);
	case TRACE_P_SMTP:
		return UI_RGBA(74, 222, 128, 255);
	case TRACE_P_POP3:
		return UI_RGBA(244, 114, 182, 255);
	case TRACE_P_IMAP:
		return UI_RGBA(232, 121, 249, 255);
	case TRACE_P_HTTP:
		return UI_RGBA(56, 189, 248, 255);
	case TRACE_P_MAIL:
		return UI_RGBA(253, 224, 71, 255);
	case TRACE_PROTO_COUNT_:
		break;
	}
	return UI_C_DIM;
}

struct ui_color
ui_class_color(enum ui_node_class c)
{
	switch (c) {
	case UI_NC_HOST:
		return UI_RGBA(96, 165, 250, 255);
	case UI_NC_ROUTER:
		return UI_RGBA(148, 163, 184, 255);
	case UI_NC_USER:
		return UI_RGBA(45, 212, 191, 255);
	case UI_NC_MAIL:
		return UI_RGBA(74, 222, 128, 255);
	case UI_NC_DNS_ROOT:
		return UI_RGBA(251, 146, 60, 255);
	case UI_NC_DNS_TLD:
		return UI_RGBA(251, 191, 36, 255);
	case UI_NC_DNS_AUTH:
		return UI_RGBA(250, 204, 21, 255);
	case UI_NC_DNS_LOCAL:
		return UI_RGBA(253, 186, 116, 255);
	case UI_NC_COUNT_:
		break;
	}
	return UI_C_DIM;
}

struct ui_color
ui_alpha(struct ui_color c, int a)
{
	c.a = (uint8_t)(a < 0 ? 0 : a > 255 ? 255 : a);
	return c;
}

struct ui_color
ui_mix(struct ui_color c, struct ui_color d, int f)
{
	struct ui_color o;

	o.r = (uint8_t)((c.r * (255 - f) + d.r * f) / 255);
	o.g = (uint8_t)((c.g * (255 - f) + d.g * f) / 255);
	o.b = (uint8_t)((c.b * (255 - f) + d.b * f) / 255);
	o.a = c.a;
	return o;
}

/* ---- Regions ---- */

void
ui_regions_of(int w, int h, struct ui_regions *o)
{
	int sw = w * 36 / 100, bottom = UI_CONTROLS_H + UI_SCRUB_H;
	int mid_h;

	if (sw < 380)
		sw = 380;
	if (sw > 560)
		sw = 560;
	if (w - sw < 320)
		sw = w - 320 > 0 ? w - 320 : 0;
	mid_h = h - UI_TOP_H - bottom;
	if (mid_h < 0)
		mid_h = 0;
	o->top = (struct ui_rect){0, 0, w, UI_TOP_H};
	o->controls = (struct ui_rect){0, h - UI_CONTROLS_H, w, UI_CONTROLS_H};
	o->scrub = (struct ui_rect){0, h - bottom, w, UI_SCRUB_H};
	o->side = (struct ui_rect){w - sw, UI_TOP_H, sw, mid_h};
	o->list = (struct ui_rect){w - sw, UI_TOP_H, sw, mid_h * 46 / 100};
	o->detail = (struct ui_rect){w - sw, o->list.y + o->list.h, sw,
	    mid_h - o->list.h};
	o->caption = (struct ui_rect){0, h - bottom - UI_CAPTION_H, w - sw,
	    UI_CAPTION_H};
	o->canvas = (struct ui_rect){0, UI_TOP_H, w - sw,
	    mid_h - UI_CAPTION_H > 0 ? mid_h - UI_CAPTION_H : 0};
}

/* ---- Helpers ---- */

void
ui_ctx_clip(struct ui_ctx *c, struct ui_rect r)
{
	c->clip = r;
	ui_dl_clip(c->dl, r);
}

int
ui_font_h(const struct ui_ctx *c, enum ui_font f)
{
	return c->tx->height[f];
}

int
ui_text_w(const struct ui_ctx *c, enum ui_font f, const char *s)
{
	return c->tx->width(c->tx->ud, f, s, strlen(s));
}

static int
text_n(struct ui_ctx *c, enum ui_font f, int x, int y, const char *s,
    size_t n, struct ui_color col)
{
	int w = c->tx->width(c->tx->ud, f, s, n), h = ui_font_h(c, f);
	struct ui_rect r = {x, y, w, h};

	if (n > 0 && ui_rect_overlaps(r, c->clip))
		ui_dl_text(c->dl, f, x, y, w, h, s, n, col);
	return w;
}

int
ui_text(struct ui_ctx *c, enum ui_font f, int x, int y, const char *s,
    struct ui_color col)
{
	return text_n(c, f, x, y, s, strlen(s), col);
}

/* Length of the longest prefix of s[0..n) on a UTF-8 boundary that,
 * followed by tail, fits maxw. */
static size_t
fit_prefix(const struct ui_ctx *c, enum ui_font f, const char *s, size_t n,
    int maxw, const char *tail)
{
	char buf[512];
	size_t lo = 0, hi = n, tl = strlen(tail);

	if (n + tl >= sizeof buf)
		hi = sizeof buf - tl - 1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo + 1) / 2, k = mid;

		while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
			k--;
		memcpy(buf, s, k);
		memcpy(buf + k, tail, tl);
		if (c->tx->width(c->tx->ud, f, buf, k + tl) <= maxw)
			lo = mid;
		else
			hi = mid - 1;
	}
	while (lo > 0 && lo < n && ((unsigned char)s[lo] & 0xc0) == 0x80)
		lo--;
	return lo;
}

int
ui_text_fit(struct ui_ctx *c, enum ui_font f, int x, int y, int maxw,
    const char *s, struct ui_color col)
{
	char buf[512];
	size_t n = strlen(s), k;
	static const char ell[] = "\xe2\x80\xa6";	/* … */

	if (maxw <= 0)
		return 0;
	if (c->tx->width(c->tx->ud, f, s, n) <= maxw)
		return text_n(c, f, x, y, s, n, col);
	k = fit_prefix(c, f, s, n, maxw, ell);
	memcpy(buf, s, k);
	memcpy(buf + k, ell, sizeof ell);
	return text_n(c, f, x, y, buf, k + sizeof ell - 1, col);
}

int
ui_text_wrap(struct ui_ctx *c, enum ui_font f, int x, int y, int w, int lh,
    int maxlines, const char *s, struct ui_color col)
{
	int line = 0;

	while (*s != '\0' && line < maxlines) {
		size_t n = strlen(s), take, brk;

		while (*s == ' ')
			s++, n--;
		if (n == 0)
			break;
		if (line == maxlines - 1 ||
		    c->tx->width(c->tx->ud, f, s, n) <= w) {
			if (c->tx->width(c->tx->ud, f, s, n) <= w)
				text_n(c, f, x, y + line * lh, s, n, col);
			else
				ui_text_fit(c, f, x, y + line * lh, w, s, col);
			return line + 1;
		}
		take = fit_prefix(c, f, s, n, w, "");
		/* break at the last space that fits, else mid-word */
		for (brk = take; brk > 0 && s[brk] != ' '; brk--)
			;
		if (brk == 0)
			brk = take > 0 ? take : 1;
		text_n(c, f, x, y + line * lh, s, brk, col);
		s += brk;
		line++;
	}
	return line;
}

void
ui_fill(struct ui_ctx *c, struct ui_rect r, int radius, struct ui_color col)
{
	if (ui_rect_overlaps(r, c->clip))
		ui_dl_rect(c->dl, r, radius, col);
}

void
ui_stroke(struct ui_ctx *c, struct ui_rect r, int radius, int thick,
    struct ui_color col)
{
	if (ui_rect_overlaps(r, c->clip))
		ui_dl_frame(c->dl, r, radius, thick, col);
}

void
ui_line(struct ui_ctx *c, int x0, int y0, int x1, int y1, int thick,
    struct ui_color col)
{
	struct ui_rect bb = {NL_MIN(x0, x1) - thick, NL_MIN(y0, y1) - thick,
	    abs(x1 - x0) + 2 * thick + 1, abs(y1 - y0) + 2 * thick + 1};

	if (ui_rect_overlaps(bb, c->clip))
		ui_dl_line(c->dl, x0, y0, x1, y1, thick, col);
}

void
ui_hit(struct ui_ctx *c, struct ui_rect r, enum ui_role role, int32_t ref)
{
	if (ui_rect_overlaps(r, c->clip))
		ui_dl_hit(c->dl, r, role, ref);
}

int
ui_chip(struct ui_ctx *c, int x, int y, int h, const char *s,
    enum ui_font f, struct ui_color bg, struct ui_color fg)
{
	int tw = ui_text_w(c, f, s), w = tw + 14;

	ui_fill(c, (struct ui_rect){x, y, w, h}, h / 2, bg);
	ui_text(c, f, x + 7, y + (h - ui_font_h(c, f)) / 2, s, fg);
	return w;
}

void
ui_fmt_time(char *buf, size_t size, sim_time t)
{
	if (t < 0)
		t = 0;
	snprintf(buf, size, "%lld.%06lld", (long long)(t / SIM_S),
	    (long long)(t % SIM_S / SIM_US));
}

/* The value of "key=" in s as text (up to a space), into v; 0 if none. */
static int
token(const char *s, const char *key, char *v, size_t size)
{
	const char *p = strstr(s, key);
	size_t n = 0;

	if (p == NULL || size == 0)
		return 0;
	p += strlen(key);
	while (p[n] != '\0' && p[n] != ' ' && n + 1 < size)
		n++;
	memcpy(v, p, n);
	v[n] = '\0';
	return 1;
}

void
ui_short_label(const char *summary, char *buf, size_t size)
{
	const char *fl = strchr(summary, '['), *fe;
	char flags[32] = "", seq[24], ack[24], len[24];
	size_t n;

	if (strncmp(summary, "UDP ", 4) == 0 && token(summary, "len=", len,
	    sizeof len)) {
		snprintf(buf, size, "UDP len=%s", len);
		return;
	}
	if (strncmp(summary, "TCP ", 4) != 0 || fl == NULL ||
	    (fe = strchr(fl, ']')) == NULL) {
		snprintf(buf, size, "%s", summary);
		return;
	}
	n = (size_t)(fe - fl - 1);
	if (n >= sizeof flags)
		n = sizeof flags - 1;
	memcpy(flags, fl + 1, n);
	flags[n] = '\0';
	if (!token(fe, "seq=", seq, sizeof seq))
		seq[0] = '\0';
	if (!token(fe, "ack=", ack, sizeof ack))
		ack[0] = '\0';
	if (!token(fe, "len=", len, sizeof len))
		snprintf(len, sizeof len, "0");
	if (strcmp(len, "0") != 0)
		snprintf(buf, size, "seq=%s len=%s%s", seq, len,
		    strstr(flags, "FIN") != NULL ? " FIN" : "");
	else if (strstr(flags, "SYN") != NULL || strstr(flags, "FIN") != NULL ||
	    strstr(flags, "RST") != NULL)
		snprintf(buf, size, "[%s]", flags);
	else
		snprintf(buf, size, "ACK %s", ack);
}

/*
 * The short label of an application message: DNS summaries as the
 * textbook writes them ("A? gaia.cs.umass.edu", "referral \xe2\x86\x92 edu",
 * "gaia.cs.umass.edu = 128.119.245.12"), others as they are.
 */
void
ui_app_label(const struct trace_event *ev, char *buf, size_t size)
{
	const char *s = ev->summary, *p, *q;

	if (ev->proto != TRACE_P_DNS || strncmp(s, "id ", 3) != 0) {
		snprintf(buf, size, "%s", s);
		return;
	}
	if ((p = strstr(s, " query ")) != NULL) {
		p += 7;
		q = strstr(p, " rd");
		snprintf(buf, size, "%.*s", q != NULL ? (int)(q - p) :
		    (int)strlen(p), p);
		return;
	}
	if ((p = strstr(s, " response ")) == NULL) {
		snprintf(buf, size, "%s", s);
		return;
	}
	p += 10;
	if ((q = strstr(p, "referral NS ")) != NULL) {
		const char *e = strchr(q + 12, ' ');

		snprintf(buf, size, "referral \xe2\x86\x92 %.*s", e != NULL ?
		    (int)(e - q - 12) : (int)strlen(q + 12), q + 12);
		return;
	}
	/* "TYPE NAME [aa] RCODE: ANSWER": the name, then the answer */
	{
		const char *name = strchr(p, ' '), *ne, *colon = strstr(p, ": ");

		if (name == NULL) {
			snprintf(buf, size, "%s", p);
			return;
		}
		name++;
		ne = strchr(name, ' ');
		if (ne == NULL)
			ne = name + strlen(name);
		if (colon != NULL)
			snprintf(buf, size, "%.*s = %s", (int)(ne - name), name,
			    colon + 2);
		else
			snprintf(buf, size, "%s", ne + (*ne == ' '));
	}
}

/* ---- Title bar ---- */

/* A segmented switch of n labels; returns its x (it ends at right). */
static int
segmented(struct ui_ctx *c, int right, int y, const char *const *labels,
    const int *buttons, int n, int selected)
{
	int w[4], total = 0, i, x;
	int h = 30;

	for (i = 0; i < n; i++) {
		w[i] = ui_text_w(c, UI_FONT_REGULAR, labels[i]) + 28;
		total += w[i];
	}
	x = right - total;
	ui_fill(c, (struct ui_rect){x - 3, y - 3, total + 6, h + 6}, 9,
	    UI_C_RAISED);
	for (i = 0; i < n; i++) {
		struct ui_rect r = {x, y, w[i], h};

		if (i == selected)
			ui_fill(c, r, 7, UI_C_ACCENT);
		ui_text(c, UI_FONT_REGULAR, x + 14,
		    y + (h - ui_font_h(c, UI_FONT_REGULAR)) / 2, labels[i],
		    i == selected ? UI_C_TEXT : UI_C_DIM);
		ui_hit(c, r, UI_ROLE_BUTTON, buttons[i]);
		x += w[i];
	}
	return right - total;
}

static void
build_top(struct ui_ctx *c)
{
	static const char *const tabs[] = {"Topology", "Ladder"};
	static const int tab_b[] = {UI_BTN_TAB_TOPOLOGY, UI_BTN_TAB_LADDER};
	static const char *const grans[] = {"Messages", "Segments"};
	static const int gran_b[] = {UI_BTN_GRAN_APP, UI_BTN_GRAN_SEGMENT};
	struct ui_rect r = c->rg.top;
	const char *name = trace_scenario(c->m->t), *title = trace_title(c->m->t);
	int x = 16, y = r.y + 9, right = r.w - 14, left_end;
	struct ui_rect help;

	ui_fill(c, r, 0, UI_C_PANEL);
	ui_fill(c, (struct ui_rect){0, r.y + r.h - 1, r.w, 1}, 0, UI_C_BORDER);
	help = (struct ui_rect){right - 30, y, 30, 30};
	ui_fill(c, help, 15, UI_C_RAISED);
	ui_text(c, UI_FONT_BOLD, help.x + (30 - ui_text_w(c, UI_FONT_BOLD,
	    "?")) / 2, y + (30 - ui_font_h(c, UI_FONT_BOLD)) / 2, "?",
	    UI_C_TEXT);
	ui_hit(c, help, UI_ROLE_BUTTON, UI_BTN_HELP);
	right = help.x - 14;
	right = segmented(c, right, y, grans, gran_b, 2, (int)c->v->gran) - 14;
	left_end = segmented(c, right, y, tabs, tab_b, 2, (int)c->v->tab) - 20;

	x += ui_text(c, UI_FONT_TITLE, x, r.y + (r.h - ui_font_h(c,
	    UI_FONT_TITLE)) / 2, "netlab", UI_C_ACCENT) + 16;
	ui_fill(c, (struct ui_rect){x, r.y + 14, 1, r.h - 28}, 0, UI_C_BORDER);
	x += 16;
	if (name[0] != '\0')
		x += ui_text_fit(c, UI_FONT_TITLE, x, r.y + (r.h -
		    ui_font_h(c, UI_FONT_TITLE)) / 2, left_end - x, name,
		    UI_C_TEXT) + 12;
	if (title[0] != '\0' && left_end - x > 40)
		ui_text_fit(c, UI_FONT_REGULAR, x, r.y + (r.h -
		    ui_font_h(c, UI_FONT_REGULAR)) / 2, left_end - x, title,
		    UI_C_DIM);
}

/* ---- Caption ---- */

static void
build_caption(struct ui_ctx *c)
{
	struct ui_rect r = c->rg.caption;
	long k = ui_index_before(c->m->notes, c->m->nnotes, c->v->cursor);
	int x = r.x + UI_PAD, lh = ui_font_h(c, UI_FONT_REGULAR) + 4;

	if (r.w <= 0 || r.h <= 0)
		return;
	ui_fill(c, r, 0, UI_C_PANEL);
	ui_fill(c, (struct ui_rect){r.x, r.y, r.w, 1}, 0, UI_C_BORDER);
	ui_ctx_clip(c, r);
	x += ui_chip(c, x, r.y + 12, 22, "NOTE", UI_FONT_SMALL,
	    ui_alpha(UI_C_ACCENT, 60), UI_C_ACCENT) + 12;
	if (k >= 0) {
		const struct trace_event *ev = trace_at(c->m->t,
		    c->m->notes[k]);

		ui_text_wrap(c, UI_FONT_REGULAR, x, r.y + 12, r.x + r.w - x -
		    UI_PAD, lh, (r.h - 18) / lh, ev->summary, UI_C_TEXT);
		ui_hit(c, r, UI_ROLE_CAPTION, (int32_t)c->m->notes[k]);
	} else {
		ui_text_wrap(c, UI_FONT_REGULAR, x, r.y + 12, r.x + r.w - x -
		    UI_PAD, lh, 2, "Press Space to play, or \xe2\x86\x92 to "
		    "step one message at a time. H lists every key.", UI_C_DIM);
	}
	ui_ctx_clip(c, (struct ui_rect){0, 0, c->v->w, c->v->h});
}

/* ---- Timeline and controls ---- */

/* The scrubber's x of event e: the track [x0, x0 + w) is the trace. */
static int
scrub_x(int x0, int w, double n, uint32_t e)
{
	return x0 + (int)((double)w * ((double)e + 0.5) / n);
}

/* The first index at or after k in list[0..len) whose event lies right
 * of column x. A long trace has far more events than the track has
 * pixels: a binary search per drawn column keeps a frame in proportion
 * to the track's width, not to the trace (a million events made every
 * frame walk them all). */
static size_t
scrub_next(const uint32_t *list, size_t len, size_t k, int x0, int w,
    double n, int x)
{
	/* The least event right of x, less one for rounding. */
	double lim = (double)(x + 1 - x0) * n / (double)w - 1.5;
	size_t j = lim > 0 ? (size_t)(ui_index_before(list, len,
	    (size_t)lim) + 1) : 0;

	if (j < k)
		j = k;
	while (j < len && scrub_x(x0, w, n, list[j]) <= x)
		j++;
	return j;
}

/* Ticks of list's events below the track (dy, height h, colour col),
 * one per column: the column's first. */
static void
scrub_marks(struct ui_ctx *c, const uint32_t *list, size_t len, int x0,
    int w, double n, int y, int h, int round, struct ui_color col)
{
	size_t k = 0;

	while (k < len) {
		int x = scrub_x(x0, w, n, list[k]);

		if (round)	/* a dot: drawn with the tiny discs, batched */
			ui_dl_circle(c->dl, x, y + h / 2, h / 2, 0, col);
		else
			ui_fill(c, (struct ui_rect){x, y, 2, h}, 0, col);
		k = scrub_next(list, len, k + 1, x0, w, n, x);
	}
}

static void
build_scrub(struct ui_ctx *c)
{
	const struct ui_model *m = c->m;
	struct ui_rect r = c->rg.scrub;
	int x0 = r.x + 16, w = r.w - 32, cy = r.y + r.h / 2;
	double n = m->nev > 0 ? (double)m->nev : 1;
	int kx = x0 + (int)((double)w * (double)c->v->cursor / n);
	const uint32_t *st = m->steps[UI_GRAN_APP];
	size_t ns = m->nsteps[UI_GRAN_APP], k = 0;

	ui_fill(c, r, 0, UI_C_PANEL);
	ui_fill(c, (struct ui_rect){r.x, r.y, r.w, 1}, 0, UI_C_BORDER);
	ui_fill(c, (struct ui_rect){x0, cy - 3, w, 6}, 3, UI_C_RAISED);
	ui_fill(c, (struct ui_rect){x0, cy - 3, kx - x0, 6}, 3,
	    ui_alpha(UI_C_ACCENT, 150));
	if (w <= 0)
		return;
	/* ticks: messages above (the first shown one of each column),
	 * drops below, notes as dots */
	while (k < ns) {
		uint32_t e = st[k];
		int x = scrub_x(x0, w, n, e);

		if (ui_view_hides(c->v, m, e)) {
			k++;
			continue;
		}
		ui_fill(c, (struct ui_rect){x, cy - 12, 2, 7}, 0,
		    ui_proto_color(ui_event_proto(m, e)));
		k = scrub_next(st, ns, k + 1, x0, w, n, x);
	}
	scrub_marks(c, m->drops, m->ndrops, x0, w, n, cy + 5, 7, 0, UI_C_RED);
	scrub_marks(c, m->notes, m->nnotes, x0, w, n, cy + 6, 4, 1,
	    UI_C_DIM);
	ui_dl_circle(c->dl, kx, cy, 9, 0, UI_C_ACCENT);
	ui_dl_circle(c->dl, kx, cy, 3, 0, UI_C_TEXT);
	ui_hit(c, (struct ui_rect){x0 - 8, r.y, w + 16, r.h}, UI_ROLE_SCRUBBER,
	    -1);
	/* the hit rect maps x to the cursor: keep it the track's */
	if (c->dl->ncmds > 0 && c->dl->cmds[c->dl->ncmds - 1].type ==
	    UI_CMD_HIT) {
		c->dl->cmds[c->dl->ncmds - 1].r.x = x0;
		c->dl->cmds[c->dl->ncmds - 1].r.w = w;
	}
}

static int
button(struct ui_ctx *c, int x, int y, int size, enum ui_icon icon,
    int button_id, int primary)
{
	struct ui_rect r = {x, y, size, size};
	int is = size * 4 / 9;

	ui_fill(c, r, size / 2, primary ? UI_C_ACCENT : UI_C_RAISED);
	ui_dl_icon(c->dl, icon, (struct ui_rect){x + (size - is) / 2,
	    y + (size - is) / 2, is, is}, UI_C_TEXT);
	ui_hit(c, r, UI_ROLE_BUTTON, button_id);
	return size;
}

static int
text_button(struct ui_ctx *c, int x, int y, int size, const char *s,
    int button_id)
{
	struct ui_rect r = {x, y, size, size};

	ui_fill(c, r, size / 2, UI_C_RAISED);
	ui_text(c, UI_FONT_BOLD, x + (size - ui_text_w(c, UI_FONT_BOLD, s)) /
	    2, y + (size - ui_font_h(c, UI_FONT_BOLD)) / 2 - 1, s, UI_C_TEXT);
	ui_hit(c, r, UI_ROLE_BUTTON, button_id);
	return size;
}

static void
build_controls(struct ui_ctx *c)
{
	const struct ui_model *m = c->m;
	struct ui_rect r = c->rg.controls;
	int x = 16, y = r.y + (r.h - 36) / 2, cy = r.y + r.h / 2, tenths;
	char buf[96], t[32];
	long s, k;
	const uint32_t *steps = m->steps[c->v->gran];
	size_t nsteps = m->nsteps[c->v->gran];

	ui_fill(c, r, 0, UI_C_PANEL);
	x += button(c, x, y + 3, 30, UI_ICON_START, UI_BTN_START, 0) + 8;
	x += button(c, x, y + 3, 30, UI_ICON_STEP_BACK, UI_BTN_BACK, 0) + 8;
	x += button(c, x, y - 2, 40, c->v->playing ? UI_ICON_PAUSE :
	    UI_ICON_PLAY, UI_BTN_PLAY, 1) + 8;
	x += button(c, x, y + 3, 30, UI_ICON_STEP_FWD, UI_BTN_FWD, 0) + 8;
	x += button(c, x, y + 3, 30, UI_ICON_END, UI_BTN_END, 0) + 24;

	ui_fill(c, (struct ui_rect){x, r.y + 12, 1, r.h - 24}, 0, UI_C_BORDER);
	x += 20;
	x += ui_text(c, UI_FONT_SMALL, x, cy - ui_font_h(c, UI_FONT_SMALL) / 2,
	    "Speed", UI_C_DIM) + 10;
	x += text_button(c, x, y + 5, 26, "\xe2\x88\x92", UI_BTN_SLOWER) + 6;
	tenths = ui_speed_tenths(c->v->speed);
	if (tenths % 10 == 0)
		snprintf(buf, sizeof buf, "%d\xc3\x97", tenths / 10);
	else
		snprintf(buf, sizeof buf, "0.%d\xc3\x97", tenths);
	{
		int bw = ui_text_w(c, UI_FONT_BOLD, "100\xc3\x97");

		ui_text(c, UI_FONT_BOLD, x + (bw - ui_text_w(c, UI_FONT_BOLD,
		    buf)) / 2, cy - ui_font_h(c, UI_FONT_BOLD) / 2, buf,
		    UI_C_TEXT);
		x += bw + 6;
	}
	x += text_button(c, x, y + 5, 26, "+", UI_BTN_FASTER) + 10;
	{
		/* what that speed plays: network time per second */
		double rate = (double)m->pace * tenths / 10.0;

		if (rate >= 1e9)
			snprintf(buf, sizeof buf, "%.3g s/s", rate / 1e9);
		else if (rate >= 1e6)
			snprintf(buf, sizeof buf, "%.3g ms/s", rate / 1e6);
		else
			snprintf(buf, sizeof buf, "%.3g \xc2\xb5s/s", rate / 1e3);
		x += ui_text(c, UI_FONT_SMALL, x, cy - ui_font_h(c,
		    UI_FONT_SMALL) / 2, buf, UI_C_FAINT) + 24;
	}

	ui_fill(c, (struct ui_rect){x, r.y + 12, 1, r.h - 24}, 0, UI_C_BORDER);
	x += 20;
	ui_fmt_time(t, sizeof t, c->v->time);
	snprintf(buf, sizeof buf, "t = %s s", t);
	x += ui_text(c, UI_FONT_MONO, x, cy - ui_font_h(c, UI_FONT_MONO) / 2,
	    buf, UI_C_TEXT) + 24;

	s = ui_view_current_step(c->v, m);
	k = s >= 0 ? ui_index_before(steps, nsteps, (size_t)s + 1) + 1 : 0;
	snprintf(buf, sizeof buf, "%s %ld of %zu", c->v->gran == UI_GRAN_APP ?
	    "Message" : "Segment", k, nsteps);
	x += ui_text(c, UI_FONT_REGULAR, x, cy - ui_font_h(c,
	    UI_FONT_REGULAR) / 2, buf, UI_C_DIM) + 16;
	snprintf(buf, sizeof buf, "Event %zu of %zu", c->v->cursor, m->nev);
	x += ui_text(c, UI_FONT_REGULAR, x, cy - ui_font_h(c,
	    UI_FONT_REGULAR) / 2, buf, UI_C_FAINT);

	{
		const char *hint = "H  keys";
		int hw = ui_text_w(c, UI_FONT_SMALL, hint);

		if (r.w - 16 - hw > x + 20)
			ui_text(c, UI_FONT_SMALL, r.w - 16 - hw, cy -
			    ui_font_h(c, UI_FONT_SMALL) / 2, hint, UI_C_FAINT);
	}
}

/* ---- Help ---- */

static void
build_help(struct ui_ctx *c)
{
	static const char *const keys[][2] = {
		{"Space", "Play or pause"},
		{"\xe2\x86\x92  \xe2\x86\x90", "Next or previous message "
		    "(at the granularity shown)"},
		{"Shift + \xe2\x86\x92  \xe2\x86\x90", "Next or previous "
		    "event, whatever it is"},
		{"\xe2\x86\x93  \xe2\x86\x91", "Next or previous row of the "
		    "event list"},
		{"+  \xe2\x88\x92", "Faster or slower, 0.1\xc3\x97 to "
		    "100\xc3\x97 (at 1\xc3\x97 a message takes 1.5 s)"},
		{"Home  End", "Back to the start, on to the end"},
		{"Ctrl + =  \xe2\x88\x92  0", "Zoom the topology in, out, or "
		    "back to the whole network (F too)"},
		{"1 \xe2\x80\xa6 9  Return", "Answer a checkpoint question, "
		    "then go on (Esc skips it)"},
		{"G", "Application messages only, or every segment"},
		{"Tab  L", "Topology or ladder diagram"},
		{"H  F1", "This help; any key closes it"},
		{"Esc", "Closes the node inspector"},
		{"Q", "Quit"},
		{"Click", "A row of the list jumps there; a field or a byte "
		    "lights up its bytes; a node shows its state"},
		{"Drag", "The timeline moves through the run; empty "
		    "topology space pans"},
		{"Wheel", "Zooms the topology at the pointer; scrolls the "
		    "list, the fields, the ladder"},
	};
	int n = (int)NL_ARRAY_LEN(keys), i;
	int w = NL_MIN(860, c->v->w - 40), rh = 30, h = 96 + n * rh;
	struct ui_rect card = {(c->v->w - w) / 2, (c->v->h - h) / 2, w, h};
	int kx = card.x + 28, dx = card.x + 200;

	if (card.x < 0)
		card.x = 0;
	if (card.y < 0)
		card.y = 0;
	ui_fill(c, (struct ui_rect){0, 0, c->v->w, c->v->h}, 0,
	    UI_RGBA(5, 7, 10, 190));
	ui_fill(c, card, 14, UI_C_PANEL);
	ui_stroke(c, card, 14, 1, UI_C_BORDER);
	ui_text(c, UI_FONT_TITLE, kx, card.y + 22, "Keys and mouse", UI_C_TEXT);
	for (i = 0; i < n; i++) {
		int y = card.y + 64 + i * rh;
		int kw = ui_text_w(c, UI_FONT_BOLD, keys[i][0]);

		ui_fill(c, (struct ui_rect){kx, y, kw + 16, 24}, 6, UI_C_RAISED);
		ui_text(c, UI_FONT_BOLD, kx + 8, y + (24 - ui_font_h(c,
		    UI_FONT_BOLD)) / 2, keys[i][0], UI_C_TEXT);
		ui_text_fit(c, UI_FONT_REGULAR, dx, y + (24 - ui_font_h(c,
		    UI_FONT_REGULAR)) / 2, card.x + w - 24 - dx, keys[i][1],
		    UI_C_DIM);
	}
	ui_hit(c, (struct ui_rect){0, 0, c->v->w, c->v->h}, UI_ROLE_HELP, -1);
}

/* ---- The frame ---- */

void
ui_build(struct ui_dlist *dl, const struct ui_model *m,
    const struct ui_view *v, const struct ui_text *tx)
{
	struct ui_ctx c;

	memset(&c, 0, sizeof c);
	ui_dlist_clear(dl);
	c.dl = dl;
	c.m = m;
	c.v = v;
	c.tx = tx;
	c.clip = (struct ui_rect){0, 0, v->w, v->h};
	ui_regions_of(v->w, v->h, &c.rg);
	ui_ctx_clip(&c, c.clip);
	ui_fill(&c, c.clip, 0, UI_C_BG);
	/* one switch on the screen, as in update */
	switch (v->screen) {
	case UI_SCREEN_PLAYER:
	case UI_SCREEN_HELP:
		/* the panels first: they never overlap the canvas, and a
		 * crowded canvas cannot crowd them out of the list */
		build_top(&c);
		build_caption(&c);
		ui_build_list(&c);
		ui_build_detail(&c);
		build_scrub(&c);
		build_controls(&c);
		if (v->tab == UI_TAB_LADDER)
			ui_build_ladder(&c);
		else
			ui_build_topology(&c);
		if (v->node >= 0 && v->tab == UI_TAB_TOPOLOGY)
			ui_build_inspector(&c);
		if (v->check >= 0)
			ui_build_check(&c);
		if (v->screen == UI_SCREEN_HELP)
			build_help(&c);
		break;
	}
}
