"""The attention layer (notes §2) against hand-written references and its defining properties."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from core import masks
from core.attention import attend, masked_softmax, scaling_study
from core.similarity import REGISTRY, init_params


def reference(q, x, values=None, score=None):
    """The notes' formulas written out with numpy, one query at a time."""
    values = x if values is None else values
    out_w, out_y = [], []
    for qi in np.atleast_2d(q):
        e = np.array([score(qi, xi) for xi in x])
        a = np.exp(e - e.max())
        a /= a.sum()
        out_w.append(a)
        out_y.append(a @ values)
    return np.array(out_w), np.array(out_y)


def test_scaled_dot_matches_the_formula_for_one_and_many_queries():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(7, 5))
    q = rng.normal(size=(3, 5))
    w_ref, y_ref = reference(q, x, score=lambda a, b: a @ b / math.sqrt(5))
    trace = attend(q, x, device="cpu", dtype=torch.float64)
    np.testing.assert_allclose(trace.weights.numpy(), w_ref, atol=1e-12)
    np.testing.assert_allclose(trace.output.numpy(), y_ref, atol=1e-12)
    single = attend(q[1], x, device="cpu", dtype=torch.float64)
    assert single.weights.shape == (7,) and single.output.shape == (5,)
    np.testing.assert_allclose(single.weights.numpy(), w_ref[1], atol=1e-12)


@pytest.mark.parametrize(
    "name, score",
    [
        ("dot", lambda q, k, p: q @ k),
        ("scaled_dot", lambda q, k, p: q @ k / math.sqrt(len(q))),
        ("general", lambda q, k, p: q @ p["W"] @ k),
        ("additive", lambda q, k, p: p["v"] @ np.tanh(p["W_q"] @ q + p["W_k"] @ k)),
        ("cosine", lambda q, k, p: q @ k / np.linalg.norm(q) / np.linalg.norm(k) / 0.1),
    ],
)
def test_every_similarity_matches_its_formula(name, score):
    rng = np.random.default_rng(1)
    x, q = rng.normal(size=(6, 4)), rng.normal(size=(2, 4))
    params = init_params(name, 4, 4, seed=3, dtype=torch.float64)
    numpy_params = {k: v.numpy() for k, v in params.items()}
    w_ref, y_ref = reference(q, x, score=lambda a, b: score(a, b, numpy_params))
    trace = attend(q, x, similarity=name, params=params, device="cpu", dtype=torch.float64)
    np.testing.assert_allclose(trace.weights.numpy(), w_ref, atol=1e-10)
    np.testing.assert_allclose(trace.output.numpy(), y_ref, atol=1e-10)
    assert name in REGISTRY and REGISTRY[name].formula


def test_projections_make_keys_and_values_from_the_inputs():
    rng = np.random.default_rng(2)
    x, q = rng.normal(size=(5, 3)), rng.normal(size=(2, 4))
    w_q, w_k, w_v = rng.normal(size=(4, 4)), rng.normal(size=(3, 4)), rng.normal(size=(3, 2))
    trace = attend(q, x, params={"W_Q": w_q, "W_K": w_k, "W_V": w_v}, device="cpu", dtype=torch.float64)
    w_ref, y_ref = reference(q @ w_q, x @ w_k, values=x @ w_v, score=lambda a, b: a @ b / 2.0)
    np.testing.assert_allclose(trace.keys.numpy(), x @ w_k)
    np.testing.assert_allclose(trace.values.numpy(), x @ w_v)
    np.testing.assert_allclose(trace.output.numpy(), y_ref, atol=1e-12)
    np.testing.assert_allclose(trace.weights.numpy(), w_ref, atol=1e-12)


def test_attend_matches_torch_sdpa_with_a_mask():
    torch.manual_seed(0)
    q, k, v = torch.randn(2, 9, 16), torch.randn(2, 11, 16), torch.randn(2, 11, 8)
    mask = masks.local_window(9, 11, window=2)
    trace = attend(q, k, v, mask=mask)
    expected = torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    assert (trace.output - expected).abs().max() <= 1e-5


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"query": [[1.0, float("nan")]], "keys": [[1.0, 0.0]]}, "NaN"),
        ({"query": [["a", 1]], "keys": [[1.0, 0.0]]}, "numeric"),
        ({"query": [1.0, 0.0, 2.0], "keys": [[1.0, 0.0]]}, "does not match"),
        ({"query": [1.0, 0.0], "keys": np.zeros((0, 2))}, "at least one input"),
        ({"query": [1.0, 0.0], "keys": [[1.0, 0.0]], "values": [[1.0], [2.0]]}, "pair one to one"),
        ({"query": [1.0, 0.0], "keys": [[1.0, 0.0]], "similarity": "nope"}, "unknown similarity"),
        ({"query": [1.0, 0.0], "keys": [[1.0, 0.0]], "params": {"W_K": np.eye(3)}}, "W_K"),
        ({"query": [1.0, 0.0], "keys": [[1.0, 0.0]], "mask": [True, False]}, "mask"),
    ],
)
def test_bad_input_raises_a_readable_value_error(kwargs, message):
    with pytest.raises(ValueError, match=message):
        attend(device="cpu", **kwargs)


