"""The self-attention, masked and multi-head pages driven with real mouse and keyboard events."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QPoint, Qt

from core import masks
from explorer.pages.common import MaskState, SequenceState, token_labels

from .mouse import click, click_link, drag


@pytest.fixture
def masked_page(window, qtbot):
    page = window.show_page("masked")
    qtbot.waitUntil(page.isVisible)
    return page


@pytest.fixture
def self_attention_page(window, qtbot):
    page = window.show_page("self-attention")
    qtbot.waitUntil(page.isVisible)
    return page


@pytest.fixture
def multi_head_page(window, qtbot):
    page = window.show_page("multi-head")
    qtbot.waitUntil(page.isVisible)
    return page


def type_tokens(qtbot, page, text):
    field = page.sequence_bar.token_input.text
    field.selectAll()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


# ---- masked --------------------------------------------------------------------------------------------------
def test_painting_cells_zeroes_their_weights_and_rows_renormalise(masked_page, qtbot):
    page = masked_page
    page.mask_controls.preset.setCurrentIndex(page.mask_controls.preset.findData("none"))
    view = page.masked_view
    drag(view.view.viewport(), view.cell_center(4, 1), view.cell_center(4, 3))  # one stroke over three cells
    weights = page.trace.attention.weights
    assert torch.all(weights[4, 1:4] == 0)
    assert torch.allclose(weights.sum(-1), torch.ones(7), atol=1e-6)
    assert torch.isinf(page.trace.attention.masked_scores[4, 1:4]).all()
    assert view.is_blocked(4, 2) and view.readout.text()  # drawn as blocked, not a colour of the scale
    # the stroke is one undo step; a stroke that starts on a blocked cell erases
    drag(view.view.viewport(), view.cell_center(4, 2), view.cell_center(4, 2))
    assert weights[4, 2] == 0 and page.trace.attention.weights[4, 2] > 0
    page.undo_stack.undo()
    page.undo_stack.undo()
    assert bool(page.trace.attention.mask.all())


def test_fully_masked_row_is_flagged_and_has_no_nan(masked_page, qtbot):
    page = masked_page
    page.mask_controls.preset.setCurrentIndex(page.mask_controls.preset.findData("none"))
    view = page.weights_view
    drag(view.view.viewport(), view.cell_center(2, 0), view.cell_center(2, 6), steps=12)
    attention = page.trace.attention
    assert bool(attention.fully_masked[2]) and torch.all(attention.weights[2] == 0) and torch.all(attention.output[2] == 0)
    assert not torch.isnan(attention.weights).any()
    assert page.weights_view.row_labels[2].startswith("∅") and "may look at nothing" in page.empty_rows.text()


@pytest.mark.parametrize("preset", ["causal", "padding", "window", "random", "blocks"])
def test_presets_give_the_core_masks(masked_page, preset):
    page = masked_page
    page.mask_controls.preset.setCurrentIndex(page.mask_controls.preset.findData(preset))
    state = page.store.state.mask
    expected = masks.from_preset(preset, 7, padding_count=state.padding_count, window=state.window, p=state.p, seed=state.seed, segments=state.segments)
    assert torch.equal(page.trace.attention.mask, expected)
    assert torch.all(page.trace.attention.weights[~expected] == 0)


def type_into_spin_box(qtbot, box, value):
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), str(value))
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)


def test_masked_page_sizes_queries_keys_and_values_with_d_q_and_d_v(masked_page, qtbot):
    """D_Q and D_V typed into their boxes: the scores are q·kᵀ/√D_Q with D_Q-sized queries and keys (against the
    formula on the page's own embeddings and seeded weights), the outputs are D_V long and still causal; undo
    brings the previous sizes back."""
    from core.self_attention import SelfAttentionConfig, init_params

    page = masked_page
    type_into_spin_box(qtbot, page.d_qk, 5)
    type_into_spin_box(qtbot, page.d_v, 3)
    state = page.store.state
    assert (state.d_qk, state.d_v) == (5, 3)
    attention = page.trace.attention
    assert attention.q.shape == (7, 5) and attention.k.shape == (7, 5) and attention.output.shape == (7, 3)
    sequence = state.sequence
    params = init_params(SelfAttentionConfig(dim=sequence.dim, d_qk=5, d_v=3, seed=sequence.seed))
    x = sequence.embeddings()
    q, k, v = x @ params["W_Q"], x @ params["W_K"], x @ params["W_V"]
    scores = q @ k.T / 5**0.5
    assert torch.allclose(attention.scores, scores, atol=1e-5)
    causal = torch.tril(torch.ones(7, 7, dtype=torch.bool))
    weights = torch.softmax(scores.masked_fill(~causal, float("-inf")), -1)
    assert torch.allclose(attention.weights, weights, atol=1e-6) and torch.allclose(attention.output, weights @ v, atol=1e-5)
    assert page.trace.probe_change is not None and float(page.trace.probe_change[:3].max()) == 0.0  # still causal
    page.undo_stack.undo()
    assert page.trace.attention.output.shape == (7, 16) and page.d_v.value() == 16 and page.d_qk.value() == 5


def test_mask_preset_parameters_typed_into_their_fields_give_the_core_masks(masked_page, qtbot):
    """The window w, the padding count k and the segment lengths, typed into the mask controls, give the masks the
    core's helpers make; lengths that are not positive whole numbers are refused at the field, the mask kept."""
    page = masked_page
    controls = page.mask_controls
    controls.preset.setCurrentIndex(controls.preset.findData("window"))
    type_into_spin_box(qtbot, controls.count, 1)
    assert torch.equal(page.trace.attention.mask, masks.from_preset("window", 7, window=1))
    controls.preset.setCurrentIndex(controls.preset.findData("padding"))
    type_into_spin_box(qtbot, controls.count, 3)
    assert torch.equal(page.trace.attention.mask, masks.from_preset("padding", 7, padding_count=3))
    assert not bool(page.trace.attention.mask[:, 4:].any())  # nobody looks at the last three tokens
    controls.preset.setCurrentIndex(controls.preset.findData("blocks"))
    for text, accepted in (("2, 5", True), ("2, -1", False), ("two", False)):
        controls.segments.selectAll()
        qtbot.keyClicks(controls.segments, text)
        qtbot.keyClick(controls.segments, Qt.Key.Key_Return)
        assert controls.error.isVisible() != accepted, text
        assert page.store.state.mask.segments == (2, 5)
    assert "positive whole numbers" in controls.error.text()
    assert torch.equal(page.trace.attention.mask, masks.from_preset("blocks", 7, segments=(2, 5)))


def test_causal_check_measures_that_earlier_outputs_do_not_move(masked_page, qtbot):
    page = masked_page
    assert page.store.state.mask.preset == "causal"
    page.probe_position.setValue(4)
    change = page.trace.probe_change
    assert torch.all(change[:3] == 0) and change[3] > 1e-3
    assert "exactly 0" in page.probe_summary.text()
    page.mask_controls.preset.setCurrentIndex(page.mask_controls.preset.findData("none"))
    assert page.trace.probe_change[:3].max() > 1e-3  # without the mask, the past sees the future


def test_masked_page_bad_input_keeps_the_last_good_state(masked_page, qtbot):
    page = masked_page
    before = page.store.state
    type_tokens(qtbot, page, "   ")
    assert page.store.state == before and "at least one token" in page.sequence_bar.token_input.error.text()
    type_tokens(qtbot, page, " ".join(["w"] * 1025))
    assert page.store.state == before and "limit of 1024" in page.sequence_bar.token_input.error.text()
    view = page.masked_view
    click(view.view.viewport(), QPoint(3, 3))  # the margin of the plot: outside the grid
    assert page.message.isVisible() and "outside the grid" in page.message.text()
    assert page.store.state == before


def test_one_token_sequence_works(masked_page, qtbot):
    type_tokens(qtbot, masked_page, "alone")
    assert masked_page.trace.attention.weights.tolist() == [[1.0]]


# ---- self-attention ------------------------------------------------------------------------------------------
def test_re_roll_draws_new_weights_and_keeps_every_tokens_embedding(self_attention_page, qtbot):
    """Re-roll (a real click) gives W_Q, W_K, W_V a new seed: the same embeddings X, new queries Q = X W_Q from the
    seeded weights of seed 1; undo brings seed 0's back."""
    from core.self_attention import SelfAttentionConfig, init_params

    page = self_attention_page
    before = page.trace.attention
    qtbot.mouseClick(page.sequence_bar.reroll, Qt.MouseButton.LeftButton)
    after = page.trace.attention
    sequence = page.store.state.sequence
    assert sequence.seed == 1 and torch.equal(after.x, before.x)
    params = init_params(SelfAttentionConfig(dim=sequence.dim, d_qk=page.store.state.d_qk, d_v=page.store.state.d_v, seed=1))
    assert torch.allclose(after.q, after.x @ params["W_Q"], atol=1e-6) and not torch.allclose(after.q, before.q, atol=1e-3)
    assert torch.allclose(after.v, after.x @ params["W_V"], atol=1e-6)
    page.undo_stack.undo()
    assert page.store.state.sequence.seed == 0 and torch.equal(page.trace.attention.q, before.q)


def test_dragging_a_token_permutes_and_the_equivariance_readout_is_tiny(self_attention_page, qtbot):
    page = self_attention_page
    strip = page.strip
    drag(strip, strip.chip_rect(1).center(), QPoint(strip.chip_rect(5).right() + 2, strip.chip_rect(5).center().y()))
    assert page.store.state.order == (0, 2, 3, 4, 5, 1, 6)
    assert strip.tokens == ["the", "sat", "on", "the", "mat", "cat", "."]
    assert page.trace.max_abs_difference <= 1e-5
    assert page.equivariance_value.text() == f"{page.trace.max_abs_difference:.2e} →"  # the number the user reads
    assert page.equivariance_value.font().bold()
    assert "equivariant" in page.equivariance.text() and "not equivariant" not in page.equivariance.text()
    # the heatmap follows the new order
    assert page.weights_view.row_labels[5] == "cat"
    # the typed order's trace is reused across drags: what is shown is what a fresh compute gives
    from explorer.pages.self_attention import compute

    drag(strip, strip.chip_rect(6).center(), QPoint(strip.chip_rect(0).left() + 2, strip.chip_rect(0).center().y()))
    fresh = compute(page.store.state)
    assert page.store.state.order[0] == 6 and fresh.order == page.trace.order
    for name in ("weights", "output", "q", "k", "v"):
        assert torch.equal(getattr(page.trace.attention, name), getattr(fresh.attention, name)), name
    assert torch.equal(page.trace.permuted_output, fresh.permuted_output)
    np.testing.assert_array_equal(page.weights_view.values, fresh.attention.weights.numpy())


def test_a_long_sequences_weights_fitted_from_the_link_stay_fitted_while_tokens_are_dragged(self_attention_page, qtbot):
    """256 tokens: ~1/256 each, one dark colour on the 0-to-1 scale. Fitted from the link under the map, the colours
    span 0 to the 99th percentile of the weights, and a reorder keeps the fit."""
    page = self_attention_page
    type_tokens(qtbot, page, " ".join(f"w{i}" for i in range(256)))
    qtbot.waitUntil(lambda: len(page.trace.tokens) == 256)
    view = page.weights_view
    link = view.fit_link
    click_link(qtbot, link)

    def top():  # the 99th percentile of the 65,536 weights (all of them are the sample)
        return float(np.quantile(page.trace.attention.weights.numpy(), 0.99, method="higher"))

    assert view.fitted and view.levels == (0.0, pytest.approx(top())) and top() < 0.5 * float(page.trace.attention.weights.max())
    strip = page.strip
    page.strip_scroll.ensureVisible(0, 0)
    drag(strip, strip.chip_rect(1).center(), QPoint(strip.chip_rect(3).right() + 2, strip.chip_rect(3).center().y()))
    assert page.store.state.order[:4] == (0, 2, 3, 1)
    assert view.fitted and view.levels == (0.0, pytest.approx(top()))
    np.testing.assert_array_equal(view.values, page.trace.attention.weights.numpy())


def test_the_token_strip_takes_the_width_of_its_tokens_and_scrolls(self_attention_page, qtbot):
    """A long sequence gives a strip wider than the page, scrolled; a reorder keeps its width; a short one shrinks it."""
    page = self_attention_page
    type_tokens(qtbot, page, " ".join(f"word{i}" for i in range(120)))
    strip, scroll = page.strip, page.strip_scroll
    qtbot.waitUntil(lambda: strip.width() == strip.sizeHint().width() > scroll.viewport().width())
    assert scroll.horizontalScrollBar().maximum() == strip.width() - scroll.viewport().width()
    last = strip.chip_rect(119)
    assert last.right() < strip.width() and strip.tokens[119] == "word119"
    width = strip.width()
    drag(strip, strip.chip_rect(2).center(), QPoint(strip.chip_rect(0).left() + 2, strip.chip_rect(0).center().y()))
    assert strip.tokens[:3] == ["word2", "word0", "word1"] and strip.width() == width
    type_tokens(qtbot, page, "a b c")
    qtbot.waitUntil(lambda: strip.width() == strip.sizeHint().width() < width)
    assert strip.tokens == ["a", "b", "c"] and scroll.horizontalScrollBar().maximum() == 0


def test_positional_encoding_breaks_equivariance(self_attention_page, qtbot):
    """With a sinusoidal encoding, dragging a token gives a large max |Y(PX) − P·Y(X)| (the readout says so); the
    Positions tab shows the table of the formula PE[p, 2i] = sin(p / 10000^(2i/D)), PE[p, 2i+1] = cos(…). The learned
    table and RoPE break equivariance too; without an encoding it is back to rounding."""
    page = self_attention_page
    page.positional.setCurrentIndex(page.positional.findData("sinusoidal"))
    strip = page.strip
    drag(strip, strip.chip_rect(1).center(), QPoint(strip.chip_rect(5).right() + 2, strip.chip_rect(5).center().y()))
    assert page.store.state.order == (0, 2, 3, 4, 5, 1, 6)
    assert page.trace.max_abs_difference > 1e-3 and "not equivariant" in page.equivariance.text()
    assert page.equivariance_value.text() == f"{page.trace.max_abs_difference:.2e} →"
    tabs = page.tabs.tabBar()
    qtbot.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(3).center())
    assert page.tabs.currentIndex() == 3
    p, i = np.arange(7)[:, None], np.arange(0, 16, 2)[None, :]
    expected = np.empty((7, 16))
    expected[:, 0::2], expected[:, 1::2] = np.sin(p / 10000 ** (i / 16)), np.cos(p / 10000 ** (i / 16))
    np.testing.assert_allclose(page.position_view.values, expected, atol=1e-6)
    for kind in ("learned", "rope"):
        page.positional.setCurrentIndex(page.positional.findData(kind))
        assert page.trace.max_abs_difference > 1e-3, kind
    page.positional.setCurrentIndex(page.positional.findData("none"))
    assert page.trace.max_abs_difference <= 1e-5


