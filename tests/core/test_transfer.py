"""Transfer learning: finetune vs scratch, and the bundled curves."""

import json

import pytest

from core import resources
from core.sequence_tasks import BOS, LETTERS, EncoderConfig, TokenClassifier
from core.transfer import TransferConfig, TransferCurves, run_transfer, starting_models
from core.transformer import TransformerConfig

TINY = EncoderConfig("count", (BOS,) + LETTERS, 6, 6, TransformerConfig(dim=8, num_heads=2, mlp_dim=16, num_blocks=1))


def test_both_runs_start_from_the_same_new_head_and_only_the_body_differs():
    pretrained = TokenClassifier(TINY, seed=0)
    finetuned, scratch = starting_models(pretrained, "repeat", seed=4)
    assert finetuned.config.num_classes == scratch.config.num_classes == 2
    assert (finetuned.head.weight == scratch.head.weight).all()
    assert (finetuned.embedding.weight == pretrained.embedding.weight).all()
    assert not (scratch.embedding.weight == pretrained.embedding.weight).all()
    assert pretrained.head.out_features == 6  # the pretrained model itself is untouched


def test_run_transfer_reports_curves_for_each_size_and_round_trips_json():
    points = []
    curves = run_transfer(
        TokenClassifier(TINY), TransferConfig(examples=(2, 4), steps=4, eval_every=2, test_sequences=20),
        progress=lambda f, m, p=None: p and points.append(p),
    )
    assert curves.steps == (0, 2, 4) and set(curves.pretrained) == set(curves.scratch) == {2, 4}
    assert all(len(v) == 3 and all(0 <= a <= 1 for a in v) for v in curves.pretrained.values())
    assert {(k, n) for k, n, _, _ in points} == {("pretrained", 2), ("scratch", 2), ("pretrained", 4), ("scratch", 4)}
    assert TransferCurves.from_dict(json.loads(json.dumps(curves.to_dict()))) == curves
    with pytest.raises(ValueError, match="at least one"):
        TransferConfig(examples=())


def test_bundled_curves_show_pretraining_pays_off_with_few_examples():
    data = json.loads(resources.path("transformer", "transfer.json").read_text())
    curves = TransferCurves.from_dict(data)
    assert curves.source_task == "count" and curves.config.target_task == "repeat"
    assert data["command"].startswith("attention-explorer train transformer")
    for n in curves.pretrained:
        assert curves.pretrained[n][-1] > curves.scratch[n][-1] + 0.05
    assert max(curves.pretrained[n][-1] for n in curves.pretrained) > 0.9
