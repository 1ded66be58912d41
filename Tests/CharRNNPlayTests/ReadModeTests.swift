import CharRNN
import Foundation
import Testing

@testable import CharRNNPlay

/// Read mode on the real engine with the tiny fixtures: a.safetensors (GRU) and b.safetensors
/// (LSTM) in one folder, reading the GRU's evaluation text.
@Suite("Read mode")
struct ReadModeTests {
    let clock = ManualClock()
    let folder: String
    let text: [Unicode.Scalar]

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("read-mode-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let fixtures = EngineSessionTests.fixtures
        try FileManager.default.copyItem(atPath: fixtures + "tiny-gru.safetensors", toPath: folder + "/a.safetensors")
        try FileManager.default.copyItem(atPath: fixtures + "tiny-lstm.safetensors", toPath: folder + "/b.safetensors")
        try FileManager.default.copyItem(atPath: fixtures + "tiny-gru.eval.txt", toPath: folder + "/text.txt")
        text = try UTF8Text.read(path: folder + "/text.txt")
    }

    /// A controller on a.safetensors with the text open in read mode, read to the end.
    func reading(width: Int = 100, height: Int = 24) throws -> PlayController {
        let session = try EngineSession(checkpoint: folder + "/a.safetensors", compute: .streaming(split: false))
        let c = PlayController(
            session: session, state: PlayState(), checkpoint: folder + "/a.safetensors", randomSeed: 9,
            clock: clock.read)
        c.screenSize = (width, height)
        try c.open(text, path: folder + "/text.txt")
        waitForReading(c)
        return c
    }

    func waitForReading(_ c: PlayController) {
        for _ in 0..<2000 where c.document?.reading.isComplete == false { usleep(5000) }
        c.advance(until: clock.now)
    }

    func frame(_ c: PlayController) -> Frame {
        PlayView.frame(c, width: c.screenSize.width, height: c.screenSize.height)
    }

    func symbol(_ c: PlayController) -> Unicode.Scalar {
        let d = c.document!
        return d.symbols[Int(d.reading.tokens[d.cursor])]
    }

    @Test("arrows move by character and row, PgUp/PgDn by screen, Home/End to the ends")
    func cursorMoves() throws {
        let c = try reading(height: 8)  // a text pane of 6 rows
        #expect(c.state.mode == .read && c.document?.cursor == 0)
        c.handle(.right)
        c.handle(.right)
        #expect(c.document?.cursor == 2 && symbol(c) == "d")
        c.handle(.left)
        #expect(c.document?.cursor == 1)
        c.handle(.down)  // "eld,\nThy youth's…": row 2, column 1
        #expect(symbol(c) == "h" && c.document?.cursor == 6)
        c.handle(.down)
        #expect(symbol(c) == "i")  // "Will be…"
        c.handle(.up)
        c.handle(.up)
        #expect(c.document?.cursor == 1)
        c.handle(.up)  // the first row: stays there
        #expect(c.document?.cursor == 1)
        c.handle(.pageDown)
        let rows = c.document!.rows(width: c.readPane!.width)
        #expect(rows.rowStart(containing: c.document!.cursor) == rows.moved(0, rows: 6))
        #expect(c.document!.top > 0, "the pane scrolled with the cursor")
        #expect(frame(c).lines()[1 + 0].hasPrefix(String(text[c.document!.top...].prefix(4).map(Character.init))))
        c.handle(.pageUp)
        #expect(c.document?.cursor == 1 && c.document?.top == 0)
        c.handle(.end)
        #expect(c.document?.cursor == c.document!.count - 1)
        let screen = frame(c)
        #expect(screen.cursor != nil && screen.cursor!.row < 7, "the cursor is on screen")
        #expect(screen.style(row: screen.cursor!.row, column: screen.cursor!.column) == .cursor)
        c.handle(.home)
        #expect(c.document?.cursor == 0 && c.document?.top == 0)
    }