def test_clicking_a_row_shows_that_querys_scores_and_weights(self_attention_page, qtbot):
    page = self_attention_page
    view = page.weights_view
    click(view.view.viewport(), view.cell_center(3, 2))
    assert page.selected == 3 and view.highlighted_row() == 3
    np.testing.assert_allclose(page.row_chart.values, page.trace.attention.weights[3].numpy(), atol=1e-7)
    np.testing.assert_allclose(page.scores_chart.values, page.trace.attention.scores[3].numpy(), atol=1e-6)
    attention = page.trace.attention
    np.testing.assert_allclose(page.output_chart.values, (attention.weights[3] @ attention.v).numpy(), atol=1e-6)  # y = Σ a_j v_j
    # the Q, K, V, Y tab (a real click on its tab) shows the matrices of the trace
    tabs = page.tabs.tabBar()
    qtbot.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(1).center())
    x = attention.x
    for name, expected in (("q", attention.q), ("k", attention.k), ("v", attention.v), ("output", attention.weights @ attention.v)):
        np.testing.assert_allclose(page.matrix_views[name].values, expected.numpy(), atol=1e-6, err_msg=name)
    np.testing.assert_allclose(page.matrix_views["q"].values, (x @ page._cache["params"]["W_Q"]).numpy(), atol=1e-6)


