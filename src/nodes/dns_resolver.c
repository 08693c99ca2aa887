/* dns_resolver.c - resolution at a DNS server (RFC 1034 5.3.3, RFC 1035
 * 7): from the cache when it can (answers with the TTL left, CNAMEs
 * chased, negative answers of RFC 2308); else it asks the servers of the
 * closest zone it knows (cached NS and glue, so later lookups skip the
 * root; else the root hints), follows referrals, looks up the addresses
 * of name servers that came without glue, follows CNAMEs into other
 * zones, and on a timeout asks the zone's next server; when every one
 * failed, SERVFAIL.
 *
 * Iterated mode sends RD=0 and walks the hierarchy itself (Kurose & Ross
 * figure 2.19); recursive mode sends RD=1, so that a server with
 * recursion asks the next one and the answer comes back along the chain
 * (figure 2.20). A referral is followed in both modes. */
#include <stdio.h>
#include <string.h>

#include "nodes/dns_node_int.h"
#include "util/alloc.h"
#include "util/nl.h"

static void task_begin(struct dns_task *t);
static void task_next(struct dns_task *t);

struct dns_task *
dns_task_new(struct dns_srv *s, const struct dns_name *qname,
    uint16_t qtype, dns_task_done_fn *done, void *ctx)
{
	struct dns_task *t = nl_pool_zget(&s->task_pool);

	if (t == NULL)
		return NULL;
	t->out = dns_msg_new();
	if (t->out == NULL) {
		nl_pool_put(&s->task_pool, t);
		return NULL;
	}
	t->srv = s;
	t->oname = t->qname = *qname;
	t->otype = t->qtype = qtype;
	t->asked = -1;
	t->child_for = -1;
	t->done = done;
	t->ctx = ctx;
	t->next = s->tasks;
	if (s->tasks != NULL)
		s->tasks->prev = t;
	s->tasks = t;
	return t;
}

/* Unlinks t, cancels its timeout and frees it; done is not called. */
static void
task_free(struct dns_task *t)
{
	struct dns_srv *s = t->srv;

	if (t->timer != 0)
		(void)sim_cancel(net_sim(s->net), t->timer);
	if (t->prev != NULL)
		t->prev->next = t->next;
	else if (s->tasks == t)
		s->tasks = t->next;
	if (t->next != NULL)
		t->next->prev = t->prev;
	dns_msg_free(t->out);
	nl_pool_put(&s->task_pool, t);
}

void
dns_tasks_free(struct dns_srv *s)
{
	while (s->tasks != NULL)
		task_free(s->tasks);
}

/* The end: RCODE set, done called, t freed. */
static void
task_finish(struct dns_task *t, uint8_t rcode)
{
	t->out->hdr.rcode = rcode;
	if (t->timer != 0) {
		(void)sim_cancel(net_sim(t->srv->net), t->timer);
		t->timer = 0;
	}
	if (t->done != NULL)
		t->done(t, t->ctx);
	task_free(t);
}

/* "gaia.cs.umass.edu A" of what is being asked, into buf. */
static const char *
q_str(const struct dns_task *t, char *buf, size_t size)
{
	char nb[DNS_NAME_STRLEN];
	const char *ty = dns_type_str((enum dns_type)t->qtype);
	size_t l;

	dns_name_str(&t->qname, nb, sizeof nb);
	l = strlen(nb);
	if (l > 1)
		nb[l - 1] = '\0';
	snprintf(buf, size, "%s %s", nb, ty != NULL ? ty : "?");
	return buf;
}

/* The task fails with SERVFAIL after a note saying why. */
static void
task_fail(struct dns_task *t, const char *why)
{
	char q[DNS_NAME_STRLEN + 16];

	dns_node_note(t->srv->net, t->srv->nd->id, "giving up on %s: %s "
	    "(SERVFAIL)", q_str(t, q, sizeof q), why);
	task_finish(t, DNS_R_SERVFAIL);
}

