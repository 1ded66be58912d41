import CharRNN

/// The play screen's settings and mode, changed only by actions. Each action returns the
/// effects the controller must carry out on the generation session.
public struct PlayState: Equatable, Sendable {
    /// play's default temperature (generate's is 1).
    public static let defaultTemperature: Float = 0.8
    public static let temperatureStep: Float = 0.05
    public static let maximumTemperature: Float = 5
    /// Up to as many bars as the engine reports candidates per step.
    public static let barRange = 1...TopEntries.capacity
    /// Streaming speeds in characters per second; nil is as fast as the engine goes.
    public static let speeds: [Int?] = [1, 2, 5, 10, 20, 30, 60, 120, 250, 500, 1000, 2000, 5000, nil]
    public static let defaultSpeedIndex = 5  // 30 characters a second: one per frame
    /// The most characters (Unicode scalars) keys may put in the prime line: priming reads the
    /// whole line on the UI thread, so it stays well under a second.
    public static let primeLimit = 4096

    /// The prime line being edited: the text generation starts from.
    public private(set) var primeLine: String
    /// Its length in scalars, kept so that each key costs the same however long the line is.
    private var primeLength: Int
    /// The sampled stream's settings, passed to the engine as they are (the engine validates).
    public var sampler: SamplerSettings
    public var barCount = 10
    public var speedIndex = PlayState.defaultSpeedIndex
    public var paused = false
    public var sideBySide = false
    /// A second checkpoint runs beside the first (the session holds it), with the same settings.
    public var versus = false
    /// Which of `layoutPresets` side by side shows.
    public var layoutPreset = 0
    public var tint = false
    /// F4: the text tinted by a hidden unit.
    public var unitTint = false
    public var helpShown = false
    /// How many lines of the help overlay are scrolled off its top (the view stops at the end).
    public var helpScroll = 0
    /// A bracketed paste is coming in: its Enters and Tabs are text.
    public var pasting = false
    /// The prime the running generation started from; nil before the first start and after
    /// a reset.
    public var activePrime: String?
    /// Writing (the streams) or reading (a text through the model's eyes).
    public var mode = PlayMode.write
    /// A text is loaded for reading: F3 shows it rather than asking for a file.
    public var readingLoaded = false
    /// Read mode tints by rank bucket, or by surprisal.
    public var readTint = ReadTint.rank
    /// The prompt open in a status or bottom line, and what is typed in it.
    public private(set) var prompt: Prompt?
    public private(set) var promptLine = ""
    /// The last search, for Enter and `n`.
    public private(set) var lastSearch: String?

    /// A generation was started and not reset since.
    public var running: Bool { activePrime != nil }

    public init(
        primeLine: String = "", sampler: SamplerSettings = SamplerSettings(temperature: PlayState.defaultTemperature)
    ) {
        self.primeLine = primeLine
        self.primeLength = primeLine.unicodeScalars.count
        self.sampler = sampler
    }

    /// Characters per second, nil for unlimited.
    public var speed: Int? { PlayState.speeds[speedIndex] }

    /// The streams side by side, as `StreamSpec` lists (`sampled`: the chosen settings, which
    /// Up/Down change); Ctrl-L cycles through them.
    public static let layoutPresets = [
        "greedy,sampled", "greedy,beam:5,t0.5,t1.0", "sampled,t0.5,t1.0", "greedy,beam:5",
    ]

    /// Sampler settings per stream: the chosen ones alone, or the preset's side by side.
    public var samplers: [SamplerSettings] {
        versus ? [sampler, sampler] : sideBySide ? sideBySideStreams.map(\.settings) : [sampler]
    }

    /// Labels of the streams in side-by-side mode: "greedy", "beam 5", "T=0.50", "sampled T=0.80".
    public var streamLabels: [String] { sideBySide ? sideBySideStreams.map(\.label) : [] }

    /// The current preset's streams; when the chosen settings are invalid (the engine will say
    /// why), greedy | sampled.
    private var sideBySideStreams: [(label: String, settings: SamplerSettings)] {
        let sampled = (label: "sampled T=" + temperatureText, settings: sampler)
        guard let specs = try? StreamSpec.parseList(PlayState.layoutPresets[layoutPreset], base: sampler) else {
            return [("greedy", .greedy), sampled]
        }
        return specs.map { spec in
            let s = spec.settings
            if spec.name == "sampled" { return sampled }
            if s.method == .beam { return ("beam \(s.beamWidth)", s) }
            if s.isDeterministic { return ("greedy", s) }
            return ("T=" + NumberText.fixed(Double(s.temperature), decimals: 2), s)
        }
    }

    /// "0.80"
    public var temperatureText: String { NumberText.fixed(Double(sampler.temperature), decimals: 2) }

    /// "speed 30/s", "speed max".
    public var speedText: String { speed.map { "speed \($0)/s" } ?? "speed max" }

