// swift-tools-version: 6.0
import PackageDescription

// Dependencies, and why each is here:
// - swift-argument-parser: the `charrnn` command line (only the executable imports it).
// - swift-numerics: `Relaxed` arithmetic lets the compiler vectorise the engine's reductions.
// System libraries (Debian packages, installed by scripts/install-deps): OpenBLAS, oneDNN, ncursesw.
let package = Package(
    name: "charrnn",
    products: [
        .executable(name: "charrnn", targets: ["charrnn"]),
        .library(name: "CharRNN", targets: ["CharRNN"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        // oneDNN's sgemm for the matrix products: 2.4× OpenBLAS 0.3.21's on the training shapes on
        // AVX-512 CPUs (Core/BLAS.swift). OpenBLAS keeps the batch-1 mat-vecs.
        .systemLibrary(name: "CDNNL", providers: [.apt(["libdnnl-dev"])]),
        // No pkgConfig: ncursesw's cflags carry -D flags SwiftPM prohibits (and drops, with a
        // warning). The shim defines what it needs; the modulemap links the library.
        .systemLibrary(name: "CNCursesW", providers: [.apt(["libncursesw5-dev"])]),
        // Hand-written batch-1 mat-vecs (AVX-512F or AVX2, chosen at run time; OpenBLAS otherwise).
        .target(name: "CMatVec"),
        // The engine: no front end, no curses, no argument parsing.
        .target(
            name: "CharRNN",
            dependencies: ["COpenBLAS", "CDNNL", "CMatVec", .product(name: "RealModule", package: "swift-numerics")]),
        // The terminal UI: view models (plain Swift, unit-tested) and the curses screen.
        .target(name: "CharRNNPlay", dependencies: ["CharRNN", "CNCursesW"]),
        .executableTarget(
            name: "charrnn",
            dependencies: [
                "CharRNN", "CharRNNPlay",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(name: "CharRNNTests", dependencies: ["CharRNN"], resources: [.copy("Fixtures")]),
        .testTarget(name: "CharRNNPlayTests", dependencies: ["CharRNNPlay"]),
        // Runs the built `charrnn` binary: flags, exit codes, messages.
        .testTarget(name: "CLITests", dependencies: ["charrnn"]),
    ]
)

// Fuzzing (`make fuzz`, scripts/fuzz): one libFuzzer entry point per decoder, in Fuzz/. They exist only
// when CHARRNN_FUZZ is set, and build only with `--sanitize fuzzer`, which supplies their `main`.
if Context.environment["CHARRNN_FUZZ"] != nil {
    for name in ["FuzzCheckpoint", "FuzzTrainingState", "FuzzJSON"] {
        package.targets.append(
            .executableTarget(
                name: name, dependencies: ["CharRNN"], path: "Fuzz/\(name)",
                swiftSettings: [.unsafeFlags(["-parse-as-library"])]))
    }
}
