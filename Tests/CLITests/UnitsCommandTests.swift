import CharRNN
import Foundation
import Testing

/// `charrnn units`: units ranked against the text's features, traces, tints and the HTML page.
@Suite("charrnn units")
struct UnitsCommandTests {
    let tinyGRU = CharRNNBinary.fixture("tiny-gru.safetensors")
    let tinyLSTM = CharRNNBinary.fixture("tiny-lstm.safetensors")
    let evalText = CharRNNBinary.fixture("tiny-gru.eval.txt")

    func objects(_ run: Run) throws -> [[String: Any]] {
        try run.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    /// A random GRU whose vocabulary is `text`'s characters, saved in `folder`.
    func checkpoint(for text: String, in folder: String) throws -> String {
        let vocabulary = Vocabulary(corpus: text.unicodeScalars)
        let config = ModelConfig(
            cell: .gru, vocabularySize: vocabulary.count, embeddingSize: 4, hiddenSize: 6, layers: 2)
        let model = CharRNNModel(config: config, vocabulary: vocabulary, seed: 2)
        let path = folder + "/model.safetensors"
        try Checkpoint(config: config, vocabulary: vocabulary, parameters: model.parameters).save(path: path)
        return path
    }

    @Test("--json: a line per feature, best unit first with the next best; absent features say so, no NaN")
    func json() throws {
        let run = try charrnn(["units", "--checkpoint", tinyLSTM, "--text", evalText, "--json"])
        #expect(run.status == 0 && run.stderr.isEmpty)
        #expect(!run.stdout.contains("NaN") && !run.stdout.lowercased().contains("nan") && !run.stdout.contains("null"))
        let lines = try objects(run)
        #expect(lines.map { $0["feature"] as? String } == TextFeature.allCases.map(\.rawValue))
        // The sonnet slice has no quote, bracket, run of capitals or digit.
        let absent = lines.filter { $0["absent"] as? Bool == true }.map { $0["feature"] as! String }
        #expect(absent == ["quote", "bracket", "uppercase_word", "digit"])
        for line in lines where line["absent"] == nil {
            #expect(Set(line.keys) == ["feature", "layer", "kind", "unit", "correlation", "others"])
            let others = try #require(line["others"] as? [[String: Any]])
            #expect(others.count == 5)
            let rs = [line["correlation"] as! Double] + others.map { $0["correlation"] as! Double }
            #expect(rs.allSatisfy { abs($0) <= 1 } && rs.map(abs) == rs.map(abs).sorted(by: >))
            for unit in [line] + others {
                #expect((0...1).contains(unit["layer"] as? Int ?? -1) && (0..<32).contains(unit["unit"] as? Int ?? -1))
                #expect(["h", "c"].contains(unit["kind"] as? String ?? ""))
            }
        }
        for line in lines where line["absent"] != nil { #expect(Set(line.keys) == ["feature", "absent"]) }
    }

    @Test("--trace: a line per character with the unit's value, equal to the engine's state")
    func trace() throws {
        let run = try charrnn(["units", "--checkpoint", tinyLSTM, "--text", evalText, "--trace", "1.c.5"])
        #expect(run.status == 0 && run.stderr.isEmpty)
        let lines = try objects(run)
        let model = try CharRNNModel.load(path: tinyLSTM)
        let text = try String(contentsOfFile: evalText, encoding: .utf8)
        let tokens = try model.vocabulary.encodeAll(text.unicodeScalars, what: evalText)
        var expected: [Float] = []
        try StreamingModel(model, compute: .streaming()).forEachState(tokens) { _, state in
            expected.append(state.values(.c, layer: 1)[5])
        }
        #expect(lines.count == tokens.count)
        for (i, line) in lines.enumerated() {
            #expect(line["index"] as? Int == i && line["unit"] as? String == "1.c.5")
            #expect(line["char"] as? String == String(Array(text.unicodeScalars)[i]))
            #expect((line["activation"] as? Double).map(Float.init) == expected[i], "character \(i)")
        }
        #expect(expected.contains { abs($0) > 1 })  // a cell state, not squashed

        let two = try objects(
            try charrnn(["units", "--checkpoint", tinyLSTM, "--text", evalText, "--trace", "0.h.0", "--trace", "1.c.5"])
        )
        #expect(two.count == 2 * tokens.count)
        #expect(two.prefix(4).map { $0["unit"] as? String } == ["0.h.0", "1.c.5", "0.h.0", "1.c.5"])
        #expect((two[3]["activation"] as? Double) == (lines[1]["activation"] as? Double))
    }

    @Test("--trace outside the model is refused with the valid ranges; c on a GRU too")
    func traceRanges() throws {
        for (unit, problem) in [
            ("1.h.0", "outside this GRU 1×32 model: it has layer 0…0, kind h, unit 0…31"),
            ("0.h.32", "it has layer 0…0, kind h, unit 0…31"),
            ("0.c.3", "a GRU has no cell state c"),
            ("0.h", "not LAYER.KIND.INDEX"),
        ] {
            expectOneLineFailure(
                try charrnn(["units", "--checkpoint", tinyGRU, "--text", evalText, "--trace", unit]),
                mentioning: problem)
        }
        expectOneLineFailure(
            try charrnn(["units", "--checkpoint", tinyLSTM, "--text", evalText, "--trace", "2.c.0"]),
            mentioning: "layer 0…1, kind h or c, unit 0…31")
    }

    @Test("Bad input: a text under 2 characters, an unwritable --html (before reading), bad flags")
    func badInput() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let short = folder + "/short.txt"
        try "a".write(toFile: short, atomically: true, encoding: .utf8)
        expectOneLineFailure(
            try charrnn(["units", "--checkpoint", tinyGRU, "--text", short]), mentioning: "at least 2 characters, has 1"
        )
        let unknown = folder + "/unknown.txt"
        try "a<b".write(toFile: unknown, atomically: true, encoding: .utf8)
        expectOneLineFailure(try charrnn(["units", "--checkpoint", tinyGRU, "--text", unknown]), mentioning: "<")
        let skipped = try charrnn(["units", "--checkpoint", tinyGRU, "--text", unknown, "--skip-unknown", "--json"])
        #expect(skipped.status == 0 && skipped.stderr.contains("skipped 1 character"))

        // The page's folder is missing: refused before the text (missing too) is read.
        let missing = folder + "/none/page.html"
        expectOneLineFailure(
            try charrnn(["units", "--checkpoint", tinyGRU, "--text", folder + "/nothing.txt", "--html", missing]),
            mentioning: "none/page.html")
        expectOneLineFailure(
            try charrnn(["units", "--checkpoint", tinyGRU, "--text", evalText, "--html", folder]), mentioning: folder)
        #expect(!FileManager.default.fileExists(atPath: missing))
        let copy = folder + "/text.txt"
        try FileManager.default.copyItem(atPath: evalText, toPath: copy)
        expectOneLineFailure(
            try charrnn(["units", "--checkpoint", tinyGRU, "--text", copy, "--html", copy]), mentioning: "an input")
        #expect(try String(contentsOfFile: copy, encoding: .utf8) == String(contentsOfFile: evalText, encoding: .utf8))
        for flags in [["--excerpt", "0"], ["--json", "--trace", "0.h.1"], ["--held-out", "1"]] {
            let run = try charrnn(["units", "--checkpoint", tinyGRU, "--text", evalText] + flags)
            #expect(run.status != 0 && run.stdout.isEmpty && !run.stderr.contains("Fatal error"), "\(flags)")
        }
    }

    @Test("Off a terminal: the table, then each best unit's marks under the text, and the legend")
    func plainReport() throws {
        let run = try charrnn(["units", "--checkpoint", tinyGRU, "--text", evalText, "--excerpt", "30"])
        #expect(run.status == 0 && !run.stdout.contains("\u{1B}"))
        let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0].hasSuffix("(GRU 1×32) over 300 characters of \(evalText)"))
        #expect(lines[1].hasPrefix("feature ") && lines[2].hasPrefix("quote ") && lines[2].contains("absent"))
        let header = try #require(
            lines.firstIndex { $0.hasPrefix("vowel: L0 h ") && $0.hasSuffix("(first 30 characters)") })
        // "eld,↵" then its marks, then "Thy youth's proud livery " and its marks
        #expect(lines[header + 1] == "eld,↵" && lines[header + 3] == "Thy youth's proud livery ")
        #expect(lines[header + 4].count <= 25 && lines[header + 4].allSatisfy { "=-+# ".contains($0) })
        #expect(lines.last { !$0.isEmpty }?.hasPrefix("marks under each character") == true)
    }

    @Test("On a terminal: the text on 256-colour backgrounds and a colour legend")
    func colouredReport() throws {
        let run = try charrnnOnTerminal(["units", "--checkpoint", tinyGRU, "--text", evalText, "--excerpt", "30"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("\u{1B}[48;5;") && run.stdout.contains("tint: −1 "))
        #expect(!run.stdout.contains("marks under each character"))
    }

    @Test("--html: hostile text stays text; only our two script elements; the data reads back")
    func htmlEscaping() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let hostile = "</script><script>alert(1)</script> & \"q\" 'x' <!-- \u{2028} </SCRIPT> ok"
        let text = folder + "/x<b>&\"'.txt"
        try hostile.write(toFile: text, atomically: true, encoding: .utf8)
        let model = try checkpoint(for: hostile, in: folder)
        let page = folder + "/units.html"
        let run = try charrnn(["units", "--checkpoint", model, "--text", text, "--html", page, "--trace", "1.h.2"])
        #expect(run.status == 0 && run.stderr.contains("wrote "))
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.lowercased().components(separatedBy: "<script").count - 1 == 2)
        #expect(html.lowercased().components(separatedBy: "</script").count - 1 == 2)
        #expect(html.contains("<script type=\"application/json\" id=\"units-data\">") && html.contains("<script>\n"))
        #expect(!html.contains("alert(1)</") && !html.contains("<!--") && !html.contains("\u{2028}"))
        #expect(html.contains("x&lt;b&gt;&amp;&quot;&#39;.txt"))

        let start = try #require(html.range(of: "id=\"units-data\">")).upperBound
        let end = try #require(html.range(of: "</script>", range: start..<html.endIndex)).lowerBound
        let data = try #require(try JSONSerialization.jsonObject(with: Data(html[start..<end].utf8)) as? [String: Any])
        #expect((data["chars"] as? [String])?.joined() == hostile)
        let rows = try #require(data["rows"] as? [[String: Any]])
        #expect((rows.last?["title"] as? String) == "trace: L1 h 2")
        #expect(rows.allSatisfy { ($0["steps"] as? [Int])?.count == hostile.unicodeScalars.count })
        #expect((data["palette"] as? [String])?.count == 9)
    }

    @Test("--html with --trace: the trace lines on stdout, the page written")
    func htmlWithTrace() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let page = folder + "/p.html"
        let run = try charrnn([
            "units", "--checkpoint", tinyGRU, "--text", evalText, "--trace", "0.h.3", "--html", page, "--excerpt", "12",
        ])
        #expect(try run.status == 0 && objects(run).count == 300)
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.contains("\"title\":\"trace: L0 h 3\"") && html.contains("the first 12 are tinted"))
    }
}
