/* hex.h - bytes to lowercase hex and back (trace files, the decode
 * command, the hex view). */
#ifndef NL_HEX_H
#define NL_HEX_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/status.h"

/* Appends 2*n lowercase hex digits to out. */
enum nl_status nl_hex_encode(struct nl_dbuf *out, const void *p, size_t n);

/* Decodes hex text of length len into out, skipping spaces, tabs, colons
 * and newlines. NL_EMALFORMED on any other character or an odd digit
 * count; *bad_at (optional) gets the offset of the offending character. */
enum nl_status nl_hex_decode(struct nl_dbuf *out, const char *s, size_t len,
    size_t *bad_at);

#endif
