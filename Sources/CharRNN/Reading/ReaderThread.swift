#if canImport(Glibc)
    import Glibc
#endif

/// Where a long reading runs (`ProgressiveReading`, `DynamicReading`): on a thread of its own
/// (`readInBackground`) or on the caller's (`readAll`), once. Going away stops the reading
/// (`cancel`) and waits for its thread.
final class ReaderThread {
    private let read: @Sendable () -> Void
    private let cancel: () -> Void
    private var thread: pthread_t?

    /// `read` reads what is left until the text ends or `cancel` is called.
    init(read: @escaping @Sendable () -> Void, cancel: @escaping () -> Void) {
        self.read = read
        self.cancel = cancel
    }

    deinit {
        cancel()
        if let thread { pthread_join(thread, nil) }
    }

    /// Starts reading on a new thread and returns at once; on a system that refuses a thread,
    /// reads here instead.
    func readInBackground() {
        precondition(thread == nil, "already reading")
        final class Box: Sendable {
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        let retained = Unmanaged.passRetained(Box(read))  // the thread's reference, released as it ends
        var created = pthread_t()
        let status = pthread_create(
            &created, nil,
            { raw in
                Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue().body()
                return nil
            }, retained.toOpaque())
        guard status == 0 else {
            retained.release()
            read()
            return
        }
        thread = created
    }

    /// Reads what is left on the calling thread (not while a background reading runs).
    func readAll() {
        precondition(thread == nil, "reading in the background already")
        read()
    }
}
