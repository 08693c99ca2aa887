/* sdl_backend.c - the only file of netlab that includes SDL: the window
 * (resizable, HiDPI aware) or an offscreen image on the software
 * renderer, SDL_ttf fonts behind a glyph atlas, input translated into
 * struct ui_input, and a display list drawn as batches of triangles
 * (SDL_RenderGeometry) with one-pixel feathered edges for smooth lines,
 * circles and rounded corners. Nothing here decides what to draw; the
 * builder did (raylib keeps each platform in its own file the same way,
 * src/rcore.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <SDL_ttf.h>

#include "ui/backend.h"
#include "util/alloc.h"

#define ATLAS_SLOTS 2048	/* glyphs cached per font (hash slots) */
#define VERT_MAX 6144		/* vertices per batch */
#define POLY_MAX 96		/* points of one polygon */
#define DOTS_MAX 8192		/* rows of tiny discs per fill */
#define DISC_SIZES 64		/* exact-size discs: radius < 32 px */
#define DISC_CACHE 1024		/* exact-size discs kept, by size and
				 * colour */

/* Pixel sizes of enum ui_font at scale 1. ORDER FONT */
static const int font_px[UI_FONT_COUNT_] = {14, 14, 12, 13, 16};

struct glyph {
	uint32_t cp;		/* code point; 0: empty slot */
	int16_t x, y, w, h;	/* in the atlas; w 0: nothing to draw */
	float adv;		/* advance, device pixels */
};

struct font {
	TTF_Font *ttf;		/* owned */
	SDL_Texture *atlas;	/* owned: glyphs, white on transparent */
	int aw, ah;		/* atlas size */
	int pen_x, pen_y, row_h; /* where the next glyph goes */
	int used;		/* slots in use */
	struct glyph slot[ATLAS_SLOTS];
};

struct ui_be {
	SDL_Window *win;	/* NULL offscreen */
	SDL_Renderer *ren;	/* owned */
	SDL_Surface *image;	/* offscreen: what the renderer draws to */
	int vsync;		/* present waits for the display */
	int w, h;		/* layout size */
	float scale;		/* device pixels per layout pixel */
	char paths[3][1024];	/* regular, bold, mono font files */
	int bold_style;		/* no bold file: TTF_STYLE_BOLD */
	struct font fonts[UI_FONT_COUNT_];
	struct ui_text text;	/* measurer handed to the builder */
	SDL_Texture *disc;	/* a white anti-aliased disc: small filled
				 * circles are one textured quad each */
	struct {
		uint64_t key;	/* radius in half pixels << 32 | RGBA */
		SDL_Texture *t;	/* owned; NULL: empty slot */
	} dcache[DISC_CACHE];	/* discs at exact sizes (disc_sized) */
	int ndcache;		/* slots in use */
	SDL_Texture *tex;	/* texture of the batch being built */
	SDL_Vertex vert[VERT_MAX];
	int nvert;
	SDL_FRect dots[DOTS_MAX]; /* rows of tiny discs not yet filled */
	int ndots;
	SDL_Color dot_color;	/* their colour */
	uint64_t last_frame;	/* performance counter at the last poll */
	uint64_t last_present;	/* ... at the last present */
	int ttf_up, sdl_up;	/* what to shut down */
};

/* ---- Errors ---- */

static void
set_err(char *err, size_t errlen, const char *what, const char *detail)
{
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "%s%s%s", what, detail ? ": " : "",
		    detail ? detail : "");
}

/* ---- Fonts ---- */

static int
readable(const char *path)
{
	FILE *f = fopen(path, "rb");

	if (f == NULL)
		return 0;
	fclose(f);
	return 1;
}

/* Regular, bold and monospace faces in the usual places of Linux,
 * the BSDs, macOS and Windows. The bold of a pair may be missing. */
