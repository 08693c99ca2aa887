/* trace.c - the append-only event log and its header. */
#include "trace/trace.h"

#include <string.h>

#include "util/alloc.h"

struct trace {
	char *scenario;			/* scenario name, owned */
	char *title;			/* scenario title, owned */
	uint64_t seed;			/* seed of the run */
	struct trace_node *nodes;	/* node table */
	size_t nnodes, capnodes;
	struct trace_link *links;	/* link table */
	size_t nlinks, caplinks;
	struct trace_event *ev;		/* the log */
	size_t nev, capev;
	trace_hook_fn *hook;		/* see trace_set_hook, or NULL */
	void *hook_arg;
	int in_hook;			/* 1 while the hook runs */
	/* Every event's summary and payload live in large blocks, filled
	 * in order and freed together: a million events made two million
	 * small allocations (half of reading a trace file). */
	struct trace_block *blocks;	/* newest first, owned */
	char *fill;			/* next free byte in blocks */
	size_t left;			/* bytes free there */
};

/* A block of summaries and payloads. */
struct trace_block {
	struct trace_block *next;	/* older blocks */
	char bytes[];
};

#define TRACE_BLOCK ((size_t)256 * 1024)	/* bytes per block, at least */

/* A copy of n bytes at p in t's blocks; NULL when out of memory. */
static void *
store(struct trace *t, const void *p, size_t n)
{
	char *q;

	if (n > TRACE_BLOCK / 4) {
		/* A big one gets a block of its own, and the block being
		 * filled stays the one to fill. */
		struct trace_block *b = nl_alloc(sizeof *b + n);

		if (b == NULL)
			return NULL;
		b->next = t->blocks;
		t->blocks = b;
		memcpy(b->bytes, p, n);
		return b->bytes;
	}
	if (n > t->left) {
		struct trace_block *b = nl_alloc(sizeof *b + TRACE_BLOCK);

		if (b == NULL)
			return NULL;
		b->next = t->blocks;
		t->blocks = b;
		t->fill = b->bytes;
		t->left = TRACE_BLOCK;
	}
	q = t->fill;
	memcpy(q, p, n);
	t->fill += n;
	t->left -= n;
	return q;
}

struct trace *
trace_new(void)
{
	return nl_calloc(1, sizeof(struct trace));
}

void
trace_free(struct trace *t)
{
	size_t i;

	if (t == NULL)
		return;
	while (t->blocks != NULL) {
		struct trace_block *b = t->blocks;

		t->blocks = b->next;
		nl_free(b);
	}
	for (i = 0; i < t->nnodes; i++) {
		nl_free(t->nodes[i].name);
		nl_free(t->nodes[i].kind);
		nl_free(t->nodes[i].addrs);
	}
	for (i = 0; i < t->nlinks; i++)
		nl_free(t->links[i].name);
	nl_free(t->ev);
	nl_free(t->nodes);
	nl_free(t->links);
	nl_free(t->scenario);
	nl_free(t->title);
	nl_free(t);
}

enum nl_status
trace_set_meta(struct trace *t, const char *scenario, const char *title,
    uint64_t seed)
{
	char *s = nl_strdup(scenario ? scenario : "");
	char *ti = nl_strdup(title ? title : "");

	if (s == NULL || ti == NULL) {
		nl_free(s);
		nl_free(ti);
		return NL_ENOMEM;
	}
	nl_free(t->scenario);
	nl_free(t->title);
	t->scenario = s;
	t->title = ti;
	t->seed = seed;
	return NL_OK;
}

const char *
trace_scenario(const struct trace *t)
{
	return t->scenario ? t->scenario : "";
}

const char *
trace_title(const struct trace *t)
{
	return t->title ? t->title : "";
}

uint64_t
trace_seed(const struct trace *t)
{
	return t->seed;
}

enum nl_status
trace_node_add(struct trace *t, const char *name, const char *kind,
    int32_t *id)
{
	struct trace_node *n;
	enum nl_status st;

	*id = -1;
	if (t->nnodes >= INT32_MAX)
		return NL_ELIMIT;
	st = nl_array_grow((void **)&t->nodes, t->nnodes, &t->capnodes,
	    sizeof *t->nodes, 16);
	if (st != NL_OK)
		return st;
	n = &t->nodes[t->nnodes];
	memset(n, 0, sizeof *n);
	n->name = nl_strdup(name ? name : "");
	n->kind = nl_strdup(kind ? kind : "");
	if (n->name == NULL || n->kind == NULL) {
		nl_free(n->name);
		nl_free(n->kind);
		return NL_ENOMEM;
	}
	*id = (int32_t)t->nnodes++;
	return NL_OK;
}

