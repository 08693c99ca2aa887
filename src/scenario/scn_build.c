/* scn_build.c - pass 3 of scenario loading: a validated model becomes a
 * world on the engine. The net gets the nodes, their addresses and the
 * links (net/ copies them into the trace header); nodes/ gets each node's
 * kind and services; every timeline action is scheduled at its time with
 * its own copy of what it needs, so the model can be freed. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "net/net.h"
#include "nodes/dns_node.h"
#include "nodes/dns_zone.h"
#include "nodes/mail_node.h"
#include "nodes/node.h"
#include "proto/ip/ipv4.h"
#include "scenario/scn_int.h"
#include "util/alloc.h"
#include "util/nl.h"

struct scn_world {
	struct net *net;	/* owned */
	struct nodes *nodes;	/* owned: services and clients */
	struct sim *sim;	/* not owned */
	uint64_t *acts;		/* engine ids of the timeline actions */
	size_t nacts;
	sim_time last;		/* time of the last timeline action */
	struct scn_teach *teach;	/* captions, checkpoints; owned */
};

/* One timeline action, ready to run: ids resolved, strings copied. */
struct scn_act {
	struct scn_world *w;	/* the world it acts on */
	enum scn_action_kind kind;
	int32_t from;		/* client node */
	uint32_t dst;		/* server address */
	uint16_t port;
	uint64_t bytes;
	char **lines;		/* owned */
	size_t nlines;
	char *text;		/* owned */
	int32_t link;		/* link-down/up */
	int32_t node;		/* node-down/up, dns-record, cache-flush */
	struct dns_name name;	/* resolve */
	uint16_t qtype;		/* resolve */
	enum node_dns_op op;	/* dns-record */
	struct dns_rr rr;	/* dns-record: the record, owned */
	int match;		/* dns-record: rr has data */
	struct node_mail_send mail;	/* send-mail; strings below */
	char **rcpt, **cc;	/* send-mail, owned */
	char *subject, *body;	/* send-mail, owned */
	char *about;		/* reply-/forward-mail, owned */
	struct node_mail_att *att;	/* send-mail, strings owned */
	enum node_fetch_proto fetch;	/* fetch-mail: the protocol */
	int keep;			/* fetch-mail: leave mail on the server */
	char *move_to;			/* fetch-mail: IMAP folder, owned */
	struct scn_load *load;		/* resolve-load, mail-load; owned */
	char *caption;		/* shown as the action runs, owned */
	void *web;		/* browse (scn_web.c), owned */
};

/* A resolve-load or mail-load: one engine event that re-arms itself
 * `count` times, so a million lookups cost one pending event, not a
 * million scheduled actions. */
struct scn_load {
	uint64_t count;		/* actions in all */
	uint64_t done;		/* actions run so far */
	sim_time start, over;	/* the i-th runs at start + i * over / count */
	int32_t *from;		/* pool of node ids */
	size_t nfrom;
	char **from_dom;	/* mail-load: each sender's domain, owned */
	struct dns_name *names;	/* resolve-load: names by popularity */
	double *cdf;		/* resolve-load: Zipf cumulative weights */
	size_t nnames;
	uint16_t qtype;
	char **to;		/* mail-load: addresses, owned */
	size_t nto;
	char *subject, *body;	/* mail-load, owned */
};

static void
load_free(struct scn_load *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; l->from_dom != NULL && i < l->nfrom; i++)
		nl_free(l->from_dom[i]);
	for (i = 0; l->to != NULL && i < l->nto; i++)
		nl_free(l->to[i]);
	nl_free(l->from_dom);
	nl_free(l->to);
	nl_free(l->from);
	nl_free(l->names);
	nl_free(l->cdf);
	nl_free(l->subject);
	nl_free(l->body);
	nl_free(l);
}

/* The part after the '@' of an address ("" if none). */
static const char *
addr_domain(const char *addr)
{
	const char *at = strrchr(addr, '@');

	return at != NULL ? at + 1 : "";
}

static int
same_domain(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
	return *a == *b;
}

/* One action of a load; its choices come from the engine's seeded PRNG,
 * so the same seed draws the same workload. */
