/* view.c - the viewer's update step: keys and clicks move the cursor,
 * the play clock advances it, and the current event is decoded for the
 * detail pane when it changes. Clicks are resolved against the previous
 * frame's display list (its HIT commands), as immediate-mode UIs do. */
#include <math.h>
#include <string.h>

#include "ui/view.h"
#include "util/nl.h"

/* ORDER SPEED: tenths of 1x, UI_SPEED_COUNT of them. */
static const int speed_tenths[UI_SPEED_COUNT] = {1, 2, 5, 10, 20, 50, 100,
    200, 500, 1000};

int
ui_speed_tenths(int speed)
{
	if (speed < 0)
		speed = 0;
	if (speed >= UI_SPEED_COUNT)
		speed = UI_SPEED_COUNT - 1;
	return speed_tenths[speed];
}

static sim_time
ev_time(const struct ui_model *m, size_t i)
{
	return trace_at(m->t, i)->t;
}

/* When everything is over: the last event, and the last arrival. */
static sim_time
end_time(const struct ui_model *m)
{
	sim_time e = m->t_end;

	return m->busy[m->nev] > e ? m->busy[m->nev] : e;
}

enum trace_proto
ui_event_proto(const struct ui_model *m, size_t i)
{
	const struct trace_event *ev = trace_at(m->t, i);
	uint32_t a = UI_NONE;

	if (ev == NULL)
		return TRACE_P_NONE;
	if (ev->kind == TRACE_PKT_SEND || ev->kind == TRACE_PKT_DROP)
		a = m->app_of[i];
	else if (ev->kind == TRACE_PKT_RECV && ev->a >= 0 &&
	    (uint64_t)ev->a < i)
		a = m->app_of[ev->a];
	if (a != UI_NONE)
		return (enum trace_proto)trace_at(m->t, a)->proto;
	return (enum trace_proto)ev->proto;
}

int
ui_view_hides(const struct ui_view *v, const struct ui_model *m, size_t i)
{
	enum trace_proto p = ui_event_proto(m, i);

	return p < 32 && (v->hidden >> p & 1u);
}

/* The last element of list before the cursor that the filter shows. */
static long
current_in(const struct ui_view *v, const struct ui_model *m,
    const uint32_t *list, size_t n)
{
	long k = ui_index_before(list, n, v->cursor);

	while (k >= 0 && ui_view_hides(v, m, list[k]))
		k--;
	return k >= 0 ? (long)list[k] : -1;
}

long
ui_view_current_step(const struct ui_view *v, const struct ui_model *m)
{
	return current_in(v, m, m->steps[v->gran], m->nsteps[v->gran]);
}

long
ui_view_current_row(const struct ui_view *v, const struct ui_model *m)
{
	return current_in(v, m, m->rows[v->gran], m->nrows[v->gran]);
}

void
ui_view_sync(struct ui_view *v, const struct ui_model *m)
{
	/* the detail shows the current row, notes and checkpoints aside:
	 * the caption has the notes, and a checkpoint's data holds its
	 * answer, which the card shows only once it is given */
	const uint32_t *rows = m->rows[v->gran];
	long k = ui_index_before(rows, m->nrows[v->gran], v->cursor);
	long row;

	while (k >= 0 && (ui_view_hides(v, m, rows[k]) ||
	    trace_at(m->t, rows[k])->kind == TRACE_NOTE ||
	    trace_at(m->t, rows[k])->kind == TRACE_CHECK))
		k--;
	row = k >= 0 ? (long)rows[k] : -1;
	uint32_t want = row < 0 ? UINT32_MAX : (uint32_t)row;

	if (want == v->detail.ev)
		return;
	v->field = -1;
	v->detail_scroll = 0;
	if (row < 0) {
		v->detail.ev = UINT32_MAX;
		v->detail.nfields = 0;
	} else {
		ui_detail_decode(&v->detail, m->t, (size_t)row);
	}
}