    @Test("/ searches after the cursor (Enter finds the next, wrapping around), Esc cancels, a miss says so")
    func search() throws {
        let c = try reading()
        let all = String(String.UnicodeScalarView(text))
        let matches = all.ranges(of: "th").map { all.unicodeScalars.distance(from: all.startIndex, to: $0.lowerBound) }
        #expect(matches.count >= 3)
        c.handle(.character("/"))
        for s in "th".unicodeScalars { c.handle(.character(s)) }
        #expect(frame(c).lines().last!.hasPrefix("search› th"))
        c.handle(.enter)
        #expect(c.state.prompt == nil && c.document?.cursor == matches[0])
        c.handle(.enter)
        #expect(c.document?.cursor == matches[1])
        c.handle(.character("n"))
        #expect(c.document?.cursor == matches[2])
        for _ in 3..<matches.count { c.handle(.enter) }
        c.handle(.enter)
        #expect(c.document?.cursor == matches[0], "wrapped around")
        c.handle(.character("/"))
        c.handle(.character("q"))
        c.handle(.escape)
        #expect(c.state.prompt == nil && c.document?.cursor == matches[0] && !c.quitRequested)
        c.handle(.character("/"))
        for s in "zebra".unicodeScalars { c.handle(.character(s)) }
        c.handle(.enter)
        #expect(c.currentNotice?.text == "not found: zebra" && c.document?.cursor == matches[0])
    }

    @Test("the bars show the distribution that predicted the character under the cursor, its rank and bits")
    func barsAtCursor() throws {
        let c = try reading()
        #expect(c.cursorBars == nil, "nothing predicts the first character")
        #expect(frame(c).screenText.contains("first character"))
        var seen: Set<[Float]> = []
        for _ in 0..<12 {
            c.handle(.right)
            let d = c.document!
            let bars = try #require(c.cursorBars)
            let stored = d.reading.figures(at: d.cursor)
            #expect(bars.figures == stored)
            #expect(bars.view.chosen?.symbol == symbol(c))
            #expect(bars.view.chosen?.probability == stored.probability)
            #expect(bars.view.candidates.count == c.state.barCount)
            #expect(bars.view.entropy == stored.entropyBits)
            seen.insert(bars.view.candidates.map(\.probability))
            let screen = frame(c).screenText
            let bits = NumberText.fixed(Double(stored.surprisalBits), decimals: 2)
            #expect(screen.contains("rank \(stored.rank) · \(bits) bits"), "\(screen)")
        }
        #expect(seen.count > 6, "the bars change with the cursor")
        c.handle(.character("-"))
        c.advance(until: clock.now)
        #expect(c.cursorBars?.view.candidates.count == c.state.barCount && c.state.barCount == 9)
    }

    @Test("the text is tinted by rank bucket, or by surprisal with t; unread characters are dim")
    func tint() throws {
        let c = try reading()
        let d = c.document!
        let screen = frame(c)
        // Row 2 is "Thy youth's …" (positions 5…); its characters carry their buckets' styles.
        for column in [0, 1, 2, 4, 5] {
            let f = d.reading.figures(at: 5 + column)
            #expect(screen.style(row: 2, column: column) == .rank(f.bucket.rawValue))
        }
        #expect(screen.lines().last!.contains("rank 1 2-3 4-10 11+"))
        c.handle(.character("t"))
        #expect(c.state.readTint == .surprisal)
        let tinted = frame(c)
        #expect(tinted.style(row: 2, column: 0) == StreamText.tint(d.reading.figures(at: 5).surprisalBits))
        #expect(tinted.lines().last!.contains("<1 <3 <6 6+ bits"))
        // A reading not started yet: every character dim, the progress in the status line.
        let waiting = ProgressiveReading(
            try CharRNNModel.load(path: folder + "/a.safetensors"), tokens: d.reading.tokens)
        c.document = ReadDocument(path: d.path, text: d.text, reading: waiting, skipped: 0)
        let unread = frame(c)
        #expect(unread.style(row: 2, column: 0) == .dim && unread.style(row: 2, column: 5) == .dim)
        #expect(unread.lines()[0].contains("read 0%"))
    }

