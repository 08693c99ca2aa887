/* imap.h - IMAP (RFC 3501, with RFC 9051 where it differs harmlessly):
 * the codec (tags, atoms, quoted strings, synchronising literals,
 * parenthesised lists, sequence sets, FETCH data), the server session
 * and the client session. Pure: no sockets, no engine. The glue in
 * nodes/ feeds received bytes in, drains the out-buffer, and supplies
 * the mail store as a struct of function pointers.
 *
 * Layout after curl's imap.c (tags counted per session, untagged lines
 * collected until the tagged completion) and OpenSMTPD's
 * smtp_session.c (a command table of {id, verb, check, proceed}). See
 * docs/pop3-imap.md. */
#ifndef NL_IMAP_H
#define NL_IMAP_H

#include <stddef.h>
#include <stdint.h>

#include "proto/line/line.h"
#include "util/buf.h"
#include "util/status.h"

/* Limits, CRLF included where a line is meant. */
#define IMAP_LINE_MAX 8192	/* a command line: RFC 7162 section 4 asks
				 * servers to take at least 8192 octets */
#define IMAP_SRV_LITERAL_MAX 8192 /* a literal in a command: with no
				 * APPEND, literals carry names and
				 * passwords; bigger ones get BAD unread */
#define IMAP_SRV_CMD_MAX 16384	/* a whole command, literals included */
#define IMAP_CLI_LINE_MAX 65536	/* a response line (FETCH with ENVELOPE) */
#define IMAP_TAG_MAX 32		/* octets in a tag */
#define IMAP_NAME_MAX 255	/* user, password, mailbox, pattern */
#define IMAP_SEQ_RANGES 64	/* ranges in one sequence set */
#define IMAP_FETCH_ITEMS 16	/* items in one FETCH */
#define IMAP_TLINE_MAX 1024	/* octets of one line an event shows */
#define IMAP_OUT_MAX (64u << 20) /* out-buffer bytes before the glue
				 * drains them */

/* System flags (RFC 3501 2.3.2) as bits. \Recent is not kept (RFC 9051
 * dropped it); keywords are not stored (PERMANENTFLAGS says so). */
#define IMAP_FLAG_SEEN 0x01u
#define IMAP_FLAG_ANSWERED 0x02u
#define IMAP_FLAG_FLAGGED 0x04u
#define IMAP_FLAG_DELETED 0x08u
#define IMAP_FLAG_DRAFT 0x10u
#define IMAP_FLAG_ALL 0x1fu

/* ---- Reader: whole commands or responses, literals inline ------------ */

/* What imap_reader_feed found. ORDER IMAP_RD: imap_rd_str. */
enum imap_rd {
	IMAP_RD_AGAIN,		/* all bytes taken, nothing complete */
	IMAP_RD_LITERAL,	/* a line ended in "{n}": call accept, refuse
				 * or skip before feeding on */
	IMAP_RD_DONE,		/* a whole command or response is ready */
	IMAP_RD_TOOLONG		/* a line or the whole went over its limit
				 * and was dropped; what came before is
				 * kept, so the tag can still be read */
};

/* Reassembles a command or response from chunks of any size: CRLF
 * lines (proto/line) and, after a line that ends in "{n}", n raw bytes
 * (RFC 3501 4.3). The result holds each line ending in "{n}" with its
 * CRLF, then the literal, then what follows; the last line has no CRLF.
 * Fields are private to imap_codec.c. */
struct imap_reader {
	struct line_buf lb;	/* the line being read */
	struct nl_dbuf msg;	/* the command or response so far */
	size_t msg_max;		/* cap on msg */
	size_t lit_max;		/* cap on one literal */
	size_t lit_want;	/* size announced, awaiting a decision */
	size_t lit_left;	/* literal bytes still to come */
	int deciding;		/* LITERAL returned, no decision yet */
	int dropping;		/* over a limit: read on, keep nothing */
	int done;		/* DONE or TOOLONG returned: reset next */
};

void imap_reader_init(struct imap_reader *r, size_t line_max, size_t lit_max,
    size_t msg_max);
void imap_reader_free(struct imap_reader *r);
/* Takes bytes up to the next event; *used gets how many (the caller
 * passes the rest again). While a literal is being read, only literal
 * bytes are taken, so the caller knows which bytes were literal
 * (imap_reader_in_literal before the call). NL_OK or NL_ENOMEM. */