void
ui_view_init(struct ui_view *v, const struct ui_model *m, int w, int h)
{
	memset(v, 0, sizeof *v);
	v->screen = UI_SCREEN_PLAYER;
	v->tab = UI_TAB_TOPOLOGY;
	v->gran = UI_GRAN_APP;
	v->w = w;
	v->h = h;
	v->speed = UI_SPEED_DEFAULT;
	v->stop_at = -1;
	v->list_follow = 1;
	v->ladder_first = -1;
	v->field = -1;
	v->node = -1;
	v->zoom = 1;
	v->check = -1;
	v->answer = -1;
	v->detail.ev = UINT32_MAX;
	ui_view_sync(v, m);
}

/* ---- Checkpoints ---- */

static void
close_check(struct ui_view *v)
{
	v->check = -1;
	v->answer = -1;
	v->check_play = 0;
}

/* When the cursor moved forward from old over a checkpoint, stops just
 * after the first one crossed (before the event it asks about) and asks
 * it. Moving back and forward again asks again. */
static void
ask_crossed(struct ui_view *v, const struct ui_model *m, size_t old)
{
	long k;
	uint32_t ev;

	if (v->cursor <= old || m->nchecks == 0)
		return;
	k = ui_index_before(m->checks, m->nchecks, old) + 1;
	if (k >= (long)m->nchecks || m->checks[k] >= v->cursor)
		return;
	ev = m->checks[k];
	v->check_play = v->playing && v->stop_at < 0;
	v->cursor = (size_t)ev + 1;
	v->time = ev_time(m, ev);
	v->playing = 0;
	v->stop_at = -1;
	v->list_follow = 1;
	v->ladder_first = -1;
	v->check = (int32_t)ev;
	v->answer = -1;
}

int
ui_check_choices(const struct trace_event *ev)
{
	int want = ev->b < 0 ? 0 : ev->b > UI_CHOICES_MAX ? UI_CHOICES_MAX :
	    (int)ev->b, n = 0;
	uint32_t i = 0;

	/* lines as check.c splits them: a line starts wherever text is
	 * left, the last needs no newline */
	while (i < ev->len && n < want) {
		while (i < ev->len && ev->data[i] != '\n')
			i++;
		n++;
		i++;
	}
	return n;
}

void
ui_view_answer(struct ui_view *v, const struct ui_model *m, int i)
{
	const struct trace_event *ev;

	if (v->check < 0 || v->answer >= 0)
		return;
	ev = trace_at(m->t, (size_t)v->check);
	if (ev == NULL || i < 0 || i >= ui_check_choices(ev))
		return;
	v->answer = i;
}

void
ui_view_continue(struct ui_view *v)
{
	int play = v->check >= 0 && v->check_play;

	close_check(v);
	if (play) {
		v->playing = 1;
		v->stop_at = -1;
	}
}

/* ---- Zoom ---- */

void
ui_view_zoom(struct ui_view *v, double f, double dx, double dy)
{
	double z = v->zoom * f;

	if (z < UI_ZOOM_MIN)
		z = UI_ZOOM_MIN;
	if (z > UI_ZOOM_MAX)
		z = UI_ZOOM_MAX;
	/* the point under (dx, dy) stays: d = p * zoom + pan before and
	 * after */
	v->pan_x = dx - (dx - v->pan_x) * z / v->zoom;
	v->pan_y = dy - (dy - v->pan_y) * z / v->zoom;
	v->zoom = z;
}

static void
zoom_fit(struct ui_view *v)
{
	v->zoom = 1;
	v->pan_x = v->pan_y = 0;
}

void
ui_view_jump(struct ui_view *v, const struct ui_model *m, size_t ev)
{
	if (ev >= m->nev)
		return;
	v->cursor = ev + 1;
	v->time = ev_time(m, ev);
	close_check(v);
	v->playing = 0;
	v->stop_at = -1;
	v->list_follow = 1;
	v->ladder_first = -1;
}

void
ui_view_home(struct ui_view *v, const struct ui_model *m)
{
	NL_UNUSED(m);
	close_check(v);
	v->cursor = 0;
	v->time = 0;
	v->playing = 0;
	v->stop_at = -1;
	v->list_follow = 1;
	v->ladder_first = -1;
}

