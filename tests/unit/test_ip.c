/* test_ip.c - unit tests of the ip module. */
#include "test.h"

const struct test_case tests_ip[] = {
	{ NULL, NULL },
};
