"""Writes the PyTorch-made charrnn-v1 fixtures that CheckpointTests loads.

Run by hand from the repository root (needs torch and safetensors; the Swift tests do not):
    python3 Tests/CharRNNTests/Fixtures/make_torch_checkpoints.py            # writes beside this file
    python3 Tests/CharRNNTests/Fixtures/make_torch_checkpoints.py --out DIR  # somewhere else

Every parameter is a real torch state_dict tensor of the project's PyTorch model
(python/charrnn_torch: Embedding / GRU or LSTM (batch_first) / Linear), filled with
value(t, i) = ((7*i + 13*t) % 19 - 9) / 16, where t is the tensor's index in state_dict order and
i the flat index: exact in F32, F16 and BF16, so the tests can recompute every value. The files
are written by the safetensors package (not charrnn_torch.save_charrnn, which writes F32 only),
and the vocab by json.dumps, i.e. with \\u escapes and surrogate pairs, where charrnn itself
writes UTF-8. The safetensors package writes the __metadata__ keys in an order that changes from
run to run (a Rust HashMap), so a remade file can differ from the committed one in that order alone.
"""
import argparse
import json
import os
import sys

import torch
from safetensors.torch import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "python"))
from charrnn_torch import CharRNN  # noqa: E402


def make(out, name, cell, dtype, vocab, embedding_size, hidden_size, layers, extra):
    model = CharRNN(len(vocab), embedding_size, hidden_size, layers, cell)
    state = model.state_dict()
    with torch.no_grad():
        for t, tensor in enumerate(state.values()):
            i = torch.arange(tensor.numel(), dtype=torch.float64)
            tensor.copy_((((7 * i + 13 * t) % 19 - 9) / 16).reshape(tensor.shape))
    state = {k: v.to(dtype).contiguous() for k, v in state.items()}
    metadata = {"format": "charrnn-v1", "cell": cell, "vocab": json.dumps(vocab), **extra}
    save_file(state, os.path.join(out, name), metadata=metadata)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=HERE)
    out = parser.parse_args().out
    os.makedirs(out, exist_ok=True)
    make(out, "torch-gru-f32.safetensors", "gru", torch.float32,
         ["\n", " ", "\"", "\\", "a", "\u00e9", "\U0001F600", "[UNK]"], 3, 4, 2,
         {"dropout": "0.25", "epoch": "3", "corpus": "tiny\ttext"})
    make(out, "torch-lstm-bf16.safetensors", "lstm", torch.bfloat16, ["a", "b", "c"], 2, 3, 1, {})


if __name__ == "__main__":
    main()
