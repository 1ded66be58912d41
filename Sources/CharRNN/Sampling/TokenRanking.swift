/// Token ids in order of decreasing score (lower id first on ties), produced lazily from a
/// binary heap: ranking the best k of V costs O(V + k log V), so a top-k or top-p that keeps a
/// few characters never sorts the whole vocabulary. Owns its buffers; nothing allocates per use.
final class TokenRanking {
    let capacity: Int
    /// heap[heapCount]: unranked ids, best at heap[0].
    private let heap: UnsafeMutablePointer<Int32>
    private var heapCount = 0
    /// ranked[rankedCount]: ids ranked so far, best first.
    let ranked: UnsafeMutablePointer<Int32>
    private(set) var rankedCount = 0
    private var scores: UnsafePointer<Float>?

    init(capacity: Int) {
        self.capacity = capacity
        heap = .allocate(capacity: max(capacity, 1))
        ranked = .allocate(capacity: max(capacity, 1))
    }

    deinit {
        heap.deallocate()
        ranked.deallocate()
    }

    /// Starts a new ranking of scores[capacity] (NaN-free; the buffer must outlive the ranking).
    func start(scores: UnsafePointer<Float>) {
        self.scores = scores
        heapCount = capacity
        rankedCount = 0
        for i in 0..<capacity { heap[i] = Int32(i) }
        var i = capacity / 2 - 1
        while i >= 0 {
            siftDown(i)
            i -= 1
        }
    }

    /// Ranks until at least n ids are ranked, or all are; returns how many are ranked.
    @discardableResult
    func rank(atLeast n: Int) -> Int {
        while rankedCount < n, heapCount > 0 { rankNext() }
        return rankedCount
    }

    /// Moves the best unranked id to the ranking; false when every id is ranked.
    @discardableResult
    func rankNext() -> Bool {
        guard heapCount > 0 else { return false }
        ranked[rankedCount] = heap[0]
        rankedCount += 1
        heapCount -= 1
        if heapCount > 0 {
            heap[0] = heap[heapCount]
            siftDown(0)
        }
        return true
    }

    /// a comes before b: higher score, or equal score and lower id.
    @inline(__always)
    private func precedes(_ a: Int32, _ b: Int32) -> Bool {
        let scores = self.scores.unsafelyUnwrapped
        let sa = scores[Int(a)], sb = scores[Int(b)]
        return sa > sb || (sa == sb && a < b)
    }

    private func siftDown(_ start: Int) {
        var parent = start
        let item = heap[parent]
        while true {
            var child = 2 * parent + 1
            if child >= heapCount { break }
            if child + 1 < heapCount, precedes(heap[child + 1], heap[child]) { child += 1 }
            if !precedes(heap[child], item) { break }
            heap[parent] = heap[child]
            parent = child
        }
        heap[parent] = item
    }
}
