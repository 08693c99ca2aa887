/* node.c - node kinds and their ops tables, the services each node runs,
 * crash and restart on node down/up, and the trace helpers of nodes/. */
#include <stdio.h>
#include <string.h>

#include "nodes/node_int.h"
#include "util/alloc.h"
#include "util/nl.h"

/* ---- Kinds ---- */

/* Starts every service of the node; on a failure, stops those started
 * and returns the status. */
enum nl_status
node_generic_start(struct node *nd)
{
	enum nl_status st;
	size_t i;

	if (nd->running)
		return NL_OK;
	for (i = 0; i < nd->nsvc; i++) {
		st = nd->svc[i]->start(nd, &nd->svc_state[i]);
		if (st != NL_OK) {
			while (i-- > 0) {
				nd->svc[i]->stop(nd, nd->svc_state[i]);
				nd->svc_state[i] = NULL;
			}
			return st;
		}
	}
	nd->running = 1;
	return NL_OK;
}

void
node_generic_stop(struct node *nd)
{
	size_t i;

	if (!nd->running)
		return;
	for (i = 0; i < nd->nsvc; i++) {
		nd->svc[i]->stop(nd, nd->svc_state[i]);
		nd->svc_state[i] = NULL;
	}
	nd->running = 0;
}

/* Every kind runs the services its scenario lists. The DNS kinds also
 * serve port 53 (dns_auth.c: one implementation, their zones and
 * settings differ). Mail servers and user agents have their own
 * (mta.c, ua.c). */
static const struct node_ops kinds[] = {
	{ "host", 0, 1, node_generic_start, node_generic_stop },
	{ "router", 1, 0, node_generic_start, node_generic_stop },
	{ "user-agent", 0, 1, node_ua_start, node_ua_stop },
	{ "mail-server", 0, 1, node_mta_start, node_mta_stop },
	{ "browser", 0, 1, node_browser_start, node_browser_stop },
	{ "webmail", 0, 1, node_webmail_start, node_webmail_stop },
	{ "dns-root", 0, 1, node_dns_start, node_dns_stop },
	{ "dns-tld", 0, 1, node_dns_start, node_dns_stop },
	{ "dns-authoritative", 0, 1, node_dns_start, node_dns_stop },
	{ "dns-local", 0, 1, node_dns_start, node_dns_stop },
};

const struct node_ops *
node_ops_find(const char *kind)
{
	size_t i;

	for (i = 0; kind != NULL && i < NL_ARRAY_LEN(kinds); i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			return &kinds[i];
	return NULL;
}

const char *
node_kind_name(size_t i)
{
	return i < NL_ARRAY_LEN(kinds) ? kinds[i].kind : NULL;
}

/* ---- Services ---- */

static const struct node_svc_ops *const services[] = {
	&node_svc_tcp_echo,
	&node_svc_udp_echo,
	&node_svc_tcp_discard,
};

const struct node_svc_ops *
node_svc_find(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < NL_ARRAY_LEN(services); i++)
		if (strcmp(services[i]->name, name) == 0)
			return services[i];
	return NULL;
}

const char *
node_svc_name(size_t i)
{
	return i < NL_ARRAY_LEN(services) ? services[i]->name : NULL;
}

/* ---- The collection ---- */

struct nodes *
nodes_new(struct net *n)
{
	struct nodes *ns = nl_calloc(1, sizeof *ns);

	if (ns != NULL)
		ns->net = n;
	return ns;
}

static void
node_free(struct node *nd)
{
	if (nd == NULL)
		return;
	nl_free(nd->svc);
	nl_free(nd->svc_state);
	nl_free(nd);
}

void
nodes_free(struct nodes *ns)
{
	size_t i;

	if (ns == NULL)
		return;
	ns->freeing = 1;
	while (ns->clients != NULL)
		ns->clients->stop(ns->clients, 0);
	for (i = 0; i < ns->n; i++) {
		net_node_on_updown(ns->net, ns->v[i]->id, NULL, NULL);
		ns->v[i]->ops->stop(ns->v[i]);
		node_free(ns->v[i]);
	}
	nl_free(ns->v);
	nl_free(ns);
}

/* A node went down (a crash: its services and clients stop) or came
 * back (its services start again; clients do not come back). */
static void
on_updown(struct net *n, int32_t id, int up, void *ctx)
{
	struct node *nd = ctx;
	struct node_client *cl, *next;
	enum nl_status st;
	char text[160];

	if (up) {
		st = nd->ops->start(nd);
		if (st != NL_OK) {
			snprintf(text, sizeof text, "%s: services failed to "
			    "restart: %s", net_node_name(n, id),
			    nl_status_str(st));
			nodes_note(n, id, text);
		}
		return;
	}
	for (cl = nd->ns->clients; cl != NULL; cl = next) {
		next = cl->next;
		if (cl->node == id)
			cl->stop(cl, 1);
	}
	nd->ops->stop(nd);
}

