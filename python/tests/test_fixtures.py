"""The committed golden fixtures agree with what charrnn_torch computes from their checkpoints."""
import json
import os

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from charrnn_torch import beam_search, encode, load_charrnn, safetensors_io

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "CharRNNTests", "Fixtures")


def fixture(name):
    return os.path.join(FIXTURES, name)


@pytest.mark.parametrize("cell", ["gru", "lstm"])
def test_small_case_forward_and_gradients(cell):
    model, vocab, metadata = load_charrnn(fixture(f"{cell}.safetensors"))
    assert vocab == sorted("abcdefghij ") and metadata["fixture"] == "true"
    expected, _ = safetensors_io.load(fixture(f"{cell}.expected.safetensors"))
    x = torch.from_numpy(expected["x"]).long()
    y = torch.from_numpy(expected["y"]).long()
    logits, state = model(x)
    np.testing.assert_allclose(logits.detach().numpy(), expected["logits"], rtol=1e-5, atol=1e-6)
    loss = F.cross_entropy(logits.reshape(-1, len(vocab)), y.reshape(-1))
    np.testing.assert_allclose(loss.item(), expected["loss"][0], rtol=1e-6)
    h_n = state[0] if cell == "lstm" else state
    np.testing.assert_allclose(h_n.detach().numpy(), expected["h_n"], rtol=1e-5, atol=1e-6)
    loss.backward()
    for name, p in model.named_parameters():
        np.testing.assert_allclose(p.grad.numpy(), expected[f"grad.{name}"], rtol=1e-4, atol=1e-7)
    assert expected["grad_norm"][0] > 0.1  # so that the clip of 0.1 acts


@pytest.mark.parametrize("cell", ["gru", "lstm"])
def test_small_case_streaming_equals_whole_sequence(cell):
    expected, _ = safetensors_io.load(fixture(f"{cell}.expected.safetensors"))
    stream = expected["stream_logits"]
    np.testing.assert_allclose(stream[:6], expected["logits"][0], rtol=1e-5, atol=1e-6)
    assert not np.allclose(stream[6:], expected["logits"][1, :2], atol=1e-4)  # state was carried


@pytest.mark.parametrize("cell", ["gru", "lstm"])
def test_tiny_model_greedy_and_eval(cell):
    model, vocab, metadata = load_charrnn(fixture(f"tiny-{cell}.safetensors"))
    assert metadata["corpus"] == "fixture"
    greedy = json.load(open(fixture(f"tiny-{cell}.greedy.json"), encoding="utf-8"))
    state, text = None, greedy["prime"]
    ids = encode(greedy["prime"], vocab).tolist()
    with torch.no_grad():
        for token in ids[:-1]:
            _, state = model(torch.tensor([[token]]), state)
        token = ids[-1]
        for _ in range(greedy["length"]):
            logits, state = model(torch.tensor([[token]]), state)
            token = int(logits[0, 0].argmax())
            text += vocab[token]
    assert text == greedy["text"]
    evaluation = json.load(open(fixture(f"tiny-{cell}.eval.json"), encoding="utf-8"))
    assert open(fixture(f"tiny-{cell}.eval.txt"), encoding="utf-8", newline="").read() == evaluation["text"]
    ids = encode(evaluation["text"], vocab)
    with torch.no_grad():
        nll = F.cross_entropy(model(ids[None, :-1])[0][0], ids[1:]).item()
    assert nll == pytest.approx(evaluation["nats_per_char"], rel=1e-5)
    assert nll < 1.5  # trained: far below log(V) ~ 3.9


@pytest.mark.parametrize("cell", ["gru", "lstm"])
def test_beam_fixtures_are_the_reference_beam_search(cell):
    model, vocab, _ = load_charrnn(fixture(f"tiny-{cell}.safetensors"))
    with open(fixture(f"tiny-{cell}.beam.json"), encoding="utf-8") as f:
        cases = json.load(f)["cases"]
    with open(fixture(f"tiny-{cell}.greedy.json"), encoding="utf-8") as f:
        greedy = json.load(f)
    for case in cases:
        result = beam_search(model.eval(), vocab, case["prime"], case["length"], case["width"])
        assert result["text"] == case["text"]
        assert result["log_probability"] == pytest.approx(case["log_probability"], rel=1e-6)
        if case["width"] == 1 and case["prime"] == greedy["prime"]:
            assert greedy["text"].startswith(result["text"])  # width 1 is greedy decoding
    with pytest.raises(ValueError):
        beam_search(model, vocab, "The ", 3, 0)