    @Test("the status line shows nats/char over the text and the window, rank shares, and reading progress")
    func status() throws {
        let c = try reading(width: 160)
        let summary = try #require(c.document?.reading.summary)
        let line = frame(c).lines()[0]
        #expect(line.contains(NumberText.fixed(summary.natsPerCharacter, decimals: 4) + " nats/char"))
        #expect(line.contains(NumberText.fixed(summary.bitsPerCharacter, decimals: 4) + " bits/char"))
        #expect(line.contains("window ") && line.contains("rank 1: "))
        #expect(!line.contains("read "), "finished: no progress shown")
        // While reading: the progress.
        let model = try CharRNNModel.load(path: folder + "/a.safetensors")
        let tokens = try model.vocabulary.encodeAll(text, what: "text")
        let long = Array(repeating: tokens, count: 400).joined()
        let slow = ProgressiveReading(model, tokens: Array(long), top: 0, chunk: 10_000)
        #expect(!slow.isComplete)
        #expect(c.readProgressText(slow) == "read 0%")
    }

    @Test("Tab loads the next checkpoint and reads the same text with it, the cursor kept")
    func tabRereads() throws {
        let c = try reading()
        for _ in 0..<40 { c.handle(.right) }
        let before = c.document!.reading
        c.handle(.tab)
        #expect(c.session.model.name == "b")
        let after = try #require(c.document?.reading)
        #expect(after !== before && c.document?.cursor == 40 && c.state.mode == .read)
        waitForReading(c)
        let lstm = try CharRNNModel.load(path: folder + "/b.safetensors")
        let tokens = try lstm.vocabulary.encodeAll(text, what: "text")
        let whole = try TextReading.read(lstm, tokens: tokens, top: 0, compute: .streaming(split: false))
        let summary = try #require(after.summary)
        #expect(abs(summary.natsPerCharacter / whole.summary.natsPerCharacter - 1) < 1e-6)
        #expect(c.cursorBars?.figures == after.figures(at: 40))
        #expect(frame(c).lines()[0].contains(NumberText.fixed(summary.natsPerCharacter, decimals: 4) + " nats/char"))
    }

    @Test("d shows a dynamic reading: TextReading's dynamic figures, tint and stored candidates; d or Tab drops it")
    func dynamicReading() throws {
        let c = try reading(width: 160)
        let checkpoint = try Data(contentsOf: URL(fileURLWithPath: folder + "/a.safetensors"))
        for _ in 0..<120 { c.handle(.right) }
        let staticBars = try #require(c.cursorBars)
        c.handle(.character("d"))
        let dynamic = try #require(c.document?.dynamic)
        for _ in 0..<2000 where !dynamic.isComplete { usleep(5000) }
        c.advance(until: clock.now)

        let model = try CharRNNModel.load(path: folder + "/a.safetensors")
        let expected = try TextReading.read(
            model, tokens: c.document!.reading.tokens, top: DynamicReading.defaultTopCount,
            learning: try DynamicEvaluationSettings(), compute: .streaming(split: false))
        let staticSummary = try #require(c.document?.reading.summary)
        #expect(expected.summary.natsPerCharacter != staticSummary.natsPerCharacter, "the model learned")
        let line = frame(c).lines()[0]
        let figures = "dynamic \(NumberText.fixed(expected.summary.natsPerCharacter, decimals: 3))"
            + " (static \(NumberText.fixed(staticSummary.natsPerCharacter, decimals: 3)))"
        #expect(line.contains(figures), "\(line)")
        #expect(line.contains(figures + " │"), "read to the end: no progress")
        let reading = c.document!.reading
        for k in [1, 100, 256, 257, reading.characterCount] {  // chunks of 256: within, at and after one
            let bits = (1...k).reduce(0.0) { $0 + Double(reading.figures(at: $1).surprisalBits) }
            #expect(abs(reading.natsPerCharacter(through: k) - bits * ReadDocument.ln2 / Double(k)) < 1e-9)
        }
        #expect((1...dynamic.characterCount).allSatisfy { dynamic.figures(at: $0) == expected.characters[$0 - 1] })

        // The bars: the dynamic reading's stored candidates at the cursor, its rank and bits.
        let bars = try #require(c.cursorBars)
        #expect(bars.figures == expected.characters[119] && bars.figures != staticBars.figures)
        #expect(bars.view.candidates.map(\.probability) == expected.candidates(at: 120).map(\.probability))
        let bits = NumberText.fixed(Double(bars.figures.surprisalBits), decimals: 2)
        #expect(frame(c).screenText.contains("rank \(bars.figures.rank) · \(bits) bits"))
        // The tint: the dynamic reading's ranks; a dynamic reading not started yet leaves the text dim.
        c.handle(.home)
        let screen = frame(c)
        for column in [0, 1, 2, 4, 5] {
            #expect(screen.style(row: 2, column: column) == .rank(expected.characters[4 + column].bucket.rawValue))
        }
        let tokens = c.document!.reading.tokens
        c.document!.dynamic = DynamicReading(
            model, tokens: tokens, settings: try DynamicEvaluationSettings(), compute: .streaming(split: false))
        let unread = frame(c)
        #expect(unread.style(row: 2, column: 0) == .dim && unread.lines()[0].contains("dynamic 0%"))

        // d again: the static reading's figures and bars.
        c.handle(.character("d"))
        for _ in 0..<120 { c.handle(.right) }
        #expect(c.document?.dynamic == nil && c.cursorBars?.figures == staticBars.figures)
        #expect(!frame(c).lines()[0].contains("dynamic"))
        // Tab drops it: the new checkpoint's static reading.
        c.handle(.character("d"))
        #expect(c.document?.dynamic != nil)
        c.handle(.tab)
        #expect(c.session.model.name == "b" && c.document?.dynamic == nil)
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/a.safetensors")) == checkpoint, "never written")
    }

