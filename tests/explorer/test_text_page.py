"""The Text page driven with real clicks and keys: BERT and GPT-2 checkpoints, head / model / query·key views."""

import json

import numpy as np
import pytest
import torch
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

from core import text_models
from core import tokens as token_core
from explorer.pages import text as text_page
from tests.text_fixtures import reference, save_bert, save_gpt2

from .mouse import click


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("text-page")
    save_gpt2(root / "gpt2", layers=3, heads=2, dim=16, positions=64)
    save_bert(root / "bare", tokenizer=False)
    save_bert(root / "mismatch", tokenizer=False)
    config = json.loads((root / "mismatch" / "config.json").read_text())
    (root / "mismatch" / "config.json").write_text(json.dumps({**config, "hidden_size": 48}))
    save_bert(root / "llama", tokenizer=False)
    (root / "llama" / "config.json").write_text(json.dumps({**config, "model_type": "llama"}))
    return root


@pytest.fixture
def page(window, qtbot):
    page = window.show_page("text")
    qtbot.waitUntil(page.isVisible)
    return page


def open_folder(qtbot, page, folder):
    page._open(str(folder))  # what File dialog, the model list or a recent entry call
    qtbot.waitUntil(lambda: not page.loading, timeout=20000)


def type_into(qtbot, field, text):
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def test_first_launch_shows_the_bundled_bert_with_it_pinned(page):
    assert page.store.state.model.endswith("tiny-bert") and page.trace is not None
    tokens = page.trace.encoded.tokens
    assert tokens[0] == "[CLS]" and tokens[page.store.state.query] == "it"
    assert page.head_view.tokens == list(tokens) and page.head_view.focus == ("query", tokens.index("it"))
    assert page.head_view.line_count > 0
    layer = page.trace.weights[0]
    np.testing.assert_array_equal(page.focus_view.values, layer[:, tokens.index("it"), :].T)


def test_typing_text_and_a_second_sentence_recomputes_the_maps(page, qtbot):
    type_into(qtbot, page.text_field, "the dog chased the cat")
    assert page.store.state.text == "the dog chased the cat"
    assert page.trace.encoded.tokens[:3] == ("[CLS]", "the", "dog")
    type_into(qtbot, page.pair_field, "it slept")
    encoded = page.trace.encoded
    assert 1 in encoded.type_ids and encoded.tokens.count("[SEP]") == 2
    model = page.trace.model
    expected = text_models.run(model, encoded.ids, encoded.type_ids).weights.numpy()
    np.testing.assert_allclose(page.trace.weights, expected, atol=1e-6)
    assert page.head_view.tokens == list(encoded.tokens)
    page.undo_stack.undo()
    assert 1 not in page.trace.encoded.type_ids


def test_layer_spin_and_head_chips_change_the_head_view(page, qtbot):
    spin = page.layer_spin
    spin.setFocus()
    qtbot.keyClick(spin, Qt.Key.Key_Up)
    assert page.store.state.layer == 1
    state = page.store.state
    qtbot.mouseClick(page.head_buttons[1], Qt.MouseButton.LeftButton)
    assert page.store.state.heads == (0, 2, 3)
    assert page.head_view._shown == [0, 2, 3]
    focus = page.head_view.focus
    weights = page.trace.weights[1]
    assert 0 < page.head_view.line_count <= 3 * page.trace.trace.length  # lines of heads 1, 3 and 4 only
    qtbot.mouseClick(page.all_heads, Qt.MouseButton.LeftButton)
    assert page.store.state.heads == ()
    page.undo_stack.undo()
    page.undo_stack.undo()
    assert page.store.state == state


def test_hovering_then_clicking_a_token_focuses_and_pins_it(page, qtbot):
    view = page.head_view
    tokens = page.trace.encoded.tokens
    target = tokens.index("street")
    QTest.mouseMove(view.canvas, view.token_center("key", target))
    qtbot.waitUntil(lambda: view.focus == ("key", target))
    np.testing.assert_array_equal(page.focus_view.values, page.trace.weights[0][:, :, target].T)
    assert view.caption.startswith("strongest: “") and view.caption.count("→ “street”") == 1
    click(view.canvas, view.token_center("query", 2))
    assert page.store.state.pinned == "query" and page.store.state.query == 2
    click(view.canvas, view.token_center("query", 2))  # again: unpinned
    assert page.store.state.pinned == ""


