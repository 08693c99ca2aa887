/* test_dns.c - unit tests of the dns module. */
#include "test.h"

const struct test_case tests_dns[] = {
	{ NULL, NULL },
};
