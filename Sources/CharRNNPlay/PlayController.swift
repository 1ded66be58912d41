import CharRNN

/// Runs the play screen's logic against a generation session: keys become actions, actions
/// change the state and drive the session, and each frame streams as many characters as the
/// speed setting and the frame's time allow. No curses here; `PlayLoop` connects it to a
/// terminal and `PlayView` draws it.
public final class PlayController {
    /// A line for the status bar that disappears after a while.
    public struct Notice: Equatable, Sendable {
        public var text: String
        public var isError: Bool
        /// Clock time after which it is no longer shown.
        public var until: Double
        /// A note about the prime's characters: the next start replaces it.
        public var isPrimeWarning = false
    }

    public static let noticeSeconds = 10.0
    /// A paste whose end marker has not come after this many seconds without pasted input is
    /// over: the keys that follow are keys again.
    public static let pasteTimeout = 1.0

    public internal(set) var state: PlayState
    public let session: PlaySession
    /// One per stream, in the order of `state.samplers`.
    public private(set) var texts: [StreamText] = [StreamText()]
    /// What each stream's bars show.
    public private(set) var distributions: [DistributionView?] = [nil]
    /// The random seed of the running generation.
    public private(set) var randomSeed: UInt64?
    public private(set) var quitRequested = false
    public private(set) var checkpoints: CheckpointCycle
    /// The text open in read mode, if any.
    public internal(set) var document: ReadDocument?
    /// The bars at the read-mode cursor, with the actual character's figures; nil where there
    /// are none (the first character, or one not read yet).
    public internal(set) var cursorBars: (view: DistributionView, figures: CharacterReading)?
    /// F4's unit tint: the unit, the values it is drawn from, the ranking.
    public internal(set) var units = UnitTint()
    /// Steer mode's stream, bars and branch list while steering.
    public internal(set) var steer: SteerScreen?
    /// Where steer mode's `w` and `W` write.
    public var saveFolder = "."
    /// The screen's size, for read mode's row and page moves; the loop sets it every frame.
    public var screenSize = (width: 80, height: 24)
    /// Asked every few hundred characters while a prime is read; false stops it (the loop
    /// passes its check for Ctrl-C and stop signals).
    public var primingShouldContinue: () -> Bool = { true }
    private var notice: Notice?
    /// The bars show the next character's distribution (nothing drawn from it yet).
    private var showingNext = false
    /// What `cursorBars` was computed for: the reading shown, the position, the number of bars.
    var cursorBarsKey: (reading: ObjectIdentifier, position: Int, count: Int)?

    let fixedRandomSeed: UInt64?
    let clock: () -> Double
    let listCheckpoints: (String) -> [String]
    private var rate = RateMeter()
    private var credit = 0.0
    private var lastAdvance: Double?
    /// Work that waits for the end of a burst of keys: the prime to start from, and the net
    /// number of places to move along the checkpoint cycle.
    var pendingStart: String?
    private var pendingCheckpointSteps = 0
    private var lastPasteInput = 0.0

    /// - Parameters:
    ///   - checkpoint: the path of the checkpoint the session has loaded.
    ///   - checkpointFolder: where Tab looks for others (default: the checkpoint's folder).
    ///   - randomSeed: used for every start; nil draws a new one each time (and shows it).
    ///   - clock: seconds, monotonic.
    public init(
        session: PlaySession, state: PlayState, checkpoint: String, checkpointFolder: String? = nil,
        randomSeed: UInt64? = nil, clock: @escaping () -> Double,
        listCheckpoints: @escaping (String) -> [String] = CheckpointCycle.list(folder:)
    ) {
        self.session = session
        self.state = state
        self.checkpoints = CheckpointCycle(
            folder: checkpointFolder ?? CheckpointCycle.folder(of: checkpoint), current: checkpoint)
        self.fixedRandomSeed = randomSeed
        self.clock = clock
        self.listCheckpoints = listCheckpoints
    }

    /// The notice to show now, if any.
    public var currentNotice: Notice? {
        guard let notice, clock() < notice.until else { return nil }
        return notice
    }

    /// Characters per second per stream over the last second; nil right after a start.
    public var charactersPerSecond: Double? { rate.rate(at: clock()) }

