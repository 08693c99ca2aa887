/* smtp_codec.h - RFC 5321 words: commands (4.1.1), paths and addresses
 * (4.1.2), MAIL and RCPT parameters (RFC 1870 SIZE, RFC 6152 BODY), the
 * envelope, reply texts with placeholders, and the names of every enum
 * of proto/smtp (smtp_str.c).
 *
 * Pure functions of bytes; the sessions (smtp_server.h, smtp_client.h)
 * are built on them. Replies themselves are proto/line/reply.h. */
#ifndef NL_SMTP_CODEC_H
#define NL_SMTP_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/status.h"

#define SMTP_PORT 25
#define SMTP_LOCAL_MAX 64	/* local-part (4.5.3.1.1) */
#define SMTP_DOMAIN_MAX 255	/* domain (4.5.3.1.2) */
#define SMTP_PATH_MAX 256	/* path with its brackets (4.5.3.1.3) */
#define SMTP_ADDR_MAX (SMTP_PATH_MAX - 2)	/* address without them */
#define SMTP_QID_MAX 64		/* queue id given by the glue, with NUL */

/* Commands. ORDER SMTP_CMD: smtp_cmd_str() and the verb table in
 * smtp_codec.c. */
enum smtp_cmd {
	SMTP_CMD_HELO,
	SMTP_CMD_EHLO,
	SMTP_CMD_MAIL,
	SMTP_CMD_RCPT,
	SMTP_CMD_DATA,
	SMTP_CMD_RSET,
	SMTP_CMD_NOOP,
	SMTP_CMD_VRFY,
	SMTP_CMD_EXPN,
	SMTP_CMD_HELP,
	SMTP_CMD_QUIT,
	SMTP_CMD_UNKNOWN	/* a verb we do not know */
};
/* The verb ("HELO"), or "UNKNOWN". */
const char *smtp_cmd_str(enum smtp_cmd c);

/* The phases the viewer's phase bar shows, shared by client and server.
 * ORDER SMTP_PHASE: smtp_phase_str(). */
enum smtp_phase {
	SMTP_PHASE_CONNECTED,	/* TCP up, greeting */
	SMTP_PHASE_HANDSHAKE,	/* HELO or EHLO */
	SMTP_PHASE_TRANSFER,	/* MAIL, RCPT, DATA, the message, "." */
	SMTP_PHASE_CLOSURE	/* QUIT and 221 (or 421) */
};
const char *smtp_phase_str(enum smtp_phase p);

/* What a transcript line is: sent by the client (a command, or a line of
 * the message between DATA and ".", both "C:") or by the server (a reply
 * line, "S:"). ORDER SMTP_LINE: smtp_line_kind_str(). */
enum smtp_line_kind {
	SMTP_LINE_CMD,
	SMTP_LINE_DATA,
	SMTP_LINE_REPLY
};
const char *smtp_line_kind_str(enum smtp_line_kind k);

/* The fate of one recipient of a message, as the client reports it.
 * ORDER SMTP_OUT: smtp_outcome_str(). */
enum smtp_outcome {
	SMTP_OUT_ACCEPTED,	/* 250 after "." for this recipient */
	SMTP_OUT_TEMPFAIL,	/* 4xx, or no answer: retry later */
	SMTP_OUT_PERMFAIL	/* 5xx: bounce to the sender */
};
const char *smtp_outcome_str(enum smtp_outcome o);

/* BODY= of MAIL (RFC 6152). ORDER SMTP_BODY: smtp_body_str(). */
enum smtp_body {
	SMTP_BODY_NONE,		/* not given */
	SMTP_BODY_7BIT,
	SMTP_BODY_8BITMIME
};
const char *smtp_body_str(enum smtp_body b);

/* A command line split at the first space: verb and arguments. The
 * pointers go into the line given to smtp_cmd_parse. */
