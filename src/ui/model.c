/* model.c - the viewer's index over a trace (see model.h), built in one
 * pass over the events.
 *
 * A datagram is followed hop by hop through its IPv4 identity (source,
 * destination, identification, protocol), which a router keeps. An
 * application message is tied to the datagrams that carry it: over UDP,
 * the next datagram its node sends; over TCP, the segments whose stream
 * offset (sequence number minus the initial one from the SYN) falls in
 * the message's bytes of its connection. */
#include <string.h>

#include "proto/ip/ipv4.h"
#include "proto/ip/tcp_hdr.h"
#include "trace/transcript.h"
#include "ui/model.h"
#include "util/alloc.h"

/* ---- A fixed-capacity hash map from a 96-bit key to a uint32_t ---- */

struct kslot {
	uint64_t a;		/* key, first word */
	uint32_t b;		/* key, second word */
	uint32_t v;		/* value; UI_NONE: slot empty */
};

struct kmap {
	struct kslot *s;	/* mask + 1 slots */
	size_t mask;		/* capacity - 1, a power of two minus one */
};

/* Room for `want` distinct keys at load factor 1/2 at most. */
static enum nl_status
kmap_init(struct kmap *m, size_t want)
{
	size_t cap = 16, i;

	while (cap < 2 * want + 16)
		cap *= 2;
	m->s = nl_alloc(cap * sizeof *m->s);
	if (m->s == NULL)
		return NL_ENOMEM;
	for (i = 0; i < cap; i++)
		m->s[i].v = UI_NONE;
	m->mask = cap - 1;
	return NL_OK;
}

static size_t
kmap_hash(uint64_t a, uint32_t b)
{
	uint64_t h = a * 0x9e3779b97f4a7c15ULL ^ ((uint64_t)b + 0x632be5ab);

	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	return (size_t)h;
}

/* The slot of key (a, b): the one holding it, else the empty one where
 * it would go. The map is never full (kmap_init's sizing). */
static struct kslot *
kmap_find(struct kmap *m, uint64_t a, uint32_t b)
{
	size_t i = kmap_hash(a, b) & m->mask;

	for (;;) {
		struct kslot *s = &m->s[i];

		if (s->v == UI_NONE || (s->a == a && s->b == b))
			return s;
		i = (i + 1) & m->mask;
	}
}

static uint32_t
kmap_get(struct kmap *m, uint64_t a, uint32_t b)
{
	return kmap_find(m, a, b)->v;
}

static void
kmap_put(struct kmap *m, uint64_t a, uint32_t b, uint32_t v)
{
	struct kslot *s = kmap_find(m, a, b);

	s->a = a;
	s->b = b;
	s->v = v;
}

/* ---- Connections and flows ---- */

/* An application's TCP connection at one node: its messages with the
 * stream offset where each starts. */
struct conn {
	int32_t node;		/* where the app events happen */
	int32_t peer;		/* the other end */
	uint64_t bytes;		/* stream bytes of the messages so far */
	uint32_t *ev;		/* app events, in order */
	uint64_t *off;		/* their first byte's stream offset */
	size_t n, cap;		/* entries used, allocated */
	int linked;		/* a flow points here */
};

/* One direction of a TCP connection as seen on the wire. */
struct flow {
	uint32_t conn;		/* index in conns, UI_NONE until linked */
	uint32_t isn;		/* initial sequence number */
	int isn_known;		/* a SYN was seen */
};

struct builder {
	struct ui_model *m;
	const struct trace *t;
	struct kmap dgram;	/* datagram identity -> origin pkt-send */
	struct kmap connmap;	/* (node, conn id) -> conns index */
	struct kmap flowmap;	/* TCP 4-tuple -> flows index */
	struct conn *conns;
	size_t nconns, capconns;
	struct flow *flows;
	size_t nflows, capflows;
	uint32_t *pending_tcp;	/* per node: conn waiting for its flow */
	uint32_t *pending_udp;	/* per node: app event waiting for its
				 * datagram */
};

