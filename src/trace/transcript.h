/* transcript.h - a trace as text that reads like the textbook:
 *
 *   # netlab transcript: smtp-basic: Alice mails Bob (seed 1)
 *   [   0.012000] crepes.fr → hamburger.edu  SMTP  C: HELO crepes.fr
 *
 * One line per application message, drop, shown state change, note and
 * link or node failure; packet sends and receives are left out. The text
 * depends on the trace alone, so a live run and its trace file read back
 * print the same transcript. docs/trace-format.md has the full format. */
#ifndef NL_TRANSCRIPT_H
#define NL_TRANSCRIPT_H

#include <stddef.h>
#include <stdio.h>

#include "trace/trace.h"
#include "util/status.h"

/* Writes the header line and one line per event that has one, each ended
 * by '\n'. NL_EIO when f refuses the bytes, NL_ENOMEM. */
enum nl_status trace_transcript_write(const struct trace *t, FILE *f);

/* The first line, "# netlab transcript: SCENARIO: TITLE (seed N)",
 * without newline, into buf (truncated to size like snprintf, never in
 * the middle of a UTF-8 character). Returns the length the whole line
 * needs, not counting the NUL. */
size_t trace_transcript_header(const struct trace *t, char *buf,
    size_t size);

/*
 * The transcript line of ev (an event of t), without newline, into buf of
 * size bytes (truncated as above; size 0 writes nothing). Returns 1 when
 * the event has a line, 0 when it has none (buf then holds ""). Allocates
 * nothing, so a viewer may call it every frame.
 */
int trace_transcript_line(const struct trace *t,
    const struct trace_event *ev, char *buf, size_t size);

#endif
