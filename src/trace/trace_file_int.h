/* trace_file_int.h - the private part of the trace file reader: the
 * scanner for the canonical event line (trace_file_scan.c), used by
 * trace_file.c, and a switch the tests use to compare it with the
 * general JSON path. No folder but trace/ (and the tests) includes it. */
#ifndef NL_TRACE_FILE_INT_H
#define NL_TRACE_FILE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "trace/trace.h"
#include "trace/trace_file.h"

/* What an event line is checked against. */
struct trace_file_scan_ref {
	uint64_t k;		/* the seq the line must carry */
	sim_time prev_t;	/* time of the event before, if k > 0 */
	size_t nnodes;		/* nodes in the header */
	size_t nlinks;		/* links in the header */
};

/* Where the scanner decodes to; owned by the reader. */
struct trace_file_scan_buf {
	char summary[TRACE_FILE_SUMMARY_MAX + 1];	/* with its NUL */
	uint8_t payload[TRACE_FILE_PAYLOAD_MAX];	/* decoded "hex" */
};

/*
 * Reads an event line of the exact shape trace_file_write gives it
 * (keys in its order, its spacing, its string escapes, integers without
 * leading zeros, lowercase hex) and passing every check the general
 * reader makes. line[len] must be a byte below 0x20 (the NUL or newline
 * ending the line): the scanner stops on it instead of testing the end
 * at every byte. Returns 1 and fills *ev (summary and data point into
 * buf, seq is 0) when the line is such a line; 0 for any other line,
 * valid or not, without saying why: the caller then reads the line the
 * general way, which gives the error message if there is one. Reads
 * nothing past line[len], allocates nothing.
 */
int trace_file_scan_event(const char *line, size_t len,
    const struct trace_file_scan_ref *ref, struct trace_file_scan_buf *buf,
    struct trace_event *ev);

/* With on != 0, trace_file_read takes the general path for every line,
 * so that tests can check both give the same trace. Not thread-safe:
 * for tests only. */
void trace_file_set_slow(int on);

#endif
