/* net.h - the virtual network: nodes with IPv4 addresses, point-to-point
 * links (delay, bandwidth, drop-tail queue, loss, up/down), static routes
 * (shortest by delay), UDP sockets and TCP connections.
 *
 * A node owns its sockets (ns-3's Node holds devices and applications);
 * a link delivers its own copy of each datagram after serialisation plus
 * propagation delay and reports send, receive and drop to the trace (ns-3's
 * PointToPointChannel::TransmitStart). Every datagram is real IPv4 bytes. */
#ifndef NL_NET_H
#define NL_NET_H

#include <stddef.h>
#include <stdint.h>

#include "engine/sim.h"
#include "trace/trace.h"
#include "util/status.h"

#define NET_DEFAULT_DELAY (1 * SIM_MS)
#define NET_DEFAULT_BANDWIDTH 100000000ULL	/* 100 Mbit/s */
#define NET_DEFAULT_QUEUE 100			/* packets */

struct net;
struct net_udp;
struct net_tcp;

struct net_link_cfg {
	const char *name;	/* unique; NULL makes "a-b" from node names */
	sim_time delay;		/* propagation delay, ns, >= 0 */
	uint64_t bandwidth;	/* bits per second, > 0 */
	double loss;		/* probability 0..1 that a datagram is lost */
	uint32_t queue;		/* drop-tail limit: datagrams waiting or in
				 * transmission in one direction, >= 1 */
};

/* A network on engine s. Events go to trace t, which may be NULL (traces
 * off). Neither is owned. NULL when out of memory. */
struct net *net_new(struct sim *s, struct trace *t);
/* Frees every node, link, socket and datagram in flight. */
void net_free(struct net *n);
struct sim *net_sim(const struct net *n);
struct trace *net_trace(const struct net *n);

/* ---- Topology ---- */
/* Adds a node; `forwards` makes it a router (it forwards datagrams that
 * are not addressed to it). NL_EEXIST for a duplicate name. */
enum nl_status net_node_add(struct net *n, const char *name,
    const char *kind, int forwards, int32_t *id);
/* Gives the node an address (host order); the first is its primary one.
 * NL_EEXIST if any node has it already. */
enum nl_status net_node_addr_add(struct net *n, int32_t node, uint32_t addr);
/* Links nodes a and b. NL_EINVAL for a bad node, a == b, zero bandwidth,
 * zero queue or a loss outside 0..1. */
enum nl_status net_link_add(struct net *n, int32_t a, int32_t b,
    const struct net_link_cfg *cfg, int32_t *id);

size_t net_node_count(const struct net *n);
size_t net_link_count(const struct net *n);
/* -1 when there is no such node or link. */
int32_t net_node_find(const struct net *n, const char *name);
int32_t net_node_by_addr(const struct net *n, uint32_t addr);
int32_t net_link_find(const struct net *n, const char *name);
/* The primary address, 0 when the node has none. */
uint32_t net_node_addr(const struct net *n, int32_t node);
const char *net_node_name(const struct net *n, int32_t node);

/* Takes a link or a node down or up, with an event in the trace. A
 * datagram meeting a down link or node is dropped; a down node's sockets
 * stay open (they see nothing) unless its owner closes them. */
enum nl_status net_link_set_up(struct net *n, int32_t link, int up);
enum nl_status net_node_set_up(struct net *n, int32_t node, int up);
int net_link_is_up(const struct net *n, int32_t link);
/* The next `count` datagrams that node `from` puts on the link are lost
 * on the way, as if the loss draw had said so: a scenario loses exactly
 * the segment it wants to show a fast retransmit. NL_EINVAL if from is
 * not an end of the link. */
enum nl_status net_link_lose_next(struct net *n, int32_t link, int32_t from,
    uint32_t count);
int net_node_is_up(const struct net *n, int32_t node);

/* Called when a node goes down or comes up, so the services on it (in
 * nodes/) can crash or restart. One hook per node; NULL removes it. */
