/* net.c - the network object: nodes, addresses, links, up/down state and
 * the trace hooks. Datagram movement is in link.c and ip.c, routes in
 * route.c, transports in udp.c and tcp.c. */
#include "net/net_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/nl.h"

struct net *
net_new(struct sim *s, struct trace *t)
{
	struct net *n = nl_calloc(1, sizeof *n);

	if (n == NULL)
		return NULL;
	n->sim = s;
	n->trace = t;
	net_tcp_cfg_default(&n->tcp_cfg);
	net_flights_init(n);
	nl_pool_init(&n->sbuf_pool, TCP_SBUF_FIRST, 1024);
	return n;
}

void
net_free(struct net *n)
{
	size_t i;

	if (n == NULL)
		return;
	net_flights_cancel(n);
	net_tcp_free_all(n);
	net_udp_free_all(n);
	for (i = 0; i < n->nnodes; i++) {
		nl_free(n->nodes[i].name);
		nl_free(n->nodes[i].addrs);
		nl_free(n->nodes[i].links);
	}
	for (i = 0; i < n->nlinks; i++) {
		nl_free(n->links[i].name);
		nl_free(n->links[i].dir[0].tx_end);
		nl_free(n->links[i].dir[1].tx_end);
	}
	for (i = 0; i < n->nroutes; i++)
		nl_free(n->routes[i].next_link);
	nl_free(n->routes);
	nl_free(n->stubs);
	nl_free(n->node_tab);
	nl_free(n->link_tab);
	nl_free(n->nodes);
	nl_free(n->links);
	nl_free(n->addrs);
	nl_pool_drain(&n->flight_pool);
	nl_pool_drain(&n->sbuf_pool);
	for (i = 0; i < NET_BUF_COUNT_; i++)
		nl_dbuf_free(&n->bufs[i]);
	nl_free(n);
}

struct nl_dbuf *
net_buf_take(struct net *n, enum net_buf which, struct nl_dbuf *own,
    size_t max)
{
	struct nl_dbuf *b = &n->bufs[which];

	if (n->buf_busy[which]) {
		nl_dbuf_init(own, max);
		return own;
	}
	nl_dbuf_reset(b);	/* keeps its memory; none at first */
	b->max = max;
	n->buf_busy[which] = 1;
	return b;
}

void
net_buf_give(struct net *n, enum net_buf which, struct nl_dbuf *b)
{
	if (b == &n->bufs[which])
		n->buf_busy[which] = 0;
	else
		nl_dbuf_free(b);
}

struct sim *
net_sim(const struct net *n)
{
	return n->sim;
}

struct trace *
net_trace(const struct net *n)
{
	return n->trace;
}

struct net_node *
net_node_get(struct net *n, int32_t id)
{
	if (id < 0 || (size_t)id >= n->nnodes)
		return NULL;
	return &n->nodes[id];
}

/* FNV-1a: node names are short; the table only needs a spread. */
static size_t
name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

/* The name of node or link id, for the tables below. */
static const char *
tab_name(const struct net *n, int links, int32_t id)
{
	return links ? n->links[id].name : n->nodes[id].name;
}

/* Puts id in a name table (tab, cap slots), which has room. */
static void
tab_put(const struct net *n, int links, int32_t *tab, size_t cap,
    int32_t id)
{
	size_t i = name_hash(tab_name(n, links, id)) & (cap - 1);

	while (tab[i] >= 0)
		i = (i + 1) & (cap - 1);
	tab[i] = id;
}

/* The id named name in a table, -1. */
static int32_t
tab_find(const struct net *n, int links, const int32_t *tab, size_t cap,
    const char *name)
{
	size_t i;

	if (tab == NULL)
		return -1;
	for (i = name_hash(name) & (cap - 1); tab[i] >= 0;
	    i = (i + 1) & (cap - 1))
		if (strcmp(tab_name(n, links, tab[i]), name) == 0)
			return tab[i];
	return -1;
}

/* Keeps a name table at most half full for count + 1 entries, so a find
 * is one or two probes however many nodes and links a campus has (a
 * scan made building one quadratic). */
