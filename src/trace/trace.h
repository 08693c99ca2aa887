/* trace.h - the event log every view reads.
 *
 * Producers (net/, nodes/) append flat records; views (transcript, trace
 * file, pcap, viewer) read them by index and never talk to the engine.
 * The header carries what a view needs from the scenario (nodes, links,
 * addresses, seed) so a trace file alone is enough to replay. */
#ifndef NL_TRACE_H
#define NL_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "engine/sim.h"
#include "util/status.h"

/* ORDER KIND: the names are written in trace files; never renumber. */
#define TRACE_KIND_MAP(X)                                                  \
	X(PKT_SEND, "pkt-send")   /* a node puts a datagram on a link */  \
	X(PKT_RECV, "pkt-recv")   /* a node takes it off the link */      \
	X(PKT_DROP, "pkt-drop")   /* a datagram is lost, a = reason */    \
	X(TCP_STATE, "tcp-state") /* a = old, b = new state, c = conn */  \
	X(APP, "app")             /* an application message */            \
	X(STATE, "state")         /* a node's state changed */            \
	X(NOTE, "note")           /* a caption or remark */               \
	X(LINK, "link")           /* a link went down (a=0) or up (a=1) */ \
	X(NODE, "node")           /* a node went down (a=0) or up (a=1) */ \
	X(CHECK, "checkpoint")    /* a question for the student */

enum trace_kind {
#define TRACE_KIND_ENUM(name, text) TRACE_##name,
	TRACE_KIND_MAP(TRACE_KIND_ENUM)
#undef TRACE_KIND_ENUM
	TRACE_KIND_COUNT_
};

/* ORDER PROTO: the names are written in trace files. */
#define TRACE_PROTO_MAP(X)                                                 \
	X(NONE, "-", "")                                                   \
	X(IP, "ip", "IP")                                                  \
	X(UDP, "udp", "UDP")                                               \
	X(TCP, "tcp", "TCP")                                               \
	X(ECHO, "echo", "ECHO")                                            \
	X(DISCARD, "discard", "DISCARD")                                   \
	X(DNS, "dns", "DNS")                                               \
	X(SMTP, "smtp", "SMTP")                                            \
	X(POP3, "pop3", "POP3")                                            \
	X(IMAP, "imap", "IMAP")                                            \
	X(HTTP, "http", "HTTP")                                            \
	X(MAIL, "mail", "MAIL")

enum trace_proto {
#define TRACE_PROTO_ENUM(name, text, label) TRACE_P_##name,
	TRACE_PROTO_MAP(TRACE_PROTO_ENUM)
#undef TRACE_PROTO_ENUM
	TRACE_PROTO_COUNT_
};

/* Why a datagram was dropped (TRACE_PKT_DROP's a). ORDER DROP. */
#define TRACE_DROP_MAP(X)                                                  \
	X(LOSS, "loss")                     /* the link's loss draw */    \
	X(QUEUE_FULL, "queue full")         /* drop-tail */               \
	X(LINK_DOWN, "link down")                                          \
	X(NODE_DOWN, "node down")                                          \
	X(NO_ROUTE, "no route")                                            \
	X(TTL, "TTL exceeded")                                             \
	X(PORT_UNREACHABLE, "port unreachable")                            \
	X(MALFORMED, "malformed")

enum trace_drop {
#define TRACE_DROP_ENUM(name, text) TRACE_DROP_##name,
	TRACE_DROP_MAP(TRACE_DROP_ENUM)
#undef TRACE_DROP_ENUM
	TRACE_DROP_COUNT_
};

/* What happened to a queued mail (a of a mail-queue state event).
 * ORDER MAILQ: the numbers are written in trace files. */
#define TRACE_MAILQ_MAP(X)                                                 \
	X(QUEUED, "queued")       /* accepted for a remote domain */      \
	X(ATTEMPT, "attempt")     /* a delivery attempt starts */         \
	X(DEFERRED, "deferred")   /* 4xx or unreachable: retry at c */    \
	X(DELIVERED, "delivered") /* the next server said 250 */          \
	X(BOUNCED, "bounced")     /* 5xx or too old: DSN to the sender */ \
	X(DONE, "done")           /* every recipient settled: removed */

enum trace_mailq {
#define TRACE_MAILQ_ENUM(name, text) TRACE_MAILQ_##name,
	TRACE_MAILQ_MAP(TRACE_MAILQ_ENUM)
#undef TRACE_MAILQ_ENUM
	TRACE_MAILQ_COUNT_
};

/* Flags of an event. */
#define TRACE_F_ORIGIN 0x1	/* pkt-send: this node built the datagram */
#define TRACE_F_TO_SERVER 0x2	/* app: sent by the client side */
#define TRACE_F_SHOW 0x4	/* tcp-state/state: worth a transcript line */

/*
 * One event. Meaning of a, b, c by kind:
 *   pkt-send   b = transmission start, c = arrival time at peer (ns)
 *   pkt-recv   a = seq of the matching pkt-send
 *   pkt-drop   a = enum trace_drop, b = seq of the pkt-send if any (-1)
 *   tcp-state  a = old, b = new enum net_tcp_state, c = connection id
 *   app        c = connection id (TCP) or -1
 *   link/node  a = 1 up, 0 down
 *   checkpoint a = index of the right choice (0-based), b = number of
 *              choices; summary = the question; data = UTF-8 lines
 *              joined by "\n": the choices, one per line, then one line
 *              with the explanation shown after the answer. It comes
 *              just before the event it asks about (same time).
 *   state, proto mail, mail queue (nodes/mta_queue.c):
 *              a = enum trace_mailq (below), b = queue id, c = next
 *              retry time (ns) for DEFERRED, else -1; peer = the remote
 *              mail server when known; data = the message for QUEUED.
 */