/* p grown to hold need elements of elem bytes (*cap updated); NULL on
 * out of memory, p then unchanged. */
static void *
grow(void *p, size_t *cap, size_t need, size_t elem)
{
	size_t ncap = *cap ? *cap : 8;
	void *np;

	if (need <= *cap)
		return p;
	while (ncap < need)
		ncap *= 2;
	np = nl_realloc(p, ncap * elem);
	if (np != NULL)
		*cap = ncap;
	return np;
}

static int
node_has_addr(const struct trace *t, int32_t node, uint32_t addr)
{
	const struct trace_node *n = trace_node(t, node);
	size_t i;

	if (n == NULL)
		return 0;
	for (i = 0; i < n->naddrs; i++)
		if (n->addrs[i] == addr)
			return 1;
	return 0;
}

/* The connection of app event ev at (node, id), created if new. */
static enum nl_status
conn_get(struct builder *b, const struct trace_event *ev, uint32_t *out)
{
	uint64_t key = (uint64_t)(uint32_t)ev->node << 32 |
	    (uint64_t)(uint32_t)ev->c;
	uint32_t ci = kmap_get(&b->connmap, key, 0);
	struct conn *c;

	if (ci == UI_NONE) {
		struct conn *nc = grow(b->conns, &b->capconns,
		    b->nconns + 1, sizeof *b->conns);

		if (nc == NULL)
			return NL_ENOMEM;
		b->conns = nc;
		ci = (uint32_t)b->nconns++;
		c = &b->conns[ci];
		memset(c, 0, sizeof *c);
		c->node = ev->node;
		c->peer = ev->peer;
		kmap_put(&b->connmap, key, 0, ci);
	}
	*out = ci;
	return NL_OK;
}

static enum nl_status
on_app(struct builder *b, uint32_t i, const struct trace_event *ev)
{
	struct conn *c;
	uint32_t ci;

	b->m->end[i] = ev->t;
	if (ev->node < 0 || (size_t)ev->node >= b->m->nnodes)
		return NL_OK;
	if (ev->c < 0) {
		b->pending_udp[ev->node] = i;
		return NL_OK;
	}
	if (conn_get(b, ev, &ci) != NL_OK)
		return NL_ENOMEM;
	c = &b->conns[ci];
	if (c->n == c->cap) {
		size_t ncap = c->cap ? 2 * c->cap : 8;
		uint32_t *nev = nl_realloc(c->ev, ncap * sizeof *nev);
		uint64_t *noff;

		if (nev == NULL)
			return NL_ENOMEM;
		c->ev = nev;
		noff = nl_realloc(c->off, ncap * sizeof *noff);
		if (noff == NULL)
			return NL_ENOMEM;
		c->off = noff;
		c->cap = ncap;
	}
	c->ev[c->n] = i;
	c->off[c->n] = c->bytes;
	c->n++;
	c->bytes += ev->len;
	if (!c->linked)
		b->pending_tcp[ev->node] = ci;
	return NL_OK;
}

/* The app event of connection c whose bytes hold stream offset o. */
static uint32_t
conn_app_at(const struct conn *c, uint64_t o)
{
	size_t lo = 0, hi = c->n;

	if (c->n == 0)
		return UI_NONE;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->off[mid] <= o)
			lo = mid;
		else
			hi = mid;
	}
	return c->ev[lo];
}

