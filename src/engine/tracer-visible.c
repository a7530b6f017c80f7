/*
 * Visible instructions: where a switch to another actor can change what a
 * run does.  telar explore branches only there (and at decisions among
 * several ready actors), so its search stays small: an instruction that
 * only touches the running frame's own locals and value stack commutes
 * with anything another actor does, and switching before it or after it
 * gives the same run.  Visible are shared reads and writes (globals,
 * module-level names, attributes, items, cells), calls that leave
 * scenario code (C functions, the standard library, telar's locks and
 * queues: their effects happen inside one instruction), with-statements,
 * imports, and the operations whose operands may be shared mutable objects
 * (a list's +=, `x in some_list`, iterating over a list).  Operations on
 * ints, floats, strings, bytes, None and bools are local.  Layer: engine;
 * only tracer.c calls it, inside an opcode event, while exploring.
 */
#include "config.h"

#include "engine/internal.h"

#include <opcode.h>
#include <string.h>

/* Values whose operations read nothing another actor can change. */
static bool
is_atomic_value(PyObject *o)
{
    return o == Py_None || PyBool_Check(o) || PyLong_CheckExact(o)
           || PyFloat_CheckExact(o) || PyComplex_CheckExact(o)
           || PyUnicode_CheckExact(o) || PyBytes_CheckExact(o);
}

/* Containers whose contents cannot change under us. */
static bool
is_frozen_container(PyObject *o)
{
    return PyTuple_CheckExact(o) || PyUnicode_CheckExact(o)
           || PyBytes_CheckExact(o) || PyRange_Check(o)
           || PyFrozenSet_CheckExact(o);
}

/* A container whose membership test reads nothing shared: a string,
 * bytes or a range, or a tuple or frozenset of atomic values (the
 * constant of `op in ("a", "b")`). */
static bool
is_atomic_container(PyObject *o)
{
    if (PyUnicode_CheckExact(o) || PyBytes_CheckExact(o) || PyRange_Check(o)) {
        return true;
    }
    if (PyTuple_CheckExact(o)) {
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(o); i++) {
            if (!is_atomic_value(PyTuple_GET_ITEM(o, i))) {
                return false;
            }
        }
        return true;
    }
    if (PyFrozenSet_CheckExact(o)) {
        Py_ssize_t pos = 0;
        PyObject *key;
        Py_hash_t hash;

        while (_PySet_NextEntry(o, &pos, &key, &hash)) {
            if (!is_atomic_value(key)) {
                return false;
            }
        }
        return true;
    }
    return false;
}

/* Iterators that read nothing shared: over a range, a tuple, a string or
 * bytes, or a generator of the scenario's own (its body has points of its
 * own). */
static bool
is_local_iterator(struct engine *e, PyObject *o)
{
    const char *name = Py_TYPE(o)->tp_name;

    if (PyGen_CheckExact(o)) {
        return tracer__is_scenario_code(
            e, (PyCodeObject *)((PyGenObject *)o)->gi_code);
    }
    return strcmp(name, "range_iterator") == 0
           || strcmp(name, "longrange_iterator") == 0
           || strcmp(name, "tuple_iterator") == 0
           || strcmp(name, "str_ascii_iterator") == 0
           || strcmp(name, "str_iterator") == 0
           || strcmp(name, "bytes_iterator") == 0;
}

/* Whether calling func runs scenario code and nothing else: a Python
 * function of the scenario, plain or bound.  Everything else (C, the
 * standard library, a class) runs as one instruction, unseen. */
static bool
is_scenario_callable(struct engine *e, PyObject *func)
{
    if (PyMethod_Check(func)) {
        func = PyMethod_GET_FUNCTION(func);
    }
    return PyFunction_Check(func)
           && tracer__is_scenario_code(
               e, (PyCodeObject *)PyFunction_GET_CODE(func));
}

/* The argument of the instruction at lasti, with its EXTENDED_ARG
 * prefixes. */
static int
oparg_at(const unsigned char *code, int lasti)
{
    int arg = code[lasti + 1], shift = 8;

    for (int at = lasti - 2; at >= 0 && code[at] == EXTENDED_ARG;
         at -= 2, shift += 8) {
        arg |= code[at + 1] << shift;
    }
    return arg;
}

/* A module-level name: the frame's locals are its globals. */
static bool
is_module_level(PyFrameObject *f)
{
    PyObject *locals = PyFrame_GetLocals(f), *globals = PyFrame_GetGlobals(f);
    bool same = locals != NULL && locals == globals;

    Py_XDECREF(locals);
    Py_XDECREF(globals);
    PyErr_Clear();
    return same;
}