static enum nl_status
load_one(struct scn_act *a, struct sim *s)
{
	struct scn_load *l = a->load;
	size_t f = (size_t)sim_rand_below(s, l->nfrom), k;
	struct node_mail_send mail;
	const char *to;
	double u;
	size_t lo, hi;

	if (a->kind == SCN_ACT_RESOLVE_LOAD) {
		/* The first name whose cumulative weight exceeds u. */
		u = sim_rand_unit(s) * l->cdf[l->nnames - 1];
		lo = 0;
		hi = l->nnames - 1;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (l->cdf[mid] > u)
				hi = mid;
			else
				lo = mid + 1;
		}
		return node_dns_resolve(a->w->nodes, l->from[f], &l->names[lo],
		    l->qtype);
	}
	/* A recipient of another domain when there is one: a few draws
	 * suffice unless nearly every address shares the sender's. */
	to = l->to[sim_rand_below(s, l->nto)];
	for (k = 0; k < 8 && same_domain(addr_domain(to), l->from_dom[f]);
	    k++)
		to = l->to[sim_rand_below(s, l->nto)];
	memset(&mail, 0, sizeof mail);
	mail.to = &to;
	mail.nto = 1;
	mail.subject = l->subject;
	mail.body = l->body;
	return node_send_mail(a->w->nodes, l->from[f], &mail);
}

/* The next time of a load relative to now, or SIM_DONE. */
static sim_time
load_next(const struct scn_load *l, sim_time now)
{
	sim_time at;

	if (l->done >= l->count)
		return SIM_DONE;
	at = l->start + (sim_time)((double)l->over * (double)l->done /
	    (double)l->count);
	return at > now ? at - now : 0;
}

static void
act_free(void *arg)
{
	struct scn_act *a = arg;
	size_t i;

	if (a == NULL)
		return;
	load_free(a->load);
	scn_web_act_free(a->web);
	for (i = 0; i < a->nlines; i++)
		nl_free(a->lines[i]);
	nl_free(a->lines);
	nl_free(a->text);
	for (i = 0; a->rcpt != NULL && i < a->mail.nto; i++)
		nl_free(a->rcpt[i]);
	for (i = 0; a->cc != NULL && i < a->mail.ncc; i++)
		nl_free(a->cc[i]);
	nl_free(a->rcpt);
	nl_free(a->cc);
	nl_free(a->subject);
	nl_free(a->about);
	nl_free(a->move_to);
	nl_free(a->body);
	for (i = 0; a->att != NULL && i < a->mail.natt; i++) {
		nl_free((char *)(uintptr_t)a->att[i].name);
		nl_free((char *)(uintptr_t)a->att[i].type);
		nl_free((char *)(uintptr_t)a->att[i].text);
	}
	nl_free(a->att);
	nl_free(a->caption);
	dns_zone_rr_clear(&a->rr);
	nl_free(a);
}

static sim_time
act_run(struct sim *s, void *arg)
{
	struct scn_act *a = arg;
	struct net *n = a->w->net;
	enum nl_status st = NL_OK;

	NL_UNUSED(s);
	/* The caption introduces what the action is about to do. */
	if (a->caption != NULL) {
		nodes_note(n, -1, a->caption);
		nl_free(a->caption);	/* a load runs again: once is enough */
		a->caption = NULL;
	}
	switch (a->kind) {
	case SCN_ACT_TCP_ECHO:
		st = node_tcp_echo(a->w->nodes, a->from, a->dst, a->port,
		    (const char *const *)a->lines, a->nlines);
		break;
	case SCN_ACT_UDP_ECHO:
		st = node_udp_echo(a->w->nodes, a->from, a->dst, a->port,
		    a->text);
		break;
	case SCN_ACT_TCP_SEND:
		st = node_tcp_send(a->w->nodes, a->from, a->dst, a->port,
		    a->bytes);
		break;
	case SCN_ACT_LINK_DOWN:
	case SCN_ACT_LINK_UP:
		st = net_link_set_up(n, a->link, a->kind == SCN_ACT_LINK_UP);
		break;
	case SCN_ACT_NODE_DOWN:
	case SCN_ACT_NODE_UP:
		st = net_node_set_up(n, a->node, a->kind == SCN_ACT_NODE_UP);
		break;
	case SCN_ACT_NOTE:
		nodes_note(n, -1, a->text);
		break;
	case SCN_ACT_RESOLVE:
		st = node_dns_resolve(a->w->nodes, a->from, &a->name, a->qtype);
		break;
	case SCN_ACT_DNS_RECORD:
		st = node_dns_record(a->w->nodes, a->node, a->op, &a->rr,
		    a->match);
		break;
	case SCN_ACT_CACHE_FLUSH:
		st = node_dns_cache_flush(a->w->nodes, a->node);
		break;
	case SCN_ACT_SEND_MAIL:
	case SCN_ACT_REPLY_MAIL:
	case SCN_ACT_FORWARD_MAIL:
		st = node_send_mail(a->w->nodes, a->from, &a->mail);
		break;
	case SCN_ACT_FETCH_MAIL:
		st = node_fetch_mail(a->w->nodes, a->from, a->fetch, a->keep,
		    a->move_to);
		break;
	case SCN_ACT_RESOLVE_LOAD:
	case SCN_ACT_MAIL_LOAD:
		st = load_one(a, s);
		a->load->done++;
		break;
	case SCN_ACT_BROWSE:
		st = scn_web_act_run(a->w->nodes, a->from, a->web);
		break;
	case SCN_ACT_COUNT_:
		break;
	}
	if (st != NL_OK) {
		char text[128];

		snprintf(text, sizeof text, "timeline: %s failed: %s",
		    scn_action_str(a->kind), nl_status_str(st));
		nodes_note(n, -1, text);
	}
	return a->load != NULL ? load_next(a->load, sim_now(s)) : SIM_DONE;
}

