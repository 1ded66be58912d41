/// Who owns the cores. With two cores, BLAS threads and a second thread of ours compete, so a
/// process picks one use: training gives BLAS every core for its big matrix products;
/// streaming (generation, the terminal UI, evaluation) keeps BLAS on one thread and splits the
/// large batch-1 mat-vecs across two cores itself (`SplitMatVec`). Set once, at start-up, by
/// the front end; changing it while another thread runs BLAS is not safe.
public enum ComputeThreads {
    case training, streaming

    public static func use(_ use: ComputeThreads) {
        BLAS.threads = use == .training ? BLAS.cores : 1
    }
}
