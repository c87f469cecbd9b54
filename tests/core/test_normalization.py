"""LayerNorm vs BatchNorm: the same sample in different batches."""

import torch
import torch.nn.functional as F

from core.normalization import batch_norm, compare_norms, layer_norm


def test_layer_norm_ignores_the_batch_and_batch_norm_does_not():
    sample = torch.randn(9, 16, generator=torch.Generator().manual_seed(0))
    study = compare_norms(sample, batch_sizes=(1, 2, 8, 32), mixed_sizes=(2, 8, 32))
    assert [c.batch_size for c in study.cases] == [1, 2, 8, 32, 2, 8, 32]
    alone = study.cases[0]
    assert alone.lengths == (9,) and alone.batch_norm_change == 0.0
    for case in study.cases:
        # LayerNorm: bit-for-bit the same output for the sample, whatever else is in the batch
        assert case.layer_norm_change == 0.0 and torch.equal(case.layer_norm, layer_norm(sample))
    for case in study.cases[1:]:
        assert case.batch_norm_change > 0.05, case.label  # BatchNorm moved it
    mixed = [c for c in study.cases if len(set(c.lengths)) > 1]
    assert len(mixed) == 3 and all(c.batch_norm_padded is not None and c.batch_norm_padded_change != c.batch_norm_change for c in mixed)
    assert all(c.lengths[0] == 9 and 2 <= min(c.lengths[1:]) and max(c.lengths) <= 64 for c in mixed)


def test_batch_norm_matches_torch_and_a_batch_of_one_vector_is_degenerate():
    tokens = torch.randn(40, 12)
    assert torch.allclose(batch_norm(tokens), F.batch_norm(tokens, None, None, training=True), atol=1e-5)
    study = compare_norms(torch.randn(5, 12))
    # each vector alone in a batch of one: x − μ = 0, so every input maps to the same output β = 0
    assert study.single_inputs.shape == (5, 12) and (study.single_inputs[0] - study.single_inputs[1]).abs().max() > 0.1
    assert study.single_batch_norm.abs().max() == 0.0
    assert (study.single_layer_norm[0] - study.single_layer_norm[1]).abs().max() > 0.1  # LayerNorm keeps them apart
    assert "Expected more than 1 value per channel when training" in study.torch_refusal


def test_the_other_members_come_from_the_callers_pipeline():
    calls = []

    def member(index, length):
        calls.append((index, length))
        return torch.full((length, 4), float(index))

    study = compare_norms(torch.randn(3, 4), batch_sizes=(1, 3), mixed_sizes=(), member=member)
    assert calls == [(1, 3), (2, 3)] and study.cases[1].lengths == (3, 3, 3)