    @Test("c continues from the cursor: the new stream starts where priming with the text before it does")
    func continueFromHere() throws {
        let c = try reading()
        for _ in 0..<57 { c.handle(.right) }
        c.handle(.character("c"))
        #expect(c.state.mode == .write && c.state.running)
        let prime = c.document!.prefix(57)
        #expect(c.state.activePrime == prime && c.texts[0].text == prime)  // under primeLimit: all of it
        let primed = try EngineSession(checkpoint: folder + "/a.safetensors", compute: .streaming(split: false))
        _ = try primed.start(prime: prime, samplers: c.state.samplers, randomSeed: 9, shouldContinue: { true })
        #expect(c.distributions[0] == primed.nextDistribution(stream: 0, count: c.state.barCount))
        var generated = ""
        for _ in 0..<20 { generated.unicodeScalars.append(try primed.step(stream: 0).symbol!) }
        for _ in 0..<5 {
            clock.now += 1
            c.advance(until: clock.now + 1)
        }
        #expect(c.texts[0].text.hasPrefix(prime + generated.prefix(c.texts[0].generatedCount)))
        #expect(c.texts[0].generatedCount > 0, "it writes")
        c.handle(.function(3))
        #expect(c.state.mode == .read && c.document?.cursor == 57, "F3: back to the same reading")
    }

    @Test("continuing at the end of a long text: a restart (Tab) primes with the last primeLimit characters")
    func continueLongText() throws {
        let c = try reading()
        let long = Array(repeating: text, count: 20).joined()  // 6,000 characters
        try c.open(Array(long), path: "long.txt")
        waitForReading(c)
        c.handle(.end)
        c.handle(.character("c"))
        let prime = c.document!.prefix(long.count - 1)
        #expect(c.state.running && c.texts[0].text == prime)
        #expect(
            c.state.activePrime == String(String.UnicodeScalarView(prime.unicodeScalars.suffix(PlayState.primeLimit))))
        c.handle(.tab)
        #expect(c.session.model.name == "b" && c.state.running && c.texts[0].text == c.state.activePrime)
    }

    @Test("F3 asks for a file when none is loaded, says why one cannot be read, and toggles once one is")
    func f3() throws {
        let session = try EngineSession(checkpoint: folder + "/a.safetensors", compute: .streaming(split: false))
        let c = PlayController(
            session: session, state: PlayState(), checkpoint: folder + "/a.safetensors", clock: clock.read)
        c.screenSize = (80, 20)
        #expect(frame(c).lines()[19].contains("F1Help  F3Read  F10Quit"))
        c.handle(.function(3))
        #expect(c.state.prompt == .path && c.state.mode == .write)
        for s in (folder + "/missing.txt").unicodeScalars { c.handle(.character(s)) }
        #expect(frame(c).lines()[0].hasPrefix("read file› "))
        c.handle(.enter)
        #expect(c.state.mode == .write && c.state.prompt == nil)
        #expect(c.currentNotice?.isError == true && c.currentNotice!.text.contains("missing.txt"))
        c.handle(.function(3))
        for s in (folder + "/text.txt").unicodeScalars { c.handle(.character(s)) }
        c.handle(.enter)
        #expect(c.state.mode == .read && c.document != nil)
        #expect(frame(c).lines()[19].hasPrefix("F1Help  F3Write  F10Quit"))
        c.handle(.function(3))
        #expect(c.state.mode == .write && c.state.prompt == nil)
        c.handle(.function(3))
        #expect(c.state.mode == .read && c.state.prompt == nil)
        c.handle(.function(10))
        #expect(c.quitRequested)
    }

    @Test("F1 in read mode lists read mode's keys")
    func help() throws {
        let c = try reading(width: 100, height: 30)
        c.handle(.function(1))
        let text = frame(c).screenText
        for entry in KeyMap.readHelp { #expect(text.contains(entry.keys), "\(entry.keys)") }
        c.handle(.down)
        #expect(c.document?.cursor == 0, "Down scrolls the help")
    }

    @Test("read mode fits small screens, and too small ones show the message", arguments: [(30, 6), (34, 9), (20, 5)])
    func smallScreens(width: Int, height: Int) throws {
        let c = try reading(width: width, height: height)
        for key: Key in [.down, .pageDown, .end, .character("/"), .character("x"), .escape, .pageUp, .right] {
            c.handle(key)
            let f = frame(c)
            #expect(f.lines().count == height)
            #expect(f.texts.allSatisfy { $0.column + ColumnWidth.standard.columns(of: $0.text) <= width })
        }
    }

    @Test("a text the model cannot read is refused with one line, the screen unchanged")
    func unreadable() throws {
        let c = try reading()
        let before = c.document!.reading
        #expect(throws: CharRNNError.self) { try c.open(["#", "#", "x"], path: "odd.txt") }
        #expect(c.document!.reading === before)
    }
}

