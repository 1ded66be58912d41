/// The states one stream passes through after a base state, for going back exactly: a copy of
/// the state every `interval` tokens, and the tokens, so any earlier state is recomputed from the
/// nearest copy before it. Memory: ⌊count / interval⌋ + 1 states, whatever the length.
///
/// Recomputing runs the same model steps on the same values as the first time, so the state it
/// gives back (hidden, cell and logits) is bit-equal to the one the stream had there.
final class StateHistory {
    let interval: Int
    /// The tokens fed after the base state, in order.
    private(set) var tokens: [Int] = []
    private let model: StreamingModel
    /// snapshots[j]: the state after tokens[0..<j × interval]; snapshots[0] is the base.
    private var snapshots: [StreamingState]

    var snapshotCount: Int { snapshots.count }

    init(model: StreamingModel, base: StreamingState, interval: Int) {
        precondition(interval >= 1, "snapshot interval must be at least 1")
        self.model = model
        self.interval = interval
        let first = model.makeState()
        first.copy(from: base)
        snapshots = [first]
    }

    /// Records that `token` was fed and `state` is the state after it.
    func record(_ token: Int, after state: StreamingState) {
        tokens.append(token)
        guard tokens.count.isMultiple(of: interval) else { return }
        let snapshot = model.makeState()
        snapshot.copy(from: state)
        snapshots.append(snapshot)
    }

    /// Feeds `token` into `state` (the state after `tokens`) and records it.
    func feed(_ token: Int, into state: StreamingState) {
        model.step(token, state)
        record(token, after: state)
    }

    /// Puts into `state` the state after tokens[0..<position] (0...count) and forgets the tokens
    /// after it: a copy of the nearest snapshot, then at most `interval` − 1 steps.
    func rewind(to position: Int, into state: StreamingState) {
        precondition((0...tokens.count).contains(position), "position \(position) outside 0...\(tokens.count)")
        let j = position / interval
        let replay = tokens[(j * interval)..<position]
        snapshots.removeSubrange((j + 1)...)
        tokens.removeSubrange((j * interval)...)
        state.copy(from: snapshots[j])
        for token in replay { feed(token, into: state) }
    }
}
