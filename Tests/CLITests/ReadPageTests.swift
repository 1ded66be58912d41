import CharRNN
import Foundation
import Testing

@testable import charrnn

/// `charrnn read --html`: one self-contained page in which the text is data, never markup.
@Suite("charrnn read --html")
struct ReadPageTests {
    /// Everything a page must survive: markup, a script end, a comment start, references, quotes,
    /// a line separator, emoji, combining marks and control characters (CR, ESC, NUL, DEL, C1).
    static let hostile =
        "\n<script>alert(1)</script> </script><!-- &amp; &lt; \"q\" 'a' \u{2028}x 😀👍🏽 e\u{301}\u{302}\t"
        + "tab\r\n\u{1B}[31m\u{0}\u{7F}\u{85}<b>bold</b> ]]> <svg onload=alert(2)>\n"

    /// A small GRU checkpoint over the hostile text's characters.
    func hostileCheckpoint(in folder: String) throws -> (checkpoint: String, text: String, vocabulary: Vocabulary) {
        let vocabulary = Vocabulary(corpus: Self.hostile.unicodeScalars)
        let config = ModelConfig(vocabularySize: vocabulary.count, embeddingSize: 8, hiddenSize: 16)
        let model = CharRNNModel(config: config, vocabulary: vocabulary, seed: 3)
        let checkpoint = folder + "/hostile.safetensors", text = folder + "/hostile.txt"
        try Checkpoint(config: config, vocabulary: vocabulary, parameters: model.parameters).save(path: checkpoint)
        try Data(Self.hostile.utf8).write(to: URL(fileURLWithPath: text))
        return (checkpoint, text, vocabulary)
    }