enum nl_status
nodes_add(struct nodes *ns, int32_t id, const char *kind,
    const char *const *services_, size_t nservices)
{
	const struct node_ops *ops = node_ops_find(kind);
	struct node *nd;
	size_t i;

	if (ops == NULL)
		return NL_ENOTFOUND;
	for (i = 0; i < ns->n; i++)
		if (ns->v[i]->id == id)
			return NL_EEXIST;
	for (i = 0; i < nservices; i++)
		if (node_svc_find(services_[i]) == NULL)
			return NL_ENOTFOUND;
	if (ns->n == ns->cap) {
		size_t ncap = ns->cap ? ns->cap * 2 : 8;
		struct node **nv = nl_realloc(ns->v, ncap * sizeof *nv);

		if (nv == NULL)
			return NL_ENOMEM;
		ns->v = nv;
		ns->cap = ncap;
	}
	nd = nl_calloc(1, sizeof *nd);
	if (nd == NULL)
		return NL_ENOMEM;
	nd->ns = ns;
	nd->id = id;
	nd->ops = ops;
	nd->nsvc = nservices;
	nd->svc = nl_calloc(nservices, sizeof *nd->svc);
	nd->svc_state = nl_calloc(nservices, sizeof *nd->svc_state);
	if (nd->svc == NULL || nd->svc_state == NULL) {
		node_free(nd);
		return NL_ENOMEM;
	}
	for (i = 0; i < nservices; i++)
		nd->svc[i] = node_svc_find(services_[i]);
	ns->v[ns->n++] = nd;
	net_node_on_updown(ns->net, id, on_updown, nd);
	return NL_OK;
}

enum nl_status
nodes_start(struct nodes *ns)
{
	enum nl_status st;
	size_t i;

	for (i = 0; i < ns->n; i++) {
		st = ns->v[i]->ops->start(ns->v[i]);
		if (st != NL_OK)
			return st;
	}
	return NL_OK;
}

struct net *
node_net(const struct node *nd)
{
	return nd->ns->net;
}

int32_t
node_id(const struct node *nd)
{
	return nd->id;
}

const char *
node_name(const struct node *nd)
{
	return net_node_name(nd->ns->net, nd->id);
}

void
node_client_link(struct nodes *ns, struct node_client *cl)
{
	cl->prev = NULL;
	cl->next = ns->clients;
	if (ns->clients != NULL)
		ns->clients->prev = cl;
	ns->clients = cl;
}

void
node_client_unlink(struct nodes *ns, struct node_client *cl)
{
	if (cl->prev != NULL)
		cl->prev->next = cl->next;
	else if (ns->clients == cl)
		ns->clients = cl->next;
	if (cl->next != NULL)
		cl->next->prev = cl->prev;
	cl->next = cl->prev = NULL;
}

/* ---- Trace ---- */

void
node_event(struct net *n, enum trace_kind kind, int32_t node, int32_t peer,
    enum trace_proto proto, uint16_t flags, int64_t conn,
    const uint8_t *data, size_t len, const char *summary)
{
	struct trace_event ev;

	memset(&ev, 0, sizeof ev);
	ev.kind = (uint8_t)kind;
	ev.proto = (uint8_t)proto;
	ev.flags = flags;
	ev.node = node;
	ev.peer = peer;
	ev.link = -1;
	ev.c = conn;
	ev.summary = (char *)(uintptr_t)summary;
	ev.data = (uint8_t *)(uintptr_t)data;
	ev.len = (uint32_t)len;
	/* A trace that cannot grow loses the event, not the run. */
	(void)net_trace_event(n, &ev);
}

void
nodes_note(struct net *n, int32_t node, const char *text)
{
	node_event(n, TRACE_NOTE, node, -1, TRACE_P_NONE, 0, -1, NULL, 0,
	    text);
}

#define SUMMARY_MAX 120		/* characters of a line shown */
#define NODE_EVENT_MAX 4096	/* bytes of payload in one app event */

/* prefix + line as printable text: \t kept, other bytes as \xNN. */
static void
line_summary(char *buf, size_t size, const char *prefix,
    const uint8_t *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t o, i, shown = 0;

	o = (size_t)snprintf(buf, size, "%s", prefix);
	if (o >= size)
		return;
	for (i = 0; i < n && o + 8 < size; i++) {
		if (shown == SUMMARY_MAX) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		if ((p[i] >= 0x20 && p[i] < 0x7f) || p[i] == '\t') {
			buf[o++] = (char)p[i];
		} else {
			buf[o++] = '\\';
			buf[o++] = 'x';
			buf[o++] = hex[p[i] >> 4];
			buf[o++] = hex[p[i] & 15];
		}
		shown++;
	}
	buf[o] = '\0';
}

void
node_app_lines(struct net *n, int32_t node, int32_t peer,
    enum trace_proto proto, uint16_t flags, int64_t conn,
    const uint8_t *data, size_t len, const char *prefix)
{
	char summary[SUMMARY_MAX * 4 + 32];
	size_t start = 0, i;

	if (net_trace(n) == NULL)
		return;		/* traces off: no summaries to make */
	while (start < len) {
		size_t text_end, end;
		int lf;

		/* A line longer than NODE_EVENT_MAX goes in pieces: trace
		 * files hold at most 64 KiB per event. */
		for (i = start; i < len && data[i] != '\n' &&
		    i - start < NODE_EVENT_MAX; i++)
			;
		lf = i < len && data[i] == '\n';
		end = lf ? i + 1 : i;		/* past the LF */
		text_end = i;
		if (lf && text_end > start && data[text_end - 1] == '\r')
			text_end--;
		line_summary(summary, sizeof summary, prefix, data + start,
		    text_end - start);
		node_event(n, TRACE_APP, node, peer, proto, flags, conn,
		    data + start, end - start, summary);
		start = end;
	}
}
