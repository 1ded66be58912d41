#!/usr/bin/env python3
"""Writes the golden PyTorch fixtures that the Swift engine tests compare against.

Run from the repository root (needs torch and numpy, nothing else):

    python3 scripts/make_fixtures.py            # writes Tests/CharRNNTests/Fixtures/
    python3 scripts/make_fixtures.py --out DIR  # somewhere else

Deterministic: fixed seeds, torch.use_deterministic_algorithms(True), one thread, and the CPU
kernels pinned to AVX2 (ATEN_CPU_CAPABILITY=avx2, ONEDNN_MAX_CPU_ISA=AVX2, set below before torch
loads), so an AVX-512 machine computes what an AVX2 one does: with torch 2.15.0 on x86-64 this
remakes the committed files byte for byte. Another torch build may differ in the last bits of
float32 results (and then, through 600 training steps, in the tiny models and their goldens), which
is why the files are committed rather than made at test time.

What it writes (all checkpoints are charrnn-v1, see python/charrnn_torch/model.py):

  {gru,lstm}.safetensors           V=11 (vocab sorted("abcdefghij ")), E=5, H=7, L=2, dropout 0,
                                   default PyTorch init after torch.manual_seed(1234 gru / 4321 lstm);
                                   metadata fixture="true".
  {gru,lstm}.expected.safetensors  plain safetensors, all F32:
      x, y [3,6]            a batch of token ids (as floats) and targets, torch.randint with a
                            torch.Generator seeded with the case seed + 1
      logits [3,6,11]       model(x) from a zero state
      loss [1]              mean cross-entropy over all 18 positions
      h_n [2,3,7]           final hidden state (c_n too for lstm)
      grad.<name>           d loss / d parameter, for every parameter
      grad_norm [1]         global L2 norm of all gradients (before clipping)
      clipped_grad.<name>   the gradients after torch.nn.utils.clip_grad_norm_(params, 0.1), which
                            scales them by 0.1 / (grad_norm + 1e-6) when that is below 1
      adam.<name>           parameters after 3 steps of torch.optim.Adam(lr=0.01), default betas and
                            eps, each step: zero_grad, forward, backward, clip_grad_norm_(0.1), step
      adam.grad_norms [3]   the gradient norm before clipping at each of those steps
      rmsprop.<name>        the same from the initial weights with torch.optim.RMSprop(lr=0.01)
                            (alpha 0.99, eps 1e-8); rmsprop.grad_norms likewise
                            The clip is 0.1, not 0.5: these untrained models' gradient norms are
                            0.2-0.35, so a clip of 0.5 would never act. The expected file's metadata
                            holds clip, lr and optimizer_steps.
      stream_logits [8,11]  batch-1 streaming: feed x[0] one token at a time, then x[1][:2], state
                            carried; the logits of each of the 8 steps
  tiny-{gru,lstm}.safetensors      small models trained with Adam on SONNETS (below):
                                   GRU E=16 H=32 L=1, LSTM E=16 H=32 L=2; metadata corpus="fixture"
  tiny-*.greedy.json               {"prime", "length", "text", "min_margin"}: from a zero state, feed
                                   the prime one character at a time, then 120 times take the argmax
                                   and feed it back; text = prime + the 120 characters. min_margin is
                                   the smallest gap between the best and second-best logit over those
                                   120 choices (how close the golden is to a tie).
  tiny-*.eval.json / .eval.txt     a 300-character slice of SONNETS and the mean negative
                                   log-likelihood (nats/char) of text[1:] given text[:-1], from a zero
                                   state carried through the text; .eval.txt is that text exactly
                                   (UTF-8, no added newline).
  tiny-*.read.json                 {"text", "positions": [{"index", "char", "prob", "rank", "top"}]}:
                                   the same text read the same way; for positions 1...40, the softmax
                                   probability of the actual character, its rank (1 + the number of
                                   characters with a strictly greater probability) and the top 3
                                   candidates as [char, prob], most probable first.
  tiny-*.beam.json                 {"cases": [{"prime", "width", "length", "text", "tokens",
                                   "log_probability", "min_gap"}]}: beam search (python/charrnn_torch/
                                   beam.py) from the state after the prime, for each of BEAM["primes"]
                                   and widths 1, 3, 5; text = prime + the best beam, log_probability its
                                   total ln p at T = 1, min_gap the closest the kept/dropped boundary
                                   came to a tie.
  {gru,lstm,tiny-gru,tiny-lstm}.states.safetensors
                                   plain safetensors, all F32, for looking inside the model: the text
                                   STATES_TEXT (small models) or the first 80 characters of the
                                   .eval.txt text (tiny models) fed one character at a time from a
                                   zero state, state carried; metadata text = that text.
      tokens [T]            its token ids (as floats)
      h_l{k} [T, H]         layer k's hidden state after reading each character (k from 0)
      c_l{k} [T, H]         layer k's cell state likewise (lstm only)
"""
import argparse
import json
import os
import sys

