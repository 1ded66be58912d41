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
/// stop signals checked after each slice, and for at most `inputShare` of a frame: a paste or a
/// storm of keys is worked off over several frames, the screen keeps drawing, and Ctrl-C or a
/// signal is seen within a slice of arriving.
public enum PlayLoop {
    public static let framesPerSecond = 30.0
    public static let keysPerSlice = 256
    public static let sliceSeconds = 0.005
    public static let inputShare = 0.5

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
        var input = KeyQueue(terminal)
        while true {
            let frameStart = clock()
            var keysLeft = true
            repeat {
                if let signal = terminal.pendingSignal { return .signal(signal) }
                keysLeft = input.handleSlice(
                    controller, until: min(clock() + sliceSeconds, frameStart + frameSeconds), clock: clock)
                if controller.quitRequested { return .quit }
            } while keysLeft && clock() < frameStart + frameSeconds * inputShare
            if let signal = terminal.pendingSignal { return .signal(signal) }
            if !keysLeft { controller.advance(until: frameStart + frameSeconds * 0.7) }
            let size = terminal.size
            terminal.draw(
                PlayView.frame(
                    controller, width: size.width, height: size.height, widths: terminal.columnWidth))
            let remaining = frameStart + frameSeconds - clock()
            if !keysLeft, remaining > 0.001 {
                input.wait(milliseconds: Int((remaining * 1000).rounded(.up)))
            }
        }
    }
}

/// The terminal's keys with one read ahead, so the controller knows whether more are waiting.
struct KeyQueue {
    private let terminal: PlayTerminal
    private var next: Key?

    init(_ terminal: PlayTerminal) { self.terminal = terminal }

    /// Handles up to `PlayLoop.keysPerSlice` keys, stopping early at `deadline` or on quit.
    /// True when keys are still waiting.
    mutating func handleSlice(_ controller: PlayController, until deadline: Double, clock: () -> Double) -> Bool {
        var handled = 0
        while let key = next ?? terminal.readKey(waitingMilliseconds: 0) {
            next = terminal.readKey(waitingMilliseconds: 0)
            controller.handle(key, more: next != nil)
            handled += 1
            if controller.quitRequested || next == nil { break }
            if handled >= PlayLoop.keysPerSlice || clock() >= deadline { return true }
        }
        return next != nil
    }

    /// Waits up to `milliseconds` for a key, which the next slice handles first.
    mutating func wait(milliseconds: Int) {
        if next == nil { next = terminal.readKey(waitingMilliseconds: milliseconds) }
    }
}
