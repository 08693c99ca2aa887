/* test.h - the unit test harness: typed ASSERT macros that print both
 * values and end the test (libuv's test/task.h, Redis's testhelp.h). */
#ifndef NL_TEST_H
#define NL_TEST_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

struct test_case {
	const char *name;	/* "engine_fifo" */
	void (*fn)(void);	/* the test body */
};

/* Set by a failing ASSERT; the runner reads and clears it. */
extern int test_failed;

#define TEST_FAIL_AT(...)                                                  \
	do {                                                               \
		fprintf(stderr, "  %s:%d: ", __FILE__, __LINE__);          \
		fprintf(stderr, __VA_ARGS__);                              \
		fputc('\n', stderr);                                       \
		test_failed = 1;                                           \
		return;                                                    \
	} while (0)

#define ASSERT(cond)                                                       \
	do {                                                               \
		if (!(cond))                                               \
			TEST_FAIL_AT("assertion failed: %s", #cond);       \
	} while (0)

#define ASSERT_EQ(a, b)                                                    \
	do {                                                               \
		long long a_ = (long long)(a), b_ = (long long)(b);        \
		if (a_ != b_)                                              \
			TEST_FAIL_AT("%s == %s: %lld != %lld", #a, #b, a_, b_); \
	} while (0)

#define ASSERT_NE(a, b)                                                    \
	do {                                                               \
		long long a_ = (long long)(a), b_ = (long long)(b);        \
		if (a_ == b_)                                              \
			TEST_FAIL_AT("%s != %s: both %lld", #a, #b, a_);   \
	} while (0)

#define ASSERT_U64_EQ(a, b)                                                \
	do {                                                               \
		uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);           \
		if (a_ != b_)                                              \
			TEST_FAIL_AT("%s == %s: %" PRIu64 " != %" PRIu64,  \
			    #a, #b, a_, b_);                               \
	} while (0)

#define ASSERT_STR_EQ(a, b)                                                \
	do {                                                               \
		const char *a_ = (a), *b_ = (b);                           \
		if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0)       \
			TEST_FAIL_AT("%s == %s:\n    \"%s\"\n != \"%s\"",  \
			    #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
	} while (0)

#define ASSERT_MEM_EQ(a, b, n)                                             \
	do {                                                               \
		if (memcmp((a), (b), (n)) != 0)                            \
			TEST_FAIL_AT("%s == %s: %zu bytes differ", #a, #b,  \
			    (size_t)(n));                                  \
	} while (0)

/* Each suite file defines `const struct test_case tests_<suite>[]`,
 * ended by {NULL, NULL}, and test_list.h names it once. */
#define TEST_SUITE(suite) extern const struct test_case tests_##suite[];

#endif