static const char *const sans_pairs[][2] = {
	{"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
	    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"},
	{"/usr/share/fonts/TTF/DejaVuSans.ttf",
	    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"},
	{"/usr/share/fonts/dejavu/DejaVuSans.ttf",
	    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"},
	{"/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
	    "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans-Bold.ttf"},
	{"/usr/local/share/fonts/dejavu/DejaVuSans.ttf",
	    "/usr/local/share/fonts/dejavu/DejaVuSans-Bold.ttf"},
	{"/opt/homebrew/share/fonts/dejavu/DejaVuSans.ttf",
	    "/opt/homebrew/share/fonts/dejavu/DejaVuSans-Bold.ttf"},
	{"/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
	    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"},
	{"/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf",
	    "/usr/share/fonts/liberation-sans/LiberationSans-Bold.ttf"},
	{"/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
	    "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"},
	{"/usr/share/fonts/noto/NotoSans-Regular.ttf",
	    "/usr/share/fonts/noto/NotoSans-Bold.ttf"},
	{"/Library/Fonts/Arial Unicode.ttf", NULL},
	{"/System/Library/Fonts/Supplemental/Arial.ttf",
	    "/System/Library/Fonts/Supplemental/Arial Bold.ttf"},
	{"/Library/Fonts/Arial.ttf", "/Library/Fonts/Arial Bold.ttf"},
	{"C:\\Windows\\Fonts\\segoeui.ttf", "C:\\Windows\\Fonts\\segoeuib.ttf"},
	{"C:\\Windows\\Fonts\\arial.ttf", "C:\\Windows\\Fonts\\arialbd.ttf"},
};

static const char *const mono_paths[] = {
	"/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
	"/usr/share/fonts/TTF/DejaVuSansMono.ttf",
	"/usr/share/fonts/dejavu/DejaVuSansMono.ttf",
	"/usr/share/fonts/dejavu-sans-mono-fonts/DejaVuSansMono.ttf",
	"/usr/local/share/fonts/dejavu/DejaVuSansMono.ttf",
	"/opt/homebrew/share/fonts/dejavu/DejaVuSansMono.ttf",
	"/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf",
	"/usr/share/fonts/truetype/noto/NotoSansMono-Regular.ttf",
	"/usr/share/fonts/noto/NotoSansMono-Regular.ttf",
	"/System/Library/Fonts/Menlo.ttc",
	"/System/Library/Fonts/Monaco.ttf",
	"C:\\Windows\\Fonts\\consola.ttf",
	"C:\\Windows\\Fonts\\cour.ttf",
};

/* The user's own font folders: ~/.local/share/fonts, ~/.fonts,
 * ~/Library/Fonts, %WINDIR%\Fonts; file name tried in each. */
static int
find_in_home(const char *file, char *out, size_t size)
{
	static const char *const dirs[] = {"/.local/share/fonts/",
	    "/.fonts/", "/Library/Fonts/"};
	const char *home = getenv("HOME"), *windir = getenv("WINDIR");
	size_t i;

	for (i = 0; home != NULL && i < sizeof dirs / sizeof dirs[0]; i++) {
		snprintf(out, size, "%s%s%s", home, dirs[i], file);
		if (readable(out))
			return 1;
	}
	if (windir != NULL) {
		snprintf(out, size, "%s\\Fonts\\%s", windir, file);
		if (readable(out))
			return 1;
	}
	return 0;
}

static void
copy_path(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src);
}

/* Fills be->paths: the regular, bold and mono files to open. */
static enum nl_status
find_fonts(struct ui_be *be, const char *user, char *err, size_t errlen)
{
	size_t i;

	be->paths[1][0] = be->paths[2][0] = '\0';
	if (user != NULL) {
		if (!readable(user)) {
			set_err(err, errlen, "cannot read the font file",
			    user);
			return NL_ENOTFOUND;
		}
		copy_path(be->paths[0], sizeof be->paths[0], user);
	} else {
		be->paths[0][0] = '\0';
		for (i = 0; i < sizeof sans_pairs / sizeof sans_pairs[0]; i++)
			if (readable(sans_pairs[i][0])) {
				copy_path(be->paths[0], sizeof be->paths[0],
				    sans_pairs[i][0]);
				if (sans_pairs[i][1] != NULL &&
				    readable(sans_pairs[i][1]))
					copy_path(be->paths[1],
					    sizeof be->paths[1],
					    sans_pairs[i][1]);
				break;
			}
		if (be->paths[0][0] == '\0' && find_in_home("DejaVuSans.ttf",
		    be->paths[0], sizeof be->paths[0]))
			find_in_home("DejaVuSans-Bold.ttf", be->paths[1],
			    sizeof be->paths[1]);
		if (be->paths[0][0] == '\0') {
			set_err(err, errlen, "no font found (looked for "
			    "DejaVu Sans, Liberation Sans, Noto Sans, Arial "
			    "and Segoe UI in the usual places); install "
			    "fonts-dejavu-core or give one with --font "
			    "FILE.ttf", NULL);
			return NL_ENOTFOUND;
		}
	}
	for (i = 0; i < sizeof mono_paths / sizeof mono_paths[0]; i++)
		if (readable(mono_paths[i])) {
			copy_path(be->paths[2], sizeof be->paths[2],
			    mono_paths[i]);
			break;
		}
	if (be->paths[2][0] == '\0' && !find_in_home("DejaVuSansMono.ttf",
	    be->paths[2], sizeof be->paths[2]))
		copy_path(be->paths[2], sizeof be->paths[2], be->paths[0]);
	be->bold_style = be->paths[1][0] == '\0';
	if (be->bold_style)
		copy_path(be->paths[1], sizeof be->paths[1], be->paths[0]);
	return NL_OK;
}

static void
fonts_close(struct ui_be *be)
{
	int i;

	for (i = 0; i < UI_FONT_COUNT_; i++) {
		if (be->fonts[i].ttf != NULL)
			TTF_CloseFont(be->fonts[i].ttf);
		if (be->fonts[i].atlas != NULL)
			SDL_DestroyTexture(be->fonts[i].atlas);
		memset(&be->fonts[i], 0, sizeof be->fonts[i]);
	}
}

/* Opens every font at the current scale, each with an empty atlas. */
static enum nl_status
fonts_open(struct ui_be *be, char *err, size_t errlen)
{
	int i;

	fonts_close(be);
	for (i = 0; i < UI_FONT_COUNT_; i++) {
		struct font *f = &be->fonts[i];
		int bold = i == UI_FONT_BOLD || i == UI_FONT_TITLE;
		const char *path = i == UI_FONT_MONO ? be->paths[2] :
		    bold ? be->paths[1] : be->paths[0];
		int px = (int)lroundf((float)font_px[i] * be->scale);

		f->ttf = TTF_OpenFont(path, px);
		if (f->ttf == NULL) {
			set_err(err, errlen, "cannot open the font",
			    TTF_GetError());
			return NL_ENOTFOUND;
		}
		TTF_SetFontHinting(f->ttf, TTF_HINTING_LIGHT);
		if (bold && be->bold_style)
			TTF_SetFontStyle(f->ttf, TTF_STYLE_BOLD);
		f->aw = f->ah = be->scale > 1.5f ? 2048 : 1024;
		f->atlas = SDL_CreateTexture(be->ren, SDL_PIXELFORMAT_ARGB8888,
		    SDL_TEXTUREACCESS_STATIC, f->aw, f->ah);
		if (f->atlas == NULL) {
			set_err(err, errlen, "cannot make a texture",
			    SDL_GetError());
			return NL_EIO;
		}
		SDL_SetTextureBlendMode(f->atlas, SDL_BLENDMODE_BLEND);
		be->text.height[i] = (int)ceilf((float)TTF_FontHeight(f->ttf) /
		    be->scale);
	}
	return NL_OK;
}

static void
atlas_reset(struct font *f)
{
	memset(f->slot, 0, sizeof f->slot);
	f->pen_x = f->pen_y = f->row_h = 0;
	f->used = 0;
}

/* The glyph of cp, rendered into the atlas the first time; NULL when
 * the font cannot render it. */
static const struct glyph *
glyph_get(struct font *f, uint32_t cp)
{
	size_t i = (cp * 2654435761u) & (ATLAS_SLOTS - 1);
	struct glyph *g;
	SDL_Surface *s, *conv;
	SDL_Color white = {255, 255, 255, 255};
	int minx, maxx, miny, maxy, adv;

	if (f->ttf == NULL)
		return NULL;
	for (;;) {
		g = &f->slot[i];
		if (g->cp == cp)
			return g;
		if (g->cp == 0)
			break;
		i = (i + 1) & (ATLAS_SLOTS - 1);
	}
	if (!TTF_GlyphIsProvided32(f->ttf, cp) ||
	    TTF_GlyphMetrics32(f->ttf, cp, &minx, &maxx, &miny, &maxy,
	    &adv) != 0)
		return NULL;
	if (f->used * 4 >= ATLAS_SLOTS * 3) {
		atlas_reset(f);
		return glyph_get(f, cp);
	}
	s = TTF_RenderGlyph32_Blended(f->ttf, cp, white);
	conv = s != NULL && s->format->format != SDL_PIXELFORMAT_ARGB8888 ?
	    SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ARGB8888, 0) : NULL;
	if (conv != NULL) {
		SDL_FreeSurface(s);
		s = conv;
	}
	if (s != NULL && (f->pen_x + s->w + 1 > f->aw)) {
		f->pen_x = 0;
		f->pen_y += f->row_h + 1;
		f->row_h = 0;
	}
	if (s != NULL && f->pen_y + s->h > f->ah) {
		SDL_FreeSurface(s);
		atlas_reset(f);
		return glyph_get(f, cp);
	}
	g->cp = cp;
	g->adv = (float)adv;
	g->w = g->h = 0;
	if (s != NULL && s->w > 0 && s->h > 0) {
		SDL_Rect dst = {f->pen_x, f->pen_y, s->w, s->h};

		SDL_UpdateTexture(f->atlas, &dst, s->pixels, s->pitch);
		g->x = (int16_t)f->pen_x;
		g->y = (int16_t)f->pen_y;
		g->w = (int16_t)s->w;
		g->h = (int16_t)s->h;
		f->pen_x += s->w + 1;
		if (s->h > f->row_h)
			f->row_h = s->h;
	}
	if (s != NULL)
		SDL_FreeSurface(s);
	f->used++;
	return g;
}

/* Next code point of UTF-8 s[*i..n); U+FFFD for a bad sequence. */
static uint32_t
utf8_next(const char *s, size_t n, size_t *i)
{
	const unsigned char *p = (const unsigned char *)s + *i;
	size_t left = n - *i, len, k;
	uint32_t cp;

	if (p[0] < 0x80) {
		*i += 1;
		return p[0];
	}
	if ((p[0] & 0xe0) == 0xc0) {
		len = 2;
		cp = p[0] & 0x1fu;
	} else if ((p[0] & 0xf0) == 0xe0) {
		len = 3;
		cp = p[0] & 0x0fu;
	} else if ((p[0] & 0xf8) == 0xf0) {
		len = 4;
		cp = p[0] & 0x07u;
	} else {
		*i += 1;
		return 0xfffd;
	}
	if (len > left) {
		*i += 1;
		return 0xfffd;
	}
	for (k = 1; k < len; k++) {
		if ((p[k] & 0xc0) != 0x80) {
			*i += 1;
			return 0xfffd;
		}
		cp = cp << 6 | (p[k] & 0x3fu);
	}
	*i += len;
	return cp;
}

/* What to draw for a code point the font lacks. */
static const char *
fallback(uint32_t cp)
{
	switch (cp) {
	case 0x2192:
		return "->";
	case 0x2190:
		return "<-";
	case 0x2193:
		return "v";
	case 0x2191:
		return "^";
	case 0x2026:
		return "...";
	case 0x00d7:
		return "x";
	case 0x2212:
		return "-";
	case 0x00b7:
		return ".";
	default:
		return "?";
	}
}

/* Calls fn for each glyph of s[0..n) with its pen position (device
 * pixels from the start); returns the total advance. */
typedef void glyph_fn(struct ui_be *be, struct font *f,
    const struct glyph *g, float pen, void *arg);

static float
each_glyph(struct ui_be *be, struct font *f, const char *s, size_t n,
    glyph_fn *fn, void *arg)
{
	size_t i = 0;
	float pen = 0;
	uint32_t prev = 0;

	while (i < n) {
		uint32_t cp = utf8_next(s, n, &i);
		const struct glyph *g = glyph_get(f, cp);

		if (g == NULL) {
			const char *fb = fallback(cp);

			for (; *fb != '\0'; fb++) {
				g = glyph_get(f, (uint32_t)(unsigned char)*fb);
				if (g == NULL)
					continue;
				if (fn != NULL)
					fn(be, f, g, pen, arg);
				pen += g->adv;
			}
			prev = 0;
			continue;
		}
		if (prev != 0)
			pen += (float)TTF_GetFontKerningSizeGlyphs32(f->ttf,
			    prev, cp);
		if (fn != NULL)
			fn(be, f, g, pen, arg);
		pen += g->adv;
		prev = cp;
	}
	return pen;
}

static int
measure(void *ud, enum ui_font font, const char *s, size_t len)
{
	struct ui_be *be = ud;
	float w;

	if ((int)font < 0 || font >= UI_FONT_COUNT_ || len == 0)
		return 0;
	w = each_glyph(be, &be->fonts[font], s, len, NULL, NULL);
	return (int)ceilf(w / be->scale);
}

/* ---- Triangles ---- */

static void
flush(struct ui_be *be)
{
	if (be->nvert > 0)
		SDL_RenderGeometry(be->ren, be->tex, be->vert, be->nvert, NULL,
		    0);
	be->nvert = 0;
}

static SDL_Vertex *
room(struct ui_be *be, SDL_Texture *tex, int n)
{
	SDL_Vertex *v;

	if (be->tex != tex || be->nvert + n > VERT_MAX) {
		flush(be);
		be->tex = tex;
	}
	v = &be->vert[be->nvert];
	be->nvert += n;
	return v;
}

static SDL_Vertex
vx(float x, float y, SDL_Color c)
{
	SDL_Vertex v;

	v.position.x = x;
	v.position.y = y;
	v.color = c;
	v.tex_coord.x = v.tex_coord.y = 0;
	return v;
}

static void
tri(struct ui_be *be, SDL_Vertex a, SDL_Vertex b, SDL_Vertex c)
{
	SDL_Vertex *v = room(be, NULL, 3);

	v[0] = a;
	v[1] = b;
	v[2] = c;
}

static void
quad(struct ui_be *be, SDL_Vertex a, SDL_Vertex b, SDL_Vertex c,
    SDL_Vertex d)
{
	tri(be, a, b, c);
	tri(be, a, c, d);
}

static SDL_Color
sdl_color(struct ui_color c)
{
	SDL_Color s = {c.r, c.g, c.b, c.a};

	return s;
}

static SDL_Color
clear_of(SDL_Color c)
{
	c.a = 0;
	return c;
}

/* A convex polygon (clockwise on screen) filled, with a feathered rim
 * when aa. */
static void poly_rim(struct ui_be *be, const float *px, const float *py,
    int n, SDL_Color c);

/* A convex polygon (clockwise on screen) filled, with a feathered rim
 * when aa. The software renderer walks each triangle's bounding box, so
 * this suits small polygons; big rects go through rect_fill. */
static void
poly_fill(struct ui_be *be, const float *px, const float *py, int n,
    SDL_Color c, int aa)
{
	float cx = 0, cy = 0;
	int i;

	if (n < 3)
		return;
	for (i = 0; i < n; i++) {
		cx += px[i];
		cy += py[i];
	}
	cx /= (float)n;
	cy /= (float)n;
	for (i = 0; i < n; i++) {
		int j = (i + 1) % n;

		tri(be, vx(cx, cy, c), vx(px[i], py[i], c), vx(px[j], py[j], c));
	}
	if (aa)
		poly_rim(be, px, py, n, c);
}

/* The feathered rim of a convex polygon (clockwise on screen): a pixel
 * wide band outside its edges fading to clear. */
static void
poly_rim(struct ui_be *be, const float *px, const float *py, int n,
    SDL_Color c)
{
	float nx[POLY_MAX], ny[POLY_MAX];
	int i;

	/* vertex normals: the mean of the two edges' outward normals */
	for (i = 0; i < n; i++) {
		int p = (i + n - 1) % n, q = (i + 1) % n;
		float ax = py[i] - py[p], ay = -(px[i] - px[p]);
		float bx = py[q] - py[i], by = -(px[q] - px[i]);
		float la = sqrtf(ax * ax + ay * ay), lb = sqrtf(bx * bx + by * by);
		float mx, my, lm;

		if (la > 0) {
			ax /= la;
			ay /= la;
		}
		if (lb > 0) {
			bx /= lb;
			by /= lb;
		}
		mx = ax + bx;
		my = ay + by;
		lm = sqrtf(mx * mx + my * my);
		nx[i] = lm > 0 ? mx / lm : 0;
		ny[i] = lm > 0 ? my / lm : 0;
	}
	for (i = 0; i < n; i++) {
		int j = (i + 1) % n;

		quad(be, vx(px[i], py[i], c), vx(px[j], py[j], c),
		    vx(px[j] + nx[j], py[j] + ny[j], clear_of(c)),
		    vx(px[i] + nx[i], py[i] + ny[i], clear_of(c)));
	}
}

/* The outline of a rounded rect (device pixels), clockwise from the
 * top-left corner; k points per corner. Returns the count. */
static int
rrect_points(float x, float y, float w, float h, float r, int k, float *px,
    float *py)
{
	static const float start[4] = {180, 270, 0, 90};
	float cxs[4], cys[4];
	int c, i, n = 0;

	if (r > w / 2)
		r = w / 2;
	if (r > h / 2)
		r = h / 2;
	if (r < 0)
		r = 0;
	cxs[0] = x + r;
	cys[0] = y + r;
	cxs[1] = x + w - r;
	cys[1] = y + r;
	cxs[2] = x + w - r;
	cys[2] = y + h - r;
	cxs[3] = x + r;
	cys[3] = y + h - r;
	for (c = 0; c < 4; c++)
		for (i = 0; i <= k; i++) {
			float a = (start[c] + 90.0f * (float)i / (float)k) *
			    3.14159265f / 180.0f;

			px[n] = cxs[c] + r * cosf(a);
			py[n] = cys[c] + r * sinf(a);
			n++;
		}
	return n;
}

static int
corner_steps(float r)
{
	int k = (int)(r / 2.0f) + 2;

	return k > 10 ? 10 : k;
}

/* A square-cornered rect with the renderer's own fill: on the software
 * renderer a plain fill when opaque (no blending per pixel). */
static void
square_fill(struct ui_be *be, float x, float y, float w, float h,
    SDL_Color c)
{
	SDL_FRect fr = {x, y, w, h};

	if (w <= 0 || h <= 0)
		return;
	flush(be);
	SDL_SetRenderDrawBlendMode(be->ren, c.a == 255 ? SDL_BLENDMODE_NONE :
	    SDL_BLENDMODE_BLEND);
	SDL_SetRenderDrawColor(be->ren, c.r, c.g, c.b, c.a);
	SDL_RenderFillRectF(be->ren, &fr);
	/* the triangles that follow blend (their rims fade out) */
	SDL_SetRenderDrawBlendMode(be->ren, SDL_BLENDMODE_BLEND);
}

static void
rect_fill(struct ui_be *be, float x, float y, float w, float h, float r,
    SDL_Color c)
{
	float px[POLY_MAX], py[POLY_MAX], o;
	int n, k, q, i;

	if (r < 0.5f) {
		square_fill(be, x, y, w, h, c);
		return;
	}
	/* Integral corners keep the bands and the corner fans seamless. */
	x = roundf(x);
	y = roundf(y);
	w = roundf(w);
	h = roundf(h);
	r = roundf(r);
	if (r > w / 2)
		r = floorf(w / 2);
	if (r > h / 2)
		r = floorf(h / 2);
	/* The middle as three plain rects, the corners as quarter fans,
	 * the rim feathered: a fan over the whole rect would make the
	 * software renderer test its area once per triangle. */
	square_fill(be, x + r, y, w - 2 * r, h, c);
	/* opaque, the side bands reach a pixel into the corners: the
	 * fans' edge pixels fall to neither side of the rasteriser's rule
	 * (translucent, the overlap would show as a line) */
	o = c.a == 255 ? 1 : 0;
	square_fill(be, x, y + r - o, r, h - 2 * r + 2 * o, c);
	square_fill(be, x + w - r, y + r - o, r, h - 2 * r + 2 * o, c);
	k = corner_steps(r);
	n = rrect_points(x, y, w, h, r, k, px, py);
	for (q = 0; q < 4; q++) {
		float cx = q == 0 || q == 3 ? x + r : x + w - r;
		float cy = q < 2 ? y + r : y + h - r;

		for (i = 0; i < k; i++) {
			int a = q * (k + 1) + i;

			tri(be, vx(cx, cy, c), vx(px[a], py[a], c),
			    vx(px[a + 1], py[a + 1], c));
		}
	}
	poly_rim(be, px, py, n, c);
}

static void
rect_stroke(struct ui_be *be, float x, float y, float w, float h, float r,
    float t, SDL_Color c)
{
	float ox[POLY_MAX], oy[POLY_MAX], ix[POLY_MAX], iy[POLY_MAX];
	int k = corner_steps(r), n, i;

	n = rrect_points(x, y, w, h, r, k, ox, oy);
	rrect_points(x + t, y + t, w - 2 * t, h - 2 * t, r - t, k, ix, iy);
	for (i = 0; i < n; i++) {
		int j = (i + 1) % n;

		quad(be, vx(ox[i], oy[i], c), vx(ox[j], oy[j], c),
		    vx(ix[j], iy[j], c), vx(ix[i], iy[i], c));
	}
}

#define DISC_PX 64		/* the disc texture's side */

/* The disc texture: alpha falls from 1 to 0 over the last pixel of the
 * radius, so scaled down it stays smooth. NULL if it cannot be made. */
static SDL_Texture *
disc_make(SDL_Renderer *ren)
{
	static uint32_t px[DISC_PX * DISC_PX];
	SDL_Texture *t;
	int x, y;
	float c = DISC_PX / 2.0f, r = DISC_PX / 2.0f - 1;

	for (y = 0; y < DISC_PX; y++)
		for (x = 0; x < DISC_PX; x++) {
			float dx = (float)x + 0.5f - c, dy = (float)y + 0.5f - c;
			float a = r - sqrtf(dx * dx + dy * dy) + 0.5f;

			a = a < 0 ? 0 : a > 1 ? 1 : a;
			px[y * DISC_PX + x] = (uint32_t)(a * 255.0f + 0.5f) << 24 |
			    0xffffffu;
		}
	t = SDL_CreateTexture(ren, SDL_PIXELFORMAT_ARGB8888,
	    SDL_TEXTUREACCESS_STATIC, DISC_PX, DISC_PX);
	if (t == NULL)
		return NULL;
	SDL_UpdateTexture(t, NULL, px, DISC_PX * 4);
	SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
	SDL_SetTextureScaleMode(t, SDL_ScaleModeLinear);
	return t;
}

/* Tiny opaque discs (a crowd of dots in flight) go as rows of plain
 * rects, gathered while the colour stays the same (the builder groups a
 * crowd's dots by protocol) and filled in one call: on the software
 * renderer far cheaper than a textured quad each, and at this size the
 * missing smoothing hardly shows. */
#define TINY_R 4.5f

static int
tiny_disc(const struct ui_cmd *c, float s)
{
	return c->type == UI_CMD_CIRCLE && c->thick <= 0 && c->color.a == 255 &&
	    (float)c->radius * s <= TINY_R;
}

static void
dots_flush(struct ui_be *be)
{
	if (be->ndots == 0)
		return;
	flush(be);
	SDL_SetRenderDrawBlendMode(be->ren, SDL_BLENDMODE_NONE);
	SDL_SetRenderDrawColor(be->ren, be->dot_color.r, be->dot_color.g,
	    be->dot_color.b, 255);
	SDL_RenderFillRectsF(be->ren, be->dots, be->ndots);
	SDL_SetRenderDrawBlendMode(be->ren, SDL_BLENDMODE_BLEND);
	be->ndots = 0;
}

/* A filled opaque square-cornered rect, batched with the tiny discs:
 * a long trace's scrubber draws a tick per pixel column, and a fill
 * call each (with its state changes) cost the software renderer more
 * than the rest of the frame. */
static int
plain_rect(const struct ui_cmd *c, float s)
{
	return c->type == UI_CMD_RECT && c->thick <= 0 && c->color.a == 255 &&
	    (float)c->radius * s < 0.5f;
}

/* Room for n more rows of colour c in the batch: flushes it first when
 * it is full or of another colour. */
static void
dots_room(struct ui_be *be, int n, SDL_Color c)
{
	if (be->ndots > 0 && (be->ndots + n > DOTS_MAX ||
	    c.r != be->dot_color.r || c.g != be->dot_color.g ||
	    c.b != be->dot_color.b))
		dots_flush(be);
	be->dot_color = c;
}

static void
rect_add(struct ui_be *be, float x, float y, float w, float h, SDL_Color c)
{
	SDL_FRect *fr;

	if (w <= 0 || h <= 0)
		return;
	dots_room(be, 1, c);
	fr = &be->dots[be->ndots++];
	fr->x = x;
	fr->y = y;
	fr->w = w;
	fr->h = h;
}

static void
dot_add(struct ui_be *be, float cx, float cy, float r, SDL_Color c)
{
	int y0 = (int)floorf(cy - r), y1 = (int)ceilf(cy + r), y;

	dots_room(be, y1 - y0, c);
	for (y = y0; y < y1; y++) {
		float my = (float)y + 0.5f - cy, hw2 = r * r - my * my, hw;
		SDL_FRect *row = &be->dots[be->ndots];

		if (hw2 <= 0)
			continue;
		hw = sqrtf(hw2);
		row->x = roundf(cx - hw);
		row->y = (float)y;
		row->w = roundf(cx + hw) - row->x;
		row->h = 1;
		if (row->w > 0)
			be->ndots++;
	}
}

/* A disc of radius hr / 2 pixels in colour c, alpha falling to 0 over
 * its last pixel, on a square of hr + 2 pixels. Drawn unscaled, the
 * software renderer blits it: no triangles, no filtering. Its colour is
 * in its pixels, not a colour mod, because changing a surface's mod
 * makes SDL look its blitter up again at the next blit, which costs
 * more than the blit. Made on first use and kept (a hash of size and
 * colour); NULL when it cannot be made or the cache is full. */
static SDL_Texture *
disc_sized(struct ui_be *be, int hr, SDL_Color col)
{
	static uint32_t px[(DISC_SIZES + 2) * (DISC_SIZES + 2)];
	uint64_t key = (uint64_t)hr << 32 | (uint32_t)col.r << 24 |
	    (uint32_t)col.g << 16 | (uint32_t)col.b << 8 | col.a;
	uint32_t h = (uint32_t)((key * 0x9e3779b97f4a7c15ull) >> 40) %
	    DISC_CACHE;
	int side = hr + 2, x, y;
	float c = (float)side / 2.0f, r = (float)hr / 2.0f;
	SDL_Texture *t;

	if (hr < 1 || hr >= DISC_SIZES)
		return NULL;
	while (be->dcache[h].t != NULL) {
		if (be->dcache[h].key == key)
			return be->dcache[h].t;
		h = (h + 1) % DISC_CACHE;
	}
	if (be->ndcache >= DISC_CACHE * 3 / 4)
		return NULL;
	for (y = 0; y < side; y++)
		for (x = 0; x < side; x++) {
			float dx = (float)x + 0.5f - c, dy = (float)y + 0.5f - c;
			float a = r - sqrtf(dx * dx + dy * dy) + 0.5f;

			a = a < 0 ? 0 : a > 1 ? 1 : a;
			px[y * side + x] = (uint32_t)(a * (float)col.a + 0.5f) <<
			    24 | (uint32_t)col.r << 16 | (uint32_t)col.g << 8 |
			    col.b;
		}
	t = SDL_CreateTexture(be->ren, SDL_PIXELFORMAT_ARGB8888,
	    SDL_TEXTUREACCESS_STATIC, side, side);
	if (t == NULL)
		return NULL;
	SDL_UpdateTexture(t, NULL, px, side * 4);
	SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
	be->dcache[h].key = key;
	be->dcache[h].t = t;
	be->ndcache++;
	return t;
}

static void
circle(struct ui_be *be, float cx, float cy, float r, float t, SDL_Color c)
{
	float px[POLY_MAX], py[POLY_MAX];
	int n = (int)(r * 1.2f) + 12, i;
	SDL_Texture *sized;

	/* filled discs up to DISC_SIZES / 2 pixels: one unscaled blit */
	if (t <= 0 && (sized = disc_sized(be, (int)lroundf(r * 2), c)) !=
	    NULL) {
		float side = (float)((int)lroundf(r * 2) + 2);
		SDL_FRect d = {roundf(cx - side / 2), roundf(cy - side / 2),
		    side, side};

		flush(be);
		SDL_RenderCopyF(be->ren, sized, NULL, &d);
		return;
	}

	/* small discs (the dots in flight): one quad of the disc texture */
	if (t <= 0 && r <= 24 && be->disc != NULL) {
		SDL_Vertex *v = room(be, be->disc, 6);
		float e = r * DISC_PX / (DISC_PX - 2.0f);

		v[0] = vx(cx - e, cy - e, c);
		v[1] = vx(cx + e, cy - e, c);
		v[1].tex_coord.x = 1;
		v[2] = vx(cx + e, cy + e, c);
		v[2].tex_coord.x = 1;
		v[2].tex_coord.y = 1;
		v[3] = v[0];
		v[4] = v[2];
		v[5] = vx(cx - e, cy + e, c);
		v[5].tex_coord.y = 1;
		return;
	}

	if (n > POLY_MAX)
		n = POLY_MAX;
	for (i = 0; i < n; i++) {
		float a = 6.2831853f * (float)i / (float)n;

		px[i] = cx + r * cosf(a);
		py[i] = cy + r * sinf(a);
	}
	if (t <= 0) {
		poly_fill(be, px, py, n, c, 1);
		return;
	}
	for (i = 0; i < n; i++) {
		int j = (i + 1) % n;
		float ri = r - t;

		quad(be, vx(px[i], py[i], c), vx(px[j], py[j], c),
		    vx(cx + (px[j] - cx) * ri / r, cy + (py[j] - cy) * ri / r, c),
		    vx(cx + (px[i] - cx) * ri / r, cy + (py[i] - cy) * ri / r,
		    c));
		/* feathered outside */
		quad(be, vx(px[i], py[i], c), vx(px[j], py[j], c),
		    vx(cx + (px[j] - cx) * (r + 1) / r, cy + (py[j] - cy) *
		    (r + 1) / r, clear_of(c)), vx(cx + (px[i] - cx) * (r + 1) /
		    r, cy + (py[i] - cy) * (r + 1) / r, clear_of(c)));
	}
}

#define PIECE_PX 24		/* a slanted line's piece, device pixels */

static void line_piece(struct ui_be *be, float x0, float y0, float x1,
    float y1, float t, SDL_Color c);

/* A line t pixels wide, feathered one pixel on each side. The software
 * renderer tests every pixel of a triangle's bounding box, which for a
 * long slanted line is a square of its length: such a line goes in
 * short pieces, whose boxes hug it. */
static void
line(struct ui_be *be, float x0, float y0, float x1, float y1, float t,
    SDL_Color c)
{
	float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy);
	int n, i;

	if (t <= 1.01f) {
		/* hairlines (a crowded network's links): the renderer's own
		 * line, no triangles at all */
		flush(be);
		SDL_SetRenderDrawColor(be->ren, c.r, c.g, c.b, c.a);
		SDL_RenderDrawLineF(be->ren, x0, y0, x1, y1);
		return;
	}
	if (fabsf(dx) < 2 || fabsf(dy) < 2 || len <= 2 * PIECE_PX) {
		line_piece(be, x0, y0, x1, y1, t, c);
		return;
	}
	n = (int)(len / PIECE_PX) + 1;
	for (i = 0; i < n; i++)
		line_piece(be, x0 + dx * (float)i / (float)n,
		    y0 + dy * (float)i / (float)n,
		    x0 + dx * (float)(i + 1) / (float)n,
		    y0 + dy * (float)(i + 1) / (float)n, t, c);
}

static void
line_piece(struct ui_be *be, float x0, float y0, float x1, float y1,
    float t, SDL_Color c)
{
	float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy);
	float nx, ny, h = t / 2;
	SDL_Color z = clear_of(c);

	if (len < 0.01f)
		return;
	nx = -dy / len;
	ny = dx / len;
	quad(be, vx(x0 + nx * h, y0 + ny * h, c), vx(x1 + nx * h, y1 + ny * h, c),
	    vx(x1 - nx * h, y1 - ny * h, c), vx(x0 - nx * h, y0 - ny * h, c));
	quad(be, vx(x0 + nx * h, y0 + ny * h, c), vx(x1 + nx * h, y1 + ny * h, c),
	    vx(x1 + nx * (h + 1), y1 + ny * (h + 1), z),
	    vx(x0 + nx * (h + 1), y0 + ny * (h + 1), z));
	quad(be, vx(x0 - nx * h, y0 - ny * h, c), vx(x1 - nx * h, y1 - ny * h, c),
	    vx(x1 - nx * (h + 1), y1 - ny * (h + 1), z),
	    vx(x0 - nx * (h + 1), y0 - ny * (h + 1), z));
}