/* A TCP segment leaving its source: which app message it carries. */
static enum nl_status
tcp_origin(struct builder *b, uint32_t i, const struct trace_event *ev,
    const struct ipv4_hdr *ip, const uint8_t *seg, size_t seglen)
{
	struct tcp_hdr th;
	const uint8_t *payload;
	size_t plen;
	uint32_t fi;
	struct flow *f;
	uint64_t fa = (uint64_t)ip->src << 32 | ip->dst;
	uint32_t fb;

	if (tcp_hdr_parse(seg, seglen, ip->src, ip->dst, &th, &payload,
	    &plen) != NL_OK)
		return NL_OK;
	fb = (uint32_t)th.sport << 16 | (uint32_t)th.dport;
	fi = kmap_get(&b->flowmap, fa, fb);
	if (fi == UI_NONE) {
		struct flow *nf = grow(b->flows, &b->capflows,
		    b->nflows + 1, sizeof *b->flows);

		if (nf == NULL)
			return NL_ENOMEM;
		b->flows = nf;
		fi = (uint32_t)b->nflows++;
		b->flows[fi].conn = UI_NONE;
		b->flows[fi].isn = 0;
		b->flows[fi].isn_known = 0;
		kmap_put(&b->flowmap, fa, fb, fi);
	}
	f = &b->flows[fi];
	if (th.flags & TCP_SYN) {
		f->isn = th.seq;
		f->isn_known = 1;
	}
	if (plen == 0)
		return NL_OK;
	if (f->conn == UI_NONE) {
		uint32_t ci = b->pending_tcp[ev->node];

		if (ci == UI_NONE || b->conns[ci].linked ||
		    !node_has_addr(b->t, b->conns[ci].peer, ip->dst))
			return NL_OK;
		f->conn = ci;
		b->conns[ci].linked = 1;
		b->pending_tcp[ev->node] = UI_NONE;
	}
	{
		uint32_t rel = th.seq - f->isn - (f->isn_known ? 1u : 0u);

		b->m->app_of[i] = conn_app_at(&b->conns[f->conn], rel);
	}
	return NL_OK;
}

int
ui_send_timed(const struct trace_event *ev)
{
	return ev->kind == TRACE_PKT_SEND && ev->t >= 0 && ev->b >= ev->t &&
	    ev->c >= ev->b && ev->c - ev->t <= UI_FLIGHT_MAX;
}

sim_time
ui_time_add(sim_time a, sim_time b)
{
	return a > SIM_TIME_MAX - b ? SIM_TIME_MAX : a + b;
}

static void
note_carrier(struct ui_model *m, uint32_t i, const struct trace_event *ev)
{
	uint32_t a = m->app_of[i];

	if (a == UI_NONE || !ui_send_timed(ev))
		return;
	if (m->first_send[a] == UI_NONE)
		m->first_send[a] = i;
	if (ev->c > m->end[a])
		m->end[a] = ev->c;
}

static enum nl_status
on_send(struct builder *b, uint32_t i, const struct trace_event *ev)
{
	struct ui_model *m = b->m;
	struct ipv4_hdr ip;
	uint64_t ka;
	uint32_t kb, o;

	m->end[i] = ui_send_timed(ev) ? ev->c : ev->t;
	m->origin_of[i] = i;
	if (ui_send_timed(ev) && ev->c - ev->t > m->max_flight)
		m->max_flight = ev->c - ev->t;
	if (ev->data == NULL ||
	    ipv4_hdr_parse(ev->data, ev->len, &ip) != NL_OK)
		return NL_OK;
	ka = (uint64_t)ip.src << 32 | ip.dst;
	kb = (uint32_t)ip.id << 8 | (uint32_t)ip.proto;
	if (!(ev->flags & TRACE_F_ORIGIN)) {
		o = kmap_get(&b->dgram, ka, kb);
		if (o != UI_NONE) {
			uint32_t last = o;

			while (m->next_hop[last] != UI_NONE)
				last = m->next_hop[last];
			m->next_hop[last] = i;
			m->origin_of[i] = o;
			m->app_of[i] = m->app_of[o];
			note_carrier(m, i, ev);
		}
		return NL_OK;
	}
	kmap_put(&b->dgram, ka, kb, i);
	if (ev->node < 0 || (size_t)ev->node >= m->nnodes)
		return NL_OK;
	if (ip.proto == IPV4_PROTO_TCP) {
		size_t hl = (size_t)ip.ihl * 4;

		if (tcp_origin(b, i, ev, &ip, ev->data + hl,
		    (size_t)ip.total_len - hl) != NL_OK)
			return NL_ENOMEM;
	} else if (ip.proto == IPV4_PROTO_UDP) {
		uint32_t a = b->pending_udp[ev->node];

		if (a != UI_NONE) {
			const struct trace_event *ae = trace_at(b->t, a);

			if (node_has_addr(b->t, ae->peer, ip.dst)) {
				m->app_of[i] = a;
				b->pending_udp[ev->node] = UI_NONE;
			}
		}
	}
	note_carrier(m, i, ev);
	return NL_OK;
}