enum nl_status imap_reader_feed(struct imap_reader *r, const uint8_t *data,
    size_t len, size_t *used, enum imap_rd *ev);
/* After IMAP_RD_LITERAL: the size announced, and whether taking it
 * stays within the limits. */
size_t imap_reader_literal(const struct imap_reader *r);
int imap_reader_literal_fits(const struct imap_reader *r);
/* The literal comes next and is kept. */
void imap_reader_accept(struct imap_reader *r);
/* No literal follows (the server said no): the message ends here. */
void imap_reader_refuse(struct imap_reader *r);
/* The literal comes anyway (a server's response): read it and the rest
 * of the message, keep nothing, and report IMAP_RD_TOOLONG at its end. */
void imap_reader_skip(struct imap_reader *r);
int imap_reader_in_literal(const struct imap_reader *r);
/* The message after DONE or TOOLONG; valid until the next feed. */
const uint8_t *imap_reader_msg(const struct imap_reader *r, size_t *len);

/* ---- Parser over a whole message ------------------------------------- */

/* A cursor over a message from the reader. Every fetch checks bounds
 * and returns NL_OK, NL_EMALFORMED, or NL_ELIMIT (too long for out). */
struct imap_parser {
	const uint8_t *p;	/* the message, not owned */
	size_t len;		/* its bytes */
	size_t pos;		/* next byte */
};

/* A string as found: NIL, quoted (still escaped) or literal. */
enum imap_str_kind { IMAP_STR_NIL, IMAP_STR_ATOM, IMAP_STR_QUOTED,
	IMAP_STR_LITERAL };
struct imap_str {
	enum imap_str_kind kind;	/* which form */
	const uint8_t *p;		/* its bytes inside the message */
	size_t len;			/* their count */
};

void imap_p_init(struct imap_parser *ps, const uint8_t *p, size_t len);
int imap_p_eof(const struct imap_parser *ps);
/* The next byte, or -1 at the end. */
int imap_p_peek(const struct imap_parser *ps);
/* Exactly the byte c. */
enum nl_status imap_p_char(struct imap_parser *ps, int c);
enum nl_status imap_p_sp(struct imap_parser *ps);
/* A tag: 1..IMAP_TAG_MAX ASTRING-CHARs other than "+". */
enum nl_status imap_p_tag(struct imap_parser *ps, char *out, size_t outsz);
/* An atom (1*ATOM-CHAR), NUL-terminated in out. */
enum nl_status imap_p_atom(struct imap_parser *ps, char *out, size_t outsz);
/* A number (RFC 3501 9: up to 4294967295). */
enum nl_status imap_p_number(struct imap_parser *ps, uint32_t *out);
/* An atom-like run of ASTRING-CHARs, a quoted string or a literal. */
enum nl_status imap_p_astring_raw(struct imap_parser *ps, struct imap_str *s);
/* NIL, a quoted string or a literal. */
enum nl_status imap_p_nstring_raw(struct imap_parser *ps, struct imap_str *s);
/* A list-mailbox (LIST pattern): list-chars with "%" and "*", or a
 * string. */
enum nl_status imap_p_list_mailbox_raw(struct imap_parser *ps,
    struct imap_str *s);
/* Copies a string into out, NUL-terminated, undoing quoted escapes.
 * NL_EMALFORMED if it holds a NUL, NL_ELIMIT if it does not fit. */
enum nl_status imap_str_copy(const struct imap_str *s, char *out,
    size_t outsz);
/* Skips one value of any kind (atom, number, string, NIL, list),
 * nesting at most 16 deep. */
enum nl_status imap_p_skip_value(struct imap_parser *ps);

/* The name of a FETCH data item as a server sends it: atom characters,
 * a "[section]" that may hold spaces and parentheses, a "<origin>". */
enum nl_status imap_p_item_name(struct imap_parser *ps, char *out,
    size_t outsz);

/* A sequence set (RFC 3501 9: "1", "1:3", "2:*", "1,4:6"). 0 stands for
 * "*": the largest number in use. */
