"""PyTorch twin of the charrnn Swift engine: model, charrnn-v1 checkpoints, training, Keras import, the speed reference."""
from .beam import beam_cases, beam_search
from .model import (CharRNN, CheckpointError, encode, load_charrnn, parameter_shapes, save_charrnn,
                    vocab_from_text)

__all__ = ["beam_cases", "beam_search", "CharRNN", "CheckpointError", "encode", "load_charrnn", "parameter_shapes",
           "save_charrnn", "vocab_from_text"]
