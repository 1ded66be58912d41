/// One stream that the user steers: it can sample its next character or be given one, go back
/// to any earlier position and go on from exactly the state it had there, and it keeps every
/// continuation it was steered into as a tree of branches from the prime.
///
///     let steering = try SteeringSession(model: model, settings: .init(temperature: 0.8), seed: 1,
///                                        prime: "ROMEO:", compute: .streaming())
///     steering.step()                   // samples one character at the cursor
///     steering.moveCursor(to: 0)        // back to the prime: the text after stays, as the branch
///     steering.choose(token: id)        // a different character there starts a second branch
///
/// The cursor is a position in the current branch's generated text (0 = right after the prime).
/// Stepping or choosing at the cursor appends to the branch when the cursor is at its end; at an
/// earlier position, a character equal to the branch's next one moves along it, one that a child
/// branch split off with there switches to that child, and any other starts a new branch (parent:
/// the current one, fork position: the cursor). Random generators are never rewound.
///
/// States for rewinding are kept every `snapshotInterval` characters (`StateHistory`), so a long
/// run keeps ⌊length / interval⌋ + 1 states and a rewind recomputes fewer than `interval` steps.
public final class SteeringSession {
    /// The model, the prime and the stream (`stream(0)`) being steered.
    public let session: GenerationSession
    public private(set) var branches: [Branch]
    /// Index of the branch the cursor is on.
    public private(set) var current = 0
    /// Generated characters before the cursor on the current branch, 0...branch.count.
    public private(set) var cursor = 0
    private var history: StateHistory

    public static let defaultSnapshotInterval = 64

    public init(
        model: CharRNNModel, settings: SamplerSettings, seed: UInt64, prime: String, topCount: Int = 10,
        snapshotInterval: Int = SteeringSession.defaultSnapshotInterval, compute: ComputePolicy
    ) throws {
        guard snapshotInterval >= 1 else {
            throw CharRNNError("snapshot interval must be at least 1, got \(snapshotInterval)")
        }
        session = try GenerationSession(model: model, topCount: topCount, compute: compute)
        try session.addStream(settings: settings, seed: seed)
        session.prime(with: prime)
        branches = [Branch(index: 0, parent: nil, forkPosition: 0, prefixOf: nil, position: 0)]
        history = StateHistory(
            model: session.streamingModel, base: session.primedState, interval: snapshotInterval)
    }

    public var branch: Branch { branches[current] }
    public var stream: GenerationStream { session.streams[0] }

    /// The distribution of the character after the cursor (draws nothing).
    public func nextDistribution() -> NextCharacterDistribution { session.nextDistribution(stream: 0) }

    /// Samples the character after the cursor with the stream's sampler.
    @discardableResult
    public func step() -> StepReport { advance(with: session.step(stream: 0)) }

    /// Puts `token` after the cursor instead of sampling; the report records its rank and
    /// probability as for a sampled one.
    @discardableResult
    public func choose(token: Int) -> StepReport { advance(with: session.choose(token, stream: 0)) }

    /// Moves the cursor to `position` on the current branch, clamped to 0...branch.count (before
    /// the prime stops at the prime): back by restoring the state there, forward by feeding the
    /// branch's characters. The text after the cursor stays in the branch.
    public func moveCursor(to position: Int) {
        let target = min(max(position, 0), branch.count)
        if target < cursor {
            history.rewind(to: target, into: stream.state)
        } else {
            for token in branch.tokens[cursor..<target] { history.feed(token, into: stream.state) }
        }
        cursor = target
        syncStream()
    }

    /// Makes branch `index` current with the cursor at its end.
    public func select(branch index: Int) {
        precondition(branches.indices.contains(index), "no branch \(index)")
        let target = branches[index]
        let shared = zip(history.tokens, target.tokens).prefix { $0 == $1 }.count
        history.rewind(to: shared, into: stream.state)
        current = index
        cursor = shared
        moveCursor(to: target.count)
    }

    private func advance(with report: StepReport) -> StepReport {
        history.record(report.token, after: stream.state)
        let logProbability = -Double(report.surprisalAtT1)
        if cursor == branch.count {
            branches[current].append(report.token, report.character, logProbability: logProbability)
        } else if branch.tokens[cursor] != report.token {
            if let child = branches.first(where: {
                $0.parent == current && $0.forkPosition == cursor && $0.tokens[cursor] == report.token
            }) {
                current = child.index
            } else {
                var split = Branch(
                    index: branches.count, parent: current, forkPosition: cursor, prefixOf: branch, position: cursor)
                split.append(report.token, report.character, logProbability: logProbability)
                branches.append(split)
                current = split.index
            }
        }
        cursor += 1
        return report
    }

    /// The stream's text, window of recent tokens and report follow the cursor.
    private func syncStream() {
        stream.generatedText = String(branch.text.unicodeScalars.prefix(cursor))
        stream.generatedCount = cursor
        stream.lastReport = nil
        stream.sampler.remember(session.primeTokens + branch.tokens.prefix(cursor))
    }
}
