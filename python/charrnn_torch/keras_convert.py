"""Convert a Keras character model (Embedding -> GRU/LSTM layer(s) -> Dense) to a charrnn-v1 checkpoint.

This is the model of TensorFlow's "Text generation with an RNN" tutorial (Embedding, GRU with
return_sequences, Dense), and its stacked or LSTM variants.

    python3 -m charrnn_torch.keras_convert model.keras --vocab vocab.json --out model.safetensors
    python3 -m charrnn_torch.keras_convert model.keras --vocab-from-corpus shakespeare.txt --out ...

or from Python, with a model object (e.g. the tutorial's subclassed `MyModel`, which a .keras file
cannot rebuild without its class):

    from charrnn_torch.keras_convert import convert, save_converted
    save_converted(model, ids_from_chars.get_vocabulary(), "model.safetensors")

Vocabulary: the list the model's token ids index, i.e. the tutorial's
`ids_from_chars.get_vocabulary()` (saved with json.dump), or rebuilt from the training text with
--vocab-from-corpus, which is what the tutorial's `StringLookup(vocabulary=sorted(set(text)),
mask_token=None)` gives: ["[UNK]"] + sorted(set(text)). Entries stay as they are ("[UNK]" stays
[UNK]), except the mask/padding entry "" (present when StringLookup has mask_token=""), which
becomes U+0000: a placeholder scalar that real text does not contain, so its id is never fed in.

Weight mapping (Keras stores kernels as [input, gates*H]; PyTorch as [gates*H, input]):
  GRU  (reset_after=True): Keras gate blocks z, r, h -> PyTorch r, z, n; kernel and recurrent_kernel
       transposed; bias [2, 3H] = (input bias, recurrent bias) -> bias_ih_l{k}, bias_hh_l{k}.
  LSTM: Keras gate blocks i, f, c, o = PyTorch i, f, g, o; kernels transposed; bias [4H] ->
       bias_ih_l{k}, and bias_hh_l{k} = 0.
  Embedding.embeddings [V, E] -> embedding.weight; Dense kernel [H, V] -> fc.weight = kernel^T,
  Dense bias -> fc.bias (a softmax activation on the Dense is dropped: charrnn's logits are its input).
Rejected with a message: GRU with reset_after=False, Bidirectional, go_backwards, activations other
than tanh/sigmoid, mixed GRU and LSTM layers, layers other than Embedding, GRU, LSTM, Dense,
Dropout and InputLayer, and shapes that do not chain.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import List, Sequence, Tuple

import numpy as np
import torch

from .model import UNKNOWN, CharRNN, check_vocab, save_charrnn, vocab_from_text

MASK_PLACEHOLDER = "\u0000"
PASS_THROUGH = {"Dropout", "InputLayer", "SpatialDropout1D"}  # no parameters, identity at inference


class KerasConversionError(ValueError):
    """A Keras model or vocabulary that has no charrnn-v1 equivalent; the message says why."""


def _layers(model) -> list:
    """The model's layers in order, with nested models flattened."""
    out = []
    for layer in getattr(model, "layers", [model]):
        if hasattr(layer, "layers") and type(layer).__name__ in ("Sequential", "Functional", "Model"):
            out.extend(_layers(layer))
        else:
            out.append(layer)
    return out


def _kind(layer) -> str:
    return type(layer).__name__


def _activation(config, key) -> str:
    value = config.get(key)
    return value if isinstance(value, str) or value is None else getattr(value, "__name__", str(value))


def convert_vocab(vocab: Sequence[str]) -> List[str]:
    """Keras StringLookup vocabulary -> charrnn vocabulary ("" -> U+0000, everything else as is)."""
    vocab = list(vocab)
    if "" in vocab:
        if MASK_PLACEHOLDER in vocab:
            raise KerasConversionError("vocabulary has both the mask entry \"\" and U+0000; cannot map \"\"")
        vocab = [MASK_PLACEHOLDER if s == "" else s for s in vocab]
    for i, s in enumerate(vocab):
        if not isinstance(s, str) or (s != UNKNOWN and len(s) != 1):
            raise KerasConversionError(
                f"vocabulary entry {i} is {s!r}: charrnn needs one character (Unicode scalar) per token, or [UNK]")
    try:
        check_vocab(vocab)
    except ValueError as error:
        raise KerasConversionError(str(error)) from None
    return vocab


