/// Decoding text files: invalid UTF-8 is an error naming the byte offset.
public enum UTF8Text {
    public static func scalars(_ bytes: [UInt8], name: String) throws -> [Unicode.Scalar] {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(bytes.count)
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                scalars.append(Unicode.UTF8.decode(encoded))
                offset += encoded.count
            case .emptyInput:
                return scalars
            case .error:
                throw CharRNNError(
                    "\(name): invalid UTF-8 at byte offset \(offset) (if it is Latin-1: iconv -f LATIN1 -t UTF-8 FILE > NEW)"
                )
            }
        }
    }

    public static func read(path: String) throws -> [Unicode.Scalar] {
        try scalars(try FileIO.readAll(path: path), name: path)
    }
}
