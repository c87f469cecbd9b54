"""The Transformer page driven like a user: typing tokens, switching models and norms, measuring, rerunning."""

import numpy as np
import pytest
import torch
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QGraphicsItem

from core import positional
from core import tokens as token_core
from core.transformer import POST_NORM_STAGES, PRE_NORM_STAGES, init_params, transformer_forward
from explorer.pages.transformer import TransformerState, _high_value

from .mouse import click


@pytest.fixture
def page(window, qtbot):
    page = window.show_page("transformer")
    qtbot.waitUntil(page.isVisible)
    yield page
    page.stop_jobs()  # never leave a worker running into the next test
    for button in (page.measure_button, page.transfer_button):  # … nor its last signals undelivered
        qtbot.waitUntil(button.isEnabled, timeout=60_000)


def type_tokens(qtbot, page, text):
    """Replace the token field's text with real key events and commit with Enter."""
    field = page.token_input.text
    field.setFocus()
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def expected_stages(state: TransformerState, block: int) -> np.ndarray:
    """Independent of the page: the core called directly, (7, N, D)."""
    tokens = token_core.tokenize(state.text, state.mode)
    x = token_core.embed(tokens, state.dim, seed=state.seed) + positional.encoding_table(state.positional, len(tokens), state.dim, seed=state.seed)
    with torch.no_grad():
        trace = transformer_forward(x, init_params(state.config(), seed=state.seed), state.config())
    return np.stack([t.numpy() for _, t in trace.blocks[block].stages])


@pytest.mark.parametrize("norm_first", [False, True])
def test_editing_one_token_changes_other_rows_only_from_self_attention_on(page, qtbot, norm_first):
    if norm_first:
        click(page.pre_norm, page.pre_norm.rect().center())
        assert page.store.state.norm_first and page.strip.heatmap.plot.titleLabel.text.startswith("block 1 of 2, pre-norm")
    type_tokens(qtbot, page, "the dog sat on the mat .")
    state = page.store.state
    assert state.text == "the dog sat on the mat ." and page.edited_rows == [1]
    # the views show the core's numbers
    np.testing.assert_allclose(page.strip.values, expected_stages(state, 0), atol=1e-5)
    names = PRE_NORM_STAGES if norm_first else POST_NORM_STAGES
    everyone = list(range(7))
    for stage, name in enumerate(names):
        before_attention = stage < names.index("attention")
        assert page.strip.changed_rows(stage) == ([1] if before_attention else everyone), name
    # what the strip shows: unchanged cells washed out, each stage's norm bar orange for the rows that changed
    from explorer.pages.transformer import BAR, CHANGED_BAR, UNCHANGED

    shown = page.strip.shown_classes()  # (N, 7, (D + gap)·r)
    r = page.strip.RESOLUTION
    first_mixing = names.index("attention")
    for stage in range(7):
        cells, gap = shown[:, stage, : state.dim * r], shown[:, stage, state.dim * r:]
        unchanged = [row for row in range(7) if (cells[row] == UNCHANGED).all()]
        assert unchanged == ([0, 2, 3, 4, 5, 6] if stage < first_mixing else []), names[stage]
        assert [int(gap[row].max()) for row in range(7)] == ([BAR, CHANGED_BAR] + [BAR] * 5 if stage < first_mixing else [CHANGED_BAR] * 7)
    assert f"before {'③' if norm_first else '②'} self-attention only the edited rows changed" in page.explanation.text()
    # block 2 reads block 1's output: there every row already differs at its input
    page.block_combo.setCurrentIndex(1)
    assert page.store.state.block == 1
    np.testing.assert_allclose(page.strip.values, expected_stages(page.store.state, 1), atol=1e-5)
    assert all(page.strip.changed_rows(stage) == everyone for stage in range(7))
    # undo takes the edit back, and the comparison then is with the edited sequence
    page.undo_stack.undo()
    page.undo_stack.undo()
    assert page.store.state.text == TransformerState.text and page.edited_rows == [1]


def grab_pixels(widget) -> np.ndarray:
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGBA8888)
    return np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.width(), 4).copy()


def test_cached_tick_axes_show_what_uncached_ones_would(page, qtbot):
    """Heatmaps keep their tick axes as pixmaps (a token edit repaints faster), drawn straight onto the view while
    their labels have just changed: the pixels are those of uncached axes either way, also after a shown label
    changes and the row axis grows."""
    words = [f"w{i}" for i in range(40)]
    type_tokens(qtbot, page, " ".join(words))
    words[0] = "a_much_longer_first_token"  # a shown tick label changes, and the row axis grows
    type_tokens(qtbot, page, " ".join(words))
    QApplication.processEvents()
    views = page.tabs.currentWidget()
    axes = [heatmap.plot.getAxis(name) for heatmap in (page.strip.heatmap, page.attention_map) for name in ("left", "bottom")]
    first = grab_pixels(views)  # (new labels: drawn straight onto the view, or again through a pixmap once repainted)
    views.update()  # a repaint with the same labels takes the pixmaps up again
    qtbot.waitUntil(lambda: all(axis.cacheMode() == QGraphicsItem.CacheMode.DeviceCoordinateCache for axis in axes))
    cached = grab_pixels(views)
    for axis in axes:
        axis.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    QApplication.processEvents()
    uncached = grab_pixels(views)
    np.testing.assert_array_equal(first, uncached)
    np.testing.assert_array_equal(cached, uncached)


