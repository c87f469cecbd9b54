"""Three ways to process a sequence: counted steps and path lengths, measured time and peak memory."""

import pytest
import torch

from core.sequence_models import WAYS, build_layers, measure, path_length, peak_bytes, sequential_steps


def test_counted_columns_follow_the_notes():
    assert [sequential_steps(w, 100) for w in ("rnn", "conv", "attention")] == [100, 1, 1]
    assert [path_length(w, 100, kernel=3) for w in ("rnn", "conv", "attention")] == [99, 50, 1]
    assert path_length("conv", 100, kernel=5) == 25 and path_length("rnn", 1) == 0


def test_the_layers_map_n_tokens_to_n_tokens_and_the_two_attention_paths_agree():
    layers = build_layers(dim=16, heads=2)
    x = torch.randn(1, 10, 16)
    with torch.no_grad():
        outputs = {way: layer(x) for way, layer in layers.items()}
    assert all(y.shape == (1, 10, 16) for y in outputs.values())
    assert (outputs["attention"] - outputs["attention_fused"]).abs().max() < 1e-5


def test_peak_memory_counts_what_the_forward_allocates():
    n = 256
    x = torch.randn(1, n, 16)
    one_matrix = n * n * 4
    assert peak_bytes(lambda: x @ x.transpose(1, 2)) >= one_matrix  # the (N, N) result
    layers = build_layers(dim=16, heads=2)
    with torch.no_grad():
        explicit, fused = peak_bytes(lambda: layers["attention"](x)), peak_bytes(lambda: layers["attention_fused"](x))
    assert explicit >= 2 * one_matrix  # every (H, N, N) weight is kept on the explicit path
    assert fused < explicit / 2


def test_measure_reports_each_way_at_each_length_and_stops_when_progress_raises():
    seen = []
    result = measure((8, 32), dim=8, heads=2, repeats=1, progress=lambda f, m, p: seen.append((f, p)))
    assert set(result.measurements) == set(WAYS) and all(len(ms) == 2 for ms in result.measurements.values())
    assert seen[-1][0] == 1.0 and len(seen) == 2 * len(WAYS)
    attention = result.measurements["attention"]
    assert attention[1].peak_bytes > attention[0].peak_bytes and all(m.forward_ms > 0 for m in attention)

    class Stop(Exception):
        pass

    def cancel(fraction, message, payload):
        raise Stop

    with pytest.raises(Stop):
        measure((8,), dim=8, heads=2, repeats=1, progress=cancel)
    with pytest.raises(ValueError, match="unknown ways"):
        measure((8,), ways=("transformer",))
