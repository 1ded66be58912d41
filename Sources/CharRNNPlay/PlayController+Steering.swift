import CharRNN

/// Steer mode: the sampled stream paused, its next character picked by hand or sampled, its
/// cursor moved back (rewinding the state) and on through what it wrote, each different choice
/// kept as a branch (`SteeringSession`).
extension PlayController {
    /// The most generated characters steer mode can go back through; older ones join the prime.
    public static let steerReplayLimit = 256

    func steer(_ command: SteerCommand) {
        guard command != .enter else { return enterSteering() }
        guard var screen = steer else { return }
        let s = screen.session
        switch command {
        case .enter:
            return
        case .leave:
            steer = nil
            state.mode = .write
            return
        case .choose(let number):
            let shown = steerBarsShown
            guard number <= shown else {
                let why = shown == 0 ? "no bars are shown" : "only \(shown) bar(s) are numbered"
                return say("\(number) does nothing: \(why)", error: false)
            }
            s.choose(token: s.nextDistribution().top[number - 1].token)
        case .sample:
            s.step()
        case .back:
            guard s.cursor > 0 else { return say("the prime starts here: steering stops at it", error: false) }
            s.moveCursor(to: s.cursor - 1)
        case .forward:
            guard s.cursor < s.branch.count else {
                return say("end of the branch: a digit or Space writes on", error: false)
            }
            s.moveCursor(to: s.cursor + 1)
        case .toStart:
            s.moveCursor(to: 0)
        case .toEnd:
            s.moveCursor(to: s.branch.count)
        case .previousBranch, .nextBranch:
            let index = s.current + (command == .nextBranch ? 1 : -1)
            guard s.branches.indices.contains(index) else {
                return say("no \(command == .nextBranch ? "next" : "previous") branch", error: false)
            }
            s.select(branch: index)
            say("branch \(index + 1) of \(s.branches.count)", error: false)
        case .toggleBranches:
            screen.branchesShown.toggle()
        case .resume:
            return resumeFromCursor(screen)
        case .save(let all):
            return save(screen, all: all)
        }
        steer = screen
    }

    /// The bars of the character after the cursor, at the steered stream's settings.
    public var steerBars: DistributionView? {
        guard let s = steer?.session else { return nil }
        return DistributionView(
            s.nextDistribution(), vocabulary: s.session.vocabulary, settings: s.stream.settings,
            count: state.barCount, chosen: nil)
    }

    /// How many bars carry a number (digits beyond do nothing).
    var steerBarsShown: Int {
        guard let bars = steerPane?.bars, let count = steerBars?.candidates.count else { return 0 }
        return min(9, count, DistributionPane.visibleBars(barCount: state.barCount, height: bars.height))
    }

    /// Steer mode's text pane and bars; nil when the screen is too small for any layout.
    var steerPane: Layout.StreamPane? {
        Layout(width: screenSize.width, height: screenSize.height, sideBySide: false, barCount: state.barCount)?
            .streams.first
    }

    /// Pauses and steers the sampled stream (the last one that is not a beam search) from its text so far: its last
    /// `steerReplayLimit` generated characters can be gone back through, the text before them
    /// (at most `PlayState.primeLimit` characters of it) is the steering session's prime.
    private func enterSteering() {
        guard let prime = state.activePrime, !texts.isEmpty else {
            return say("nothing to steer yet: type a prime and press Enter", error: false)
        }
        // Beside a second checkpoint, the first model's stream (the steering session runs it).
        let candidates = state.versus ? [0] : Array(state.samplers.indices)
        guard let stream = candidates.last(where: { state.samplers[$0].method != .beam }), stream < texts.count else {
            return say("a beam search cannot be steered: steer a sampled stream", error: false)
        }
        let text = texts[stream]
        let settings = state.samplers[stream]
        let generated = text.characters.filter { !$0.isPrime }
        let replay = generated.suffix(PlayController.steerReplayLimit).map(\.symbol)
        // Everything kept when the stream dropped its oldest characters; else the prime and the
        // generated characters before the replayed ones.
        let before: [StreamText.Character] =
            text.generatedCount == generated.count
            ? Array(generated.dropLast(replay.count)) : Array(text.characters.dropLast(replay.count))
        var steerPrime = text.generatedCount == generated.count ? prime : ""
        steerPrime.unicodeScalars.append(contentsOf: before.map { $0.symbol ?? Glyphs.unknown })
        steerPrime = String(String.UnicodeScalarView(steerPrime.unicodeScalars.suffix(PlayState.primeLimit)))
        do {
            let s = try session.steer(
                prime: steerPrime, replaying: replay, settings: settings, randomSeed: randomSeed ?? 0)
            steer = SteerScreen(session: s, prime: steerPrime)
            state.mode = .steer
            state.helpShown = false
        } catch {
            show(error)
        }
    }

    /// Enter: every stream starts again from the prime and the branch's text before the cursor
    /// (once the keys stop coming, as for write mode's Enter).
    private func resumeFromCursor(_ screen: SteerScreen) {
        let s = screen.session
        let prime = screen.prime + String(String.UnicodeScalarView(s.branch.text.unicodeScalars.prefix(s.cursor)))
        steer = nil
        state.mode = .write
        state.paused = false
        state.activePrime = String(String.UnicodeScalarView(prime.unicodeScalars.suffix(PlayState.primeLimit)))
        pendingStart = state.activePrime
    }

    /// `w`: the prime and the current branch's text; `W`: every branch, each under a line that
    /// says where it split off. Written safely (a whole file or none) in `saveFolder`; the status line names it.
    private func save(_ screen: SteerScreen, all: Bool) {
        let s = screen.session
        let name = session.model.name
        let file = all ? "steer-\(name)-branches.txt" : "steer-\(name)-branch\(s.current + 1).txt"
        let path = saveFolder == "." ? file : saveFolder + "/" + file
        let text =
            all
            ? s.branches.map { "### \(SteerScreen.describe($0))\n" + screen.prime + $0.text + "\n" }.joined(
                separator: "\n")
            : screen.prime + s.branch.text
        do {
            try FileIO.writeAtomically(path: path, bytes: Array(text.utf8))
            say("wrote \(path)", error: false)
        } catch {
            show(error)
        }
    }
}