typedef void net_node_updown_fn(struct net *n, int32_t node, int up,
    void *ctx);
void net_node_on_updown(struct net *n, int32_t node, net_node_updown_fn *fn,
    void *ctx);

/* The next hop from `node` towards address dst: *link gets the link to
 * send on. NL_ENOROUTE when dst is unknown or unreachable. Routes are the
 * shortest paths by delay (ties: fewer hops, then lower link id), fixed
 * by the topology: a link that goes down is not routed around. */
enum nl_status net_route(struct net *n, int32_t node, uint32_t dst,
    int32_t *link);

/* ---- IP ---- */
/* Sends one datagram from node with the given protocol and payload; src
 * 0 means the node's primary address. The datagram gets a real IPv4
 * header (TTL 64, DF, a per-node id). NL_ENOROUTE (after a drop event)
 * when there is no route; NL_ELIMIT over 65535 bytes. */
enum nl_status net_ip_send(struct net *n, int32_t node, uint32_t src,
    uint32_t dst, uint8_t proto, const void *payload, size_t len);

/* ---- UDP ---- */
/* Called with each datagram for the socket's port; data is valid only
 * during the call. */
typedef void net_udp_recv_fn(struct net_udp *sock, uint32_t src,
    uint16_t sport, const uint8_t *data, size_t len, void *ctx);

/* Binds port on node (0 picks a free ephemeral port from 49152 up).
 * NL_EADDRINUSE if taken. The socket lives until net_udp_close. */
enum nl_status net_udp_bind(struct net *n, int32_t node, uint16_t port,
    net_udp_recv_fn *fn, void *ctx, struct net_udp **out);
enum nl_status net_udp_sendto(struct net_udp *sock, uint32_t dst,
    uint16_t dport, const void *data, size_t len);
uint16_t net_udp_port(const struct net_udp *sock);
int32_t net_udp_node(const struct net_udp *sock);
/* Unbinds and frees; NULL does nothing. */
void net_udp_close(struct net_udp *sock);

/* ---- TCP (RFC 9293; see net/tcp.c) ---- */
#define NET_TCP_STATE_MAP(X)                                               \
	X(CLOSED, "CLOSED")                                                \
	X(LISTEN, "LISTEN")                                                \
	X(SYN_SENT, "SYN-SENT")                                            \
	X(SYN_RCVD, "SYN-RECEIVED")                                        \
	X(ESTABLISHED, "ESTABLISHED")                                      \
	X(FIN_WAIT_1, "FIN-WAIT-1")                                        \
	X(FIN_WAIT_2, "FIN-WAIT-2")                                        \
	X(CLOSE_WAIT, "CLOSE-WAIT")                                        \
	X(CLOSING, "CLOSING")                                              \
	X(LAST_ACK, "LAST-ACK")                                            \
	X(TIME_WAIT, "TIME-WAIT")

enum net_tcp_state {
#define NET_TCP_STATE_ENUM(name, text) NET_TCP_##name,
	NET_TCP_STATE_MAP(NET_TCP_STATE_ENUM)
#undef NET_TCP_STATE_ENUM
	NET_TCP_STATE_COUNT_
};
const char *net_tcp_state_str(enum net_tcp_state st);

/* What a connection tells its owner. Every callback may be NULL. A
 * callback may call net_tcp_send/close/abort on the connection. */
struct net_tcp_cbs {
	/* Active open finished: NL_OK (ESTABLISHED), NL_ECONNREFUSED (RST
	 * received), NL_ETIMEDOUT (SYN retries exhausted) or NL_ENOROUTE.
	 * After a failure on_close follows. */
	void (*on_connect)(struct net_tcp *c, enum nl_status st, void *ctx);
	/* In-order bytes from the peer; valid only during the call. */
	void (*on_recv)(struct net_tcp *c, const uint8_t *data, size_t len,
	    void *ctx);
	/* The peer sent FIN: no more bytes will come. */
	void (*on_peer_fin)(struct net_tcp *c, void *ctx);
	/* The connection is gone (NL_OK after an orderly close, else
	 * NL_ECONNRESET, NL_ETIMEDOUT, NL_ECONNREFUSED). The handle is freed
	 * right after this returns; never use it again. */
	void (*on_close)(struct net_tcp *c, enum nl_status why, void *ctx);
};

