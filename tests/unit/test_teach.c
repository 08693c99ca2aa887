/* test_teach.c - the trace's append hook (trace_set_hook) and what the
 * scenario places with it: start captions and goals at time 0, action
 * captions before the action, "when" captions right after their event,
 * checkpoints right before theirs, and patterns that never match. */
#include <stdio.h>
#include <string.h>

#include "engine/sim.h"
#include "scenario/scn.h"
#include "test.h"
#include "trace/trace.h"
#include "trace/transcript.h"

/* ---- The hook itself ---- */

struct hook_log {
	int calls[2];		/* before, after */
	int reentered;		/* the hook saw its own event */
};

static void
mark_hook(void *arg, struct trace *t, const struct trace_event *ev,
    int after)
{
	struct hook_log *h = arg;
	struct trace_event mark;

	if (ev->kind == TRACE_NOTE) {
		h->reentered = 1;
		return;
	}
	h->calls[after ? 1 : 0]++;
	memset(&mark, 0, sizeof mark);
	mark.t = ev->t;
	mark.kind = TRACE_NOTE;
	mark.node = mark.peer = mark.link = -1;
	mark.summary = after ? "after" : "before";
	(void)trace_append(t, &mark, NULL);
}

static void
test_hook_order(void)
{
	struct trace *t = trace_new();
	struct hook_log h = { { 0, 0 }, 0 };
	struct trace_event ev;
	uint64_t seq = 99;

	ASSERT(t != NULL);
	memset(&ev, 0, sizeof ev);
	ev.t = 5;
	ev.kind = TRACE_APP;
	ev.node = ev.peer = ev.link = -1;
	ev.summary = "the event";
	trace_set_hook(t, mark_hook, &h);
	ASSERT_EQ(trace_append(t, &ev, &seq), NL_OK);
	/* before, the event (its seq says where it went), after. */
	ASSERT_EQ(trace_count(t), 3u);
	ASSERT_U64_EQ(seq, 1);
	ASSERT_STR_EQ(trace_at(t, 0)->summary, "before");
	ASSERT_STR_EQ(trace_at(t, 1)->summary, "the event");
	ASSERT_STR_EQ(trace_at(t, 2)->summary, "after");
	ASSERT_EQ(h.calls[0], 1);
	ASSERT_EQ(h.calls[1], 1);
	ASSERT_EQ(h.reentered, 0);
	/* A refused append (time going back) calls nothing. */
	ev.t = 1;
	ASSERT_EQ(trace_append(t, &ev, NULL), NL_EINVAL);
	ASSERT_EQ(h.calls[0], 1);
	/* Unhooked: plain appends. */
	trace_set_hook(t, NULL, NULL);
	ev.t = 6;
	ASSERT_EQ(trace_append(t, &ev, NULL), NL_OK);
	ASSERT_EQ(trace_count(t), 4u);
	trace_free(t);
}

/* ---- Captions and checkpoints in a run ---- */

#define TEACH_WORLD                                                        \
	"{\"netlab_scenario\": 1,"                                         \
	" \"meta\": {\"learning_goals\": [\"g1\", \"g2\"],"                \
	"   \"difficulty\": \"advanced\"},"                                \
	" \"nodes\": ["                                                    \
	"  {\"id\": \"a\", \"kind\": \"host\", \"address\": \"10.0.0.1\"}," \
	"  {\"id\": \"b\", \"kind\": \"host\", \"address\": \"10.0.0.2\","  \
	"   \"services\": [\"udp-echo\"]}],"                               \
	" \"links\": [{\"a\": \"a\", \"b\": \"b\", \"delay\": \"10ms\"}],"  \
	" \"timeline\": ["                                                 \
	"  {\"at\": \"1s\", \"do\": \"udp-echo\", \"from\": \"a\","        \
	"   \"to\": \"b\", \"text\": \"x\", \"caption\": \"on the action\"}," \
	"  {\"at\": \"2s\", \"do\": \"udp-echo\", \"from\": \"a\","        \
	"   \"to\": \"b\", \"text\": \"y\"}],"                             \
	" \"captions\": ["                                                 \
	"  {\"when\": {\"kind\": \"app\", \"from\": \"b\", \"nth\": 2},"  \
	"   \"text\": \"after the second echo\"},"                         \
	"  {\"at\": \"start\", \"text\": \"at the start\"},"               \
	"  {\"when\": {\"contains\": \"never there\"}, \"text\": \"lost\"}]," \
	" \"checkpoints\": ["                                              \
	"  {\"before\": {\"kind\": \"app\", \"from\": \"b\", \"to\": \"a\"}," \
	"   \"question\": \"Q?\", \"choices\": [\"one\", \"two\"],"         \
	"   \"answer\": 1, \"why\": \"because\"}]}"

/* Index of the first event with that kind and summary, -1 if none. */
static long
find_ev(const struct trace *t, int kind, const char *summary)
{
	size_t i;

	for (i = 0; i < trace_count(t); i++)
		if (trace_at(t, i)->kind == kind &&
		    strcmp(trace_at(t, i)->summary, summary) == 0)
			return (long)i;
	return -1;
}

