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

static void
check_nodes(struct scn_model *m, struct scn_errors *e)
{
	char path[SCN_PATH_MAX], prev[SCN_PATH_MAX], buf[IPV4_ADDR_STRLEN];
	size_t i, j, k, l;

	for (i = 0; i < m->nnodes; i++) {
		const struct scn_node *nd = &m->nodes[i];
		const struct node_ops *ops;

		if (nd->id != NULL) {
			for (j = 0; j < i; j++)
				if (m->nodes[j].id != NULL &&
				    strcmp(m->nodes[j].id, nd->id) == 0)
					break;
			if (j < i)
				scn_err(e, node_path(path, sizeof path, nd,
				    "id"), "duplicate node id \"%s\" (also "
				    "$.nodes[%zu])", nd->id, m->nodes[j].index);
		}
		ops = nd->kind != NULL ? node_ops_find(nd->kind) : NULL;
		if (ops != NULL && ops->needs_addr && !nd->addr_given)
			scn_err(e, node_path(path, sizeof path, nd, NULL),
			    "a %s needs an \"address\"", nd->kind);
		/* Each address once in the whole network. */
		for (k = 0; k < nd->naddrs; k++) {
			const struct scn_node *other = NULL;
			size_t at = 0;

			for (j = 0; j <= i && other == NULL; j++) {
				const struct scn_node *o = &m->nodes[j];
				size_t end = j == i ? k : o->naddrs;

				for (l = 0; l < end; l++) {
					if (o->addrs[l] == nd->addrs[k]) {
						other = o;
						at = l;
						break;
					}
				}
			}
			if (other == NULL)
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
}

/* Links: ends exist and differ; ids (given or made) are unique. */
static enum nl_status
check_links(struct scn_model *m, struct scn_errors *e)
{
	char path[SCN_PATH_MAX], other[SCN_PATH_MAX];
	size_t i, j;

	for (i = 0; i < m->nlinks; i++) {
		struct scn_link *l = &m->links[i];
		int ends_ok = 1;

		if (l->a != NULL && scn_model_node(m, l->a) == NULL) {
			no_node(m, e, link_path(path, sizeof path, l, "a"),
			    l->a);
			ends_ok = 0;
		}
		if (l->b != NULL && scn_model_node(m, l->b) == NULL) {
			no_node(m, e, link_path(path, sizeof path, l, "b"),
			    l->b);
			ends_ok = 0;
		}
		if (l->a != NULL && l->b != NULL && strcmp(l->a, l->b) == 0) {
			scn_err(e, link_path(path, sizeof path, l, NULL),
			    "a link cannot join node \"%s\" to itself", l->a);
			ends_ok = 0;
		}
		if (!l->id_given && l->a != NULL && l->b != NULL && ends_ok) {
			size_t n = strlen(l->a) + strlen(l->b) + 2;

			l->id = nl_alloc(n);
			if (l->id == NULL)
				return NL_ENOMEM;
			snprintf(l->id, n, "%s-%s", l->a, l->b);
		}
		if (l->id == NULL)
			continue;
		for (j = 0; j < i; j++)
			if (m->links[j].id != NULL &&
			    strcmp(m->links[j].id, l->id) == 0)
				break;
		if (j == i)
			continue;
		link_path(other, sizeof other, &m->links[j], NULL);
		if (l->id_given)
			scn_err(e, link_path(path, sizeof path, l, "id"),
			    "duplicate link id \"%s\" (also %s)", l->id, other);
		else
			scn_err(e, link_path(path, sizeof path, l, NULL),
			    "this link gets the id \"%s\" like %s; give one "
			    "of them an \"id\"", l->id, other);
	}
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
	case SCN_ACT_SEND_MAIL:		/* scn_mail.c */
	case SCN_ACT_FETCH_MAIL:
	case SCN_ACT_NOTE:
	case SCN_ACT_COUNT_:
		break;
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

	check_nodes(m, e);
	st = check_links(m, e);
	if (st != NL_OK)
		return st;
	for (i = 0; i < m->nactions; i++)
		check_action(m, e, &m->actions[i]);
	scn_dns_validate(m, e);
	scn_mail_validate(m, e);
	if (m->nactions > 1)
		qsort(m->actions, m->nactions, sizeof *m->actions,
		    action_cmp);
	return NL_OK;
}