void
ui_view_end(struct ui_view *v, const struct ui_model *m)
{
	close_check(v);
	v->cursor = m->nev;
	v->time = end_time(m);
	v->playing = 0;
	v->stop_at = -1;
	v->list_follow = 1;
	v->ladder_first = -1;
}

int
ui_view_step(struct ui_view *v, const struct ui_model *m, int dir)
{
	const uint32_t *list = m->steps[v->gran];
	size_t n = m->nsteps[v->gran], old = v->cursor;
	long k;

	v->playing = 0;
	if (dir > 0) {
		k = ui_index_before(list, n, v->cursor) + 1;
		while (k < (long)n && ui_view_hides(v, m, list[k]))
			k++;
		if (k >= (long)n)
			return 0;
	} else {
		/* the step before the current one (the last at or before
		 * the cursor), wherever its animation has got to */
		if (v->cursor == 0)
			return 0;
		k = ui_index_before(list, n, v->cursor);
		while (k >= 0 && ui_view_hides(v, m, list[k]))
			k--;
		k--;
		while (k >= 0 && ui_view_hides(v, m, list[k]))
			k--;
		if (k < 0) {
			ui_view_home(v, m);
			return 1;
		}
	}
	ui_view_jump(v, m, list[k]);
	/* play the message from its departure to its arrival */
	if (m->end[list[k]] > v->time) {
		v->playing = 1;
		v->stop_at = m->end[list[k]];
	}
	if (dir > 0)
		ask_crossed(v, m, old);
	return 1;
}

void
ui_view_seek(struct ui_view *v, const struct ui_model *m, sim_time t)
{
	size_t lo = 0, hi = m->nev;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ev_time(m, mid) <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	close_check(v);
	v->cursor = lo;
	v->time = t < 0 ? 0 : t;
	v->playing = 0;
	v->stop_at = -1;
	v->list_follow = 1;
	v->ladder_first = -1;
}

void
ui_view_step_event(struct ui_view *v, const struct ui_model *m, int dir)
{
	close_check(v);
	v->playing = 0;
	v->stop_at = -1;
	v->list_follow = 1;
	v->ladder_first = -1;
	if (dir > 0 && v->cursor < m->nev) {
		v->cursor++;
		v->time = ev_time(m, v->cursor - 1);
		ask_crossed(v, m, v->cursor - 1);
	} else if (dir < 0 && v->cursor > 0) {
		v->cursor--;
		v->time = v->cursor > 0 ? ev_time(m, v->cursor - 1) : 0;
	}
}

void
ui_view_advance(struct ui_view *v, const struct ui_model *m, int64_t dt_ns)
{
	sim_time end = end_time(m), target;
	size_t old = v->cursor;
	double adv;
	int stopping = 0;

	if (!v->playing || dt_ns <= 0)
		return;
	adv = (double)dt_ns / 1e9 * (double)ui_speed_tenths(v->speed) / 10.0 *
	    (double)m->pace;
	target = ui_time_add(v->time, (sim_time)adv);
	/* Nothing on the wires: skip the idle time to the next event. */
	if (v->cursor < m->nev && v->time >= m->busy[v->cursor] &&
	    ev_time(m, v->cursor) > target)
		target = ev_time(m, v->cursor);
	if (v->stop_at >= 0 && target >= v->stop_at) {
		/* the step's message has arrived: stop just as it does, so
		 * what happens at that moment is the next step */
		target = v->stop_at;
		v->playing = 0;
		v->stop_at = -1;
		stopping = 1;
	}
	while (v->cursor < m->nev && (ev_time(m, v->cursor) < target ||
	    (ev_time(m, v->cursor) == target && !stopping)))
		v->cursor++;
	v->time = target;
	if (v->cursor >= m->nev && v->time >= end) {
		v->time = end;
		v->playing = 0;
	}
	ask_crossed(v, m, old);
}