/* A filled triangle a, b, c in any orientation, feathered. */
static void
triangle(struct ui_be *be, float ax, float ay, float bx, float by, float cx,
    float cy, SDL_Color col)
{
	float px[3] = {ax, bx, cx}, py[3] = {ay, by, cy};
	float cross = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);

	if (cross < 0) {	/* make it clockwise on screen */
		px[1] = cx;
		py[1] = cy;
		px[2] = bx;
		py[2] = by;
	}
	poly_fill(be, px, py, 3, col, 1);
}

static void
arrow(struct ui_be *be, float x0, float y0, float x1, float y1, float t,
    SDL_Color c)
{
	float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy);
	float hl = 5 + 2.6f * t, hw = 3 + 1.5f * t, ux, uy;

	if (len < 0.01f)
		return;
	ux = dx / len;
	uy = dy / len;
	if (hl > len * 0.6f) {
		hl = len * 0.6f;
		hw = hl * 0.6f;
	}
	line(be, x0, y0, x1 - ux * hl * 0.7f, y1 - uy * hl * 0.7f, t, c);
	triangle(be, x1, y1, x1 - ux * hl - uy * hw, y1 - uy * hl + ux * hw,
	    x1 - ux * hl + uy * hw, y1 - uy * hl - ux * hw, c);
}

