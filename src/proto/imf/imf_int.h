/* imf_int.h - helpers shared by the files of proto/imf; no other folder
 * includes this. */
#ifndef NL_IMF_INT_H
#define NL_IMF_INT_H

#include <stddef.h>
#include <stdint.h>

#include "proto/imf/imf.h"

/* ---- Private Part: imf_mime.c ---- */

/* Appends data with every line ending (LF, or CR LF) written as CRLF;
 * a last line without one gets one when add_final is set. */
enum nl_status imf_put_crlf(struct nl_dbuf *out, const void *data,
    size_t len, int add_final);
/* 1 if s[0..n) contains needle (n bytes, memmem-like). */
int imf_contains(const uint8_t *s, size_t n, const char *needle);
/* 1 if c may appear in a boundary (RFC 2046 5.1.1 bchars). */
int imf_bchar(int c);
/* Case-insensitive comparison of s[0..n) with the NUL-terminated t. */
int imf_eq_nocase(const char *s, size_t n, const char *t);

#endif
