/* test_trace_file.c - unit tests of the trace_file module. */
#include "test.h"

const struct test_case tests_trace_file[] = {
	{ NULL, NULL },
};