/* ---- Text ---- */

struct text_pos {
	float x, y;		/* device pixels of the text's top-left */
	SDL_Color c;
};

static void
draw_glyph(struct ui_be *be, struct font *f, const struct glyph *g,
    float pen, void *arg)
{
	const struct text_pos *tp = arg;
	float x = floorf(tp->x + pen + 0.5f), y = tp->y;
	float u0 = (float)g->x / (float)f->aw, v0 = (float)g->y / (float)f->ah;
	float u1 = (float)(g->x + g->w) / (float)f->aw;
	float v1 = (float)(g->y + g->h) / (float)f->ah;
	SDL_Vertex *v;

	if (g->w == 0)
		return;
	v = room(be, f->atlas, 6);
	v[0] = vx(x, y, tp->c);
	v[0].tex_coord.x = u0;
	v[0].tex_coord.y = v0;
	v[1] = vx(x + (float)g->w, y, tp->c);
	v[1].tex_coord.x = u1;
	v[1].tex_coord.y = v0;
	v[2] = vx(x + (float)g->w, y + (float)g->h, tp->c);
	v[2].tex_coord.x = u1;
	v[2].tex_coord.y = v1;
	v[3] = v[0];
	v[4] = v[2];
	v[5] = vx(x, y + (float)g->h, tp->c);
	v[5].tex_coord.x = u0;
	v[5].tex_coord.y = v1;
}

