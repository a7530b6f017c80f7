/*
 * The bytecode of a code object as text, for the TUI's code pane (`x`
 * expands a statement into the instructions CPython runs).  Written in C
 * from the code object's deoptimised bytes, so that nothing of the
 * scenario's interpreter changes when it is shown (importing `dis` there
 * would): the columns follow CPython 3.11's Lib/dis.py, so the listing
 * reads like `python3 -m dis`.  Engine layer; tracer.c writes the result
 * as an EV_BYTECODE record.
 */
#include "config.h"

#include "engine/internal.h"

#include <opcode.h>
#include <string.h>

#if PY_VERSION_HEX < 0x030b0000 || PY_VERSION_HEX >= 0x030c0000
#error "disasm.c knows CPython 3.11's instruction set"
#endif

/* The base instructions of 3.11 (the specialised ones never appear in
 * deoptimised code).  Indexed by the opcode.h values, so a renumbering
 * cannot mislabel one. */
#define OP(name) [name] = #name
static const char *const op_names[256] = {
    OP(CACHE), OP(POP_TOP), OP(PUSH_NULL), OP(NOP), OP(UNARY_POSITIVE),
    OP(UNARY_NEGATIVE), OP(UNARY_NOT), OP(UNARY_INVERT), OP(BINARY_SUBSCR),
    OP(GET_LEN), OP(MATCH_MAPPING), OP(MATCH_SEQUENCE), OP(MATCH_KEYS),
    OP(PUSH_EXC_INFO), OP(CHECK_EXC_MATCH), OP(CHECK_EG_MATCH),
    OP(WITH_EXCEPT_START), OP(GET_AITER), OP(GET_ANEXT),
    OP(BEFORE_ASYNC_WITH), OP(BEFORE_WITH), OP(END_ASYNC_FOR),
    OP(STORE_SUBSCR), OP(DELETE_SUBSCR), OP(GET_ITER),
    OP(GET_YIELD_FROM_ITER), OP(PRINT_EXPR), OP(LOAD_BUILD_CLASS),
    OP(LOAD_ASSERTION_ERROR), OP(RETURN_GENERATOR), OP(LIST_TO_TUPLE),
    OP(RETURN_VALUE), OP(IMPORT_STAR), OP(SETUP_ANNOTATIONS),
    OP(YIELD_VALUE), OP(ASYNC_GEN_WRAP), OP(PREP_RERAISE_STAR),
    OP(POP_EXCEPT), OP(STORE_NAME), OP(DELETE_NAME), OP(UNPACK_SEQUENCE),
    OP(FOR_ITER), OP(UNPACK_EX), OP(STORE_ATTR), OP(DELETE_ATTR),
    OP(STORE_GLOBAL), OP(DELETE_GLOBAL), OP(SWAP), OP(LOAD_CONST),
    OP(LOAD_NAME), OP(BUILD_TUPLE), OP(BUILD_LIST), OP(BUILD_SET),
    OP(BUILD_MAP), OP(LOAD_ATTR), OP(COMPARE_OP), OP(IMPORT_NAME),
    OP(IMPORT_FROM), OP(JUMP_FORWARD), OP(JUMP_IF_FALSE_OR_POP),
    OP(JUMP_IF_TRUE_OR_POP), OP(POP_JUMP_FORWARD_IF_FALSE),
    OP(POP_JUMP_FORWARD_IF_TRUE), OP(LOAD_GLOBAL), OP(IS_OP),
    OP(CONTAINS_OP), OP(RERAISE), OP(COPY), OP(BINARY_OP), OP(SEND),
    OP(LOAD_FAST), OP(STORE_FAST), OP(DELETE_FAST),
    OP(POP_JUMP_FORWARD_IF_NOT_NONE), OP(POP_JUMP_FORWARD_IF_NONE),
    OP(RAISE_VARARGS), OP(GET_AWAITABLE), OP(MAKE_FUNCTION),
    OP(BUILD_SLICE), OP(JUMP_BACKWARD_NO_INTERRUPT), OP(MAKE_CELL),
    OP(LOAD_CLOSURE), OP(LOAD_DEREF), OP(STORE_DEREF), OP(DELETE_DEREF),
    OP(JUMP_BACKWARD), OP(CALL_FUNCTION_EX), OP(EXTENDED_ARG),
    OP(LIST_APPEND), OP(SET_ADD), OP(MAP_ADD), OP(LOAD_CLASSDEREF),
    OP(COPY_FREE_VARS), OP(RESUME), OP(MATCH_CLASS), OP(FORMAT_VALUE),
    OP(BUILD_CONST_KEY_MAP), OP(BUILD_STRING), OP(LOAD_METHOD),
    OP(LIST_EXTEND), OP(SET_UPDATE), OP(DICT_MERGE), OP(DICT_UPDATE),
    OP(PRECALL), OP(CALL), OP(KW_NAMES),
    OP(POP_JUMP_BACKWARD_IF_NOT_NONE), OP(POP_JUMP_BACKWARD_IF_NONE),
    OP(POP_JUMP_BACKWARD_IF_FALSE), OP(POP_JUMP_BACKWARD_IF_TRUE),
};
#undef OP

