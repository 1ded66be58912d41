import CharRNN

/// Two checkpoints side by side: the next one of the folder runs beside the current one on the
/// same prime with the same settings, each with its bars, the KL divergence of their
/// distributions at each step in the second one's label.
extension PlayController {
    /// Ctrl-V: loads the checkpoint Tab would go to as the second model (a file that fails to
    /// load shows its error and the first model stays alone), or drops the second model; then
    /// the running prime starts again.
    func toggleVersus() {
        if state.versus {
            try? session.loadVersus(checkpoint: nil)
            state.versus = false
        } else {
            var cycle = checkpoints
            guard let path = cycle.advance(forward: true, files: listCheckpoints(checkpoints.folder)) else {
                return say("no other checkpoint in \(checkpoints.folder) to compare with", error: false)
            }
            do {
                try session.loadVersus(checkpoint: path)
            } catch {
                return show(error)
            }
            state.versus = true
            say("\(CheckpointCycle.displayName(path)) beside \(session.model.name)", error: false)
        }
        if let prime = pendingStart ?? state.activePrime { pendingStart = prime }
    }
}
