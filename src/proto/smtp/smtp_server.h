/* smtp_server.h - the server side of an RFC 5321 session, as a state
 * machine fed with bytes: greeting, HELO/EHLO (SIZE, 8BITMIME, HELP),
 * MAIL, RCPT, DATA with dot-stuffing removed, RSET, NOOP, VRFY, HELP,
 * QUIT, and the 421/500/501/502/503/552/554/555 replies where the RFC
 * puts them.
 *
 * No I/O, no engine: the glue (src/nodes/) feeds received bytes with
 * smtp_srv_feed, sends what the session appended to its out-buffer, and
 * answers the callbacks of struct smtp_srv_ops (policy for recipients,
 * queueing of accepted messages). The output does not depend on how the
 * input was chunked. Shape after OpenSMTPD's smtp_session.c: a table of
 * commands, each with a check function that writes the refusal and a
 * proceed function that does the work. */
#ifndef NL_SMTP_SERVER_H
#define NL_SMTP_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "proto/smtp/smtp_codec.h"
#include "util/buf.h"
#include "util/status.h"

#define SMTP_SRV_SIZE_DEFAULT 10485760	/* SIZE advertised: 10 MiB */
#define SMTP_SRV_RCPT_DEFAULT 100	/* recipients buffered (4.5.3.1.8) */
#define SMTP_SRV_ERRORS_DEFAULT 10	/* error replies before 421 */
#define SMTP_SRV_TIMEOUT_S 300		/* server timeout (4.5.3.2.7) */

/* States. ORDER SMTP_SRV: smtp_srv_state_str() in smtp_str.c. */
enum smtp_srv_state {
	SMTP_SRV_CONNECTED,	/* before the greeting */
	SMTP_SRV_GREETED,	/* 220 sent; HELO or EHLO expected */
	SMTP_SRV_NOSERVICE,	/* 554 greeting: only QUIT is served (3.1) */
	SMTP_SRV_READY,		/* hello done, no mail transaction */
	SMTP_SRV_MAIL,		/* MAIL accepted, no recipient yet */
	SMTP_SRV_RCPT,		/* at least one recipient accepted */
	SMTP_SRV_DATA,		/* 354 sent: reading the message */
	SMTP_SRV_CLOSED		/* 221 or 421 sent: the glue closes */
};
const char *smtp_srv_state_str(enum smtp_srv_state s);

/* Every reply text, with placeholders %d (server domain), %c (client's
 * HELO name), %a (address of the command), %q (queue id), %s (size
 * limit), %%. "\n" makes a multiline reply. A NULL field takes the
 * default shown (RFC 5321 4.2 and D.1 style). */
struct smtp_srv_texts {
	const char *greeting;	/* 220 "%d Service ready" */
	const char *no_service;	/* 554 "%d No SMTP service here" */
	const char *helo;	/* 250 "%d Hello %c" */
	const char *ehlo;	/* 250 "%d Hello %c" (then the extensions) */
	const char *mail_ok;	/* 250 "OK" */
	const char *rcpt_ok;	/* 250 "OK" */
	const char *data;	/* 354 "Start mail input; end with <CRLF>.<CRLF>" */
	const char *accepted;	/* 250 "OK queued as %q" */
	const char *rset;	/* 250 "OK" */
	const char *noop;	/* 250 "OK" */
	const char *vrfy_ok;	/* 250 "<%a>" */
	const char *vrfy_unsure; /* 252 "Cannot VRFY user, but will accept
				 * message and attempt delivery" */
	const char *help;	/* 214 "Commands: HELO EHLO MAIL RCPT DATA
				 * RSET NOOP VRFY HELP QUIT" */
	const char *quit;	/* 221 "%d Service closing transmission channel" */
	const char *unknown;	/* 500 "Syntax error, command unrecognized" */
	const char *too_long;	/* 500 "Line too long" */
	const char *nul;	/* 500 "Syntax error, NUL character in command" */
	const char *syntax;	/* 501 "Syntax error in parameters or arguments" */
	const char *not_impl;	/* 502 "Command not implemented" */
	const char *bad_seq;	/* 503 "Bad sequence of commands" */
	const char *param;	/* 555 "MAIL FROM/RCPT TO parameters not
				 * recognized or not implemented" */
	const char *no_user;	/* 550 "No such user here" */
	const char *relay;	/* relay_code "Relaying denied" */
	const char *rcpt_tempfail; /* 451 "Requested action aborted: local
				 * error in processing" */
	const char *too_many_rcpt; /* 452 "Too many recipients" */
	const char *no_valid_rcpt; /* 554 "No valid recipients" */
	const char *too_big;	/* 552 "Message size exceeds fixed maximum
				 * message size" */
	const char *data_nul;	/* 554 "Transaction failed: NUL character
				 * in message" */
	const char *data_long;	/* 554 "Transaction failed: line too long" */
	const char *local_error; /* 451 "Requested action aborted: local
				 * error in processing" */
	const char *timeout;	/* 421 "%d Timeout, closing transmission
				 * channel" */
	const char *too_many_errors; /* 421 "%d Too many errors, closing
				 * transmission channel" */
};

