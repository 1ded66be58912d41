import Foundation
import Testing

/// `charrnn read --dynamic`: the model learns as it reads, on a copy; the checkpoint stays as it was.
@Suite("charrnn read --dynamic")
struct ReadDynamicTests {
    let tinyGRU = CharRNNBinary.fixture("tiny-gru.safetensors")
    let evalText = CharRNNBinary.fixture("tiny-gru.eval.txt")

    func summary(_ run: Run) throws -> [String: Any] {
        let last = try #require(run.stdout.split(separator: "\n").last)
        return try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
    }

    @Test("On a repetitive text: better than the static reading, which the summary gives; the checkpoint unchanged")
    func learns() throws {
        let folder = try temporaryFolder()
        let checkpoint = folder + "/model.safetensors", text = folder + "/text.txt"
        try FileManager.default.copyItem(atPath: tinyGRU, toPath: checkpoint)
        let phrase = try String(contentsOfFile: evalText, encoding: .utf8).unicodeScalars.prefix(60)
        try String(String.UnicodeScalarView(Array(repeating: phrase, count: 10).joined()))
            .write(toFile: text, atomically: false, encoding: .utf8)
        let before = try Data(contentsOf: URL(fileURLWithPath: checkpoint))
        let page = folder + "/page.html"
        let dynamic = try charrnn([
            "read", "--checkpoint", checkpoint, "--text", text, "--json", "--dynamic", "--dynamic-lr", "0.003",
            "--dynamic-chunk", "20", "--html", page,
        ])
        #expect(dynamic.status == 0 && dynamic.stderr == "charrnn: wrote \(page)\n")
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.contains("dynamic evaluation (rms, lr 0.003, chunks of 20); the static reading: "))
        #expect(try Data(contentsOf: URL(fileURLWithPath: checkpoint)) == before)
        let learned = try summary(dynamic)
        let statics = try summary(try charrnn(["read", "--checkpoint", checkpoint, "--text", text, "--json"]))
        let settings = try #require(learned["dynamic"] as? [String: Any])
        #expect(settings["method"] as? String == "rms" && settings["chunk"] as? Int == 20)
        #expect(settings["lr"] as? Double == 0.003)
        let staticNats = try #require(statics["nats_per_char"] as? Double)
        #expect(settings["static_nats_per_char"] as? Double == staticNats)
        #expect(try #require(learned["nats_per_char"] as? Double) < staticNats - 0.2)
        #expect(statics["dynamic"] == nil && learned["chars"] as? Int == statics["chars"] as? Int)

        let plain = try charrnn([
            "read", "--checkpoint", checkpoint, "--text", text, "--dynamic", "--dynamic-method", "sgd",
        ])
        #expect(plain.status == 0)
        let statics4 = String(format: "%.4f", staticNats)
        #expect(
            plain.stdout.hasSuffix(
                "dynamic evaluation (sgd, lr 0.0003, chunks of 50); the static reading: \(statics4) nats/char\n"))
    }

    @Test("Bad settings, or settings without --dynamic, are one line and exit 1")
    func badSettings() throws {
        let base = ["read", "--checkpoint", tinyGRU, "--text", evalText]
        for (flags, problem) in [
            (["--dynamic", "--dynamic-lr", "0"], "learning rate must be positive and finite, got 0.0"),
            (["--dynamic", "--dynamic-lr", "-1"], "learning rate must be positive and finite"),
            (["--dynamic", "--dynamic-lr", "nan"], "learning rate must be positive and finite, got nan"),
            (["--dynamic", "--dynamic-lr", "inf"], "learning rate must be positive and finite"),
            (["--dynamic", "--dynamic-chunk", "0"], "chunk must be at least 1 character, got 0"),
            (["--dynamic", "--dynamic-chunk", "-3"], "chunk must be at least 1 character"),
            (["--dynamic-lr", "0.1"], "--dynamic-lr needs --dynamic"),
            (["--dynamic-chunk", "10"], "--dynamic-chunk needs --dynamic"),
            (["--dynamic-method", "sgd"], "--dynamic-method needs --dynamic"),
        ] {
            expectOneLineFailure(try charrnn(base + flags), mentioning: problem)
        }
        let run = try charrnn(base + ["--dynamic", "--dynamic-method", "adam"])
        #expect(run.status != 0 && run.stderr.contains("dynamic-method") && !run.stderr.contains("Fatal error"))
    }
}