    /// What `<pre id="text">` holds once its spans are taken off and its references read back.
    static func visibleText(_ page: String) throws -> String {
        let start = try #require(page.range(of: "<pre id=\"text\">")).upperBound
        let end = try #require(page.range(of: "</pre>", range: start..<page.endIndex)).lowerBound
        let markup = String(page[start..<end])
        let stripped = markup.replacingOccurrences(
            of: "<span class=[nb0-9]+>|</span>", with: "", options: .regularExpression)
        #expect(!stripped.contains("<") && !stripped.contains(">"))
        return stripped.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// A string of `ReadPage.packed` numbers read back as the page's script reads it.
    static func unpacked(_ value: Any?) -> [Int]? {
        (value as? String)?.unicodeScalars.map {
            let scalar = Int($0.value)
            return scalar < 0x10000 ? scalar - 0x40 : scalar - 0x10000 + 0xD7C0
        }
    }

    @Test("Packed numbers: one character each, the small ones one byte, every size up to 1,000,000 read back")
    func packed() throws {
        let numbers = [0, 1, 63, 64, 1000, 0xD7BF, 0xD7C0, 0xD7C1, 65_536, 1_000_000]
        let value = ReadPage.packed(numbers)
        let back = try JSONSerialization.jsonObject(with: Data(value.text().utf8), options: .fragmentsAllowed)
        #expect(Self.unpacked(back) == numbers)
        #expect(ReadPage.packed(0..<64).text().utf8.count == 64 + 1 + 2)  // 28 is written \\; the quotes
        #expect(!HTMLPage.scriptData(ReadPage.packed(0..<70_000)).contains("<"))
    }

    @Test("Hostile text is text: only our two scripts, the text round-trips, the data parses back to it")
    func hostileText() throws {
        let folder = try temporaryFolder()
        let (checkpoint, text, vocabulary) = try hostileCheckpoint(in: folder)
        let out = folder + "/page.html"
        let run = try charrnn(["read", "--checkpoint", checkpoint, "--text", text, "--html", out])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr == "charrnn: wrote \(out)\n" && run.stdout.contains("characters read"))
        let page = try String(contentsOfFile: out, encoding: .utf8)
        let lower = page.lowercased()
        #expect(lower.components(separatedBy: "<script").count == 3)
        #expect(lower.components(separatedBy: "</script").count == 3)
        #expect(!page.contains("<!--") && !page.contains("<b>") && !page.contains("<svg onload"))
        #expect(!page.contains("src=") && !page.contains("href=") && !page.contains("@import"))

        let shown = String(String.UnicodeScalarView(Self.hostile.unicodeScalars.map {
            switch $0.value {
            case 0x0D: "\u{240D}"
            case 0x1B: "\u{241B}"
            case 0x00: "\u{2400}"
            case 0x7F: "\u{2421}"
            case 0x85: "\u{FFFD}"
            default: $0
            }
        }))
        #expect(try Self.visibleText(page) == shown)

        let start = try #require(page.range(of: "<script type=\"application/json\" id=\"data\">")).upperBound
        let end = try #require(page.range(of: "</script>", range: start..<page.endIndex)).lowerBound
        let data = try #require(
            try JSONSerialization.jsonObject(with: Data(page[start..<end].utf8)) as? [String: Any])
        let tokens = try #require(Self.unpacked(data["tokens"]))
        #expect(tokens.map { vocabulary.symbols[$0] }.joined() == Self.hostile)
        let labels = try #require(data["labels"] as? [String])
        #expect(labels.count == vocabulary.count && labels.contains("<") && labels.contains("😀"))
        let characters = tokens.count - 1
        #expect(Self.unpacked(data["ranks"])?.count == characters)
        #expect(Self.unpacked(data["centibits"])?.count == characters)
        #expect(Self.unpacked(data["candidates"])?.count == 5 * characters && data["top"] as? Int == 5)
        #expect(Self.unpacked(data["thousandths"])?.allSatisfy { (0...1000).contains($0) } == true)
    }

    @Test("The page's figures are read --json's; the histogram and the summary are on it")
    func figures() throws {
        let checkpoint = CharRNNBinary.fixture("tiny-gru.safetensors")
        let text = CharRNNBinary.fixture("tiny-gru.eval.txt")
        let out = try temporaryFolder() + "/page.html"
        let run = try charrnn(["read", "--checkpoint", checkpoint, "--text", text, "--html", out, "--top", "3"])
        #expect(run.status == 0)
        let page = try String(contentsOfFile: out, encoding: .utf8)
        let json = try charrnn(["read", "--checkpoint", checkpoint, "--text", text, "--json", "--top", "3"])
        let lines = try json.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let start = try #require(page.range(of: "id=\"data\">")).upperBound
        let end = try #require(page.range(of: "</script>", range: start..<page.endIndex)).lowerBound
        let data = try #require(try JSONSerialization.jsonObject(with: Data(page[start..<end].utf8)) as? [String: Any])
        let ranks = try #require(Self.unpacked(data["ranks"]))
        let centibits = try #require(Self.unpacked(data["centibits"]))
        let thousandths = try #require(Self.unpacked(data["thousandths"]))
        for (i, line) in lines.dropLast().enumerated() {
            #expect(ranks[i] == line["rank"] as? Int)
            #expect(abs(Double(centibits[i]) / 100 - (line["bits"] as! Double)) <= 0.005)
            let top = line["top"] as! [[Any]]
            #expect(abs(Double(thousandths[3 * i]) / 1000 - (top[0][1] as! Double)) <= 0.0005)
        }
        #expect(page.contains("<title>tiny-gru.safetensors reads tiny-gru.eval.txt</title>"))
        #expect(page.contains("0.7364 nats/char · 1.0625 bits/char · perplexity 2.088 · 299 characters read"))
        #expect(page.contains("<svg id=\"histogram\"") && page.contains(">79.3%</text>"))
        // Characters the model ranked first carry no markup: far fewer spans than characters.
        #expect(page.components(separatedBy: "<span class=b").count - 1 < 299 / 3)
    }

    @Test("An output path that cannot be written is refused before the text is read")
    func badOutput() throws {
        let folder = try temporaryFolder()
        let checkpoint = CharRNNBinary.fixture("tiny-gru.safetensors")
        let text = folder + "/text.txt"
        try "hello there".write(toFile: text, atomically: false, encoding: .utf8)
        func read(_ out: String, text: String = text) throws -> Run {
            try charrnn(["read", "--checkpoint", checkpoint, "--text", text, "--html", out])
        }
        // A missing text: the output is checked first.
        expectOneLineFailure(
            try read(folder + "/missing/p.html", text: folder + "/absent.txt"),
            mentioning: "the folder \(folder)/missing does not exist")
        expectOneLineFailure(try read(folder), mentioning: "\(folder): is a folder, not a file")
        expectOneLineFailure(try read(text), mentioning: "is the --text file: choose another --html")
        expectOneLineFailure(try read(folder + "/./text.txt"), mentioning: "is the --text file")
        expectOneLineFailure(try read(checkpoint), mentioning: "is the --checkpoint file")
        #expect(try String(contentsOfFile: text, encoding: .utf8) == "hello there")
        let locked = folder + "/locked"
        try FileManager.default.createDirectory(atPath: locked, withIntermediateDirectories: false)
        let immutable = getuid() == 0 && shell("chattr +i '\(locked)' 2>/dev/null")
        if getuid() != 0 { chmod(locked, 0o555) }
        if getuid() != 0 || immutable {
            expectOneLineFailure(try read(locked + "/p.html"), mentioning: "cannot create a file in its folder")
        }
        if immutable { _ = shell("chattr -i '\(locked)'") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["locked", "text.txt"])
    }

    private func shell(_ command: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    @Test("HTMLPage.escaped: markup characters become references; everything else stays")
    func escaped() {
        #expect(HTMLPage.escaped("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        #expect(HTMLPage.escaped("é😀\u{301}\u{2028}\n\t") == "é😀\u{301}\u{2028}\n\t")
        #expect(HTMLPage.escaped("&amp;") == "&amp;amp;")
    }

    @Test("HTMLPage.scriptData: no text can end the element or open a comment, and the JSON reads back")
    func scriptData() throws {
        let hostile = "</script><!--<SCRIPT>\u{2028}\u{2029}\"\\😀"
        let data = HTMLPage.scriptData(.object(["s": .string(hostile), "n": .array([1, 2])]))
        #expect(!data.contains("<") && !data.contains("\u{2028}") && !data.contains("\u{2029}"))
        let back = try #require(try JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any])
        #expect(back["s"] as? String == hostile && back["n"] as? [Int] == [1, 2])
    }

    @Test("HTMLPage.text: the title is escaped; one style and one script element")
    func document() {
        let page = HTMLPage(title: "<b>&", style: "p {}", body: "<p>hi</p>", script: "let a = 1;").text
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("<title>&lt;b&gt;&amp;</title>"))
        #expect(page.components(separatedBy: "<script>").count == 2 && page.contains("<meta charset=\"utf-8\">"))
    }
}
