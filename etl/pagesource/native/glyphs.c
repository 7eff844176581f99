/* The per-glyph PDFium calls of pdfium_glyphs._glyphs, made in one C loop for a whole text page, and the
 * per-segment calls of pdfium_drawings, in one per path.
 *
 * Built on first use by etl/pagesource/pdfium_native.py (cc or gcc) and loaded with ctypes; PDFium's functions
 * come in as pointers taken from the libpdfium pypdfium2 loaded, so nothing here links against PDFium. It makes
 * the calls the Python loop makes, in its order, on the same glyphs (one origin, box and matrix buffer reused,
 * as a failed call leaves them as they were), and writes the raw results; the arithmetic stays in Python
 * (numpy), so both paths give the same bits. */

#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct { float left, top, right, bottom; } rect_f;
typedef struct { float a, b, c, d, e, f; } matrix_f;

typedef struct {
    int (*is_generated)(void *page, int index);
    int (*unicode_map_error)(void *page, int index);
    void *(*text_object)(void *page, int index);
    int (*char_origin)(void *page, int index, double *x, double *y);
    int (*loose_box)(void *page, int index, rect_f *box);
    int (*char_matrix)(void *page, int index, matrix_f *matrix);
    double (*font_size)(void *page, int index);
    void *(*object_font)(void *object);
} pdfium_calls;

/* The text objects met so far, each with its number in order of first meeting (open addressing; NULL included). */
typedef struct { uintptr_t *keys; int *numbers; size_t mask; } object_table;

static int table_open(object_table *t, int count) {
    size_t size = 16;
    while (size < 2 * (size_t)count + 2)
        size <<= 1;
    t->keys = malloc(size * sizeof *t->keys);
    t->numbers = malloc(size * sizeof *t->numbers);
    t->mask = size - 1;
    if (!t->keys || !t->numbers)
        return 0;
    for (size_t i = 0; i < size; i++)
        t->numbers[i] = -1;
    return 1;
}

/* The slot of `key`: where it is, or the empty one where it goes. */
static size_t table_slot(const object_table *t, uintptr_t key) {
    size_t slot = (size_t)((key >> 4) * 0x9E3779B97F4A7C15ull) & t->mask;
    while (t->numbers[slot] >= 0 && t->keys[slot] != key)
        slot = (slot + 1) & t->mask;
    return slot;
}

static int whitespace(unsigned int ch) {
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == 0;
}

/* pdfium_glyphs._bulk_styles' keys: objects whose matrix (a, b, c, d), font size and font have the same bits are
 * one key, numbered in the order first met (key_of per object, key_first each key's first object). Returns the
 * number of keys. A page has few (~6): each object is compared with the keys so far. */
static int style_keys(int objects, const double *matrix, const double *size, void *const *font, int *key_of,
                      int *key_first) {
    int keys = 0;
    for (int o = 0; o < objects; o++) {
        int k = 0;
        for (; k < keys; k++) {
            int p = key_first[k];
            if (!memcmp(matrix + 4 * o, matrix + 4 * p, 4 * sizeof *matrix)
                && !memcmp(size + o, size + p, sizeof *size) && font[o] == font[p])
                break;
        }
        if (k == keys)
            key_first[keys++] = o;
        key_of[o] = k;
    }
    return keys;
}

/* For glyph i of `count` (code point text[i]): skip the whitespace the Python loop skips; for each glyph kept write
 * its index, origin (x, y), loose box (left, top, right, bottom) and the number of its text object (in order of
 * first meeting) into slot k. For each text object, at its first glyph: that glyph's index, text matrix (a, b, c,
 * d), font size and the object's font (NULL for no object) into slot `number`. Returns the number of glyphs kept
 * (*objects_out the number of objects), -1 - i when glyph i has no Unicode mapping (the page goes to pdfminer),
 * or INT32_MIN when memory runs out. */
