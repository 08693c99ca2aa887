/* fuzz_imf.c - fuzz target: RFC 5322 messages and MIME (proto/imf).
 *
 * The bytes are read as a message: the view, every field's value, the
 * Content-Type, the parts of a multipart body and their decoded bodies.
 * They also serve as material for the writers, whose output must come
 * back: a header field folded and unfolded, quoted-printable and base64
 * encoded and decoded, and a whole message built with the bytes as its
 * text and as an attachment, 7-bit clean, split and decoded to the same
 * bytes. Link with tests/fuzz/run_corpus.c to replay
 * tests/fuzz/corpus/imf/. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/imf/imf.h"
#include "util/alloc.h"
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

static int
same(const struct nl_dbuf *a, const void *p, size_t n)
{
	return a->len == n && (n == 0 || memcmp(a->data, p, n) == 0);
}

/* data with every LF (or CR LF) written as CRLF; a last line without
 * one gets one if final is set: what the writers do to text. */
static void
crlf(struct nl_dbuf *out, const uint8_t *p, size_t n, int final)
{
	size_t i, start = 0;

	for (i = 0; i < n; i++) {
		if (p[i] != '\n')
			continue;
		CHECK(nl_dbuf_add(out, p + start, i > start && p[i - 1] == '\r' ?
		    i - 1 - start : i - start) == NL_OK);
		CHECK(nl_dbuf_add(out, "\r\n", 2) == NL_OK);
		start = i + 1;
	}
	if (start < n) {
		CHECK(nl_dbuf_add(out, p + start, n - start) == NL_OK);
		if (final)
			CHECK(nl_dbuf_add(out, "\r\n", 2) == NL_OK);
	}
}

/* Reading: view, fields, multipart parts and their bodies. */
static void
read_message(const uint8_t *data, size_t size)
{
	struct imf_view v;
	struct nl_dbuf val, bnd, dec;
	struct imf_part parts[16];
	const struct imf_field *ct;
	size_t i, n;

	if (imf_view_parse(data, size, &v) != NL_OK)
		return;
	CHECK(v.body_off <= size && v.body_off + v.body_len == size);
	nl_dbuf_init(&val, 1u << 20);
	nl_dbuf_init(&bnd, 1u << 20);
	nl_dbuf_init(&dec, 1u << 22);
	for (i = 0; i < v.nfields; i++) {
		const struct imf_field *f = &v.fields[i];

		CHECK(f->off + f->len <= v.body_off);
		CHECK(f->value_off <= f->off + f->len + 1);
		nl_dbuf_reset(&val);
		CHECK(imf_field_value(data, f, &val) == NL_OK);
	}
	ct = imf_view_find(&v, data, "Content-Type", 0);
	if (ct != NULL) {
		char type[128];

		nl_dbuf_reset(&val);
		CHECK(imf_field_value(data, ct, &val) == NL_OK);
		(void)imf_mime_type((const char *)val.data, val.len, type,
		    sizeof type);
		if (imf_param_get((const char *)val.data, val.len, "boundary",
		    &bnd) == NL_OK && imf_multipart_split(data + v.body_off,
		    v.body_len, (const char *)bnd.data, parts, 16, &n) ==
		    NL_OK) {
			for (i = 0; i < n; i++) {
				CHECK(parts[i].off + parts[i].len <=
				    v.body_len);
				nl_dbuf_reset(&dec);
				(void)imf_entity_decode(data + v.body_off +
				    parts[i].off, parts[i].len, &dec);
			}
		}
	}
	nl_dbuf_reset(&dec);
	(void)imf_entity_decode(data, size, &dec);
	(void)imf_is_7bit(data, size, NULL);
	nl_dbuf_free(&val);
	nl_dbuf_free(&bnd);
	nl_dbuf_free(&dec);
	imf_view_free(&v);
}