/* ---- Icons, drawn from primitives into box (device pixels) ---- */

static void
icon(struct ui_be *be, enum ui_icon ic, float x, float y, float s,
    SDL_Color c)
{
	float t = s / 10.0f < 1.5f ? 1.5f : s / 10.0f;

#define X(f) (x + s * (f))
#define Y(f) (y + s * (f))
	switch (ic) {
	case UI_ICON_HOST:
		rect_stroke(be, X(0.02f), Y(0.06f), s * 0.96f, s * 0.64f,
		    s * 0.08f, t, c);
		rect_fill(be, X(0.43f), Y(0.70f), s * 0.14f, s * 0.16f, 0, c);
		rect_fill(be, X(0.24f), Y(0.86f), s * 0.52f, t, t / 2, c);
		break;
	case UI_ICON_ROUTER:
		circle(be, X(0.5f), Y(0.5f), s * 0.48f, t, c);
		arrow(be, X(0.2f), Y(0.38f), X(0.8f), Y(0.38f), t, c);
		arrow(be, X(0.8f), Y(0.64f), X(0.2f), Y(0.64f), t, c);
		break;
	case UI_ICON_SERVER:
	{
		int i;

		for (i = 0; i < 3; i++) {
			float yy = Y(0.04f + 0.32f * (float)i);

			rect_stroke(be, X(0.06f), yy, s * 0.88f, s * 0.26f,
			    s * 0.06f, t, c);
			circle(be, X(0.76f), yy + s * 0.13f, s * 0.045f, 0, c);
		}
		break;
	}
	case UI_ICON_MAIL:
		rect_stroke(be, X(0.02f), Y(0.16f), s * 0.96f, s * 0.68f,
		    s * 0.08f, t, c);
		line(be, X(0.08f), Y(0.24f), X(0.5f), Y(0.56f), t, c);
		line(be, X(0.92f), Y(0.24f), X(0.5f), Y(0.56f), t, c);
		break;
	case UI_ICON_DNS:
	{
		int i, n = 28;

		circle(be, X(0.5f), Y(0.5f), s * 0.48f, t, c);
		for (i = 0; i < n; i++) {
			float a0 = 6.2831853f * (float)i / (float)n;
			float a1 = 6.2831853f * (float)(i + 1) / (float)n;

			line(be, X(0.5f) + s * 0.2f * cosf(a0),
			    Y(0.5f) + s * 0.47f * sinf(a0),
			    X(0.5f) + s * 0.2f * cosf(a1),
			    Y(0.5f) + s * 0.47f * sinf(a1), t * 0.8f, c);
		}
		line(be, X(0.04f), Y(0.5f), X(0.96f), Y(0.5f), t * 0.8f, c);
		line(be, X(0.12f), Y(0.27f), X(0.88f), Y(0.27f), t * 0.7f, c);
		line(be, X(0.12f), Y(0.73f), X(0.88f), Y(0.73f), t * 0.7f, c);
		break;
	}
	case UI_ICON_USER:
		circle(be, X(0.5f), Y(0.28f), s * 0.2f, 0, c);
		rect_fill(be, X(0.16f), Y(0.56f), s * 0.68f, s * 0.42f,
		    s * 0.2f, c);
		break;
	case UI_ICON_PLAY:
		triangle(be, X(0.18f), Y(0.05f), X(0.95f), Y(0.5f), X(0.18f),
		    Y(0.95f), c);
		break;
	case UI_ICON_PAUSE:
		rect_fill(be, X(0.15f), Y(0.06f), s * 0.25f, s * 0.88f, 1, c);
		rect_fill(be, X(0.60f), Y(0.06f), s * 0.25f, s * 0.88f, 1, c);
		break;
	case UI_ICON_STEP_BACK:
		rect_fill(be, X(0.08f), Y(0.1f), s * 0.16f, s * 0.8f, 1, c);
		triangle(be, X(0.92f), Y(0.1f), X(0.28f), Y(0.5f), X(0.92f),
		    Y(0.9f), c);
		break;
	case UI_ICON_STEP_FWD:
		rect_fill(be, X(0.76f), Y(0.1f), s * 0.16f, s * 0.8f, 1, c);
		triangle(be, X(0.08f), Y(0.1f), X(0.72f), Y(0.5f), X(0.08f),
		    Y(0.9f), c);
		break;
	case UI_ICON_START:
		rect_fill(be, X(0.02f), Y(0.12f), s * 0.14f, s * 0.76f, 1, c);
		triangle(be, X(0.58f), Y(0.12f), X(0.18f), Y(0.5f), X(0.58f),
		    Y(0.88f), c);
		triangle(be, X(0.98f), Y(0.12f), X(0.58f), Y(0.5f), X(0.98f),
		    Y(0.88f), c);
		break;
	case UI_ICON_END:
		rect_fill(be, X(0.84f), Y(0.12f), s * 0.14f, s * 0.76f, 1, c);
		triangle(be, X(0.02f), Y(0.12f), X(0.42f), Y(0.5f), X(0.02f),
		    Y(0.88f), c);
		triangle(be, X(0.42f), Y(0.12f), X(0.82f), Y(0.5f), X(0.42f),
		    Y(0.88f), c);
		break;
	case UI_ICON_DROP:
		line(be, X(0.12f), Y(0.12f), X(0.88f), Y(0.88f), s * 0.2f, c);
		line(be, X(0.88f), Y(0.12f), X(0.12f), Y(0.88f), s * 0.2f, c);
		break;
	case UI_ICON_COUNT_:
		break;
	}
#undef X
#undef Y
}

