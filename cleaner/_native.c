/* Compiled helpers for the per-document hot path. Optional: every function here has a pure-Python
 * twin that gives identical results (cleaner/native.py picks one), so an install without a C
 * compiler still works, only slower.
 *
 * dfa_visits: the byte-level DFA walk of py3langid (langid.py's n-gram tokenizer). In Python it is
 * a loop over every byte of the sample, about a microsecond a byte; here a few nanoseconds.
 *
 * nb_scores: the languages' naive Bayes sums over the features the walk met (lang._Identifier),
 * in a fixed order, eight languages at a time where the CPU converts half precision.
 *
 * line_stats: the per-line character, pattern and token counts behind the line features
 * (features.line_stats), one pass over a document's characters, one over its tokens and the
 * matches of five regular expressions, where numpy makes some thirty passes, re five and Python
 * loops over every token.
 *
 * context_features: the features that look beyond a line (features._context): neighbours,
 * windows and the main-text region, some sixty numpy calls a document.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>  /* PyMemberDef (in Python.h from 3.12 on) */
#include <stdint.h>
#include <string.h>

/* A loop compiled once more for each of the newer x86-64 levels (AVX2, AVX-512), the copy the CPU can run
 * chosen when the module loads (target_clones of GCC 11 on, which names the levels, on x86-64 Linux with
 * glibc, whose loader makes the choice; musl's cannot); elsewhere compiled once. Only loops whose every
 * value is rounded alone (no sum reordered) have it. */
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 11 && defined(__x86_64__) && defined(__linux__) \
    && defined(__GLIBC__)
#define WIDE_VECTORS __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define WIDE_VECTORS
#endif

/* A function compiled into each call site (each a copy for one string width). */
#if defined(__GNUC__) || defined(__clang__)
#define ALWAYS_INLINE inline __attribute__((always_inline))
#elif defined(_MSC_VER)
#define ALWAYS_INLINE __forceinline
#else
#define ALWAYS_INLINE inline
#endif

/* FNV-1a over 32-bit values (code points, word ids): the hash of every table here. */
#define FNV_START 1469598103934665603ull
#define FNV_STEP(h, c) (((h) ^ (uint64_t)(c)) * 1099511628211ull)

/* M(T) with T the C type of a string's characters of ``kind``: a loop over them compiled once per
 * width, each loop simple enough for the compiler to vectorise or keep tight. */
#define BY_KIND(kind, M)                     \
    do {                                     \
        if ((kind) == PyUnicode_1BYTE_KIND)  \
            M(Py_UCS1);                      \
        else if ((kind) == PyUnicode_2BYTE_KIND) \
            M(Py_UCS2);                      \
        else                                 \
            M(Py_UCS4);                      \
    } while (0)

/* Append ``item``, a new reference (NULL: its making failed), to ``list``, letting go of it: -1 with an
 * exception set when either failed. */
static int
append_new(PyObject *list, PyObject *item)
{
    if (item == NULL)
        return -1;
    int r = PyList_Append(list, item);
    Py_DECREF(item);
    return r;
}

/* Read element i of a buffer of integers whose struct format is one of b B h H i I l L q Q. */
static inline long long
read_int(const char *buf, char fmt, Py_ssize_t i)
{
    switch (fmt) {
    case 'b': return ((const int8_t *)buf)[i];
    case 'B': return ((const uint8_t *)buf)[i];
    case 'h': return ((const int16_t *)buf)[i];
    case 'H': return ((const uint16_t *)buf)[i];
    case 'i': return ((const int32_t *)buf)[i];
    case 'I': return ((const uint32_t *)buf)[i];
    case 'l': return ((const long *)buf)[i];
    case 'L': return (long long)((const unsigned long *)buf)[i];
    case 'q': return ((const long long *)buf)[i];
    default: return (long long)((const unsigned long long *)buf)[i];
    }
}

static int
get_int_buffer(PyObject *obj, Py_buffer *view, char *fmt, const char *name)
{
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0)
        return -1;
    const char *f = view->format ? view->format : "B";
    if (f[0] == '<' || f[0] == '=' || f[0] == '@')
        f++;
    if (f[0] == '\0' || f[1] != '\0' || strchr("bBhHiIlLqQ", f[0]) == NULL) {
        PyErr_Format(PyExc_TypeError, "%s: a buffer of integers is needed, not format '%s'", name,
                     view->format ? view->format : "B");
        PyBuffer_Release(view);
        return -1;
    }
    *fmt = f[0];
    return 0;
}

static Py_ssize_t *count_buffer = NULL;
static Py_ssize_t count_slots = 0;

/* dfa_visits(nextmove, rowbase, output, n_features, data) -> (features, counts): two byte strings
 * of int64, the features seen, first visit first, and how often each was.
 *
 * For each byte: state = nextmove[rowbase[state] + byte]; if output[state] >= 0 that feature
 * was seen once more. Exactly py3langid.langid.visit_counts, whose Counter also keeps first-visit
 * order (which fixes the order of the sums that score languages: nb_scores). */
/* The DFA's transition tables: the state after reading byte b in state s is nextmove[rowbase[s] + b]. */
typedef struct {
    const void *nm, *rb;
    char nm_f, rb_f;
    Py_ssize_t n_nm, n_rb, n_states;
} dfa_tables;

/* The state after reading ``byte`` in ``state``; -1 where the tables lead outside themselves. */
static inline long long
dfa_step(const dfa_tables *t, long long state, unsigned char byte)
{
    if (state < 0 || state >= t->n_rb)
        return -1;
    long long at = read_int(t->rb, t->rb_f, (Py_ssize_t)state) + byte;
    if (at < 0 || at >= t->n_nm)
        return -1;
    long long next = read_int(t->nm, t->nm_f, (Py_ssize_t)at);
    return next >= 0 && next < t->n_states ? next : -1;
}

/* Texts shorter than this are walked in one piece. */
#define DFA_SPLIT_BYTES 256
#define DFA_WALKS 8
/* The bytes before a piece its walk starts from, from the first state: py3langid's DFA (an
 * Aho-Corasick automaton of byte n-grams) is then in the state the whole text leads to wherever
 * no n-gram is longer than this, as its n-grams are (at most 6 bytes in py3langid 0.3). */
#define DFA_WARM_UP 8

/* states[k] = the state after reading bytes[0..k] from state 0. Each of a table's reads misses the
 * caches (39 MB, read at random), one after the other: so the text is walked in DFA_WALKS pieces at
 * once, the reads of the four overlapping. A piece starts in the state its DFA_WARM_UP bytes before
 * lead to; where the piece before it did not end in that state (a DFA whose state depends on more of
 * the text), it is walked again from the state it did end in: the states are those of one walk over
 * the whole text, whatever the DFA. -1 where the tables lead outside themselves. */
static int
dfa_walk(const dfa_tables *t, const unsigned char *bytes, Py_ssize_t len, long long *states)
{
    if (len < DFA_SPLIT_BYTES) {
        long long state = 0;
        for (Py_ssize_t k = 0; k < len; k++)
            if ((state = states[k] = dfa_step(t, state, bytes[k])) < 0)
                return -1;
        return 0;
    }
    Py_ssize_t start[DFA_WALKS + 1];
    long long state[DFA_WALKS], first[DFA_WALKS];
    for (int c = 0; c <= DFA_WALKS; c++)
        start[c] = len * c / DFA_WALKS;
    for (int c = 0; c < DFA_WALKS; c++)
        state[c] = 0;
    for (Py_ssize_t k = 0; k < DFA_WARM_UP; k++)
        for (int c = 1; c < DFA_WALKS; c++)
            if ((state[c] = dfa_step(t, state[c], bytes[start[c] - DFA_WARM_UP + k])) < 0)
                return -1;
    for (int c = 0; c < DFA_WALKS; c++)
        first[c] = state[c];
    const Py_ssize_t longest = start[DFA_WALKS] - start[DFA_WALKS - 1];  /* (the last piece is the longest) */
    for (Py_ssize_t k = 0; k < longest; k++)
        for (int c = 0; c < DFA_WALKS; c++) {
            const Py_ssize_t at = start[c] + k;
            if (at < start[c + 1] && (state[c] = states[at] = dfa_step(t, state[c], bytes[at])) < 0)
                return -1;
        }
    for (int c = 1; c < DFA_WALKS; c++) {  /* each piece checked against the end of the one before */
        long long s = states[start[c] - 1];
        if (s == first[c])
            continue;
        for (Py_ssize_t at = start[c]; at < start[c + 1]; at++)
            if ((s = states[at] = dfa_step(t, s, bytes[at])) < 0)
                return -1;
    }
    return 0;
}

static PyObject *
dfa_visits(PyObject *self, PyObject *args)
{
    PyObject *nm_obj, *rb_obj, *out_obj;
    Py_buffer nm, rb, out, data;
    char nm_f, rb_f, out_f;
    Py_ssize_t n_features;
    if (!PyArg_ParseTuple(args, "OOOny*", &nm_obj, &rb_obj, &out_obj, &n_features, &data))
        return NULL;
    PyObject *result = NULL;
    int have_nm = 0, have_rb = 0, have_out = 0;
    Py_ssize_t *counts = NULL, *order = NULL, distinct = 0;
    long long *states = NULL;
    if (get_int_buffer(nm_obj, &nm, &nm_f, "nextmove") < 0) goto done;
    have_nm = 1;
    if (get_int_buffer(rb_obj, &rb, &rb_f, "rowbase") < 0) goto done;
    have_rb = 1;
    if (get_int_buffer(out_obj, &out, &out_f, "output") < 0) goto done;
    have_out = 1;

    Py_ssize_t n_nm = nm.len / nm.itemsize, n_rb = rb.len / rb.itemsize, n_out = out.len / out.itemsize;
    if (n_features < 0) { PyErr_SetString(PyExc_ValueError, "n_features < 0"); goto done; }
    /* One zeroed count per feature, kept between calls (the GIL is held throughout, so no two
     * calls share it at once); only the entries a call touched are zeroed again after it. */
    if (n_features > count_slots) {
        Py_ssize_t *grown = PyMem_Calloc((size_t)n_features, sizeof(Py_ssize_t));
        if (!grown) { PyErr_NoMemory(); goto done; }
        PyMem_Free(count_buffer);
        count_buffer = grown;
        count_slots = n_features;
    }
    counts = count_buffer;
    order = PyMem_Malloc((size_t)(data.len ? data.len : 1) * sizeof(Py_ssize_t));
    if (!order) { PyErr_NoMemory(); goto done; }

    states = PyMem_Malloc((size_t)(data.len ? data.len : 1) * sizeof(long long));
    if (!states) { PyErr_NoMemory(); goto done; }
    const dfa_tables dfa = {nm.buf, rb.buf, nm_f, rb_f, n_nm, n_rb, n_out};
    if (dfa_walk(&dfa, data.buf, data.len, states) < 0)
        goto bad_state;
    for (Py_ssize_t k = 0; k < data.len; k++) {  /* the features met, in the order of the text */
        long long f = read_int(out.buf, out_f, (Py_ssize_t)states[k]);
        if (f >= n_features) goto bad_state;
        if (f >= 0) {
            if (counts[f]++ == 0)
                order[distinct++] = (Py_ssize_t)f;
        }
    }
    PyObject *features = PyBytes_FromStringAndSize(NULL, distinct * (Py_ssize_t)sizeof(int64_t));
    PyObject *times = PyBytes_FromStringAndSize(NULL, distinct * (Py_ssize_t)sizeof(int64_t));
    if (features && times) {
        int64_t *f_out = (int64_t *)PyBytes_AS_STRING(features), *t_out = (int64_t *)PyBytes_AS_STRING(times);
        for (Py_ssize_t j = 0; j < distinct; j++) {
            f_out[j] = order[j];
            t_out[j] = counts[order[j]];
        }
        result = PyTuple_Pack(2, features, times);
    }
    Py_XDECREF(features);
    Py_XDECREF(times);
    goto done;

bad_state:
    PyErr_SetString(PyExc_ValueError, "dfa_visits: the tables lead outside themselves (not a DFA)");
done:
    for (Py_ssize_t j = 0; j < distinct; j++)
        counts[order[j]] = 0;
    PyMem_Free(order);
    PyMem_Free(states);
    if (have_out) PyBuffer_Release(&out);
    if (have_rb) PyBuffer_Release(&rb);
    if (have_nm) PyBuffer_Release(&nm);
    PyBuffer_Release(&data);
    return result;
}


/* nb_scores(features, weights, table, out): out[j] = the sum over i of weights[i] * table[features[i], j]
 * in single precision, each product rounded before it is added, added to 0 in the order of ``features``
 * (np.add.reduce over axis 0 of the products, lang._Identifier's twin, for tables of 2 columns or more:
 * of one, numpy sums pairwise). ``table`` is py3langid's
 * naive Bayes table, half-precision floats, features x languages. */
static inline float
half_to_float(uint16_t h)  /* exact, as numpy's astype(float32) */
{
    uint32_t sign = (uint32_t)(h & 0x8000) << 16, exp = (h >> 10) & 0x1f, man = h & 0x3ff, bits;
    if (exp == 0x1f)
        bits = sign | 0x7f800000u | (man << 13);          /* infinity, NaN */
    else if (exp)
        bits = sign | ((exp + 112) << 23) | (man << 13);  /* normal: the exponent's bias 15 -> 127 */
    else if (!man)
        bits = sign;                                        /* zero */
    else {                                                  /* subnormal: normalised */
        uint32_t shifts = 0;
        do { man <<= 1; shifts++; } while (!(man & 0x400));
        bits = sign | ((113 - shifts) << 23) | ((man & 0x3ff) << 13);
    }
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

static void
add_row(float *out, const uint16_t *row, float w, Py_ssize_t from, Py_ssize_t cols)
{
    for (Py_ssize_t j = from; j < cols; j++)
        out[j] = out[j] + w * half_to_float(row[j]);
}

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define NB_AHEAD 12
/* The same sums eight languages at a time: the conversion is exact and the products and sums are
 * the same single-precision operations, so the result is the same to the last bit. */
__attribute__((target("avx,f16c"))) static void
add_rows_f16c(float *out, const int64_t *features, const float *weights, Py_ssize_t n, const uint16_t *table,
              Py_ssize_t cols)
{
    Py_ssize_t wide = cols - cols % 8;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (i + NB_AHEAD < n) {  /* (the rows are read at random from tens of megabytes: asked for ahead) */
            const char *ahead = (const char *)(table + features[i + NB_AHEAD] * cols);
            for (Py_ssize_t b = 0; b < cols * (Py_ssize_t)sizeof(uint16_t); b += 64)
                __builtin_prefetch(ahead + b);
        }
        const uint16_t *row = table + features[i] * cols;
        __m256 w = _mm256_set1_ps(weights[i]);
        for (Py_ssize_t j = 0; j < wide; j += 8) {
            __m256 term = _mm256_mul_ps(w, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(row + j))));
            _mm256_storeu_ps(out + j, _mm256_add_ps(_mm256_loadu_ps(out + j), term));
        }
        add_row(out, row, weights[i], wide, cols);
    }
}
#define HAVE_F16C_PATH 1
#endif

static PyObject *
nb_scores(PyObject *self, PyObject *args)
{
    PyObject *objs[4];
    if (!PyArg_ParseTuple(args, "OOOO", &objs[0], &objs[1], &objs[2], &objs[3]))
        return NULL;
    static const char *names[] = {"features", "weights", "table", "out"};
    static const char formats[] = {'q', 'f', 'e', 'f'};
    Py_buffer bufs[4];
    int held = 0;
    PyObject *result = NULL;
    for (; held < 4; held++) {
        int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (held == 3 ? PyBUF_WRITABLE : 0);
        if (PyObject_GetBuffer(objs[held], &bufs[held], flags) < 0)
            goto done;
        const char *f = bufs[held].format ? bufs[held].format : "B";
        if (f[0] == '<' || f[0] == '=' || f[0] == '@')
            f++;
        int ok = f[0] == formats[held] && f[1] == '\0';
        if (held == 0 && f[0] == 'l' && f[1] == '\0' && sizeof(long) == sizeof(int64_t))
            ok = 1;
        if (!ok || (held == 2 && bufs[2].ndim != 2)) {
            PyErr_Format(PyExc_TypeError, "nb_scores: %s has format '%s'%s, not '%c'%s", names[held],
                         bufs[held].format ? bufs[held].format : "B", held == 2 && bufs[2].ndim != 2 ? " or is not 2-d" : "",
                         formats[held], held == 2 ? " in 2 dimensions" : "");
            held++;
            goto done;
        }
    }
    Py_ssize_t n = bufs[0].len / (Py_ssize_t)sizeof(int64_t), rows = bufs[2].shape[0], cols = bufs[2].shape[1];
    if (bufs[1].len / (Py_ssize_t)sizeof(float) != n || bufs[3].len / (Py_ssize_t)sizeof(float) != cols) {
        PyErr_Format(PyExc_ValueError, "nb_scores: %zd features, %zd weights, %zd columns, out of %zd", n,
                     bufs[1].len / (Py_ssize_t)sizeof(float), cols, bufs[3].len / (Py_ssize_t)sizeof(float));
        goto done;
    }
    const int64_t *features = bufs[0].buf;
    for (Py_ssize_t i = 0; i < n; i++)
        if (features[i] < 0 || features[i] >= rows) {
            PyErr_Format(PyExc_ValueError, "nb_scores: feature %lld is not a row of the table (%zd rows)",
                         (long long)features[i], rows);
            goto done;
        }
    float *out = bufs[3].buf;
    const float *weights = bufs[1].buf;
    const uint16_t *table = bufs[2].buf;
    for (Py_ssize_t j = 0; j < cols; j++)
        out[j] = 0.0f;  /* numpy's reduction starts from 0 too (a lone -0.0 sums to +0.0) */
#ifdef HAVE_F16C_PATH
    if (__builtin_cpu_supports("avx") && __builtin_cpu_supports("f16c")) {
        add_rows_f16c(out, features, weights, n, table, cols);
        result = Py_NewRef(Py_None);
        goto done;
    }
#endif
    for (Py_ssize_t i = 0; i < n; i++)
        add_row(out, table + features[i] * cols, weights[i], 0, cols);
    result = Py_NewRef(Py_None);
done:
    while (held-- > 0)
        PyBuffer_Release(&bufs[held]);
    return result;
}


/* ---- The line grouping of lines.unwrap and markup.without_markup (lines.text.to_lines) ----
 * Over physical lines (str), with re's \s as str.isspace() and \d as str.isdecimal(), as the
 * patterns of lines.unwrap and lines.markup read them. */

/* A string's characters, read by position (line_stats' patterns read them too). */
typedef struct {
    int kind;
    const void *data;
    Py_ssize_t len;
} Text;

static inline Text
text_of(PyObject *s)
{
    Text t = {PyUnicode_KIND(s), PyUnicode_DATA(s), PyUnicode_GET_LENGTH(s)};
    return t;
}

static inline Py_UCS4
char_at(const Text *t, Py_ssize_t k)
{
    return PyUnicode_READ(t->kind, t->data, k);
}

static inline int
space_at(const Text *t, Py_ssize_t k)  /* re's \s */
{
    return k < t->len && Py_UNICODE_ISSPACE(char_at(t, k));
}

static inline int
digit_at(const Text *t, Py_ssize_t k)  /* [0-9] */
{
    if (k >= t->len)
        return 0;
    Py_UCS4 c = char_at(t, k);
    return c >= '0' && c <= '9';
}

static inline Py_ssize_t
skip_space(const Text *s, Py_ssize_t k)
{
    while (space_at(s, k))
        k++;
    return k;
}

/* [a-z] under re.IGNORECASE: ASCII letters and the four letters whose case maps onto them */
static inline int
ascii_letter_i(Py_UCS4 c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == 0x130 || c == 0x131 || c == 0x17f || c == 0x212a;
}

static inline int
scheme_char_i(Py_UCS4 c)  /* [a-z0-9+.-] under re.IGNORECASE */
{
    return ascii_letter_i(c) || (c >= '0' && c <= '9') || c == '+' || c == '.' || c == '-';
}

/* <(?:[a-z][a-z0-9+.-]*:|/)[^<>\s]*>\s*$ (re.I) from k, where s[k] is '<': whether it matches */
static int
url_to_end(const Text *s, Py_ssize_t k)
{
    k++;
    if (k < s->len && char_at(s, k) == '/')
        k++;
    else {
        if (k >= s->len || !ascii_letter_i(char_at(s, k)))
            return 0;
        k++;
        while (k < s->len && scheme_char_i(char_at(s, k)))
            k++;
        if (k >= s->len || char_at(s, k) != ':')
            return 0;
        k++;
    }
    while (k < s->len) {
        Py_UCS4 c = char_at(s, k);
        if (c == '<' || c == '>' || Py_UNICODE_ISSPACE(c))
            break;
        k++;
    }
    if (k >= s->len || char_at(s, k) != '>')
        return 0;
    return skip_space(s, k + 1) == s->len;
}

