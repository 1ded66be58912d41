"""The Swift `charrnn` binary and PyTorch/Keras compute the same model from the same checkpoint.

1. A checkpoint from the PyTorch trainer run with DistributedDataParallel over 2 processes (gloo, CPU):
   `charrnn eval` gives PyTorch's nats/char, `charrnn generate --sampler greedy` PyTorch's greedy text.
2. A checkpoint from `charrnn train` loads with `load_charrnn` and gives `charrnn eval`'s nats/char.
3. Keras models (Embedding -> GRU(reset_after=True) or LSTM -> Dense, random weights) converted with
   charrnn_torch.keras_convert: `charrnn eval` gives Keras's mean NLL, and `charrnn generate --json`
   Keras's next-character probabilities along the greedy path.

Skipped unless the binary is built (`swift build` -> .build/debug/charrnn, or set $CHARRNN_BIN);
the Keras tests are skipped when tensorflow cannot be imported.
"""
import json
import os
import socket
import subprocess
import sys

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from charrnn_torch import encode, load_charrnn

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYTHON_DIR = os.path.join(ROOT, "python")
BINARY = os.environ.get("CHARRNN_BIN", os.path.join(ROOT, ".build", "debug", "charrnn"))
ENV = {**os.environ, "PYTHONPATH": PYTHON_DIR, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}

pytestmark = pytest.mark.skipif(not os.access(BINARY, os.X_OK), reason=f"{BINARY} is not built (swift build)")

CORPUS = ("the quick brown fox jumps over the lazy dog.\n"
          "pack my box with five dozen liquor jugs!\n") * 120  # 10,200 characters, 30 distinct
HELD_OUT = "a lazy fox jumps over the quick brown dog!\nfive liquor jugs pack my dozen boxes.\n"
PRIMES = ["the ", "pack my ", "over the lazy ", "jugs!\n", "five dozen "]
LENGTH = 100
NEAR_TIE = 1e-4  # top-2 logit gap under which PyTorch and Swift may rightly pick different characters


def charrnn(*args):
    result = subprocess.run([BINARY, *args], capture_output=True, env=ENV, timeout=300)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    return result.stdout


def swift_nats_per_char(checkpoint, text_file):
    report = json.loads(charrnn("eval", "--checkpoint", str(checkpoint), "--text", str(text_file), "--json"))
    return report["nats_per_char"]


@torch.no_grad()
def torch_nats_per_char(model, vocab, text):
    ids = encode(text, vocab)
    return F.cross_entropy(model(ids[None, :-1])[0][0], ids[1:]).item()


@torch.no_grad()
def torch_greedy(model, vocab, prime, length):
    """PyTorch's greedy continuation of `prime`, fed one character at a time from the zero state,
    and the smallest gap between the two largest logits over its steps."""
    state, smallest_gap, out = None, float("inf"), []
    for token in encode(prime, vocab).tolist():
        logits, state = model(torch.tensor([[token]]), state)
    for _ in range(length):
        top2 = logits[0, -1].topk(2)
        smallest_gap = min(smallest_gap, (top2.values[0] - top2.values[1]).item())
        token = top2.indices[0].item()
        out.append(vocab[token])
        logits, state = model(torch.tensor([[token]]), state)
    return "".join(out), smallest_gap


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_ddp_training(corpus, out):
    """Two gloo processes on the loopback interface (never the host name, which some machines map to
    an address gloo cannot use), on a free port. A launch whose ranks die of a signal before the
    first epoch line (the transport, not the trainer) is tried once more; the first failure's
    output is printed, so it shows in pytest's captured output."""
    env = {**ENV, "GLOO_SOCKET_IFNAME": "lo", "MASTER_ADDR": "127.0.0.1"}
    for attempt in (1, 2):
        result = subprocess.run(
            [sys.executable, "-m", "torch.distributed.run", "--nproc-per-node", "2",
             "--master-addr", "127.0.0.1", "--master-port", str(free_port()), "-m", "charrnn_torch.train",
             "--corpus", str(corpus), "--out", str(out), "--cell", "gru", "--layers", "2", "--embedding", "8",
             "--hidden", "24", "--seq-length", "20", "--batch-size", "4", "--epochs", "2", "--lr", "0.01",
             "--seed", "1", "--device", "cpu", "--threads", "1"],
            cwd=PYTHON_DIR, capture_output=True, text=True, env=env, timeout=300)
        launch_failed = result.returncode != 0 and '"epoch"' not in result.stdout and "Signal" in result.stderr
        if not launch_failed or attempt == 2:
            return result
        print(f"torch.distributed.run failed to launch (attempt {attempt}), trying again:\n{result.stderr}")


