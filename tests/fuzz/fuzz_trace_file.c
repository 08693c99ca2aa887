/* fuzz_trace_file.c - fuzz target for the trace file reader.
 *
 * Feeds the bytes to trace_file_read (through a tmpfile, which is
 * portable). A failure must leave no trace and a message; a success must
 * write back, read again to an equal trace, and write the same bytes
 * again (c-ares's parse, print, write back in test/ares-test-fuzz.c).
 * Anything else aborts, which the fuzzer reports as a crash. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace/trace.h"
#include "trace/trace_file.h"
#include "util/alloc.h"

#include "../tfile.h"

/* Inputs are capped a little over the reader's line limit: more bytes
 * only make each run slower, not different. */
#define FUZZ_MAX (2u * TRACE_FILE_LINE_MAX + 4096)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct trace *t = NULL, *t2 = NULL;
	char *b1, *b2;
	size_t n1, n2;
	char err[512];
	enum nl_status st;
	FILE *f;

	if (size > FUZZ_MAX)
		return 0;
	f = tf_file_of(data, size);
	if (f == NULL)
		return 0;
	err[0] = '\0';
	st = trace_file_read(f, &t, err, sizeof err);
	fclose(f);
	if (st != NL_OK) {
		/* No half result, and always a "line N: ..." message. */
		if (t != NULL || strncmp(err, "line ", 5) != 0)
			abort();
		return 0;
	}

	/* What we read, we can write (NL_EIO: no tmpfile); what we wrote
	 * reads back equal. */
	b1 = tf_trace_bytes(t, &n1, &st);
	if (b1 == NULL) {
		if (st != NL_EIO)
			abort();
		trace_free(t);
		return 0;
	}
	f = tf_file_of(b1, n1);
	if (f == NULL) {
		nl_free(b1);
		trace_free(t);
		return 0;
	}
	st = trace_file_read(f, &t2, err, sizeof err);
	fclose(f);
	if (st != NL_OK || !trace_same(t, t2))
		abort();
	/* And writing it again gives the very same bytes. */
	b2 = tf_trace_bytes(t2, &n2, &st);
	if (b2 == NULL ? st != NL_EIO : (n1 != n2 || memcmp(b1, b2, n1) != 0))
		abort();
	nl_free(b1);
	nl_free(b2);
	trace_free(t);
	trace_free(t2);
	return 0;
}