static enum nl_status
tab_grow(const struct net *n, int links, int32_t **tab, size_t *cap,
    size_t count)
{
	size_t ncap = *cap ? *cap : 64, i;
	int32_t *t;

	if (2 * (count + 1) <= *cap)
		return NL_OK;
	while (2 * (count + 1) > ncap)
		ncap *= 2;
	t = nl_alloc(ncap * sizeof *t);
	if (t == NULL)
		return NL_ENOMEM;
	for (i = 0; i < ncap; i++)
		t[i] = -1;
	nl_free(*tab);
	*tab = t;
	*cap = ncap;
	for (i = 0; i < count; i++)
		tab_put(n, links, t, ncap, (int32_t)i);
	return NL_OK;
}

enum nl_status
net_node_add(struct net *n, const char *name, const char *kind, int forwards,
    int32_t *id)
{
	struct net_node *nd;
	enum nl_status st;
	int32_t tid = -1;

	*id = -1;
	if (name == NULL || *name == '\0')
		return NL_EINVAL;
	if (net_node_find(n, name) >= 0)
		return NL_EEXIST;
	if (n->nnodes >= INT32_MAX)
		return NL_ELIMIT;
	st = tab_grow(n, 0, &n->node_tab, &n->cap_node_tab, n->nnodes);
	if (st != NL_OK)
		return st;
	st = nl_array_grow((void **)&n->nodes, n->nnodes, &n->capnodes,
	    sizeof *n->nodes, 8);
	if (st != NL_OK)
		return st;
	nd = &n->nodes[n->nnodes];
	memset(nd, 0, sizeof *nd);
	nd->name = nl_strdup(name);
	if (nd->name == NULL)
		return NL_ENOMEM;
	if (n->trace != NULL) {
		st = trace_node_add(n->trace, name, kind ? kind : "host", &tid);
		if (st != NL_OK) {
			nl_free(nd->name);
			return st;
		}
	}
	nd->forwards = forwards != 0;
	nd->up = 1;
	nd->next_port = 49152;
	*id = (int32_t)n->nnodes++;
	tab_put(n, 0, n->node_tab, n->cap_node_tab, *id);
	net_routes_invalidate(n);
	/* The trace numbers nodes as we do: views use our ids. */
	if (n->trace != NULL && NL_NEVER(tid != *id))
		return NL_EINVAL;
	return NL_OK;
}

/* The slot of addr in a table of cap (a power of two) slots: where it
 * is, or the empty slot where it would go. Addresses of a campus are
 * dense runs (10.0.0.100, .101, ...), so mix the bits first. */
static size_t
addr_slot(const struct net_addr_ent *tab, size_t cap, uint32_t addr)
{
	size_t i = (size_t)((addr * 0x9e3779b1u) >> 7) & (cap - 1);

	while (tab[i].node >= 0 && tab[i].addr != addr)
		i = (i + 1) & (cap - 1);
	return i;
}

/* Room for one more address: the table stays at most half full, so a
 * lookup per datagram probes about one slot. */
static enum nl_status
addr_tab_grow(struct net *n)
{
	struct net_addr_ent *tab;
	size_t cap, i;

	if (2 * (n->naddrs + 1) <= n->capaddrs)
		return NL_OK;
	cap = n->capaddrs ? 2 * n->capaddrs : 64;
	tab = nl_alloc(cap * sizeof *tab);
	if (tab == NULL)
		return NL_ENOMEM;
	for (i = 0; i < cap; i++)
		tab[i].node = -1;
	for (i = 0; i < n->capaddrs; i++)
		if (n->addrs[i].node >= 0)
			tab[addr_slot(tab, cap, n->addrs[i].addr)] =
			    n->addrs[i];
	nl_free(n->addrs);
	n->addrs = tab;
	n->capaddrs = cap;
	return NL_OK;
}

