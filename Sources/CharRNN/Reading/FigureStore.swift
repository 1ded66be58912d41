/// The figures a long reading keeps per predicted character, allocated once for the whole text
/// (nothing moves while a reader thread fills it): its `CharacterReading` and its `top` best
/// candidates, 16 + 8·top bytes a character. Position p (1…n) is stored at p − 1. Who writes
/// and who reads when is the owner's business (`ProgressiveReading`, `DynamicReading`).
final class FigureStore: @unchecked Sendable {
    let top: Int
    let figures: UnsafeMutablePointer<CharacterReading>  // [n]
    let topTokens: UnsafeMutablePointer<Int32>  // [n, top]
    let topProbabilities: UnsafeMutablePointer<Float>  // [n, top]

    init(characters n: Int, top: Int) {
        self.top = top
        figures = .allocate(capacity: max(1, n))
        topTokens = .allocate(capacity: max(1, n * top))
        topProbabilities = .allocate(capacity: max(1, n * top))
    }

    deinit {
        // CharacterReading, Int32 and Float are trivial: deallocating is enough.
        figures.deallocate()
        topTokens.deallocate()
        topProbabilities.deallocate()
    }

    /// The figures of position `position` (1…n).
    func figures(at position: Int) -> CharacterReading { figures[position - 1] }

    /// The best candidates of position `position` (1…n), most probable first.
    func candidates(at position: Int) -> [ReadCandidate] {
        let base = (position - 1) * top
        return (base..<base + top).map { ReadCandidate(token: topTokens[$0], probability: topProbabilities[$0]) }
    }
}
