/* pop3.h - POP3 (RFC 1939, with CAPA from RFC 2449): the codec, the server
 * session and the client session. Pure: no sockets, no engine. The glue
 * in nodes/ feeds received bytes in, drains the out-buffer to the
 * connection, and gets the maildrop through a struct of function pointers.
 *
 * Layout after curl's pop3.c and OpenSMTPD's smtp_session.c/mta_session.c:
 * pop3_codec.c (lines to fields and back), pop3_server.c (a command table
 * of {id, verb, check, proceed}), pop3_client.c (states that send their
 * command on entry, one response handler). See docs/pop3-imap.md. */
#ifndef NL_POP3_H
#define NL_POP3_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/status.h"

/* Limits, CRLF included where a line is meant. */
#define POP3_CMD_MAX 255	/* RFC 2449 section 4: a command line */
#define POP3_RESP_MAX 512	/* RFC 2449 4 and RFC 1939 3: a status line */
#define POP3_DATA_MAX 1001	/* RFC 5322 2.1.1 998 octets, one stuffed
				 * dot, CRLF: one line of a multiline reply */
#define POP3_ARG_MAX 40		/* RFC 1939 3: octets in an argument (PASS
				 * may be longer: it takes the rest of the
				 * line, RFC 1939 7) */
#define POP3_UID_MAX 70		/* RFC 1939 7: a unique-id, 0x21..0x7E */
#define POP3_OUT_MAX (64u << 20) /* bytes a session's out-buffer may hold
				 * before the glue drains it */

/* ---- Codec -------------------------------------------------------- */

/* The commands. ORDER POP3_CMD: pop3_cmd_str and the verb table in
 * pop3_codec.c follow this order. */
enum pop3_cmd {
	POP3_CMD_USER,
	POP3_CMD_PASS,
	POP3_CMD_QUIT,
	POP3_CMD_STAT,
	POP3_CMD_LIST,
	POP3_CMD_RETR,
	POP3_CMD_DELE,
	POP3_CMD_NOOP,
	POP3_CMD_RSET,
	POP3_CMD_TOP,
	POP3_CMD_UIDL,
	POP3_CMD_CAPA,
	POP3_CMD_UNKNOWN	/* a well-formed keyword we do not know */
};

/* Where a field sits in the line, for the hex view. */
struct pop3_span {
	size_t off;		/* first byte, from the start of the line */
	size_t len;		/* bytes */
};

/* A parsed command line (RFC 1939 3: a keyword, then arguments separated
 * by single spaces). */
struct pop3_command {
	enum pop3_cmd cmd;		/* which command */
	char verb[5];			/* the keyword as sent, NUL-terminated */
	int nargs;			/* 0, 1 or 2 */
	char args[2][POP3_CMD_MAX];	/* the arguments, NUL-terminated */
	struct pop3_span verb_at;	/* the keyword in the line */
	struct pop3_span arg_at[2];	/* each argument in the line */
};

/* Parses one command line (without its CRLF).
 *   NL_OK          *out filled; out->cmd may be POP3_CMD_UNKNOWN.
 *   NL_EMALFORMED  not a command: empty, a keyword that is not 3 or 4
 *                  letters, NUL or control bytes, doubled spaces, more
 *                  than two arguments, an argument over POP3_ARG_MAX.
 * PASS takes the rest of the line as its one argument, spaces included
 * (RFC 1939 7 allows it). */
enum nl_status pop3_cmd_parse(const uint8_t *line, size_t len,
    struct pop3_command *out);

/* Reads a decimal message number or count: digits only, no sign, at most
 * 9 digits so it fits any size_t. NL_EMALFORMED otherwise. */
enum nl_status pop3_num_parse(const char *s, size_t *out);

/* A status line: "+OK text" or "-ERR text" (RFC 1939 3). */
struct pop3_response {
	int ok;			/* 1 for +OK, 0 for -ERR */
	const uint8_t *text;	/* what follows the indicator and its space,
				 * not NUL-terminated; points into the line */
	size_t text_len;	/* bytes in text */
	struct pop3_span text_at; /* text in the line */
};

/* Parses a status line (without CRLF). NL_EMALFORMED when it starts with
 * neither "+OK" nor "-ERR", or the indicator runs into other text. */
enum nl_status pop3_resp_parse(const uint8_t *line, size_t len,
    struct pop3_response *out);

/* Multiline data (RFC 1939 3). Writing: appends one line of a message to
 * out with CRLF, doubling a leading '.' (byte-stuffing). */
enum nl_status pop3_data_write_line(struct nl_dbuf *out, const uint8_t *line,
    size_t len);
/* Appends the terminating ".\r\n". */
enum nl_status pop3_data_write_end(struct nl_dbuf *out);
/* Reading: *end gets 1 for the lone "." that ends the data; otherwise
 * *payload and *payload_len get the line with one leading '.' removed. */
void pop3_data_read_line(const uint8_t *line, size_t len, int *end,
    const uint8_t **payload, size_t *payload_len);

