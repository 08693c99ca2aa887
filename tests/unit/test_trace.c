/* test_trace.c - the event log: copies on append, seq numbering, time
 * order, node and link tables, enum names and their inverse lookups. */
#include "test.h"

#include "trace/trace.h"
#include "util/alloc.h"

/* An event of the given kind at time t with a summary and no payload. */
static struct trace_event
ev_make(enum trace_kind kind, sim_time t, const char *summary)
{
	struct trace_event ev;

	memset(&ev, 0, sizeof ev);
	ev.kind = (uint8_t)kind;
	ev.t = t;
	ev.node = ev.peer = ev.link = -1;
	ev.summary = (char *)(uintptr_t)summary;
	return ev;
}

static void
test_trace_append_copies(void)
{
	struct trace *t = trace_new();
	struct trace_event ev = ev_make(TRACE_APP, 5, NULL);
	const struct trace_event *got;
	char summary[] = "C: HELO crepes.fr";
	uint8_t data[] = { 0x45, 0x00, 0x00, 0x14 };
	uint64_t seq = 99;

	ASSERT(t != NULL);
	ev.summary = summary;
	ev.data = data;
	ev.len = sizeof data;
	ev.a = -7;
	ev.c = INT64_MAX;
	ASSERT_EQ(trace_append(t, &ev, &seq), NL_OK);
	ASSERT_EQ(seq, 0);
	/* The caller's buffers may change or go away after the append. */
	summary[0] = 'S';
	data[0] = 0xff;
	got = trace_at(t, 0);
	ASSERT(got != NULL);
	ASSERT_STR_EQ(got->summary, "C: HELO crepes.fr");
	ASSERT(got->summary != summary);
	ASSERT(got->data != data);
	ASSERT_EQ(got->len, 4);
	ASSERT_EQ(got->data[0], 0x45);
	ASSERT_EQ(got->a, -7);
	ASSERT_EQ(got->c, INT64_MAX);
	ASSERT_EQ(got->t, 5);

	/* A NULL summary becomes "", and a NULL payload means none. */
	ev = ev_make(TRACE_NOTE, 5, NULL);
	ev.len = 10;
	ASSERT_EQ(trace_append(t, &ev, NULL), NL_OK);
	got = trace_at(t, 1);
	ASSERT_STR_EQ(got->summary, "");
	ASSERT(got->data == NULL);
	ASSERT_EQ(got->len, 0);
	trace_free(t);
}

static void
test_trace_seq(void)
{
	struct trace *t = trace_new();
	struct trace_event ev = ev_make(TRACE_NOTE, 0, "x");
	uint64_t seq, i;

	ASSERT(t != NULL);
	ASSERT_EQ(trace_count(t), 0);
	ASSERT(trace_at(t, 0) == NULL);
	for (i = 0; i < 100; i++) {
		ev.seq = 1234;	/* ignored */
		ev.t = (sim_time)i;
		ASSERT_EQ(trace_append(t, &ev, &seq), NL_OK);
		ASSERT_U64_EQ(seq, i);
	}
	ASSERT_EQ(trace_count(t), 100);
	for (i = 0; i < 100; i++)
		ASSERT_U64_EQ(trace_at(t, i)->seq, i);
	ASSERT(trace_at(t, 100) == NULL);
	trace_free(t);
}

static void
test_trace_time_order(void)
{
	struct trace *t = trace_new();
	struct trace_event ev = ev_make(TRACE_NOTE, 7000, "x");
	uint64_t seq = 5;

	ASSERT(t != NULL);
	ASSERT_EQ(trace_append(t, &ev, NULL), NL_OK);
	ev.t = 7000;	/* the same time is fine */
	ASSERT_EQ(trace_append(t, &ev, NULL), NL_OK);
	ev.t = 5000;
	ASSERT_EQ(trace_append(t, &ev, &seq), NL_EINVAL);
	ASSERT_EQ(seq, 0);
	ASSERT_EQ(trace_count(t), 2);
	ev.t = 7001;
	ASSERT_EQ(trace_append(t, &ev, &seq), NL_OK);
	ASSERT_EQ(seq, 2);
	trace_free(t);
}