/* Adds to out's ADDITIONAL the addresses of the MX and NS targets in
 * its ANSWER: from response r when given, else from the cache. */
static enum nl_status
add_target_addrs(struct dns_task *t, const struct dns_msg *r)
{
	struct dns_msg *o = t->out;
	struct dns_cache *c = t->srv->cache;
	enum nl_status st = NL_OK;
	uint16_t i, k;
	size_t j;

	for (i = 0; i < o->sec[DNS_S_ANSWER].count && st == NL_OK; i++) {
		const struct dns_rr *rr = &o->sec[DNS_S_ANSWER].rr[i];
		const struct dns_name *tg;
		struct dns_cache_entry *e;
		int have = 0;

		if (rr->type != DNS_T_MX && rr->type != DNS_T_NS)
			continue;
		tg = dns_zone_rr_target(rr);
		for (k = 0; k < o->sec[DNS_S_ADDITIONAL].count; k++)
			if (dns_name_eq(&o->sec[DNS_S_ADDITIONAL].rr[k].name,
			    tg))
				have = 1;
		if (have)
			continue;
		for (k = 0; r != NULL &&
		    k < r->sec[DNS_S_ADDITIONAL].count && st == NL_OK; k++) {
			const struct dns_rr *a = &r->sec[DNS_S_ADDITIONAL].rr[k];

			if ((a->type == DNS_T_A || a->type == DNS_T_AAAA) &&
			    dns_name_eq(&a->name, tg)) {
				st = dns_zone_msg_add(o, DNS_S_ADDITIONAL, a,
				    a->ttl);
				have = 1;
			}
		}
		if (have || r != NULL || c == NULL)
			continue;
		e = dns_cache_get(c, tg, DNS_T_A);
		if (e == NULL || e->negative)
			continue;
		dns_cache_hit(e);
		for (j = 0; j < e->n && st == NL_OK; j++)
			st = dns_zone_msg_add(o, DNS_S_ADDITIONAL, &e->rr[j],
			    dns_cache_ttl_left(e));
	}
	return st;
}

/* 1 if name owns a record of out's ANSWER already: a CNAME to it would
 * close a loop. */
static int
in_chain(const struct dns_task *t, const struct dns_name *name)
{
	const struct dns_rrs *an = &t->out->sec[DNS_S_ANSWER];
	uint16_t i;

	if (dns_name_eq(name, &t->oname))
		return 1;
	for (i = 0; i < an->count; i++)
		if (dns_name_eq(&an->rr[i].name, name))
			return 1;
	return 0;
}

/* Answers from the cache: 1 when the task ended (t is gone), 0 when
 * upstream servers must be asked (CNAMEs found on the way are in out
 * and qname is their target). */
static int
task_from_cache(struct dns_task *t)
{
	struct dns_cache *c = t->srv->cache;
	struct dns_cache_entry *e;
	enum nl_status st;
	size_t i;

	if (c == NULL || t->qtype == DNS_T_ANY)
		return 0;
	for (;;) {
		e = dns_cache_get(c, &t->qname, t->qtype);
		if (e != NULL && !e->negative) {
			dns_cache_hit(e);
			/* Round robin: each hit starts one further. */
			st = NL_OK;
			for (i = 0; i < e->n && st == NL_OK; i++) {
				const struct dns_rr *rr =
				    &e->rr[(i + e->turn) % e->n];

				st = dns_zone_msg_add(t->out, DNS_S_ANSWER, rr,
				    dns_cache_ttl_left(e));
			}
			if (st == NL_OK)
				st = add_target_addrs(t, NULL);
			task_finish(t, st == NL_OK ? DNS_R_NOERROR :
			    DNS_R_SERVFAIL);
			return 1;
		}
		if (e == NULL)
			e = dns_cache_get(c, &t->qname, DNS_T_ANY);
		if (e != NULL) {
			/* RFC 2308 5: a negative answer from the cache, with
			 * its SOA and the TTL left. */
			dns_cache_hit(e);
			(void)dns_zone_msg_add(t->out, DNS_S_AUTHORITY,
			    &e->rr[0], dns_cache_ttl_left(e));
			task_finish(t, e->type == DNS_T_ANY ? DNS_R_NXDOMAIN :
			    DNS_R_NOERROR);
			return 1;
		}
		if (t->qtype == DNS_T_CNAME)
			return 0;
		e = dns_cache_get(c, &t->qname, DNS_T_CNAME);
		if (e == NULL || e->negative)
			return 0;
		dns_cache_hit(e);
		if (in_chain(t, &e->rr[0].rd.name)) {
			task_fail(t, "the CNAMEs form a loop");
			return 1;
		}
		if (dns_zone_msg_add(t->out, DNS_S_ANSWER, &e->rr[0],
		    dns_cache_ttl_left(e)) != NL_OK) {
			task_finish(t, DNS_R_SERVFAIL);
			return 1;
		}
		t->qname = e->rr[0].rd.name;
		if (++t->restarts > DNS_TASK_RESTARTS) {
			task_fail(t, "too many CNAMEs");
			return 1;
		}
	}
}

