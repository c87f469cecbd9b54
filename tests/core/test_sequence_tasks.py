"""The letter tasks, the encoder's checkpoints, and the bundled counting encoder."""

import json
from collections import Counter
from dataclasses import replace

import pytest
import torch

from core import resources
from core.sequence_tasks import (
    BOS,
    DEFAULT_MODEL,
    LETTERS,
    DataSpec,
    EncoderConfig,
    TokenClassifier,
    accuracy,
    get_task,
    load_classifier,
    make_batch,
    save_classifier,
    evaluation_set,
)
from core.transformer import TransformerConfig

TINY = EncoderConfig("count", (BOS,) + LETTERS, 6, 6, TransformerConfig(dim=8, num_heads=2, mlp_dim=16, num_blocks=1))


@pytest.mark.parametrize("task", ["count", "repeat"])
def test_batches_are_labelled_with_each_letters_count(task):
    ids, targets = make_batch(get_task(task), 5, 9, DataSpec(), torch.Generator().manual_seed(1))
    assert ids.shape == targets.shape == (5, 10) and (ids[:, 0] == 0).all() and (targets[:, 0] == -100).all()
    for row, labels in zip(ids.tolist(), targets.tolist()):
        counts = Counter(row[1:])
        expected = [counts[i] - 1 if task == "count" else int(counts[i] > 1) for i in row[1:]]
        assert labels[1:] == expected


def test_checkpoints_round_trip_through_safetensors_and_shapes_are_checked(tmp_path):
    model = TokenClassifier(TINY, seed=3)
    save_classifier(model, tmp_path, {"accuracy": 0.5})
    loaded, meta = load_classifier(tmp_path)
    assert meta["accuracy"] == 0.5 and loaded.config == TINY
    ids = torch.tensor([[0, 1, 2, 1]])
    assert torch.equal(loaded(ids), model(ids))
    description = json.loads((tmp_path / "encoder.json").read_text())
    description["config"]["transformer"]["mlp_dim"] = 32
    (tmp_path / "encoder.json").write_text(json.dumps(description))
    with pytest.raises(ValueError, match=r"encoder.layers.0.linear1.weight has shape \(16, 8\), the config says \(32, 8\)"):
        load_classifier(tmp_path)


def test_encode_names_what_the_vocabulary_lacks():
    model = TokenClassifier(TINY)
    assert model.encode(list("aba")).tolist() == [0, 1, 2, 1]
    with pytest.raises(ValueError, match=r"not: 'A' '7'"):
        model.encode(list("aA7"))
    with pytest.raises(ValueError, match="at most 6 tokens"):
        model.encode(list("abcdefg"))


def test_the_bundled_encoder_loads_and_reproduces_its_recorded_accuracy():
    model, meta = load_classifier(resources.path("transformer"))
    assert meta["config"]["task"] == "count" and model.config == replace(DEFAULT_MODEL)
    assert meta["accuracy"] > 0.95
    assert accuracy(model, evaluation_set(model.config)) == pytest.approx(meta["accuracy"], abs=1e-3)
    with torch.no_grad():
        counts = model(model.encode(list("hello␣world")).unsqueeze(0)).argmax(-1)[0, 1:] + 1
    assert counts.tolist() == [1, 1, 3, 3, 2, 1, 1, 2, 1, 3, 1]
