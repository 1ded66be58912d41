"""Train a charrnn model in PyTorch and write charrnn-v1 checkpoints that `charrnn` (Swift) reads.

    python3 -m charrnn_torch.train --corpus corpora/shakespeare.txt --out shakespeare.safetensors
    torchrun --nproc-per-node 4 -m charrnn_torch.train --corpus ... --out ...   # DistributedDataParallel

Run from python/ (or with python/ on PYTHONPATH, or after `pip install -e python`). The flags mirror
`charrnn train` (not --stateful, --resume, --force). Data: the vocabulary is the corpus's distinct characters (sorted); the last
--val-fraction of the text is held out for validation; the rest is cut into non-overlapping windows
of --seq-length + 1 characters (input = first seq-length, target = last seq-length), shuffled each
epoch. --batch-size is per process: with N processes a step sees N x batch-size windows
(DistributedDataParallel averages the gradients). Each epoch, rank 0 measures the validation loss
(mean nats per character, zero state carried through the held-out text) and writes the checkpoint
when it is the best so far. The process group uses nccl on CUDA, gloo on CPU.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel

from .model import CharRNN, encode, save_charrnn, vocab_from_text


def parse_args(argv=None):
    p = argparse.ArgumentParser(prog="python3 -m charrnn_torch.train",
                                description="Train a char-level GRU/LSTM; writes charrnn-v1 checkpoints.")
    p.add_argument("--corpus", required=True, help="UTF-8 text file to train on")
    p.add_argument("--out", required=True, help="checkpoint to write (best validation loss)")
    p.add_argument("--cell", choices=["gru", "lstm"], default="gru")
    p.add_argument("--embedding", type=int, default=256, help="embedding size E")
    p.add_argument("--hidden", type=int, default=512, help="hidden size H")
    p.add_argument("--layers", type=int, default=1, help="stacked recurrent layers L")
    p.add_argument("--dropout", type=float, default=0.0, help="dropout between layers and before fc")
    p.add_argument("--seq-length", type=int, default=100, help="characters per training window")
    p.add_argument("--batch-size", type=int, default=64, help="windows per step, per process")
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--lr", type=float, default=2e-3, help="learning rate")
    p.add_argument("--optimizer", choices=["adam", "rmsprop"], default="adam",
                   help="torch.optim.Adam or torch.optim.RMSprop, default settings otherwise")
    p.add_argument("--clip", type=float, default=5.0, help="global gradient-norm clip (0: none)")
    p.add_argument("--val-fraction", type=float, default=0.1, help="last fraction of the text held out")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", default="auto", help="auto (cuda when available), cpu, cuda")
    p.add_argument("--threads", type=int, default=0, help="CPU threads per process (0: torch default)")
    a = p.parse_args(argv)
    for name in ("embedding", "hidden", "layers", "seq_length", "batch_size", "epochs"):
        if getattr(a, name) < 1:
            p.error(f"--{name.replace('_', '-')} must be positive, got {getattr(a, name)}")
    if not 0 <= a.dropout < 1:
        p.error(f"--dropout must be in [0, 1), got {a.dropout}")
    if not 0 < a.val_fraction < 1:
        p.error(f"--val-fraction must be in (0, 1), got {a.val_fraction}")
    if not (a.lr > 0 and math.isfinite(a.lr)):
        p.error(f"--lr must be positive, got {a.lr}")
    if a.clip < 0:
        p.error(f"--clip must be >= 0, got {a.clip}")
    return a


class Data:
    """The corpus as token ids, split into training windows and a held-out tail."""

    def __init__(self, text: str, val_fraction: float, seq_length: int):
        self.vocab = vocab_from_text(text)
        ids = encode(text, self.vocab)
        split = int(len(ids) * (1 - val_fraction))
        self.train, self.val = ids[:split], ids[split:]
        self.seq_length = seq_length
        # Windows of seq+1 starting every seq characters, as `charrnn train` and the reference
        # anchor cut them: inputs never overlap and every transition is trained on once.
        self.windows = (len(self.train) - 1) // seq_length

    def batches(self, batch: int, rank: int, world: int, generator: torch.Generator):
        """This rank's share of one epoch: (x [B, seq], y [B, seq]) pairs. Every rank draws the same
        permutation and takes every world-th batch, so all ranks take the same number of steps."""
        width = self.seq_length + 1
        order = torch.randperm(self.windows, generator=generator) * self.seq_length
        steps = self.windows // (batch * world)
        for step in range(steps):
            first = (step * world + rank) * batch
            starts = order[first:first + batch]
            window = self.train[starts[:, None] + torch.arange(width)[None, :]]  # [B, seq+1]
            yield window[:, :-1], window[:, 1:]


@torch.no_grad()
def validation_loss(model: CharRNN, ids: torch.Tensor, device, chunk: int = 10000) -> float:
    """Mean nats per character of ids[1:] given ids[:-1], zero state carried through all of it."""
    model.eval()
    total, count, state = 0.0, 0, None
    for start in range(0, len(ids) - 1, chunk):
        x = ids[start:start + chunk][None].to(device)
        y = ids[start + 1:start + chunk + 1][None].to(device)
        x = x[:, :y.shape[1]]
        logits, state = model(x, state)
        total += F.cross_entropy(logits[0], y[0], reduction="sum").item()
        count += y.numel()
    model.train()
    return total / count


def fail(message: str):
    sys.exit(f"charrnn_torch.train: error: {message}")


def main(argv=None):
    a = parse_args(argv)
    distributed = "WORLD_SIZE" in os.environ  # launched by torchrun (even with one process)
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    use_cuda = a.device == "cuda" or (a.device == "auto" and torch.cuda.is_available())
    if use_cuda and not torch.cuda.is_available():
        fail("--device cuda but CUDA is not available")
    if use_cuda and local_rank >= torch.cuda.device_count():
        fail(f"process {local_rank} on this node has no GPU ({torch.cuda.device_count()} visible): "
             "start at most one process per GPU, or use --device cpu")
    device = torch.device(f"cuda:{local_rank}" if use_cuda else "cpu")
    if use_cuda:
        torch.cuda.set_device(device)
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    if distributed:
        if use_cuda:
            dist.init_process_group("nccl", device_id=device)
        else:
            dist.init_process_group("gloo")

    try:
        text = open(a.corpus, encoding="utf-8").read()
    except OSError as error:
        fail(f"cannot read corpus {a.corpus}: {error.strerror}")
    except UnicodeDecodeError as error:
        fail(f"{a.corpus}: invalid UTF-8 at byte offset {error.start}")
    data = Data(text, a.val_fraction, a.seq_length)
    if data.windows < a.batch_size * world:
        fail(f"corpus too small: {data.windows} training windows of {a.seq_length + 1} characters, "
             f"need at least {a.batch_size * world} (batch size x processes)")
    if len(data.val) < 2:
        fail(f"validation text has {len(data.val)} characters; raise --val-fraction or use a longer corpus")

    torch.manual_seed(a.seed)  # the same initial weights on every rank
    model = CharRNN(len(data.vocab), a.embedding, a.hidden, a.layers, a.cell, a.dropout).to(device)
    trained = DistributedDataParallel(model, device_ids=[local_rank] if use_cuda else None) if distributed else model
    torch.manual_seed(a.seed + 1 + rank)  # different dropout masks per rank
    optimizer = (torch.optim.Adam if a.optimizer == "adam" else torch.optim.RMSprop)(model.parameters(), lr=a.lr)
    generator = torch.Generator().manual_seed(a.seed)
    if rank == 0:
        print(json.dumps({"vocab": len(data.vocab), "parameters": sum(p.numel() for p in model.parameters()),
                          "train_chars": len(data.train), "val_chars": len(data.val),
                          "processes": world, "device": str(device)}), flush=True)

    best, start_time, step = math.inf, time.time(), 0
    for epoch in range(1, a.epochs + 1):
        train_total, train_count = 0.0, 0
        for x, y in data.batches(a.batch_size, rank, world, generator):
            x, y = x.to(device), y.to(device)
            logits, _ = trained(x)
            loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            if a.clip > 0:
                torch.nn.utils.clip_grad_norm_(model.parameters(), a.clip)
            optimizer.step()
            train_total += loss.item()
            train_count += 1
            step += 1
        if rank == 0:
            val = validation_loss(model, data.val, device)
            improved = val < best
            if improved:
                best = val
                save_charrnn(model, data.vocab, a.out, corpus=os.path.basename(a.corpus), trainer="charrnn_torch",
                             epoch=epoch, step=step, val_loss=f"{val:.6f}", dropout=a.dropout, optimizer=a.optimizer,
                             seq_length=a.seq_length, batch_size=a.batch_size * world, lr=a.lr, seed=a.seed)
            print(json.dumps({"epoch": epoch, "step": step, "train_loss": round(train_total / train_count, 4),
                              "val_loss": round(val, 4), "best": round(best, 4), "saved": improved,
                              "s": round(time.time() - start_time, 1)}), flush=True)
        if distributed:
            dist.barrier()
    if distributed:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
