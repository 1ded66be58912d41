"""The PyTorch speed reference for `charrnn bench`: the same model and measurements, in PyTorch.

    PYTHONPATH=python python3 -m charrnn_torch.speed --cell lstm --layers 2 --seconds 8 --json

The flags are `charrnn bench`'s (--cell, --embedding, --hidden, --layers, --vocab, --batch-size,
--seq-length, --seconds, --threads, --json); one thread count serves all three measurements.

- Training: full steps (forward, backward, clip_grad_norm_ 5, Adam lr 1e-3) on one batch of random
  tokens, after two warm-up steps; chars/s = batch x seq x steps / elapsed over the timed window.
- Streaming: batch 1, state carried, one character in, one sampled out (multinomial at T=0.8),
  after 50 warm-up characters; us/char = elapsed / characters.
- Scoring: --score-chars random tokens from a zero state carried through them, fed in chunks of
  10,000 as the PyTorch trainer's validation does (`charrnn eval` uses chunks of 1,000;
  the result is the same); us/char.

charrnn bench reports the median step (or block) time; this reports the mean over the window.
"""
from __future__ import annotations

import argparse
import json
import time

import torch
import torch.nn.functional as F

from .model import CELLS, CharRNN
from .train import validation_loss

CLIP = 5.0
TEMPERATURE = 0.8


def parse_args(argv=None):
    p = argparse.ArgumentParser(prog="python3 -m charrnn_torch.speed",
                                description="PyTorch training chars/s and batch-1 streaming us/char, "
                                            "as `charrnn bench` measures them.")
    p.add_argument("--cell", choices=CELLS, default="gru")
    p.add_argument("--embedding", type=int, default=256, help="embedding size E")
    p.add_argument("--hidden", type=int, default=512, help="hidden size H")
    p.add_argument("--layers", type=int, default=1, help="stacked recurrent layers L")
    p.add_argument("--vocab", type=int, default=65, help="vocabulary size V of the synthetic model")
    p.add_argument("--batch-size", type=int, default=64, help="sequences per training batch")
    p.add_argument("--seq-length", type=int, default=100, help="characters per training sequence")
    p.add_argument("--seconds", type=float, default=10.0, help="seconds to time training and streaming each")
    p.add_argument("--threads", type=int, default=2, help="torch CPU threads")
    p.add_argument("--score-chars", type=int, default=100000, help="characters of random text to score")
    p.add_argument("--json", action="store_true", help="print one JSON line")
    a = p.parse_args(argv)
    for name in ("embedding", "hidden", "layers", "batch_size", "seq_length", "threads", "score_chars"):
        if getattr(a, name) < 1:
            p.error(f"--{name.replace('_', '-')} must be positive, got {getattr(a, name)}")
    if a.vocab < 2:
        p.error(f"--vocab must be at least 2, got {a.vocab}")
    if not a.seconds > 0:
        p.error(f"--seconds must be positive, got {a.seconds}")
    return a


def training_chars_per_second(model: CharRNN, batch: int, seq: int, seconds: float) -> float:
    vocab = model.embedding.num_embeddings
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.randint(0, vocab, (batch, seq))
    y = torch.randint(0, vocab, (batch, seq))

    def step():
        logits, _ = model(x)
        loss = F.cross_entropy(logits.reshape(-1, vocab), y.reshape(-1))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), CLIP)
        optimizer.step()

    for _ in range(2):
        step()
    steps, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        step()
        steps += 1
    return steps * batch * seq / (time.perf_counter() - start)


@torch.inference_mode()
def streaming_us_per_char(model: CharRNN, seconds: float) -> float:
    model.eval()
    state, token = None, torch.zeros(1, 1, dtype=torch.long)

    def step():
        nonlocal state, token
        logits, state = model(token, state)
        token = torch.multinomial(torch.softmax(logits[0, -1] / TEMPERATURE, -1), 1)[None]

    for _ in range(50):
        step()
    chars, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        step()
        chars += 1
    model.train()
    return (time.perf_counter() - start) / chars * 1e6


def scoring_us_per_char(model: CharRNN, chars: int) -> float:
    text = torch.randint(0, model.embedding.num_embeddings, (chars + 1,))
    start = time.perf_counter()
    validation_loss(model, text, "cpu")
    return (time.perf_counter() - start) / chars * 1e6


def main(argv=None):
    a = parse_args(argv)
    torch.manual_seed(0)
    torch.set_num_threads(a.threads)
    model = CharRNN(a.vocab, a.embedding, a.hidden, a.layers, a.cell)
    train = training_chars_per_second(model, a.batch_size, a.seq_length, a.seconds)
    stream = streaming_us_per_char(model, a.seconds)
    score = scoring_us_per_char(model, a.score_chars)
    if a.json:
        print(json.dumps({"torch": torch.__version__, "cell": a.cell, "emb": a.embedding, "hidden": a.hidden,
                          "layers": a.layers, "vocab": a.vocab, "batch": a.batch_size, "seq": a.seq_length,
                          "threads": a.threads, "precision": "f32", "train_chars_per_s": round(train),
                          "stream_us_per_char": round(stream, 1), "score_us_per_char": round(score, 1)}),
              flush=True)
    else:
        print(f"model:     {a.cell.upper()} {a.layers}×{a.hidden}, embedding {a.embedding}, V={a.vocab}, "
              f"batch {a.batch_size} × {a.seq_length} (torch {torch.__version__})")
        print(f"training:  {round(train):,} chars/s (mean over the window, {a.threads} threads)")
        print(f"streaming: {stream:.1f} µs/char (batch 1, T={TEMPERATURE} multinomial)")
        print(f"scoring:   {score:.1f} µs/char ({a.score_chars:,} chars, state carried)")


if __name__ == "__main__":
    main()