struct smtp_cmdline {
	enum smtp_cmd cmd;	/* from the verb, case-insensitive */
	const char *verb;	/* the verb as received */
	size_t verb_len;
	const char *args;	/* after the space, trailing blanks removed */
	size_t args_len;
};
/* Splits line[0..len). Never fails: an unknown verb is SMTP_CMD_UNKNOWN
 * (an empty line too). */
void smtp_cmd_parse(const char *line, size_t len, struct smtp_cmdline *out);

/* The arguments of MAIL ("FROM:<path> [params]") or RCPT ("TO:<path>
 * [params]"); one space after the colon is accepted, as the textbook
 * writes it. */
struct smtp_path_args {
	char addr[SMTP_ADDR_MAX + 1];	/* Mailbox without brackets and
					 * source route; "" for "<>" */
	int has_params;		/* any ESMTP parameter given */
	uint64_t size;		/* SIZE=, 0 if absent */
	enum smtp_body body;	/* BODY= */
};
/* Parses MAIL's arguments into *out.
 *   NL_EMALFORMED    syntax error in the path or a parameter (501)
 *   NL_EUNSUPPORTED  a parameter we do not know (555)
 * On failure *out is zeroed. */
enum nl_status smtp_mail_parse(const char *args, size_t len,
    struct smtp_path_args *out);
/* The same for RCPT: "<>" is refused, "<Postmaster>" (any case) is
 * accepted without a domain (4.1.1.3); no parameter is known. */
enum nl_status smtp_rcpt_parse(const char *args, size_t len,
    struct smtp_path_args *out);

/* 1 if s[0..n) is a Mailbox (Local-part "@" Domain / address-literal,
 * 4.1.2) within the limits of 4.5.3.1. */
int smtp_mailbox_valid(const char *s, size_t n);
/* 1 if s[0..n) is a Domain or an address-literal (HELO and EHLO). */
int smtp_domain_valid(const char *s, size_t n);
/* 1 if any byte of data is 8-bit (needs BODY=8BITMIME). */
int smtp_is_8bit(const void *data, size_t len);

/* ---- The envelope: MAIL FROM and RCPT TO, apart from the message ---- */
struct smtp_envelope {
	char *helo;		/* client's HELO/EHLO name (server side) */
	int esmtp;		/* EHLO was used */
	char *from;		/* reverse-path, "" for the null sender */
	char **rcpt;		/* forward-paths, nrcpt of them */
	size_t nrcpt;
	uint64_t size;		/* SIZE= declared, 0 if none */
	enum smtp_body body;	/* BODY= declared */
};
/* All strings are owned by the envelope. */
void smtp_env_init(struct smtp_envelope *e);
/* Frees every string; the envelope is empty again. */
void smtp_env_clear(struct smtp_envelope *e);
/* Setters copy their argument; NL_ENOMEM leaves e unchanged. */
enum nl_status smtp_env_set_from(struct smtp_envelope *e, const char *from);
enum nl_status smtp_env_set_helo(struct smtp_envelope *e, const char *helo);
enum nl_status smtp_env_add_rcpt(struct smtp_envelope *e, const char *rcpt);
/* A deep copy of src into dst (initialised); dst is cleared on failure. */
enum nl_status smtp_env_copy(struct smtp_envelope *dst,
    const struct smtp_envelope *src);

/* ---- Reply texts ---- */

/* The values of the placeholders of a reply text. NULL reads as "". */
struct smtp_vars {
	const char *domain;	/* %d: the server's name */
	const char *client;	/* %c: the name the client gave in HELO */
	const char *addr;	/* %a: the address of the command */
	const char *qid;	/* %q: the queue id of an accepted message */
	uint64_t size;		/* %s: the size limit */
};
/* Appends fmt with %d %c %a %q %s and %% replaced ("%x" else is kept as
 * it is). Inserted values have control characters turned to "?", and
 * each line ("\n" separates them) is cut at REPLY_TEXT_MAX, so that the
 * result always makes a valid reply. */
enum nl_status smtp_text_expand(struct nl_dbuf *out, const char *fmt,
    const struct smtp_vars *v);

#endif