def test_shuffling_one_token_is_refused_with_a_message(self_attention_page, qtbot):
    page = self_attention_page
    type_tokens(qtbot, page, "solo")
    qtbot.mouseClick(page.shuffle, Qt.MouseButton.LeftButton)
    assert page.message.isVisible() and "at least two" in page.message.text()


# ---- multi-head ----------------------------------------------------------------------------------------------
def test_changing_h_changes_the_head_views_and_matches_torch(multi_head_page, qtbot):
    page = multi_head_page
    page.heads.setCurrentIndex(page.heads.findData(8))
    assert page.store.state.heads == 8
    assert [label.split(" · ")[0] for label in page.head_titles.labels] == [f"head {h}" for h in range(1, 9)]
    assert sum(toggle.isVisible() for toggle in page.head_toggles) == 8
    for index in range(8):  # each head's map in the mosaic is that head's weights
        np.testing.assert_allclose(page.head_map(index), page.trace.full.weights[index].numpy(), atol=1e-7)
    trace = page.trace.full
    assert trace.weights.shape == (8, 7, 7)
    # parity with nn.MultiheadAttention, recomputed here from the page's own parameters
    from core.multihead import init_params

    sequence = page.store.state.sequence
    params = init_params(16, 8, seed=sequence.seed)
    module = torch.nn.MultiheadAttention(16, 8, batch_first=True)
    module.load_state_dict({"in_proj_weight": torch.cat([params[f"{n}_proj_weight"] for n in "qkv"]), "in_proj_bias": params["in_proj_bias"], "out_proj.weight": params["out_proj.weight"], "out_proj.bias": params["out_proj.bias"]})
    x = sequence.embeddings()
    expected, weights = module(x, x, x, average_attn_weights=False)
    assert (trace.output - expected).abs().max() <= 1e-5 and (trace.weights - weights).abs().max() <= 1e-6
    assert "max |Δ output|" in page.parity_label.text()


