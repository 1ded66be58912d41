"""The charrnn model in PyTorch, and charrnn-v1 checkpoints.

`CharRNN` is the project's PyTorch anchor model: Embedding(V, E) -> GRU/LSTM(H, L layers,
batch_first) -> Dropout -> Linear(H, V). Its `state_dict` names are the tensor names of a
charrnn-v1 checkpoint, so the Swift engine and this module read each other's files.

charrnn-v1 = a safetensors file of F32 tensors
    embedding.weight [V, E]
    rnn.weight_ih_l{k} [G*H, E or H], rnn.weight_hh_l{k} [G*H, H],
    rnn.bias_ih_l{k} [G*H], rnn.bias_hh_l{k} [G*H]          for k in 0..<L  (G = 3 GRU, 4 LSTM)
    fc.weight [V, H], fc.bias [V]
with __metadata__ format="charrnn-v1", cell="gru"|"lstm", vocab=JSON array of V strings
(each one Unicode scalar, or "[UNK]"; index = token id), plus optional string keys.
"""
from __future__ import annotations

import json
import re
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn as nn

from . import safetensors_io

FORMAT = "charrnn-v1"
UNKNOWN = "[UNK]"
CELLS = ("gru", "lstm")


class CheckpointError(ValueError):
    """A checkpoint that cannot be read as charrnn-v1; the message is one line naming the file."""


class CharRNN(nn.Module):
    def __init__(self, vocab: int, emb: int, hidden: int, layers: int, cell: str, dropout: float = 0.0):
        super().__init__()
        if cell not in CELLS:
            raise ValueError(f"cell must be gru or lstm, got {cell!r}")
        self.cell = cell
        self.embedding = nn.Embedding(vocab, emb)
        rnn = nn.GRU if cell == "gru" else nn.LSTM
        self.rnn = rnn(emb, hidden, layers, batch_first=True, dropout=dropout if layers > 1 else 0.0)
        self.drop = nn.Dropout(dropout)
        self.fc = nn.Linear(hidden, vocab)

    def forward(self, x: torch.Tensor, state=None):
        """x [B, T] token ids -> (logits [B, T, V], state: h [L, B, H] or (h, c) for LSTM)."""
        y, state = self.rnn(self.embedding(x), state)
        return self.fc(self.drop(y)), state

    @property
    def config(self) -> Dict[str, object]:
        return {"cell": self.cell, "vocab": self.embedding.num_embeddings,
                "emb": self.embedding.embedding_dim, "hidden": self.rnn.hidden_size,
                "layers": self.rnn.num_layers, "dropout": self.drop.p}


def vocab_from_text(text: str) -> List[str]:
    """The vocabulary of a corpus: its distinct characters (Unicode scalars) sorted by code point."""
    return sorted(set(text))


def encode(text: str, vocab: Sequence[str]) -> torch.Tensor:
    """Token ids [len(text)] of a text; characters outside `vocab` map to [UNK] or raise."""
    ids = {s: i for i, s in enumerate(vocab) if s != UNKNOWN}
    unknown = vocab.index(UNKNOWN) if UNKNOWN in vocab else None
    out = []
    for ch in text:
        i = ids.get(ch, unknown)
        if i is None:
            raise ValueError(f"character {ch!r} is outside the vocabulary")
        out.append(i)
    return torch.tensor(out, dtype=torch.long)


def parameter_shapes(cell: str, vocab: int, emb: int, hidden: int, layers: int) -> Dict[str, Tuple[int, ...]]:
    """Every parameter's name and shape, in PyTorch state_dict order."""
    gates = (3 if cell == "gru" else 4) * hidden
    shapes: Dict[str, Tuple[int, ...]] = {"embedding.weight": (vocab, emb)}
    for k in range(layers):
        shapes[f"rnn.weight_ih_l{k}"] = (gates, emb if k == 0 else hidden)
        shapes[f"rnn.weight_hh_l{k}"] = (gates, hidden)
        shapes[f"rnn.bias_ih_l{k}"] = (gates,)
        shapes[f"rnn.bias_hh_l{k}"] = (gates,)
    shapes["fc.weight"] = (vocab, hidden)
    shapes["fc.bias"] = (vocab,)
    return shapes