def tutorial_vocab(text: str) -> List[str]:
    """The tutorial's StringLookup(vocabulary=sorted(set(text)), mask_token=None).get_vocabulary()."""
    return [UNKNOWN] + vocab_from_text(text)


def _check_rnn(layer, index: int) -> None:
    kind, config = _kind(layer), layer.get_config()
    where = f"layer {index} ({kind} {layer.name!r})"
    if kind == "GRU" and not config.get("reset_after", False):
        raise KerasConversionError(
            f"{where}: GRU with reset_after=False applies the reset gate before the recurrent matmul; "
            "PyTorch and charrnn use reset_after=True (the Keras 2+ default)")
    if config.get("go_backwards"):
        raise KerasConversionError(f"{where}: go_backwards=True is not supported (charrnn reads forwards)")
    if _activation(config, "activation") != "tanh" or _activation(config, "recurrent_activation") != "sigmoid":
        raise KerasConversionError(
            f"{where}: activation {_activation(config, 'activation')!r} / recurrent_activation "
            f"{_activation(config, 'recurrent_activation')!r}; charrnn needs tanh / sigmoid")


def _gru_weights(weights, hidden: int, use_bias: bool):
    kernel, recurrent = weights[0], weights[1]  # [in, 3H], [H, 3H]; gate blocks z, r, h
    bias = weights[2] if use_bias else np.zeros((2, 3 * hidden), np.float32)
    if bias.ndim != 2 or bias.shape[0] != 2:
        raise KerasConversionError(f"GRU bias has shape {list(bias.shape)}, expected [2, {3 * hidden}]")

    def reorder(m):  # last axis z, r, h -> r, z, n
        return np.concatenate([m[..., hidden:2 * hidden], m[..., :hidden], m[..., 2 * hidden:]], axis=-1)

    return reorder(kernel).T, reorder(recurrent).T, reorder(bias[0]), reorder(bias[1])


def _lstm_weights(weights, hidden: int, use_bias: bool):
    kernel, recurrent = weights[0], weights[1]  # [in, 4H], [H, 4H]; gate blocks i, f, c, o = i, f, g, o
    bias = weights[2] if use_bias else np.zeros(4 * hidden, np.float32)
    return kernel.T, recurrent.T, bias, np.zeros_like(bias)


def convert(model, vocab: Sequence[str]) -> Tuple[CharRNN, List[str]]:
    """A Keras model and its token vocabulary -> (CharRNN with the same weights, charrnn vocabulary)."""
    vocab = convert_vocab(vocab)
    layers = [(i, layer) for i, layer in enumerate(_layers(model)) if _kind(layer) not in PASS_THROUGH]
    kinds = [_kind(layer) for _, layer in layers]
    for (i, layer), kind in zip(layers, kinds):
        if kind not in ("Embedding", "GRU", "LSTM", "Dense"):
            hint = " (charrnn runs one direction only)" if kind == "Bidirectional" else ""
            raise KerasConversionError(
                f"layer {i} ({kind} {layer.name!r}) is not supported{hint}: "
                "expected Embedding -> GRU or LSTM layer(s) -> Dense")
    if len(kinds) < 3 or kinds[0] != "Embedding" or kinds[-1] != "Dense" or \
            any(k not in ("GRU", "LSTM") for k in kinds[1:-1]):
        raise KerasConversionError(f"layers are {' -> '.join(kinds) or 'none'}; "
                                   "expected Embedding -> GRU or LSTM layer(s) -> Dense")
    rnns = [layer for _, layer in layers[1:-1]]
    cells = {_kind(layer) for layer in rnns}
    if len(cells) != 1:
        raise KerasConversionError("GRU and LSTM layers are mixed; charrnn stacks one kind of cell")
    cell = cells.pop().lower()

    embedding = layers[0][1].get_weights()[0]  # [V, E]
    if embedding.shape[0] != len(vocab):
        raise KerasConversionError(
            f"the Embedding has {embedding.shape[0]} rows but the vocabulary has {len(vocab)} entries")
    if layers[0][1].get_config().get("mask_zero") and vocab[0] != MASK_PLACEHOLDER:
        raise KerasConversionError("the Embedding has mask_zero=True but vocabulary entry 0 is not the mask \"\"")
    hidden = rnns[0].get_config()["units"]
    state = {"embedding.weight": embedding}
    width = embedding.shape[1]
    for k, layer in enumerate(rnns):
        index = layers[1 + k][0]
        _check_rnn(layer, index)
        config = layer.get_config()
        if config["units"] != hidden:
            raise KerasConversionError(f"layer {index} has {config['units']} units, layer 1 has {hidden}: "
                                       "charrnn needs one hidden size")
        weights = layer.get_weights()
        gates = (3 if cell == "gru" else 4) * hidden
        if weights[0].shape != (width, gates) or weights[1].shape != (hidden, gates):
            raise KerasConversionError(
                f"layer {index}: kernel {list(weights[0].shape)} / recurrent_kernel {list(weights[1].shape)}, "
                f"expected [{width}, {gates}] / [{hidden}, {gates}]")
        mapped = (_gru_weights if cell == "gru" else _lstm_weights)(weights, hidden, config.get("use_bias", True))
        for name, value in zip(("weight_ih", "weight_hh", "bias_ih", "bias_hh"), mapped):
            state[f"rnn.{name}_l{k}"] = value
        width = hidden

    dense_index, dense = layers[-1]
    config = dense.get_config()
    if _activation(config, "activation") not in ("linear", None, "softmax"):
        raise KerasConversionError(f"layer {dense_index}: Dense activation {_activation(config, 'activation')!r}; "
                                   "expected none (logits) or softmax")
    weights = dense.get_weights()
    kernel = weights[0]
    if kernel.shape != (hidden, len(vocab)):
        raise KerasConversionError(
            f"layer {dense_index}: Dense kernel {list(kernel.shape)}, expected [{hidden}, {len(vocab)}]")
    state["fc.weight"] = kernel.T
    state["fc.bias"] = weights[1] if config.get("use_bias", True) else np.zeros(len(vocab), np.float32)

    out = CharRNN(len(vocab), embedding.shape[1], hidden, len(rnns), cell)
    out.load_state_dict({name: torch.from_numpy(np.ascontiguousarray(value, dtype=np.float32))
                         for name, value in state.items()})
    return out.eval(), vocab


