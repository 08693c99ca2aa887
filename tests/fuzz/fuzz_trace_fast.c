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

/* As in fuzz_trace_file.c: more bytes only make each run slower. */
#define FUZZ_MAX (2u * TRACE_FILE_LINE_MAX + 4096)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* trace_file_read over the n bytes at p, on the general path only when
 * slow. NL_EIO, with *out NULL, if no tmpfile can be made. */
static enum nl_status
read_mode(const uint8_t *p, size_t n, int slow, struct trace **out,
    char *err, size_t errlen)
{
	FILE *f = tmpfile();
	enum nl_status st;

	*out = NULL;
	err[0] = '\0';
	if (f == NULL)
		return NL_EIO;
	if (n > 0 && fwrite(p, 1, n, f) != n) {
		fclose(f);
		return NL_EIO;
	}
	rewind(f);
	trace_file_set_slow(slow);
	st = trace_file_read(f, out, err, errlen);
	trace_file_set_slow(0);
	fclose(f);
	return st;
}

/* 1 when a and b hold the same header and events. */
static int
traces_equal(const struct trace *a, const struct trace *b)
{
	size_t i, j;

	if (strcmp(trace_scenario(a), trace_scenario(b)) != 0 ||
	    strcmp(trace_title(a), trace_title(b)) != 0 ||
	    trace_seed(a) != trace_seed(b) ||
	    trace_node_count(a) != trace_node_count(b) ||
	    trace_link_count(a) != trace_link_count(b) ||
	    trace_count(a) != trace_count(b))
		return 0;
	for (i = 0; i < trace_node_count(a); i++) {
		const struct trace_node *x = trace_node(a, (int32_t)i);
		const struct trace_node *y = trace_node(b, (int32_t)i);

		if (strcmp(x->name, y->name) != 0 ||
		    strcmp(x->kind, y->kind) != 0 || x->naddrs != y->naddrs)
			return 0;
		for (j = 0; j < x->naddrs; j++)
			if (x->addrs[j] != y->addrs[j])
				return 0;
	}
	for (i = 0; i < trace_link_count(a); i++) {
		const struct trace_link *x = trace_link(a, (int32_t)i);
		const struct trace_link *y = trace_link(b, (int32_t)i);

		if (strcmp(x->name, y->name) != 0 || x->a != y->a ||
		    x->b != y->b || x->delay != y->delay ||
		    x->bandwidth != y->bandwidth || x->queue != y->queue ||
		    memcmp(&x->loss, &y->loss, sizeof x->loss) != 0)
			return 0;
	}
	for (i = 0; i < trace_count(a); i++) {
		const struct trace_event *x = trace_at(a, i);
		const struct trace_event *y = trace_at(b, i);

		if (x->seq != y->seq || x->t != y->t || x->kind != y->kind ||
		    x->proto != y->proto || x->flags != y->flags ||
		    x->node != y->node || x->peer != y->peer ||
		    x->link != y->link || x->a != y->a || x->b != y->b ||
		    x->c != y->c || strcmp(x->summary, y->summary) != 0 ||
		    x->len != y->len ||
		    (x->len > 0 && memcmp(x->data, y->data, x->len) != 0))
			return 0;
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct trace *fast = NULL, *slow = NULL;
	char err1[512], err2[512];
	enum nl_status st1, st2;

	if (size > FUZZ_MAX)
		return 0;
	st1 = read_mode(data, size, 0, &fast, err1, sizeof err1);
	st2 = read_mode(data, size, 1, &slow, err2, sizeof err2);
	if (st1 == NL_EIO && fast == NULL && err1[0] == '\0')
		goto done;	/* no tmpfile: nothing to compare */
	if (st1 != st2 || strcmp(err1, err2) != 0 ||
	    (st1 == NL_OK && !traces_equal(fast, slow)))
		abort();
done:
	trace_free(fast);
	trace_free(slow);
	return 0;
}
