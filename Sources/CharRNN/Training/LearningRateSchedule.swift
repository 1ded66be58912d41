import RealModule

/// How the learning rate moves over a run. The rate of every update is a function of the step
/// and the epoch alone, so a resumed run uses the same rates as an uninterrupted one.
public enum LearningRateSchedule: Equatable, Sendable {
    /// The base rate throughout.
    case constant
    /// char-rnn's decay: the rate is multiplied by `factor` after every `everyEpochs` epochs.
    case stepDecay(factor: Float, everyEpochs: Int)
    /// Half a cosine from the base rate at the first step down to `minimum` at the run's last.
    case cosine(minimum: Float)

    /// The rate of the update that follows `step` updates, made during the epoch after
    /// `completedEpochs`, in a run of `totalSteps` updates.
    public func rate(base: Float, step: Int, completedEpochs: Int, totalSteps: Int) -> Float {
        switch self {
        case .constant:
            return base
        case .stepDecay(let factor, let every):
            return Float(Double(base) * Double.pow(Double(factor), completedEpochs / every))
        case .cosine(let minimum):
            let progress = Double(step) / Double(max(1, totalSteps))
            return Float(Double(minimum) + Double(base - minimum) * 0.5 * (1 + Double.cos(Double.pi * progress)))
        }
    }

    func validate(base: Float) throws {
        switch self {
        case .constant:
            break
        case .stepDecay(let factor, let every):
            guard factor > 0, factor <= 1 else { throw CharRNNError("lr decay must be in (0, 1], got \(factor)") }
            guard every >= 1, every <= TrainingSettings.maxEpochs else {
                throw CharRNNError(
                    "lr decay every must be 1 to \(NumberText.grouped(TrainingSettings.maxEpochs)) epochs, got \(every)"
                )
            }
        case .cosine(let minimum):
            guard minimum >= 0, minimum < base else {
                throw CharRNNError("lr min must be ≥ 0 and below the learning rate \(base), got \(minimum)")
            }
        }
    }

    /// The schedule's name: constant, step or cosine.
    public var name: String {
        switch self {
        case .constant: "constant"
        case .stepDecay: "step"
        case .cosine: "cosine"
        }
    }

    /// For logs and `info`: "cosine to 0.0", "× 0.97 every 1 epochs".
    public var summary: String {
        switch self {
        case .constant: "constant"
        case .stepDecay(let factor, let every): "step: × \(factor) every \(every) epochs"
        case .cosine(let minimum): "cosine to \(minimum)"
        }
    }

    var metadata: [String: String] {
        switch self {
        case .constant: ["train.lr_schedule": name]
        case .stepDecay(let factor, let every):
            ["train.lr_schedule": name, "train.lr_decay": "\(factor)", "train.lr_decay_every": "\(every)"]
        case .cosine(let minimum): ["train.lr_schedule": name, "train.lr_min": "\(minimum)"]
        }
    }

    /// Reads back `metadata`; a state from before schedules existed is constant.
    init(metadata m: [String: String], name file: String) throws {
        func get<T>(_ key: String, _ parse: (String) -> T?) throws -> T {
            guard let s = m["train.\(key)"], let v = parse(s) else {
                throw CharRNNError("\(file): missing or invalid train.\(key)")
            }
            return v
        }
        switch m["train.lr_schedule"] ?? "constant" {
        case "constant": self = .constant
        case "step":
            self = .stepDecay(
                factor: try get("lr_decay") { Float($0) }, everyEpochs: try get("lr_decay_every") { Int($0) })
        case "cosine": self = .cosine(minimum: try get("lr_min") { Float($0) })
        case let other: throw CharRNNError("\(file): unknown train.lr_schedule \(other)")
        }
    }
}
