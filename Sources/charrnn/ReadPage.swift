import CharRNN

/// `read --html`'s page: the text, each character on the ground of its rank bucket, a legend, a
/// summary with the rank histogram as a small chart, and a panel that shows, for the character
/// under the pointer (or tapped), the model's top candidates and the character's rank,
/// probability and bits.
///
/// Kept small for long texts: characters the model ranked first take the text's own ground and
/// carry no markup; every run of characters of another bucket is one `<span>`. The figures sit
/// in one JSON element, as strings of one character per number (`packed`), indexed by position;
/// the script finds the position under the pointer from the text nodes themselves, so no
/// character needs an attribute.
struct ReadPage {
    let reading: TextReading
    let symbols: [String]
    let checkpoint: String
    let textPath: String
    /// With `read --dynamic`: its settings and the static reading's nats/char.
    var dynamic: ReadCommand.Comparison?

    /// Backgrounds of the rank buckets, in `RankBucket` order: green, yellow, orange, red.
    static let colours = ["#c8ecc8", "#ffe98a", "#ffc48a", "#ff9c9c"]

    var html: String {
        let name = { (path: String) in PrintableText.escaped(path.split(separator: "/").last.map(String.init) ?? path) }
        return HTMLPage(
            title: "\(name(checkpoint)) reads \(name(textPath))", style: Self.style, body: body, script: Self.script
        ).text
    }

    /// How a character of the text shows on the page: as itself, but `[UNK]` as U+FFFD and control
    /// characters other than newline and tab as their control pictures (␀ … ␟, ␡; U+FFFD for the
    /// C1 controls), so that each stays one visible character and none is lost by the HTML parser
    /// (which drops NUL and turns CR into a newline).
    static func shown(_ symbol: String) -> String {
        guard symbol != Vocabulary.unknownSymbol else { return "\u{FFFD}" }
        guard let scalar = symbol.unicodeScalars.first, symbol.unicodeScalars.count == 1 else { return symbol }
        switch scalar.value {
        case 0x09, 0x0A: return symbol
        case 0x00..<0x20: return String(Unicode.Scalar(0x2400 + scalar.value)!)
        case 0x7F: return "\u{2421}"
        case 0x80..<0xA0: return "\u{FFFD}"
        default: return symbol
        }
    }

    /// How a character is named in the panel: as shown, with space, newline and tab made visible.
    static func label(_ symbol: String) -> String {
        switch symbol {
        case " ": "␣"
        case "\n": "↵"
        case "\t": "⇥"
        default: symbol == Vocabulary.unknownSymbol ? symbol : shown(symbol)
        }
    }

    private var body: String {
        let r = reading.summary
        var summary = [
            "\(NumberText.fixed(r.natsPerCharacter, decimals: 4)) nats/char",
            "\(NumberText.fixed(r.bitsPerCharacter, decimals: 4)) bits/char",
            "perplexity \(NumberText.fixed(r.perplexity, decimals: 3))",
            "\(NumberText.grouped(r.characters)) characters read",
        ].joined(separator: " · ")
        if let dynamic {
            summary += "<br>dynamic evaluation (\(HTMLPage.escaped(dynamic.settings.summary))); "
                + "the static reading: \(NumberText.fixed(dynamic.staticNatsPerCharacter, decimals: 4)) nats/char"
        }
        let legend = RankBucket.allCases.map { "<span class=b\($0.rawValue)>rank \($0.label)</span>" }
        return """
            <h1>\(HTMLPage.escaped(PrintableText.escaped(checkpoint))) reads \
            \(HTMLPage.escaped(PrintableText.escaped(textPath)))</h1>
            <p>\(summary)</p>
            \(histogram)
            <p class="legend">The model's rank of each character: \(legend.joined(separator: " ")). \
            Point at a character, or tap it, for what the model expected there.</p>
            <div id="panel">Point at a character.</div><div id="mark"></div>
            \(text)
            <script type="application/json" id="data">\(HTMLPage.scriptData(.object(data)))</script>
            """
    }

