"""charrnn_torch.speed: the PyTorch speed reference reports what `charrnn bench --json` reports."""
import json
import os
import subprocess
import sys

import pytest
import torch

from charrnn_torch.speed import parse_args

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYTHON_DIR = os.path.join(ROOT, "python")
BINARY = os.environ.get("CHARRNN_BIN", os.path.join(ROOT, ".build", "debug", "charrnn"))
TINY = ["--embedding", "4", "--hidden", "8", "--vocab", "5", "--batch-size", "2", "--seq-length", "3",
        "--seconds", "0.1", "--threads", "1"]


def speed(*args):
    env = {**os.environ, "PYTHONPATH": PYTHON_DIR, "OMP_NUM_THREADS": "1"}
    return subprocess.run([sys.executable, "-m", "charrnn_torch.speed", *args], cwd=ROOT, capture_output=True,
                          text=True, env=env, timeout=120)


@pytest.mark.parametrize("cell,layers", [("gru", 1), ("lstm", 2)])
def test_json_line_names_the_model_and_the_three_measurements(cell, layers):
    result = speed(*TINY, "--cell", cell, "--layers", str(layers), "--score-chars", "500", "--json")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    report = json.loads(lines[0])
    assert report == {**report, "torch": torch.__version__, "cell": cell, "emb": 4, "hidden": 8, "layers": layers,
                      "vocab": 5, "batch": 2, "seq": 3, "threads": 1}
    assert isinstance(report["train_chars_per_s"], int) and report["train_chars_per_s"] > 0
    assert report["stream_us_per_char"] > 0 and report["score_us_per_char"] > 0


def test_plain_output_has_one_line_per_measurement():
    result = speed(*TINY, "--score-chars", "100")
    assert result.returncode == 0, result.stderr
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == ["model", "training", "streaming", "scoring"]


@pytest.mark.parametrize("args,message", [
    (["--vocab", "1"], "--vocab must be at least 2"),
    (["--seconds", "0"], "--seconds must be positive"),
    (["--hidden", "0"], "--hidden must be positive"),
    (["--cell", "rnn"], "invalid choice: 'rnn'"),
])
def test_bad_settings_fail_with_one_line(args, message, capsys):
    with pytest.raises(SystemExit) as exit:
        parse_args(args)
    assert exit.value.code != 0
    assert message in capsys.readouterr().err.strip().splitlines()[-1]


@pytest.mark.skipif(not os.access(BINARY, os.X_OK), reason=f"{BINARY} is not built (swift build)")
def test_reports_every_field_that_charrnn_bench_reports():
    bench = subprocess.run([BINARY, "bench", *TINY, "--json"], capture_output=True, text=True, timeout=120)
    assert bench.returncode == 0, bench.stderr
    ours = speed(*TINY, "--score-chars", "100", "--json")
    assert ours.returncode == 0, ours.stderr
    swift, torch_report = json.loads(bench.stdout), json.loads(ours.stdout)
    assert set(swift) <= set(torch_report)
    assert {key: torch_report[key] for key in swift if not key.endswith(("_per_s", "_per_char"))} == \
        {key: value for key, value in swift.items() if not key.endswith(("_per_s", "_per_char"))}