enum nl_status
net_node_addr_add(struct net *n, int32_t node, uint32_t addr)
{
	struct net_node *nd = net_node_get(n, node);
	uint32_t *a;
	size_t i;
	enum nl_status st;

	if (nd == NULL || addr == 0)
		return NL_EINVAL;
	if (net_node_by_addr(n, addr) >= 0)
		return NL_EEXIST;
	st = addr_tab_grow(n);
	if (st != NL_OK)
		return st;
	a = nl_realloc(nd->addrs, (nd->naddrs + 1) * sizeof *a);
	if (a == NULL)
		return NL_ENOMEM;
	nd->addrs = a;
	if (n->trace != NULL) {
		st = trace_node_addr_add(n->trace, node, addr);
		if (st != NL_OK)
			return st;
	}
	a[nd->naddrs++] = addr;
	n->addr_gen++;
	i = addr_slot(n->addrs, n->capaddrs, addr);
	n->addrs[i].addr = addr;
	n->addrs[i].node = node;
	n->naddrs++;
	return NL_OK;
}

int32_t
net_node_by_addr(const struct net *n, uint32_t addr)
{
	if (n->naddrs == 0)
		return -1;
	return n->addrs[addr_slot(n->addrs, n->capaddrs, addr)].node;
}

uint32_t
net_node_addr(const struct net *n, int32_t node)
{
	if (node < 0 || (size_t)node >= n->nnodes ||
	    n->nodes[node].naddrs == 0)
		return 0;
	return n->nodes[node].addrs[0];
}

const char *
net_node_name(const struct net *n, int32_t node)
{
	if (node < 0 || (size_t)node >= n->nnodes)
		return "-";
	return n->nodes[node].name;
}

size_t
net_node_count(const struct net *n)
{
	return n->nnodes;
}

size_t
net_link_count(const struct net *n)
{
	return n->nlinks;
}

int32_t
net_node_find(const struct net *n, const char *name)
{
	return tab_find(n, 0, n->node_tab, n->cap_node_tab, name);
}

int32_t
net_link_find(const struct net *n, const char *name)
{
	return tab_find(n, 1, n->link_tab, n->cap_link_tab, name);
}

enum nl_status
net_link_add(struct net *n, int32_t a, int32_t b,
    const struct net_link_cfg *cfg, int32_t *id)
{
	struct net_node *na = net_node_get(n, a), *nb = net_node_get(n, b);
	struct net_link *l;
	struct trace_link tl;
	char defname[256];
	const char *name;
	int32_t *la, *lb, tid = -1;
	enum nl_status st;
	int d;

	*id = -1;
	if (na == NULL || nb == NULL || a == b || cfg->bandwidth == 0 ||
	    cfg->queue == 0 || cfg->delay < 0 || !(cfg->loss >= 0.0) ||
	    cfg->loss > 1.0)
		return NL_EINVAL;
	name = cfg->name;
	if (name == NULL) {
		snprintf(defname, sizeof defname, "%s-%s", na->name, nb->name);
		name = defname;
	}
	if (net_link_find(n, name) >= 0)
		return NL_EEXIST;
	if (n->nlinks >= INT32_MAX)
		return NL_ELIMIT;
	st = tab_grow(n, 1, &n->link_tab, &n->cap_link_tab, n->nlinks);
	if (st != NL_OK)
		return st;
	st = nl_array_grow((void **)&n->links, n->nlinks, &n->caplinks,
	    sizeof *n->links, 8);
	if (st != NL_OK)
		return st;
	la = nl_realloc(na->links, (na->nlinks + 1) * sizeof *la);
	if (la == NULL)
		return NL_ENOMEM;
	na->links = la;
	lb = nl_realloc(nb->links, (nb->nlinks + 1) * sizeof *lb);
	if (lb == NULL)
		return NL_ENOMEM;
	nb->links = lb;
	l = &n->links[n->nlinks];
	memset(l, 0, sizeof *l);
	l->name = nl_strdup(name);
	if (l->name == NULL)
		return NL_ENOMEM;
	for (d = 0; d < 2; d++) {
		l->dir[d].tx_end = nl_calloc(cfg->queue, sizeof(sim_time));
		if (l->dir[d].tx_end == NULL) {
			nl_free(l->dir[0].tx_end);
			nl_free(l->name);
			return NL_ENOMEM;
		}
	}
	if (n->trace != NULL) {
		memset(&tl, 0, sizeof tl);
		tl.name = l->name;
		tl.a = a;
		tl.b = b;
		tl.delay = cfg->delay;
		tl.bandwidth = cfg->bandwidth;
		tl.loss = cfg->loss;
		tl.queue = cfg->queue;
		st = trace_link_add(n->trace, &tl, &tid);
		if (st != NL_OK) {
			nl_free(l->dir[0].tx_end);
			nl_free(l->dir[1].tx_end);
			nl_free(l->name);
			return st;
		}
	}
	l->a = a;
	l->b = b;
	l->delay = cfg->delay;
	l->bandwidth = cfg->bandwidth;
	l->loss = cfg->loss;
	l->queue = cfg->queue;
	l->up = 1;
	*id = (int32_t)n->nlinks++;
	tab_put(n, 1, n->link_tab, n->cap_link_tab, *id);
	la[na->nlinks++] = *id;
	lb[nb->nlinks++] = *id;
	net_routes_invalidate(n);
	return NL_OK;
}

