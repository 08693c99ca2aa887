/* fuzz_smtp_reply.c - fuzz target: RFC 5321 4.2 replies, and an SMTP
 * client session reading them.
 *
 * The bytes are read as replies twice, whole and one byte at a time: the
 * two readers must agree reply by reply and error by error. Each reply
 * read is written back from its lines' texts and must read back to the
 * same code and texts. Then a client session with two messages queued
 * reads the bytes as its server's side: it must not crash, must write
 * only lines that parse as commands, and once aborted must have reported
 * every message. Link with tests/fuzz/run_corpus.c to replay
 * tests/fuzz/corpus/smtp_reply/. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/line/reply.h"
#include "proto/smtp/smtp_client.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX (64u << 10)

#define CHECK(cond)                                                        \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "%s:%d: check failed: %s\n",       \
			    __FILE__, __LINE__, #cond);                    \
			abort();                                           \
		}                                                          \
	} while (0)

/* What a reader saw: one record per reply or error, hashed. */
static uint64_t
mix(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ull;
	return h;
}

/* Writes r back from its texts and reads it again. */
static void
round_trip(const struct reply *r)
{
	const char *lines[REPLY_LINES_MAX];
	char texts[REPLY_LINES_MAX][REPLY_LINE_MAX];
	struct nl_dbuf b;
	struct reply_parser rp;
	struct reply back;
	size_t i, used;

	CHECK(r->nlines >= 1 && r->nlines <= REPLY_LINES_MAX);
	for (i = 0; i < r->nlines; i++) {
		const char *t;
		size_t n = reply_line_text(r, i, &t);

		CHECK(n < REPLY_LINE_MAX);
		memcpy(texts[i], t, n);
		texts[i][n] = '\0';
		lines[i] = texts[i];
	}
	nl_dbuf_init(&b, REPLY_LINES_MAX * REPLY_LINE_MAX);
	CHECK(reply_write_lines(&b, r->code, lines, r->nlines) == NL_OK);
	reply_parser_init(&rp);
	CHECK(reply_parser_feed(&rp, b.data, b.len, &used, &back) == NL_OK);
	CHECK(used == b.len && back.code == r->code &&
	    back.nlines == r->nlines);
	for (i = 0; i < r->nlines; i++) {
		const char *t;
		size_t n = reply_line_text(&back, i, &t);

		CHECK(n == strlen(texts[i]) && memcmp(t, texts[i], n) == 0);
	}
	reply_parser_free(&rp);
	nl_dbuf_free(&b);
}

/* Reads data with chunks of `chunk` bytes (0: whole); returns a digest
 * of every result. */
static uint64_t
read_all(const uint8_t *data, size_t size, size_t chunk, int check)
{
	struct reply_parser rp;
	uint64_t h = 14695981039346656037ull;
	size_t pos = 0;

	reply_parser_init(&rp);
	while (pos < size) {
		size_t n = chunk == 0 || size - pos < chunk ? size - pos : chunk;
		const uint8_t *p = data + pos;

		pos += n;
		while (n > 0) {
			struct reply r;
			size_t used = 0;
			enum nl_status st = reply_parser_feed(&rp, p, n, &used,
			    &r);
			int err = (int)reply_parser_err(&rp);

			CHECK(used <= n);
			p += used;
			n -= used;
			if (st == NL_AGAIN)
				break;
			h = mix(h, &st, sizeof st);
			if (st == NL_OK) {
				h = mix(h, &r.code, sizeof r.code);
				h = mix(h, r.raw, r.raw_len);
				if (check)
					round_trip(&r);
			} else {
				CHECK(st == NL_EMALFORMED || st == NL_ELIMIT);
				h = mix(h, &err, sizeof err);
			}
		}
	}
	reply_parser_free(&rp);
	return h;
}

static unsigned done_count;

static void
on_done(void *ctx, void *msg_ctx, const struct smtp_rcpt_result *res,
    size_t n)
{
	size_t i;

	(void)ctx;
	(void)msg_ctx;
	for (i = 0; i < n; i++)
		CHECK(res[i].rcpt != NULL && res[i].text != NULL);
	done_count++;
}

/* A client with two messages reads data as the server's replies. */
static void
client(const uint8_t *data, size_t size)
{
	static const struct smtp_cli_ops ops = { NULL, NULL, NULL, on_done };
	struct smtp_cli_config cfg = { "crepes.fr", 0, 0, 0 };
	struct smtp_envelope env;
	struct nl_dbuf out;
	struct smtp_cli *c;
	size_t pos = 0;

	cfg.use_helo = size > 0 && (data[0] & 1);
	nl_dbuf_init(&out, 1u << 20);
	c = smtp_cli_new(&cfg, &ops, NULL, &out);
	CHECK(c != NULL);
	smtp_env_init(&env);
	CHECK(smtp_env_set_from(&env, "alice@crepes.fr") == NL_OK);
	CHECK(smtp_env_add_rcpt(&env, "bob@hamburger.edu") == NL_OK);
	CHECK(smtp_env_add_rcpt(&env, "carol@hamburger.edu") == NL_OK);
	done_count = 0;
	CHECK(smtp_cli_send(c, &env, (const uint8_t *)"Hi\n.\n", 5,
	    NULL) == NL_OK);
	CHECK(smtp_cli_send(c, &env, (const uint8_t *)"caf\xc3\xa9\n", 6,
	    NULL) == NL_OK);
	smtp_env_clear(&env);
	smtp_cli_quit(c);
	/* In pieces of 1 to 16 bytes, so that the client answers between. */
	while (pos < size && !smtp_cli_done(c)) {
		size_t n = (size_t)(data[pos] & 15) + 1;

		if (n > size - pos)
			n = size - pos;
		smtp_cli_feed(c, data + pos, n);
		pos += n;
		/* Every line the client writes is a command or message line:
		 * CRLF-terminated, no bare CR or LF, within 1000 bytes. */
		if (out.len > 0) {
			size_t i, start = 0;

			CHECK(out.len >= 2 && out.data[out.len - 2] == '\r' &&
			    out.data[out.len - 1] == '\n');
			for (i = 0; i < out.len; i++) {
				if (out.data[i] == '\n') {
					CHECK(i > 0 && out.data[i - 1] == '\r');
					CHECK(i + 1 - start <= 1000);
					start = i + 1;
				} else if (out.data[i] == '\r') {
					CHECK(i + 1 < out.len &&
					    out.data[i + 1] == '\n');
				}
			}
		}
		nl_dbuf_reset(&out);
	}
	smtp_cli_abort(c, "end of input");
	CHECK(done_count == 2);
	CHECK(smtp_cli_pending(c) == 0);
	smtp_cli_free(c);
	nl_dbuf_free(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > FUZZ_MAX)
		return 0;
	CHECK(read_all(data, size, 0, 1) == read_all(data, size, 1, 0));
	client(data, size);
	return 0;
}
