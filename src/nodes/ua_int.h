/* ua_int.h - what ua.c (submission and fetching) and ua_reply.c
 * (replies and forwards) share; nodes/ only. */
#ifndef NL_UA_INT_H
#define NL_UA_INT_H

#include <stddef.h>
#include <stdint.h>

#include "nodes/mail_node.h"
#include "util/buf.h"
#include "util/status.h"

#define UA_BOX_MAX 256		/* fetched messages a user agent keeps */

/* A message the user agent fetched: what a reply or forward is about. */
struct ua_box_msg {
	uint8_t *data;		/* owned, CRLF lines */
	size_t len;
};

struct ua {
	char *user;		/* "alice@crepes.fr", owned */
	char *helo;		/* owned */
	uint32_t server;
	uint16_t port;
	uint64_t seq;		/* messages composed */
	char *pass;		/* POP3/IMAP password, owned, or NULL */
	char **known;		/* POP3 unique-ids downloaded and kept */
	size_t nknown;
	struct ua_box_msg *box;	/* fetched, oldest first, owned */
	size_t nbox;
};

/* Keeps a copy of a fetched message (the oldest goes past UA_BOX_MAX).
 * NL_ENOMEM. */
enum nl_status ua_box_add(struct ua *u, const uint8_t *data, size_t len);
/* Frees what the box holds. */
void ua_box_clear(struct ua *u);

/* The value of header field `name` of message m, unfolded (RFC 5322
 * 2.2.3) and without the spaces around it, into buf; 0 when m has no
 * such field (or it does not fit). */
int ua_msg_field(const uint8_t *m, size_t n, const char *name, char *buf,
    size_t size);

/* A reply or forward of m->about from u, the way a mail program writes
 * one: for a reply the envelope recipient (the original's sender) into
 * rcpt, the message into out. `msgid` is the new Message-ID, `date` the
 * Unix time, `to` the To: of a forward ("a@b, c@d"). On failure *why
 * says why in words for a note:
 *   NL_ENOTFOUND  no fetched message matches m->about
 *   NL_EINVAL     a reply to a message without a usable From:
 *   NL_ENOMEM, NL_ELIMIT */
enum nl_status ua_write_about(const struct ua *u,
    const struct node_mail_send *m, const char *msgid, int64_t date,
    const char *to, char *rcpt, size_t rcpt_size, struct nl_dbuf *out,
    const char **why);

#endif
