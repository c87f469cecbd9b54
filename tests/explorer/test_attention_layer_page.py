"""The Attention Layer page driven like a user: drags, clicks and typing, checked against the core."""

import numpy as np
import pytest
import torch
from PySide6.QtCore import Qt

from core.attention import attend
from core.similarity import init_params
from explorer.pages.attention_layer import AttentionLayerState, compute

from .mouse import click, drag


def expected_weights(state: AttentionLayerState) -> np.ndarray:
    """Independent of the page: the core called directly with the state's numbers."""
    params = {}
    if state.projections:
        params = {"W_Q": np.array(state.w_q), "W_K": np.array(state.w_k), "W_V": np.array(state.w_v)}
    params |= init_params(state.similarity, 2, 2, seed=state.similarity_seed)
    if state.similarity == "cosine":
        params["temperature"] = state.temperature
    return attend(np.array(state.queries), np.array(state.inputs), similarity=state.similarity, params=params, device="cpu").weights.numpy()


def test_dragging_an_input_moves_it_and_every_view_follows(attention_page, qtbot):
    page = attention_page
    canvas = page.canvas
    before = page.store.state
    start = canvas.widget_pos(*before.inputs[0])
    end = canvas.widget_pos(-1.0, 2.0)
    drag(canvas.view.viewport(), start, end)
    moved = page.store.state.inputs[0]
    assert moved == pytest.approx((-1.0, 2.0), abs=0.05)
    assert page.store.state.inputs[1:] == before.inputs[1:]
    weights = expected_weights(page.store.state)[0]
    np.testing.assert_allclose(page.weights_chart.values, weights, atol=1e-6)
    inputs, query = np.array(page.store.state.inputs), np.array(page.store.state.queries[0])
    scores = inputs @ query / np.sqrt(2)  # e_i = q·x_i/√D
    np.testing.assert_allclose(page.scores_chart.values, scores, atol=1e-5)
    assert [page.table.text(i, 2) for i in range(len(inputs))] == [f"{e:.4f}" for e in scores]
    np.testing.assert_allclose(canvas.points("inputs")[0], moved)
    assert page.table.text(0, 3) == f"{weights[0]:.4f}"
    # the output star sits at y = Σ a_i x_i
    np.testing.assert_allclose(canvas.points("outputs")[0], weights @ np.array(page.store.state.inputs), atol=1e-5)
    page.tabs.setCurrentWidget(page.heatmap)  # a hidden tab is filled when it is opened
    np.testing.assert_allclose(page.heatmap.values, expected_weights(page.store.state), atol=1e-6)
    # the whole drag is one undo step
    page.undo_stack.undo()
    assert page.store.state == before


def test_dragging_the_query_changes_the_weights(attention_page):
    page = attention_page
    canvas = page.canvas
    old = page.weights_chart.values.copy()
    drag(canvas.view.viewport(), canvas.widget_pos(*page.store.state.queries[0]), canvas.widget_pos(-1.2, 0.9))
    new = page.weights_chart.values
    assert page.store.state.queries[0] == pytest.approx((-1.2, 0.9), abs=0.05)
    assert np.argmax(new) == 2 != np.argmax(old)  # now closest to x3 = (-1.2, 0.9)


def test_add_and_remove_inputs_within_one_to_sixteen(attention_page, qtbot):
    page = attention_page
    qtbot.mouseClick(page.add_input_button, Qt.MouseButton.LeftButton)
    assert len(page.store.state.inputs) == 5 and page.weights_chart.values.size == 5
    assert page.table.row_count() == 5
    for _ in range(4):
        qtbot.mouseClick(page.remove_input_button, Qt.MouseButton.LeftButton)
    assert len(page.store.state.inputs) == 1
    assert page.weights_chart.values.tolist() == [1.0]
    qtbot.mouseClick(page.remove_input_button, Qt.MouseButton.LeftButton)
    assert len(page.store.state.inputs) == 1
    assert page.message.isVisible() and "At least one input" in page.message.text()
    for _ in range(20):
        qtbot.mouseClick(page.add_input_button, Qt.MouseButton.LeftButton)
    assert len(page.store.state.inputs) == 16 and not page.add_input_button.isEnabled()


