"""The Seq2seq page driven like a user: Step / Run / Back / Reset with real clicks, forced attention by clicking a
weight bar, bad input at the field, checkpoints of another task, beam search, the bottleneck plot and training."""

import numpy as np
import pytest
import torch
from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtWidgets import QApplication

from core import seq2seq as s2s

from .images import pixels
from .mouse import click

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def page(window, qtbot):
    page = window.show_page("seq2seq")
    qtbot.waitUntil(lambda: page.isVisible())
    return page


def reference(page, text=None, **kwargs) -> s2s.Decoding:
    """The decode computed directly by the core, for the page's current model and input."""
    model = page.model_entry(page.store.state.model).model
    return s2s.decode(model, s2s.encode(model, text or page.store.state.text), **kwargs)


def click_bar(chart, index: int) -> None:
    target = chart.plot.vb.mapViewToScene(QPointF(float(index), 0.5))
    click(chart.view.viewport(), chart.view.mapFromScene(target))


def test_the_page_opens_first_with_a_bundled_attention_model(window, page):
    assert window.nav.item(0).data(Qt.ItemDataRole.UserRole) == "seq2seq"
    state = page.store.state
    assert state.task == "reverse" and state.model == "bundled:reverse-bahdanau" and state.steps == 0
    assert page.model_combo.count() == 2 and page.encoder_map.values.shape == (page.encoder_trace.states.shape[1], len(state.text))


def test_step_run_back_and_reset_with_real_clicks_fill_the_matrix_row_by_row(page, qtbot):
    full = reference(page)
    for t in (1, 2, 3):
        qtbot.mouseClick(page.step_button, LEFT)
        assert page.matrix.values.shape == (t, len(page.store.state.text))
        np.testing.assert_allclose(page.matrix.values, full.attention()[:t].numpy(), atol=1e-6)
        np.testing.assert_allclose(page.weights_chart.values, full.steps[t - 1].weights.numpy(), atol=1e-6)
        np.testing.assert_allclose(page.scores_chart.values, full.steps[t - 1].scores.numpy(), atol=1e-5)
        np.testing.assert_allclose(page.vectors.values[1], full.steps[t - 1].context.numpy(), atol=1e-6)
    assert page.matrix.row_labels == [f"{s.t} {s.symbol}" for s in full.steps[:3]]
    qtbot.mouseClick(page.back_button, LEFT)
    assert page.matrix.values.shape[0] == 2 and len(page.decoding.steps) == 2
    qtbot.mouseClick(page.run_button, LEFT)
    assert page.decoding.finished and page.decoding.tokens == full.tokens
    np.testing.assert_allclose(page.matrix.values, full.attention().numpy(), atol=1e-6)
    assert not page.step_button.isEnabled() and not page.run_button.isEnabled()
    assert "noitnetta" in page.output_label.text() and "✓ correct" in page.output_label.text()
    qtbot.mouseClick(page.reset_button, LEFT)
    assert page.decoding.steps == () and page.store.state.steps == 0


def test_clicking_a_weight_bar_forces_attention_there_and_undo_lifts_it(window, page, qtbot):
    for _ in range(2):
        qtbot.mouseClick(page.step_button, LEFT)
    enc = page.encoder_trace
    click_bar(page.weights_chart, 4)
    expected = tuple(1.0 if i == 4 else 0.0 for i in range(len(enc.tokens)))
    assert page.store.state.forced == ((2, expected),)
    step2 = page.decoding.steps[1]
    assert step2.forced and torch.equal(step2.context, enc.states[4])
    np.testing.assert_array_equal(page.weights_chart.values, np.array(expected, np.float32))
    np.testing.assert_allclose(page.matrix.values[1], expected)
    assert "forced" in page.output_label.text() and page.clear_forcing_button.isVisible()
    direct = reference(page, max_steps=2, forced={2: expected})
    assert page.decoding.tokens == direct.tokens
    qtbot.mouseClick(page.run_button, LEFT)  # the rest of the decode follows from the forced step
    assert page.decoding.tokens == reference(page, forced={2: expected}).tokens
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo Run
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo the forcing
    assert page.store.state.forced == () and not page.decoding.steps[1].forced