/* ---- Drawing a display list ---- */

void
ui_be_draw(struct ui_be *be, const struct ui_dlist *dl)
{
	float s = be->scale;
	size_t i;

	SDL_SetRenderDrawBlendMode(be->ren, SDL_BLENDMODE_BLEND);
	SDL_RenderSetClipRect(be->ren, NULL);
	SDL_SetRenderDrawColor(be->ren, 15, 18, 24, 255);
	SDL_RenderClear(be->ren);
	be->nvert = 0;
	be->tex = NULL;
	be->ndots = 0;
	for (i = 0; i < dl->ncmds; i++) {
		const struct ui_cmd *c = &dl->cmds[i];
		SDL_Color col = sdl_color(c->color);
		float x = (float)c->r.x * s, y = (float)c->r.y * s;
		float w = (float)c->r.w * s, h = (float)c->r.h * s;

		if (tiny_disc(c, s)) {
			dot_add(be, (float)c->x0 * s, (float)c->y0 * s,
			    (float)c->radius * s, col);
			continue;
		}
		if (plain_rect(c, s)) {
			rect_add(be, x, y, w, h, col);
			continue;
		}
		if (c->type != UI_CMD_HIT)
			dots_flush(be);
		switch ((enum ui_cmd_type)c->type) {
		case UI_CMD_CLIP:
		{
			SDL_Rect r = {(int)x, (int)y, (int)ceilf(w),
			    (int)ceilf(h)};

			flush(be);
			SDL_RenderSetClipRect(be->ren, &r);
			break;
		}
		case UI_CMD_RECT:
			if (c->thick > 0)
				rect_stroke(be, x, y, w, h, (float)c->radius * s,
				    (float)c->thick * s, col);
			else
				rect_fill(be, x, y, w, h, (float)c->radius * s,
				    col);
			break;
		case UI_CMD_LINE:
			line(be, (float)c->x0 * s, (float)c->y0 * s,
			    (float)c->x1 * s, (float)c->y1 * s,
			    (float)c->thick * s, col);
			break;
		case UI_CMD_ARROW:
			arrow(be, (float)c->x0 * s, (float)c->y0 * s,
			    (float)c->x1 * s, (float)c->y1 * s,
			    (float)c->thick * s, col);
			break;
		case UI_CMD_CIRCLE:
			circle(be, (float)c->x0 * s, (float)c->y0 * s,
			    (float)c->radius * s, (float)c->thick * s, col);
			break;
		case UI_CMD_TEXT:
		{
			struct text_pos tp;

			if (c->font >= UI_FONT_COUNT_)
				break;
			tp.x = x;
			tp.y = floorf(y + 0.5f);
			tp.c = col;
			each_glyph(be, &be->fonts[c->font], dl->text + c->text,
			    c->len, draw_glyph, &tp);
			break;
		}
		case UI_CMD_ICON:
			icon(be, (enum ui_icon)c->icon, x, y,
			    w < h ? w : h, col);
			break;
		case UI_CMD_HIT:
			break;
		}
	}
	dots_flush(be);
	flush(be);
	SDL_RenderSetClipRect(be->ren, NULL);
}

