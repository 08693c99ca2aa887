/* scn_model.h - a scenario as plain C data: what scn_json.c reads from a
 * file (pass 1), scn_validate.c checks (pass 2) and scn_build.c turns into
 * a world (pass 3). No cJSON type appears here.
 *
 * Every element remembers its position in the file (`index`) so that the
 * validator can name the JSON path of a mistake. New sections (DNS zones,
 * mail users, captions, checkpoints) are added as new arrays next to the
 * ones below, each with its reader in scn_json.c and its checks in
 * scn_validate.c. */
#ifndef NL_SCN_MODEL_H
#define NL_SCN_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "engine/sim.h"

#define SCN_VERSION 1			/* "netlab_scenario": 1 */
#define SCN_ID_MAX 63			/* longest node or link id */
#define SCN_DEFAULT_SEED 1

/* ORDER DIFFICULTY: scn_difficulty_str() follows it. */
enum scn_difficulty {
	SCN_DIFF_NONE,		/* not given */
	SCN_DIFF_INTRO,
	SCN_DIFF_INTERMEDIATE,
	SCN_DIFF_ADVANCED
};

struct scn_meta {
	char *title;		/* one line, owned; NULL when absent */
	char *summary;		/* a paragraph, owned; NULL when absent */
	char **goals;		/* "learning_goals", one line each, owned */
	size_t ngoals;
	enum scn_difficulty difficulty;
};

/* A pattern over trace events (captions' "when", checkpoints' "before"):
 * every field given must hold; the nth event that matches is the one. */
struct scn_match {
	int kind;		/* enum trace_kind, -1 any */
	int proto;		/* enum trace_proto, -1 any */
	char *from;		/* node id the event is at (sender), owned */
	char *to;		/* node id of its peer (receiver), owned */
	char *contains;		/* a substring of its summary, owned */
	uint32_t nth;		/* 1: the first match */
};

/* "captions": text shown at the start or right after an event. */
struct scn_caption {
	size_t index;		/* position in $.captions */
	int at_start;		/* 1: "at": "start", else `when` */
	struct scn_match when;
	char *text;		/* one line, owned */
};

/* "checkpoints": a question asked just before an event. */
struct scn_checkpoint {
	size_t index;		/* position in $.checkpoints */
	struct scn_match before;
	char *question;		/* owned */
	char **choices;		/* one line each, owned */
	size_t nchoices;
	uint32_t answer;	/* 0-based index into choices */
	int answer_given;	/* pass 2 checks it against nchoices */
	char *why;		/* the explanation, owned */
};

struct scn_layout {
	int set;		/* 1 when the file gave a layout */
	double x, y;		/* position hint for the viewer */
};

/* One record of a zone, as written; pass 2 reads the name and data
 * (nodes/dns_zone.h), pass 3 again to build the zone. */
struct scn_rr {
	size_t index;		/* position in its "records" */
	char *name;		/* owner: a full name or "@", owned */
	char *type;		/* "A", "NS", ... (nodes/dns_zone.h), owned */
	uint32_t ttl;		/* seconds */
	int ttl_given;		/* 0: the zone's "ttl" */
	char *data;		/* RDATA as text, owned; NULL if absent */
};

/* A zone's SOA (RFC 1035 3.3.13); what is not given has a default. */
struct scn_soa {
	char *mname;		/* primary server; NULL: the node's id */
	char *rname;		/* mailbox; NULL: hostmaster.ORIGIN */
	uint32_t serial;	/* 1 */
	uint32_t refresh;	/* 3600 */
	uint32_t retry;		/* 900 */
	uint32_t expire;	/* 604800 */
	uint32_t minimum;	/* 3600: the negative TTL (RFC 2308) */
	uint32_t ttl;		/* the zone's "ttl" unless given */
	int ttl_given;
};

struct scn_zone {
	size_t index;		/* position in the node's "zones" */
	char *origin;		/* "edu." or "." , owned */
	uint32_t ttl;		/* default TTL of its records, seconds */
	struct scn_soa soa;
	struct scn_rr *records;	/* owned */
	size_t nrecords;
};

/* "resolver" of a DNS server (nodes/dns_node.h); unset fields keep the
 * kind's defaults. */
struct scn_resolver {
	int given;		/* the file had "resolver" */
	int mode;		/* -1 unset, else enum dns_res_mode */
	int cache;		/* -1 unset, 0, 1 */
	sim_time timeout;	/* 0 unset */
	int retries;		/* -1 unset */
};

