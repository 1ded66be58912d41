import CharRNN

/// What the terminal UI needs from the engine's generation session, and nothing more: the UI
/// never computes probabilities, samples or validates settings itself. `EngineSession` adapts
/// the engine's `GenerationSession`; tests drive the UI with scripted sessions.
public protocol PlaySession: AnyObject {
    /// The checkpoint in use.
    var model: ModelDescription { get }

    /// Swaps in another checkpoint. On failure it throws a one-line error and the current
    /// model stays in use. Streams must be started again afterwards.
    func load(checkpoint path: String) throws

    /// Starts one stream per sampler settings from a fresh state, primed with the `prime` text;
    /// the random generators are seeded from `randomSeed`. Throws the engine's one-line error
    /// for invalid settings. Returns a one-line note when some of the prime's characters are not
    /// in the vocabulary (left out, or fed as `[UNK]`). Priming asks `shouldContinue` every few
    /// hundred characters; when it says no, nothing is primed and it throws `PrimingInterrupted`.
    func start(
        prime: String, samplers: [SamplerSettings], randomSeed: UInt64, shouldContinue: () -> Bool
    ) throws -> String?

    /// Changes one running stream's sampler settings without touching its state; invalid
    /// settings throw and the old ones stay.
    func update(stream: Int, settings: SamplerSettings) throws

    /// Generates the next character of one stream. A beam-search stream extends its search by
    /// one character and returns the last of its best beam, which may differ from the one before
    /// in any place (`bestBeam`).
    func step(stream: Int) throws -> GeneratedCharacter

    /// The second checkpoint, run beside the first on the same prime with the same settings
    /// whenever two streams start; nil when there is none.
    var versusModel: ModelDescription? { get }

    /// Loads the second checkpoint (nil: none). On failure it throws a one-line error and nothing
    /// changes. Streams must be started again afterwards.
    func loadVersus(checkpoint path: String?) throws

    /// With a second checkpoint: KL(first ‖ second) in bits between the two models' next-character
    /// distributions (T = 1) at the last step; nil before a step or without one.
    var lastKLDivergenceBits: Double? { get }

    /// A beam-search stream's best beam so far (its text after the prime and its score); nil for
    /// other streams.
    func bestBeam(stream: Int) -> BeamSearch.Beam?

    /// The distribution the stream's last character was drawn from, at the sampler settings it
    /// was drawn with: the `count` most probable candidates and the drawn one.
    func lastDistribution(stream: Int, count: Int) -> DistributionView?

    /// The distribution of the stream's next character at its current settings, without
    /// drawing (used right after priming and after a settings change while paused).
    func nextDistribution(stream: Int, count: Int) -> DistributionView?

    /// Forgets every stream: zero state, nothing primed.
    func reset()

    /// Starts reading `text` with the current model, in the background (`ProgressiveReading`);
    /// characters outside its vocabulary are left out and counted. Throws a one-line error
    /// when fewer than two characters are left.
    func read(_ text: [Unicode.Scalar]) throws -> (reading: ProgressiveReading, skipped: Int)

    /// Starts a dynamic reading of `tokens` (a reading's) with the current model, in the
    /// background (`DynamicReading`, at the default `DynamicEvaluationSettings`): the model
    /// learns on a copy of itself as it reads; the checkpoint never changes.
    func readDynamically(_ tokens: [Int32]) throws -> DynamicReading

    /// As `start`, from the state `reading` (by the current model) reached after its tokens
    /// before `position`, whose characters are `prime`: nothing is fed again.
    func start(
        from reading: ProgressiveReading, before position: Int, prime: String, samplers: [SamplerSettings],
        randomSeed: UInt64
    ) throws

    /// Every hidden unit's value [U] (`HiddenUnit.all` order) after stream `stream`'s last
    /// character, into `out`.
    func copyUnits(stream: Int, into out: UnsafeMutablePointer<Float>)

    /// Every hidden unit's value after each of `reading.tokens[range]` ([range.count, U]; the
    /// current model's reading), stepping `state` (the state after the character before the
    /// range) on through the range. A nil `state` starts from the reading's snapshots, which
    /// needs `range.lowerBound < reading.readCount`, and costs nothing more when it is the first
    /// character of a chunk.
    func unitValues(of reading: ProgressiveReading, in range: Range<Int>, carrying state: inout StreamingState?)
        -> [Float]
    /// A steering session on the current model with one stream of `settings`, primed with
    /// `prime`, then given the characters of `text` one by one (nil: `[UNK]`; characters outside
    /// the vocabulary are left out), so that the cursor can go back through them.
    func steer(
        prime: String, replaying text: [Unicode.Scalar?], settings: SamplerSettings, randomSeed: UInt64
    ) throws -> SteeringSession
}

/// `PlaySession.start` stopped priming because its `shouldContinue` said no (Ctrl-C, a signal).
public struct PrimingInterrupted: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "priming interrupted" }
}

/// The checkpoint as the status line names it: its file name and the engine's configuration.
public struct ModelDescription: Equatable, Sendable {
    /// File name without `.safetensors`, e.g. "shakespeare-gru512".
    public var name: String
    public var config: ModelConfig
    /// The precision it computes in (`--precision`).
    public var precision: Precision

    public init(name: String, config: ModelConfig, precision: Precision = .float32) {
        self.name = name
        self.config = config
        self.precision = precision
    }

    /// The status line's architecture field, long and short: "GRU 1×512", "GRU", each followed by
    /// " bf16" under bfloat16.
    var architectureForms: [String] {
        let suffix = precision == .float32 ? "" : " " + precision.rawValue
        return [config.architecture + suffix, config.cell.rawValue.uppercased() + suffix]
    }
}

/// One generated character. `symbol` is nil for the vocabulary's `[UNK]` token.
public struct GeneratedCharacter: Equatable, Sendable {
    public var symbol: Unicode.Scalar?
    /// −log₂ p of the drawn character under the distribution it was drawn from, in bits.
    public var surprisal: Float

    public init(symbol: Unicode.Scalar?, surprisal: Float) {
        self.symbol = symbol
        self.surprisal = surprisal
    }
}

/// A next-character distribution as the bars show it.
public struct DistributionView: Equatable, Sendable {
    public struct Candidate: Equatable, Sendable {
        /// nil for the `[UNK]` token.
        public var symbol: Unicode.Scalar?
        public var probability: Float

        public init(symbol: Unicode.Scalar?, probability: Float) {
            self.symbol = symbol
            self.probability = probability
        }
    }

    /// Most probable first.
    public var candidates: [Candidate]
    /// The drawn character and its probability; nil before anything was drawn.
    public var chosen: Candidate?
    /// Entropy of the whole distribution, in bits.
    public var entropy: Float
    /// The temperature the probabilities are at (1 for a greedy stream's bars, which show the
    /// model's own distribution rather than the point mass greedy draws from).
    public var temperature: Float
    /// The stream draws greedily (the top candidate): the bars are the model's at T = 1.
    public var greedy: Bool

    public init(candidates: [Candidate], chosen: Candidate?, entropy: Float, temperature: Float, greedy: Bool = false) {
        self.candidates = candidates
        self.chosen = chosen
        self.entropy = entropy
        self.temperature = temperature
        self.greedy = greedy
    }
}
