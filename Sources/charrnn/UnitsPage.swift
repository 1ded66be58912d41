import CharRNN

/// `units --html`: in the spirit of Karpathy's figures, for each row of a `UnitsTint` (each
/// feature's best unit, then the --trace units) the text with each character's background tinted
/// by the unit's value on the diverging scale, its value on hover, and a legend. The text and
/// every name travel as JSON data (`HTMLPage.scriptData`) and are put on the page as text nodes
/// by the script: nothing from the user is ever parsed as markup.
struct UnitsPage {
    let tint: UnitsTint
    let checkpoint: String
    let text: String
    /// Characters the ranking was taken over.
    let characters: Int

    static let style = """
        body { font-family: system-ui, sans-serif; margin: 2em; color: #111; }
        .tinted { font-family: ui-monospace, monospace; white-space: pre-wrap; line-height: 1.5; }
        .tinted span, .legend span { color: #000; }
        .legend span { display: inline-block; width: 2.2em; text-align: center; }
        h2 { font-size: 1.05em; margin: 1.6em 0 0.4em; }
        """

    /// Builds the legend and one section per row from the JSON in #units-data.
    static let script = """
        const data = JSON.parse(document.getElementById("units-data").textContent);
        const colour = (step) => data.palette[step + 4];
        const legend = document.getElementById("legend");
        data.palette.forEach((css, i) => {
          const swatch = document.createElement("span");
          swatch.style.background = css;
          swatch.textContent = ["−1", "", "", "", "0", "", "", "", "+1"][i];
          legend.appendChild(swatch);
        });
        const rows = document.getElementById("rows");
        for (const row of data.rows) {
          const title = document.createElement("h2");
          title.textContent = row.title;
          const text = document.createElement("div");
          text.className = "tinted";
          row.steps.forEach((step, i) => {
            const span = document.createElement("span");
            span.style.background = colour(step);
            span.title = i + ": " + row.values[i].toFixed(3);
            span.textContent = data.chars[i] === "\\n" ? "↵\\n" : data.chars[i];
            text.appendChild(span);
          });
          rows.append(title, text);
        }
        """

    /// The page's data: the excerpt's characters, the scale's CSS colours (steps −4…4) and, per
    /// row, its title, tint steps and values.
    var data: JSONValue {
        let rows = tint.rows.map { row -> JSONValue in
            .object([
                "title": .string(row.title),
                "steps": .array(row.tints.map { .integer($0.step) }),
                "values": .array(row.values.map { .float($0) }),
            ])
        }
        return .object([
            "chars": .array(tint.symbols.map { .string($0) }),
            "palette": .array(DivergingTint.steps.map { .string(DivergingTint(Float($0) / 4).css) }),
            "rows": .array(rows),
        ])
    }

    var html: HTMLPage {
        let shown = NumberText.grouped(tint.symbols.count)
        let body = """
            <h1>Hidden units of \(HTMLPage.escaped(checkpoint))</h1>
            <p>Ranked over \(NumberText.grouped(characters)) characters of \(HTMLPage.escaped(text)); \
            the first \(shown) are tinted by each unit's value after reading them.</p>
            <p class="legend" id="legend">value: </p>
            <noscript>This page draws its tinted text with JavaScript.</noscript>
            <div id="rows"></div>
            <script type="application/json" id="units-data">\(HTMLPage.scriptData(data))</script>
            """
        return HTMLPage(title: "charrnn units", style: Self.style, body: body, script: Self.script)
    }
}
