import torch

from core import masks


def test_mask_helpers_follow_true_means_may_attend():
    assert masks.causal(3).tolist() == [[True, False, False], [True, True, False], [True, True, True]]
    assert masks.causal(2, 4).tolist() == [[True, True, True, False], [True, True, True, True]]
    assert masks.padding(2, 4, n_pad=1).tolist() == [[True, True, True, False]] * 2
    assert masks.local_window(4, window=1)[0].tolist() == [True, True, False, False]
    assert masks.local_window(4, window=1, causal_only=True)[2].tolist() == [False, True, True, False]
    assert masks.block_diagonal([2, 1]).tolist() == [[True, True, False], [True, True, False], [False, False, True]]
    assert masks.from_cells(2, 2, [(0, 1)]).tolist() == [[True, False], [True, True]]
    assert masks.from_cells(2, 2, [(0, 1)], visible=True).tolist() == [[False, True], [False, False]]
    assert masks.key_padding([2, 3], 3).shape == (2, 1, 1, 3)
    assert masks.from_blocked(torch.tensor([True, False])).tolist() == [False, True]
    sparse = masks.random_sparse(50, p=0.5, seed=1)
    assert torch.equal(sparse, masks.random_sparse(50, p=0.5, seed=1)) and sparse.diagonal().all()
    assert 0.35 < 1 - sparse.float().mean() < 0.6
