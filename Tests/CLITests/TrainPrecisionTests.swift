import CharRNN
import Foundation
import Testing

/// `charrnn train --precision bf16`.
@Suite("charrnn train --precision")
struct TrainPrecisionTests {
    static let cpuHasBF16 = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?.contains("avx512_bf16")
        ?? false

    @Test("A bf16 run says so, saves its precision, resumes in it, and refuses a resume in another")
    func trainAndResume() throws {
        let folder = try temporaryFolder()
        let corpus = try trainingCorpus(in: folder), out = folder + "/m.safetensors"
        let run = try charrnn(
            ["train", "--corpus", corpus, "--out", out, "--epochs", "1", "--precision", "bf16"] + smallModel)
        guard Self.cpuHasBF16 else {
            expectOneLineFailure(run, mentioning: "--precision bf16 needs a CPU with AVX-512 BF16 instructions")
            return
        }
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("precision bf16: bfloat16 matrix products"), "\(run.stderr)")
        #expect(try SafetensorsFile.read(path: folder + "/m.state").metadata["train.precision"] == "bf16")
        #expect(try SafetensorsFile.read(path: out).metadata["train.precision"] == "bf16")
        expectOneLineFailure(
            try charrnn(["train", "--out", out, "--resume", "--epochs", "2", "--precision", "f32"]),
            mentioning: "--precision f32 differs from the saved run's bf16: a resumed run keeps its settings")
        let resumed = try charrnn(["train", "--out", out, "--resume", "--epochs", "2"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("precision bf16") && resumed.stderr.contains("epoch 2/2"), "\(resumed.stderr)")
    }

    @Test("float32 stays the default and is recorded; an unknown precision is refused in one line")
    func defaultAndBadValue() throws {
        let folder = try temporaryFolder()
        let corpus = try trainingCorpus(in: folder), out = folder + "/m.safetensors"
        let run = try charrnn(["train", "--corpus", corpus, "--out", out, "--epochs", "1"] + smallModel)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stderr.contains("precision bf16"))
        #expect(try SafetensorsFile.read(path: folder + "/m.state").metadata["train.precision"] == "f32")
        let bad = try charrnn(["train", "--corpus", corpus, "--out", out, "--force", "--precision", "f16"])
        #expect(bad.status != 0 && bad.stderr.contains("f16") && !bad.stderr.contains("Fatal error"), "\(bad.stderr)")
    }
}