    /// The text: the first character (not predicted) in a span of its own, which also keeps a
    /// newline there from being dropped after `<pre>`; then one span per run of characters of a
    /// bucket other than the first.
    private var text: String {
        let glyphs = symbols.map { HTMLPage.escaped(Self.shown($0)) }
        var out = "<pre id=\"text\"><span class=n>\(glyphs[Int(reading.tokens[0])])</span>"
        var open: RankBucket?
        for c in reading.characters {
            let bucket = c.bucket == .first ? nil : c.bucket
            if bucket != open {
                if open != nil { out += "</span>" }
                if let bucket { out += "<span class=b\(bucket.rawValue)>" }
                open = bucket
            }
            out += glyphs[Int(c.token)]
        }
        if open != nil { out += "</span>" }
        return out + "</pre>"
    }

    /// The figures the panel shows: the labels of the vocabulary, then, packed, the text's tokens
    /// and for position i (≥ 1) at index i − 1 its rank and surprisal (in hundredths of a bit, at
    /// most 10,000 bits), and at `top` · (i − 1) … its top candidates and their probabilities (in
    /// thousandths).
    private var data: JSONObject {
        let positions = 1..<reading.tokens.count
        let candidates = positions.lazy.flatMap { reading.candidates(at: $0) }
        return [
            "labels": .array(symbols.map { .string(Self.label($0)) }),
            "tokens": Self.packed(reading.tokens.lazy.map { Int($0) }),
            "ranks": Self.packed(reading.characters.lazy.map { Int($0.rank) }),
            "centibits": Self.packed(reading.characters.lazy.map { Int((min($0.surprisalBits, 1e4) * 100).rounded()) }),
            "top": .integer(reading.topCount), "candidates": Self.packed(candidates.map { Int($0.token) }),
            "thousandths": Self.packed(candidates.map { Int(($0.probability * 1000).rounded()) }),
        ]
    }

    /// Numbers from 0 to 1,000,000 as a string of one character each, a fifth the size of a JSON
    /// array for the small numbers a reading holds: n is U+0040 + n below the surrogates (one byte
    /// of UTF-8 up to 63), U+10000 + (n − 0xD7C0) past them. The script's `unpack` reads it back.
    static func packed<Numbers: Sequence<Int>>(_ numbers: Numbers) -> JSONValue {
        var text = String.UnicodeScalarView()
        for n in numbers {
            precondition((0...1_000_000).contains(n), "\(n) cannot be packed")
            text.append(Unicode.Scalar(UInt32(n < 0xD7C0 ? 0x40 + n : 0x10000 + n - 0xD7C0))!)
        }
        return .string(String(text))
    }

    /// The share of characters in each bucket as bars, with the share above and the ranks below.
    private var histogram: String {
        let counts = reading.rankHistogram, total = max(1, counts.reduce(0, +))
        let bars = zip(RankBucket.allCases, counts).map { bucket, count in
            let share = Double(count) / Double(total), x = 10 + 70 * bucket.rawValue
            let height = (100 * share).rounded(), colour = Self.colours[bucket.rawValue]
            return """
                <rect x="\(x)" y="\(115 - height)" width="50" height="\(height)" fill="\(colour)" stroke="#555"/>\
                <text x="\(x + 25)" y="\(110 - height)">\(NumberText.fixed(100 * share, decimals: 1))%\
                </text><text x="\(x + 25)" y="132">\(bucket.label)</text>
                """
        }
        return """
            <svg id="histogram" width="290" height="140" viewBox="0 0 290 140" role="img" \
            aria-label="share of characters by rank">\(bars.joined())</svg>
            """
    }

    static let style = """
        body { font: 15px/1.45 system-ui, sans-serif; margin: 1.5em; color: #222; }
        h1 { font-size: 1.2em; overflow-wrap: anywhere; }
        #text { white-space: pre-wrap; overflow-wrap: anywhere; font: 14px/1.5 ui-monospace, monospace;
          background: \(colours[0]); padding: 0.6em; margin-bottom: 12em; }
        .n { background: #fff; }
        \((1..<4).map { ".b\($0) { background: \(colours[$0]); }" }.joined(separator: "\n"))
        .legend span { padding: 0 0.3em; }
        .legend .b0 { background: \(colours[0]); }
        #histogram text { font-size: 12px; text-anchor: middle; }
        #panel { position: fixed; right: 1em; bottom: 1em; max-width: 22em; background: #fff; border: 1px solid #888;
          border-radius: 4px; padding: 0.5em 0.8em; box-shadow: 0 2px 6px #0003; font-size: 14px; }
        #panel table { border-collapse: collapse; }
        #panel td { padding: 0 0.5em 0 0; font-family: ui-monospace, monospace; }
        #panel .actual { font-weight: bold; }
        #mark { position: absolute; display: none; outline: 2px solid #000; pointer-events: none; }
        """

