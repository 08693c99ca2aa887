/* test_transcript.c - unit tests of the transcript module. */
#include "test.h"

const struct test_case tests_transcript[] = {
	{ NULL, NULL },
};