static void
on_drop(struct builder *b, uint32_t i, const struct trace_event *ev)
{
	struct ui_model *m = b->m;
	struct ipv4_hdr ip;
	uint32_t s = UI_NONE, a;

	if (ev->b >= 0 && (uint64_t)ev->b < i &&
	    trace_at(b->t, (size_t)ev->b)->kind == TRACE_PKT_SEND) {
		s = (uint32_t)ev->b;
		m->drop_of[s] = i;
		m->app_of[i] = m->app_of[s];
	} else if (ev->data != NULL &&
	    ipv4_hdr_parse(ev->data, ev->len, &ip) == NL_OK) {
		uint32_t o = kmap_get(&b->dgram, (uint64_t)ip.src << 32 |
		    ip.dst, (uint32_t)ip.id << 8 | (uint32_t)ip.proto);

		if (o != UI_NONE)
			m->app_of[i] = m->app_of[o];
	}
	a = m->app_of[i];
	if (a != UI_NONE && ev->t > m->end[a])
		m->end[a] = ev->t;
}

/* ---- The model ---- */

static enum nl_status
alloc_u32(uint32_t **p, size_t n, int fill_none)
{
	size_t i;

	*p = nl_alloc((n ? n : 1) * sizeof **p);
	if (*p == NULL)
		return NL_ENOMEM;
	for (i = 0; i < n; i++)
		(*p)[i] = fill_none ? UI_NONE : 0;
	return NL_OK;
}

/* Counts, then fills, the lists (steps, rows, notes, up/down). */
static enum nl_status
fill_lists(struct ui_model *m)
{
	const struct trace *t = m->t;
	size_t cnt[10], i, k;
	char line[256];
	int pass;

	for (pass = 0; pass < 2; pass++) {
		memset(cnt, 0, sizeof cnt);
		for (i = 0; i < m->nev; i++) {
			const struct trace_event *ev = trace_at(t, i);
			int has = trace_transcript_line(t, ev, line,
			    sizeof line);
			uint32_t v = (uint32_t)i;

#define PUT(list, c) do { if (pass) (list)[c] = v; (c)++; } while (0)
			if (ev->kind == TRACE_APP)
				PUT(m->steps[UI_GRAN_APP], cnt[0]);
			if (ev->kind == TRACE_PKT_SEND)
				PUT(m->steps[UI_GRAN_SEGMENT], cnt[1]);
			if (has)
				PUT(m->rows[UI_GRAN_APP], cnt[2]);
			if (has || ev->kind == TRACE_PKT_SEND)
				PUT(m->rows[UI_GRAN_SEGMENT], cnt[3]);
			if (ev->kind == TRACE_NOTE)
				PUT(m->notes, cnt[4]);
			if (ev->kind == TRACE_LINK || ev->kind == TRACE_NODE)
				PUT(m->updown, cnt[5]);
			if (ev->kind == TRACE_PKT_DROP)
				PUT(m->drops, cnt[6]);
			if (ev->kind == TRACE_STATE)
				PUT(m->states, cnt[7]);
			if (ev->kind == TRACE_CHECK)
				PUT(m->checks, cnt[8]);
			if (ev->kind == TRACE_TCP_STATE)
				PUT(m->tcp_states, cnt[9]);
#undef PUT
		}
		if (pass)
			break;
		for (k = 0; k < UI_GRAN_COUNT_; k++) {
			m->nsteps[k] = cnt[k];
			m->nrows[k] = cnt[2 + k];
			if (alloc_u32(&m->steps[k], cnt[k], 0) != NL_OK ||
			    alloc_u32(&m->rows[k], cnt[2 + k], 0) != NL_OK)
				return NL_ENOMEM;
		}
		m->nnotes = cnt[4];
		m->nupdown = cnt[5];
		m->ndrops = cnt[6];
		m->nstates = cnt[7];
		m->nchecks = cnt[8];
		m->ntcp_states = cnt[9];
		if (alloc_u32(&m->checks, cnt[8], 0) != NL_OK ||
		    alloc_u32(&m->tcp_states, cnt[9], 0) != NL_OK ||
		    alloc_u32(&m->notes, cnt[4], 0) != NL_OK ||
		    alloc_u32(&m->updown, cnt[5], 0) != NL_OK ||
		    alloc_u32(&m->drops, cnt[6], 0) != NL_OK ||
		    alloc_u32(&m->states, cnt[7], 0) != NL_OK)
			return NL_ENOMEM;
	}
	return NL_OK;
}