static void
set_err(char *err, size_t errlen, const char *what, const char *name,
    enum nl_status st)
{
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "%s \"%s\": %s", what, name,
		    nl_status_str(st));
}

static char **
strv_dup(char *const *v, size_t n)
{
	char **d = nl_calloc(n ? n : 1, sizeof *d);
	size_t i;

	for (i = 0; d != NULL && i < n; i++)
		if ((d[i] = nl_strdup(v[i])) == NULL)
			break;
	if (d != NULL && i < n) {
		while (i-- > 0)
			nl_free(d[i]);
		nl_free(d);
		d = NULL;
	}
	return d;
}

/* The send-mail part of a: copies of the model's strings. */
static enum nl_status
act_mail(struct scn_act *a, const struct scn_action *ma)
{
	size_t i;

	a->rcpt = strv_dup(ma->rcpt, ma->nrcpt);
	if (a->rcpt == NULL)
		return NL_ENOMEM;
	a->mail.nto = ma->nrcpt;
	a->cc = strv_dup(ma->cc, ma->ncc);
	if (a->cc == NULL)
		return NL_ENOMEM;
	a->mail.ncc = ma->ncc;
	if (ma->subject != NULL &&
	    (a->subject = nl_strdup(ma->subject)) == NULL)
		return NL_ENOMEM;
	if (ma->body != NULL && (a->body = nl_strdup(ma->body)) == NULL)
		return NL_ENOMEM;
	if (ma->about != NULL && (a->about = nl_strdup(ma->about)) == NULL)
		return NL_ENOMEM;
	a->mail.about = a->about;
	a->mail.forward = ma->kind == SCN_ACT_FORWARD_MAIL;
	a->mail.to = (const char *const *)a->rcpt;
	a->mail.cc = (const char *const *)a->cc;
	a->mail.subject = a->subject;
	a->mail.body = a->body;
	a->mail.raw = ma->raw;
	if (ma->natt == 0)
		return NL_OK;
	a->att = nl_calloc(ma->natt, sizeof *a->att);
	if (a->att == NULL)
		return NL_ENOMEM;
	a->mail.att = a->att;
	for (i = 0; i < ma->natt; i++) {
		const struct scn_attach *sa = &ma->att[i];

		a->mail.natt = i + 1;
		a->att[i].name = nl_strdup(sa->name ? sa->name : "");
		a->att[i].type = sa->type ? nl_strdup(sa->type) : NULL;
		a->att[i].text = nl_strdup(sa->text ? sa->text : "");
		if (a->att[i].name == NULL || a->att[i].text == NULL ||
		    (sa->type != NULL && a->att[i].type == NULL))
			return NL_ENOMEM;
	}
	return NL_OK;
}

/* Zipf weights over n names: the k-th (from 1) weighs 1 / k^s. */
static double *
zipf_cdf(size_t n, double s)
{
	double *cdf = nl_alloc(n * sizeof *cdf), sum = 0;
	size_t k;

	for (k = 0; cdf != NULL && k < n; k++) {
		sum += s == 0 ? 1.0 : 1.0 / pow((double)(k + 1), s);
		cdf[k] = sum;
	}
	return cdf;
}

