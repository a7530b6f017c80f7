/*
 * The terminal (tui layer), after htop's CRT.c: the one file that starts
 * and ends curses, picks colours (256, 16, 8 or none) and glyphs (UTF-8 or
 * ASCII), and restores the terminal on every way out.  It holds the TUI's
 * one global, the restore record, because signal handlers must find it.
 * Views draw with the theme it fills; screen.c lays out the windows.
 */
#include "config.h"

#include "tty.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "tui/pyhl.h"

static const int crash_signals[] = { SIGSEGV, SIGABRT, SIGBUS, SIGFPE,
                                     SIGILL };
#define NCRASH (sizeof crash_signals / sizeof crash_signals[0])

/* What puts the terminal back.  The TUI's one global: the crash handlers
 * read it, so it cannot hang off a struct passed around. */
static struct {
    bool active;                /* curses owns the terminal */
    bool offscreen;             /* tty_start_offscreen: nothing to give back */
    SCREEN *screen;
    FILE *in;                   /* offscreen: the input we opened */
    WINDOW *input;
    int fd;                     /* the terminal */
    struct termios tio;         /* its modes as we found them */
    bool have_tio;
    char seq[256];              /* bytes that undo our modes, for handlers */
    size_t seqlen;
    int saved_stderr;           /* the real stderr, or -1 */
    int err_file;               /* stderr meanwhile, or -1 */
    bool handlers;
    struct sigaction old[NCRASH];
} restore = { .fd = -1, .saved_stderr = -1, .err_file = -1 };

/* ---- Restoring ---------------------------------------------------------- */

/* Append a terminfo string to the restore bytes, without padding. */
static void
seq_add_cap(const char *cap)
{
    char *s = tigetstr(cap);

    if (s == NULL || s == (char *)-1) {
        return;
    }
    for (; *s != '\0' && restore.seqlen + 1 < sizeof restore.seq; s++) {
        if (s[0] == '$' && s[1] == '<') {
            while (*s != '\0' && *s != '>') {
                s++;
            }
            if (*s == '\0') {
                break;
            }
            continue;
        }
        restore.seq[restore.seqlen++] = *s;
    }
}

static void
seq_add(const char *s)
{
    size_t n = strlen(s);

    if (restore.seqlen + n < sizeof restore.seq) {
        memcpy(restore.seq + restore.seqlen, s, n);
        restore.seqlen += n;
    }
}

/* Put stderr back and replay what was written to it meanwhile.  Only
 * async-signal-safe calls: a crash handler uses it too. */
static void
stderr_restore(void)
{
    char buf[4096];
    ssize_t n;

    if (restore.saved_stderr < 0) {
        return;
    }
    dup2(restore.saved_stderr, 2);
    close(restore.saved_stderr);
    restore.saved_stderr = -1;
    if (restore.err_file >= 0) {
        if (lseek(restore.err_file, 0, SEEK_SET) == 0) {
            while ((n = read(restore.err_file, buf, sizeof buf)) > 0) {
                if (write(2, buf, (size_t)n) != n) {
                    break;
                }
            }
        }
        close(restore.err_file);
        restore.err_file = -1;
    }
}

/* Restore without curses: for crash handlers, where endwin is unsafe. */
static void
restore_raw(void)
{
    if (restore.active && !restore.offscreen) {
        if (restore.have_tio) {
            tcsetattr(restore.fd, TCSANOW, &restore.tio);
        }
        if (write(restore.fd, restore.seq, restore.seqlen) < 0) {
            /* Nothing more can be done from here. */
        }
    }
    restore.active = false;
    stderr_restore();
}

static void
crash_handler(int sig)
{
    restore_raw();
    /* Hand the signal to whoever had it before (the default action: a
     * core dump; or a sanitizer's report).  It is blocked while we run,
     * so it arrives when we return. */
    for (size_t i = 0; i < NCRASH; i++) {
        if (crash_signals[i] == sig) {
            sigaction(sig, &restore.old[i], NULL);
        }
    }
    raise(sig);
}

static void
handlers_install(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = crash_handler;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < NCRASH; i++) {
        sigaction(crash_signals[i], &sa, &restore.old[i]);
    }
    restore.handlers = true;
}

static void
handlers_remove(void)
{
    if (!restore.handlers) {
        return;
    }
    for (size_t i = 0; i < NCRASH; i++) {
        sigaction(crash_signals[i], &restore.old[i], NULL);
    }
    restore.handlers = false;
}

