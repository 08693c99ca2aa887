/* cmd_decode.c - `netlab decode dns [--reencode]`.
 *
 * One message per input line, in hex (spaces and colons ignored); lines
 * starting with # and blank lines are skipped. Each message prints as dig
 * shows it followed by a blank line, or with --reencode as one line of
 * lowercase hex of what our writer makes of it; a message that does not
 * parse prints "error: REASON". */
#include <stdio.h>
#include <string.h>

#include "cli/cmd_decode.h"
#include "proto/dns/dns_msg.h"
#include "util/buf.h"
#include "util/hex.h"

/* Longest input line: the hex of the largest message with a separator
 * after every octet, and room to spare. */
#define LINE_MAX_BYTES (4u * DNS_MSG_MAX + 4096u)

static void
usage(FILE *f)
{
	fputs("usage: netlab decode dns [--reencode] < LINES\n"
	    "  Reads one DNS message per line as hex (spaces and colons are\n"
	    "  ignored; blank lines and lines starting with # are skipped)\n"
	    "  and prints it the way dig does, or with --reencode the hex of\n"
	    "  netlab's own encoding of it. A message that does not parse\n"
	    "  prints \"error: REASON\".\n", f);
}

/* Reads one line without its newline into line. 1 if a line was read,
 * 0 at the end of input; *too_long when it passed LINE_MAX_BYTES (the
 * rest of it is consumed and dropped). */
static int
read_line(FILE *in, struct nl_dbuf *line, int *too_long)
{
	char chunk[4096];
	int got = 0;

	nl_dbuf_reset(line);
	*too_long = 0;
	while (fgets(chunk, sizeof chunk, in) != NULL) {
		size_t n = strlen(chunk);
		int nl = n > 0 && chunk[n - 1] == '\n';

		got = 1;
		if (nl)
			n--;
		if (!*too_long && nl_dbuf_add(line, chunk, n) != NL_OK)
			*too_long = 1;
		if (nl)
			break;
	}
	return got;
}

/* Decodes one line of hex into out, or prints the error line. 1 if a
 * message came out, 0 if not, -1 if the line holds no message at all. */
static int
line_bytes(const struct nl_dbuf *line, struct nl_dbuf *msg, FILE *out)
{
	const char *s = line->data ? (const char *)line->data : "";
	size_t len = line->len, i = 0, bad_at;
	enum nl_status st;

	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
		i++;
	if (i == len || s[i] == '#')
		return -1;
	nl_dbuf_free(msg);
	st = nl_hex_decode(msg, s, len, &bad_at);
	if (st == NL_ELIMIT) {
		fprintf(out, "error: %s\n", dns_err_str(DNS_E_MSG_TOO_LONG));
		return 0;
	}
	if (st == NL_EMALFORMED) {
		if (s[bad_at] == '\0' || strchr("0123456789abcdefABCDEF",
		    s[bad_at]) != NULL)
			fputs("error: odd number of hex digits\n", out);
		else
			fprintf(out, "error: not a hex digit at column %zu\n",
			    bad_at + 1);
		return 0;
	}
	if (st != NL_OK) {
		fprintf(out, "error: %s\n", nl_status_str(st));
		return 0;
	}
	return 1;
}

/* Parses msg and prints it as asked. 1 if it decoded. */
static int
decode_one(const struct nl_dbuf *msg, int reencode, FILE *out)
{
	struct dns_msg *m = NULL;
	struct dns_perr err;
	struct nl_dbuf text;
	enum nl_status st;
	int ok = 0;

	/* The most a 65535-octet message can print: 10920 questions, each
	 * a 2-octet pointer to a name of some 1014 characters: 11 MiB. */
	nl_dbuf_init(&text, (size_t)32 * 1024 * 1024);
	st = dns_msg_parse(msg->data, msg->len, &m, &err);
	if (st == NL_EMALFORMED) {
		fprintf(out, "error: %s\n", dns_err_str(err.code));
		goto done;
	}
	if (st != NL_OK) {
		fprintf(out, "error: %s\n", nl_status_str(st));
		goto done;
	}
	if (reencode) {
		struct nl_dbuf wire;

		nl_dbuf_init(&wire, DNS_MSG_MAX);
		st = dns_msg_write(m, &wire);
		if (st == NL_OK)
			st = nl_hex_encode(&text, wire.data, wire.len);
		nl_dbuf_free(&wire);
		if (st == NL_OK)
			st = nl_dbuf_add_u8(&text, '\n');
	} else {
		st = dns_msg_print(&text, m);
		if (st == NL_OK)
			st = nl_dbuf_add_u8(&text, '\n');
	}
	if (st != NL_OK) {
		fprintf(out, "error: cannot %s: %s\n",
		    reencode ? "re-encode" : "print", nl_status_str(st));
		goto done;
	}
	fwrite(text.data, 1, text.len, out);
	ok = 1;
done:
	nl_dbuf_free(&text);
	dns_msg_free(m);
	return ok;
}

int
cmd_decode(int argc, char **argv)
{
	struct nl_dbuf line, msg;
	int reencode = 0, failed = 0, too_long, i, r;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "dns") != 0) {
		fprintf(stderr, "netlab decode: unknown protocol '%s' "
		    "(only dns)\n", argv[1]);
		usage(stderr);
		return 2;
	}
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--reencode") == 0) {
			reencode = 1;
		} else if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "netlab decode: unknown argument "
			    "'%s'\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	nl_dbuf_init(&line, LINE_MAX_BYTES);
	/* One more than a message may hold, so the parser names the fault. */
	nl_dbuf_init(&msg, DNS_MSG_MAX + 1);
	while (read_line(stdin, &line, &too_long)) {
		if (too_long) {
			fputs("error: line too long\n", stdout);
			failed = 1;
			continue;
		}
		r = line_bytes(&line, &msg, stdout);
		if (r < 0)
			continue;
		if (r == 0 || !decode_one(&msg, reencode, stdout))
			failed = 1;
	}
	nl_dbuf_free(&line);
	nl_dbuf_free(&msg);
	if (fflush(stdout) != 0 || ferror(stdin)) {
		fputs("netlab decode: input/output error\n", stderr);
		return 1;
	}
	return failed ? 1 : 0;
}