/* The address of name from the cache (a hit), 0 if none. */
static uint32_t
cached_addr(struct dns_srv *s, const struct dns_name *name)
{
	struct dns_cache_entry *e;

	if (s->cache == NULL)
		return 0;
	e = dns_cache_get(s->cache, name, DNS_T_A);
	if (e == NULL || e->negative || e->n == 0)
		return 0;
	dns_cache_hit(e);
	return (uint32_t)e->rr[0].rd.a[0] << 24 |
	    (uint32_t)e->rr[0].rd.a[1] << 16 |
	    (uint32_t)e->rr[0].rd.a[2] << 8 | e->rr[0].rd.a[3];
}

/* An A record's address, host order. */
static uint32_t
a_addr(const struct dns_rr *rr)
{
	return (uint32_t)rr->rd.a[0] << 24 | (uint32_t)rr->rd.a[1] << 16 |
	    (uint32_t)rr->rd.a[2] << 8 | rr->rd.a[3];
}

/* The servers of a referral in m (the NS of the first owner in
 * AUTHORITY), with the glue of ADDITIONAL or addresses from the cache.
 * 0 if m has no NS. */
static int
servers_from_msg(struct dns_task *t, const struct dns_msg *m)
{
	const struct dns_rrs *au = &m->sec[DNS_S_AUTHORITY];
	const struct dns_rrs *ad = &m->sec[DNS_S_ADDITIONAL];
	const struct dns_rr *first = NULL;
	struct dns_nsset *ns = &t->ns;
	uint16_t i, k;

	for (i = 0; i < au->count && first == NULL; i++)
		if (au->rr[i].type == DNS_T_NS)
			first = &au->rr[i];
	if (first == NULL)
		return 0;
	memset(ns, 0, sizeof *ns);
	ns->zone = first->name;
	for (i = 0; i < au->count && ns->n < DNS_NSSET_MAX; i++) {
		struct dns_nsrv *v = &ns->v[ns->n];

		if (au->rr[i].type != DNS_T_NS ||
		    !dns_name_eq(&au->rr[i].name, &ns->zone))
			continue;
		v->name = au->rr[i].rd.name;
		for (k = 0; k < ad->count && v->addr == 0; k++)
			if (ad->rr[k].type == DNS_T_A &&
			    dns_name_eq(&ad->rr[k].name, &v->name))
				v->addr = a_addr(&ad->rr[k]);
		ns->n++;
	}
	/* Addresses the referral lacks may be in the cache. */
	for (i = 0; i < ns->n; i++)
		if (ns->v[i].addr == 0)
			ns->v[i].addr = cached_addr(t->srv, &ns->v[i].name);
	return 1;
}

/* The servers of the closest zone above qname whose NS and addresses
 * are in the cache (RFC 1034 5.3.3 step 2). 0 if none below the root. */
