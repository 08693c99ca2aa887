/* tfile.h - a trace, or its transcript, as bytes in memory and back,
 * through a tmpfile (portable, where fmemopen is not). Shared by the unit
 * tests and fuzz targets that compare trace files; static inline, so a
 * file that uses one of them carries no others. */
#ifndef NL_TESTS_TFILE_H
#define NL_TESTS_TFILE_H

#include <stdio.h>

#include "trace/trace.h"
#include "trace/trace_file.h"
#include "trace/trace_file_int.h"
#include "util/alloc.h"

/* A tmpfile holding the n bytes at p, rewound; NULL if none can be
 * made. */
static inline FILE *
tf_file_of(const void *p, size_t n)
{
	FILE *f = tmpfile();

	if (f == NULL)
		return NULL;
	if (n > 0 && fwrite(p, 1, n, f) != n) {
		fclose(f);
		return NULL;
	}
	rewind(f);
	return f;
}

/* Everything written to f, NUL-ended (nl_free it), and closes f. NULL,
 * with *len 0, if f is NULL or cannot be read back. */
static inline char *
tf_slurp(FILE *f, size_t *len)
{
	char *p = NULL;
	long n;

	*len = 0;
	if (f == NULL)
		return NULL;
	if ((n = ftell(f)) >= 0) {
		p = nl_alloc((size_t)n + 1);
		rewind(f);
		if (p != NULL && fread(p, 1, (size_t)n, f) == (size_t)n) {
			p[n] = '\0';
			*len = (size_t)n;
		} else {
			nl_free(p);
			p = NULL;
		}
	}
	fclose(f);
	return p;
}

/* The bytes trace_file_write gives for t, NUL-ended (nl_free them);
 * NULL with *st the reason (NL_EIO: no tmpfile). */
static inline char *
tf_trace_bytes(const struct trace *t, size_t *len, enum nl_status *st)
{
	FILE *f = tmpfile();
	char *p;

	*len = 0;
	*st = NL_EIO;
	if (f == NULL)
		return NULL;
	*st = trace_file_write(t, f);
	if (*st != NL_OK) {
		fclose(f);
		return NULL;
	}
	p = tf_slurp(f, len);
	if (p == NULL)
		*st = NL_EIO;
	return p;
}

/* trace_file_read over the n bytes at p, on the general (cJSON) path
 * only when slow. NL_EIO, with *out NULL, if no tmpfile can be made. */
static inline enum nl_status
tf_trace_read(const void *p, size_t n, int slow, struct trace **out,
    char *err, size_t errlen)
{
	FILE *f = tf_file_of(p, n);
	enum nl_status st;

	*out = NULL;
	if (errlen > 0)
		err[0] = '\0';
	if (f == NULL)
		return NL_EIO;
	trace_file_set_slow(slow);
	st = trace_file_read(f, out, err, errlen);
	trace_file_set_slow(0);
	fclose(f);
	return st;
}

#endif
