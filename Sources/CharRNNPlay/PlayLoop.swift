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
    /// A signal (SIGTERM, SIGINT, SIGHUP) that asked the program to stop, if one arrived.
    var pendingSignal: Int32? { get }
}

/// How the loop ended.
public enum PlayExit: Equatable, Sendable {
    /// Ctrl-C or Esc.
    case quit
    /// Stopped by this signal; the caller re-raises it once the terminal is restored.
    case signal(Int32)
}

/// The frame loop: read every waiting key, stream for most of the frame, draw, then wait for
/// keys until the frame is over. Keys take effect within a frame whatever the speed.
public enum PlayLoop {
    public static let framesPerSecond = 30.0

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
        while true {
            let frameStart = clock()
            while let key = terminal.readKey(waitingMilliseconds: 0) {
                controller.handle(key)
                if controller.quitRequested { return .quit }
            }
            if let signal = terminal.pendingSignal { return .signal(signal) }
            controller.advance(until: frameStart + frameSeconds * 0.7)
            let size = terminal.size
            terminal.draw(
                PlayView.frame(
                    controller, width: size.width, height: size.height, widths: terminal.columnWidth))
            let remaining = frameStart + frameSeconds - clock()
            if remaining > 0.001,
                let key = terminal.readKey(waitingMilliseconds: Int((remaining * 1000).rounded(.up)))
            {
                controller.handle(key)
                if controller.quitRequested { return .quit }
            }
        }
    }
}
