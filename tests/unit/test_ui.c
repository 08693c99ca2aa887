/* test_ui.c - the viewer with no window: the display list, the model
 * over a trace (which datagrams carry which message), stepping, the
 * event list following the cursor, the detail pane's fields, the layout
 * of a DNS hierarchy, and frames that allocate nothing. Text is measured
 * by a fake (7 pixels a character), as microui's text_width lets tests
 * do. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"

#include "engine/sim.h"
#include "scenario/scn.h"
#include "trace/trace.h"
#include "ui/build.h"
#include "ui/dlist.h"
#include "ui/model.h"
#include "ui/view.h"
#include "util/alloc.h"

#include "world.h"

/* ---- Fixtures ---- */

static int
fake_width(void *ud, enum ui_font font, const char *s, size_t len)
{
	size_t i, n = 0;

	(void)ud;
	for (i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	return (int)n * (font == UI_FONT_SMALL ? 6 : 7);
}

static const struct ui_text fake_text = {fake_width, NULL,
    {17, 17, 15, 16, 19}};

/* The first app event whose summary is text, or -1. */
static long
find_app(const struct trace *t, const char *text)
{
	size_t i;

	for (i = 0; i < trace_count(t); i++) {
		const struct trace_event *ev = trace_at(t, i);

		if (ev->kind == TRACE_APP && strcmp(ev->summary, text) == 0)
			return (long)i;
	}
	return -1;
}

/* The rect of node id's disc in dl (its HIT command). */
static int
node_rect(const struct ui_dlist *dl, int32_t id, struct ui_rect *out)
{
	size_t i;

	for (i = 0; i < dl->ncmds; i++)
		if (dl->cmds[i].type == UI_CMD_HIT &&
		    dl->cmds[i].role == UI_ROLE_NODE && dl->cmds[i].ref == id) {
			*out = dl->cmds[i].r;
			return 1;
		}
	return 0;
}

static int32_t
node_id(const struct trace *t, const char *name)
{
	size_t i;

	for (i = 0; i < trace_node_count(t); i++)
		if (strcmp(trace_node_name(t, (int32_t)i), name) == 0)
			return (int32_t)i;
	return -1;
}

/* The event of the ROW_CURRENT hit, -1 when no row is current. */
static int32_t
current_row(const struct ui_dlist *dl)
{
	size_t i;

	for (i = 0; i < dl->ncmds; i++)
		if (dl->cmds[i].type == UI_CMD_HIT &&
		    dl->cmds[i].role == UI_ROLE_ROW_CURRENT)
			return dl->cmds[i].ref;
	return -1;
}

static int
has_text(const struct ui_dlist *dl, const char *s)
{
	size_t i;

	for (i = 0; i < dl->ncmds; i++)
		if (dl->cmds[i].type == UI_CMD_TEXT &&
		    strcmp(ui_dlist_text(dl, &dl->cmds[i]), s) == 0)
			return 1;
	return 0;
}

/* ---- The display list ---- */

static void
test_ui_dlist_basics(void)
{
	struct ui_dlist *a = ui_dlist_new(), *b = ui_dlist_new();
	const struct ui_cmd *h;
	size_t i;

	ASSERT(a != NULL && b != NULL);
	ui_dl_rect(a, (struct ui_rect){0, 0, 10, 10}, 2,
	    (struct ui_color){1, 2, 3, 255});
	ui_dl_text(a, UI_FONT_BOLD, 5, 6, 28, 17, "C: Hello", 8,
	    (struct ui_color){255, 255, 255, 255});
	ui_dl_hit(a, (struct ui_rect){0, 0, 100, 100}, UI_ROLE_LIST, -1);
	ui_dl_hit(a, (struct ui_rect){10, 10, 20, 20}, UI_ROLE_ROW, 42);
	ASSERT_EQ(a->ncmds, 4);
	ASSERT_STR_EQ(ui_dlist_text(a, &a->cmds[1]), "C: Hello");
	ASSERT_STR_EQ(ui_dlist_text(a, &a->cmds[0]), "");
	/* the topmost hit wins; outside all, none */
	h = ui_dlist_hit(a, 15, 15);
	ASSERT(h != NULL);
	ASSERT_EQ(h->ref, 42);
	h = ui_dlist_hit(a, 50, 50);
	ASSERT(h != NULL);
	ASSERT_EQ(h->role, UI_ROLE_LIST);
	ASSERT(ui_dlist_hit(a, 150, 5) == NULL);
	/* an invisible rect is not drawn */
	ASSERT(ui_dl_rect(a, (struct ui_rect){0, 0, 0, 5}, 0,
	    (struct ui_color){1, 1, 1, 255}) == NULL);
	/* equality looks at the text too */
	ui_dl_rect(b, (struct ui_rect){0, 0, 10, 10}, 2,
	    (struct ui_color){1, 2, 3, 255});
	ui_dl_text(b, UI_FONT_BOLD, 5, 6, 28, 17, "C: Hellp", 8,
	    (struct ui_color){255, 255, 255, 255});
	ui_dl_hit(b, (struct ui_rect){0, 0, 100, 100}, UI_ROLE_LIST, -1);
	ui_dl_hit(b, (struct ui_rect){10, 10, 20, 20}, UI_ROLE_ROW, 42);
	ASSERT(!ui_dlist_equal(a, b));
	ui_dlist_clear(b);
	ASSERT_EQ(b->ncmds, 0);
	/* bounded: the list refuses past its size and says so */
	for (i = 0; i < UI_DLIST_CMDS + 5; i++)
		ui_dl_hit(b, (struct ui_rect){0, 0, 1, 1}, UI_ROLE_NONE, 0);
	ASSERT_EQ(b->ncmds, UI_DLIST_CMDS);
	ASSERT(b->overflow);
	ui_dlist_free(a);
	ui_dlist_free(b);
	ui_dlist_free(NULL);
}

/* ---- The model ---- */

static void
test_ui_model_carriers(void)
{
	struct trace *t = test_scenario_trace("tcp-basics", 3600 * SIM_S);
	struct ui_model *m = NULL;
	long hello, ping;
	uint32_t s;
	size_t i, carriers = 0;

	ASSERT(t != NULL);
	ASSERT_EQ(ui_model_new(t, NULL, 0, &m), NL_OK);
	hello = find_app(t, "C: Hello");
	ping = find_app(t, "C: ping");
	ASSERT(hello >= 0 && ping >= 0);
	/* seven application messages, one step each */
	ASSERT_EQ(m->nsteps[UI_GRAN_APP], 7);
	ASSERT_EQ(m->steps[UI_GRAN_APP][0], (uint32_t)hello);
	/* "C: Hello" leaves in a segment of 7 bytes; it crosses r1 */
	s = m->first_send[hello];
	ASSERT(s != UI_NONE);
	ASSERT_EQ(trace_at(t, s)->node, node_id(t, "crepes.fr"));
	ASSERT(strstr(trace_at(t, s)->summary, "len=7") != NULL);
	ASSERT(m->next_hop[s] != UI_NONE);
	ASSERT_EQ(trace_at(t, m->next_hop[s])->node, node_id(t, "r1"));
	ASSERT_EQ(trace_at(t, m->next_hop[s])->peer,
	    node_id(t, "hamburger.edu"));
	ASSERT_EQ(m->origin_of[m->next_hop[s]], s);
	ASSERT_EQ(m->app_of[m->next_hop[s]], (uint32_t)hello);
	/* it arrives 15 ms (and a little serialisation) after it left */
	ASSERT(m->end[hello] > trace_at(t, (size_t)hello)->t + 15 * SIM_MS);
	ASSERT(m->end[hello] < trace_at(t, (size_t)hello)->t + 16 * SIM_MS);
	/* the UDP ping is carried by the next datagram */
	ASSERT(m->first_send[ping] != UI_NONE);
	ASSERT(strncmp(trace_at(t, m->first_send[ping])->summary, "UDP ", 4) ==
	    0);
	/* bare acknowledgements carry no message */
	for (i = 0; i < m->nev; i++) {
		const struct trace_event *ev = trace_at(t, i);

		if (ev->kind != TRACE_PKT_SEND)
			continue;
		if (strstr(ev->summary, "len=0") != NULL)
			ASSERT_EQ(m->app_of[i], UI_NONE);
		else
			carriers++;
	}
	ASSERT(carriers > 60);
	ui_model_free(m);
	trace_free(t);
}

/* ---- Frames ---- */

struct fixture {
	struct trace *t;
	struct ui_model *m;
	struct ui_view *v;
	struct ui_dlist *dl;
};

static int
fixture_open(struct fixture *f, const char *scenario)
{
	memset(f, 0, sizeof *f);
	f->t = test_scenario_trace(scenario, 3600 * SIM_S);
	if (f->t == NULL || ui_model_new(f->t, NULL, 0, &f->m) != NL_OK)
		return 0;
	f->v = nl_calloc(1, sizeof *f->v);
	f->dl = ui_dlist_new();
	if (f->v == NULL || f->dl == NULL)
		return 0;
	ui_view_init(f->v, f->m, 1280, 800);
	return 1;
}

static void
fixture_close(struct fixture *f)
{
	ui_dlist_free(f->dl);
	nl_free(f->v);
	ui_model_free(f->m);
	trace_free(f->t);
}

/* n steps forward from the start, paused at the moment of the step. */
static void
steps(struct fixture *f, int n)
{
	int i;

	ui_view_home(f->v, f->m);
	for (i = 0; i < n; i++)
		ui_view_step(f->v, f->m, 1);
	f->v->playing = 0;
	f->v->stop_at = -1;
	ui_view_sync(f->v, f->m);
}

static void
test_ui_arrow_hello(void)
{
	struct fixture f;
	struct ui_rect from, to;
	long hello;
	size_t i;
	int arrows = 0, label = 0;
	int first_x0 = 0, first_y0 = 0, last_x1 = 0, last_y1 = 0;

	ASSERT(fixture_open(&f, "tcp-basics"));
	hello = find_app(f.t, "C: Hello");
	steps(&f, 1);
	ASSERT_EQ(ui_view_current_step(f.v, f.m), hello);
	ui_build(f.dl, f.m, f.v, &fake_text);
	ASSERT(!f.dl->overflow);
	ASSERT(node_rect(f.dl, node_id(f.t, "crepes.fr"), &from));
	ASSERT(node_rect(f.dl, node_id(f.t, "hamburger.edu"), &to));
	for (i = 0; i < f.dl->ncmds; i++) {
		const struct ui_cmd *c = &f.dl->cmds[i];

		if (c->role == UI_ROLE_MSG_ARROW && c->ref == hello) {
			if (arrows++ == 0) {
				first_x0 = c->x0;
				first_y0 = c->y0;
			}
			last_x1 = c->x1;
			last_y1 = c->y1;
			if (c->type == UI_CMD_ARROW)
				label |= 2;	/* the head is on the last */
		}
		if (c->type == UI_CMD_TEXT && c->role == UI_ROLE_MSG_LABEL &&
		    c->ref == hello &&
		    strcmp(ui_dlist_text(f.dl, c), "C: Hello") == 0)
			label |= 1;
	}
	/* one arrow, crepes.fr to hamburger.edu (the dots take r1) */
	ASSERT_EQ(arrows, 1);
	ASSERT_EQ(label, 3);
	/* from crepes.fr's card towards hamburger.edu's */
	ASSERT(first_x0 >= from.x + from.w && first_x0 < from.x + from.w + 30);
	ASSERT(first_y0 > from.y && first_y0 < from.y + from.h);
	ASSERT(last_x1 <= to.x && last_x1 > to.x - 30);
	ASSERT(last_y1 > to.y && last_y1 < to.y + to.h);
	ASSERT(last_x1 > first_x0);
	fixture_close(&f);
}

static void
test_ui_back_equals_forward(void)
{
	struct fixture f;
	struct ui_dlist *four = ui_dlist_new();
	int i;

	ASSERT(four != NULL);
	ASSERT(fixture_open(&f, "tcp-basics"));
	steps(&f, 4);
	ui_build(four, f.m, f.v, &fake_text);
	ui_view_home(f.v, f.m);
	for (i = 0; i < 5; i++)
		ui_view_step(f.v, f.m, 1);
	ui_build(f.dl, f.m, f.v, &fake_text);
	ASSERT(!ui_dlist_equal(f.dl, four));
	ui_view_step(f.v, f.m, -1);
	f.v->playing = 0;
	f.v->stop_at = -1;
	ui_view_sync(f.v, f.m);
	ui_build(f.dl, f.m, f.v, &fake_text);
	ASSERT(ui_dlist_equal(f.dl, four));
	/* the same at segment granularity, and on the ladder */
	f.v->gran = UI_GRAN_SEGMENT;
	f.v->tab = UI_TAB_LADDER;
	steps(&f, 4);
	ui_build(four, f.m, f.v, &fake_text);
	steps(&f, 5);
	ui_view_step(f.v, f.m, -1);
	f.v->playing = 0;
	f.v->stop_at = -1;
	ui_view_sync(f.v, f.m);
	ui_build(f.dl, f.m, f.v, &fake_text);
	ASSERT(ui_dlist_equal(f.dl, four));
	ui_dlist_free(four);
	fixture_close(&f);
}

/* The inspector carries its fold on while the cursor moves forward
 * (inspect.c keeps the last one): every frame of a walk forward, event
 * by event, must equal the frame a fold from the start gives at the same
 * cursor. The fresh frames come from a second model of the same trace,
 * walked backward, so none of them can reuse a kept fold. */
static void
carry_on_equals_fresh(const char *scenario, const char *node)
{
	struct fixture f;
	struct ui_model *m2 = NULL;
	struct ui_view *v2 = nl_calloc(1, sizeof *v2);
	struct ui_dlist *at[64], *tmp = ui_dlist_new();
	size_t cur[64];
	int n = 0, i, every;

	ASSERT(v2 != NULL && tmp != NULL);
	ASSERT(fixture_open(&f, scenario));
	ASSERT_EQ(ui_model_new(f.t, NULL, 0, &m2), NL_OK);
	ui_view_init(v2, m2, 1280, 800);
	f.v->node = v2->node = node_id(f.t, node);
	ASSERT(f.v->node >= 0);
	every = (int)(f.m->nev / 60) + 1;
	ui_view_home(f.v, f.m);
	for (i = 0; ; i++) {
		if (i % every == 0 && n < 64) {
			at[n] = ui_dlist_new();
			ASSERT(at[n] != NULL);
			ui_build(at[n], f.m, f.v, &fake_text);
			cur[n++] = f.v->cursor;
		} else {
			ui_build(tmp, f.m, f.v, &fake_text);
		}
		if (f.v->cursor >= f.m->nev)
			break;
		ui_view_step_event(f.v, f.m, 1);
	}
	ASSERT(n > 20);
	for (i = n; i-- > 0;) {
		ui_view_jump(v2, m2, cur[i] > 0 ? cur[i] - 1 : 0);
		if (cur[i] == 0)
			ui_view_home(v2, m2);
		ASSERT_EQ(v2->cursor, cur[i]);
		ui_build(tmp, m2, v2, &fake_text);
		ASSERT(ui_dlist_equal(tmp, at[i]));
		ui_dlist_free(at[i]);
	}
	ui_dlist_free(tmp);
	ui_model_free(m2);
	nl_free(v2);
	fixture_close(&f);
}

static void
test_ui_inspector_carry_on(void)
{
	carry_on_equals_fresh("mail-queue-retry", "mail.crepes.fr");
	carry_on_equals_fresh("dns-caching", "dns.nyu.edu");
}

static void
test_ui_list_follows_cursor(void)
{
	struct fixture f;
	size_t k;

	ASSERT(fixture_open(&f, "tcp-basics"));
	ui_build(f.dl, f.m, f.v, &fake_text);
	ASSERT_EQ(current_row(f.dl), -1);	/* nothing happened yet */
	for (k = 1; k <= f.m->nsteps[UI_GRAN_APP]; k++) {
		steps(&f, (int)k);
		ui_build(f.dl, f.m, f.v, &fake_text);
		ASSERT_EQ(current_row(f.dl),
		    (int32_t)f.m->steps[UI_GRAN_APP][k - 1]);
	}
	/* every event, at segment granularity: the row is always shown */
	f.v->gran = UI_GRAN_SEGMENT;
	for (k = 0; k < f.m->nsteps[UI_GRAN_SEGMENT]; k += 37) {
		ui_view_jump(f.v, f.m, f.m->steps[UI_GRAN_SEGMENT][k]);
		ui_build(f.dl, f.m, f.v, &fake_text);
		ASSERT_EQ(current_row(f.dl),
		    (int32_t)f.m->steps[UI_GRAN_SEGMENT][k]);
	}
	fixture_close(&f);
}

static void
test_ui_click_row_jumps(void)
{
	struct fixture f;
	struct ui_input in;
	size_t i;
	const struct ui_cmd *row = NULL;

	ASSERT(fixture_open(&f, "tcp-basics"));
	ui_build(f.dl, f.m, f.v, &fake_text);
	/* the fourth row of the list */
	for (i = 0; i < f.dl->ncmds; i++) {
		const struct ui_cmd *c = &f.dl->cmds[i];

		if (c->type == UI_CMD_HIT && c->role == UI_ROLE_ROW &&
		    c->ref == (int32_t)f.m->rows[UI_GRAN_APP][3]) {
			row = c;
			break;
		}
	}
	ASSERT(row != NULL);
	memset(&in, 0, sizeof in);
	in.w = 1280;
	in.h = 800;
	in.pressed = in.down = 1;
	in.mx = row->r.x + 20;
	in.my = row->r.y + 5;
	ui_view_update(f.v, f.m, &in, f.dl);
	ASSERT_EQ(f.v->cursor, f.m->rows[UI_GRAN_APP][3] + 1);
	ASSERT_EQ(f.v->detail.ev, f.m->rows[UI_GRAN_APP][3]);
	/* keys: End, then Home, then the help and any key to close it */
	memset(&in, 0, sizeof in);
	in.keys[0] = UI_KEY_END;
	in.nkeys = 1;
	ui_view_update(f.v, f.m, &in, f.dl);
	ASSERT_EQ(f.v->cursor, f.m->nev);
	in.keys[0] = UI_KEY_HOME;
	in.keys[1] = UI_KEY_HELP;
	in.nkeys = 2;
	ui_view_update(f.v, f.m, &in, f.dl);
	ASSERT_EQ(f.v->cursor, 0);
	ASSERT_EQ(f.v->screen, UI_SCREEN_HELP);
	ui_build(f.dl, f.m, f.v, &fake_text);
	ASSERT(has_text(f.dl, "Space"));
	ASSERT(has_text(f.dl, "Home  End"));
	ASSERT(has_text(f.dl, "H  F1"));
	in.keys[0] = UI_KEY_SPACE;
	in.nkeys = 1;
	ui_view_update(f.v, f.m, &in, f.dl);
	ASSERT_EQ(f.v->screen, UI_SCREEN_PLAYER);
	ASSERT(!f.v->playing);		/* the key only closed the help */
	fixture_close(&f);
}

/* A datagram in flight sits where its times say, whatever came before. */
static void
test_ui_flight_position(void)
{
	struct fixture f;
	long hello;
	uint32_t s;
	const struct trace_event *se;
	size_t i;
	int found = 0, x_mid = 0, x_late = 0, pass;

	ASSERT(fixture_open(&f, "tcp-basics"));
	hello = find_app(f.t, "C: Hello");
	s = f.m->first_send[hello];
	se = trace_at(f.t, s);
	for (pass = 0; pass < 2; pass++) {
		ui_view_seek(f.v, f.m, se->b + (se->c - se->b) * (pass ? 3 :
		    1) / 4);
		ui_build(f.dl, f.m, f.v, &fake_text);
		for (i = 0; i < f.dl->ncmds; i++) {
			const struct ui_cmd *c = &f.dl->cmds[i];

			if (c->type == UI_CMD_CIRCLE && c->role == UI_ROLE_MSG &&
			    c->ref == (int32_t)s) {
				found++;
				if (pass)
					x_late = c->x0;
				else
					x_mid = c->x0;
			}
		}
	}
	ASSERT_EQ(found, 2);
	ASSERT(x_late > x_mid);
	/* played there instead of set: the same frame */
	{
		struct ui_dlist *set = ui_dlist_new();
		sim_time reached;

		ASSERT(set != NULL);
		steps(&f, 1);
		f.v->playing = 1;
		ui_view_advance(f.v, f.m, (int64_t)((double)(se->b +
		    (se->c - se->b) / 2 - f.v->time) * 1e9 /
		    (double)f.m->pace));
		f.v->playing = 0;
		f.v->stop_at = -1;
		ui_view_sync(f.v, f.m);
		ui_build(f.dl, f.m, f.v, &fake_text);
		reached = f.v->time;
		ASSERT(reached > se->b && reached < se->c);
		ui_view_seek(f.v, f.m, reached);
		ui_view_sync(f.v, f.m);
		ui_build(set, f.m, f.v, &fake_text);
		ASSERT(ui_dlist_equal(set, f.dl));
		ui_dlist_free(set);
	}
	fixture_close(&f);
}

static void
test_ui_step_plays_message(void)
{
	struct fixture f;
	long hello;

	ASSERT(fixture_open(&f, "tcp-basics"));
	hello = find_app(f.t, "C: Hello");
	ui_view_step(f.v, f.m, 1);
	ASSERT_EQ(f.v->time, trace_at(f.t, (size_t)hello)->t);
	ASSERT(f.v->playing);
	ASSERT_EQ(f.v->stop_at, f.m->end[hello]);
	/* ten seconds of wall time later it has arrived, and stopped */
	ui_view_advance(f.v, f.m, 10 * SIM_S);
	ASSERT(!f.v->playing);
	ASSERT_EQ(f.v->time, f.m->end[hello]);
	/* the reply leaves at that very moment: it is the next step */
	ASSERT_EQ(ui_view_current_step(f.v, f.m), hello);
	/* back from the first step: the start */
	ui_view_step(f.v, f.m, -1);
	ASSERT_EQ(f.v->cursor, 0);
	ASSERT(!ui_view_step(f.v, f.m, -1));
	/* Shift+arrow: one event at a time */
	ui_view_step_event(f.v, f.m, 1);
	ASSERT_EQ(f.v->cursor, 1);
	ui_view_step_event(f.v, f.m, -1);
	ASSERT_EQ(f.v->cursor, 0);
	fixture_close(&f);
}

static void
test_ui_filter_hides(void)
{
	struct fixture f;
	long ping;

	ASSERT(fixture_open(&f, "tcp-basics"));
	ping = find_app(f.t, "C: ping");
	f.v->hidden = 1u << TRACE_P_ECHO;
	ui_view_step(f.v, f.m, 1);
	/* every echo message is skipped: the first step is the discard */
	ASSERT_EQ(trace_at(f.t, (size_t)ui_view_current_step(f.v, f.m))->proto,
	    TRACE_P_DISCARD);
	f.v->hidden = 0;
	ui_view_jump(f.v, f.m, (size_t)ping);
	ASSERT_EQ(ui_view_current_step(f.v, f.m), ping);
	fixture_close(&f);
}

static void
test_ui_detail_fields(void)
{
	struct fixture f;
	const struct ui_detail *d;
	size_t i, s = 0;
	int sport = -1, flags = -1;

	ASSERT(fixture_open(&f, "tcp-basics"));
	/* the first datagram: the SYN */
	while (trace_at(f.t, s)->kind != TRACE_PKT_SEND)
		s++;
	f.v->gran = UI_GRAN_SEGMENT;
	ui_view_jump(f.v, f.m, s);
	ui_view_sync(f.v, f.m);
	d = &f.v->detail;
	ASSERT_EQ(d->ev, s);
	for (i = 0; i < d->nfields; i++) {
		if (strcmp(d->fields[i].name, "Source port") == 0)
			sport = (int)i;
		if (strcmp(d->fields[i].name, "Flags") == 0 &&
		    strstr(d->fields[i].value, "SYN") != NULL)
			flags = (int)i;
	}
	ASSERT(sport >= 0 && flags >= 0);
	ASSERT_STR_EQ(d->fields[sport].value, "49152");
	ASSERT_EQ(d->fields[sport].off, 20);
	ASSERT_EQ(d->fields[sport].len, 2);
	ASSERT_EQ(ui_detail_field_at(d, 21), sport);
	ASSERT_STR_EQ(d->fields[0].name, "IPv4");
	/* the selected field's bytes are lit in the hex dump */
	f.v->field = sport;
	ui_build(f.dl, f.m, f.v, &fake_text);
	{
		int lit = 0;

		for (i = 0; i + 1 < f.dl->ncmds; i++) {
			const struct ui_cmd *c = &f.dl->cmds[i];

			if (c->type == UI_CMD_HIT && c->role == UI_ROLE_HEX &&
			    (c->ref == 20 || c->ref == 21))
				lit++;
		}
		ASSERT_EQ(lit, 2);
	}
	/* an application message: its lines */
	ui_view_jump(f.v, f.m, (size_t)find_app(f.t, "C: How are you?"));
	f.v->gran = UI_GRAN_APP;
	ui_view_sync(f.v, f.m);
	ASSERT(f.v->detail.nfields >= 2);
	ASSERT_STR_EQ(f.v->detail.fields[1].value, "How are you?\\r\\n");
	fixture_close(&f);
}

/* A frame allocates nothing: building with every allocation failing
 * gives the same list. */
static void
test_ui_frame_allocates_nothing(void)
{
	struct fixture f;
	struct ui_dlist *ok = ui_dlist_new();

	ASSERT(ok != NULL);
	ASSERT(fixture_open(&f, "tcp-loss"));
	f.v->gran = UI_GRAN_SEGMENT;
	steps(&f, 300);
	ui_build(ok, f.m, f.v, &fake_text);
	nl_alloc_fail_after(0);
	ui_build(f.dl, f.m, f.v, &fake_text);
	ui_view_advance(f.v, f.m, 0);
	nl_alloc_fail_after(-1);
	ASSERT(ui_dlist_equal(ok, f.dl));
	ASSERT(!nl_alloc_failed());
	ui_dlist_free(ok);
	fixture_close(&f);
}

/* ---- Layout ---- */

static void
test_ui_layout_dns_tree(void)
{
	static const char *const names[][2] = {
		{"alice", "user-agent"},		/* 0 */
		{"crepes.fr", "mail-server"},		/* 1 */
		{"r1", "router"},			/* 2 */
		{"hamburger.edu", "mail-server"},	/* 3 */
		{"bob", "user-agent"},			/* 4 */
		{"dns.crepes.fr", "dns-local"},		/* 5 */
		{"a.root-servers.net", "dns-root"},	/* 6 */
		{"a.edu-servers.net", "dns-tld"},	/* 7 */
		{"dns.hamburger.edu", "dns-authoritative"}, /* 8 */
	};
	static const int links[][2] = {{0, 1}, {1, 2}, {2, 3}, {3, 4},
	    {5, 2}, {6, 2}, {7, 2}, {8, 2}};
	struct trace *t = trace_new();
	struct ui_node_info nodes[9];
	struct ui_hint hints[9];
	struct trace_link l;
	int32_t id;
	size_t i;

	ASSERT(t != NULL);
	for (i = 0; i < 9; i++)
		ASSERT_EQ(trace_node_add(t, names[i][0], names[i][1], &id),
		    NL_OK);
	memset(&l, 0, sizeof l);
	for (i = 0; i < sizeof links / sizeof links[0]; i++) {
		char nm[16];

		snprintf(nm, sizeof nm, "l%zu", i);
		l.name = nm;
		l.a = links[i][0];
		l.b = links[i][1];
		ASSERT_EQ(trace_link_add(t, &l, &id), NL_OK);
	}
	ASSERT_EQ(ui_layout(t, NULL, 0, nodes), NL_OK);
	/* the hierarchy: root above TLD above authoritative, all above
	 * the mail path */
	ASSERT(nodes[6].y < nodes[7].y);
	ASSERT(nodes[7].y < nodes[8].y);
	ASSERT(nodes[8].y < nodes[0].y);
	ASSERT_EQ(nodes[6].cls, UI_NC_DNS_ROOT);
	ASSERT_EQ(nodes[5].cls, UI_NC_DNS_LOCAL);
	/* mail flows left to right, the router between */
	ASSERT(nodes[0].x < nodes[1].x);
	ASSERT(nodes[1].x < nodes[2].x);
	ASSERT(nodes[2].x < nodes[3].x);
	ASSERT(nodes[3].x < nodes[4].x);
	for (i = 0; i < 9; i++)
		ASSERT(nodes[i].x >= 0 && nodes[i].x <= 1 && nodes[i].y >= 0 &&
		    nodes[i].y <= 1);
	/* hints for every node win, scaled to the canvas */
	for (i = 0; i < 9; i++) {
		hints[i].set = 1;
		hints[i].x = 0.1 + 0.1 * (double)i;
		hints[i].y = 0.5;
	}
	ASSERT_EQ(ui_layout(t, hints, 9, nodes), NL_OK);
	ASSERT(nodes[0].x < 0.01 && nodes[8].x > 0.99);
	ASSERT(nodes[4].y > 0.49 && nodes[4].y < 0.51);
	/* one missing: automatic again */
	hints[3].set = 0;
	ASSERT_EQ(ui_layout(t, hints, 9, nodes), NL_OK);
	ASSERT(nodes[6].y < nodes[7].y);
	trace_free(t);
}

static void
test_ui_model_empty_and_oom(void)
{
	struct trace *t = trace_new(), *full;
	struct ui_model *m = NULL;
	struct ui_view *v = nl_calloc(1, sizeof *v);
	struct ui_dlist *dl = ui_dlist_new();
	long n;

	ASSERT(t != NULL && v != NULL && dl != NULL);
	/* an empty trace: a frame with nothing in it, no crash */
	ASSERT_EQ(ui_model_new(t, NULL, 0, &m), NL_OK);
	ui_view_init(v, m, 1280, 800);
	ASSERT(!ui_view_step(v, m, 1));
	ui_view_end(v, m);
	ui_build(dl, m, v, &fake_text);
	ASSERT(has_text(dl, "This trace has no events."));
	ui_model_free(m);
	/* every allocation failing in turn: NL_ENOMEM, nothing leaked */
	full = test_scenario_trace("tcp-basics", 3600 * SIM_S);
	ASSERT(full != NULL);
	for (n = 0; n < 1000; n++) {
		enum nl_status st;

		nl_alloc_fail_after(n);
		st = ui_model_new(full, NULL, 0, &m);
		nl_alloc_fail_after(-1);
		if (st == NL_OK)
			break;
		ASSERT_EQ(st, NL_ENOMEM);
		ASSERT(m == NULL);
	}
	ASSERT(m != NULL);
	ui_model_free(m);
	trace_free(full);
	trace_free(t);
	ui_dlist_free(dl);
	nl_free(v);
}

/* The TTL text drawn right after the inspector's line for name, or -1. */
static long
cache_ttl(const struct ui_dlist *dl, const char *name)
{
	size_t i;

	for (i = 0; i + 1 < dl->ncmds; i++)
		if (dl->cmds[i].type == UI_CMD_TEXT &&
		    strcmp(ui_dlist_text(dl, &dl->cmds[i]), name) == 0 &&
		    dl->cmds[i + 1].type == UI_CMD_TEXT)
			return strtol(ui_dlist_text(dl, &dl->cmds[i + 1]), NULL,
			    10);
	return -1;
}

/* The inspector folds a DNS cache from the trace: entries come, their
 * TTLs count down with the cursor's time, expired ones go; stepping
 * back shows them again. */
static void
test_ui_inspector_cache(void)
{
	struct fixture f;
	long early, late, k, last = -1;
	size_t i;

	ASSERT(fixture_open(&f, "dns-caching"));
	f.v->node = node_id(f.t, "dns.nyu.edu");
	ASSERT(f.v->node >= 0);
	/* a step after edu.'s NS went into the cache, and a much later one */
	for (k = 1; k <= (long)f.m->nsteps[UI_GRAN_APP]; k++) {
		steps(&f, (int)k);
		ui_build(f.dl, f.m, f.v, &fake_text);
		if (cache_ttl(f.dl, "edu. NS") >= 0 && last < 0)
			last = k;
	}
	ASSERT(last > 0);
	steps(&f, (int)last);
	ui_build(f.dl, f.m, f.v, &fake_text);
	early = cache_ttl(f.dl, "edu. NS");
	ASSERT(has_text(f.dl, "DNS cache"));
	steps(&f, (int)f.m->nsteps[UI_GRAN_APP]);
	ui_build(f.dl, f.m, f.v, &fake_text);
	late = cache_ttl(f.dl, "edu. NS");
	ASSERT(early > 0 && late > 0);
	ASSERT(late < early);
	/* an expired entry leaves the cache: some entry seen at one step
	 * is gone at a later one */
	{
		int gone = 0;

		for (k = 1; k < (long)f.m->nsteps[UI_GRAN_APP] && !gone; k++) {
			steps(&f, (int)k);
			ui_build(f.dl, f.m, f.v, &fake_text);
			if (cache_ttl(f.dl, "gaia.cs.umass.edu. A") < 0)
				continue;
			for (i = (size_t)k + 1; i <= f.m->nsteps[UI_GRAN_APP];
			    i++) {
				steps(&f, (int)i);
				ui_build(f.dl, f.m, f.v, &fake_text);
				if (cache_ttl(f.dl, "gaia.cs.umass.edu. A") < 0) {
					gone = 1;
					break;
				}
			}
		}
		ASSERT(gone);
	}
	/* the card closes with its button */
	f.v->node = -1;
	ui_build(f.dl, f.m, f.v, &fake_text);
	ASSERT(!has_text(f.dl, "DNS cache"));
	fixture_close(&f);
}

/* A trace with nonsense in it (as a hostile file could hold, within
 * what the reader lets through): every frame builds, nothing overflows
 * or reads out of bounds (the sanitizers watch). */
static void
test_ui_hostile_trace(void)
{
	struct trace *t = trace_new();
	struct trace_link l;
	struct trace_event ev;
	struct ui_model *m = NULL;
	struct ui_view *v = nl_calloc(1, sizeof *v);
	struct ui_dlist *dl = ui_dlist_new();
	static const uint8_t junk[] = {0x45, 0, 0, 20, 0, 0, 0x40, 0, 64, 6,
	    0xff, 0xff, 10, 0, 0, 1, 10, 0, 0, 2};
	int32_t id;
	int i, g;

	ASSERT(t != NULL && v != NULL && dl != NULL);
	ASSERT_EQ(trace_node_add(t, "a", "dns-root", &id), NL_OK);
	ASSERT_EQ(trace_node_add(t, "b", "no-such-kind", &id), NL_OK);
	memset(&l, 0, sizeof l);
	l.name = (char *)(uintptr_t)"a-b";
	l.b = 1;
	l.delay = SIM_TIME_MAX;
	ASSERT_EQ(trace_link_add(t, &l, &id), NL_OK);
	memset(&ev, 0, sizeof ev);
	ev.summary = (char *)(uintptr_t)"x";
	ev.link = 0;
	/* sends whose times make no sense, or that reach far away */
	ev.kind = TRACE_PKT_SEND;
	ev.node = 0;
	ev.peer = 1;
	ev.t = 5;
	ev.b = INT64_MIN;
	ev.c = INT64_MAX;
	ASSERT_EQ(trace_append(t, &ev, NULL), NL_OK);
	ev.b = 10;
	ev.c = 7;
	ev.data = (uint8_t *)(uintptr_t)junk;
	ev.len = sizeof junk;
	ASSERT_EQ(trace_append(t, &ev, NULL), NL_OK);
	ev.b = 6;
	ev.c = INT64_MAX;
	ASSERT_EQ(trace_append(t, &ev, NULL), NL_OK);
	ev.data = NULL;
	ev.len = 0;
	/* drops pointing at a send, at nothing, at the future */
	ev.kind = TRACE_PKT_DROP;
	for (i = 0; i < 3; i++) {
		ev.a = i == 0 ? 99 : TRACE_DROP_LOSS;
		ev.b = i == 0 ? 1 : i == 1 ? -7 : 1000;
		ASSERT_EQ(trace_append(t, &ev, NULL), NL_OK);
	}
	/* an application message from nowhere, to itself, with a summary
	 * in no known shape; state and notes */
	ev.kind = TRACE_APP;
	ev.proto = TRACE_P_DNS;
	ev.node = -1;
	ev.c = INT64_MAX;
	ev.summary = (char *)(uintptr_t)"id response";
	ASSERT_EQ(trace_append(t, &ev, NULL), NL_OK);
	ev.node = 0;
	ev.peer = 0;
	ev.summary = (char *)(uintptr_t)"id 1 response A";
	ASSERT_EQ(trace_append(t, &ev, NULL), NL_OK);
	ev.kind = TRACE_STATE;
	ev.summary = (char *)(uintptr_t)"cache expired";
	ASSERT_EQ(trace_append(t, &ev, NULL), NL_OK);
	ev.summary = (char *)(uintptr_t)"cache + x. notanumber A";
	ASSERT_EQ(trace_append(t, &ev, NULL), NL_OK);
	ev.kind = TRACE_NOTE;
	ev.summary = (char *)(uintptr_t)"";
	ASSERT_EQ(trace_append(t, &ev, NULL), NL_OK);
	ev.kind = TRACE_LINK;
	ev.t = SIM_TIME_MAX - 1;
	ASSERT_EQ(trace_append(t, &ev, NULL), NL_OK);

	ASSERT_EQ(ui_model_new(t, NULL, 0, &m), NL_OK);
	ui_view_init(v, m, 1280, 800);
	v->node = 0;
	for (g = 0; g < 2; g++) {
		v->gran = (enum ui_gran)g;
		for (i = 0; i < 2; i++) {
			v->tab = i ? UI_TAB_LADDER : UI_TAB_TOPOLOGY;
			ui_view_home(v, m);
			while (v->cursor < m->nev) {
				ui_view_step_event(v, m, 1);
				ui_view_sync(v, m);
				ui_build(dl, m, v, &fake_text);
				ASSERT(!dl->overflow);
			}
			ui_view_end(v, m);
			v->playing = 1;
			ui_view_advance(v, m, SIM_S);
			ui_build(dl, m, v, &fake_text);
			ui_view_step(v, m, -1);
			ui_view_step(v, m, 1);
			ui_build(dl, m, v, &fake_text);
		}
	}
	ui_model_free(m);
	trace_free(t);
	ui_dlist_free(dl);
	nl_free(v);
}

/* The phase bar of an SMTP dialogue: the lit phase at each message. */
static void
test_ui_smtp_phase_bar(void)
{
	static const struct {
		const char *line;
		int client;
		const char *phase;
	} dialogue[] = {
		{"S: 220 hamburger.edu", 0, "SMTP handshake"},
		{"C: HELO crepes.fr", 1, "SMTP handshake"},
		{"S: 250 Hello crepes.fr", 0, "SMTP handshake"},
		{"C: MAIL FROM:<alice@crepes.fr>", 1, "Transfer"},
		{"S: 250 OK", 0, "Transfer"},
		{"C: RCPT TO:<bob@hamburger.edu>", 1, "Transfer"},
		{"S: 250 OK", 0, "Transfer"},
		{"C: DATA", 1, "Transfer"},
		{"S: 354 Enter mail", 0, "Transfer"},
		{"C: Subject: Do you like ketchup?", 1, "Transfer"},
		{"C: .", 1, "Transfer"},
		{"S: 250 Message accepted", 0, "Transfer"},
		{"C: QUIT", 1, "Closure"},
		{"S: 221 hamburger.edu closing", 0, "Closure"},
	};
	struct trace *t = trace_new();
	struct ui_model *m = NULL;
	struct ui_view *v = nl_calloc(1, sizeof *v);
	struct ui_dlist *dl = ui_dlist_new();
	struct trace_link l;
	struct trace_event ev;
	int32_t id;
	size_t i, k;

	ASSERT(t != NULL && v != NULL && dl != NULL);
	ASSERT_EQ(trace_node_add(t, "crepes.fr", "mail-server", &id), NL_OK);
	ASSERT_EQ(trace_node_add(t, "hamburger.edu", "mail-server", &id),
	    NL_OK);
	memset(&l, 0, sizeof l);
	l.name = (char *)(uintptr_t)"l";
	l.b = 1;
	ASSERT_EQ(trace_link_add(t, &l, &id), NL_OK);
	memset(&ev, 0, sizeof ev);
	ev.kind = TRACE_APP;
	ev.proto = TRACE_P_SMTP;
	ev.link = -1;
	ev.c = 3;
	for (i = 0; i < sizeof dialogue / sizeof dialogue[0]; i++) {
		ev.t = (sim_time)i * SIM_MS;
		ev.node = dialogue[i].client ? 0 : 1;
		ev.peer = dialogue[i].client ? 1 : 0;
		ev.flags = dialogue[i].client ? TRACE_F_TO_SERVER : 0;
		ev.summary = (char *)(uintptr_t)dialogue[i].line;
		ASSERT_EQ(trace_append(t, &ev, NULL), NL_OK);
	}
	ASSERT_EQ(ui_model_new(t, NULL, 0, &m), NL_OK);
	ui_view_init(v, m, 1280, 800);
	ui_build(dl, m, v, &fake_text);
	for (k = 0; k < dl->ncmds; k++)
		ASSERT(dl->cmds[k].role != UI_ROLE_PHASE);
	for (i = 0; i < sizeof dialogue / sizeof dialogue[0]; i++) {
		const char *lit = NULL;

		ASSERT(ui_view_step(v, m, 1));
		ui_build(dl, m, v, &fake_text);
		for (k = 0; k < dl->ncmds; k++)
			if (dl->cmds[k].role == UI_ROLE_PHASE)
				lit = ui_dlist_text(dl, &dl->cmds[k]);
		ASSERT(lit != NULL);
		ASSERT_STR_EQ(lit, dialogue[i].phase);
	}
	ui_model_free(m);
	trace_free(t);
	ui_dlist_free(dl);
	nl_free(v);
}

const struct test_case tests_ui[] = {
	{"ui_dlist_basics", test_ui_dlist_basics},
	{"ui_model_carriers", test_ui_model_carriers},
	{"ui_arrow_hello", test_ui_arrow_hello},
	{"ui_back_equals_forward", test_ui_back_equals_forward},
	{"ui_list_follows_cursor", test_ui_list_follows_cursor},
	{"ui_click_row_jumps", test_ui_click_row_jumps},
	{"ui_flight_position", test_ui_flight_position},
	{"ui_step_plays_message", test_ui_step_plays_message},
	{"ui_filter_hides", test_ui_filter_hides},
	{"ui_detail_fields", test_ui_detail_fields},
	{"ui_frame_allocates_nothing", test_ui_frame_allocates_nothing},
	{"ui_layout_dns_tree", test_ui_layout_dns_tree},
	{"ui_model_empty_and_oom", test_ui_model_empty_and_oom},
	{"ui_inspector_cache", test_ui_inspector_cache},
	{"ui_inspector_carry_on", test_ui_inspector_carry_on},
	{"ui_hostile_trace", test_ui_hostile_trace},
	{"ui_smtp_phase_bar", test_ui_smtp_phase_bar},
	{NULL, NULL}
};
