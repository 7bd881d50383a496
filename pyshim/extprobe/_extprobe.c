/* One binary for every CPython >= 3.8 (CONTRACT.md): stay inside the 3.8
 * limited API. The shim only moves strings: libextprobe does the work and
 * returns JSON and text, which __init__.py turns into Python objects. */
#define Py_LIMITED_API 0x03080000
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <extprobe/extprobe.h>

#include "interp/interp.h"

typedef struct {
    PyObject *probe_error; /* extprobe.ProbeError */
} shim_state;

static shim_state *
state_of(PyObject *module)
{
    return (shim_state *)PyModule_GetState(module);
}

/* The one mapping from ep_status to a Python exception. */
static PyObject *
raise_status(PyObject *module, ep_status st, const ep_error *err)
{
    if (st == EP_ERR_NOMEM) {
        return PyErr_NoMemory();
    }
    if (st == EP_ERR_IO) {
        PyObject *args = Py_BuildValue("(is)", err->sys_errno, err->message);
        if (args != NULL) {
            PyErr_SetObject(PyExc_OSError, args);
            Py_DECREF(args);
        }
        return NULL;
    }
    PyErr_SetString(state_of(module)->probe_error, err->message);
    return NULL;
}

/* JSON is UTF-8 (bytes that are not come escaped); the text report shows
 * such bytes as \xNN, as Python shows bytes, instead of failing. */
static PyObject *
decode(const char *s)
{
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "backslashreplace");
}

/* O& converter for a path or None: str (encoded as os.fsencode does, so a
 * surrogate-escaped name becomes its original bytes), bytes or PathLike.
 * *out is a new bytes reference, or NULL for None. */
static int
fs_path_or_none(PyObject *obj, void *out)
{
    if (obj == Py_None) {
        *(PyObject **)out = NULL;
        return 1;
    }
    return PyUnicode_FSConverter(obj, out);
}

static const char *
bytes_or_null(PyObject *b)
{
    return b != NULL ? PyBytes_AsString(b) : NULL;
}

static ep_start_mode
start_mode(const char *s)
{
    if (s != NULL && strcmp(s, "m") == 0) {
        return EP_START_MODE_MODULE;
    }
    if (s != NULL && strcmp(s, "safe") == 0) {
        return EP_START_MODE_SAFE;
    }
    if (s != NULL && strcmp(s, "script") == 0) {
        return EP_START_MODE_SCRIPT;
    }
    return EP_START_MODE_C;
}

/* (json, text, flag[, flag2]) from the two documents of a report (both
 * freed here); NULL with MemoryError when either could not be written, or
 * with the decoding error. flag2 NULL: a 3-tuple. */
static PyObject *
documents(char *json, char *text, PyObject *flag, PyObject *flag2)
{
    PyObject *result = NULL;
    if (json != NULL && text != NULL) {
        PyObject *j = decode(json), *t = decode(text);
        if (j != NULL && t != NULL) {
            result = flag2 != NULL ? Py_BuildValue("(OOOO)", j, t, flag, flag2)
                                   : Py_BuildValue("(OOO)", j, t, flag);
        }
        Py_XDECREF(j);
        Py_XDECREF(t);
    } else {
        PyErr_NoMemory();
    }
    ep_free(json);
    ep_free(text);
    return result;
}

/* explain(target, facts, python, workdir, start, script, import_trial,
 *         timeout, is_file, color) -> (json, text, has_errors, importable) */
