"""Attention by blocks of query rows on two threads (core.rows) against the one-thread computation."""

import threading

import pytest
import torch

from core import masks, rows
from core.self_attention import SelfAttentionConfig, init_params, self_attention


def _qkv(n_q: int, n_k: int, d: int = 16, d_v: int = 8, seed: int = 0):
    generator = torch.Generator().manual_seed(seed)
    return (torch.randn(n_q, d, generator=generator), torch.randn(n_k, d, generator=generator), torch.randn(n_k, d_v, generator=generator))


@pytest.mark.parametrize("masked", [False, True])
def test_rows_split_over_two_threads_give_the_one_thread_result(masked):
    q, k, v = _qkv(203, 97)  # rows not a multiple of the blocks: the last block is shorter
    mask = None
    if masked:
        mask = torch.rand(203, 97, generator=torch.Generator().manual_seed(1)) < 0.7
        mask[[0, 50, 202]] = False  # fully-masked rows in the first, a middle and the last block
    one = rows.scaled_dot_attention(q, k, v, mask, split=False)
    two = rows.scaled_dot_attention(q, k, v, mask, split=True)
    for name, a, b in zip(("scores", "masked scores", "weights", "output", "fully masked"), one, two):
        assert a.shape == b.shape, name
        if a.dtype == torch.bool:
            assert torch.equal(a, b), name
        else:
            assert torch.allclose(a, b, atol=1e-6, rtol=0) and torch.equal(a.isneginf(), b.isneginf()), name
    if masked:
        assert two[4][[0, 50, 202]].all() and not two[2][[0, 50, 202]].any() and not two[3][[0, 50, 202]].any()
        assert (two[2][~mask] == 0).all() and torch.allclose(two[2][~two[4]].sum(-1), torch.ones(200))


def test_the_worker_thread_takes_blocks_of_rows(monkeypatch):
    seen = set()
    matmul = torch.matmul

    def recording_matmul(*args, **kwargs):
        seen.add(threading.current_thread().name.split("_")[0])
        return matmul(*args, **kwargs)

    monkeypatch.setattr(rows.torch, "matmul", recording_matmul)
    q, k, v = _qkv(64, 64)
    blocks_left = threading.Event()

    # The calling thread waits until the worker has taken a block, so both threads are seen whatever the timing.
    original_softmax = torch.softmax

    def softmax(*args, **kwargs):
        if threading.current_thread() is threading.main_thread():
            blocks_left.wait(timeout=10)
        else:
            blocks_left.set()
        return original_softmax(*args, **kwargs)

    monkeypatch.setattr(rows.torch, "softmax", softmax)
    rows.scaled_dot_attention(q, k, v, split=True)
    assert seen == {"MainThread", "attention-rows"}


def test_an_error_in_a_block_reaches_the_caller():
    q, k, v = _qkv(64, 64)
    with pytest.raises(RuntimeError):
        rows.scaled_dot_attention(q, k, v[:-1], split=True)  # one value short: every block's a v fails


def test_without_a_worker_thread_the_caller_takes_every_block(monkeypatch):
    class Refusing:
        def submit(self, *args):
            raise RuntimeError("cannot schedule new futures after interpreter shutdown")

    q, k, v = _qkv(64, 64)
    expected = rows.scaled_dot_attention(q, k, v, split=False)
    monkeypatch.setattr(rows, "_worker", Refusing)
    assert all(torch.allclose(a, b, atol=1e-6) for a, b in zip(expected[:4], rows.scaled_dot_attention(q, k, v, split=True)))


def test_splitting_is_chosen_only_where_it_is_faster(monkeypatch):
    monkeypatch.setattr(rows, "cores", lambda: 2)
    monkeypatch.setattr(rows.torch, "get_num_threads", lambda: 1)
    big, small = torch.zeros(1024, 64), torch.zeros(256, 64)
    assert rows.worth_splitting(big, big)
    assert not rows.worth_splitting(small, small)  # 65 536 scores: handing rows over costs more than it saves
    assert not rows.worth_splitting(big.requires_grad_(), big)  # out= tensors would cut the autograd graph
    with torch.no_grad():
        assert rows.worth_splitting(big, big)
    monkeypatch.setattr(rows, "cores", lambda: 1)
    assert not rows.worth_splitting(small.new_zeros(1024, 64), small.new_zeros(1024, 64))
    monkeypatch.setattr(rows, "cores", lambda: 8)
    monkeypatch.setattr(rows.torch, "get_num_threads", lambda: 8)  # torch's own threads split every operation already
    assert not rows.worth_splitting(small.new_zeros(1024, 64), small.new_zeros(1024, 64))


def test_long_self_attention_split_over_threads_is_the_formula(monkeypatch):
    monkeypatch.setattr(rows, "worth_splitting", lambda q, k: True)
    config = SelfAttentionConfig(dim=32, d_qk=16, d_v=8, seed=3)
    params = init_params(config)
    x = torch.randn(300, 32, generator=torch.Generator().manual_seed(4))
    mask = masks.causal(300)
    trace = self_attention(x, params, mask=mask)
    q, k, v = x @ params["W_Q"], x @ params["W_K"], x @ params["W_V"]
    weights = torch.softmax((q @ k.T / 4).masked_fill(~mask, float("-inf")), dim=-1)
    assert torch.allclose(trace.weights, weights, atol=1e-6) and torch.allclose(trace.output, weights @ v, atol=1e-5)
    assert (trace.weights[~mask] == 0).all() and torch.isneginf(trace.masked_scores[~mask]).all()
