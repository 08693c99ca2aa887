/* fuzz_dns_msg.c - fuzz target: DNS message parse, print, write back,
 * parse again (c-ares's test/ares-test-fuzz.c does the same round).
 *
 * Any input: parse must not crash, leak or read outside the input, and a
 * rejection must come with a reason. An accepted message must print (dig
 * form and brief), write back, parse back to an equal message, and write
 * back again to the very same bytes. Input is capped at 65535 octets, the
 * most a DNS message holds. Build with clang -fsanitize=fuzzer, or link
 * with tests/fuzz/run_corpus.c to replay tests/fuzz/corpus/dns_msg/. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/dns/dns_msg.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                        \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "%s:%d: check failed: %s\n",       \
			    __FILE__, __LINE__, #cond);                    \
			abort();                                           \
		}                                                          \
	} while (0)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dns_msg *m = NULL, *back = NULL;
	struct dns_perr err;
	struct nl_dbuf text, w1, w2;
	enum nl_status st;

	if (size > DNS_MSG_MAX)
		return 0;
	st = dns_msg_parse(data, size, &m, &err);
	if (st != NL_OK) {
		CHECK(st == NL_EMALFORMED || st == NL_ENOMEM);
		CHECK(m == NULL);
		CHECK(st != NL_EMALFORMED || err.code != DNS_E_NONE);
		CHECK(err.off <= size || err.code == DNS_E_MSG_TOO_LONG);
		CHECK(dns_err_str(err.code) != NULL);
		return 0;
	}
	CHECK(m != NULL && err.code == DNS_E_NONE && m->wire_len == size);

	nl_dbuf_init(&text, (size_t)32 * 1024 * 1024);	/* 11 MiB at most */
	CHECK(dns_msg_print(&text, m) == NL_OK);
	CHECK(dns_msg_brief(&text, m) == NL_OK);
	nl_dbuf_free(&text);

	nl_dbuf_init(&w1, DNS_MSG_MAX);
	nl_dbuf_init(&w2, DNS_MSG_MAX);
	st = dns_msg_write(m, &w1);
	/* Our compression can come out longer than the sender's (it may
	 * have pointed into RDATA we keep opaque): then over the limit. */
	CHECK(st == NL_OK || st == NL_ELIMIT);
	if (st == NL_OK) {
		CHECK(dns_msg_parse(w1.data, w1.len, &back, &err) == NL_OK);
		CHECK(dns_msg_eq(m, back));
		CHECK(dns_msg_write(back, &w2) == NL_OK);
		CHECK(w1.len == w2.len);
		CHECK(memcmp(w1.data, w2.data, w1.len) == 0);
	}
	nl_dbuf_free(&w1);
	nl_dbuf_free(&w2);
	dns_msg_free(back);
	dns_msg_free(m);
	return 0;
}