def test_bad_input_keeps_the_last_good_state_with_a_message_where_it_was_given(page, qtbot):
    before = page.store.state
    type_tokens(qtbot, page, "   ")
    assert page.token_input.error.isVisible() and "at least one token" in page.token_input.error.text()
    assert page.store.state == before
    page.heads_spin.setValue(5)  # 64 is not divisible by 5
    assert page.message.isVisible() and "not divisible by H = 5" in page.message.text()
    assert page.store.state == before
    page.dim_spin.setValue(60)  # now D = 60, H = 5 is a valid shape
    assert page.store.state.dim == 60 and page.store.state.heads == 5 and not page.message.isVisible()
    assert page.strip.values.shape == (7, 7, 60)
    type_tokens(qtbot, page, " ".join(["w"] * 300))
    assert "limit of 256" in page.token_input.error.text() and page.store.state.dim == 60


def test_the_counting_encoder_reads_letters_and_answers_counts(page, qtbot):
    page.model_combo.setCurrentIndex(page.model_combo.findData("counting"))
    state = page.store.state
    assert state.model == "counting" and (state.text, state.mode) == ("hello world", "chars")
    assert page.message.isVisible() and "lower-case letters" in page.message.text()
    assert not page.dim_spin.isEnabled() and page.dim_spin.value() == 64 and page.post_norm.isChecked()
    assert page.page_trace.tokens[0] == "<s>" and page.page_trace.predictions[1:] == ("1", "1", "3", "3", "2", "1", "1", "2", "1", "3", "1")
    assert "l:3" in page.explanation.text()
    before = page.store.state
    type_tokens(qtbot, page, "Hello World")  # capitals are not in its vocabulary
    assert page.token_input.error.isVisible() and "'H'" in page.token_input.error.text()
    assert page.store.state == before
    type_tokens(qtbot, page, "hellp world")
    assert page.page_trace.predictions[5] == "1" and page.edited_rows == [5]  # "p" (row 5 after <s>) occurs once
    assert page.strip.changed_rows(0) == [5]
    # hovering a cell of stage ② names the stage, the token, the dim and the value
    heatmap = page.strip.heatmap
    width = 64 + page.strip.gap(64)
    QApplication.processEvents()  # let the layout settle (the note above the tabs just went away)
    qtbot.mouseMove(heatmap.view.viewport(), heatmap.cell_center(5, width + 10).toPoint())
    qtbot.waitUntil(lambda: "self-attention" in page.stage_readout.text())
    value = page.strip.values[1, 5, 10]
    assert "token “p” (row 6)" in page.stage_readout.text() and f"dim 10: {value:.4g}" in page.stage_readout.text()


def test_layer_norm_vs_batch_norm_tab(page, qtbot):
    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: page.norm_study is not None)
    study = page.norm_study
    assert torch.equal(study.sample, page.page_trace.trace.blocks[0].input)
    table = page.norms_table
    assert table.row_count() == 7 and all(table.text(row, 0) == "0" for row in range(7))
    assert all(float(table.text(row, 1)) > 0.05 for row in range(1, 7))
    np.testing.assert_allclose(page.norms_chart.values, [c.batch_norm_change for c in study.cases], rtol=1e-6)
    click(table.viewport(), table.visualRect(table.model().index(5, 1)).center())
    assert page.case_combo.currentIndex() == 5 and "B = 8, lengths 2–64" in page.bn_map.plot.titleLabel.text
    np.testing.assert_allclose(page.ln_map.values, page.norm_study.cases[0].layer_norm.numpy())
    assert "β = 0" in page.degenerate_label.text()


