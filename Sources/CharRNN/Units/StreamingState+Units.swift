/// Read access to a stream's state for looking inside the model: nothing here runs unless asked,
/// so stepping costs the same whether or not anybody looks.
extension StreamingState {
    /// One layer's `h` [H] or (LSTM) `c` [H] after the last step; zero after creation or reset.
    public func values(_ kind: StateKind, layer: Int) -> UnsafeBufferPointer<Float> {
        let buffer = kind == .h ? hidden[layer] : cells[layer]
        return UnsafeBufferPointer(start: buffer.pointer, count: buffer.count)
    }

    /// One unit's value after the last step.
    public func value(of unit: HiddenUnit) -> Float { values(unit.kind, layer: unit.layer)[unit.index] }

    /// Every unit's value [U] in `HiddenUnit.all` order (layer by layer, `h` before `c`) into `out`.
    public func copyUnits(into out: UnsafeMutablePointer<Float>) {
        var offset = 0
        for layer in hidden.indices {
            for buffer in cells.isEmpty ? [hidden[layer]] : [hidden[layer], cells[layer]] {
                (out + offset).update(from: buffer.pointer, count: buffer.count)
                offset += buffer.count
            }
        }
    }
}