struct trace_event {
	uint64_t seq;		/* position in the log, from 0 */
	sim_time t;		/* virtual time, ns */
	uint8_t kind;		/* enum trace_kind */
	uint8_t proto;		/* enum trace_proto */
	uint16_t flags;		/* TRACE_F_* */
	int32_t node;		/* node the event happened at, -1 none */
	int32_t peer;		/* the other node, -1 none */
	int32_t link;		/* link involved, -1 none */
	int64_t a, b, c;	/* kind-specific parameters, see above */
	char *summary;		/* one-line text, never NULL in the log; in
				 * the log, the trace's (freed with it) */
	uint8_t *data;		/* payload bytes, NULL when len == 0; in the
				 * log, the trace's */
	uint32_t len;		/* payload length */
};

struct trace_node {
	char *name;		/* unique, as in the scenario ("crepes.fr") */
	char *kind;		/* "host", "router", "mail-server", ... */
	uint32_t *addrs;	/* IPv4 addresses, host order */
	size_t naddrs;		/* count of addrs */
};

struct trace_link {
	char *name;		/* unique ("crepes.fr-r1") */
	int32_t a, b;		/* node ids of the two ends */
	sim_time delay;		/* propagation delay, ns */
	uint64_t bandwidth;	/* bits per second */
	double loss;		/* loss probability 0..1 */
	uint32_t queue;		/* queue limit, packets */
};

struct trace;

struct trace *trace_new(void);
void trace_free(struct trace *t);

/* Header. Strings are copied. */
enum nl_status trace_set_meta(struct trace *t, const char *scenario,
    const char *title, uint64_t seed);
const char *trace_scenario(const struct trace *t);	/* "" if unset */
const char *trace_title(const struct trace *t);		/* "" if unset */
uint64_t trace_seed(const struct trace *t);

/* Adds a node; *id gets its index (0, 1, ...). */
enum nl_status trace_node_add(struct trace *t, const char *name,
    const char *kind, int32_t *id);
enum nl_status trace_node_addr_add(struct trace *t, int32_t node,
    uint32_t addr);
/* Adds a link, copying l (and l->name); *id gets its index. */
enum nl_status trace_link_add(struct trace *t, const struct trace_link *l,
    int32_t *id);
size_t trace_node_count(const struct trace *t);
size_t trace_link_count(const struct trace *t);
/* NULL when out of range. */
const struct trace_node *trace_node(const struct trace *t, int32_t id);
const struct trace_link *trace_link(const struct trace *t, int32_t id);
/* The node's name, or "-" when id is out of range (-1 included). */
const char *trace_node_name(const struct trace *t, int32_t id);

/* Appends a copy of ev (its summary and data/len are copied; ev->seq is
 * ignored and assigned). Times must not go backwards: NL_EINVAL if
 * ev->t is before the last event's time. *seq (optional) gets the new
 * event's seq. */
enum nl_status trace_append(struct trace *t, const struct trace_event *ev,
    uint64_t *seq);

/* A hook on appends, so that a layer above can place its own events
 * among those of a run (scenario captions and checkpoints do). The hook
 * is called twice for each event appended: with after = 0 before the
 * event is stored, when what the hook appends goes first; with after = 1
 * once it is stored, when what the hook appends follows it. ev is valid
 * only until the hook itself appends. Appends made from inside the hook
 * do not call it again. Events the hook appends must not be earlier than
 * ev->t. One hook per trace; fn NULL removes it. The cost of no hook is
 * one test per append. */
typedef void trace_hook_fn(void *arg, struct trace *t,
    const struct trace_event *ev, int after);
void trace_set_hook(struct trace *t, trace_hook_fn *fn, void *arg);

size_t trace_count(const struct trace *t);
/* The event at index i (== its seq), NULL past the end. The pointer is
 * valid until the next append. */
const struct trace_event *trace_at(const struct trace *t, size_t i);

/* 1 when x and y are the same event, every field and byte but seq. */
int trace_event_same(const struct trace_event *x,
    const struct trace_event *y);
/* 1 when a and b hold the same header (scenario, title, seed, nodes with
 * their addresses, links) and the same events in the same order: what a
 * trace file must give back, whichever way it was read. */
int trace_same(const struct trace *a, const struct trace *b);

/* Names for the enums above; never NULL ("?" for out of range). */
const char *trace_kind_str(enum trace_kind k);
const char *trace_proto_str(enum trace_proto p);	/* "smtp" */
const char *trace_proto_label(enum trace_proto p);	/* "SMTP" */
const char *trace_drop_str(enum trace_drop d);
const char *trace_mailq_str(enum trace_mailq q);	/* "deferred" */
/* Inverse lookups for readers; NL_ENOTFOUND for an unknown name. */
enum nl_status trace_kind_from_str(const char *s, enum trace_kind *out);
enum nl_status trace_proto_from_str(const char *s, enum trace_proto *out);

#endif
