#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A terminal the play loop can read keys from and draw frames on.
public protocol PlayTerminal: AnyObject {
    /// Current size in cells.
    var size: (width: Int, height: Int) { get }
    /// Column widths as the terminal counts them.
    var columnWidth: ColumnWidth { get }
    /// The next key, waiting at most `milliseconds` (0: only what is already there).
    func readKey(waitingMilliseconds milliseconds: Int) -> Key?
    func draw(_ frame: Frame)
    /// A signal (SIGTERM, SIGINT, SIGHUP, SIGQUIT) that asked the program to stop, if one arrived.
    var pendingSignal: Int32? { get }
}

/// How the loop ended.
public enum PlayExit: Equatable, Sendable {
    /// Ctrl-C or Esc.
    case quit
    /// Stopped by this signal; the caller re-raises it once the terminal is restored.
    case signal(Int32)
}

/// The frame loop: read the waiting keys, stream for most of the frame, draw, then wait for
/// keys until the frame is over. Keys take effect within a frame whatever the speed.
///
/// Keys are read in slices of at most `keysPerSlice` keys or `sliceSeconds`, with quit and the
/// stop signals checked between slices, and for at most `inputShare` of a frame: a paste or a
/// storm of keys is worked off over several frames while the screen keeps drawing, and Ctrl-C
/// or a signal is seen within a slice of arriving. Starts and checkpoint loads wait until no
/// key has come for `quietSeconds`, so that a burst of keys primes and loads only once.
public enum PlayLoop {
    public static let framesPerSecond = 30.0
    public static let keysPerSlice = 256
    public static let sliceSeconds = 0.005
    public static let inputShare = 0.5
    public static let quietSeconds = 0.02

    /// Seconds on the monotonic clock: the loop's and the controller's time.
    public static func monotonicSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    public static func run(
        _ controller: PlayController, on terminal: PlayTerminal, clock: () -> Double
    ) -> PlayExit {
        let frameSeconds = 1 / framesPerSecond
        let input = KeyQueue(terminal)
        controller.primingShouldContinue = { [unowned controller] in !input.stopRequested(controller) }
        while true {
            let frameStart = clock()
            controller.screenSize = terminal.size
            var keysLeft = true
            repeat {
                if let signal = terminal.pendingSignal { return .signal(signal) }
                keysLeft = input.handleSlice(
                    controller, until: min(clock() + sliceSeconds, frameStart + frameSeconds), clock: clock)
                if controller.quitRequested { return .quit }
            } while keysLeft && clock() < frameStart + frameSeconds * inputShare
            if !keysLeft, controller.hasDeferredWork {
                keysLeft = input.wait(milliseconds: Int(quietSeconds * 1000))
                if !keysLeft { controller.finishDeferredWork() }
            }
            if let signal = terminal.pendingSignal { return .signal(signal) }
            if !keysLeft { controller.advance(until: frameStart + frameSeconds * 0.7) }
            let size = terminal.size
            terminal.draw(
                PlayView.frame(
                    controller, width: size.width, height: size.height, widths: terminal.columnWidth))
            let remaining = frameStart + frameSeconds - clock()
            if !keysLeft, remaining > 0.001 {
                _ = input.wait(milliseconds: Int((remaining * 1000).rounded(.up)))
            }
        }
    }
}

/// The terminal's keys, with room for those read while waiting or priming, handled first in
/// the next slice.
final class KeyQueue {
    private let terminal: PlayTerminal
    private var waiting: [Key] = []

    init(_ terminal: PlayTerminal) { self.terminal = terminal }

    /// Whether a stop signal arrived or a key waiting asks to quit; the keys read are kept for
    /// the next slice. Priming's check, so Ctrl-C stops a long prime at once.
    func stopRequested(_ controller: PlayController) -> Bool {
        if terminal.pendingSignal != nil { return true }
        while let key = terminal.readKey(waitingMilliseconds: 0) {
            waiting.append(key)
            if controller.action(for: key) == .quit { return true }
        }
        return false
    }

    private func next() -> Key? {
        waiting.isEmpty ? terminal.readKey(waitingMilliseconds: 0) : waiting.removeFirst()
    }

    /// Handles up to `PlayLoop.keysPerSlice` keys, deferring their slow work; stops early at
    /// `deadline` or on quit. False when the terminal had no more keys.
    func handleSlice(_ controller: PlayController, until deadline: Double, clock: () -> Double) -> Bool {
        var handled = 0
        while let key = next() {
            controller.handle(key, deferring: true)
            handled += 1
            if controller.quitRequested || handled >= PlayLoop.keysPerSlice || clock() >= deadline { return true }
        }
        return false
    }

    /// Waits up to `milliseconds` for a key, which the next slice handles first; true if one came.
    func wait(milliseconds: Int) -> Bool {
        if waiting.isEmpty, let key = terminal.readKey(waitingMilliseconds: milliseconds) { waiting.append(key) }
        return !waiting.isEmpty
    }
}
