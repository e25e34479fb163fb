/* Compiled walks over an lxml tree for the HTML path (cleaner/lines/dom.py, render.py, head.py).
 * Optional, like cleaner/_native.c: each function has a pure-Python twin giving identical results.
 *
 * In Python every element an HTML page's walk looks at becomes an lxml proxy object, and reading its
 * text, tail or attributes through it costs microseconds; a page has a thousand elements, walked
 * three times. Here the same walks read libxml2's nodes directly.
 *
 * lxml's public C API (lxml/etree.h) gives an element object as {PyObject_HEAD; _doc; _c_node; _tag},
 * and libxml2's tree.h gives its nodes and attributes; the fields read here have kept their place
 * since libxml2 2.0 and lxml 2.0. The structs are mirrored below rather than included so that the
 * build needs no lxml headers; cleaner/lines/dom.py checks both walks against their Python twins on
 * a sample page before it uses them (a mismatch turns them off).
 *
 * Semantics mirrored from lxml: an element's text is the run of text and CDATA nodes its children
 * start with, its tail the run after it; "len(s.strip())" counts code points between the first and
 * the last that are not Unicode whitespace (Py_UNICODE_ISSPACE, Python's str.strip and re's \s).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

enum { ELEMENT_NODE = 1, TEXT_NODE = 3, CDATA_NODE = 4 };

typedef struct xns { struct xns *next; int type; const unsigned char *href; const unsigned char *prefix; } xns;
typedef struct xattr xattr;
typedef struct xnode xnode;
struct xnode {
    void *_private; int type; const unsigned char *name;
    xnode *children, *last, *parent, *next, *prev;
    void *doc; xns *ns; unsigned char *content; xattr *properties;
};
struct xattr {
    void *_private; int type; const unsigned char *name;
    xnode *children, *last, *parent; xattr *next, *prev;
    void *doc; xns *ns;
};
typedef struct { PyObject_HEAD void *doc; xnode *c_node; PyObject *tag; } lxml_element;

/* Tag flags, the values of the dict the Python side passes (cleaner/lines/dom.py TAG_FLAGS). */
enum {
    SILENT = 1, DIV_BLOCK = 2, DIV = 4, ANCHOR = 8,   /* DOM facts */
    NEWLINE = 16, DOUBLE_NEWLINE = 32, BLOCK = 64, STRUCTURE = 128, CELL = 256,  /* render */
    CHROME = 512,  /* furniture */
};

static inline int is_text(const xnode *n) { return n->type == TEXT_NODE || n->type == CDATA_NODE; }