@pytest.mark.parametrize("name", ["dot", "scaled_dot", "general", "additive", "cosine"])
def test_choosing_a_similarity_recomputes_with_it(attention_page, name):
    page = attention_page
    page.similarity_combo.setCurrentIndex(page.similarity_combo.findData(name))
    assert page.store.state.similarity == name
    np.testing.assert_allclose(page.weights_chart.values, expected_weights(page.store.state)[0], atol=1e-6)
    assert page.formula.text().startswith("e =")
    assert page.temperature.isVisibleTo(page) == (name == "cosine")


def test_cosine_temperature_sharpens_the_weights(attention_page):
    page = attention_page
    page.similarity_combo.setCurrentIndex(page.similarity_combo.findData("cosine"))
    page.temperature.setValue(2.0)
    soft = page.weights_chart.values.max()
    page.temperature.setValue(0.05)
    assert page.weights_chart.values.max() > soft + 0.3
    np.testing.assert_allclose(page.weights_chart.values, expected_weights(page.store.state)[0], atol=1e-6)


def test_projections_split_keys_and_values_and_matrix_edits_validate(attention_page, qtbot):
    page = attention_page
    assert not page.canvas.layer_visible("keys")
    qtbot.mouseClick(page.projections, Qt.MouseButton.LeftButton)
    assert page.store.state.projections and page.canvas.layer_visible("keys") and page.canvas.layer_visible("values")
    field = page.matrix_editors["w_k"].fields[0][1]
    field.selectAll()
    qtbot.keyClicks(field, "abc")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    editor = page.matrix_editors["w_k"]
    assert editor.error.isVisible() and "not a number" in editor.error.text()
    assert page.store.state.w_k == ((1.0, 0.0), (0.0, 1.0))  # last good state kept
    field.selectAll()
    qtbot.keyClicks(field, "nan")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert "finite" in editor.error.text() and page.store.state.w_k == ((1.0, 0.0), (0.0, 1.0))
    field.selectAll()
    qtbot.keyClicks(field, "0.5")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert not editor.error.isVisible() and page.store.state.w_k == ((1.0, 0.5), (0.0, 1.0))
    keys = np.array(page.store.state.inputs) @ np.array(page.store.state.w_k)
    np.testing.assert_allclose(page.canvas.points("keys"), keys, atol=1e-6)
    weights = expected_weights(page.store.state)[0]
    np.testing.assert_allclose(page.weights_chart.values, weights, atol=1e-6)
    # with W_V ≠ I the values leave the inputs, and the output is y = Σ a_i v_i, not Σ a_i x_i
    field = page.matrix_editors["w_v"].fields[1][0]
    field.selectAll()
    qtbot.keyClicks(field, "2")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    state = page.store.state
    values = np.array(state.inputs) @ np.array(state.w_v)
    assert state.w_v == ((1.0, 0.0), (2.0, 1.0))
    np.testing.assert_allclose(page.canvas.points("values"), values, atol=1e-6)
    np.testing.assert_allclose(page.canvas.points("outputs")[0], weights @ values, atol=1e-5)
    np.testing.assert_allclose(page.canvas.points("projected_queries")[0], np.array(state.queries[0]) @ np.array(state.w_q), atol=1e-6)


def test_random_projection_matrices_are_undoable(attention_page, qtbot):
    page = attention_page
    before = page.store.state
    qtbot.mouseClick(page.random_button, Qt.MouseButton.LeftButton)
    state = page.store.state
    assert state.projections and state.w_v != before.w_v
    assert page.matrix_editors["w_v"].fields[0][0].text() == f"{state.w_v[0][0]:.4g}"
    page.window().undo_action.trigger()
    assert page.store.state == before and not page.projections.isChecked()
    page.window().redo_action.trigger()
    assert page.store.state == state


def test_controls_follow_undo_and_redo_across_drags(attention_page, qtbot):
    """A drag leaves the controls alone (they are set only when what they show changes): undoing past drags must
    still bring back the similarity, the matrices and the projection box they showed."""
    page = attention_page
    canvas = page.canvas
    page.similarity_combo.setCurrentIndex(page.similarity_combo.findData("cosine"))
    qtbot.mouseClick(page.random_button, Qt.MouseButton.LeftButton)
    changed = page.store.state
    drag(canvas.view.viewport(), canvas.widget_pos(*changed.inputs[1]), canvas.widget_pos(1.0, -1.5))
    drag(canvas.view.viewport(), canvas.widget_pos(*page.store.state.queries[0]), canvas.widget_pos(-0.5, 0.5))
    assert page.store.state.inputs != changed.inputs and page.store.state.queries != changed.queries
    undo, redo = page.window().undo_action, page.window().redo_action
    for _ in range(4):  # two drags, the random matrices, the similarity
        undo.trigger()
    assert page.store.state == AttentionLayerState()
    assert page.similarity_combo.currentData() == "scaled_dot" and page.temperature.isHidden()
    assert not page.projections.isChecked() and not page.matrix_editors["w_v"].isEnabled()
    assert page.matrix_editors["w_v"].fields[0][1].text() == "0"
    for _ in range(2):
        redo.trigger()
    assert page.store.state == changed
    assert page.similarity_combo.currentData() == "cosine" and not page.temperature.isHidden()
    assert page.projections.isChecked() and page.matrix_editors["w_v"].fields[0][1].text() == f"{changed.w_v[0][1]:.4g}"