def test_multi_head_entropy_concat_and_output_tabs_show_what_the_formulas_give(multi_head_page, qtbot):
    """The Entropy tab's bars are each head's mean row entropy −Σ a log a; the Concat → output tab shows the heads'
    outputs a·v side by side and Y = concat · W_Oᵀ + b, all recomputed here from the trace's per-head weights and
    values (each tab opened by a click on it)."""
    page = multi_head_page
    page.heads.setCurrentIndex(page.heads.findData(4))
    trace = page.trace.full
    tabs = page.tabs.tabBar()
    qtbot.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(1).center())
    weights = trace.weights.numpy()  # (H, N, N)
    logs = np.log(np.where(weights > 0, weights, 1.0))
    np.testing.assert_allclose(page.entropy_chart.values, -(weights * logs).sum(-1).mean(-1), atol=1e-5)
    qtbot.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(2).center())
    heads = weights @ trace.v.numpy()  # (H, N, D_V): each head's a·v
    concat = np.concatenate(list(heads), axis=-1)
    np.testing.assert_allclose(page.concat_view.values, concat, atol=1e-5)
    params = page._cache["params"]
    expected = concat @ params["out_proj.weight"].numpy().T + params["out_proj.bias"].numpy()
    np.testing.assert_allclose(page.output_view.values, expected, atol=1e-5)


