/* smtp_client.h - the client side of an RFC 5321 session, used by user
 * agents (submission) and by mail servers (relay): greeting, EHLO (HELO
 * when EHLO gets 500 or 502, or when configured), then for each queued
 * message MAIL, RCPT per recipient, DATA, the message dot-stuffed, ".",
 * and QUIT when asked to and nothing is left to send.
 *
 * Shape after OpenSMTPD's mta_session.c and curl's smtp.c: entering a
 * state writes that state's command (cli_enter), and one response
 * handler switches on the state and judges the reply class
 * (cli_response). Each recipient's outcome goes back to the glue:
 * accepted, temporary failure (retry later) or permanent (bounce). */
#ifndef NL_SMTP_CLIENT_H
#define NL_SMTP_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "proto/smtp/smtp_codec.h"
#include "util/buf.h"
#include "util/status.h"

#define SMTP_CLI_QUEUE_MAX 64	/* messages waiting on one connection */

/* States. ORDER SMTP_CLI: smtp_cli_state_str() in smtp_str.c. */
enum smtp_cli_state {
	SMTP_CLI_GREETING,	/* connected, waiting for 220 */
	SMTP_CLI_EHLO,		/* EHLO sent */
	SMTP_CLI_HELO,		/* HELO sent */
	SMTP_CLI_READY,		/* hello done, nothing in flight */
	SMTP_CLI_MAIL,		/* MAIL sent */
	SMTP_CLI_RCPT,		/* a RCPT sent */
	SMTP_CLI_DATA,		/* DATA sent */
	SMTP_CLI_BODY,		/* message and "." sent */
	SMTP_CLI_RSET,		/* RSET sent after a failed transaction */
	SMTP_CLI_QUIT,		/* QUIT sent */
	SMTP_CLI_DONE		/* finished: the glue closes */
};
const char *smtp_cli_state_str(enum smtp_cli_state s);

struct smtp_cli_config {
	const char *helo_name;	/* our name for HELO/EHLO (required) */
	int use_helo;		/* 1: HELO, as in the textbook; 0: EHLO */
	int space_after_colon;	/* 1: "MAIL FROM: <a>" (textbook); 0: the
				 * RFC 5321 form "MAIL FROM:<a>" */
	int no_params;		/* 1: never send SIZE= or BODY= */
};

/* The outcome of one recipient, reported once per message. */
struct smtp_rcpt_result {
	const char *rcpt;	/* the address */
	enum smtp_outcome outcome;
	int code;		/* the reply code that decided (0: local) */
	const char *text;	/* that reply's lines joined by "\n", or the
				 * local reason ("connection lost") */
};

/* Callbacks into the glue; any may be NULL. A callback may queue more
 * messages (smtp_cli_send) but must not free the session. */
struct smtp_cli_ops {
	void (*state)(void *ctx, enum smtp_cli_state from,
	    enum smtp_cli_state to);
	void (*phase)(void *ctx, enum smtp_phase from, enum smtp_phase to);
	/* Each command and message line as sent, each reply line as
	 * received, without CRLF. */
	void (*line)(void *ctx, enum smtp_line_kind kind, const char *line,
	    size_t len);
	/* A message is finished: one result per recipient of its envelope,
	 * in order. The strings live until the callback returns. */
	void (*done)(void *ctx, void *msg_ctx,
	    const struct smtp_rcpt_result *res, size_t n);
};

struct smtp_cli;	/* opaque: smtp_client.c */

/* A session on a connection just opened. Output is appended to *out,
 * which the glue owns and drains. Strings of cfg must outlive it. */
struct smtp_cli *smtp_cli_new(const struct smtp_cli_config *cfg,
    const struct smtp_cli_ops *ops, void *ctx, struct nl_dbuf *out);
/* Frees the session without any callback; call smtp_cli_abort first if
 * messages may be pending. smtp_cli_free(NULL) does nothing. */
void smtp_cli_free(struct smtp_cli *c);

/* Queues a message: the envelope and the bytes are copied. The message
 * is sent as given (headers or not), its lines ended by CRLF (a bare LF
 * becomes CRLF) and dot-stuffed. msg_ctx comes back in done().
 *   NL_ESTATE   after QUIT, or when the session is finished
 *   NL_EINVAL   no recipient, or a line over 998 bytes
 *   NL_ELIMIT   SMTP_CLI_QUEUE_MAX messages already wait
 *   NL_ENOMEM */
enum nl_status smtp_cli_send(struct smtp_cli *c,
    const struct smtp_envelope *env, const uint8_t *msg, size_t len,
    void *msg_ctx);
/* No more messages: QUIT once the queue is empty. */
void smtp_cli_quit(struct smtp_cli *c);
/* Takes received bytes, any chunk size, and acts on each reply. NL_OK,
 * NL_ECLOSED once finished, NL_ENOMEM / NL_ELIMIT when out failed (the
 * session is then finished and every pending message failed). */
enum nl_status smtp_cli_feed(struct smtp_cli *c, const uint8_t *data,
    size_t len);
/* The connection is gone or timed out: every pending recipient is a
 * temporary failure with reason why; the session is finished. */
void smtp_cli_abort(struct smtp_cli *c, const char *why);
/* Seconds to wait for the reply in the current state (RFC 5321
 * 4.5.3.2); 0 when nothing is awaited. */
unsigned smtp_cli_timeout_s(const struct smtp_cli *c);

enum smtp_cli_state smtp_cli_state(const struct smtp_cli *c);
enum smtp_phase smtp_cli_phase(const struct smtp_cli *c);
/* 1 when finished (221 read, 421, abort): the glue closes. */
int smtp_cli_done(const struct smtp_cli *c);
/* Messages queued and not yet finished. */
size_t smtp_cli_pending(const struct smtp_cli *c);
/* What the server's EHLO reply offered (0 before, or after HELO). */
int smtp_cli_has_8bitmime(const struct smtp_cli *c);
uint64_t smtp_cli_server_size(const struct smtp_cli *c); /* 0: none */

#endif
