"""Text page at 512 tokens: how fast the head view and the model view answer an interaction, offscreen.

Each sample runs what the event loop runs after the user's action — the handler the widget calls, then
QApplication.processEvents() until every dirty view has repainted:

  head_view.layer_change     the layer spin box steps (state → views: lines rebuilt, per-head strip, note)
  head_view.token_hover      the pointer moves onto another visible token (its lines, cells and per-head strip)
  model_view.layer_change    the layer spin box steps on the model view (frame moved, enlarged map replaced)
  model_view.thumbnail_hover the pointer moves over the mosaic (exact readout of the pooled cell)

for the bundled tiny BERT (4 layers × 4 heads) and a BERT-base-sized random model (12 × 12, D = 768, built here
in the canonical layout: no download). Also: the core's forward pass at 512 tokens. Goal: p95 ≤ 50 ms.
Each figure has the wall time and the GUI thread's CPU time (cpu_*): on a shared 2-core machine the first
includes waiting for a core; the load average at start and end says how busy the machine was.
Run: QT_QPA_PLATFORM=offscreen python benchmarks/text.py [--repeats 60]
"""

from __future__ import annotations

import argparse
import os
import pathlib
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from benchmarks._common import emit, summary, timed_ms, offscreen_window  # noqa: E402

TOKENS = 512


def base_sized_model():
    """A BERT-base-sized TextModel with random weights (canonical names), 30522 × 768 embeddings."""
    import torch

    from core import text_models

    config = text_models.TextConfig("bert", vocab_size=30522, max_positions=512, dim=768, layers=12, heads=12, ffn_dim=3072, layer_norm_eps=1e-12, activation="gelu", type_vocab_size=2)
    generator = torch.Generator().manual_seed(0)
    d, f = config.dim, config.ffn_dim

    def rand(*shape):
        return torch.randn(*shape, generator=generator) * 0.05

    weights = {"embed.tokens": rand(config.vocab_size, d), "embed.positions": rand(512, d), "embed.segments": rand(2, d), "embed.norm.weight": torch.ones(d), "embed.norm.bias": torch.zeros(d)}
    for i in range(config.layers):
        p = f"layers.{i}."
        weights.update({
            p + "attn.in_proj_weight": rand(3 * d, d), p + "attn.in_proj_bias": rand(3 * d), p + "attn.out_proj.weight": rand(d, d), p + "attn.out_proj.bias": rand(d),
            p + "norm1.weight": torch.ones(d), p + "norm1.bias": torch.zeros(d), p + "mlp.fc1.weight": rand(f, d), p + "mlp.fc1.bias": rand(f),
            p + "mlp.fc2.weight": rand(d, f), p + "mlp.fc2.bias": rand(d), p + "norm2.weight": torch.ones(d), p + "norm2.bias": torch.zeros(d),
        })
    return text_models.TextModel("bert-base-sized-random", config, weights, None, pathlib.Path("/benchmark/bert-base-sized-random"))


def make_window():
    return offscreen_window()


def measure(app, action, repeats: int) -> dict:
    """Wall time per interaction, and the GUI thread's CPU time: on a shared machine the wall time also holds
    the time spent waiting for a core, the CPU time only the work this app does."""
    wall, cpu = [], []
    for index in range(repeats):
        start, start_cpu = time.perf_counter(), time.thread_time()
        action(index)
        app.processEvents()
        wall.append((time.perf_counter() - start) * 1000.0)
        cpu.append((time.thread_time() - start_cpu) * 1000.0)
    result = summary(wall[3:])
    cpu_summary = summary(cpu[3:])
    result.update({"cpu_p50_ms": cpu_summary["p50_ms"], "cpu_p95_ms": cpu_summary["p95_ms"]})
    return result


def page_interactions(app, page, model, ids: list[int], repeats: int) -> dict:
    from dataclasses import replace

    from PySide6.QtCore import QPointF

    from explorer.pages import text as text_page

    page._register(model)
    key = str(model.path)
    page.store.set(replace(page._state_for_model(page.store.state, key, model), input="ids", ids=" ".join(map(str, ids)), pinned=""), "benchmark")
    app.processEvents()
    assert page.trace.trace.length == TOKENS, page.input_message.text()
    layers = model.config.layers
    result = {"layers": layers, "heads": model.config.heads, "tokens": page.trace.trace.length}

    page.tabs.setCurrentIndex(text_page.TAB_HEAD)
    app.processEvents()
    result["head_view_layer_change"] = measure(app, lambda i: page.layer_spin.setValue(1 + (page.layer_spin.value() % layers)), repeats)
    result["head_view_lines_unfocused"] = page.head_view.line_count
    view = page.head_view
    rng = np.random.default_rng(0)

    def hover(i: int) -> None:  # the pointer goes to another token on screen, on the query or the key side
        first, last = view._visible_rows()
        side = "query" if (i // 8) % 2 else "key"
        point = QPointF(view.token_center(side, int(rng.integers(first + 2, last - 3))))
        view._on_pointer(point)  # what a mouse move over the canvas calls

    result["head_view_token_hover"] = measure(app, hover, repeats)
    view._on_pointer(None)

    page.tabs.setCurrentIndex(text_page.TAB_MODEL)
    app.processEvents()
    result["model_view_layer_change"] = measure(app, lambda i: page.layer_spin.setValue(1 + (page.layer_spin.value() % layers)), repeats)
    mosaic = page.mosaic_view
    rows, cols = mosaic.values.shape

    def hover_mosaic(i: int) -> None:
        scene = mosaic.plot.vb.mapViewToScene(QPointF(float(rng.integers(cols)), float(rng.integers(rows))))
        mosaic._on_mouse_moved(scene)  # what the heatmap's event filter calls on a mouse move

    result["model_view_thumbnail_hover"] = measure(app, hover_mosaic, repeats)
    page.tabs.setCurrentIndex(text_page.TAB_HEAD)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=60)
    args = parser.parse_args()
    app, window = make_window()
    page = window.show_page("text")
    app.processEvents()
    import torch

    from core import text_models

    tiny = page.trace.model
    big = base_sized_model()
    rng = np.random.default_rng(1)
    result: dict = {"benchmark": "text", "goal_p95_ms": 50.0, "tokens": TOKENS, "load_average_at_start": round(os.getloadavg()[0], 2)}
    for name, model in (("tiny_bert_bundled", tiny), ("bert_base_sized", big)):
        ids = [int(i) for i in rng.integers(5, model.config.vocab_size, TOKENS)]
        forward = [timed_ms(lambda: text_models.run(model, ids)) for _ in range(3)]
        figures = {"forward_ms": round(min(forward), 1)}
        figures.update(page_interactions(app, page, model, ids, args.repeats))
        result[name] = figures
    result["torch_threads"] = torch.get_num_threads()
    result["load_average_at_end"] = round(os.getloadavg()[0], 2)
    window.undo_stack.clear()
    window.close()
    emit(result)


if __name__ == "__main__":
    main()