    /// Finds the position under the pointer (the caret position there, checked against the
    /// character's box), then fills the panel through `textContent` only.
    static let script = """
        "use strict";
        function unpack(s) {
          const out = new Int32Array(s.length);
          let n = 0;
          for (let i = 0; i < s.length; i++) {
            const c = s.charCodeAt(i);
            const high = c >= 0xD800 && c < 0xDC00;
            out[n++] = high ? 0xD7C0 + ((c - 0xD800) << 10) + s.charCodeAt(++i) - 0xDC00 : c - 0x40;
          }
          return out.subarray(0, n);
        }
        const data = JSON.parse(document.getElementById("data").textContent);
        for (const key of ["tokens", "ranks", "centibits", "candidates", "thousandths"]) data[key] = unpack(data[key]);
        const text = document.getElementById("text"), panel = document.getElementById("panel");
        const mark = document.getElementById("mark");
        const starts = new Map();
        for (let w = document.createTreeWalker(text, NodeFilter.SHOW_TEXT), i = 0, n; (n = w.nextNode()); ) {
          starts.set(n, i);
          i += [...n.data].length;
        }
        function caret(x, y) {
          if (document.caretPositionFromPoint) {
            const p = document.caretPositionFromPoint(x, y);
            return p && [p.offsetNode, p.offset];
          }
          const r = document.caretRangeFromPoint && document.caretRangeFromPoint(x, y);
          return r && [r.startContainer, r.startOffset];
        }
        function positionAt(x, y) {
          const c = caret(x, y);
          if (!c || !starts.has(c[0])) return null;
          const [node, offset] = c, s = node.data, range = document.createRange();
          const before = offset > 1 && /[\\uDC00-\\uDFFF]/.test(s[offset - 1]) ? offset - 2 : offset - 1;
          for (const o of [offset, before]) {
            if (o < 0 || o >= s.length) continue;
            range.setStart(node, o);
            range.setEnd(node, o + (s.codePointAt(o) > 0xFFFF ? 2 : 1));
            const b = range.getBoundingClientRect();
            if (x >= b.left && x <= b.right && y >= b.top && y <= b.bottom) {
              return [starts.get(node) + [...s.slice(0, o)].length, b];
            }
          }
          return null;
        }
        function line(cells, className) {
          const tr = document.createElement("tr");
          if (className) tr.className = className;
          for (const c of cells) tr.appendChild(document.createElement("td")).textContent = c;
          return tr;
        }
        function show(i) {
          const token = data.tokens[i];
          if (i === 0) {
            panel.textContent = "“" + data.labels[token] + "”: the first character, not predicted.";
            return;
          }
          const bits = data.centibits[i - 1] / 100, p = Math.pow(2, -bits);
          const head = document.createElement("div"), table = document.createElement("table");
          head.textContent = "#" + i + " “" + data.labels[token] + "”: rank " + data.ranks[i - 1] + " of " +
            data.labels.length + ", p " + p.toPrecision(3) + ", " + bits.toFixed(2) + " bits";
          for (let j = (i - 1) * data.top; j < i * data.top; j++) {
            const t = data.candidates[j];
            table.appendChild(line([data.labels[t], (data.thousandths[j] / 10).toFixed(1) + "%"],
              t === token ? "actual" : ""));
          }
          panel.replaceChildren(head, table);
        }
        function pointed(e) {
          const found = positionAt(e.clientX, e.clientY);
          if (!found) return;
          const [i, b] = found;
          show(i);
          Object.assign(mark.style, { display: "block", left: b.left + scrollX + "px", top: b.top + scrollY + "px",
            width: b.width + "px", height: b.height + "px" });
        }
        text.addEventListener("mousemove", pointed);
        text.addEventListener("click", pointed);
        """
}