struct scn_node {
	size_t index;		/* position in $.nodes */
	char *id;		/* unique name ("crepes.fr"), owned; NULL if
				 * the file's value was unusable */
	char *kind;		/* "host", "router", ... (nodes/node.h) */
	uint32_t *addrs;	/* IPv4 addresses, host order, owned */
	size_t naddrs;
	int addr_given;		/* 1: the file had "address" or "addresses"
				 * (even an unusable one) */
	int addr_list;		/* 1: from "addresses", 0: from "address" */
	char **services;	/* "tcp-echo", ... (nodes/node.h), owned */
	size_t nservices;
	struct scn_layout layout;
	/* DNS (nodes/dns_node.h). */
	struct scn_zone *zones;	/* DNS servers: the zones served, owned */
	size_t nzones;
	int recursion;		/* -1 unset, 0, 1 */
	struct scn_resolver resolver;
	char **root_hints;	/* node ids or addresses, owned */
	size_t nroot_hints;
	int hints_given;	/* the file had "root_hints" */
	char *dns;		/* hosts: the local DNS server's id, owned */
	/* Mail (nodes/mail_node.h; scn_mail.c). */
	char *domain;		/* mail-server: "hamburger.edu", owned */
	char **users;		/* mail-server: local parts, owned */
	char **passwords;	/* per user, owned, NULL entries: none */
	size_t nusers;
	char **reply_names;	/* mail-server "replies": names, owned */
	char **reply_texts;	/* and their texts, owned */
	size_t nreplies;
	char *user;		/* user-agent: "alice@crepes.fr", owned */
	char *password;		/* user-agent, owned */
	char *server;		/* user-agent: its mail server's id, owned */
	char *helo;		/* user-agent: its HELO name, owned */
	uint16_t port;		/* user-agent: 25 or 587, 0: 25 */
	int queue_given;	/* mail-server: the file had "queue" */
	sim_time q_retry;	/* mail-server "queue": 0: the default */
	sim_time q_retry_max;
	sim_time q_lifetime;
	char *mail_server;	/* webmail: its mail server's id, owned
				 * (scn_web.c) */
};

struct scn_link {
	size_t index;		/* position in $.links */
	char *id;		/* unique name, owned; "A-B" when the file
				 * gave none (set by the validator) */
	int id_given;		/* 1 when the file named the link */
	char *a, *b;		/* node ids of the two ends, owned */
	sim_time delay;		/* propagation delay, ns */
	uint64_t bandwidth;	/* bit/s */
	double loss;		/* 0..1 */
	uint32_t queue;		/* drop-tail limit, datagrams */
};

/* An attachment of a send-mail. */
struct scn_attach {
	char *name;		/* file name, owned */
	char *type;		/* MIME type, owned; NULL: text/plain */
	char *text;		/* content, owned */
};

/* ORDER ACTION: scn_action_str() and the table in scn_json.c follow it. */
enum scn_action_kind {
	SCN_ACT_TCP_ECHO,	/* lines to an RFC 862 server over TCP */
	SCN_ACT_UDP_ECHO,	/* one datagram to an RFC 862 server */
	SCN_ACT_TCP_SEND,	/* N bytes to a port, then close */
	SCN_ACT_LINK_DOWN,
	SCN_ACT_LINK_UP,
	SCN_ACT_NODE_DOWN,
	SCN_ACT_NODE_UP,
	SCN_ACT_NOTE,		/* a caption in the transcript */
	SCN_ACT_RESOLVE,	/* a host looks a name up */
	SCN_ACT_DNS_RECORD,	/* a zone changes */
	SCN_ACT_CACHE_FLUSH,	/* a DNS cache is emptied */
	SCN_ACT_SEND_MAIL,	/* a user agent sends a message */
	SCN_ACT_FETCH_MAIL,	/* a user agent fetches its mail */
	SCN_ACT_RESOLVE_LOAD,	/* many resolves, drawn at run time */
	SCN_ACT_MAIL_LOAD,	/* many send-mails, drawn at run time */
	SCN_ACT_BROWSE,		/* a browser opens, clicks or submits */
	SCN_ACT_REPLY_MAIL,	/* a user agent answers a message it got */
	SCN_ACT_FORWARD_MAIL,	/* a user agent passes one on */
	SCN_ACT_COUNT_
};

