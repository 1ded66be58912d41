/// How an epoch cuts the training text into batches of B sequences of T+1 characters.
public enum BatchOrder: String, Sendable {
    /// Non-overlapping windows of T+1 starting every T characters, shuffled each epoch, the
    /// hidden state starting from zero each batch (the TensorFlow tutorial's dataset).
    case shuffledWindows
    /// B contiguous streams; batch j holds characters j·T … j·T+T of each stream, and the hidden
    /// state carries from one batch to the next (char-rnn's stateful training).
    case statefulStreams
}
