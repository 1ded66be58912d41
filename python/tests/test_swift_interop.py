"""The Swift `charrnn` binary reads checkpoints written here and agrees with PyTorch.

Skipped unless the binary is built (.build/debug/charrnn, or $CHARRNN_BIN) and has the subcommand.
The eval test runs `charrnn eval --checkpoint CKPT --text FILE --json` and reads nats_per_char (it
reads `charrnn eval --help` and falls back to positional arguments and a "nats" number in plain
output if those flags change).
"""
import json
import os
import re
import subprocess
import sys

import pytest
import torch
import torch.nn.functional as F

from charrnn_torch import CharRNN, encode, load_charrnn, save_charrnn, vocab_from_text

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.environ.get("CHARRNN_BIN", os.path.join(ROOT, ".build", "debug", "charrnn"))
FIXTURES = os.path.join(ROOT, "Tests", "CharRNNTests", "Fixtures")


def help_of(subcommand):
    if not os.access(BINARY, os.X_OK):
        pytest.skip(f"{BINARY} is not built (swift build)")
    listing = subprocess.run([BINARY, "--help"], capture_output=True, text=True, timeout=60).stdout
    if not re.search(rf"^\s+{subcommand}\s", listing, re.MULTILINE):
        pytest.skip(f"charrnn has no `{subcommand}` subcommand yet")
    result = subprocess.run([BINARY, subcommand, "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_info_reads_a_python_checkpoint(tmp_path):
    help_of("info")
    torch.manual_seed(0)
    vocab = vocab_from_text("Ça va? 😀\n")
    path = tmp_path / "py.safetensors"
    save_charrnn(CharRNN(len(vocab), 3, 5, 2, "lstm"), vocab, str(path), corpus="interop")
    result = subprocess.run([BINARY, "info", str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "LSTM 2×5, embedding 3, V=7" in result.stdout and "corpus: interop" in result.stdout
    assert "😀" in result.stdout and "Ç" in result.stdout


def test_info_rejects_a_broken_checkpoint_with_one_line(tmp_path):
    help_of("info")
    path = tmp_path / "broken.safetensors"
    path.write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00{}      ")
    result = subprocess.run([BINARY, "info", str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and len(result.stderr.strip().splitlines()) == 1


def eval_nats(help_text, checkpoint, text_file):
    args = [BINARY, "eval"]
    args += ["--checkpoint", checkpoint] if "--checkpoint" in help_text else [checkpoint]
    flag = next((f for f in ("--text", "--file", "--input") if f in help_text), None)
    args += [flag, text_file] if flag else [text_file]
    args += ["--json"] if "--json" in help_text else []
    result = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    try:
        return float(json.loads(result.stdout)["nats_per_char"])
    except (ValueError, KeyError, TypeError):
        match = re.search(r"nats[^0-9\n]*([0-9]+\.[0-9]+)", result.stdout) or \
            re.search(r"([0-9]+\.[0-9]+)\s*nats", result.stdout)
        assert match, f"no nats/char in: {result.stdout!r}"
        return float(match.group(1))


@pytest.mark.parametrize("name", ["tiny-gru", "tiny-lstm"])
def test_eval_agrees_with_pytorch(name):
    help_text = help_of("eval")
    checkpoint = os.path.join(FIXTURES, f"{name}.safetensors")
    text_file = os.path.join(FIXTURES, f"{name}.eval.txt")
    model, vocab, _ = load_charrnn(checkpoint)
    ids = encode(open(text_file, encoding="utf-8").read(), vocab)
    with torch.no_grad():
        expected = F.cross_entropy(model(ids[None, :-1])[0][0], ids[1:]).item()
    assert eval_nats(help_text, checkpoint, text_file) == pytest.approx(expected, abs=1e-4)


def test_eval_reads_a_checkpoint_from_the_pytorch_trainer(tmp_path):
    help_text = help_of("eval")
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("to be, or not to be: that is the question.\n" * 60, encoding="utf-8")
    out = tmp_path / "trained.safetensors"
    result = subprocess.run(
        [sys.executable, "-m", "charrnn_torch.train", "--corpus", str(corpus), "--out", str(out), "--cell", "lstm",
         "--layers", "2", "--embedding", "6", "--hidden", "12", "--seq-length", "16", "--batch-size", "4",
         "--epochs", "1", "--threads", "1", "--device", "cpu"], cwd=os.path.join(ROOT, "python"), capture_output=True, text=True,
        timeout=300)
    assert result.returncode == 0, result.stderr
    sample = tmp_path / "sample.txt"
    sample.write_text("that is the question: to be, or not.", encoding="utf-8")
    model, vocab, _ = load_charrnn(str(out))
    ids = encode(sample.read_text(encoding="utf-8"), vocab)
    with torch.no_grad():
        expected = F.cross_entropy(model(ids[None, :-1])[0][0], ids[1:]).item()
    assert eval_nats(help_text, str(out), str(sample)) == pytest.approx(expected, abs=1e-4)
