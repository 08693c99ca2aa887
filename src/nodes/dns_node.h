/* dns_node.h - DNS on the nodes: root, TLD, authoritative and local
 * servers (one implementation, different zones and settings), the stub
 * resolver of hosts, and what a scenario's timeline does with them.
 *
 * Every DNS message is a TRACE_APP event (proto DNS) at its sender, with
 * the receiver as peer, the exact bytes sent as data and the codec's
 * brief form as summary; TRACE_F_TO_SERVER marks queries. Cache and zone
 * changes are TRACE_STATE events (see nodes/dns_cache.h). */
#ifndef NL_DNS_NODE_H
#define NL_DNS_NODE_H

#include <stddef.h>
#include <stdint.h>

#include "engine/sim.h"
#include "nodes/node.h"
#include "proto/dns/dns_msg.h"
#include "util/status.h"

#define DNS_PORT 53			/* RFC 1035 4.2.1 */
#define DNS_UDP_MAX 512			/* RFC 1035 2.3.4: larger is TC */
#define DNS_TIMEOUT_DEFAULT (2 * SIM_S)	/* a resolver's wait per query */
#define DNS_RETRIES_DEFAULT 1		/* more rounds over the servers */
#define DNS_STUB_TIMEOUT (5 * SIM_S)	/* a host's wait (resolv.conf) */
#define DNS_STUB_TRIES 2		/* a host's tries (resolv.conf) */

struct dns_zone;

/* How a resolving server asks other servers. */
enum dns_res_mode {
	DNS_MODE_ITERATED,	/* RD=0: it follows the referrals itself */
	DNS_MODE_RECURSIVE	/* RD=1: the next server asks for it */
};
/* "iterated", "recursive"; never NULL. */
const char *dns_res_mode_str(enum dns_res_mode m);

/* What a scenario says about one DNS server. */
struct node_dns_cfg {
	struct dns_zone **zones;	/* the zones it serves; the array and
					 * the zones pass to the node */
	size_t nzones;
	int recursion;		/* answers RD=1 questions outside its zones
				 * by asking other servers */
	enum dns_res_mode mode;	/* how it asks them */
	int cache;		/* keeps what it learns (RFC 2308 too) */
	sim_time timeout;	/* wait for one answer */
	unsigned retries;	/* rounds over a zone's servers after the
				 * first, before SERVFAIL */
	const uint32_t *hints;	/* root server addresses, copied */
	size_t nhints;
};

/* The defaults for a kind: a dns-local recurses, iterated, with a
 * cache; the others do not recurse (when told to, they ask the next
 * server recursively and keep no cache). */
void node_dns_cfg_default(struct node_dns_cfg *cfg, const char *kind);

/* Configures DNS node `id` (added with a dns-* kind, not started yet):
 * takes cfg->zones (freed on failure too) and puts each zone's records
 * in the trace (a zone-load event). NL_ENOTFOUND if id is no DNS node. */
enum nl_status nodes_dns_server(struct nodes *ns, int32_t id,
    struct node_dns_cfg *cfg);
/* Tells node `id` the address of its local DNS server. */
enum nl_status nodes_dns_client(struct nodes *ns, int32_t id,
    uint32_t server);

/* ---- Clients ---- */

/* The end of a lookup: NL_OK with the server's response (valid during
 * the call), or NL_ETIMEDOUT (no answer after DNS_STUB_TRIES) with
 * NULL, or NL_ECLOSED when the node went down. */
typedef void node_dns_cb(void *ctx, enum nl_status st,
    const struct dns_msg *resp);

/* The stub resolver of node `from` asks its local server (RD=1) for
 * (name, type) and calls cb once. NL_ENOTFOUND (after a note) when the
 * node has no local server; a node that is down gets a note and no
 * call. */
enum nl_status node_dns_query(struct nodes *ns, int32_t from,
    const struct dns_name *name, uint16_t type, node_dns_cb *cb,
    void *ctx);
/* The timeline's `resolve`: the same, and the answer is told in notes at
 * `from`, one per record, like the `host` command
 * ("gaia.cs.umass.edu has address 128.119.245.12"). */
enum nl_status node_dns_resolve(struct nodes *ns, int32_t from,
    const struct dns_name *name, uint16_t type);

/* ---- The timeline's changes ---- */

enum node_dns_op {
	NODE_DNS_ADD,		/* one more record */
	NODE_DNS_CHANGE,	/* this record replaces those of its name
				 * and type */
	NODE_DNS_DELETE		/* the records of its name and type go;
				 * with `match`, only the one like rr */
};

/* Changes a zone of server `node`: the one closest above rr's owner.
 * Each record added or removed is a state event; the SOA serial goes up.
 * A change the zone refuses (outside every zone, a CNAME beside other
 * data) is a note and NL_OK; NL_ENOTFOUND when node is no DNS server. */
enum nl_status node_dns_record(struct nodes *ns, int32_t node,
    enum node_dns_op op, const struct dns_rr *rr, int match);
/* Empties the cache of server `node` (a flush event). */
enum nl_status node_dns_cache_flush(struct nodes *ns, int32_t node);

#endif