def test_several_queries_make_a_weight_matrix_and_a_row_click_selects_one(attention_page, qtbot):
    page = attention_page
    qtbot.mouseClick(page.add_query_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.add_query_button, Qt.MouseButton.LeftButton)
    page.tabs.setCurrentWidget(page.heatmap)
    qtbot.waitUntil(page.heatmap.isVisible)
    weights = expected_weights(page.store.state)
    assert page.heatmap.values.shape == (3, 4)
    np.testing.assert_allclose(page.heatmap.values, weights, atol=1e-6)
    click(page.heatmap.view.viewport(), page.heatmap.cell_center(2, 1))
    assert page.selected_query == 2 and page.heatmap.highlighted_row() == 2
    page.tabs.setCurrentIndex(0)
    assert page.query_combo.currentText() == "q3"
    np.testing.assert_allclose(page.weights_chart.values, weights[2], atol=1e-6)
    page.tabs.setCurrentWidget(page.heatmap)
    page.heatmap.hover_cell(1, 3)
    assert page.heatmap.readout.text() == f"query q2 → input x4:  a = {weights[1, 3]:.4g}"


def test_why_scale_measures_saturation_when_the_tab_opens(attention_page, qtbot):
    page = attention_page
    page.tabs.setCurrentIndex(2)
    qtbot.waitUntil(lambda: page._scaling_done)
    curves = page.scaling_curves
    dims, dot_max = curves["max_weight", "dot"].xData, curves["max_weight", "dot"].yData
    scaled_max, dot_grad = curves["max_weight", "scaled_dot"].yData, curves["grad_norm", "dot"].yData
    assert dims.tolist() == [2.0**p for p in range(1, 11)]
    assert dot_max[-1] > 0.85 and scaled_max[-1] < 0.5 and dot_grad[-1] < 0.3 * dot_grad[0]
    assert "D = 1024" in page.scaling_summary.text()


@pytest.mark.parametrize(
    "text, message",
    [("1, 2, 3\n0, 1", "line 1 has 3 numbers"), ("", "at least 1"), ("1, x", "not a number"), ("1, nan", "finite"), ("\n".join(["1, 1"] * 17), "at most 16")],
)
def test_typed_vectors_are_validated_at_the_field(attention_page, qtbot, text, message):
    page = attention_page
    before = page.store.state
    page.tabs.setCurrentIndex(3)
    editor = page.inputs_editor
    editor.text.setPlainText(text)
    qtbot.mouseClick(editor.apply_button, Qt.MouseButton.LeftButton)
    assert editor.error.isVisible() and message in editor.error.text()
    assert page.store.state == before
    page.tabs.setCurrentWidget(page.heatmap)
    np.testing.assert_allclose(page.heatmap.values, expected_weights(before), atol=1e-6)


def test_typed_vectors_replace_the_inputs(attention_page, qtbot):
    page = attention_page
    page.inputs_editor.text.setPlainText("1, 0\n0; 1\n-1 -1")
    qtbot.mouseClick(page.inputs_editor.apply_button, Qt.MouseButton.LeftButton)
    assert page.store.state.inputs == ((1.0, 0.0), (0.0, 1.0), (-1.0, -1.0))
    np.testing.assert_allclose(page.canvas.points("inputs"), np.array(page.store.state.inputs))


def test_compute_matches_the_core_for_every_state_field():
    state = AttentionLayerState(similarity="general", projections=True, w_k=((0.0, 1.0), (1.0, 0.0)), similarity_seed=4)
    np.testing.assert_allclose(compute(state).weights.numpy(), expected_weights(state), atol=1e-7)
    assert compute(state).weights.dtype == torch.float32