/* fatal()'s hook: a normal context, so curses can end properly. */
static void
fatal_hook(void)
{
    tty_stop();
}

void
tty_stop(void)
{
    if (restore.screen != NULL) {
        if (restore.input != NULL) {
            delwin(restore.input);
            restore.input = NULL;
        }
        endwin();
        delscreen(restore.screen);
        restore.screen = NULL;
    }
    if (restore.in != NULL) {
        fclose(restore.in);
        restore.in = NULL;
    }
    restore.active = false;
    restore.offscreen = false;
    handlers_remove();
    stderr_restore();
    fatal_set_hook(NULL);
}

/* ---- Theme -------------------------------------------------------------- */

/* Glyphs per state, [state + 1]: UTF-8 and ASCII. */
static const wchar_t *const wide_glyph[MODEL_NSTATES + 1] = {
    [0] = L" ",
    [EV_ST_READY + 1] = L"\u2591",          /* light shade */
    [EV_ST_RUNNING + 1] = L"\u2588",        /* full block */
    [EV_ST_BLOCKED + 1] = L"\u2573",        /* diagonal cross */
    [EV_ST_SLEEPING + 1] = L"z",
    [EV_ST_WAITING + 1] = L"~",
    [EV_ST_DONE + 1] = L" ",
    [EV_ST_FAILED + 1] = L"!",
    [EV_ST_CANCELLED + 1] = L"c",
    [MODEL_ST_ALIVE + 1] = L"\u00b7",       /* middle dot */
};
static const char *const utf8_glyph[MODEL_NSTATES + 1] = {
    [0] = " ", [EV_ST_READY + 1] = "\u2591",
    [EV_ST_RUNNING + 1] = "\u2588", [EV_ST_BLOCKED + 1] = "\u2573",
    [EV_ST_SLEEPING + 1] = "z", [EV_ST_WAITING + 1] = "~",
    [EV_ST_DONE + 1] = " ", [EV_ST_FAILED + 1] = "!",
    [EV_ST_CANCELLED + 1] = "c", [MODEL_ST_ALIVE + 1] = "\u00b7",
};
static const char *const ascii_glyph[MODEL_NSTATES + 1] = {
    [0] = " ", [EV_ST_READY + 1] = "-", [EV_ST_RUNNING + 1] = "#",
    [EV_ST_BLOCKED + 1] = "x", [EV_ST_SLEEPING + 1] = "z",
    [EV_ST_WAITING + 1] = "~", [EV_ST_DONE + 1] = " ",
    [EV_ST_FAILED + 1] = "!", [EV_ST_CANCELLED + 1] = "c",
    [MODEL_ST_ALIVE + 1] = ".",
};
static const wchar_t *const wide_level[TTY_NLEVELS] = {
    L"\u00b7", L"\u2581", L"\u2582", L"\u2583", L"\u2584", L"\u2585",
    L"\u2586", L"\u2587", L"\u2588",
};
static const wchar_t *const ascii_level[TTY_NLEVELS] = {
    L".", L"1", L"2", L"3", L"4", L"5", L"6", L"7", L"8",
};

/* Colours per state: 256-colour index, then the 8/16-colour one. */
static const struct {
    short c256, c8;
    attr_t attr;
} state_color[MODEL_NSTATES + 1] = {
    [0] = { -1, -1, A_NORMAL },
    [EV_ST_READY + 1] = { 178, COLOR_YELLOW, A_NORMAL },
    [EV_ST_RUNNING + 1] = { 40, COLOR_GREEN, A_NORMAL },
    [EV_ST_BLOCKED + 1] = { 196, COLOR_RED, A_BOLD },
    [EV_ST_SLEEPING + 1] = { 33, COLOR_BLUE, A_NORMAL },
    [EV_ST_WAITING + 1] = { 44, COLOR_CYAN, A_NORMAL },
    [EV_ST_DONE + 1] = { -1, -1, A_NORMAL },
    [EV_ST_FAILED + 1] = { 201, COLOR_MAGENTA, A_BOLD },
    [EV_ST_CANCELLED + 1] = { 135, COLOR_MAGENTA, A_NORMAL },
    [MODEL_ST_ALIVE + 1] = { 244, COLOR_WHITE, A_NORMAL },
};