def test_the_heads_share_one_view_and_a_hover_names_the_head_the_tokens_and_the_weight(multi_head_page, qtbot):
    """Every head's map is a tile of one mosaic with transparent gaps; pointing at a cell of head 3's map reads out
    that head, the query and key tokens and the weight."""
    from explorer.pages.multi_head import head_map_origins

    page = multi_head_page
    view = page.heads_view
    shown, n, layout = page._mosaic_key
    assert shown == (0, 1, 2, 3) and n == 7
    row, col = head_map_origins(len(shown), layout)[2]
    assert view.cell_colour(row - 1, col).alpha() == 0 and view.cell_colour(row, col).alpha() == 255  # title gap, map
    qtbot.mouseMove(view.view.viewport(), view.cell_center(row + 1, col + 4).toPoint())
    tokens = page.trace.tokens
    expected = f"head 3: query “{tokens[1]}” (1) → key “{tokens[4]}” (4):  a = {float(page.trace.full.weights[2, 1, 4]):.4f}"
    qtbot.waitUntil(lambda: view.readout.text() == expected)
    qtbot.mouseMove(view.view.viewport(), view.cell_center(row - 1, col + 2).toPoint())  # the gap above the map
    qtbot.waitUntil(lambda: view.readout.text().strip() == "")
    # with 60 tokens, a much shorter view needs more empty rows (cells) above each map for its title: the mosaic is
    # laid out again when the view is resized
    page.store.set(page.store.state.__class__(sequence=SequenceState(text=" ".join(f"t{i}" for i in range(60)), dim=16), heads=4), "sixty tokens")
    gap_rows = page._mosaic_key[2][1]
    window = page.window()
    window.resize(window.width(), window.height() - 250)
    qtbot.waitUntil(lambda: page._mosaic_key[2][1] > gap_rows)
    for index in range(4):
        np.testing.assert_allclose(page.head_map(index), page.trace.full.weights[index].numpy(), atol=1e-7)