/* Lib/opcode.py's cmp_op and _nb_ops (the symbols dis shows). */
static const char *const cmp_ops[] = { "<", "<=", "==", "!=", ">", ">=" };
static const char *const nb_ops[] = {
    "+", "&", "//", "<<", "@", "*", "%", "|", "**", ">>", "-", "/", "^",
    "+=", "&=", "//=", "<<=", "@=", "*=", "%=", "|=", "**=", ">>=", "-=",
    "/=", "^=",
};
static const char *const format_converters[] = { "", "str", "repr",
                                                 "ascii" };
static const char *const make_function_flags[] = { "defaults", "kwdefaults",
                                                   "annotations",
                                                   "closure" };

#define NELEMS(a) (sizeof (a) / sizeof (a)[0])

enum arg_kind { ARG_NONE, ARG_CONST, ARG_NAME, ARG_LOCAL, ARG_JREL_FWD,
                ARG_JREL_BACK };

static enum arg_kind
arg_kind_of(int op)
{
    switch (op) {
    case LOAD_CONST:            /* not KW_NAMES: 3.11's dis leaves it bare */
        return ARG_CONST;
    case STORE_NAME: case DELETE_NAME: case STORE_ATTR: case DELETE_ATTR:
    case STORE_GLOBAL: case DELETE_GLOBAL: case LOAD_NAME: case LOAD_ATTR:
    case IMPORT_NAME: case IMPORT_FROM: case LOAD_METHOD: case LOAD_GLOBAL:
        return ARG_NAME;
    case LOAD_FAST: case STORE_FAST: case DELETE_FAST: case MAKE_CELL:
    case LOAD_CLOSURE: case LOAD_DEREF: case STORE_DEREF: case DELETE_DEREF:
    case LOAD_CLASSDEREF:
        return ARG_LOCAL;
    case FOR_ITER: case JUMP_FORWARD: case JUMP_IF_FALSE_OR_POP:
    case JUMP_IF_TRUE_OR_POP: case POP_JUMP_FORWARD_IF_FALSE:
    case POP_JUMP_FORWARD_IF_TRUE: case SEND:
    case POP_JUMP_FORWARD_IF_NOT_NONE: case POP_JUMP_FORWARD_IF_NONE:
        return ARG_JREL_FWD;
    case JUMP_BACKWARD_NO_INTERRUPT: case JUMP_BACKWARD:
    case POP_JUMP_BACKWARD_IF_NOT_NONE: case POP_JUMP_BACKWARD_IF_NONE:
    case POP_JUMP_BACKWARD_IF_FALSE: case POP_JUMP_BACKWARD_IF_TRUE:
        return ARG_JREL_BACK;
    default:
        return ARG_NONE;
    }
}

