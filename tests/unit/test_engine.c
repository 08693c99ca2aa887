/* test_engine.c - unit tests of the engine module. */
#include "test.h"

const struct test_case tests_engine[] = {
	{ NULL, NULL },
};