def test_fitting_the_average_maps_colours_fits_every_heads_map_too(multi_head_page, qtbot):
    """At 256 tokens and 8 heads every map is one dark colour on the 0-to-1 scale: the average's "fit colours" link
    fits the average and the heads' mosaic, each to the 99th percentile of its own weights (the mosaic's gaps apart),
    and a mask stroke keeps the fit; the link's second click gives both the 0-to-1 scale back."""
    page = multi_head_page
    page.store.set(page.store.state.__class__(sequence=SequenceState(text=" ".join(f"w{i}" for i in range(256)), dim=64), heads=8), "long")
    qtbot.waitUntil(lambda: page._mosaic_key is not None and page._mosaic_key[1] == 256)
    average, heads = page.average_view, page.heads_view
    assert heads.levels == (0.0, 1.0) and not heads.fit_link.isVisible()  # the thumbnails have no link of their own
    link = average.fit_link
    click_link(qtbot, link)

    def percentile(values, gaps=None):
        return float(np.quantile(values if gaps is None else values[~gaps], 0.99, method="higher"))

    assert average.fitted and heads.fitted
    assert average.levels == (0.0, pytest.approx(percentile(page.trace.full.weights.mean(0).numpy(), None)))
    # the mosaic holds more than 65,536 cells: its percentile is taken from a sample of them
    assert page._mosaic.size > 65_536 and heads.levels == (0.0, pytest.approx(percentile(page._mosaic, page._mosaic_gaps), rel=0.02))
    assert heads.levels[1] < 0.1  # the heads' weights, ~1/256 each, now span the colormap
    page.painter.cellsPainted.emit([(3, 5)], True, 1)
    qtbot.waitUntil(lambda: (3, 5) in page.store.state.mask.blocked)
    assert heads.fitted and heads.levels == (0.0, pytest.approx(percentile(page._mosaic, page._mosaic_gaps), rel=0.02))
    click(link, link.rect().center())
    assert not average.fitted and not heads.fitted and heads.levels == (0.0, 1.0) and average.levels == (0.0, 1.0)