static int
servers_from_cache(struct dns_task *t)
{
	struct dns_srv *s = t->srv;
	struct dns_cache_entry *e, *a;
	struct dns_nsset *ns = &t->ns;
	unsigned k;
	size_t i;

	if (s->cache == NULL)
		return 0;
	for (k = dns_zone_name_labels(&t->qname); k >= 1; k--) {
		struct dns_name z;
		size_t known = 0;

		dns_zone_name_suffix(&t->qname, k, &z);
		e = dns_cache_get(s->cache, &z, DNS_T_NS);
		if (e == NULL || e->negative)
			continue;
		for (i = 0; i < e->n; i++) {
			a = dns_cache_get(s->cache, &e->rr[i].rd.name,
			    DNS_T_A);
			if (a != NULL && !a->negative)
				known++;
		}
		if (known == 0)
			continue;
		dns_cache_hit(e);
		memset(ns, 0, sizeof *ns);
		ns->zone = z;
		for (i = 0; i < e->n && ns->n < DNS_NSSET_MAX; i++) {
			ns->v[ns->n].name = e->rr[i].rd.name;
			a = dns_cache_get(s->cache, &e->rr[i].rd.name,
			    DNS_T_A);
			if (a != NULL && !a->negative) {
				dns_cache_hit(a);
				ns->v[ns->n].addr = a_addr(&a->rr[0]);
			}
			ns->n++;
		}
		return 1;
	}
	return 0;
}

/* The root servers the node was given. */
static void
servers_from_hints(struct dns_task *t)
{
	struct dns_srv *s = t->srv;
	struct dns_nsset *ns = &t->ns;
	size_t i;

	memset(ns, 0, sizeof *ns);
	ns->zone.len = 1;
	for (i = 0; i < s->nhints && ns->n < DNS_NSSET_MAX; i++) {
		ns->v[ns->n].name.len = 1;
		ns->v[ns->n].addr = s->hints[i];
		ns->n++;
	}
}

/* Starts (again) from the cache or the closest servers known. */
static void
task_begin(struct dns_task *t)
{
	if (task_from_cache(t))
		return;
	if (!servers_from_cache(t))
		servers_from_hints(t);
	task_next(t);
}

void
dns_task_start(struct dns_task *t, const struct dns_msg *referral)
{
	if (referral == NULL) {
		task_begin(t);
		return;
	}
	if (task_from_cache(t))
		return;
	if (!servers_from_msg(t, referral) && !servers_from_cache(t))
		servers_from_hints(t);
	task_next(t);
}

/* No answer in time: a note, then the next server. */
static sim_time
task_timeout(struct sim *sim, void *arg)
{
	struct dns_task *t = arg;
	struct dns_srv *s = t->srv;
	char who[DNS_NAME_STRLEN + 32], dur[32];

	NL_UNUSED(sim);
	t->timer = 0;
	if (NL_NEVER(t->asked < 0))
		return SIM_DONE;
	dns_node_note(s->net, s->nd->id, "no answer from %s within %s",
	    dns_node_server_str(s->net, &t->ns.v[t->asked].name, t->to, who,
	    sizeof who), dns_node_dur_str(s->timeout, dur, sizeof dur));
	t->asked = -1;
	task_next(t);
	return SIM_DONE;
}

/* Asks server i of the set. */
static void
task_send(struct dns_task *t, size_t i)
{
	struct dns_srv *s = t->srv;
	struct dns_msg *q = dns_msg_new();
	struct dns_nsrv *v = &t->ns.v[i];

	if (q == NULL ||
	    dns_msg_add_question(q, &t->qname, t->qtype, DNS_C_IN) != NL_OK) {
		dns_msg_free(q);
		task_finish(t, DNS_R_SERVFAIL);
		return;
	}
	t->asked = -1;
	q->hdr.id = dns_node_new_id(s);
	q->hdr.rd = (uint8_t)(s->mode == DNS_MODE_RECURSIVE);
	t->asked = (int)i;
	t->id = q->hdr.id;
	t->to = v->addr;
	v->tried = 1;
	t->sent++;
	t->timer = sim_schedule(net_sim(s->net), s->timeout, task_timeout, t);
	if (t->timer == 0 || dns_node_send(s->net, s->qsock, s->nd->id,
	    v->addr, DNS_PORT, q, TRACE_F_TO_SERVER) != NL_OK) {
		dns_msg_free(q);
		task_finish(t, DNS_R_SERVFAIL);
		return;
	}
	dns_msg_free(q);
}