static const short actor_c256[TTY_NACTOR_COLORS] = {
    39, 208, 70, 170, 44, 220, 203, 147, 142, 75, 180, 114,
};
static const short actor_c8[] = {
    COLOR_CYAN, COLOR_YELLOW, COLOR_GREEN, COLOR_MAGENTA, COLOR_BLUE,
    COLOR_RED,
};

static short npairs;

/* A colour pair with fg on the terminal's own background; 0 for none. */
static short
pair_of(short fg)
{
    if (fg < 0 || npairs + 1 >= COLOR_PAIRS) {
        return 0;
    }
    npairs++;
    init_pair(npairs, fg, -1);
    return npairs;
}

static void
make_cell(cchar_t *cc, const wchar_t *glyph, attr_t attr, short pair)
{
    setcchar(cc, glyph, attr, pair, NULL);
}

/* Colours of the lesson text, by pyhl.c's token kinds: 256-colour index,
 * 8-colour one, and the attribute that tells them apart without colour. */
static const struct {
    short c256, c8;
    attr_t attr, mono;
} syntax_color[TTY_NSYNTAX] = {
    [PYHL_TEXT] = { -1, -1, A_NORMAL, A_NORMAL },
    [PYHL_KEYWORD] = { 170, COLOR_MAGENTA, A_BOLD, A_BOLD },
    [PYHL_BUILTIN] = { 75, COLOR_CYAN, A_NORMAL, A_NORMAL },
    [PYHL_STRING] = { 114, COLOR_GREEN, A_NORMAL, A_UNDERLINE },
    [PYHL_COMMENT] = { 244, -1, A_NORMAL, A_DIM },
    [PYHL_NUMBER] = { 208, COLOR_YELLOW, A_NORMAL, A_NORMAL },
    [PYHL_DECORATOR] = { 220, COLOR_YELLOW, A_BOLD, A_BOLD },
    [PYHL_DEFNAME] = { 39, COLOR_BLUE, A_BOLD, A_BOLD },
};

static void
theme_lesson(struct tty_theme *th, int ncol)
{
    char *sitm = tigetstr("sitm");

    for (int k = 0; k < TTY_NSYNTAX; k++) {
        short fg = ncol == 256 ? syntax_color[k].c256 : syntax_color[k].c8;

        th->syntax_pair[k] = ncol > 0 ? pair_of(fg) : 0;
        th->syntax_attr[k] = ncol > 0 ? syntax_color[k].attr
                                      : syntax_color[k].mono;
        if (ncol > 0 && fg < 0 && k == PYHL_COMMENT) {
            th->syntax_attr[k] = A_DIM;
        }
    }
    th->code_pair = ncol > 0 ? pair_of(ncol == 256 ? 180 : COLOR_YELLOW) : 0;
    th->code = ncol > 0 ? A_NORMAL : A_BOLD;
    th->link_pair = ncol > 0 ? pair_of(ncol == 256 ? 39 : COLOR_BLUE) : 0;
    th->link = A_UNDERLINE;
    /* Italics where the terminal has them, else underlined. */
    th->emph = sitm != NULL && sitm != (char *)-1 ? A_ITALIC : A_UNDERLINE;
}