/* str(item i of a tuple) or repr(...) into out; "?" when it fails. */
static void
add_item(struct str *out, PyObject *tuple, Py_ssize_t i, bool use_repr)
{
    PyObject *o, *s;
    const char *u;

    if (tuple == NULL || !PyTuple_Check(tuple) || i < 0
        || i >= PyTuple_GET_SIZE(tuple)) {
        str_adds(out, "?");
        return;
    }
    o = PyTuple_GET_ITEM(tuple, i);     /* borrowed */
    s = use_repr ? PyObject_Repr(o) : PyObject_Str(o);
    u = s != NULL ? PyUnicode_AsUTF8(s) : NULL;
    if (u == NULL) {
        PyErr_Clear();
        str_adds(out, "?");
    } else {
        /* A tab or newline in a repr would break the line format. */
        for (; *u != '\0'; u++) {
            str_addc(out, *u == '\t' || *u == '\n' ? ' ' : *u);
        }
    }
    Py_XDECREF(s);
}

/* What dis calls argrepr, for op with its full (extended) arg at offset. */
static void
add_argrepr(struct str *out, PyCodeObject *co, int op, int arg, int offset)
{
    switch (arg_kind_of(op)) {
    case ARG_CONST:
        add_item(out, co->co_consts, arg, true);
        return;
    case ARG_NAME:
        if (op == LOAD_GLOBAL) {
            if (arg & 1) {
                str_adds(out, "NULL + ");
            }
            arg >>= 1;
        }
        add_item(out, co->co_names, arg, false);
        return;
    case ARG_LOCAL:
        add_item(out, co->co_localsplusnames, arg, false);
        return;
    case ARG_JREL_FWD:
        str_addf(out, "to %d", offset + 2 + arg * 2);
        return;
    case ARG_JREL_BACK:
        str_addf(out, "to %d", offset + 2 - arg * 2);
        return;
    case ARG_NONE:
        break;
    }
    if (op == COMPARE_OP && (size_t)arg < NELEMS(cmp_ops)) {
        str_adds(out, cmp_ops[arg]);
    } else if (op == BINARY_OP && (size_t)arg < NELEMS(nb_ops)) {
        str_adds(out, nb_ops[arg]);
    } else if (op == FORMAT_VALUE) {
        str_adds(out, format_converters[arg & 3]);
        if (arg & 4) {
            str_adds(out, (arg & 3) != 0 ? ", with format" : "with format");
        }
    } else if (op == MAKE_FUNCTION) {
        bool first = true;

        for (size_t i = 0; i < NELEMS(make_function_flags); i++) {
            if (arg & (1 << i)) {
                str_adds(out, first ? "" : ", ");
                str_adds(out, make_function_flags[i]);
                first = false;
            }
        }
    }
}

int
engine__disasm(PyCodeObject *co, struct str *out)
{
    PyObject *code = PyCode_GetCode(co);    /* new reference */
    const unsigned char *b;
    Py_ssize_t n;
    int ext = 0;

    if (code == NULL) {
        PyErr_Clear();
        return -1;
    }
    b = (const unsigned char *)PyBytes_AS_STRING(code);
    n = PyBytes_GET_SIZE(code);
    for (Py_ssize_t off = 0; off + 1 < n; off += 2) {
        int op = b[off], arg;
        const char *name = op_names[op];

        if (op == CACHE) {
            continue;           /* inline cache entries are no instructions */
        }
        arg = ext | b[off + 1];
        ext = op == EXTENDED_ARG ? arg << 8 : 0;
        str_addf(out, "%d\t%d\t", (int)off, PyCode_Addr2Line(co, (int)off));
        if (name != NULL) {
            str_adds(out, name);
        } else {
            str_addf(out, "<%d>", op);
        }
        str_addc(out, '\t');
        if (op >= HAVE_ARGUMENT) {
            str_addf(out, "%d", arg);
        }
        str_addc(out, '\t');
        if (op >= HAVE_ARGUMENT) {
            add_argrepr(out, co, op, arg, (int)off);
        }
        str_addc(out, '\n');
    }
    Py_DECREF(code);
    return 0;
}
