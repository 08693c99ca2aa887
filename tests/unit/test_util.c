/* test_util.c - status names, the bounded reader, the capped writer,
 * hex, and the failing allocator. */
#include "test.h"

#include "util/alloc.h"
#include "util/buf.h"
#include "util/hex.h"
#include "util/status.h"

static void
test_status_names(void)
{
	int i;

	ASSERT_EQ(NL_OK, 0);
	ASSERT_STR_EQ(nl_status_str(NL_EMALFORMED), "malformed input");
	ASSERT_STR_EQ(nl_status_name(NL_AGAIN), "NL_AGAIN");
	ASSERT_STR_EQ(nl_status_str(NL_STATUS_COUNT_), "unknown status");
	/* Every code has its own text. */
	for (i = 0; i < NL_STATUS_COUNT_; i++) {
		int j;

		for (j = i + 1; j < NL_STATUS_COUNT_; j++)
			ASSERT(strcmp(nl_status_str((enum nl_status)i),
			    nl_status_str((enum nl_status)j)) != 0);
	}
}

static void
test_rbuf(void)
{
	static const uint8_t b[] = { 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde };
	struct nl_rbuf r;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint8_t two[2];

	nl_rbuf_init(&r, b, sizeof b);
	ASSERT_EQ(nl_rbuf_u16(&r, &u16), NL_OK);
	ASSERT_EQ(u16, 0x1234);
	nl_rbuf_tag(&r);
	ASSERT_EQ(nl_rbuf_u32(&r, &u32), NL_OK);
	ASSERT_EQ(u32, 0x56789abc);
	ASSERT_EQ(nl_rbuf_left(&r), 1);
	ASSERT_EQ(nl_rbuf_u16(&r, &u16), NL_AGAIN);	/* nothing consumed */
	ASSERT_EQ(u16, 0);
	ASSERT_EQ(nl_rbuf_left(&r), 1);
	nl_rbuf_rollback(&r);
	ASSERT_EQ(nl_rbuf_pos(&r), 2);
	ASSERT_EQ(nl_rbuf_bytes(&r, two, 2), NL_OK);
	ASSERT_EQ(two[1], 0x78);
	ASSERT(nl_rbuf_take(&r, 4) == NULL);
	ASSERT(nl_rbuf_take(&r, 3) == b + 4);
	ASSERT_EQ(nl_rbuf_u8(&r, &u8), NL_AGAIN);
	ASSERT_EQ(nl_rbuf_skip(&r, 1), NL_AGAIN);
	ASSERT_EQ(nl_rbuf_seek(&r, 8), NL_ELIMIT);
	ASSERT_EQ(nl_rbuf_seek(&r, 6), NL_OK);
	ASSERT_EQ(nl_rbuf_u8(&r, &u8), NL_OK);
	ASSERT_EQ(u8, 0xde);
	nl_rbuf_init(&r, NULL, 5);
	ASSERT_EQ(nl_rbuf_left(&r), 0);
}

static void
test_dbuf(void)
{
	struct nl_dbuf b;
	uint8_t *p;
	size_t len;

	nl_dbuf_init(&b, 16);
	ASSERT_EQ(nl_dbuf_add_u16(&b, 0xabcd), NL_OK);
	ASSERT_EQ(nl_dbuf_add_u32(&b, 0x01020304), NL_OK);
	ASSERT_EQ(nl_dbuf_add_u8(&b, 9), NL_OK);
	ASSERT_EQ(b.len, 7);
	ASSERT_EQ(b.data[0], 0xab);
	ASSERT_EQ(b.data[5], 0x04);
	ASSERT_EQ(nl_dbuf_put_u16(&b, 5, 0x1111), NL_OK);
	ASSERT_EQ(nl_dbuf_put_u16(&b, 6, 0x1111), NL_EINVAL);
	ASSERT_EQ(nl_dbuf_addf(&b, "%d", 12345), NL_OK);
	ASSERT_EQ(b.len, 12);
	/* Past the cap: refused, and the buffer is freed (curl's rule). */
	ASSERT_EQ(nl_dbuf_add_str(&b, "hello"), NL_ELIMIT);
	ASSERT_EQ(b.len, 0);
	ASSERT(b.data == NULL);
	ASSERT_EQ(nl_dbuf_add_str(&b, "hi"), NL_OK);
	p = nl_dbuf_take(&b, &len);
	ASSERT_EQ(len, 2);
	ASSERT_STR_EQ((char *)p, "hi");
	ASSERT(b.data == NULL && b.len == 0);
	nl_free(p);
	/* A long formatted string goes past the small stack buffer. */
	nl_dbuf_init(&b, 4096);
	ASSERT_EQ(nl_dbuf_addf(&b, "%0300d", 7), NL_OK);
	ASSERT_EQ(b.len, 300);
	nl_dbuf_reset(&b);
	ASSERT_EQ(b.len, 0);
	nl_dbuf_free(&b);
	nl_dbuf_free(&b);
}

static void
test_hex(void)
{
	struct nl_dbuf b;
	size_t bad;
	static const uint8_t bytes[] = { 0x00, 0xff, 0x1a };

	nl_dbuf_init(&b, 64);
	ASSERT_EQ(nl_hex_encode(&b, bytes, 3), NL_OK);
	ASSERT_STR_EQ((char *)b.data, "00ff1a");
	nl_dbuf_free(&b);
	ASSERT_EQ(nl_hex_decode(&b, "00:FF 1a\n", 9, &bad), NL_OK);
	ASSERT_EQ(b.len, 3);
	ASSERT_MEM_EQ(b.data, bytes, 3);
	nl_dbuf_free(&b);
	ASSERT_EQ(nl_hex_decode(&b, "00f", 3, &bad), NL_EMALFORMED);
	ASSERT_EQ(bad, 2);
	nl_dbuf_free(&b);
	ASSERT_EQ(nl_hex_decode(&b, "0g", 2, &bad), NL_EMALFORMED);
	ASSERT_EQ(bad, 1);
	nl_dbuf_free(&b);
}

/* The countdown fails exactly the Nth allocation and all after it. */
static void
test_alloc_countdown(void)
{
	void *a, *b, *c;
	struct nl_dbuf d;
	long n;

	nl_alloc_fail_after(2);
	a = nl_alloc(8);
	b = nl_strdup("x");
	c = nl_alloc(8);
	ASSERT(a != NULL && b != NULL && c == NULL);
	ASSERT(nl_alloc_failed());
	nl_alloc_fail_after(-1);
	ASSERT(!nl_alloc_failed());
	nl_free(a);
	nl_free(b);
	/* A writer under every failure point: fails cleanly or succeeds. */
	for (n = 0;; n++) {
		enum nl_status st;

		nl_dbuf_init(&d, 1 << 20);
		nl_alloc_fail_after(n);
		st = nl_dbuf_addf(&d, "%0900d", 1);
		if (st == NL_OK)
			st = nl_dbuf_addf(&d, "%0900d", 2);
		nl_alloc_fail_after(-1);
		nl_dbuf_free(&d);
		if (st == NL_OK)
			break;
		ASSERT_EQ(st, NL_ENOMEM);
	}
	ASSERT(n >= 1);
	a = nl_strndup("abcdef", 3);
	ASSERT_STR_EQ((char *)a, "abc");
	nl_free(a);
}

const struct test_case tests_util[] = {
	{ "util_status_names", test_status_names },
	{ "util_rbuf", test_rbuf },
	{ "util_dbuf", test_dbuf },
	{ "util_hex", test_hex },
	{ "util_alloc_countdown", test_alloc_countdown },
	{ NULL, NULL },
};
