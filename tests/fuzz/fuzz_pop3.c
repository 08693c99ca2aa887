/* fuzz_pop3.c - fuzz target for the POP3 sessions (RFC 1939).
 *
 * Feeds the bytes to a server session over a small in-memory maildrop,
 * once whole and once in chunks whose size the first byte picks: the
 * two outputs must be equal, byte for byte (chunking must not matter),
 * and the maildrop must be unlocked after. Then feeds the same bytes to
 * a client session, as if a server had sent them. Any other outcome
 * aborts, which the fuzzer reports as a crash. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/pop3_mem.h"
#include "proto/pop3/pop3.h"
#include "util/alloc.h"
#include "util/buf.h"

/* Past a few hundred command lines nothing new happens, only slower. */
#define FUZZ_MAX 65536

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char m1[] = "From: a@b.c\r\nSubject: one\r\n\r\nhello\r\n"
    ".dot\r\n.\r\n";
static const char m2[] = "Subject: no final CRLF\r\n\r\nbare\nLF and "
    "bare\rCR";
static const char m3[] = "";

static void
setup(struct pop3_mem *m)
{
	struct pop3_mem_user *u;

	pop3_mem_init(m);
	u = pop3_mem_add_user(m, "bob", "hungry");
	pop3_mem_add(m, u, m1, sizeof m1 - 1, "uid-one");
	pop3_mem_add(m, u, m2, sizeof m2 - 1, NULL);
	pop3_mem_add(m, u, m3, 0, "x y");	/* not a valid unique-id */
	pop3_mem_add_user(m, "alice", "");
}

/* Runs the server over data in chunks of `chunk` (0: whole) and appends
 * all it wrote to got. */
static void
run_server(const uint8_t *data, size_t size, size_t chunk,
    struct nl_dbuf *got)
{
	struct pop3_srv_config cfg;
	struct pop3_mem m;
	struct pop3_srv *s;
	struct nl_dbuf *out;
	size_t pos = 0;

	setup(&m);
	memset(&cfg, 0, sizeof cfg);
	cfg.hostname = "fuzz";
	cfg.ops = &pop3_mem_ops;
	cfg.be = &m;
	s = pop3_srv_new(&cfg);
	if (s == NULL)
		abort();
	pop3_srv_start(s);
	while (pos < size) {
		size_t k = chunk == 0 ? size - pos : chunk;

		if (k > size - pos)
			k = size - pos;
		if (pop3_srv_feed(s, data + pos, k) != NL_OK)
			break;
		pos += k;
	}
	out = pop3_srv_out(s);
	if (nl_dbuf_add(got, out->data != NULL ? out->data :
	    (const uint8_t *)"", out->len) != NL_OK)
		abort();
	pop3_srv_free(s);
	if (m.users[0].locked || m.users[1].locked)
		abort();
}

static void
run_client(const uint8_t *data, size_t size)
{
	struct pop3_cli_config cfg;
	struct pop3_cli *c;
	size_t pos = 0;

	memset(&cfg, 0, sizeof cfg);
	cfg.user = "bob";
	cfg.pass = "hungry";
	cfg.delete_after = size > 0 && (data[0] & 1);
	cfg.msg_max = 4096;
	c = pop3_cli_new(&cfg);
	if (c == NULL)
		abort();
	while (pos < size) {
		size_t k = size - pos < 7 ? size - pos : 7;

		if (pop3_cli_feed(c, data + pos, k) != NL_OK)
			break;
		pos += k;
	}
	pop3_cli_close(c);
	if (pop3_cli_state(c) != POP3_CLI_DONE &&
	    pop3_cli_state(c) != POP3_CLI_FAILED)
		abort();
	pop3_cli_free(c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nl_dbuf whole, pieces;

	if (size > FUZZ_MAX)
		return 0;
	nl_dbuf_init(&whole, 64u << 20);
	nl_dbuf_init(&pieces, 64u << 20);
	run_server(data, size, 0, &whole);
	run_server(data, size, size > 0 ? 1 + data[0] % 16u : 1, &pieces);
	if (whole.len != pieces.len ||
	    (whole.len > 0 && memcmp(whole.data, pieces.data, whole.len) != 0))
		abort();
	nl_dbuf_free(&whole);
	nl_dbuf_free(&pieces);
	run_client(data, size);
	return 0;
}
