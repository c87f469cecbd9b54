"""`attention-explorer inspect` on text checkpoints, as a user runs it (subprocess)."""

import json

import numpy as np
import pytest
import torch

from tests.text_fixtures import reference, save_bert, save_gpt2

from .test_cli import run


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("inspect")
    save_bert(root / "bert")
    save_gpt2(root / "gpt2")
    save_bert(root / "bare", tokenizer=False)
    save_gpt2(root / "bad", tokenizer=False)
    config = json.loads((root / "bad" / "config.json").read_text())
    (root / "bad" / "config.json").write_text(json.dumps({**config, "model_type": "llama"}))
    return root


def test_text_maps_are_written_as_npz_and_equal_hf_eager(folders, tmp_path):
    out = tmp_path / "maps.npz"
    result = run("inspect", str(folders / "bert"), "--text", "the cat sat on the mat", "--pair", "it was tired", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "2 layers × 4 heads" in result.stdout
    data = np.load(out)
    tokens = list(data["tokens"])
    assert tokens[0] == "[CLS]" and "cat" in tokens and data["attentions"].shape == (2, 4, len(tokens), len(tokens))
    assert data["attentions"].dtype == np.float32 and 1 in data["token_type_ids"]
    ref = reference(folders / "bert", data["input_ids"].tolist(), data["token_type_ids"].tolist())
    expected = torch.cat(ref.attentions).numpy()  # (L, H, T, T)
    assert np.abs(data["attentions"] - expected).max() <= 1e-5
    assert json.loads(str(data["config"]))["family"] == "bert"


def test_gpt2_is_described_as_one_json_object(folders):
    result = run("inspect", str(folders / "gpt2"), "--json")
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["family"] == "gpt2" and info["kind"] == "text" and info["config"]["heads"] == 4 and info["parameters"] > 0


def test_token_ids_for_a_model_without_a_tokenizer(folders, tmp_path):
    out = tmp_path / "ids.npz"
    result = run("inspect", str(folders / "bare"), "--ids", "2 10 11 3", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert list(np.load(out)["tokens"]) == ["#2", "#10", "#11", "#3"]


@pytest.mark.parametrize(
    "args, message",
    [
        (("/no/such/folder", "--json"), "does not exist"),
        (("{bare}", "--text", "hello", "--out", "{out}"), "no tokenizer: type token ids"),
        (("{bert}", "--out", "{out}"), "needs --text or --ids"),
        (("{bert}", "--text", "hello"), "--out FILE.npz is needed"),
        (("{bert}", "--ids", "1 x", "--out", "{out}"), "'x' is not a token id"),
        (("{bad}", "--json"), "model type 'llama' is not supported"),
    ],
)
def test_failures_exit_nonzero_with_one_clear_line(folders, tmp_path, args, message):
    names = {"bert": folders / "bert", "bare": folders / "bare", "bad": folders / "bad", "out": tmp_path / "x.npz"}
    result = run("inspect", *(a.format(**names) for a in args))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert not (tmp_path / "x.npz").exists()