enum nl_status
trace_node_addr_add(struct trace *t, int32_t node, uint32_t addr)
{
	struct trace_node *n;
	uint32_t *a;

	if (node < 0 || (size_t)node >= t->nnodes)
		return NL_EINVAL;
	n = &t->nodes[node];
	a = nl_realloc(n->addrs, (n->naddrs + 1) * sizeof *a);
	if (a == NULL)
		return NL_ENOMEM;
	a[n->naddrs++] = addr;
	n->addrs = a;
	return NL_OK;
}

enum nl_status
trace_link_add(struct trace *t, const struct trace_link *l, int32_t *id)
{
	struct trace_link *d;
	enum nl_status st;

	*id = -1;
	if (t->nlinks >= INT32_MAX)
		return NL_ELIMIT;
	st = nl_array_grow((void **)&t->links, t->nlinks, &t->caplinks,
	    sizeof *t->links, 16);
	if (st != NL_OK)
		return st;
	d = &t->links[t->nlinks];
	*d = *l;
	d->name = nl_strdup(l->name ? l->name : "");
	if (d->name == NULL)
		return NL_ENOMEM;
	*id = (int32_t)t->nlinks++;
	return NL_OK;
}

size_t
trace_node_count(const struct trace *t)
{
	return t->nnodes;
}

size_t
trace_link_count(const struct trace *t)
{
	return t->nlinks;
}

const struct trace_node *
trace_node(const struct trace *t, int32_t id)
{
	if (id < 0 || (size_t)id >= t->nnodes)
		return NULL;
	return &t->nodes[id];
}

const struct trace_link *
trace_link(const struct trace *t, int32_t id)
{
	if (id < 0 || (size_t)id >= t->nlinks)
		return NULL;
	return &t->links[id];
}

const char *
trace_node_name(const struct trace *t, int32_t id)
{
	const struct trace_node *n = trace_node(t, id);

	return n != NULL ? n->name : "-";
}

void
trace_set_hook(struct trace *t, trace_hook_fn *fn, void *arg)
{
	t->hook = fn;
	t->hook_arg = arg;
}

/* Calls the hook, unless it is the hook that appends. */
static void
hook_call(struct trace *t, const struct trace_event *ev, int after)
{
	if (t->hook == NULL || t->in_hook)
		return;
	t->in_hook = 1;
	t->hook(t->hook_arg, t, ev, after);
	t->in_hook = 0;
}

static enum nl_status append(struct trace *t, const struct trace_event *ev,
    uint64_t *seq);

enum nl_status
trace_append(struct trace *t, const struct trace_event *ev, uint64_t *seq)
{
	enum nl_status st;
	uint64_t s;

	if (seq != NULL)
		*seq = 0;
	if (t->nev > 0 && ev->t < t->ev[t->nev - 1].t)
		return NL_EINVAL;
	hook_call(t, ev, 0);
	st = append(t, ev, &s);
	if (st != NL_OK)
		return st;
	if (seq != NULL)
		*seq = s;
	hook_call(t, &t->ev[s], 1);
	return NL_OK;
}

/* trace_append without the hook. */
static enum nl_status
append(struct trace *t, const struct trace_event *ev, uint64_t *seq)
{
	struct trace_event *d;
	const char *sum;
	enum nl_status st;

	if (t->nev > 0 && ev->t < t->ev[t->nev - 1].t)
		return NL_EINVAL;
	st = nl_array_grow((void **)&t->ev, t->nev, &t->capev, sizeof *t->ev, 16);
	if (st != NL_OK)
		return st;
	d = &t->ev[t->nev];
	*d = *ev;
	d->seq = t->nev;
	sum = ev->summary ? ev->summary : "";
	d->summary = store(t, sum, strlen(sum) + 1);
	d->data = NULL;
	d->len = 0;
	if (d->summary == NULL)
		return NL_ENOMEM;
	if (ev->len > 0 && ev->data != NULL) {
		/* A failure here leaves the summary's bytes unused in the
		 * block, freed with the rest. */
		d->data = store(t, ev->data, ev->len);
		if (d->data == NULL)
			return NL_ENOMEM;
		d->len = ev->len;
	}
	if (seq != NULL)
		*seq = d->seq;
	t->nev++;
	return NL_OK;
}

size_t
trace_count(const struct trace *t)
{
	return t->nev;
}

const struct trace_event *
trace_at(const struct trace *t, size_t i)
{
	return i < t->nev ? &t->ev[i] : NULL;
}