def test_clicking_a_thumbnail_enlarges_that_layer_and_head(page, qtbot):
    page.tabs.setCurrentIndex(text_page.TAB_MODEL)
    mosaic = page.mosaic_view
    side = page._mosaic[2]
    layer, head = 2, 3
    click(mosaic.view.viewport(), mosaic.cell_center(layer * (side + 1) + side // 2, head * (side + 1) + 1))
    assert (page.store.state.layer, page.store.state.head) == (layer, head)
    np.testing.assert_array_equal(page.enlarged_view.values, page.trace.weights[layer, head])
    assert page._frame.rect().topLeft().x() == head * (side + 1) - 0.5
    mosaic.hover_cell(layer * (side + 1) + 1, 1)
    assert mosaic.readout.text().startswith("layer 3, head 1: query")


def test_query_key_view_shows_q_k_their_product_and_the_scores(page, qtbot):
    page.tabs.setCurrentIndex(text_page.TAB_QK)
    view = page.pair_map
    click(view.view.viewport(), view.cell_center(4, 2))
    state = page.store.state
    assert (state.query, state.key) == (4, 2)
    pair = text_models.query_key(page.trace.trace, state.layer, 4, 2)
    np.testing.assert_allclose(page.q_view.values, pair.q.numpy().T)
    np.testing.assert_allclose(page.k_view.values, pair.k.numpy().T)
    np.testing.assert_allclose(page.product_view.values, (pair.q * pair.k).numpy().T)
    np.testing.assert_allclose(page.score_chart.values, pair.scores.numpy(), rtol=1e-6)
    np.testing.assert_allclose(page.weight_chart.values, page.trace.weights[state.layer, :, 4, 2])
    chart = page.score_chart
    bar = chart.plot.vb.mapViewToScene(QPointF(3, float(chart.values[3]) / 2))
    click(chart.view.viewport(), chart.view.mapFromScene(bar))  # the bar of head 4: its map goes on the left
    assert page.store.state.head == 3
    np.testing.assert_array_equal(page.pair_map.values, page.trace.weights[state.layer, 3])


def test_an_opened_gpt2_folder_matches_hf_and_undo_returns_to_bert(page, qtbot, folders):
    open_folder(qtbot, page, folders / "gpt2")
    state = page.store.state
    assert state.model == str(folders / "gpt2") and page.trace.model.family == "gpt2"
    assert not page.pair_field.isVisible() and "GPT-2-style" in page.model_info.text()
    encoded = page.trace.encoded
    ref = reference(folders / "gpt2", encoded.ids)
    np.testing.assert_allclose(page.trace.weights, torch.cat(ref.attentions).numpy(), atol=1e-5)
    assert len(page.head_buttons) >= 2 and not page.head_buttons[2].isVisible()
    page.undo_stack.undo()
    assert page.store.state.model.endswith("tiny-bert") and page.pair_field.isVisible()


def test_text_longer_than_the_positions_is_truncated_with_a_notice(page, qtbot, folders):
    open_folder(qtbot, page, folders / "gpt2")
    type_into(qtbot, page.text_field, " ".join(["the cat sat on the mat"] * 20))
    assert page.trace.trace.length == 64
    assert "kept the first 64" in page.input_message.text()


def test_without_a_tokenizer_ids_are_typed_and_text_is_refused(page, qtbot, folders):
    open_folder(qtbot, page, folders / "bare")
    assert page.store.state.input == "ids" and not page.input_mode.model().item(0).isEnabled()
    type_into(qtbot, page.text_field, "2 17 40 | 9 3")
    assert page.trace.encoded.ids == (2, 17, 40, 9, 3) and page.trace.encoded.type_ids == (0, 0, 0, 1, 1)
    state = page.store.state
    type_into(qtbot, page.text_field, "hello there")
    assert page.store.state == state and "is not a token id" in page.input_message.text()
    assert page.text_field.text() == "hello there"  # what was typed stays to be corrected


@pytest.mark.parametrize("name, message", [("llama", "model type 'llama' is not supported"), ("mismatch", "config.json and the weights disagree"), ("missing", "does not exist")])
def test_bad_folders_leave_a_message_and_the_last_good_model(page, qtbot, folders, name, message):
    before = page.store.state
    open_folder(qtbot, page, folders / name)
    assert page.store.state == before and page.trace is not None
    assert page.model_message.isVisible() and message in page.model_message.text()


def test_the_loaded_model_feeds_real_embeddings_to_the_sequence_pages(page, window, qtbot):
    model = page.trace.model
    source = "embeddings of tiny-bert"
    assert token_core.SOURCE_DIMS[source] == model.config.dim
    other = window.show_page("multi-head")
    qtbot.waitUntil(other.isVisible)
    combo = other.sequence_bar.source
    assert combo.isVisible() and combo.findData(source) >= 0
    combo.setFocus()
    while combo.currentData() != source:
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    sequence = other.store.state.sequence
    assert sequence.source == source and sequence.dim == model.config.dim and not other.sequence_bar.dim.isEnabled()
    ids = [model.tokenizer.token_to_id(t) for t in sequence.tokens()]
    assert None not in ids
    rows = model.token_embeddings[ids]  # the model's own vectors, standardised as a LayerNorm would
    torch.testing.assert_close(sequence.embeddings(), torch.nn.functional.layer_norm(rows, rows.shape[-1:], eps=0.0))
    assert other.trace.entropy.min() < np.log(len(ids)) - 0.05  # not the uniform attention of tiny vectors
    assert other.store.state.sequence.dim % other.store.state.heads == 0
    other.undo_stack.undo()
    assert other.store.state.sequence.source == "seeded random" and other.sequence_bar.dim.isEnabled()


def test_export_holds_every_map(page, window, tmp_path):
    path = window.export_current("npz", str(tmp_path / "text.npz"))
    data = np.load(path)
    assert data["attentions"].shape == page.trace.weights.shape
    np.testing.assert_array_equal(data["weights"], page.trace.weights[0, 0])


def test_head_view_keeps_a_line_budget_unfocused_and_draws_every_line_of_a_focused_token(qtbot):
    from explorer.widgets.head_view import FOCUSED_MIN_WEIGHT, FOCUSED_TOP, LINE_BUDGET, HeadView

    view = HeadView()
    qtbot.addWidget(view)
    view.resize(600, 500)
    view.show()
    rng = np.random.default_rng(0)
    logits = rng.normal(0, 4, (4, 512, 512)).astype(np.float32)
    weights = np.exp(logits - logits.max(-1, keepdims=True))
    weights /= weights.sum(-1, keepdims=True)
    view.set_data(weights, [f"t{i}" for i in range(512)], [0, 1, 2, 3])
    assert view.canvas.height() > view.scroll.viewport().height()  # 512 rows keep a readable height and scroll
    first, last = view._visible_rows()
    assert 0 == first < last < 60
    between_visible = int((weights[:, first:last, first:last] >= 4 / 512).sum())
    assert 0 < view.line_count == min(LINE_BUDGET, between_visible)

    def expected(row):  # a ≥ 0.02, and at least the FOCUSED_TOP strongest of each head (no ties in random maps)
        kth = np.sort(row, axis=-1)[..., -FOCUSED_TOP][..., None]
        return int((row >= np.minimum(kth, FOCUSED_MIN_WEIGHT)).sum())

    view.set_pinned("query", 300)
    assert view.line_count == expected(weights[:, 300, :]) >= 4 * FOCUSED_TOP
    view.set_data(weights, [f"t{i}" for i in range(512)], [2])
    assert view.line_count == expected(weights[2:3, 300, :])
    QTest.mouseMove(view.canvas, view.token_center("key", 450))
    qtbot.waitUntil(lambda: view.focus == ("key", 450))
    assert view.line_count == expected(weights[2:3, :, 450])
    uniform = np.full((1, 512, 512), 1 / 512, np.float32)  # attention spread evenly: still lines to follow
    view.set_data(uniform, [f"t{i}" for i in range(512)], [0])
    assert view.line_count == FOCUSED_TOP


def test_a_session_restores_the_text_page_and_reopens_its_model(page, window, qtbot, folders, tmp_path):
    from explorer import session
    from explorer.main_window import MainWindow

    open_folder(qtbot, page, folders / "gpt2")
    type_into(qtbot, page.text_field, "the dog chased the cat")
    page.layer_spin.setValue(2)
    click(page.head_view.canvas, page.head_view.token_center("key", 1))
    state = page.store.state
    assert (state.layer, state.pinned, state.key) == (1, "key", 1)
    path = window.save_session(str(tmp_path / "text.json"))
    assert session.decode(type(state), session.encode(state)) == state

    fresh = MainWindow(restore_geometry=False, autosave=False)
    qtbot.addWidget(fresh)
    fresh.start_core(sync=True)
    assert fresh.open_session(path)
    restored = fresh.show_page("text")
    qtbot.waitUntil(lambda: restored.trace is not None and restored.trace.model.family == "gpt2", timeout=20000)
    assert restored.store.state == state
    assert restored.head_view.focus == ("key", 1) and restored.trace.encoded.tokens[:2] == page.trace.encoded.tokens[:2]
    np.testing.assert_array_equal(restored.trace.weights, page.trace.weights)
    fresh.undo_stack.clear()
