import Foundation
import Testing

/// `charrnn bench --precision`: bfloat16 training, streaming and scoring beside float32.
@Suite("charrnn bench --precision")
struct BenchPrecisionTests {
    let tiny = ["bench", "--embedding", "4", "--hidden", "8", "--vocab", "5", "--seconds", "0.01", "--json"]

    @Test(
        "bf16 reports both precisions' medians, or says in one line that the CPU cannot",
        arguments: [
            ("--stream-only", ["stream_us_per_char", "stream_f32_us_per_char"]),
            ("--train-only", ["train_chars_per_s", "train_f32_chars_per_s"]),
        ])
    func bothPrecisions(only: String, keys: [String]) throws {
        let shape = ["--batch-size", "4", "--seq-length", "8"]
        let run = try charrnn(tiny + shape + [only, "--precision", "bf16"])
        let cpuHasIt = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8).contains("avx512_bf16")
        guard cpuHasIt else {
            expectOneLineFailure(run, mentioning: "--precision bf16 needs a CPU with AVX-512 BF16 instructions")
            return
        }
        #expect(run.status == 0, "\(run.stderr)")
        let line = try #require(
            try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stdout)")
        #expect(line["precision"] as? String == "bf16")
        for key in keys {
            let value = try #require((line[key] as? NSNumber)?.doubleValue, "\(key) in \(run.stdout)")
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

    @Test("bf16 scoring reports both medians too, and the roofline counts 2 bytes a bfloat16 weight")
    func scoringAndRoofline() throws {
        guard try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8).contains("avx512_bf16") else { return }
        let flags = ["--score-only", "--score-chars", "200", "--precision", "bf16", "--roofline"]
        let run = try charrnn(tiny + flags)
        #expect(run.status == 0, "\(run.stderr)")
        let line = try #require(
            try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stdout)")
        for key in ["score_us_per_char", "score_f32_us_per_char"] {
            let value = try #require(line[key] as? Double, "\(key) in \(run.stdout)")
            #expect(value > 0 && value.isFinite, "\(key)")
        }
        let roofline = try #require(line["roofline"] as? [String: Any])
        // GRU, V = 5, E = 4, H = 8: W_hh [24×8] per character in 2 bytes, the rest once per chunk of
        // 1,000 in 4 (fc [5×8]), plus the table row [24] in 4.
        let bf16Bytes = try #require(roofline["score_weight_bytes_per_char"] as? Int)
        let f32Bytes = try #require(roofline["score_f32_weight_bytes_per_char"] as? Int)
        #expect(bf16Bytes == 2 * 24 * 8 + 4 * 24)
        #expect(f32Bytes == 4 * 24 * 8 + 4 * 24)
        #expect(roofline["probe_bf16_matvec_gflops"] is Double)
    }
}