struct scn_action {
	size_t index;		/* position in $.timeline (before sorting) */
	sim_time at;		/* when, from the start of the run */
	enum scn_action_kind kind;
	char *from;		/* client node id, owned, or NULL */
	char *to;		/* server node id or dotted quad, or NULL */
	uint16_t port;		/* server port (defaults per action) */
	uint64_t bytes;		/* tcp-send: how many */
	char **lines;		/* tcp-echo: lines without CRLF, owned */
	size_t nlines;
	char *text;		/* udp-echo payload, note text; owned */
	char *link;		/* link-down/up: link id, owned */
	char *node;		/* node-down/up, dns-record, cache-flush:
				 * node id, owned */
	char *name;		/* resolve: the name, owned */
	char *qtype;		/* resolve: "A", "MX", ... owned */
	char *op;		/* dns-record: "add", "change", "delete" */
	struct scn_rr *record;	/* dns-record: the record, owned */
	char **rcpt;		/* send-mail: "to" addresses, owned */
	size_t nrcpt;
	char **cc;		/* send-mail: "cc" addresses, owned */
	size_t ncc;
	char *subject;		/* send-mail, owned */
	char *about;		/* reply-/forward-mail: subject text of the
				 * message answered, owned */
	char *body;		/* send-mail: text with "\n" lines, owned */
	int raw;		/* send-mail: body without any header */
	struct scn_attach *att;	/* send-mail: attachments, owned */
	size_t natt;
	char *protocol;		/* fetch-mail: "pop3" or "imap", owned */
	int keep;		/* fetch-mail: 1 keep (also when not
				 * given), -1 delete from the server */
	char *move_to;		/* fetch-mail (IMAP): the mailbox to file
				 * what was fetched into, owned, or NULL */
	/* resolve-load, mail-load: `count` actions spread evenly over
	 * `over`, each from a node of `pool` picked by the seeded PRNG. */
	uint64_t count;		/* how many */
	sim_time over;		/* spread over this long */
	char **pool;		/* "from": node ids, owned */
	size_t npool;
	char **picks;		/* resolve-load "names" (by popularity),
				 * mail-load "to" addresses; owned */
	size_t npicks;
	double zipf;		/* resolve-load: Zipf exponent (1) */
	char *caption;		/* any action: text shown when it runs */
	/* browse (scn_web.c): one of url, click, submit. */
	char *url;		/* the URL to open, owned */
	char *click;		/* the text of the link to follow, owned */
	int submit;		/* 1: submit the page's form */
	char **field_names;	/* submit: form fields, owned */
	char **field_values;	/* and their values, owned */
	size_t nfields;
};

struct scn_model {
	char *name;		/* scenario name (file base name), owned */
	int version;		/* "netlab_scenario" */
	struct scn_meta meta;
	uint64_t seed;
	struct scn_node *nodes;
	size_t nnodes;
	struct scn_link *links;
	size_t nlinks;
	struct scn_action *actions;	/* sorted by `at`, stable */
	size_t nactions;
	const struct scn_node **by_id;	/* nodes with an id, sorted by id
					 * then position (scn_model_index);
					 * owned; NULL: not built yet */
	size_t nby_id;
	/* Also from scn_model_index: the links as neighbour lists (node i's
	 * are nodes[adj[adj_at[i]]] .. before adj_at[i + 1]) and, for each
	 * router, its router island (routers joined by links), SIZE_MAX for
	 * other nodes: what "reaches through routers" needs. Owned. */
	size_t *adj_at, *adj, *island;
	struct scn_caption *captions;
	size_t ncaptions;
	struct scn_checkpoint *checkpoints;
	size_t ncheckpoints;
};

/* Frees a model and everything it owns; NULL does nothing. */
void scn_model_free(struct scn_model *m);

/* The node with that id (the first in the file if several), NULL if
 * none: a binary search once scn_model_index has run, else linear. */
const struct scn_node *scn_model_node(const struct scn_model *m,
    const char *id);
/* Sorts the nodes by id for scn_model_node and makes the neighbour lists
 * and router islands, so that checking a campus of 10,000 nodes is not
 * quadratic. Call again after changing nodes or links. NL_ENOMEM (the
 * model keeps searching linearly). */
enum nl_status scn_model_index(struct scn_model *m);
/* The link with that id (after validation gave every link one), NULL. */
const struct scn_link *scn_model_link(const struct scn_model *m,
    const char *id);

/* "intro", "intermediate", "advanced"; "" for SCN_DIFF_NONE. */
const char *scn_difficulty_str(enum scn_difficulty d);

/* The action's name as written in a file ("tcp-echo"); "?" if invalid. */
const char *scn_action_str(enum scn_action_kind k);

#endif
