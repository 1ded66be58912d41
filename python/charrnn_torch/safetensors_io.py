"""A small reader/writer for the safetensors format, with no dependency on the `safetensors` package.

Layout of a file:
    8 bytes    little-endian u64 N: length of the JSON header
    N bytes    JSON object, UTF-8, padded with spaces so that N is a multiple of 8:
               {"__metadata__": {str: str, ...},            (optional)
                "<name>": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, ...}
    rest       raw little-endian tensor data; offsets are relative to the end of the header,
               tensors lie back to back in name order with no gaps.
"""
from __future__ import annotations

import json
import os
import struct
import tempfile
from typing import Dict, Mapping, Optional, Tuple

import numpy as np

# safetensors dtype name -> little-endian numpy dtype
DTYPES = {
    "F64": np.dtype("<f8"), "F32": np.dtype("<f4"), "F16": np.dtype("<f2"),
    "I64": np.dtype("<i8"), "I32": np.dtype("<i4"), "I16": np.dtype("<i2"), "I8": np.dtype("i1"),
    "U64": np.dtype("<u8"), "U32": np.dtype("<u4"), "U16": np.dtype("<u2"), "U8": np.dtype("u1"),
    "BOOL": np.dtype("?"),
}

MAX_HEADER_BYTES = 100 * 1024 * 1024


class SafetensorsError(ValueError):
    """A file that is not a well-formed safetensors file; the message names the file."""


def _dtype_name(array: np.ndarray) -> str:
    for name, known in DTYPES.items():
        if array.dtype in (known, known.newbyteorder(">")):
            return name
    raise SafetensorsError(f"dtype {array.dtype} has no safetensors name")


def encode(tensors: Mapping[str, np.ndarray], metadata: Optional[Mapping[str, str]] = None) -> bytes:
    """The bytes of a safetensors file holding `tensors` (names sorted) and `metadata`."""
    header: Dict[str, object] = {}
    if metadata:
        for key, value in metadata.items():
            if not isinstance(key, str) or not isinstance(value, str):
                raise SafetensorsError(f"metadata must map strings to strings, got {key!r}: {value!r}")
        header["__metadata__"] = dict(metadata)
    chunks = []
    offset = 0
    for name in sorted(tensors):
        if name == "__metadata__":
            raise SafetensorsError("a tensor may not be called __metadata__")
        array = np.asarray(tensors[name])
        dtype_name = _dtype_name(array)
        data = np.ascontiguousarray(array, dtype=DTYPES[dtype_name]).tobytes()
        header[name] = {"dtype": dtype_name, "shape": list(array.shape),
                        "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)


def write_atomically(path: str, data: bytes) -> None:
    """Writes to a temporary file beside `path`, fsyncs, then renames it over `path`."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, temporary = tempfile.mkstemp(prefix=os.path.basename(path) + ".tmp-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def save(tensors: Mapping[str, np.ndarray], path: str, metadata: Optional[Mapping[str, str]] = None) -> None:
    write_atomically(path, encode(tensors, metadata))


def decode(data: bytes, name: str = "<bytes>") -> Tuple[Dict[str, np.ndarray], Dict[str, str]]:
    """(tensors, metadata) from the bytes of a safetensors file; errors name `name`."""
    def fail(message: str) -> SafetensorsError:
        return SafetensorsError(f"{name}: {message}")

    if len(data) < 8:
        raise fail(f"too short for a safetensors file ({len(data)} bytes)")
    (header_length,) = struct.unpack("<Q", data[:8])
    if header_length > MAX_HEADER_BYTES or 8 + header_length > len(data):
        raise fail(f"header length {header_length} does not fit the file ({len(data)} bytes)")
    try:
        header = json.loads(data[8:8 + header_length].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise fail(f"header is not valid JSON: {error}") from None
    if not isinstance(header, dict):
        raise fail("header is not a JSON object")
    metadata = header.pop("__metadata__", None) or {}
    if not isinstance(metadata, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
        raise fail("__metadata__ must map strings to strings")
    body = memoryview(data)[8 + header_length:]
    tensors: Dict[str, np.ndarray] = {}
    spans = []
    for tensor_name, entry in header.items():
        if not isinstance(entry, dict) or set(entry) != {"dtype", "shape", "data_offsets"}:
            raise fail(f"tensor {tensor_name!r}: entry needs exactly dtype, shape, data_offsets")
        dtype = DTYPES.get(entry["dtype"])
        if dtype is None:
            raise fail(f"tensor {tensor_name!r}: unsupported dtype {entry['dtype']!r}")
        shape, offsets = entry["shape"], entry["data_offsets"]
        if not (isinstance(shape, list) and all(isinstance(d, int) and d >= 0 for d in shape)):
            raise fail(f"tensor {tensor_name!r}: bad shape {shape!r}")
        if not (isinstance(offsets, list) and len(offsets) == 2
                and all(isinstance(o, int) for o in offsets) and 0 <= offsets[0] <= offsets[1] <= len(body)):
            raise fail(f"tensor {tensor_name!r}: data_offsets {offsets!r} outside the {len(body)} data bytes")
        count = int(np.prod(shape, dtype=np.int64))
        if offsets[1] - offsets[0] != count * dtype.itemsize:
            raise fail(f"tensor {tensor_name!r}: {offsets[1] - offsets[0]} bytes for shape {shape} {entry['dtype']}")
        spans.append((offsets[0], offsets[1], tensor_name))
        tensors[tensor_name] = np.frombuffer(body[offsets[0]:offsets[1]], dtype=dtype).reshape(shape).copy()
    spans.sort()
    position = 0
    for begin, end, tensor_name in spans:
        if begin != position:
            raise fail(f"tensor {tensor_name!r}: data is not contiguous (starts at {begin}, expected {position})")
        position = end
    if position != len(body):
        raise fail(f"{len(body) - position} bytes of data belong to no tensor")
    return tensors, dict(metadata)


def load(path: str) -> Tuple[Dict[str, np.ndarray], Dict[str, str]]:
    with open(path, "rb") as f:
        data = f.read()
    return decode(data, name=path)