/* The run-time form of a resolve-load or mail-load; NL_ENOMEM. */
static enum nl_status
load_make(struct scn_act *a, const struct scn_model *m,
    const struct scn_action *ma)
{
	struct scn_load *l = nl_calloc(1, sizeof *l);
	char why[128];
	size_t i;

	if (l == NULL)
		return NL_ENOMEM;
	a->load = l;
	l->count = ma->count;
	l->start = ma->at;
	l->over = ma->over;
	l->nfrom = ma->npool;
	l->from = nl_calloc(ma->npool, sizeof *l->from);
	if (l->from == NULL)
		return NL_ENOMEM;
	for (i = 0; i < ma->npool; i++)
		l->from[i] = net_node_find(a->w->net, ma->pool[i]);
	if (ma->kind == SCN_ACT_RESOLVE_LOAD) {
		l->qtype = DNS_T_A;
		if (ma->qtype != NULL)
			(void)dns_zone_type_parse(ma->qtype, &l->qtype);
		l->nnames = ma->npicks;
		l->names = nl_calloc(ma->npicks, sizeof *l->names);
		l->cdf = zipf_cdf(ma->npicks, ma->zipf);
		if (l->names == NULL || l->cdf == NULL)
			return NL_ENOMEM;
		for (i = 0; i < ma->npicks; i++)
			(void)dns_zone_name_read(ma->picks[i], NULL,
			    &l->names[i], why, sizeof why);
		return NL_OK;
	}
	l->from_dom = nl_calloc(ma->npool, sizeof *l->from_dom);
	l->to = strv_dup(ma->picks, ma->npicks);
	if (l->from_dom == NULL || l->to == NULL)
		return NL_ENOMEM;
	l->nto = ma->npicks;
	for (i = 0; i < ma->npool; i++) {
		const struct scn_node *nd = scn_model_node(m, ma->pool[i]);

		l->from_dom[i] = nl_strdup(nd != NULL && nd->user != NULL ?
		    addr_domain(nd->user) : "");
		if (l->from_dom[i] == NULL)
			return NL_ENOMEM;
	}
	if (ma->subject != NULL &&
	    (l->subject = nl_strdup(ma->subject)) == NULL)
		return NL_ENOMEM;
	if (ma->body != NULL && (l->body = nl_strdup(ma->body)) == NULL)
		return NL_ENOMEM;
	return NL_OK;
}

/* The action as a struct scn_act; NULL when out of memory. */
static struct scn_act *
act_make(struct scn_world *w, const struct scn_model *m,
    const struct scn_action *ma)
{
	struct scn_act *a = nl_calloc(1, sizeof *a);
	char why[128];
	size_t i;

	if (a == NULL)
		return NULL;
	a->w = w;
	a->kind = ma->kind;
	a->from = a->link = a->node = -1;
	a->port = ma->port;
	a->bytes = ma->bytes;
	if (ma->from != NULL)
		a->from = net_node_find(w->net, ma->from);
	if (ma->to != NULL && ipv4_addr_parse(ma->to, &a->dst) != NL_OK)
		a->dst = net_node_addr(w->net, net_node_find(w->net, ma->to));
	if (ma->link != NULL)
		a->link = net_link_find(w->net, ma->link);
	if (ma->node != NULL)
		a->node = net_node_find(w->net, ma->node);
	if (ma->kind == SCN_ACT_RESOLVE) {
		a->qtype = DNS_T_A;
		if (ma->qtype != NULL)
			(void)dns_zone_type_parse(ma->qtype, &a->qtype);
		if (ma->name != NULL)
			(void)dns_zone_name_read(ma->name, NULL, &a->name, why,
			    sizeof why);
	}
	if (ma->kind == SCN_ACT_DNS_RECORD) {
		a->op = ma->op == NULL || strcmp(ma->op, "add") == 0 ?
		    NODE_DNS_ADD : strcmp(ma->op, "change") == 0 ?
		    NODE_DNS_CHANGE : NODE_DNS_DELETE;
		/* Validated: only memory can fail here. */
		if (scn_dns_action_rr(m, ma, &a->rr, &a->match) != NL_OK)
			goto fail;
	}
	if (ma->text != NULL && (a->text = nl_strdup(ma->text)) == NULL)
		goto fail;
	if (ma->caption != NULL &&
	    (a->caption = nl_strdup(ma->caption)) == NULL)
		goto fail;
	if ((ma->kind == SCN_ACT_SEND_MAIL || ma->kind == SCN_ACT_REPLY_MAIL ||
	    ma->kind == SCN_ACT_FORWARD_MAIL) && act_mail(a, ma) != NL_OK)
		goto fail;
	if ((ma->kind == SCN_ACT_RESOLVE_LOAD ||
	    ma->kind == SCN_ACT_MAIL_LOAD) && load_make(a, m, ma) != NL_OK)
		goto fail;
	if (ma->kind == SCN_ACT_BROWSE &&
	    (a->web = scn_web_act_new(ma)) == NULL)
		goto fail;
	if (ma->kind == SCN_ACT_FETCH_MAIL) {
		a->fetch = ma->protocol != NULL &&
		    strcmp(ma->protocol, "imap") == 0 ? NODE_FETCH_IMAP :
		    NODE_FETCH_POP3;
		a->keep = ma->keep >= 0;
		if (ma->move_to != NULL &&
		    (a->move_to = nl_strdup(ma->move_to)) == NULL)
			goto fail;
	}
	if (ma->nlines > 0) {
		a->lines = nl_calloc(ma->nlines, sizeof *a->lines);
		if (a->lines == NULL)
			goto fail;
		for (i = 0; i < ma->nlines; i++) {
			a->lines[i] = nl_strdup(ma->lines[i]);
			if (a->lines[i] == NULL)
				goto fail;
			a->nlines = i + 1;
		}
	}
	return a;
fail:
	act_free(a);
	return NULL;
}

