/* http.h - HTTP/1.1 (RFC 9110 semantics, RFC 9112 message syntax): the
 * message parser (request line or status line, header fields, a body
 * framed by Content-Length, by the chunked coding, or by the close of
 * the connection), the writers, application/x-www-form-urlencoded
 * fields, and a server and a client session. Pure: no sockets, no
 * engine. The glue in nodes/ feeds received bytes in any chunk size and
 * drains the out-buffer to the connection.
 *
 * Every limit is checked as bytes arrive, before anything grows: a
 * header section over HTTP_HEAD_MAX gets 431 when the byte that crosses
 * it arrives, a Content-Length over the body limit gets 413 before a
 * byte of body is read. Memory stays bounded by the limits whatever the
 * input. See docs/webmail.md. */
#ifndef NL_HTTP_H
#define NL_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/status.h"

#define HTTP_LINE_MAX 8000	/* a request line or a field line without
				 * CRLF (RFC 9112 3: at least 8000) */
#define HTTP_HEAD_MAX 16384	/* the whole header section */
#define HTTP_FIELDS_MAX 64	/* field lines in one header section */
#define HTTP_CHUNK_LINE_MAX 1024 /* a chunk-size line with extensions */
#define HTTP_METHOD_MAX 16	/* octets of a method name */
#define HTTP_BODY_MAX (1u << 20) /* a body, when the session says 0 */
#define HTTP_PIPE_MAX 16384	/* bytes a server keeps while a response
				 * is pending (pipelined requests) */
#define HTTP_OUT_MAX (16u << 20) /* out-buffer bytes before a drain */

/* ---- Messages ---------------------------------------------------------- */

/* A field line: name and value NUL-terminated, value without OWS around
 * it (RFC 9110 5.5). */
struct http_field {
	const char *name;	/* as received; compare without case */
	const char *value;	/* may be "" */
};

/* A parsed request or response; the strings live in the parser until
 * http_parser_reset or the next feed. */
struct http_msg {
	int response;		/* 1: status line, 0: request line */
	const char *method;	/* request: "GET", ... */
	const char *target;	/* request: "/inbox?x=1" */
	int minor;		/* HTTP/1.minor */
	int status;		/* response: 200, ... */
	const char *reason;	/* response: may be "" */
	const struct http_field *fields;	/* in received order */
	size_t nfields;
	const uint8_t *body;	/* decoded (chunks joined); NULL if none */
	size_t body_len;
	int chunked;		/* the body came chunked */
	size_t head_len;	/* bytes of start line and header section */
};

/* The value of the first field named `name` (any case), or NULL. */
const char *http_msg_field(const struct http_msg *m, const char *name);
/* 1 when a field's comma-separated list holds token `tok` (any case):
 * "Connection: keep-alive, close" has "close" (RFC 9110 5.6.1). */
int http_msg_has_token(const struct http_msg *m, const char *name,
    const char *tok);
/* 1 when the connection ends after this message: "Connection: close",
 * or HTTP/1.0 without "keep-alive" (RFC 9112 9.3). */
int http_msg_closes(const struct http_msg *m);

/* ---- Parser ------------------------------------------------------------ */

/* ORDER HTTP_PS: http_ps_str in http_str.c. */
enum http_ps {
	HTTP_PS_START,		/* the request line or status line */
	HTTP_PS_HEAD,		/* field lines */
	HTTP_PS_BODY,		/* Content-Length bytes */
	HTTP_PS_CHUNK_SIZE,	/* a chunk-size line */
	HTTP_PS_CHUNK_DATA,	/* chunk data */
	HTTP_PS_CHUNK_END,	/* the CRLF after chunk data */
	HTTP_PS_TRAILER,	/* trailer field lines, discarded */
	HTTP_PS_EOF_BODY,	/* a response body until the close */
	HTTP_PS_DONE,		/* a message is ready */
	HTTP_PS_ERROR		/* stopped: see http_parser_error */
};
const char *http_ps_str(enum http_ps s);

/* Where a field sits in the head buffer (which may move as it grows). */
struct http_fpos {
	size_t name;		/* offset of the name */
	size_t value;		/* offset of the value */
};

