/* trace_file.h - trace files: a trace as JSON Lines, written and read.
 *
 * Line 1 is the header (scenario, seed, nodes, links, event count); every
 * other line is one event. docs/trace-format.md describes every field.
 * The writer is hand-written and deterministic byte for byte; the reader
 * treats the file as hostile input (bounded lines, every field checked). */
#ifndef NL_TRACE_FILE_H
#define NL_TRACE_FILE_H

#include <stddef.h>
#include <stdio.h>

#include "trace/trace.h"
#include "util/status.h"

#define TRACE_FILE_VERSION 1		/* the "netlab_trace" we write */
#define TRACE_FILE_LINE_MAX (1u << 20)	/* bytes in a line, newline excluded */
#define TRACE_FILE_PAYLOAD_MAX 65535u	/* bytes of payload in an event */
#define TRACE_FILE_SUMMARY_MAX 65536u	/* bytes of an event's summary */

/*
 * Writes t to f as a trace file. Nothing is written unless the whole trace
 * can be read back: NL_EINVAL (nothing written) when an event or link
 * refers to a node or link that does not exist, an event has a negative
 * time or an unknown kind or proto, or a link's loss is outside 0..1 or
 * its delay negative; NL_ELIMIT (nothing written) for a payload over
 * TRACE_FILE_PAYLOAD_MAX, a summary over TRACE_FILE_SUMMARY_MAX or a
 * header line over TRACE_FILE_LINE_MAX; NL_ENOMEM; NL_EIO when f refuses
 * the bytes (then f holds part of the file). f is neither closed nor
 * flushed.
 */
enum nl_status trace_file_write(const struct trace *t, FILE *f);

/* trace_file_write to a new file at path (replaced if it exists). A trace
 * the writer refuses (NL_EINVAL, NL_ELIMIT) is refused before the file is
 * touched; after that, any failure removes the file. NL_EIO when it
 * cannot be opened, written or closed. */
enum nl_status trace_file_save(const struct trace *t, const char *path);

/*
 * Reads a trace file from f to its end. On success *out gets a new trace
 * (free it with trace_free). On failure *out is NULL, nothing is leaked,
 * and err (errlen bytes, may be NULL/0) gets one line naming the line of
 * the file and what is wrong with it, e.g.
 *   line 12: "t_ns": expected a non-negative integer, found "abc"
 * Returns NL_EMALFORMED for a file that is not a valid trace, NL_ELIMIT
 * for a line over TRACE_FILE_LINE_MAX, NL_ENOMEM, or NL_EIO for a read
 * error.
 */
enum nl_status trace_file_read(FILE *f, struct trace **out, char *err,
    size_t errlen);

/* trace_file_read from the file at path. The message in err never names
 * the path: the caller prefixes it. NL_EIO (err "cannot open: REASON")
 * when the file cannot be opened. */
enum nl_status trace_file_load(const char *path, struct trace **out,
    char *err, size_t errlen);

#endif