def test_clicking_a_matrix_row_shows_that_step(page, qtbot):
    qtbot.mouseClick(page.run_button, LEFT)
    full = reference(page)
    click(page.matrix.view.viewport(), page.matrix.cell_center(1, 0))
    assert page.shown_step() == 2 and page.matrix.highlighted_row() == 1
    np.testing.assert_allclose(page.weights_chart.values, full.steps[1].weights.numpy(), atol=1e-6)


class PaintCounter(QObject):
    def __init__(self, widgets) -> None:
        super().__init__()
        self.counts = {widget: 0 for widget in widgets}
        for widget in widgets:
            widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            self.counts[watched] += 1
        return False


def test_a_step_repaints_each_changed_view_once_and_leaves_nothing_stale(window, page, qtbot):
    """The views a step changes repaint together (one paint pass of the window, see repaint_together): each once, the
    unchanged encoder states not at all, and what the window shows is what a fresh render of it shows."""
    changed = [page.matrix, page.vectors, page.scores_chart, page.weights_chart, page.probs_chart]
    qtbot.mouseClick(page.step_button, LEFT)
    QApplication.processEvents()
    for t in (2, 3, 4):
        counter = PaintCounter([view.view.viewport() for view in (page.encoder_map, *changed)])
        qtbot.mouseClick(page.step_button, LEFT)
        for _ in range(3):
            QApplication.processEvents()
        assert page.matrix.values.shape[0] == t
        assert [counter.counts[view.view.viewport()] for view in changed] == [1] * len(changed)
        assert counter.counts[page.encoder_map.view.viewport()] == 0
        shown = pixels(window.screen().grabWindow(window.winId()).toImage())  # offscreen: the window's backing store
        assert np.array_equal(shown, pixels(window.grab().toImage()))


def test_before_the_first_step_the_vectors_show_s0_and_grey_rows_the_step_fills_in(page, qtbot):
    """Before a step the vectors view already has its three rows: s_0 on top, c_1 and s_1 grey and read as not yet
    computed. The first step then fills them without a new shape, labels or title (no relayout of the two views)."""
    full = reference(page)
    vectors, probs = page.vectors, page.probs_chart
    np.testing.assert_allclose(vectors.values[0], page.encoder_trace.initial_state.numpy(), atol=1e-6)
    assert [vectors.is_blocked(row, 0) for row in range(3)] == [False, True, True]
    qtbot.mouseMove(vectors.view.viewport(), vectors.cell_center(2, 0).toPoint())
    qtbot.waitUntil(lambda: "not computed yet" in vectors.readout.text())
    labels, title, bars = vectors.row_labels, vectors.plot.titleLabel.text, probs.values.size
    qtbot.mouseClick(page.step_button, LEFT)
    np.testing.assert_allclose(vectors.values, np.stack([full.steps[0].prev_state, full.steps[0].context, full.steps[0].state]), atol=1e-6)
    assert not any(vectors.is_blocked(row, 0) for row in range(3))
    assert (vectors.row_labels, vectors.plot.titleLabel.text, probs.values.size) == (labels, title, bars)
    qtbot.mouseMove(vectors.view.viewport(), vectors.cell_center(2, 1).toPoint())
    qtbot.waitUntil(lambda: vectors.readout.text().endswith(f"value = {full.steps[0].state[1].item():.4g}"))


class LayoutRequestCounter(QObject):
    def __init__(self, widgets):
        super().__init__()
        self.count = 0
        for widget in widgets:
            widget.installEventFilter(self)

    def eventFilter(self, watched, event):  # noqa: N802
        if event.type() == QEvent.Type.LayoutRequest:
            self.count += 1
        return False