def save_converted(model, vocab: Sequence[str], path: str, **metadata: str) -> Tuple[CharRNN, List[str]]:
    """convert() and write the result as charrnn-v1 (metadata source="keras")."""
    converted, charrnn_vocab = convert(model, vocab)
    save_charrnn(converted, charrnn_vocab, path, source="keras", **metadata)
    return converted, charrnn_vocab


def main(argv=None):
    p = argparse.ArgumentParser(prog="python3 -m charrnn_torch.keras_convert",
                                description="Convert a Keras Embedding -> GRU/LSTM -> Dense model to charrnn-v1.")
    p.add_argument("model", help="a Keras model file (.keras or .h5)")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--vocab", help="JSON array: the StringLookup vocabulary (index = token id)")
    source.add_argument("--vocab-from-corpus", metavar="TEXT",
                        help="training text: vocabulary = [\"[UNK]\"] + sorted(set(text)), as in the tutorial")
    p.add_argument("--out", required=True, help="charrnn-v1 checkpoint to write")
    a = p.parse_args(argv)

    def fail(message):
        sys.exit(f"charrnn_torch.keras_convert: error: {message}")

    try:
        if a.vocab:
            vocab = json.load(open(a.vocab, encoding="utf-8"))
            if not isinstance(vocab, list):
                fail(f"{a.vocab}: expected a JSON array of strings")
        else:
            vocab = tutorial_vocab(open(a.vocab_from_corpus, encoding="utf-8").read())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        fail(f"cannot read the vocabulary: {error}")
    try:
        import keras
    except ImportError:
        try:
            from tensorflow import keras
        except ImportError:
            fail("Keras is not installed: pip install tensorflow-cpu (or: pip install 'charrnn-torch[keras]')")
    try:
        model = keras.models.load_model(a.model, compile=False)
    except Exception as error:  # Keras raises many kinds; report any as one line
        fail(f"cannot load {a.model}: {str(error).splitlines()[0] if str(error) else type(error).__name__}")
    try:
        converted, charrnn_vocab = save_converted(model, vocab, a.out)
    except KerasConversionError as error:
        fail(str(error))
    config = converted.config
    print(f"wrote {a.out}: {config['cell'].upper()} {config['layers']}x{config['hidden']}, "
          f"embedding {config['emb']}, V={config['vocab']}")


if __name__ == "__main__":
    main()