int juesuan_glyphs(const pdfium_calls *f, void *page, int count, const unsigned int *text, int *index,
                   double *origin, double *box, int *object_of, int *first, double *matrix, double *size,
                   void **font, int *objects_out, int *key_of, int *key_first, int *keys_out) {
    double x = 0.0, y = 0.0;
    rect_f r = {0};
    matrix_f m = {0};
    object_table seen;
    int kept = 0, objects = 0;
    if (!table_open(&seen, count)) {
        free(seen.keys);
        free(seen.numbers);
        return INT32_MIN;
    }
    for (int i = 0; i < count; i++) {
        unsigned int ch = text[i];
        if (whitespace(ch) && (ch != ' ' || f->is_generated(page, i)))
            continue;
        if (f->unicode_map_error(page, i)) {
            kept = -1 - i;
            break;
        }
        void *object = f->text_object(page, i);
        size_t slot = table_slot(&seen, (uintptr_t)object);
        if (seen.numbers[slot] < 0) {
            seen.keys[slot] = (uintptr_t)object;
            seen.numbers[slot] = objects;
            f->char_matrix(page, i, &m);
            first[objects] = i;
            matrix[4 * objects] = m.a;
            matrix[4 * objects + 1] = m.b;
            matrix[4 * objects + 2] = m.c;
            matrix[4 * objects + 3] = m.d;
            size[objects] = f->font_size(page, i);
            font[objects] = object ? f->object_font(object) : NULL;
            objects++;
        }
        object_of[kept] = seen.numbers[slot];
        f->char_origin(page, i, &x, &y);
        f->loose_box(page, i, &r);
        index[kept] = i;
        origin[2 * kept] = x;
        origin[2 * kept + 1] = y;
        box[4 * kept] = r.left;
        box[4 * kept + 1] = r.top;
        box[4 * kept + 2] = r.right;
        box[4 * kept + 3] = r.bottom;
        kept++;
    }
    free(seen.keys);
    free(seen.numbers);
    *objects_out = objects;
    *keys_out = style_keys(objects, matrix, size, font, key_of, key_first);
    return kept;
}

typedef struct {
    void *(*segment)(void *path, int index);
    int (*segment_type)(void *segment);
    int (*segment_point)(void *segment, float *x, float *y);
    int (*segment_close)(void *segment);
} path_calls;

/* The segments of one path object as pdfium_drawings.Drawings._path meets them: segment i's type, its point
 * (x, y) and whether it closes the subpath, or type -1 for a Bézier control point it passes over (the first two
 * of each three BEZIERTO segments: PDFium stores a Bézier as three points, pdfminer keeps the end). One point
 * buffer reused, as there. */
void juesuan_path(const path_calls *f, void *path, int count, int bezier, int *kind, int *closes, double *point) {
    float x = 0.0f, y = 0.0f;
    int controls = 0;
    for (int i = 0; i < count; i++) {
        void *segment = f->segment(path, i);
        int type = f->segment_type(segment);
        kind[i] = type;
        if (type == bezier) {
            controls = (controls + 1) % 3;
            if (controls) {
                kind[i] = -1;
                continue;
            }
        }
        f->segment_point(segment, &x, &y);
        point[2 * i] = x;
        point[2 * i + 1] = y;
        closes[i] = f->segment_close(segment);
    }
}

/* Python's float floor division vx // wx, as CPython's floatobject.c computes it, so the cells are the fallback's. */
static double floor_div(double vx, double wx) {
    double mod = fmod(vx, wx), div = (vx - mod) / wx, floordiv;
    if (mod && ((wx < 0) != (mod < 0)))
        div -= 1.0;
    if (div) {
        floordiv = floor(div);
        if (div - floordiv > 0.5)
            floordiv += 1.0;
    } else {
        floordiv = copysign(0.0, vx / wx);
    }
    return floordiv;
}

/* floor_div(v, size), quicker where it is sure to agree: for a size that is a power of two v / size is exact
 * unless it falls among the subnormals, and rounded there it keeps its sign (so its floor, 0 or -1) unless it
 * rounds to zero. */
static double cell_of(double v, double size, int power_of_two) {
    double q = v / size;
    return power_of_two && (q != 0.0 || v == 0.0) ? floor(q) : floor_div(v, size);
}

/* The kept glyphs filed by (text, cell x, cell y): open addressing onto the first kept glyph of the cell, the
 * others chained through `next`. */
typedef struct { int32_t text; int64_t gx, gy; int head; } cell;
typedef struct { cell *cells; int *next; size_t mask; } cell_table;

static size_t cell_slot(const cell_table *t, int32_t text, int64_t gx, int64_t gy) {
    uint64_t h = (uint64_t)(uint32_t)text * 0x9E3779B97F4A7C15ull ^ (uint64_t)gx * 0xC2B2AE3D27D4EB4Full
                 ^ (uint64_t)gy * 0x165667B19E3779F9ull;
    size_t slot = (size_t)(h ^ (h >> 29)) & t->mask;
    while (t->cells[slot].head >= 0 &&
           (t->cells[slot].text != text || t->cells[slot].gx != gx || t->cells[slot].gy != gy))
        slot = (slot + 1) & t->mask;
    return slot;
}

/* Whether a kept glyph of the cell at `slot` lies within tol of (x, y) in both axes. */
static int cell_holds(const cell_table *t, size_t slot, const double *x, const double *y, double px, double py,
                      double tol) {
    for (int j = t->cells[slot].head; j >= 0; j = t->next[j])
        if (fabs(x[j] - px) <= tol && fabs(y[j] - py) <= tol)
            return 1;
    return 0;
}

#define CELL_LIMIT 9007199254740992.0 /* 2**53: a cell number beyond it is not exact as a double */

