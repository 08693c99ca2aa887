/* line.c - CRLF line reassembly with a hard length limit (see line.h). */
#include "proto/line/line.h"

#include <string.h>

#include "util/alloc.h"

void
line_init(struct line_buf *lb, size_t max)
{
	memset(lb, 0, sizeof *lb);
	lb->max = max < 2 ? 2 : max;
}

void
line_free(struct line_buf *lb)
{
	nl_free(lb->buf);
	lb->buf = NULL;
	lb->len = 0;
	lb->cap = 0;
	lb->cr = 0;
	lb->overlong = 0;
}

void
line_set_max(struct line_buf *lb, size_t max)
{
	lb->max = max < 2 ? 2 : max;
}

size_t
line_pending(const struct line_buf *lb)
{
	return lb->len;
}

/* Appends b to the partial line, or notes that the line is too long. The
 * buffer is sized to the limit in force (one allocation per limit), so a
 * limit raised by line_set_max grows it before it is needed. */
static enum nl_status
keep(struct line_buf *lb, uint8_t b)
{
	if (lb->overlong)
		return NL_OK;
	if (lb->len + 1 > lb->max - 2) {
		/* max counts the CRLF: max - 2 bytes of content. The CR of
		 * a CRLF split from its LF is held in lb->cr, not here. */
		lb->overlong = 1;
		lb->len = 0;
		return NL_OK;
	}
	if (lb->len >= lb->cap) {
		uint8_t *p = nl_realloc(lb->buf, lb->max);

		if (p == NULL)
			return NL_ENOMEM;
		lb->buf = p;
		lb->cap = lb->max;
	}
	lb->buf[lb->len++] = b;
	return NL_OK;
}

enum nl_status
line_next(struct line_buf *lb, const uint8_t *data, size_t len, size_t *used,
    const uint8_t **line, size_t *line_len)
{
	size_t i;

	*line = NULL;
	*line_len = 0;
	for (i = 0; i < len; i++) {
		uint8_t b = data[i];

		if (lb->cr && b == '\n') {
			int over = lb->overlong;

			lb->cr = 0;
			lb->overlong = 0;
			*used = i + 1;
			if (over) {
				lb->len = 0;
				return NL_ELIMIT;
			}
			*line = lb->buf != NULL ? lb->buf : (const uint8_t *)"";
			*line_len = lb->len;
			lb->len = 0;	/* the caller reads it before the next call */
			return NL_OK;
		}
		if (lb->cr) {
			/* The CR we held was a bare CR: it is content. */
			lb->cr = 0;
			if (keep(lb, '\r') != NL_OK)
				goto nomem;
		}
		if (b == '\r') {
			lb->cr = 1;
			continue;
		}
		if (keep(lb, b) != NL_OK)
			goto nomem;
	}
	*used = len;
	return NL_AGAIN;
nomem:
	*used = i + 1;
	lb->len = 0;
	lb->cr = 0;
	return NL_ENOMEM;
}
