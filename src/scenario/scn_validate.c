/* scn_validate.c - pass 2 of scenario loading: the rules that need the
 * whole model. Unique node ids, link ids and addresses; every reference
 * (link ends, timeline nodes, links, addresses) names something that
 * exists; no link from a node to itself; nodes that must have an address
 * have one (the DNS rules are in scn_dns.c). Then unnamed links get their
 * "A-B" id and the timeline is sorted by time, stably. Elements pass 1
 * could not read are skipped, so one mistake is reported once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nodes/node.h"
#include "proto/ip/ipv4.h"
#include "scenario/scn_int.h"
#include "util/alloc.h"
#include "util/nl.h"

/* "$.nodes[2]" + ".address" style paths. */
static char *
node_path(char *buf, size_t size, const struct scn_node *nd,
    const char *field)
{
	snprintf(buf, size, "$.nodes[%zu]%s%s", nd->index, field ? "." : "",
	    field ? field : "");
	return buf;
}

static char *
addr_path(char *buf, size_t size, const struct scn_node *nd, size_t i)
{
	if (nd->addr_list)
		snprintf(buf, size, "$.nodes[%zu].addresses[%zu]", nd->index,
		    i);
	else
		snprintf(buf, size, "$.nodes[%zu].address", nd->index);
	return buf;
}

static char *
link_path(char *buf, size_t size, const struct scn_link *l,
    const char *field)
{
	snprintf(buf, size, "$.links[%zu]%s%s", l->index, field ? "." : "",
	    field ? field : "");
	return buf;
}

static char *
act_path(char *buf, size_t size, const struct scn_action *a,
    const char *field)
{
	snprintf(buf, size, "$.timeline[%zu]%s%s", a->index, field ? "." : "",
	    field ? field : "");
	return buf;
}

/* Reports "no node "x"" at path, with a suggestion among node ids. */
static void
no_node(const struct scn_model *m, struct scn_errors *e, const char *path,
    const char *id)
{
	const char *cands[64];
	const char *sugg;
	size_t i, k = 0;

	/* Suggest among the first few dozen ids: enough for any lab. */
	for (i = 0; i < m->nnodes && k < NL_ARRAY_LEN(cands) - 1; i++)
		if (m->nodes[i].id != NULL)
			cands[k++] = m->nodes[i].id;
	cands[k] = NULL;
	sugg = scn_suggest(id, cands);
	if (sugg != NULL)
		scn_err(e, path, "no node \"%s\"; did you mean \"%s\"?", id,
		    sugg);
	else
		scn_err(e, path, "no node \"%s\"", id);
}

/* Every address of the model, sorted by (address, node, position), so
 * that the first use of an address is found by binary search. */
struct addr_use {
	uint32_t addr;
	size_t node, k;		/* m->nodes[node].addrs[k] */
};

static int
addr_use_cmp(const void *pa, const void *pb)
{
	const struct addr_use *a = pa, *b = pb;

	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	if (a->node != b->node)
		return a->node < b->node ? -1 : 1;
	return a->k < b->k ? -1 : a->k > b->k;
}

