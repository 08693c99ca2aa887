/* detail.h - the decoded fields of one event for the detail pane: the
 * IPv4, UDP and TCP headers of a datagram (proto/ip codecs), a DNS
 * message (proto/dns), the lines of a text protocol, each field with the
 * byte range it came from, so the hex dump can light them up. */
#ifndef NL_UI_DETAIL_H
#define NL_UI_DETAIL_H

#include <stddef.h>
#include <stdint.h>

#include "trace/trace.h"

#define UI_FIELDS_MAX 192	/* fields kept; the rest are dropped */

struct ui_field {
	char name[28];		/* "Source port", "Question 1" */
	char value[100];	/* "49152", "gaia.cs.umass.edu. A IN" */
	uint32_t off, len;	/* bytes of the event's data it came from;
				 * len 0: none */
	uint8_t depth;		/* 0: a section heading, 1, 2: fields */
};

struct ui_detail {
	uint32_t ev;		/* the decoded event; UINT32_MAX: none */
	size_t nfields;		/* fields in use */
	struct ui_field fields[UI_FIELDS_MAX];
};

/*
 * Decodes event ev of t into d (ev past the end empties it). Field bytes
 * index ev's data. Allocates only while decoding a DNS message, and is
 * meant to run when the selection changes, not every frame.
 */
void ui_detail_decode(struct ui_detail *d, const struct trace *t, size_t ev);

/* The innermost field (deepest, then shortest) holding byte off, -1. */
int ui_detail_field_at(const struct ui_detail *d, uint32_t off);

#endif
