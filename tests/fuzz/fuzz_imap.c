/* fuzz_imap.c - fuzz target for the IMAP sessions (RFC 3501).
 *
 * Feeds the bytes to a server session over a small in-memory store,
 * once whole and once in chunks whose size the first byte picks: the
 * two outputs must be equal, byte for byte (chunking must not matter).
 * Then feeds the same bytes to a client session, as if a server had
 * sent them. Any other outcome aborts, which the fuzzer reports as a
 * crash. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/imap_mem.h"
#include "proto/imap/imap.h"
#include "util/alloc.h"
#include "util/buf.h"

/* A few commands over the server's whole-command limit are enough. */
#define FUZZ_MAX (4 * IMAP_SRV_CMD_MAX)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char m1[] =
    "Date: Mon, 1 Jan 2024 10:00:00 +0000\r\n"
    "From: \"A, B\" <a@b.c>, (comment) d@e, group: x@y, <@r:z@w>;\r\n"
    "To: \r\n"
    "Subject: caf\xc3\xa9 \"quoted\" \\\r\n"
    "\tfolded\r\n"
    "\r\n"
    "body\r\n";
static const char m2[] = "no header at all";
static const char m3[] = "\r\n\r\n";

static void
setup(struct imap_mem *m)
{
	struct imap_mem_user *u;

	imap_mem_init(m);
	u = imap_mem_add_user(m, "bob", "hungry", 7);
	imap_mem_add(&u->boxes[0], m1, sizeof m1 - 1, 0, 1704103200);
	imap_mem_add(&u->boxes[0], m2, sizeof m2 - 1, IMAP_FLAG_SEEN, -5);
	imap_mem_add(&u->boxes[0], m3, sizeof m3 - 1, IMAP_FLAG_ALL,
	    253402300800);
	imap_mem_add_box(u, "Sent", 8);
	imap_mem_add_user(m, "alice", "pass word", 9);
}

static void
run_server(const uint8_t *data, size_t size, size_t chunk,
    struct nl_dbuf *got)
{
	struct imap_srv_config cfg;
	struct imap_mem m;
	struct imap_srv *s;
	struct nl_dbuf *out;
	size_t pos = 0;

	setup(&m);
	memset(&cfg, 0, sizeof cfg);
	cfg.ops = &imap_mem_ops;
	cfg.be = &m;
	s = imap_srv_new(&cfg);
	if (s == NULL)
		abort();
	imap_srv_start(s);
	while (pos < size) {
		size_t k = chunk == 0 ? size - pos : chunk;

		if (k > size - pos)
			k = size - pos;
		if (imap_srv_feed(s, data + pos, k) != NL_OK)
			break;
		pos += k;
	}
	out = imap_srv_out(s);
	if (nl_dbuf_add(got, out->data != NULL ? out->data :
	    (const uint8_t *)"", out->len) != NL_OK)
		abort();
	imap_srv_free(s);
}

static void
run_client(const uint8_t *data, size_t size)
{
	struct imap_cli_config cfg;
	struct imap_cli *c;
	size_t pos = 0;

	memset(&cfg, 0, sizeof cfg);
	cfg.user = "bob";
	cfg.pass = "hungry";
	cfg.fetch_all = size > 0 && (data[0] & 1);
	cfg.peek = size > 0 && (data[0] & 2);
	cfg.delete_after = size > 0 && (data[0] & 4);
	cfg.literal_login = size > 0 && (data[0] & 8);
	cfg.move_to = size > 0 && (data[0] & 16) ? "Archive" : NULL;
	cfg.msg_max = 4096;
	c = imap_cli_new(&cfg);
	if (c == NULL)
		abort();
	while (pos < size) {
		size_t k = size - pos < 7 ? size - pos : 7;

		if (imap_cli_feed(c, data + pos, k) != NL_OK)
			break;
		pos += k;
	}
	imap_cli_close(c);
	if (imap_cli_state(c) != IMAP_CLI_DONE &&
	    imap_cli_state(c) != IMAP_CLI_FAILED)
		abort();
	imap_cli_free(c);
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
