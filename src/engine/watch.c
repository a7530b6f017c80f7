/*
 * Watched variables (engine layer): the globals a lesson names in
 * `watch:` (telar run --watch NAME), logged as EV_WATCH whenever their
 * value changes, so the TUI's state pane can show `contador = 1` going
 * wrong step by step.  Checked where positions are logged: at every point
 * of scenario code while the TUI looks, which is right after the
 * instruction that stored the value.  A rebinding is seen at once; a
 * mutable object changed in place is seen when its repr changes, checked
 * when its length does.  The last value is held (a strong reference), so
 * a freed object whose address comes back cannot pass for it.
 */
#include "config.h"

#include "engine/internal.h"

#include <string.h>

#define WATCH_REPR_MAX 160      /* longer values are cut, with an ellipsis */

struct watch {
    PyObject *name;             /* strong: the global's name */
    PyObject *value;            /* strong: the value last logged, or NULL */
    Py_ssize_t len;             /* its len() then, or -1 */
    PyObject *repr;             /* strong: its repr then */
};

void
watch__fini(struct engine *e)
{
    for (int i = 0; i < e->nwatch; i++) {
        Py_CLEAR(e->watches[i].name);
        Py_CLEAR(e->watches[i].value);
        Py_CLEAR(e->watches[i].repr);
    }
    free(e->watches);
    e->watches = NULL;
    e->nwatch = 0;
}

/* len(v) for containers whose contents change in place, else -1. */
static Py_ssize_t
mutable_len(PyObject *v)
{
    Py_ssize_t n;

    if (!PyList_Check(v) && !PyDict_Check(v) && !PySet_Check(v)
        && !PyByteArray_Check(v)) {
        return -1;
    }
    n = PyObject_Length(v);
    if (n < 0) {
        PyErr_Clear();
    }
    return n;
}

static void
watch_log(struct engine *e, int actor, int index, const char *name,
          const char *repr)
{
    struct ev ev = { .kind = EV_WATCH, .obj = -1, .actor = actor,
                     .a = index };
    struct str s;
    size_t len = strlen(repr);

    str_init(&s);
    str_addf(&s, "%s=", name);
    if (len > WATCH_REPR_MAX) {
        /* Cut at a character boundary. */
        while (len > WATCH_REPR_MAX - 3
               || ((unsigned char)repr[len] & 0xc0) == 0x80) {
            len--;
        }
        str_add(&s, repr, len);
        str_adds(&s, "\u2026");
    } else {
        str_add(&s, repr, len);
    }
    ev.str = s.p;
    ev.len = s.len;
    evlog_put(e->log, sched_step(e->sched), sched_now(e->sched), &ev);
    str_fini(&s);
}

void
watch__check(struct engine *e, int actor)
{
    PyObject *main_mod, *globals;

    if (e->nwatch == 0 || e->finishing) {
        return;
    }
    main_mod = PyImport_AddModule("__main__");     /* borrowed */
    globals = main_mod != NULL ? PyModule_GetDict(main_mod) : NULL;
    if (globals == NULL) {
        PyErr_Clear();
        return;
    }
    for (int i = 0; i < e->nwatch; i++) {
        struct watch *w = &e->watches[i];
        PyObject *v = PyDict_GetItemWithError(globals, w->name); /* borrowed */
        PyObject *repr;
        Py_ssize_t len;
        const char *u;

        if (v == NULL) {
            PyErr_Clear();
            continue;           /* not defined yet (or deleted): unchanged */
        }
        len = mutable_len(v);
        if (v == w->value && len == w->len && len < 0) {
            continue;
        }
        repr = PyObject_Repr(v);
        if (repr == NULL) {
            PyErr_Clear();
            continue;
        }
        if (w->repr != NULL && PyUnicode_Compare(repr, w->repr) == 0) {
            Py_DECREF(repr);
            Py_INCREF(v);
            Py_XSETREF(w->value, v);
            w->len = len;
            continue;
        }
        u = PyUnicode_AsUTF8(repr);
        if (u != NULL) {
            watch_log(e, actor, i, PyUnicode_AsUTF8(w->name), u);
        }
        PyErr_Clear();
        Py_XSETREF(w->repr, repr);
        Py_INCREF(v);
        Py_XSETREF(w->value, v);
        w->len = len;
    }
}

int
watch__init(struct engine *e)
{
    const struct engine_opts *o = e->opts;

    if (o->nwatch == 0) {
        return 0;
    }
    e->watches = xcalloc((size_t)o->nwatch, sizeof *e->watches);
    for (int i = 0; i < o->nwatch; i++) {
        e->watches[i].name = PyUnicode_InternFromString(o->watch[i]);
        e->watches[i].len = -1;
        if (e->watches[i].name == NULL) {
            return -1;
        }
        e->nwatch = i + 1;
    }
    return 0;
}
