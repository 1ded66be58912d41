import Foundation
import Testing

/// `charrnn bench --precision`: bfloat16 streaming beside float32, and where it is refused.
@Suite("charrnn bench --precision")
struct BenchPrecisionTests {
    let tiny = ["bench", "--embedding", "4", "--hidden", "8", "--vocab", "5", "--seconds", "0.01", "--json"]

    @Test("bf16 streaming reports both precisions' medians, or says in one line that the CPU cannot")
    func bothPrecisions() throws {
        let run = try charrnn(tiny + ["--stream-only", "--precision", "bf16"])
        let cpuHasIt = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8).contains("avx512_bf16")
        guard cpuHasIt else {
            expectOneLineFailure(run, mentioning: "--precision bf16 needs a CPU with AVX-512 BF16 instructions")
            return
        }
        #expect(run.status == 0, "\(run.stderr)")
        let line = try #require(
            try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stdout)")
        #expect(line["precision"] as? String == "bf16")
        for key in ["stream_us_per_char", "stream_f32_us_per_char"] {
            let value = try #require(line[key] as? Double, "\(key) in \(run.stdout)")
            #expect(value > 0 && value.isFinite, "\(key)")
        }
    }

    @Test("float32 stays the default, and its line says so")
    func defaultIsFloat32() throws {
        let run = try charrnn(tiny + ["--stream-only"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("\"precision\": \"f32\""), "\(run.stdout)")
        #expect(!run.stdout.contains("stream_f32_us_per_char"), "\(run.stdout)")
    }

    @Test("bf16 is for streaming alone, for now")
    func refusals() throws {
        for flags in [["--precision", "bf16"], ["--precision", "bf16", "--stream-only", "--roofline"]] {
            expectOneLineFailure(try charrnn(tiny + flags), mentioning: "--precision bf16 needs --stream-only")
        }
    }
}
