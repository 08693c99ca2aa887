/* mtaq_int.h - what the two halves of a mail server's outgoing queue
 * share: mta_queue.c (the messages: queueing, retry times, bounces) and
 * mta_relay.c (the deliveries: MX lookup, the exchangers, the SMTP
 * client). nodes/mta_queue.c and nodes/mta_relay.c only. */
#ifndef NL_MTAQ_INT_H
#define NL_MTAQ_INT_H

#include <stddef.h>
#include <stdint.h>

#include "engine/sim.h"
#include "engine/timer.h"
#include "nodes/dns_node.h"
#include "nodes/mta_int.h"
#include "proto/smtp/smtp_client.h"
#include "trace/trace.h"
#include "util/buf.h"
#include "util/pool.h"

#define MTAQ_OUT_MAX (32u << 20)	/* session bytes not yet sent */
#define MTAQ_DSN_MAX (1u << 20)		/* a bounce */
#define MTAQ_WHY_MAX 200		/* a failure's text */

enum rcpt_state {
	RCPT_PENDING,		/* not settled: waiting or in a delivery */
	RCPT_DELIVERED,		/* the next server took it */
	RCPT_BOUNCED		/* given up: the sender is told */
};

struct q_dlv;

struct q_rcpt {
	char *addr;			/* owned */
	const char *domain;		/* in addr, after the '@' */
	enum rcpt_state state;
	struct q_dlv *dlv;		/* carrying it now, or NULL */
	int bounce_due;			/* bounced, not yet in a DSN */
	char status[12];		/* RFC 3463 code of the last failure */
	char why[MTAQ_WHY_MAX];		/* the last failure, for people */
	char remote[DNS_NAME_STRLEN];	/* the server that said it, or "" */
};

struct q_msg {
	struct q_msg *next, *prev;
	struct mtaq *q;
	char qid[24];
	uint64_t id;			/* qid as a number (events' b) */
	char *from;			/* reverse path, "" for null, owned */
	struct q_rcpt *r;		/* owned */
	size_t nr;
	uint8_t *data;			/* the message, owned */
	size_t len;
	sim_time arrived;		/* when it was queued */
	sim_time next_try;		/* when it may be tried again */
	unsigned tries;			/* delivery rounds that failed */
	uint64_t timer;			/* its retry, 0 when none */
};

/* One message's recipients in a delivery. */
struct dlv_part {
	struct q_msg *m;
	size_t *ri;			/* indexes into m->r, owned */
	size_t n;
	int queued;			/* handed to the session */
	int finished;			/* the server answered for it */
};

struct dlv_host {
	char name[DNS_NAME_STRLEN];	/* "mail.hamburger.edu" */
	uint16_t pref;			/* MX preference */
	uint32_t addr;			/* 0 until known */
};

/* What a delivery is doing. ORDER DLV. */
enum dlv_stage {
	DLV_MX,			/* MX query sent */
	DLV_A,			/* A query for the current host sent */
	DLV_CONNECT,		/* SYN sent */
	DLV_SMTP		/* the session runs */
};

struct q_dlv {
	struct q_dlv *next, *prev;
	struct mtaq *q;
	char domain[DNS_NAME_STRLEN];
	enum dlv_stage stage;
	struct dlv_part *parts;		/* owned */
	size_t nparts, capparts;
	struct dlv_host hosts[NODE_MAILQ_HOSTS_MAX];
	size_t nhosts, cur;
	struct net_tcp *c;		/* NULL when none */
	int32_t peer;			/* the current host's node, or -1 */
	struct smtp_cli *cli;		/* NULL outside DLV_SMTP */
	struct nl_dbuf out;
	struct sim_timer timer;		/* reply timeout: reset at every
					 * line, so a sim_timer */
	char why[MTAQ_WHY_MAX];		/* why the current host failed */
	char status[12];		/* and its RFC 3463 code */
	int fresh;			/* made by msg_try, not started */
};

struct mtaq {
	struct mta *m;
	struct sim *sim;
	struct net *net;
	sim_time retry, retry_max, lifetime;
	struct q_msg *head, *tail;	/* in arrival order */
	struct q_dlv *dlvs;
	int running;			/* the node is up */
	uint64_t dsn_seq;		/* bounces made, for Message-IDs */
	struct smtp_cli_config cli_cfg;
	struct nl_pool dlv_pool;	/* spent deliveries (10 KB each) */
};

/* ---- mta_queue.c ---- */

/* A mail-queue state event at the server (trace.h): b = m's id, c =
 * next for DEFERRED. */
void mtaq_event(struct mtaq *q, enum trace_mailq op, const struct q_msg *m,
    int32_t peer, sim_time next, const uint8_t *data, size_t len,
    const char *summary);
/* "<a>, <b>": the recipients of part p, or all of m's when p is NULL. */
void mtaq_rcpt_list(const struct q_msg *m, const struct dlv_part *p,
    char *buf, size_t size);
/* A wait in words: "1 min 53 s". */
void mtaq_wait_str(sim_time t, char *buf, size_t size);
/* The wait after `tries` failed rounds (doubling up to retry_max). */
sim_time mtaq_backoff(const struct mtaq *q, unsigned tries);
/* No delivery carries m any more: its bounces go out, then it leaves
 * the queue or waits for its next try. May free m. */
void mtaq_settle(struct q_msg *m);

/* ---- mta_relay.c ---- */

/* A delivery for domain, not started; NULL on memory. */
struct q_dlv *mtaq_dlv_new(struct mtaq *q, const char *domain);
/* Adds m's pending recipients of d's domain that no delivery carries;
 * 0 when there are none or no room. */
int mtaq_dlv_add(struct q_dlv *d, struct q_msg *m);
/* Starts d with its MX query; may finish (and free) d at once. */
void mtaq_dlv_start(struct q_dlv *d);
/* Frees d; its recipients must have been let go. */
void mtaq_dlv_free(struct q_dlv *d);
/* Lets go of d's recipients without a word and frees d (the node went
 * down: the queue is scheduled again when it is up). */
void mtaq_dlv_drop(struct q_dlv *d);

#endif
