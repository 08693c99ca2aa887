/* mta_int.h - what mta.c (the SMTP server side of a mail server) and
 * mta_queue.c (its outgoing queue and relay client) share; nodes/ only.
 *
 * A mail server takes a message with 250 only once it is either in a
 * local mailbox or in the queue (OpenSMTPD's queue_backend: the queue
 * is the disk). The queue survives a crash of the node like the
 * mailboxes do; only the deliveries in progress are lost, and a restart
 * schedules the waiting messages again. */
#ifndef NL_MTA_INT_H
#define NL_MTA_INT_H

#include <stddef.h>
#include <stdint.h>

#include "engine/sim.h"
#include "nodes/mail_node.h"
#include "nodes/node_int.h"
#include "proto/smtp/smtp_server.h"

#define MTA_TEXTS_MAX 40	/* reply names a scenario may set */

struct mta_conn;
struct mtaq;
struct mailstore;
struct mail_access;

struct mta {
	struct node *nd;
	char *domain;			/* owned */
	char *texts_own[MTA_TEXTS_MAX];	/* owned copies of reply texts */
	struct smtp_srv_texts texts;	/* pointing into texts_own */
	struct smtp_srv_config cfg;
	struct mailstore *store;	/* owned; survives a crash */
	struct mail_access *access;	/* POP3 and IMAP, owned */
	struct mtaq *queue;		/* outgoing mail, owned; survives */
	struct net_tcp *listener;	/* port 25, NULL while down */
	struct net_tcp *submission;	/* port 587, NULL while down */
	struct mta_conn *conns;		/* accepted, still open */
	uint64_t qseq;			/* queue ids handed out */
};

/* The local part of address a into buf when a's domain is the server's
 * own; 0 otherwise. */
int mta_local_part(const struct mta *m, const char *a, char *buf,
    size_t size);
/* 1 when the domains are equal ignoring ASCII case and a final dot. */
int mta_same_domain(const char *a, const char *b);
/* The next queue id, as text into buf. */
void mta_next_qid(struct mta *m, char *buf, size_t size);

/* ---- The queue (mta_queue.c) ---- */

/* NULL when out of memory. cfg NULL: the defaults of mail_node.h. */
struct mtaq *mtaq_new(struct mta *m, const struct node_mail_queue_cfg *cfg);
/* Frees the queue and every message in it; NULL does nothing. Called
 * when the world is freed, after mtaq_stop. */
void mtaq_free(struct mtaq *q);
/* Takes a message for remote recipients (all strings and bytes are
 * copied): a QUEUED event, then a delivery attempt at once. from is the
 * reverse path ("" for the null sender of a bounce). NL_ENOMEM. */
enum nl_status mtaq_add(struct mtaq *q, const char *qid, const char *from,
    const char *const *rcpt, size_t nrcpt, const uint8_t *msg, size_t len);
/* The node came up: every waiting message gets a delivery attempt at its
 * retry time (at once if that has passed). */
void mtaq_start(struct mtaq *q);
/* The node went down (crash = 1) or the world is being freed: the
 * deliveries in progress end (their connections aborted on a crash),
 * the messages stay queued. */
void mtaq_stop(struct mtaq *q, int crash);

/* Delivers a message the queue made (a bounce) into the mailbox of the
 * local user of address a, or the postmaster's when a has none. */
enum nl_status mta_deliver_generated(struct mta *m, const char *a,
    const uint8_t *msg, size_t len);

/* The mail server of this address (the user agent's "server"), from
 * ua.c; 0 when nd is no user agent. */
uint32_t node_ua_server(const struct node *nd);

#endif