/* The last serial given to a model (single-threaded, as the viewer). */
static uint64_t model_serial;

/* list[0..n) grouped by the node of each event (events of no node are
 * left out), each node's in trace order: *at gets nnodes + 1 offsets. */
static enum nl_status
group_by_node(const struct ui_model *m, const uint32_t *list, size_t n,
    uint32_t **out, size_t **at)
{
	size_t i, nn = m->nnodes, *fill;

	*at = nl_calloc(nn + 2, sizeof **at);
	*out = nl_alloc((n ? n : 1) * sizeof **out);
	if (*at == NULL || *out == NULL)
		return NL_ENOMEM;
	for (i = 0; i < n; i++) {
		int32_t node = trace_at(m->t, list[i])->node;

		if (node >= 0 && (size_t)node < nn)
			(*at)[node + 2]++;
	}
	for (i = 2; i < nn + 2; i++)
		(*at)[i] += (*at)[i - 1];
	fill = *at + 1;		/* fill[node]: next free slot of node */
	for (i = 0; i < n; i++) {
		int32_t node = trace_at(m->t, list[i])->node;

		if (node >= 0 && (size_t)node < nn)
			(*out)[fill[node]++] = list[i];
	}
	return NL_OK;
}

const uint32_t *
ui_node_states(const struct ui_model *m, int32_t id, int tcp, size_t *n)
{
	const size_t *at = tcp ? m->tcp_at : m->states_at;
	const uint32_t *by = tcp ? m->tcp_by_node : m->states_by_node;

	if (id < 0 || (size_t)id >= m->nnodes) {
		*n = 0;
		return by;
	}
	*n = at[id + 1] - at[id];
	return by + at[id];
}

/* The ladder's columns of each granularity: the nodes its steps involve,
 * left to right as the layout places them (ties: top first, then id). */
static enum nl_status
fill_columns(struct ui_model *m)
{
	size_t g, i, j, n = m->nnodes;

	for (g = 0; g < UI_GRAN_COUNT_; g++) {
		int32_t *col = nl_alloc((n ? n : 1) * sizeof *col);
		int k = 0;

		if (col == NULL)
			return NL_ENOMEM;
		m->column[g] = col;
		for (i = 0; i < n; i++)
			col[i] = -1;
		for (i = 0; i < m->nsteps[g]; i++) {
			const struct trace_event *ev = trace_at(m->t,
			    m->steps[g][i]);

			if (ev->node < 0 || (size_t)ev->node >= n ||
			    ev->peer < 0 || (size_t)ev->peer >= n)
				continue;	/* only messages get a row */
			col[ev->node] = 0;
			col[ev->peer] = 0;
		}
		/* number the involved nodes in x order: n is small enough
		 * for a selection by repeated minimum */
		for (;;) {
			long best = -1;

			for (j = 0; j < n; j++) {
				const struct ui_node_info *a = &m->nodes[j];

				if (col[j] != 0)
					continue;
				if (best < 0 || a->x < m->nodes[best].x ||
				    (a->x == m->nodes[best].x &&
				    a->y < m->nodes[best].y))
					best = (long)j;
			}
			if (best < 0)
				break;
			col[best] = ++k;
		}
		for (i = 0; i < n; i++)
			if (col[i] > 0)
				col[i]--;
		m->ncolumns[g] = k;
	}
	return NL_OK;
}