# Before torch loads: its kernels read these once (see "Deterministic" above).
os.environ["ATEN_CPU_CAPABILITY"] = "avx2"
os.environ["ONEDNN_MAX_CPU_ISA"] = "AVX2"

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from charrnn_torch import CharRNN, encode, load_charrnn, save_charrnn, vocab_from_text  # noqa: E402
from charrnn_torch import beam_cases, safetensors_io  # noqa: E402

# Shakespeare, Sonnets 1, 2, 3 and 18 (public domain).
SONNETS = """From fairest creatures we desire increase,
That thereby beauty's rose might never die,
But as the riper should by time decease,
His tender heir might bear his memory:
But thou contracted to thine own bright eyes,
Feed'st thy light's flame with self-substantial fuel,
Making a famine where abundance lies,
Thy self thy foe, to thy sweet self too cruel:
Thou that art now the world's fresh ornament,
And only herald to the gaudy spring,
Within thine own bud buriest thy content,
And, tender churl, mak'st waste in niggarding:
  Pity the world, or else this glutton be,
  To eat the world's due, by the grave and thee.

When forty winters shall besiege thy brow,
And dig deep trenches in thy beauty's field,
Thy youth's proud livery so gazed on now,
Will be a tatter'd weed of small worth held:
Then being asked, where all thy beauty lies,
Where all the treasure of thy lusty days;
To say, within thine own deep sunken eyes,
Were an all-eating shame, and thriftless praise.
How much more praise deserv'd thy beauty's use,
If thou couldst answer 'This fair child of mine
Shall sum my count, and make my old excuse,'
Proving his beauty by succession thine!
  This were to be new made when thou art old,
  And see thy blood warm when thou feel'st it cold.

Look in thy glass and tell the face thou viewest
Now is the time that face should form another;
Whose fresh repair if now thou not renewest,
Thou dost beguile the world, unbless some mother.
For where is she so fair whose unear'd womb
Disdains the tillage of thy husbandry?
Or who is he so fond will be the tomb
Of his self-love, to stop posterity?
Thou art thy mother's glass and she in thee
Calls back the lovely April of her prime;
So thou through windows of thine age shalt see,
Despite of wrinkles, this thy golden time.
  But if thou live, remember'd not to be,
  Die single and thine image dies with thee.

Shall I compare thee to a summer's day?
Thou art more lovely and more temperate:
Rough winds do shake the darling buds of May,
And summer's lease hath all too short a date:
Sometime too hot the eye of heaven shines,
And often is his gold complexion dimm'd;
And every fair from fair sometime declines,
By chance, or nature's changing course, untrimm'd;
But thy eternal summer shall not fade,
Nor lose possession of that fair thou ow'st;
Nor shall Death brag thou wander'st in his shade,
When in eternal lines to time thou grow'st:
  So long as men can breathe or eyes can see,
  So long lives this, and this gives life to thee.
"""

SMALL_VOCAB = sorted(list("abcdefghij "))
SMALL_CASES = {"gru": 1234, "lstm": 4321}  # cell -> seed
SMALL = dict(emb=5, hidden=7, layers=2, batch=3, steps=6, clip=0.1, lr=0.01, optimizer_steps=3)

STATES_TEXT = "a bad cab hid a big jade hedge  jig a jab"
STATES_TINY_LENGTH = 80

TINY_CASES = {"gru": dict(emb=16, hidden=32, layers=1, seed=11),
              "lstm": dict(emb=16, hidden=32, layers=2, seed=12)}
TINY = dict(seq=32, batch=16, lr=1e-2, train_steps=600, clip=5.0, prime="The ", length=120,
            eval_start=700, eval_length=300)
BEAM = dict(primes=["The ", "Shall I compare"], widths=[1, 3, 5], length=60)


def as_array(t):
    return t.detach().to(torch.float32).contiguous().numpy().copy()


def batch_loss(model, x, y):
    logits, state = model(x)
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1)), logits, state