/* A name server address a child task looked up. */
static void
child_done(struct dns_task *c, void *ctx)
{
	struct dns_task *t = ctx;
	const struct dns_rrs *an = &c->out->sec[DNS_S_ANSWER];
	int i = t->child_for;
	char nb[DNS_NAME_STRLEN];
	uint16_t k;

	t->child_for = -1;
	if (NL_NEVER(i < 0))
		return;
	for (k = 0; k < an->count; k++)
		if (an->rr[k].type == DNS_T_A && t->ns.v[i].addr == 0)
			t->ns.v[i].addr = a_addr(&an->rr[k]);
	if (t->ns.v[i].addr == 0)
		dns_node_note(t->srv->net, t->srv->nd->id, "no address found "
		    "for the name server %s", dns_name_str(&t->ns.v[i].name,
		    nb, sizeof nb));
	task_next(t);
}

/* Asks the next server of the set; when none is left, looks up a name
 * server's address, starts another round, or fails. */
static void
task_next(struct dns_task *t)
{
	struct dns_srv *s = t->srv;
	struct dns_nsset *ns = &t->ns;
	char nb[DNS_NAME_STRLEN];
	size_t i;
	int any;

	for (;;) {
		if (t->sent >= DNS_TASK_QUERIES) {
			task_fail(t, "too many queries");
			return;
		}
		for (i = 0; i < ns->n; i++) {
			if (ns->v[i].addr != 0 && !ns->v[i].tried) {
				task_send(t, i);
				return;
			}
		}
		for (i = 0; i < ns->n; i++) {
			struct dns_task *c;

			if (ns->v[i].addr != 0 || ns->v[i].looked)
				continue;
			ns->v[i].looked = 1;
			if (t->depth >= DNS_TASK_DEPTH)
				continue;
			dns_node_note(s->net, s->nd->id, "the referral gives no "
			    "address for the name server %s: looking it up "
			    "first", dns_name_str(&ns->v[i].name, nb,
			    sizeof nb));
			c = dns_task_new(s, &ns->v[i].name, DNS_T_A,
			    child_done, t);
			if (c == NULL) {
				task_finish(t, DNS_R_SERVFAIL);
				return;
			}
			c->parent = t;
			c->depth = t->depth + 1;
			t->child_for = (int)i;
			dns_task_start(c, NULL);
			return;
		}
		any = 0;
		for (i = 0; i < ns->n; i++)
			any |= ns->v[i].addr != 0;
		if (any && ns->round < s->retries) {
			ns->round++;
			for (i = 0; i < ns->n; i++)
				ns->v[i].tried = 0;
			continue;
		}
		task_fail(t, any ? "no name server answered" :
		    "no name server address known");
		return;
	}
}

/* Groups section sec of r into RRsets and caches those owned under the
 * zone of the server that sent them (its bailiwick, RFC 2181 5.4.1):
 * every set in ANSWER, the NS sets in AUTHORITY, and in ADDITIONAL the
 * addresses of NS and MX targets. */
static void
cache_section(struct dns_task *t, const struct dns_msg *r,
    enum dns_section sec)
{
	const struct dns_rrs *l = &r->sec[sec];
	struct dns_rr *set;
	uint16_t i, j, k;