def test_a_step_sets_its_labels_without_laying_out_the_page_and_they_follow_a_resize(window, page, qtbot):
    """The output and step labels change at every step; their new texts must not re-lay out the page (a layout pass of
    the whole page per step), yet they still take the width the window gives them. The matrix readout, away from the
    pointer, says how to read the matrix, not its growing shape: it is not repainted at every step."""
    labels = [page.output_label, page.step_label]
    idle = page.matrix.readout.text()
    assert "row t = a_t" in idle
    qtbot.mouseClick(page.step_button, LEFT)
    QApplication.processEvents()
    before = [label.text() for label in labels]
    counter = LayoutRequestCounter([page, page.tabs.currentWidget(), page.matrix, page.matrix.parentWidget()])
    qtbot.mouseClick(page.step_button, LEFT)
    for _ in range(3):
        QApplication.processEvents()
    assert all(label.text() != old for label, old in zip(labels, before))
    assert "Step 2" in page.step_label.text() and page.matrix.readout.text() == idle
    assert counter.count == 0
    for width in (1100, 1400):
        window.resize(width, 820)
        qtbot.waitUntil(lambda: page.output_label.width() == page.output_label.parentWidget().width() > 0)
        for label in labels:
            slot = label.parentWidget()
            assert label.size() == slot.size() and slot.width() >= 0.8 * slot.parentWidget().width() - 16


