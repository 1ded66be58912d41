import CharRNN
import Foundation
import Testing

@Suite("FileIO.writeAll")
struct FileIOTests {
    @Test("writes every byte through a pipe far smaller than the data, in order")
    func throughPipe() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let bytes = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 11) }
        let reader = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true)
        nonisolated(unsafe) var received = Data()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            received = reader.readDataToEndOfFile()
            done.signal()
        }
        #expect(FileIO.writeAll(fd: fds[1], bytes: bytes))
        close(fds[1])
        done.wait()
        #expect(received == Data(bytes))
    }

    @Test("a descriptor that refuses the bytes gives false, not a crash or a loop")
    func refused() {
        #expect(!FileIO.writeAll(fd: -1, bytes: [1, 2, 3]))
        #expect(FileIO.writeAll(fd: -1, bytes: []))
    }
}
