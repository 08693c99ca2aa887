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

#endif
