/* test_scenario.c - unit tests of the scenario module. */
#include "test.h"

const struct test_case tests_scenario[] = {
	{ NULL, NULL },
};