/* text_layer.dedupe_overlaid's loop: glyph i (x0 x[i], top y[i], text numbered text[i]) is kept (keep[i] = 1)
 * unless a glyph kept before it has the same text within tol of it in x and in y; kept glyphs are filed in a grid
 * of 2·tol cells and the four cells the ±tol window touches are looked in, the fallback's cells. Returns the
 * number kept, -1 when a coordinate gives a cell that is not finite or too large (the fallback then runs and
 * fails or not as it does), or INT32_MIN when memory runs out. */
int juesuan_overlaid(int count, const double *x, const double *y, const int32_t *text, double tol, uint8_t *keep) {
    double size = 2 * tol;
    int exponent, power_of_two = frexp(size, &exponent) == 0.5;
    size_t slots = 16;
    while (slots < 2 * (size_t)count + 2)
        slots <<= 1;
    cell_table t = {malloc(slots * sizeof(cell)), malloc(((size_t)count + 1) * sizeof(int)), slots - 1};
    int kept = 0;
    if (!t.cells || !t.next) {
        free(t.cells);
        free(t.next);
        return INT32_MIN;
    }
    for (size_t s = 0; s < slots; s++)
        t.cells[s].head = -1;
    for (int i = 0; i < count; i++) {
        double fx = cell_of(x[i], size, power_of_two), fy = cell_of(y[i], size, power_of_two);
        if (!(fabs(fx) < CELL_LIMIT && fabs(fy) < CELL_LIMIT)) {
            kept = -1;
            break;
        }
        int64_t gx = (int64_t)fx, gy = (int64_t)fy;
        int64_t nx = x[i] - (double)gx * size < tol ? gx - 1 : gx + 1;
        int64_t ny = y[i] - (double)gy * size < tol ? gy - 1 : gy + 1;
        size_t home = cell_slot(&t, text[i], gx, gy);
        int seen = cell_holds(&t, home, x, y, x[i], y[i], tol)
                   || cell_holds(&t, cell_slot(&t, text[i], nx, gy), x, y, x[i], y[i], tol)
                   || cell_holds(&t, cell_slot(&t, text[i], gx, ny), x, y, x[i], y[i], tol)
                   || cell_holds(&t, cell_slot(&t, text[i], nx, ny), x, y, x[i], y[i], tol);
        keep[i] = !seen;
        if (!seen) {
            if (t.cells[home].head < 0) {
                t.cells[home].text = text[i];
                t.cells[home].gx = gx;
                t.cells[home].gy = gy;
                t.next[i] = -1;
            } else {
                t.next[i] = t.cells[home].head;
            }
            t.cells[home].head = i;
            kept++;
        }
    }
    free(t.cells);
    free(t.next);
    return kept;
}

/* The page-object and path calls of pdfium_drawings.Drawings.read, for a whole page in one call. */
typedef struct {
    int (*count_objects)(void *page);
    void *(*page_object)(void *page, int index);
    int (*object_type)(void *object);
    int (*object_matrix)(void *object, matrix_f *matrix);
    int (*form_count)(void *form);
    void *(*form_object)(void *form, unsigned long index);
    int (*segment_count)(void *path);
    void *(*segment)(void *path, int index);
    int (*segment_type)(void *segment);
    int (*segment_point)(void *segment, float *x, float *y);
    int (*segment_close)(void *segment);
} drawing_calls;

/* Edges, five doubles each: x0, x1, top, bottom and the orientation (EDGE_H, EDGE_V or EDGE_NONE). */
typedef struct { double *values; size_t count, capacity; } edge_list;

/* A page's drawing: pdfplumber's lines', rectangles' and curves' edges, the images and the curves. */
typedef struct { edge_list lines, rects, curve_edges; int images, curves; } drawing;

/* The subpath being read: its shape (m, l, c, h) and points (x, y). */
typedef struct { char *shape; double *x, *y; size_t count, capacity; } subpath;

typedef struct {
    const drawing_calls *f;
    double page[6], height;
    int bezier;
    subpath sub;
    drawing *out;
} drawing_walk;

enum { EDGE_H = 0, EDGE_V = 1, EDGE_NONE = 2 };
enum { TYPE_PATH = 2, TYPE_IMAGE = 3, TYPE_FORM = 5, MOVETO = 2 };
#define FORM_DEPTH_LIMIT 200 /* deeper: the Python walk decides (PDFium itself stops far sooner) */
#define DRAWING_NO_MEMORY INT32_MIN
#define DRAWING_TOO_DEEP (-1)