static int
url_only(const Text *s)  /* unwrap.URL_ONLY.match */
{
    Py_ssize_t k = skip_space(s, 0);
    return k < s->len && char_at(s, k) == '<' && url_to_end(s, k);
}

static int
ends_with_url(const Text *s)  /* unwrap.ENDS_WITH_URL.search: only the last '<' can start it */
{
    for (Py_ssize_t k = s->len - 1; k >= 0; k--)
        if (char_at(s, k) == '<')
            return url_to_end(s, k);
    return 0;
}

/* ^\s*(?:[*+•·‣◦-]|\d{1,3}[.)]) then \s: where the white space after the marker starts, or -1;
 * *indent: the white space before it */
static Py_ssize_t
list_marker(const Text *s, Py_ssize_t *indent)
{
    Py_ssize_t k = skip_space(s, 0);
    *indent = k;
    if (k >= s->len)
        return -1;
    Py_UCS4 c = char_at(s, k);
    if (c == '*' || c == '+' || c == 0x2022 || c == 0xb7 || c == 0x2023 || c == 0x25e6 || c == '-')
        k++;
    else {
        Py_ssize_t d = k;
        while (d < s->len && d - k <= 3 && Py_UNICODE_ISDECIMAL(char_at(s, d)))
            d++;
        if (d == k || d - k > 3 || d >= s->len || (char_at(s, d) != '.' && char_at(s, d) != ')'))
            return -1;
        k = d + 1;
    }
    return k < s->len && Py_UNICODE_ISSPACE(char_at(s, k)) ? k : -1;
}

static int
list_start(const Text *s)  /* unwrap.LIST_START.match (and markup.LIST_MARKER's): the marker, \s+, \S */
{
    Py_ssize_t indent, k = list_marker(s, &indent);
    return k >= 0 && skip_space(s, k) < s->len;
}

static int
is_numbered(const Text *s, Py_ssize_t *indent)  /* unwrap.NUMBER_START.match: ^(\s*)\d{1,3}[.)]\s */
{
    Py_ssize_t k = list_marker(s, indent);
    return k >= 0 && Py_UNICODE_ISDECIMAL(char_at(s, *indent));
}

static Py_ssize_t
first_word_length(const Text *s)  /* len(line.split(None, 1)[0]) */
{
    Py_ssize_t k = skip_space(s, 0), e = k;
    while (e < s->len && !Py_UNICODE_ISSPACE(char_at(s, e)))
        e++;
    return e - k;
}

static int
filled(const Text *prev, const Text *line, Py_ssize_t width)  /* unwrap._filled */
{
    return prev->len + 1 + first_word_length(line) >= width;
}

/* unwrap.continues; width < 0 for None */
static int
continues(const Text *prev, const Text *line, Py_ssize_t width)
{
    if (url_only(line))
        return 1;
    if (list_start(line)) {  /* unwrap._wrapped_number */
        Py_ssize_t indent;
        return is_numbered(line, &indent) && width >= 0 && !list_start(prev)
               && skip_space(prev, 0) == indent && filled(prev, line, width);
    }
    if (ends_with_url(prev) && (width < 0 || prev->len > width)) {
        Py_ssize_t k = skip_space(line, 0);
        if (k >= line->len)
            return 0;
        Py_UCS4 c = char_at(line, k);
        return Py_UNICODE_ISLOWER(c) || (c < 128 && strchr(",.;:)", (int)c) != NULL && c != 0);
    }
    return width >= 0 && filled(prev, line, width);
}

static int
blank(const Text *s)  /* not ln or ln.isspace() */
{
    return skip_space(s, 0) == s->len;
}

/* markup.without_markup of phys[first..last] joined by spaces: the words joined by one space, or
 * None where the text holds markup (a new reference either way; NULL on error). The list marker
 * is looked for on the collapsed text: LIST_MARKER finds it there exactly when on the joined one. */
/* The characters of markup (markup.without_markup's "<[*_\\#>"), one bit each: tested for every
 * character of a dump, where a strchr call each cost a fifth of the grouping. */
#define BIT(c) ((uint64_t)1 << ((c) & 63))
static const uint64_t MARKUP_CHARS[2] = {BIT('<') | BIT('*') | BIT('#') | BIT('>'), BIT('[') | BIT('_') | BIT('\\')};
#undef BIT

static PyObject *
plain_text(PyObject *phys, Py_ssize_t first, Py_ssize_t last)
{
    Py_ssize_t size = 0;
    Py_UCS4 max = 0;
    int spaced = 1;  /* whether the text so far is its words parted by single spaces, as the result would be */
    for (Py_ssize_t i = first; i <= last; i++) {
        Text s = text_of(PyList_GET_ITEM(phys, i));
        int space_before = 1;  /* (a line's start counts as white space: text there would go) */
        for (Py_ssize_t k = 0; k < s.len; k++) {
            Py_UCS4 c = char_at(&s, k);
            if (c < 128 && (MARKUP_CHARS[c >> 6] >> (c & 63)) & 1)  /* markup */
                Py_RETURN_NONE;
            if (c > max)
                max = c;
            const int space = Py_UNICODE_ISSPACE(c);
            spaced &= !space || (c == ' ' && !space_before);
            space_before = space;
        }
        spaced &= !space_before;
        size += s.len + 1;
    }
    if (first == last && spaced) {  /* a line already as the result would be: itself (most lines) */
        PyObject *line = PyList_GET_ITEM(phys, first);
        const Text s = text_of(line);
        if (list_start(&s))
            Py_RETURN_NONE;
        return Py_NewRef(line);
    }
    PyObject *out = PyUnicode_New(size, max);
    if (out == NULL)
        return NULL;
    const int kind = PyUnicode_KIND(out);
    void *data = PyUnicode_DATA(out);
    Py_ssize_t n = 0;
    int pending = 0;  /* a space owed before the next word */
    for (Py_ssize_t i = first; i <= last; i++) {
        Text s = text_of(PyList_GET_ITEM(phys, i));
        for (Py_ssize_t k = 0; k < s.len; k++) {
            Py_UCS4 c = char_at(&s, k);
            if (Py_UNICODE_ISSPACE(c)) {
                pending = n > 0;
                continue;
            }
            if (pending) {
                PyUnicode_WRITE(kind, data, n++, ' ');
                pending = 0;
            }
            PyUnicode_WRITE(kind, data, n++, c);
        }
        pending = n > 0;  /* the space joining the next line */
    }
    Text collapsed = {kind, data, n};
    if (list_start(&collapsed)) {
        Py_DECREF(out);
        Py_RETURN_NONE;
    }
    PyObject *text = PyUnicode_Substring(out, 0, n);  /* (a copy in the narrowest kind) */
    Py_DECREF(out);
    return text;
}

static int
str_list(PyObject *list, const char *name)
{
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(list); i++)
        if (!PyUnicode_Check(PyList_GET_ITEM(list, i))) {
            PyErr_Format(PyExc_TypeError, "%s: lines must be strings", name);
            return -1;
        }
    return 0;
}

/* Lines (types.Line, a dataclass with slots) made here: allocated and their slots filled with the
 * values its __init__ would set, without running that __init__ (a Python call for each line). The
 * slots are found by their descriptors, passed in the order of LINE_FIELDS' names. */
#ifndef Py_T_OBJECT_EX
#define Py_T_OBJECT_EX 16
#endif
enum { L_TEXT, L_FIRST, L_LAST, L_LINKS, L_ANCHOR_CHARS, L_HEADING, L_LIST_ITEM, L_BLANK_BEFORE, L_DUPLICATE,
       L_BLOCK, L_DOM, LINE_FIELDS };
typedef struct { PyTypeObject *type; Py_ssize_t offset[LINE_FIELDS]; } line_maker;

static int
line_maker_of(PyObject *type, PyObject *slots, line_maker *m)
{
    if (!PyType_Check(type) || !PyTuple_Check(slots) || PyTuple_GET_SIZE(slots) != LINE_FIELDS) {
        PyErr_Format(PyExc_TypeError, "a line type and a tuple of its %d slots' descriptors are needed", LINE_FIELDS);
        return -1;
    }
    m->type = (PyTypeObject *)type;
    for (int j = 0; j < LINE_FIELDS; j++) {
        PyObject *d = PyTuple_GET_ITEM(slots, j);
        if (!PyObject_TypeCheck(d, &PyMemberDescr_Type) || ((PyDescrObject *)d)->d_type != m->type
            || ((PyMemberDescrObject *)d)->d_member->type != Py_T_OBJECT_EX) {
            PyErr_Format(PyExc_TypeError, "slot %d is not an object slot of the line type", j);
            return -1;
        }
        m->offset[j] = ((PyMemberDescrObject *)d)->d_member->offset;
        for (int k = 0; k < j; k++)
            if (m->offset[k] == m->offset[j]) {
                PyErr_Format(PyExc_TypeError, "slot %d is given twice", j);
                return -1;
            }
    }
    return 0;
}

static PyObject *
make_line(const line_maker *m, PyObject *const values[LINE_FIELDS])
{
    PyObject *line = m->type->tp_alloc(m->type, 0);
    if (line == NULL)
        return NULL;
    for (int j = 0; j < LINE_FIELDS; j++)
        *(PyObject **)((char *)line + m->offset[j]) = Py_NewRef(values[j]);
    return line;
}

static inline PyObject *
line_text(const line_maker *m, PyObject *line)
{
    return *(PyObject **)((char *)line + m->offset[L_TEXT]);
}

/* plain_lines(phys, width, indented, line_type, slots) -> (items, pending): the logical lines over
 * physical ``phys`` (unwrap.group_lines), each a Line where its text holds no markup (its text
 * markup.without_markup of the physical lines joined by spaces; none where that is empty), else
 * (first, last, blank before) for lines.text.to_lines to clean; ``pending`` lists where those are. A Line's
 * ``duplicate`` compares it with the item before it when that is a Line too. lines.text._plain_lines'
 * twin. */
static PyObject *
plain_lines(PyObject *self, PyObject *args)
{
    PyObject *phys, *type, *slots;
    Py_ssize_t width;
    int indented;
    line_maker maker;
    if (!PyArg_ParseTuple(args, "O!npOO!", &PyList_Type, &phys, &width, &indented, &type, &PyTuple_Type, &slots)
        || str_list(phys, "plain_lines") < 0 || line_maker_of(type, slots, &maker) < 0)
        return NULL;
    PyObject *items = PyList_New(0), *pending = PyList_New(0), *no_links = PyTuple_New(0), *zero = PyLong_FromLong(0);
    if (items == NULL || pending == NULL || no_links == NULL || zero == NULL)
        goto fail;
    Py_ssize_t n = PyList_GET_SIZE(phys), start = -1;
    int blank_before = 0;
    for (Py_ssize_t i = 0; i <= n; i++) {
        int ends = i == n;
        Text line = {0, NULL, 0};
        if (!ends) {
            line = text_of(PyList_GET_ITEM(phys, i));
            if (blank(&line)) {
                ends = 1;
            } else if (start >= 0) {
                Text prev = text_of(PyList_GET_ITEM(phys, i - 1));
                ends = !continues(&prev, &line, width);
            }
        }
        if (ends && start >= 0) {
            PyObject *plain = plain_text(phys, start, i - 1), *item = NULL;
            if (plain == NULL)
                goto fail;
            if (plain == Py_None) {
                item = Py_BuildValue("(nnO)", start, i - 1, blank_before ? Py_True : Py_False);
                if (append_new(pending, PyLong_FromSsize_t(PyList_GET_SIZE(items))) < 0) {
                    Py_XDECREF(item);
                    Py_DECREF(plain);
                    goto fail;
                }
            } else if (PyUnicode_GET_LENGTH(plain) > 0) {
                Text first_phys = text_of(PyList_GET_ITEM(phys, start));
                int heading = indented && char_at(&first_phys, 0) != ' ';
                Py_ssize_t before = PyList_GET_SIZE(items);
                PyObject *prev = before ? PyList_GET_ITEM(items, before - 1) : NULL;
                int duplicate = 0;
                if (prev != NULL && Py_TYPE(prev) == maker.type
                    && (duplicate = PyObject_RichCompareBool(line_text(&maker, prev), plain, Py_EQ)) < 0) {
                    Py_DECREF(plain);
                    goto fail;
                }
                PyObject *first = PyLong_FromSsize_t(start + 1), *last = PyLong_FromSsize_t(i);
                if (first != NULL && last != NULL) {
                    PyObject *const values[LINE_FIELDS] = {
                        plain, first, last, no_links, zero, heading ? Py_True : Py_False, Py_False,
                        blank_before ? Py_True : Py_False, duplicate ? Py_True : Py_False, Py_None, Py_None};
                    item = make_line(&maker, values);
                }
                Py_XDECREF(first);
                Py_XDECREF(last);
            }  /* (else an empty text: no line) */
            Py_DECREF(plain);
            if (item == NULL ? PyErr_Occurred() != NULL : PyList_Append(items, item) < 0) {
                Py_XDECREF(item);
                goto fail;
            }
            Py_XDECREF(item);
            start = -1;
            blank_before = 0;
        }
        if (i == n)
            break;
        if (blank(&line)) {
            blank_before = 1;
            continue;
        }
        if (start < 0)
            start = i;
    }
    Py_DECREF(no_links);
    Py_DECREF(zero);
    return Py_BuildValue("(NN)", items, pending);
fail:
    Py_XDECREF(items);
    Py_XDECREF(pending);
    Py_XDECREF(no_links);
    Py_XDECREF(zero);
    return NULL;
}

/* wrap_inner(phys) -> [length]: the lines unwrap.wrap_width measures the width on, their lengths */
static PyObject *
wrap_inner(PyObject *self, PyObject *args)
{
    PyObject *phys;
    if (!PyArg_ParseTuple(args, "O!", &PyList_Type, &phys) || str_list(phys, "wrap_inner") < 0)
        return NULL;
    PyObject *inner = PyList_New(0);
    if (inner == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i + 1 < PyList_GET_SIZE(phys); i++) {
        Text ln = text_of(PyList_GET_ITEM(phys, i)), next = text_of(PyList_GET_ITEM(phys, i + 1));
        if (blank(&ln) || blank(&next) || list_start(&next) || url_only(&next))
            continue;
        Py_ssize_t run = 0, longest = 0;  /* _LONG_WORD: a run of more than 30 characters not white space */
        for (Py_ssize_t k = 0; k < ln.len && longest <= 30; k++) {
            run = Py_UNICODE_ISSPACE(char_at(&ln, k)) ? 0 : run + 1;
            if (run > longest)
                longest = run;
        }
        if (longest > 30)
            continue;
        if (append_new(inner, PyLong_FromSsize_t(ln.len)) < 0) {
            Py_DECREF(inner);
            return NULL;
        }
    }
    return inner;
}


/* Character classes: the bits of features._class_table, one uint16 per code point of the Basic
 * Multilingual Plane; code points above it are letters of other scripts. */
enum {
    C_UPPER = 1 << 0, C_LOWER = 1 << 1, C_OTHER_LETTER = 1 << 2, C_DIGIT = 1 << 3, C_SPACE = 1 << 4,
    C_COMMA = 1 << 5, C_SEPARATOR = 1 << 6, C_QUOTE = 1 << 7, C_AT = 1 << 8, C_TERMINAL = 1 << 9,
    C_CLOSER = 1 << 10, C_ARROW = 1 << 11, C_COLON = 1 << 12, C_TOKEN_BREAK = 1 << 13,
    C_ASCII_LOWER = 1 << 14, C_ASCII_UPPER = 1 << 15,
};
/* Columns of the output rows: features.LINE_STATS (the cue-list counts follow S_TOKENS). */
enum {
    S_UPPER, S_LETTER, S_DIGIT, S_SPACE, S_PUNCT, S_COMMA, S_CAP_START, S_SEPARATOR, S_QUOTE, S_AT,
    S_CAMEL, S_TERMINAL, S_COLON, S_ARROW, S_LEAD_CAPS, S_BYLINE, S_NUMDATE, S_COUNTER, S_ELLIPSIS, S_SENTENCE,
    S_TOKENS, S_CUES,
};
#define MAX_CUES 16
/* Tokens looked up in a word book are held up to this many characters (longer ones are in no list). */
#define CUE_WORD_MAX 64

static inline unsigned
class_of(const uint16_t *table, Py_UCS4 c)
{
    return c < 0x10000 ? table[c] : C_OTHER_LETTER;
}

/* word_book(book) -> capsule: the cue lists' codebook ({token: bits}, vocab.codebook) as a table that
 * line_stats looks tokens up in by their code points, without making a string of each. */
typedef struct { uint64_t hash; const Py_UCS4 *chars; Py_ssize_t len; long value; int used; } book_slot;
/* tags: a used slot's hash's high half with its lowest bit set (0: empty), the array probed (4 bytes
 * a slot, where a slot takes 40: a page's tokens find or miss their slot without a cache miss each). */
typedef struct { book_slot *slots; uint32_t *tags; size_t mask; Py_UCS4 *store; Py_ssize_t longest; } word_book_t;
static const char BOOK_NAME[] = "cleaner._native.word_book";

static inline uint32_t
book_tag(uint64_t h)
{
    return (uint32_t)(h >> 32) | 1u;
}

static void
book_free(word_book_t *b)
{
    if (b != NULL) {
        PyMem_Free(b->slots);
        PyMem_Free(b->tags);
        PyMem_Free(b->store);
        PyMem_Free(b);
    }
}

static void
book_capsule_free(PyObject *capsule)
{
    book_free(PyCapsule_GetPointer(capsule, BOOK_NAME));
}

static PyObject *
word_book(PyObject *self, PyObject *args)
{
    PyObject *book, *key, *value;
    if (!PyArg_ParseTuple(args, "O!", &PyDict_Type, &book))
        return NULL;
    Py_ssize_t pos = 0, total = 0;
    while (PyDict_Next(book, &pos, &key, &value)) {
        if (!PyUnicode_Check(key) || !PyLong_Check(value)) {
            PyErr_SetString(PyExc_TypeError, "word_book: a dict of strings to integers is needed");
            return NULL;
        }
        total += PyUnicode_GET_LENGTH(key);
    }
    size_t cap = 16;
    while (cap < 2 * (size_t)PyDict_GET_SIZE(book) + 2)
        cap *= 2;
    word_book_t *b = PyMem_Calloc(1, sizeof(word_book_t));
    if (b == NULL)
        return PyErr_NoMemory();
    b->mask = cap - 1;
    b->slots = PyMem_Calloc(cap, sizeof(book_slot));
    b->tags = PyMem_Calloc(cap, sizeof(uint32_t));
    b->store = PyMem_Malloc((size_t)(total + 1) * sizeof(Py_UCS4));
    if (b->slots == NULL || b->tags == NULL || b->store == NULL) {
        book_free(b);
        return PyErr_NoMemory();
    }
    Py_UCS4 *w = b->store;
    pos = 0;
    while (PyDict_Next(book, &pos, &key, &value)) {
        long v = PyLong_AsLong(value);
        if (v == -1 && PyErr_Occurred()) {
            book_free(b);
            return NULL;
        }
        Py_ssize_t len = PyUnicode_GET_LENGTH(key);
        if (len > b->longest)
            b->longest = len;
        uint64_t h = FNV_START;
        for (Py_ssize_t j = 0; j < len; j++) {
            w[j] = PyUnicode_READ_CHAR(key, j);
            h = FNV_STEP(h, w[j]);
        }
        size_t k = (size_t)h & b->mask;
        while (b->slots[k].used)
            k = (k + 1) & b->mask;
        book_slot slot = {h, w, len, v, 1};
        b->slots[k] = slot;
        b->tags[k] = book_tag(h);
        w += len;
    }
    PyObject *capsule = PyCapsule_New(b, BOOK_NAME, book_capsule_free);
    if (capsule == NULL)
        book_free(b);
    return capsule;
}

/* The bits of data[start:start+len] (of kind ``kind``, its hash ``h``) in the book; 0 when not in it. */
static long
book_bits(const word_book_t *b, uint64_t h, int kind, const void *data, Py_ssize_t start, Py_ssize_t len)
{
    const uint32_t tag = book_tag(h);
    for (size_t k = (size_t)h & b->mask; b->tags[k]; k = (k + 1) & b->mask) {
        if (b->tags[k] != tag)
            continue;
        const book_slot *s = &b->slots[k];
        if (s->hash != h || s->len != len)
            continue;
        Py_ssize_t j = 0;
        while (j < len && s->chars[j] == PyUnicode_READ(kind, data, start + j))
            j++;
        if (j == len)
            return s->value;
    }
    return 0;
}


/* The patterns of features.PATTERNS, matched as ``re.finditer`` does (left to right, each search
 * resuming where the last match ended) and counted by the line a match starts on. Each follows its
 * pattern's structure; the words and marks come from features._PATTERN_PARTS. */