/* Writing and reading back. */
static void
codecs(const uint8_t *data, size_t size)
{
	struct nl_dbuf a, b, c;
	char *value;
	size_t i, vn = size < 4000 ? size : 4000, s, e;

	nl_dbuf_init(&a, 1u << 22);
	nl_dbuf_init(&b, 1u << 22);
	nl_dbuf_init(&c, 1u << 22);
	/* base64: encode, decode, same bytes. */
	CHECK(imf_base64_encode(&a, data, size) == NL_OK);
	CHECK(imf_is_7bit(a.data, a.len, NULL));
	CHECK(imf_base64_decode(&b, (const char *)a.data, a.len, NULL) ==
	    NL_OK);
	CHECK(same(&b, data, size));
	nl_dbuf_reset(&b);
	(void)imf_base64_decode(&b, (const char *)data, size, NULL);
	/* quoted-printable: decode(encode(x)) is x with CRLF line ends. */
	nl_dbuf_reset(&a);
	nl_dbuf_reset(&b);
	nl_dbuf_reset(&c);
	CHECK(imf_qp_encode(&a, data, size) == NL_OK);
	CHECK(imf_is_7bit(a.data, a.len, NULL));
	CHECK(imf_qp_decode(&b, (const char *)a.data, a.len, NULL) == NL_OK);
	crlf(&c, data, size, 0);
	CHECK(same(&b, c.data, c.len));
	nl_dbuf_reset(&b);
	(void)imf_qp_decode(&b, (const char *)data, size, NULL);
	/* A header field: fold, unfold, same value. */
	value = nl_alloc(vn + 1);
	CHECK(value != NULL);
	for (i = 0; i < vn; i++)
		value[i] = data[i] == '\r' || data[i] == '\n' ||
		    data[i] == '\0' ? ' ' : (char)data[i];
	value[vn] = '\0';
	nl_dbuf_reset(&a);
	if (imf_header_write(&a, "X-Fuzz", value) == NL_OK) {
		nl_dbuf_reset(&b);
		CHECK(imf_header_get(a.data, a.len, "x-fuzz", 0, &b) == NL_OK);
		s = 0;
		e = vn;
		while (s < e && (value[s] == ' ' || value[s] == '\t'))
			s++;
		while (e > s && (value[e - 1] == ' ' || value[e - 1] == '\t'))
			e--;
		CHECK(same(&b, value + s, e - s));
	}
	nl_dbuf_reset(&a);
	if (imf_header_write_text(&a, "Subject", value) == NL_OK)
		CHECK(imf_is_7bit(a.data, a.len, NULL) ||
		    !imf_is_7bit(value, vn, NULL));
	nl_free(value);
	nl_dbuf_free(&a);
	nl_dbuf_free(&b);
	nl_dbuf_free(&c);
}

/* A whole message with the bytes as text and as an attachment. */
static void
build(const uint8_t *data, size_t size)
{
	struct imf_attachment att = { "fuzz.bin", NULL, data, size };
	struct imf_msg m;
	struct nl_dbuf b, bnd, dec, norm;
	struct imf_view v;
	struct imf_part parts[4];
	char *text;
	size_t n;

	text = nl_alloc(size + 1);
	CHECK(text != NULL);
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&m, 0, sizeof m);
	m.from = "alice@crepes.fr";
	m.to = "bob@hamburger.edu";
	m.subject = "fuzz";
	m.body = text;
	m.att = &att;
	m.natt = 1;
	nl_dbuf_init(&b, IMF_MSG_MAX);
	nl_dbuf_init(&bnd, 4096);
	nl_dbuf_init(&dec, IMF_MSG_MAX);
	nl_dbuf_init(&norm, IMF_MSG_MAX);
	CHECK(imf_msg_write(&m, &b) == NL_OK);
	CHECK(imf_is_7bit(b.data, b.len, NULL));
	CHECK(imf_view_parse(b.data, b.len, &v) == NL_OK);
	CHECK(imf_header_get(b.data, b.len, "Content-Type", 0, &dec) ==
	    NL_OK);
	CHECK(imf_param_get((const char *)dec.data, dec.len, "boundary",
	    &bnd) == NL_OK);
	CHECK(imf_multipart_split(b.data + v.body_off, v.body_len,
	    (const char *)bnd.data, parts, 4, &n) == NL_OK);
	CHECK(n == 2);
	nl_dbuf_reset(&dec);
	CHECK(imf_entity_decode(b.data + v.body_off + parts[1].off,
	    parts[1].len, &dec) == NL_OK);
	CHECK(same(&dec, data, size));
	nl_dbuf_reset(&dec);
	CHECK(imf_entity_decode(b.data + v.body_off + parts[0].off,
	    parts[0].len, &dec) == NL_OK);
	crlf(&norm, (const uint8_t *)text, strlen(text), 1);
	CHECK(same(&dec, norm.data, norm.len));
	imf_view_free(&v);
	nl_free(text);
	nl_dbuf_free(&b);
	nl_dbuf_free(&bnd);
	nl_dbuf_free(&dec);
	nl_dbuf_free(&norm);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > FUZZ_MAX)
		return 0;
	read_message(data, size);
	codecs(data, size);
	if (size <= (16u << 10))
		build(data, size);
	return 0;
}
