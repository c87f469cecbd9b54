"""Multi-head attention against torch.nn.MultiheadAttention and F.scaled_dot_product_attention."""

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from core import masks
from core.multihead import init_params, multi_head_attention


def _nonempty_rows(mask: torch.Tensor) -> torch.Tensor:
    """Give every row at least one visible key (nn.MultiheadAttention returns NaN for an empty row)."""
    mask = mask.clone()
    mask[..., 0] |= ~mask.any(-1)
    return mask


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 4),  # heads
    st.integers(1, 8),  # per-head size
    st.integers(1, 9),  # Nq
    st.integers(1, 9),  # Nk
    st.integers(1, 3),  # batch
    st.booleans(),  # batched?
    st.sampled_from(["none", "random", "causal"]),
    st.integers(0, 2**31 - 1),
)
def test_parity_with_torch_multihead_attention(heads, head_dim, n_q, n_k, batch, batched, mask_kind, seed):
    torch.manual_seed(seed)
    embed = heads * head_dim
    module = torch.nn.MultiheadAttention(embed, heads, batch_first=True)
    with torch.no_grad():
        module.in_proj_bias.normal_()
        module.out_proj.bias.normal_()
    shape = (batch,) if batched else ()
    q, k, v = torch.randn(*shape, n_q, embed), torch.randn(*shape, n_k, embed), torch.randn(*shape, n_k, embed)
    mask = None
    if mask_kind == "random":
        mask = _nonempty_rows(torch.rand(n_q, n_k) > 0.4)
    elif mask_kind == "causal":
        mask = _nonempty_rows(masks.causal(n_q, n_k))
    expected, expected_w = module(q, k, v, attn_mask=None if mask is None else ~mask, average_attn_weights=False)
    trace = multi_head_attention(q, k, v, module.state_dict(), heads, mask=mask)
    assert trace.output.shape == expected.shape and trace.weights.shape == expected_w.shape
    assert (trace.output - expected).abs().max() <= 1e-5
    assert (trace.weights - expected_w).abs().max() <= 1e-5
    assert (trace.mean_weights - expected_w.mean(-3)).abs().max() <= 1e-5
    fused = multi_head_attention(q, k, v, module.state_dict(), heads, mask=mask, need_weights=False)
    assert fused.weights is None and (fused.output - trace.output).abs().max() <= 1e-5


def test_parity_with_separate_key_and_value_sizes():
    torch.manual_seed(0)
    module = torch.nn.MultiheadAttention(12, 3, kdim=5, vdim=7, batch_first=True)
    q, k, v = torch.randn(2, 4, 12), torch.randn(2, 6, 5), torch.randn(2, 6, 7)
    expected, weights = module(q, k, v, average_attn_weights=False)
    trace = multi_head_attention(q, k, v, module.state_dict(), 3)
    assert (trace.output - expected).abs().max() <= 1e-5 and (trace.weights - weights).abs().max() <= 1e-6


def test_per_head_sizes_and_the_stages_fit_together():
    params = init_params(16, 4, d_query=3, d_value=5, seed=1)
    x = torch.randn(7, 16)
    trace = multi_head_attention(x, x, x, params, 4)
    assert trace.q.shape == (4, 7, 3) and trace.v.shape == (4, 7, 5)
    assert trace.concat.shape == (7, 20) and trace.output.shape == (7, 16)
    # each head is plain scaled-dot attention on its own slice
    head = 2
    weights = (trace.q[head] @ trace.k[head].T / 3**0.5).softmax(-1)
    assert torch.allclose(trace.weights[head], weights, atol=1e-6)
    assert torch.allclose(trace.concat[:, head * 5 : (head + 1) * 5], weights @ trace.v[head], atol=1e-6)


def test_switching_a_head_off_removes_exactly_its_contribution():
    params = init_params(8, 2, seed=2, bias=False)
    x = torch.randn(5, 8)
    full = multi_head_attention(x, x, x, params, 2)
    off = multi_head_attention(x, x, x, params, 2, head_mask=[1.0, 0.0])
    w_o = params["out_proj.weight"]
    contribution = full.head_outputs[1] @ w_o[:, 4:].T
    assert torch.allclose(full.output - off.output, contribution, atol=1e-6)
    assert torch.all(off.concat[:, 4:] == 0)


def test_fused_and_explicit_paths_agree_on_every_mask_helper():
    torch.manual_seed(3)
    params = init_params(32, 4, seed=3)
    x = torch.randn(2, 16, 32)
    for mask in (masks.causal(16), masks.local_window(16, window=3), masks.block_diagonal([5, 6, 5]), masks.key_padding([16, 9], 16)):
        explicit = multi_head_attention(x, x, x, params, 4, mask=mask)
        fused = multi_head_attention(x, x, x, params, 4, mask=mask, need_weights=False)
        assert (explicit.output - fused.output).abs().max() <= 1e-5


def test_fully_masked_rows_have_no_nan_in_either_path():
    params = init_params(8, 2, seed=4)
    x = torch.randn(4, 8)
    mask = masks.causal(4)
    mask[2] = False
    for need_weights in (True, False):
        trace = multi_head_attention(x, x, x, params, 2, mask=mask, need_weights=need_weights)
        assert torch.isfinite(trace.output).all()
        assert trace.fully_masked[:, 2].all() and torch.all(trace.head_outputs[:, 2] == 0)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda p, x: multi_head_attention(x, x, x, p, 3), "divisible"),
        (lambda p, x: multi_head_attention(x, x, x[:, :4], p, 2), "value vectors"),
        (lambda p, x: multi_head_attention(x, x, x, {}, 2), "missing parameter"),
        (lambda p, x: multi_head_attention(x, x, x, p, 2, mask=torch.ones(3, 3, dtype=torch.bool)), "broadcast"),
        (lambda p, x: multi_head_attention(x, x, x, p, 2, head_mask=[1.0]), "head_mask"),
    ],
)
def test_bad_input_raises_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call(init_params(8, 2), torch.randn(5, 8))


def test_large_scores_computed_head_by_head_are_the_batched_numbers(monkeypatch):
    """From PER_HEAD_CELLS on, unmasked scaled-dot attention runs one head at a time (for the cache): the same scores,
    weights and outputs as the batched expressions, and SDPA's outputs to 1e-5; with gradients it stays batched."""
    import core.multihead as multihead

    generator = torch.Generator().manual_seed(7)
    q, k, v = (torch.randn(2, 3, 520, 16, generator=generator) for _ in range(3))
    with torch.no_grad():
        assert multihead._one_head_at_a_time(q, k, v)
        per_head = multihead.attention_heads(q, k, v)
        monkeypatch.setattr(multihead, "PER_HEAD_CELLS", 10**12)
        batched = multihead.attention_heads(q, k, v)
        reference = F.scaled_dot_product_attention(q, k, v)
    for ours, theirs in zip(per_head, batched):
        assert ours.shape == theirs.shape and torch.equal(ours, theirs)
    assert (per_head[0] - reference).abs().max() <= 1e-5
    assert not multihead._one_head_at_a_time(q.requires_grad_(), k, v)