static int
one_of(PyObject *marks, const Text *t, Py_ssize_t k)  /* a character class of ``marks`` */
{
    if (k >= t->len)
        return 0;
    Py_UCS4 c = char_at(t, k);
    const int kind = PyUnicode_KIND(marks);
    const void *data = PyUnicode_DATA(marks);
    for (Py_ssize_t j = 0; j < PyUnicode_GET_LENGTH(marks); j++)
        if (PyUnicode_READ(kind, data, j) == c)
            return 1;
    return 0;
}

/* Whether ``word`` is found at k (``fold``: ASCII letters in any case, as re.I finds them). */
static int
word_at(PyObject *word, const Text *t, Py_ssize_t k, int fold)
{
    const Py_ssize_t n = PyUnicode_GET_LENGTH(word);
    if (k < 0 || k + n > t->len)
        return 0;
    const int kind = PyUnicode_KIND(word);
    const void *data = PyUnicode_DATA(word);
    for (Py_ssize_t j = 0; j < n; j++) {
        Py_UCS4 c = char_at(t, k + j), w = PyUnicode_READ(kind, data, j);
        if (fold && c < 128 && c >= 'A' && c <= 'Z')
            c += 'a' - 'A';
        if (c != w)
            return 0;
    }
    return 1;
}

/* "byline": an opener at a line start, white space, then a character that is not (the white space
 * may run over line ends). The end of the match, or -1. */
static Py_ssize_t
byline_at(PyObject *openers, const Text *t, Py_ssize_t start)
{
    for (Py_ssize_t j = 0; j < PyTuple_GET_SIZE(openers); j++) {
        PyObject *word = PyTuple_GET_ITEM(openers, j);
        if (!word_at(word, t, start, 0))
            continue;
        Py_ssize_t k = start + PyUnicode_GET_LENGTH(word);
        if (!space_at(t, k))
            continue;
        while (space_at(t, k))
            k++;
        if (k < t->len)
            return k + 1;
    }
    return -1;
}

/* "numdate" from k, where a run of at most four digits starts (r of them): the end, or -1. */
static Py_ssize_t
numdate_at(PyObject *const *marks, const Text *t, Py_ssize_t k, Py_ssize_t r)
{
    PyObject *seps = marks[0], *year = marks[1], *month = marks[2], *day = marks[3];
    Py_ssize_t e = k + r;
    if (one_of(seps, t, e) && digit_at(t, e + 1))
        return e + 2 + digit_at(t, e + 2);
    Py_ssize_t j = e + space_at(t, e);
    PyObject *closing = one_of(year, t, j) ? month : one_of(month, t, j) ? day : NULL;
    if (!closing)
        return -1;
    j++;
    j += space_at(t, j);
    if (!digit_at(t, j))
        return -1;
    j += 1 + digit_at(t, j + 1);
    j += space_at(t, j);
    return one_of(closing, t, j) ? j + 1 : -1;
}

/* "counter": the whole line [start, end) is \(?[0-9][0-9,.]*[kKmM]?\)? */
static int
counter_line(const Text *t, Py_ssize_t start, Py_ssize_t end)
{
    Py_ssize_t k = start;
    if (k < end && char_at(t, k) == '(')
        k++;
    if (k >= end || !digit_at(t, k))
        return 0;
    while (k < end && (digit_at(t, k) || char_at(t, k) == ',' || char_at(t, k) == '.'))
        k++;
    Py_UCS4 c = k < end ? char_at(t, k) : 0;
    if (c == 'k' || c == 'K' || c == 'm' || c == 'M')
        k++;
    if (k < end && char_at(t, k) == ')')
        k++;
    return k == end;
}

/* "ellipsis": whether the line [start, end) ends in "..." or "…", after which only white space, or
 * "more" (any case), white space and an arrow, may follow. (A match ends at a line end, so each
 * line has at most one; one running over a line end takes nothing of the next line's.) */
static int
ellipsis_line(PyObject *more, PyObject *arrows, const Text *t, Py_ssize_t start, Py_ssize_t end)
{
    Py_ssize_t k = end;
    while (k > start && space_at(t, k - 1))
        k--;
    if (k > start && one_of(arrows, t, k - 1)) {
        Py_ssize_t j = k - 1;
        while (j > start && space_at(t, j - 1))
            j--;
        if (!(j - start >= PyUnicode_GET_LENGTH(more) && word_at(more, t, j - PyUnicode_GET_LENGTH(more), 1)))
            return 0;
        k = j;
    }
    if (k - start >= PyUnicode_GET_LENGTH(more) && word_at(more, t, k - PyUnicode_GET_LENGTH(more), 1)) {
        k -= PyUnicode_GET_LENGTH(more);
        while (k > start && space_at(t, k - 1))
            k--;
    }
    if (k > start && char_at(t, k - 1) == 0x2026)
        return 1;
    return k - start >= 3 && char_at(t, k - 1) == '.' && char_at(t, k - 2) == '.' && char_at(t, k - 3) == '.';
}

/* The pattern counts of every line (starts[i], ends[i]) of t into rows of ``width`` doubles. */
static void
pattern_counts(PyObject *parts, const Text *t, const Py_ssize_t *starts, const Py_ssize_t *ends, Py_ssize_t n,
               double *out, Py_ssize_t width)
{
    PyObject *openers = PyTuple_GET_ITEM(parts, 0), *more = PyTuple_GET_ITEM(parts, 5),
             *arrows = PyTuple_GET_ITEM(parts, 6);
    /* the ASCII characters an opener starts with: a line starting with another ASCII character
     * holds no byline, and is not compared with each opener */
    uint64_t first[2] = {0, 0};
    int other_first = 0;  /* an opener starting with another character: every line is compared */
    for (Py_ssize_t j = 0; j < PyTuple_GET_SIZE(openers); j++) {
        PyObject *word = PyTuple_GET_ITEM(openers, j);
        Py_UCS4 c = PyUnicode_GET_LENGTH(word) ? PyUnicode_READ_CHAR(word, 0) : 0x110000;
        if (c < 128)
            first[c >> 6] |= (uint64_t)1 << (c & 63);
        else
            other_first = 1;
    }
    Py_ssize_t byline_end = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        double *row = out + i * width;
        const Py_ssize_t start = starts[i], end = ends[i];
        const Py_UCS4 c0 = start < t->len ? char_at(t, start) : 0x110000;
        const int may_open = other_first || c0 >= 128 || (first[c0 >> 6] >> (c0 & 63)) & 1;
        if (may_open && start >= byline_end) {
            Py_ssize_t m = byline_at(openers, t, start);
            if (m >= 0) {
                row[S_BYLINE] += 1;
                byline_end = m;
            }
        }
        row[S_COUNTER] = counter_line(t, start, end);
        row[S_ELLIPSIS] = ellipsis_line(more, arrows, t, start, end);
    }
}

/* count_words(text, most=-1) -> len(text.split(None, most)): the runs between white space, counted
 * no further than the split would cut (most + 1 when most >= 0), without a string made for each. */
#define COUNT_WORDS(T)                                                          \
    do {                                                                        \
        const T *c = data;                                                      \
        for (Py_ssize_t k = 0; k < len && words != limit; k++) {                \
            int space = Py_UNICODE_ISSPACE(c[k]);                               \
            words += in_space && !space;                                        \
            in_space = space;                                                   \
        }                                                                       \
    } while (0)

/* len(t.split(None, most)) (most < 0: no limit), without a string made of each word. */
static Py_ssize_t
words_upto(const Text *t, Py_ssize_t most)
{
    const Py_ssize_t limit = most < 0 ? -1 : most + 1, len = t->len;  /* (-1: never reached) */
    const void *data = t->data;
    Py_ssize_t words = 0;
    int in_space = 1;
    BY_KIND(t->kind, COUNT_WORDS);
    return words;
}

static PyObject *
count_words(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 1 || nargs > 2 || !PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "count_words(text: str, most: int = -1)");
        return NULL;
    }
    Py_ssize_t most = -1;
    if (nargs == 2) {
        most = PyLong_AsSsize_t(args[1]);
        if (most == -1 && PyErr_Occurred())
            return NULL;
    }
    const Text t = text_of(args[0]);
    return PyLong_FromSsize_t(words_upto(&t, most));
}
#undef COUNT_WORDS

/* Append text[start:end] to ``list``; -1 with an exception set when that fails. */
static int
append_substring(PyObject *list, PyObject *text, Py_ssize_t start, Py_ssize_t end)
{
    return append_new(list, PyUnicode_Substring(text, start, end));
}

/* split_words(text, separators, letters_only) -> [word]: lang.split_words' twin. ASCII characters
 * separate words where the table ``separators`` (lang._SEPARATORS[letters_only]) maps them to a
 * space, or where they are white space; any other character where it is white space, or, with
 * ``letters_only``, no letter (re's [^\W\d_]), else no character of a word (re's \w or ’:
 * lang._TOKEN_BREAK). */
static inline int
letter(Py_UCS4 c)  /* re's [^\W\d_] */
{
    if (c < 128)
        return ((c | 32) >= 'a' && (c | 32) <= 'z');
    return Py_UNICODE_ISALNUM(c) && !Py_UNICODE_ISDECIMAL(c);
}

static inline int
separates(Py_UCS4 c, const unsigned char *table, int letters_only)  /* (table NULL: letters only) */
{
    if (c < 128 && table != NULL)
        return table[c] == ' ' || Py_UNICODE_ISSPACE(c);
    if (letters_only)
        return !letter(c);
    return Py_UNICODE_ISSPACE(c) || (!Py_UNICODE_ISALNUM(c) && c != 0x2019);
}

/* The next word of ``t`` from ``*k`` on, a run of the characters ``LETTERS_ONLY`` or ``table`` keep
 * (as split_words cuts them): its start, or -1 when there is none; its length and the FNV hash of its
 * code points (the word book's). ``*k`` is left after it. */
static inline Py_ssize_t
next_word(const Text *t, Py_ssize_t *k, const unsigned char *table, int letters_only, Py_ssize_t *len, uint64_t *hash)
{
    Py_ssize_t i = *k;
    while (i < t->len && separates(char_at(t, i), table, letters_only))
        i++;
    if (i >= t->len) {
        *k = i;
        return -1;
    }
    const Py_ssize_t start = i;
    uint64_t h = FNV_START;
    for (; i < t->len; i++) {
        const Py_UCS4 c = char_at(t, i);
        if (separates(c, table, letters_only))
            break;
        h = FNV_STEP(h, c);
    }
    *k = i;
    *len = i - start;
    *hash = h;
    return start;
}

static PyObject *
split_words(PyObject *self, PyObject *args)
{
    PyObject *text;
    Py_buffer table;
    int letters_only;
    if (!PyArg_ParseTuple(args, "Uy*p", &text, &table, &letters_only))
        return NULL;
    PyObject *out = NULL;
    if (table.len != 256) {
        PyErr_SetString(PyExc_ValueError, "split_words: separators must be a 256-byte translation table");
        goto done;
    }
    out = PyList_New(0);
    if (!out)
        goto done;
    const Text t = text_of(text);
    Py_ssize_t start = -1;  /* where the current word starts */
    for (Py_ssize_t k = 0; k <= t.len; k++) {
        if (k < t.len && !separates(char_at(&t, k), table.buf, letters_only)) {
            if (start < 0)
                start = k;
            continue;
        }
        if (start < 0)
            continue;
        if (append_substring(out, text, start, k) < 0) {
            Py_CLEAR(out);
            goto done;
        }
        start = -1;
    }
done:
    PyBuffer_Release(&table);
    return out;
}

/* stop_counts(text, separators, book, word) -> (words, in_book, equal): the words of ``text`` as
 * split_words(text, separators, False) cuts them, how many of them the word book holds, and how many
 * are ``word``: lang.stop_counts' twin, without a string made of each word. */
static PyObject *
stop_counts(PyObject *self, PyObject *args)
{
    PyObject *text, *capsule, *word;
    Py_buffer table;
    if (!PyArg_ParseTuple(args, "Uy*OU", &text, &table, &capsule, &word))
        return NULL;
    PyObject *out = NULL;
    const word_book_t *book = PyCapsule_GetPointer(capsule, BOOK_NAME);
    if (book == NULL)
        goto done;
    if (table.len != 256) {
        PyErr_SetString(PyExc_ValueError, "stop_counts: separators must be a 256-byte translation table");
        goto done;
    }
    const Text t = text_of(text), w = text_of(word);
    Py_ssize_t words = 0, in_book = 0, equal = 0, start, len, k = 0;
    uint64_t h;
    while ((start = next_word(&t, &k, table.buf, 0, &len, &h)) >= 0) {
        words++;
        in_book += book_bits(book, h, t.kind, t.data, start, len) != 0;
        if (len == w.len) {
            Py_ssize_t j = 0;
            while (j < len && char_at(&t, start + j) == char_at(&w, j))
                j++;
            equal += j == len;
        }
    }
    out = Py_BuildValue("(nnn)", words, in_book, equal);
done:
    PyBuffer_Release(&table);
    return out;
}

/* line_keys(texts, min_chars) -> (digest or None, ...): site_memory.line_keys' twin. Each text of
 * ``min_chars`` characters or more is known by the first eight bytes of its BLAKE2b digest (digest
 * size 8, no key) of its UTF-8 bytes (lone surrogates encoded as "surrogatepass" does), read as a
 * little-endian integer: hashlib's value, without a bytes object and a hash object a line. */
static const uint64_t B2_IV[8] = {
    0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL, 0xa54ff53a5f1d36f1ULL,
    0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL, 0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL};