static enum nl_status
build_topology(const struct scn_model *m, struct scn_world *w, char *err,
    size_t errlen)
{
	enum nl_status st;
	size_t i, k;

	for (i = 0; i < m->nnodes; i++) {
		const struct scn_node *nd = &m->nodes[i];
		const struct node_ops *ops = node_ops_find(nd->kind);
		int32_t id;

		if (NL_NEVER(ops == NULL)) {
			set_err(err, errlen, "node", nd->id, NL_ENOTFOUND);
			return NL_EINVAL;
		}
		st = net_node_add(w->net, nd->id, nd->kind, ops->forwards, &id);
		for (k = 0; st == NL_OK && k < nd->naddrs; k++)
			st = net_node_addr_add(w->net, id, nd->addrs[k]);
		if (st == NL_OK)
			st = nodes_add(w->nodes, id, nd->kind,
			    (const char *const *)nd->services, nd->nservices);
		if (st != NL_OK) {
			set_err(err, errlen, "node", nd->id, st);
			return st;
		}
	}
	for (i = 0; i < m->nlinks; i++) {
		const struct scn_link *l = &m->links[i];
		struct net_link_cfg cfg;
		int32_t id;

		cfg.name = l->id;
		cfg.delay = l->delay;
		cfg.bandwidth = l->bandwidth;
		cfg.loss = l->loss;
		cfg.queue = l->queue;
		st = net_link_add(w->net, net_node_find(w->net, l->a),
		    net_node_find(w->net, l->b), &cfg, &id);
		if (st != NL_OK) {
			set_err(err, errlen, "link", l->id, st);
			return st;
		}
	}
	return NL_OK;
}

/* The DNS servers get their zones and settings, the other nodes their
 * local DNS server. */
