/* Compiled helpers for the per-document hot path. Optional: every function here has a pure-Python
 * twin that gives identical results (cleaner/native.py picks one), so an install without a C
 * compiler still works, only slower.
 *
 * dfa_visits: the byte-level DFA walk of py3langid (langid.py's n-gram tokenizer). In Python it is
 * a loop over every byte of the sample, about a microsecond a byte; here a few nanoseconds.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

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

/* dfa_visits(nextmove, rowbase, output, n_features, data) -> {feature: count}, first visit first.
 *
 * For each byte: state = nextmove[rowbase[state] + byte]; if output[state] >= 0 that feature
 * was seen once more. Exactly py3langid.langid.visit_counts, whose Counter also keeps first-visit
 * order (which fixes the order of the sums that score languages). */
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

    const unsigned char *bytes = data.buf;
    long long state = 0;
    for (Py_ssize_t k = 0; k < data.len; k++) {
        if (state < 0 || state >= n_rb) goto bad_state;
        long long at = read_int(rb.buf, rb_f, (Py_ssize_t)state) + bytes[k];
        if (at < 0 || at >= n_nm) goto bad_state;
        state = read_int(nm.buf, nm_f, (Py_ssize_t)at);
        if (state < 0 || state >= n_out) goto bad_state;
        long long f = read_int(out.buf, out_f, (Py_ssize_t)state);
        if (f >= n_features) goto bad_state;
        if (f >= 0) {
            if (counts[f]++ == 0)
                order[distinct++] = (Py_ssize_t)f;
        }
    }
    result = PyDict_New();
    if (!result) goto done;
    for (Py_ssize_t j = 0; j < distinct; j++) {
        PyObject *key = PyLong_FromSsize_t(order[j]);
        PyObject *val = PyLong_FromSsize_t(counts[order[j]]);
        int rc = (key && val) ? PyDict_SetItem(result, key, val) : -1;
        Py_XDECREF(key);
        Py_XDECREF(val);
        if (rc < 0) { Py_CLEAR(result); goto done; }
    }
    goto done;

bad_state:
    PyErr_SetString(PyExc_ValueError, "dfa_visits: the tables lead outside themselves (not a DFA)");
done:
    for (Py_ssize_t j = 0; j < distinct; j++)
        counts[order[j]] = 0;
    PyMem_Free(order);
    if (have_out) PyBuffer_Release(&out);
    if (have_rb) PyBuffer_Release(&rb);
    if (have_nm) PyBuffer_Release(&nm);
    PyBuffer_Release(&data);
    return result;
}

static PyMethodDef methods[] = {
    {"dfa_visits", dfa_visits, METH_VARARGS,
     "dfa_visits(nextmove, rowbase, output, n_features, data) -> {feature: count}, first visit first"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "cleaner._native", NULL, -1, methods};

PyMODINIT_FUNC
PyInit__native(void)
{
    return PyModule_Create(&module);
}
