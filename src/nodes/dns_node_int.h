/* dns_node_int.h - what the DNS files of nodes/ share; no other folder
 * includes it.
 *
 * Private Part: the state of one DNS server (struct dns_srv: zones and
 * settings that survive a crash, sockets, cache and resolutions that do
 * not), the resolution tasks of dns_resolver.c, and the helpers that put
 * DNS messages on the wire and in the trace. */
#ifndef NL_DNS_NODE_INT_H
#define NL_DNS_NODE_INT_H

#include "nodes/dns_cache.h"
#include "nodes/dns_node.h"
#include "nodes/dns_zone.h"
#include "nodes/node_int.h"
#include "util/pool.h"

#define DNS_NSSET_MAX 13	/* servers kept for one zone (the root's 13) */
#define DNS_TASK_DEPTH 4	/* nested lookups of name server addresses */
#define DNS_TASK_QUERIES 40	/* queries one resolution may send */
#define DNS_TASK_RESTARTS 8	/* CNAMEs one resolution may follow */

struct dns_task;
struct dns_waiter;

/* One name server of a zone, as a resolver knows it. */
struct dns_nsrv {
	struct dns_name name;	/* its name; the root for a bare hint */
	uint32_t addr;		/* its address, 0 while unknown */
	uint8_t tried;		/* asked in this round */
	uint8_t looked;		/* its address was looked up */
};

/* The servers of the closest zone known above the name being resolved. */
struct dns_nsset {
	struct dns_name zone;	/* the zone they serve (bailiwick) */
	struct dns_nsrv v[DNS_NSSET_MAX];
	size_t n;		/* servers in v */
	unsigned round;		/* rounds over them so far */
};

struct dns_srv {
	struct node *nd;		/* the node, not owned */
	struct net *net;		/* its net, not owned */
	/* What the scenario set; kept across crashes. */
	struct dns_zone **zones;	/* owned, with the array */
	size_t nzones;
	int recursion;			/* answers RD=1 for other zones */
	enum dns_res_mode mode;		/* how it asks other servers */
	int use_cache;			/* keeps a cache */
	sim_time timeout;		/* wait for one answer */
	unsigned retries;		/* more rounds over a zone's servers */
	uint32_t *hints;		/* root server addresses, owned */
	size_t nhints;
	/* What a crash loses. */
	int running;			/* port 53 is open */
	struct net_udp *sock;		/* port 53: questions come in */
	struct net_udp *qsock;		/* ephemeral: our own questions */
	struct dns_cache *cache;	/* NULL without use_cache */
	struct dns_task *tasks;		/* resolutions in progress */
	struct dns_waiter *waiters;	/* clients waiting for them */
	struct nl_pool task_pool;	/* spent tasks (4 KB each) */
};

/* A resolution ends: t->out holds the RCODE and the sections. */
typedef void dns_task_done_fn(struct dns_task *t, void *ctx);

/* One resolution of (qname, qtype) at a server (dns_resolver.c). */
struct dns_task {
	struct dns_task *next, *prev;	/* in srv->tasks */
	struct dns_srv *srv;		/* the server resolving */
	struct dns_task *parent;	/* waits for this one, or NULL */
	unsigned depth;			/* 0, or parent's + 1 */
	struct dns_name oname;		/* what was asked */
	uint16_t otype;
	struct dns_name qname;		/* what is asked now (after CNAMEs) */
	uint16_t qtype;
	struct dns_msg *out;		/* the answer being built, owned */
	struct dns_nsset ns;		/* whom to ask */
	int child_for;			/* ns.v index whose address a child
					 * task looks up, -1 */
	int asked;			/* ns.v index of the query in flight,
					 * -1 when none */
	uint16_t id;			/* its id */
	uint32_t to;			/* its destination */
	uint64_t timer;			/* its timeout, 0 when none */
	unsigned sent;			/* queries sent */
	unsigned restarts;		/* CNAMEs followed to other zones */
	dns_task_done_fn *done;		/* called once at the end */
	void *ctx;			/* its argument */
};

/* ---- dns_resolver.c ---- */

/* A resolution of (qname, qtype) that calls done(t, ctx) once when it
 * ends (t is freed after). NULL when out of memory. */
struct dns_task *dns_task_new(struct dns_srv *s, const struct dns_name *qname,
    uint16_t qtype, dns_task_done_fn *done, void *ctx);
/* Starts it: from the cache, else from the servers of `referral` (a
 * referral this server would give, NULL if none), else from the closest
 * zone in the cache, else from the root hints. May end (call done)
 * before returning. */
void dns_task_start(struct dns_task *t, const struct dns_msg *referral);
/* Frees every task of s without calling done (a crash). */
void dns_tasks_free(struct dns_srv *s);
/* The receive callback of s->qsock: answers to our questions. */
void dns_res_recv(struct net_udp *sock, uint32_t src, uint16_t sport,
    const uint8_t *data, size_t len, void *ctx);

/* ---- dns_auth.c ---- */

/* Writes m and sends it from sock (bound on node) to dst:port, with its
 * TRACE_APP event first (flags: TRACE_F_TO_SERVER for a question). A
 * response over DNS_UDP_MAX loses its ADDITIONAL section, then is
 * truncated (TC). Network errors are the trace's business: only
 * NL_ENOMEM is returned. */
enum nl_status dns_node_send(struct net *n, struct net_udp *sock,
    int32_t node, uint32_t dst, uint16_t port, const struct dns_msg *m,
    uint16_t flags);
/* A note at the server's node (printf-style). */
void dns_node_note(struct net *n, int32_t node, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* "dns.umass.edu (128.119.10.27)" for a server; the node's name when the
 * DNS name is unknown. Returns buf. */
char *dns_node_server_str(struct net *n, const struct dns_name *name,
    uint32_t addr, char *buf, size_t size);
/* The node of ns with net id `id`, NULL. */
struct node *dns_node_find(struct nodes *ns, int32_t id);
/* A query id no task of s uses yet, from the engine's PRNG. */
uint16_t dns_node_new_id(struct dns_srv *s);
/* A time as "2 s", "1.5 s", "200 ms" into buf. Returns buf. */
char *dns_node_dur_str(sim_time t, char *buf, size_t size);

#endif