def test_long_sequences_show_each_head_as_block_means_kept_up_to_date_by_mask_strokes(multi_head_page, qtbot):
    """A map longer than its pixels is shown as f × f block means (about a cell per pixel, whatever N): each tile is
    its head's pooled weights, mask strokes keep them equal to a mosaic built afresh, and a hover names the blocks."""
    from explorer.pages.multi_head import head_map_origins, pooled

    page = multi_head_page
    page.store.set(page.store.state.__class__(sequence=SequenceState(text=" ".join(f"t{i}" for i in range(701)), dim=16), heads=4), "long")
    shown, n, layout = page._mosaic_key
    factor = layout[3]
    assert n == 701 and factor > 1 and n % factor  # 701 is prime: the last block row is shorter
    for index in range(4):
        np.testing.assert_array_equal(page.head_map(index), pooled(page.trace.full.weights[index].numpy(), factor))
    for stroke, row in enumerate((700, 350)):  # the shorter last block row, then a whole one (all heads at once)
        page.painter.cellsPainted.emit([(row, col) for col in range(0, 300, 7)], True, 50 + stroke)  # what a drag emits
        assert page.trace.rows_changed is not None and page.trace.rows_changed.tolist() == [row]
    incremental = page.heads_view.values.copy()
    page._mosaic_key = None  # build the mosaic again from the trace
    page._refresh_heads()
    np.testing.assert_array_equal(incremental, page.heads_view.values)
    row, col = head_map_origins(4, layout)[1]
    page.heads_view.hover_cell(row + 350 // factor, col + 2)
    first = (350 // factor) * factor
    assert page.heads_view.readout.text().startswith(f"head 2: queries {first}–{first + factor - 1} → keys {2 * factor}–{3 * factor - 1}:  mean a = ")


def test_switching_a_head_off_changes_the_output_by_its_contribution(multi_head_page, qtbot):
    page = multi_head_page
    toggle = page.head_toggles[1]
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton, pos=QPoint(8, toggle.height() // 2))
    assert page.store.state.heads_off == frozenset({1})
    trace = page.trace
    assert torch.all(trace.gated.concat[:, 4:8] == 0)
    expected_delta = trace.full.head_outputs[1] @ page_params(page)["out_proj.weight"][:, 4:8].T
    assert torch.allclose(trace.full.output - trace.gated.output, expected_delta, atol=1e-6)
    page.tabs.setCurrentIndex(3)
    np.testing.assert_allclose(page.effect_chart.values, expected_delta.norm(dim=-1).numpy(), atol=1e-6)


def page_params(page):
    from core.multihead import init_params

    state = page.store.state
    return init_params(state.sequence.dim, state.heads, d_query=state.d_qk or None, seed=state.sequence.seed)


def test_painting_the_average_masks_every_head(multi_head_page, qtbot):
    page = multi_head_page
    view = page.average_view
    drag(view.view.viewport(), view.cell_center(5, 0), view.cell_center(5, 2))
    weights = page.trace.full.weights
    assert torch.all(weights[:, 5, 0:3] == 0)
    assert torch.allclose(weights.sum(-1), torch.ones(4, 7), atol=1e-6)


def test_painted_strokes_update_the_changed_rows_to_what_a_fresh_compute_gives(multi_head_page, qtbot):
    """Mask strokes recompute only the rows they touch, in place; after strokes, an undo and a head switched off,
    every number (weights, outputs, entropies, average, parity) and every thumbnail equals a fresh compute."""
    from explorer.pages.multi_head import compute

    page = multi_head_page
    page.store.set(page.store.state.__class__(sequence=SequenceState(text=" ".join(f"t{i}" for i in range(40)), dim=16), heads=4), "forty tokens")
    view = page.average_view
    for row, (first, last) in ((5, (0, 6)), (12, (3, 9)), (30, (20, 39))):
        drag(view.view.viewport(), view.cell_center(row, first), view.cell_center(row, last))
    assert page.trace.rows_changed is not None and page.trace.rows_changed.numel() == 1  # the last stroke: one row
    page.undo_stack.undo()
    page.head_toggles[1].click()  # a gated trace too
    drag(view.view.viewport(), view.cell_center(33, 0), view.cell_center(33, 4))
    state = page.store.state
    assert state.mask.blocked and state.heads_off == frozenset({1})
    fresh = compute(state)
    trace = page.trace
    for name in ("weights", "masked_scores", "head_outputs", "concat", "output", "fully_masked"):
        for ours, theirs in ((trace.full, fresh.full), (trace.gated, fresh.gated)):
            assert torch.allclose(getattr(ours, name), getattr(theirs, name), atol=1e-6), name
    assert torch.allclose(trace.entropy, fresh.entropy, atol=1e-6) and torch.allclose(trace.mean_weights, fresh.mean_weights, atol=1e-6)
    assert abs(trace.parity - fresh.parity) < 1e-6 and trace.parity < 1e-5
    for index, head in enumerate(page._visible_heads()):
        np.testing.assert_allclose(page.head_map(index), fresh.full.weights[head].numpy(), atol=1e-6)
    # the mosaic's colours are those of a mosaic coloured afresh (the strokes recoloured only the rows they changed)
    heads_view = page.heads_view
    incremental = heads_view.cells.pixels.copy()
    heads_view.cells.forget()
    heads_view._recolour()
    np.testing.assert_array_equal(incremental, heads_view.cells.pixels)
    page.tabs.setCurrentIndex(0)
    np.testing.assert_allclose(view.values, fresh.mean_weights.numpy(), atol=1e-6)


def test_mask_strokes_leave_the_head_maps_on_screen_as_a_fresh_render_draws_them(multi_head_page, qtbot):
    """A stroke repaints a strip of every head's map and the titles whose entropy changed, not the whole mosaic:
    what the window then shows of the maps is what a full render draws (a repaint whose edge cut across a map, at
    a title's box, once drew a column of cells one pixel off). The titles' lines are left out of the comparison: a
    title drawn once may be drawn again laid out, a fraction of a pixel apart."""
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QApplication

    from .images import pixels

    page = multi_head_page
    page.store.set(page.store.state.__class__(sequence=SequenceState(text=" ".join(f"t{i}" for i in range(12)), dim=64), heads=8), "twelve tokens")
    view = page.average_view
    heads = page.heads_view.view
    qtbot.waitUntil(lambda: heads.isVisible() and page.head_titles._painted is not None)
    for row, (first, last) in ((2, (0, 5)), (7, (3, 11)), (10, (1, 2)), (4, (6, 9)), (0, (2, 8))):
        drag(view.view.viewport(), view.cell_center(row, first), view.cell_center(row, last))
        QApplication.processEvents()
        origin = heads.mapTo(heads.window(), heads.rect().topLeft())
        shown = heads.screen().grabWindow(heads.window().winId(), origin.x(), origin.y(), heads.width(), heads.height())
        shown = pixels(shown.toImage().convertToFormat(QImage.Format.Format_RGB32)).copy()
        fresh = pixels(heads.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)).copy()
        _, ys, height = page.head_titles._painted
        offset = heads.viewport().mapTo(heads, heads.viewport().rect().topLeft())
        for y in ys:  # the titles' lines of text
            top = int(y) + offset.y() - 1
            shown[top : top + int(height) + 3] = fresh[top : top + int(height) + 3]
        assert (shown != fresh).any(axis=-1).sum() == 0, (row, first, last)


def test_d_that_h_does_not_divide_is_repaired_with_a_message(multi_head_page, qtbot):
    page = multi_head_page
    page.heads.setCurrentIndex(page.heads.findData(8))
    page.sequence_bar.dim.setValue(12)
    assert page.store.state.sequence.dim == 12 and page.store.state.heads == 6
    assert "does not divide" in page.message.text()
    assert page.trace.full.weights.shape[0] == 6
    assert [page.heads.itemData(i) for i in range(page.heads.count())] == [1, 2, 3, 4, 6, 12]  # H offers D's divisors
    # a state that did not come through the controls (a session file) with H = 5: refused, the last views kept
    from dataclasses import replace

    shown = page.trace
    page.store.set(replace(page.store.state, heads=5), "from a session")
    assert "H = 5 does not divide D = 12" in page.message.text() and "keeping the last valid setting" in page.message.text()
    assert page.trace is shown and page.heads.currentData() == 6


def test_token_labels_name_a_repeated_token_by_its_position_and_leave_distinct_tokens_as_they_are():
    assert token_labels(["the", "cat", "sat"]) == ["the", "cat", "sat"]
    assert token_labels(("the", "cat", "the")) == ["the·0", "cat", "the·2"]
    assert token_labels(["cat", "the", "the"]) == ["cat", "the·1", "the·2"]  # reordered: the positions follow
    assert token_labels([]) == []


def test_mask_state_paints_on_top_of_a_preset():
    state = MaskState(preset="causal").paint([(3, 1)], block=True).paint([(0, 2)], block=False)
    mask = state.build(4)
    expected = masks.causal(4)
    expected[3, 1] = False
    expected[0, 2] = True
    assert torch.equal(mask, expected)
    assert torch.equal(state.build(2), masks.causal(2) | torch.tensor([[False, False], [False, False]]))  # cells outside ignored
    assert SequenceState(text="a b a").tokens() == ["a", "b", "a"]


@settings(max_examples=60, deadline=None)
@given(
    preset=st.sampled_from(["none", "causal", "window", "random"]),
    strokes=st.lists(
        st.one_of(st.none(), st.tuples(st.booleans(), st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), min_size=1, max_size=6))),
        min_size=1,
        max_size=8,
    ),
)
def test_a_mask_edited_stroke_by_stroke_is_the_mask_built_from_scratch(preset, strokes):
    """Painting and erasing cells, stroke after stroke, on any preset, and clearing the painting (None): the mask kept
    up to date cell by cell equals the mask built from the state, and the rows it reports are exactly the rows that
    changed."""
    from explorer.pages.common import build_mask

    n = 8  # cells painted at 8 or 9 lie outside the grid and change nothing
    state = MaskState(preset=preset, window=2, p=0.4)
    cache: dict = {}
    previous, rows = build_mask(state, n, cache)
    assert rows is None and torch.equal(previous, state.build(n))
    for stroke in strokes:
        state = state.cleared() if stroke is None else state.paint(stroke[1], stroke[0])
        mask, rows = build_mask(state, n, cache)
        assert torch.equal(mask, state.build(n))
        assert rows.tolist() == sorted(set(torch.nonzero(mask != previous)[:, 0].tolist()))
        previous = mask