const char *
trace_kind_str(enum trace_kind k)
{
	switch (k) {
#define TRACE_KIND_CASE(name, text) case TRACE_##name: return text;
	TRACE_KIND_MAP(TRACE_KIND_CASE)
#undef TRACE_KIND_CASE
	case TRACE_KIND_COUNT_:
		break;
	}
	return "?";
}

const char *
trace_proto_str(enum trace_proto p)
{
	switch (p) {
#define TRACE_PROTO_CASE(name, text, label) case TRACE_P_##name: return text;
	TRACE_PROTO_MAP(TRACE_PROTO_CASE)
#undef TRACE_PROTO_CASE
	case TRACE_PROTO_COUNT_:
		break;
	}
	return "?";
}

const char *
trace_proto_label(enum trace_proto p)
{
	switch (p) {
#define TRACE_PROTO_LABEL(name, text, label) case TRACE_P_##name: return label;
	TRACE_PROTO_MAP(TRACE_PROTO_LABEL)
#undef TRACE_PROTO_LABEL
	case TRACE_PROTO_COUNT_:
		break;
	}
	return "?";
}

const char *
trace_drop_str(enum trace_drop d)
{
	switch (d) {
#define TRACE_DROP_CASE(name, text) case TRACE_DROP_##name: return text;
	TRACE_DROP_MAP(TRACE_DROP_CASE)
#undef TRACE_DROP_CASE
	case TRACE_DROP_COUNT_:
		break;
	}
	return "?";
}

const char *
trace_mailq_str(enum trace_mailq q)
{
	switch (q) {
#define TRACE_MAILQ_CASE(name, text) case TRACE_MAILQ_##name: return text;
	TRACE_MAILQ_MAP(TRACE_MAILQ_CASE)
#undef TRACE_MAILQ_CASE
	case TRACE_MAILQ_COUNT_:
		break;
	}
	return "?";
}

enum nl_status
trace_kind_from_str(const char *s, enum trace_kind *out)
{
	int k;

	for (k = 0; k < TRACE_KIND_COUNT_; k++) {
		if (strcmp(s, trace_kind_str((enum trace_kind)k)) == 0) {
			*out = (enum trace_kind)k;
			return NL_OK;
		}
	}
	return NL_ENOTFOUND;
}

enum nl_status
trace_proto_from_str(const char *s, enum trace_proto *out)
{
	int p;

	for (p = 0; p < TRACE_PROTO_COUNT_; p++) {
		if (strcmp(s, trace_proto_str((enum trace_proto)p)) == 0) {
			*out = (enum trace_proto)p;
			return NL_OK;
		}
	}
	return NL_ENOTFOUND;
}

int
trace_event_same(const struct trace_event *x, const struct trace_event *y)
{
	return x->t == y->t && x->kind == y->kind && x->proto == y->proto &&
	    x->flags == y->flags && x->node == y->node &&
	    x->peer == y->peer && x->link == y->link && x->a == y->a &&
	    x->b == y->b && x->c == y->c &&
	    strcmp(x->summary, y->summary) == 0 && x->len == y->len &&
	    (x->len == 0 || memcmp(x->data, y->data, x->len) == 0);
}

int
trace_same(const struct trace *a, const struct trace *b)
{
	size_t i, j;

	if (strcmp(trace_scenario(a), trace_scenario(b)) != 0 ||
	    strcmp(trace_title(a), trace_title(b)) != 0 || a->seed != b->seed ||
	    a->nnodes != b->nnodes || a->nlinks != b->nlinks ||
	    a->nev != b->nev)
		return 0;
	for (i = 0; i < a->nnodes; i++) {
		const struct trace_node *x = &a->nodes[i], *y = &b->nodes[i];

		if (strcmp(x->name, y->name) != 0 ||
		    strcmp(x->kind, y->kind) != 0 || x->naddrs != y->naddrs)
			return 0;
		for (j = 0; j < x->naddrs; j++)
			if (x->addrs[j] != y->addrs[j])
				return 0;
	}
	for (i = 0; i < a->nlinks; i++) {
		const struct trace_link *x = &a->links[i], *y = &b->links[i];

		/* loss bytewise: the same double, not merely equal */
		if (strcmp(x->name, y->name) != 0 || x->a != y->a ||
		    x->b != y->b || x->delay != y->delay ||
		    x->bandwidth != y->bandwidth || x->queue != y->queue ||
		    memcmp(&x->loss, &y->loss, sizeof x->loss) != 0)
			return 0;
	}
	for (i = 0; i < a->nev; i++)
		if (a->ev[i].seq != b->ev[i].seq ||
		    !trace_event_same(&a->ev[i], &b->ev[i]))
			return 0;
	return 1;
}
