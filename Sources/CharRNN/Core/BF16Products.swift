import CDNNL
import CMatVec
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The one file that talks to oneDNN's matmul primitive: matrix products with bfloat16 inputs and
/// float32 sums and outputs, for training under `--precision bf16` (AVX-512 BF16 CPUs only). On
/// this machine a bf16 matmul runs about 2× oneDNN's float32 sgemm on every training shape
/// (docs/bf16-notes.md, "Training").
///
/// Products are cut into the same shape-fixed chunks as `BLAS`'s float32 ones and shared with the
/// same helper thread; each chunk is one matmul primitive on one OpenMP thread, so the result never
/// depends on the thread count. Primitives are created for the chunk's shape, strides and whether
/// it accumulates (a sum post-op), once per thread: oneDNN's default scratchpad is thread-local,
/// so a primitive runs only on the thread that created it, and ends with it. oneDNN's own primitive
/// cache shares the compiled kernels between threads.
enum BF16Products {
    /// out[m, n] (+)= op(a)[m, k] · op(b)[k, n] (see `ProductShape`), a and b in bfloat16 (the bit
    /// patterns of `round`), summed and written in float32.
    static func gemm(
        _ out: UnsafeMutablePointer<Float>, _ a: UnsafePointer<UInt16>, transposedA: Bool,
        _ b: UnsafePointer<UInt16>, transposedB: Bool, m: Int, n: Int, k: Int, accumulate: Bool
    ) {
        precondition(BF16Matrix.isSupported, "this CPU has no AVX-512 BF16 instructions")
        let shape = ProductShape(m: m, n: n, k: k, transposedA: transposedA, transposedB: transposedB)
        BLAS.shareChunks(of: shape) { c in
            let key = Key(
                thread: UInt(pthread_self()), rows: c.rows, columns: c.columns, k: k, transposedA: transposedA,
                transposedB: transposedB, lda: shape.lda, ldb: shape.ldb, ldc: n, accumulate: accumulate)
            primitive(key).execute(out + c.outOffset, a + c.aOffset, b + c.bOffset)
        }
    }

    /// out[i] = x[i] rounded to bfloat16 (nearest, ties to even; overflow to infinity; NaN stays a
    /// quiet NaN), as bit patterns: the same rounding as `BF16Matrix` (`CMatVec`, 16 at a time).
    static func round(_ out: UnsafeMutablePointer<UInt16>, _ x: UnsafePointer<Float>, count: Int) {
        charrnn_to_bf16_array(out, x, count)
    }

    private struct Key: Hashable {
        let thread: UInt
        let rows: Int, columns: Int, k: Int
        let transposedA: Bool, transposedB: Bool
        let lda: Int, ldb: Int, ldc: Int
        let accumulate: Bool
    }

    /// oneDNN engines are safe to share between threads.
    nonisolated(unsafe) private static let engine: dnnl_engine_t = {
        var engine: dnnl_engine_t?
        check(dnnl_engine_create(&engine, dnnl_cpu, 0), "engine")
        return engine!
    }()

    private static let primitives = Mutex<[Key: Primitive]>([:])

    /// Drops a thread's primitives when it ends: a later thread may get the same `pthread_t`, and
    /// the primitives would not find their scratchpad on it.
    private static let threadEnd: pthread_key_t = {
        var key = pthread_key_t()
        let created = pthread_key_create(&key) { _ in
            let thread = UInt(pthread_self())
            BF16Products.primitives.withLock { cache in cache = cache.filter { $0.key.thread != thread } }
        }
        precondition(created == 0, "no thread-specific key for oneDNN primitives")
        return key
    }()

    private static func primitive(_ key: Key) -> Primitive {
        if let found = primitives.withLock({ $0[key] }) { return found }
        pthread_setspecific(threadEnd, UnsafeRawPointer(bitPattern: 1))  // non-nil: the destructor runs
        let made = Primitive(key, engine: engine)  // outside the lock: creating one compiles a kernel
        return primitives.withLock { cache in
            if let found = cache[key] { return found }
            cache[key] = made
            return made
        }
    }

