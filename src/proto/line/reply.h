/* reply.h - RFC 5321 4.2 replies: a 3-digit code and text, on one line
 * ("250 OK") or several ("250-first" ... "250 last"), read incrementally
 * from chunks of any size on top of line.h, and written back.
 *
 *   Reply-line = *( Reply-code "-" [ textstring ] CRLF )
 *                Reply-code [ SP textstring ] CRLF
 *   Reply-code = %x32-35 %x30-35 %x30-39
 *   textstring = 1*(%d09 / %d32-126)      (8-bit bytes are let through)
 *
 * POP3 (+OK/-ERR) and IMAP (tagged lines) do not use this. */
#ifndef NL_REPLY_H
#define NL_REPLY_H

#include <stddef.h>
#include <stdint.h>

#include "proto/line/line.h"
#include "util/buf.h"
#include "util/status.h"

#define REPLY_LINE_MAX LINE_SMTP_REPLY_MAX	/* 512 with the CRLF, 4.5.3.1.5 */
#define REPLY_TEXT_MAX (REPLY_LINE_MAX - 6)	/* text after "250-", before CRLF */
#define REPLY_LINES_MAX 64	/* lines in one reply; an EHLO reply has ~10 */

/* Why a reply was refused. ORDER REPLY_ERR: reply_err_str() in reply.c. */
enum reply_err {
	REPLY_E_NONE,		/* no error */
	REPLY_E_TOO_LONG,	/* a line over REPLY_LINE_MAX */
	REPLY_E_SHORT,		/* fewer than 3 characters */
	REPLY_E_CODE,		/* the first 3 are not a reply code */
	REPLY_E_SEPARATOR,	/* the 4th is neither SP nor "-" */
	REPLY_E_CODE_CHANGED,	/* a line of a multiline reply has another code */
	REPLY_E_CONTROL,	/* a control character (NUL, bare CR or LF...) */
	REPLY_E_TOO_MANY_LINES	/* more than REPLY_LINES_MAX lines */
};

/* A complete reply. Plain data; its memory belongs to the parser that
 * produced it and stays valid until the next reply_parser_feed. */
struct reply {
	int code;		/* 200..599 (100..599 accepted) */
	size_t nlines;		/* lines, at least 1 */
	const char *raw;	/* the lines as received without CRLF, each
				 * followed by "\n"; NUL-terminated */
	size_t raw_len;		/* bytes in raw */
};

/* The incremental reader. Fields are private to reply.c. */
struct reply_parser {
	struct line_buf lb;	/* CRLF reassembly, REPLY_LINE_MAX */
	struct nl_dbuf raw;	/* lines of the reply being read */
	int code;		/* code of its first line, 0 before */
	size_t nlines;		/* lines read into raw */
	enum reply_err err;	/* reason of the last refusal */
};

void reply_parser_init(struct reply_parser *rp);
/* Frees what the parser holds; it may be initialised again. */
void reply_parser_free(struct reply_parser *rp);

/* Takes bytes from data[0..len) until one reply is complete; *used gets
 * the bytes consumed (call again with the rest: pipelined replies).
 *   NL_OK        *out is the reply (valid until the next call)
 *   NL_AGAIN     all consumed, no reply complete yet
 *   NL_EMALFORMED or NL_ELIMIT
 *                a bad line ended here; reply_parser_err() says why. The
 *                reply it belonged to is dropped and the next line starts
 *                a new one (a client gives up on the connection anyway).
 *   NL_ENOMEM    out of memory; the reply is dropped.
 * On any status but NL_OK, *out is zeroed. */
enum nl_status reply_parser_feed(struct reply_parser *rp, const uint8_t *data,
    size_t len, size_t *used, struct reply *out);
enum reply_err reply_parser_err(const struct reply_parser *rp);
const char *reply_err_str(enum reply_err e);

/* Line i (0-based) of r as received, without CRLF: "250-SIZE 1000".
 * Returns its length and points *line at it; 0 and "" if i is too big. */
size_t reply_line(const struct reply *r, size_t i, const char **line);
/* Line i's text: what follows the code and its separator ("SIZE 1000"). */
size_t reply_line_text(const struct reply *r, size_t i, const char **text);

/* Appends a reply with the given code (100..599). text holds the lines
 * separated by "\n": every line but the last is written "250-...", the
 * last "250 ..."; an empty text writes "250\r\n".
 *   NL_EINVAL   bad code, or a control character other than HT in text
 *   NL_ELIMIT   a line would be over REPLY_LINE_MAX, or too many lines
 *   else the status of the buffer (which frees itself on failure).
 * On NL_EINVAL and NL_ELIMIT nothing is appended. */
enum nl_status reply_write(struct nl_dbuf *out, int code, const char *text);
/* The same for n lines given one by one (they may not hold "\n"). */
enum nl_status reply_write_lines(struct nl_dbuf *out, int code,
    const char *const *lines, size_t n);

/* 2 for 2yz replies and so on (RFC 5321 4.2.1); 0 for a bad code. */
int reply_class(int code);

#endif
