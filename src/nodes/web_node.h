/* web_node.h - the web of the e-mail lab: a browser (nodes/browser.c), a
 * user agent that pulls pages over HTTP/1.1, and a webmail server
 * (nodes/webmail.c) that serves small HTML pages on port 80 and, behind
 * them, reads the user's mailbox by IMAP and sends by SMTP to its mail
 * server. Requests and responses go into the trace line by line as
 * "C: ..." and "S: ..." (the body as one event with its exact bytes);
 * every page a browser gets is a TRACE_STATE event (TRACE_F_SHOW) whose
 * data is the page as text, so a viewer can show it. See
 * docs/webmail.md. */
#ifndef NL_WEB_NODE_H
#define NL_WEB_NODE_H

#include <stddef.h>
#include <stdint.h>

#include "nodes/node.h"
#include "trace/trace.h"
#include "util/status.h"

#define NODE_HTTP_PORT 80	/* RFC 9110 4.2.1 */

/* A webmail server's settings. Strings are copied. */
struct node_webmail_cfg {
	const char *domain;	/* its users' domain: "crepes.fr" (required) */
	uint32_t server;	/* the mail server's address (IMAP, SMTP) */
};
/* Makes node `id` (kind webmail) a webmail server. NL_ENOTFOUND if no
 * such node, NL_EINVAL on a missing domain, NL_ENOMEM. */
enum nl_status nodes_webmail(struct nodes *ns, int32_t id,
    const struct node_webmail_cfg *cfg);

/* The mail server a webmail node submits through, 0 if nd is not a
 * webmail (so that server may let it relay, as it does its own user
 * agents). */
struct node;
uint32_t node_webmail_server(const struct node *nd);

/* What a browser does on the timeline. ORDER NODE_BROWSE. */
enum node_browse_op {
	NODE_BROWSE_OPEN,	/* GET a URL */
	NODE_BROWSE_CLICK,	/* follow the link of the current page whose
				 * text is `arg` */
	NODE_BROWSE_SUBMIT	/* fill the current page's form with the
				 * fields and submit it (POST) */
};
const char *node_browse_op_str(enum node_browse_op op);

struct node_browse {
	enum node_browse_op op;
	const char *arg;		/* OPEN: "http://host/path"; CLICK:
					 * the link text */
	const char *const *names;	/* SUBMIT: form field names */
	const char *const *values;	/* and their values */
	size_t nfields;
};
/* Queues the action on browser `from`; it runs when the pages before
 * it have arrived. Problems go into the trace as notes. NL_EINVAL if
 * `from` is not a browser, NL_ENOMEM. Strings are copied. */
enum nl_status node_browse(struct nodes *ns, int32_t from,
    const struct node_browse *b);

/* ---- Private Part: shared by browser.c and webmail.c ---- */

/* One HTTP message that node sent: its start line and fields as one
 * event per line (prefix "C: " or "S: ", data the line with CRLF), its
 * body as one event "C: (body, N bytes, type)" whose data is the bytes
 * (in pieces of at most 4096 bytes). */
void node_http_trace(struct net *n, int32_t node, int32_t peer,
    uint16_t flags, int64_t conn, const uint8_t *msg, size_t len,
    const char *prefix);

#endif
