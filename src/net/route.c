/* route.c - static routes: shortest paths by propagation delay.
 *
 * Next hops towards a destination node are computed the first time a
 * datagram needs them, by one Dijkstra run from the destination over the
 * (symmetric) links, and kept: a classroom topology asks for a handful of
 * destinations, a campus for one table per router. A table lists the
 * nodes that are not stubs only (routers, mostly): a stub's next hop is
 * its one link, whenever the router at its other end has a way. */
#include "net/net_int.h"

#include <string.h>

#include "util/alloc.h"

/* Path cost: delay first, then hop count, so zero-delay links still
 * prefer fewer hops. */
struct cost {
	sim_time delay;
	uint32_t hops;
};

static int
cost_less(struct cost a, struct cost b)
{
	if (a.delay != b.delay)
		return a.delay < b.delay;
	return a.hops < b.hops;
}

/* A binary heap of (cost, node) for Dijkstra; entries may be stale. */
struct pq_ent {
	struct cost c;
	int32_t node;
};

struct pq {
	struct pq_ent *e;
	size_t n, cap;
};

static int
pq_less(const struct pq_ent *a, const struct pq_ent *b)
{
	if (cost_less(a->c, b->c))
		return 1;
	if (cost_less(b->c, a->c))
		return 0;
	return a->node < b->node;
}

static enum nl_status
pq_push(struct pq *q, struct cost c, int32_t node)
{
	size_t i;

	if (q->n == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 64;
		struct pq_ent *e = nl_realloc(q->e, cap * sizeof *e);

		if (e == NULL)
			return NL_ENOMEM;
		q->e = e;
		q->cap = cap;
	}
	i = q->n++;
	q->e[i].c = c;
	q->e[i].node = node;
	while (i > 0) {
		size_t p = (i - 1) / 2;
		struct pq_ent t;

		if (!pq_less(&q->e[i], &q->e[p]))
			break;
		t = q->e[i];
		q->e[i] = q->e[p];
		q->e[p] = t;
		i = p;
	}
	return NL_OK;
}

static struct pq_ent
pq_pop(struct pq *q)
{
	struct pq_ent top = q->e[0];
	size_t i = 0;

	q->e[0] = q->e[--q->n];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		struct pq_ent t;

		if (l < q->n && pq_less(&q->e[l], &q->e[m]))
			m = l;
		if (r < q->n && pq_less(&q->e[r], &q->e[m]))
			m = r;
		if (m == i)
			break;
		t = q->e[i];
		q->e[i] = q->e[m];
		q->e[m] = t;
		i = m;
	}
	return top;
}

/* Fills next_link[v] for every node v: the link v sends on to reach dst.
 * Relaxing from the destination outwards, the link that first reaches v
 * with the best cost is v's next hop (ties: lower link id, as links are
 * scanned in id order and only a strictly better cost replaces). */
static enum nl_status
routes_compute(struct net *n, int32_t dst, int32_t *next_link)
{
	struct cost *best;
	uint8_t *done;
	struct pq q = { NULL, 0, 0 };
	enum nl_status st = NL_ENOMEM;
	size_t i;

	best = nl_alloc(n->nnodes * sizeof *best);
	done = nl_calloc(n->nnodes, 1);
	if (best == NULL || done == NULL)
		goto done;
	for (i = 0; i < n->nnodes; i++) {
		best[i].delay = SIM_TIME_MAX;
		best[i].hops = UINT32_MAX;
		next_link[i] = -1;
	}
	best[dst].delay = 0;
	best[dst].hops = 0;
	if (pq_push(&q, best[dst], dst) != NL_OK)
		goto done;
	while (q.n > 0) {
		struct pq_ent cur = pq_pop(&q);
		struct net_node *u = &n->nodes[cur.node];
		size_t k;

		if (done[cur.node])
			continue;
		done[cur.node] = 1;
		/* Only routers carry traffic for others: a path may end at
		 * a host but never pass through one. */
		if (cur.node != dst && !u->forwards)
			continue;
		for (k = 0; k < u->nlinks; k++) {
			struct net_link *l = &n->links[u->links[k]];
			int32_t v = l->a == cur.node ? l->b : l->a;
			struct cost c;

			c.delay = cur.c.delay + l->delay;
			c.hops = cur.c.hops + 1;
			if (done[v] || !cost_less(c, best[v]))
				continue;
			best[v] = c;
			next_link[v] = u->links[k];
			if (pq_push(&q, c, v) != NL_OK)
				goto done;
		}
	}
	st = NL_OK;
done:
	nl_free(q.e);
	nl_free(best);
	nl_free(done);
	return st;
}

