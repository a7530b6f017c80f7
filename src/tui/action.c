/*
 * Keys and what they do (tui layer), after htop's Action.c: one table from
 * key to action.  An action changes the model's cursor or struct tui and
 * returns REACT_* flags; it never draws (the loop draws once the keys read
 * together are all handled).  Keys not in the table go to the focused
 * view (screen.c), the mouse to whatever is under it.
 */
#include "config.h"

#include <stdlib.h>

#include "tui/internal.h"
#include "tui/screen.h"

#define CTRL(c) ((c) & 0x1f)

static const int speeds[] = {
    1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000, 20000,
};
#define NSPEEDS ((int)(sizeof speeds / sizeof speeds[0]))

int
action_speed(int index)
{
    return speeds[index < 0 ? 0 : index >= NSPEEDS ? NSPEEDS - 1 : index];
}

/* Stepping by hand stops playing. */
static int
pause_flags(struct tui *t)
{
    if (t->playing) {
        t->playing = false;
        return REACT_PLAY;
    }
    return 0;
}

static int
act_play(struct tui *t)
{
    if (!t->playing && model_is_at_end(t->model) && !t->growing) {
        model_first(t->model);  /* at the end, space plays it again */
    }
    t->playing = !t->playing;
    return REACT_PLAY | REACT_REDRAW;
}

static int
act_next(struct tui *t)
{
    int f = pause_flags(t);

    model_next(t->model);
    return f | REACT_REDRAW;
}

static int
act_prev(struct tui *t)
{
    int f = pause_flags(t);

    model_prev(t->model);
    return f | REACT_REDRAW;
}

static int
act_next_notable(struct tui *t)
{
    int f = pause_flags(t);

    model_next_notable(t->model);
    return f | REACT_REDRAW;
}

static int
act_prev_notable(struct tui *t)
{
    int f = pause_flags(t);

    model_prev_notable(t->model);
    return f | REACT_REDRAW;
}

static int
act_first(struct tui *t)
{
    int f = pause_flags(t);

    model_first(t->model);
    return f | REACT_REDRAW;
}

static int
act_last(struct tui *t)
{
    int f = pause_flags(t);

    model_last(t->model);
    return f | REACT_REDRAW;
}

static int
act_faster(struct tui *t)
{
    t->speed = t->speed + 1 < NSPEEDS ? t->speed + 1 : t->speed;
    return REACT_PLAY | REACT_REDRAW;   /* the timer's period changes */
}

static int
act_slower(struct tui *t)
{
    t->speed = t->speed > 0 ? t->speed - 1 : 0;
    return REACT_PLAY | REACT_REDRAW;
}

static int
act_pane_next(struct tui *t)
{
    screen_focus_next(t->screen, 1);
    return REACT_REDRAW;
}

static int
act_pane_prev(struct tui *t)
{
    screen_focus_next(t->screen, -1);
    return REACT_REDRAW;
}

static int
act_pane_1(struct tui *t)
{
    screen_focus(t->screen, PANE_TIMELINE);
    return REACT_REDRAW;
}

static int
act_pane_2(struct tui *t)
{
    screen_focus(t->screen, PANE_OUTPUT);
    return REACT_REDRAW;
}

static int
act_pane_3(struct tui *t)
{
    screen_focus(t->screen, PANE_STATE);
    return REACT_REDRAW;
}

static int
act_pane_4(struct tui *t)
{
    screen_focus(t->screen, PANE_CODE);
    return REACT_REDRAW;
}

/* x: the bytecode of the line being run, in the code pane (shown, and
 * given the focus in the tabbed layout, where it would not be seen). */
static int
act_bytecode(struct tui *t)
{
    struct view *v = screen_view(t->screen, PANE_CODE);

    view_code_toggle_bytecode(v);
    if (view_code_is_expanded(v)) {
        screen_focus(t->screen, PANE_CODE);
    }
    return REACT_REDRAW;
}

static int
act_axis(struct tui *t)
{
    view_timeline_toggle_axis(screen_view(t->screen, PANE_TIMELINE));
    return REACT_REDRAW;
}

static int
act_zoom_in(struct tui *t)
{
    view_timeline_zoom(screen_view(t->screen, PANE_TIMELINE), 1);
    return REACT_REDRAW;
}

static int
act_zoom_out(struct tui *t)
{
    view_timeline_zoom(screen_view(t->screen, PANE_TIMELINE), -1);
    return REACT_REDRAW;
}

static int
act_help(struct tui *t)
{
    (void)t;
    return REACT_HELP;
}

static int
act_redraw(struct tui *t)
{
    (void)t;
    return REACT_FULL | REACT_REDRAW;
}

/* Back to the page beneath (the lesson), or out when there is none. */
static int
act_back(struct tui *t)
{
    (void)t;
    return REACT_BACK;
}