enum nl_status
net_trace_event(struct net *n, struct trace_event *ev)
{
	if (n->trace == NULL)
		return NL_OK;
	ev->t = sim_now(n->sim);
	return trace_append(n->trace, ev, NULL);
}

/* An up/down event for a link or node. */
static void
trace_updown(struct net *n, enum trace_kind kind, int32_t node,
    int32_t link, int up)
{
	struct trace_event ev;

	memset(&ev, 0, sizeof ev);
	ev.kind = (uint8_t)kind;
	ev.node = node;
	ev.peer = -1;
	ev.link = link;
	ev.a = up;
	ev.b = ev.c = -1;
	ev.summary = up ? "up" : "down";
	net_trace_event(n, &ev);
}

enum nl_status
net_link_set_up(struct net *n, int32_t link, int up)
{
	struct net_link *l;

	if (link < 0 || (size_t)link >= n->nlinks)
		return NL_EINVAL;
	l = &n->links[link];
	up = up != 0;
	if (l->up == up)
		return NL_OK;
	l->up = up;
	if (!up)
		l->gen++;	/* what is on the wire now never arrives */
	trace_updown(n, TRACE_LINK, -1, link, up);
	return NL_OK;
}

enum nl_status
net_node_set_up(struct net *n, int32_t node, int up)
{
	struct net_node *nd = net_node_get(n, node);

	if (nd == NULL)
		return NL_EINVAL;
	up = up != 0;
	if (nd->up == up)
		return NL_OK;
	nd->up = up;
	trace_updown(n, TRACE_NODE, node, -1, up);
	if (!up)
		net_tcp_node_down(n, node);
	if (nd->updown != NULL)
		nd->updown(n, node, up, nd->updown_ctx);
	return NL_OK;
}

int
net_link_is_up(const struct net *n, int32_t link)
{
	return link >= 0 && (size_t)link < n->nlinks && n->links[link].up;
}

int
net_node_is_up(const struct net *n, int32_t node)
{
	return node >= 0 && (size_t)node < n->nnodes && n->nodes[node].up;
}

void
net_node_on_updown(struct net *n, int32_t node, net_node_updown_fn *fn,
    void *ctx)
{
	struct net_node *nd = net_node_get(n, node);

	if (nd == NULL)
		return;
	nd->updown = fn;
	nd->updown_ctx = ctx;
}

uint16_t
net_port_alloc(struct net *n, int32_t node, uint8_t proto)
{
	struct net_node *nd = net_node_get(n, node);
	unsigned tries;

	if (nd == NULL)
		return 0;
	/* IANA's dynamic range 49152-65535 (RFC 6335 section 6), handed
	 * out in turn like a BSD stack does, skipping ports in use. */
	for (tries = 0; tries < 16384; tries++) {
		uint16_t p = nd->next_port;
		int used;

		nd->next_port = p == 65535 ? 49152 : (uint16_t)(p + 1);
		if (proto == IPV4_PROTO_TCP)
			used = net_tcp_port_used(n, node, p);
		else
			used = net_udp_port_used(n, node, p);
		if (!used)
			return p;
	}
	return 0;
}
