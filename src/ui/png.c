/* png.c - PNG encoding (PNG spec, ISO/IEC 15948): signature, IHDR, one
 * IDAT, IEND, each chunk with its CRC-32. The IDAT is a zlib stream
 * (RFC 1950) of one deflate block with the fixed Huffman codes (RFC 1951
 * 3.2.6) fed by a plain LZ77 match finder: diagrams are mostly flat
 * colour, which long back-references shrink a hundredfold. Scanlines use
 * filter 0 (none): the previous row is in the window anyway. */
#include <string.h>

#include "ui/png.h"
#include "util/alloc.h"

#define WIN 32768		/* deflate's window (RFC 1951 2) */
#define HASH_BITS 15
#define PROBES 12		/* candidates tried per position */
#define MATCH_MIN 3
#define MATCH_MAX 258

uint32_t
ui_png_crc32(const uint8_t *p, size_t n)
{
	static uint32_t table[256];
	static int ready;
	uint32_t c = 0xffffffffu;
	size_t i;

	if (!ready) {
		/* the reflected polynomial 0xedb88320 (PNG spec annex D) */
		for (uint32_t k = 0; k < 256; k++) {
			uint32_t v = k;

			for (int b = 0; b < 8; b++)
				v = v & 1 ? 0xedb88320u ^ (v >> 1) : v >> 1;
			table[k] = v;
		}
		ready = 1;
	}
	for (i = 0; i < n; i++)
		c = table[(c ^ p[i]) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffu;
}

uint32_t
ui_png_adler32(const uint8_t *p, size_t n)
{
	uint32_t a = 1, b = 0;
	size_t i = 0;

	while (i < n) {
		/* 5552 bytes keep b below 2^32 before the modulo (zlib) */
		size_t end = n - i > 5552 ? i + 5552 : n;

		for (; i < end; i++) {
			a += p[i];
			b += a;
		}
		a %= 65521u;
		b %= 65521u;
	}
	return b << 16 | a;
}

/* ---- Deflate with fixed codes ---- */

/* Bits go out least significant first (RFC 1951 3.1.1). */
struct bits {
	struct nl_dbuf *out;	/* where the bytes go */
	uint32_t acc;		/* pending bits */
	int n;			/* how many */
	enum nl_status st;	/* the first failure */
};

static void
put_bits(struct bits *b, uint32_t v, int n)
{
	b->acc |= v << b->n;
	b->n += n;
	while (b->n >= 8) {
		if (b->st == NL_OK)
			b->st = nl_dbuf_add_u8(b->out, (uint8_t)b->acc);
		b->acc >>= 8;
		b->n -= 8;
	}
}

/* A Huffman code goes out most significant bit first. */
static void
put_code(struct bits *b, uint32_t code, int len)
{
	uint32_t r = 0;
	int i;

	for (i = 0; i < len; i++)
		r = r << 1 | (code >> i & 1u);
	put_bits(b, r, len);
}

/* Literal/length symbol sym with the fixed code (RFC 1951 3.2.6). */
static void
put_sym(struct bits *b, unsigned sym)
{
	if (sym <= 143)
		put_code(b, 0x30 + sym, 8);
	else if (sym <= 255)
		put_code(b, 0x190 + sym - 144, 9);
	else if (sym <= 279)
		put_code(b, sym - 256, 7);
	else
		put_code(b, 0xc0 + sym - 280, 8);
}

/* RFC 1951 3.2.5: lengths 3..258 and distances 1..32768 as a code plus
 * extra bits. */
static const uint16_t len_base[29] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15,
    17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195,
    227, 258};
static const uint8_t len_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1,
    2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t dist_base[30] = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33,
    49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
    4097, 6145, 8193, 12289, 16385, 24577};
static const uint8_t dist_extra[30] = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4,
    5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

static void
put_match(struct bits *b, unsigned len, unsigned dist)
{
	int k = 28, d = 29;

	while (len_base[k] > len)
		k--;
	put_sym(b, 257u + (unsigned)k);
	if (len_extra[k])
		put_bits(b, len - len_base[k], len_extra[k]);
	while (dist_base[d] > dist)
		d--;
	put_code(b, (uint32_t)d, 5);
	if (dist_extra[d])
		put_bits(b, dist - dist_base[d], dist_extra[d]);
}

static uint32_t
hash3(const uint8_t *p)
{
	uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 |
	    (uint32_t)p[2] << 16;

	return (v * 2654435761u) >> (32 - HASH_BITS);
}

/* One final fixed-code block of src[0..n) into b. head and prev are
 * scratch: 1 << HASH_BITS and WIN entries. */