static const uint8_t B2_SIGMA[12][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
    {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4}, {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
    {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13}, {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
    {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11}, {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
    {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5}, {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3}};

typedef struct { uint64_t h[8]; uint64_t bytes; uint8_t block[128]; int fill; } b2_state;

static inline uint64_t
rotr64(uint64_t x, int n)
{
    return (x >> n) | (x << (64 - n));
}

#define B2_G(a, b, c, d, x, y)                      \
    do {                                            \
        a = a + b + (x); d = rotr64(d ^ a, 32);     \
        c = c + d;       b = rotr64(b ^ c, 24);     \
        a = a + b + (y); d = rotr64(d ^ a, 16);     \
        c = c + d;       b = rotr64(b ^ c, 63);     \
    } while (0)

static void
b2_compress(b2_state *s, int last)
{
    uint64_t m[16], v[16];
    for (int i = 0; i < 16; i++) {  /* little-endian words, whatever the machine */
        uint64_t w = 0;
        for (int k = 7; k >= 0; k--)
            w = (w << 8) | s->block[8 * i + k];
        m[i] = w;
    }
    for (int i = 0; i < 8; i++) {
        v[i] = s->h[i];
        v[i + 8] = B2_IV[i];
    }
    v[12] ^= s->bytes;  /* (the counter's high word stays 0: a line is far shorter than 2^64 bytes) */
    if (last)
        v[14] = ~v[14];
    for (int r = 0; r < 12; r++) {
        const uint8_t *z = B2_SIGMA[r];
        B2_G(v[0], v[4], v[8], v[12], m[z[0]], m[z[1]]);
        B2_G(v[1], v[5], v[9], v[13], m[z[2]], m[z[3]]);
        B2_G(v[2], v[6], v[10], v[14], m[z[4]], m[z[5]]);
        B2_G(v[3], v[7], v[11], v[15], m[z[6]], m[z[7]]);
        B2_G(v[0], v[5], v[10], v[15], m[z[8]], m[z[9]]);
        B2_G(v[1], v[6], v[11], v[12], m[z[10]], m[z[11]]);
        B2_G(v[2], v[7], v[8], v[13], m[z[12]], m[z[13]]);
        B2_G(v[3], v[4], v[9], v[14], m[z[14]], m[z[15]]);
    }
    for (int i = 0; i < 8; i++)
        s->h[i] ^= v[i] ^ v[i + 8];
}
#undef B2_G

static inline void
b2_byte(b2_state *s, uint8_t b)
{
    if (s->fill == 128) {  /* a full block is compressed once a byte follows it (the last one is final) */
        b2_compress(s, 0);
        s->fill = 0;
    }
    s->block[s->fill++] = b;
    s->bytes++;
}

static uint64_t
utf8_digest8(const Text *t)
{
    b2_state s;
    memcpy(s.h, B2_IV, sizeof s.h);
    s.h[0] ^= 0x01010000ULL ^ 8;  /* depth 1, fanout 1, no key, 8-byte digest */
    s.bytes = 0;
    s.fill = 0;
    for (Py_ssize_t k = 0; k < t->len; k++) {
        Py_UCS4 c = char_at(t, k);
        if (c < 0x80) {
            b2_byte(&s, (uint8_t)c);
        } else if (c < 0x800) {
            b2_byte(&s, (uint8_t)(0xC0 | (c >> 6)));
            b2_byte(&s, (uint8_t)(0x80 | (c & 0x3F)));
        } else if (c < 0x10000) {  /* (a lone surrogate too: "surrogatepass" writes it so) */
            b2_byte(&s, (uint8_t)(0xE0 | (c >> 12)));
            b2_byte(&s, (uint8_t)(0x80 | ((c >> 6) & 0x3F)));
            b2_byte(&s, (uint8_t)(0x80 | (c & 0x3F)));
        } else {
            b2_byte(&s, (uint8_t)(0xF0 | (c >> 18)));
            b2_byte(&s, (uint8_t)(0x80 | ((c >> 12) & 0x3F)));
            b2_byte(&s, (uint8_t)(0x80 | ((c >> 6) & 0x3F)));
            b2_byte(&s, (uint8_t)(0x80 | (c & 0x3F)));
        }
    }
    memset(s.block + s.fill, 0, (size_t)(128 - s.fill));
    b2_compress(&s, 1);
    return s.h[0];  /* the digest's first eight bytes, little-endian */
}

static PyObject *
line_keys(PyObject *self, PyObject *args)
{
    PyObject *texts;
    Py_ssize_t min_chars;
    if (!PyArg_ParseTuple(args, "On", &texts, &min_chars))
        return NULL;
    PyObject *seq = PySequence_Fast(texts, "line_keys: texts must be a sequence");
    if (!seq)
        return NULL;
    const Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject *out = PyTuple_New(n);
    for (Py_ssize_t i = 0; out && i < n; i++) {
        PyObject *text = PySequence_Fast_GET_ITEM(seq, i);
        if (!PyUnicode_Check(text)) {
            PyErr_SetString(PyExc_TypeError, "line_keys: texts must be strings");
            Py_CLEAR(out);
            break;
        }
        const Text t = text_of(text);
        PyObject *key = t.len >= min_chars ? PyLong_FromUnsignedLongLong(utf8_digest8(&t)) : Py_NewRef(Py_None);
        if (!key) {
            Py_CLEAR(out);
            break;
        }
        PyTuple_SET_ITEM(out, i, key);
    }
    Py_DECREF(seq);
    return out;
}

/* A site memory's count as a C integer: 0 and *out set, or -1 with TypeError for anything but an int
 * of 64 bits (count_page and commonest read the counts of a Counter). */
static int
count_of(PyObject *value, const char *name, long long *out)
{
    int overflow = 1;
    *out = PyLong_Check(value) ? PyLong_AsLongLongAndOverflow(value, &overflow) : 0;
    if (overflow || (*out == -1 && PyErr_Occurred())) {
        if (!PyErr_Occurred())
            PyErr_Format(PyExc_TypeError, "%s: counts must be integers of 64 bits", name);
        return -1;
    }
    return 0;
}

/* count_page(counts, keys, body, min_pages) -> bool: SiteMemory.learn_unless_recurring's step. True,
 * the dict untouched, when a key flagged in ``body`` (pairs up to the shorter of the two) already
 * counts ``min_pages`` or more; else each distinct key other than None counts one more (a new one
 * inserted at 1, in the order of its first occurrence, as Counter.update of dict.fromkeys(keys)
 * does) and False. Every count is read before any is written, so a key twice in the page is set to
 * its count plus one twice: once. The parent of a parallel run does this for every page. */
static PyObject *
count_page(PyObject *self, PyObject *args)
{
    PyObject *counts, *keys_in, *body_in;
    Py_ssize_t min_pages;
    if (!PyArg_ParseTuple(args, "O!OOn", &PyDict_Type, &counts, &keys_in, &body_in, &min_pages))
        return NULL;
    PyObject *keys = PySequence_Fast(keys_in, "count_page: keys must be a sequence");
    if (!keys)
        return NULL;
    PyObject *body = PySequence_Fast(body_in, "count_page: body must be a sequence");
    if (!body) {
        Py_DECREF(keys);
        return NULL;
    }
    const Py_ssize_t n = PySequence_Fast_GET_SIZE(keys), flagged = PySequence_Fast_GET_SIZE(body);
    long long *seen = PyMem_Malloc((size_t)(n ? n : 1) * sizeof(long long));
    PyObject *out = NULL;
    if (!seen) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *key = PySequence_Fast_GET_ITEM(keys, i);
        seen[i] = 0;
        if (key == Py_None)
            continue;
        PyObject *value = PyDict_GetItemWithError(counts, key);
        if (value) {
            if (count_of(value, "count_page", &seen[i]) < 0)
                goto done;
        } else if (PyErr_Occurred()) {
            goto done;
        }
        if (i < flagged && seen[i] >= min_pages) {
            const int flag = PyObject_IsTrue(PySequence_Fast_GET_ITEM(body, i));
            if (flag < 0)
                goto done;
            if (flag) {
                out = Py_NewRef(Py_True);
                goto done;
            }
        }
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *key = PySequence_Fast_GET_ITEM(keys, i);
        if (key == Py_None)
            continue;
        PyObject *value = PyLong_FromLongLong(seen[i] + 1);
        if (!value || PyDict_SetItem(counts, key, value) < 0) {
            Py_XDECREF(value);
            goto done;
        }
        Py_DECREF(value);
    }
    out = Py_NewRef(Py_False);
done:
    PyMem_Free(seen);
    Py_DECREF(keys);
    Py_DECREF(body);
    return out;
}

/* commonest(counts, keep) -> {key: count}: SiteMemory's pruning, the twin of
 * ``dict(sorted(counts.items(), key=itemgetter(1), reverse=True)[:keep])``: the ``keep`` entries of
 * the dict with the highest counts, of equal counts those first in the dict, in that order. An LSD
 * radix sort on the counts (each pass stable, the dict's order kept among equal counts) with passes
 * over bytes that are equal in every count skipped: one or two passes over a site's few thousand
 * lines, where sorted() and its key function took a millisecond in the busiest process of a
 * parallel run. */
static PyObject *
commonest(PyObject *self, PyObject *args)
{
    PyObject *counts;
    Py_ssize_t keep;
    if (!PyArg_ParseTuple(args, "O!n", &PyDict_Type, &counts, &keep))
        return NULL;
    const Py_ssize_t n = PyDict_GET_SIZE(counts);
    keep = keep < 0 ? 0 : keep < n ? keep : n;
    PyObject **keys = PyMem_Malloc((size_t)(n ? n : 1) * 2 * sizeof(PyObject *));
    uint64_t *order = PyMem_Malloc((size_t)(n ? n : 1) * 2 * sizeof(uint64_t));  /* key, then spare */
    Py_ssize_t *idx = PyMem_Malloc((size_t)(n ? n : 1) * 2 * sizeof(Py_ssize_t));
    PyObject *out = NULL;
    Py_ssize_t i = 0;  /* entries read (and held) */
    if (!keys || !order || !idx) {
        PyErr_NoMemory();
        goto done;
    }
    PyObject **values = keys + n;
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    uint64_t differ = 0;
    while (PyDict_Next(counts, &pos, &key, &value)) {  /* (in the dict's order) */
        long long v;
        if (count_of(value, "commonest", &v) < 0)
            goto done;
        keys[i] = Py_NewRef(key);  /* (held: a key's __eq__ in PyDict_SetItem may change the dict) */
        values[i] = Py_NewRef(value);
        /* descending count as an ascending unsigned key: the sign bit flipped, then all bits */
        order[i] = ~((uint64_t)v ^ 0x8000000000000000ULL);
        idx[i] = i;
        differ |= order[i] ^ order[0];
        i++;
    }
    uint64_t *key_tmp = order + n;
    Py_ssize_t *idx_tmp = idx + n;
    for (int shift = 0; shift < 64; shift += 8) {
        if (!((differ >> shift) & 0xFF))
            continue;  /* this byte the same in every count: the pass would change nothing */
        Py_ssize_t bucket[257] = {0};
        for (Py_ssize_t j = 0; j < n; j++)
            bucket[((order[j] >> shift) & 0xFF) + 1]++;
        for (int b = 0; b < 256; b++)
            bucket[b + 1] += bucket[b];
        for (Py_ssize_t j = 0; j < n; j++) {
            const Py_ssize_t to = bucket[(order[j] >> shift) & 0xFF]++;
            key_tmp[to] = order[j];
            idx_tmp[to] = idx[j];
        }
        memcpy(order, key_tmp, (size_t)n * sizeof(uint64_t));
        memcpy(idx, idx_tmp, (size_t)n * sizeof(Py_ssize_t));
    }
    out = PyDict_New();
    for (Py_ssize_t j = 0; out && j < keep; j++) {
        if (PyDict_SetItem(out, keys[idx[j]], values[idx[j]]) < 0)
            Py_CLEAR(out);
    }
done:
    for (Py_ssize_t j = 0; j < i; j++) {
        Py_DECREF(keys[j]);
        Py_DECREF(keys[n + j]);
    }
    PyMem_Free(keys);
    PyMem_Free(order);
    PyMem_Free(idx);
    return out;
}

static int double_buffers(const char *name, PyObject *const *objs, Py_buffer *bufs, int count, int writes_last,
                          int *held);
static void release_buffers(Py_buffer *bufs, int held);

/* The texts of a page grouped by equality: per text its group (a slot of an open table), per group
 * how many texts it holds and its first text's index. */
typedef struct { Py_ssize_t cap, *first, *hashes, *count, *slot; } text_groups;

static void
groups_free(text_groups *g)
{
    PyMem_Free(g->first);
    g->first = NULL;
}

/* Groups ``texts`` (a list of strings) into ``g``; -1 with an exception set when that fails. */
static int
group_texts(PyObject *texts, text_groups *g, const char *name)
{
    const Py_ssize_t n = PyList_GET_SIZE(texts);
    g->cap = 16;
    while (g->cap < 2 * n)
        g->cap *= 2;
    /* per slot: 1 + the index of its first text (0: empty), the texts' hash, how many; per text its slot */
    g->first = PyMem_Calloc((size_t)(3 * g->cap + n), sizeof(Py_ssize_t));
    if (!g->first) {
        PyErr_NoMemory();
        return -1;
    }
    g->hashes = g->first + g->cap;
    g->count = g->first + 2 * g->cap;
    g->slot = g->first + 3 * g->cap;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *text = PyList_GET_ITEM(texts, i);
        if (!PyUnicode_Check(text)) {
            PyErr_Format(PyExc_TypeError, "%s: texts must be strings", name);
            return -1;
        }
        Py_hash_t h = PyObject_Hash(text);  /* (a string's, kept on it: the later stages' sets reuse it) */
        if (h == -1)
            return -1;
        Py_ssize_t k = (Py_ssize_t)((size_t)h & (size_t)(g->cap - 1));
        while (g->first[k]) {
            PyObject *other = PyList_GET_ITEM(texts, g->first[k] - 1);
            if (g->hashes[k] == h && (other == text || PyUnicode_Compare(other, text) == 0))
                break;
            k = (k + 1) & (g->cap - 1);
        }
        if (!g->first[k]) {
            g->first[k] = i + 1;
            g->hashes[k] = h;
        }
        g->count[k]++;
        g->slot[i] = k;
    }
    return 0;
}

/* recurring(texts, out): 1.0 into out[i] where texts[i] occurs more than once in ``texts``, else 0.0
 * (features._recurring's twin: a Counter of the texts, without a dict and a lookup a line). */
static PyObject *
recurring(PyObject *self, PyObject *args)
{
    PyObject *texts, *out_obj;
    if (!PyArg_ParseTuple(args, "O!O", &PyList_Type, &texts, &out_obj))
        return NULL;
    Py_buffer buf;
    int held = 0;
    if (double_buffers("recurring", &out_obj, &buf, 1, 1, &held) < 0)
        return NULL;
    const Py_ssize_t n = PyList_GET_SIZE(texts);
    PyObject *result = NULL;
    text_groups g = {0};
    if (buf.len != n * (Py_ssize_t)sizeof(double)) {
        PyErr_Format(PyExc_ValueError, "recurring: out must hold %zd doubles", n);
        goto done;
    }
    if (group_texts(texts, &g, "recurring") < 0)
        goto done;
    double *out = buf.buf;
    for (Py_ssize_t i = 0; i < n; i++)
        out[i] = g.count[g.slot[i]] > 1;
    result = Py_NewRef(Py_None);
done:
    groups_free(&g);
    release_buffers(&buf, held);
    return result;
}

/* recurring_outside(texts, body) -> {text}: the texts that occur more than once in ``texts``, one of
 * them at a line ``body`` (a list of flags) does not mark (rules._recurring_outside's twin). */
static PyObject *
recurring_outside(PyObject *self, PyObject *args)
{
    PyObject *texts, *body;
    if (!PyArg_ParseTuple(args, "O!O!", &PyList_Type, &texts, &PyList_Type, &body))
        return NULL;
    const Py_ssize_t n = PyList_GET_SIZE(texts);
    if (PyList_GET_SIZE(body) != n) {
        PyErr_SetString(PyExc_ValueError, "recurring_outside: body must have a flag a text");
        return NULL;
    }
    text_groups g = {0};
    PyObject *out = NULL;
    if (group_texts(texts, &g, "recurring_outside") < 0 || !(out = PySet_New(NULL)))
        goto done;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (g.count[g.slot[i]] < 2)
            continue;
        int b = PyObject_IsTrue(PyList_GET_ITEM(body, i));
        if (b < 0 || (!b && PySet_Add(out, PyList_GET_ITEM(texts, i)) < 0)) {
            Py_CLEAR(out);
            goto done;
        }
    }
done:
    groups_free(&g);
    return out;
}

/* Whether ``kind`` data[0:len] holds two spaces in a row: a pass without a branch a character. */
#define PAIR_OF_SPACES(T)                                                       \
    do {                                                                        \
        const T *c = data;                                                      \
        for (Py_ssize_t k = 0; k + 1 < len && !pair; k += 256) {                \
            const Py_ssize_t stop = k + 256 < len - 1 ? k + 256 : len - 1;      \
            int any = 0;                                                        \
            for (Py_ssize_t j = k; j < stop; j++)                               \
                any |= (c[j] == ' ') & (c[j + 1] == ' ');                       \
            pair = any;                                                         \
        }                                                                       \
    } while (0)

/* padded_block(text, min_lines, min_chars, gutter) -> bool: whether ``text`` holds a run of
 * ``gutter`` spaces and ``min_lines`` consecutive lines (its newlines unified) of one length of
 * ``min_chars`` or more: a table printed side by side (lines.columns.read_columns' first test; twin:
 * the substring test and columns._has_block of the lines' lengths). */
static PyObject *
padded_block(PyObject *self, PyObject *args)
{
    PyObject *text;
    Py_ssize_t min_lines, min_chars, gutter;
    if (!PyArg_ParseTuple(args, "Unnn", &text, &min_lines, &min_chars, &gutter))
        return NULL;
    const int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    const Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    const Text t = text_of(text);
    int pair = 0;  /* whether the gutter's run of spaces is there */
    if (gutter <= 0)
        pair = 1;
    else if (gutter == 1)
        pair = PyUnicode_FindChar(text, ' ', 0, len, 1) >= 0;
    else
        BY_KIND(kind, PAIR_OF_SPACES);
    if (pair && gutter > 2) {  /* (a longer run looked for where pairs are) */
        Py_ssize_t run = 0;
        pair = 0;
        for (Py_ssize_t k = 0; k < len && !pair; k++) {
            run = char_at(&t, k) == ' ' ? run + 1 : 0;
            pair = run >= gutter;
        }
    }
    if (!pair)
        Py_RETURN_FALSE;
    Py_ssize_t start = 0, previous = -1, run = 1;  /* (previous: the last line's length; -1 before the first) */
    for (Py_ssize_t k = 0; k <= len; k++) {
        const Py_UCS4 c = k < len ? char_at(&t, k) : '\n';
        if (c != '\n' && c != '\r')
            continue;
        const Py_ssize_t width = k - start;
        if (previous >= 0) {
            run = width == previous && width >= min_chars ? run + 1 : 1;
            if (run >= min_lines)
                Py_RETURN_TRUE;
        }
        previous = width;
        if (c == '\r' && k + 1 < len && char_at(&t, k + 1) == '\n')
            k++;
        start = k + 1;
    }
    Py_RETURN_FALSE;
}
#undef PAIR_OF_SPACES

/* A Line's text, a new reference (another object's ``text`` attribute where ``line`` is not a Line
 * with its text slot set); NULL with an exception set where it is not a string. */
static PyObject *
text_of_line(const line_maker *m, PyObject *line)
{
    PyObject *text = Py_TYPE(line) == m->type && line_text(m, line) ? Py_NewRef(line_text(m, line))
                                                                      : PyObject_GetAttrString(line, "text");
    if (text != NULL && !PyUnicode_Check(text)) {
        Py_DECREF(text);
        PyErr_SetString(PyExc_TypeError, "a line's text must be a string");
        return NULL;
    }
    return text;
}

/* texts_of(lines, line_type, slots) -> [text]: each line's text (types.texts_of's twin), a Line's read
 * from its slot. */
static PyObject *
texts_of(PyObject *self, PyObject *args)
{
    PyObject *lines, *line_type, *slots;
    if (!PyArg_ParseTuple(args, "OOO", &lines, &line_type, &slots))
        return NULL;
    line_maker m;
    if (line_maker_of(line_type, slots, &m) < 0)
        return NULL;
    PyObject *seq = PySequence_Fast(lines, "texts_of: lines must be a sequence");
    if (!seq)
        return NULL;
    const Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject *out = PyList_New(n);
    for (Py_ssize_t i = 0; out && i < n; i++) {
        PyObject *text = text_of_line(&m, PySequence_Fast_GET_ITEM(seq, i));
        if (!text)
            Py_CLEAR(out);
        else
            PyList_SET_ITEM(out, i, text);
    }
    Py_DECREF(seq);
    return out;
}

/* The indexes of the lines (Lines, or objects with a ``text``) whose text ``test`` passes, in order;
 * with ``body`` (a list of flags), those before ``footer`` that are body lines are not looked at. */
typedef int (*text_test)(const Text *t, const void *context);

static PyObject *
lines_passing(PyObject *lines, PyObject *body, Py_ssize_t footer, PyObject *line_type, PyObject *slots,
              text_test test, const void *context)
{
    line_maker m;
    if (line_maker_of(line_type, slots, &m) < 0)
        return NULL;
    const Py_ssize_t n = PyList_GET_SIZE(lines);
    if (body != NULL && PyList_GET_SIZE(body) != n) {
        PyErr_SetString(PyExc_ValueError, "body must have a flag a line");
        return NULL;
    }
    PyObject *out = PyList_New(0);
    if (!out)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (body != NULL && i < footer) {
            int b = PyObject_IsTrue(PyList_GET_ITEM(body, i));
            if (b < 0)
                goto fail;
            if (b)
                continue;
        }
        PyObject *text = text_of_line(&m, PyList_GET_ITEM(lines, i));
        if (!text)
            goto fail;
        const Text t = text_of(text);
        const int passed = test(&t, context);
        Py_DECREF(text);
        if (passed && append_new(out, PyLong_FromSsize_t(i)) < 0)
            goto fail;
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

typedef struct { Text firsts; PyObject *starts; } site_context;

/* Whether a text starts with a character of ``firsts`` and is "©" or has its first two characters
 * lower-cased in ``starts`` (text[:2].lower(): an ASCII letter, and a character whose lower case is one
 * character but for U+0130's two, not ASCII for U+03A3). */
static int
site_start(const Text *t, const void *context)
{
    const site_context *c = context;
    const Py_UCS4 c0 = t->len ? char_at(t, 0) : 0;
    int found = 0;
    for (Py_ssize_t q = 0; t->len && q < c->firsts.len && !found; q++)
        found = char_at(&c->firsts, q) == c0;
    if (!found || c0 == 0xA9)
        return found;
    const Py_UCS4 c1 = t->len >= 2 ? char_at(t, 1) : 0x130;
    if (c1 == 0x130 || c1 == 0x3A3)
        return 0;
    const Py_UCS4 l0 = c0 >= 'A' && c0 <= 'Z' ? c0 + 32 : c0, l1 = Py_UNICODE_TOLOWER(c1);
    for (Py_ssize_t q = 0; q < PyTuple_GET_SIZE(c->starts); q++) {
        PyObject *st = PyTuple_GET_ITEM(c->starts, q);
        if (PyUnicode_READ_CHAR(st, 0) == l0 && PyUnicode_READ_CHAR(st, 1) == l1)
            return 1;
    }
    return 0;
}

/* site_lines(lines, body, footer, firsts, starts, line_type, slots) -> [index]: the lines, among those
 * not in the body and all from ``footer`` on, whose start the site-name and author patterns need
 * (site_start; ``starts``: strings of two lower-case ASCII characters): metadata._site_lines' twin. */
static PyObject *
site_lines(PyObject *self, PyObject *args)
{
    PyObject *lines, *body, *starts, *line_type, *slots, *firsts;
    Py_ssize_t footer;
    if (!PyArg_ParseTuple(args, "O!O!nUO!OO", &PyList_Type, &lines, &PyList_Type, &body, &footer, &firsts,
                          &PyTuple_Type, &starts, &line_type, &slots))
        return NULL;
    for (Py_ssize_t q = 0; q < PyTuple_GET_SIZE(starts); q++) {
        PyObject *st = PyTuple_GET_ITEM(starts, q);
        if (!PyUnicode_Check(st) || PyUnicode_GET_LENGTH(st) != 2 || !PyUnicode_IS_ASCII(st)) {
            PyErr_SetString(PyExc_ValueError, "site_lines: starts must be strings of two ASCII characters");
            return NULL;
        }
    }
    const site_context context = {text_of(firsts), starts};
    return lines_passing(lines, body, footer, line_type, slots, site_start, &context);
}

/* Whether a text of at most *most characters ends in a colon once trailing white space is stripped. */
static int
colon_end(const Text *t, const void *most)
{
    Py_ssize_t k = t->len;
    while (k > 0 && Py_UNICODE_ISSPACE(char_at(t, k - 1)))
        k--;
    return t->len <= *(const Py_ssize_t *)most && k > 0 && char_at(t, k - 1) == ':';
}

/* colon_lines(lines, most, line_type, slots) -> [index]: the lines whose text, of at most ``most``
 * characters, ends in a colon (colon_end): rules._colon_lines' twin. */
static PyObject *
colon_lines(PyObject *self, PyObject *args)
{
    PyObject *lines, *line_type, *slots;
    Py_ssize_t most;
    if (!PyArg_ParseTuple(args, "O!nOO", &PyList_Type, &lines, &most, &line_type, &slots))
        return NULL;
    return lines_passing(lines, NULL, 0, line_type, slots, colon_end, &most);
}

/* indents(phys) -> (nonblank, three): how many of the lines hold more than white space, and how
 * many of those start with exactly three spaces (lines.text._indents' twin). */
static PyObject *
indents(PyObject *self, PyObject *args)
{
    PyObject *phys;
    if (!PyArg_ParseTuple(args, "O!", &PyList_Type, &phys))
        return NULL;
    Py_ssize_t nonblank = 0, three = 0;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(phys); i++) {
        PyObject *line = PyList_GET_ITEM(phys, i);
        if (!PyUnicode_Check(line)) {
            PyErr_SetString(PyExc_TypeError, "indents: lines must be strings");
            return NULL;
        }
        const Text t = text_of(line);
        Py_ssize_t k = 0;
        while (k < t.len && Py_UNICODE_ISSPACE(char_at(&t, k)))
            k++;
        if (k == t.len)  /* empty or white space only */
            continue;
        nonblank++;
        three += t.len >= 4 && char_at(&t, 0) == ' ' && char_at(&t, 1) == ' ' && char_at(&t, 2) == ' '
                 && char_at(&t, 3) != ' ';
    }
    return Py_BuildValue("nn", nonblank, three);
}

/* long_lines(text, scan, shortest) -> [line]: the lines of text[:scan] (split at '\n') of at least
 * ``shortest`` characters, in order (lang.sample_lines' first look, without a string for each line). */
static PyObject *
long_lines(PyObject *self, PyObject *args)
{
    PyObject *text;
    Py_ssize_t scan, shortest;
    if (!PyArg_ParseTuple(args, "Unn", &text, &scan, &shortest))
        return NULL;
    const Text t = text_of(text);
    const Py_ssize_t end = scan < 0 ? 0 : scan < t.len ? scan : t.len;
    PyObject *out = PyList_New(0);
    if (!out)
        return NULL;
    Py_ssize_t start = 0;
    for (Py_ssize_t k = 0; k <= end; k++) {
        if (k < end && char_at(&t, k) != '\n')
            continue;
        if (k - start >= shortest && append_substring(out, text, start, k) < 0) {
            Py_DECREF(out);
            return NULL;
        }
        start = k + 1;
    }
    return out;
}

/* How many '\n' a string's characters hold. */
#define COUNT_NEWLINES(T)                                      \
    for (const T *c = data, *end = c + len; c < end; c++)      \
        n += *c == '\n'

