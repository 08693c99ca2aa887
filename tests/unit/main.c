/* main.c - runs the unit test suites of test_list.h.
 *
 *   netlab-tests [SUBSTRING...]   run the tests whose name contains one
 *                                 of the substrings (all by default)
 *
 * Prints one line per failing test and ends with "N passed, N failed". */
#include <stdio.h>
#include <string.h>

#include "test.h"

int test_failed;

#define SUITE(name) TEST_SUITE(name)
#include "test_list.h"
#undef SUITE

static const struct test_case *const suites[] = {
#define SUITE(name) tests_##name,
#include "test_list.h"
#undef SUITE
};

static int
selected(const char *name, int argc, char **argv)
{
	int i;

	if (argc < 2)
		return 1;
	for (i = 1; i < argc; i++)
		if (strstr(name, argv[i]) != NULL)
			return 1;
	return 0;
}

int
main(int argc, char **argv)
{
	size_t s;
	int passed = 0, failed = 0;
	const struct test_case *t;

	for (s = 0; s < sizeof suites / sizeof suites[0]; s++) {
		for (t = suites[s]; t->name != NULL; t++) {
			if (!selected(t->name, argc, argv))
				continue;
			test_failed = 0;
			t->fn();
			if (test_failed) {
				printf("FAIL %s\n", t->name);
				failed++;
			} else {
				printf("ok   %s\n", t->name);
				passed++;
			}
			fflush(stdout);
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