static PyObject *
shim_explain(PyObject *module, PyObject *args)
{
    PyObject *target_b = NULL, *python_b = NULL, *workdir_b = NULL;
    PyObject *script_b = NULL;
    const char *facts = NULL, *start = "c";
    Py_ssize_t facts_len = 0;
    int import_trial = 1, is_file = 0, color = 0;
    double timeout = 60.0;
    /* Positional only: __init__.py is the one caller. Paths (target,
     * python, workdir, script) may be str, bytes or PathLike; facts is the
     * record text as bytes. */
    if (!PyArg_ParseTuple(args, "O&|z#O&O&zO&pdpp", PyUnicode_FSConverter,
                          &target_b, &facts, &facts_len, fs_path_or_none,
                          &python_b, fs_path_or_none, &workdir_b, &start,
                          fs_path_or_none, &script_b, &import_trial, &timeout,
                          &is_file, &color)) {
        Py_XDECREF(target_b);
        Py_XDECREF(python_b);
        Py_XDECREF(workdir_b);
        Py_XDECREF(script_b);
        return NULL;
    }
    const char *target = bytes_or_null(target_b);
    ep_explain_options opt;
    ep_explain_options_init(&opt);
    if (python_b != NULL) {
        opt.python = bytes_or_null(python_b);
    }
    opt.workdir = bytes_or_null(workdir_b);
    opt.start = start_mode(start);
    opt.script = bytes_or_null(script_b);
    opt.import_trial = import_trial != 0;
    opt.timeout = timeout;
    opt.facts = facts;
    opt.facts_len = (size_t)facts_len;

    ep_report *report = NULL;
    ep_error err;
    ep_status st;
    /* Child processes run in here; let other Python threads go on. */
    Py_BEGIN_ALLOW_THREADS st = is_file
                                    ? ep_probe_file(target, &opt, &report, &err)
                                    : ep_explain(target, &opt, &report, &err);
    Py_END_ALLOW_THREADS Py_DECREF(target_b);
    Py_XDECREF(python_b);
    Py_XDECREF(workdir_b);
    Py_XDECREF(script_b);
    if (st != EP_OK) {
        return raise_status(module, st, &err);
    }
    char *json = ep_report_json(report, &err);
    char *text = json ? ep_report_text(report, color != 0, &err) : NULL;
    PyObject *result =
        documents(json, text, ep_report_has_errors(report) ? Py_True : Py_False,
                  ep_report_importable(report) ? Py_True : Py_False);
    ep_report_free(report);
    return result;
}

/* inspect(path) -> JSON of `extprobe inspect --json` for one file */
static PyObject *
shim_inspect(PyObject *module, PyObject *args)
{
    PyObject *path_b = NULL;
    if (!PyArg_ParseTuple(args, "O&", PyUnicode_FSConverter, &path_b)) {
        return NULL;
    }
    ep_object *obj = NULL;
    ep_error err;
    char *json = NULL;
    ep_status st = ep_object_open(PyBytes_AsString(path_b), &obj, &err);
    if (st == EP_OK) {
        st = ep_inspect_json(&obj, 1, &json, &err);
    }
    ep_object_close(obj);
    Py_DECREF(path_b);
    if (st != EP_OK) {
        return raise_status(module, st, &err);
    }
    PyObject *result = decode(json);
    ep_free(json);
    return result;
}

/* wheel(files, target, python, facts, timeout, color) -> (json, text,
 * has_errors); files: the paths joined by NUL characters (no tuple walking
 * in the 3.8 limited API) */