struct imap_seq_range {
	uint32_t lo;		/* first, 0 for "*" */
	uint32_t hi;		/* last, 0 for "*"; may be below lo */
};
struct imap_seqset {
	struct imap_seq_range r[IMAP_SEQ_RANGES]; /* the ranges */
	size_t n;		/* ranges in use */
};
enum nl_status imap_p_seqset(struct imap_parser *ps, struct imap_seqset *out);
/* 1 when v is in the set, "*" standing for star. */
int imap_seqset_has(const struct imap_seqset *set, uint32_t v, uint32_t star);
/* The largest number the set names other than through "*" (0 if none):
 * to refuse sequence numbers past the end. */
uint32_t imap_seqset_max(const struct imap_seqset *set);

/* One flag: a system flag's bit. NL_EUNSUPPORTED for a keyword or
 * \Recent, NL_EMALFORMED for anything else. */
enum nl_status imap_p_flag(struct imap_parser *ps, unsigned *bit);
/* "(" [flag *(SP flag)] ")". Keywords and \Recent are skipped when
 * lenient (a client reading FLAGS), refused otherwise. */
enum nl_status imap_p_flag_list(struct imap_parser *ps, unsigned *flags,
    int lenient);

/* FETCH data items (RFC 3501 6.4.5). ORDER IMAP_FA: imap_fa_str. */
enum imap_fa {
	IMAP_FA_FLAGS,
	IMAP_FA_UID,
	IMAP_FA_RFC822_SIZE,
	IMAP_FA_INTERNALDATE,
	IMAP_FA_ENVELOPE,
	IMAP_FA_BODY,		/* BODY[], BODY.PEEK[], RFC822 */
	IMAP_FA_BODY_HEADER,	/* BODY[HEADER], BODY.PEEK[HEADER],
				 * RFC822.HEADER */
	IMAP_FA_BODY_TEXT	/* BODY[TEXT], BODY.PEEK[TEXT], RFC822.TEXT */
};
struct imap_fetch_item {
	enum imap_fa fa;	/* what */
	int peek;		/* BODY.PEEK or RFC822.HEADER: \Seen untouched */
	int rfc822;		/* asked as RFC822*: answered under that name */
};
struct imap_fetch {
	struct imap_fetch_item item[IMAP_FETCH_ITEMS]; /* in asked order */
	size_t n;		/* items */
};
/* An item, a parenthesised list of items, or ALL / FAST (FULL asks for
 * BODY structure, which is not implemented: NL_EUNSUPPORTED). */
enum nl_status imap_p_fetch_atts(struct imap_parser *ps,
    struct imap_fetch *out);

/* ---- Writers ----------------------------------------------------------- */

/* 1 when s can go as an atom (1*ASTRING-CHAR), as a quoted string. */
int imap_atomable(const char *s, size_t len);
int imap_quotable(const char *s, size_t len);
/* Appends s as an atom, a quoted string, or a literal (server to
 * client only: a client must wait for "+" before a literal). NULL: NIL
 * for nstring, "" for astring. */
enum nl_status imap_w_astring(struct nl_dbuf *out, const char *s, size_t len);
enum nl_status imap_w_nstring(struct nl_dbuf *out, const char *s, size_t len);
/* "(\Seen \Deleted)" in the order of the IMAP_FLAG_ bits. */
enum nl_status imap_w_flags(struct nl_dbuf *out, unsigned flags);
/* A date-time (RFC 3501 9) for seconds since 1970 UTC:
 * "17-Jul-1996 09:44:25 +0000", quotes included. */
enum nl_status imap_w_date(struct nl_dbuf *out, int64_t t);

/* ---- ENVELOPE (RFC 3501 7.4.2) ---------------------------------------- */

/* Writes "(date subject from sender reply-to to cc bcc in-reply-to
 * message-id)" from the header of an RFC 5322 message. Sender and
 * Reply-To default to From, as the RFC asks. */
enum nl_status imap_w_envelope(struct nl_dbuf *out, const uint8_t *msg,
    size_t len);

/* What a client keeps of an ENVELOPE, each NUL-terminated, cut to fit,
 * "" when NIL. Addresses read "Name <mailbox@host>" or "mailbox@host". */