@pytest.mark.parametrize(
    "typed, message, positions",
    [
        ("Hello!", "“H”, “!” are not in the reverse model's vocabulary", ("H", "!")),
        ("", "Type an input", ()),
        ("a" * 41, "41 characters is longer than this model's limit of 40", ()),
    ],
)
def test_bad_input_is_explained_at_the_field_and_the_last_good_input_kept(page, qtbot, typed, message, positions):
    before = page.store.state
    page.input_field.selectAll()
    if typed:  # pasted, as a whole
        QApplication.clipboard().setText(typed)
        qtbot.keyClick(page.input_field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    else:
        qtbot.keyClick(page.input_field, Qt.Key.Key_Backspace)
    assert page.input_field.text() == typed
    assert page.store.state == before and page.message.isVisible()
    assert message in page.message.text() and "Keeping “attention”" in page.message.text()
    for char in positions:  # each bad character is drawn highlighted
        assert f"font-weight:bold;'>{char}</span>" in page.message.text()
    assert page.input_field.styleSheet()
    page.input_field.selectAll()
    qtbot.keyClicks(page.input_field, "abc")
    assert page.store.state.text == "abc" and not page.message.isVisible() and not page.input_field.styleSheet()


def test_a_checkpoint_for_another_task_is_refused_with_a_clear_message(page, tmp_path):
    sort_path = s2s.save(s2s.build(s2s.Seq2SeqConfig(task="sort", hidden=8, embed_dim=4, attention_dim=8)), tmp_path / "sort.safetensors")
    before = page.store.state
    assert not page.open_checkpoint(str(sort_path))
    assert page.store.state == before and "trained for the sort task, not reverse" in page.message.text()
    assert not page.open_checkpoint(str(tmp_path / "missing.safetensors")) and "no such file" in page.message.text()
    reverse = s2s.build(s2s.Seq2SeqConfig(task="reverse", hidden=8, embed_dim=4, attention_dim=8, max_input_len=12))
    path = s2s.save(reverse, tmp_path / "mine.safetensors")
    assert page.open_checkpoint(str(path))
    assert page.store.state.model.startswith("file:") and page.model_combo.currentText().startswith("Bahdanau attention")
    assert page.model_combo.count() == 3
    assert page.encoder_trace.states.shape == (9, 16)


def test_a_model_that_cannot_read_the_input_is_not_switched_to(page, tmp_path, qtbot):
    short = s2s.save(s2s.build(s2s.Seq2SeqConfig(task="reverse", hidden=8, embed_dim=4, attention_dim=8, max_input_len=5)), tmp_path / "short.safetensors")
    assert not page.open_checkpoint(str(short))
    assert page.store.state.model == "bundled:reverse-bahdanau" and "longer than this model's limit of 5" in page.message.text()


def test_the_no_attention_model_reads_one_fixed_context(page, qtbot):
    page.model_combo.setCurrentIndex(page.model_combo.findData("bundled:reverse-none"))
    assert page.store.state.model == "bundled:reverse-none"
    qtbot.mouseClick(page.step_button, LEFT)
    qtbot.mouseClick(page.step_button, LEFT)
    np.testing.assert_allclose(page.vectors.values[1], page.encoder_trace.final.numpy())
    assert "no weights" in page.weights_chart.plot.titleLabel.text
    click_bar(page.weights_chart, 1)
    assert page.store.state.forced == () and "no attention to force" in page.message.text()


def test_switching_task_picks_its_model_and_example(page, qtbot):
    page.task_combo.setCurrentIndex(page.task_combo.findData("date"))
    state = page.store.state
    assert (state.task, state.model, state.text, state.steps) == ("date", "bundled:date-bahdanau", "29 Nov 2026", 0)
    qtbot.mouseClick(page.run_button, LEFT)
    assert page.decoding.tokens == reference(page).tokens
    assert page.encoder_map.col_labels == ["2", "9", "␣", "N", "o", "v", "␣", "2", "0", "2", "6"]


def test_the_other_tabs_are_built_when_their_tab_is_clicked(page, qtbot):
    from dataclasses import replace

    assert page.tabs.count() == 4 and "beam_tree" not in page.__dict__  # opened on Step through: only its views made
    page.store.set(replace(page.store.state, beam_width=5), "a session's beam width")
    assert "beam_width" not in page.__dict__
    before = set(page.__dict__)
    bar = page.tabs.tabBar()
    qtbot.mouseClick(bar, LEFT, pos=bar.tabRect(1).center())
    assert page.tabs.currentIndex() == 1
    assert set(page.__dict__) - before == page.LATER_TAB_WIDGETS  # the list is exact
    assert page.beam_width.value() == 5 and page.beam.width == 5  # the state's width, computed for the shown tab
    qtbot.waitUntil(lambda: page.beam_tree.isVisible() and page.beam_table.row_count() == len(page.beam.hypotheses))
    with pytest.raises(AttributeError):
        page.no_such_widget


def test_a_widget_of_an_unbuilt_tab_is_there_when_code_asks_for_it(window):
    page = window.show_page("seq2seq")
    assert "train_button" not in page.__dict__
    assert page.train_button.text() == "Train" and page.tabs.widget(3).isAncestorOf(page.train_button)


def test_beam_search_tab_shows_the_tree_and_a_clicked_branch(page, qtbot):
    page.tabs.setCurrentIndex(1)
    page.beam_width.setValue(1)
    greedy = reference(page)
    best = page.beam.hypotheses[0]
    assert page.beam.tokens(best) == greedy.tokens
    page.beam_width.setValue(3)
    beam = page.beam
    assert beam.width == 3 and page.beam_table.row_count() == len(beam.hypotheses)
    other = beam.hypotheses[-1]
    qtbot.waitUntil(lambda: page.beam_tree.node_pos(other).x() > 0)
    click(page.beam_tree.view.viewport(), page.beam_tree.node_pos(other))
    np.testing.assert_allclose(page.beam_matrix.values, beam.attention(other).numpy(), atol=1e-6)
    assert other in page.beam_tree.selected and "log p" in page.beam_tree.readout.text()


def test_the_bottleneck_tab_measures_both_bundled_models(page, qtbot):
    page.bottleneck_per_length.setValue(10)
    page.tabs.setCurrentIndex(2)
    job = page.bottleneck_job
    # the job's result reaches the page through a queued signal, after the worker thread has cleared ``running``
    qtbot.waitUntil(lambda: not job.running and bool(page.bottleneck or job.error), timeout=60_000)
    assert job.error is None
    assert set(page.bottleneck) == {"attention", "none"}
    assert list(page.bottleneck["attention"]) == list(range(4, 41, 4))
    x, y = page.bottleneck_curves["none"].getData()
    assert x.tolist() == list(range(4, 41, 4)) and np.all((0 <= y) & (y <= 100))


def small_training(page):
    page.train_hidden.setValue(8)
    page.train_max_len.setValue(4)
    page.train_steps.setValue(30)


def test_training_in_the_app_reports_progress_and_gives_a_usable_model(page, qtbot, tmp_path):
    page.tabs.setCurrentIndex(3)
    small_training(page)
    with qtbot.waitSignal(page.start_training().succeeded, timeout=60_000):
        pass
    qtbot.waitUntil(lambda: page.use_button.isEnabled())
    assert page.accuracy_curve.getData()[0] is not None and len(page._loss_points) >= 5
    assert "held-out exact match" in page.train_status.text()
    page.input_field.selectAll()
    qtbot.keyClicks(page.input_field, "abcd")
    qtbot.mouseClick(page.use_button, LEFT)
    assert page.store.state.model == "trained:1" and page.tabs.currentIndex() == 0
    assert page.save_trained(str(tmp_path / "mine.safetensors"))
    reloaded = s2s.load(tmp_path / "mine.safetensors", task="reverse")
    mine = page.model_entry("trained:1").model
    assert s2s.decode(reloaded, s2s.encode(reloaded, "abcd")).tokens == s2s.decode(mine, s2s.encode(mine, "abcd")).tokens


def test_cancelling_training_keeps_the_page_as_it_was(page, qtbot):
    page.tabs.setCurrentIndex(3)
    small_training(page)
    page.train_steps.setValue(100_000)
    before = page.store.state
    job = page.start_training()
    qtbot.waitUntil(lambda: len(page._loss_points) >= 1, timeout=30_000)
    with qtbot.waitSignal(job.cancelled, timeout=30_000):
        qtbot.mouseClick(page.cancel_button, LEFT)
    assert "cancelled" in page.train_status.text() and page.train_button.isEnabled()
    assert page.store.state == before and page.trained is None and not page.use_button.isEnabled()


def test_export_gives_the_attention_matrix_and_encoder_states(window, page, qtbot, tmp_path):
    qtbot.mouseClick(page.run_button, LEFT)
    path = window.export_current("npz", str(tmp_path / "s.npz"))
    arrays = np.load(path)
    np.testing.assert_allclose(arrays["attention"], page.decoding.attention().numpy())
    assert arrays["attention__cols"].tolist() == list(page.store.state.text)
    np.testing.assert_allclose(arrays["encoder_states"], page.encoder_trace.states.numpy())


def test_the_page_state_round_trips_through_a_session_file(window, page, qtbot, tmp_path):
    import json
    from dataclasses import replace

    from explorer import session
    from explorer.main_window import MainWindow
    from explorer.pages.seq2seq import Seq2SeqState

    forced = (2, tuple(1.0 if i == 3 else 0.0 for i in range(9)))
    state = replace(page.store.state, steps=4, forced=(forced,), beam_width=5)
    assert session.decode(Seq2SeqState, json.loads(json.dumps(session.encode(state)))) == state
    page.store.set(state, "edit")
    path = window.save_session(str(tmp_path / "lesson.json"))
    fresh = MainWindow(restore_geometry=False, autosave=False)
    qtbot.addWidget(fresh)
    fresh.start_core(sync=True)
    assert fresh.open_session(path)
    restored = fresh.show_page("seq2seq")
    assert restored.store.state == state and len(restored.decoding.steps) == 4 and restored.decoding.steps[1].forced
    fresh.undo_stack.clear()
