/* fuzz_dns_name.c - fuzz target: DNS names on the wire (RFC 1035 4.1.4
 * compression) and in presentation form (5.1 escapes).
 *
 * The first octet picks the mode. Even: wire. The next two octets are an
 * offset, the rest a message; the name there is read, and if accepted it
 * must print, read back from its text to the same octets, and survive a
 * compressed write and parse as question, owner and RDATA name. Odd:
 * text. The rest is a name in presentation form; if accepted it must be
 * valid and print to text that reads back to the same octets. Build with
 * clang -fsanitize=fuzzer, or link with tests/fuzz/run_corpus.c to replay
 * tests/fuzz/corpus/dns_name/. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/dns/dns_msg.h"
#include "util/alloc.h"
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

static int
same_octets(const struct dns_name *a, const struct dns_name *b)
{
	return a->len == b->len && memcmp(a->wire, b->wire, a->len) == 0;
}

/* Text form and back gives the same octets, case included. */
static void
check_text(const struct dns_name *n)
{
	char buf[DNS_NAME_STRLEN];
	struct dns_name back;

	CHECK(dns_name_valid(n));
	dns_name_str(n, buf, sizeof buf);
	CHECK(strcmp(buf, "?") != 0);
	CHECK(dns_name_from_str(buf, &back, NULL) == NL_OK);
	CHECK(same_octets(n, &back));
}

/* The name as question, owner and CNAME target of one message, written
 * with compression and read back. */
static void
check_wire(const struct dns_name *n)
{
	struct dns_msg *m = dns_msg_new(), *back = NULL;
	struct dns_rr *rr;
	struct nl_dbuf w;
	struct dns_perr err;

	CHECK(m != NULL);
	CHECK(dns_msg_add_question(m, n, DNS_T_A, DNS_C_IN) == NL_OK);
	rr = dns_msg_add_rr(m, DNS_S_ANSWER, n, DNS_T_CNAME, DNS_C_IN, 1);
	CHECK(rr != NULL);
	rr->rd.name = *n;
	nl_dbuf_init(&w, DNS_MSG_MAX);
	CHECK(dns_msg_write(m, &w) == NL_OK);
	CHECK(dns_msg_parse(w.data, w.len, &back, &err) == NL_OK);
	CHECK(dns_msg_eq(m, back));
	/* The first occurrence is whole, so it keeps its case exactly. */
	CHECK(same_octets(n, &back->qd[0].name));
	nl_dbuf_free(&w);
	dns_msg_free(back);
	dns_msg_free(m);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dns_name n;
	struct dns_perr err;
	size_t off, next;

	if (size < 1 || size > DNS_MSG_MAX)
		return 0;
	if ((data[0] & 1) == 0) {
		if (size < 3)
			return 0;
		off = (size_t)data[1] << 8 | data[2];
		if (dns_name_parse(data + 3, size - 3, off, &n, &next,
		    &err) != NL_OK) {
			CHECK(err.code != DNS_E_NONE);
			CHECK(n.len == 1 && n.wire[0] == 0);
			return 0;
		}
		CHECK(next > off && next <= size - 3);
		check_text(&n);
		check_wire(&n);
	} else {
		char *s = nl_alloc(size);

		CHECK(s != NULL);
		memcpy(s, data + 1, size - 1);
		s[size - 1] = '\0';
		if (dns_name_from_str(s, &n, &err) == NL_OK) {
			check_text(&n);
			check_wire(&n);
		} else {
			CHECK(err.code != DNS_E_NONE);
		}
		nl_free(s);
	}
	return 0;
}
