/* mailstore.h - the mailboxes of a mail server (nodes/ only).
 *
 * Each user has an INBOX, where mail is delivered, and the mailboxes
 * IMAP CREATE made (RFC 3501 6.3.3; hierarchy delimiter "/"); each
 * mailbox keeps its own messages in arrival order, its UIDs (UIDNEXT,
 * UIDVALIDITY) and their flags. POP3 sees the INBOX only (RFC 1939 has
 * no folders). Every change is a TRACE_STATE event with TRACE_F_SHOW at
 * the server's node, so a viewer folds the events back into the
 * mailboxes. The INBOX is named by its user alone:
 *   "mailbox bob: +1 message (N bytes), 1 in all"       data = message
 * another mailbox by user/name:
 *   "mailbox bob/Archive: created"
 *   "mailbox bob/Archive: +1 message (N bytes, copied from INBOX uid 3),
 *    1 in all"                                           data = message
 * and both as "...: message I (uid U) flags now (\Seen)" and
 * "...: -1 message (N bytes), K in all". The store survives a crash of
 * its node (it is the disk). */
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
/* Messages in user's INBOX (0 for an unknown user). */
size_t mailstore_count(const struct mailstore *ms, const char *user);
/* Message i of user's INBOX, NULL past the end. */
const uint8_t *mailstore_get(const struct mailstore *ms, const char *user,
    size_t i, size_t *len);

/* ---- Mail access (POP3, IMAP: nodes/mail_access.c) ---- */

/* Below, mbox names a mailbox of user: NULL or "INBOX" in any case is
 * the INBOX, any other name is compared exactly (RFC 3501 5.1). */

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
/* Message i (0-based) of mailbox mbox into *out; NL_ENOTFOUND. */
enum nl_status mailstore_info(const struct mailstore *ms, const char *user,
    const char *mbox, size_t i, struct mailstore_msg *out);
/* 1 when user has mailbox mbox. */
int mailstore_has_mailbox(const struct mailstore *ms, const char *user,
    const char *mbox);
/* Messages in mailbox mbox (0 when there is none). */
size_t mailstore_messages(const struct mailstore *ms, const char *user,
    const char *mbox);
/* The uid the next message of mbox gets, and mbox's UIDVALIDITY (RFC
 * 3501 2.3.1.1: INBOX 1, each created mailbox a value never used
 * before by that user); 1 when there is no such mailbox. */
uint32_t mailstore_uidnext(const struct mailstore *ms, const char *user,
    const char *mbox);
uint32_t mailstore_uidvalidity(const struct mailstore *ms, const char *user,
    const char *mbox);
/* The name of user's mailbox i: "INBOX" first, then the created ones
 * in the order they were made; NULL past the end. */
const char *mailstore_mailbox_name(const struct mailstore *ms,
    const char *user, size_t i);
/* Creates mailbox mbox for user (IMAP CREATE, RFC 3501 6.3.3), reported
 * as "mailbox user/mbox: created". The name must pass
 * imap_mailbox_valid (proto/imap/imap.h). NL_ENOTFOUND (no such user),
 * NL_EEXIST (INBOX in any case, or a mailbox of that name), NL_EINVAL
 * (a name refused), NL_ENOMEM. */
enum nl_status mailstore_create(struct mailstore *ms, struct net *n,
    int32_t node, const char *user, const char *mbox);
/* Copies message uid of mbox, with its flags and date, to the end of
 * dest (IMAP COPY, RFC 3501 6.4.7), where it gets dest's next uid.
 * NL_ENOTFOUND (no such user, mailbox, message or dest), NL_ENOMEM. */
enum nl_status mailstore_copy(struct mailstore *ms, struct net *n,
    int32_t node, const char *user, const char *mbox, uint32_t uid,
    const char *dest);
/* Replaces the flags of message uid of mbox, reported as a state event
 * when they change. NL_ENOTFOUND. */
enum nl_status mailstore_set_flags(struct mailstore *ms, struct net *n,
    int32_t node, const char *user, const char *mbox, uint32_t uid,
    unsigned flags);
/* Removes message uid of mbox for good (POP3 UPDATE, IMAP EXPUNGE),
 * reported as a state event of proto. NL_ENOTFOUND. */
enum nl_status mailstore_remove(struct mailstore *ms, struct net *n,
    int32_t node, const char *user, const char *mbox, uint32_t uid,
    enum trace_proto proto);

#endif