def test_three_ways_measured_in_a_worker_and_cancel_leaves_the_page_usable(page, qtbot):
    page.tabs.setCurrentIndex(2)
    page.length_slider.setValue(2)  # N = 16, 32, 64
    job = page.measure_three_ways(sync=True)
    assert job.error is None and page.measure_button.isEnabled() and not page.measure_cancel.isEnabled()
    attention = page.three_ways["attention"]
    assert [m.n for m in attention] == [16, 32, 64]
    assert page.ways_curves["peak_mib", "attention"].yData.size == 3
    assert page.ways_table.text(0, 0) == "64" and page.ways_table.text(2, 1) == "1 layer"
    # a long measurement in the thread pool, cancelled from its button
    page.length_slider.setValue(8)  # up to N = 4096
    job = page.measure_three_ways()
    # wait on what the page shows (its slots run on the GUI thread), not on the worker's own signals
    qtbot.waitUntil(lambda: len(page.three_ways["attention"]) >= 1, timeout=60_000)
    assert job.running and not page.measure_button.isEnabled() and not page.length_slider.isEnabled()
    qtbot.mouseClick(page.measure_cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.measure_button.isEnabled(), timeout=120_000)
    assert "Cancelled" in page.measure_status.text() and page.length_slider.isEnabled() and not job.running
    # it stopped early (not every way at all 9 lengths; on a busy machine the worker may be far on when the click
    # lands, so which way stopped first is not fixed); what was measured is kept
    assert 1 <= sum(len(measured) for measured in page.three_ways.values()) < len(page.three_ways) * 9
    page.tabs.setCurrentIndex(0)
    type_tokens(qtbot, page, "a cancelled measurement leaves the page usable")
    assert page.page_trace.tokens[0] == "a"


def test_transfer_curves_are_bundled_and_rerun_in_a_worker(page, qtbot):
    page.tabs.setCurrentIndex(3)
    bundled = page.transfer
    assert bundled is not None and sorted(bundled.pretrained) == [16, 128]
    curve = page.transfer_curves["pretrained", 128]
    np.testing.assert_allclose(curve.yData, bundled.pretrained[128])
    assert "Bundled curves" in page.transfer_status.text()
    job = page.rerun_transfer(sync=True, steps=4, examples=(2,))
    assert job.error is None and page.transfer.steps[-1] == 4 and sorted(page.transfer.pretrained) == [2]
    assert page.transfer_curves["pretrained", 2].yData.size == len(page.transfer.steps)
    assert ("pretrained", 128) not in page.transfer_curves  # the bundled curves make way for the rerun's
    assert "This run's curves" in page.transfer_status.text() and page.transfer_button.isEnabled()


def test_export_writes_the_stages_and_what_changed(page, qtbot, tmp_path):
    type_tokens(qtbot, page, "the cat sat on a mat .")
    path = page.window().export_current("npz", str(tmp_path / "stages.npz"))
    data = np.load(path)
    assert data["block1_2_attention"].shape == (7, 64) and data["block1_1_input__rows"].tolist()[4] == "a"
    np.testing.assert_allclose(data["block1_4_norm1"], page.strip.values[3])
    assert data["block1_1_input_changed"].any(axis=1).tolist() == [False] * 4 + [True] + [False] * 2
    assert "transfer_pretrained_128" in data and data["attention_weights"].shape == (7, 7)


def test_cancelling_a_transfer_rerun_keeps_the_previous_curves(page, qtbot):
    page.tabs.setCurrentIndex(3)
    bundled = page.transfer
    job = page.rerun_transfer(steps=2000, examples=(2,))
    qtbot.waitUntil(lambda: bool(page.transfer_live), timeout=60_000)  # live points reach the plot while it runs
    assert ("pretrained", 2) in page.transfer_curves and not page.transfer_button.isEnabled()
    qtbot.mouseClick(page.transfer_cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.transfer_button.isEnabled(), timeout=60_000)
    assert not job.running and page.transfer is bundled and page.transfer_status.text().startswith("Cancelled")
    np.testing.assert_allclose(page.transfer_curves["scratch", 16].yData, bundled.scratch[16])


def test_stage_colour_scale_holds_still_while_values_stay_inside_it(page, qtbot):
    """The colour bound is a round number over the 99.5th percentile of |x|; edits that keep the values between
    half the bound and the bound leave it (and every cell's colour scale) where it was; larger values raise it."""
    words = [f"w{i}" for i in range(64)]
    bounds = []
    for i in range(12):
        words[(7 * i) % len(words)] = f"edit{i}"
        type_tokens(qtbot, page, " ".join(words))
        qtbot.waitUntil(lambda: page.page_trace.tokens == tuple(words))
        stages = page.page_trace.stages[page.store.state.block]
        value = _high_value(stages)
        bound = page.strip.heatmap.levels[1]
        assert page.strip.heatmap.levels == (-bound, bound)
        assert value <= bound  # the scale always covers the values it claims to
        if bounds:
            assert bound == bounds[-1] or not 0.5 * bounds[-1] <= value <= bounds[-1]
        bounds.append(bound)
    page._stage_bound = 0.01 * bounds[-1]  # a bound the values outgrow: it is raised
    page._refresh_stages()
    assert page.strip.heatmap.levels[1] >= value


def test_high_value_is_an_order_statistic_near_the_995th_percentile():
    rng = np.random.default_rng(3)
    stages = rng.standard_normal((7, 128, 64)).astype(np.float32)
    sample = np.sort(np.abs(stages.ravel()[::7]))
    value = _high_value(stages)
    assert value in sample
    assert np.percentile(sample, 99.4) <= value <= np.percentile(sample, 99.5)
