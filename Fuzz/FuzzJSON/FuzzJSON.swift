@testable import CharRNN

/// libFuzzer entry point for the JSON reader of safetensors headers and metadata: any bytes
/// either parse or are refused in one line; a parsed string survives being written and read back.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    do {
        if case .string(let text) = try JSON.parse(ArraySlice(UnsafeBufferPointer(start: data, count: size))) {
            let readBack = try JSON.parse(JSON.quoted(text))
            precondition(readBack == .string(text), "a quoted string reads back differently")
        }
    } catch let error as CharRNNError {
        precondition(!error.message.contains("\n"), "a refusal of more than one line")
    } catch let error as JSON.TooLarge {
        precondition(!error.message.contains("\n"), "a refusal of more than one line")
    } catch {
        fatalError("an error that is not a CharRNNError: \(error)")
    }
    return 0
}
