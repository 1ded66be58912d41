import CharRNN

/// Read mode: a text through the model's eyes, read in the background, with a cursor whose
/// character's distribution the bars show.
extension PlayController {
    /// Opens `text` (a file's characters) in read mode and starts reading it with the current
    /// checkpoint. Throws the one-line error when the model cannot read it (fewer than two of
    /// its characters in the vocabulary); the screen is unchanged then.
    public func open(_ text: [Unicode.Scalar], path: String) throws {
        let (reading, skipped) = try session.read(text)
        document = ReadDocument(path: path, text: text, reading: reading, skipped: skipped)
        cursorBarsKey = nil
        state.readingLoaded = true
        state.mode = .read
        if skipped > 0 {
            say("\(NumberText.grouped(skipped)) character(s) outside the vocabulary left out", error: false)
        }
    }

    /// F3's prompt: reads the file at `path` (UTF-8) and opens it, or says why it cannot.
    func openReading(_ path: String) {
        do {
            try open(try UTF8Text.read(path: path), path: path)
        } catch {
            show(error)
        }
    }

    /// `d`: starts a dynamic reading of the text with the current model (in the background; the
    /// checkpoint on disk never changes) and shows it, or drops it and shows the static reading
    /// again. A checkpoint switch drops it too (`reread`).
    func toggleDynamic() {
        guard var d = document else { return }
        if d.dynamic != nil {
            d.dynamic = nil
        } else {
            do {
                d.dynamic = try session.readDynamically(d.reading.tokens)
            } catch {
                show(error)
                return
            }
        }
        document = d
        refreshCursorBars()
    }

    /// After a checkpoint switch: the same text, read by the new model, the cursor kept.
    func reread(_ old: ReadDocument) {
        do {
            let (reading, skipped) = try session.read(old.text)
            var document = ReadDocument(path: old.path, text: old.text, reading: reading, skipped: skipped)
            document.cursor = min(old.cursor, document.count - 1)
            document.top = min(old.top, document.cursor)
            self.document = document
            cursorBarsKey = nil
        } catch {
            document = nil
            state.readingLoaded = false
            state.mode = .write
            show(error)
        }
    }

    /// The text pane's size in read mode; nil when the screen is too small for any layout.
    var readPane: Rect? {
        Layout(width: screenSize.width, height: screenSize.height, sideBySide: false, barCount: state.barCount)?
            .streams.first?.text
    }

    func moveCursor(_ move: CursorMove) {
        guard var d = document, let pane = readPane else { return }
        let rows = d.rows(width: pane.width)
        let last = d.count - 1
        switch move {
        case .left: d.cursor = max(0, d.cursor - 1)
        case .right: d.cursor = min(last, d.cursor + 1)
        case .up: d.cursor = rows.moved(d.cursor, rows: -1)
        case .down: d.cursor = rows.moved(d.cursor, rows: 1)
        case .pageUp, .pageDown:
            let page = move == .pageUp ? -pane.height : pane.height
            d.cursor = rows.moved(d.cursor, rows: page)
            d.top = rows.moved(rows.rowStart(containing: d.top), rows: page)
        case .home: d.cursor = 0
        case .end: d.cursor = last
        }
        d.top = rows.top(d.top, showing: d.cursor, height: pane.height)
        document = d
        refreshCursorBars()
    }

    func find(_ query: String) {
        guard var d = document else { return }
        guard let found = d.find(query) else {
            say("not found: \(Glyphs.inline(query))", error: false)
            return
        }
        d.cursor = found
        if let pane = readPane {
            d.top = d.rows(width: pane.width).top(d.top, showing: found, height: pane.height)
        }
        document = d
        refreshCursorBars()
    }

    /// Recomputes the bars when the cursor, the bar count or the reading changed, or the
    /// reading has just reached the cursor.
    func refreshCursorBars() {
        guard let d = document else {
            cursorBars = nil
            return
        }
        let key = (d.dynamic.map(ObjectIdentifier.init) ?? ObjectIdentifier(d.reading), d.cursor, state.barCount)
        let ready = d.cursor >= 1 && d.cursor <= d.shownReadCount
        if let old = cursorBarsKey, old == key, cursorBars != nil || !ready { return }
        cursorBarsKey = key
        cursorBars = d.bars(at: d.cursor, count: state.barCount)
    }

    /// "Continue from here": the text before the cursor becomes the prime, in the state the
    /// reading reached there (nothing is fed again), and the screen goes back to writing. A later
    /// restart (Tab, Ctrl-G) primes with its last `PlayState.primeLimit` characters, as a typed
    /// prime would be, so that it never reads megabytes on the UI thread.
    func continueFromCursor() {
        guard let d = document else { return }
        let position = d.cursor
        guard position <= d.reading.readCount else {
            say("not read this far yet: \(readProgressText(d.reading))", error: false)
            return
        }
        let prime = d.prefix(position)
        state.mode = .write
        state.activePrime = String(String.UnicodeScalarView(prime.unicodeScalars.suffix(PlayState.primeLimit)))
        state.paused = false
        begin(prime: prime) { samplers, seed in
            try session.start(from: d.reading, before: position, prime: prime, samplers: samplers, randomSeed: seed)
            return nil
        }
    }

    /// "read 45%".
    func readProgressText(_ reading: ProgressiveReading) -> String {
        "read \(Int(100 * Double(reading.readCount) / Double(reading.characterCount)))%"
    }
}
