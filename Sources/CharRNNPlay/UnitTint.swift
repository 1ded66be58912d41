import CharRNN
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// F4: the text tinted by one hidden unit's value after each character, on the diverging scale
/// of `DivergingTint`. Write mode records every unit after each generated character of each
/// stream (the last `UnitTrace.defaultCapacity`: a copy of U floats beside each step's matrix
/// products), so that moving to another unit retints the text at once, paused or not; read
/// mode computes the characters the pane shows from the start of the reading's chunk they begin
/// in (its snapshot: no steps to reach it), carrying the state on a block at a time within each
/// frame's budget. The units are ranked against the text features over the
/// text shown, on a thread of its own.
public struct UnitTint {
    /// Characters computed at a time in read mode: a frame computes at least one block.
    static let readBlock = 16
    /// Write mode ranks again once this many more characters were generated.
    static let rerankEvery = 256

    /// The scale's legend, each value on its own colour.
    public static let legend: [(text: String, style: Style)] = [
        (" ", .plain), (" −1 ", .unit(-4)), (" −½ ", .unit(-2)), (" 0 ", .unit(0)), (" +½ ", .unit(2)),
        (" +1 ", .unit(4)),
    ]

    public internal(set) var selection = UnitSelection()
    /// Write mode: one per stream, numbered by the stream's generated characters.
    public internal(set) var traces: [UnitTrace] = []
    /// Read mode: the characters the pane shows (and a few before), numbered by text position.
    public internal(set) var readTrace: UnitTrace?
    var readingID: ObjectIdentifier?
    /// The state after the read trace's last character, to go on from.
    var readState: StreamingState?
    public internal(set) var ranking: UnitRanking?
    /// What the ranking (or the job under way) was made over.
    var rankedKey: (reading: ObjectIdentifier?, first: Int, end: Int)?
    var job: RankingJob?

    public init() {}
}

/// A ranking computed on a thread of its own (not a task: the UI's loop and tests that wait may
/// hold the task pool's few threads); `result` is set once it is done.
final class RankingJob: Sendable {
    let result = Mutex<UnitRanking?>(nil)
    private let trace: UnitTrace
    private let units: [HiddenUnit]

    init(_ trace: UnitTrace, units: [HiddenUnit]) {
        self.trace = trace
        self.units = units
        let retained = Unmanaged.passRetained(self)  // the thread's reference, released as it ends
        var thread = pthread_t()
        let status = pthread_create(
            &thread, nil,
            { raw in
                Unmanaged<RankingJob>.fromOpaque(raw!).takeRetainedValue().run()
                return nil
            }, retained.toOpaque())
        guard status == 0 else {
            retained.release()
            run()  // no thread to be had: rank here
            return
        }
        pthread_detach(thread)
    }

    private func run() {
        let ranking = trace.ranking(units: units)
        result.withLock { $0 = ranking }
    }
}
