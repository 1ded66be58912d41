extension StreamingModel {
    /// Reads `tokens` one character at a time from the zero state, carrying it through the whole
    /// text (as `Evaluation` does), and hands `body` the state after each: at `position` i, the
    /// state after reading tokens[i]. A state that turns non-finite (weights that overflow) is an
    /// error naming the character, never a NaN handed on.
    public func forEachState(
        _ tokens: some Sequence<Int32>, _ body: (_ position: Int, _ state: StreamingState) throws -> Void
    ) throws {
        let state = makeState()
        for (position, token) in tokens.enumerated() {
            step(Int(token), state)
            let finite = StateKind.kinds(of: config.cell).allSatisfy { kind in
                (0..<config.layers).allSatisfy { state.values(kind, layer: $0).allSatisfy(\.isFinite) }
            }
            guard finite else {
                // Counted from 1, as a reader counts.
                throw CharRNNError("non-finite state at character \(position + 1): the model's weights overflow")
            }
            try body(position, state)
        }
    }
}