/* pdfium_frame.compose: `inner` then `outer`, the same operations in the same order. */
static void compose(const double *inner, const double *outer, double *out) {
    double a = inner[0], b = inner[1], c = inner[2], d = inner[3], e = inner[4], f = inner[5];
    double A = outer[0], B = outer[1], C = outer[2], D = outer[3], E = outer[4], F = outer[5];
    out[0] = a * A + b * C;
    out[1] = a * B + b * D;
    out[2] = c * A + d * C;
    out[3] = c * B + d * D;
    out[4] = e * A + f * C + E;
    out[5] = e * B + f * D + F;
}

/* Python's min(a, b) and max(a, b): the first unless the second is strictly less (greater). */
static double py_min(double a, double b) { return b < a ? b : a; }
static double py_max(double a, double b) { return b > a ? b : a; }

static int edge_add(edge_list *list, double x0, double x1, double top, double bottom, int orientation) {
    if (list->count == list->capacity) {
        size_t capacity = list->capacity ? 2 * list->capacity : 64;
        double *values = realloc(list->values, capacity * 5 * sizeof *values);
        if (!values)
            return 0;
        list->values = values;
        list->capacity = capacity;
    }
    double *v = list->values + 5 * list->count++;
    v[0] = x0;
    v[1] = x1;
    v[2] = top;
    v[3] = bottom;
    v[4] = orientation;
    return 1;
}

/* pdfium_drawings._edge between points i and j of the subpath. */
static int edge_between(edge_list *list, const subpath *s, size_t i, size_t j, int line) {
    double px = s->x[i], py = s->y[i], qx = s->x[j], qy = s->y[j];
    double top = py_min(py, qy), bottom = py_max(py, qy);
    int orientation = line ? (top == bottom ? EDGE_H : EDGE_V) : px == qx ? EDGE_V : py == qy ? EDGE_H : EDGE_NONE;
    return edge_add(list, py_min(px, qx), py_max(px, qx), top, bottom, orientation);
}

/* pdfium_drawings._square for a subpath of shape "mlllh" (`closed`: its last point is its first, as an object) or
 * "mllll". */
static int square(const subpath *s, int closed) {
    const double *x = s->x, *y = s->y;
    closed = closed || (x[0] == x[4] && y[0] == y[4]);
    return closed && ((x[0] == x[1] && y[1] == y[2] && x[2] == x[3] && y[3] == y[0])
                      || (y[0] == y[1] && x[1] == x[2] && y[2] == y[3] && x[3] == x[0]));
}

/* pdfium_drawings.Drawings._subpath: the subpath as pdfminer's converter classifies it. */
static int subpath_end(drawing_walk *w) {
    subpath *s = &w->sub;
    size_t n = s->count;
    drawing *out = w->out;
    if (n > 3 && s->shape[n - 2] == 'l' && s->shape[n - 1] == 'h' && s->x[n - 2] == s->x[0]
        && s->y[n - 2] == s->y[0]) {
        s->shape[n - 2] = 'h';
        s->x[n - 2] = s->x[n - 1];
        s->y[n - 2] = s->y[n - 1];
        s->count = --n;
    }
    int ok = 1;
    if ((n == 2 && s->shape[0] == 'm' && s->shape[1] == 'l')
        || (n == 3 && s->shape[0] == 'm' && s->shape[1] == 'l' && s->shape[2] == 'h')) {
        ok = edge_between(&out->lines, s, 0, 1, 1);
    } else if (n == 5 && memcmp(s->shape, "mlll", 4) == 0 && (s->shape[4] == 'h' || s->shape[4] == 'l')
               && square(s, s->shape[4] == 'h')) {
        double x0 = py_min(s->x[0], s->x[2]), x1 = py_max(s->x[0], s->x[2]);
        double top = py_min(s->y[0], s->y[2]), bottom = py_max(s->y[0], s->y[2]);
        ok = edge_add(&out->rects, x0, x1, top, top, EDGE_H) && edge_add(&out->rects, x0, x1, bottom, bottom, EDGE_H)
             && edge_add(&out->rects, x0, x0, top, bottom, EDGE_V) && edge_add(&out->rects, x1, x1, top, bottom, EDGE_V);
    } else if (n > 1) {
        out->curves++;
        for (size_t i = 0; ok && i + 1 < n; i++)
            ok = edge_between(&out->curve_edges, s, i, i + 1, 0);
    }
    s->count = 0;
    return ok;
}

static int subpath_add(subpath *s, char shape, double x, double y) {
    if (s->count == s->capacity) {
        size_t capacity = s->capacity ? 2 * s->capacity : 64;
        char *shapes = realloc(s->shape, capacity);
        if (!shapes)
            return 0;
        s->shape = shapes;
        double *xs = realloc(s->x, capacity * sizeof *xs);
        if (!xs)
            return 0;
        s->x = xs;
        double *ys = realloc(s->y, capacity * sizeof *ys);
        if (!ys)
            return 0;
        s->y = ys;
        s->capacity = capacity;
    }
    s->shape[s->count] = shape;
    s->x[s->count] = x;
    s->y[s->count] = y;
    s->count++;
    return 1;
}