/* Fields are private to http_parse.c. */
struct http_parser {
	int response;		/* 1: reads responses */
	int no_body;		/* the response answers HEAD */
	size_t body_max;	/* cap on a decoded body */
	enum http_ps state;
	struct nl_dbuf head;	/* start line and fields, NUL-separated */
	size_t line_start;	/* offset of the line being read */
	size_t line_len;	/* bytes of a chunk or trailer line */
	size_t empty_lines;	/* CRLFs before a request line */
	int cr;			/* the last byte was a CR */
	struct http_fpos pos[HTTP_FIELDS_MAX]; /* field offsets */
	size_t nfields;
	size_t method, target, reason;	/* offsets in head */
	int minor, status;
	uint64_t left;		/* body or chunk bytes still to come */
	char chunk[HTTP_CHUNK_LINE_MAX]; /* the chunk-size line */
	size_t trailer_bytes;	/* trailer bytes so far */
	int chunked;		/* the body is chunked */
	struct nl_dbuf body;	/* the body so far */
	int error;		/* ERROR: the status a server answers */
	const char *why;	/* ERROR: a short reason */
	struct http_field fields[HTTP_FIELDS_MAX]; /* DONE: the fields */
	struct http_msg msg;	/* DONE: the message */
};

/* A parser for requests (response = 0) or responses; body_max 0 means
 * HTTP_BODY_MAX. Allocates nothing yet. */
void http_parser_init(struct http_parser *p, int response, size_t body_max);
void http_parser_free(struct http_parser *p);
/* Ready for the next message (keeps memory for reuse). */
void http_parser_reset(struct http_parser *p);
/* The next response answers a HEAD request: it has no body. */
void http_parser_expect_no_body(struct http_parser *p);

/* Takes bytes from data[0..len) until one message is complete; *used
 * gets the bytes consumed (pipelined bytes after a message stay with the
 * caller).
 *   NL_OK        a message is ready: http_parser_msg
 *   NL_AGAIN     all bytes taken, no message complete
 *   NL_EMALFORMED, NL_ELIMIT, NL_EUNSUPPORTED
 *                the input is refused; http_parser_error gives the
 *                status to answer (400, 413, 414, 431, 501, 505)
 *   NL_ENOMEM
 * After an error, feeding again returns the same error. */
enum nl_status http_parser_feed(struct http_parser *p, const uint8_t *data,
    size_t len, size_t *used);
/* The connection closed: a body read until the close is complete
 * (NL_OK); NL_AGAIN if nothing had started; else NL_EMALFORMED. */
enum nl_status http_parser_eof(struct http_parser *p);
/* The message after NL_OK, else NULL. */
const struct http_msg *http_parser_msg(const struct http_parser *p);
/* After an error: the status to answer and a reason; 0 otherwise. */
int http_parser_error(const struct http_parser *p, const char **why);
enum http_ps http_parser_state(const struct http_parser *p);

/* ---- Writers ----------------------------------------------------------- */

/* What to write. Extra fields are whole "Name: value" lines without
 * CRLF; Content-Length is always written (0 with no body). */
struct http_out {
	const char *method;	/* request: "GET", "POST" */
	const char *target;	/* request: "/" */
	const char *host;	/* request: the Host field (required) */
	int status;		/* response: 100..599 */
	const char *reason;	/* response: NULL: the standard phrase */
	const char *content_type;	/* NULL: none */
	const char *const *extra;	/* extra field lines */
	size_t nextra;
	const uint8_t *body;	/* may be NULL */
	size_t body_len;
	int close;		/* 1: "Connection: close" */
	int no_body;		/* response to HEAD: length but no body */
};

/* Appends a request or a response to out. NL_EINVAL on a bad method,
 * target, host, status or field (CR, LF or NUL inside), else the
 * status of the append. */
enum nl_status http_request_write(struct nl_dbuf *out,
    const struct http_out *o);
enum nl_status http_response_write(struct nl_dbuf *out,
    const struct http_out *o);
/* The reason phrase of a status code (RFC 9110 15), "" if unknown. */
const char *http_reason(int status);

/* ---- application/x-www-form-urlencoded (HTML, URL Standard) --------- */

/* Appends "name=value" (with "&" before it when out is not empty),
 * both percent-encoded, space as "+". */
enum nl_status http_form_add(struct nl_dbuf *out, const char *name,
    const char *value);
/* The value of field `name` in a query or form body, decoded, into
 * out (NUL-terminated). NL_ENOTFOUND, NL_ELIMIT if it does not fit,
 * NL_EMALFORMED on a bad %-escape or a NUL. */