static void
press_button(struct ui_view *v, const struct ui_model *m, int32_t b)
{
	switch (b) {
	case UI_BTN_START:
		ui_view_home(v, m);
		break;
	case UI_BTN_BACK:
		ui_view_step(v, m, -1);
		break;
	case UI_BTN_PLAY:
		if (v->check >= 0) {
			/* play past the question, answered or not */
			close_check(v);
			v->playing = 1;
			v->stop_at = -1;
			break;
		}
		if (!v->playing && v->cursor >= m->nev)
			ui_view_home(v, m);
		v->playing = !v->playing;
		v->stop_at = -1;
		v->list_follow = 1;
		break;
	case UI_BTN_FWD:
		ui_view_step(v, m, 1);
		break;
	case UI_BTN_END:
		ui_view_end(v, m);
		break;
	case UI_BTN_SLOWER:
		if (v->speed > 0)
			v->speed--;
		break;
	case UI_BTN_FASTER:
		if (v->speed < UI_SPEED_COUNT - 1)
			v->speed++;
		break;
	case UI_BTN_TAB_TOPOLOGY:
		v->tab = UI_TAB_TOPOLOGY;
		break;
	case UI_BTN_TAB_LADDER:
		v->tab = UI_TAB_LADDER;
		v->ladder_first = -1;
		break;
	case UI_BTN_GRAN_APP:
		v->gran = UI_GRAN_APP;
		v->list_follow = 1;
		break;
	case UI_BTN_GRAN_SEGMENT:
		v->gran = UI_GRAN_SEGMENT;
		v->list_follow = 1;
		break;
	case UI_BTN_HELP:
		v->screen = UI_SCREEN_HELP;
		break;
	case UI_BTN_CLOSE_NODE:
		v->node = -1;
		break;
	case UI_BTN_FIT:
		zoom_fit(v);
		break;
	case UI_BTN_CONTINUE:
		ui_view_continue(v);
		break;
	default:
		if (b >= UI_BTN_CHOICE && b < UI_BTN_CHOICE + 32)
			ui_view_answer(v, m, b - UI_BTN_CHOICE);
		if (b >= UI_BTN_FILTER && b < UI_BTN_FILTER + 32)
			v->hidden ^= 1u << (b - UI_BTN_FILTER);
		break;
	}
}

/* Moves to the row before/after the current one. */
static void
step_row(struct ui_view *v, const struct ui_model *m, int dir)
{
	const uint32_t *rows = m->rows[v->gran];
	long n = (long)m->nrows[v->gran];
	long k = ui_index_before(rows, (size_t)n, v->cursor);

	for (;;) {
		k += dir;
		if (k < 0) {
			ui_view_home(v, m);
			return;
		}
		if (k >= n)
			return;
		if (!ui_view_hides(v, m, rows[k]))
			break;
	}
	ui_view_jump(v, m, rows[k]);
}