static void
theme_build(const struct tty_options *o, struct tty_theme *th)
{
    const char *no_color = getenv("NO_COLOR");
    int ncol = 0;

    npairs = 0;
    if (!o->no_color && (no_color == NULL || no_color[0] == '\0')
        && has_colors() && start_color() == OK) {
        if (use_default_colors() == ERR) {
            assume_default_colors(COLOR_WHITE, COLOR_BLACK);
        }
        ncol = COLORS >= 256 ? 256 : COLORS >= 16 ? 16 : COLORS >= 8 ? 8 : 0;
    }
    th->colors = ncol;

    for (int s = 0; s < MODEL_NSTATES + 1; s++) {
        short fg = ncol == 256 ? state_color[s].c256 : state_color[s].c8;
        short pair = ncol > 0 ? pair_of(fg) : 0;
        attr_t attr = ncol > 0 ? state_color[s].attr : A_NORMAL;
        const wchar_t *g = th->ascii ? NULL : wide_glyph[s];
        wchar_t ag[2] = { (wchar_t)ascii_glyph[s][0], 0 };

        if (ncol == 0 && s == EV_ST_RUNNING + 1) {
            attr = A_BOLD;
        }
        if (g == NULL) {
            g = ag;
        }
        th->glyph[s] = th->ascii ? ascii_glyph[s] : utf8_glyph[s];
        th->state_attr[s] = attr;
        th->state_pair[s] = pair;
        make_cell(&th->cell[s][TTY_CELL_PAST], g, attr, pair);
        make_cell(&th->cell[s][TTY_CELL_FUTURE], g, attr | A_DIM, pair);
        make_cell(&th->cell[s][TTY_CELL_CURSOR], g, attr | A_REVERSE, pair);
    }
    {
        short pair = ncol > 0 ? pair_of(ncol == 256 ? 75 : COLOR_CYAN) : 0;
        short full = ncol > 0 ? pair_of(ncol == 256 ? 196 : COLOR_RED) : 0;

        for (int i = 0; i < TTY_NLEVELS; i++) {
            const wchar_t *g = th->ascii ? ascii_level[i] : wide_level[i];

            make_cell(&th->level[i][TTY_CELL_PAST], g, A_NORMAL, pair);
            make_cell(&th->level[i][TTY_CELL_FUTURE], g, A_DIM, pair);
            make_cell(&th->level[i][TTY_CELL_CURSOR], g, A_REVERSE, pair);
        }
        {
            const wchar_t *g = th->ascii ? ascii_level[TTY_NLEVELS - 1]
                                         : wide_level[TTY_NLEVELS - 1];

            make_cell(&th->level_full[TTY_CELL_PAST], g, A_BOLD, full);
            make_cell(&th->level_full[TTY_CELL_FUTURE], g, A_DIM, full);
            make_cell(&th->level_full[TTY_CELL_CURSOR], g,
                      A_BOLD | A_REVERSE, full);
        }
    }
    if (ncol == 256) {
        th->nactor_colors = TTY_NACTOR_COLORS;
        for (int i = 0; i < TTY_NACTOR_COLORS; i++) {
            th->actor_pair[i] = pair_of(actor_c256[i]);
            th->actor_attr[i] = A_NORMAL;
        }
    } else if (ncol > 0) {
        int n = (int)(sizeof actor_c8 / sizeof actor_c8[0]);

        /* With 16 colours the bright half doubles the palette. */
        th->nactor_colors = ncol >= 16 ? 2 * n : n;
        for (int i = 0; i < th->nactor_colors; i++) {
            th->actor_pair[i] = pair_of((short)(actor_c8[i % n]
                                                + (i >= n ? 8 : 0)));
            th->actor_attr[i] = A_NORMAL;
        }
    } else {
        th->nactor_colors = 1;
        th->actor_pair[0] = 0;
        th->actor_attr[0] = A_NORMAL;
    }
    th->title = A_BOLD;
    th->title_focus = A_BOLD | A_REVERSE;
    th->status = A_REVERSE;
    th->status_key = A_REVERSE | A_BOLD;
    th->error = A_BOLD;
    th->error_pair = ncol > 0 ? pair_of(ncol == 256 ? 196 : COLOR_RED) : 0;
    th->heading = A_BOLD;
    th->heading_pair = ncol > 0 ? pair_of(ncol == 256 ? 75 : COLOR_CYAN) : 0;
    th->status_pair = 0;
    theme_lesson(th, ncol);
    th->dim = A_DIM;
    th->select = A_REVERSE;
    th->tab = A_NORMAL;
    th->tab_active = A_REVERSE | A_BOLD;
    if (th->ascii) {
        th->vline = "|";
        th->ellipsis = "~";
        th->tree_mid = "|-";
        th->tree_last = "`-";
        th->tree_pipe = "| ";
        th->bar_full = "#";
        th->bar_empty = ".";
        th->play = ">";
        th->pause = "||";
    } else {
        th->vline = "\u2502";
        th->ellipsis = "\u2026";
        th->tree_mid = "\u251c\u2500";
        th->tree_last = "\u2514\u2500";
        th->tree_pipe = "\u2502 ";
        th->bar_full = "\u2588";
        th->bar_empty = "\u00b7";
        th->play = "\u25b6";
        th->pause = "\u275a\u275a";
    }
}

/* ---- Starting ---------------------------------------------------------- */

