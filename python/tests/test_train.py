"""charrnn_torch.train: data windows, a short run, the torchrun (DistributedDataParallel) path."""
import json
import math
import os
import random
import subprocess
import sys

import pytest
import torch
import torch.nn.functional as F

from charrnn_torch import encode, load_charrnn
from charrnn_torch.train import Data

PYTHON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEXT = ("the quick brown fox jumps over the lazy dog.\n"
        "pack my box with five dozen liquor jugs!\n") * 120  # 10,200 characters


def test_windows_of_seq_plus_one_start_every_seq_and_are_split_between_ranks():
    rng = random.Random(0)
    text = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz .,\n") for _ in range(3000))  # no repeats of 10
    data = Data(text, val_fraction=0.1, seq_length=9)
    assert data.vocab == sorted(set(text))
    assert len(data.train) == int(len(text) * 0.9) and len(data.train) + len(data.val) == len(text)
    train_text = text[:len(data.train)]
    starts = {}
    for rank in range(2):
        batches = list(data.batches(4, rank, 2, torch.Generator().manual_seed(3)))
        assert len(batches) == data.windows // 8
        starts[rank] = []
        for x, y in batches:
            assert x.shape == y.shape == (4, 9)
            assert torch.equal(x[:, 1:], y[:, :-1])
            for row_x, row_y in zip(x, y):
                window = "".join(data.vocab[i] for i in row_x.tolist() + row_y[-1:].tolist())
                start = train_text.find(window)
                assert start % 9 == 0  # windows of seq+1 = 10 start every seq = 9 characters
                starts[rank].append(start)
    both = starts[0] + starts[1]
    assert len(set(both)) == len(both)  # no window used twice in an epoch, nor by both ranks
    assert len(both) == 8 * (data.windows // 8)
    assert starts[0] != sorted(starts[0])  # shuffled
    again = [train_text.find("".join(data.vocab[i] for i in row.tolist()))
             for x, _ in data.batches(4, 0, 2, torch.Generator().manual_seed(4)) for row in x]
    assert again != starts[0]  # the seed decides the order


def run(args, tmp_path, launcher=()):
    corpus = tmp_path / "corpus.txt"
    corpus.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "model.safetensors"
    command = [sys.executable, *launcher, "-m", "charrnn_torch.train", "--corpus", str(corpus), "--out", str(out),
               "--threads", "1", "--device", "cpu", *args]
    env = {**os.environ, "PYTHONPATH": PYTHON_DIR, "OMP_NUM_THREADS": "1"}
    return subprocess.run(command, cwd=PYTHON_DIR, capture_output=True, text=True, env=env, timeout=300), out


def epochs(stdout):
    return [json.loads(line) for line in stdout.splitlines() if line.startswith('{"epoch"')]


def test_training_learns_and_saves_the_best_checkpoint(tmp_path):
    result, out = run(["--embedding", "8", "--hidden", "32", "--seq-length", "20", "--batch-size", "8",
                       "--epochs", "4", "--lr", "0.01", "--seed", "1"], tmp_path)
    assert result.returncode == 0, result.stderr
    lines = epochs(result.stdout)
    assert [line["epoch"] for line in lines] == [1, 2, 3, 4]
    best = min(line["val_loss"] for line in lines)
    assert best < 0.6 * math.log(len(set(TEXT)))  # learned something
    model, vocab, metadata = load_charrnn(str(out))
    assert vocab == sorted(set(TEXT)) and metadata["trainer"] == "charrnn_torch"
    assert float(metadata["val_loss"]) == pytest.approx(best, abs=1e-4)
    val = encode(TEXT[int(len(TEXT) * 0.9):], vocab)
    with torch.no_grad():
        nll = F.cross_entropy(model(val[None, :-1])[0][0], val[1:]).item()
    assert nll == pytest.approx(best, abs=1e-4)


def test_lstm_with_dropout_and_layers(tmp_path):
    result, out = run(["--cell", "lstm", "--layers", "2", "--dropout", "0.2", "--optimizer", "rmsprop", "--embedding", "4", "--hidden", "8",
                       "--seq-length", "16", "--batch-size", "4", "--epochs", "1"], tmp_path)
    assert result.returncode == 0, result.stderr
    model, _, metadata = load_charrnn(str(out))
    assert model.config["cell"] == "lstm" and model.config["layers"] == 2
    assert metadata["optimizer"] == "rmsprop"
    assert metadata["dropout"] == "0.2" and model.config["dropout"] == pytest.approx(0.2)


def test_torchrun_with_two_processes(tmp_path):
    result, out = run(["--embedding", "8", "--hidden", "16", "--seq-length", "20", "--batch-size", "4",
                       "--epochs", "2"], tmp_path, launcher=("-m", "torch.distributed.run", "--nproc-per-node", "2"))
    assert result.returncode == 0, result.stderr[-2000:]
    lines = epochs(result.stdout)
    assert len(lines) == 2  # rank 0 alone reports
    windows = (int(len(TEXT) * 0.9) - 1) // 20
    assert lines[-1]["step"] == 2 * (windows // 8)  # each step takes 2 x 4 windows
    _, _, metadata = load_charrnn(str(out))
    assert metadata["batch_size"] == "8"
    assert '"processes": 2' in result.stdout


@pytest.mark.parametrize("args,message", [
    (["--batch-size", "10000"], "corpus too small"),
    (["--val-fraction", "1.5"], "--val-fraction must be in (0, 1)"),
    (["--hidden", "0"], "--hidden must be positive"),
])
def test_bad_settings_fail_with_one_line(tmp_path, args, message):
    result, out = run(args, tmp_path)
    assert result.returncode != 0
    assert message in result.stderr.strip().splitlines()[-1]
    assert "Traceback" not in result.stderr
    assert not out.exists()