unsigned
tracer__visible(struct engine *e, PyFrameObject *f, const unsigned char *code,
                int lasti)
{
    int op = code[lasti], depth, arg;
    PyObject **sp = tracer__stack(f, &depth);

/* The nth item from the top (1: the top), or NULL past the bottom. */
#define PEEK(n) ((n) <= depth ? sp[-(n)] : NULL)
/* Visible unless the operand exists and satisfies pred. */
#define UNLESS(pred, o)                                                    \
    do {                                                                   \
        PyObject *o_ = (o);                                                \
        return o_ != NULL && (pred) ? 0 : SCHED_POINT_VISIBLE;             \
    } while (0)

    switch (op) {
    /* Shared reads and writes. */
    case LOAD_GLOBAL:
    case STORE_GLOBAL:
    case DELETE_GLOBAL:
    case LOAD_NAME:
    case LOAD_ATTR:
    case STORE_ATTR:
    case DELETE_ATTR:
    case LOAD_METHOD:
    case BINARY_SUBSCR:
    case STORE_SUBSCR:
    case DELETE_SUBSCR:
    case LOAD_DEREF:
    case STORE_DEREF:
    case DELETE_DEREF:
    case LOAD_CLASSDEREF:
    case IMPORT_NAME:
    case IMPORT_FROM:
    case IMPORT_STAR:
    case PRINT_EXPR:
    case GET_LEN:
    case MATCH_CLASS:
    case MATCH_MAPPING:
    case MATCH_SEQUENCE:
    case MATCH_KEYS:
    /* Synchronisation: __enter__ and __exit__ (a lock's acquire and
     * release), awaiting across tasks. */
    case BEFORE_WITH:
    case BEFORE_ASYNC_WITH:
    case WITH_EXCEPT_START:
    case SEND:
    case GET_AWAITABLE:
    case GET_AITER:
    case GET_ANEXT:
        return SCHED_POINT_VISIBLE;

    /* A class body's own namespace is local; a module's is shared. */
    case STORE_NAME:
    case DELETE_NAME:
        return is_module_level(f) ? SCHED_POINT_VISIBLE : 0;

    /* Calls: visible when they leave scenario code.  CALL's stack holds
     * [method or NULL, callable or self, args...] (Python/ceval.c). */
    case CALL: {
        PyObject *meth;

        arg = oparg_at(code, lasti);
        meth = PEEK(arg + 2);
        UNLESS(is_scenario_callable(e, o_), meth != NULL ? meth
                                                         : PEEK(arg + 1));
    }
    case CALL_FUNCTION_EX:
        arg = oparg_at(code, lasti);
        UNLESS(is_scenario_callable(e, o_), PEEK(2 + (arg & 1)));

    /* Operations whose operands may be shared objects. */
    case BINARY_OP:
    case COMPARE_OP:
        if (PEEK(1) == NULL || PEEK(2) == NULL) {
            return SCHED_POINT_VISIBLE;
        }
        UNLESS(is_atomic_value(o_) && is_atomic_value(PEEK(1)), PEEK(2));
    case CONTAINS_OP:
        /* [item, container] */
        UNLESS(is_atomic_container(o_) && PEEK(2) != NULL
               && is_atomic_value(PEEK(2)), PEEK(1));
    case UNARY_POSITIVE:
    case UNARY_NEGATIVE:
    case UNARY_NOT:
    case UNARY_INVERT:
    case FORMAT_VALUE:
    case POP_JUMP_FORWARD_IF_FALSE:
    case POP_JUMP_FORWARD_IF_TRUE:
    case POP_JUMP_BACKWARD_IF_FALSE:
    case POP_JUMP_BACKWARD_IF_TRUE:
    case JUMP_IF_FALSE_OR_POP:
    case JUMP_IF_TRUE_OR_POP:
        /* Truth, negation, formatting: __bool__, __len__, __format__ of
         * whatever is on top.  FORMAT_VALUE with a spec has it on top. */
        if (op == FORMAT_VALUE && (oparg_at(code, lasti) & 0x04)) {
            UNLESS(is_atomic_value(o_), PEEK(2));
        }
        UNLESS(is_atomic_value(o_), PEEK(1));
    case UNPACK_SEQUENCE:
    case UNPACK_EX:
    case LIST_EXTEND:
    case SET_UPDATE:
    case DICT_UPDATE:
    case DICT_MERGE:
        UNLESS(is_frozen_container(o_), PEEK(1));
    case GET_ITER:
        UNLESS(is_frozen_container(o_) || PyList_CheckExact(o_)
               || PyDict_CheckExact(o_) || PyGen_CheckExact(o_), PEEK(1));
    case FOR_ITER:
        UNLESS(is_local_iterator(e, o_), PEEK(1));

    default:
        /* Locals, constants, the value stack, jumps, building new
         * objects, exceptions, returns and yields. */
        return 0;
    }
#undef PEEK
#undef UNLESS
}