/* pdfium_drawings.Drawings._path (and _segments): the path's subpaths, points through `m` onto the page. */
static int path_read(drawing_walk *w, void *path, const double *m) {
    const drawing_calls *f = w->f;
    subpath *s = &w->sub;
    double a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], fy = m[5];
    float x = 0.0f, y = 0.0f;
    int controls = 0, count = f->segment_count(path);
    s->count = 0;
    for (int i = 0; i < count; i++) {
        void *segment = f->segment(path, i);
        int kind = f->segment_type(segment);
        if (kind == w->bezier) {
            controls = (controls + 1) % 3;
            if (controls)
                continue;
        }
        f->segment_point(segment, &x, &y);
        int closes = f->segment_close(segment);
        if (kind == MOVETO && s->count && !subpath_end(w))
            return 0;
        double px = x, py = y;
        char shape = kind == MOVETO || !s->count ? 'm' : kind == w->bezier ? 'c' : 'l';
        if (!subpath_add(s, shape, a * px + c * py + e, w->height - (b * px + d * py + fy)))
            return 0;
        if (closes && !subpath_add(s, 'h', s->x[0], s->y[0]))
            return 0;
    }
    return s->count ? subpath_end(w) : 1;
}

/* pdfium_drawings.Drawings._objects: `count` objects (from the page, or from `form` when not NULL). */
static int objects_read(drawing_walk *w, void *page, void *form, int count, const double *outer, int depth) {
    const drawing_calls *f = w->f;
    matrix_f m = {0};
    double own[6], inner[6], path[6];
    if (depth > FORM_DEPTH_LIMIT)
        return DRAWING_TOO_DEEP;
    for (int i = 0; i < count; i++) {
        void *object = form ? f->form_object(form, (unsigned long)i) : f->page_object(page, i);
        int kind = f->object_type(object);
        if (kind == TYPE_IMAGE) {
            w->out->images++;
        } else if (kind == TYPE_PATH || kind == TYPE_FORM) {
            f->object_matrix(object, &m);
            own[0] = m.a, own[1] = m.b, own[2] = m.c, own[3] = m.d, own[4] = m.e, own[5] = m.f;
            compose(own, outer, inner);
            if (kind == TYPE_PATH) {
                compose(inner, w->page, path);
                if (!path_read(w, object, path))
                    return DRAWING_NO_MEMORY;
            } else {
                int status = objects_read(w, NULL, object, f->form_count(object), inner, depth + 1);
                if (status)
                    return status;
            }
        }
    }
    return 0;
}

/* Frees what juesuan_drawing allocated in `out`. */
void juesuan_drawing_free(drawing *out) {
    free(out->lines.values);
    free(out->rects.values);
    free(out->curve_edges.values);
    out->lines = out->rects = out->curve_edges = (edge_list){0};
}

/* pdfium_drawings.Drawings.read for the whole page: its objects walked (form XObjects entered), each path's
 * subpaths classified, their edges in `out` (lines, rectangles' edges, curves' edges, each in the walk's order)
 * with the image and curve counts. `page_matrix` is user space onto the displayed page (y up), `height` the page's
 * height (y flipped from it). Returns 0; DRAWING_TOO_DEEP (-1) for forms nested deeper than FORM_DEPTH_LIMIT (the
 * Python walk then reads the page), INT32_MIN when memory runs out; `out` is to be freed with
 * juesuan_drawing_free in every case. */
int juesuan_drawing(const drawing_calls *f, void *page, const double *page_matrix, double height, int bezier,
                    drawing *out) {
    static const double identity[6] = {1.0, 0.0, 0.0, 1.0, 0.0, 0.0};
    drawing_walk w = {f, {0}, height, bezier, {0}, out};
    for (int i = 0; i < 6; i++)
        w.page[i] = page_matrix[i];
    *out = (drawing){0};
    int status = objects_read(&w, page, NULL, f->count_objects(page), identity, 0);
    free(w.sub.shape);
    free(w.sub.x);
    free(w.sub.y);
    return status;
}

/* One style of pdfium_glyphs._Style, as juesuan_page reads it: norm, shown A, shown B, y_em high, x_em low,
 * x_em high, y_em low, along_width and upright (1.0 or 0.0). */
enum {
    STYLE_NORM, STYLE_A, STYLE_B, STYLE_Y_HIGH, STYLE_X_LOW, STYLE_X_HIGH, STYLE_Y_LOW, STYLE_ALONG, STYLE_UPRIGHT,
    STYLE_FIELDS
};

/* pdfium_glyphs._boxes for glyph k: the same operations in the same order on the same doubles (built with
 * -ffp-contract=off, so no product is fused into a sum). numpy's np.where(v > 0.0, v, 0.0) is the comparison here. */
