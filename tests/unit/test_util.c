/* test_util.c - unit tests of the util module. */
#include "test.h"

const struct test_case tests_util[] = {
	{ NULL, NULL },
};
