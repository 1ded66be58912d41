"""charrnn-v1 checkpoints written and read by charrnn_torch.model."""
import json
import os
import struct

import numpy as np
import pytest
import torch

from charrnn_torch import CharRNN, CheckpointError, load_charrnn, save_charrnn, vocab_from_text
from charrnn_torch import safetensors_io


def _header(path):
    data = open(path, "rb").read()
    (n,) = struct.unpack("<Q", data[:8])
    return n, json.loads(data[8:8 + n]), data


@pytest.mark.parametrize("cell,layers", [("gru", 1), ("lstm", 2)])
def test_round_trip_gives_identical_model(tmp_path, cell, layers):
    torch.manual_seed(7)
    vocab = vocab_from_text("hello, world\n") + ["[UNK]"]
    model = CharRNN(len(vocab), 6, 9, layers, cell)
    path = str(tmp_path / "m.safetensors")
    save_charrnn(model, vocab, path, corpus="test", step=12)
    loaded, loaded_vocab, metadata = load_charrnn(path)
    assert loaded_vocab == vocab
    assert metadata["format"] == "charrnn-v1" and metadata["cell"] == cell
    assert metadata["corpus"] == "test" and metadata["step"] == "12"
    assert loaded.config == {**model.config, "dropout": 0.0}
    for name, tensor in model.state_dict().items():
        assert torch.equal(tensor, loaded.state_dict()[name]), name
    x = torch.randint(0, len(vocab), (2, 5))
    assert torch.equal(model(x)[0], loaded(x)[0])


def test_file_layout_follows_safetensors(tmp_path):
    torch.manual_seed(0)
    model = CharRNN(4, 3, 5, 2, "gru")
    path = str(tmp_path / "m.safetensors")
    save_charrnn(model, list("abcd"), path)
    n, header, data = _header(path)
    assert n % 8 == 0
    meta = header.pop("__metadata__")
    assert json.loads(meta["vocab"]) == list("abcd")
    names = list(header)
    assert names == sorted(names)
    assert "drop" not in " ".join(names)
    position = 0
    for name in names:
        entry = header[name]
        assert entry["dtype"] == "F32"
        begin, end = entry["data_offsets"]
        assert begin == position
        position = end
        values = np.frombuffer(data[8 + n + begin:8 + n + end], dtype="<f4").reshape(entry["shape"])
        assert np.array_equal(values, model.state_dict()[name].numpy())
    assert 8 + n + position == len(data)
    assert not [f for f in os.listdir(tmp_path) if ".tmp" in f]


def test_vocab_is_sorted_distinct_scalars():
    assert vocab_from_text("banana\n") == ["\n", "a", "b", "n"]
    assert vocab_from_text("é😀a") == ["a", "é", "😀"]


def test_non_ascii_vocab_survives(tmp_path):
    vocab = vocab_from_text("ça 😀 \u0000\t")
    model = CharRNN(len(vocab), 2, 3, 1, "gru")
    path = str(tmp_path / "u.safetensors")
    save_charrnn(model, vocab, path)
    assert load_charrnn(path)[1] == vocab


def _write(path, tensors, metadata):
    safetensors_io.save(tensors, str(path), metadata)


def _good(tmp_path):
    model = CharRNN(3, 2, 4, 1, "gru")
    path = tmp_path / "good.safetensors"
    save_charrnn(model, list("abc"), str(path))
    return safetensors_io.load(str(path))


@pytest.mark.parametrize("change,message", [
    (lambda t, m: m.update(format="other"), "format"),
    (lambda t, m: m.update(cell="rnn"), "cell"),
    (lambda t, m: m.update(vocab='["a", "b"]'), "vocabulary has 2"),
    (lambda t, m: m.update(vocab='["a", "bb", "c"]'), "single Unicode scalar"),
    (lambda t, m: m.update(vocab='["a", "a", "c"]'), "repeats"),
    (lambda t, m: m.update(vocab="not json"), "bad vocab"),
    (lambda t, m: t.pop("fc.bias"), "missing"),
    (lambda t, m: t.update({"drop.weight": np.zeros(3, np.float32)}), "unexpected"),
    (lambda t, m: t.update({"fc.bias": np.zeros(4, np.float32)}), "fc.bias has shape"),
    (lambda t, m: t.update({"fc.bias": np.zeros(3, np.float64)}), "expected F32"),
])
def test_bad_checkpoints_are_rejected_with_a_message(tmp_path, change, message):
    tensors, metadata = _good(tmp_path)
    change(tensors, metadata)
    path = tmp_path / "bad.safetensors"
    _write(path, tensors, metadata)
    with pytest.raises(CheckpointError, match=message):
        load_charrnn(str(path))


@pytest.mark.parametrize("data,message", [
    (b"abc", "too short"),
    (struct.pack("<Q", 1 << 40) + b"{}", "header length"),
    (struct.pack("<Q", 4) + b"[1] ", "not a JSON object"),
    (struct.pack("<Q", 2) + b"{" + b"\xff", "not valid JSON"),
    (struct.pack("<Q", 64) + json.dumps({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}
                                        ).encode().ljust(64) + b"\0" * 4, "outside"),
    (struct.pack("<Q", 64) + json.dumps({"a": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}
                                        ).encode().ljust(64) + b"\0" * 8, "not contiguous"),
    (struct.pack("<Q", 64) + json.dumps({"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}
                                        ).encode().ljust(64) + b"\0" * 8, "belong to no tensor"),
])
def test_malformed_safetensors_are_rejected(tmp_path, data, message):
    path = tmp_path / "bad.safetensors"
    path.write_bytes(data)
    with pytest.raises(CheckpointError, match=message):
        load_charrnn(str(path))


def test_matches_the_safetensors_package_when_present(tmp_path):
    st = pytest.importorskip("safetensors.numpy")
    tensors = {"b": np.arange(6, dtype=np.float32).reshape(2, 3), "a": np.ones(5, np.float32)}
    path = str(tmp_path / "x.safetensors")
    safetensors_io.save(tensors, path, {"k": "v"})
    theirs = st.load_file(path)
    assert set(theirs) == {"a", "b"}
    assert np.array_equal(theirs["b"], tensors["b"])
    st.save_file(tensors, str(tmp_path / "y.safetensors"), metadata={"k": "v"})
    ours, meta = safetensors_io.load(str(tmp_path / "y.safetensors"))
    assert meta == {"k": "v"} and np.array_equal(ours["a"], tensors["a"])


SHIPPED = os.path.join(os.path.dirname(__file__), "..", "..", "checkpoints")


@pytest.mark.parametrize("name", sorted(f for f in os.listdir(SHIPPED) if f.endswith(".safetensors")))
def test_shipped_checkpoints_written_by_swift_read_in_the_safetensors_package(name):
    st = pytest.importorskip("safetensors")
    path = os.path.join(SHIPPED, name)
    model, vocab, metadata = load_charrnn(path)
    with st.safe_open(path, framework="np") as f:
        assert f.metadata()["format"] == "charrnn-v1"
        assert json.loads(f.metadata()["vocab"]) == vocab
        theirs = {k: f.get_tensor(k) for k in f.keys()}
    ours = {k: v.numpy() for k, v in model.state_dict().items()}
    assert set(theirs) == set(ours)
    for k in ours:
        assert theirs[k].dtype == np.float32 and np.array_equal(theirs[k], ours[k]), k