/* Back to the lesson's text; nothing when the run has no lesson. */
static int
act_lesson(struct tui *t)
{
    return t->lesson ? REACT_BACK : REACT_DONE;
}

static int
act_quit(struct tui *t)
{
    (void)t;
    return REACT_QUIT;
}

struct action {
    int key;
    bool fn;                    /* key is a KEY_* code */
    int (*run)(struct tui *t);
};

static const struct action actions[] = {
    { ' ', false, act_play },
    { '.', false, act_next },
    { KEY_RIGHT, true, act_next },
    { ',', false, act_prev },
    { KEY_LEFT, true, act_prev },
    { 'n', false, act_next_notable },
    { 'N', false, act_prev_notable },
    { KEY_HOME, true, act_first },
    { KEY_END, true, act_last },
    { '+', false, act_faster },
    { '=', false, act_faster },
    { '-', false, act_slower },
    { '\t', false, act_pane_next },
    { KEY_BTAB, true, act_pane_prev },
    { '1', false, act_pane_1 },
    { '2', false, act_pane_2 },
    { '3', false, act_pane_3 },
    { '4', false, act_pane_4 },
    { 'x', false, act_bytecode },
    { 't', false, act_axis },
    { 'z', false, act_zoom_in },
    { 'Z', false, act_zoom_out },
    { '?', false, act_help },
    { 'h', false, act_help },
    { KEY_F(1), true, act_help },
    { CTRL('L'), false, act_redraw },
    { 'l', false, act_lesson },
    { 'q', false, act_back },
    { 'Q', false, act_back },
    { 27, false, act_back },
    { KEY_F(10), true, act_quit },
};

/* The help overlay's text: the table above, plus the views' own keys. */
static const struct action_help help[] = {
    { N_("space"), N_("play / pause (from the start when at the end)") },
    { N_(". \u2192"), N_("one step forward") },
    { N_(", \u2190"), N_("one step back") },
    { N_("n  N"), N_("next / previous notable event") },
    { N_("Home End"), N_("first / last step") },
    { N_("+ -"), N_("play faster / slower") },
    { N_("Tab 1-4"), N_("next pane / timeline, output, state, code") },
    { N_("x"), N_("the bytecode of the line being run (code pane)") },
    { N_("\u2191\u2193 j k"), N_("select a row / scroll the pane") },
    { N_("PgUp PgDn g G"), N_("scroll by pages / to the top, bottom") },
    { N_("z Z"), N_("zoom the timeline in / out") },
    { N_("m"), N_("manual scheduling: you choose who runs next") },
    { N_("1-9 click"), N_("(manual) the thread that runs next: its "
                          "digit, or a click on its name") },
    { N_("p"), N_("run again under the next policy (gil, preempt, fifo, "
                  "rr:3)") },
    { N_("s"), N_("run again with the next seed") },
    { N_("e"), N_("edit your copy of the scenario ($EDITOR), then run it") },
    { N_("d"), N_("compare with the run before (after m, p, s or e): "
                  "where they part ways") },
    { N_("o"), N_("every outcome the scenario can reach (telar explore); "
                  "Enter replays one") },
    { N_("r"), N_("look for data races (telar run --races), in the state "
                  "pane; r again stops") },
    { N_("t"), N_("timeline columns: virtual time / steps") },
    { N_("mouse"), N_("click a row to select, a column to go there") },
    { N_("Ctrl-L"), N_("redraw the screen") },
    { N_("Ctrl-Z"), N_("suspend (fg brings it back)") },
    { N_("l"), N_("back to the lesson's text (a lesson's scenario)") },
    { N_("? h F1"), N_("this help (Esc closes)") },
    { N_("q Esc"), N_("back (quit when there is nothing to go back to)") },
    { N_("F10"), N_("quit telar") },
};

size_t
action_help(const struct action_help **list)
{
    *list = help;
    return sizeof help / sizeof help[0];
}

int
action_key(struct tui *t, const struct view_input *in)
{
    int r;

    if (in->fn && in->key == KEY_MOUSE) {
        return screen_mouse(t->screen, in);
    }
    if (in->fn && in->key == KEY_RESIZE) {
        return REACT_RELAYOUT;
    }
    /* The focused pane's scrolling keys first: j/k/g/G and arrows up and
     * down mean something there; the table has the rest. */
    if ((in->fn && (in->key == KEY_UP || in->key == KEY_DOWN
                    || in->key == KEY_PPAGE || in->key == KEY_NPAGE))
        || (!in->fn && (in->key == 'j' || in->key == 'k' || in->key == 'g'
                        || in->key == 'G'))) {
        r = screen_key(t->screen, in);
        if (r != 0) {
            return r;
        }
    }
    for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++) {
        if (actions[i].key == in->key && actions[i].fn == in->fn) {
            return actions[i].run(t);
        }
    }
    r = screen_key(t->screen, in);
    return r != 0 ? r : REACT_DONE;
}
