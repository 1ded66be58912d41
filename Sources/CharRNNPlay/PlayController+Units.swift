import CharRNN

/// F4's unit tint (see `UnitTint`): recording, computing and ranking the units, and the unit keys.
extension PlayController {
    /// The unit the tint follows, inside the current model.
    public var tintedUnit: HiddenUnit { units.selection.unit(in: session.model.config) }

    /// Units of the current model: every layer's `h` (and `c`).
    private var unitCount: Int {
        let config = session.model.config
        return config.layers * StateKind.kinds(of: config.cell).count * config.hiddenSize
    }

    /// F5–F9 (see `UnitMove`), with a notice when a move is refused.
    func moveUnit(_ move: UnitMove) {
        if let refusal = units.selection.apply(move, in: session.model.config, ranking: units.ranking) {
            say(refusal, error: false)
        } else if units.selection.feature != nil, let ranking = units.ranking {
            let characters = NumberText.grouped(ranking.characters)
            say("ranked over the \(characters) characters shown: \(units.selection.label)", error: false)
        }
    }

    /// After stream `stream` drew a character: keeps every unit's value after it. Only streams of
    /// the current model that step one character at a time have such values: beside a second
    /// checkpoint (`--versus`) its stream, whose units are another model's, and a beam stream,
    /// whose text is redrawn whole, are not tinted.
    func recordUnits(stream: Int) {
        guard session.versusModel == nil || stream == 0, session.bestBeam(stream: stream) == nil else { return }
        let count = unitCount
        let number = texts[stream].generatedCount - 1
        if units.traces.count != texts.count { units.traces = texts.map { _ in UnitTrace(unitCount: count) } }
        if units.traces[stream].end != number || units.traces[stream].unitCount != count {
            units.traces[stream] = UnitTrace(unitCount: count, first: number)
        }
        var values = [Float](repeating: 0, count: count)
        values.withUnsafeMutableBufferPointer { session.copyUnits(stream: stream, into: $0.baseAddress!) }
        let symbol = texts[stream].characters.last?.symbol
        values.withUnsafeBufferPointer { units.traces[stream].append(symbol, units: $0) }
    }

    /// The tint style of each generated character of stream `stream` (by its number among the
    /// generated ones); nil with F4 off.
    func unitStyle(stream: Int) -> ((Int) -> Style?)? {
        guard state.unitTint, stream < units.traces.count else { return nil }
        let trace = units.traces[stream]
        let flat = tintedUnit.flatIndex(in: session.model.config)
        return { number in trace.value(at: number, unit: flat).map { .unit(DivergingTint($0).step) } }
    }

    /// The tint style of text position `position` in read mode; nil with F4 off or not computed yet.
    func unitStyle(readPosition position: Int) -> Style? {
        guard state.unitTint, let trace = units.readTrace else { return nil }
        return trace.value(at: position, unit: tintedUnit.flatIndex(in: session.model.config)).map {
            .unit(DivergingTint($0).step)
        }
    }

    /// The status line's unit field: "L0 h 17 ▂▃▅▇█▇▅▃ quote #1 r=+0.83", the sparkline showing
    /// the unit's last 8 values (read mode: up to the cursor).
    var unitStatusField: StatusLine.Field? {
        guard state.unitTint else { return nil }
        let flat = tintedUnit.flatIndex(in: session.model.config)
        var values: [Float] = []
        if state.mode == .read, let d = document, let trace = units.readTrace {
            let last = min(d.cursor, trace.end - 1)
            values = (max(trace.first, last - 7)..<last + 1).compactMap { trace.value(at: $0, unit: flat) }
        } else if let trace = units.traces.last {
            values = (max(trace.first, trace.end - 8)..<trace.end).compactMap { trace.value(at: $0, unit: flat) }
        }
        let label = units.selection.label
        let spark = UnitSelection.sparkline(values)
        let unit = tintedUnit.label
        let forms = spark.isEmpty ? [label, unit] : ["\(label) \(spark)", label, "\(unit) \(spark)", unit]
        return .init(forms, priority: StatusLine.essential)
    }

    /// Each frame with F4 on: computes read mode's visible characters within the frame's budget,
    /// collects a finished ranking and starts another when the text shown has changed enough.
    func advanceUnits(until deadline: Double) {
        guard state.unitTint else { return }
        var visible: Range<Int>?
        if state.mode == .read, let d = document, let pane = readPane {
            visible = ReadView.visibleRange(d, pane: pane)
            computeReadUnits(d, range: visible!, until: deadline)
        }
        if let job = units.job, let ranking = job.result.withLock({ $0 }) {
            units.ranking = ranking
            units.job = nil
        }
        let trace = state.mode == .read ? units.readTrace : units.traces.last
        guard units.job == nil, let trace, trace.symbols.count >= 2 else { return }
        let readingID = units.readingID
        if let visible {
            // The text shown, once all of it is computed.
            guard trace.end >= visible.upperBound else { return }
            if let key = units.rankedKey, key.reading == readingID, key.first == trace.first, key.end == trace.end {
                return
            }
        } else if let key = units.rankedKey, key.reading == nil, key.first == trace.first, trace.end >= key.end,
            trace.end - key.end < UnitTint.rerankEvery
        {
            return
        }
        units.rankedKey = (visible == nil ? nil : readingID, trace.first, trace.end)
        units.job = RankingJob(trace, units: HiddenUnit.all(in: session.model.config))
    }

    /// Extends the read trace over `range` a block at a time until `deadline`; starts it again,
    /// from the start of the chunk the range begins in, when the pane moved above it or the
    /// reading changed.
    private func computeReadUnits(_ d: ReadDocument, range: Range<Int>, until deadline: Double) {
        let id = ObjectIdentifier(d.reading)
        let count = unitCount
        let capacity = max(UnitTrace.defaultCapacity, 2 * (range.count + d.reading.chunkLength))
        if units.readingID != id
            || units.readTrace.map({ range.lowerBound < $0.first || range.lowerBound > $0.end }) ?? true
        {
            let first = range.lowerBound / d.reading.chunkLength * d.reading.chunkLength
            units.readingID = id
            units.readTrace = UnitTrace(unitCount: count, first: first, capacity: capacity)
            units.readState = nil
        }
        guard var trace = units.readTrace else { return }
        units.readTrace = nil  // one owner while it grows
        defer { units.readTrace = trace }
        repeat {
            let start = trace.end
            guard start < range.upperBound, units.readState != nil || start < d.reading.readCount else { return }
            let end = min(start + UnitTint.readBlock, range.upperBound)
            let values = session.unitValues(of: d.reading, in: start..<end, carrying: &units.readState)
            values.withUnsafeBufferPointer { all in
                for i in start..<end {
                    let offset = (i - start) * count
                    let row = UnsafeBufferPointer(rebasing: all[offset..<offset + count])
                    trace.append(d.reading.vocabulary.scalar(of: Int(d.reading.tokens[i])), units: row)
                }
            }
        } while clock() < deadline
    }
}