    /// Handles a key. `deferring`: a start or a checkpoint load it asks for waits for
    /// `finishDeferredWork()`, which the loop calls once the keys stop coming, so a paste or a
    /// burst of keys of any length primes and loads at most once.
    public func handle(_ key: Key, deferring: Bool = false) {
        let now = clock()
        if state.pasting, now - lastPasteInput > PlayController.pasteTimeout {
            perform(.endPaste, deferring: true)  // the end marker was lost: keys are keys again
        }
        if let action = action(for: key) {
            perform(action, deferring: deferring)
        } else if !deferring {
            finishDeferredWork()
        }
        if state.pasting { lastPasteInput = now }
    }

    /// What `key` asks for in the current mode, help, paste and prompt.
    public func action(for key: Key) -> PlayAction? {
        KeyMap.action(
            for: key, helpShown: state.helpShown, pasting: state.pasting, mode: state.mode,
            prompting: state.prompt != nil, units: state.unitTint)
    }

    /// Carries out an action; `deferring` as for `handle`.
    public func perform(_ action: PlayAction, deferring: Bool = false) {
        for effect in state.apply(action) { carry(effect) }
        if texts.count != state.samplers.count, !state.running { clearStreams() }
        if !deferring { finishDeferredWork() }
    }

    /// A start or a checkpoint load is waiting for `finishDeferredWork()`.
    public var hasDeferredWork: Bool { pendingStart != nil || pendingCheckpointSteps != 0 }

    /// The slow work the keys handled with `deferring` asked for: one checkpoint load for all
    /// their Tabs, then one start for all their Enters.
    public func finishDeferredWork() {
        if pendingCheckpointSteps != 0 {
            let steps = pendingCheckpointSteps
            pendingCheckpointSteps = 0
            switchCheckpoint(steps: steps)
        }
        if let prime = pendingStart {
            pendingStart = nil
            start(prime: prime)
        }
    }

    private func carry(_ effect: PlayEffect) {
        switch effect {
        case .start(let prime):
            pendingStart = prime
        case .updateSamplers:
            guard pendingStart == nil else { return }  // the start takes the new settings
            do {
                for (i, settings) in state.samplers.enumerated() { try session.update(stream: i, settings: settings) }
                if state.paused { fetchDistributions(next: true) }
            } catch {
                show(error)
            }
        case .refreshDistributions:
            if pendingStart == nil { fetchDistributions(next: showingNext) }
        case .switchCheckpoint(let forward):
            pendingCheckpointSteps += forward ? 1 : -1
        case .reset:
            pendingStart = nil
            session.reset()
            clearStreams()
        case .step:
            if pendingStart == nil, stepAll() { fetchDistributions(next: false) }
        case .primeFull:
            say("the prime holds at most \(PlayState.primeLimit) characters: the rest was left out", error: true)
        case .relayout:
            break
        case .quit:
            quitRequested = true
        case .openReading(let path):
            openReading(path)
        case .find(let query):
            find(query)
        case .moveCursor(let move):
            moveCursor(move)
        case .continueFromCursor:
            continueFromCursor()
        case .toggleDynamic:
            toggleDynamic()
        case .moveUnit(let move):
            moveUnit(move)
        case .steer(let command):
            steer(command)
        case .toggleVersus:
            toggleVersus()
        }
    }

    /// Streams characters: as many as the speed allows since the last call, stopping at
    /// `deadline` (clock time) so keys stay responsive at any speed.
    public func advance(until deadline: Double) {
        refreshCursorBars()
        defer { advanceUnits(until: deadline) }
        let now = clock()
        let elapsed = lastAdvance.map { max(0, now - $0) } ?? 0
        lastAdvance = now
        guard state.running, !state.paused, state.mode == .write else {
            credit = 0
            rate.record(0, at: now)
            return
        }
        var allowed = Int.max
        if let speed = state.speed.map(Double.init) {
            credit = min(credit + speed * elapsed, speed / 4 + 1)
            allowed = Int(credit)
        }
        var done = 0
        while done < allowed, done == 0 || clock() < deadline {
            guard stepAll() else { break }
            done += 1
        }
        if state.speed != nil { credit -= Double(done) }
        rate.record(done, at: now)
        if done > 0 { fetchDistributions(next: false) }
    }