static enum nl_status
build_dns(const struct scn_model *m, struct scn_world *w, char *err,
    size_t errlen)
{
	enum nl_status st = NL_OK;
	uint32_t *hints, *roots;
	size_t i, j, k, nroots = 0;

	hints = nl_calloc(m->nnodes + 1, sizeof *hints);
	roots = nl_calloc(m->nnodes + 1, sizeof *roots);
	if (hints == NULL || roots == NULL) {
		nl_free(hints);
		nl_free(roots);
		set_err(err, errlen, "scenario", m->name, NL_ENOMEM);
		return NL_ENOMEM;
	}
	/* Every dns-root's address, once: the hints of each server that
	 * names none (a campus has a thousand servers). */
	for (j = 0; j < m->nnodes; j++)
		if (strcmp(m->nodes[j].kind, "dns-root") == 0 &&
		    m->nodes[j].naddrs > 0)
			roots[nroots++] = m->nodes[j].addrs[0];
	for (i = 0; i < m->nnodes && st == NL_OK; i++) {
		const struct scn_node *nd = &m->nodes[i];
		int32_t id = net_node_find(w->net, nd->id);
		struct node_dns_cfg cfg;

		if (!scn_is_dns_kind(nd->kind)) {
			if (nd->dns != NULL)
				st = nodes_dns_client(w->nodes, id,
				    net_node_addr(w->net,
				    net_node_find(w->net, nd->dns)));
			continue;
		}
		scn_dns_settings(nd, &cfg);
		/* Root hints: the file's, else every dns-root. */
		k = 0;
		for (j = 0; j < nd->nroot_hints; j++) {
			uint32_t a;

			if (ipv4_addr_parse(nd->root_hints[j], &a) != NL_OK)
				a = net_node_addr(w->net, net_node_find(w->net,
				    nd->root_hints[j]));
			if (a != 0)
				hints[k++] = a;
		}
		for (j = 0; !nd->hints_given && j < nroots; j++)
			hints[k++] = roots[j];
		cfg.hints = hints;
		cfg.nhints = k;
		st = scn_dns_zones(nd, &cfg.zones, &cfg.nzones);
		if (st == NL_OK)
			st = nodes_dns_server(w->nodes, id, &cfg);
		if (st != NL_OK)
			set_err(err, errlen, "node", nd->id, st);
	}
	nl_free(hints);
	nl_free(roots);
	return st;
}

enum nl_status
scn_build(const struct scn_model *m, struct sim *s, struct trace *t,
    struct scn_world **out, char *err, size_t errlen)
{
	struct scn_world *w;
	enum nl_status st;
	size_t i;

	*out = NULL;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	w = nl_calloc(1, sizeof *w);
	if (w == NULL)
		goto nomem;
	w->sim = s;
	w->acts = nl_calloc(m->nactions ? m->nactions : 1, sizeof *w->acts);
	if (w->acts == NULL)
		goto nomem;
	if (t != NULL && trace_set_meta(t, m->name,
	    m->meta.title != NULL ? m->meta.title : "", sim_seed(s)) != NL_OK)
		goto nomem;
	w->net = net_new(s, t);
	if (w->net == NULL)
		goto nomem;
	w->nodes = nodes_new(w->net);
	if (w->nodes == NULL)
		goto nomem;
	st = build_topology(m, w, err, errlen);
	if (st == NL_OK)
		st = build_dns(m, w, err, errlen);
	if (st == NL_OK) {
		st = scn_mail_build(m, w->nodes, w->net);
		if (st == NL_OK)
			st = scn_web_build(m, w->nodes, w->net);
		if (st != NL_OK)
			set_err(err, errlen, "mail", "servers", st);
	}
	if (st == NL_OK && t != NULL && scn_teach_new(m, t, &w->teach) !=
	    NL_OK)
		goto nomem;
	if (st != NL_OK)
		goto fail;
	st = nodes_start(w->nodes);
	if (st != NL_OK) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "starting the services: %s",
			    nl_status_str(st));
		goto fail;
	}
	for (i = 0; i < m->nactions; i++) {
		struct scn_act *a = act_make(w, m, &m->actions[i]);

		if (a == NULL)
			goto nomem;
		/* On failure the finalizer has freed a already. */
		w->acts[i] = sim_schedule_at(s, m->actions[i].at, act_run, a,
		    act_free);
		if (w->acts[i] == 0)
			goto nomem;
		w->nacts = i + 1;
		if (m->actions[i].at + m->actions[i].over > w->last)
			w->last = m->actions[i].at + m->actions[i].over;
	}
	*out = w;
	return NL_OK;
nomem:
	st = NL_ENOMEM;
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "building the network: %s",
		    nl_status_str(st));
fail:
	scn_world_free(w);
	return st;
}

void
scn_world_free(struct scn_world *w)
{
	size_t i;

	if (w == NULL)
		return;
	/* Actions not yet run would act on a world that is gone. */
	for (i = 0; i < w->nacts; i++)
		(void)sim_cancel(w->sim, w->acts[i]);
	nl_free(w->acts);
	scn_teach_free(w->teach);
	nodes_free(w->nodes);
	net_free(w->net);
	nl_free(w);
}

struct net *
scn_world_net(const struct scn_world *w)
{
	return w->net;
}

sim_time
scn_world_last_action(const struct scn_world *w)
{
	return w->last;
}

size_t
scn_world_unmatched(const struct scn_world *w, char *buf, size_t size)
{
	return scn_teach_unmatched(w->teach, buf, size);
}
