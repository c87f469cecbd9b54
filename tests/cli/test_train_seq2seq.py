"""`attention-explorer train seq2seq` as a user runs it: a short run writes a loadable model and its record;
Ctrl+C writes nothing; bad arguments get a clear message."""

import json
import os
import signal
import subprocess
import sys
import time

from core import seq2seq as s2s
from explorer import train_commands

TINY = ["--max-len", "4", "--hidden", "8", "--embed", "4", "--attention-dim", "8", "--eval-every", "10", "--test-size", "50"]


def command(*args):
    return [sys.executable, "-m", "explorer", "train", "seq2seq", *args]


def test_a_short_run_writes_a_model_and_records_its_test_accuracy_and_command(tmp_path):
    out = tmp_path / "copy.safetensors"
    args = ["--task", "copy", "--decoder", "bahdanau", "--steps", "30", "--out", str(out), *TINY]
    result = subprocess.run(command(*args), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "held-out exact match" in result.stdout and "test exact match" in result.stdout
    record = json.loads(out.with_suffix(".json").read_text())
    assert record["training"]["command"] == "attention-explorer train seq2seq " + " ".join(args)
    assert record["config"]["max_input_len"] == 4 and record["training"]["steps"] == 30
    model = s2s.load(out, task="copy")
    test = record["test"]
    pairs = s2s.test_set("copy", test["n"], seed=test["seed"], min_len=test["min_len"], max_len=test["max_len"])
    assert s2s.exact_match(model, pairs) == test["exact_match"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.json", "copy.safetensors"]


def test_ctrl_c_cancels_and_writes_nothing(tmp_path):
    out = tmp_path / "never.safetensors"
    # Ctrl+C in a terminal: SIGINT at its default disposition in the child (a test run started in the background by a
    # non-interactive shell inherits SIGINT ignored, and Python then never raises KeyboardInterrupt)
    process = subprocess.Popen(command("--task", "reverse", "--decoder", "none", "--steps", "100000", "--out", str(out), *TINY),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    line = process.stdout.readline()  # "training reverse / …": the run has started
    assert line.startswith("training reverse")
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130 and "cancelled: nothing was written" in stderr
    assert os.listdir(tmp_path) == []


def test_bad_arguments_get_a_clear_message(tmp_path):
    result = subprocess.run(command("--task", "reverse", "--decoder", "none", "--out", str(tmp_path / "m.pt")), capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "--out must name a .safetensors file" in result.stderr
    result = subprocess.run(command("--task", "poems", "--decoder", "none", "--out", "m.safetensors"), capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "invalid choice: 'poems'" in result.stderr
    result = subprocess.run(command("--task", "date", "--decoder", "none", "--target", "2", "--out", "m.safetensors"), capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "fraction" in result.stderr
    assert os.listdir(tmp_path) == []


def test_the_cli_offers_exactly_the_cores_tasks_decoders_and_scorings():
    assert train_commands.SEQ2SEQ_TASKS == tuple(s2s.TASKS)
    assert train_commands.SEQ2SEQ_DECODERS == s2s.DECODERS and train_commands.SEQ2SEQ_SCORINGS == s2s.SCORINGS