/* ---- Window, input ---- */

static void
rescale(struct ui_be *be)
{
	int ow, oh, ww, wh;
	float s;

	if (be->win == NULL)
		return;
	SDL_GetWindowSize(be->win, &ww, &wh);
	if (SDL_GetRendererOutputSize(be->ren, &ow, &oh) != 0 || ww <= 0)
		return;
	be->w = ww;
	be->h = wh;
	s = (float)ow / (float)ww;
	if (s < 0.5f)
		s = 1;
	if (fabsf(s - be->scale) > 0.01f) {
		float old = be->scale;

		be->scale = s;
		if (fonts_open(be, NULL, 0) != NL_OK) {
			/* keep the fonts that worked */
			be->scale = old;
			fonts_open(be, NULL, 0);
		}
	}
}

static enum ui_key
map_key(SDL_Keycode k, uint16_t mod)
{
	/* Ctrl with + - 0 zooms the topology; alone, + and - set the
	 * speed */
	if (mod & KMOD_CTRL) {
		switch (k) {
		case SDLK_PLUS:
		case SDLK_EQUALS:
		case SDLK_KP_PLUS:
			return UI_KEY_ZOOM_IN;
		case SDLK_MINUS:
		case SDLK_KP_MINUS:
			return UI_KEY_ZOOM_OUT;
		case SDLK_0:
		case SDLK_KP_0:
			return UI_KEY_ZOOM_FIT;
		default:
			return UI_KEY_NONE;
		}
	}
	if (k >= SDLK_1 && k <= SDLK_9)
		return (enum ui_key)(UI_KEY_1 + (k - SDLK_1));
	if (k >= SDLK_KP_1 && k <= SDLK_KP_9)
		return (enum ui_key)(UI_KEY_1 + (k - SDLK_KP_1));
	switch (k) {
	case SDLK_f:
		return UI_KEY_ZOOM_FIT;
	case SDLK_RETURN:
	case SDLK_KP_ENTER:
		return UI_KEY_ENTER;
	case SDLK_SPACE:
		return UI_KEY_SPACE;
	case SDLK_LEFT:
		return UI_KEY_LEFT;
	case SDLK_RIGHT:
		return UI_KEY_RIGHT;
	case SDLK_UP:
		return UI_KEY_UP;
	case SDLK_DOWN:
		return UI_KEY_DOWN;
	case SDLK_HOME:
		return UI_KEY_HOME;
	case SDLK_END:
		return UI_KEY_END;
	case SDLK_PLUS:
	case SDLK_EQUALS:
	case SDLK_KP_PLUS:
		return UI_KEY_PLUS;
	case SDLK_MINUS:
	case SDLK_KP_MINUS:
		return UI_KEY_MINUS;
	case SDLK_h:
	case SDLK_F1:
		return UI_KEY_HELP;
	case SDLK_g:
		return UI_KEY_GRAN;
	case SDLK_TAB:
	case SDLK_l:
		return UI_KEY_TAB;
	case SDLK_ESCAPE:
		return UI_KEY_ESCAPE;
	case SDLK_q:
		return UI_KEY_QUIT;
	default:
		return UI_KEY_NONE;
	}
}

static void
on_event(struct ui_be *be, const SDL_Event *e, struct ui_input *in)
{
	switch (e->type) {
	case SDL_QUIT:
		in->quit = 1;
		break;
	case SDL_WINDOWEVENT:
		if (e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED ||
		    e->window.event == SDL_WINDOWEVENT_RESIZED ||
		    e->window.event == SDL_WINDOWEVENT_DISPLAY_CHANGED)
			rescale(be);
		break;
	case SDL_KEYDOWN:
	{
		enum ui_key k = map_key(e->key.keysym.sym,
		    e->key.keysym.mod);

		if (k != UI_KEY_NONE && in->nkeys < UI_INPUT_KEYS) {
			in->keys[in->nkeys] = (uint8_t)k;
			in->shift[in->nkeys] =
			    (e->key.keysym.mod & KMOD_SHIFT) != 0;
			in->nkeys++;
		}
		break;
	}
	case SDL_MOUSEBUTTONDOWN:
		if (e->button.button == SDL_BUTTON_LEFT) {
			in->pressed = 1;
			in->mx = e->button.x;
			in->my = e->button.y;
		}
		break;
	case SDL_MOUSEWHEEL:
		in->wheel += e->wheel.direction == SDL_MOUSEWHEEL_FLIPPED ?
		    -e->wheel.y : e->wheel.y;
		break;
	default:
		break;
	}
}

void
ui_be_poll(struct ui_be *be, struct ui_input *in, int wait_ms)
{
	SDL_Event e;
	uint64_t now, f = SDL_GetPerformanceFrequency();
	int mx = 0, my = 0, pressed_at_x = 0, pressed_at_y = 0;
	uint32_t buttons;

	memset(in, 0, sizeof *in);
	if (be->win != NULL) {
		if (wait_ms > 0 && SDL_WaitEventTimeout(&e, wait_ms))
			on_event(be, &e, in);
		while (SDL_PollEvent(&e))
			on_event(be, &e, in);
	}
	pressed_at_x = in->mx;
	pressed_at_y = in->my;
	buttons = be->win != NULL ? SDL_GetMouseState(&mx, &my) : 0;
	in->mx = in->pressed ? pressed_at_x : mx;
	in->my = in->pressed ? pressed_at_y : my;
	in->down = (buttons & SDL_BUTTON_LMASK) != 0;
	in->w = be->w;
	in->h = be->h;
	now = SDL_GetPerformanceCounter();
	in->dt_ns = be->last_frame == 0 ? 0 :
	    (int64_t)((double)(now - be->last_frame) * 1e9 / (double)f);
	if (in->dt_ns > 100000000)	/* after a pause: no jump */
		in->dt_ns = 100000000;
	be->last_frame = now;
}

