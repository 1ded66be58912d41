// ncursesw's pkg-config cflags are not used (SwiftPM prohibits their -D flags): define what
// they would before the include, or cchar_t and wget_wch vanish.
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <stdio.h>
#include <ncurses.h>

// Swift cannot see function-like macros, and rejects ncurses' global variables (stdscr) and
// stdio's (stdin, stdout) in Swift 6 mode: these wrappers re-export them.
static inline WINDOW *cnc_stdscr(void) { return stdscr; }
static inline FILE *cnc_stdin(void) { return stdin; }
static inline FILE *cnc_stdout(void) { return stdout; }
static inline void cnc_getmaxyx(WINDOW *w, int *rows, int *columns) {
    int y, x;
    getmaxyx(w, y, x);
    *rows = y;
    *columns = x;
}

// wcwidth is hidden behind _XOPEN_SOURCE in <wchar.h>: declared here for the screen's
// column widths (what the terminal uses).
extern int wcwidth(wchar_t c);
static inline int cnc_wcwidth(unsigned int c) { return wcwidth((wchar_t)c); }

static inline attr_t cnc_a_normal(void) { return A_NORMAL; }
static inline attr_t cnc_a_bold(void) { return A_BOLD; }
static inline attr_t cnc_a_dim(void) { return A_DIM; }
static inline attr_t cnc_a_reverse(void) { return A_REVERSE; }
static inline attr_t cnc_a_underline(void) { return A_UNDERLINE; }

static inline int cnc_ok(void) { return OK; }
static inline int cnc_err(void) { return ERR; }
static inline int cnc_key_code_yes(void) { return KEY_CODE_YES; }
static inline int cnc_key_f(int n) { return KEY_F(n); }
static inline int cnc_key_up(void) { return KEY_UP; }
static inline int cnc_key_down(void) { return KEY_DOWN; }
static inline int cnc_key_left(void) { return KEY_LEFT; }
static inline int cnc_key_right(void) { return KEY_RIGHT; }
static inline int cnc_key_ppage(void) { return KEY_PPAGE; }
static inline int cnc_key_npage(void) { return KEY_NPAGE; }
static inline int cnc_key_btab(void) { return KEY_BTAB; }
static inline int cnc_key_backspace(void) { return KEY_BACKSPACE; }
static inline int cnc_key_enter(void) { return KEY_ENTER; }
static inline int cnc_key_resize(void) { return KEY_RESIZE; }
static inline int cnc_key_home(void) { return KEY_HOME; }
static inline int cnc_key_end(void) { return KEY_END; }
static inline int cnc_colors(void) { return COLORS; }