static Py_ssize_t
count_newlines(int kind, const void *data, Py_ssize_t len)
{
    Py_ssize_t n = 0;
    BY_KIND(kind, COUNT_NEWLINES);
    return n;
}
#undef COUNT_NEWLINES

/* lower(text) -> text.lower(), the same string: str.lower looks every character up in the full case
 * tables (a page of mostly ASCII text takes it tens of microseconds); here ASCII letters are shifted
 * and other characters take their one-character lower case. Two characters lower otherwise: the
 * dotted capital I (U+0130, two characters) and the capital sigma (U+03A3, by its neighbours); a
 * text holding one is left to str.lower. */
#define BUILD_LOWER(T)                                                          \
    do {                                                                        \
        const T *src = data;                                                    \
        T *dst = buf;                                                           \
        for (Py_ssize_t k = 0; k < len; k++) {                                  \
            Py_UCS4 c = src[k];                                                 \
            if (c < 128) {                                                      \
                dst[k] = (T)(c >= 'A' && c <= 'Z' ? c + 32 : c);                \
                continue;                                                       \
            }                                                                   \
            if (c == 0x130 || c == 0x3A3)                                       \
                goto full;                                                      \
            Py_UCS4 l = Py_UNICODE_TOLOWER(c);                                  \
            if (l > max_of_kind)                                                \
                goto full;                                                      \
            dst[k] = (T)l;                                                      \
        }                                                                       \
    } while (0)

static PyObject *
lowered(PyObject *text)  /* (a string's) */
{
    if (PyUnicode_IS_ASCII(text))  /* (str.lower has a fast path of its own there) */
        return PyObject_CallMethod(text, "lower", NULL);
    const int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    const Py_ssize_t len = PyUnicode_GET_LENGTH(text);
    const Py_UCS4 max_of_kind = kind == PyUnicode_1BYTE_KIND ? 0xFF : kind == PyUnicode_2BYTE_KIND ? 0xFFFF : 0x10FFFF;
    void *buf = PyMem_Malloc((size_t)len * (size_t)kind);
    if (!buf)
        return PyErr_NoMemory();
    BY_KIND(kind, BUILD_LOWER);
    PyObject *out = PyUnicode_FromKindAndData(kind, buf, len);  /* (in the narrowest kind, as str.lower's) */
    PyMem_Free(buf);
    return out;
full:
    PyMem_Free(buf);
    return PyObject_CallMethod(text, "lower", NULL);
}
#undef BUILD_LOWER

static PyObject *
lower(PyObject *self, PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "lower: text must be a string");
        return NULL;
    }
    return lowered(text);
}

/* The bits of a lower-cased token held in ``token`` (its first CUE_WORD_MAX characters) in the book: none
 * for one longer than the book's words (line_stats recounts the tokens where the book has words
 * longer than CUE_WORD_MAX). */
static inline long
token_bits(const word_book_t *book, uint64_t hash, const Py_UCS4 *token, Py_ssize_t len)
{
    return len <= book->longest && len <= CUE_WORD_MAX ? book_bits(book, hash, PyUnicode_4BYTE_KIND, token, 0, len) : 0;
}

/* One more token on line ``row``: its count, and one more in each cue list its bits are in. */
static inline void
count_token(double *row, long value, const long *bits, Py_ssize_t n_bits)
{
    row[S_TOKENS] += 1;
    for (Py_ssize_t j = 0; value && j < n_bits; j++)
        if (value & bits[j])
            row[S_CUES + j] += 1;
}

/* The tokens of ``low`` (the document lower-cased by str.lower: runs between white space and
 * punctuation) counted on their lines: what line_stats counts as it goes, for a document holding
 * one of the two letters whose lower case only str.lower gives. */
static int
count_lowered_tokens(PyObject *low, const word_book_t *book, const uint16_t *table, const long *bits,
                     Py_ssize_t n_bits, double *out, Py_ssize_t width, Py_ssize_t n)
{
    const int low_kind = PyUnicode_KIND(low);
    const void *low_data = PyUnicode_DATA(low);
    const Py_ssize_t low_len = PyUnicode_GET_LENGTH(low);
    Py_ssize_t line = 0, token = -1;  /* (where the current token starts) */
    uint64_t hash = FNV_START;
    for (Py_ssize_t k = 0; k <= low_len; k++) {
        Py_UCS4 c = k < low_len ? PyUnicode_READ(low_kind, low_data, k) : '\n';
        int breaks = c == '\n' || Py_UNICODE_ISSPACE(c) || (c < 0x10000 && (table[c] & C_TOKEN_BREAK));
        if (!breaks) {
            if (token < 0) {
                token = k;
                hash = FNV_START;
            }
            hash = FNV_STEP(hash, c);
            continue;
        }
        if (token >= 0) {
            if (line >= n) {
                PyErr_SetString(PyExc_ValueError, "line_stats: the lower-cased text has more lines");
                return -1;
            }
            count_token(out + line * width, book_bits(book, hash, low_kind, low_data, token, k - token), bits, n_bits);
            token = -1;
        }
        if (c == '\n')
            line++;
    }
    return 0;
}

/* line_stats' pass over the characters of a document of ``kind`` (a constant where it is called, so
 * that each width gets its own loop): each line's character counts, its last two characters, the
 * sentence ends and numeric dates (which re.finditer finds left to right across lines), and the
 * tokens of its lower-cased text, each character lower-cased as it is read (the one-character
 * lower case; 1 is returned when a character's lower case is not that, and the tokens' counts are
 * then to be made again from str.lower's text). Lines' starts and ends go to ``starts``/``ends``. */
static ALWAYS_INLINE int
char_pass(const int kind, const void *data, const Py_ssize_t len, const uint16_t *table, const word_book_t *book,
          const long *bits, const Py_ssize_t n_bits, PyObject *const *date_marks, double *out, const Py_ssize_t width,
          Py_ssize_t *starts, Py_ssize_t *ends)
{
    const Text text = {kind, data, len};
    Py_ssize_t line = 0, start = 0, date_end = 0;
    Py_ssize_t upper = 0, letters = 0, digits = 0, spaces = 0, punct = 0, commas = 0, separators = 0, quotes = 0,
               ats = 0, camel = 0, cap_start = 0, lead_caps = 0, sentences = 0, dates = 0;
    unsigned prev = 0;
    Py_UCS4 prev_c = 0;
    int broken = 0;  /* whether the line's leading run of capitalised words has ended */
    int full_lower = 0;
    Py_UCS4 token[CUE_WORD_MAX];  /* the token's lower-cased characters, as far as the book's words reach */
    Py_ssize_t token_len = 0;  /* (0: none) */
    uint64_t hash = FNV_START;
    starts[0] = 0;
    for (Py_ssize_t k = 0; k <= len; k++) {
        Py_UCS4 c = k < len ? PyUnicode_READ(kind, data, k) : '\n';
        if (c == '\n') {  /* the end of a line: its counts, its last two characters, its last token */
            double *row = out + line * width;
            if (token_len) {
                count_token(row, token_bits(book, hash, token, token_len), bits, n_bits);
                token_len = 0;
            }
            row[S_UPPER] = (double)upper; row[S_LETTER] = (double)letters; row[S_DIGIT] = (double)digits;
            row[S_SPACE] = (double)spaces; row[S_PUNCT] = (double)punct; row[S_COMMA] = (double)commas;
            row[S_SEPARATOR] = (double)separators; row[S_QUOTE] = (double)quotes; row[S_AT] = (double)ats;
            row[S_CAMEL] = (double)camel; row[S_CAP_START] = (double)cap_start; row[S_LEAD_CAPS] = (double)lead_caps;
            row[S_SENTENCE] = (double)sentences; row[S_NUMDATE] = (double)dates;
            upper = letters = digits = spaces = punct = commas = separators = quotes = ats = camel = cap_start =
                lead_caps = sentences = dates = 0;
            Py_ssize_t end = k;
            Py_ssize_t at_last = end - 1 >= 0 ? end - 1 : len - 1;
            Py_ssize_t at_before = end - 2 > start ? end - 2 : start;
            unsigned last = len ? class_of(table, PyUnicode_READ(kind, data, at_last)) : 0;
            unsigned before = at_before < len ? class_of(table, PyUnicode_READ(kind, data, at_before)) : 0;
            row[S_TERMINAL] = (last & C_TERMINAL) || ((last & C_CLOSER) && (before & C_TERMINAL));
            row[S_COLON] = (last & C_COLON) != 0;
            row[S_ARROW] = (last & C_ARROW) != 0;
            ends[line] = end;
            if (k == len)
                break;
            line++;
            start = starts[line] = k + 1;
            broken = 0;
            prev = 0;
            prev_c = c;
            continue;
        }
        unsigned f = class_of(table, c);
        int prev_space = k == 0 || (prev & C_SPACE) || prev_c == '\n';
        int letter = (f & (C_UPPER | C_LOWER | C_OTHER_LETTER)) != 0;
        upper += (f & C_UPPER) != 0;
        letters += letter;
        digits += (f & C_DIGIT) != 0;
        spaces += (f & C_SPACE) != 0;
        punct += !(letter || (f & (C_DIGIT | C_SPACE)));
        commas += (f & C_COMMA) != 0;
        separators += (f & C_SEPARATOR) != 0;
        quotes += (f & C_QUOTE) != 0;
        ats += (f & C_AT) != 0;
        camel += k > 0 && (prev & C_ASCII_LOWER) && (f & C_ASCII_UPPER);
        if (prev_space && (f & C_UPPER)) {
            cap_start++;
            lead_caps += !broken;
        }
        if (prev_space && (f & (C_LOWER | C_OTHER_LETTER)))
            broken = 1;
        if ((f & C_TERMINAL) && (k + 1 >= len || space_at(&text, k + 1)))
            sentences++;
        if (k >= date_end && c >= '0' && c <= '9') {  /* a run of at most four digits: a date's start? */
            Py_ssize_t r = 1;
            while (r <= 4 && digit_at(&text, k + r))
                r++;
            Py_ssize_t m = r > 4 ? -1 : numdate_at(date_marks, &text, k, r);
            if (m >= 0) {
                dates++;
                date_end = m;
            }
        }
        prev = f;
        prev_c = c;
        /* the token: the character lower-cased, a break at white space and punctuation */
        Py_UCS4 low;
        unsigned low_class;
        if (c < 128) {
            low = c >= 'A' && c <= 'Z' ? c + 32 : c;
            low_class = low == c ? f : table[low];
        } else {
            full_lower |= c == 0x130 || c == 0x3A3;
            low = Py_UNICODE_TOLOWER(c);
            low_class = low == c ? f : class_of(table, low);
        }
        if (Py_UNICODE_ISSPACE(low) || (low < 0x10000 && (low_class & C_TOKEN_BREAK))) {
            if (token_len) {
                count_token(out + line * width, token_bits(book, hash, token, token_len), bits, n_bits);
                token_len = 0;
            }
            continue;
        }
        if (!token_len)
            hash = FNV_START;
        hash = FNV_STEP(hash, low);
        if (token_len < CUE_WORD_MAX)
            token[token_len] = low;
        token_len++;
    }
    return full_lower;
}

/* line_stats(doc, book, bits, table, parts, out): fills ``out`` (n lines x (S_CUES + len(bits))
 * doubles, zeroed) for ``doc``, lines joined by newlines; ``book`` is word_book(the codebook), looked
 * up with the lower-cased tokens. Exactly features._line_stats_numpy: see it for what each count
 * means; ``parts`` is features._PATTERN_PARTS. */
static PyObject *
line_stats(PyObject *self, PyObject *args)
{
    PyObject *doc, *book_obj, *bits_obj, *parts, *out_obj;
    Py_buffer table_buf, out_buf;
    if (!PyArg_ParseTuple(args, "UOO!y*O!O", &doc, &book_obj, &PyTuple_Type, &bits_obj,
                          &table_buf, &PyTuple_Type, &parts, &out_obj))
        return NULL;
    if (!PyCapsule_IsValid(book_obj, BOOK_NAME)) {
        PyErr_SetString(PyExc_TypeError, "line_stats: book must be a word_book()");
        PyBuffer_Release(&table_buf);
        return NULL;
    }
    const word_book_t *book = PyCapsule_GetPointer(book_obj, BOOK_NAME);
    Py_ssize_t *starts = NULL;
    if (PyObject_GetBuffer(out_obj, &out_buf, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | PyBUF_WRITABLE) < 0) {
        PyBuffer_Release(&table_buf);
        return NULL;
    }
    PyObject *result = NULL;
    const char *fmt = out_buf.format ? out_buf.format : "B";
    if (fmt[0] == '<' || fmt[0] == '=' || fmt[0] == '@')
        fmt++;
    if (strcmp(fmt, "d") != 0 || out_buf.itemsize != (Py_ssize_t)sizeof(double)) {
        PyErr_Format(PyExc_TypeError, "line_stats: out must hold doubles, not format '%s'", out_buf.format);
        goto done;
    }
    long bits[MAX_CUES];
    Py_ssize_t n_bits = PyTuple_GET_SIZE(bits_obj);
    if (n_bits > MAX_CUES) {
        PyErr_Format(PyExc_ValueError, "line_stats: at most %d cue lists", MAX_CUES);
        goto done;
    }
    for (Py_ssize_t j = 0; j < n_bits; j++) {
        bits[j] = PyLong_AsLong(PyTuple_GET_ITEM(bits_obj, j));
        if (bits[j] == -1 && PyErr_Occurred())
            goto done;
    }
    if (table_buf.len != 0x10000 * (Py_ssize_t)sizeof(uint16_t)) {
        PyErr_SetString(PyExc_ValueError, "line_stats: the class table needs 65536 uint16 entries");
        goto done;
    }
    if (PyTuple_GET_SIZE(parts) != 7 || !PyTuple_Check(PyTuple_GET_ITEM(parts, 0))) {
        PyErr_SetString(PyExc_TypeError, "line_stats: parts must be (openers, separators, year, month, day, more, arrows)");
        goto done;
    }
    for (Py_ssize_t j = 0; j < 7; j++) {
        PyObject *item = PyTuple_GET_ITEM(parts, j);
        Py_ssize_t m = j ? 1 : PyTuple_GET_SIZE(item);
        for (Py_ssize_t q = 0; q < m; q++)
            if (!PyUnicode_Check(j ? item : PyTuple_GET_ITEM(item, q))) {
                PyErr_SetString(PyExc_TypeError, "line_stats: the pattern parts must be strings");
                goto done;
            }
    }
    const uint16_t *table = table_buf.buf;
    const int kind = PyUnicode_KIND(doc);
    const void *data = PyUnicode_DATA(doc);
    const Py_ssize_t len = PyUnicode_GET_LENGTH(doc);
    Py_ssize_t n = 1 + count_newlines(kind, data, len);
    const Py_ssize_t width = S_CUES + n_bits;
    if (out_buf.len != n * width * (Py_ssize_t)sizeof(double)) {
        PyErr_Format(PyExc_ValueError, "line_stats: out holds %zd bytes, %zd lines need %zd", out_buf.len, n,
                     n * width * (Py_ssize_t)sizeof(double));
        goto done;
    }
    double *out = out_buf.buf;
    starts = PyMem_Malloc((size_t)n * 2 * sizeof(Py_ssize_t));  /* each line's start, then its end */
    if (!starts) { PyErr_NoMemory(); goto done; }
    Py_ssize_t *ends = starts + n;
    PyObject *date_marks[4] = {PyTuple_GET_ITEM(parts, 1), PyTuple_GET_ITEM(parts, 2), PyTuple_GET_ITEM(parts, 3),
                               PyTuple_GET_ITEM(parts, 4)};
    int full_lower;
    if (kind == PyUnicode_1BYTE_KIND)
        full_lower = char_pass(PyUnicode_1BYTE_KIND, data, len, table, book, bits, n_bits, date_marks, out, width,
                               starts, ends);
    else if (kind == PyUnicode_2BYTE_KIND)
        full_lower = char_pass(PyUnicode_2BYTE_KIND, data, len, table, book, bits, n_bits, date_marks, out, width,
                               starts, ends);
    else
        full_lower = char_pass(PyUnicode_4BYTE_KIND, data, len, table, book, bits, n_bits, date_marks, out, width,
                               starts, ends);
    const Text text = {kind, data, len};
    pattern_counts(parts, &text, starts, ends, n, out, width);
    if (full_lower || book->longest > CUE_WORD_MAX) {  /* the tokens again, of str.lower's text */
        for (Py_ssize_t i = 0; i < n; i++)
            memset(out + i * width + S_TOKENS, 0, (size_t)(width - S_TOKENS) * sizeof(double));
        PyObject *low = PyObject_CallMethod(doc, "lower", NULL);
        int failed = !low || count_lowered_tokens(low, book, table, bits, n_bits, out, width, n) < 0;
        Py_XDECREF(low);
        if (failed)
            goto done;
    }
    result = Py_NewRef(Py_None);
done:
    PyMem_Free(starts);
    PyBuffer_Release(&table_buf);
    PyBuffer_Release(&out_buf);
    return result;
}


/* The buffers of the C-contiguous arrays of doubles ``objs`` (with ``writes_last``, the last one
 * written to) into ``bufs``; ``*held`` tells how many the caller must release. -1 with an exception
 * set when one cannot be read. */
static int
double_buffers(const char *name, PyObject *const *objs, Py_buffer *bufs, int count, int writes_last, int *held)
{
    for (*held = 0; *held < count; (*held)++) {
        int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writes_last && *held == count - 1 ? PyBUF_WRITABLE : 0);
        if (PyObject_GetBuffer(objs[*held], &bufs[*held], flags) < 0)
            return -1;
        const char *f = bufs[*held].format ? bufs[*held].format : "B";
        if (f[0] == '<' || f[0] == '=' || f[0] == '@')
            f++;
        if (strcmp(f, "d") != 0) {
            (*held)++;
            PyErr_Format(PyExc_TypeError, "%s: arrays of doubles are needed", name);
            return -1;
        }
    }
    return 0;
}

static void
release_buffers(Py_buffer *bufs, int held)
{
    for (int j = 0; j < held; j++)
        PyBuffer_Release(&bufs[j]);
}

/* numpy's sum of n doubles (pairwise, in blocks of eight: numpy's DOUBLE_pairwise_sum), so
 * that a total is the same to the last bit as ``array.sum()`` gives it. */
static double
pairwise_sum(const double *a, Py_ssize_t n)
{
    if (n < 8) {
        double res = 0.;
        for (Py_ssize_t i = 0; i < n; i++)
            res += a[i];
        return res;
    }
    if (n <= 128) {
        double r[8];
        Py_ssize_t i;
        for (int j = 0; j < 8; j++)
            r[j] = a[j];
        for (i = 8; i < n - (n % 8); i += 8)
            for (int j = 0; j < 8; j++)
                r[j] += a[i + j];
        double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; i++)
            res += a[i];
        return res;
    }
    Py_ssize_t n2 = n / 2;
    n2 -= n2 % 8;
    return pairwise_sum(a, n2) + pairwise_sum(a + n2, n - n2);
}

/* features._window_mean of column ``col`` of the row-major matrix ``m`` (``width`` doubles a
 * row) into column ``to`` of ``out`` (``out_width``): sums in the order numpy's cumsum adds. */
static void
window_mean(const double *m, Py_ssize_t width, Py_ssize_t col, Py_ssize_t n, Py_ssize_t half,
            double *prefix, double *out, Py_ssize_t out_width, Py_ssize_t to)
{
    double s = 0.;
    for (Py_ssize_t i = 0; i < n; i++) {
        s += m[i * width + col];
        prefix[i] = s;
    }
    const double size = (double)(2 * half + 1);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t hi = i + half < n ? i + half : n - 1, lo = i - half - 1;
        out[i * out_width + to] = (prefix[hi] - (lo >= 0 ? prefix[lo] : 0.)) / size;
    }
}

static int
int_tuple(PyObject *t, Py_ssize_t *values, Py_ssize_t max, Py_ssize_t *count, Py_ssize_t low, Py_ssize_t bound)
{
    if (!PyTuple_Check(t) || PyTuple_GET_SIZE(t) > max) {
        PyErr_SetString(PyExc_ValueError, "a tuple of numbers is too long or not a tuple");
        return -1;
    }
    *count = PyTuple_GET_SIZE(t);
    for (Py_ssize_t j = 0; j < *count; j++) {
        values[j] = PyLong_AsSsize_t(PyTuple_GET_ITEM(t, j));
        if (values[j] == -1 && PyErr_Occurred())
            return -1;
        if (values[j] < low || values[j] >= bound) {
            PyErr_SetString(PyExc_ValueError, "a number (a column, a size, an offset) is out of range");
            return -1;
        }
    }
    return 0;
}

#define MAX_COLS 64
/* Columns of REGION_NAMES that features._context applies log1p to afterwards (numpy's log1p
 * is not libm's to the last bit on every machine): here they hold the counts. */