/* Splits message bytes into lines on CRLF only (a bare LF or CR stays in
 * its line, as the line layer reads it). *pos is the cursor, 0 at first.
 * Returns 1 and a line (without CRLF) while there is one; a last line
 * with no CRLF is returned too. */
int pop3_msg_next_line(const uint8_t *data, size_t len, size_t *pos,
    const uint8_t **line, size_t *line_len);

const char *pop3_cmd_str(enum pop3_cmd c);

/* ---- Events: what both sessions tell the glue ---------------------- */

/* ORDER POP3_EV: pop3_ev_str follows this order. */
enum pop3_ev {
	POP3_EV_STATE,		/* a state changed: old -> new */
	POP3_EV_LINE,		/* one line crossed the connection */
	POP3_EV_ERROR		/* the session gave up; text says why */
};

struct pop3_event {
	enum pop3_ev kind;	/* which of the three */
	int old_state;		/* STATE: enum pop3_srv_state or
				 * enum pop3_cli_state, as the emitter is */
	int new_state;		/* STATE: the state entered */
	const char *old_name;	/* STATE: the names of the two states */
	const char *new_name;
	int from_client;	/* LINE: 1 for a line the client sent ("C:"),
				 * 0 for one the server sent ("S:") */
	int data;		/* LINE: a line of a multiline body or
				 * listing, or its final ".": as on the
				 * wire, still byte-stuffed */
	int secret;		/* LINE: holds a password. netlab shows it
				 * anyway: the bytes cross the wire in clear
				 * and seeing that is the lesson; a view may
				 * mask lines with this mark. */
	const uint8_t *text;	/* LINE, ERROR: the line without CRLF or the
				 * reason; not NUL-terminated, valid during
				 * the callback only */
	size_t len;		/* bytes in text */
};

typedef void pop3_event_fn(void *arg, const struct pop3_event *ev);

const char *pop3_ev_str(enum pop3_ev e);

/* ---- Server session -------------------------------------------------- */

/* RFC 1939 3, plus the moments before the greeting and after the end.
 * ORDER POP3_SRV: pop3_srv_state_str follows this order. */
enum pop3_srv_state {
	POP3_SRV_CONNECTED,	/* connection open, no greeting yet */
	POP3_SRV_AUTHORIZATION,	/* greeting sent: USER/PASS or QUIT */
	POP3_SRV_TRANSACTION,	/* maildrop locked and listed */
	POP3_SRV_UPDATE,	/* QUIT in TRANSACTION: deletions applied */
	POP3_SRV_CLOSED		/* done: QUIT answered or connection lost */
};

/* One message as the maildrop lists it. */
struct pop3_msg {
	size_t size;		/* octets of the message (RFC 1939 LIST) */
	const char *uid;	/* unique-id for UIDL (1..70 of 0x21..0x7E),
				 * or NULL: the session then uses the number */
};

/* The maildrop, supplied by the glue (OpenSMTPD's backends: a struct of
 * function pointers). be is the glue's pointer, passed back as is. Every
 * successful list() is followed by exactly one release(); commit() comes
 * just before it, and only after a QUIT in TRANSACTION. A dropped
 * connection releases without committing: nothing is deleted. */
struct pop3_backend_ops {
	/* NL_OK when pass opens user's maildrop; anything else refuses. */
	enum nl_status (*login)(void *be, const char *user, const char *pass);
	/* Locks user's maildrop and lists it: *msgs stays valid until
	 * release(). NL_ESTATE: already locked by another session. */
	enum nl_status (*list)(void *be, const char *user,
	    const struct pop3_msg **msgs, size_t *count);
	/* The bytes of message i (0-based, as listed): CRLF lines, not
	 * stuffed; valid until the next call into the backend. */
	enum nl_status (*fetch)(void *be, const char *user, size_t i,
	    const uint8_t **data, size_t *len);
	/* DELE (deleted = 1) or RSET (0) of message i, so the glue can show
	 * it; nothing may be removed yet. May be NULL. */
	void (*mark)(void *be, const char *user, size_t i, int deleted);
	/* UPDATE: removes every message i with del[i] != 0 (count entries).
	 * Anything but NL_OK is answered "-ERR some deleted messages not
	 * removed". */
	enum nl_status (*commit)(void *be, const char *user,
	    const uint8_t *del, size_t count);
	/* Unlocks the maildrop. */
	void (*release)(void *be, const char *user);
};

struct pop3_srv_config {
	const char *hostname;	/* in the sign-off, "dewey" in RFC 1939 10;
				 * NULL: "localhost" */
	const char *greeting;	/* text after "+OK " in the greeting; NULL:
				 * "POP3 server ready" */
	const struct pop3_backend_ops *ops; /* the maildrop */
	void *be;		/* passed to every op */
	pop3_event_fn *event;	/* may be NULL */
	void *event_arg;	/* passed to event */
};

struct pop3_srv;

