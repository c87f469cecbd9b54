"""Self-attention, positional encodings and tokens against their definitions."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from core import masks, positional, tokens
from core.self_attention import SelfAttentionConfig, init_params, permutation_test, self_attention, with_mask


def test_self_attention_is_the_formula_of_the_notes():
    config = SelfAttentionConfig(dim=6, d_qk=4, d_v=3, seed=2)
    params = init_params(config, dtype=torch.float64)
    x = torch.randn(5, 6, dtype=torch.float64)
    trace = self_attention(x, params)
    q, k, v = x @ params["W_Q"], x @ params["W_K"], x @ params["W_V"]
    weights = torch.softmax(q @ k.T / math.sqrt(4), dim=-1)
    assert torch.allclose(trace.weights, weights) and torch.allclose(trace.output, weights @ v)
    assert trace.q.shape == (5, 4) and trace.output.shape == (5, 3)


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_self_attention_refuses_non_finite_inputs_and_masks_that_do_not_fit(bad):
    params = init_params(SelfAttentionConfig(dim=4, d_qk=4, d_v=4))
    x = torch.randn(3, 4)
    x[1, 2] = bad
    with pytest.raises(ValueError, match="NaN or infinite"):
        self_attention(x, params)
    with pytest.raises(ValueError, match="does not fit the scores"):
        self_attention(torch.randn(3, 4), params, mask=torch.ones(2, 2, dtype=torch.bool))


def test_self_attention_matches_torch_multihead_attention_with_one_head():
    torch.manual_seed(0)
    module = torch.nn.MultiheadAttention(8, 1, bias=False, batch_first=True)
    w_q, w_k, w_v = module.in_proj_weight.detach().chunk(3)
    x = torch.randn(7, 8)
    trace = self_attention(x, {"W_Q": w_q.T, "W_K": w_k.T, "W_V": w_v.T}, mask=masks.causal(7))
    _, expected = module(x, x, x, attn_mask=~masks.causal(7), need_weights=True)
    assert (trace.weights - expected).abs().max() < 1e-6


@settings(max_examples=40, deadline=None)
@given(st.integers(4, 40), st.integers(0, 2**31 - 1), st.lists(st.tuples(st.integers(0, 39), st.integers(0, 39), st.booleans()), min_size=1, max_size=12))
def test_mask_edits_recompute_only_their_rows_and_equal_a_fresh_compute(n, seed, strokes):
    """Painting cells one stroke at a time (each edit reusing the last result) gives what a fresh self-attention
    with the final mask gives: the same weights, exact zeros where masked, fully-masked rows flagged, no NaN."""
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 8, generator=generator)
    base = self_attention(x, init_params(SelfAttentionConfig(dim=8, d_qk=8, d_v=8, seed=seed)))
    mask = masks.causal(n)
    current = with_mask(base, mask)
    for i, j, allow in strokes:
        mask = mask.clone()
        mask[i % n, j % n] = allow
        if i % 3 == 0:
            mask[i % n] = False  # now and then a whole row: weights 0, output 0, flagged
        current = with_mask(base, mask, previous=current)
    fresh = self_attention(x, init_params(SelfAttentionConfig(dim=8, d_qk=8, d_v=8, seed=seed)), mask=mask)
    assert torch.equal(current.mask, mask) and torch.equal(current.fully_masked, fresh.fully_masked)
    assert torch.equal(current.masked_scores, fresh.masked_scores)
    assert (current.weights - fresh.weights).abs().max() <= 1e-6 and (current.output - fresh.output).abs().max() <= 1e-5
    assert bool((current.weights[~mask] == 0).all()) and not current.weights.isnan().any() and not current.output.isnan().any()


def test_a_mask_edit_leaves_the_earlier_result_as_it_was():
    base = self_attention(torch.randn(6, 4), init_params(SelfAttentionConfig(dim=4, d_qk=4, d_v=4)))
    first = with_mask(base, masks.causal(6))
    kept = first.weights.clone()
    mask = masks.causal(6)
    mask[5, 0] = False
    second = with_mask(base, mask, previous=first)
    assert torch.equal(first.weights, kept) and second.weights[5, 0] == 0 and first.weights[5, 0] > 0


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 24), st.integers(2, 16), st.integers(0, 2**31 - 1))
def test_permutation_equivariance_without_positions_and_its_loss_with_them(n, dim, seed):
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(n, dim, generator=generator)
    params = init_params(SelfAttentionConfig(dim=dim, d_qk=dim, d_v=dim, seed=seed))
    perm = torch.randperm(n, generator=generator).tolist()
    assert permutation_test(x, params, perm).max_abs_difference <= 1e-5
    if perm != list(range(n)) and dim >= 4:
        assert permutation_test(x, params, perm, positional="sinusoidal").max_abs_difference > 1e-3


def test_rope_scores_depend_only_on_relative_positions():
    q, k = torch.randn(1, 8), torch.randn(1, 8)
    angles = positional.rope_angles(12, 8)

    def score(i, j):
        return (positional.apply_rope(q, angles[i : i + 1]) @ positional.apply_rope(k, angles[j : j + 1]).T).item()

    assert score(1, 4) == pytest.approx(score(6, 9), abs=1e-5)
    assert score(1, 4) != pytest.approx(score(1, 5), abs=1e-3)
    x = torch.randn(6, 7)
    assert torch.allclose(positional.apply_rope(x).norm(dim=-1), x.norm(dim=-1), atol=1e-5)


def test_sinusoidal_table_is_vaswanis():
    table = positional.sinusoidal(50, 16).numpy()
    p, i = 37, 3
    assert table[p, 2 * i] == pytest.approx(np.sin(p / 10000 ** (2 * i / 16)), abs=1e-6)
    assert table[p, 2 * i + 1] == pytest.approx(np.cos(p / 10000 ** (2 * i / 16)), abs=1e-6)
    assert torch.equal(positional.learned(10, 4, seed=1)[:5], positional.learned(5, 4, seed=1))


def test_tokens_and_their_embeddings_are_deterministic():
    assert tokens.tokenize("The cat, sat.") == ["The", "cat", ",", "sat", "."]
    assert tokens.tokenize("a b", "chars") == ["a", tokens.SPACE, "b"]
    e = tokens.hashed_embeddings(["the", "cat", "the"], 8, seed=3)
    assert torch.equal(e[0], e[2]) and not torch.equal(e[0], e[1])
    assert torch.equal(e, tokens.hashed_embeddings(["the", "cat", "the"], 8, seed=3))
    assert not torch.equal(e[0], tokens.hashed_embeddings(["the"], 8, seed=4)[0])
    with pytest.raises(ValueError, match="at least one"):
        tokens.validate([])
    with pytest.raises(ValueError, match="limit"):
        tokens.validate(["a"] * 1025)
    with pytest.raises(ValueError, match="between"):
        tokens.hashed_embeddings(["a"], 1)