static void glyph_box(const double *style, const double *page, const double *origin, const double *box, double *x0,
                      double *x1, double *top, double *bottom) {
    double width = box[2] - box[0], height = box[1] - box[3];
    double advance = (style[STYLE_ALONG] != 0.0 ? width : height) / style[STYLE_NORM];
    double A = style[STYLE_A] * advance, B = style[STYLE_B] * advance;
    double x = origin[0], y = origin[1];
    double left = page[0] * x + page[2] * y + page[4];
    double base = page[6] - (page[1] * x + page[3] * y + page[5]);
    *top = base - (B > 0.0 ? B : 0.0) - style[STYLE_Y_HIGH];
    *x0 = left + (A < 0.0 ? A : 0.0) + style[STYLE_X_LOW];
    *x1 = left + (A > 0.0 ? A : 0.0) + style[STYLE_X_HIGH];
    *bottom = base - (B < 0.0 ? B : 0.0) - style[STYLE_Y_LOW];
}

/* Sort keys of the words' reading order: line, then x0, then place (lexsort is stable: ties keep char order). */
typedef struct { int64_t line; double x0; int at; } reading_key;

/* Whether key a comes strictly before key b (line, then x0, then place: a total order, so any sort gives one
 * result, lexsort's). */
static int reads_before(const reading_key *a, const reading_key *b) {
    if (a->line != b->line)
        return a->line < b->line;
    if (a->x0 != b->x0)
        return a->x0 < b->x0;
    return a->at < b->at;
}

/* Bottom-up merge sort of n keys (scratch of n): a page's chars come mostly in reading order already, and a pair
 * of runs already in order is not merged, so such a page costs about one comparison per run. */
static void sort_reading(reading_key *keys, reading_key *scratch, int n) {
    for (int width = 1; width < n; width *= 2) {
        for (int lo = 0; lo + width < n; lo += 2 * width) {
            int mid = lo + width, hi = mid + width < n ? mid + width : n;
            if (!reads_before(&keys[mid], &keys[mid - 1]))
                continue;
            int i = lo, j = mid, out = lo;
            while (i < mid && j < hi)
                scratch[out++] = reads_before(&keys[j], &keys[i]) ? keys[j++] : keys[i++];
            while (i < mid)
                scratch[out++] = keys[i++];
            while (j < hi)
                scratch[out++] = keys[j++];
            memcpy(keys + lo, scratch + lo, (size_t)(hi - lo) * sizeof *keys);
        }
    }
}

/* The same for doubles (no NaN here): ascending. Ties are equal values, so the order among them cannot show. */
static void sort_values(double *values, double *scratch, int n) {
    for (int width = 1; width < n; width *= 2) {
        for (int lo = 0; lo + width < n; lo += 2 * width) {
            int mid = lo + width, hi = mid + width < n ? mid + width : n;
            if (!(values[mid] < values[mid - 1]))
                continue;
            int i = lo, j = mid, out = lo;
            while (i < mid && j < hi)
                scratch[out++] = values[j] < values[i] ? values[j++] : values[i++];
            while (i < mid)
                scratch[out++] = values[i++];
            while (j < hi)
                scratch[out++] = values[j++];
            memcpy(values + lo, scratch + lo, (size_t)(hi - lo) * sizeof *values);
        }
    }
}

/* char_words._lines over the chars at `at` (m of them, in page order): per run of equal upright, the distinct tops
 * sorted, a new line where one is more than tol past the one before; each char's line numbered across the page (-1
 * for a char not upright). `tops` is scratch of m doubles. */