/* A session for one connection; the config's strings are copied (up to
 * 127 bytes each), ops and be must outlive the session. NULL on memory. */
struct pop3_srv *pop3_srv_new(const struct pop3_srv_config *cfg);
/* Ends the session as a lost connection would (nothing deleted) and
 * frees it. NULL does nothing. */
void pop3_srv_free(struct pop3_srv *s);
/* Writes the greeting: CONNECTED -> AUTHORIZATION. */
enum nl_status pop3_srv_start(struct pop3_srv *s);
/* Takes len received bytes, in chunks of any size: each complete line is
 * answered in the out-buffer.
 *   NL_OK       all bytes taken.
 *   NL_ECLOSED  the session is over (QUIT answered): the glue drains the
 *               out-buffer and closes; bytes after QUIT are ignored.
 *   NL_ENOMEM, NL_ELIMIT  out of memory or out-buffer over POP3_OUT_MAX:
 *               the session is CLOSED without UPDATE; close the
 *               connection.
 */
enum nl_status pop3_srv_feed(struct pop3_srv *s, const uint8_t *data,
    size_t len);
/* The connection was lost or timed out (RFC 1939 3: no UPDATE state). */
void pop3_srv_close(struct pop3_srv *s);
/* The bytes to send; the glue sends and nl_dbuf_reset()s them. */
struct nl_dbuf *pop3_srv_out(struct pop3_srv *s);
enum pop3_srv_state pop3_srv_state(const struct pop3_srv *s);
const char *pop3_srv_state_str(enum pop3_srv_state st);

/* ---- Client session -------------------------------------------------- */

/* One state per command, after curl's pop3.c. ORDER POP3_CLI:
 * pop3_cli_state_str follows this order. */
enum pop3_cli_state {
	POP3_CLI_GREETING,	/* waiting for "+OK" from the server */
	POP3_CLI_USER,		/* USER sent */
	POP3_CLI_PASS,		/* PASS sent */
	POP3_CLI_STAT,		/* STAT sent */
	POP3_CLI_LIST,		/* LIST sent: sizes */
	POP3_CLI_UIDL,		/* UIDL sent: unique ids (optional) */
	POP3_CLI_RETR,		/* RETR n sent */
	POP3_CLI_DELE,		/* DELE n sent */
	POP3_CLI_QUIT,		/* QUIT sent */
	POP3_CLI_DONE,		/* QUIT answered */
	POP3_CLI_FAILED		/* gave up: see the ERROR event */
};

/* A message as retrieved. */
struct pop3_cli_msg {
	size_t number;		/* message number in the session */
	size_t size;		/* size from LIST */
	const char *uid;	/* unique-id from UIDL, or NULL */
	const uint8_t *data;	/* the message, un-stuffed, CRLF lines;
				 * valid during the callback only */
	size_t len;		/* bytes in data */
};

/* A message arrived. */
typedef void pop3_cli_msg_fn(void *arg, const struct pop3_cli_msg *m);
/* 1 when the message with this unique-id was downloaded before and is to
 * be skipped (download and keep, a second time). */
typedef int pop3_cli_known_fn(void *arg, const char *uid);

struct pop3_cli_config {
	const char *user;	/* USER argument: 1..40 octets, no space */
	const char *pass;	/* PASS argument: 1..200 octets, no CR/LF */
	int delete_after;	/* 1: DELE each message retrieved ("download
				 * and delete"); 0: keep them */
	size_t msg_max;		/* largest message accepted; 0: 4 MiB */
	pop3_event_fn *event;	/* may be NULL */
	pop3_cli_msg_fn *message; /* may be NULL */
	pop3_cli_known_fn *known; /* may be NULL: nothing is known */
	void *arg;		/* passed to the three callbacks */
};

struct pop3_cli;

/* A client session; user and pass are copied. NULL on memory or when
 * user or pass cannot be sent (see the config). */
struct pop3_cli *pop3_cli_new(const struct pop3_cli_config *cfg);
void pop3_cli_free(struct pop3_cli *c);
/* Takes bytes from the server in chunks of any size; commands go to the
 * out-buffer. NL_OK; NL_ECLOSED once DONE or FAILED (close the
 * connection); NL_ENOMEM or NL_ELIMIT (FAILED). */
enum nl_status pop3_cli_feed(struct pop3_cli *c, const uint8_t *data,
    size_t len);
/* The connection was lost: FAILED unless DONE. Nothing was deleted
 * unless QUIT was answered. */
void pop3_cli_close(struct pop3_cli *c);
struct nl_dbuf *pop3_cli_out(struct pop3_cli *c);
enum pop3_cli_state pop3_cli_state(const struct pop3_cli *c);
/* NL_OK when the session ended as planned; else why it did not. */
enum nl_status pop3_cli_status(const struct pop3_cli *c);
/* Messages retrieved so far. */
size_t pop3_cli_retrieved(const struct pop3_cli *c);
const char *pop3_cli_state_str(enum pop3_cli_state st);

#endif
