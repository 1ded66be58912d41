"""Writes the PyTorch-made charrnn-v1 fixtures that CheckpointTests loads.

Run by hand (needs torch and safetensors; the Swift tests do not):
    python3 Tests/CharRNNTests/Fixtures/make_torch_checkpoints.py

Every parameter is a real torch state_dict tensor of Embedding / GRU or LSTM (batch_first) /
Linear, filled with value(t, i) = ((7*i + 13*t) % 19 - 9) / 16, where t is the tensor's index
in state_dict order and i the flat index: exact in F32, F16 and BF16, so the tests can
recompute every value. The vocab is written by json.dumps, i.e. with \\u escapes and
surrogate pairs, where charrnn itself writes UTF-8.
"""
import json
import os

import torch
from safetensors.torch import save_file
from torch import nn


class CharRNN(nn.Module):
    def __init__(self, cell, vocab_size, embedding_size, hidden_size, layers):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_size)
        rnn = nn.GRU if cell == "gru" else nn.LSTM
        self.rnn = rnn(embedding_size, hidden_size, num_layers=layers, batch_first=True)
        self.fc = nn.Linear(hidden_size, vocab_size)


def make(name, cell, dtype, vocab, embedding_size, hidden_size, layers, extra):
    model = CharRNN(cell, len(vocab), embedding_size, hidden_size, layers)
    state = model.state_dict()
    with torch.no_grad():
        for t, tensor in enumerate(state.values()):
            i = torch.arange(tensor.numel(), dtype=torch.float64)
            tensor.copy_((((7 * i + 13 * t) % 19 - 9) / 16).reshape(tensor.shape))
    state = {k: v.to(dtype).contiguous() for k, v in state.items()}
    metadata = {"format": "charrnn-v1", "cell": cell, "vocab": json.dumps(vocab), **extra}
    save_file(state, os.path.join(os.path.dirname(os.path.abspath(__file__)), name), metadata=metadata)


make("torch-gru-f32.safetensors", "gru", torch.float32,
     ["\n", " ", "\"", "\\", "a", "\u00e9", "\U0001F600", "[UNK]"], 3, 4, 2,
     {"dropout": "0.25", "epoch": "3", "corpus": "tiny\ttext"})
make("torch-lstm-bf16.safetensors", "lstm", torch.bfloat16, ["a", "b", "c"], 2, 3, 1, {})
