/* fuzz_trace_fast.c - fuzz target comparing the trace file reader's two
 * paths: the scanner for lines as the writer prints them
 * (trace_file_scan.c) with the cJSON path it falls back to. Both must
 * give the same status, the same message and, on success, the same
 * trace. Anything else aborts, which the fuzzer reports as a crash. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace/trace.h"
#include "trace/trace_file.h"
#include "trace/trace_file_int.h"

#include "../tfile.h"

/* As in fuzz_trace_file.c: more bytes only make each run slower. */
#define FUZZ_MAX (2u * TRACE_FILE_LINE_MAX + 4096)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct trace *fast = NULL, *slow = NULL;
	char err1[512], err2[512];
	enum nl_status st1, st2;

	if (size > FUZZ_MAX)
		return 0;
	st1 = tf_trace_read(data, size, 0, &fast, err1, sizeof err1);
	st2 = tf_trace_read(data, size, 1, &slow, err2, sizeof err2);
	if (st1 == NL_EIO && fast == NULL && err1[0] == '\0')
		goto done;	/* no tmpfile: nothing to compare */
	if (st1 != st2 || strcmp(err1, err2) != 0 ||
	    (st1 == NL_OK && !trace_same(fast, slow)))
		abort();
done:
	trace_free(fast);
	trace_free(slow);
	return 0;
}
