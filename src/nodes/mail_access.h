/* mail_access.h - POP3 (port 110) and IMAP (port 143) servers of a mail
 * server node over its mailstore (nodes/ only; mta.c runs them). */
#ifndef NL_MAIL_ACCESS_H
#define NL_MAIL_ACCESS_H

#include "nodes/mailstore.h"
#include "nodes/node_int.h"
#include "util/status.h"

struct mail_access;

/* Access to store (not owned, must outlive it) for node nd; hostname is
 * copied (the POP3 sign-off). NULL on memory. */
struct mail_access *mail_access_new(struct node *nd, struct mailstore *store,
    const char *hostname);
/* Listens on 110 and 143 (again after a crash). NL_OK or the listen
 * error. */
enum nl_status mail_access_start(struct mail_access *ma);
/* Closes the listeners and ends every session as a lost connection
 * (POP3: nothing deleted); crash: the connections are aborted. */
void mail_access_stop(struct mail_access *ma, int crash);
void mail_access_free(struct mail_access *ma);	/* NULL does nothing */

#endif
