extension GenerationStream {
    /// Every unit's value [U] after the stream's last character, in `HiddenUnit.all` order, into
    /// `out` (see `StreamingState.copyUnits`): what a front end tints the text with.
    public func copyUnits(into out: UnsafeMutablePointer<Float>) { state.copyUnits(into: out) }
}