static inline uint32_t
utf8_next(const unsigned char **pp)
{
    const unsigned char *p = *pp;
    uint32_t c = p[0];
    if (c < 0x80) { *pp = p + 1; return c; }
    if ((c & 0xE0) == 0xC0 && p[1]) { *pp = p + 2; return ((c & 0x1F) << 6) | (p[1] & 0x3F); }
    if ((c & 0xF0) == 0xE0 && p[1] && p[2]) {
        *pp = p + 3; return ((c & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    }
    if ((c & 0xF8) == 0xF0 && p[1] && p[2] && p[3]) {
        *pp = p + 4; return ((c & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) | (p[3] & 0x3F);
    }
    *pp = p + 1;
    return 0xFFFD;
}

static inline int is_space(uint32_t c) { return c < 128 ? (c == ' ' || (c >= 9 && c <= 13) || (c >= 28 && c <= 31)) : Py_UNICODE_ISSPACE(c); }

static PyTypeObject *element_type = NULL;  /* lxml.etree._Element */

static xnode *
node_of(PyObject *obj, const char *what)
{
    if (element_type == NULL) {
        PyObject *etree = PyImport_ImportModule("lxml.etree");
        PyObject *type = etree ? PyObject_GetAttrString(etree, "_Element") : NULL;
        Py_XDECREF(etree);
        if (type == NULL)
            return NULL;
        if (!PyType_Check(type) || ((PyTypeObject *)type)->tp_basicsize < (Py_ssize_t)sizeof(lxml_element)) {
            Py_DECREF(type);
            PyErr_SetString(PyExc_TypeError, "lxml.etree._Element is not laid out as lxml/etree.h says");
            return NULL;
        }
        element_type = (PyTypeObject *)type;  /* kept for the life of the process */
    }
    if (!PyObject_TypeCheck(obj, element_type) || ((lxml_element *)obj)->c_node == NULL
        || ((lxml_element *)obj)->c_node->type != ELEMENT_NODE) {
        PyErr_Format(PyExc_TypeError, "%s: an lxml element is needed", what);
        return NULL;
    }
    return ((lxml_element *)obj)->c_node;
}

/* ---- per-call table of tag names (libxml2 interns a document's names: one pointer per name) ---- */

#define TAG_SLOTS 1024
typedef struct { const unsigned char *name; const xns *ns; int flags; PyObject *str; } tag_slot;
typedef struct { tag_slot slots[TAG_SLOTS]; int used; PyObject *flags; tag_slot spill; } tag_table;

static void
tags_init(tag_table *t, PyObject *flags)
{
    memset(t->slots, 0, sizeof(t->slots));
    t->used = 0;
    t->flags = flags;
    t->spill.str = NULL;
}

static void
tags_free(tag_table *t)
{
    for (int i = 0; i < TAG_SLOTS; i++)
        Py_XDECREF(t->slots[i].str);
    Py_XDECREF(t->spill.str);
}

static int
tag_fill(tag_table *t, tag_slot *s, const xnode *n)
{
    s->name = n->name;
    s->ns = n->ns;
    s->str = (n->ns && n->ns->href) ? PyUnicode_FromFormat("{%s}%s", n->ns->href, n->name)
                                    : PyUnicode_FromString((const char *)n->name);
    if (s->str == NULL)
        return -1;
    PyObject *v = PyDict_GetItemWithError(t->flags, s->str);
    if (v == NULL && PyErr_Occurred())
        return -1;
    s->flags = v ? (int)PyLong_AsLong(v) : 0;
    return (s->flags == -1 && PyErr_Occurred()) ? -1 : 0;
}

/* The slot of element n's name (its flags and its tag as lxml spells it), NULL on error. */
static tag_slot *
tag_of(tag_table *t, const xnode *n)
{
    size_t h = ((uintptr_t)n->name >> 4) * 2654435761u;
    for (int k = 0; k < 16; k++) {
        tag_slot *s = &t->slots[(h + k) & (TAG_SLOTS - 1)];
        if (s->name == n->name && s->ns == n->ns)
            return s;
        if (s->name == NULL) {
            if (t->used >= TAG_SLOTS / 2)
                break;
            t->used++;
            return tag_fill(t, s, n) < 0 ? NULL : s;
        }
    }
    Py_CLEAR(t->spill.str);  /* a page of very many distinct names: no caching for the rest */
    return tag_fill(t, &t->spill, n) < 0 ? NULL : &t->spill;
}

/* ---- runs of text ---- */

typedef struct { Py_ssize_t stripped; Py_ssize_t commas; uint32_t last; int any; } run_stats;

/* Statistics of the run of text nodes starting at n; returns the node after the run. */
static xnode *
scan_run(xnode *n, run_stats *s)
{
    Py_ssize_t pos = 0, first = -1, last = -1;
    s->commas = 0;
    s->any = 0;
    for (; n != NULL && is_text(n); n = n->next) {
        const unsigned char *p = n->content;
        if (p == NULL)
            continue;
        while (*p) {
            if (*p == ',')
                s->commas++;
            uint32_t c = utf8_next(&p);
            if (!is_space(c)) {
                if (first < 0)
                    first = pos;
                last = pos;
                s->last = c;
            }
            pos++;
        }
    }
    s->any = first >= 0;
    s->stripped = first < 0 ? 0 : last - first + 1;
    return n;
}

/* ---- growable int32 arrays ---- */

typedef struct { int32_t *v; Py_ssize_t n, cap; } ivec;

static int
ivec_push(ivec *a, int32_t x)
{
    if (a->n == a->cap) {
        Py_ssize_t cap = a->cap ? 2 * a->cap : 256;
        int32_t *v = PyMem_Realloc(a->v, cap * sizeof(int32_t));
        if (v == NULL) { PyErr_NoMemory(); return -1; }
        a->v = v;
        a->cap = cap;
    }
    a->v[a->n++] = x;
    return 0;
}

static PyObject *ivec_bytes(const ivec *a) { return PyBytes_FromStringAndSize((const char *)a->v, a->n * sizeof(int32_t)); }

/* The value of attribute `name` (no namespace) of n, as lxml's get() gives it: NULL when absent
 * (no error set), "" when it has no value. */
static PyObject *
attribute(const xnode *n, const char *name, int *found)
{
    *found = 0;
    for (const xattr *a = n->properties; a != NULL; a = a->next) {
        if (a->ns != NULL || strcmp((const char *)a->name, name) != 0)
            continue;
        *found = 1;
        if (a->children != NULL && a->children->next == NULL && a->children->content != NULL)
            return PyUnicode_FromString((const char *)a->children->content);
        PyObject *parts = PyList_New(0), *sep = NULL, *out = NULL;
        if (parts == NULL)
            return NULL;
        for (const xnode *c = a->children; c != NULL; c = c->next) {
            PyObject *s = PyUnicode_FromString(c->content ? (const char *)c->content : "");
            if (s == NULL || PyList_Append(parts, s) < 0) { Py_XDECREF(s); goto fail; }
            Py_DECREF(s);
        }
        sep = PyUnicode_FromString("");
        if (sep != NULL)
            out = PyUnicode_Join(sep, parts);
    fail:
        Py_XDECREF(sep);
        Py_DECREF(parts);
        return out;
    }
    return NULL;
}

static const char *ATTRIBUTES[] = {"class", "id", "role", "itemprop", "hidden", "aria-hidden", "style"};
#define N_ATTRIBUTES 7

/* (class, id, role, itemprop, has hidden, aria-hidden, style) of n, None where absent; Py_None
 * (a new reference) when it has none of them. */
static PyObject *
attributes_of(const xnode *n)
{
    PyObject *values[N_ATTRIBUTES];
    int any = 0;
    for (int k = 0; k < N_ATTRIBUTES; k++) {
        int found;
        PyObject *v = attribute(n, ATTRIBUTES[k], &found);
        if (v == NULL && PyErr_Occurred()) {
            while (k--) Py_XDECREF(values[k]);
            return NULL;
        }
        any |= found;
        if (k == 4) {  /* hidden: whether it is there */
            Py_XDECREF(v);
            v = PyBool_FromLong(found);
        }
        values[k] = v ? v : Py_NewRef(Py_None);
    }
    if (!any) {
        for (int k = 0; k < N_ATTRIBUTES; k++) Py_DECREF(values[k]);
        return Py_NewRef(Py_None);
    }
    PyObject *t = PyTuple_New(N_ATTRIBUTES);
    if (t == NULL) {
        for (int k = 0; k < N_ATTRIBUTES; k++) Py_DECREF(values[k]);
        return NULL;
    }
    for (int k = 0; k < N_ATTRIBUTES; k++)
        PyTuple_SET_ITEM(t, k, values[k]);
    return t;
}

/* dict[key] = value; steals value (NULL: an error already set). */
static int
set_item(PyObject *dict, Py_ssize_t key, PyObject *value)
{
    PyObject *k = PyLong_FromSsize_t(key);
    int r = (k == NULL || value == NULL) ? -1 : PyDict_SetItem(dict, k, value);
    Py_XDECREF(k);
    Py_XDECREF(value);
    return r;
}

/* dict[key].append(value), the list made when missing; steals value (NULL: an error already set). */
static int
append_at(PyObject *dict, Py_ssize_t key, PyObject *value)
{
    PyObject *k = PyLong_FromSsize_t(key), *list = NULL;
    int r = -1;
    if (k == NULL || value == NULL)
        goto done;
    list = PyDict_GetItemWithError(dict, k);  /* borrowed */
    if (list == NULL) {
        if (PyErr_Occurred() || (list = PyList_New(0)) == NULL)
            goto done;
        int bad = PyDict_SetItem(dict, k, list) < 0;
        Py_DECREF(list);  /* the dict holds it */
        if (bad)
            goto done;
    }
    r = PyList_Append(list, value);
done:
    Py_XDECREF(k);
    Py_XDECREF(value);
    return r;
}

/* ---- tree(body, flags) ---- */

typedef struct {
    xnode *node, *cur;  /* the element; the child to look at next */
    int32_t index, flags;
    Py_ssize_t chars, links;        /* of its text so far */
    Py_ssize_t commas0, seen0, blocks0;  /* global counters when it started */
} frame;

typedef struct {
    frame *v; Py_ssize_t n, cap;
} frame_stack;

static frame *
frames_push(frame_stack *s)
{
    if (s->n == s->cap) {
        Py_ssize_t cap = s->cap ? 2 * s->cap : 64;
        frame *v = PyMem_Realloc(s->v, cap * sizeof(frame));
        if (v == NULL) { PyErr_NoMemory(); return NULL; }
        s->v = v;
        s->cap = cap;
    }
    return &s->v[s->n++];
}

typedef struct {
    Py_ssize_t commas, seen, blocks;  /* commas in text so far; runs with text so far; DIV_BLOCK elements so far */
    Py_ssize_t run_min;               /* a DIV's runs of text kept in `runs` from this many characters */
    uint32_t last;                    /* the last character that is not whitespace so far */
    PyObject *runs;                   /* {div index: [(stripped length, commas), ...]} */
} totals;

/* Count the run starting at n into the element of frame f; returns the node after the run. */
static xnode *
take_run(xnode *n, frame *f, totals *g, int *error)
{
    run_stats s;
    xnode *after = scan_run(n, &s);
    f->chars += s.stripped;
    g->commas += s.commas;
    if (s.any) {
        g->seen++;
        g->last = s.last;
    }
    if ((f->flags & DIV) && s.stripped >= g->run_min
        && append_at(g->runs, f->index, Py_BuildValue("(nn)", s.stripped, s.commas)) < 0)
        *error = 1;
    return after;
}

static PyObject *
tree(PyObject *self, PyObject *args)
{
    PyObject *body_obj, *flags;
    Py_ssize_t run_min;
    if (!PyArg_ParseTuple(args, "OO!n", &body_obj, &PyDict_Type, &flags, &run_min))
        return NULL;
    xnode *body = node_of(body_obj, "tree");
    if (body == NULL)
        return NULL;

    tag_table *tags = PyMem_Malloc(sizeof(tag_table));
    if (tags == NULL)
        return PyErr_NoMemory();
    tags_init(tags, flags);
    ivec nodes_lo = {0}, nodes_hi = {0}, parent = {0}, depth = {0}, end = {0}, chars = {0}, links = {0},
         commas = {0}, bits = {0};
    frame_stack stack = {0};
    totals g = {0, 0, 0, run_min, 0, NULL};
    PyObject *names = PyList_New(0), *attrs = PyDict_New(), *result = NULL;
    g.runs = PyDict_New();
    int error = 0;
    if (names == NULL || attrs == NULL || g.runs == NULL)
        goto done;

    xnode *n = body;
    for (;;) {
        if (n != NULL && n->type == ELEMENT_NODE) {  /* an element starts */
            int32_t index = (int32_t)parent.n;
            tag_slot *t = tag_of(tags, n);
            if (t == NULL || PyList_Append(names, t->str) < 0)
                goto done;
            uintptr_t ptr = (uintptr_t)n;
            if (ivec_push(&nodes_lo, (int32_t)(uint32_t)ptr) < 0 || ivec_push(&nodes_hi, (int32_t)(uint32_t)((uint64_t)ptr >> 32)) < 0
                || ivec_push(&parent, stack.n ? stack.v[stack.n - 1].index : -1) < 0
                || ivec_push(&depth, (int32_t)stack.n) < 0 || ivec_push(&end, 0) < 0 || ivec_push(&chars, 0) < 0
                || ivec_push(&links, 0) < 0 || ivec_push(&commas, 0) < 0 || ivec_push(&bits, 0) < 0)
                goto done;
            if (n->properties != NULL) {
                PyObject *a = attributes_of(n);
                if (a == NULL)
                    goto done;
                if (a == Py_None)
                    Py_DECREF(a);
                else if (set_item(attrs, index, a) < 0)
                    goto done;
            }
            if (t->flags & DIV_BLOCK)
                g.blocks++;
            frame *f = frames_push(&stack);
            if (f == NULL)
                goto done;
            *f = (frame){n, NULL, index, t->flags, 0, 0, g.commas, g.seen, g.blocks};
            f->cur = take_run(n->children, f, &g, &error);  /* its text */
            if (error)
                goto done;
            n = f->cur;
            continue;
        }
        frame *f = &stack.v[stack.n - 1];
        if (n != NULL) {  /* a comment, processing instruction...: its tail is the element's text */
            n = f->cur = take_run(n->next, f, &g, &error);
            if (error)
                goto done;
            continue;
        }
        /* the element of the top frame ends */
        int32_t i = f->index;
        Py_ssize_t c = (f->flags & SILENT) ? 0 : f->chars;
        Py_ssize_t l = (f->flags & SILENT) ? 0 : (f->flags & ANCHOR) ? c : f->links;
        chars.v[i] = (int32_t)c;
        links.v[i] = (int32_t)l;
        end.v[i] = (int32_t)parent.n - 1;
        commas.v[i] = (int32_t)(g.commas - f->commas0);
        bits.v[i] = (g.seen > f->seen0 && g.last == '.') | ((g.blocks > f->blocks0) << 1);
        xnode *done_node = f->node;
        stack.n--;
        if (stack.n == 0)
            break;
        frame *up = &stack.v[stack.n - 1];
        up->chars += c;
        up->links += l;
        n = up->cur = take_run(done_node->next, up, &g, &error);  /* its tail */
        if (error)
            goto done;
    }
    /* node pointers as two int32 halves, for render's lookup */
    PyObject *lo = ivec_bytes(&nodes_lo), *hi = ivec_bytes(&nodes_hi);
    PyObject *nodes = (lo && hi) ? Py_BuildValue("(OO)", lo, hi) : NULL;
    Py_XDECREF(lo);
    Py_XDECREF(hi);
    if (nodes == NULL)
        goto done;
    result = Py_BuildValue("(NONNNNNNNOO)", nodes, names, ivec_bytes(&parent), ivec_bytes(&depth), ivec_bytes(&end),
                           ivec_bytes(&chars), ivec_bytes(&links), ivec_bytes(&commas), ivec_bytes(&bits), g.runs, attrs);
done:
    tags_free(tags);
    PyMem_Free(tags);
    PyMem_Free(nodes_lo.v); PyMem_Free(nodes_hi.v); PyMem_Free(parent.v); PyMem_Free(depth.v); PyMem_Free(end.v);
    PyMem_Free(chars.v); PyMem_Free(links.v); PyMem_Free(commas.v); PyMem_Free(bits.v);
    PyMem_Free(stack.v);
    Py_XDECREF(names);
    Py_XDECREF(attrs);
    Py_XDECREF(g.runs);
    return result;
}

/* ---- near(parent, depth, own, groups) ---- */

static PyObject *
near(PyObject *self, PyObject *args)
{
    Py_buffer pb, db, ob;
    int groups;
    if (!PyArg_ParseTuple(args, "y*y*y*i", &pb, &db, &ob, &groups))
        return NULL;
    PyObject *out = NULL;
    Py_ssize_t n = pb.len / (Py_ssize_t)sizeof(int32_t);
    if (db.len != pb.len || ob.len != pb.len || groups <= 0 || groups > 31) {
        PyErr_SetString(PyExc_ValueError, "near: parent, depth and own must have one int32 per element");
        goto done;
    }
    out = PyBytes_FromStringAndSize(NULL, n * groups * (Py_ssize_t)sizeof(int32_t));
    if (out == NULL)
        goto done;
    const int32_t *par = pb.buf, *dep = db.buf, *own = ob.buf;
    int32_t *v = (int32_t *)PyBytes_AS_STRING(out);
    for (Py_ssize_t i = 0; i < n; i++) {
        int32_t p = par[i];
        for (int k = 0; k < groups; k++) {
            int32_t up = (p >= 0 && p < i) ? v[p * groups + k] : -1;
            v[i * groups + k] = (own[i] >> k & 1) ? dep[i] : up;
        }
    }
done:
    PyBuffer_Release(&pb);
    PyBuffer_Release(&db);
    PyBuffer_Release(&ob);
    return out;
}

/* ---- render(root, flags, nodes, structure) ---- */

typedef struct { char *v; Py_ssize_t n, cap; } cbuf;

static int
cbuf_put(cbuf *b, const char *s, Py_ssize_t k)
{
    if (b->n + k > b->cap) {
        Py_ssize_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + k) cap *= 2;
        char *v = PyMem_Realloc(b->v, cap);
        if (v == NULL) { PyErr_NoMemory(); return -1; }
        b->v = v;
        b->cap = cap;
    }
    memcpy(b->v + b->n, s, k);
    b->n += k;
    return 0;
}

/* An open-addressing map from node pointers to their DOM-facts index. */
typedef struct { uintptr_t *keys; int32_t *values; size_t mask; } node_map;

static int
map_build(node_map *m, const int32_t *lo, const int32_t *hi, Py_ssize_t n)
{
    size_t size = 16;
    while (size < (size_t)n * 2) size *= 2;
    m->mask = size - 1;
    m->keys = PyMem_Calloc(size, sizeof(uintptr_t));
    m->values = PyMem_Malloc(size * sizeof(int32_t));
    if (m->keys == NULL || m->values == NULL) { PyErr_NoMemory(); return -1; }
    for (Py_ssize_t i = 0; i < n; i++) {
        uintptr_t key = (uintptr_t)(((uint64_t)(uint32_t)hi[i] << 32) | (uint32_t)lo[i]);
        size_t h = (key >> 4) * 2654435761u;
        while (m->keys[h & m->mask] != 0 && m->keys[h & m->mask] != key) h++;
        m->keys[h & m->mask] = key;
        m->values[h & m->mask] = (int32_t)i;
    }
    return 0;
}

static int32_t
map_get(const node_map *m, const void *node)
{
    if (m->keys == NULL)
        return -1;
    uintptr_t key = (uintptr_t)node;
    for (size_t h = (key >> 4) * 2654435761u;; h++) {
        uintptr_t k = m->keys[h & m->mask];
        if (k == key) return m->values[h & m->mask];
        if (k == 0) return -1;
    }
}

enum { PREV_DOUBLE, PREV_NEWLINE, PREV_TEXT };

typedef struct {
    cbuf out;
    int prev, prev_space, prev_bracket;  /* what was printed last; for text, how its raw run ended */
    Py_ssize_t line, width;
    int started;
    PyObject *owners, *kinds, *cuts;
    ivec open_blocks;
    PyObject *open_structure;  /* list of tags */
    Py_ssize_t unseen;
} render_state;

static int
layout(render_state *r, int flags)
{
    int breaks;
    if (r->prev == PREV_DOUBLE)  /* never more than one blank line */
        return 0;
    if (flags & DOUBLE_NEWLINE) {
        breaks = r->prev == PREV_NEWLINE ? 1 : 2;
        r->prev = PREV_DOUBLE;
    } else if (flags & NEWLINE) {
        breaks = r->prev == PREV_NEWLINE ? 0 : 1;
        r->prev = PREV_NEWLINE;
    } else
        return 0;
    if (breaks) {
        if (cbuf_put(&r->out, "\n\n", breaks) < 0)
            return -1;
        r->line += breaks;
        r->width = 0;
        r->started = 0;
    }
    return 0;
}

/* render.text(): print the run of text starting at n, whitespace collapsed; returns the node
 * after the run, or NULL with *error set. */
static xnode *
print_run(render_state *r, xnode *n, int32_t owner, int *error)
{
    /* first pass: where its words start and end (code points), how the raw run ends */
    Py_ssize_t pos = 0, first = -1, last = -1;
    uint32_t last_char = 0, first_word = 0;
    xnode *after = n;
    for (; after != NULL && is_text(after); after = after->next) {
        const unsigned char *p = after->content;
        if (p == NULL) continue;
        while (*p) {
            uint32_t c = utf8_next(&p);
            if (!is_space(c)) {
                if (first < 0) { first = pos; first_word = c; }
                last = pos;
            }
            last_char = c;
            pos++;
        }
    }
    if (first < 0)
        return after;
    int space = r->prev == PREV_TEXT && (r->prev_space || (!(first_word < 128 && strchr(",:;.!?\")", (int)first_word))
                                                          && !r->prev_bracket));
    if (space && cbuf_put(&r->out, " ", 1) < 0) goto fail;
    /* second pass: copy, each run of whitespace one space */
    Py_ssize_t words = 0;
    pos = 0;
    int in_space = 0;
    for (xnode *t = n; t != after; t = t->next) {
        const unsigned char *p = t->content;
        if (p == NULL) continue;
        while (*p) {
            const unsigned char *s = p;
            uint32_t c = utf8_next(&p);
            if (pos >= first && pos <= last) {
                if (is_space(c))
                    in_space = 1;
                else {
                    if (in_space) {
                        if (cbuf_put(&r->out, " ", 1) < 0) goto fail;
                        words++;
                        in_space = 0;
                    }
                    if (cbuf_put(&r->out, (const char *)s, p - s) < 0) goto fail;
                    words++;
                }
            }
            pos++;
        }
    }
    if (!r->started) {
        int32_t o = owner >= 0 ? owner : r->open_blocks.n ? r->open_blocks.v[r->open_blocks.n - 1] : -1;
        if (o >= 0 && set_item(r->owners, r->line, PyLong_FromLong(o)) < 0) goto fail;
        Py_ssize_t open = PyList_GET_SIZE(r->open_structure);
        if (open > r->unseen && set_item(r->kinds, r->line, Py_NewRef(PyList_GET_ITEM(r->open_structure, open - 1))) < 0)
            goto fail;
        r->started = 1;
    }
    r->unseen = PyList_GET_SIZE(r->open_structure);
    r->width += space + words;
    r->prev = PREV_TEXT;
    r->prev_space = is_space(last_char);
    r->prev_bracket = last_char == '(';  /* (re's "\($" also matches before a final newline, but a
                                            newline is whitespace: a space follows either way) */
    return after;
fail:
    *error = 1;
    return NULL;
}

static PyObject *
render(PyObject *self, PyObject *args)
{
    PyObject *root_obj, *flags, *nodes;
    int structure;
    if (!PyArg_ParseTuple(args, "OO!Op", &root_obj, &PyDict_Type, &flags, &nodes, &structure))
        return NULL;
    xnode *root = node_of(root_obj, "render");
    if (root == NULL)
        return NULL;
    node_map map = {NULL, NULL, 0};
    Py_buffer lo = {0}, hi = {0};
    int have_lo = 0, have_hi = 0, error = 0;
    PyObject *result = NULL;
    tag_table *tags = PyMem_Malloc(sizeof(tag_table));
    render_state r = {{0}, PREV_DOUBLE, 0, 0, 0, 0, 0, PyDict_New(), PyDict_New(), PyDict_New(), {0}, PyList_New(0), 0};
    if (tags == NULL) { PyErr_NoMemory(); goto done; }
    tags_init(tags, flags);
    if (r.owners == NULL || r.kinds == NULL || r.cuts == NULL || r.open_structure == NULL)
        goto done;
    if (nodes != Py_None) {
        PyObject *a, *b;
        if (!PyArg_ParseTuple(nodes, "OO", &a, &b)) goto done;
        if (PyObject_GetBuffer(a, &lo, PyBUF_SIMPLE) < 0) goto done;
        have_lo = 1;
        if (PyObject_GetBuffer(b, &hi, PyBUF_SIMPLE) < 0) goto done;
        have_hi = 1;
        if (lo.len != hi.len) { PyErr_SetString(PyExc_ValueError, "render: node halves differ in length"); goto done; }
        if (map_build(&map, lo.buf, hi.buf, lo.len / (Py_ssize_t)sizeof(int32_t)) < 0) goto done;
    }
    int facts = nodes != Py_None;

    /* iterwalk(root, events=("start", "end")): elements only (a comment's tail is not printed) */
    xnode *n = root;
    int descending = 1;
    while (n != NULL) {
        tag_slot *t = tag_of(tags, n);
        if (t == NULL) goto done;
        int32_t index = facts && (t->flags & BLOCK) ? map_get(&map, n) : -1;
        int marked = structure && (t->flags & STRUCTURE);
        if (descending) {  /* start */
            if (layout(&r, t->flags) < 0) goto done;
            if (index >= 0 && ivec_push(&r.open_blocks, index) < 0) goto done;
            if (marked) {
                if (PyList_Append(r.open_structure, t->str) < 0) goto done;
                if ((t->flags & CELL) && append_at(r.cuts, r.line, PyLong_FromSsize_t(r.width)) < 0)
                    goto done;
            }
            print_run(&r, n->children, -1, &error);
            if (error) goto done;
            xnode *child = n->children;
            while (child != NULL && child->type != ELEMENT_NODE) child = child->next;
            if (child != NULL) { n = child; continue; }
            descending = 0;
            continue;  /* no element inside: it ends now */
        }
        /* end */
        if (layout(&r, t->flags) < 0) goto done;
        int32_t parent = -1;
        if (index >= 0) {
            r.open_blocks.n--;
            if (n->parent != NULL && n->parent->type == ELEMENT_NODE)
                parent = map_get(&map, n->parent);
        }
        if (marked) {
            Py_ssize_t open = PyList_GET_SIZE(r.open_structure) - 1;
            if (PyList_SetSlice(r.open_structure, open, open + 1, NULL) < 0) goto done;
            if (r.unseen > open) r.unseen = open;
        }
        if (n == root)
            break;
        print_run(&r, n->next, parent, &error);
        if (error) goto done;
        xnode *sibling = n->next;
        while (sibling != NULL && sibling->type != ELEMENT_NODE) sibling = sibling->next;
        if (sibling != NULL) { n = sibling; descending = 1; }
        else n = n->parent;  /* the parent ends */
    }
    /* "".join(chunks).strip() + "\n": only layout newlines can end it */
    while (r.out.n > 0 && r.out.v[r.out.n - 1] == '\n') r.out.n--;
    if (cbuf_put(&r.out, "\n", 1) < 0) goto done;
    PyObject *text = PyUnicode_DecodeUTF8(r.out.v, r.out.n, "surrogatepass");
    if (text == NULL) goto done;
    result = Py_BuildValue("(NOOO)", text, r.owners, r.kinds, r.cuts);
done:
    if (tags != NULL) { tags_free(tags); PyMem_Free(tags); }
    if (have_lo) PyBuffer_Release(&lo);
    if (have_hi) PyBuffer_Release(&hi);
    PyMem_Free(map.keys);
    PyMem_Free(map.values);
    PyMem_Free(r.out.v);
    PyMem_Free(r.open_blocks.v);
    Py_XDECREF(r.owners); Py_XDECREF(r.kinds); Py_XDECREF(r.cuts); Py_XDECREF(r.open_structure);
    return result;
}

/* ---- furniture(body, tags, roles, share) ---- */

/* lxml's public C API: the element object of a node (new reference), as lxml/etree_api.h imports it. */
typedef PyObject *(*element_factory_fn)(void *doc, xnode *node);
static element_factory_fn element_factory = NULL;

static int
load_element_factory(void)
{
    if (element_factory != NULL)
        return 0;
    PyObject *etree = PyImport_ImportModule("lxml.etree");
    PyObject *capi = etree ? PyObject_GetAttrString(etree, "__pyx_capi__") : NULL;
    PyObject *capsule = capi ? PyDict_GetItemString(capi, "elementFactory") : NULL;
    if (capsule != NULL)
        element_factory = (element_factory_fn)PyCapsule_GetPointer(
            capsule, "struct LxmlElement *(struct LxmlDocument *, xmlNode *)");
    Py_XDECREF(capi);
    Py_XDECREF(etree);
    if (element_factory == NULL && !PyErr_Occurred())
        PyErr_SetString(PyExc_ImportError, "lxml.etree has no elementFactory in its C API");
    return element_factory ? 0 : -1;
}

/* len(n.text_content()): the code points of the text nodes inside n. */
static Py_ssize_t
text_length(const xnode *top)
{
    Py_ssize_t count = 0;
    const xnode *n = top->children;
    while (n != NULL && n != top) {
        if (is_text(n) && n->content != NULL) {
            for (const unsigned char *p = n->content; *p; p++)
                count += (*p & 0xC0) != 0x80;
        }
        if (n->type == ELEMENT_NODE && n->children != NULL) {
            n = n->children;
            continue;
        }
        while (n != top && n->next == NULL)
            n = n->parent;
        if (n != top)
            n = n->next;
    }
    return count;
}

/* The elements under body (inclusive) to prune as furniture (html.prune_chrome): those whose tag
 * has the flag CHROME or whose role is in `roles`, holding at most `share` of body's text, in
 * document order, none inside another. */
static PyObject *
furniture(PyObject *self, PyObject *args)
{
    PyObject *body_obj, *flags, *roles;
    double share;
    if (!PyArg_ParseTuple(args, "OO!Od", &body_obj, &PyDict_Type, &flags, &roles, &share))
        return NULL;
    xnode *body = node_of(body_obj, "furniture");
    if (body == NULL || load_element_factory() < 0)
        return NULL;
    tag_table *tags = PyMem_Malloc(sizeof(tag_table));
    PyObject *found = PyList_New(0);
    if (tags == NULL || found == NULL) {
        PyMem_Free(tags);
        Py_XDECREF(found);
        return PyErr_NoMemory();
    }
    tags_init(tags, flags);
    Py_ssize_t total = text_length(body);
    double limit = share * (double)(total ? total : 1);
    xnode *n = body;
    while (n != NULL) {
        int candidate = 0, skip = 0;
        if (n->type == ELEMENT_NODE) {
            tag_slot *t = tag_of(tags, n);
            if (t == NULL) goto fail;
            candidate = (t->flags & CHROME) != 0;
            if (!candidate) {
                int has;
                PyObject *role = attribute(n, "role", &has);
                if (role == NULL && PyErr_Occurred()) goto fail;
                if (role != NULL) {
                    candidate = PySequence_Contains(roles, role);
                    Py_DECREF(role);
                    if (candidate < 0) goto fail;
                }
            }
            if (candidate && (double)text_length(n) <= limit) {
                PyObject *el = element_factory(((lxml_element *)body_obj)->doc, n);
                if (el == NULL || PyList_Append(found, el) < 0) { Py_XDECREF(el); goto fail; }
                Py_DECREF(el);
                skip = 1;  /* what is inside goes with it */
            }
        }
        if (!skip && n->type == ELEMENT_NODE && n->children != NULL) {
            n = n->children;
            continue;
        }
        while (n != body && n->next == NULL)
            n = n->parent;
        n = n == body ? NULL : n->next;
    }
    tags_free(tags);
    PyMem_Free(tags);
    return found;
fail:
    tags_free(tags);
    PyMem_Free(tags);
    Py_DECREF(found);
    return NULL;
}

/* ---- word_bits(text, table) ---- */

/* The bits of the words of `table` found in `text` as re.finditer finds the alternation of them
 * (dom._GROUP_WORDS): left to right, at each place the first word of the table that matches there,
 * then on after it. Table entries: length, whole-token flag, bit number, the word's bytes (ASCII).
 * A whole-token word matches only between characters other than [a-z0-9]. */
/* The table last used, indexed by first byte: the offsets of its entries, in table order. */
static char *index_table = NULL;
static Py_ssize_t index_size = -1;
static Py_ssize_t index_start[257];
static Py_ssize_t *index_entries = NULL;

static int
index_words(const char *table, Py_ssize_t size)
{
    if (index_table != NULL && index_size == size && memcmp(index_table, table, size) == 0)
        return 0;
    PyMem_Free(index_table);
    PyMem_Free(index_entries);
    index_size = -1;
    index_table = PyMem_Malloc(size + 1);
    index_entries = PyMem_Malloc((size + 1) * sizeof(Py_ssize_t));
    if (index_table == NULL || index_entries == NULL) { PyErr_NoMemory(); return -1; }
    memcpy(index_table, table, size);
    Py_ssize_t count[256] = {0}, e;
    for (e = 0; e + 3 < size; e += 3 + (unsigned char)table[e])
        count[(unsigned char)table[e + 3]]++;
    index_start[0] = 0;
    for (int c = 0; c < 256; c++) index_start[c + 1] = index_start[c] + count[c];
    Py_ssize_t fill[256];
    memcpy(fill, index_start, sizeof(fill));
    for (e = 0; e + 3 < size; e += 3 + (unsigned char)table[e])
        index_entries[fill[(unsigned char)table[e + 3]]++] = e;
    index_size = size;
    return 0;
}

static PyObject *
word_bits(PyObject *self, PyObject *args)
{
    const char *text, *table;
    Py_ssize_t n, size;
    if (!PyArg_ParseTuple(args, "s#y#", &text, &n, &table, &size))
        return NULL;
    if (index_words(table, size) < 0)
        return NULL;
    unsigned long long bits = 0;
    Py_ssize_t i = 0;
    while (i < n) {
        Py_ssize_t matched = 0;
        unsigned char first = (unsigned char)text[i];
        for (Py_ssize_t j = index_start[first]; j < index_start[first + 1]; j++) {
            Py_ssize_t e = index_entries[j], k = (unsigned char)table[e];
            if (e + 3 + k > size || i + k > n || memcmp(table + e + 3, text + i, k) != 0)
                continue;
            if (table[e + 1]) {
#define ALNUM(c) (((c) >= 'a' && (c) <= 'z') || ((c) >= '0' && (c) <= '9'))
                if ((i > 0 && ALNUM(text[i - 1])) || (i + k < n && ALNUM(text[i + k])))
                    continue;
#undef ALNUM
            }
            bits |= 1ULL << ((unsigned char)table[e + 2] & 63);
            matched = k;
            break;
        }
        i += matched ? matched : 1;
    }
    return PyLong_FromUnsignedLongLong(bits);
}

/* ---- the page's head metadata (cleaner/lines/head.py _Head) ---- */

enum { ENTITY_REF_NODE = 5, PI_NODE = 7, COMMENT_NODE = 8, XINCLUDE_START = 19, XINCLUDE_END = 20 };

static int
named(const xnode *n, const char *name)
{
    return n->type == ELEMENT_NODE && n->ns == NULL && strcmp((const char *)n->name, name) == 0;
}

static int
attribute_is(const xnode *n, const char *name, const char *value)
{
    int found;
    PyObject *v = attribute(n, name, &found);
    if (v == NULL)
        return PyErr_Occurred() ? -1 : 0;
    int same = PyUnicode_CompareWithASCIIString(v, value) == 0;
    Py_DECREF(v);
    return same;
}

/* A text node's content as a str. */
static PyObject *
content_of(const xnode *c)
{
    return PyUnicode_FromString(c->content ? (const char *)c->content : "");
}

/* list.append(content_of(c)) */
static int
append_content(PyObject *list, const xnode *c)
{
    PyObject *s = content_of(c);
    int bad = s == NULL || PyList_Append(list, s) < 0;
    Py_XDECREF(s);
    return bad ? -1 : 0;
}

/* The content of each text (or CDATA) child of n, as XPath's text() gives them, appended to list. */
static int
append_texts(const xnode *n, PyObject *list)
{
    for (const xnode *c = n->children; c != NULL; c = c->next)
        if (is_text(c) && append_content(list, c) < 0)
            return -1;
    return 0;
}

/* lxml's .text of n: its leading text and CDATA children joined, None when it starts otherwise. */
static PyObject *
text_of(const xnode *n)
{
    PyObject *parts = PyList_New(0), *out = NULL;
    if (parts == NULL)
        return NULL;
    for (const xnode *c = n->children; c != NULL; c = c->next) {
        if (c->type == XINCLUDE_START || c->type == XINCLUDE_END)
            continue;
        if (!is_text(c))
            break;
        if (append_content(parts, c) < 0)
            goto done;
    }
    if (PyList_GET_SIZE(parts) == 0) {
        out = Py_NewRef(Py_None);
    } else {
        PyObject *sep = PyUnicode_FromString("");
        out = sep ? PyUnicode_Join(sep, parts) : NULL;
        Py_XDECREF(sep);
    }
done:
    Py_DECREF(parts);
    return out;
}

static const char *META_KEYS[] = {"property", "name", "itemprop"};

typedef struct { PyObject *metas, *json_ld, *title, *canonical; } head_facts;

/* What _Head._read reads of element n. */
static int
head_element(const xnode *n, int in_root, head_facts *h)
{
    int found;
    if (named(n, "meta")) {
        if (!in_root)
            return 0;
        PyObject *content = attribute(n, "content", &found);
        if (content == NULL)
            return PyErr_Occurred() ? -1 : 0;
        int r = 0;
        for (int k = 0; k < 3 && r == 0; k++) {
            PyObject *key = attribute(n, META_KEYS[k], &found);
            if (key == NULL) {
                r = PyErr_Occurred() ? -1 : 0;
                continue;
            }
            PyObject *pair = Py_BuildValue("(sN)", META_KEYS[k], key);
            PyObject *list = pair ? PyDict_GetItemWithError(h->metas, pair) : NULL;  /* borrowed */
            if (pair == NULL || (list == NULL && PyErr_Occurred()))
                r = -1;
            else if (list == NULL) {
                list = PyList_New(0);
                r = list == NULL || PyDict_SetItem(h->metas, pair, list) < 0 || PyList_Append(list, content) < 0 ? -1 : 0;
                Py_XDECREF(list);
            } else
                r = PyList_Append(list, content);
            Py_XDECREF(pair);
        }
        Py_DECREF(content);
        return r;
    }
    if (named(n, "script")) {
        int ld = attribute_is(n, "type", "application/ld+json");
        if (ld <= 0)
            return ld;
        Py_ssize_t children = 0;
        for (const xnode *c = n->children; c != NULL; c = c->next)
            children += c->type == ELEMENT_NODE || c->type == ENTITY_REF_NODE || c->type == PI_NODE || c->type == COMMENT_NODE;
        PyObject *text = children ? Py_NewRef(Py_None) : text_of(n);
        if (text == NULL)
            return -1;
        int r = text != Py_None ? PyList_Append(h->json_ld, text) : append_texts(n, h->json_ld);
        Py_DECREF(text);
        return r;
    }
    if (named(n, "title")) {
        if (h->title != Py_None)
            return 0;
        for (const xnode *c = n->children; c != NULL; c = c->next)
            if (is_text(c)) {
                PyObject *s = content_of(c);
                if (s == NULL)
                    return -1;
                Py_SETREF(h->title, s);
                break;
            }
        return 0;
    }
    if (named(n, "link") && h->canonical == Py_None) {
        int canonical = attribute_is(n, "rel", "canonical");
        if (canonical <= 0)
            return canonical;
        PyObject *href = attribute(n, "href", &found);
        if (href == NULL)
            return PyErr_Occurred() ? -1 : 0;
        Py_SETREF(h->canonical, href);
    }
    return 0;
}

/* head(root) -> (metas, json_ld, title, canonical): _Head's twin. The elements beside the root
 * element are read too, in document order; meta tags only inside it. */
static PyObject *
head(PyObject *self, PyObject *args)
{
    PyObject *root_obj;
    if (!PyArg_ParseTuple(args, "O", &root_obj))
        return NULL;
    xnode *root = node_of(root_obj, "head");
    if (root == NULL)
        return NULL;
    head_facts h = {PyDict_New(), PyList_New(0), Py_NewRef(Py_None), Py_NewRef(Py_None)};
    PyObject *result = NULL;
    if (h.metas == NULL || h.json_ld == NULL)
        goto done;
    xnode *top = root;
    while (top->prev != NULL)
        top = top->prev;
    for (; top != NULL; top = top->next) {
        if (top->type != ELEMENT_NODE)
            continue;
        const xnode *n = top;
        while (n != NULL) {  /* top and its descendants, in document order */
            if (n->type == ELEMENT_NODE && head_element(n, top == root, &h) < 0)
                goto done;
            if (n->children != NULL && n->type == ELEMENT_NODE) {
                n = n->children;
                continue;
            }
            while (n != top && n->next == NULL)
                n = n->parent;
            n = n == top ? NULL : n->next;
        }
    }
    result = PyTuple_Pack(4, h.metas, h.json_ld, h.title, h.canonical);
done:
    Py_XDECREF(h.metas);
    Py_XDECREF(h.json_ld);
    Py_DECREF(h.title);
    Py_DECREF(h.canonical);
    return result;
}

static PyMethodDef methods[] = {
    {"furniture", furniture, METH_VARARGS, "furniture(body, flags, roles, share) -> [element, ...] to prune"},
    {"word_bits", word_bits, METH_VARARGS, "word_bits(text, table) -> bits of the table's words found in text"},
    {"tree", tree, METH_VARARGS,
     "tree(body, flags, run_min) -> (nodes, tags, parent, depth, end, chars, links, commas, bits, runs, attributes)"},
    {"near", near, METH_VARARGS, "near(parent, depth, own, groups) -> int32 depths of the nearest ancestor per group"},
    {"render", render, METH_VARARGS, "render(root, flags, nodes, structure) -> (text, owners, kinds, cuts)"},
    {"head", head, METH_VARARGS, "head(root) -> (metas, json_ld, title, canonical) of the page's head"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "cleaner._dom", NULL, -1, methods};

PyMODINIT_FUNC
PyInit__dom(void)
{
    return PyModule_Create(&module);
}