static void cluster_lines(int m, const int *at, const double *top, const uint8_t *upright, double tol, double *tops,
                          int64_t *line) {
    int64_t lines = 0;
    for (int start = 0, end; start < m; start = end) {
        for (end = start + 1; end < m && upright[end] == upright[start]; end++)
            ;
        if (!upright[start]) {
            for (int k = start; k < end; k++)
                line[k] = -1;
            continue;
        }
        int distinct = 0;
        for (int k = start; k < end; k++)
            tops[k - start] = top[at[k]];
        sort_values(tops, tops + m, end - start);
        for (int k = 0; k < end - start; k++)  /* no NaN and no zero reach here: == is np.unique's equality */
            if (!distinct || tops[k] != tops[distinct - 1])
                tops[distinct++] = tops[k];
        /* the cluster of each distinct top, written over the tops' scratch after their values are read */
        for (int k = start; k < end; k++) {
            double v = top[at[k]];
            int lo = 0, hi = distinct - 1;
            while (lo < hi) {  /* np.searchsorted: v is among the distinct tops */
                int mid = (lo + hi) / 2;
                if (tops[mid] < v)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            line[k] = lo;  /* its place among the distinct tops, turned into its cluster below */
        }
        int64_t *cluster = malloc((size_t)distinct * sizeof *cluster);
        if (!cluster) {
            line[start] = INT64_MIN;
            return;
        }
        cluster[0] = 0;
        for (int k = 1; k < distinct; k++)
            cluster[k] = cluster[k - 1] + (tops[k] > tops[k - 1] + tol);
        for (int k = start; k < end; k++)
            line[k] = lines + cluster[line[k]];
        lines += cluster[distinct - 1] + 1;
        free(cluster);
    }
}

/* A page's glyphs to its words in one call: pdfium_glyphs._boxes of the n glyphs (glyph k in style which[k], row
 * 1 + which[k] of `table`, STYLE_FIELDS doubles a row; row 0 the frame's a, b, c, d, e, f and page height) into
 * out's x0, x1, top, bottom (n each); text_layer.dedupe_overlaid's choice (juesuan_overlaid, tol) into keep; then
 * char_words._words over the kept chars (blank[code] str.isspace, tolerances x_tol, y_tol): the kept glyphs'
 * indices in reading order, blanks dropped, into reading (n), each word's first place among them into first (n),
 * and each word's min x0, max x1, min top, max bottom into out's last four rows. counts[0] the number of words:
 * -1 when the kept chars hold a NaN or a zero coordinate (char_words declines them: pdfplumber's words decide), -2
 * when dedupe_overlaid's helper declines (its Python loop decides, and the words after it), INT32_MIN when memory
 * runs out; counts[1] the number of chars in reading. */
void juesuan_page(int n, const double *origin, const double *box, const intptr_t *which, const double *table,
                  const uint32_t *code, const uint8_t *blank, double tol, double x_tol, double y_tol, double *out,
                  uint8_t *keep, int *reading, int *counts) {
    const double *page = table, *styles = table + STYLE_FIELDS;
    double *x0 = out, *x1 = out + n, *top = out + 2 * (size_t)n, *bottom = out + 3 * (size_t)n;
    double *wx0 = out + 4 * (size_t)n, *wx1 = out + 5 * (size_t)n, *wtop = out + 6 * (size_t)n;
    double *wbottom = out + 7 * (size_t)n;
    int *first = reading + n;
    for (int k = 0; k < n; k++)
        glyph_box(styles + STYLE_FIELDS * which[k], page, origin + 2 * k, box + 4 * k, x0 + k, x1 + k, top + k,
                  bottom + k);
    int32_t *text = malloc(((size_t)n + 1) * sizeof *text);
    int *at = malloc(((size_t)n + 1) * sizeof *at);
    uint8_t *upright = malloc((size_t)n + 1);
    int64_t *line = malloc(((size_t)n + 1) * sizeof *line);
    double *tops = malloc(2 * ((size_t)n + 1) * sizeof *tops);  /* the tops, then the sort's scratch */
    reading_key *keys = malloc(2 * ((size_t)n + 1) * sizeof *keys);  /* the keys, then the sort's scratch */
    int words = INT32_MIN, m = 0, chosen = 0, kept = 0;
    if (!text || !at || !upright || !line || !tops || !keys)
        goto done;
    for (int k = 0; k < n; k++)
        text[k] = (int32_t)code[k];
    int status = juesuan_overlaid(n, x0, top, text, tol, keep);
    if (status < 0) {
        words = status == INT32_MIN ? INT32_MIN : -2;
        goto done;
    }
    words = -1;
    for (int k = 0; k < n; k++) {
        if (!keep[k])
            continue;
        if (isnan(x0[k]) || isnan(x1[k]) || isnan(top[k]) || isnan(bottom[k]) || x0[k] == 0.0 || x1[k] == 0.0
            || top[k] == 0.0 || bottom[k] == 0.0)
            goto done;
        upright[m] = styles[STYLE_FIELDS * which[k] + STYLE_UPRIGHT] != 0.0;
        at[m++] = k;
    }
    cluster_lines(m, at, top, upright, y_tol, tops, line);
    for (int k = 0; k < m; k++) {
        if (line[k] == INT64_MIN) {
            words = INT32_MIN;
            goto done;
        }
        if (line[k] >= 0)
            keys[chosen++] = (reading_key){line[k], x0[at[k]], at[k]};
    }
    sort_reading(keys, keys + n + 1, chosen);
    /* char_words._word_starts in reading order, blanks included; a blank is dropped and starts the next word */
    words = 0;
    for (int r = 0; r < chosen; r++) {
        int g = keys[r].at;
        if (blank[code[g]])
            continue;
        int starts = 1;
        if (r > 0) {
            const reading_key *before = &keys[r - 1];
            int p = before->at;
            starts = keys[r].line != before->line || blank[code[p]] || x0[g] < x0[p] || x0[g] > x1[p] + x_tol
                     || fabs(top[g] - top[p]) > y_tol;
        }
        if (starts) {
            first[words] = kept;
            wx0[words] = x0[g];
            wx1[words] = x1[g];
            wtop[words] = top[g];
            wbottom[words] = bottom[g];
            words++;
        } else {  /* np.minimum / np.maximum.reduceat: no NaN and no zero here, so no ±0 or NaN order to keep */
            int w = words - 1;
            if (x0[g] < wx0[w])
                wx0[w] = x0[g];
            if (x1[g] > wx1[w])
                wx1[w] = x1[g];
            if (top[g] < wtop[w])
                wtop[w] = top[g];
            if (bottom[g] > wbottom[w])
                wbottom[w] = bottom[g];
        }
        reading[kept++] = g;
    }
done:
    counts[0] = words;
    counts[1] = kept;
    free(text);
    free(at);
    free(upright);
    free(line);
    free(tops);
    free(keys);
}

/* glyph_widths._misdrawn_columns over n glyphs (code points `code`, boxes x0, x1, top, bottom; kinds[c] the kind
 * of BMP code point c: 1 Latin, 2 Chinese, 0 other, kinds[0xFFFF] for any above): the pairs of a Latin glyph and a
 * Chinese neighbour (either side) whose widths and heights agree to same_size of the larger, both positive, on one
 * line (tops within same_size of the Latin glyph's height) and at most run_gap of that height apart. The same
 * tests on the same doubles as its numpy arrays. Writes the Latin glyphs found, each once, in page order, into
 * found (n) and returns their number; -1 when a pair's width or height sum is not finite (numpy's test: the
 * Python loop decides). */
int juesuan_misdrawn(int n, const uint32_t *code, const double *x0, const double *x1, const double *top,
                     const double *bottom, const uint8_t *kinds, double same_size, double run_gap, int *found) {
    enum { LATIN = 1, CHINESE = 2 };
    int count = 0, finite = 1;
    for (int g = 0; g < n; g++) {
        if (kinds[code[g] > 0xFFFF ? 0xFFFF : code[g]] != LATIN)
            continue;
        int square_here = 0;
        for (int side = 0; side < 2; side++) {  /* the glyph before, then the glyph after */
            int o = side ? g + 1 : g - 1;
            if (o < 0 || o >= n || kinds[code[o] > 0xFFFF ? 0xFFFF : code[o]] != CHINESE)
                continue;
            double width = x1[g] - x0[g], height = bottom[g] - top[g];
            double o_width = x1[o] - x0[o], o_height = bottom[o] - top[o];
            if (!isfinite(width + o_width) || !isfinite(height + o_height)) {
                finite = 0;
                continue;
            }
            double wide = o_width > width ? o_width : width, tall = o_height > height ? o_height : height;
            double narrow = o_width < width ? o_width : width, low = o_height < height ? o_height : height;
            if (!(fabs(width - o_width) <= same_size * wide && fabs(height - o_height) <= same_size * tall))
                continue;
            double gap_after = x0[o] - x1[g], gap_before = x0[g] - x1[o];
            double gap = gap_before > gap_after ? gap_before : gap_after;
            if (narrow > 0 && low > 0 && fabs(top[o] - top[g]) <= same_size * height && gap <= run_gap * height)
                square_here = 1;
        }
        if (square_here)
            found[count++] = g;
    }
    return finite ? count : -1;
}

/* text_layer._table_rules over n edges (five doubles each: x0, x1, top, bottom, orientation code, in pdfplumber's
 * order): an edge is a horizontal rule (y, x0, x1) into h when flat (height within `flat`) or labelled EDGE_H and
 * wider than `length`, a vertical rule (x, top, bottom) into v when upright or labelled EDGE_V and taller than
 * `length`; the same subtractions and tests, in edge order. h and v hold three columns of n each (a rule's three
 * numbers at k, n + k, 2n + k: three lists, not one per rule, for Python to read). counts[0], counts[1]: the
 * numbers of each. */
void juesuan_rules(int n, const double *edges, double flat, double length, double *h, double *v, int *counts) {
    int nh = 0, nv = 0;
    for (int k = 0; k < n; k++) {
        const double *e = edges + 5 * (size_t)k;
        double width = e[1] - e[0], height = e[3] - e[2];
        if ((height <= flat || e[4] == EDGE_H) && width > length) {
            h[nh] = e[2], h[n + nh] = e[0], h[2 * (size_t)n + nh] = e[1];
            nh++;
        }
        if ((width <= flat || e[4] == EDGE_V) && height > length) {
            v[nv] = e[0], v[n + nv] = e[2], v[2 * (size_t)n + nv] = e[3];
            nv++;
        }
    }
    counts[0] = nh;
    counts[1] = nv;
}