@Suite("Read mode: rows of a long text")
struct TextRowsTests {
    func rows(_ text: String, width: Int) -> TextRows {
        var symbols: [Unicode.Scalar] = []
        let tokens = text.unicodeScalars.map { s -> Int32 in
            if let i = symbols.firstIndex(of: s) { return Int32(i) }
            symbols.append(s)
            return Int32(symbols.count - 1)
        }
        return TextRows(tokens: tokens, symbols: symbols, width: width)
    }

    /// Every row from the start, by walking forward.
    func allRows(_ r: TextRows) -> [Int] {
        var starts = [0]
        while let next = r.nextRow(starts.last!) { starts.append(next) }
        return starts
    }

    @Test("rows break after newlines and at the width; any position finds its row")
    func wrapping() {
        let r = rows("abcdefg\nhi\n\njklmnopqrstu", width: 5)
        #expect(allRows(r) == [0, 5, 8, 11, 12, 17, 22])
        for i in 0..<r.count {
            let start = r.rowStart(containing: i)
            #expect(allRows(r).contains(start) && start <= i && r.rowEnd(start) > i, "\(i)")
        }
        #expect(r.column(of: 6) == 1 && r.column(of: 7) == 2)
        #expect(r.moved(6, rows: 1) == 9, "down from column 1 of 'fg⏎' to 'i'")
        #expect(r.moved(9, rows: 1) == 11, "a row holding only a newline")
        #expect(r.moved(1, rows: -1) == 1 && r.moved(20, rows: 9) == 23)
    }

    @Test("a line longer than the hard break is broken there, so no search goes back further")
    func hardBreak() {
        let long = String(repeating: "abc", count: 3000)  // 9,000 characters, no newline
        let r = rows(long, width: 100)
        let starts = allRows(r)
        #expect(starts.contains(TextRows.hardBreak) && starts.contains(2 * TextRows.hardBreak))
        for i in stride(from: 0, to: r.count, by: 97) { #expect(starts.contains(r.rowStart(containing: i))) }
    }

    @Test("the top row moves only as far as needed to show the cursor")
    func scrolling() {
        let r = rows((0..<30).map { "line \($0)\n" }.joined(), width: 20)
        let starts = allRows(r)
        #expect(r.top(0, showing: starts[3], height: 5) == 0)
        #expect(r.top(0, showing: starts[7], height: 5) == starts[3])
        #expect(r.top(starts[10], showing: starts[8], height: 5) == starts[8])
        #expect(r.top(starts[10] + 2, showing: starts[12], height: 5) == starts[10], "snapped to its row's start")
    }
}