enum {
    R_REL, R_BEFORE_MAIN, R_AFTER_MAIN, R_DIST, R_LOG_LINES, R_PROSE_SHARE, R_MASS_BEFORE, R_MASS_AFTER,
    R_RUN_REL, R_RUN_REL_WIN, R_BEFORE_CORE, R_AFTER_CORE, R_AFTER_LEGAL, R_COMMENT_ABOVE, R_COMMENT_BELOW,
    R_RELATED_ABOVE, R_PERIODIC, R_COUNT,
};

/* context_features(base, words, chars, columns, sizes, out): the line features that look beyond a
 * line (features._context's twin): neighbours, windows and the main-text region, from ``base``
 * (n x B doubles, features.base_features), ``words`` and ``chars`` (each line's word and character
 * counts as exp1m of its log columns gives them) into ``out`` (n x F doubles, F = B + 2 near +
 * 2 far + window + R_COUNT). ``columns``: (near, far, window) tuples of base columns, then the
 * base columns end_terminal, title_ratio, pat_legal, comment_head, pat_said, related_head.
 * ``sizes``: (context window, density half-window, main-region share, prose words, periodic
 * half-window, periods). */
static PyObject *
context_features(PyObject *self, PyObject *args)
{
    PyObject *base_obj, *words_obj, *chars_obj, *columns, *sizes, *out_obj;
    if (!PyArg_ParseTuple(args, "OOOO!O!O", &base_obj, &words_obj, &chars_obj, &PyTuple_Type, &columns,
                          &PyTuple_Type, &sizes, &out_obj))
        return NULL;
    Py_buffer bufs[4];
    PyObject *objs[4] = {base_obj, words_obj, chars_obj, out_obj};
    int held = 0;
    PyObject *result = NULL;
    double *tmp = NULL;
    if (double_buffers("context_features", objs, bufs, 4, 1, &held) < 0)
        goto done;
    const Py_ssize_t n = bufs[1].len / (Py_ssize_t)sizeof(double);
    if (bufs[2].len != bufs[1].len || n == 0 || bufs[0].len % (n * (Py_ssize_t)sizeof(double))) {
        PyErr_SetString(PyExc_ValueError, "context_features: base, words and chars must have the same lines");
        goto done;
    }
    const Py_ssize_t B = bufs[0].len / (n * (Py_ssize_t)sizeof(double));
    Py_ssize_t near[MAX_COLS], far[MAX_COLS], win[MAX_COLS], named[6], n_near, n_far, n_win, n_named;
    if (PyTuple_GET_SIZE(columns) != 4 || PyTuple_GET_SIZE(sizes) != 6) {
        PyErr_SetString(PyExc_ValueError, "context_features: columns needs 4 entries, sizes 6");
        goto done;
    }
    if (int_tuple(PyTuple_GET_ITEM(columns, 0), near, MAX_COLS, &n_near, 0, B) < 0 ||
        int_tuple(PyTuple_GET_ITEM(columns, 1), far, MAX_COLS, &n_far, 0, B) < 0 ||
        int_tuple(PyTuple_GET_ITEM(columns, 2), win, MAX_COLS, &n_win, 0, B) < 0 ||
        int_tuple(PyTuple_GET_ITEM(columns, 3), named, 6, &n_named, 0, B) < 0)
        goto done;
    if (n_named != 6) {
        PyErr_SetString(PyExc_ValueError, "context_features: six named columns are needed");
        goto done;
    }
    Py_ssize_t context = PyLong_AsSsize_t(PyTuple_GET_ITEM(sizes, 0));
    Py_ssize_t density = PyLong_AsSsize_t(PyTuple_GET_ITEM(sizes, 1));
    double share = PyFloat_AsDouble(PyTuple_GET_ITEM(sizes, 2));
    double prose_words = PyFloat_AsDouble(PyTuple_GET_ITEM(sizes, 3));
    Py_ssize_t periodic_half = PyLong_AsSsize_t(PyTuple_GET_ITEM(sizes, 4));
    Py_ssize_t periods[8], n_periods;
    if (PyErr_Occurred() || int_tuple(PyTuple_GET_ITEM(sizes, 5), periods, 8, &n_periods, 0, PY_SSIZE_T_MAX) < 0)
        goto done;
    if (context < 0 || density < 0 || periodic_half < 0) {
        PyErr_SetString(PyExc_ValueError, "context_features: negative window");
        goto done;
    }
    const Py_ssize_t F = B + 2 * n_near + 2 * n_far + n_win + R_COUNT;
    if (bufs[3].len != n * F * (Py_ssize_t)sizeof(double)) {
        PyErr_Format(PyExc_ValueError, "context_features: out must hold %zd x %zd doubles", n, F);
        goto done;
    }
    const double *base = bufs[0].buf, *words = bufs[1].buf, *chars = bufs[2].buf;
    double *out = bufs[3].buf;
    const Py_ssize_t c_terminal = named[0], c_title = named[1], c_legal = named[2], c_comment = named[3],
                     c_said = named[4], c_related = named[5];
    /* scratch: a prefix-sum column, mass, dens, per-line run chars, run sums, shapes, hits */
    tmp = PyMem_Malloc(((size_t)n * 7 + 1) * sizeof(double));
    if (!tmp) { PyErr_NoMemory(); goto done; }
    double *prefix = tmp, *mass = tmp + n, *dens = tmp + 2 * n, *per_line = tmp + 3 * n, *hit = tmp + 4 * n,
           *best = tmp + 5 * n, *run_sum = tmp + 6 * n;  /* (n + 1 runs at most) */

    /* the line itself, its neighbours and the window around it */
    for (Py_ssize_t i = 0; i < n; i++) {
        double *row = out + i * F;
        memcpy(row, base + i * B, (size_t)B * sizeof(double));
        Py_ssize_t at = B;
        for (int side = 0; side < 2; side++) {  /* near@-1, near@+1 */
            Py_ssize_t j = side ? i + 1 : i - 1;
            for (Py_ssize_t k = 0; k < n_near; k++)
                row[at++] = j >= 0 && j < n ? base[j * B + near[k]] : 0.;
        }
        for (int side = 0; side < 2; side++) {  /* far@-2, far@+2 */
            Py_ssize_t j = side ? i + 2 : i - 2;
            for (Py_ssize_t k = 0; k < n_far; k++)
                row[at++] = j >= 0 && j < n ? base[j * B + far[k]] : 0.;
        }
    }
    const Py_ssize_t at_win = B + 2 * n_near + 2 * n_far, R = at_win + n_win;
    for (Py_ssize_t k = 0; k < n_win; k++)
        window_mean(base, B, win[k], n, context, prefix, out, F, at_win + k);

    /* the main-text region: where the density of prose peaks (features._region) */
    Py_ssize_t prose_lines = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        int prose = words[i] >= prose_words && base[i * B + c_terminal] > 0;
        mass[i] = prose ? chars[i] : 0.;
        prose_lines += prose;
    }
    window_mean(mass, 1, 0, n, density, prefix, dens, 1, 0);
    double peak = dens[0];
    for (Py_ssize_t i = 1; i < n; i++)
        peak = dens[i] > peak ? dens[i] : peak;
    Py_ssize_t lo = -1, hi = -1;
    for (Py_ssize_t i = 0; i < n; i++) {
        double rel = peak > 0 ? dens[i] / peak : 0.;
        out[i * F + R + R_REL] = rel;
        if (rel >= share) {
            if (lo < 0) lo = i;
            hi = i;
        }
    }
    if (lo < 0) { lo = 0; hi = n - 1; }
    double total = pairwise_sum(mass, n);
    total = total > 1.0 ? total : 1.0;
    /* the core: the longest run of prose-length lines, by characters (features._core_run) */
    Py_ssize_t run = 0;
    for (Py_ssize_t i = 0; i <= n; i++)
        run_sum[i] = 0.;
    for (Py_ssize_t i = 0; i < n; i++) {  /* run ids as cumsum(~prose) numbers them; bincount's order */
        int prose = words[i] >= prose_words;
        run += !prose;
        run_sum[run] += prose ? chars[i] : 0.;
        hit[i] = (double)run;
    }
    double core_peak = 0.;
    Py_ssize_t core_first = -1, core_last = -1;
    for (Py_ssize_t i = 0; i < n; i++) {
        int prose = words[i] >= prose_words;
        per_line[i] = prose ? run_sum[(Py_ssize_t)hit[i]] : 0.;
        if (i == 0 || per_line[i] > core_peak)
            core_peak = per_line[i];
    }
    for (Py_ssize_t i = 0; i < n; i++)
        if (per_line[i] == core_peak) {
            if (core_first < 0) core_first = i;
            core_last = i;
        }
    double mass_seen = 0.;
    Py_ssize_t legal_seen = 0, comment_seen = 0, comments = 0, related = -1;
    for (Py_ssize_t i = 0; i < n; i++)
        comments += base[i * B + c_comment] > 0 || base[i * B + c_said] > 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        double *r = out + i * F + R;
        const double *b = base + i * B;
        r[R_BEFORE_MAIN] = i < lo;
        r[R_AFTER_MAIN] = i > hi;
        r[R_DIST] = (double)(i < lo ? lo - i : i > hi ? i - hi : 0);
        r[R_LOG_LINES] = (double)n;
        r[R_PROSE_SHARE] = (double)prose_lines / (double)n;
        mass_seen += mass[i];
        double before = (mass_seen - mass[i]) / total;
        r[R_MASS_BEFORE] = before;
        r[R_MASS_AFTER] = 1.0 - before - mass[i] / total;
        if (core_peak > 0) {
            r[R_RUN_REL] = per_line[i] / core_peak;
            r[R_BEFORE_CORE] = (double)(core_first - i > 0 ? core_first - i : 0);
            r[R_AFTER_CORE] = (double)(i - core_last > 0 ? i - core_last : 0);
        } else {
            r[R_RUN_REL] = r[R_BEFORE_CORE] = r[R_AFTER_CORE] = 0.;
        }
        r[R_AFTER_LEGAL] = legal_seen > 0;
        legal_seen += b[c_legal] > 0;
        int comment = b[c_comment] > 0 || b[c_said] > 0;
        r[R_COMMENT_ABOVE] = comment_seen > 0;
        comment_seen += comment;
        r[R_COMMENT_BELOW] = comments - comment_seen > 0;
        r[R_RELATED_ABOVE] = (double)(related >= 0 ? i - related : n + 1);
        if (b[c_related] > 0)
            related = i;
    }
    window_mean(out, F, R + R_RUN_REL, n, context, prefix, out, F, R + R_RUN_REL_WIN);

    /* repeating patterns of line shapes (features._periodic); shapes kept in run_sum */
    for (Py_ssize_t i = 0; i < n; i++) {
        double w = words[i];
        int size = (w >= 4) + (w >= 10) + (w >= 20);
        int titled = base[i * B + c_title] >= 0.6 && w < 10;
        run_sum[i] = (double)(size * 4 + (int)base[i * B + c_terminal] * 2 + titled);
        best[i] = 0.;
    }
    for (Py_ssize_t p = 0; p < n_periods; p++) {
        Py_ssize_t k = periods[p];
        if (n <= k)
            break;
        for (Py_ssize_t i = 0; i < n; i++)
            hit[i] = i < n - k && run_sum[i] == run_sum[i + k] && run_sum[i] != run_sum[i + 1];
        window_mean(hit, 1, 0, n, periodic_half, prefix, dens, 1, 0);
        for (Py_ssize_t i = 0; i < n; i++) {
            int part = hit[i] > 0 || (i >= k && hit[i - k] > 0);
            double v = part ? dens[i] : 0.;
            best[i] = v > best[i] ? v : best[i];
        }
    }
    for (Py_ssize_t i = 0; i < n; i++)
        out[i * F + R + R_PERIODIC] = best[i];
    result = Py_NewRef(Py_None);
done:
    PyMem_Free(tmp);
    release_buffers(bufs, held);
    return result;
}

/* The columns base_columns writes, in this order (features.BASE_NAMES, which uses it only when
 * equal to the module's BASE_NAMES). */
#define BASE_COLUMNS(X) \
    X(LOG_CHARS, "log_chars") X(LOG_WORDS, "log_words") X(STOP_RATIO, "stop_ratio") \
    X(END_TERMINAL, "end_terminal") X(END_ELLIPSIS, "end_ellipsis") X(END_COLON, "end_colon") \
    X(PUNCT_RATIO, "punct_ratio") X(DIGIT_RATIO, "digit_ratio") X(UPPER_RATIO, "upper_ratio") \
    X(TITLE_RATIO, "title_ratio") X(ALL_CAPS, "all_caps") X(LINK_SHARE, "link_share") X(HAS_LINK, "has_link") \
    X(HEADING, "heading") X(LIST_ITEM, "list_item") X(BLANK_BEFORE, "blank_before") \
    X(LOG_SENTENCES, "log_sentences") X(COMMA_RATIO, "comma_ratio") X(AVG_WORD_LEN, "avg_word_len") \
    X(SHORT, "short") X(REPEATED, "repeated") X(REL_POS, "rel_pos") X(PAT_BYLINE, "pat_byline") \
    X(PAT_DATE, "pat_date") X(PAT_COUNTER, "pat_counter") X(PAT_CTA, "pat_cta") X(PAT_SOCIAL, "pat_social") \
    X(PAT_URL, "pat_url") X(PAT_LEGAL, "pat_legal") X(PAT_SEPARATOR, "pat_separator") X(PAT_QUOTE, "pat_quote") \
    X(END_ARROW, "end_arrow") X(LEAD_CAPS, "lead_caps") X(COMMENT_HEAD, "comment_head") \
    X(RELATED_HEAD, "related_head") X(PAT_SAID, "pat_said") X(CAMEL_JOINS, "camel_joins")
#define AS_ENUM(id, name) B_##id,
#define AS_NAME(id, name) name,
enum { BASE_COLUMNS(AS_ENUM) B_COUNT };
static const char *base_names[] = {BASE_COLUMNS(AS_NAME)};
enum { CUE_MONTH, CUE_CTA, CUE_SOCIAL, CUE_URL, CUE_LEGAL, CUE_COMMENT, CUE_RELATED, CUE_COUNT };

static inline double
at_most(double v, double limit)  /* np.minimum(v, limit) */
{
    return v < limit ? v : limit;
}

/* A line's flag or count attribute as a double; -1 (an exception set) when it cannot be read. */
static int
line_attr(PyObject *line, PyObject *name, int truth, double *value)
{
    PyObject *v = PyObject_GetAttr(line, name);
    if (!v)
        return -1;
    if (truth) {
        int t = PyObject_IsTrue(v);
        Py_DECREF(v);
        if (t < 0)
            return -1;
        *value = t;
        return 0;
    }
    *value = PyFloat_AsDouble(v);
    Py_DECREF(v);
    return *value == -1.0 && PyErr_Occurred() ? -1 : 0;
}

/* A line's anchor_chars, and whether it has links, is a heading, a list item, has a blank line before:
 * read from its slots where it is a Line (``m``'s type) with them set, else by name (the attribute
 * lookups were half of base_columns' time). */
static int
line_flags(const line_maker *m, PyObject *line, PyObject *const *names, double *anchor, double *has_link,
           double *heading, double *list_item, double *blank)
{
    static const int fields[5] = {L_ANCHOR_CHARS, L_LINKS, L_HEADING, L_LIST_ITEM, L_BLANK_BEFORE};
    double *values[5] = {anchor, has_link, heading, list_item, blank};
    for (int j = 0; j < 5; j++) {
        PyObject *v = Py_TYPE(line) == m->type ? *(PyObject **)((char *)line + m->offset[fields[j]]) : NULL;
        if (v == NULL) {  /* (not a Line, or the slot unset: the lookup by name, which raises then) */
            if (line_attr(line, names[j], j > 0, values[j]) < 0)
                return -1;
            continue;
        }
        if (j == 0) {
            *values[j] = PyFloat_AsDouble(v);
            if (*values[j] == -1.0 && PyErr_Occurred())
                return -1;
        } else {
            int t = PyObject_IsTrue(v);
            if (t < 0)
                return -1;
            *values[j] = t;
        }
    }
    return 0;
}

/* base_columns(stats, cues, lines, stops, words, chars, repeated, said, limits, out, line_type, slots): the features
 * of each line alone (features._base_numpy's twin) into ``out`` (n x B_COUNT doubles), from the
 * line statistics (n x features.LINE_STATS, ``cues`` its month, cta, social, url, legal, comment
 * and related columns), the Line records, and per line its stop words, words, characters, whether
 * its text recurs and whether it ends in a verb of saying. ``limits``: (section head words,
 * comment head words, camel joins, leading capitals). log_chars, log_words and log_sentences are
 * left as counts for numpy's log1p. */
static PyObject *
base_columns(PyObject *self, PyObject *args)
{
    PyObject *objs[7], *cue_obj, *lines, *limits, *line_type, *slots;
    if (!PyArg_ParseTuple(args, "OO!O!OOOOOO!OOO", &objs[0], &PyTuple_Type, &cue_obj, &PyList_Type, &lines, &objs[1],
                          &objs[2], &objs[3], &objs[4], &objs[5], &PyTuple_Type, &limits, &objs[6], &line_type, &slots))
        return NULL;
    line_maker m;
    if (line_maker_of(line_type, slots, &m) < 0)
        return NULL;
    static PyObject *names[5];
    static const char *attrs[5] = {"anchor_chars", "links", "heading", "list_item", "blank_before"};
    for (int j = 0; j < 5; j++)
        if (!names[j] && !(names[j] = PyUnicode_InternFromString(attrs[j])))
            return NULL;
    Py_buffer bufs[7];
    int held = 0;
    PyObject *result = NULL;
    if (double_buffers("base_columns", objs, bufs, 7, 1, &held) < 0)
        goto done;
    const Py_ssize_t n = PyList_GET_SIZE(lines);
    const Py_ssize_t bytes = n * (Py_ssize_t)sizeof(double);
    Py_ssize_t cue[CUE_COUNT], n_cue, limit[4], n_limit;
    if (n == 0 || bufs[0].len % bytes || bufs[6].len != bytes * B_COUNT || bufs[1].len != bytes ||
        bufs[2].len != bytes || bufs[3].len != bytes || bufs[4].len != bytes || bufs[5].len != bytes) {
        PyErr_Format(PyExc_ValueError, "base_columns: the arrays must have the %zd lines of ``lines`` (out %d columns)",
                     n, B_COUNT);
        goto done;
    }
    const Py_ssize_t S = bufs[0].len / bytes;
    if (S < S_CUES || int_tuple(cue_obj, cue, CUE_COUNT, &n_cue, 0, S) < 0 ||
        int_tuple(limits, limit, 4, &n_limit, 0, PY_SSIZE_T_MAX) < 0 || n_cue != CUE_COUNT || n_limit != 4) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_ValueError, "base_columns: stats, cues or limits do not fit");
        goto done;
    }
    const double *stats = bufs[0].buf, *stops = bufs[1].buf, *words = bufs[2].buf, *chars = bufs[3].buf,
                 *repeated = bufs[4].buf, *said = bufs[5].buf;
    double *out = bufs[6].buf;
    const double section_words = (double)limit[0], comment_words = (double)limit[1], camel_max = (double)limit[2],
                 caps_max = (double)limit[3], last = (double)(n - 1 > 1 ? n - 1 : 1);
    for (Py_ssize_t i = 0; i < n; i++) {
        const double *s = stats + i * S;
        double *f = out + i * B_COUNT;
        PyObject *line = PyList_GET_ITEM(lines, i);
        double anchor, has_link, heading, list_item, blank;
        if (line_flags(&m, line, names, &anchor, &has_link, &heading, &list_item, &blank) < 0)
            goto done;
        const double w = words[i], letters = s[S_LETTER] > 1.0 ? s[S_LETTER] : 1.0;
        const int unterminated = s[S_TERMINAL] == 0;
        f[B_LOG_CHARS] = chars[i];
        f[B_LOG_WORDS] = w;
        f[B_STOP_RATIO] = at_most(stops[i] / w, 1.0);
        f[B_END_TERMINAL] = s[S_TERMINAL];
        f[B_END_ELLIPSIS] = s[S_ELLIPSIS] > 0;
        f[B_END_COLON] = s[S_COLON];
        f[B_PUNCT_RATIO] = s[S_PUNCT] / chars[i];
        f[B_DIGIT_RATIO] = s[S_DIGIT] / chars[i];
        f[B_UPPER_RATIO] = s[S_UPPER] / letters;
        f[B_TITLE_RATIO] = at_most(s[S_CAP_START] / w, 1.0);
        f[B_ALL_CAPS] = s[S_UPPER] >= 2 && s[S_UPPER] == s[S_LETTER];
        f[B_LINK_SHARE] = at_most(anchor / chars[i], 1.0);
        f[B_HAS_LINK] = has_link;
        f[B_HEADING] = heading;
        f[B_LIST_ITEM] = list_item;
        f[B_BLANK_BEFORE] = blank;
        f[B_LOG_SENTENCES] = s[S_SENTENCE];
        f[B_COMMA_RATIO] = s[S_COMMA] / w;
        f[B_AVG_WORD_LEN] = at_most(letters / w, 20.0) / 10.0;
        f[B_SHORT] = w <= 3;
        f[B_REPEATED] = repeated[i];
        f[B_REL_POS] = (double)i / last;
        f[B_PAT_BYLINE] = s[S_BYLINE];
        f[B_PAT_DATE] = at_most(s[S_NUMDATE] + s[cue[CUE_MONTH]], 3.0);
        f[B_PAT_COUNTER] = s[S_COUNTER];
        f[B_PAT_CTA] = at_most(s[cue[CUE_CTA]], 3.0);
        f[B_PAT_SOCIAL] = at_most(s[cue[CUE_SOCIAL]], 3.0);
        f[B_PAT_URL] = at_most(s[cue[CUE_URL]] + s[S_AT], 3.0);
        f[B_PAT_LEGAL] = at_most(s[cue[CUE_LEGAL]], 3.0);
        f[B_PAT_SEPARATOR] = at_most(s[S_SEPARATOR], 5.0);
        f[B_PAT_QUOTE] = at_most(s[S_QUOTE], 3.0);
        f[B_END_ARROW] = s[S_ARROW];
        f[B_LEAD_CAPS] = at_most(s[S_LEAD_CAPS], caps_max);
        f[B_COMMENT_HEAD] = w <= comment_words && unterminated && s[cue[CUE_COMMENT]] > 0;
        f[B_RELATED_HEAD] = w <= section_words && unterminated && s[cue[CUE_RELATED]] > 0;
        f[B_PAT_SAID] = said[i];
        f[B_CAMEL_JOINS] = at_most(s[S_CAMEL], camel_max);
    }
    result = Py_NewRef(Py_None);
