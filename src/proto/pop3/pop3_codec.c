/* pop3_codec.c - POP3 lines to fields and back (RFC 1939 section 3):
 * command lines, "+OK"/"-ERR" status lines, and multiline data with
 * byte-stuffing and the terminating ".". The names of every enum. */
#include <string.h>

#include "proto/pop3/pop3.h"
#include "util/nl.h"

/* ORDER POP3_CMD */
static const char *const verbs[] = {
	"USER", "PASS", "QUIT", "STAT", "LIST", "RETR", "DELE", "NOOP",
	"RSET", "TOP", "UIDL", "CAPA"
};

static int
is_alpha(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* A printable ASCII byte other than space: what an argument is made of. */
static int
is_argchar(uint8_t c)
{
	return c > 0x20 && c < 0x7f;
}

static uint8_t
upper(uint8_t c)
{
	return c >= 'a' && c <= 'z' ? (uint8_t)(c - 'a' + 'A') : c;
}

/*
 * RFC 1939 3:
 *   Commands in the POP3 consist of a case-insensitive keyword, possibly
 *   followed by one or more arguments.  All commands are terminated by a
 *   CRLF pair.  Keywords and arguments consist of printable ASCII
 *   characters.  Keywords and arguments are each separated by a single
 *   SPACE character.  Keywords are three or four characters long. Each
 *   argument may be up to 40 characters long.
 */
enum nl_status
pop3_cmd_parse(const uint8_t *line, size_t len, struct pop3_command *out)
{
	size_t i = 0, k, start;

	memset(out, 0, sizeof *out);
	out->cmd = POP3_CMD_UNKNOWN;
	while (i < len && is_alpha(line[i]) && i < 4) {
		out->verb[i] = (char)line[i];
		i++;
	}
	if (i < 3 || (i < len && line[i] != ' '))
		goto fail;
	out->verb_at.off = 0;
	out->verb_at.len = i;
	for (k = 0; k < NL_ARRAY_LEN(verbs); k++) {
		size_t j;

		if (strlen(verbs[k]) != i)
			continue;
		for (j = 0; j < i; j++)
			if (upper(line[j]) != (uint8_t)verbs[k][j])
				break;
		if (j == i) {
			out->cmd = (enum pop3_cmd)k;
			break;
		}
	}
	while (i < len) {
		size_t n;

		/* line[i] is the single space before an argument. */
		i++;
		if (out->nargs == 2)
			goto fail;
		start = i;
		if (out->cmd == POP3_CMD_PASS) {
			/* The rest of the line, spaces included. */
			while (i < len && (is_argchar(line[i]) || line[i] == ' '))
				i++;
			if (i < len)
				goto fail;
		} else {
			while (i < len && is_argchar(line[i]))
				i++;
			if (i < len && line[i] != ' ')
				goto fail;
		}
		n = i - start;
		if (n == 0 || n >= sizeof out->args[0] ||
		    (out->cmd != POP3_CMD_PASS && n > POP3_ARG_MAX))
			goto fail;
		memcpy(out->args[out->nargs], line + start, n);
		out->args[out->nargs][n] = '\0';
		out->arg_at[out->nargs].off = start;
		out->arg_at[out->nargs].len = n;
		out->nargs++;
	}
	return NL_OK;
fail:
	memset(out, 0, sizeof *out);
	out->cmd = POP3_CMD_UNKNOWN;
	return NL_EMALFORMED;
}

enum nl_status
pop3_num_parse(const char *s, size_t *out)
{
	size_t v = 0, i;

	*out = 0;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9' || i == 9)
			return NL_EMALFORMED;
		v = v * 10 + (size_t)(s[i] - '0');
	}
	if (i == 0)
		return NL_EMALFORMED;
	*out = v;
	return NL_OK;
}

enum nl_status
pop3_resp_parse(const uint8_t *line, size_t len, struct pop3_response *out)
{
	size_t n;

	memset(out, 0, sizeof *out);
	if (len >= 3 && memcmp(line, "+OK", 3) == 0) {
		out->ok = 1;
		n = 3;
	} else if (len >= 4 && memcmp(line, "-ERR", 4) == 0) {
		n = 4;
	} else {
		return NL_EMALFORMED;
	}
	if (n < len) {
		if (line[n] != ' ') {
			memset(out, 0, sizeof *out);
			return NL_EMALFORMED;
		}
		n++;
	}
	out->text = line + n;
	out->text_len = len - n;
	out->text_at.off = n;
	out->text_at.len = len - n;
	return NL_OK;
}

