/* png.h - a small PNG writer for images the viewer renders offscreen
 * (the ladder diagram for slides): 8-bit RGB, no interlace, one IDAT
 * holding a zlib stream. SDL2 core writes only BMP; this keeps the
 * project at SDL2, SDL2_ttf and cJSON. */
#ifndef NL_UI_PNG_H
#define NL_UI_PNG_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/status.h"

#define UI_PNG_DIM_MAX 32768	/* widest or tallest image we write */

/*
 * Appends the PNG of a w x h RGB image to out: rgb holds h rows of
 * 3 * w bytes, each row starting pitch bytes after the previous one.
 * Returns NL_OK; NL_EINVAL for a size of 0 or past UI_PNG_DIM_MAX;
 * NL_ENOMEM; NL_ELIMIT when out's cap is too small (out is then freed,
 * as every failed append frees its buffer).
 */
enum nl_status ui_png_encode(const uint8_t *rgb, uint32_t w, uint32_t h,
    size_t pitch, struct nl_dbuf *out);

/* The checksums the format uses, for tests and readers: CRC-32 as PNG
 * chunks carry it (ISO 3309, PNG spec 5.5), Adler-32 as a zlib stream
 * ends with it (RFC 1950 8.2). */
uint32_t ui_png_crc32(const uint8_t *p, size_t n);
uint32_t ui_png_adler32(const uint8_t *p, size_t n);

#endif