    public mutating func apply(_ action: PlayAction) -> [PlayEffect] {
        if prompt != nil, let effects = applyToPrompt(action) { return effects }
        switch action {
        case .insert(let s):
            guard primeLength < PlayState.primeLimit else { return [.primeFull] }
            primeLine.unicodeScalars.append(s)
            primeLength += 1
        case .deleteBackward:
            if primeLength > 0 {
                primeLine.unicodeScalars.removeLast()
                primeLength -= 1
            }
        case .clearPrime:
            primeLine = ""
            primeLength = 0
        case .beginPaste:
            pasting = true
        case .endPaste:
            pasting = false
        case .start:
            activePrime = primeLine
            paused = false
            return [.start(prime: primeLine)]
        case .warmer, .cooler:
            let temperature = sampler.temperature
            let step = action == .warmer ? PlayState.temperatureStep : -PlayState.temperatureStep
            let t = ((temperature + step) * 100).rounded() / 100
            // Keys stay in [0, maximum]: never below 0 (greedy); Up stops at the maximum (a
            // higher --temperature is kept, not cut). Not validation: the engine does that.
            let clamped = action == .warmer ? max(temperature, min(t, PlayState.maximumTemperature)) : max(t, 0)
            guard clamped != temperature else { return [] }
            sampler.temperature = clamped
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
            activePrime = nil
            return [.reset]
        case .toggleSideBySide:
            sideBySide.toggle()
            return activePrime.map { [.start(prime: $0)] } ?? []
        case .toggleVersus:
            return [.toggleVersus]
        case .nextLayout:
            layoutPreset = sideBySide ? (layoutPreset + 1) % PlayState.layoutPresets.count : layoutPreset
            sideBySide = true
            return activePrime.map { [.start(prime: $0)] } ?? []
        case .togglePause:
            paused.toggle()
        case .stepOnce:
            return running && paused ? [.step] : []
        case .toggleTint:
            if mode == .read { readTint = readTint == .rank ? .surprisal : .rank } else { tint.toggle() }
        case .toggleHelp:
            helpShown.toggle()
            helpScroll = 0
        case .scrollHelp(let lines):
            helpScroll = max(0, helpScroll + lines)
        case .relayout:
            return [.relayout]
        case .quit:
            return [.quit]
        case .toggleMode:
            if mode == .read {
                mode = .write
            } else if readingLoaded {
                mode = .read
            } else {
                prompt = .path
                promptLine = ""
            }
        case .beginSearch:
            prompt = .search
            promptLine = ""
        case .findNext:
            return lastSearch.map { [.find($0)] } ?? []
        case .moveCursor(let move):
            return [.moveCursor(move)]
        case .continueFromCursor:
            return [.continueFromCursor]
        case .toggleDynamic:
            return [.toggleDynamic]
        case .toggleUnits:
            unitTint.toggle()
        case .moveUnit(let move):
            return [.moveUnit(move)]
        case .steer(let command):
            return [.steer(command)]
        case .submitPrompt, .cancelPrompt:
            break
        }
        return []
    }

    /// Edits the open prompt; nil for actions that are not about it.
    private mutating func applyToPrompt(_ action: PlayAction) -> [PlayEffect]? {
        switch action {
        case .insert(let s) where promptLine.unicodeScalars.count < PlayState.primeLimit:
            promptLine.unicodeScalars.append(s)
        case .insert:
            break
        case .deleteBackward:
            if !promptLine.isEmpty { promptLine.unicodeScalars.removeLast() }
        case .clearPrime:
            promptLine = ""
        case .cancelPrompt:
            prompt = nil
        case .submitPrompt:
            defer { prompt = nil }
            guard !promptLine.isEmpty else { return [] }
            if prompt == .search {
                lastSearch = promptLine
                return [.find(promptLine)]
            }
            return [.openReading(path: promptLine)]
        default:
            return nil
        }
        return []
    }
}

/// The screens of the UI.
public enum PlayMode: Equatable, Sendable {
    case write, read
    /// Streaming paused; the user picks the characters of one stream (`SteerScreen`).
    case steer
}

/// What read mode's tint shows.
public enum ReadTint: Equatable, Sendable {
    /// The rank bucket of each character (1, 2-3, 4-10, 11+).
    case rank
    /// Its surprisal in bits, in the bands of write mode's tint.
    case surprisal
}

/// A line the user is typing into other than the prime.
public enum Prompt: Equatable, Sendable {
    /// The path of a text to read.
    case path
    /// Text to find in read mode.
    case search
}

/// What the controller must do on the session after an action.
public enum PlayEffect: Equatable, Sendable {
    /// Start every stream afresh from this prime text.
    case start(prime: String)
    /// Give the running streams the state's sampler settings.
    case updateSamplers
    /// Fetch the distributions again (a different number of bars).
    case refreshDistributions
    /// Load the next or previous checkpoint of the folder.
    case switchCheckpoint(forward: Bool)
    /// Forget the streams and their text.
    case reset
    /// Generate one character (paused).
    case step
    /// A character was refused: the prime line holds `PlayState.primeLimit` already.
    case primeFull
    case relayout
    case quit
    /// Read this file (and switch to read mode).
    case openReading(path: String)
    /// Find this text after the cursor (wrapping around).
    case find(String)
    case moveCursor(CursorMove)
    /// Start writing from the text before the cursor, in the state read there.
    case continueFromCursor
    /// Start or drop the dynamic reading of the text open in read mode.
    case toggleDynamic
    /// Tint by another hidden unit (F5–F9).
    case moveUnit(UnitMove)
    /// Enter, leave or act in steer mode.
    case steer(SteerCommand)
    /// Load the next checkpoint of the folder as the second model, or drop the second model.
    case toggleVersus
}