	if (l->count == 0)
		return;
	set = nl_calloc(l->count, sizeof *set);
	if (set == NULL)
		return;
	for (i = 0; i < l->count; i++) {
		const struct dns_rr *rr = &l->rr[i];
		size_t n = 0;
		int seen = 0, wanted = 0;

		if (rr->class != DNS_C_IN ||
		    !dns_zone_name_under(&rr->name, &t->ns.zone))
			continue;
		for (j = 0; j < i && !seen; j++)
			seen = l->rr[j].type == rr->type &&
			    dns_name_eq(&l->rr[j].name, &rr->name);
		if (seen)
			continue;
		switch (sec) {
		case DNS_S_ANSWER:
			wanted = 1;
			break;
		case DNS_S_AUTHORITY:
			wanted = rr->type == DNS_T_NS;
			break;
		case DNS_S_ADDITIONAL:
			if (rr->type != DNS_T_A && rr->type != DNS_T_AAAA)
				break;
			for (k = 0; k < DNS_SECTION_COUNT - 1 && !wanted; k++)
				for (j = 0; j < r->sec[k].count && !wanted;
				    j++) {
					const struct dns_rr *o =
					    &r->sec[k].rr[j];

					wanted = (o->type == DNS_T_NS ||
					    o->type == DNS_T_MX) &&
					    dns_name_eq(dns_zone_rr_target(o),
					    &rr->name);
				}
			break;
		}
		if (!wanted)
			continue;
		for (j = i; j < l->count; j++)
			if (l->rr[j].type == rr->type &&
			    dns_name_eq(&l->rr[j].name, &rr->name))
				set[n++] = l->rr[j];
		(void)dns_cache_put(t->srv->cache, set, n);
	}
	nl_free(set);
}

/* The first record of that type in section sec, NULL. */
static const struct dns_rr *
first_of(const struct dns_msg *r, enum dns_section sec, uint16_t type)
{
	uint16_t i;

	for (i = 0; i < r->sec[sec].count; i++)
		if (r->sec[sec].rr[i].type == type)
			return &r->sec[sec].rr[i];
	return NULL;
}

/* What a server answered: follow the answer (and its CNAMEs), take a
 * negative answer, follow a referral, or try another server. */