def test_ddp_checkpoint_from_the_pytorch_trainer_evaluates_and_generates_as_in_pytorch(tmp_path):
    corpus, out, held_out = tmp_path / "corpus.txt", tmp_path / "ddp.safetensors", tmp_path / "held_out.txt"
    corpus.write_text(CORPUS, encoding="utf-8")
    held_out.write_text(HELD_OUT, encoding="utf-8")
    result = run_ddp_training(corpus, out)
    assert result.returncode == 0, result.stderr
    assert '"processes": 2' in result.stdout
    model, vocab, _ = load_charrnn(str(out))

    assert swift_nats_per_char(out, held_out) == pytest.approx(torch_nats_per_char(model, vocab, HELD_OUT), rel=1e-4)

    # The first prime whose 100 greedy steps have no near-tie: float rounding cannot flip its argmaxes.
    for prime in PRIMES:
        expected, gap = torch_greedy(model, vocab, prime, LENGTH)
        if gap >= NEAR_TIE:
            break
    else:
        pytest.fail(f"every prime meets a top-2 logit gap under {NEAR_TIE}")
    assert len(set(expected)) >= 3, f"the model barely learned: {expected!r}"
    generated = charrnn("generate", "--checkpoint", str(out), "--prime", prime, "--length", str(LENGTH),
                        "--sampler", "greedy", "--seed", "0")
    assert generated == (prime + expected).encode("utf-8")


@pytest.mark.parametrize("cell,layers", [("gru", 1), ("lstm", 2)])
def test_checkpoint_from_charrnn_train_evaluates_as_in_pytorch(tmp_path, cell, layers):
    corpus, out, held_out = tmp_path / "corpus.txt", tmp_path / "swift.safetensors", tmp_path / "held_out.txt"
    corpus.write_text(CORPUS, encoding="utf-8")
    held_out.write_text(HELD_OUT, encoding="utf-8")
    charrnn("train", "--corpus", str(corpus), "--out", str(out), "--embedding", "8", "--hidden", "16",
            "--layers", str(layers), "--cell", cell, "--batch-size", "8", "--seq-length", "20", "--epochs", "2",
            "--seed", "3")
    model, vocab, _ = load_charrnn(str(out))
    assert model.config["cell"] == cell and model.config["layers"] == layers and vocab == sorted(set(CORPUS))

    assert torch_nats_per_char(model, vocab, HELD_OUT) == pytest.approx(swift_nats_per_char(out, held_out), rel=1e-4)


def keras_model(keras, cell, vocab_size, seed):
    """Embedding(V, 8) -> GRU(16, reset_after=True) or LSTM(16) -> Dense(V), stateful with batch 1,
    random weights."""
    rnn = keras.layers.GRU(16, return_sequences=True, stateful=True, reset_after=True) if cell == "gru" \
        else keras.layers.LSTM(16, return_sequences=True, stateful=True)
    model = keras.Sequential([keras.Input(batch_shape=(1, None), dtype="int32"),
                              keras.layers.Embedding(vocab_size, 8), rnn, keras.layers.Dense(vocab_size)])
    rng = np.random.default_rng(seed)
    model.set_weights([rng.normal(scale=0.5, size=w.shape).astype(np.float32) for w in model.get_weights()])
    return model


def keras_probabilities(model, tokens):
    """Softmax [len(tokens), V] (float64) after each token, continuing the stateful model's state."""
    logits = model(np.array([tokens], dtype=np.int32)).numpy()[0].astype(np.float64)
    e = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def reset(model):
    for layer in model.layers:
        if getattr(layer, "stateful", False):
            layer.reset_states()


@pytest.mark.parametrize("cell", ["gru", "lstm"])
def test_converted_keras_model_gives_keras_probabilities_in_charrnn(tmp_path, cell):
    pytest.importorskip("tensorflow", reason="tensorflow-cpu is not installed")
    import keras
    from charrnn_torch.keras_convert import save_converted, tutorial_vocab

    vocab = tutorial_vocab(CORPUS)  # ["[UNK]"] + sorted(set(CORPUS)), as StringLookup builds it
    model = keras_model(keras, cell, len(vocab), seed=7)
    checkpoint, text_file = tmp_path / "keras.safetensors", tmp_path / "text.txt"
    save_converted(model, vocab, str(checkpoint))
    text_file.write_text(HELD_OUT, encoding="utf-8")

    ids = encode(HELD_OUT, vocab).tolist()
    reset(model)
    probabilities = keras_probabilities(model, ids[:-1])
    keras_nll = -np.mean(np.log(probabilities[np.arange(len(ids) - 1), ids[1:]]))
    assert swift_nats_per_char(checkpoint, text_file) == pytest.approx(keras_nll, rel=1e-4)

    prime = "the "
    steps = [json.loads(line) for line in charrnn(
        "generate", "--checkpoint", str(checkpoint), "--prime", prime, "--length", "60", "--sampler", "greedy",
        "--seed", "0", "--json").decode("utf-8").splitlines()]
    assert len(steps) == 60
    reset(model)
    p = keras_probabilities(model, encode(prime, vocab).tolist())[-1]
    for step in steps:
        assert len(step["top"]) == 5
        for entry in step["top"]:
            assert entry["p"] == pytest.approx(p[entry["token"]], abs=1e-5), (step["step"], entry)
        fifth_largest = np.sort(p)[-5]
        assert all(p[entry["token"]] >= fifth_largest - 1e-5 for entry in step["top"]), step["step"]
        assert p[step["token"]] >= p.max() - 1e-5, f"step {step['step']}: greedy chose a token Keras ranks lower"
        p = keras_probabilities(model, [step["token"]])[-1]  # Keras follows charrnn's greedy path
