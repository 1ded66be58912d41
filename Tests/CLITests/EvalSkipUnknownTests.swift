import Foundation
import Testing

/// `eval --skip-unknown`: characters outside the vocabulary are left out, counted and named.
@Suite("charrnn eval --skip-unknown")
struct EvalSkipUnknownTests {
    let tinyGRU = CharRNNBinary.fixture("tiny-gru.safetensors")

    @Test("scores the text as if the unknown characters were not there, and says which it left out")
    func skipsUnknown() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let clean = try String(contentsOfFile: CharRNNBinary.fixture("tiny-gru.eval.txt"), encoding: .utf8)
        var dirty = clean
        for (offset, odd) in [(5, "é"), (40, "✓"), (80, "é"), (120, "é")] {
            dirty.insert(contentsOf: odd, at: dirty.index(dirty.startIndex, offsetBy: offset))
        }
        let cleanPath = folder + "/clean.txt"
        let dirtyPath = folder + "/dirty.txt"
        try clean.write(toFile: cleanPath, atomically: true, encoding: .utf8)
        try dirty.write(toFile: dirtyPath, atomically: true, encoding: .utf8)

        expectOneLineFailure(
            try charrnn(["eval", "--checkpoint", tinyGRU, "--text", dirtyPath]), mentioning: "outside the vocabulary")
        let expected = try charrnn(["eval", "--checkpoint", tinyGRU, "--text", cleanPath, "--json"])
        let skipped = try charrnn(["eval", "--checkpoint", tinyGRU, "--text", dirtyPath, "--json", "--skip-unknown"])
        #expect(skipped.status == 0)
        #expect(skipped.stderr == "charrnn: skipped 4 characters outside the vocabulary: \"é\" ×3, \"✓\" ×1\n")
        let a = try #require(try JSONSerialization.jsonObject(with: Data(expected.stdout.utf8)) as? [String: Any])
        let b = try #require(try JSONSerialization.jsonObject(with: Data(skipped.stdout.utf8)) as? [String: Any])
        #expect(b["skipped"] as? Int == 4)
        #expect(a["skipped"] == nil)
        for key in ["chars", "nats_per_char", "bits_per_char", "perplexity"] {
            #expect(a[key] as? Double == b[key] as? Double, "\(key)")
        }

        let text = try charrnn(["eval", "--checkpoint", tinyGRU, "--text", dirtyPath, "--skip-unknown"])
        #expect(text.status == 0 && text.stderr.contains("skipped 4 characters"))
        let nothing = try charrnn(["eval", "--checkpoint", tinyGRU, "--text", cleanPath, "--skip-unknown", "--json"])
        #expect(nothing.status == 0 && nothing.stderr.isEmpty && nothing.stdout.contains("\"skipped\": 0"))
    }
}