void
ui_be_present(struct ui_be *be)
{
	uint64_t f = SDL_GetPerformanceFrequency(), now;

	SDL_RenderPresent(be->ren);
	if (be->win == NULL || be->vsync)
		return;
	/* the software renderer has no vsync: pace at about 60 Hz */
	now = SDL_GetPerformanceCounter();
	if (be->last_present != 0) {
		double ms = (double)(now - be->last_present) * 1000.0 /
		    (double)f;

		if (ms < 16)
			SDL_Delay((uint32_t)(16 - ms));
	}
	be->last_present = SDL_GetPerformanceCounter();
}

const struct ui_text *
ui_be_text(struct ui_be *be)
{
	return &be->text;
}

enum nl_status
ui_be_save_bmp(struct ui_be *be, const char *path, char *err, size_t errlen)
{
	int ow, oh;
	SDL_Surface *s;
	enum nl_status st = NL_OK;

	if (SDL_GetRendererOutputSize(be->ren, &ow, &oh) != 0) {
		set_err(err, errlen, "cannot read the image", SDL_GetError());
		return NL_EIO;
	}
	s = SDL_CreateRGBSurfaceWithFormat(0, ow, oh, 24, SDL_PIXELFORMAT_RGB24);
	if (s == NULL) {
		set_err(err, errlen, "cannot make the image", SDL_GetError());
		return NL_ENOMEM;
	}
	if (SDL_RenderReadPixels(be->ren, NULL, SDL_PIXELFORMAT_RGB24,
	    s->pixels, s->pitch) != 0) {
		set_err(err, errlen, "cannot read the image", SDL_GetError());
		st = NL_EIO;
	} else if (SDL_SaveBMP(s, path) != 0) {
		set_err(err, errlen, "cannot write the image", SDL_GetError());
		st = NL_EIO;
	}
	SDL_FreeSurface(s);
	return st;
}

enum nl_status
ui_be_read_rgb(struct ui_be *be, uint8_t *dst, size_t pitch, int rows,
    char *err, size_t errlen)
{
	int ow, oh;
	SDL_Rect r;

	if (SDL_GetRendererOutputSize(be->ren, &ow, &oh) != 0 || rows > oh ||
	    rows <= 0) {
		set_err(err, errlen, "cannot read the image", SDL_GetError());
		return NL_EIO;
	}
	r = (SDL_Rect){0, 0, ow, rows};
	if (SDL_RenderReadPixels(be->ren, &r, SDL_PIXELFORMAT_RGB24, dst,
	    (int)pitch) != 0) {
		set_err(err, errlen, "cannot read the image", SDL_GetError());
		return NL_EIO;
	}
	return NL_OK;
}

static int
env_set(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && v[0] != '\0';
}

/* Whether a window can open at all; why not in err. */
static enum nl_status
display_check(char *err, size_t errlen)
{
#if !defined(_WIN32) && !defined(__APPLE__) && !defined(__ANDROID__)
	if (!env_set("SDL_VIDEODRIVER") && !env_set("DISPLAY") &&
	    !env_set("WAYLAND_DISPLAY")) {
		set_err(err, errlen, "DISPLAY is not set", NULL);
		return NL_EUNSUPPORTED;
	}
#else
	(void)err;
	(void)errlen;
#endif
	return NL_OK;
}

enum nl_status
ui_be_open(const struct ui_be_cfg *cfg, struct ui_be **out, char *err,
    size_t errlen)
{
	struct ui_be *be;
	enum nl_status st;

	*out = NULL;
	if (!cfg->offscreen && (st = display_check(err, errlen)) != NL_OK)
		return st;
	be = nl_calloc(1, sizeof *be);
	if (be == NULL)
		return NL_ENOMEM;
	be->w = cfg->width;
	be->h = cfg->height;
	be->scale = 1;
	be->text.width = measure;
	be->text.ud = be;
	st = find_fonts(be, cfg->font, err, errlen);
	if (st != NL_OK)
		goto fail;
	if (cfg->offscreen) {
		SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
		SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
	}
	SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "1");
	if (SDL_Init(SDL_INIT_VIDEO) != 0) {
		set_err(err, errlen, cfg->offscreen ? "SDL cannot start "
		    "even offscreen" : "SDL cannot start", SDL_GetError());
		st = cfg->offscreen ? NL_EIO : NL_EUNSUPPORTED;
		goto fail;
	}
	be->sdl_up = 1;
	if (cfg->offscreen) {
		be->image = SDL_CreateRGBSurfaceWithFormat(0, cfg->width,
		    cfg->height, 32, SDL_PIXELFORMAT_ARGB8888);
		be->ren = be->image != NULL ?
		    SDL_CreateSoftwareRenderer(be->image) : NULL;
	} else {
		be->win = SDL_CreateWindow(cfg->title != NULL ? cfg->title :
		    "netlab", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
		    cfg->width, cfg->height, SDL_WINDOW_RESIZABLE |
		    SDL_WINDOW_ALLOW_HIGHDPI);
		if (be->win == NULL) {
			set_err(err, errlen, "cannot open a window",
			    SDL_GetError());
			st = NL_EUNSUPPORTED;
			goto fail;
		}
		SDL_SetWindowMinimumSize(be->win, 960, 600);
		be->ren = SDL_CreateRenderer(be->win, -1,
		    SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
		be->vsync = be->ren != NULL;
		if (be->ren == NULL)
			be->ren = SDL_CreateRenderer(be->win, -1,
			    SDL_RENDERER_SOFTWARE);
	}
	if (be->ren == NULL) {
		set_err(err, errlen, "cannot make a renderer", SDL_GetError());
		st = NL_EIO;
		goto fail;
	}
	if (TTF_Init() != 0) {
		set_err(err, errlen, "cannot start SDL_ttf", TTF_GetError());
		st = NL_EIO;
		goto fail;
	}
	be->ttf_up = 1;
	if (be->win != NULL) {
		int ow = 0, oh = 0;

		SDL_GetWindowSize(be->win, &be->w, &be->h);
		if (SDL_GetRendererOutputSize(be->ren, &ow, &oh) == 0 &&
		    be->w > 0 && ow > be->w)
			be->scale = (float)ow / (float)be->w;
	}
	st = fonts_open(be, err, errlen);
	if (st != NL_OK)
		goto fail;
	be->disc = disc_make(be->ren);
	*out = be;
	return NL_OK;
fail:
	ui_be_close(be);
	return st;
}

void
ui_be_close(struct ui_be *be)
{
	if (be == NULL)
		return;
	fonts_close(be);
	if (be->disc != NULL)
		SDL_DestroyTexture(be->disc);
	for (int k = 0; k < DISC_CACHE; k++)
		if (be->dcache[k].t != NULL)
			SDL_DestroyTexture(be->dcache[k].t);
	if (be->ttf_up)
		TTF_Quit();
	if (be->ren != NULL)
		SDL_DestroyRenderer(be->ren);
	if (be->image != NULL)
		SDL_FreeSurface(be->image);
	if (be->win != NULL)
		SDL_DestroyWindow(be->win);
	if (be->sdl_up)
		SDL_Quit();
	nl_free(be);
}