/* What a server is. Strings are not copied: they must outlive the
 * session (the glue keeps its configuration). */
struct smtp_srv_config {
	const char *domain;	/* the server's name, for %d (required) */
	const struct smtp_srv_texts *texts; /* NULL: all defaults */
	uint64_t max_size;	/* message size limit; 0: the default */
	size_t max_rcpt;	/* recipients per message; 0: the default */
	unsigned max_errors;	/* error replies before 421; 0: default */
	int relay_code;		/* 550 (default) or 554 for relay refusal */
	int pipelining;		/* advertise PIPELINING (RFC 2920) too */
	int no_service;		/* greet with 554 (RFC 5321 3.1) */
};

/* The glue's answer about a recipient (RCPT, and VRFY).
 * ORDER SMTP_RCPT: smtp_rcpt_verdict_str(). */
enum smtp_rcpt_verdict {
	SMTP_RCPT_OK,		/* a local user, or relaying allowed: 250 */
	SMTP_RCPT_UNKNOWN,	/* local domain, no such user: 550 */
	SMTP_RCPT_RELAY_DENIED,	/* not ours, client may not relay */
	SMTP_RCPT_TEMPFAIL	/* cannot tell now: 451 */
};
const char *smtp_rcpt_verdict_str(enum smtp_rcpt_verdict v);

/* Callbacks into the glue; any may be NULL. ctx is the pointer given to
 * smtp_srv_new. A callback must not free the session. */
struct smtp_srv_ops {
	/* Every state change, from the one setter. */
	void (*state)(void *ctx, enum smtp_srv_state from,
	    enum smtp_srv_state to);
	/* Every phase change (a subset of state changes). */
	void (*phase)(void *ctx, enum smtp_phase from, enum smtp_phase to);
	/* A line for the transcript: each command and message line as
	 * received (dot-stuffed, before the "." line), each reply line as
	 * sent, all without CRLF. */
	void (*line)(void *ctx, enum smtp_line_kind kind, const char *line,
	    size_t len);
	/* Policy: may rcpt receive mail in this transaction? env holds the
	 * client's name and the sender. NULL: everyone is accepted. */
	enum smtp_rcpt_verdict (*rcpt)(void *ctx,
	    const struct smtp_envelope *env, const char *rcpt);
	/* A whole message after ".": the glue queues it (copying what it
	 * keeps) and writes its queue id into qid (NUL-terminated, at most
	 * qid_size bytes). NL_OK: 250 and the glue owns delivery; NL_ELIMIT:
	 * 552; anything else: 451. NULL: accepted with queue id "0". */
	enum nl_status (*accept)(void *ctx, const struct smtp_envelope *env,
	    const uint8_t *msg, size_t len, char *qid, size_t qid_size);
};

struct smtp_srv;	/* opaque: smtp_server.c */

/* A session for one connection. It appends its output to *out, which the
 * glue owns and drains (nl_dbuf_reset after sending). NULL on memory. */
struct smtp_srv *smtp_srv_new(const struct smtp_srv_config *cfg,
    const struct smtp_srv_ops *ops, void *ctx, struct nl_dbuf *out);
/* smtp_srv_free(NULL) does nothing. A message not yet accepted is
 * dropped: the client never got its 250, so it still owns it. */
void smtp_srv_free(struct smtp_srv *s);

/* Writes the greeting (220, or 554 if no_service). Once. */
enum nl_status smtp_srv_start(struct smtp_srv *s);
/* Takes received bytes, any chunk size, and answers every complete line.
 * NL_OK; NL_ECLOSED if the session is closed (the bytes are ignored);
 * NL_ENOMEM, or NL_ELIMIT when out is full: the session is then closed
 * and the glue drops the connection. */
enum nl_status smtp_srv_feed(struct smtp_srv *s, const uint8_t *data,
    size_t len);
/* The glue's idle timer fired: 421 and closed (a message being received
 * is dropped). */
enum nl_status smtp_srv_timeout(struct smtp_srv *s);
/* Seconds of silence after which the glue should call smtp_srv_timeout. */
unsigned smtp_srv_timeout_s(const struct smtp_srv *s);

enum smtp_srv_state smtp_srv_state(const struct smtp_srv *s);
enum smtp_phase smtp_srv_phase(const struct smtp_srv *s);
/* 1 once 221 or 421 is written: close after sending out. */
int smtp_srv_closed(const struct smtp_srv *s);

#endif