done:
    release_buffers(bufs, held);
    return result;
}

/* ---- The first pass of rules.apply_rules (rules._rule_cues' twin) ---- */

/* Whether every word of t (its runs of letters, LETTER_RUN's) lower-cased is in the book with ``cta``
 * or ``stop`` bits, and one with ``cta`` (rules._cta_only): 1 or 0; -1 where a word holds a letter
 * whose lower case is not its one-character one (U+0130, U+03A3: left to str.lower). A word longer
 * than any the book can hold is in none of its lists. */
static int
cta_words(const Text *t, const word_book_t *book, long stop, long cta)
{
    Py_UCS4 low[CUE_WORD_MAX];
    int any_cta = 0, words = 0;
    Py_ssize_t k = 0;
    while (k < t->len) {
        while (k < t->len && !letter(char_at(t, k)))
            k++;
        if (k >= t->len)
            break;
        Py_ssize_t len = 0;
        uint64_t h = FNV_START;
        for (; k < t->len; k++) {
            Py_UCS4 c = char_at(t, k);
            if (!letter(c))
                break;
            if (c == 0x130 || c == 0x3A3)
                return -1;
            c = c < 128 ? (c >= 'A' && c <= 'Z' ? c + 32 : c) : Py_UNICODE_TOLOWER(c);
            if (len < CUE_WORD_MAX)
                low[len] = c;
            len++;
            h = FNV_STEP(h, c);
        }
        if (len > CUE_WORD_MAX && len <= book->longest)
            return -1;  /* (a word longer than those held here, which the book may hold: the twin decides) */
        long bits = len <= CUE_WORD_MAX ? book_bits(book, h, PyUnicode_4BYTE_KIND, low, 0, len) : 0;
        if (!(bits & (cta | stop)))  /* (all() is then False whatever the words after it hold) */
            return 0;
        any_cta |= (bits & cta) != 0;
        words++;
    }
    return words > 0 && any_cta;
}

/* Whether CALL_TO_ACTION may match t (rules._may_call_to_action): one of ``needles`` (lower-case
 * ASCII) in it, ASCII letters compared in either case, or one of ``folds`` (the letters outside ASCII
 * that re.I folds onto them). One pass: a needle is compared only where its first letter stands. */
static int
may_call(const Text *t, PyObject *needles, const Text *folds)
{
    uint64_t first[2] = {0, 0};
    for (Py_ssize_t q = 0; q < PyTuple_GET_SIZE(needles); q++) {
        PyObject *needle = PyTuple_GET_ITEM(needles, q);
        Py_UCS4 c = PyUnicode_GET_LENGTH(needle) ? PyUnicode_READ_CHAR(needle, 0) : 0;
        if (c == 0 || c >= 128)
            return 1;  /* (an empty needle is in every text; none other is lower-case ASCII) */
        first[c >> 6] |= (uint64_t)1 << (c & 63);
        if (c >= 'a' && c <= 'z')
            first[(c - 32) >> 6] |= (uint64_t)1 << ((c - 32) & 63);
    }
    for (Py_ssize_t k = 0; k < t->len; k++) {
        const Py_UCS4 c = char_at(t, k);
        if (c >= 128) {
            for (Py_ssize_t q = 0; q < folds->len; q++)
                if (char_at(folds, q) == c)
                    return 1;
            continue;
        }
        if (!((first[c >> 6] >> (c & 63)) & 1))
            continue;
        for (Py_ssize_t q = 0; q < PyTuple_GET_SIZE(needles); q++)
            if (word_at(PyTuple_GET_ITEM(needles, q), t, k, 1))
                return 1;
    }
    return 0;
}

/* rule_cues(texts, kept, repeated, book, (stop, cta), (repeated_max, cta_max, sentence_max), first_prose,
 * needles, folds, openers) -> [(line, code)]: for each body line ``kept`` lists, what rules.apply_rules'
 * first pass needs to know of it, as rules._rule_cues computes it (its twin): the codes
 * rules.CUE_* add up; lines with none are left out. */
static PyObject *
rule_cues(PyObject *self, PyObject *args)
{
    PyObject *texts, *kept, *repeated, *capsule, *bits_obj, *limits_obj, *needles, *folds, *openers;
    Py_ssize_t first_prose;
    if (!PyArg_ParseTuple(args, "O!O!OOO!O!nO!UU", &PyList_Type, &texts, &PyList_Type, &kept, &repeated, &capsule,
                          &PyTuple_Type, &bits_obj, &PyTuple_Type, &limits_obj, &first_prose, &PyTuple_Type, &needles,
                          &folds, &openers))
        return NULL;
    if (!PyAnySet_Check(repeated)) {
        PyErr_SetString(PyExc_TypeError, "rule_cues: repeated must be a set");
        return NULL;
    }
    const word_book_t *book = PyCapsule_GetPointer(capsule, BOOK_NAME);
    if (book == NULL)
        return NULL;
    long stop, cta;
    Py_ssize_t repeated_max, cta_max, sentence_max;
    if (!PyArg_ParseTuple(bits_obj, "ll", &stop, &cta) ||
        !PyArg_ParseTuple(limits_obj, "nnn", &repeated_max, &cta_max, &sentence_max))
        return NULL;
    for (Py_ssize_t j = 0; j < PyTuple_GET_SIZE(needles); j++)
        if (!PyUnicode_Check(PyTuple_GET_ITEM(needles, j))) {
            PyErr_SetString(PyExc_TypeError, "rule_cues: needles must be strings");
            return NULL;
        }
    const Text fold = text_of(folds), open = text_of(openers);
    PyObject *out = PyList_New(0);
    if (!out)
        return NULL;
    const Py_ssize_t n = PyList_GET_SIZE(texts);
    for (Py_ssize_t j = 0; j < PyList_GET_SIZE(kept); j++) {
        Py_ssize_t i = PyLong_AsSsize_t(PyList_GET_ITEM(kept, j));
        if (i == -1 && PyErr_Occurred())
            goto fail;
        if (i < 0 || i >= n) {
            PyErr_SetString(PyExc_IndexError, "rule_cues: a kept line past the texts");
            goto fail;
        }
        PyObject *text = PyList_GET_ITEM(texts, i);
        if (!PyUnicode_Check(text)) {
            PyErr_SetString(PyExc_TypeError, "rule_cues: texts must be strings");
            goto fail;
        }
        const Text t = text_of(text);
        const Py_ssize_t words = words_upto(&t, sentence_max);
        long code = 0;
        int r = words <= repeated_max ? PySet_Contains(repeated, text) : 0;
        if (r < 0)
            goto fail;
        if (r)
            code = 1;
        else {
            int only = words <= cta_max ? cta_words(&t, book, stop, cta) : 0;
            if (only)
                code = only > 0 ? 2 : 4;
            if (only <= 0) {  /* (not known to be only call-to-action words: the later tests' cues too) */
                code |= words <= sentence_max && may_call(&t, needles, &fold) ? 8 : 0;
                if (i > first_prose && t.len > 0) {
                    Py_UCS4 c0 = char_at(&t, 0);
                    for (Py_ssize_t q = 0; q < open.len; q++)
                        if (char_at(&open, q) == c0) {
                            code |= 16;
                            break;
                        }
                }
            }
        }
        if (code && append_new(out, Py_BuildValue("(nl)", i, code)) < 0)
            goto fail;
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}


/* score_context(p, offsets, halves, threshold, out): features.score_context's twin into ``out``
 * (n x (len(offsets) + len(halves) + 5) doubles): the scores of the lines ``offsets`` away, their
 * means over windows of ``halves``, the highest score before and after, the shares of body lines
 * (score >= threshold) before and after, and the length of the line's run of body or other lines,
 * signed (+ body, - other) for numpy's log1p. */
static PyObject *
score_context(PyObject *self, PyObject *args)
{
    PyObject *objs[2], *offsets_obj, *halves_obj;
    double threshold;
    if (!PyArg_ParseTuple(args, "OO!O!dO", &objs[0], &PyTuple_Type, &offsets_obj, &PyTuple_Type, &halves_obj,
                          &threshold, &objs[1]))
        return NULL;
    Py_buffer bufs[2];
    int held = 0;
    PyObject *result = NULL;
    double *prefix = NULL;
    Py_ssize_t offsets[16], halves[16], n_off, n_half;
    if (double_buffers("score_context", objs, bufs, 2, 1, &held) < 0)
        goto done;
    if (int_tuple(halves_obj, halves, 16, &n_half, 0, PY_SSIZE_T_MAX) < 0 ||
        int_tuple(offsets_obj, offsets, 16, &n_off, -PY_SSIZE_T_MAX, PY_SSIZE_T_MAX) < 0)
        goto done;
    const Py_ssize_t n = bufs[0].len / (Py_ssize_t)sizeof(double), W = n_off + n_half + 5;
    if (n == 0 || bufs[1].len != n * W * (Py_ssize_t)sizeof(double)) {
        PyErr_Format(PyExc_ValueError, "score_context: out must hold %zd x %zd doubles", n, W);
        goto done;
    }
    const double *p = bufs[0].buf;
    double *out = bufs[1].buf;
    prefix = PyMem_Malloc((size_t)n * sizeof(double));
    if (!prefix) { PyErr_NoMemory(); goto done; }
    Py_ssize_t bodies = 0;
    for (Py_ssize_t i = 0; i < n; i++)
        bodies += p[i] >= threshold;
    double before = 0.;
    Py_ssize_t seen = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        double *row = out + i * W;
        for (Py_ssize_t k = 0; k < n_off; k++) {
            Py_ssize_t j = i + offsets[k];
            row[k] = j >= 0 && j < n ? p[j] : 0.;
        }
        const int body = p[i] >= threshold;
        row[n_off + n_half] = before;
        before = p[i] > before ? p[i] : before;
        row[n_off + n_half + 2] = (double)seen / (double)n;
        row[n_off + n_half + 3] = (double)(bodies - seen - body) / (double)n;
        seen += body;
    }
    double after = 0.;
    for (Py_ssize_t i = n - 1; i >= 0; i--) {  /* the highest score after, and the runs */
        out[i * W + n_off + n_half + 1] = i == n - 1 ? 0. : after;
        after = i == n - 1 || p[i] > after ? p[i] : after;
    }
    for (Py_ssize_t i = 0; i < n;) {
        const int body = p[i] >= threshold;
        Py_ssize_t j = i;
        while (j < n && (p[j] >= threshold) == body)
            j++;
        for (Py_ssize_t k = i; k < j; k++)
            out[k * W + W - 1] = body ? (double)(j - i) : -(double)(j - i);
        i = j;
    }
    for (Py_ssize_t k = 0; k < n_half; k++)
        window_mean(p, 1, 0, n, halves[k], prefix, out, W, n_off + k);
    result = Py_NewRef(Py_None);
done:
    PyMem_Free(prefix);
    release_buffers(bufs, held);
    return result;
}

/* ---- repeated_lines: rules.drop_repeated_text's word 4-grams ---- */

/* A set of 4-grams of word ids (open addressing; 0 marks an empty slot, so ids start at 1). */
typedef struct { uint32_t w[4]; } gram;
/* The 4-grams met on a page: whether a kept line held it (seen) and the last line that did (stamp),
 * which counts each gram once per line without a set of the line's own. Open addressing, at most
 * half full; an empty slot has w[0] == 0 (word ids start at 1). */
typedef struct { gram g; Py_ssize_t stamp; int seen; } gram_entry;
typedef struct { gram_entry *slots; Py_ssize_t cap, used; } gram_table;

static inline uint64_t
mix64(uint64_t x)  /* MurmurHash3's finaliser */
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    return x ^ (x >> 33);
}

static inline Py_ssize_t
gram_home(const gram *g, Py_ssize_t cap)
{
    uint64_t h = mix64(((uint64_t)g->w[0] << 32 | g->w[1]) ^ mix64((uint64_t)g->w[2] << 32 | g->w[3]));
    return (Py_ssize_t)(h & (uint64_t)(cap - 1));
}

static gram_entry *
gram_find(const gram_table *t, const gram *g)  /* g's entry, or the empty slot where it would go */
{
    Py_ssize_t j = gram_home(g, t->cap);
    while (t->slots[j].g.w[0] && memcmp(&t->slots[j].g, g, sizeof(gram)) != 0)
        j = (j + 1) & (t->cap - 1);
    return &t->slots[j];
}

/* g's entry, made (not seen, no line yet) where it was missing; NULL (MemoryError) when the table
 * could not grow. The entry stays where it is until the next call. */
static gram_entry *
gram_put(gram_table *t, const gram *g)
{
    if (2 * (t->used + 1) > t->cap) {
        Py_ssize_t cap = t->cap ? 2 * t->cap : 2048;
        gram_table bigger = {PyMem_Calloc((size_t)cap, sizeof(gram_entry)), cap, t->used};
        if (bigger.slots == NULL) {
            PyErr_NoMemory();
            return NULL;
        }
        for (Py_ssize_t j = 0; j < t->cap; j++)
            if (t->slots[j].g.w[0])
                *gram_find(&bigger, &t->slots[j].g) = t->slots[j];
        PyMem_Free(t->slots);
        *t = bigger;
    }
    gram_entry *e = gram_find(t, g);
    if (!e->g.w[0]) {
        e->g = *g;
        e->stamp = -1;
        e->seen = 0;
        t->used++;
    }
    return e;
}

/* Word ids by content: open addressing over (hash, where the word lies in the lower-cased texts).
 * Words are compared code point by code point, so two words share an id exactly when equal. */
typedef struct { uint64_t hash; const void *data; Py_ssize_t start, len; int kind; uint32_t id; } word_slot;
typedef struct { word_slot *slots; Py_ssize_t cap, used; } word_table;

static int
same_word(const word_slot *w, int kind, const void *data, Py_ssize_t start, Py_ssize_t len)
{
    if (w->len != len)
        return 0;
    for (Py_ssize_t j = 0; j < len; j++)
        if (PyUnicode_READ(w->kind, w->data, w->start + j) != PyUnicode_READ(kind, data, start + j))
            return 0;
    return 1;
}

/* The id of the word data[start:start+len], whose characters' FNV hash is ``h`` (new words get the
 * next id, from 1); 0: no memory. */
static uint32_t
word_id(word_table *t, uint64_t h, int kind, const void *data, Py_ssize_t start, Py_ssize_t len)
{
    if (2 * (t->used + 1) > t->cap) {  /* grow, keeping the load at most one half */
        Py_ssize_t cap = t->cap ? 2 * t->cap : 2048;
        word_slot *slots = PyMem_Calloc((size_t)cap, sizeof(word_slot));
        if (!slots) { PyErr_NoMemory(); return 0; }
        for (Py_ssize_t j = 0; j < t->cap; j++) {
            if (!t->slots[j].id)
                continue;
            Py_ssize_t k = (Py_ssize_t)(t->slots[j].hash & (uint64_t)(cap - 1));
            while (slots[k].id)
                k = (k + 1) & (cap - 1);
            slots[k] = t->slots[j];
        }
        PyMem_Free(t->slots);
        t->slots = slots;
        t->cap = cap;
    }
    Py_ssize_t k = (Py_ssize_t)(h & (uint64_t)(t->cap - 1));
    while (t->slots[k].id) {
        if (t->slots[k].hash == h && same_word(&t->slots[k], kind, data, start, len))
            return t->slots[k].id;
        k = (k + 1) & (t->cap - 1);
    }
    word_slot w = {h, data, start, len, kind, (uint32_t)(++t->used)};
    t->slots[k] = w;
    return w.id;
}

/* repeated_lines(texts, min_grams, share) -> [index, ...]: the texts (a page's body lines, in order)
 * most of whose word 4-grams the texts before them that were kept already hold: at least
 * ``min_grams`` distinct 4-grams of the lower-cased runs of letters, at least ``share`` of them
 * seen. rules.drop_repeated_text's twin. */
static PyObject *
repeated_lines(PyObject *self, PyObject *args)
{
    PyObject *texts;
    Py_ssize_t min_grams;
    double share;
    if (!PyArg_ParseTuple(args, "O!nd", &PyList_Type, &texts, &min_grams, &share))
        return NULL;
    PyObject *lows = PyList_New(0), *dropped = PyList_New(0), *result = NULL;  /* lows: the words' storage */
    gram_table grams = {NULL, 0, 0};
    word_table ids = {NULL, 0, 0};
    uint32_t *words = NULL;
    Py_ssize_t words_cap = 0;
    gram *line_grams = NULL;  /* the line's distinct grams, in the order met */
    Py_ssize_t *line_slots = NULL;  /* and where they sit in the table (while it has not grown since) */
    Py_ssize_t line_grams_cap = 0, n_line = 0;
    if (!lows || !dropped)
        goto done;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(texts); i++) {
        PyObject *text = PyList_GET_ITEM(texts, i);
        if (!PyUnicode_Check(text)) {
            PyErr_SetString(PyExc_TypeError, "repeated_lines: texts must be strings");
            goto done;
        }
        PyObject *low = lowered(text);
        int bad = !low || PyList_Append(lows, low) < 0;
        Py_XDECREF(low);  /* (lows holds it) */
        if (bad)
            goto done;
        const Text t = text_of(low);
        Py_ssize_t n_words = 0, start, len, k = 0;
        uint64_t hash;
        while ((start = next_word(&t, &k, NULL, 1, &len, &hash)) >= 0) {  /* each run of letters -> its id */
            uint32_t id = word_id(&ids, hash, t.kind, t.data, start, len);
            if (!id)
                goto done;
            if (n_words == words_cap) {
                Py_ssize_t cap = words_cap ? 2 * words_cap : 256;
                uint32_t *grown = PyMem_Realloc(words, (size_t)cap * sizeof(uint32_t));
                if (!grown) { PyErr_NoMemory(); goto done; }
                words = grown;
                words_cap = cap;
            }
            words[n_words++] = id;
        }
        n_line = 0;
        if (n_words - 3 > line_grams_cap) {
            gram *grown = PyMem_Realloc(line_grams, (size_t)(n_words - 3) * sizeof(gram));
            if (!grown) { PyErr_NoMemory(); goto done; }
            line_grams = grown;
            Py_ssize_t *slots_grown = PyMem_Realloc(line_slots, (size_t)(n_words - 3) * sizeof(Py_ssize_t));
            if (!slots_grown) { PyErr_NoMemory(); goto done; }
            line_slots = slots_grown;
            line_grams_cap = n_words - 3;
        }
        const Py_ssize_t cap_before = grams.cap;
        Py_ssize_t known = 0;
        for (Py_ssize_t k = 0; k + 3 < n_words; k++) {
            gram g = {{words[k], words[k + 1], words[k + 2], words[k + 3]}};
            gram_entry *e = gram_put(&grams, &g);
            if (e == NULL)
                goto done;
            if (e->stamp != i) {  /* the first time on this line */
                e->stamp = i;
                known += e->seen;
                line_slots[n_line] = e - grams.slots;
                line_grams[n_line++] = g;
            }
        }
        Py_ssize_t distinct = n_line;
        if (distinct >= min_grams && (double)known >= share * (double)distinct) {
            if (append_new(dropped, PyLong_FromSsize_t(i)) < 0)
                goto done;
            continue;
        }
        for (Py_ssize_t j = 0; j < n_line; j++)  /* kept: its grams are seen from now on */
            (grams.cap == cap_before ? &grams.slots[line_slots[j]] : gram_find(&grams, &line_grams[j]))->seen = 1;
    }
    result = Py_NewRef(dropped);