static void
test_placement(void)
{
	const char *text = TEACH_WORLD;
	const struct trace_event *ev;
	struct scn_errors e;
	struct scn_model *m = NULL;
	struct scn_world *w = NULL;
	struct sim *s;
	struct trace *t;
	char err[128], which[256];
	long goals, start, act, check, first_echo, second_echo, after;

	scn_errors_init(&e);
	ASSERT_EQ(scn_load_buffer("t.json", text, strlen(text), &m, &e),
	    NL_OK);
	scn_errors_free(&e);
	s = sim_new(1);
	t = trace_new();
	ASSERT(s != NULL && t != NULL);
	ASSERT_EQ(scn_build(m, s, t, &w, err, sizeof err), NL_OK);
	scn_model_free(m);
	sim_run(s, SIM_RUN_UNTIL, 10 * SIM_S);

	goals = find_ev(t, TRACE_NOTE, "Level: advanced. Learning goals: "
	    "(1) g1 (2) g2");
	start = find_ev(t, TRACE_NOTE, "at the start");
	ASSERT_EQ(goals, 0);
	ASSERT_EQ(start, 1);
	act = find_ev(t, TRACE_NOTE, "on the action");
	ASSERT(act > start);
	ASSERT_EQ(trace_at(t, (size_t)act)->t, SIM_S);
	/* The checkpoint comes right before b's first echo, at its time. */
	check = find_ev(t, TRACE_CHECK, "Q?");
	first_echo = check + 1;
	ASSERT(check > act);
	ev = trace_at(t, (size_t)check);
	ASSERT_EQ(ev->a, 1);
	ASSERT_EQ(ev->b, 2);
	ASSERT_EQ(ev->len, strlen("one\ntwo\nbecause"));
	ASSERT_MEM_EQ(ev->data, "one\ntwo\nbecause", ev->len);
	ev = trace_at(t, (size_t)first_echo);
	ASSERT_EQ(ev->kind, TRACE_APP);
	ASSERT_EQ(trace_at(t, (size_t)check)->t, ev->t);
	ASSERT_STR_EQ(trace_node_name(t, ev->node), "b");
	/* Only once: no checkpoint before the second echo. */
	ASSERT_EQ(find_ev(t, TRACE_CHECK, "Q?"), check);
	/* The "nth": 2 caption right after b's second message. */
	after = find_ev(t, TRACE_NOTE, "after the second echo");
	ASSERT(after > first_echo);
	second_echo = after - 1;
	ev = trace_at(t, (size_t)second_echo);
	ASSERT_EQ(ev->kind, TRACE_APP);
	ASSERT_STR_EQ(trace_node_name(t, ev->node), "b");
	ASSERT(ev->t > 2 * SIM_S);
	/* The pattern that found nothing is named. */
	ASSERT_EQ(scn_world_unmatched(w, which, sizeof which), 1u);
	ASSERT_STR_EQ(which, "$.captions[2].when");
	scn_world_free(w);
	trace_free(t);
	sim_free(s);
}

/* ---- The checkpoint's transcript line ---- */

static void
check_line(struct trace *t, int64_t a, int64_t b, const char *data,
    size_t len, const char *want)
{
	struct trace_event ev;
	char buf[512];

	memset(&ev, 0, sizeof ev);
	ev.kind = TRACE_CHECK;
	ev.node = ev.peer = ev.link = -1;
	ev.a = a;
	ev.b = b;
	ev.summary = "Q?";
	ev.data = (uint8_t *)(uintptr_t)data;
	ev.len = (uint32_t)len;
	ASSERT_EQ(trace_transcript_line(t, &ev, buf, sizeof buf), 1);
	ASSERT_STR_EQ(buf, want);
}

static void
test_check_line(void)
{
	static const char nul[] = "x\0y\nz\nwhy";
	struct trace *t = trace_new();

	ASSERT(t != NULL);
	check_line(t, 1, 2, "one\ntwo\nbecause", 15,
	    "[   0.000000] checkpoint: Q? [a) one | b) two] answer: b) two "
	    "\xe2\x80\x94 because");
	/* A trace file is hostile: too few lines, an answer out of range,
	 * no data, a NUL and a control byte. */
	check_line(t, 5, 3, "one\ntwo", 7,
	    "[   0.000000] checkpoint: Q? [a) one | b) two]");
	check_line(t, -1, 0, NULL, 0, "[   0.000000] checkpoint: Q?");
	check_line(t, 0, 2, nul, sizeof nul - 1,
	    "[   0.000000] checkpoint: Q? [a) x\\x00y | b) z] answer: a) "
	    "x\\x00y \xe2\x80\x94 why");
	check_line(t, 0, 2, "a\tb\nc\n\x1b[2J", 10,
	    "[   0.000000] checkpoint: Q? [a) a\\tb | b) c] answer: a) a\\tb "
	    "\xe2\x80\x94 \\x1b[2J");
	trace_free(t);
}

const struct test_case tests_teach[] = {
	{ "teach_check_line", test_check_line },
	{ "teach_hook_order", test_hook_order },
	{ "teach_placement", test_placement },
	{ NULL, NULL },
};