/* The pace of 1x: the median flight of the application messages (else
 * of the datagrams) takes UI_SPEED_CROSSING_MS of wall time. A
 * histogram over powers of two keeps it cheap and allocation-free. */
static void
fill_pace(struct ui_model *m)
{
	size_t hist[64], n = 0, i, k, seen = 0;
	int pass;

	for (pass = 0; pass < 2 && n == 0; pass++) {
		memset(hist, 0, sizeof hist);
		for (i = 0; i < m->nev; i++) {
			const struct trace_event *ev = trace_at(m->t, i);
			sim_time f;
			int b = 0;

			if (ev->kind != (pass == 0 ? TRACE_APP : TRACE_PKT_SEND) ||
			    (pass == 1 && !ui_send_timed(ev)))
				continue;
			f = (pass == 0 ? m->end[i] : ev->c) - ev->t;
			if (f <= 0)
				continue;
			while (b < 63 && ((sim_time)1 << (b + 1)) <= f)
				b++;
			hist[b]++;
			n++;
		}
	}
	m->pace = 10 * SIM_MS;
	if (n == 0)
		return;
	for (k = 0; k < 64; k++) {
		seen += hist[k];
		if (seen * 2 >= n)
			break;
	}
	/* the middle of bucket k, [2^k, 2^(k+1)) */
	m->pace = (sim_time)(1.5 * (double)((sim_time)1 << k) * 1000.0 /
	    UI_SPEED_CROSSING_MS);
	if (m->pace < 100 * SIM_US)
		m->pace = 100 * SIM_US;
	if (m->pace > SIM_S)
		m->pace = SIM_S;
}

static void
builder_free(struct builder *b)
{
	size_t i;

	for (i = 0; i < b->nconns; i++) {
		nl_free(b->conns[i].ev);
		nl_free(b->conns[i].off);
	}
	nl_free(b->conns);
	nl_free(b->flows);
	nl_free(b->dgram.s);
	nl_free(b->connmap.s);
	nl_free(b->flowmap.s);
	nl_free(b->pending_tcp);
	nl_free(b->pending_udp);
}

static enum nl_status
index_events(struct ui_model *m)
{
	struct builder b;
	size_t i, nsend = 0, napp = 0;
	enum nl_status st = NL_ENOMEM;

	memset(&b, 0, sizeof b);
	b.m = m;
	b.t = m->t;
	for (i = 0; i < m->nev; i++) {
		uint8_t k = trace_at(m->t, i)->kind;

		nsend += k == TRACE_PKT_SEND;
		napp += k == TRACE_APP;
	}
	if (kmap_init(&b.dgram, nsend) != NL_OK ||
	    kmap_init(&b.connmap, napp) != NL_OK ||
	    kmap_init(&b.flowmap, nsend) != NL_OK ||
	    alloc_u32(&b.pending_tcp, m->nnodes, 1) != NL_OK ||
	    alloc_u32(&b.pending_udp, m->nnodes, 1) != NL_OK)
		goto done;
	m->busy[0] = 0;
	for (i = 0; i < m->nev; i++) {
		const struct trace_event *ev = trace_at(m->t, i);
		uint32_t u = (uint32_t)i;

		m->busy[i + 1] = m->busy[i];
		switch (ev->kind) {
		case TRACE_APP:
			if (on_app(&b, u, ev) != NL_OK)
				goto done;
			break;
		case TRACE_PKT_SEND:
			if (on_send(&b, u, ev) != NL_OK)
				goto done;
			if (ui_send_timed(ev) && ev->c > m->busy[i + 1])
				m->busy[i + 1] = ev->c;
			break;
		case TRACE_PKT_DROP:
			on_drop(&b, u, ev);
			break;
		default:
			break;
		}
		if (ev->proto < 32)
			m->protos |= 1u << ev->proto;
		m->t_end = ev->t;
	}
	st = NL_OK;
done:
	builder_free(&b);
	return st;
}

