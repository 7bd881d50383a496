/* The compiled part of the bundled example (example/README.md): a minimal
 * module with one function, built against the build interpreter's headers. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
answer(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    return PyLong_FromLong(42);
}

static PyMethodDef methods[] = {
    {"answer", answer, METH_NOARGS, "Return 42."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_fraise_rs", "example extension", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__fraise_rs(void);

PyMODINIT_FUNC
PyInit__fraise_rs(void)
{
    return PyModule_Create(&module);
}