/* The stub table, made again after the topology changed. */
static enum nl_status
stubs_make(struct net *n)
{
	size_t i;

	if (n->nstubs == n->nnodes)
		return NL_OK;
	nl_free(n->stubs);
	n->nstubs = 0;
	n->stubs = nl_alloc((n->nnodes ? n->nnodes : 1) * sizeof *n->stubs);
	if (n->stubs == NULL)
		return NL_ENOMEM;
	n->nrows = 0;
	for (i = 0; i < n->nnodes; i++) {
		const struct net_node *dn = &n->nodes[i];
		struct net_stub *st = &n->stubs[i];

		st->router = st->link = -1;
		st->router_fwd = 0;
		st->row = -1;
		if (!dn->forwards && dn->nlinks == 1) {
			const struct net_link *l = &n->links[dn->links[0]];

			st->link = dn->links[0];
			st->router = l->a == (int32_t)i ? l->b : l->a;
			st->router_fwd = n->nodes[st->router].forwards;
		} else {
			st->row = (int32_t)n->nrows++;
		}
	}
	n->nstubs = n->nnodes;
	return NL_OK;
}

/* The table of next hops towards d (computed now if need be); NULL. */
static const int32_t *
table_of(struct net *n, int32_t d)
{
	int32_t *all, *row;
	size_t i;

	if ((size_t)d >= n->nroutes) {
		/* Nodes were added since the table was sized. */
		struct net_routes *r = nl_realloc(n->routes,
		    n->nnodes * sizeof *r);

		if (r == NULL)
			return NULL;
		memset(r + n->nroutes, 0,
		    (n->nnodes - n->nroutes) * sizeof *r);
		n->routes = r;
		n->nroutes = n->nnodes;
	}
	if (n->routes[d].next_link != NULL)
		return n->routes[d].next_link;
	all = nl_alloc(n->nnodes * sizeof *all);
	row = nl_alloc((n->nrows ? n->nrows : 1) * sizeof *row);
	if (all == NULL || row == NULL || routes_compute(n, d, all) != NL_OK) {
		nl_free(all);
		nl_free(row);
		return NULL;
	}
	for (i = 0; i < n->nnodes; i++)
		if (n->stubs[i].row >= 0)
			row[n->stubs[i].row] = all[i];
	nl_free(all);
	n->routes[d].next_link = row;
	return row;
}

/* The link node sends on towards node d (both valid, different). */
static enum nl_status
route_to(struct net *n, int32_t node, int32_t d, int32_t *link)
{
	const struct net_stub *sb, *me;
	const int32_t *t;
	enum nl_status st;

	if ((st = stubs_make(n)) != NL_OK)
		return st;
	/* A stub (a host or server on one link to a router) is reached
	 * through that router: the way there is the way to the router,
	 * then the link. So only routers need tables of their own, and a
	 * campus of 10,000 hosts computes a hundred, not 10,000 (each as
	 * big as the network). Dijkstra from the stub would find the same
	 * next hops: every path to it ends with that one link. */
	sb = &n->stubs[d];
	if (sb->router >= 0) {
		if (sb->router == node) {
			*link = sb->link;
			return NL_OK;
		}
		if (sb->router_fwd)
			d = sb->router;
	}
	/* A stub sends on its one link, if the router there has a way:
	 * the way Dijkstra from d finds to the stub goes through it. */
	me = &n->stubs[node];
	if (me->router >= 0) {
		if (me->router == d) {
			*link = me->link;
			return NL_OK;
		}
		if (!me->router_fwd)
			return NL_ENOROUTE;	/* no one forwards for it */
		if ((t = table_of(n, d)) == NULL)
			return NL_ENOMEM;
		if (t[n->stubs[me->router].row] >= 0)
			*link = me->link;
		return *link >= 0 ? NL_OK : NL_ENOROUTE;
	}
	if ((t = table_of(n, d)) == NULL)
		return NL_ENOMEM;
	*link = t[me->row];
	return *link >= 0 ? NL_OK : NL_ENOROUTE;
}

enum nl_status
net_route(struct net *n, int32_t node, uint32_t dst, int32_t *link)
{
	return net_route_node(n, node, net_node_by_addr(n, dst), link);
}

enum nl_status
net_route_node(struct net *n, int32_t node, int32_t d, int32_t *link)
{
	*link = -1;
	if (d < 0 || node < 0 || (size_t)node >= n->nnodes || d == node)
		return NL_ENOROUTE;
	return route_to(n, node, d, link);
}

void
net_routes_invalidate(struct net *n)
{
	size_t i;

	for (i = 0; i < n->nroutes; i++) {
		nl_free(n->routes[i].next_link);
		n->routes[i].next_link = NULL;
	}
	n->nstubs = 0;
}
