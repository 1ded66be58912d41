"""Keras -> charrnn-v1 conversion. The first tests need no TensorFlow: stand-in layers and a NumPy
transcription of the Keras GRU/LSTM equations. The rest run real Keras when tensorflow imports."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest
import torch

from charrnn_torch import load_charrnn
from charrnn_torch.keras_convert import KerasConversionError, convert, convert_vocab, save_converted, tutorial_vocab

PYTHON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# ---------- stand-in layers (no TensorFlow) ----------

class Layer:
    def __init__(self, name, weights, **config):
        self.name, self._weights, self._config = name, weights, config

    def get_weights(self):
        return self._weights

    def get_config(self):
        return self._config


def _make(kind):
    return type(kind, (Layer,), {})


Embedding, GRU, LSTM, Dense, Dropout, SimpleRNN, Bidirectional = (
    _make(k) for k in ("Embedding", "GRU", "LSTM", "Dense", "Dropout", "SimpleRNN", "Bidirectional"))


class Model:
    def __init__(self, layers):
        self.layers = layers


def rnn_layer(kind, rng, width, hidden, **config):
    gates = (3 if kind is GRU else 4) * hidden
    bias = rng.normal(size=(2, gates) if kind is GRU else (gates,)).astype(np.float32)
    weights = [rng.normal(size=(width, gates)).astype(np.float32) * 0.5,
               rng.normal(size=(hidden, gates)).astype(np.float32) * 0.5, bias]
    defaults = dict(units=hidden, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                    go_backwards=False)
    if kind is GRU:
        defaults["reset_after"] = True
    return kind(kind.__name__.lower(), weights, **{**defaults, **config})


def stand_in_model(kind, layers, V=7, E=4, H=5, seed=0):
    rng = np.random.default_rng(seed)
    stack = [Embedding("embedding", [rng.normal(size=(V, E)).astype(np.float32)], mask_zero=False)]
    for k in range(layers):
        stack.append(rnn_layer(kind, rng, E if k == 0 else H, H))
        stack.append(Dropout("dropout", []))
    stack.append(Dense("dense", [rng.normal(size=(H, V)).astype(np.float32), rng.normal(size=V).astype(np.float32)],
                       activation="linear", use_bias=True))
    return Model(stack)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def keras_reference(model, tokens):
    """Keras semantics written out: GRU(reset_after=True) gates z, r, h; LSTM gates i, f, c, o."""
    layers = [layer for layer in model.layers if type(layer).__name__ != "Dropout"]
    x = layers[0].get_weights()[0][tokens]  # [T, E]
    for layer in layers[1:-1]:
        kernel, recurrent, bias = layer.get_weights()
        H = recurrent.shape[0]
        h, c, out = np.zeros(H), np.zeros(H), []
        for x_t in x:
            if type(layer).__name__ == "GRU":
                xi, hi = x_t @ kernel + bias[0], h @ recurrent + bias[1]
                z = sigmoid(xi[:H] + hi[:H])
                r = sigmoid(xi[H:2 * H] + hi[H:2 * H])
                hh = np.tanh(xi[2 * H:] + r * hi[2 * H:])
                h = z * h + (1 - z) * hh
            else:
                g = x_t @ kernel + h @ recurrent + bias
                i, f, cc, o = sigmoid(g[:H]), sigmoid(g[H:2 * H]), np.tanh(g[2 * H:3 * H]), sigmoid(g[3 * H:])
                c = f * c + i * cc
                h = o * np.tanh(c)
            out.append(h)
        x = np.array(out)
    kernel, bias = layers[-1].get_weights()
    return x @ kernel + bias


@pytest.mark.parametrize("kind,layers", [(GRU, 1), (GRU, 2), (LSTM, 1), (LSTM, 2)])
def test_converted_weights_compute_what_keras_computes(kind, layers):
    model = stand_in_model(kind, layers)
    vocab = ["[UNK]"] + list("abcdef")
    converted, charrnn_vocab = convert(model, vocab)
    assert charrnn_vocab == vocab
    assert converted.config["cell"] == kind.__name__.lower() and converted.config["layers"] == layers
    tokens = np.array([1, 4, 2, 6, 0, 3, 3, 5])
    with torch.no_grad():
        ours = converted(torch.from_numpy(tokens)[None])[0][0].numpy()
    np.testing.assert_allclose(ours, keras_reference(model, tokens), rtol=1e-4, atol=1e-4)


def test_lstm_recurrent_bias_is_zero_and_gru_keeps_both_biases():
    lstm, _ = convert(stand_in_model(LSTM, 1), ["[UNK]"] + list("abcdef"))
    assert torch.count_nonzero(lstm.rnn.bias_hh_l0) == 0
    gru_model = stand_in_model(GRU, 1)
    gru, _ = convert(gru_model, ["[UNK]"] + list("abcdef"))
    H = 5
    keras_bias = gru_model.layers[1].get_weights()[2]
    # PyTorch r block = Keras r block (second), z block = Keras z block (first)
    assert np.array_equal(gru.rnn.bias_ih_l0.detach().numpy()[:H], keras_bias[0][H:2 * H])
    assert np.array_equal(gru.rnn.bias_hh_l0.detach().numpy()[H:2 * H], keras_bias[1][:H])


def test_vocabulary_mapping():
    assert convert_vocab(["", "[UNK]", "a", "é"]) == ["\u0000", "[UNK]", "a", "é"]
    assert tutorial_vocab("hello\n") == ["[UNK]", "\n", "e", "h", "l", "o"]
    with pytest.raises(KerasConversionError, match="one character"):
        convert_vocab(["[UNK]", "ab"])
    with pytest.raises(KerasConversionError, match="U\\+0000"):
        convert_vocab(["", "\u0000"])
    with pytest.raises(KerasConversionError, match="repeats"):
        convert_vocab(["a", "a"])


def _replace(model, index, layer):
    model.layers[index] = layer
    return model


@pytest.mark.parametrize("build,message", [
    (lambda m, r: _replace(m, 1, rnn_layer(GRU, r, 4, 5, reset_after=False)), "reset_after=False"),
    (lambda m, r: _replace(m, 1, rnn_layer(GRU, r, 4, 5, go_backwards=True)), "go_backwards"),
    (lambda m, r: _replace(m, 1, rnn_layer(GRU, r, 4, 5, activation="relu")), "tanh / sigmoid"),
    (lambda m, r: _replace(m, 1, Bidirectional("bi", [])), "one direction"),
    (lambda m, r: _replace(m, 1, SimpleRNN("simple", [])), "SimpleRNN"),
    (lambda m, r: _replace(m, 3, rnn_layer(LSTM, r, 5, 5)), "mixed"),
    (lambda m, r: _replace(m, 3, rnn_layer(GRU, r, 5, 6)), "one hidden size"),
    (lambda m, r: Model(m.layers[1:]), "expected Embedding"),
    (lambda m, r: Model(m.layers[:-1]), "expected Embedding"),
])
def test_unsupported_models_are_rejected(build, message):
    model = build(stand_in_model(GRU, 2), np.random.default_rng(1))
    with pytest.raises(KerasConversionError, match=message):
        convert(model, ["[UNK]"] + list("abcdef"))


def test_vocabulary_size_must_match_the_embedding():
    with pytest.raises(KerasConversionError, match="7 rows but the vocabulary has 6"):
        convert(stand_in_model(GRU, 1), list("abcdef"))


# ---------- real Keras ----------

def _keras():
    pytest.importorskip("tensorflow", reason="tensorflow-cpu is not installed")
    import keras
    return keras


def _randomize(model, seed):
    rng = np.random.default_rng(seed)
    model.set_weights([rng.normal(scale=0.4, size=w.shape).astype(np.float32) for w in model.get_weights()])


def test_tutorial_model_converts_exactly(tmp_path):
    keras = _keras()
    import tensorflow as tf

    class MyModel(keras.Model):  # the tutorial's model (its state handling trimmed for Keras 3)
        def __init__(self, vocab_size, embedding_dim, rnn_units):
            super().__init__()
            self.embedding = keras.layers.Embedding(vocab_size, embedding_dim)
            self.gru = keras.layers.GRU(rnn_units, return_sequences=True, return_state=True)
            self.dense = keras.layers.Dense(vocab_size)

        def call(self, inputs, states=None, return_state=False, training=False):
            x = self.embedding(inputs, training=training)
            x, states = self.gru(x, initial_state=states, training=training)
            x = self.dense(x, training=training)
            return (x, states) if return_state else x

    text = "First Citizen:\nBefore we proceed any further, hear me speak.\n"
    lookup = keras.layers.StringLookup(vocabulary=sorted(set(text)), mask_token=None)
    keras_vocab = lookup.get_vocabulary()
    assert keras_vocab == tutorial_vocab(text)
    model = MyModel(len(keras_vocab), 8, 12)
    ids = lookup(tf.strings.unicode_split(text, "UTF-8"))[None]
    model(ids)  # builds the weights
    _randomize(model, 3)
    expected = model(ids).numpy()[0]
    converted, vocab = save_converted(model, keras_vocab, str(tmp_path / "tutorial.safetensors"))
    loaded, loaded_vocab, metadata = load_charrnn(str(tmp_path / "tutorial.safetensors"))
    assert loaded_vocab == keras_vocab and metadata["source"] == "keras"
    with torch.no_grad():
        ours = loaded(torch.from_numpy(ids.numpy()).long())[0][0].numpy()
    np.testing.assert_allclose(ours, expected, rtol=1e-4, atol=1e-5)


def _sequential(keras, cell, layers, V, reset_after=True):
    stack = [keras.Input(shape=(None,), dtype="int32"), keras.layers.Embedding(V, 6)]
    for _ in range(layers):
        rnn = keras.layers.GRU(10, return_sequences=True, reset_after=reset_after) if cell == "gru" \
            else keras.layers.LSTM(10, return_sequences=True)
        stack += [rnn, keras.layers.Dropout(0.2)]
    stack.append(keras.layers.Dense(V))
    return keras.Sequential(stack)


@pytest.mark.parametrize("cell", ["gru", "lstm"])
def test_saved_keras_file_converts_from_the_command_line(tmp_path, cell):
    keras = _keras()
    vocab = ["", "[UNK]"] + list("abcdefg")  # StringLookup with mask_token=""
    model = _sequential(keras, cell, 2, len(vocab))
    _randomize(model, 5)
    tokens = np.array([[2, 3, 4, 8, 1, 5, 6, 7, 2]], dtype=np.int32)
    expected = model(tokens).numpy()[0]
    model.save(str(tmp_path / "m.keras"))
    (tmp_path / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    out = tmp_path / "m.safetensors"
    result = subprocess.run([sys.executable, "-m", "charrnn_torch.keras_convert", str(tmp_path / "m.keras"),
                             "--vocab", str(tmp_path / "vocab.json"), "--out", str(out)],
                            cwd=PYTHON_DIR, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert f"{cell.upper()} 2x10" in result.stdout
    loaded, loaded_vocab, _ = load_charrnn(str(out))
    assert loaded_vocab == ["\u0000", "[UNK]"] + list("abcdefg")
    with torch.no_grad():
        ours = loaded(torch.from_numpy(tokens).long())[0][0].numpy()
    np.testing.assert_allclose(ours, expected, rtol=1e-4, atol=1e-5)


def test_real_keras_rejections(tmp_path):
    keras = _keras()
    V = 5
    with pytest.raises(KerasConversionError, match="reset_after=False"):
        convert(_sequential(keras, "gru", 1, V, reset_after=False), list("abcde"))
    bidirectional = keras.Sequential([keras.Input(shape=(None,), dtype="int32"), keras.layers.Embedding(V, 4),
                                      keras.layers.Bidirectional(keras.layers.GRU(3, return_sequences=True)),
                                      keras.layers.Dense(V)])
    with pytest.raises(KerasConversionError, match="Bidirectional"):
        convert(bidirectional, list("abcde"))
    model = _sequential(keras, "gru", 1, V)
    model.save(str(tmp_path / "m.keras"))
    (tmp_path / "vocab.json").write_text(json.dumps(list("abcd")), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "charrnn_torch.keras_convert", str(tmp_path / "m.keras"),
                             "--vocab", str(tmp_path / "vocab.json"), "--out", str(tmp_path / "x.safetensors")],
                            cwd=PYTHON_DIR, capture_output=True, text=True)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == (
        "charrnn_torch.keras_convert: error: the Embedding has 5 rows but the vocabulary has 4 entries")
    assert not (tmp_path / "x.safetensors").exists()