def optimized(model, make_optimizer, x, y):
    """The parameters after SMALL['optimizer_steps'] clipped steps on the batch (x, y), and
    "grad_norms": the gradient norm before clipping at each step."""
    optimizer = make_optimizer(model.parameters())
    norms = []
    for _ in range(SMALL["optimizer_steps"]):
        optimizer.zero_grad(set_to_none=True)
        loss, _, _ = batch_loss(model, x, y)
        loss.backward()
        norms.append(torch.nn.utils.clip_grad_norm_(model.parameters(), SMALL["clip"]))
        optimizer.step()
    result = {name: as_array(p) for name, p in model.named_parameters()}
    result["grad_norms"] = as_array(torch.stack(norms))
    return result


@torch.no_grad()
def stream(model, tokens):
    """Logits [len(tokens), V] for feeding `tokens` one at a time at batch 1, state carried."""
    state, rows = None, []
    for token in tokens:
        logits, state = model(torch.tensor([[token]]), state)
        rows.append(logits[0, 0])
    return torch.stack(rows)


@torch.no_grad()
def states(out, name, model, vocab, text):
    """Writes NAME.states.safetensors: every layer's state after each character of `text`."""
    tokens = encode(text, vocab).tolist()
    state, rows = None, []
    for token in tokens:
        _, state = model(torch.tensor([[token]]), state)
        rows.append(state if model.cell == "lstm" else (state,))
    dumped = {"tokens": as_array(torch.tensor(tokens))}
    for kind, index in [("h", 0), ("c", 1)][:len(rows[0])]:
        for k in range(model.rnn.num_layers):
            dumped[f"{kind}_l{k}"] = as_array(torch.stack([row[index][k, 0] for row in rows]))
    safetensors_io.save(dumped, os.path.join(out, f"{name}.states.safetensors"), {"text": text})


def small_case(out, cell, seed):
    V = len(SMALL_VOCAB)
    torch.manual_seed(seed)
    model = CharRNN(V, SMALL["emb"], SMALL["hidden"], SMALL["layers"], cell, dropout=0.0)
    initial = {name: t.clone() for name, t in model.state_dict().items()}
    save_charrnn(model, SMALL_VOCAB, os.path.join(out, f"{cell}.safetensors"), fixture="true")

    generator = torch.Generator().manual_seed(seed + 1)
    x = torch.randint(0, V, (SMALL["batch"], SMALL["steps"]), generator=generator)
    y = torch.randint(0, V, (SMALL["batch"], SMALL["steps"]), generator=generator)

    expected = {"x": as_array(x), "y": as_array(y)}
    model.zero_grad(set_to_none=True)
    loss, logits, state = batch_loss(model, x, y)
    loss.backward()
    expected["logits"] = as_array(logits)
    expected["loss"] = as_array(loss.reshape(1))
    h_n, c_n = state if cell == "lstm" else (state, None)
    expected["h_n"] = as_array(h_n)
    if c_n is not None:
        expected["c_n"] = as_array(c_n)
    grads = [p.grad for p in model.parameters()]
    expected["grad_norm"] = as_array(torch.linalg.vector_norm(torch.cat([g.reshape(-1) for g in grads])).reshape(1))
    for name, p in model.named_parameters():
        expected[f"grad.{name}"] = as_array(p.grad)
    torch.nn.utils.clip_grad_norm_(model.parameters(), SMALL["clip"])
    for name, p in model.named_parameters():
        expected[f"clipped_grad.{name}"] = as_array(p.grad)

    expected["stream_logits"] = as_array(stream(model, x[0].tolist() + x[1, :2].tolist()))

    for prefix, make_optimizer in [("adam", lambda ps: torch.optim.Adam(ps, lr=SMALL["lr"])),
                                   ("rmsprop", lambda ps: torch.optim.RMSprop(ps, lr=SMALL["lr"]))]:
        model.load_state_dict(initial)
        for name, value in optimized(model, make_optimizer, x, y).items():
            expected[f"{prefix}.{name}"] = value
    model.load_state_dict(initial)

    metadata = {"case": cell, "seed": str(seed), "clip": str(SMALL["clip"]), "lr": str(SMALL["lr"]),
                "optimizer_steps": str(SMALL["optimizer_steps"]), "torch": torch.__version__}
    safetensors_io.save(expected, os.path.join(out, f"{cell}.expected.safetensors"), metadata)
    verify(out, cell, model, x)
    states(out, cell, model, SMALL_VOCAB, STATES_TEXT)


@torch.no_grad()
def verify(out, name, model, x):
    """Reloads the checkpoint with load_charrnn and checks that it computes the same logits."""
    loaded, _, _ = load_charrnn(os.path.join(out, f"{name}.safetensors"))
    if not torch.equal(loaded(x)[0], model(x)[0]):
        raise SystemExit(f"{name}: reloaded checkpoint gives different logits")


