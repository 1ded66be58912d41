// oneDNN f32 vs bf16 matmul probe (docs/bf16-notes.md). apt-get install -y libdnnl-dev, then
// g++ -O2 scripts/bf16/dnnl.cpp -o /tmp/dnnl -ldnnl && OMP_NUM_THREADS=1 /tmp/dnnl && OMP_NUM_THREADS=2 /tmp/dnnl
#include <oneapi/dnnl/dnnl.hpp>
#include <chrono>
#include <cstdio>
#include <vector>
using namespace dnnl;
static double bench(engine &eng, stream &s, memory::data_type wt, long M, long K, long N) {
    memory::desc a({M, K}, wt, memory::format_tag::ab), b({K, N}, wt, memory::format_tag::any),
        c({M, N}, memory::data_type::f32, memory::format_tag::ab);
    matmul::primitive_desc pd(matmul::desc(a, b, c), eng);
    memory am(a, eng), bm(pd.weights_desc(), eng), cm(c, eng);
    matmul p(pd);
    std::unordered_map<int, memory> args{{DNNL_ARG_SRC, am}, {DNNL_ARG_WEIGHTS, bm}, {DNNL_ARG_DST, cm}};
    for (int i = 0; i < 50; i++) p.execute(s, args);
    s.wait();
    double best = 1e9;
    for (int t = 0; t < 5; t++) {
        int reps = M == 1 ? 5000 : 500;
        auto t0 = std::chrono::steady_clock::now();
        for (int i = 0; i < reps; i++) p.execute(s, args);
        s.wait();
        double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() / reps;
        if (us < best) best = us;
    }
    return best;
}
int main() {
    engine eng(engine::kind::cpu, 0);
    stream s(eng);
    long shapes[][3] = {{1, 512, 1536}, {1, 512, 2048}, {64, 512, 1536}, {64, 512, 2048}, {64, 1536, 512}, {64, 2048, 512}};
    for (auto &sh : shapes) {
        double f = bench(eng, s, memory::data_type::f32, sh[0], sh[1], sh[2]);
        double b = bench(eng, s, memory::data_type::bf16, sh[0], sh[1], sh[2]);
        double fl = 2.0 * sh[0] * sh[1] * sh[2];
        printf("M=%-3ld K=%-4ld N=%-4ld f32 %8.2f us (%5.0f GFLOPS)  bf16 %8.2f us (%5.0f GFLOPS)  %.2fx\n", sh[0], sh[1], sh[2],
               f, fl / f / 1e3, b, fl / b / 1e3, f / b);
    }
}
