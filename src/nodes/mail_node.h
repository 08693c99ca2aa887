/* mail_node.h - mail servers (nodes/mta.c, mailboxes in mailstore.c)
 * and user agents (nodes/ua.c).
 *
 * A mail server runs the SMTP server session of proto/smtp on port 25
 * with the reply texts its scenario gives, accepts mail for its own
 * users and delivers it to their mailboxes, adding a Received: field.
 * Every mailbox change is a TRACE_STATE event (TRACE_F_SHOW) whose data
 * is the message, so a viewer can rebuild the mailboxes from the trace.
 * A user agent submits a composed message to its own mail server with
 * the SMTP client session of proto/smtp. */
#ifndef NL_MAIL_NODE_H
#define NL_MAIL_NODE_H

#include <stddef.h>
#include <stdint.h>

#include "nodes/node.h"
#include "proto/smtp/smtp_server.h"
#include "util/status.h"

#define NODE_SMTP_PORT 25	/* RFC 5321 */
#define NODE_MAIL_USERS_MAX 64	/* users of one mail server */
/* Virtual time 0 is this Unix time (Mon, 1 Jan 2024 00:00:00 UTC) in
 * Date: and Received: fields. */
#define NODE_MAIL_EPOCH 1704067200

/* A mail server's settings. Strings are copied. */
struct node_mail_cfg {
	const char *domain;		/* "hamburger.edu" (required) */
	const char *const *users;	/* local parts: "bob" */
	size_t nusers;
	struct smtp_srv_texts texts;	/* NULL fields: the defaults */
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
};
/* Starts the SMTP submission of m from user agent `from`; problems go
 * into the trace as notes (the run goes on). NL_ENOMEM. */
enum nl_status node_send_mail(struct nodes *ns, int32_t from,
    const struct node_mail_send *m);

#endif
