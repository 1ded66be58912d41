import CharRNN
import Synchronization

/// F4: the text tinted by one hidden unit's value after each character, on the diverging scale
/// of `DivergingTint`. Write mode records every unit after each generated character of each
/// stream (the last `UnitTrace.defaultCapacity`: a copy of U floats per step, under 1% of the
/// step itself), so that moving to another unit retints the text at once, paused or not; read
/// mode computes the characters the pane shows from the reading's chunk snapshots, a block at a
/// time within each frame's budget. The units are ranked against the text features over the
/// text shown, on a task of its own.
public struct UnitTint {
    /// Characters computed at a time in read mode (each block starts from a kept state at most
    /// `ProgressiveReading.localStride` characters back).
    static let readBlock = 64
    /// Write mode ranks again once this many more characters were generated.
    static let rerankEvery = 256

    public internal(set) var selection = UnitSelection()
    /// Write mode: one per stream, numbered by the stream's generated characters.
    public internal(set) var traces: [UnitTrace] = []
    /// Read mode: the characters the pane shows (and a few before), numbered by text position.
    public internal(set) var readTrace: UnitTrace?
    var readingID: ObjectIdentifier?
    public internal(set) var ranking: UnitRanking?
    /// What the ranking (or the job under way) was made over.
    var rankedKey: (reading: ObjectIdentifier?, first: Int, end: Int)?
    var job: RankingJob?

    public init() {}
}

/// A ranking computed off the UI thread; `result` is set once it is done.
final class RankingJob: Sendable {
    let result = Mutex<UnitRanking?>(nil)

    init(_ trace: UnitTrace, units: [HiddenUnit]) {
        Task.detached { [self] in
            let ranking = trace.ranking(units: units)
            result.withLock { $0 = ranking }
        }
    }
}