enum nl_status http_form_get(const uint8_t *form, size_t len,
    const char *name, char *out, size_t outsz);

/* ---- Server session ---------------------------------------------------- */

/* ORDER HTTP_SRV: http_srv_state_str. */
enum http_srv_state {
	HTTP_SRV_READING,	/* reading a request */
	HTTP_SRV_WAITING,	/* a request went to the glue: no answer yet */
	HTTP_SRV_CLOSING,	/* the last response is written: close */
	HTTP_SRV_CLOSED		/* the connection is gone */
};
const char *http_srv_state_str(enum http_srv_state s);

struct http_srv;
/* A complete request. The glue answers with http_srv_respond, now or
 * later; msg lives until then. */
typedef void http_srv_request_fn(void *arg, struct http_srv *s,
    const struct http_msg *msg);
/* The session refused a request by itself (400, 413, 431, 501, 505);
 * the response is in the out-buffer. May be NULL. */
typedef void http_srv_refuse_fn(void *arg, int status, const char *why);

struct http_srv_config {
	size_t body_max;	/* a request body; 0: HTTP_BODY_MAX */
	const char *server;	/* the Server field; NULL: none */
	http_srv_request_fn *request;
	http_srv_refuse_fn *refused;
	void *arg;
};

/* A session on a connection just accepted; cfg strings must outlive
 * it. Output goes to out, owned by the glue. NULL on memory. */
struct http_srv *http_srv_new(const struct http_srv_config *cfg,
    struct nl_dbuf *out);
void http_srv_free(struct http_srv *s);	/* NULL does nothing */
/* Takes received bytes, any chunk size. NL_OK; NL_ECLOSED when the
 * connection should close once out is drained; NL_ELIMIT when too many
 * pipelined bytes wait; NL_ENOMEM. */
enum nl_status http_srv_feed(struct http_srv *s, const uint8_t *data,
    size_t len);
/* Answers the pending request. method, host, target of o are ignored;
 * "Connection: close" is added when the request asked for it. Pipelined
 * requests that waited are then read. NL_ESTATE if none is pending;
 * NL_ECLOSED when the connection should close after out is sent. */
enum nl_status http_srv_respond(struct http_srv *s, const struct http_out *o);
/* The pending request, or NULL. */
const struct http_msg *http_srv_request(const struct http_srv *s);
/* The peer closed (or the connection died): CLOSED. */
void http_srv_close(struct http_srv *s);
enum http_srv_state http_srv_state(const struct http_srv *s);

/* ---- Client session ---------------------------------------------------- */

/* ORDER HTTP_CLI: http_cli_state_str. */
enum http_cli_state {
	HTTP_CLI_IDLE,		/* connected, no request outstanding */
	HTTP_CLI_WAITING,	/* a request is sent: reading its response */
	HTTP_CLI_CLOSED		/* the connection is (to be) closed */
};
const char *http_cli_state_str(enum http_cli_state s);

struct http_cli;
/* The response to the request sent (1xx ones are skipped). */
typedef void http_cli_response_fn(void *arg, const struct http_msg *msg);

struct http_cli_config {
	size_t body_max;	/* a response body; 0: HTTP_BODY_MAX */
	http_cli_response_fn *response;
	void *arg;
};

struct http_cli *http_cli_new(const struct http_cli_config *cfg,
    struct nl_dbuf *out);
void http_cli_free(struct http_cli *c);	/* NULL does nothing */
/* Writes a request (one at a time: NL_ESTATE while one is waiting or
 * after close). */
enum nl_status http_cli_request(struct http_cli *c, const struct http_out *o);
/* Takes received bytes. NL_OK; NL_ECLOSED when the response said the
 * connection closes (the glue closes); NL_EMALFORMED / NL_ELIMIT on a
 * bad response (CLOSED); NL_ENOMEM. */
enum nl_status http_cli_feed(struct http_cli *c, const uint8_t *data,
    size_t len);
/* The server closed: a response read until the close is delivered.
 * NL_OK, or NL_EMALFORMED when a response was cut short. */
enum nl_status http_cli_close(struct http_cli *c);
enum http_cli_state http_cli_state(const struct http_cli *c);
/* Why the last feed failed ("" if it did not). */
const char *http_cli_why(const struct http_cli *c);

#endif