/* The first use of addr in uses[0..n) (there is one). */
static const struct addr_use *
addr_first(const struct addr_use *uses, size_t n, uint32_t addr)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (uses[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return &uses[lo];
}

static enum nl_status
check_nodes(struct scn_model *m, struct scn_errors *e)
{
	char path[SCN_PATH_MAX], prev[SCN_PATH_MAX], buf[IPV4_ADDR_STRLEN];
	struct addr_use *uses;
	size_t i, k, n = 0;

	for (i = 0; i < m->nnodes; i++)
		n += m->nodes[i].naddrs;
	uses = nl_alloc((n ? n : 1) * sizeof *uses);
	if (uses == NULL)
		return NL_ENOMEM;
	n = 0;
	for (i = 0; i < m->nnodes; i++)
		for (k = 0; k < m->nodes[i].naddrs; k++) {
			uses[n].addr = m->nodes[i].addrs[k];
			uses[n].node = i;
			uses[n++].k = k;
		}
	qsort(uses, n, sizeof *uses, addr_use_cmp);
	for (i = 0; i < m->nnodes; i++) {
		const struct scn_node *nd = &m->nodes[i];
		const struct node_ops *ops;

		if (nd->id != NULL) {
			const struct scn_node *first = scn_model_node(m,
			    nd->id);

			if (first != nd)
				scn_err(e, node_path(path, sizeof path, nd,
				    "id"), "duplicate node id \"%s\" (also "
				    "$.nodes[%zu])", nd->id, first->index);
		}
		ops = nd->kind != NULL ? node_ops_find(nd->kind) : NULL;
		if (ops != NULL && ops->needs_addr && !nd->addr_given)
			scn_err(e, node_path(path, sizeof path, nd, NULL),
			    "a %s needs an \"address\"", nd->kind);
		/* Each address once in the whole network. */
		for (k = 0; k < nd->naddrs; k++) {
			const struct addr_use *u = addr_first(uses, n,
			    nd->addrs[k]);
			const struct scn_node *other = &m->nodes[u->node];
			size_t at = u->k;

			if (u->node == i && u->k == k)
				continue;
			ipv4_addr_str(nd->addrs[k], buf);
			if (other == nd)
				scn_err(e, addr_path(path, sizeof path, nd, k),
				    "address %s is listed twice", buf);
			else
				scn_err(e, addr_path(path, sizeof path, nd, k),
				    "address %s is already used by node "
				    "\"%s\" (%s)", buf,
				    other->id != NULL ? other->id : "?",
				    addr_path(prev, sizeof prev, other, at));
		}
	}
	nl_free(uses);
	return NL_OK;
}

static int
link_id_cmp(const void *pa, const void *pb)
{
	const struct scn_link *a = *(const struct scn_link *const *)pa;
	const struct scn_link *b = *(const struct scn_link *const *)pb;
	int c = strcmp(a->id, b->id);

	if (c != 0)
		return c;
	return a < b ? -1 : a > b;
}

/* The first link (in file order) with l's id, from the sorted index. */
static const struct scn_link *
link_first(struct scn_link *const *idx, size_t n, const struct scn_link *l)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(idx[mid]->id, l->id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return idx[lo];
}

/* Links: ends exist and differ; ids (given or made) are unique. The
 * ids of unnamed links are made first, so duplicates are found with a
 * sorted index (a campus has 10,000 links), then the errors are told in
 * file order. */
static enum nl_status
check_links(struct scn_model *m, struct scn_errors *e)
{
	char path[SCN_PATH_MAX], other[SCN_PATH_MAX];
	struct scn_link **idx;
	size_t i, n = 0;

	for (i = 0; i < m->nlinks; i++) {
		struct scn_link *l = &m->links[i];

		if (!l->id_given && l->a != NULL && l->b != NULL &&
		    scn_model_node(m, l->a) != NULL &&
		    scn_model_node(m, l->b) != NULL &&
		    strcmp(l->a, l->b) != 0) {
			size_t len = strlen(l->a) + strlen(l->b) + 2;

			l->id = nl_alloc(len);
			if (l->id == NULL)
				return NL_ENOMEM;
			snprintf(l->id, len, "%s-%s", l->a, l->b);
		}
	}
	idx = nl_alloc((m->nlinks ? m->nlinks : 1) * sizeof *idx);
	if (idx == NULL)
		return NL_ENOMEM;
	for (i = 0; i < m->nlinks; i++)
		if (m->links[i].id != NULL)
			idx[n++] = &m->links[i];
	qsort(idx, n, sizeof *idx, link_id_cmp);
	for (i = 0; i < m->nlinks; i++) {
		struct scn_link *l = &m->links[i];
		const struct scn_link *first;

		if (l->a != NULL && scn_model_node(m, l->a) == NULL)
			no_node(m, e, link_path(path, sizeof path, l, "a"),
			    l->a);
		if (l->b != NULL && scn_model_node(m, l->b) == NULL)
			no_node(m, e, link_path(path, sizeof path, l, "b"),
			    l->b);
		if (l->a != NULL && l->b != NULL && strcmp(l->a, l->b) == 0)
			scn_err(e, link_path(path, sizeof path, l, NULL),
			    "a link cannot join node \"%s\" to itself", l->a);
		if (l->id == NULL)
			continue;
		first = link_first(idx, n, l);
		if (first == l)
			continue;
		link_path(other, sizeof other, first, NULL);
		if (l->id_given)
			scn_err(e, link_path(path, sizeof path, l, "id"),
			    "duplicate link id \"%s\" (also %s)", l->id, other);
		else
			scn_err(e, link_path(path, sizeof path, l, NULL),
			    "this link gets the id \"%s\" like %s; give one "
			    "of them an \"id\"", l->id, other);
	}
	nl_free(idx);
	return NL_OK;
}

/* The node a timeline "from"/"to" names, or NULL after an error. */
static const struct scn_node *
endpoint(const struct scn_model *m, struct scn_errors *e,
    const struct scn_action *a, const char *field, const char *value,
    int may_be_addr)
{
	char path[SCN_PATH_MAX];
	const struct scn_node *nd;
	uint32_t addr;
	size_t i, k;

	act_path(path, sizeof path, a, field);
	if (may_be_addr && ipv4_addr_parse(value, &addr) == NL_OK) {
		for (i = 0; i < m->nnodes; i++)
			for (k = 0; k < m->nodes[i].naddrs; k++)
				if (m->nodes[i].addrs[k] == addr)
					return &m->nodes[i];
		scn_err(e, path, "no node has the address %s", value);
		return NULL;
	}
	nd = scn_model_node(m, value);
	if (nd == NULL) {
		no_node(m, e, path, value);
		return NULL;
	}
	/* A node whose addresses are missing or bad was reported already;
	 * only a kind that may lack one (a router) is news here. */
	if (nd->naddrs == 0 && (nd->addr_given || nd->kind == NULL ||
	    node_ops_find(nd->kind) == NULL ||
	    node_ops_find(nd->kind)->needs_addr))
		return NULL;
	if (nd->naddrs == 0) {
		scn_err(e, path, "node \"%s\" has no address to %s", value,
		    may_be_addr ? "reach it at" : "send from");
		return NULL;
	}
	return nd;
}

/* resolve-load, mail-load: lists that are there, nodes that exist. */
static void
check_load(const struct scn_model *m, struct scn_errors *e,
    const struct scn_action *a)
{
	char path[SCN_PATH_MAX];
	size_t i;

	if (a->npool == 0)
		scn_err(e, act_path(path, sizeof path, a, "from"), "expected "
		    "at least one node id");
	if (a->npicks == 0)
		scn_err(e, act_path(path, sizeof path, a,
		    a->kind == SCN_ACT_MAIL_LOAD ? "to" : "names"), "expected "
		    "at least one %s", a->kind == SCN_ACT_MAIL_LOAD ?
		    "address" : "name");
	for (i = 0; i < a->npool; i++)
		if (scn_model_node(m, a->pool[i]) == NULL) {
			snprintf(path, sizeof path, "$.timeline[%zu].from[%zu]",
			    a->index, i);
			no_node(m, e, path, a->pool[i]);
		}
}

static void
check_action(const struct scn_model *m, struct scn_errors *e,
    const struct scn_action *a)
{
	char path[SCN_PATH_MAX];
	const struct scn_node *from = NULL, *to = NULL;

	switch (a->kind) {
	case SCN_ACT_TCP_ECHO:
	case SCN_ACT_UDP_ECHO:
	case SCN_ACT_TCP_SEND:
		if (a->from != NULL)
			from = endpoint(m, e, a, "from", a->from, 0);
		if (a->to != NULL)
			to = endpoint(m, e, a, "to", a->to, 1);
		if (from != NULL && from == to)
			scn_err(e, act_path(path, sizeof path, a, "to"),
			    "\"from\" and \"to\" are the same node \"%s\"",
			    from->id);
		break;
	case SCN_ACT_LINK_DOWN:
	case SCN_ACT_LINK_UP:
		if (a->link != NULL && scn_model_link(m, a->link) == NULL) {
			const char *cands[64], *sugg;
			size_t i, k = 0;

			for (i = 0; i < m->nlinks &&
			    k < NL_ARRAY_LEN(cands) - 1; i++)
				if (m->links[i].id != NULL)
					cands[k++] = m->links[i].id;
			cands[k] = NULL;
			sugg = scn_suggest(a->link, cands);
			act_path(path, sizeof path, a, "link");
			if (sugg != NULL)
				scn_err(e, path, "no link \"%s\"; did you "
				    "mean \"%s\"?", a->link, sugg);
			else
				scn_err(e, path, "no link \"%s\" (a link "
				    "without an \"id\" is called \"A-B\" "
				    "after its ends)", a->link);
		}
		break;
	case SCN_ACT_NODE_DOWN:
	case SCN_ACT_NODE_UP:
	case SCN_ACT_DNS_RECORD:
	case SCN_ACT_CACHE_FLUSH:
		if (a->node != NULL && scn_model_node(m, a->node) == NULL)
			no_node(m, e, act_path(path, sizeof path, a, "node"),
			    a->node);
		break;
	case SCN_ACT_RESOLVE:
		/* What the node needs to resolve is scn_dns.c's. */
		if (a->from != NULL && scn_model_node(m, a->from) == NULL)
			no_node(m, e, act_path(path, sizeof path, a, "from"),
			    a->from);
		break;
	case SCN_ACT_RESOLVE_LOAD:	/* and scn_dns.c */
	case SCN_ACT_MAIL_LOAD:		/* and scn_mail.c */
		check_load(m, e, a);
		break;
	case SCN_ACT_SEND_MAIL:		/* scn_mail.c */
	case SCN_ACT_REPLY_MAIL:	/* scn_mail.c */
	case SCN_ACT_FORWARD_MAIL:	/* scn_mail.c */
	case SCN_ACT_FETCH_MAIL:
	case SCN_ACT_BROWSE:		/* scn_web.c */
	case SCN_ACT_NOTE:
	case SCN_ACT_COUNT_:
		break;
	}
}

/* A caption's or checkpoint's pattern names nodes that exist. */
static void
check_match(const struct scn_model *m, struct scn_errors *e,
    const struct scn_match *w, const char *base)
{
	char path[SCN_PATH_MAX];

	if (w->from != NULL && scn_model_node(m, w->from) == NULL) {
		snprintf(path, sizeof path, "%s.from", base);
		no_node(m, e, path, w->from);
	}
	if (w->to != NULL && scn_model_node(m, w->to) == NULL) {
		snprintf(path, sizeof path, "%s.to", base);
		no_node(m, e, path, w->to);
	}
	if (w->from != NULL && w->to != NULL && strcmp(w->from, w->to) == 0) {
		snprintf(path, sizeof path, "%s.to", base);
		scn_err(e, path, "\"from\" and \"to\" are the same node "
		    "\"%s\"; no event goes from a node to itself", w->to);
	}
}

/* Captions and checkpoints: their patterns, and each answer is one of
 * the choices. */
static void
check_teach(const struct scn_model *m, struct scn_errors *e)
{
	char path[SCN_PATH_MAX];
	size_t i;

	for (i = 0; i < m->ncaptions; i++) {
		snprintf(path, sizeof path, "$.captions[%zu].when",
		    m->captions[i].index);
		check_match(m, e, &m->captions[i].when, path);
	}
	for (i = 0; i < m->ncheckpoints; i++) {
		const struct scn_checkpoint *k = &m->checkpoints[i];

		snprintf(path, sizeof path, "$.checkpoints[%zu].before",
		    k->index);
		check_match(m, e, &k->before, path);
		if (k->answer_given && k->nchoices > 0 &&
		    k->answer >= k->nchoices) {
			snprintf(path, sizeof path, "$.checkpoints[%zu].answer",
			    k->index);
			scn_err(e, path, "expected the index of a choice, 0 to "
			    "%zu (0 is the first), found %u", k->nchoices - 1,
			    (unsigned)k->answer);
		}
	}
}

static int
action_cmp(const void *pa, const void *pb)
{
	const struct scn_action *a = pa, *b = pb;

	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	/* The file's order breaks ties: a stable sort. */
	return a->index < b->index ? -1 : a->index > b->index;
}

enum nl_status
scn_validate(struct scn_model *m, struct scn_errors *e)
{
	enum nl_status st;
	size_t i;

	st = scn_model_index(m);
	if (st == NL_OK)
		st = check_nodes(m, e);
	if (st != NL_OK)
		return st;
	st = check_links(m, e);
	if (st != NL_OK)
		return st;
	for (i = 0; i < m->nactions; i++)
		check_action(m, e, &m->actions[i]);
	check_teach(m, e);
	scn_dns_validate(m, e);
	scn_mail_validate(m, e);
	scn_web_validate(m, e);
	if (m->nactions > 1)
		qsort(m->actions, m->nactions, sizeof *m->actions,
		    action_cmp);
	return NL_OK;
}
