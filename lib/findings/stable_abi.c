/*
 * The rule extprobe applies to the imports of an abi3 module (PEP 384,
 * PEP 652), deliberately small and stated here in full:
 *  1. An underscore name (_Py...) is outside the Limited API unless it is
 *     one of the few the Limited API's own macros expand to (list A);
 *     code compiled without Py_LIMITED_API pulls in many others
 *     (_PyObject_GetAttrId, _PyUnicode_Ready, _PyLong_AsByteArray, ...).
 *  2. A public name on list B was never part of the Limited API.
 *  3. A public name on list C joined the Limited API in the version given:
 *     a module tagged for an older version (WHEEL "cp38-abi3") must not
 *     use it.
 * Everything else is accepted: this is a targeted check of the usual
 * mistakes, not abi3audit's full table; ep_check_undefined_symbol() still
 * checks every Py symbol against what this interpreter exports.
 */
#include "findings/checks.h"

#include <string.h>

/* A: underscore names that are part of the Stable ABI (abi-only). */
static const char *const stable_underscore[] = {
    "_PyArg_ParseTupleAndKeywords_SizeT",
    "_PyArg_ParseTuple_SizeT",
    "_PyArg_Parse_SizeT",
    "_PyArg_VaParseTupleAndKeywords_SizeT",
    "_PyArg_VaParse_SizeT",
    "_PyErr_BadInternalCall",
    "_PyObject_CallFunction_SizeT",
    "_PyObject_CallMethod_SizeT",
    "_PyObject_GC_New",
    "_PyObject_GC_NewVar",
    "_PyObject_GC_Resize",
    "_PyObject_New",
    "_PyObject_NewVar",
    "_PyState_AddModule",
    "_PyThreadState_Init",
    "_PyThreadState_Prealloc",
    "_PyTrash_deposit_object",
    "_PyTrash_destroy_chain",
    "_PyTrash_thread_deposit_object",
    "_PyTrash_thread_destroy_chain",
    "_PyWeakref_CallableProxyType",
    "_PyWeakref_ProxyType",
    "_PyWeakref_RefType",
    "_Py_BuildValue_SizeT",
    "_Py_CheckRecursionLimit",
    "_Py_CheckRecursiveCall",
    "_Py_Dealloc",
    "_Py_DecRef",
    "_Py_EllipsisObject",
    "_Py_FalseStruct",
    "_Py_IncRef",
    "_Py_NegativeRefcount",
    "_Py_NoneStruct",
    "_Py_NotImplementedStruct",
    "_Py_RefTotal",
    "_Py_SetRefcnt",
    "_Py_TrueStruct",
    "_Py_VaBuildValue_SizeT",
};

/* B: public names outside the Limited API (up to 3.13). */
static const char *const never_limited[] = {
    "PyCode_New",
    "PyCode_NewEmpty",
    "PyCode_NewWithPosOnlyArgs",
    "PyContextVar_Get",
    "PyContextVar_New",
    "PyContextVar_Reset",
    "PyContextVar_Set",
    "PyContext_Copy",
    "PyContext_CopyCurrent",
    "PyContext_New",
    "PyDict_SetDefault",
    "PyFrame_FastToLocalsWithError",
    "PyFrame_LocalsToFast",
    "PyFrame_New",
    "PyMarshal_ReadObjectFromString",
    "PyMarshal_WriteObjectToString",
    "PyRun_SimpleStringFlags",
    "PyRun_StringFlags",
    "PyUnicode_AsUnicode",
    "PyUnicode_AsUnicodeAndSize",
    "PyUnicode_FromKindAndData",
    "PyUnicode_FromUnicode",
    "PyUnicode_New",
};

/* C: public names and the minor version of 3.x that added them to the
 * Limited API. */
static const struct {
    const char *name;
    int minor;
} added_later[] = {
    {"PyBuffer_FillInfo", 11},
    {"PyBuffer_IsContiguous", 11},
    {"PyBuffer_Release", 11},
    {"PyDict_GetItemRef", 13},
    {"PyDict_GetItemStringRef", 13},
    {"PyErr_GetRaisedException", 12},
    {"PyErr_SetRaisedException", 12},
    {"PyFrame_GetCode", 10},
    {"PyGC_Disable", 10},
    {"PyGC_Enable", 10},
    {"PyGC_IsEnabled", 10},
    {"PyImport_AddModuleRef", 13},
    {"PyInterpreterState_Get", 9},
    {"PyIter_Send", 10},
    {"PyLong_AsInt", 13},
    {"PyMapping_GetOptionalItem", 13},
    {"PyMemoryView_FromBuffer", 11},
    {"PyModule_Add", 13},
    {"PyModule_AddObjectRef", 10},
    {"PyModule_AddType", 10},
    {"PyObject_CallNoArgs", 10},
    {"PyObject_GC_IsFinalized", 9},
    {"PyObject_GC_IsTracked", 9},
    {"PyObject_GetBuffer", 11},
    {"PyObject_GetOptionalAttr", 13},
    {"PyObject_GetOptionalAttrString", 13},
    {"PyObject_Vectorcall", 12},
    {"PyObject_VectorcallMethod", 12},
    {"PyThreadState_GetFrame", 10},
    {"PyThreadState_GetID", 10},
    {"PyThreadState_GetInterpreter", 10},
    {"PyType_FromMetaclass", 12},
    {"PyType_FromModuleAndSpec", 10},
    {"PyType_GetFullyQualifiedName", 13},
    {"PyType_GetModule", 10},
    {"PyType_GetModuleByDef", 13},
    {"PyType_GetModuleState", 10},
    {"PyType_GetName", 11},
    {"PyType_GetQualName", 11},
    {"PyUnicode_AsUTF8", 13},
    {"PyUnicode_AsUTF8AndSize", 10},
    {"PyVectorcall_Call", 12},
    {"PyVectorcall_NARGS", 12},
    {"PyWeakref_GetRef", 13},
    {"Py_NewRef", 10},
    {"Py_XNewRef", 10},
};

static bool
in_list(const char *const *list, size_t n, const char *sym)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(list[i], sym) == 0) {
            return true;
        }
    }
    return false;
}

const char *
ep_stable_abi_violation(ep_arena *a, const char *sym, int minor)
{
    if (strncmp(sym, "_Py", 3) == 0) {
        if (in_list(stable_underscore,
                    sizeof(stable_underscore) / sizeof(*stable_underscore),
                    sym)) {
            return NULL;
        }
        return "a private CPython symbol, not part of the Limited API";
    }
    if (strncmp(sym, "Py", 2) != 0) {
        return NULL;
    }
    if (in_list(never_limited, sizeof(never_limited) / sizeof(*never_limited),
                sym)) {
        return "not part of the Limited API";
    }
    for (size_t i = 0;
         minor >= 0 && i < sizeof(added_later) / sizeof(*added_later); i++) {
        if (strcmp(added_later[i].name, sym) == 0 &&
            added_later[i].minor > minor) {
            return ep_arena_printf(a,
                                   "added to the Limited API in 3.%d, after "
                                   "the declared 3.%d",
                                   added_later[i].minor, minor);
        }
    }
    return NULL;
}