static void
test_trace_tables(void)
{
	struct trace *t = trace_new();
	struct trace_link l;
	const struct trace_node *n;
	const struct trace_link *lp;
	char name[] = "a-b";
	int32_t a, b, id;

	ASSERT(t != NULL);
	ASSERT_STR_EQ(trace_scenario(t), "");
	ASSERT_STR_EQ(trace_title(t), "");
	ASSERT_U64_EQ(trace_seed(t), 0);
	ASSERT_EQ(trace_set_meta(t, "smtp", "Alice mails Bob", UINT64_MAX),
	    NL_OK);
	ASSERT_STR_EQ(trace_scenario(t), "smtp");
	ASSERT_STR_EQ(trace_title(t), "Alice mails Bob");
	ASSERT_U64_EQ(trace_seed(t), UINT64_MAX);

	ASSERT_EQ(trace_node_add(t, "crepes.fr", "host", &a), NL_OK);
	ASSERT_EQ(trace_node_add(t, "hamburger.edu", "mail-server", &b),
	    NL_OK);
	ASSERT_EQ(a, 0);
	ASSERT_EQ(b, 1);
	ASSERT_EQ(trace_node_addr_add(t, a, 0x0a000001), NL_OK);
	ASSERT_EQ(trace_node_addr_add(t, a, 0xc0a80001), NL_OK);
	ASSERT_EQ(trace_node_addr_add(t, 2, 1), NL_EINVAL);
	ASSERT_EQ(trace_node_addr_add(t, -1, 1), NL_EINVAL);
	ASSERT_EQ(trace_node_count(t), 2);
	n = trace_node(t, 0);
	ASSERT(n != NULL);
	ASSERT_STR_EQ(n->name, "crepes.fr");
	ASSERT_STR_EQ(n->kind, "host");
	ASSERT_EQ(n->naddrs, 2);
	ASSERT_EQ(n->addrs[1], 0xc0a80001);
	ASSERT_EQ(trace_node(t, 1)->naddrs, 0);
	ASSERT(trace_node(t, 2) == NULL);
	ASSERT(trace_node(t, -1) == NULL);
	ASSERT_STR_EQ(trace_node_name(t, 1), "hamburger.edu");
	ASSERT_STR_EQ(trace_node_name(t, -1), "-");
	ASSERT_STR_EQ(trace_node_name(t, 2), "-");

	memset(&l, 0, sizeof l);
	l.name = name;
	l.a = a;
	l.b = b;
	l.delay = 5 * SIM_MS;
	l.bandwidth = 10000000;
	l.loss = 0.25;
	l.queue = 64;
	ASSERT_EQ(trace_link_add(t, &l, &id), NL_OK);
	ASSERT_EQ(id, 0);
	name[0] = 'z';	/* the name was copied */
	lp = trace_link(t, 0);
	ASSERT(lp != NULL);
	ASSERT_STR_EQ(lp->name, "a-b");
	ASSERT_EQ(lp->b, 1);
	ASSERT_EQ(lp->delay, 5 * SIM_MS);
	ASSERT(lp->loss == 0.25);
	ASSERT_EQ(lp->queue, 64);
	ASSERT_EQ(trace_link_count(t), 1);
	ASSERT(trace_link(t, 1) == NULL);
	ASSERT(trace_link(t, -1) == NULL);
	trace_free(t);
	trace_free(NULL);
}

static void
test_trace_enum_names(void)
{
	enum trace_kind k;
	enum trace_proto p;
	int i;

	for (i = 0; i < TRACE_KIND_COUNT_; i++) {
		const char *s = trace_kind_str((enum trace_kind)i);

		ASSERT(strcmp(s, "?") != 0);
		ASSERT_EQ(trace_kind_from_str(s, &k), NL_OK);
		ASSERT_EQ(k, i);
	}
	for (i = 0; i < TRACE_PROTO_COUNT_; i++) {
		const char *s = trace_proto_str((enum trace_proto)i);

		ASSERT(strcmp(s, "?") != 0);
		ASSERT_EQ(trace_proto_from_str(s, &p), NL_OK);
		ASSERT_EQ(p, i);
	}
	for (i = 0; i < TRACE_DROP_COUNT_; i++)
		ASSERT(strcmp(trace_drop_str((enum trace_drop)i), "?") != 0);
	ASSERT_STR_EQ(trace_kind_str(TRACE_PKT_SEND), "pkt-send");
	ASSERT_STR_EQ(trace_kind_str(TRACE_TCP_STATE), "tcp-state");
	ASSERT_STR_EQ(trace_proto_str(TRACE_P_NONE), "-");
	ASSERT_STR_EQ(trace_proto_str(TRACE_P_SMTP), "smtp");
	ASSERT_STR_EQ(trace_proto_label(TRACE_P_SMTP), "SMTP");
	ASSERT_STR_EQ(trace_proto_label(TRACE_P_NONE), "");
	ASSERT_STR_EQ(trace_drop_str(TRACE_DROP_QUEUE_FULL), "queue full");
	ASSERT_STR_EQ(trace_kind_str(TRACE_KIND_COUNT_), "?");
	ASSERT_STR_EQ(trace_proto_str(TRACE_PROTO_COUNT_), "?");
	ASSERT_STR_EQ(trace_proto_label(TRACE_PROTO_COUNT_), "?");
	ASSERT_STR_EQ(trace_drop_str(TRACE_DROP_COUNT_), "?");
	ASSERT_EQ(trace_kind_from_str("pkt-sned", &k), NL_ENOTFOUND);
	ASSERT_EQ(trace_kind_from_str("", &k), NL_ENOTFOUND);
	ASSERT_EQ(trace_proto_from_str("SMTP", &p), NL_ENOTFOUND);
	ASSERT_EQ(trace_proto_from_str("?", &p), NL_ENOTFOUND);
}