static PyObject *
shim_wheel(PyObject *module, PyObject *args)
{
    const char *blob, *target = NULL, *python = NULL, *facts = NULL;
    Py_ssize_t blob_len, facts_len = 0;
    double timeout = 30.0;
    int color = 0;
    if (!PyArg_ParseTuple(args, "s#|zzz#dp", &blob, &blob_len, &target, &python,
                          &facts, &facts_len, &timeout, &color)) {
        return NULL;
    }
    size_t count = 0;
    for (Py_ssize_t i = 0; i <= blob_len; i++) {
        count += i == blob_len || blob[i] == '\0';
    }
    const char **files = PyMem_Malloc(count * sizeof(*files));
    if (files == NULL) {
        return PyErr_NoMemory();
    }
    size_t k = 0;
    for (const char *p = blob; k < count; p += strlen(p) + 1) {
        files[k++] = p;
    }
    ep_wheel_options opt;
    ep_wheel_options_init(&opt);
    opt.target = target;
    opt.python = python;
    opt.facts = facts;
    opt.facts_len = (size_t)facts_len;
    opt.timeout = timeout;
    ep_wheels *ws = NULL;
    ep_error err;
    ep_status st;
    Py_BEGIN_ALLOW_THREADS st = ep_wheels_audit(files, count, &opt, &ws, &err);
    Py_END_ALLOW_THREADS PyMem_Free(files);
    if (st != EP_OK) {
        return raise_status(module, st, &err);
    }
    char *json = ep_wheels_json(ws, &err);
    char *text = json ? ep_wheels_text(ws, color != 0, &err) : NULL;
    PyObject *result = documents(
        json, text, ep_wheels_has_errors(ws) ? Py_True : Py_False, NULL);
    ep_wheels_free(ws);
    return result;
}

/* facts_source() -> the script that gathers interpreter facts */
static PyObject *
shim_facts_source(PyObject *module, PyObject *unused)
{
    (void)module;
    (void)unused;
    return decode(ep_facts_py);
}

static PyMethodDef shim_methods[] = {
    {"explain", shim_explain, METH_VARARGS,
     "explain(target, facts=None, python=None, workdir=None, start='c', "
     "script=None, import_trial=True, timeout=60.0, is_file=False, "
     "color=False) -> (json, text, has_errors, importable)"},
    {"wheel", shim_wheel, METH_VARARGS,
     "wheel(files, target=None, python=None, facts=None, timeout=30.0, "
     "color=False) -> (json, text, has_errors); files NUL-joined"},
    {"inspect", shim_inspect, METH_VARARGS,
     "inspect(path) -> JSON text of the ELF facts of one file"},
    {"facts_source", shim_facts_source, METH_NOARGS,
     "facts_source() -> source of the interpreter-facts script"},
    {NULL, NULL, 0, NULL},
};

static int
shim_exec(PyObject *module)
{
    shim_state *state = state_of(module);
    state->probe_error = PyErr_NewExceptionWithDoc(
        "extprobe.ProbeError",
        "The probe itself could not run (interpreter not found, timeout, ...).",
        NULL, NULL);
    if (state->probe_error == NULL) {
        return -1;
    }
    Py_INCREF(state->probe_error);
    /* PyModule_AddObject() steals the reference only on success (and
     * AddObjectRef is 3.10+). */
    if (PyModule_AddObject(module, "ProbeError", state->probe_error) < 0) {
        Py_DECREF(state->probe_error);
        return -1;
    }
    return PyModule_AddStringConstant(module, "__version__", ep_version());
}

static int
shim_traverse(PyObject *module, visitproc visit, void *arg)
{
    shim_state *state = state_of(module);
    Py_VISIT(state->probe_error);
    return 0;
}

static int
shim_clear(PyObject *module)
{
    shim_state *state = state_of(module);
    Py_CLEAR(state->probe_error);
    return 0;
}

static void
shim_free(void *module)
{
    shim_clear((PyObject *)module);
}

static PyModuleDef_Slot shim_slots[] = {
    {Py_mod_exec, (void *)shim_exec},
    {0, NULL},
};

static struct PyModuleDef shim_module = {
    PyModuleDef_HEAD_INIT,
    "_extprobe",
    "C core of extprobe (libextprobe); use the extprobe package.",
    sizeof(shim_state),
    shim_methods,
    shim_slots,
    shim_traverse,
    shim_clear,
    shim_free,
};

/* Python 3.8 headers do not mark PyMODINIT_FUNC visible, and the module is
 * built with hidden visibility. */
__attribute__((visibility("default"))) PyMODINIT_FUNC PyInit__extprobe(void);

__attribute__((visibility("default"))) PyMODINIT_FUNC
PyInit__extprobe(void)
{
    return PyModuleDef_Init(&shim_module);
}
