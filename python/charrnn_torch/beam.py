"""Reference beam search, the twin of the Swift engine's BeamSearch (Sources/CharRNN/Steering/BeamSearch.swift).

From the state after the prime, each step extends every kept beam by every character, scoring it with
its total log-probability (a Python float sum of torch.log_softmax of the raw logits, T = 1), and keeps
the `width` best; candidates of equal score are ranked by the rank of the beam they extend, then by
token id. A width beyond the vocabulary size is capped to it. Width 1 is greedy decoding.
"""
from typing import List, Sequence

import torch

from .model import encode


@torch.no_grad()
def beam_search(model, vocab: Sequence[str], prime: str, length: int, width: int) -> dict:
    """{"text": prime + the best beam's characters, "tokens", "log_probability", "min_gap"}.

    min_gap is the smallest difference between the last kept and the first dropped candidate score
    over all steps (how close the result is to a tie); None when nothing was ever dropped.
    """
    if width < 1:
        raise ValueError(f"beam width must be at least 1, got {width}")
    width = min(width, len(vocab))
    ids = encode(prime, vocab).tolist()
    if not ids:
        raise ValueError("the reference needs a prime with at least one character in the vocabulary")
    state = None
    for token in ids[:-1]:
        _, state = model(torch.tensor([[token]]), state)
    logits, state = model(torch.tensor([[ids[-1]]]), state)
    beams = [([], 0.0, state, logits[0, 0])]
    min_gap = None
    for _ in range(length):
        candidates = []
        for rank, (tokens, score, _, beam_logits) in enumerate(beams):
            for token, lp in enumerate(torch.log_softmax(beam_logits, dim=-1).tolist()):
                candidates.append((-(score + lp), rank, token))
        candidates.sort()
        if len(candidates) > width:
            gap = candidates[width][0] - candidates[width - 1][0]
            min_gap = gap if min_gap is None else min(min_gap, gap)
        kept = []
        for negative, rank, token in candidates[:width]:
            tokens, _, parent_state, _ = beams[rank]
            logits, next_state = model(torch.tensor([[token]]), parent_state)
            kept.append((tokens + [token], -negative, next_state, logits[0, 0]))
        beams = kept
    tokens, score = beams[0][0], beams[0][1]
    return {"text": prime + "".join(vocab[t] for t in tokens), "tokens": tokens, "log_probability": score,
            "min_gap": min_gap}


def beam_cases(model, vocab: Sequence[str], primes: List[str], widths: List[int], length: int) -> List[dict]:
    """beam_search for every prime and width, each as {"prime", "width", "length", **result}."""
    return [{"prime": prime, "width": width, "length": length, **beam_search(model, vocab, prime, length, width)}
            for prime in primes for width in widths]
