/* test_tcp.c - unit tests of the tcp module. */
#include "test.h"

const struct test_case tests_tcp[] = {
	{ NULL, NULL },
};
