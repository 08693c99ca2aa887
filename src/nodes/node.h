/* node.h - the application side of the nodes: one ops table per node
 * kind, the services a node can run, and the clients a scenario's
 * timeline drives (curl's Curl_protocol table, OpenSMTPD's backends).
 *
 * net/ moves datagrams; this layer owns the sockets of the services and
 * clients on each node and reports every application message to the
 * trace. When a node goes down its services and clients stop (a crash);
 * when it comes back its services start again. */
#ifndef NL_NODE_H
#define NL_NODE_H

#include <stddef.h>
#include <stdint.h>

#include "net/net.h"
#include "util/status.h"

#define NODE_ECHO_PORT 7	/* RFC 862 */
#define NODE_DISCARD_PORT 9	/* RFC 863 */

struct nodes;
struct node;

/* What differs between kinds of node. A kind that gains real behaviour
 * (a mail server, a DNS resolver) gets its own table. */
struct node_ops {
	const char *kind;	/* as in a scenario: "host", "router", ... */
	int forwards;		/* 1: forwards datagrams (a router) */
	int needs_addr;		/* 1: a scenario must give it an address */
	/* Brings the node's services up: at the start and on node-up. */
	enum nl_status (*start)(struct node *nd);
	/* Takes them down and aborts its clients: on node-down and free. */
	void (*stop)(struct node *nd);
};

/* The table for a kind, NULL if the kind is unknown. */
const struct node_ops *node_ops_find(const char *kind);
/* Kinds in a fixed order, for messages listing the valid ones; NULL
 * past the end. */
const char *node_kind_name(size_t i);

/* A service a node can run ("tcp-echo", "udp-echo", "tcp-discard"). */
struct node_svc_ops {
	const char *name;	/* as in a scenario */
	uint8_t ipproto;	/* IPV4_PROTO_TCP or _UDP */
	uint16_t port;		/* the well-known port it listens on */
	/* Opens the listening socket; *state gets what stop needs. */
	enum nl_status (*start)(struct node *nd, void **state);
	/* Closes it and every connection it accepted; frees state. */
	void (*stop)(struct node *nd, void *state);
};

const struct node_svc_ops *node_svc_find(const char *name);
/* Services in a fixed order; NULL past the end. */
const char *node_svc_name(size_t i);

/* ---- The nodes of one net ---- */
/* NULL if out of memory. n is not owned and must outlive the result. */
struct nodes *nodes_new(struct net *n);
/* Stops every node (closing all sockets) and frees; NULL does nothing. */
void nodes_free(struct nodes *ns);

/* Gives net node `id` its kind and services (names as in a scenario,
 * copied) and hooks its up/down. NL_ENOTFOUND for an unknown kind or
 * service, NL_EEXIST if the node was added already. */
enum nl_status nodes_add(struct nodes *ns, int32_t id, const char *kind,
    const char *const *services, size_t nservices);
/* Starts every node added. */
enum nl_status nodes_start(struct nodes *ns);

/* For ops and services: the node's net, id and name. */
struct net *node_net(const struct node *nd);
int32_t node_id(const struct node *nd);
const char *node_name(const struct node *nd);

/* ---- Clients the timeline drives (nodes/echo.c) ---- */
/* Connects from node `from` to dst:port, sends each line with CRLF and
 * waits for its echo before the next, closes after the last. */
enum nl_status node_tcp_echo(struct nodes *ns, int32_t from, uint32_t dst,
    uint16_t port, const char *const *lines, size_t nlines);
/* Sends one datagram with text to dst:port and waits for it to come back
 * (NODE_UDP_TIMEOUT). */
enum nl_status node_udp_echo(struct nodes *ns, int32_t from, uint32_t dst,
    uint16_t port, const char *text);
/* Connects to dst:port, queues `bytes` bytes of a fixed pattern, closes. */
enum nl_status node_tcp_send(struct nodes *ns, int32_t from, uint32_t dst,
    uint16_t port, uint64_t bytes);

#define NODE_UDP_TIMEOUT (2 * SIM_S)
#define NODE_SEND_MAX 10000000ULL	/* tcp-send cap, bytes */

/* A trace note at the current time (failures, captions); node may be -1.
 * The text is copied. */
void nodes_note(struct net *n, int32_t node, const char *text);

#endif
