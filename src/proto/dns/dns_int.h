/* dns_int.h - shared inside proto/dns only; no other folder includes it.
 *
 * The name reader used by dns_parse.c and the name writer, with its
 * compression table, used by dns_write.c (RFC 1035 4.1.4). */
#ifndef NL_DNS_INT_H
#define NL_DNS_INT_H

#include <stddef.h>
#include <stdint.h>

#include "proto/dns/dns_msg.h"
#include "util/buf.h"
#include "util/status.h"

/* One name suffix already written: where it is and what it says. */
struct dns_ctab_ent {
	const uint8_t *wire;	/* the suffix, in the caller's dns_name; NULL
				 * marks a free slot */
	uint32_t hash;		/* case-folded hash of the suffix */
	uint16_t off;		/* offset in the message, <= 0x3fff */
	uint8_t len;		/* octets of the suffix, root included */
};

/* A message being written: the output and the compression table that
 * lives with it (c-ares keeps its name list in the writer the same way).
 * The table points into the names of the message being written, so it
 * lives no longer than one dns_msg_write call. */
/* Slots of the table a writer starts with, inside it: a typical answer
 * (question, records, NS and glue) adds a dozen suffixes, and a table
 * on the stack spares a calloc per message. A power of 2. */
#define DNS_CTAB_SMALL 32

struct dns_wctx {
	struct nl_dbuf *out;		/* where the bytes go, not owned */
	size_t base;			/* out->len when the message began */
	struct dns_ctab_ent *tab;	/* open addressing: small, or owned */
	size_t n;			/* slots in use */
	size_t cap;			/* slots in tab, a power of 2 */
	struct dns_ctab_ent small[DNS_CTAB_SMALL];
};

void dns_wctx_init(struct dns_wctx *w, struct nl_dbuf *out);
void dns_wctx_free(struct dns_wctx *w);

/* Writes n at the end of w->out. With compress, the longest suffix
 * already in the table becomes a pointer and every new suffix at an
 * offset <= 0x3fff enters the table; without, the name goes out whole
 * and leaves no entries. n must outlive w. NL_EINVAL for an invalid
 * name, NL_ENOMEM, NL_ELIMIT; on failure w->out is freed. */
enum nl_status dns_name_write(struct dns_wctx *w, const struct dns_name *n,
    int compress);

/* Reads the name at the reader's position into out and leaves the
 * reader just after the name in place. The message is the reader's
 * whole buffer: pointers may reach anywhere before themselves. The bytes
 * in place must end by end (the end of RDATA, or of the message), else
 * the error is past (DNS_E_RDATA_NAME or DNS_E_NAME_END). NL_EMALFORMED
 * with err set (not NULL) and the reader's position unspecified. */
enum nl_status dns_name_read(struct nl_rbuf *r, size_t end,
    enum dns_err past, struct dns_name *out, struct dns_perr *err);

/* Sets err (when not NULL) and returns NL_EMALFORMED. */
enum nl_status dns_fail(struct dns_perr *err, enum dns_err code, size_t off);

#endif