static void
task_response(struct dns_task *t, const struct dns_msg *r)
{
	struct dns_srv *s = t->srv;
	const struct dns_rrs *an = &r->sec[DNS_S_ANSWER];
	const struct dns_rr *soa, *ns;
	struct dns_name cur = t->qname;
	char who[DNS_NAME_STRLEN + 32];
	const char *rc;
	unsigned hops = 0;
	int found = 0, i = t->asked;
	uint16_t k;

	t->asked = -1;
	who[0] = '\0';
	if (net_trace(s->net) != NULL)	/* only notes show it */
		dns_node_server_str(s->net, &t->ns.v[i].name, t->to, who,
		    sizeof who);
	if (r->hdr.tc || r->qdcount != 1 ||
	    !dns_name_eq(&r->qd[0].name, &t->qname) ||
	    r->qd[0].type != t->qtype ||
	    (r->hdr.rcode != DNS_R_NOERROR &&
	    r->hdr.rcode != DNS_R_NXDOMAIN)) {
		rc = dns_rcode_str((enum dns_rcode)r->hdr.rcode);
		dns_node_note(s->net, s->nd->id, "%s answered %s: trying "
		    "another server", who, r->hdr.tc ? "with a truncated "
		    "message" : r->hdr.rcode != DNS_R_NOERROR &&
		    r->hdr.rcode != DNS_R_NXDOMAIN && rc != NULL ? rc :
		    "another question");
		task_next(t);
		return;
	}
	if (s->cache != NULL) {
		cache_section(t, r, DNS_S_ANSWER);
		cache_section(t, r, DNS_S_AUTHORITY);
		cache_section(t, r, DNS_S_ADDITIONAL);
	}
	for (;;) {
		int got = 0, cn = -1;

		for (k = 0; k < an->count; k++) {
			const struct dns_rr *rr = &an->rr[k];

			if (!dns_name_eq(&rr->name, &cur))
				continue;
			if (rr->type == t->qtype || t->qtype == DNS_T_ANY) {
				if (dns_zone_msg_add(t->out, DNS_S_ANSWER, rr,
				    rr->ttl) != NL_OK) {
					task_finish(t, DNS_R_SERVFAIL);
					return;
				}
				got = 1;
			} else if (rr->type == DNS_T_CNAME && cn < 0) {
				cn = k;
			}
		}
		if (got) {
			found = 1;
			break;
		}
		if (cn < 0 || t->qtype == DNS_T_CNAME)
			break;
		if (in_chain(t, &an->rr[cn].rd.name)) {
			task_fail(t, "the CNAMEs form a loop");
			return;
		}
		if (dns_zone_msg_add(t->out, DNS_S_ANSWER, &an->rr[cn],
		    an->rr[cn].ttl) != NL_OK) {
			task_finish(t, DNS_R_SERVFAIL);
			return;
		}
		cur = an->rr[cn].rd.name;
		if (++hops > DNS_ZONE_CNAME_MAX) {
			task_fail(t, "too many CNAMEs");
			return;
		}
	}
	if (found) {
		(void)add_target_addrs(t, r);
		task_finish(t, DNS_R_NOERROR);
		return;
	}
	soa = first_of(r, DNS_S_AUTHORITY, DNS_T_SOA);
	ns = first_of(r, DNS_S_AUTHORITY, DNS_T_NS);
	if (r->hdr.rcode == DNS_R_NXDOMAIN || soa != NULL ||
	    (r->hdr.aa && ns == NULL && hops == 0)) {
		/* RFC 2308: NXDOMAIN, or NODATA (the name is there, not
		 * the type); cached under the last name of the chain. */
		int nx = r->hdr.rcode == DNS_R_NXDOMAIN;

		if (soa != NULL && s->cache != NULL &&
		    dns_zone_name_under(&cur, &t->ns.zone))
			(void)dns_cache_put_neg(s->cache, &cur, nx ?
			    DNS_T_ANY : t->qtype, soa);
		if (soa != NULL)
			(void)dns_zone_msg_add(t->out, DNS_S_AUTHORITY, soa,
			    dns_zone_soa_neg_ttl(soa));
		task_finish(t, nx ? DNS_R_NXDOMAIN : DNS_R_NOERROR);
		return;
	}
	if (hops > 0) {
		/* A CNAME out of the zone: start again from its target. */
		t->qname = cur;
		if (++t->restarts > DNS_TASK_RESTARTS) {
			task_fail(t, "too many CNAMEs");
			return;
		}
		task_begin(t);
		return;
	}
	if (ns != NULL && dns_zone_name_under(&ns->name, &t->ns.zone) &&
	    dns_zone_name_labels(&ns->name) >
	    dns_zone_name_labels(&t->ns.zone) &&
	    dns_zone_name_under(&t->qname, &ns->name)) {
		/* A referral one step down: ask the servers of that zone. */
		(void)servers_from_msg(t, r);
		task_next(t);
		return;
	}
	dns_node_note(s->net, s->nd->id, "%s gave neither an answer nor a "
	    "referral closer to the name: trying another server", who);
	task_next(t);
}

void
dns_res_recv(struct net_udp *sock, uint32_t src, uint16_t sport,
    const uint8_t *data, size_t len, void *ctx)
{
	struct dns_srv *s = ctx;
	struct dns_msg *r = NULL;
	struct dns_task *t;

	NL_UNUSED(sock);
	if (dns_msg_parse(data, len, &r, NULL) != NL_OK)
		return;		/* the timeout will try another server */
	if (!r->hdr.qr || sport != DNS_PORT)
		goto done;
	for (t = s->tasks; t != NULL; t = t->next)
		if (t->asked >= 0 && t->id == r->hdr.id && t->to == src)
			break;
	if (t == NULL)
		goto done;	/* late: the query timed out already */
	if (t->timer != 0) {
		(void)sim_cancel(net_sim(s->net), t->timer);
		t->timer = 0;
	}
	task_response(t, r);
done:
	dns_msg_free(r);
}