done:
    PyMem_Free(words);
    PyMem_Free(line_grams);
    PyMem_Free(line_slots);
    PyMem_Free(grams.slots);
    PyMem_Free(ids.slots);
    Py_XDECREF(lows);
    Py_XDECREF(dropped);
    return result;
}

/* standardize(x, context, mean, scale, out): ((x | context) - mean) / scale as single precision into
 * ``out`` (n x (X + C) floats), the columns of ``context`` (n x C doubles, or None) after those of x
 * (n x X doubles): model.Stage.score's numpy twin, hstack, subtraction, division and cast, in one
 * pass without the copies. */
/* Each row of x (n x X) and ctx (n x C) side by side, less mean, over scale, rounded to single precision
 * into z. Each value's rounding is the same in every compiled copy (a subtraction and a division,
 * each exact to the half-unit), so the wider vectors of newer CPUs change only the speed. */
WIDE_VECTORS static void
standardize_rows(const double *x, const double *ctx, const double *mean, const double *scale, float *z,
                 Py_ssize_t n, Py_ssize_t X, Py_ssize_t C)
{
    const Py_ssize_t F = X + C;
    for (Py_ssize_t i = 0; i < n; i++) {
        for (Py_ssize_t j = 0; j < X; j++)
            z[i * F + j] = (float)((x[i * X + j] - mean[j]) / scale[j]);
        for (Py_ssize_t j = 0; j < C; j++)
            z[i * F + X + j] = (float)((ctx[i * C + j] - mean[X + j]) / scale[X + j]);
    }
}

static PyObject *
standardize(PyObject *self, PyObject *args)
{
    PyObject *objs[4], *context, *out_obj;
    if (!PyArg_ParseTuple(args, "OOOOO", &objs[0], &context, &objs[1], &objs[2], &out_obj))
        return NULL;
    int with_context = context != Py_None;
    objs[3] = with_context ? context : objs[0];
    Py_buffer bufs[4], out;
    int held = 0, have_out = 0;
    PyObject *result = NULL;
    if (double_buffers("standardize", objs, bufs, 4, 0, &held) < 0)
        goto done;
    if (PyObject_GetBuffer(out_obj, &out, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | PyBUF_WRITABLE) < 0)
        goto done;
    have_out = 1;
    const char *f = out.format ? out.format : "B";
    if (f[0] == '<' || f[0] == '=' || f[0] == '@')
        f++;
    const Py_ssize_t F = bufs[1].len / (Py_ssize_t)sizeof(double);
    if (strcmp(f, "f") != 0 || bufs[2].len != bufs[1].len || F == 0) {
        PyErr_SetString(PyExc_TypeError, "standardize: out must hold floats, mean and scale the same columns");
        goto done;
    }
    const Py_ssize_t n = out.len / (Py_ssize_t)sizeof(float) / F;
    const Py_ssize_t X = n ? bufs[0].len / (Py_ssize_t)sizeof(double) / n : 0;
    const Py_ssize_t C = F - X;
    if (n * F * (Py_ssize_t)sizeof(float) != out.len || X * n * (Py_ssize_t)sizeof(double) != bufs[0].len ||
        C < 0 || (with_context ? C * n * (Py_ssize_t)sizeof(double) != bufs[3].len : C != 0)) {
        PyErr_SetString(PyExc_ValueError, "standardize: x and context do not make the columns of mean and out");
        goto done;
    }
    standardize_rows(bufs[0].buf, bufs[3].buf, bufs[1].buf, bufs[2].buf, out.buf, n, X, C);
    result = Py_NewRef(Py_None);
done:
    if (have_out)
        PyBuffer_Release(&out);
    release_buffers(bufs, held);
    return result;
}

/* forward_backward(e1, e0, prior, transitions, out): sequence.smooth's two-state pass over the
 * lines' scaled likelihoods given body (e1) and not (e0), with P(body) of the first line ``prior``
 * and transitions (bb, bo, ob, oo): each line's posterior P(body) into ``out``. The same operations
 * in the same order as the Python loop (setup.py compiles without contracting them into FMAs). */
static PyObject *
forward_backward(PyObject *self, PyObject *args)
{
    PyObject *objs[3];
    double prior, bb, bo, ob, oo;
    if (!PyArg_ParseTuple(args, "OOd(dddd)O", &objs[0], &objs[1], &prior, &bb, &bo, &ob, &oo, &objs[2]))
        return NULL;
    Py_buffer bufs[3];
    int held = 0;
    PyObject *result = NULL;
    double *fwd = NULL;
    if (double_buffers("forward_backward", objs, bufs, 3, 1, &held) < 0)
        goto done;
    const Py_ssize_t n = bufs[0].len / (Py_ssize_t)sizeof(double);
    if (n == 0 || bufs[1].len != bufs[0].len || bufs[2].len != bufs[0].len) {
        PyErr_SetString(PyExc_ValueError, "forward_backward: e1, e0 and out must have the same lines");
        goto done;
    }
    const double *e1 = bufs[0].buf, *e0 = bufs[1].buf;
    double *post = bufs[2].buf;
    fwd = PyMem_Malloc((size_t)n * 2 * sizeof(double));
    if (!fwd) { PyErr_NoMemory(); goto done; }
    double f1 = prior * e1[0], f0 = (1 - prior) * e0[0], z = f1 + f0;
    fwd[0] = f1 / z;
    fwd[1] = f0 / z;
    for (Py_ssize_t i = 1; i < n; i++) {
        double a1 = fwd[2 * i - 2], a0 = fwd[2 * i - 1];
        f1 = (a1 * bb + a0 * ob) * e1[i];
        f0 = (a1 * bo + a0 * oo) * e0[i];
        z = f1 + f0;
        fwd[2 * i] = f1 / z;
        fwd[2 * i + 1] = f0 / z;
    }
    double b1 = 1.0, b0 = 1.0;
    for (Py_ssize_t i = n - 1; i >= 0; i--) {
        double p1 = fwd[2 * i] * b1, p0 = fwd[2 * i + 1] * b0;
        post[i] = p1 / (p1 + p0);
        if (i) {
            double g1 = e1[i] * b1, g0 = e0[i] * b0;
            b1 = bb * g1 + bo * g0;
            b0 = ob * g1 + oo * g0;
            z = b1 + b0;
            b1 = b1 / z;
            b0 = b0 / z;
        }
    }
    result = Py_NewRef(Py_None);
done:
    PyMem_Free(fwd);
    release_buffers(bufs, held);
    return result;
}

/* recurring_acronyms(texts) -> [acronym]: the acronyms printed at least twice over the lines, the
 * commonest first (ties: the first printed first), as Counter(metadata._ACRONYM.findall(the lines
 * joined by newlines)).most_common() gives them: a run of two to five ASCII capitals with no word
 * character (re's \w: str.isalnum() or "_") on either side. Each is kept as its letters in base 27. */
typedef struct { uint32_t key; Py_ssize_t count, first; } acronym_slot;

static inline int
word_char(Py_UCS4 c)
{
    return c == '_' || Py_UNICODE_ISALNUM(c);
}

static int
by_count_then_first(const void *a, const void *b)
{
    const acronym_slot *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return x->first < y->first ? -1 : x->first > y->first;
}

/* The first place from ``k`` on holding an ASCII capital (``t->len`` when none): a loop per kind of
 * string, without the kind's switch a character (most of recurring_acronyms' time). */
static inline Py_ssize_t
next_capital(const Text *t, Py_ssize_t k)
{
#define SKIP_TO_CAPITAL(T)                                          \
    do {                                                            \
        const T *d = t->data;                                       \
        while (k < t->len && (Py_UCS4)d[k] - 'A' > 'Z' - 'A')       \
            k++;                                                    \
    } while (0)
    if (t->kind == PyUnicode_1BYTE_KIND)
        SKIP_TO_CAPITAL(Py_UCS1);
    else if (t->kind == PyUnicode_2BYTE_KIND)
        SKIP_TO_CAPITAL(Py_UCS2);
    else
        SKIP_TO_CAPITAL(Py_UCS4);
#undef SKIP_TO_CAPITAL
    return k;
}

static PyObject *
recurring_acronyms(PyObject *self, PyObject *args)
{
    PyObject *texts;
    if (!PyArg_ParseTuple(args, "O!", &PyList_Type, &texts) || str_list(texts, "recurring_acronyms") < 0)
        return NULL;
    Py_ssize_t cap = 64, used = 0, seen = 0;
    acronym_slot *table = PyMem_Calloc(cap, sizeof(acronym_slot));
    if (table == NULL)
        return PyErr_NoMemory();
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(texts); i++) {
        Text t = text_of(PyList_GET_ITEM(texts, i));
        for (Py_ssize_t k = next_capital(&t, 0); k < t.len; k = next_capital(&t, k + 1)) {
            if (k > 0 && word_char(char_at(&t, k - 1)))
                continue;
            Py_ssize_t end = k;
            uint32_t key = 0;
            while (end < t.len && end - k < 6 && char_at(&t, end) >= 'A' && char_at(&t, end) <= 'Z')
                key = key * 27 + (char_at(&t, end++) - 'A' + 1);
            if (end - k < 2 || end - k > 5 || (end < t.len && word_char(char_at(&t, end))))
                continue;
            if (2 * (used + 1) > cap) {  /* keep the table at most half full */
                acronym_slot *grown = PyMem_Calloc(2 * cap, sizeof(acronym_slot));
                if (grown == NULL) {
                    PyMem_Free(table);
                    return PyErr_NoMemory();
                }
                for (Py_ssize_t j = 0; j < cap; j++)
                    if (table[j].key) {
                        size_t h = (table[j].key * 2654435761u) & (2 * cap - 1);
                        while (grown[h].key)
                            h = (h + 1) & (2 * cap - 1);
                        grown[h] = table[j];
                    }
                PyMem_Free(table);
                table = grown;
                cap *= 2;
            }
            size_t h = (key * 2654435761u) & (cap - 1);
            while (table[h].key && table[h].key != key)
                h = (h + 1) & (cap - 1);
            if (!table[h].key) {
                table[h].key = key;
                table[h].first = seen++;
                used++;
            }
            table[h].count++;
            k = end;  /* (the character after the run is no capital) */
        }
    }
    Py_ssize_t kept = 0;
    for (Py_ssize_t j = 0; j < cap; j++)
        if (table[j].count >= 2)
            table[kept++] = table[j];
    qsort(table, kept, sizeof(acronym_slot), by_count_then_first);
    PyObject *out = PyList_New(kept);
    for (Py_ssize_t j = 0; out != NULL && j < kept; j++) {
        char letters[6];
        int n = 0;
        for (uint32_t key = table[j].key; key; key /= 27)
            letters[n++] = (char)('A' + key % 27 - 1);
        for (int a = 0; a < n / 2; a++) {
            char c = letters[a];
            letters[a] = letters[n - 1 - a];
            letters[n - 1 - a] = c;
        }
        PyObject *acronym = PyUnicode_FromStringAndSize(letters, n);
        if (acronym == NULL)
            Py_CLEAR(out);
        else
            PyList_SET_ITEM(out, j, acronym);
    }
    PyMem_Free(table);
    return out;
}

/* spelled_acronym(texts, body, acronyms, shortest, longest) -> (line, word, size) or None: the
 * first line not in the body whose words spell one of the acronyms (metadata._site_from_acronym,
 * whose twin _spelled_acronym it is): a line of shortest..longest words (str.split()), the initials
 * of its words that start with a letter (str.isalpha) upper-cased (str.upper, which may write a
 * letter as two) as many as its words, holding an acronym of at least the words but two, the
 * acronyms tried in their order. */
static PyObject *
spelled_acronym(PyObject *self, PyObject *args)
{
    PyObject *texts, *body, *acronyms;
    Py_ssize_t shortest, longest;
    if (!PyArg_ParseTuple(args, "O!O!O!nn", &PyList_Type, &texts, &PyList_Type, &body, &PyList_Type, &acronyms,
                          &shortest, &longest) || str_list(texts, "spelled_acronym") < 0
        || str_list(acronyms, "spelled_acronym") < 0)
        return NULL;
    if (PyList_GET_SIZE(body) != PyList_GET_SIZE(texts)) {
        PyErr_SetString(PyExc_ValueError, "spelled_acronym: one body flag per line is needed");
        return NULL;
    }
    if (longest < 0 || longest > 64) {
        PyErr_SetString(PyExc_ValueError, "spelled_acronym: longest must be 0..64");
        return NULL;
    }
    Py_UCS4 initials[64];
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(texts); i++) {
        int in_body = PyObject_IsTrue(PyList_GET_ITEM(body, i));
        if (in_body < 0)
            return NULL;
        if (in_body)
            continue;
        Text t = text_of(PyList_GET_ITEM(texts, i));
        Py_ssize_t words = 0, letters = 0;
        int after_space = 1, ascii = 1;
        for (Py_ssize_t k = 0; k < t.len && words <= longest; k++) {
            Py_UCS4 c = char_at(&t, k);
            int space = Py_UNICODE_ISSPACE(c);
            if (!space && after_space) {
                words++;  /* c starts a word */
                if (words <= longest && Py_UNICODE_ISALPHA(c)) {
                    initials[letters++] = c;
                    ascii &= c < 128;
                }
            }
            after_space = space;
        }
        if (words < shortest || words > longest)
            continue;
        if (ascii) {  /* str.upper of ASCII letters, and the search, without a string made */
            if (letters != words)
                continue;
            for (Py_ssize_t j = 0; j < letters; j++)
                initials[j] = initials[j] >= 'a' ? initials[j] - ('a' - 'A') : initials[j];
            for (Py_ssize_t a = 0; a < PyList_GET_SIZE(acronyms); a++) {
                PyObject *acronym = PyList_GET_ITEM(acronyms, a);
                Py_ssize_t size = PyUnicode_GET_LENGTH(acronym);
                if (words - 2 > size)
                    continue;
                for (Py_ssize_t at = 0; at + size <= words; at++) {  /* (the first place, as str.find) */
                    Py_ssize_t j = 0;
                    while (j < size && initials[at + j] == PyUnicode_READ_CHAR(acronym, j))
                        j++;
                    if (j == size)
                        return Py_BuildValue("(nnn)", i, at, size);
                }
            }
            continue;
        }
        PyObject *low = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, initials, letters);
        PyObject *up = low ? PyObject_CallMethod(low, "upper", NULL) : NULL;
        Py_XDECREF(low);
        if (up == NULL)
            return NULL;
        if (PyUnicode_GET_LENGTH(up) == words) {
            for (Py_ssize_t a = 0; a < PyList_GET_SIZE(acronyms); a++) {
                PyObject *acronym = PyList_GET_ITEM(acronyms, a);
                Py_ssize_t size = PyUnicode_GET_LENGTH(acronym);
                if (words - 2 > size)
                    continue;
                Py_ssize_t at = PyUnicode_Find(up, acronym, 0, words, 1);
                if (at == -2) {
                    Py_DECREF(up);
                    return NULL;
                }
                if (at >= 0) {
                    Py_DECREF(up);
                    return Py_BuildValue("(nnn)", i, at, size);
                }
            }
        }
        Py_DECREF(up);
    }
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"dfa_visits", dfa_visits, METH_VARARGS,
     "dfa_visits(nextmove, rowbase, output, n_features, data) -> (features, counts), int64 bytes, first visit first"},
    {"nb_scores", nb_scores, METH_VARARGS,
     "nb_scores(features, weights, table, out): the weighted sums of the table's rows, in order, into out"},
    {"lower", lower, METH_O, "lower(text) -> text.lower()"},
    {"recurring", recurring, METH_VARARGS,
     "recurring(texts, out): 1.0 into out where a text occurs more than once, else 0.0"},
    {"recurring_outside", recurring_outside, METH_VARARGS,
     "recurring_outside(texts, body) -> {text}: texts occurring more than once, once outside the body"},
    {"padded_block", padded_block, METH_VARARGS,
     "padded_block(text, min_lines, min_chars, gutter) -> whether text may print a table side by side"},
    {"colon_lines", colon_lines, METH_VARARGS,
     "colon_lines(lines, most, line_type, slots) -> [index]: lines of at most most characters ending in a colon"},
    {"texts_of", texts_of, METH_VARARGS, "texts_of(lines, line_type, slots) -> [text]: each line's text"},
    {"site_lines", site_lines, METH_VARARGS,
     "site_lines(lines, body, footer, firsts, starts, line_type, slots) -> [index]: lines the site-name patterns are tried on"},
    {"line_keys", line_keys, METH_VARARGS,
     "line_keys(texts, min_chars) -> (8-byte BLAKE2b digest of each text's UTF-8, or None when shorter)"},
    {"count_page", count_page, METH_VARARGS,
     "count_page(counts, keys, body, min_pages) -> whether a body key recurs (then nothing counted), else each key counted once"},
    {"commonest", commonest, METH_VARARGS,
     "commonest(counts, keep) -> {key: count}: the keep highest counts, of equal ones the first, in that order"},
    {"stop_counts", stop_counts, METH_VARARGS,
     "stop_counts(text, separators, book, word) -> (words, in_book, equal): lang.stop_counts' counts"},
    {"split_words", split_words, METH_VARARGS,
     "split_words(text, separators, letters_only) -> [word]: lang.split_words' words"},
    {"count_words", (PyCFunction)(void (*)(void))count_words, METH_FASTCALL,
     "count_words(text, most=-1) -> len(text.split(None, most))"},
    {"indents", indents, METH_VARARGS, "indents(phys) -> (lines with text, those of them indented by exactly three spaces)"},
    {"long_lines", long_lines, METH_VARARGS, "long_lines(text, scan, shortest) -> the lines of text[:scan] of shortest characters or more"},
    {"line_stats", line_stats, METH_VARARGS,
     "line_stats(doc, book, bits, table, parts, out): per-line character, pattern and token counts into out"},
    {"plain_lines", plain_lines, METH_VARARGS,
     "plain_lines(phys, width, indented, line_type, slots) -> (items, pending): the Lines of a dump's physical lines"},
    {"wrap_inner", wrap_inner, METH_VARARGS,
     "wrap_inner(phys) -> [length]: the lengths of the lines the wrap width is measured on"},
    {"word_book", word_book, METH_VARARGS,
     "word_book(book) -> the codebook {token: bits} as a table line_stats reads"},
    {"base_columns", base_columns, METH_VARARGS,
     "base_columns(stats, cues, lines, stops, words, chars, repeated, said, limits, out, line_type, slots): each line's own features"},
    {"rule_cues", rule_cues, METH_VARARGS,
     "rule_cues(texts, kept, repeated, book, bits, limits, first_prose, needles, folds, openers) -> [(line, code)]: what the rules test of each body line"},
    {"forward_backward", forward_backward, METH_VARARGS,
     "forward_backward(e1, e0, prior, transitions, out): each line's posterior P(body) into out"},
    {"standardize", standardize, METH_VARARGS,
     "standardize(x, context, mean, scale, out): (x | context - mean) / scale in single precision into out"},
    {"repeated_lines", repeated_lines, METH_VARARGS,
     "repeated_lines(texts, min_grams, share) -> indexes of the texts whose word 4-grams earlier ones hold"},
    {"score_context", score_context, METH_VARARGS,
     "score_context(p, offsets, halves, threshold, out): how each line's neighbours were scored"},
    {"context_features", context_features, METH_VARARGS,
     "context_features(base, words, chars, columns, sizes, out): the features that look beyond a line into out"},
    {"recurring_acronyms", recurring_acronyms, METH_VARARGS,
     "recurring_acronyms(texts) -> [acronym]: those printed twice or more, the commonest first"},
    {"spelled_acronym", spelled_acronym, METH_VARARGS,
     "spelled_acronym(texts, body, acronyms, shortest, longest) -> (line, word, size) or None: a line spelling an acronym"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "cleaner._native", NULL, -1, methods};

PyMODINIT_FUNC
PyInit__native(void)
{
    PyObject *m = PyModule_Create(&module);
    if (!m)
        return NULL;
    PyObject *names = PyTuple_New(B_COUNT);
    if (!names) {
        Py_DECREF(m);
        return NULL;
    }
    for (int j = 0; j < B_COUNT; j++) {
        PyObject *name = PyUnicode_FromString(base_names[j]);
        if (!name) {
            Py_DECREF(names);
            Py_DECREF(m);
            return NULL;
        }
        PyTuple_SET_ITEM(names, j, name);
    }
    if (PyModule_AddObject(m, "BASE_NAMES", names) < 0) {
        Py_DECREF(names);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
