/* test_viewer.c - the viewer's pan and zoom, checkpoint questions, the
 * mail server's inspector (queue, mailboxes, connections), the SMTP
 * phase bar of a relay, the ladder export pages and the PNG writer, all
 * with no window: text is measured by a fake, as in test_ui.c. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"

#include "trace/trace.h"
#include "ui/build.h"
#include "ui/dlist.h"
#include "ui/model.h"
#include "ui/png.h"
#include "ui/view.h"
#include "util/alloc.h"
#include "util/buf.h"

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

/* A text command holding s (whole), or NULL. */
static const struct ui_cmd *
find_text(const struct ui_dlist *dl, const char *s)
{
	size_t i;

	for (i = 0; i < dl->ncmds; i++)
		if (dl->cmds[i].type == UI_CMD_TEXT &&
		    strcmp(ui_dlist_text(dl, &dl->cmds[i]), s) == 0)
			return &dl->cmds[i];
	return NULL;
}

/* Whether some text command contains s. */
static int
has_sub(const struct ui_dlist *dl, const char *s)
{
	size_t i;

	for (i = 0; i < dl->ncmds; i++)
		if (dl->cmds[i].type == UI_CMD_TEXT &&
		    strstr(ui_dlist_text(dl, &dl->cmds[i]), s) != NULL)
			return 1;
	return 0;
}

static const struct ui_cmd *
find_hit(const struct ui_dlist *dl, enum ui_role role, int32_t ref)
{
	size_t i;

	for (i = 0; i < dl->ncmds; i++)
		if (dl->cmds[i].type == UI_CMD_HIT && dl->cmds[i].role == role &&
		    (ref < 0 || dl->cmds[i].ref == ref))
			return &dl->cmds[i];
	return NULL;
}