static void
key(struct ui_view *v, const struct ui_model *m, enum ui_key k, int shift)
{
	if (k == UI_KEY_QUIT) {
		v->quit = 1;
		return;
	}
	if (v->screen == UI_SCREEN_HELP) {
		/* any key closes the help */
		v->screen = UI_SCREEN_PLAYER;
		return;
	}
	if (v->check >= 0) {
		/* a question is open: digits answer, Return / Space go on
		 * once answered, Esc skips it; moving back or away, help
		 * and zoom still work */
		if (k >= UI_KEY_1 && k <= UI_KEY_9) {
			ui_view_answer(v, m, (int)k - (int)UI_KEY_1);
			return;
		}
		if (k == UI_KEY_ESCAPE || ((k == UI_KEY_ENTER ||
		    k == UI_KEY_SPACE || k == UI_KEY_RIGHT) && v->answer >= 0)) {
			ui_view_continue(v);
			return;
		}
		if (k == UI_KEY_SPACE || k == UI_KEY_RIGHT ||
		    k == UI_KEY_ENTER)
			return;
	}
	switch (k) {
	case UI_KEY_SPACE:
		press_button(v, m, UI_BTN_PLAY);
		break;
	case UI_KEY_LEFT:
	case UI_KEY_RIGHT:
		if (shift)
			ui_view_step_event(v, m, k == UI_KEY_RIGHT ? 1 : -1);
		else
			ui_view_step(v, m, k == UI_KEY_RIGHT ? 1 : -1);
		break;
	case UI_KEY_UP:
	case UI_KEY_DOWN:
		step_row(v, m, k == UI_KEY_DOWN ? 1 : -1);
		break;
	case UI_KEY_HOME:
		ui_view_home(v, m);
		break;
	case UI_KEY_END:
		ui_view_end(v, m);
		break;
	case UI_KEY_PLUS:
		press_button(v, m, UI_BTN_FASTER);
		break;
	case UI_KEY_MINUS:
		press_button(v, m, UI_BTN_SLOWER);
		break;
	case UI_KEY_HELP:
		v->screen = UI_SCREEN_HELP;
		break;
	case UI_KEY_GRAN:
		press_button(v, m, v->gran == UI_GRAN_APP ?
		    UI_BTN_GRAN_SEGMENT : UI_BTN_GRAN_APP);
		break;
	case UI_KEY_TAB:
		press_button(v, m, v->tab == UI_TAB_TOPOLOGY ?
		    UI_BTN_TAB_LADDER : UI_BTN_TAB_TOPOLOGY);
		break;
	case UI_KEY_ESCAPE:
		v->node = -1;
		break;
	case UI_KEY_ZOOM_IN:
	case UI_KEY_ZOOM_OUT:
		/* about the canvas's centre */
		ui_view_zoom(v, k == UI_KEY_ZOOM_IN ? 1.25 : 0.8, 0, 0);
		break;
	case UI_KEY_ZOOM_FIT:
		zoom_fit(v);
		break;
	case UI_KEY_QUIT:
	case UI_KEY_NONE:
	case UI_KEY_ENTER:
	default:	/* digits with no question open */
		break;
	}
}

/* The cursor where the scrubber maps x: events spread evenly. */
static void
scrub_to(struct ui_view *v, const struct ui_model *m, int x)
{
	double f;
	size_t c;

	if (v->scrub.w <= 0)
		return;
	f = (double)(x - v->scrub.x) / (double)v->scrub.w;
	f = f < 0 ? 0 : f > 1 ? 1 : f;
	c = (size_t)(f * (double)m->nev + 0.5);
	if (c > m->nev)
		c = m->nev;
	v->cursor = c;
	v->time = c > 0 ? ev_time(m, c - 1) : 0;
	v->playing = 0;
	v->stop_at = -1;
	v->list_follow = 1;
	v->ladder_first = -1;
}

/* The first event list row the previous frame showed, -1. */
static long
first_shown_row(const struct ui_view *v, const struct ui_model *m,
    const struct ui_dlist *prev)
{
	size_t i;

	for (i = 0; i < prev->ncmds; i++) {
		const struct ui_cmd *c = &prev->cmds[i];

		if (c->type == UI_CMD_HIT && (c->role == UI_ROLE_ROW ||
		    c->role == UI_ROLE_ROW_CURRENT))
			return ui_index_before(m->rows[v->gran],
			    m->nrows[v->gran], (size_t)c->ref + 1);
	}
	return 0;
}

/* The topology canvas of the previous frame (its CANVAS hit). */
static struct ui_rect
canvas_of(const struct ui_dlist *prev)
{
	size_t i;

	for (i = 0; i < prev->ncmds; i++)
		if (prev->cmds[i].type == UI_CMD_HIT &&
		    prev->cmds[i].role == UI_ROLE_CANVAS)
			return prev->cmds[i].r;
	return (struct ui_rect){0, 0, 0, 0};
}

