"""corpora/fetch strips the verse line numbers from the Milton texts and keeps every other number.

Needs neither the network nor the corpora: it loads the script and cleans sample lines."""
import importlib.machinery
import importlib.util
import os

import pytest

FETCH = os.path.join(os.path.dirname(__file__), "..", "..", "corpora", "fetch")


def load_fetch():
    loader = importlib.machinery.SourceFileLoader("corpora_fetch", FETCH)
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


fetch = load_fetch()


@pytest.mark.parametrize("line, cleaned", [
    ("    'Tis chastity, my brother, chastity:                             420",
     "    'Tis chastity, my brother, chastity:"),
    ("    Of riot and ill-managed merriment,                               172",
     "    Of riot and ill-managed merriment,"),
    ("Praecipitesque impellit equos stimulante flagello,  70", "Praecipitesque impellit equos stimulante flagello,"),
    ("Thou linger'st slumb'ring with thy wither'd mate,4  50", "Thou linger'st slumb'ring with thy wither'd mate,4"),
    ("                      2. Bro: O night and shades,                   580",
     "                      2. Bro: O night and shades,"),
    ("17  Asham'd and troubl'd let them be,                                60",
     "17  Asham'd and troubl'd let them be,"),
    ("   And watchful eyes, run through the realms below, 20", "   And watchful eyes, run through the realms below,"),
    ("   *Their Plots and Counsels deep,                             *Sod. 10",
     "   *Their Plots and Counsels deep,                             *Sod."),
])
def test_verse_line_numbers_are_removed(line, cleaned):
    assert fetch.strip_line_number(line) == cleaned


@pytest.mark.parametrize("line", [
    "43 ye] you  1673",  # a variant reading: the year of the edition
    "  NOTES,                                       38",  # the contents table: page numbers
    "  1891",  # a title page's year, alone on its line
    "Plighted, 301",  # the index
    "          Psalm CXIV 1",  # a footnote marker
    "To Charles Diodati.1",
    "to Comus's disguise: see l. 166. _With_ in this line, as in lines 672",
    "PSAL. III. Aug. 9. 1653",
    "1   BE not thou silent now at length",  # a Psalm's verse number
    "Omitted in 1673",
])
def test_numbers_that_are_text_are_kept(line):
    assert fetch.strip_line_number(line) == line


def test_clean_milton_strips_line_numbers_after_the_trailing_whitespace():
    text = "\ufeffFirst line,          10   \r\nSecond line.\r\n\x1a"
    assert fetch.clean_milton(text) == "First line,\nSecond line."
