/* mail_node.h - mail servers (nodes/mta.c, mailboxes in mailstore.c)
 * and user agents (nodes/ua.c).
 *
 * A mail server runs the SMTP server session of proto/smtp on port 25
 * with the reply texts its scenario gives, accepts mail for its own
 * users and delivers it to their mailboxes, adding a Received: field.
 * Every mailbox change is a TRACE_STATE event (TRACE_F_SHOW) whose data
 * is the message, so a viewer can rebuild the mailboxes from the trace.
 * A user agent submits a composed message to its own mail server with
 * the SMTP client session of proto/smtp, and fetches its mail by POP3
 * or IMAP (nodes/ua.c) from the POP3 and IMAP servers every mail server
 * runs on ports 110 and 143 (nodes/mail_access.c). */
#ifndef NL_MAIL_NODE_H
#define NL_MAIL_NODE_H

#include <stddef.h>
#include <stdint.h>

#include "engine/sim.h"
#include "nodes/node.h"
#include "proto/smtp/smtp_server.h"
#include "util/status.h"

#define NODE_SMTP_PORT 25	/* RFC 5321 */
#define NODE_SUBMISSION_PORT 587	/* RFC 6409 */
#define NODE_POP3_PORT 110	/* RFC 1939 */
#define NODE_IMAP_PORT 143	/* RFC 3501 */
#define NODE_MAIL_USERS_MAX 64	/* users of one mail server */
/* Virtual time 0 is this Unix time (Mon, 1 Jan 2024 00:00:00 UTC) in
 * Date: and Received: fields. */
#define NODE_MAIL_EPOCH 1704067200

/* The outgoing queue: when to try again after a temporary failure (4xx,
 * no answer, no route) and when to give up. The defaults are Postfix's
 * (minimal_backoff_time, maximal_backoff_time, maximal_queue_lifetime);
 * RFC 5321 4.5.4.1 asks for at least 30 minutes between tries and 4-5
 * days before giving up, which a classroom scenario shortens. */
#define NODE_MAILQ_RETRY (300 * SIM_S)		/* first wait */
#define NODE_MAILQ_RETRY_MAX (4000 * SIM_S)	/* the wait doubles up to */
#define NODE_MAILQ_LIFETIME (5 * 86400 * SIM_S)	/* then a bounce */
#define NODE_MAILQ_HOSTS_MAX 8			/* MX hosts tried per domain */

struct node_mail_queue_cfg {
	sim_time retry;		/* 0: NODE_MAILQ_RETRY */
	sim_time retry_max;	/* 0: NODE_MAILQ_RETRY_MAX */
	sim_time lifetime;	/* 0: NODE_MAILQ_LIFETIME */
};

/* A mail server's settings. Strings are copied. */
struct node_mail_cfg {
	const char *domain;		/* "hamburger.edu" (required) */
	const char *const *users;	/* local parts: "bob" */
	const char *const *passwords;	/* per user, for POP3 and IMAP;
					 * NULL, or NULL entries: no login */
	size_t nusers;
	struct smtp_srv_texts texts;	/* NULL fields: the defaults */
	struct node_mail_queue_cfg queue;	/* zeros: the defaults */
};

/* Makes node `id` (kind mail-server) a mail server with cfg. NL_ENOTFOUND
 * if no such node, NL_EINVAL on a missing domain, NL_ENOMEM. */
enum nl_status nodes_mail_server(struct nodes *ns, int32_t id,
    const struct node_mail_cfg *cfg);

/* The reply names a scenario's "replies" may give ("greeting", "helo",
 * ...) in a fixed order; NULL past the end. */
const char *node_mail_reply_name(size_t i);
/* Sets the field `name` of t to text (not copied). NL_ENOTFOUND. */
enum nl_status node_mail_reply_set(struct smtp_srv_texts *t,
    const char *name, const char *text);

/* A user agent's settings. Strings are copied. */
struct node_ua_cfg {
	const char *user;	/* "alice@crepes.fr" (required) */
	const char *helo;	/* the name it gives in HELO; NULL: the
				 * node's name */
	const char *password;	/* for POP3 and IMAP; NULL: none */
	uint32_t server;	/* its mail server's address */
	uint16_t port;		/* 25 (the textbook) or 587 */
};
enum nl_status nodes_mail_ua(struct nodes *ns, int32_t id,
    const struct node_ua_cfg *cfg);

/* An attachment: sent base64-encoded in a multipart/mixed message. */
struct node_mail_att {
	const char *name;	/* file name */
	const char *type;	/* MIME type; NULL: text/plain */
	const char *text;	/* content */
};

/* A message to send from a user agent. */
struct node_mail_send {
	const char *const *to;	/* recipients' addresses */
	size_t nto;
	const char *const *cc;
	size_t ncc;
	const char *subject;	/* NULL: none */
	const char *body;	/* text, "\n" lines; NULL: empty */
	int raw;		/* 1: body is the whole message, no header
				 * (the textbook's "Do you like ketchup?") */
	const struct node_mail_att *att;	/* not with raw */
	size_t natt;
	/* A reply or a forward: `about` is (a part of) the subject of a
	 * message the user agent fetched earlier, the newest one that
	 * matches. A reply goes to its sender (to is then ignored) with
	 * "Re: ", In-Reply-To and References (RFC 5322 3.6.4) and the
	 * original quoted; a forward goes to `to` with "Fwd: " and the
	 * original attached as message/rfc822 (RFC 2046 5.2.1). */
	const char *about;	/* NULL: a new message */
	int forward;
};
/* Starts the SMTP submission of m from user agent `from`; problems go
 * into the trace as notes (the run goes on: no message to reply to, no
 * sender to reply to). NL_ENOMEM. */
enum nl_status node_send_mail(struct nodes *ns, int32_t from,
    const struct node_mail_send *m);

/* The access protocols of fetch-mail. ORDER NODE_FETCH. */
enum node_fetch_proto {
	NODE_FETCH_POP3,	/* port 110 */
	NODE_FETCH_IMAP		/* port 143 */
};
const char *node_fetch_proto_str(enum node_fetch_proto p);

/* Starts a fetch from user agent `from`'s mail server: it logs in with
 * the local part of its user and its password and retrieves every
 * message it has not seen. keep = 0: POP3 deletes what it downloaded
 * (DELE, applied at QUIT), IMAP sets \Deleted and EXPUNGEs; keep = 1:
 * POP3 leaves the messages (and skips them next time by UIDL), IMAP
 * only sets \Seen. move_to (IMAP only; NULL: none) files what was
 * downloaded into that mailbox, CREATEd if needed: COPY, \Deleted,
 * EXPUNGE (imap.h). What it got is a TRACE_STATE event with
 * TRACE_F_SHOW; problems are notes. NL_EINVAL if `from` is not a user
 * agent or move_to cannot be used, NL_ENOMEM. */
enum nl_status node_fetch_mail(struct nodes *ns, int32_t from,
    enum node_fetch_proto proto, int keep, const char *move_to);

#endif