/* Every allocation failure leaves the log as it was, with nothing
 * leaked (ASan checks the leaks). */
static void
test_trace_oom(void)
{
	struct trace_event ev = ev_make(TRACE_APP, 1, "S: 220 ok");
	uint8_t data[100];
	struct trace *t;
	struct trace_link l;
	enum nl_status st;
	int32_t id;
	long n;
	size_t i;

	memset(data, 0x5a, sizeof data);
	ev.data = data;
	ev.len = sizeof data;
	memset(&l, 0, sizeof l);
	l.name = (char *)(uintptr_t)"l";
	for (n = 0; n < 200; n++) {
		t = trace_new();
		if (t == NULL)
			continue;
		nl_alloc_fail_after(n);
		st = trace_set_meta(t, "s", "t", 1);
		if (st == NL_OK)
			st = trace_node_add(t, "a", "host", &id);
		if (st == NL_OK)
			st = trace_node_addr_add(t, 0, 1);
		if (st == NL_OK)
			st = trace_link_add(t, &l, &id);
		for (i = 0; st == NL_OK && i < 20; i++)
			st = trace_append(t, &ev, NULL);
		nl_alloc_fail_after(-1);
		if (st != NL_OK) {
			ASSERT_EQ(st, NL_ENOMEM);
		} else {
			ASSERT_EQ(trace_count(t), 20);
			ASSERT_EQ(trace_at(t, 19)->data[99], 0x5a);
			trace_free(t);
			return;
		}
		trace_free(t);
	}
	TEST_FAIL_AT("never succeeded in 200 tries");
}

/* Two traces built the same way are the same; each kind of difference
 * (meta, a node's address, a link's loss, an event's field, summary,
 * payload byte, one event more) makes them differ. Also a payload of
 * 100 KB, which takes a block of its own, and the small events around
 * it stay intact. */
static struct trace *
same_build(int change)
{
	static uint8_t big[100 * 1024];
	struct trace *t = trace_new();
	struct trace_link l;
	struct trace_event ev;
	int32_t a, b, id;
	int i;

	if (t == NULL || trace_set_meta(t, "s", "title", change == 1 ? 8 : 7)
	    != NL_OK || trace_node_add(t, "a", "host", &a) != NL_OK ||
	    trace_node_add(t, "b", "router", &b) != NL_OK ||
	    trace_node_addr_add(t, a, change == 2 ? 0x0a000002 : 0x0a000001)
	    != NL_OK)
		return NULL;
	memset(&l, 0, sizeof l);
	l.name = (char *)(uintptr_t)"a-b";
	l.a = a;
	l.b = b;
	l.delay = 5;
	l.bandwidth = 1000;
	l.queue = 10;
	l.loss = change == 3 ? 0.5 : 0.25;
	if (trace_link_add(t, &l, &id) != NL_OK)
		return NULL;
	for (i = 0; i < 20 + (change == 7); i++) {
		ev = ev_make(TRACE_APP, i, change == 5 && i == 3 ? "x" : "y");
		ev.a = change == 4 && i == 9 ? 1 : 0;
		ev.data = big;
		ev.len = i == 10 ? (uint32_t)sizeof big : 8;
		big[5] = change == 6 && i == 10 ? 1 : 0;
		if (trace_append(t, &ev, NULL) != NL_OK)
			return NULL;
	}
	return t;
}

static void
test_trace_same(void)
{
	struct trace *base = same_build(0), *other;
	int change;

	ASSERT(base != NULL);
	ASSERT(trace_at(base, 10)->len == 100 * 1024);
	ASSERT_STR_EQ(trace_at(base, 11)->summary, "y");
	other = same_build(0);
	ASSERT(other != NULL && trace_same(base, other));
	ASSERT(trace_event_same(trace_at(base, 3), trace_at(other, 3)));
	trace_free(other);
	for (change = 1; change <= 7; change++) {
		other = same_build(change);
		ASSERT(other != NULL);
		ASSERT(!trace_same(base, other));
		ASSERT(!trace_same(other, base));
		trace_free(other);
	}
	ASSERT(!trace_event_same(trace_at(base, 3), trace_at(base, 4)));
	trace_free(base);
}

const struct test_case tests_trace[] = {
	{ "trace_append_copies", test_trace_append_copies },
	{ "trace_seq", test_trace_seq },
	{ "trace_time_order", test_trace_time_order },
	{ "trace_tables", test_trace_tables },
	{ "trace_enum_names", test_trace_enum_names },
	{ "trace_oom", test_trace_oom },
	{ "trace_same", test_trace_same },
	{ NULL, NULL },
};