    private func start(prime: String) {
        begin(prime: prime) { samplers, seed in
            try session.start(
                prime: prime, samplers: samplers, randomSeed: seed, shouldContinue: primingShouldContinue)
        }
    }

    /// Starts the streams with `begin` (which primes the session and may return a note about
    /// the prime), then shows `prime` and the first bars.
    func begin(prime: String, _ begin: ([SamplerSettings], UInt64) throws -> String?) {
        let seedValue = fixedRandomSeed ?? UInt64.random(in: 0...999_999)
        let samplers = state.samplers
        if notice?.isPrimeWarning == true { notice = nil }
        do {
            let note = try begin(samplers, seedValue)
            texts = samplers.map { _ in
                var text = StreamText()
                text.appendPrime(String(String.UnicodeScalarView(prime.unicodeScalars.suffix(text.capacity))))
                return text
            }
            randomSeed = seedValue
            credit = 0
            rate.restart(at: clock())
            fetchDistributions(next: true)
            if let note {
                say(note, error: true)
                notice?.isPrimeWarning = true
            }
        } catch {
            state.activePrime = nil
            clearStreams()
            show(error)
        }
    }

    /// Moves `steps` places along the checkpoint cycle (negative: backwards) and loads the
    /// file it lands on; then the running prime starts again on it.
    private func switchCheckpoint(steps: Int) {
        let files = listCheckpoints(checkpoints.folder)
        var path: String?
        for _ in 0..<abs(steps) { path = checkpoints.advance(forward: steps > 0, files: files) }
        guard let path else {
            say("no other checkpoint in \(checkpoints.folder)", error: false)
            return
        }
        do {
            try session.load(checkpoint: path)
        } catch {
            show(error)
            return
        }
        checkpoints.loaded(path)
        say("loaded \(CheckpointCycle.displayName(path))", error: false)
        if let document { reread(document) }
        if let prime = pendingStart ?? state.activePrime {
            pendingStart = prime
        } else {
            clearStreams()
        }
    }

    /// One character for every stream; false (and paused, with the error shown) on failure.
    private func stepAll() -> Bool {
        do {
            for i in texts.indices {
                let next = try session.step(stream: i)
                if let beam = session.bestBeam(stream: i) {
                    texts[i].replaceGenerated(with: beam.text)
                } else {
                    texts[i].append(next)
                }
                recordUnits(stream: i)
            }
            return true
        } catch {
            state.paused = true
            show(error)
            return false
        }
    }

    private func fetchDistributions(next: Bool) {
        showingNext = next
        distributions = texts.indices.map { i in
            next
                ? session.nextDistribution(stream: i, count: state.barCount)
                : session.lastDistribution(stream: i, count: state.barCount)
        }
    }

    private func clearStreams() {
        let count = state.samplers.count
        texts = Array(repeating: StreamText(), count: count)
        distributions = Array(repeating: nil, count: count)
        randomSeed = nil
        showingNext = false
    }

    func say(_ text: String, error: Bool) {
        notice = Notice(text: text, isError: error, until: clock() + PlayController.noticeSeconds)
    }

    func show(_ error: Error) {
        say((error as? CustomStringConvertible)?.description ?? "\(error)", error: true)
    }
}

/// Characters per second over a sliding one-second window.
struct RateMeter {
    private var samples: [(time: Double, count: Int)] = []
    private var started: Double?

    mutating func restart(at time: Double) {
        samples.removeAll(keepingCapacity: true)
        started = time
    }

    mutating func record(_ count: Int, at time: Double) {
        if started == nil { started = time }
        samples.append((time, count))
        if let first = samples.first, time - first.time > 1 {
            samples.removeAll { time - $0.time > 1 }
        }
    }

    func rate(at time: Double) -> Double? {
        guard let started, time - started >= 0.25 else { return nil }
        let total = samples.reduce(0) { time - $1.time <= 1 ? $0 + $1.count : $0 }
        return Double(total) / min(1, time - started)
    }
}
