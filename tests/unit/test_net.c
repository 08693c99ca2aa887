/* test_net.c - unit tests of the net module. */
#include "test.h"

const struct test_case tests_net[] = {
	{ NULL, NULL },
};
