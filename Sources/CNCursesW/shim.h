// SwiftPM drops ncursesw's -D flags from pkg-config: define them before the include,
// or cchar_t and wget_wch vanish.
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <ncurses.h>