    fileprivate static func check(_ status: dnnl_status_t, _ what: String) {
        precondition(status == dnnl_success, "oneDNN \(what) failed with status \(status.rawValue)")
    }

    /// One matmul primitive, its operands' descriptions and a stream, for the thread that made it.
    private final class Primitive: @unchecked Sendable {
        let primitive: dnnl_primitive_t
        let stream: dnnl_stream_t
        let engine: dnnl_engine_t
        var a = dnnl_memory_desc_t(), b = dnnl_memory_desc_t(), out = dnnl_memory_desc_t()

        /// a [rows, k] (strides by transposedA), b [k, columns] (by transposedB), out [rows, columns]
        /// with row stride ldc, float32.
        init(_ key: Key, engine: dnnl_engine_t) {
            self.engine = engine
            func describe(_ desc: inout dnnl_memory_desc_t, _ dims: [Int], _ strides: [Int], _ type: dnnl_data_type_t) {
                check(
                    dnnl_memory_desc_init_by_strides(&desc, 2, dims.map(Int64.init), type, strides.map(Int64.init)),
                    "memory description")
            }
            describe(&a, [key.rows, key.k], key.transposedA ? [1, key.lda] : [key.lda, 1], dnnl_bf16)
            describe(&b, [key.k, key.columns], key.transposedB ? [1, key.ldb] : [key.ldb, 1], dnnl_bf16)
            describe(&out, [key.rows, key.columns], [key.ldc, 1], dnnl_f32)
            var matmul = dnnl_matmul_desc_t()
            check(dnnl_matmul_desc_init(&matmul, &a, &b, nil, &out), "matmul description")
            var attributes: dnnl_primitive_attr_t?, postOps: dnnl_post_ops_t?
            check(dnnl_primitive_attr_create(&attributes), "attributes")
            defer { dnnl_primitive_attr_destroy(attributes) }
            if key.accumulate {
                check(dnnl_post_ops_create(&postOps), "post-ops")
                defer { dnnl_post_ops_destroy(postOps) }
                check(dnnl_post_ops_append_sum(postOps, 1), "sum post-op")
                check(dnnl_primitive_attr_set_post_ops(attributes, postOps), "post-ops")
            }
            var descriptor: dnnl_primitive_desc_t?
            check(
                dnnl_primitive_desc_create(&descriptor, &matmul, attributes, engine, nil),
                "matmul primitive description")
            defer { dnnl_primitive_desc_destroy(descriptor) }
            var primitive: dnnl_primitive_t?, stream: dnnl_stream_t?
            check(dnnl_primitive_create(&primitive, descriptor), "matmul primitive")
            check(dnnl_stream_create(&stream, engine, UInt32(dnnl_stream_default_flags.rawValue)), "stream")
            self.primitive = primitive!
            self.stream = stream!
        }

        deinit {
            dnnl_primitive_destroy(primitive)
            dnnl_stream_destroy(stream)
        }

        func execute(_ y: UnsafeMutablePointer<Float>, _ x: UnsafePointer<UInt16>, _ w: UnsafePointer<UInt16>) {
            func memory(_ desc: inout dnnl_memory_desc_t, _ pointer: UnsafeRawPointer) -> dnnl_memory_t {
                var memory: dnnl_memory_t?
                check(dnnl_memory_create(&memory, &desc, engine, UnsafeMutableRawPointer(mutating: pointer)), "memory")
                return memory!
            }
            let arguments = [
                dnnl_exec_arg_t(arg: DNNL_ARG_SRC, memory: memory(&a, x)),
                dnnl_exec_arg_t(arg: DNNL_ARG_WEIGHTS, memory: memory(&b, w)),
                dnnl_exec_arg_t(arg: DNNL_ARG_DST, memory: memory(&out, y)),
            ]
            defer { arguments.forEach { dnnl_memory_destroy($0.memory) } }
            check(dnnl_primitive_execute(primitive, stream, Int32(arguments.count), arguments), "matmul")
            check(dnnl_stream_wait(stream), "stream wait")
        }
    }
}