enum nl_status
pop3_data_write_line(struct nl_dbuf *out, const uint8_t *line, size_t len)
{
	enum nl_status st;

	/* RFC 1939 3: "If any line of the multi-line response begins with
	 * the termination octet, the line is 'byte-stuffed' by
	 * pre-pending the termination octet to that line". */
	if (len > 0 && line[0] == '.' && (st = nl_dbuf_add(out, ".", 1)) != NL_OK)
		return st;
	if ((st = nl_dbuf_add(out, line, len)) != NL_OK)
		return st;
	return nl_dbuf_add(out, "\r\n", 2);
}

enum nl_status
pop3_data_write_end(struct nl_dbuf *out)
{
	return nl_dbuf_add(out, ".\r\n", 3);
}

void
pop3_data_read_line(const uint8_t *line, size_t len, int *end,
    const uint8_t **payload, size_t *payload_len)
{
	*end = len == 1 && line[0] == '.';
	if (*end) {
		*payload = line;
		*payload_len = 0;
	} else if (len > 0 && line[0] == '.') {
		*payload = line + 1;
		*payload_len = len - 1;
	} else {
		*payload = line;
		*payload_len = len;
	}
}

int
pop3_msg_next_line(const uint8_t *data, size_t len, size_t *pos,
    const uint8_t **line, size_t *line_len)
{
	size_t i, start = *pos;

	if (start >= len) {
		*line = NULL;
		*line_len = 0;
		return 0;
	}
	for (i = start; i + 1 < len; i++) {
		if (data[i] == '\r' && data[i + 1] == '\n') {
			*line = data + start;
			*line_len = i - start;
			*pos = i + 2;
			return 1;
		}
	}
	*line = data + start;
	*line_len = len - start;
	*pos = len;
	return 1;
}

const char *
pop3_cmd_str(enum pop3_cmd c)
{
	switch (c) {
	case POP3_CMD_USER: return "USER";
	case POP3_CMD_PASS: return "PASS";
	case POP3_CMD_QUIT: return "QUIT";
	case POP3_CMD_STAT: return "STAT";
	case POP3_CMD_LIST: return "LIST";
	case POP3_CMD_RETR: return "RETR";
	case POP3_CMD_DELE: return "DELE";
	case POP3_CMD_NOOP: return "NOOP";
	case POP3_CMD_RSET: return "RSET";
	case POP3_CMD_TOP: return "TOP";
	case POP3_CMD_UIDL: return "UIDL";
	case POP3_CMD_CAPA: return "CAPA";
	case POP3_CMD_UNKNOWN: return "UNKNOWN";
	}
	return "?";
}

const char *
pop3_ev_str(enum pop3_ev e)
{
	switch (e) {
	case POP3_EV_STATE: return "state";
	case POP3_EV_LINE: return "line";
	case POP3_EV_ERROR: return "error";
	}
	return "?";
}

const char *
pop3_srv_state_str(enum pop3_srv_state st)
{
	switch (st) {
	case POP3_SRV_CONNECTED: return "CONNECTED";
	case POP3_SRV_AUTHORIZATION: return "AUTHORIZATION";
	case POP3_SRV_TRANSACTION: return "TRANSACTION";
	case POP3_SRV_UPDATE: return "UPDATE";
	case POP3_SRV_CLOSED: return "CLOSED";
	}
	return "?";
}

const char *
pop3_cli_state_str(enum pop3_cli_state st)
{
	switch (st) {
	case POP3_CLI_GREETING: return "GREETING";
	case POP3_CLI_USER: return "USER";
	case POP3_CLI_PASS: return "PASS";
	case POP3_CLI_STAT: return "STAT";
	case POP3_CLI_LIST: return "LIST";
	case POP3_CLI_UIDL: return "UIDL";
	case POP3_CLI_RETR: return "RETR";
	case POP3_CLI_DELE: return "DELE";
	case POP3_CLI_QUIT: return "QUIT";
	case POP3_CLI_DONE: return "DONE";
	case POP3_CLI_FAILED: return "FAILED";
	}
	return "?";
}