def test_fully_masked_row_gives_zero_weights_zero_output_and_is_flagged():
    trace = attend(torch.randn(3, 4), torch.randn(5, 4), mask=masks.from_cells(3, 5, [(1, j) for j in range(5)]))
    assert trace.fully_masked.tolist() == [False, True, False]
    assert torch.all(trace.weights[1] == 0) and torch.all(trace.output[1] == 0)
    assert torch.isinf(trace.masked_scores[1]).all() and not torch.isnan(trace.weights).any()


def test_masked_softmax_gradient_has_no_nan_for_a_fully_masked_row():
    scores = torch.randn(2, 4, requires_grad=True)
    mask = torch.tensor([[True, False, True, True], [False] * 4])
    _, weights, _ = masked_softmax(scores, mask)
    (weights * torch.randn(2, 4)).sum().backward()
    assert torch.isfinite(scores.grad).all() and torch.all(scores.grad[1] == 0)


arrays = st.integers(1, 12).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.integers(1, 8),
        st.integers(0, 2**31 - 1),
        st.lists(st.lists(st.booleans(), min_size=n, max_size=n), min_size=n, max_size=n),
    )
)


@settings(max_examples=60, deadline=None)
@given(arrays, st.sampled_from(sorted(REGISTRY)))
def test_properties_rows_sum_to_one_masked_cells_zero_no_nan(case, name):
    n, d, seed, cells = case
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(n, d, generator=generator) * 3
    mask = torch.tensor(cells)
    trace = attend(x, x, similarity=name, mask=mask, params=init_params(name, d, d, seed=seed))
    assert not torch.isnan(trace.weights).any() and not torch.isnan(trace.output).any()
    assert torch.all(trace.weights[~mask] == 0)
    sums = trace.weights.sum(-1)
    visible = mask.any(-1)
    assert torch.allclose(sums[visible], torch.ones_like(sums[visible]), atol=1e-5)
    assert torch.all(sums[~visible] == 0) and torch.equal(trace.fully_masked, ~visible)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 16), st.integers(1, 8), st.integers(0, 2**31 - 1), st.sampled_from(sorted(REGISTRY)))
def test_self_attention_is_permutation_equivariant(n, d, seed, name):
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(n, d, generator=generator)
    perm = torch.randperm(n, generator=generator)
    params = init_params(name, d, d, seed=seed) | {
        "W_Q": torch.randn(d, d, generator=generator),
        "W_K": torch.randn(d, d, generator=generator),
        "W_V": torch.randn(d, d, generator=generator),
    }
    y = attend(x, x, similarity=name, params=params).output
    y_perm = attend(x[perm], x[perm], similarity=name, params=params).output
    assert torch.allclose(y_perm, y[perm], atol=1e-4)


def test_scaling_study_shows_dot_products_saturate_and_scaled_ones_do_not():
    study = scaling_study(dims=(2, 16, 128, 1024), n_keys=16, trials=128)
    dot, scaled = study.grad_norm["dot"], study.grad_norm["scaled_dot"]
    # the score spread grows like √D for plain dot products and stays ≈ 1 when scaled
    assert study.score_std["dot"][-1] / study.score_std["dot"][0] > 10
    assert 0.7 < study.score_std["scaled_dot"][-1] < 1.3
    assert study.max_weight["dot"][-1] > 0.85 and study.max_weight["scaled_dot"][-1] < 0.5
    assert dot[-1] < 0.3 * dot[0] and abs(scaled[-1] - scaled[0]) < 0.1
    assert study.entropy["scaled_dot"][-1] > 3 * study.entropy["dot"][-1]


def test_scaling_study_gradient_is_the_softmax_jacobian_norm():
    """‖∂a/∂e‖ from autograd equals the closed form ‖diag(a) − a aᵀ‖_F for one trial."""
    torch.manual_seed(0)
    study = scaling_study(dims=(8,), n_keys=5, trials=1, seed=7)
    generator = torch.Generator().manual_seed(7)
    q, k = torch.randn(1, 1, 8, generator=generator), torch.randn(1, 5, 8, generator=generator)
    a = (q @ k.transpose(-1, -2)).squeeze().softmax(-1)
    closed = (torch.diag(a) - torch.outer(a, a)).norm()
    assert abs(study.grad_norm["dot"][0].item() - closed.item()) < 1e-5