static bool
locale_is_utf8(void)
{
    const char *cs = nl_langinfo(CODESET);

    return cs != NULL && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

/* Send stderr to an unlinked file until tty_stop: nothing may write over
 * the screen, and nothing written may be lost. */
static void
stderr_capture(void)
{
    const char *dir = getenv("TMPDIR");
    char *path = xasprintf("%s/telar-stderr-XXXXXX",
                           dir != NULL && dir[0] != '\0' ? dir : "/tmp");
    int fd = mkstemp(path);

    if (fd >= 0) {
        unlink(path);
        restore.saved_stderr = fcntl(2, F_DUPFD_CLOEXEC, 3);
        if (restore.saved_stderr >= 0 && dup2(fd, 2) >= 0) {
            restore.err_file = fd;
        } else {
            close(fd);
            if (restore.saved_stderr >= 0) {
                close(restore.saved_stderr);
                restore.saved_stderr = -1;
            }
        }
    }
    free(path);
}

/* What every start shares once curses is up. */
static void
setup_curses(const struct tty_options *o, struct tty_theme *th)
{
    cbreak();
    noecho();
    nonl();
    intrflush(stdscr, FALSE);
    leaveok(stdscr, TRUE);
    curs_set(0);
    set_escdelay(25);
    restore.input = newwin(1, 1, 0, 0);
    keypad(restore.input, TRUE);
    nodelay(restore.input, TRUE);
    leaveok(restore.input, TRUE);
    th->mouse = false;
    if (!o->no_mouse && !restore.offscreen
        && mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED,
                     NULL) != 0) {
        mouseinterval(0);
        th->mouse = true;
    }
    theme_build(o, th);
}

int
tty_start(const struct tty_options *o, struct tty_theme *th,
          struct diag *d)
{
    const char *term = getenv("TERM");

    memset(th, 0, sizeof *th);
    if (!isatty(0) || !isatty(1)) {
        diag_set(d, _("not a terminal"));
        return -1;
    }
    if (term == NULL || term[0] == '\0') {
        diag_set(d, _("TERM is not set"));
        return -1;
    }
    th->ascii = o->ascii || !locale_is_utf8();
    restore.fd = 1;
    restore.have_tio = tcgetattr(0, &restore.tio) == 0;
    restore.screen = newterm(NULL, stdout, stdin);
    if (restore.screen == NULL) {
        diag_set(d, _("unknown terminal type '%s'"), term);
        return -1;
    }
    set_term(restore.screen);
    /* Undo in the order endwin would: modes, attributes, cursor, the
     * alternate screen last so the shell's screen comes back. */
    restore.seqlen = 0;
    seq_add("\033[?1006l\033[?1003l\033[?1002l\033[?1000l");
    seq_add_cap("sgr0");
    seq_add_cap("cnorm");
    seq_add_cap("rmkx");
    seq_add_cap("rmcup");
    restore.active = true;
    stderr_capture();
    handlers_install();
    fatal_set_hook(fatal_hook);
    setup_curses(o, th);
    return 0;
}

int
tty_start_offscreen(FILE *out, int cols, int lines,
                    const struct tty_options *o, struct tty_theme *th,
                    struct diag *d)
{
    memset(th, 0, sizeof *th);
    th->ascii = o->ascii;
    restore.in = fopen("/dev/null", "r");
    if (restore.in == NULL) {
        diag_set(d, "/dev/null: %s", strerror(errno));
        return -1;
    }
    restore.screen = newterm("xterm-256color", out, restore.in);
    if (restore.screen == NULL) {
        diag_set(d, _("unknown terminal type '%s'"), "xterm-256color");
        fclose(restore.in);
        restore.in = NULL;
        return -1;
    }
    set_term(restore.screen);
    restore.active = true;
    restore.offscreen = true;
    resize_term(lines, cols);
    setup_curses(o, th);
    return 0;
}

void
tty_suspend(void)
{
    if (restore.active && !restore.offscreen) {
        endwin();
    }
}

void
tty_resume(void)
{
    if (restore.active && !restore.offscreen) {
        tty_resize();
        clearok(curscr, TRUE);
    }
}

bool
tty_resize(void)
{
    struct winsize ws;

    if (restore.offscreen || ioctl(restore.fd, TIOCGWINSZ, &ws) < 0
        || ws.ws_row == 0 || ws.ws_col == 0) {
        return false;
    }
    if (ws.ws_row == LINES && ws.ws_col == COLS) {
        return false;
    }
    resizeterm(ws.ws_row, ws.ws_col);
    return true;
}

WINDOW *
tty_input(void)
{
    return restore.input;
}
