import Foundation
import Testing

/// `charrnn bench`: the figures it reports, and flags it refuses.
@Suite("charrnn bench")
struct BenchCommandTests {
    let tiny = ["bench", "--embedding", "4", "--hidden", "8", "--vocab", "5", "--seconds", "0.01", "--json"]

    @Test("--json carries scoring beside training and streaming")
    func jsonHasScoring() throws {
        let run = try charrnn(tiny + ["--batch-size", "2", "--seq-length", "3", "--score-chars", "2000"])
        #expect(run.status == 0, "\(run.stderr)")
        let line = try #require(
            try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stdout)")
        for key in ["train_chars_per_s", "stream_us_per_char", "score_us_per_char"] {
            let value = try #require(line[key] as? Double, "\(key) in \(run.stdout)")
            #expect(value > 0 && value.isFinite, "\(key)")
        }
    }

    @Test("--score-only measures scoring alone")
    func scoreOnly() throws {
        let run = try charrnn(tiny + ["--score-only", "--score-chars", "500"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("\"stream_us_per_char\": 0") && run.stdout.contains("\"train_chars_per_s\": 0"))
        #expect(!run.stdout.contains("\"score_us_per_char\": 0,"), "\(run.stdout)")
    }

    @Test("--roofline adds each measurement's cost and what it achieves, and the probe, to the JSON line")
    func rooflineJSON() throws {
        let run = try charrnn(tiny + ["--batch-size", "2", "--seq-length", "3", "--score-chars", "500", "--roofline"])
        #expect(run.status == 0, "\(run.stderr)")
        let line = try #require(
            try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stdout)")
        let roofline = try #require(line["roofline"] as? [String: Any], "\(run.stdout)")
        // GRU 1×8, E = 4, V = 5: a character streamed is W_hh [24, 8] and W_fc [5, 8], 232 multiply-adds.
        #expect(roofline["stream_flops_per_char"] as? Int == 464)
        #expect(roofline["score_flops_per_char"] as? Int == 464)
        for key in [
            "stream_gflops", "score_gflops", "train_gflops", "train_weight_gb_per_s", "probe_matvec_gflops",
            "probe_recurrent_gemm_gflops", "probe_chunk_gemm_gflops", "probe_memory_gb_per_s",
        ] {
            let value = try #require(roofline[key] as? Double, "\(key) in \(run.stdout)")
            #expect(value > 0 && value.isFinite, "\(key)")
        }
    }

    @Test("bad scoring flags are one-line refusals")
    func refusals() throws {
        for (flags, message) in [
            (["--score-chars", "0"], "--score-chars must be in 1…100000000, got 0"),
            (["--score-chars", "\(Int.max)"], "--score-chars must be in 1…100000000"),
            (["--score-only", "--stream-only"], "--stream-only, --train-only and --score-only exclude each other"),
        ] {
            expectOneLineFailure(try charrnn(tiny + flags), mentioning: message)
        }
    }
}
