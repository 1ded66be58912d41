import CharRNN

/// libFuzzer entry point for the checkpoint loader as `info` and `eval` use it: bytes → safetensors
/// → `charrnn-v1` checkpoint → model → evaluation of a few characters. Refusals must be one line.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCheckpoint(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    do {
        let file = try SafetensorsFile.parse(Array(UnsafeBufferPointer(start: data, count: size)), name: "fuzz")
        let model = CharRNNModel(checkpoint: try Checkpoint.decode(file, name: "fuzz"))
        _ = model.config.parameterCount
        let V = model.vocabulary.count
        _ = try Evaluation.evaluate(model, tokens: (0..<8).map { Int32($0 % V) }, compute: .streaming(split: false))
    } catch let error as CharRNNError {
        precondition(!error.message.contains("\n"), "a refusal of more than one line")
    } catch {
        fatalError("an error that is not a CharRNNError: \(error)")
    }
    return 0
}