struct imap_envelope {
	char date[64];		/* as the Date: header says */
	char subject[256];	/* as sent, encoded-words untouched */
	char from[256];		/* the first From address */
	char to[256];		/* the first To address */
	char message_id[256];	/* Message-ID */
};
enum nl_status imap_p_envelope(struct imap_parser *ps,
    struct imap_envelope *env);

/* The header section (with its blank line) and the text of a message. */
void imap_msg_split(const uint8_t *msg, size_t len, size_t *header_len);

/* ---- Events: what both sessions tell the glue -------------------------- */

/* ORDER IMAP_EV: imap_ev_str. */
enum imap_ev {
	IMAP_EV_STATE,		/* a state changed: old -> new */
	IMAP_EV_LINE,		/* one CRLF line crossed the connection */
	IMAP_EV_ERROR		/* the client gave up; text says why */
};

struct imap_event {
	enum imap_ev kind;	/* which of the three */
	int old_state;		/* STATE: enum imap_srv_state or
				 * enum imap_cli_state, as the emitter is */
	int new_state;		/* STATE: the state entered */
	const char *old_name;	/* STATE: names of the two states */
	const char *new_name;
	int from_client;	/* LINE: 1 for a client line ("C:") */
	int data;		/* LINE: the line began inside a literal */
	int secret;		/* LINE: part of a LOGIN command. netlab shows
				 * it anyway: the password crosses the wire
				 * in clear and seeing that is the lesson; a
				 * view may mask lines with this mark. */
	int cut;		/* LINE: longer than IMAP_TLINE_MAX, cut */
	const uint8_t *text;	/* LINE, ERROR: the line without CRLF, or the
				 * reason; valid during the callback only */
	size_t len;		/* bytes in text */
};

typedef void imap_event_fn(void *arg, const struct imap_event *ev);

/* Cuts bytes into CRLF lines for the events, whatever the chunking; a
 * line keeps at most IMAP_TLINE_MAX bytes (cut is set past that). data
 * tells whether the bytes fed are literal content; a line is data when
 * its first byte was. Fields are private to imap_codec.c. */
struct imap_tline {
	uint8_t buf[IMAP_TLINE_MAX];	/* the line so far */
	size_t len;			/* bytes in buf */
	int cr;				/* the last byte was a CR */
	int cut;			/* bytes were dropped */
	int started;			/* the line has a first byte */
	int data;			/* the first byte was literal */
};
typedef void imap_tline_fn(void *arg, const uint8_t *line, size_t len,
    int data, int cut);
void imap_tline_feed(struct imap_tline *t, const uint8_t *p, size_t n,
    int data, imap_tline_fn *fn, void *arg);

/* ---- Server session ---------------------------------------------------- */

/* RFC 3501 3, and the moment before the greeting. ORDER IMAP_SRV. */
enum imap_srv_state {
	IMAP_SRV_CONNECTED,	/* no greeting yet */
	IMAP_SRV_NOT_AUTHENTICATED, /* greeting sent: LOGIN */
	IMAP_SRV_AUTHENTICATED,	/* logged in: LIST, CREATE, SELECT */
	IMAP_SRV_SELECTED,	/* a mailbox is selected: FETCH, STORE... */
	IMAP_SRV_LOGOUT		/* LOGOUT answered or connection lost */
};

/* One message as the store describes it. */
struct imap_msg {
	uint32_t uid;		/* strictly ascending within a mailbox */
	unsigned flags;		/* IMAP_FLAG_ bits */
	int64_t date;		/* INTERNALDATE: seconds since 1970 UTC */
	const uint8_t *data;	/* the RFC 5322 message, CRLF lines */
	size_t size;		/* bytes in data: RFC822.SIZE */
};

/* A mailbox as select() shows it. */
struct imap_mailbox {
	uint32_t uidvalidity;	/* RFC 3501 2.3.1.1 */
	uint32_t uidnext;	/* the uid the next message will get */
	const struct imap_msg *msgs; /* ascending uid, owned by the store,
				 * valid until the next call into it */
	size_t count;		/* messages */
};

typedef void imap_name_fn(void *arg, const char *mailbox);

/* The mail store, supplied by the glue. be is passed back as is.
 * Mailbox names are case-sensitive except INBOX, which the session
 * always passes as "INBOX". Flags are the store's: two sessions on one
 * store see each other's changes. */
