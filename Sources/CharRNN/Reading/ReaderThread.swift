#if canImport(Glibc)
    import Glibc
#endif

/// The thread a background reading runs on (`ProgressiveReading`, `DynamicReading`).
enum ReaderThread {
    /// Runs `body` on a new thread and returns it at once; nil, without running `body`, when the
    /// system refuses a thread.
    static func start(_ body: @escaping @Sendable () -> Void) -> pthread_t? {
        final class Box: Sendable {
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        let retained = Unmanaged.passRetained(Box(body))  // the thread's reference, released as it ends
        var created = pthread_t()
        let status = pthread_create(
            &created, nil,
            { raw in
                Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue().body()
                return nil
            }, retained.toOpaque())
        guard status == 0 else {
            retained.release()
            return nil
        }
        return created
    }
}
