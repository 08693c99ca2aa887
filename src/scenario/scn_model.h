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

struct scn_meta {
	char *title;		/* one line, owned; NULL when absent */
	char *summary;		/* a paragraph, owned; NULL when absent */
};

struct scn_layout {
	int set;		/* 1 when the file gave a layout */
	double x, y;		/* position hint for the viewer */
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
	char *node;		/* node-down/up: node id, owned */
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
};

/* Frees a model and everything it owns; NULL does nothing. */
void scn_model_free(struct scn_model *m);

/* The node with that id, NULL if none (linear: scenarios are small). */
const struct scn_node *scn_model_node(const struct scn_model *m,
    const char *id);
/* The link with that id (after validation gave every link one), NULL. */
const struct scn_link *scn_model_link(const struct scn_model *m,
    const char *id);

/* The action's name as written in a file ("tcp-echo"); "?" if invalid. */
const char *scn_action_str(enum scn_action_kind k);

#endif
