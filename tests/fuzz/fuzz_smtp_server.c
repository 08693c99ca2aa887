/* fuzz_smtp_server.c - fuzz target: bytes from a client to an SMTP server
 * session (RFC 5321).
 *
 * The first byte picks the configuration (a small SIZE limit, PIPELINING,
 * the 554 greeting, few errors allowed); the rest is what the client
 * sends. It is fed twice, whole and one byte at a time: both sessions
 * must write the same bytes and accept the same messages, every line
 * they write must read back as a valid reply (proto/line/reply.h), and a
 * message never grows past the SIZE limit. Build with clang
 * -fsanitize=fuzzer, or link with tests/fuzz/run_corpus.c to replay
 * tests/fuzz/corpus/smtp_server/. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/line/reply.h"
#include "proto/smtp/smtp_server.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX (64u << 10)
#define OUT_MAX (4u << 20)

#define CHECK(cond)                                                        \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "%s:%d: check failed: %s\n",       \
			    __FILE__, __LINE__, #cond);                    \
			abort();                                           \
		}                                                          \
	} while (0)

struct run {
	uint64_t max_size;	/* the session's limit */
	uint64_t digest;	/* of every accepted message and envelope */
	unsigned accepted;	/* messages accepted */
};

static uint64_t
mix(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ull;
	return h;
}

static enum smtp_rcpt_verdict
policy(void *ctx, const struct smtp_envelope *env, const char *rcpt)
{
	size_t n = strlen(rcpt);

	(void)ctx;
	(void)env;
	if (n > 14 && strcmp(rcpt + n - 14, "@hamburger.edu") == 0)
		return rcpt[0] == 'b' ? SMTP_RCPT_OK : SMTP_RCPT_UNKNOWN;
	return rcpt[0] == 't' ? SMTP_RCPT_TEMPFAIL : SMTP_RCPT_RELAY_DENIED;
}

static enum nl_status
accept_msg(void *ctx, const struct smtp_envelope *env, const uint8_t *msg,
    size_t len, char *qid, size_t qid_size)
{
	struct run *r = ctx;
	size_t i;

	CHECK(len <= r->max_size);
	CHECK(env->nrcpt > 0 && env->from != NULL && env->helo != NULL);
	r->digest = mix(r->digest, msg, len);
	r->digest = mix(r->digest, env->from, strlen(env->from));
	for (i = 0; i < env->nrcpt; i++)
		r->digest = mix(r->digest, env->rcpt[i], strlen(env->rcpt[i]));
	snprintf(qid, qid_size, "Q%u", r->accepted++);
	return len % 7 == 3 ? NL_EIO : NL_OK;
}

static const struct smtp_srv_ops ops = { NULL, NULL, NULL, policy,
	accept_msg };

/* Runs a session over data in chunks of `chunk` bytes (0: whole). */
static void
run(const struct smtp_srv_config *cfg, const uint8_t *data, size_t size,
    size_t chunk, struct nl_dbuf *out, struct run *r)
{
	struct smtp_srv *s = smtp_srv_new(cfg, &ops, r, out);
	size_t pos = 0;

	CHECK(s != NULL);
	CHECK(smtp_srv_start(s) == NL_OK);
	while (pos < size && !smtp_srv_closed(s)) {
		size_t n = chunk == 0 || size - pos < chunk ? size - pos : chunk;
		enum nl_status st = smtp_srv_feed(s, data + pos, n);

		CHECK(st == NL_OK);
		pos += n;
	}
	if (!smtp_srv_closed(s))
		CHECK(smtp_srv_timeout(s) == NL_OK);
	CHECK(smtp_srv_closed(s));
	smtp_srv_free(s);
}

/* Every byte written is part of a well-formed reply. */
static void
check_replies(const struct nl_dbuf *out)
{
	struct reply_parser rp;
	size_t pos = 0;

	reply_parser_init(&rp);
	while (pos < out->len) {
		struct reply rep;
		size_t used = 0;
		enum nl_status st = reply_parser_feed(&rp, out->data + pos,
		    out->len - pos, &used, &rep);

		CHECK(st == NL_OK);
		CHECK(reply_class(rep.code) >= 2);
		pos += used;
	}
	reply_parser_free(&rp);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct smtp_srv_config cfg = { "hamburger.edu", NULL, 0, 0, 0, 0, 0,
		0 };
	struct run a = { 0, 14695981039346656037ull, 0 }, b = a;
	struct nl_dbuf oa, ob;

	if (size < 1 || size > FUZZ_MAX)
		return 0;
	cfg.max_size = data[0] & 1 ? 200 : 0;
	cfg.pipelining = data[0] >> 1 & 1;
	cfg.no_service = (data[0] & 0x1c) == 0x1c;
	cfg.max_errors = data[0] & 0x20 ? 3 : 1000;
	cfg.relay_code = data[0] & 0x40 ? 554 : 550;
	a.max_size = b.max_size = cfg.max_size ? cfg.max_size :
	    SMTP_SRV_SIZE_DEFAULT;
	nl_dbuf_init(&oa, OUT_MAX);
	nl_dbuf_init(&ob, OUT_MAX);
	run(&cfg, data + 1, size - 1, 0, &oa, &a);
	run(&cfg, data + 1, size - 1, 1, &ob, &b);
	CHECK(oa.len == ob.len);
	CHECK(oa.len == 0 || memcmp(oa.data, ob.data, oa.len) == 0);
	CHECK(a.accepted == b.accepted && a.digest == b.digest);
	check_replies(&oa);
	nl_dbuf_free(&oa);
	nl_dbuf_free(&ob);
	return 0;
}
