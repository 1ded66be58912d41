import Foundation
import Testing

/// `--precision f32|bf16` on every command that runs a model one character at a time.
@Suite("charrnn --precision")
struct PrecisionOptionTests {
    let tinyGRU = CharRNNBinary.fixture("tiny-gru.safetensors")
    let evalText = CharRNNBinary.fixture("tiny-gru.eval.txt")
    var cpuHasBF16: Bool {
        get throws { try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8).contains("avx512_bf16") }
    }

    @Test(
        "generate, play, eval, read, units and bench all take it",
        arguments: ["generate", "play", "eval", "read", "units", "bench"])
    func offered(command: String) throws {
        let help = try charrnn([command, "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("--precision <precision>"), "\(help.stdout)")
    }

    func nats(_ flags: [String]) throws -> Double {
        let run = try charrnn(["eval", "--checkpoint", tinyGRU, "--text", evalText, "--json"] + flags)
        #expect(run.status == 0, "\(run.stderr)")
        let line = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        return try #require(line["nats_per_char"] as? Double)
    }

    @Test("eval --precision bf16 is close to f32 and not the same, or says in one line that the CPU cannot")
    func eval() throws {
        guard try cpuHasBF16 else {
            let run = try charrnn(["eval", "--checkpoint", tinyGRU, "--text", evalText, "--precision", "bf16"])
            expectOneLineFailure(run, mentioning: "--precision bf16 needs a CPU with AVX-512 BF16 instructions")
            return
        }
        let f32 = try nats([]), bf16 = try nats(["--precision", "bf16"])
        #expect(try nats(["--precision", "f32"]) == f32)
        #expect(abs(bf16 - f32) < 0.003 && bf16 != f32, "bf16 \(bf16), f32 \(f32)")
    }

    @Test("generate --precision bf16 writes the text asked for")
    func generate() throws {
        guard try cpuHasBF16 else { return }
        let run = try charrnn([
            "generate", "--checkpoint", tinyGRU, "--prime", "Thy ", "--length", "40", "--precision", "bf16",
            "--temperature", "0",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.unicodeScalars.count >= 40, "\(run.stdout)")
    }

    @Test("read --dynamic learns in float32 only: bf16 is refused in one line")
    func dynamicRefused() throws {
        let run = try charrnn(["read", "--checkpoint", tinyGRU, "--text", evalText, "--dynamic", "--precision", "bf16"])
        expectOneLineFailure(run, mentioning: "--precision bf16")
    }
}