def train_tiny(cell, emb, hidden, layers, seed):
    torch.manual_seed(seed)
    vocab = vocab_from_text(SONNETS)
    data = encode(SONNETS, vocab)
    model = CharRNN(len(vocab), emb, hidden, layers, cell)
    optimizer = torch.optim.Adam(model.parameters(), lr=TINY["lr"])
    generator = torch.Generator().manual_seed(seed)
    seq, batch = TINY["seq"], TINY["batch"]
    for step in range(TINY["train_steps"]):
        starts = torch.randint(0, len(data) - seq, (batch,), generator=generator)
        window = data[starts[:, None] + torch.arange(seq + 1)[None, :]]  # [B, seq+1]
        optimizer.zero_grad(set_to_none=True)
        loss, _, _ = batch_loss(model, window[:, :-1], window[:, 1:])
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), TINY["clip"])
        optimizer.step()
    print(f"tiny-{cell}: final training loss {loss.item():.3f}")
    return model.eval(), vocab


@torch.no_grad()
def greedy(model, vocab, prime, length):
    state, text, margin = None, prime, float("inf")
    ids = encode(prime, vocab).tolist()
    for token in ids[:-1]:
        _, state = model(torch.tensor([[token]]), state)
    token = ids[-1]
    for _ in range(length):
        logits, state = model(torch.tensor([[token]]), state)
        top = torch.topk(logits[0, 0], 2).values
        margin = min(margin, (top[0] - top[1]).item())
        token = int(torch.argmax(logits[0, 0]))
        text += vocab[token]
    return text, margin


@torch.no_grad()
def nats_per_char(model, vocab, text):
    ids = encode(text, vocab)
    logits, _ = model(ids[None, :-1])
    return F.cross_entropy(logits[0], ids[1:]).item()


@torch.no_grad()
def reading(model, vocab, text, positions=40, top=3):
    ids = encode(text, vocab)
    logits, _ = model(ids[None, :-1])
    probabilities = torch.softmax(logits[0], dim=-1)
    rows = []
    for i in range(1, positions + 1):
        p = probabilities[i - 1]
        actual = p[ids[i]]
        best = torch.topk(p, top)
        rows.append({"index": i, "char": text[i], "prob": actual.item(), "rank": int((p > actual).sum()) + 1,
                     "top": [[vocab[int(j)], q.item()] for q, j in zip(best.values, best.indices)]})
    return {"text": text, "positions": rows}


def tiny_case(out, cell, emb, hidden, layers, seed):
    model, vocab = train_tiny(cell, emb, hidden, layers, seed)
    name = f"tiny-{cell}"
    save_charrnn(model, vocab, os.path.join(out, f"{name}.safetensors"), corpus="fixture",
                 train_steps=TINY["train_steps"], seed=seed)
    text, margin = greedy(model, vocab, TINY["prime"], TINY["length"])
    write_json(os.path.join(out, f"{name}.greedy.json"),
               {"prime": TINY["prime"], "length": TINY["length"], "text": text, "min_margin": margin})
    start = TINY["eval_start"]
    eval_text = SONNETS[start:start + TINY["eval_length"]]
    write_json(os.path.join(out, f"{name}.eval.json"),
               {"text": eval_text, "nats_per_char": nats_per_char(model, vocab, eval_text)})
    write_json(os.path.join(out, f"{name}.read.json"), reading(model, vocab, eval_text))
    write_json(os.path.join(out, f"{name}.beam.json"),
               {"cases": beam_cases(model, vocab, BEAM["primes"], BEAM["widths"], BEAM["length"])})
    with open(os.path.join(out, f"{name}.eval.txt"), "w", encoding="utf-8", newline="") as f:
        f.write(eval_text)
    verify(out, name, model, encode(SONNETS, vocab)[None])
    states(out, name, model, vocab, eval_text[:STATES_TINY_LENGTH])
    print(f"{name}: greedy {text!r} (min margin {margin:.3f})")


def write_json(path, value):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False, indent=1)
        f.write("\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--out", default=os.path.join(root, "Tests", "CharRNNTests", "Fixtures"))
    out = parser.parse_args().out
    os.makedirs(out, exist_ok=True)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    for cell, seed in SMALL_CASES.items():
        small_case(out, cell, seed)
    for cell, config in TINY_CASES.items():
        tiny_case(out, cell, **config)
    for name in sorted(os.listdir(out)):
        print(f"{os.path.getsize(os.path.join(out, name)):8d}  {name}")


if __name__ == "__main__":
    main()
