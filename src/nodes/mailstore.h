/* mailstore.h - the mailboxes of a mail server (nodes/ only).
 *
 * One mailbox (an INBOX) per user; messages are kept in arrival order.
 * Every change is a TRACE_STATE event with TRACE_F_SHOW at the server's
 * node: "mailbox bob: +1 message (N bytes), 1 in all", data = the
 * message, so a viewer folds the events back into the mailboxes. The
 * store survives a crash of its node (it is the disk). */
#ifndef NL_MAILSTORE_H
#define NL_MAILSTORE_H

#include <stddef.h>
#include <stdint.h>

#include "net/net.h"
#include "trace/trace.h"
#include "util/status.h"

struct mailstore;

/* NULL when out of memory. */
struct mailstore *mailstore_new(void);
void mailstore_free(struct mailstore *ms);	/* NULL does nothing */
/* Adds a mailbox for user (copied). NL_EEXIST, NL_ENOMEM. */
enum nl_status mailstore_add_user(struct mailstore *ms, const char *user);
/* 1 if user has a mailbox (local parts compare without case). */
int mailstore_has_user(const struct mailstore *ms, const char *user);
/* Appends a copy of msg to user's mailbox and reports it to the trace
 * of n at node. NL_ENOTFOUND, NL_ENOMEM. */
enum nl_status mailstore_deliver(struct mailstore *ms, struct net *n,
    int32_t node, const char *user, const uint8_t *msg, size_t len);
/* Messages in user's mailbox (0 for an unknown user). */
size_t mailstore_count(const struct mailstore *ms, const char *user);
/* Message i of user's mailbox, NULL past the end. */
const uint8_t *mailstore_get(const struct mailstore *ms, const char *user,
    size_t i, size_t *len);

/* ---- Mail access (POP3, IMAP: nodes/mail_access.c) ---- */

/* One message as the access servers see it; pointers valid until the
 * next change of the store. */
struct mailstore_msg {
	const uint8_t *data;	/* the message, CRLF lines */
	size_t len;		/* its bytes */
	uint32_t uid;		/* IMAP UID, POP3 unique-id */
	unsigned flags;		/* IMAP_FLAG_ bits (proto/imap/imap.h) */
	int64_t date;		/* arrival, seconds since 1970 UTC */
};

/* Sets user's password (copied; NULL: none, login refused).
 * NL_ENOTFOUND, NL_ENOMEM. */
enum nl_status mailstore_set_password(struct mailstore *ms, const char *user,
    const char *pass);
/* 1 when user exists and pass is its password. */
int mailstore_login(const struct mailstore *ms, const char *user,
    const char *pass);
/* lock = 1 takes the POP3 lock (NL_ESTATE if held), 0 releases it. */
enum nl_status mailstore_lock(struct mailstore *ms, const char *user,
    int lock);
/* Message i (0-based) of user's mailbox into *out; NL_ENOTFOUND. */
enum nl_status mailstore_info(const struct mailstore *ms, const char *user,
    size_t i, struct mailstore_msg *out);
/* The uid the next delivery to user gets. */
uint32_t mailstore_uidnext(const struct mailstore *ms, const char *user);
/* Replaces the flags of message uid, reported as a state event when
 * they change. NL_ENOTFOUND. */
enum nl_status mailstore_set_flags(struct mailstore *ms, struct net *n,
    int32_t node, const char *user, uint32_t uid, unsigned flags);
/* Removes message uid for good (POP3 UPDATE, IMAP EXPUNGE), reported as
 * a state event of proto. NL_ENOTFOUND. */
enum nl_status mailstore_remove(struct mailstore *ms, struct net *n,
    int32_t node, const char *user, uint32_t uid, enum trace_proto proto);

#endif
