/* scn_teach.c - the teaching text of a scenario during a run: the
 * learning goals and start captions at time 0, captions right after the
 * trace event their "when" pattern matches, and checkpoints (TRACE_CHECK)
 * just before the event their "before" pattern matches. It watches the
 * run through the trace's append hook (trace_set_hook), so what it adds
 * is in the trace and a trace file replays it. */
#include <stdio.h>
#include <string.h>

#include "scenario/scn_int.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/nl.h"

/* A pattern resolved against the trace's node table. */
struct teach_pat {
	int kind, proto;	/* -1 any */
	int32_t from, to;	/* node ids; -1 any */
	int no_node;		/* names a node the trace does not have */
	char *contains;		/* owned, or NULL */
	uint32_t nth;		/* fires at this match */
	uint32_t seen;		/* matches so far */
	char path[48];		/* "$.captions[3].when", for warnings */
};

/* One caption or checkpoint waiting for its event. */
struct teach_item {
	struct teach_pat pat;
	int check;		/* 1: a checkpoint, 0: a caption */
	char *summary;		/* caption text or question, owned */
	uint8_t *data;		/* checkpoint: choices and why, owned */
	uint32_t len;
	int64_t answer, nchoices;	/* checkpoint: a and b */
	int due;		/* matched the event at hand: emit it */
};

struct scn_teach {
	struct trace *t;	/* not owned; its hook points here */
	struct teach_item *v;	/* owned */
	size_t n;
	enum nl_status st;	/* the first failure to append, else NL_OK */
};

static int32_t
node_by_name(const struct trace *t, const char *name)
{
	size_t i;

	for (i = 0; i < trace_node_count(t); i++)
		if (strcmp(trace_node_name(t, (int32_t)i), name) == 0)
			return (int32_t)i;
	return -1;
}

static enum nl_status
pat_make(const struct trace *t, const struct scn_match *m, const char *path,
    struct teach_pat *p)
{
	p->kind = m->kind;
	p->proto = m->proto;
	p->from = p->to = -1;
	if (m->from != NULL && (p->from = node_by_name(t, m->from)) < 0)
		p->no_node = 1;
	if (m->to != NULL && (p->to = node_by_name(t, m->to)) < 0)
		p->no_node = 1;
	p->nth = m->nth > 0 ? m->nth : 1;
	snprintf(p->path, sizeof p->path, "%s", path);
	if (m->contains != NULL &&
	    (p->contains = nl_strdup(m->contains)) == NULL)
		return NL_ENOMEM;
	return NL_OK;
}

/* 1 when ev is the event p waits for (counting it if it matches). */
static int
pat_fires(struct teach_pat *p, const struct trace_event *ev)
{
	if (p->seen >= p->nth || p->no_node)
		return 0;
	if ((p->kind >= 0 && ev->kind != p->kind) ||
	    (p->proto >= 0 && ev->proto != p->proto) ||
	    (p->from >= 0 && ev->node != p->from) ||
	    (p->to >= 0 && ev->peer != p->to) ||
	    (p->contains != NULL && (ev->summary == NULL ||
	    strstr(ev->summary, p->contains) == NULL)))
		return 0;
	return ++p->seen == p->nth;
}

/* Appends a note (node -1) or a checkpoint at time at. */
static void
emit(struct scn_teach *k, sim_time at, const struct teach_item *it)
{
	struct trace_event ev;
	enum nl_status st;

	memset(&ev, 0, sizeof ev);
	ev.t = at;
	ev.kind = (uint8_t)(it->check ? TRACE_CHECK : TRACE_NOTE);
	ev.proto = TRACE_P_NONE;
	ev.node = ev.peer = ev.link = -1;
	ev.a = it->check ? it->answer : 0;
	ev.b = it->check ? it->nchoices : 0;
	ev.c = -1;
	ev.summary = it->summary;
	ev.data = it->data;
	ev.len = it->len;
	st = trace_append(k->t, &ev, NULL);
	if (st != NL_OK && k->st == NL_OK)
		k->st = st;
}

/* The trace hook: checkpoints before their event, captions after. */
static void
teach_hook(void *arg, struct trace *t, const struct trace_event *ev,
    int after)
{
	struct scn_teach *k = arg;
	sim_time at = ev->t;	/* ev may move once we append */
	size_t i, ndue = 0;

	NL_UNUSED(t);
	/* Match everything first: after = 1, ev is in the log, and our own
	 * appends may move the log. */
	for (i = 0; i < k->n; i++) {
		struct teach_item *it = &k->v[i];

		/* Checkpoints go before their event, captions after. */
		it->due = it->check != after && pat_fires(&it->pat, ev);
		ndue += (size_t)it->due;
	}
	for (i = 0; ndue > 0 && i < k->n; i++) {
		if (k->v[i].due) {
			emit(k, at, &k->v[i]);
			k->v[i].due = 0;
		}
	}
}

/* A checkpoint's data: the choices one a line, then the explanation. */
static enum nl_status
check_data(const struct scn_checkpoint *c, struct teach_item *it)
{
	struct nl_dbuf b;
	enum nl_status st = NL_OK;
	size_t i;

	nl_dbuf_init(&b, 64 * 1024);
	for (i = 0; st == NL_OK && i < c->nchoices; i++) {
		st = nl_dbuf_add_str(&b, c->choices[i] ? c->choices[i] : "");
		if (st == NL_OK)
			st = nl_dbuf_add(&b, "\n", 1);
	}
	if (st == NL_OK)
		st = nl_dbuf_add_str(&b, c->why ? c->why : "");
	if (st != NL_OK) {
		nl_dbuf_free(&b);
		return st;
	}
	if (b.len == 0) {
		nl_dbuf_free(&b);
		return NL_OK;
	}
	it->len = (uint32_t)b.len;
	it->data = nl_memdup(b.data, b.len);
	nl_dbuf_free(&b);
	return it->data != NULL ? NL_OK : NL_ENOMEM;
}