struct imap_backend_ops {
	/* NL_OK when pass is user's password; anything else refuses. */
	enum nl_status (*login)(void *be, const char *user, const char *pass);
	/* Calls fn for each mailbox of user. */
	enum nl_status (*list)(void *be, const char *user, imap_name_fn *fn,
	    void *arg);
	/* NL_EEXIST when it exists; other errors refuse. */
	enum nl_status (*create)(void *be, const char *user, const char *mbox);
	/* The mailbox as it is now; NL_ENOTFOUND when there is none. Called
	 * at SELECT and whenever the session needs fresh flags. */
	enum nl_status (*select)(void *be, const char *user, const char *mbox,
	    struct imap_mailbox *out);
	/* Replaces the flags of one message. */
	enum nl_status (*set_flags)(void *be, const char *user,
	    const char *mbox, uint32_t uid, unsigned flags);
	/* Copies a message, with its flags, to dest; NL_ENOTFOUND when dest
	 * does not exist (answered NO [TRYCREATE]). */
	enum nl_status (*copy)(void *be, const char *user, const char *mbox,
	    uint32_t uid, const char *dest);
	/* Removes a message for good. */
	enum nl_status (*expunge)(void *be, const char *user, const char *mbox,
	    uint32_t uid);
};

struct imap_srv_config {
	const char *greeting;	/* after "* OK "; NULL: "IMAP4rev1 Service
				 * Ready" (RFC 3501 8) */
	const struct imap_backend_ops *ops; /* the store */
	void *be;		/* passed to every op */
	imap_event_fn *event;	/* may be NULL */
	void *event_arg;	/* passed to event */
};

struct imap_srv;

/* A session for one connection; ops and be must outlive it. NULL on
 * memory. */
struct imap_srv *imap_srv_new(const struct imap_srv_config *cfg);
void imap_srv_free(struct imap_srv *s);
/* Writes the greeting: CONNECTED -> NOT_AUTHENTICATED. */
enum nl_status imap_srv_start(struct imap_srv *s);
/* Takes received bytes in chunks of any size; each complete command is
 * answered in the out-buffer. NL_OK; NL_ECLOSED after LOGOUT (drain and
 * close); NL_ENOMEM or NL_ELIMIT (out-buffer over IMAP_OUT_MAX): the
 * session is over, close the connection. */
enum nl_status imap_srv_feed(struct imap_srv *s, const uint8_t *data,
    size_t len);
/* The connection was lost: LOGOUT with nothing more. */
void imap_srv_close(struct imap_srv *s);
struct nl_dbuf *imap_srv_out(struct imap_srv *s);
enum imap_srv_state imap_srv_state(const struct imap_srv *s);

/* ---- Client session ---------------------------------------------------- */

/* One state per command, as curl's imap.c. ORDER IMAP_CLI. */
enum imap_cli_state {
	IMAP_CLI_GREETING,	/* waiting for "* OK" */
	IMAP_CLI_LOGIN,		/* LOGIN sent */
	IMAP_CLI_LIST,		/* LIST "" move_to: does it exist? */
	IMAP_CLI_SELECT,	/* SELECT sent */
	IMAP_CLI_SUMMARY,	/* FETCH 1:* (UID FLAGS RFC822.SIZE ENVELOPE) */
	IMAP_CLI_BODY,		/* FETCH n BODY[] (or BODY.PEEK[]) */
	IMAP_CLI_STORE,		/* STORE n +FLAGS (...) */
	IMAP_CLI_CREATE,	/* CREATE move_to: LIST did not show it */
	IMAP_CLI_COPY,		/* COPY set move_to: the messages fetched */
	IMAP_CLI_MARK_DELETED, /* STORE set +FLAGS (\Deleted): the copied */
	IMAP_CLI_EXPUNGE,	/* EXPUNGE */
	IMAP_CLI_LOGOUT,	/* LOGOUT */
	IMAP_CLI_DONE,		/* LOGOUT answered */
	IMAP_CLI_FAILED		/* gave up: see the ERROR event */
};

/* What a client learnt of one message from an untagged FETCH or
 * EXPUNGE; `have` says which fields are set. */
