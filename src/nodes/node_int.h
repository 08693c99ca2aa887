/* node_int.h - what the files of nodes/ share; no other folder includes
 * it.
 *
 * Private Part: struct node and struct nodes, the list of running
 * clients (so a node going down can stop its own), and the helpers that
 * put application messages into the trace. */
#ifndef NL_NODE_INT_H
#define NL_NODE_INT_H

#include "nodes/node.h"
#include "trace/trace.h"

/* A client the timeline started; echo.c embeds it first in its own
 * structs. */
struct node_client {
	struct node_client *next, *prev;	/* in nodes.clients */
	int32_t node;			/* the node it runs on */
	/* Stops it at once and frees it. `crash`: the node went down
	 * (connections are aborted); else the world is being freed (the
	 * sockets are left to net_free, no packet is sent). */
	void (*stop)(struct node_client *cl, int crash);
};

struct node {
	struct nodes *ns;		/* the collection, not owned */
	int32_t id;			/* net node id */
	const struct node_ops *ops;	/* its kind */
	const struct node_svc_ops **svc;	/* services, owned array */
	void **svc_state;		/* per service, while running */
	size_t nsvc;
	int running;			/* services started */
	void *dns;			/* DNS kinds: struct dns_srv (zones,
					 * cache; nodes/dns_auth.c), owned */
	uint32_t dns_server;		/* its local DNS server, 0 if none */
	void *mail;			/* mail-server: struct mta (mta.c);
					 * user-agent: struct ua (ua.c); owned */
	void *web;			/* browser: struct browser (browser.c);
					 * webmail: struct webmail
					 * (webmail.c); owned */
};

struct nodes {
	struct net *net;		/* not owned */
	struct node **v;		/* nodes added, owned */
	size_t n, cap;
	struct node_client *clients;	/* running clients */
	int freeing;			/* nodes_free is running */
};

void node_client_link(struct nodes *ns, struct node_client *cl);
void node_client_unlink(struct nodes *ns, struct node_client *cl);

/* Appends one TRACE_APP event per line of data (a last line without
 * CRLF counts too): summary = prefix + the line made printable, event
 * data = the line's bytes with its CRLF. */
void node_app_lines(struct net *n, int32_t node, int32_t peer,
    enum trace_proto proto, uint16_t flags, int64_t conn,
    const uint8_t *data, size_t len, const char *prefix);
/* Appends one event of `kind` with the given summary and data. */
void node_event(struct net *n, enum trace_kind kind, int32_t node,
    int32_t peer, enum trace_proto proto, uint16_t flags, int64_t conn,
    const uint8_t *data, size_t len, const char *summary);

/* Starts and stops the services a scenario lists for the node: the
 * ops of kinds with nothing more to do, and a part of the others'. */
enum nl_status node_generic_start(struct node *nd);
void node_generic_stop(struct node *nd);

/* The ops of the DNS kinds (dns_auth.c): port 53 and the listed
 * services. Their state survives a crash but for the cache; at
 * nodes_free (ns->freeing) stop frees it. */
enum nl_status node_dns_start(struct node *nd);
void node_dns_stop(struct node *nd);

/* The ops of the mail kinds (mta.c, ua.c); like the DNS kinds, their
 * state survives a crash and stop frees it at nodes_free. */
enum nl_status node_mta_start(struct node *nd);
void node_mta_stop(struct node *nd);
enum nl_status node_ua_start(struct node *nd);
void node_ua_stop(struct node *nd);
/* The ops of the web kinds (browser.c, webmail.c); like the mail
 * kinds, their state survives a crash and stop frees it at nodes_free. */
enum nl_status node_browser_start(struct node *nd);
void node_browser_stop(struct node *nd);
enum nl_status node_webmail_start(struct node *nd);
void node_webmail_stop(struct node *nd);
/* The node `id` if it is of that kind, else NULL (mta.c). */
struct node *mail_node_find(struct nodes *ns, int32_t id, const char *kind);

/* The services of echo.c. */
extern const struct node_svc_ops node_svc_tcp_echo;
extern const struct node_svc_ops node_svc_udp_echo;
extern const struct node_svc_ops node_svc_tcp_discard;

#endif
