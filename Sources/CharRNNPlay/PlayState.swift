import CharRNN

/// The play screen's settings and mode, changed only by actions. Each action returns the
/// effects the controller must carry out on the generation session.
public struct PlayState: Equatable, Sendable {
    public static let temperatureStep: Float = 0.05
    public static let maximumTemperature: Float = 5
    /// The engine reports the 16 most likely characters per step (`TopEntries.capacity`).
    public static let barRange = 1...16
    /// Streaming speeds in characters per second; nil is as fast as the engine goes.
    public static let speeds: [Int?] = [1, 2, 5, 10, 20, 30, 60, 120, 250, 500, 1000, 2000, 5000, nil]
    public static let defaultSpeedIndex = 5  // 30 characters a second: one per frame

    /// The seed line being edited.
    public var seedLine: String
    public var temperature: Float
    public var topK: Int?
    public var topP: Float?
    public var barCount = 10
    public var speedIndex = PlayState.defaultSpeedIndex
    public var paused = false
    public var sideBySide = false
    public var tint = false
    public var helpShown = false
    /// The seed the running generation started from; nil before the first start and after
    /// a reset.
    public var activeSeed: String?

    /// A generation was started and not reset since.
    public var running: Bool { activeSeed != nil }

    public init(seedLine: String = "", temperature: Float = 0.8, topK: Int? = nil, topP: Float? = nil) {
        self.seedLine = seedLine
        self.temperature = max(0, temperature)
        self.topK = topK
        self.topP = topP
    }

    /// Characters per second, nil for unlimited.
    public var speed: Int? { PlayState.speeds[speedIndex] }

    /// One sampler per stream: the chosen one alone, or greedy beside it.
    public var samplers: [PlaySampler] {
        let sampled = PlaySampler(temperature: temperature, topK: topK, topP: topP)
        guard sideBySide else { return [sampled] }
        var greedy = sampled
        greedy.greedy = true
        return [greedy, sampled]
    }

    /// Labels of the streams in side-by-side mode.
    public var streamLabels: [String] {
        sideBySide ? ["greedy", "sampled T=" + temperatureText] : []
    }

    /// "0.80"
    public var temperatureText: String { NumberText.fixed(Double(temperature), decimals: 2) }

    /// "greedy", or "multinomial" with its truncations: "multinomial top-k 40 top-p 0.90".
    public var samplerText: String {
        var parts = [temperature <= 0 ? "greedy" : "multinomial"]
        if let topK { parts.append("top-k \(topK)") }
        if let topP { parts.append("top-p " + NumberText.fixed(Double(topP), decimals: 2)) }
        return parts.joined(separator: " ")
    }

    /// "speed 30/s", "speed max".
    public var speedText: String { speed.map { "speed \($0)/s" } ?? "speed max" }

    public mutating func apply(_ action: PlayAction) -> [PlayEffect] {
        switch action {
        case .insert(let s):
            seedLine.unicodeScalars.append(s)
        case .deleteBackward:
            if !seedLine.unicodeScalars.isEmpty { seedLine.unicodeScalars.removeLast() }
        case .clearSeed:
            seedLine = ""
        case .start:
            activeSeed = seedLine
            paused = false
            return [.start(seed: seedLine)]
        case .warmer, .cooler:
            let step = action == .warmer ? PlayState.temperatureStep : -PlayState.temperatureStep
            let t = ((temperature + step) * 100).rounded() / 100
            // Never below 0; Up stops at the maximum (a higher --temperature is kept, not cut).
            let clamped = action == .warmer ? max(temperature, min(t, PlayState.maximumTemperature)) : max(t, 0)
            guard clamped != temperature else { return [] }
            temperature = clamped
            return running ? [.updateSamplers] : []
        case .fewerBars:
            barCount = max(barCount - 1, PlayState.barRange.lowerBound)
            return running ? [.refreshDistributions] : []
        case .moreBars:
            barCount = min(barCount + 1, PlayState.barRange.upperBound)
            return running ? [.refreshDistributions] : []
        case .faster:
            speedIndex = min(speedIndex + 1, PlayState.speeds.count - 1)
        case .slower:
            speedIndex = max(speedIndex - 1, 0)
        case .nextCheckpoint:
            return [.switchCheckpoint(forward: true)]
        case .previousCheckpoint:
            return [.switchCheckpoint(forward: false)]
        case .reset:
            activeSeed = nil
            return [.reset]
        case .toggleSideBySide:
            sideBySide.toggle()
            return activeSeed.map { [.start(seed: $0)] } ?? []
        case .togglePause:
            paused.toggle()
        case .stepOnce:
            return running && paused ? [.step] : []
        case .toggleTint:
            tint.toggle()
        case .toggleHelp:
            helpShown.toggle()
        case .relayout:
            return [.relayout]
        case .quit:
            return [.quit]
        }
        return []
    }
}

/// What the controller must do on the session after an action.
public enum PlayEffect: Equatable, Sendable {
    /// Start every stream afresh from this seed.
    case start(seed: String)
    /// Give the running streams the state's samplers.
    case updateSamplers
    /// Fetch the distributions again (a different number of bars).
    case refreshDistributions
    /// Load the next or previous checkpoint of the folder.
    case switchCheckpoint(forward: Bool)
    /// Forget the streams and their text.
    case reset
    /// Generate one character (paused).
    case step
    case relayout
    case quit
}