def check_vocab(vocab: Sequence[str]) -> None:
    seen = set()
    for i, s in enumerate(vocab):
        if not isinstance(s, str) or (s != UNKNOWN and len(s) != 1):
            raise ValueError(f"vocabulary entry {i} is not a single Unicode scalar or [UNK]: {s!r}")
        if s in seen:
            raise ValueError(f"vocabulary entry {i} repeats {s!r}")
        seen.add(s)
    if not vocab:
        raise ValueError("vocabulary is empty")


def state_tensors(model: CharRNN) -> Dict[str, np.ndarray]:
    """The model's parameters as little-endian float32 arrays, keyed by state_dict name."""
    return {name: t.detach().to("cpu", torch.float32).contiguous().numpy()
            for name, t in model.state_dict().items()}


def save_charrnn(model: CharRNN, vocab: Sequence[str], path: str, **metadata: str) -> None:
    """Writes `model` and `vocab` as a charrnn-v1 checkpoint (atomically). Extra keyword
    arguments become string metadata (values are converted with str())."""
    vocab = list(vocab)
    check_vocab(vocab)
    if len(vocab) != model.embedding.num_embeddings:
        raise ValueError(f"vocabulary has {len(vocab)} entries, model has {model.embedding.num_embeddings}")
    meta = {key: str(value) for key, value in metadata.items()}
    meta.update({"format": FORMAT, "cell": model.cell, "vocab": json.dumps(vocab, ensure_ascii=False)})
    safetensors_io.save(state_tensors(model), path, meta)


def load_charrnn(path: str, map_location: str = "cpu") -> Tuple[CharRNN, List[str], Dict[str, str]]:
    """Reads a charrnn-v1 checkpoint -> (model in eval mode, vocab, metadata)."""
    def fail(message: str) -> CheckpointError:
        return CheckpointError(f"{path}: {message}")

    try:
        tensors, metadata = safetensors_io.load(path)
    except safetensors_io.SafetensorsError as error:
        raise CheckpointError(str(error)) from None
    if metadata.get("format") != FORMAT:
        raise fail(f"format is {metadata.get('format')!r}, expected {FORMAT!r}")
    cell = metadata.get("cell")
    if cell not in CELLS:
        raise fail(f"cell is {cell!r}, expected gru or lstm")
    try:
        vocab = json.loads(metadata.get("vocab", ""))
        if not isinstance(vocab, list):
            raise ValueError("vocab is not a JSON array")
        check_vocab(vocab)
    except ValueError as error:
        raise fail(f"bad vocab metadata: {error}") from None
    for name, array in tensors.items():
        if array.dtype != np.dtype("<f4"):
            raise fail(f"tensor {name} is {array.dtype}, expected F32")

    if "embedding.weight" not in tensors or "rnn.weight_hh_l0" not in tensors:
        raise fail("missing embedding.weight or rnn.weight_hh_l0")
    if tensors["embedding.weight"].ndim != 2 or tensors["rnn.weight_hh_l0"].ndim != 2:
        raise fail("embedding.weight and rnn.weight_hh_l0 must be matrices")
    vocab_size, emb = tensors["embedding.weight"].shape
    hidden = tensors["rnn.weight_hh_l0"].shape[1]
    layers = sum(1 for name in tensors if re.fullmatch(r"rnn\.weight_ih_l\d+", name))
    if vocab_size != len(vocab):
        raise fail(f"embedding has {vocab_size} rows but the vocabulary has {len(vocab)} entries")
    if min(vocab_size, emb, hidden, layers) < 1:
        raise fail(f"empty dimension: V={vocab_size} E={emb} H={hidden} L={layers}")
    expected = parameter_shapes(cell, vocab_size, emb, hidden, layers)
    missing = sorted(set(expected) - set(tensors))
    unexpected = sorted(set(tensors) - set(expected))
    if missing or unexpected:
        raise fail(f"tensors do not match a {cell} with {layers} layer(s): "
                   f"missing {missing}, unexpected {unexpected}")
    for name, shape in expected.items():
        if tuple(tensors[name].shape) != shape:
            raise fail(f"tensor {name} has shape {list(tensors[name].shape)}, expected {list(shape)}")

    try:
        dropout = float(metadata.get("dropout", "0"))
    except ValueError:
        dropout = 0.0
    model = CharRNN(vocab_size, emb, hidden, layers, cell, dropout if 0 <= dropout < 1 else 0.0)
    model.load_state_dict({name: torch.from_numpy(tensors[name]) for name in expected})
    model.to(map_location).eval()
    return model, vocab, metadata
