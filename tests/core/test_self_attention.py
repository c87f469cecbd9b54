"""Self-attention, positional encodings and tokens against their definitions."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from core import masks, positional, tokens
from core.self_attention import SelfAttentionConfig, init_params, permutation_test, self_attention


def test_self_attention_is_the_formula_of_the_notes():
    config = SelfAttentionConfig(dim=6, d_qk=4, d_v=3, seed=2)
    params = init_params(config, dtype=torch.float64)
    x = torch.randn(5, 6, dtype=torch.float64)
    trace = self_attention(x, params)
    q, k, v = x @ params["W_Q"], x @ params["W_K"], x @ params["W_V"]
    weights = torch.softmax(q @ k.T / math.sqrt(4), dim=-1)
    assert torch.allclose(trace.weights, weights) and torch.allclose(trace.output, weights @ v)
    assert trace.q.shape == (5, 4) and trace.output.shape == (5, 3)


def test_self_attention_matches_torch_multihead_attention_with_one_head():
    torch.manual_seed(0)
    module = torch.nn.MultiheadAttention(8, 1, bias=False, batch_first=True)
    w_q, w_k, w_v = module.in_proj_weight.detach().chunk(3)
    x = torch.randn(7, 8)
    trace = self_attention(x, {"W_Q": w_q.T, "W_K": w_k.T, "W_V": w_v.T}, mask=masks.causal(7))
    _, expected = module(x, x, x, attn_mask=~masks.causal(7), need_weights=True)
    assert (trace.weights - expected).abs().max() < 1e-6


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