/* Each node's addresses as text, ", "-separated, cut to fit. */
static void
fill_addrs(struct ui_model *m)
{
	size_t i, k;

	for (i = 0; i < m->nnodes; i++) {
		const struct trace_node *tn = trace_node(m->t, (int32_t)i);
		char *out = m->nodes[i].addr;
		size_t size = sizeof m->nodes[i].addr, o = 0;

		out[0] = '\0';
		for (k = 0; k < tn->naddrs; k++) {
			char a[IPV4_ADDR_STRLEN];
			size_t al;

			ipv4_addr_str(tn->addrs[k], a);
			al = strlen(a);
			if (o + al + (k ? 2 : 0) + 1 > size)
				break;
			if (k) {
				memcpy(out + o, ", ", 2);
				o += 2;
			}
			memcpy(out + o, a, al + 1);
			o += al;
		}
	}
}

enum nl_status
ui_model_new(const struct trace *t, const struct ui_hint *hints,
    size_t nhints, struct ui_model **out)
{
	struct ui_model *m;
	size_t n = trace_count(t);

	*out = NULL;
	if (n >= UI_NONE)
		return NL_ELIMIT;
	m = nl_calloc(1, sizeof *m);
	if (m == NULL)
		return NL_ENOMEM;
	m->t = t;
	m->nev = n;
	m->nnodes = trace_node_count(t);
	m->nodes = nl_calloc(m->nnodes ? m->nnodes : 1, sizeof *m->nodes);
	m->end = nl_calloc(n ? n : 1, sizeof *m->end);
	m->busy = nl_calloc(n + 1, sizeof *m->busy);
	if (m->nodes == NULL || m->end == NULL || m->busy == NULL ||
	    alloc_u32(&m->app_of, n, 1) != NL_OK ||
	    alloc_u32(&m->origin_of, n, 1) != NL_OK ||
	    alloc_u32(&m->next_hop, n, 1) != NL_OK ||
	    alloc_u32(&m->drop_of, n, 1) != NL_OK ||
	    alloc_u32(&m->first_send, n, 1) != NL_OK ||
	    ui_layout(t, hints, nhints, m->nodes) != NL_OK ||
	    index_events(m) != NL_OK || fill_lists(m) != NL_OK ||
	    group_by_node(m, m->states, m->nstates, &m->states_by_node,
	    &m->states_at) != NL_OK ||
	    group_by_node(m, m->tcp_states, m->ntcp_states, &m->tcp_by_node,
	    &m->tcp_at) != NL_OK ||
	    fill_columns(m) != NL_OK) {
		ui_model_free(m);
		return NL_ENOMEM;
	}
	fill_addrs(m);
	fill_pace(m);
	m->serial = ++model_serial;
	*out = m;
	return NL_OK;
}

void
ui_model_free(struct ui_model *m)
{
	size_t k;

	if (m == NULL)
		return;
	for (k = 0; k < UI_GRAN_COUNT_; k++) {
		nl_free(m->steps[k]);
		nl_free(m->rows[k]);
	}
	nl_free(m->notes);
	nl_free(m->updown);
	nl_free(m->drops);
	nl_free(m->states);
	nl_free(m->checks);
	nl_free(m->tcp_states);
	nl_free(m->states_by_node);
	nl_free(m->states_at);
	nl_free(m->tcp_by_node);
	nl_free(m->tcp_at);
	for (k = 0; k < UI_GRAN_COUNT_; k++)
		nl_free(m->column[k]);
	nl_free(m->nodes);
	nl_free(m->app_of);
	nl_free(m->origin_of);
	nl_free(m->next_hop);
	nl_free(m->drop_of);
	nl_free(m->first_send);
	nl_free(m->end);
	nl_free(m->busy);
	nl_free(m);
}

size_t
ui_index_at_time(const struct ui_model *m, const uint32_t *list, size_t n,
    sim_time t)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (trace_at(m->t, list[mid])->t < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

long
ui_index_before(const uint32_t *list, size_t n, size_t limit)
{
	size_t lo = 0, hi = n;

	/* first element >= limit */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (list[mid] < limit)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (long)lo - 1;
}