/* Called for each new connection on a listener, when it is ESTABLISHED.
 * The acceptor sets the connection's callbacks with net_tcp_set_cbs. */
typedef void net_tcp_accept_fn(struct net_tcp *listener, struct net_tcp *c,
    void *ctx);

enum nl_status net_tcp_listen(struct net *n, int32_t node, uint16_t port,
    net_tcp_accept_fn *fn, void *ctx, struct net_tcp **out);
/* Opens a connection from node (ephemeral port from 49152 up) to
 * dst:dport. The SYN leaves at once; cbs->on_connect reports the end. */
enum nl_status net_tcp_connect(struct net *n, int32_t node, uint32_t dst,
    uint16_t dport, const struct net_tcp_cbs *cbs, void *ctx,
    struct net_tcp **out);
void net_tcp_set_cbs(struct net_tcp *c, const struct net_tcp_cbs *cbs,
    void *ctx);
/* Queues bytes to send (copied). NL_ESTATE after close or before the
 * connection is open from our side (SYN-SENT queues too). */
enum nl_status net_tcp_send(struct net_tcp *c, const void *data, size_t len);
/* Orderly close: FIN after everything queued is sent. On a listener:
 * stops listening and frees it at once (established connections stay). */
enum nl_status net_tcp_close(struct net_tcp *c);
/* Sends RST and frees the connection after on_close(NL_ECONNRESET). */
void net_tcp_abort(struct net_tcp *c);

enum net_tcp_state net_tcp_get_state(const struct net_tcp *c);
/* Unique id of the connection in this net (trace events' c), from 1. */
int64_t net_tcp_id(const struct net_tcp *c);
int32_t net_tcp_node(const struct net_tcp *c);
/* The node at the other end, -1 if unknown. */
int32_t net_tcp_peer_node(const struct net_tcp *c);
uint32_t net_tcp_local_addr(const struct net_tcp *c);
uint32_t net_tcp_remote_addr(const struct net_tcp *c);
uint16_t net_tcp_local_port(const struct net_tcp *c);
uint16_t net_tcp_remote_port(const struct net_tcp *c);
/* Bytes queued but not yet acknowledged by the peer. */
size_t net_tcp_unacked(const struct net_tcp *c);

/* TCP settings of a net, applied to connections opened afterwards. */
struct net_tcp_cfg {
	uint16_t mss;		/* maximum segment size, default 1460 */
	uint16_t rwnd;		/* receive window we advertise, 65535 */
	sim_time rto_init;	/* initial RTO, 1 s (RFC 6298 2.1) */
	sim_time rto_min;	/* lower bound, 200 ms */
	sim_time rto_max;	/* upper bound, 60 s */
	int syn_retries;	/* SYN retransmissions before giving up, 5 */
	int data_retries;	/* data retransmissions before giving up, 8 */
	sim_time msl;		/* maximum segment lifetime; TIME-WAIT 2 MSL,
				 * default 30 s */
};
void net_tcp_cfg_default(struct net_tcp_cfg *cfg);
void net_tcp_cfg_set(struct net *n, const struct net_tcp_cfg *cfg);

/* ---- Application events ---- */
/* Appends an event at the current virtual time to the net's trace (if
 * any): ev->t is set here; the rest is the caller's. Application glue in
 * nodes/ reports its messages (TRACE_APP) and state changes this way. */
enum nl_status net_trace_event(struct net *n, struct trace_event *ev);

#endif