static void
deflate_fixed(struct bits *b, const uint8_t *src, size_t n, int32_t *head,
    int32_t *prev)
{
	size_t i = 0, k;

	for (k = 0; k < (size_t)1 << HASH_BITS; k++)
		head[k] = -1;
	put_bits(b, 1, 1);	/* BFINAL */
	put_bits(b, 1, 2);	/* BTYPE 01: fixed Huffman codes */
	while (i < n && b->st == NL_OK) {
		size_t best = 0, dist = 0, end;

		if (i + MATCH_MIN <= n) {
			uint32_t h = hash3(src + i);
			int32_t j = head[h];
			int probes = PROBES;
			size_t lim = n - i < MATCH_MAX ? n - i : MATCH_MAX;

			while (j >= 0 && i - (size_t)j <= WIN && probes-- > 0) {
				size_t l = 0;

				while (l < lim && src[(size_t)j + l] == src[i + l])
					l++;
				if (l > best) {
					best = l;
					dist = i - (size_t)j;
					if (l == lim)
						break;
				}
				j = prev[(size_t)j & (WIN - 1)];
			}
		}
		if (best < MATCH_MIN) {
			put_sym(b, src[i]);
			best = 1;
		} else {
			put_match(b, (unsigned)best, (unsigned)dist);
		}
		/* every position of the match goes into the chains */
		for (end = i + best; i < end; i++) {
			if (i + MATCH_MIN <= n) {
				uint32_t h = hash3(src + i);

				prev[i & (WIN - 1)] = head[h];
				head[h] = (int32_t)i;
			}
		}
	}
	put_sym(b, 256);	/* end of block */
	if (b->n > 0)
		put_bits(b, 0, 8 - b->n);
}

/* ---- Chunks ---- */

static enum nl_status
chunk(struct nl_dbuf *out, const char type[4], const uint8_t *data,
    size_t len)
{
	enum nl_status st;
	size_t at;

	if (len > 0x7fffffffu)
		return NL_ELIMIT;
	st = nl_dbuf_add_u32(out, (uint32_t)len);
	at = out->len;
	if (st == NL_OK)
		st = nl_dbuf_add(out, type, 4);
	if (st == NL_OK && len > 0)
		st = nl_dbuf_add(out, data, len);
	/* the CRC covers the type and the data, not the length */
	if (st == NL_OK)
		st = nl_dbuf_add_u32(out, ui_png_crc32(out->data + at,
		    len + 4));
	return st;
}

enum nl_status
ui_png_encode(const uint8_t *rgb, uint32_t w, uint32_t h, size_t pitch,
    struct nl_dbuf *out)
{
	static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n',
	    0x1a, '\n'};
	uint8_t ihdr[13], *raw = NULL;
	int32_t *head = NULL, *prev = NULL;
	struct nl_dbuf z;
	struct bits b;
	size_t row, rawlen, y;
	enum nl_status st;

	if (w == 0 || h == 0 || w > UI_PNG_DIM_MAX || h > UI_PNG_DIM_MAX)
		return NL_EINVAL;
	row = 1 + 3 * (size_t)w;
	rawlen = row * h;
	nl_dbuf_init(&z, rawlen + rawlen / 8 + 1024);
	raw = nl_alloc(rawlen);
	head = nl_alloc(((size_t)1 << HASH_BITS) * sizeof *head);
	prev = nl_alloc(WIN * sizeof *prev);
	if (raw == NULL || head == NULL || prev == NULL) {
		st = NL_ENOMEM;
		goto done;
	}
	/* scanlines with filter type 0 (PNG spec 9.2) */
	for (y = 0; y < h; y++) {
		raw[y * row] = 0;
		memcpy(raw + y * row + 1, rgb + y * pitch, row - 1);
	}
	/* zlib header: deflate, 32K window; FCHECK makes it a multiple of
	 * 31 (RFC 1950 2.2) */
	st = nl_dbuf_add_u8(&z, 0x78);
	if (st == NL_OK)
		st = nl_dbuf_add_u8(&z, 0x01);
	if (st != NL_OK)
		goto done;
	b.out = &z;
	b.acc = 0;
	b.n = 0;
	b.st = NL_OK;
	deflate_fixed(&b, raw, rawlen, head, prev);
	st = b.st;
	if (st == NL_OK)
		st = nl_dbuf_add_u32(&z, ui_png_adler32(raw, rawlen));
	if (st != NL_OK)
		goto done;
	ihdr[0] = (uint8_t)(w >> 24);
	ihdr[1] = (uint8_t)(w >> 16);
	ihdr[2] = (uint8_t)(w >> 8);
	ihdr[3] = (uint8_t)w;
	ihdr[4] = (uint8_t)(h >> 24);
	ihdr[5] = (uint8_t)(h >> 16);
	ihdr[6] = (uint8_t)(h >> 8);
	ihdr[7] = (uint8_t)h;
	ihdr[8] = 8;		/* bit depth */
	ihdr[9] = 2;		/* colour type: RGB */
	ihdr[10] = 0;		/* deflate */
	ihdr[11] = 0;		/* adaptive filtering */
	ihdr[12] = 0;		/* no interlace */
	st = nl_dbuf_add(out, sig, sizeof sig);
	if (st == NL_OK)
		st = chunk(out, "IHDR", ihdr, sizeof ihdr);
	if (st == NL_OK)
		st = chunk(out, "IDAT", z.data, z.len);
	if (st == NL_OK)
		st = chunk(out, "IEND", NULL, 0);
done:
	nl_dbuf_free(&z);
	nl_free(raw);
	nl_free(head);
	nl_free(prev);
	return st;
}
