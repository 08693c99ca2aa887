/* line.h - CRLF-terminated lines from a byte stream, for SMTP, POP3 and
 * IMAP (RFC 5321 2.3.8, RFC 1939 3, RFC 3501 2.2).
 *
 * Only CR LF ends a line: a bare LF or a bare CR is part of the line's
 * content, so a "<LF>.<LF>" inside DATA can never end the message early
 * (no SMTP smuggling). Lines longer than the limit are discarded up to
 * their CRLF and reported once, so the session can answer 500 in order
 * (RFC 5321 4.5.3.1.4). Memory is bounded by the limit whatever the
 * input, and the result does not depend on how the stream was chunked
 * (curl's pingpong, OpenSMTPD's IO_DATAIN). */
#ifndef NL_LINE_H
#define NL_LINE_H

#include <stddef.h>
#include <stdint.h>

#include "util/status.h"

/* RFC 5321 4.5.3.1: limits including the CRLF. */
#define LINE_SMTP_CMD_MAX 512	/* 4.5.3.1.4 command line */
#define LINE_SMTP_TEXT_MAX 1000	/* 4.5.3.1.6 text line */
#define LINE_SMTP_REPLY_MAX 512	/* 4.5.3.1.5 reply line */

/* A partial line between calls. Fields are private to line.c. */
struct line_buf {
	uint8_t *buf;		/* bytes of the line so far, owned */
	size_t len;		/* bytes in buf */
	size_t cap;		/* bytes allocated in buf */
	size_t max;		/* longest line accepted, CRLF included */
	int cr;			/* the last byte taken was a CR */
	int overlong;		/* discarding a line that went past max */
};

/* An empty reader for lines of at most max bytes (CRLF included). */
void line_init(struct line_buf *lb, size_t max);
/* Frees the buffer; the reader may be initialised again. */
void line_free(struct line_buf *lb);
/* Changes the limit (DATA raises it to the text line limit). */
void line_set_max(struct line_buf *lb, size_t max);
/* Bytes of an unfinished line held between calls. */
size_t line_pending(const struct line_buf *lb);

/* Takes bytes from data[0..len) until one line is complete.
 * *used gets the bytes consumed (the caller passes the rest again later,
 * which is how pipelined input is kept apart).
 *   NL_OK       *line and *line_len: the line without its CRLF, valid until
 *               the next call; it may contain bare CR, bare LF or NUL.
 *   NL_AGAIN    everything was consumed and no line is complete.
 *   NL_ELIMIT   a line longer than max ended here; its bytes are gone.
 *   NL_ENOMEM   out of memory (the partial line is dropped).
 */
enum nl_status line_next(struct line_buf *lb, const uint8_t *data,
    size_t len, size_t *used, const uint8_t **line, size_t *line_len);

#endif