/* The note of the scenario's level and goals into *out (owned), NULL
 * when it has neither. NL_ENOMEM. */
static enum nl_status
goals_text(const struct scn_meta *mt, char **out)
{
	struct nl_dbuf b;
	enum nl_status st = NL_OK;
	size_t i;

	*out = NULL;
	if (mt->difficulty == SCN_DIFF_NONE && mt->ngoals == 0)
		return NL_OK;
	nl_dbuf_init(&b, 16 * 1024);
	if (mt->difficulty != SCN_DIFF_NONE) {
		st = nl_dbuf_add_str(&b, "Level: ");
		if (st == NL_OK)
			st = nl_dbuf_add_str(&b,
			    scn_difficulty_str(mt->difficulty));
		if (st == NL_OK)
			st = nl_dbuf_add_str(&b, mt->ngoals ? ". " : ".");
	}
	for (i = 0; st == NL_OK && i < mt->ngoals; i++) {
		char num[64];

		snprintf(num, sizeof num, "%s(%zu) ", i == 0 ?
		    "Learning goals: " : " ", i + 1);
		st = nl_dbuf_add_str(&b, num);
		if (st == NL_OK)
			st = nl_dbuf_add_str(&b, mt->goals[i]);
	}
	if (st == NL_OK && (*out = nl_strdup((const char *)b.data)) == NULL)
		st = NL_ENOMEM;
	nl_dbuf_free(&b);
	return st;
}

void
scn_teach_free(struct scn_teach *k)
{
	size_t i;

	if (k == NULL)
		return;
	if (k->t != NULL)
		trace_set_hook(k->t, NULL, NULL);
	for (i = 0; i < k->n; i++) {
		nl_free(k->v[i].pat.contains);
		nl_free(k->v[i].summary);
		nl_free(k->v[i].data);
	}
	nl_free(k->v);
	nl_free(k);
}

enum nl_status
scn_teach_new(const struct scn_model *m, struct trace *t,
    struct scn_teach **out)
{
	struct scn_teach *k;
	struct teach_item start;
	enum nl_status st = NL_OK;
	size_t i, n = 0;
	char path[48];

	*out = NULL;
	k = nl_calloc(1, sizeof *k);
	if (k == NULL)
		return NL_ENOMEM;
	k->v = nl_calloc(m->ncaptions + m->ncheckpoints + 1, sizeof *k->v);
	if (k->v == NULL)
		goto nomem;
	k->t = t;
	/* Time 0, before anything runs: the goals, then "at": "start". */
	memset(&start, 0, sizeof start);
	if (goals_text(&m->meta, &start.summary) != NL_OK)
		goto nomem;
	if (start.summary != NULL)
		emit(k, 0, &start);
	nl_free(start.summary);
	for (i = 0; i < m->ncaptions; i++) {
		const struct scn_caption *c = &m->captions[i];

		if (!c->at_start)
			continue;
		start.summary = c->text != NULL ? c->text : "";
		emit(k, 0, &start);
	}
	for (i = 0; i < m->ncaptions && st == NL_OK; i++) {
		const struct scn_caption *c = &m->captions[i];
		struct teach_item *it = &k->v[n];

		if (c->at_start)
			continue;
		snprintf(path, sizeof path, "$.captions[%zu].when", c->index);
		k->n = ++n;
		st = pat_make(t, &c->when, path, &it->pat);
		if (st == NL_OK && (it->summary = nl_strdup(c->text ?
		    c->text : "")) == NULL)
			st = NL_ENOMEM;
	}
	for (i = 0; i < m->ncheckpoints && st == NL_OK; i++) {
		const struct scn_checkpoint *c = &m->checkpoints[i];
		struct teach_item *it = &k->v[n];

		snprintf(path, sizeof path, "$.checkpoints[%zu].before",
		    c->index);
		k->n = ++n;
		it->check = 1;
		it->answer = c->answer;
		it->nchoices = (int64_t)c->nchoices;
		st = pat_make(t, &c->before, path, &it->pat);
		if (st == NL_OK && (it->summary = nl_strdup(c->question ?
		    c->question : "")) == NULL)
			st = NL_ENOMEM;
		if (st == NL_OK)
			st = check_data(c, it);
	}
	if (st == NL_OK)
		st = k->st;
	if (st != NL_OK) {
		scn_teach_free(k);
		return st;
	}
	if (k->n > 0)
		trace_set_hook(t, teach_hook, k);
	*out = k;
	return NL_OK;
nomem:
	scn_teach_free(k);
	return NL_ENOMEM;
}

size_t
scn_teach_unmatched(const struct scn_teach *k, char *buf, size_t size)
{
	size_t i, count = 0, o = 0;

	if (size > 0)
		buf[0] = '\0';
	for (i = 0; k != NULL && i < k->n; i++) {
		const struct teach_pat *p = &k->v[i].pat;
		int w;

		if (p->seen >= p->nth)
			continue;
		count++;
		if (o >= size)
			continue;
		w = snprintf(buf + o, size - o, "%s%s", o ? ", " : "",
		    p->path);
		if (w > 0)
			o = (size_t)w >= size - o ? size : o + (size_t)w;
	}
	return count;
}