#define IMAP_HAVE_UID 0x01u
#define IMAP_HAVE_FLAGS 0x02u
#define IMAP_HAVE_SIZE 0x04u
#define IMAP_HAVE_ENVELOPE 0x08u
#define IMAP_HAVE_BODY 0x10u
#define IMAP_HAVE_EXPUNGED 0x20u	/* "* n EXPUNGE": seq is gone */
struct imap_cli_msg {
	uint32_t seq;		/* message sequence number */
	unsigned have;		/* IMAP_HAVE_ bits */
	uint32_t uid;		/* UID */
	unsigned flags;		/* FLAGS as IMAP_FLAG_ bits */
	size_t size;		/* RFC822.SIZE */
	const struct imap_envelope *env; /* ENVELOPE */
	const uint8_t *body;	/* BODY[]: the whole message */
	size_t body_len;	/* its bytes */
};
typedef void imap_cli_msg_fn(void *arg, const struct imap_cli_msg *m);

struct imap_cli_config {
	const char *user;	/* LOGIN user, 1..255 octets, no NUL */
	const char *pass;	/* LOGIN password, 1..255 octets, no NUL */
	const char *mailbox;	/* NULL: "INBOX" */
	int fetch_all;		/* 1: BODY[] of every message not \Deleted;
				 * 0: only those without \Seen */
	int peek;		/* 1: BODY.PEEK[] then STORE +FLAGS (\Seen);
				 * 0: BODY[], which sets \Seen itself */
	int delete_after;	/* 1: STORE +FLAGS (\Deleted) each message
				 * fetched, then EXPUNGE */
	int literal_login;	/* 1: user and password go as synchronising
				 * literals (they do anyway when they cannot
				 * be quoted) */
	const char *move_to;	/* NULL, or a mailbox (imap_mailbox_valid,
				 * not INBOX) to file the messages fetched
				 * into, as RFC 3501 clients move mail: LIST
				 * after LOGIN; once the bodies are in,
				 * CREATE if LIST did not show it, COPY them,
				 * STORE +FLAGS (\Deleted), EXPUNGE.
				 * delete_after is then moot */
	size_t msg_max;		/* largest message kept; 0: 4 MiB */
	imap_event_fn *event;	/* may be NULL */
	imap_cli_msg_fn *message; /* may be NULL */
	void *arg;		/* passed to both */
};

struct imap_cli;

/* NULL on memory or when user, pass or mailbox cannot be sent. */
struct imap_cli *imap_cli_new(const struct imap_cli_config *cfg);
void imap_cli_free(struct imap_cli *c);
/* Takes bytes from the server in chunks of any size. NL_OK; NL_ECLOSED
 * once DONE or FAILED; NL_ENOMEM or NL_ELIMIT (FAILED). */
enum nl_status imap_cli_feed(struct imap_cli *c, const uint8_t *data,
    size_t len);
/* The connection was lost: FAILED unless DONE. */
void imap_cli_close(struct imap_cli *c);
struct nl_dbuf *imap_cli_out(struct imap_cli *c);
enum imap_cli_state imap_cli_state(const struct imap_cli *c);
/* NL_OK when the session ended as planned; else why it did not. */
enum nl_status imap_cli_status(const struct imap_cli *c);
/* Message bodies handed to the glue so far. */
size_t imap_cli_fetched(const struct imap_cli *c);
/* Messages filed into move_to (copied, then expunged from the
 * mailbox read). */
size_t imap_cli_moved(const struct imap_cli *c);
/* 1 when name can be CREATEd: 1..IMAP_NAME_MAX printable ASCII octets
 * without the LIST wildcards "%" and "*", without "&" (modified UTF-7,
 * RFC 3501 5.1.3, is not decoded here), and levels between the "/"
 * delimiters that are not empty (RFC 3501 5.1). INBOX passes: a store
 * answers it exists. */
int imap_mailbox_valid(const char *name);

/* ---- Names ------------------------------------------------------------- */

const char *imap_rd_str(enum imap_rd e);
const char *imap_fa_str(enum imap_fa fa);
const char *imap_ev_str(enum imap_ev e);
const char *imap_srv_state_str(enum imap_srv_state st);
const char *imap_cli_state_str(enum imap_cli_state st);
const char *imap_str_kind_str(enum imap_str_kind k);

#endif