/* Nodes named names[0..n) of kind, a link between each and the next. */
static struct trace *
net_of(const char *const *names, int n, const char *kind)
{
	struct trace *t = trace_new();
	struct trace_link l;
	int32_t id;
	int i;

	if (t == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (trace_node_add(t, names[i], kind, &id) != NL_OK)
			goto fail;
	for (i = 0; i + 1 < n; i++) {
		memset(&l, 0, sizeof l);
		l.name = (char *)(uintptr_t)names[i];
		l.a = i;
		l.b = i + 1;
		l.delay = SIM_MS;
		l.bandwidth = 1000000;
		if (trace_link_add(t, &l, &id) != NL_OK)
			goto fail;
	}
	return t;
fail:
	trace_free(t);
	return NULL;
}

static enum nl_status
add(struct trace *t, enum trace_kind kind, enum trace_proto proto,
    sim_time at, int32_t node, int32_t peer, int64_t a, int64_t b, int64_t c,
    const char *summary, const char *data)
{
	struct trace_event ev;

	memset(&ev, 0, sizeof ev);
	ev.kind = (uint8_t)kind;
	ev.proto = (uint8_t)proto;
	ev.t = at;
	ev.node = node;
	ev.peer = peer;
	ev.link = -1;
	ev.a = a;
	ev.b = b;
	ev.c = c;
	ev.summary = (char *)(uintptr_t)summary;
	ev.data = (uint8_t *)(uintptr_t)data;
	ev.len = data != NULL ? (uint32_t)strlen(data) : 0;
	return trace_append(t, &ev, NULL);
}

/* ---- Pan and zoom ---- */

static void
node_centre(const struct ui_dlist *dl, int32_t id, int *x, int *y)
{
	const struct ui_cmd *h = find_hit(dl, UI_ROLE_NODE, id);

	*x = h != NULL ? h->r.x + h->r.w / 2 : -1;
	*y = h != NULL ? h->r.y + h->r.h / 2 : -1;
}

static void
test_viewer_zoom_pan(void)
{
	static const char *const names[] = {"a", "b", "c"};
	struct trace *t = net_of(names, 3, "host");
	struct ui_model *m = NULL;
	struct ui_view *v = nl_calloc(1, sizeof *v);
	struct ui_dlist *dl = ui_dlist_new();
	struct ui_input in;
	const struct ui_cmd *cv;
	int ax, ay, bx, by, cx, cy, ax2, ay2, bx2, by2, dx0, dx1;

	ASSERT(t != NULL && v != NULL && dl != NULL);
	ASSERT_EQ(ui_model_new(t, NULL, 0, &m), NL_OK);
	ui_view_init(v, m, 1280, 800);
	ui_build(dl, m, v, &fake_text);
	cv = find_hit(dl, UI_ROLE_CANVAS, -1);
	ASSERT(cv != NULL);
	/* no zoom: no Fit button */
	ASSERT(find_hit(dl, UI_ROLE_BUTTON, UI_BTN_FIT) == NULL);
	node_centre(dl, 0, &ax, &ay);
	node_centre(dl, 1, &bx, &by);
	ASSERT(ax >= 0 && bx > ax);

	/* the wheel over node a zooms in at it: a stays, b moves away */
	memset(&in, 0, sizeof in);
	in.w = 1280;
	in.h = 800;
	in.mx = ax;
	in.my = ay;
	in.wheel = 2;
	ui_view_update(v, m, &in, dl);
	ASSERT(v->zoom > 1.43 && v->zoom < 1.45);	/* 1.2^2 */
	ui_build(dl, m, v, &fake_text);
	node_centre(dl, 0, &ax2, &ay2);
	node_centre(dl, 1, &bx2, &by2);
	ASSERT(abs(ax2 - ax) <= 1 && abs(ay2 - ay) <= 1);
	dx0 = bx - ax;
	dx1 = bx2 - ax2;
	ASSERT(abs(dx1 - (int)(dx0 * 1.44)) <= 2);
	ASSERT(find_hit(dl, UI_ROLE_BUTTON, UI_BTN_FIT) != NULL);
	ASSERT(has_sub(dl, "144%"));

	/* a drag on empty canvas pans by the mouse's move */
	node_centre(dl, 2, &cx, &cy);
	memset(&in, 0, sizeof in);
	in.mx = cv->r.x + 4;
	in.my = cv->r.y + cv->r.h - 60;
	ASSERT(ui_dlist_hit(dl, in.mx, in.my) != NULL);
	ASSERT_EQ(ui_dlist_hit(dl, in.mx, in.my)->role, UI_ROLE_CANVAS);
	in.pressed = in.down = 1;
	ui_view_update(v, m, &in, dl);
	ASSERT(v->panning);
	in.pressed = 0;
	in.mx += 30;
	in.my -= 10;
	ui_view_update(v, m, &in, dl);
	ui_build(dl, m, v, &fake_text);
	node_centre(dl, 0, &bx2, &by2);
	ASSERT(abs(bx2 - (ax2 + 30)) <= 1 && abs(by2 - (ay2 - 10)) <= 1);
	in.down = 0;
	ui_view_update(v, m, &in, dl);
	ASSERT(!v->panning);

	/* limits, and Ctrl+0 fits again */
	ui_view_zoom(v, 1000, 0, 0);
	ASSERT(v->zoom <= UI_ZOOM_MAX);
	ui_view_zoom(v, 1e-6, 0, 0);
	ASSERT(v->zoom >= UI_ZOOM_MIN);
	memset(&in, 0, sizeof in);
	in.keys[0] = UI_KEY_ZOOM_FIT;
	in.nkeys = 1;
	ui_view_update(v, m, &in, dl);
	ASSERT(v->zoom == 1 && v->pan_x == 0 && v->pan_y == 0);
	ui_build(dl, m, v, &fake_text);
	node_centre(dl, 0, &ax2, &ay2);
	ASSERT_EQ(ax2, ax);
	ASSERT_EQ(ay2, ay);
	/* + alone is the speed, not the zoom */
	in.keys[0] = UI_KEY_PLUS;
	ui_view_update(v, m, &in, dl);
	ASSERT(v->zoom == 1);
	ASSERT_EQ(v->speed, UI_SPEED_DEFAULT + 1);
	in.keys[0] = UI_KEY_ZOOM_IN;
	ui_view_update(v, m, &in, dl);
	ASSERT(v->zoom > 1.2);
	ui_model_free(m);
	trace_free(t);
	ui_dlist_free(dl);
	nl_free(v);
}

/* ---- Checkpoints ---- */

static void
press(struct ui_view *v, const struct ui_model *m, const struct ui_dlist *dl,
    enum ui_key k)
{
	struct ui_input in;

	memset(&in, 0, sizeof in);
	in.keys[0] = (uint8_t)k;
	in.nkeys = 1;
	ui_view_update(v, m, &in, dl);
}

static void
test_viewer_checkpoint(void)
{
	static const char *const names[] = {"alice", "bob"};
	struct trace *t = net_of(names, 2, "host");
	struct ui_model *m = NULL;
	struct ui_view *v = nl_calloc(1, sizeof *v);
	struct ui_dlist *dl = ui_dlist_new();
	const char *q = "Which port does SMTP listen on?";
	int i;

	ASSERT(t != NULL && v != NULL && dl != NULL);
	ASSERT_EQ(add(t, TRACE_APP, TRACE_P_ECHO, 0, 0, 1, 0, 0, -1, "HELLO",
	    NULL), NL_OK);
	ASSERT_EQ(add(t, TRACE_CHECK, TRACE_P_NONE, SIM_S, -1, -1, 1, 3, 0, q,
	    "23\n25\n110\nRFC 5321 4.5.4: port 25, for relaying."), NL_OK);
	ASSERT_EQ(add(t, TRACE_APP, TRACE_P_ECHO, SIM_S, 0, 1, 0, 0, -1,
	    "WORLD", NULL), NL_OK);
	ASSERT_EQ(add(t, TRACE_APP, TRACE_P_ECHO, 2 * SIM_S, 1, 0, 0, 0, -1,
	    "BYE", NULL), NL_OK);
	ASSERT_EQ(ui_model_new(t, NULL, 0, &m), NL_OK);
	ui_view_init(v, m, 1280, 800);

	ASSERT(ui_view_step(v, m, 1));		/* HELLO */
	ASSERT_EQ(v->check, -1);
	ASSERT(ui_view_step(v, m, 1));		/* stops at the question */
	ASSERT_EQ(v->check, 1);
	ASSERT_EQ(v->cursor, 2);
	ASSERT(!v->playing);
	ui_build(dl, m, v, &fake_text);
	ASSERT(find_text(dl, q) != NULL);
	ASSERT(find_text(dl, "25") != NULL);
	for (i = 0; i < 3; i++)
		ASSERT(find_hit(dl, UI_ROLE_BUTTON, UI_BTN_CHOICE + i) != NULL);
	ASSERT(find_hit(dl, UI_ROLE_BUTTON, UI_BTN_CHOICE + 3) == NULL);
	ASSERT(find_hit(dl, UI_ROLE_BUTTON, UI_BTN_CONTINUE) == NULL);
	/* Return does nothing before an answer; 9 is no choice */
	press(v, m, dl, UI_KEY_ENTER);
	press(v, m, dl, UI_KEY_9);
	ASSERT_EQ(v->check, 1);
	ASSERT_EQ(v->answer, -1);
	/* a wrong answer: says so, lights the right one, explains */
	press(v, m, dl, UI_KEY_1);
	ASSERT_EQ(v->answer, 0);
	ui_build(dl, m, v, &fake_text);
	ASSERT(find_text(dl, "Not quite: the answer is 2.") != NULL);
	ASSERT(has_sub(dl, "RFC 5321"));
	ASSERT(find_hit(dl, UI_ROLE_BUTTON, UI_BTN_CONTINUE) != NULL);
	ASSERT(find_hit(dl, UI_ROLE_BUTTON, UI_BTN_CHOICE) == NULL);
	press(v, m, dl, (enum ui_key)(UI_KEY_1 + 1));		/* answered: stays */
	ASSERT_EQ(v->answer, 0);
	press(v, m, dl, UI_KEY_ENTER);
	ASSERT_EQ(v->check, -1);
	ui_build(dl, m, v, &fake_text);
	ASSERT(find_text(dl, q) == NULL || find_hit(dl, UI_ROLE_CHECK, -1) ==
	    NULL);
	ASSERT(ui_view_step(v, m, 1));		/* WORLD */
	ASSERT_EQ(v->check, -1);
	ASSERT_EQ(v->cursor, 3);

	/* back past it and forward again: asked again; right this time */
	ASSERT(ui_view_step(v, m, -1));
	ASSERT(v->cursor <= 1);
	ASSERT(ui_view_step(v, m, 1));
	ASSERT_EQ(v->check, 1);
	press(v, m, dl, (enum ui_key)(UI_KEY_1 + 1));
	ui_build(dl, m, v, &fake_text);
	ASSERT(find_text(dl, "Right.") != NULL);
	/* a click on Continue goes on */
	{
		const struct ui_cmd *b = find_hit(dl, UI_ROLE_BUTTON,
		    UI_BTN_CONTINUE);
		struct ui_input in;

		ASSERT(b != NULL);
		memset(&in, 0, sizeof in);
		in.mx = b->r.x + 2;
		in.my = b->r.y + 2;
		in.pressed = in.down = 1;
		ui_view_update(v, m, &in, dl);
		ASSERT_EQ(v->check, -1);
	}

	/* playing from the start pauses at it, and plays on after */
	ui_view_home(v, m);
	v->playing = 1;
	for (i = 0; i < 1000 && v->check < 0 && v->playing; i++)
		ui_view_advance(v, m, 20000000);
	ASSERT_EQ(v->check, 1);
	ASSERT(!v->playing);
	ASSERT_EQ(v->cursor, 2);
	press(v, m, dl, UI_KEY_ESCAPE);		/* skipped unanswered */
	ASSERT_EQ(v->check, -1);
	ASSERT(v->playing);
	ui_model_free(m);
	trace_free(t);
	ui_dlist_free(dl);
	nl_free(v);
}

/* Checkpoints and state events as a hostile trace file may hold them:
 * no data, counts out of range, unknown queue ops and TCP states,
 * mailbox lines cut short. Nothing crashes; the card still asks. */
static void
test_viewer_hostile(void)
{
	static const char *const names[] = {"a", "b"};
	struct trace *t = net_of(names, 2, "mail-server");
	struct ui_model *m = NULL;
	struct ui_view *v = nl_calloc(1, sizeof *v);
	struct ui_dlist *dl = ui_dlist_new();
	int i;

	ASSERT(t != NULL && v != NULL && dl != NULL);
	ASSERT_EQ(add(t, TRACE_CHECK, TRACE_P_NONE, 0, -1, -1, -5, 100000, 0,
	    "Why?", NULL), NL_OK);
	ASSERT_EQ(add(t, TRACE_CHECK, TRACE_P_NONE, 0, -1, -1, 7, 2, 0, "Two?",
	    "only one\n"), NL_OK);
	ASSERT_EQ(add(t, TRACE_STATE, TRACE_P_MAIL, 0, 0, 99, 77, 1, -1,
	    "queue", NULL), NL_OK);
	ASSERT_EQ(add(t, TRACE_STATE, TRACE_P_MAIL, 0, 0, -1,
	    TRACE_MAILQ_DEFERRED, 2, -1, "x", NULL), NL_OK);
	ASSERT_EQ(add(t, TRACE_STATE, TRACE_P_MAIL, 0, 0, -1, TRACE_MAILQ_DONE,
	    3, -1, "queue 3: done", NULL), NL_OK);
	ASSERT_EQ(add(t, TRACE_STATE, TRACE_P_SMTP, 0, 0, -1, 0, 0, -1,
	    "mailbox : +1 message (", "Subject"), NL_OK);
	ASSERT_EQ(add(t, TRACE_STATE, TRACE_P_SMTP, 0, 0, -1, 0, 0, -1,
	    "mailbox x: -1 message (5 bytes), 0 in all", NULL), NL_OK);
	ASSERT_EQ(add(t, TRACE_STATE, TRACE_P_SMTP, 0, 0, -1, 0, 0, -1,
	    "mailbox x: message 9 (uid 1) flags now (\\Seen", NULL), NL_OK);
	ASSERT_EQ(add(t, TRACE_TCP_STATE, TRACE_P_TCP, 0, 0, -1, 0, 99, 1,
	    "?", NULL), NL_OK);
	ASSERT_EQ(add(t, TRACE_TCP_STATE, TRACE_P_TCP, 0, 0, -1, 0, 4, 2,
	    "A -> B", NULL), NL_OK);
	ASSERT_EQ(add(t, TRACE_APP, TRACE_P_ECHO, SIM_S, 0, 1, 0, 0, -1, "hi",
	    NULL), NL_OK);
	ASSERT_EQ(ui_model_new(t, NULL, 0, &m), NL_OK);
	ui_view_init(v, m, 1280, 800);
	v->node = 0;
	ASSERT(ui_view_step(v, m, 1));
	ASSERT_EQ(v->check, 0);
	ui_build(dl, m, v, &fake_text);
	ASSERT(find_text(dl, "Why?") != NULL);
	ASSERT(find_hit(dl, UI_ROLE_BUTTON, UI_BTN_CHOICE) == NULL);
	for (i = 0; i < 9; i++)
		press(v, m, dl, (enum ui_key)(UI_KEY_1 + i));
	ASSERT_EQ(v->answer, -1);
	press(v, m, dl, UI_KEY_ESCAPE);
	ASSERT(ui_view_step(v, m, 1));
	ASSERT_EQ(v->check, 1);
	ui_build(dl, m, v, &fake_text);
	ASSERT(find_hit(dl, UI_ROLE_BUTTON, UI_BTN_CHOICE) != NULL);
	ASSERT(find_hit(dl, UI_ROLE_BUTTON, UI_BTN_CHOICE + 1) == NULL);
	press(v, m, dl, UI_KEY_1);
	ASSERT_EQ(v->answer, 0);
	ui_build(dl, m, v, &fake_text);
	ASSERT(find_text(dl, "Noted.") != NULL);	/* a: no such choice */
	ui_view_end(v, m);
	ui_build(dl, m, v, &fake_text);
	ASSERT(!dl->overflow);
	ui_model_free(m);
	trace_free(t);
	ui_dlist_free(dl);
	nl_free(v);
}

/* ---- The mail server's inspector ---- */

static void
test_viewer_inspector_mail(void)
{
	static const char *const names[] = {"mx.a", "mx.b"};
	struct trace *t = net_of(names, 2, "mail-server");
	struct ui_model *m = NULL;
	struct ui_view *v = nl_calloc(1, sizeof *v);
	struct ui_dlist *dl = ui_dlist_new();
	static const char msg[] = "From: alice@a\r\nSubject: Lunch\r\n\r\nhi\r\n";
	static const char box[] = "From: carol@c\r\nsubject: Minutes\r\n\r\nx";

	ASSERT(t != NULL && v != NULL && dl != NULL);
	ASSERT_EQ(add(t, TRACE_TCP_STATE, TRACE_P_TCP, 0, 0, -1, 0, 1, 1,
	    "CLOSED -> LISTEN 0.0.0.0:25", NULL), NL_OK);
	ASSERT_EQ(add(t, TRACE_STATE, TRACE_P_MAIL, SIM_S / 2, 0, -1,
	    TRACE_MAILQ_QUEUED, 7, -1, "queue 7: from <alice@a> to <bob@b>, "
	    "38 bytes: queued for relay", msg), NL_OK);
	ASSERT_EQ(add(t, TRACE_STATE, TRACE_P_MAIL, SIM_S, 0, 1,
	    TRACE_MAILQ_ATTEMPT, 7, -1, "queue 7: attempt 1 to mx.b", NULL),
	    NL_OK);
	ASSERT_EQ(add(t, TRACE_TCP_STATE, TRACE_P_TCP, SIM_S, 0, 1, 0, 4, 2,
	    "CLOSED -> ESTABLISHED 10.0.0.1:49152 -> 10.0.0.2:25", NULL),
	    NL_OK);
	ASSERT_EQ(add(t, TRACE_STATE, TRACE_P_MAIL, 2 * SIM_S, 0, 1,
	    TRACE_MAILQ_DEFERRED, 7, 14500 * SIM_MS, "queue 7: <bob@b> "
	    "deferred: 421 busy; next try in 12 s", NULL), NL_OK);
	ASSERT_EQ(add(t, TRACE_TCP_STATE, TRACE_P_TCP, 2 * SIM_S, 0, 1, 4, 0,
	    2, "ESTABLISHED -> CLOSED 10.0.0.1:49152 -> 10.0.0.2:25", NULL),
	    NL_OK);
	ASSERT_EQ(add(t, TRACE_STATE, TRACE_P_SMTP, 3 * SIM_S, 0, -1, 0, 0, -1,
	    "mailbox carol: +1 message (36 bytes), 1 in all", box), NL_OK);
	ASSERT_EQ(add(t, TRACE_STATE, TRACE_P_IMAP, 4 * SIM_S, 0, -1, 0, 0, -1,
	    "mailbox carol: message 1 (uid 1) flags now (\\Seen)", NULL),
	    NL_OK);
	ASSERT_EQ(add(t, TRACE_STATE, TRACE_P_MAIL, 15 * SIM_S, 0, 1,
	    TRACE_MAILQ_DELIVERED, 7, -1, "queue 7: <bob@b> delivered", NULL),
	    NL_OK);
	ASSERT_EQ(add(t, TRACE_STATE, TRACE_P_MAIL, 15 * SIM_S, 0, -1,
	    TRACE_MAILQ_DONE, 7, -1, "queue 7: removed", NULL), NL_OK);
	ASSERT_EQ(add(t, TRACE_STATE, TRACE_P_POP3, 16 * SIM_S, 0, -1, 0, 0,
	    -1, "mailbox carol: -1 message (36 bytes), 0 in all", NULL),
	    NL_OK);
	ASSERT_EQ(ui_model_new(t, NULL, 0, &m), NL_OK);
	ui_view_init(v, m, 1280, 800);
	v->node = 0;

	/* queued, attempting, with the connection open */
	ui_view_seek(v, m, SIM_S);
	ui_build(dl, m, v, &fake_text);
	ASSERT(find_text(dl, "Mail queue") != NULL);
	ASSERT(find_text(dl, "attempt") != NULL);
	ASSERT(find_text(dl, "attempt 1") != NULL);
	ASSERT(has_sub(dl, "Lunch"));
	ASSERT(has_sub(dl, "mx.b"));
	ASSERT(find_text(dl, "ESTABLISHED") != NULL);
	ASSERT(find_text(dl, "Listening on port 25") != NULL);
	ASSERT(find_text(dl, "10.0.0.1:49152 -> 10.0.0.2:25") != NULL);
	/* deferred: the retry counts down with the cursor's time */
	ui_view_seek(v, m, 2 * SIM_S + SIM_S / 5);
	ui_build(dl, m, v, &fake_text);
	ASSERT(find_text(dl, "deferred") != NULL);
	ASSERT(find_text(dl, "next retry in 12.3 s") != NULL);
	ASSERT(find_text(dl, "ESTABLISHED") == NULL);
	ASSERT(find_text(dl, "Mailboxes") == NULL);
	ui_view_seek(v, m, 4 * SIM_S + SIM_S / 5);
	ui_build(dl, m, v, &fake_text);
	ASSERT(find_text(dl, "next retry in 10.3 s") != NULL);
	/* the mailbox: subject, sender, flags */
	ASSERT(find_text(dl, "Mailboxes") != NULL);
	ASSERT(find_text(dl, "carol") != NULL);
	ASSERT(find_text(dl, "1 message") != NULL);
	ASSERT(find_text(dl, "Minutes") != NULL);
	ASSERT(has_sub(dl, "From: carol@c"));
	ASSERT(has_sub(dl, "\\Seen"));
	/* done: the queue is empty; the message left the mailbox */
	ui_view_seek(v, m, 16 * SIM_S);
	ui_build(dl, m, v, &fake_text);
	ASSERT(has_sub(dl, "Empty"));
	ASSERT(find_text(dl, "Lunch") == NULL && !has_sub(dl, "Lunch"));
	ASSERT(find_text(dl, "0 messages") != NULL);
	ASSERT(find_text(dl, "Minutes") == NULL);
	/* and back: as it was */
	ui_view_seek(v, m, 2 * SIM_S + SIM_S / 5);
	ui_build(dl, m, v, &fake_text);
	ASSERT(find_text(dl, "next retry in 12.3 s") != NULL);
	ui_model_free(m);
	trace_free(t);
	ui_dlist_free(dl);
	nl_free(v);
}

/* ---- SMTP between two mail servers ---- */

static void
test_viewer_relay_phase_bar(void)
{
	static const char *const names[] = {"mx.crepes.fr", "r1",
	    "mx.hamburger.edu"};
	static const struct {
		const char *line;
		int client;
		const char *phase;
	} d[] = {
		{"S: 220 mx.hamburger.edu ESMTP", 0, "SMTP handshake"},
		{"C: EHLO mx.crepes.fr", 1, "SMTP handshake"},
		{"S: 250-mx.hamburger.edu", 0, "SMTP handshake"},
		{"S: 250 8BITMIME", 0, "SMTP handshake"},
		{"C: MAIL FROM:<alice@crepes.fr>", 1, "Transfer"},
		{"S: 250 OK", 0, "Transfer"},
		{"C: RCPT TO:<bob@hamburger.edu>", 1, "Transfer"},
		{"S: 451 try again later", 0, "Transfer"},
		{"C: QUIT", 1, "Closure"},
		{"S: 221 bye", 0, "Closure"},
		/* the retry, a new session between the same two */
		{"S: 220 mx.hamburger.edu ESMTP", 0, "SMTP handshake"},
		{"C: EHLO mx.crepes.fr", 1, "SMTP handshake"},
		{"S: 250 mx.hamburger.edu", 0, "SMTP handshake"},
		{"C: MAIL FROM:<alice@crepes.fr>", 1, "Transfer"},
		{"S: 250 OK", 0, "Transfer"},
	};
	struct trace *t = net_of(names, 3, "mail-server");
	struct ui_model *m = NULL;
	struct ui_view *v = nl_calloc(1, sizeof *v);
	struct ui_dlist *dl = ui_dlist_new();
	struct trace_event ev;
	size_t i, k;

	ASSERT(t != NULL && v != NULL && dl != NULL);
	memset(&ev, 0, sizeof ev);
	ev.kind = TRACE_APP;
	ev.proto = TRACE_P_SMTP;
	ev.link = -1;
	for (i = 0; i < sizeof d / sizeof d[0]; i++) {
		/* each end has its own connection id, as net/ numbers them */
		ev.c = d[i].client ? 9 : 10;
		ev.t = (sim_time)i * SIM_MS;
		ev.node = d[i].client ? 0 : 2;
		ev.peer = d[i].client ? 2 : 0;
		ev.flags = d[i].client ? TRACE_F_TO_SERVER : 0;
		ev.summary = (char *)(uintptr_t)d[i].line;
		ASSERT_EQ(trace_append(t, &ev, NULL), NL_OK);
	}
	ASSERT_EQ(ui_model_new(t, NULL, 0, &m), NL_OK);
	ui_view_init(v, m, 1280, 800);
	for (i = 0; i < sizeof d / sizeof d[0]; i++) {
		const char *lit = NULL;

		ASSERT(ui_view_step(v, m, 1));
		ui_build(dl, m, v, &fake_text);
		for (k = 0; k < dl->ncmds; k++)
			if (dl->cmds[k].role == UI_ROLE_PHASE)
				lit = ui_dlist_text(dl, &dl->cmds[k]);
		ASSERT(lit != NULL);
		ASSERT_STR_EQ(lit, d[i].phase);
	}
	ui_model_free(m);
	trace_free(t);
	ui_dlist_free(dl);
	nl_free(v);
}

/* ---- Ladder export pages ---- */

static void
test_viewer_ladder_page(void)
{
	static const char *const names[] = {"a", "b", "c"};
	struct trace *t = net_of(names, 3, "host");
	struct ui_model *m = NULL;
	struct ui_view *v = nl_calloc(1, sizeof *v);
	struct ui_dlist *dl = ui_dlist_new();
	char s[32];
	size_t k;
	int i, h, arrows, w;

	ASSERT(t != NULL && v != NULL && dl != NULL);
	for (i = 0; i < 30; i++) {
		snprintf(s, sizeof s, "msg %d", i);
		ASSERT_EQ(add(t, TRACE_APP, TRACE_P_ECHO, i * SIM_MS, i % 3,
		    (i + 1) % 3, 0, 0, -1, s, NULL), NL_OK);
	}
	ASSERT_EQ(ui_model_new(t, NULL, 0, &m), NL_OK);
	ui_view_init(v, m, 0, 0);
	ui_view_end(v, m);
	w = ui_ladder_export_w(m, UI_GRAN_APP);
	ASSERT(w >= 960);
	/* rows 10 .. 29 as one page, drawn as one tile: every message once,
	 * and none of the first ten */
	h = ui_ladder_page_h(20);
	ASSERT(h > 20 * 30);
	ui_build_ladder_page(dl, m, v, &fake_text, w, 10, 20, 0, h);
	ASSERT(!dl->overflow);
	for (arrows = 0, k = 0; k < dl->ncmds; k++)
		arrows += dl->cmds[k].type == UI_CMD_ARROW &&
		    dl->cmds[k].role == UI_ROLE_LADDER_MSG;
	ASSERT_EQ(arrows, 20);
	ASSERT(find_text(dl, "msg 10") != NULL);
	ASSERT(find_text(dl, "msg 29") != NULL);
	ASSERT(find_text(dl, "msg 9") == NULL);
	ASSERT(find_text(dl, "a") != NULL);	/* the column headers */
	/* a tile lower down: its rows only, no headers, shifted up */
	ui_build_ladder_page(dl, m, v, &fake_text, w, 10, 20, h - 100, 100);
	ASSERT(find_text(dl, "msg 29") != NULL);
	ASSERT(find_text(dl, "msg 10") == NULL);
	ASSERT(find_text(dl, "a") == NULL);
	for (k = 0; k < dl->ncmds; k++)
		if (dl->cmds[k].type == UI_CMD_TEXT)
			ASSERT(dl->cmds[k].r.y > -40 && dl->cmds[k].r.y < 140);
	ui_model_free(m);
	trace_free(t);
	ui_dlist_free(dl);
	nl_free(v);
}

/* ---- PNG ---- */

/* A reader for what ui_png_encode writes: stored and fixed-Huffman
 * deflate blocks (RFC 1951 3.2.4, 3.2.6), enough to check the round
 * trip without zlib. */
struct inflate {
	const uint8_t *p;
	size_t n, bit;
};

static int
get_bits(struct inflate *z, int n, uint32_t *out)
{
	uint32_t v = 0;
	int i;

	for (i = 0; i < n; i++, z->bit++) {
		if (z->bit / 8 >= z->n)
			return 0;
		v |= (uint32_t)(z->p[z->bit / 8] >> (z->bit % 8) & 1) << i;
	}
	*out = v;
	return 1;
}

/* A Huffman code of len bits, most significant first. */
static int
get_code(struct inflate *z, int len, uint32_t *out)
{
	uint32_t v = 0, b;
	int i;

	for (i = 0; i < len; i++) {
		if (!get_bits(z, 1, &b))
			return 0;
		v = v << 1 | b;
	}
	*out = v;
	return 1;
}

static int
fixed_sym(struct inflate *z, uint32_t *sym)
{
	uint32_t v, b;

	if (!get_code(z, 7, &v))
		return 0;
	if (v <= 0x17) {
		*sym = 256 + v;
		return 1;
	}
	if (!get_bits(z, 1, &b))
		return 0;
	v = v << 1 | b;
	if (v >= 0x30 && v <= 0xbf) {
		*sym = v - 0x30;
		return 1;
	}
	if (v >= 0xc0 && v <= 0xc7) {
		*sym = 280 + v - 0xc0;
		return 1;
	}
	if (!get_bits(z, 1, &b))
		return 0;
	v = v << 1 | b;
	if (v < 0x190 || v > 0x1ff)
		return 0;
	*sym = 144 + v - 0x190;
	return 1;
}

/* Inflates src into out (at most cap bytes); returns the length or -1. */
static long
inflate_raw(const uint8_t *src, size_t n, uint8_t *out, size_t cap)
{
	static const uint16_t lb[29] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15,
	    17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163,
	    195, 227, 258};
	static const uint8_t le[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2,
	    2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
	static const uint16_t db[30] = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33,
	    49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
	    4097, 6145, 8193, 12289, 16385, 24577};
	static const uint8_t de[30] = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5,
	    5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
	struct inflate z = {src, n, 0};
	size_t o = 0;
	uint32_t final = 0, type, sym, x, d;

	while (!final) {
		if (!get_bits(&z, 1, &final) || !get_bits(&z, 2, &type))
			return -1;
		if (type != 1)
			return -1;
		for (;;) {
			if (!fixed_sym(&z, &sym))
				return -1;
			if (sym < 256) {
				if (o == cap)
					return -1;
				out[o++] = (uint8_t)sym;
			} else if (sym == 256) {
				break;
			} else {
				size_t len, dist;

				if (sym > 285 || !get_bits(&z, le[sym - 257], &x))
					return -1;
				len = lb[sym - 257] + x;
				if (!get_code(&z, 5, &d) || d > 29 ||
				    !get_bits(&z, de[d], &x))
					return -1;
				dist = db[d] + x;
				if (dist > o || o + len > cap)
					return -1;
				for (; len > 0; len--, o++)
					out[o] = out[o - dist];
			}
		}
	}
	return (long)o;
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
test_viewer_png(void)
{
	enum { PW = 97, PH = 61 };
	static uint8_t img[PH][PW * 3], raw[PH * (PW * 3 + 1)];
	static uint8_t back[sizeof raw + 16];
	static const char *const order[] = {"IHDR", "IDAT", "IEND"};
	struct nl_dbuf b;
	size_t off, i;
	int x, y, nchunk = 0;
	const uint8_t *idat = NULL;
	uint32_t idat_len = 0;
	long got;

	/* known answers of both checksums */
	ASSERT_EQ(ui_png_crc32((const uint8_t *)"123456789", 9), 0xcbf43926u);
	ASSERT_EQ(ui_png_adler32((const uint8_t *)"Wikipedia", 9),
	    0x11e60398u);
	/* flat areas, stripes and noise: literals and matches both */
	for (y = 0; y < PH; y++)
		for (x = 0; x < PW; x++) {
			uint8_t *p = &img[y][x * 3];

			p[0] = (uint8_t)(x < 40 ? 19 : x * 2);
			p[1] = (uint8_t)(y % 7 == 0 ? 200 : 23);
			p[2] = (uint8_t)((x * 131 + y * 71) % 251);
		}
	nl_dbuf_init(&b, 1 << 20);
	ASSERT_EQ(ui_png_encode(&img[0][0], PW, PH, PW * 3, &b), NL_OK);
	ASSERT(b.len > 8 + 25 + 12 + 12);
	ASSERT_MEM_EQ(b.data, "\x89PNG\r\n\x1a\n", 8);
	/* chunks in order, each with its CRC over type and data */
	for (off = 8; off < b.len; nchunk++) {
		uint32_t len = be32(b.data + off);

		ASSERT(nchunk < 3);
		ASSERT(off + 12 + len <= b.len);
		ASSERT_MEM_EQ(b.data + off + 4, order[nchunk], 4);
		ASSERT_EQ(be32(b.data + off + 8 + len), ui_png_crc32(b.data +
		    off + 4, len + 4));
		if (nchunk == 0) {
			ASSERT_EQ(len, 13);
			ASSERT_EQ(be32(b.data + off + 8), PW);
			ASSERT_EQ(be32(b.data + off + 12), PH);
			ASSERT_MEM_EQ(b.data + off + 16, "\x08\x02\x00\x00\x00",
			    5);
		}
		if (nchunk == 1) {
			idat = b.data + off + 8;
			idat_len = len;
		}
		off += 12 + len;
	}
	ASSERT_EQ(nchunk, 3);
	/* the zlib stream: header, deflate data, Adler-32 of the rows */
	ASSERT(idat != NULL && idat_len > 6);
	ASSERT_EQ((idat[0] * 256 + idat[1]) % 31, 0);
	ASSERT_EQ(idat[0] & 0x0f, 8);
	for (y = 0; y < PH; y++) {
		raw[(size_t)y * (PW * 3 + 1)] = 0;
		memcpy(raw + (size_t)y * (PW * 3 + 1) + 1, img[y], PW * 3);
	}
	ASSERT_EQ(be32(idat + idat_len - 4), ui_png_adler32(raw, sizeof raw));
	got = inflate_raw(idat + 2, idat_len - 6, back, sizeof back);
	ASSERT_EQ(got, (long)sizeof raw);
	for (i = 0; i < sizeof raw; i++)
		if (back[i] != raw[i])
			break;
	ASSERT_EQ(i, sizeof raw);
	/* flat colour shrinks a lot */
	ASSERT(idat_len < sizeof raw);
	nl_dbuf_free(&b);

	/* sizes it refuses; a cap too small fails cleanly */
	nl_dbuf_init(&b, 1 << 20);
	ASSERT_EQ(ui_png_encode(&img[0][0], 0, PH, PW * 3, &b), NL_EINVAL);
	ASSERT_EQ(ui_png_encode(&img[0][0], PW, UI_PNG_DIM_MAX + 1, PW * 3,
	    &b), NL_EINVAL);
	nl_dbuf_free(&b);
	nl_dbuf_init(&b, 40);
	ASSERT_NE(ui_png_encode(&img[0][0], PW, PH, PW * 3, &b), NL_OK);
	nl_dbuf_free(&b);
}

const struct test_case tests_viewer[] = {
	{"viewer_zoom_pan", test_viewer_zoom_pan},
	{"viewer_checkpoint", test_viewer_checkpoint},
	{"viewer_hostile", test_viewer_hostile},
	{"viewer_inspector_mail", test_viewer_inspector_mail},
	{"viewer_relay_phase_bar", test_viewer_relay_phase_bar},
	{"viewer_ladder_page", test_viewer_ladder_page},
	{"viewer_png", test_viewer_png},
	{NULL, NULL}
};