static void
wheel(struct ui_view *v, const struct ui_model *m, const struct ui_input *in,
    const struct ui_dlist *prev)
{
	const struct ui_cmd *h = ui_dlist_hit(prev, in->mx, in->my);

	if (h == NULL)
		return;
	if (h->role == UI_ROLE_LIST || h->role == UI_ROLE_ROW ||
	    h->role == UI_ROLE_ROW_CURRENT) {
		if (v->list_follow)
			v->list_first = first_shown_row(v, m, prev);
		v->list_follow = 0;
		v->list_first -= 3L * in->wheel;
		if (v->list_first < 0)
			v->list_first = 0;
		if (v->list_first >= (long)m->nrows[v->gran])
			v->list_first = (long)m->nrows[v->gran] - 1;
	} else if (h->role == UI_ROLE_DETAIL || h->role == UI_ROLE_FIELD ||
	    h->role == UI_ROLE_HEX) {
		v->detail_scroll -= 3 * in->wheel;
		if (v->detail_scroll < 0)
			v->detail_scroll = 0;
	} else if (h->role == UI_ROLE_CANVAS || h->role == UI_ROLE_NODE) {
		struct ui_rect k = canvas_of(prev);

		/* zoom at the pointer: 1.2x a notch */
		ui_view_zoom(v, pow(1.2, in->wheel), in->mx - (k.x + k.w / 2.0),
		    in->my - (k.y + k.h / 2.0));
	} else if (h->role == UI_ROLE_LADDER ||
	    h->role == UI_ROLE_LADDER_MSG) {
		long first = v->ladder_first;
		size_t i;

		if (first < 0) {
			first = 0;
			for (i = 0; i < prev->ncmds; i++)
				if (prev->cmds[i].type == UI_CMD_HIT &&
				    prev->cmds[i].role == UI_ROLE_LADDER) {
					first = prev->cmds[i].ref;
					break;
				}
		}
		first -= 3L * in->wheel;
		v->ladder_first = first < 0 ? 0 : first;
	}
}

static void
click(struct ui_view *v, const struct ui_model *m, const struct ui_input *in,
    const struct ui_dlist *prev)
{
	const struct ui_cmd *h;

	if (v->screen == UI_SCREEN_HELP) {
		v->screen = UI_SCREEN_PLAYER;
		return;
	}
	h = prev != NULL ? ui_dlist_hit(prev, in->mx, in->my) : NULL;
	if (h == NULL)
		return;
	switch (h->role) {
	case UI_ROLE_BUTTON:
		press_button(v, m, h->ref);
		break;
	case UI_ROLE_ROW:
	case UI_ROLE_ROW_CURRENT:
	case UI_ROLE_LADDER_MSG:
		if (h->ref >= 0)
			ui_view_jump(v, m, (size_t)h->ref);
		break;
	case UI_ROLE_FIELD:
		v->field = h->ref == v->field ? -1 : h->ref;
		break;
	case UI_ROLE_NODE:
		v->node = h->ref == v->node ? -1 : h->ref;
		break;
	case UI_ROLE_HEX:
		v->field = h->ref >= 0 ?
		    ui_detail_field_at(&v->detail, (uint32_t)h->ref) : -1;
		break;
	case UI_ROLE_CANVAS:
		/* empty canvas: drag to pan */
		v->panning = 1;
		v->pan_mx = in->mx;
		v->pan_my = in->my;
		break;
	case UI_ROLE_SCRUBBER:
		v->dragging = 1;
		v->scrub = h->r;
		scrub_to(v, m, in->mx);
		break;
	default:
		break;
	}
}

void
ui_view_update(struct ui_view *v, const struct ui_model *m,
    const struct ui_input *in, const struct ui_dlist *prev)
{
	size_t i;

	if (in->w > 0 && in->h > 0) {
		v->w = in->w;
		v->h = in->h;
	}
	if (in->quit)
		v->quit = 1;
	for (i = 0; i < in->nkeys && i < UI_INPUT_KEYS; i++)
		key(v, m, (enum ui_key)in->keys[i], in->shift[i]);
	if (in->pressed)
		click(v, m, in, prev);
	if (v->dragging) {
		if (in->down)
			scrub_to(v, m, in->mx);
		else
			v->dragging = 0;
	}
	if (v->panning) {
		if (in->down) {
			v->pan_x += in->mx - v->pan_mx;
			v->pan_y += in->my - v->pan_my;
			v->pan_mx = in->mx;
			v->pan_my = in->my;
		} else {
			v->panning = 0;
		}
	}
	if (in->wheel != 0 && prev != NULL && v->screen == UI_SCREEN_PLAYER)
		wheel(v, m, in, prev);
	ui_view_advance(v, m, in->dt_ns);
	ui_view_sync(v, m);
}
