/* hex.c - hex encoding and forgiving hex decoding. */
#include "util/hex.h"

static int
hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

enum nl_status
nl_hex_encode(struct nl_dbuf *out, const void *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	const uint8_t *b = p;
	char pair[2];
	size_t i;
	enum nl_status st;

	for (i = 0; i < n; i++) {
		pair[0] = digits[b[i] >> 4];
		pair[1] = digits[b[i] & 15];
		st = nl_dbuf_add(out, pair, 2);
		if (st != NL_OK)
			return st;
	}
	return NL_OK;
}

enum nl_status
nl_hex_decode(struct nl_dbuf *out, const char *s, size_t len, size_t *bad_at)
{
	size_t i, odd_at = 0;
	int hi = -1, v;
	enum nl_status st;

	if (bad_at != NULL)
		*bad_at = 0;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == ' ' || c == '\t' || c == ':' || c == '\n' ||
		    c == '\r')
			continue;
		v = hex_val(c);
		if (v < 0) {
			if (bad_at != NULL)
				*bad_at = i;
			return NL_EMALFORMED;
		}
		if (hi < 0) {
			hi = v;
			odd_at = i;
			continue;
		}
		st = nl_dbuf_add_u8(out, (uint8_t)(hi << 4 | v));
		if (st != NL_OK)
			return st;
		hi = -1;
	}
	if (hi >= 0) {
		if (bad_at != NULL)
			*bad_at = odd_at;
		return NL_EMALFORMED;
	}
	return NL_OK;
}
