/* test_trace.c - unit tests of the trace module. */
#include "test.h"

const struct test_case tests_trace[] = {
	{ NULL, NULL },
};
