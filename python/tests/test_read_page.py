"""`charrnn read --html` writes a page that a standard HTML parser reads back as the text itself.

A checkpoint whose vocabulary holds hostile characters (markup, a script end, a comment start,
references, quotes, U+2028, emoji, combining marks, control characters) reads a text made of them.
Python's html.parser must find exactly the page's own elements (no element from the text), exactly
two <script> elements (the figures as JSON, then the page's script), and in <pre id="text"> the
text as written, control characters other than newline and tab shown as their control pictures.

Skipped unless the binary is built (`swift build` -> .build/debug/charrnn, or set $CHARRNN_BIN).
"""
import json
import os
import subprocess
from html.parser import HTMLParser

import pytest
import torch

from charrnn_torch import CharRNN, save_charrnn, vocab_from_text

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.environ.get("CHARRNN_BIN", os.path.join(ROOT, ".build", "debug", "charrnn"))

pytestmark = pytest.mark.skipif(not os.access(BINARY, os.X_OK), reason=f"{BINARY} is not built (swift build)")

HOSTILE = ("<script>alert(1)</script></script><!-- -->&amp;&lt; \"double\" 'single' \u2028line 😀👍🏽 "
           "e\u0301\u0302\tx\r\n\x1b[31m\x00\x7f<img src=x onerror=alert(2)><style>*{}</style>\n")
# The elements the page itself is made of; the text must add none.
OURS = {"html", "head", "meta", "title", "style", "body", "h1", "p", "br", "svg", "rect", "text", "span", "div",
        "pre", "script"}


def shown(text):
    """The text as the page shows it: C0 controls other than newline and tab, and DEL, as pictures."""
    return "".join(chr(0x2400 + ord(c)) if ord(c) < 0x20 and c not in "\n\t" else "\u2421" if c == "\x7f" else c
                   for c in text)


def unpacked(packed):
    """The numbers of a packed string (one character each: U+0040 + n, past the surrogates U+10000 + n - 0xD7C0)."""
    return [ord(c) - 0x40 if ord(c) < 0x10000 else ord(c) - 0x10000 + 0xD7C0 for c in packed]


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.scripts, self.stack = [], [], []
        self.text, self.data = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        attributes = dict(attrs)
        if tag == "script":
            self.scripts.append(attributes)
        if tag not in ("meta", "br", "rect"):
            self.stack.append((tag, attributes.get("id")))

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1][0] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data):
        ids = [i for _, i in self.stack]
        if "text" in ids:
            self.text.append(data)
        elif "data" in ids:
            self.data.append(data)

    def handle_comment(self, data):
        raise AssertionError(f"a comment in the page: {data!r}")


def test_hostile_text_is_text(tmp_path):
    vocab = vocab_from_text(HOSTILE)
    torch.manual_seed(0)
    model = CharRNN(len(vocab), 8, 16, 1, "gru")
    checkpoint, text, out = tmp_path / "hostile.safetensors", tmp_path / "hostile.txt", tmp_path / "page.html"
    save_charrnn(model, vocab, str(checkpoint))
    text.write_bytes(HOSTILE.encode())
    result = subprocess.run([BINARY, "read", "--checkpoint", str(checkpoint), "--text", str(text), "--html", str(out)],
                            capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr.decode(errors="replace")

    page = Page()
    page.feed(out.read_text(encoding="utf-8"))
    page.close()
    assert set(page.tags) <= OURS, set(page.tags) - OURS
    assert page.tags.count("script") == 2 and page.tags.count("img") == 0
    assert page.scripts[0] == {"type": "application/json", "id": "data"} and page.scripts[1] == {}
    assert "".join(page.text) == shown(HOSTILE)
    data = json.loads("".join(page.data))
    assert "".join(vocab[t] for t in unpacked(data["tokens"])) == HOSTILE
    assert len(unpacked(data["ranks"])) == len(HOSTILE) - 1
