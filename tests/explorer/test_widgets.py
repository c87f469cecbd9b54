"""The shared widgets on their own: what they show and what a real click or drag makes them say."""

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QPoint, QRectF
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from explorer.widgets import style
from explorer.widgets.bar_chart import BarChart
from explorer.widgets.heatmap import Heatmap
from explorer.widgets.matrix_editor import parse_number, parse_vectors
from explorer.widgets.token_strip import TokenStrip

from .images import pixels
from .mouse import click, click_link, drag


@pytest.fixture
def heatmap(qtbot):
    widget = Heatmap("scores", levels=None, row_name="query", col_name="key", value_name="e")
    qtbot.addWidget(widget)
    widget.resize(500, 400)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_heatmap_hover_reads_the_exact_value_and_click_reports_the_cell(heatmap, qtbot):
    values = np.array([[0.125, -2.5, 3.0], [1.0, 0.333333, -np.inf]], np.float32)
    heatmap.set_data(values, ["the", "cat"], ["a", "b", "c"])
    assert heatmap.row_labels == ["the", "cat"] and heatmap.col_labels == ["a", "b", "c"]
    viewport = heatmap.view.viewport()
    hovered = []
    heatmap.cellHovered.connect(lambda r, c: hovered.append((r, c)))
    qtbot.mouseMove(viewport, heatmap.cell_center(0, 1).toPoint())
    qtbot.waitUntil(lambda: (0, 1) in hovered)
    assert heatmap.readout.text() == "query the → key b:  e = -2.5"
    qtbot.mouseMove(viewport, heatmap.cell_center(1, 2).toPoint())
    qtbot.waitUntil(lambda: (1, 2) in hovered)
    assert heatmap.readout.text().endswith("e = −∞ (masked)") and heatmap.is_blocked(1, 2)
    with qtbot.waitSignal(heatmap.cellClicked) as signal:
        click(viewport, heatmap.cell_center(1, 0))
    assert signal.args == [1, 0]
    # signed data gets symmetric levels; the −∞ cell is drawn in the blocked grey, which no colormap uses
    assert heatmap.levels == (-3.0, 3.0)
    assert heatmap.cell_colour(1, 2) == style.BLOCKED and heatmap.cell_colour(0, 2) != style.BLOCKED
    assert heatmap.cell_colour(0, 2) == heatmap.colorbar.colorMap().map(1.0, mode="qcolor")  # 3.0 is the top of the scale
    assert _pixel(heatmap, 1, 2) == style.BLOCKED.rgb() and _pixel(heatmap, 0, 2) == heatmap.cell_colour(0, 2).rgb()


def _pixel(heatmap, row, col):
    """The colour on screen inside a cell, away from its centre (small matrices print their values there)."""
    return heatmap.grab().toImage().pixel(heatmap.cell_center(row - 0.35, col - 0.35).toPoint())


def test_heatmap_prints_small_matrices_values_dark_on_bright_cells_and_light_on_dark_ones(qtbot):
    heatmap = Heatmap("weights", levels=(0.0, 1.0))  # viridis: 0 is dark purple, 1 bright yellow
    qtbot.addWidget(heatmap)
    heatmap.resize(500, 400)
    heatmap.show()
    qtbot.waitExposed(heatmap)
    heatmap.set_data(np.array([[0.0, 1.0], [0.25, -np.inf]], np.float32), ["a", "b"], ["x", "y"])
    assert heatmap.cell_texts == ["0.00", "1.00", "0.25", "−∞"]
    image = heatmap.grab().toImage()

    def colours_in(row, col):
        centre = heatmap.cell_center(row, col).toPoint()
        return {image.pixel(centre.x() + dx, centre.y() + dy) for dx in range(-12, 13) for dy in range(-5, 6)}

    def grey(rgb):
        colour = QColor.fromRgb(rgb)
        return 0.299 * colour.red() + 0.587 * colour.green() + 0.114 * colour.blue()

    cell_greys = {cell: grey(heatmap.cell_colour(*cell).rgb()) for cell in ((0, 0), (0, 1), (1, 1))}
    assert max(map(grey, colours_in(0, 0))) > 200 > cell_greys[(0, 0)] + 100  # light text on the darkest colour
    assert min(map(grey, colours_in(0, 1))) < 80 < cell_greys[(0, 1)] - 100  # dark text on the brightest
    assert min(map(grey, colours_in(1, 1))) < 80 < cell_greys[(1, 1)] - 60  # dark on the blocked grey
    heatmap.set_data(np.zeros((9, 9), np.float32))  # 81 cells: too many to print
    assert heatmap.cell_texts == []
    image = heatmap.grab().toImage()
    assert colours_in(0, 0) == {heatmap.cell_colour(0, 0).rgba()}  # nothing printed
    heatmap.set_data(np.full((2, 3), 0.5, np.float32))
    assert heatmap.cell_texts == ["0.50"] * 6


def test_heatmap_recolours_only_the_rows_that_changed_and_matches_a_fresh_view(heatmap, qtbot):
    rng = np.random.default_rng(1)
    values = rng.random((1024, 1024)).astype(np.float32)
    heatmap.set_data(values)
    assert heatmap.cells.factors[0] > 1 and heatmap.cells.factors[1] > 1  # more cells than pixels: block means
    renders = heatmap.cells.full_renders
    edited = values.copy()
    edited[700] = rng.random(1024)
    edited[700, 5] = -np.inf  # one blocked cell greys its block
    heatmap.set_data(edited)
    assert heatmap.cells.full_renders == renders and heatmap.cells.rows_rendered == 1
    fresh = Heatmap("scores", levels=None)
    qtbot.addWidget(fresh)
    fresh.resize(heatmap.size())
    fresh.show()
    qtbot.waitExposed(fresh)
    fresh.set_data(edited)
    assert fresh.cells.factors == heatmap.cells.factors
    np.testing.assert_array_equal(heatmap.cells.pixels, fresh.cells.pixels)
    assert heatmap.cell_colour(700, 5) == style.BLOCKED and heatmap.is_blocked(700, 5) and not heatmap.is_blocked(700, 6)
    # what is painted follows the recoloured buffer: the blocked cell's block is grey on screen
    y, x = heatmap.cells.pixel_centre(700, 5)
    centre, image = heatmap.cell_center(y, x).toPoint(), heatmap.grab().toImage()
    around = {image.pixel(centre.x() + dx, centre.y() + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)}  # a block is about a pixel
    assert style.BLOCKED.rgb() in around


def _fresh_pixels(qtbot, size, values, **kwargs):
    fresh = Heatmap("scores", levels=None)
    qtbot.addWidget(fresh)
    fresh.resize(size)
    fresh.show()
    qtbot.waitExposed(fresh)
    fresh.set_data(values, **kwargs)
    return fresh.cells.factors, fresh.cells.pixels


def test_a_matrix_changed_in_every_row_is_recoloured_whole_and_one_changed_in_a_few_by_rows(heatmap, qtbot):
    """Whether a new matrix is recoloured whole or by rows is told first from SAMPLE_ROWS rows spread over it: a
    reordered matrix (every row differs) goes whole, a matrix that differs in those rows alone as well (the same
    pixels either way), one that differs in a few rows, some of them sampled, by rows. Each matches a fresh view."""
    from explorer.widgets.cell_image import SAMPLE_ROWS

    rng = np.random.default_rng(11)
    values = rng.random((1024, 1024)).astype(np.float32)
    heatmap.set_data(values, levels=(0.0, 1.0))
    assert heatmap.cells.pixels.shape[0] // 4 > SAMPLE_ROWS  # large enough for the sample to be taken
    sampled = np.linspace(0, 1023, SAMPLE_ROWS).astype(int)
    order = rng.permutation(1024)
    reordered = values[order][:, order]
    renders = heatmap.cells.full_renders
    heatmap.set_data(reordered, levels=(0.0, 1.0))
    assert heatmap.cells.full_renders == renders + 1
    factors, expected = _fresh_pixels(qtbot, heatmap.size(), reordered, levels=(0.0, 1.0))
    assert factors == heatmap.cells.factors
    np.testing.assert_array_equal(heatmap.cells.pixels, expected)

    for rows, whole in ((sampled, True), (np.r_[sampled[:3], 5, 6, 500], False)):
        edited = heatmap.values.copy()
        edited[rows, 3] += 0.25
        edited[rows[-1], 9] = -np.inf
        renders, rendered = heatmap.cells.full_renders, heatmap.cells.rows_rendered
        heatmap.set_data(edited, levels=(0.0, 1.0))
        if whole:
            assert heatmap.cells.full_renders == renders + 1
        else:
            assert heatmap.cells.full_renders == renders
            assert heatmap.cells.rows_rendered - rendered == len({int(r) // heatmap.cells.factors[0] for r in rows})
        np.testing.assert_array_equal(heatmap.cells.pixels, _fresh_pixels(qtbot, heatmap.size(), edited, levels=(0.0, 1.0))[1])


def test_a_read_only_matrix_is_kept_without_a_copy_and_never_written_to(heatmap, qtbot):
    """A read-only matrix (a trace's weights) is kept as it is to tell the next matrix's changed rows; an edit of a
    few rows then works on a copy: the caller's array is never written to, and the pixels are a fresh view's."""
    rng = np.random.default_rng(8)
    values = rng.random((600, 600)).astype(np.float32)
    values.flags.writeable = False
    heatmap.set_data(values, levels=(0.0, 1.0))
    assert np.shares_memory(heatmap.cells._values, values)  # no 1.4 MB copy
    original = values.copy()
    edited = values.copy()
    edited[[3, 400]] = rng.random((2, 600))
    edited[400, 7] = -np.inf
    renders = heatmap.cells.full_renders
    heatmap.set_data(edited, levels=(0.0, 1.0))  # two rows differ: recoloured by rows, into the kept matrix
    assert heatmap.cells.full_renders == renders
    np.testing.assert_array_equal(values, original)
    edited = edited.copy()
    edited[9] = 0.5
    heatmap.set_data(edited, levels=(0.0, 1.0), rows_changed=[9])
    np.testing.assert_array_equal(values, original)
    np.testing.assert_array_equal(heatmap.cells.pixels, _fresh_pixels(qtbot, heatmap.size(), edited, levels=(0.0, 1.0))[1])


def test_rows_of_several_blocks_recoloured_at_once_match_a_fresh_view(heatmap, qtbot):
    """Changed rows in several row blocks, the shorter last block among them (601 rows), are averaged and coloured in
    one pass: the pixels are those of a view coloured from scratch, with and without blocked cells."""
    rng = np.random.default_rng(5)
    values = rng.random((601, 500)).astype(np.float32)
    heatmap.set_data(values, levels=(0.0, 1.0))
    fy = heatmap.cells.factors[0]
    assert fy > 1 and 601 % fy  # block means, and a last block shorter than the others
    renders, rendered = heatmap.cells.full_renders, heatmap.cells.rows_rendered
    for rows in ([0, 1, 7, 300, 600], [3, 599]):
        values = values.copy()
        values[rows] = rng.random((len(rows), 500)) * 0.8
        values[rows[-1], 17] = -np.inf
        heatmap.set_data(values, levels=(0.0, 1.0), rows_changed=rows)
    assert heatmap.cells.full_renders == renders
    assert heatmap.cells.rows_rendered - rendered == len({r // fy for r in (0, 1, 7, 300, 600)}) + len({r // fy for r in (3, 599)})
    fresh = Heatmap("scores", levels=None)
    qtbot.addWidget(fresh)
    fresh.resize(heatmap.size())
    fresh.show()
    qtbot.waitExposed(fresh)
    fresh.set_data(values, levels=(0.0, 1.0))
    assert fresh.cells.factors == heatmap.cells.factors
    np.testing.assert_array_equal(heatmap.cells.pixels, fresh.cells.pixels)


@pytest.mark.parametrize("levels", [None, (0.0, 1.0)])
def test_heatmap_told_which_rows_changed_shows_what_a_fresh_view_shows(heatmap, qtbot, levels):
    rng = np.random.default_rng(2)
    values = rng.random((600, 600)).astype(np.float32)
    values[rng.random(values.shape) < 0.3] = -np.inf  # blocked cells
    heatmap.set_data(values, levels=levels)
    renders = heatmap.cells.full_renders
    for _ in range(6):
        row = int(rng.integers(600))
        values = values.copy()
        values[row] = rng.random(600) * 0.9
        values[row, rng.integers(600, size=40)] = -np.inf
        heatmap.set_data(values, levels=levels, rows_changed=[row])
    assert heatmap.cells.full_renders == renders  # no full recolour: the levels did not move
    fresh = Heatmap("scores", levels=None)
    qtbot.addWidget(fresh)
    fresh.resize(heatmap.size())
    fresh.show()
    qtbot.waitExposed(fresh)
    fresh.set_data(values, levels=levels)
    assert fresh.levels == heatmap.levels
    np.testing.assert_array_equal(heatmap.cells.pixels, fresh.cells.pixels)
    blocked = np.isneginf(values)
    assert all(heatmap.is_blocked(r, c) == blocked[r, c] for r, c in zip(*rng.integers(600, size=(2, 200)), strict=True))
    # a row that moves the automatic colour range takes the full path and still matches
    values = values.copy()
    values[3] = 5.0
    heatmap.set_data(values, levels=levels, rows_changed=[3])
    fresh.set_data(values, levels=levels)
    assert fresh.levels == heatmap.levels
    np.testing.assert_array_equal(heatmap.cells.pixels, fresh.cells.pixels)


def test_heatmap_highlight_and_many_labels(heatmap):
    heatmap.set_data(np.random.default_rng(0).random((300, 300)).astype(np.float32), [f"t{i}" for i in range(300)], [f"t{i}" for i in range(300)])
    ticks = heatmap.plot.getAxis("left")._tickLevels[0]
    assert 10 <= len(ticks) <= 48  # a readable subset of 300 labels
    heatmap.set_highlight(row=7)
    assert heatmap.highlighted_row() == 7


def test_heatmap_highlights_a_row_and_a_column_with_outlines_around_their_cells(heatmap, qtbot):
    """set_highlight(row, col) draws outlines around that row's and that column's cells: what changes on screen lies
    on those boxes' edges, nowhere else; without a highlight the picture is the plain map again."""
    heatmap.set_data(np.random.default_rng(1).random((10, 10)).astype(np.float32), [str(i) for i in range(10)], [str(i) for i in range(10)])
    view = heatmap.view

    def picture():
        heatmap.repaint()
        return view.viewport().grab().toImage()

    plain = picture()
    heatmap.set_highlight(row=2, col=6)
    marked = picture()
    changed = [(x, y) for x in range(plain.width()) for y in range(plain.height()) if plain.pixel(x, y) != marked.pixel(x, y)]
    assert changed

    def pixel_rect(rect):
        return view.mapFromScene(heatmap.plot.vb.mapViewToScene(rect).boundingRect()).boundingRect()

    row_box, col_box = pixel_rect(QRectF(-0.5, 1.5, 10, 1)), pixel_rect(QRectF(5.5, -0.5, 1, 10))

    def near_edge(box, x, y):
        inside = box.adjusted(-3, -3, 3, 3).contains(x, y)
        return inside and not box.adjusted(3, 3, -3, -3).contains(x, y)

    assert all(near_edge(row_box, x, y) or near_edge(col_box, x, y) for x, y in changed)
    assert any(near_edge(col_box, x, y) and not near_edge(row_box, x, y) for x, y in changed)  # the column's own outline
    heatmap.set_highlight()
    assert picture() == plain


def test_heatmap_labels_only_as_many_rows_as_fit_and_keeps_sparse_labels(heatmap, qtbot):
    rows = [f"w{i}" for i in range(128)]
    cols = [""] * 560
    for k in range(7):
        cols[80 * k + 32] = f"stage {k}"  # a few labels far apart, the other columns unlabelled
    heatmap.set_data(np.zeros((128, 560), np.float32), rows, cols)
    left, bottom = (heatmap.plot.getAxis(a)._tickLevels[0] for a in ("left", "bottom"))
    pixels_per_row = heatmap.plot.vb.height() / 128
    spacing = (left[1][0] - left[0][0]) * pixels_per_row
    assert spacing >= heatmap.fontMetrics().height() and len(left) < 48  # rows labelled without overlapping
    assert [label for _, label in bottom] == [f"stage {k}" for k in range(7)]
    heatmap.resize(500, 800)  # more room, more labels
    qtbot.waitUntil(lambda: len(heatmap.plot.getAxis("left")._tickLevels[0]) > len(left))


def test_bar_chart_click_reports_the_bar(qtbot):
    chart = BarChart("a", value_name="a")
    qtbot.addWidget(chart)
    chart.resize(400, 300)
    chart.show()
    qtbot.waitExposed(chart)
    chart.set_data(np.array([0.1, 0.7, 0.2]), ["x1", "x2", "x3"])
    point = chart.plot.vb.mapViewToScene(chart.plot.vb.mapToView(chart.plot.vb.rect().center()))
    target = chart.plot.vb.mapViewToScene(type(point)(1.0, 0.3))
    with qtbot.waitSignal(chart.barClicked) as signal:
        click(chart.view.viewport(), chart.view.mapFromScene(target))
    assert signal.args == [1] and chart.readout.text() == "x2: a = 0.7"


def test_bar_values_are_printed_only_while_they_fit_side_by_side(qtbot):
    """Sixteen values in a chart ~520 pixels wide ran into each other ("-0.19-0.22"): they are printed only while the
    widest fits a bar's width, and come back (or go) when the chart is resized."""
    chart = BarChart("y")
    qtbot.addWidget(chart)
    chart.resize(540, 180)
    chart.show()
    qtbot.waitExposed(chart)
    values = np.linspace(-1.0, 1.0, 16).astype(np.float32)
    chart.set_data(values)
    widest = chart._texts.widest([f"{v:.2f}" for v in values])
    assert chart.plot.vb.width() / 16 < widest + 4 and chart.value_labels == []
    chart.resize(1000, 180)
    qtbot.waitUntil(lambda: chart.plot.vb.width() > 900)
    assert chart.value_labels == [f"{v:.2f}" for v in values]
    chart.set_data(values[::-1].copy())
    assert chart.value_labels == [f"{v:.2f}" for v in values[::-1]]
    chart.resize(400, 180)
    qtbot.waitUntil(lambda: chart.plot.vb.width() < 400)
    assert chart.value_labels == []
    chart.set_data(values[:4])  # four bars a hundred pixels wide: printed
    assert chart.value_labels == [f"{v:.2f}" for v in values[:4]]


@pytest.fixture
def strip(qtbot):
    widget = TokenStrip()
    qtbot.addWidget(widget)
    widget.set_tokens(["the", "cat", "sat"])
    widget.resize(widget.sizeHint())
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_token_strip_drag_reorders_and_click_selects(strip, qtbot):
    with qtbot.waitSignal(strip.orderChanged) as order:
        drag(strip, strip.chip_rect(0).center(), QPoint(strip.chip_rect(2).right() + 2, strip.chip_rect(2).center().y()))
    assert order.args == [[1, 2, 0]]
    with qtbot.waitSignal(strip.orderChanged) as order:
        drag(strip, strip.chip_rect(2).center(), QPoint(strip.chip_rect(0).left() + 1, strip.chip_rect(0).center().y()))
    assert order.args == [[2, 0, 1]]
    with qtbot.waitSignal(strip.tokenClicked) as clicked:
        click(strip, strip.chip_rect(1).center())
    assert clicked.args == [1]



def test_token_strip_hands_its_permutation_to_the_slot_unconverted(strip):
    """The permutation reaches a slot as the list emitted: a signal declared with ``list`` converts it to a
    QVariantList and back at every drop (0.4 ms at 1024 tokens, see benchmarks/interaction.py)."""
    received = []
    strip.orderChanged.connect(received.append)
    order = list(range(1024))
    order.insert(0, order.pop())
    strip.orderChanged.emit(order)
    assert received and received[0] is order


def test_token_strip_lays_a_reordered_run_out_as_a_fresh_strip(qtbot):
    """A reorder lays out only the run of chips that moved; after random moves, replaced tokens (as wide and wider)
    and a new selection, every chip stands where a strip given the same tokens from scratch puts it."""
    import random

    strip = TokenStrip()
    qtbot.addWidget(strip)
    generator = random.Random(3)
    tokens = [generator.choice(["a", "cat", "sat", "on", "the", "mat", "ii", "mm"]) + str(i % 7) for i in range(60)]
    strip.set_tokens(tokens)
    for step in range(40):
        tokens = list(tokens)
        if step % 5 == 4:
            tokens[generator.randrange(len(tokens))] = generator.choice(["x", "wider token", "mm"])
        else:
            tokens.insert(generator.randrange(len(tokens)), tokens.pop(generator.randrange(len(tokens))))
        strip.set_tokens(tokens, selected=step % 3)
        fresh = TokenStrip()
        qtbot.addWidget(fresh)
        fresh.set_tokens(tokens, selected=step % 3)
        assert [strip.chip_rect(i) for i in range(len(tokens))] == [fresh.chip_rect(i) for i in range(len(tokens))]
        assert strip.sizeHint() == fresh.sizeHint()

def _strip_drawn_directly(strip, dragged=None):
    """What the strip shows, each chip drawn straight onto the window colour (no cached pixmaps)."""
    from PySide6.QtGui import QPainter

    from explorer.widgets.token_strip import draw_chip

    image = QImage(strip.size(), QImage.Format.Format_RGB32)
    image.fill(strip.palette().window().color())
    painter = QPainter(image)
    painter.setFont(strip.font())
    for i, token in enumerate(strip.tokens):
        draw_chip(painter, strip.chip_rect(i), token, strip.palette(), selected=i == strip.selected, dragged=i == dragged)
    painter.end()
    return pixels(image).astype(int)


def test_token_strip_chips_copied_from_their_cache_look_as_drawn_and_follow_the_palette(qtbot):
    """A chip is drawn once into a pixmap and copied on later paints: it must show what drawing it shows (to
    rounding), whichever its token, state and colours, and a new palette must give new chips."""
    from PySide6.QtGui import QPalette
    from PySide6.QtTest import QTest

    from .mouse import LEFT, NONE

    strip = TokenStrip()
    qtbot.addWidget(strip)
    strip.set_tokens(["the", "cat", "", "sat", "猫", "the"], 1)  # a repeated token, an empty one, a wide glyph
    strip.resize(strip.sizeHint())
    strip.show()
    qtbot.waitExposed(strip)
    assert np.abs(pixels(strip.grab().toImage()).astype(int) - _strip_drawn_directly(strip)).max() <= 2
    strip.set_tokens(["cat", "the", "", "sat", "猫", "the"], 4)  # moved chips and a new selection, from the cache
    assert np.abs(pixels(strip.grab().toImage()).astype(int) - _strip_drawn_directly(strip)).max() <= 2
    # a chip held in a drag is drawn darker (the drop line aside, checked on the chips left of it)
    QTest.mousePress(strip, LEFT, NONE, strip.chip_rect(0).center())
    QTest.mouseMove(strip, strip.chip_rect(2).center())
    try:
        held = pixels(strip.grab().toImage()).astype(int)
        drawn = _strip_drawn_directly(strip, dragged=0)
        left_of_line = strip.chip_rect(1).left() - 3
        assert np.abs(held[:, :left_of_line] - drawn[:, :left_of_line]).max() <= 2
        assert np.abs(held[:, :left_of_line] - _strip_drawn_directly(strip)[:, :left_of_line]).max() > 10
    finally:
        QTest.mouseRelease(strip, LEFT, NONE, strip.chip_rect(0).center())
    palette = strip.palette()
    palette.setColor(QPalette.ColorRole.Base, QColor("#20304a"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#f0f0f0"))
    strip.setPalette(palette)
    shown = pixels(strip.grab().toImage()).astype(int)
    assert np.abs(shown - _strip_drawn_directly(strip)).max() <= 2
    centre = strip.chip_rect(2).center()  # the empty token's chip: its fill at the middle (the ␣ sits lower)
    assert tuple(shown[strip.chip_rect(2).top() + 3, centre.x(), 2::-1]) == (0x20, 0x30, 0x4A)


def test_number_parsing_refuses_what_is_not_a_finite_number():
    assert parse_number(" 1,5 ") == 1.5 and parse_number("−2") == -2.0
    for bad in ("abc", "nan", "inf", ""):
        with pytest.raises(ValueError):
            parse_number(bad)
    assert parse_vectors("1 2\n# comment\n3,4", dim=2).tolist() == [[1, 2], [3, 4]]


def test_every_heatmap_exports_its_picture_and_numbers(heatmap, tmp_path, qtbot):
    from PySide6.QtGui import QGuiApplication

    from explorer.widgets.view_menu import build_menu, export_view

    values = np.array([[0.25, 0.75], [1.0, 0.0]], np.float32)
    heatmap.set_data(values, ["q1", "q2"], ["k1", "k2"])
    menu = build_menu(heatmap, heatmap.view_data, heatmap.title)
    assert [a.text() for a in menu.actions() if a.text()] == ["Copy image", "Export PNG…", "Export PNG at 2× (print)…", "Export SVG…", "Export data as CSV…", "Export data as NPZ…"]
    menu.actions()[0].trigger()
    assert QGuiApplication.clipboard().image().width() == heatmap.width()
    path = export_view(heatmap, heatmap.view_data, heatmap.title(), "npz", path=str(tmp_path / "scores"))
    saved = np.load(path)
    assert saved["e"].tolist() == values.tolist() and saved["e__rows"].tolist() == ["q1", "q2"]
    png = export_view(heatmap, heatmap.view_data, heatmap.title(), "png", path=str(tmp_path / "scores.png"), scale=2.0)
    from PySide6.QtGui import QImage

    assert QImage(png).width() == 2 * heatmap.width()
    csv_path = export_view(heatmap, heatmap.view_data, heatmap.title(), "csv", path=str(tmp_path / "scores.csv"))
    assert open(csv_path).read().splitlines()[1:3] == [",k1,k2", "q1,0.25,0.75"]


def _choose_from_context_menu(widget, point, text):
    """Right-click ``widget`` (a view's viewport) at ``point`` and trigger the menu entry ``text``; its check state
    before the click is returned."""
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QContextMenuEvent

    seen = []

    def choose():
        menu = QApplication.activePopupWidget()
        action = next(a for a in menu.actions() if a.text() == text)
        seen.append(action.isChecked())
        action.trigger()
        menu.close()

    QTimer.singleShot(0, choose)
    QApplication.sendEvent(widget, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point, widget.mapToGlobal(point)))
    assert seen, "no menu entry chosen"
    return seen[0]


def _shown_weights_map(qtbot, n, seed):
    """A weights map (0-to-1 range) on screen, showing the softmax of n × n standard normal scores."""
    heatmap = Heatmap("weights", levels=(0.0, 1.0))
    qtbot.addWidget(heatmap)
    heatmap.resize(500, 400)
    heatmap.show()
    qtbot.waitExposed(heatmap)
    scores = np.random.default_rng(seed).standard_normal((n, n)).astype(np.float32)
    weights = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    heatmap.set_data(weights)
    return heatmap, weights


def test_a_weights_map_can_fit_its_colour_range_to_the_values_from_its_menu(qtbot):
    """The weights of 300 tokens (~1/300 each) are one colour on the 0-to-1 scale; fitted from the view's right-click
    menu, they span the colormap from 0 to their 99th percentile, the colorbar says so, the next matrices keep it, and
    unticking it gives the 0-to-1 scale back."""
    heatmap, weights = _shown_weights_map(qtbot, 300, seed=3)
    assert heatmap.levels == (0.0, 1.0) and heatmap.can_fit and len(np.unique(heatmap.cells.pixels)) < 40
    viewport = heatmap.view.viewport()
    centre = viewport.rect().center()
    assert _choose_from_context_menu(viewport, centre, "Fit the colour range to the values") is False
    top = float(np.quantile(weights, 0.99, method="higher"))  # 90,000 cells: all of them are the sample
    assert heatmap.fitted and heatmap.levels == (0.0, pytest.approx(top)) and top < 0.5 * float(weights.max())
    assert tuple(heatmap.colorbar.levels()) == pytest.approx(heatmap.levels)
    assert len(np.unique(heatmap.cells.pixels)) > 100  # the weights now spread over the colormap
    factors, expected = _fresh_pixels(qtbot, heatmap.size(), weights, levels=heatmap.levels)
    np.testing.assert_array_equal(heatmap.cells.pixels, expected)
    heatmap.set_data(weights * 0.5)  # the next matrix: fitted too
    assert heatmap.levels == (0.0, pytest.approx(top * 0.5))
    assert _choose_from_context_menu(viewport, centre, "Fit the colour range to the values") is True
    assert not heatmap.fitted and heatmap.levels == (0.0, 1.0)
    heatmap.set_data(weights, levels=(0.0, 0.5))  # a range the caller gives is kept: nothing to fit
    assert not heatmap.can_fit


def test_a_weights_map_fits_its_colour_range_from_the_link_under_it(qtbot):
    """The link at the end of the readout line fits the colour range, says how to go back, and the menu agrees."""
    heatmap, weights = _shown_weights_map(qtbot, 256, seed=4)
    link = heatmap.fit_link
    assert link.isVisible() and "fit colours" in link.text() and heatmap.levels == (0.0, 1.0)
    dark = len(np.unique(heatmap.cells.pixels))
    click_link(qtbot, link)
    top = float(np.quantile(weights, 0.99, method="higher"))
    assert heatmap.fitted and heatmap.levels == (0.0, pytest.approx(top))
    assert np.mean(weights > top) <= 0.01  # the largest 1 % share the top colour
    assert tuple(heatmap.colorbar.levels()) == pytest.approx(heatmap.levels)
    assert len(np.unique(heatmap.cells.pixels)) > 4 * dark  # the small weights now spread over the colormap
    assert "0 to 1" in link.text() and "fit colours" not in link.text()
    viewport = heatmap.view.viewport()
    assert _choose_from_context_menu(viewport, viewport.rect().center(), "Fit the colour range to the values") is True
    assert not heatmap.fitted and "fit colours" in link.text()  # unticked in the menu: the link follows
    click_link(qtbot, link)
    click_link(qtbot, link)
    assert not heatmap.fitted and heatmap.levels == (0.0, 1.0)
    heatmap.set_data(weights, levels=(0.0, 0.5))  # a range the caller gives: nothing to fit, no link
    assert not link.isVisible()
    heatmap.set_data(weights)
    assert link.isVisible()


def test_a_fitted_map_of_few_cells_spans_its_smallest_to_its_largest_value_and_skips_masked_cells(qtbot):
    """Up to 100 cells the 99th percentile is the largest value; masked (−∞) cells take no part in the range."""
    heatmap = Heatmap("weights", levels=(0.0, 1.0))
    qtbot.addWidget(heatmap)
    heatmap.set_fitted(True)
    small = np.array([[0.2, 0.5, 0.3], [0.6, 0.1, 0.3], [0.25, 0.25, 0.5]], np.float32)
    heatmap.set_data(small)
    assert heatmap.levels == (0.0, pytest.approx(0.6))
    rng = np.random.default_rng(5)
    scores = rng.standard_normal((200, 200)).astype(np.float32)
    scores[np.triu_indices(200, 1)] = -np.inf  # causal: every row but the last has masked cells
    weights = np.exp(scores - scores.max(axis=1, keepdims=True))
    weights /= weights.sum(axis=1, keepdims=True)
    shown = np.where(np.isinf(scores), -np.inf, weights).astype(np.float32)
    heatmap.set_data(shown)
    visible = weights[np.tril_indices(200)]
    assert heatmap.levels == (0.0, pytest.approx(float(np.quantile(visible, 0.99, method="higher"))))
    assert heatmap.is_blocked(0, 1) and not heatmap.is_blocked(1, 0)


def test_a_fitted_range_stays_while_the_values_move_by_less_than_two_percent_of_it(qtbot):
    """Dragging a token reorders the weights (their percentiles move in the last bits): the colour range and the
    colorbar stay; values that move further take a new range."""
    heatmap, weights = _shown_weights_map(qtbot, 64, seed=7)
    heatmap.set_fitted(True)
    fitted = heatmap.levels
    assert fitted == (0.0, pytest.approx(float(np.quantile(weights, 0.99, method="higher"))))
    heatmap.set_data(weights[::-1, ::-1] * np.float32(1.01))
    assert heatmap.levels == fitted
    heatmap.set_data(weights * np.float32(1.05))
    assert heatmap.levels == (0.0, pytest.approx(fitted[1] * 1.05))
    assert tuple(heatmap.colorbar.levels()) == pytest.approx(heatmap.levels)


def test_the_fitted_range_of_a_large_matrix_samples_every_column():
    """1024 × 1024 cells are sampled ~65,536 at a time: evenly spaced, but never every 16th cell of 1024-cell rows,
    which would read one column in sixteen. Here those columns hold 0.05 and the others spread from 0 to 1."""
    from explorer.widgets.heatmap import fitted_range

    rng = np.random.default_rng(6)
    values = rng.random((1024, 1024)).astype(np.float32)
    values[:, ::16] = 0.05
    low, high = fitted_range(values, None, 0.0, float(values.max()))
    full_low, full_high = np.quantile(values, (0.01, 0.99))
    assert high == pytest.approx(full_high, abs=0.003) and low == pytest.approx(full_low, abs=0.003)


def test_signed_and_thumbnail_maps_offer_no_fit_link(qtbot):
    """Only maps of weights (a fixed 0-to-1 range) show the link; a signed map's fixed range keeps its menu entry."""
    for kwargs in ({"colormap": style.DIVERGING, "levels": (-1.0, 1.0)}, {"levels": None}, {"levels": (0.0, 1.0), "compact": True}):
        heatmap = Heatmap("m", **kwargs)
        qtbot.addWidget(heatmap)
        heatmap.resize(300, 300)
        heatmap.show()
        qtbot.waitExposed(heatmap)
        heatmap.set_data(np.full((3, 3), 0.1, np.float32))
        assert heatmap.fit_link.isHidden(), kwargs
    assert heatmap.can_fit  # the compact one can still be fitted (from code), it just shows no link


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 600), st.floats(0.0, 4000.0), st.floats(1.0, 200.0))
@example(195, 2.5, 1.0)  # 78 cells span exactly 1 pixel: summed gap by gap they came to a hair less
def test_fitted_ticks_for_fully_labelled_axes_match_the_general_search(count, pixels, extent):
    """Token axes label every position: their step is computed from the cell size instead of searched; both give
    the same ticks (and labels at least ``extent`` pixels apart where more than one fits)."""
    from explorer.widgets.heatmap import MAX_TICK_LABELS, _fitting_step, fitted_ticks

    labels = [f"t{i}" for i in range(count)]
    step = _fitting_step([float(i) for i in range(count)], pixels / max(count, 1), extent) if pixels > 0 else 1
    expected = [(float(i), labels[i]) for i in range(count)][:: max(step, int(np.ceil(count / MAX_TICK_LABELS)))]
    ticks = fitted_ticks(labels, pixels, extent)
    assert ticks == expected
    if len(ticks) > 1 and count and pixels > 0:
        assert (ticks[1][0] - ticks[0][0]) * pixels / count >= extent or ticks[1][0] - ticks[0][0] >= np.ceil(count / MAX_TICK_LABELS)


def test_a_spacing_exactly_equal_to_the_label_extent_fits_both_ways():
    """k cells spanning exactly the labels' extent: the step worked out from the cell size and the one searched gap by
    gap agree (their float roundings differed at such boundaries in a third of the cases)."""
    import random

    from explorer.widgets.heatmap import _even_step, _fitting_step

    rng = random.Random(3)
    for _ in range(300):
        count = rng.randint(2, 600)
        cells = rng.randint(1, count)
        extent = rng.choice([1.0, 7.0, 13.0, 0.1 * rng.randint(10, 2000)])
        per_cell = count * extent / cells / count
        assert _even_step(count, per_cell, extent) == _fitting_step([float(i) for i in range(count)], per_cell, extent) <= cells


def _specs(axis, generate):
    """Draw specs as plain numbers: (axis line, tick lines with pen colours, label rectangles, flags and texts)."""
    from PySide6.QtGui import QPainter, QPicture

    picture = QPicture()
    painter = QPainter(picture)
    try:
        if axis.style["tickFont"]:
            painter.setFont(axis.style["tickFont"])
        specs = generate(painter)
    finally:
        painter.end()
    if specs is None:
        return None
    (pen, a, b), ticks, texts = specs
    point = lambda q: (round(q.x(), 6), round(q.y(), 6))  # noqa: E731
    return (
        (pen.color().name(), point(a), point(b)),
        [(pen.color().rgba(), point(p1), point(p2)) for pen, p1, p2 in ticks],
        [((round(r.x(), 6), round(r.y(), 6), round(r.width(), 6), round(r.height(), 6)), int(flags), text) for r, flags, text in texts],
    )


def _drawn(axis, draw) -> QImage:
    """The axis item drawn by ``draw(painter)`` on a transparent image of its bounding rectangle."""
    from PySide6.QtGui import QPainter

    rect = axis.boundingRect().toAlignedRect()
    image = QImage(rect.size(), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.translate(-rect.topLeft())
    if axis.style["tickFont"]:
        painter.setFont(axis.style["tickFont"])
    draw(painter)
    painter.end()
    return image


@pytest.mark.parametrize("count", [1, 7, 40, 128, 300])
def test_label_axes_draw_what_pyqtgraphs_axis_draws(qtbot, count):
    """The lean tick-label axis gives pyqtgraph's draw specs exactly and paints its pixels, for heatmap axes of every
    side and a bar chart's, before and after labels are renamed, the views resized, the pens changed, fewer labels
    given and the views zoomed: the frame an axis keeps between paints (with its pens) follows each of them."""
    import pyqtgraph as pg

    from explorer.widgets.axes import LabelAxis

    heatmap = Heatmap("m")
    chart = BarChart("b")
    for widget in (heatmap, chart):
        qtbot.addWidget(widget)
        widget.resize(520, 420)
        widget.show()
    qtbot.waitExposed(heatmap)
    rng = np.random.default_rng(count)
    labels_compared = 0
    rows = [f"tok{i}" for i in range(count)]
    cols = [f"w{i}" * (1 + i % 3) for i in range(count)]
    for step in range(4):
        n = count if step < 2 else max(1, count // 2)  # then fewer labels, new ranges
        heatmap.set_data(rng.random((n, n), dtype=np.float32), rows[:n], cols[:n])
        chart.set_data(rng.normal(size=n).astype(np.float32), cols[:n])
        if step == 3:  # a zoom: new ranges on the same geometry
            heatmap.plot.setRange(xRange=(-0.5, n / 2), yRange=(-0.5, n / 3), padding=0)
            chart.plot.setRange(xRange=(-0.6, n / 2), padding=0)
        heatmap.plot.getAxis("top").setTicks([[(0.0, "first"), (n - 1.0, "last")], []])
        heatmap.plot.showAxis("top")
        heatmap.plot.getAxis("top").setStyle(showValues=True)
        heatmap.plot.getAxis("right").setTicks([[(0.0, "first"), (n / 2, "middle")], []])  # marks without values
        qtbot.waitUntil(lambda: heatmap.plot.getAxis("left").width() > 0)
        axes = [heatmap.plot.getAxis(side) for side in ("left", "bottom", "top", "right")] + [chart.plot.getAxis("bottom")]
        for axis in axes:
            assert isinstance(axis, LabelAxis) and axis._lean()
            lean = _specs(axis, axis.generateDrawSpecs)
            reference = _specs(axis, lambda painter, axis=axis: pg.AxisItem.generateDrawSpecs(axis, painter))
            assert lean == reference
            assert axis.boundingRect() == pg.AxisItem.boundingRect(axis)  # the kept rectangle follows the geometry

            def pyqtgraphs(painter, axis=axis):
                specs = pg.AxisItem.generateDrawSpecs(axis, painter)
                if specs is not None:
                    pg.AxisItem.drawPicture(axis, painter, *specs)

            assert _drawn(axis, lambda painter, axis=axis: axis.paint(painter, None, None)) == _drawn(axis, pyqtgraphs)
            labels_compared += 0 if lean is None else len(lean[2])
            if step == 3:  # a new text pen alone (nothing else moved): the labels take it; longer ticks: the bounds
                axis.setTextPen("#0000aa")
                assert _drawn(axis, lambda painter, axis=axis: axis.paint(painter, None, None)) == _drawn(axis, pyqtgraphs)
                axis.setStyle(tickLength=-9)
                assert axis.boundingRect() == pg.AxisItem.boundingRect(axis)
        rows[count // 2] = "renamed"  # an edit of one token
        cols[0] = "a much longer label"
        if step == 0:
            heatmap.resize(580, 380)  # new geometry: the kept rectangles must follow
            chart.resize(470, 420)
        elif step == 1:  # new pens (a theme): the axis line and the ticks must take them
            for axis in axes:
                axis.setPen("#aa0000")
                axis.setTickPen("#00aa00")
    assert labels_compared >= 2


@pytest.mark.parametrize("point_size", [None, 8.5, 11.25])
def test_label_axis_lays_each_label_out_once_and_draws_reordered_labels_as_pyqtgraph_does(qtbot, tmp_path, point_size):
    """A reorder gives a token axis new labels at the same places: the axis keeps its tick places and each label's
    laid-out text, and still paints exactly pyqtgraph's pixels for every order, in fonts of fractional pixel sizes too
    (the app's 8.5 pt: there a QStaticText's alignment differed from Qt's formatting by a fraction of a pixel). A vector
    painter (SVG export) gets pyqtgraph's own drawing."""
    import pyqtgraph as pg
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QFont, QPainter
    from PySide6.QtSvg import QSvgGenerator

    heatmap = Heatmap("m")
    qtbot.addWidget(heatmap)
    heatmap.resize(520, 420)
    heatmap.show()
    qtbot.waitExposed(heatmap)
    # words that end in a glyph reaching past its advance ("cat", "of"): Qt aligns a line by its advance
    tokens = [(f"w{i}", f"{i}cat", f"tok·{i}", f"{i}of")[i % 4] for i in range(256)]
    rng = np.random.default_rng(3)
    values = rng.random((256, 256), dtype=np.float32)
    axes = [heatmap.plot.getAxis(side) for side in ("left", "bottom")]
    if point_size:
        font = QFont(heatmap.font())
        font.setPointSizeF(point_size)
        for axis in axes:
            axis.setStyle(tickFont=font)
    for step in range(6):
        order = list(rng.permutation(256)) if step else list(range(256))
        labels = [tokens[i] for i in order]
        heatmap.set_data(values, labels, labels)
        qtbot.waitUntil(lambda: heatmap.plot.getAxis("left").width() > 0)
        for axis in axes:

            def pyqtgraphs(painter, axis=axis):
                specs = pg.AxisItem.generateDrawSpecs(axis, painter)
                if specs is not None:
                    pg.AxisItem.drawPicture(axis, painter, *specs)

            assert _drawn(axis, lambda painter, axis=axis: axis.paint(painter, None, None)) == _drawn(axis, pyqtgraphs)
        if step == 0:
            places = [axis._places for axis in axes]
            first = {text: entry[0] for text, entry in axes[0]._texts.items()}  # the first order's laid-out labels
            assert len(first) > 5
        else:  # the same tick places, kept
            assert [axis._places for axis in axes] == places
    heatmap.set_data(values, tokens, tokens)  # back to the first order: its labels are drawn from the texts kept
    _drawn(axes[0], lambda painter: axes[0].paint(painter, None, None))
    assert all(axes[0]._texts[text][0] is first[text] for _, text in axes[0]._tickLevels[0])

    if point_size is not None:
        return  # (the painter check below once, in the widget's own font)
    lean_paints = []
    axes[0]._paint_lean = lean_paints.append  # (called from Python: an instance attribute takes its place)
    _drawn(axes[0], lambda painter: axes[0].paint(painter, None, None))
    assert len(lean_paints) == 1  # a raster painter: the lean path
    rect = axes[0].boundingRect().toAlignedRect()
    generator = QSvgGenerator()
    generator.setFileName(str(tmp_path / "axis.svg"))
    generator.setSize(rect.size())
    generator.setViewBox(QRect(QPoint(0, 0), rect.size()))
    painter = QPainter(generator)
    painter.translate(-rect.topLeft())
    axes[0].paint(painter, None, None)
    painter.end()
    del axes[0]._paint_lean
    svg = (tmp_path / "axis.svg").read_text()
    shown = [text for _, text in axes[0]._tickLevels[0] if text.isascii()]
    assert len(lean_paints) == 1 and sum(f">{text}<" in svg for text in shown) >= 3  # pyqtgraph's drawing: SVG text



def test_token_axis_room_follows_the_longest_label_shown(qtbot, heatmap):
    """The left axis widens for a longer label and narrows again when it is gone, by more than 10 pixels
    (pyqtgraph's text space), as its labels change with each edit."""
    axis = heatmap.plot.getAxis("left")
    values = np.eye(6, dtype=np.float32)

    def width_for(labels):
        heatmap.set_data(values, labels, list("abcdef"))
        heatmap.view.viewport().repaint()  # the axis measures its labels as it paints them
        qtbot.waitUntil(lambda: abs(axis.width() - axis.maximumWidth()) < 0.5)
        return axis.width()

    short = width_for(list("uvwxyz"))
    long = width_for(["u", "v", "a far longer token label", "x", "y", "z"])
    assert long > short + 60
    assert width_for(list("uvwxyz")) == short
    wider = width_for(["u", "vv", "w", "x", "y", "z"])
    assert wider > short
    assert width_for(list("uvwxyz")) == wider  # narrower by less than 10 pixels: the room stays


def test_token_axes_leave_their_pixmap_aside_while_their_labels_change(qtbot):
    """A heatmap's token axes are pixmaps while their labels stay (the cells beside them repaint them at every painted
    cell) and are drawn straight onto the view while each edit brings new labels (a reorder): drawing new labels into
    a cleared pixmap, then the pixmap, was work for nothing. Either way the view shows the same pixels."""
    from PySide6.QtWidgets import QGraphicsItem

    cache = QGraphicsItem.CacheMode.DeviceCoordinateCache
    heatmap = Heatmap("m")
    qtbot.addWidget(heatmap)
    heatmap.resize(420, 380)
    heatmap.show()
    qtbot.waitExposed(heatmap)
    tokens = [f"t{i}" for i in range(64)]
    values = np.random.default_rng(0).random((64, 64), dtype=np.float32)
    heatmap.set_data(values, tokens, tokens)
    axes = [heatmap.plot.getAxis(side) for side in ("left", "bottom")]
    qtbot.waitUntil(lambda: all(axis.cacheMode() == cache for axis in axes))  # painted twice with the same labels
    for step in range(3):  # reorders: new labels at every edit
        tokens = tokens[1:] + tokens[:1]
        heatmap.set_data(values, tokens, tokens)
        QApplication.processEvents()
        assert all(axis._direct and axis.cacheMode() == QGraphicsItem.CacheMode.NoCache for axis in axes)
    direct = pixels(heatmap.view.grab().toImage())
    heatmap.set_data(values * 0.5, tokens, tokens)  # new values, the same labels: the axes repainted beside the cells
    QApplication.processEvents()
    qtbot.waitUntil(lambda: all(axis.cacheMode() == cache and not axis._direct for axis in axes))
    heatmap.set_data(values, tokens, tokens)
    QApplication.processEvents()
    assert all(axis.cacheMode() == cache for axis in axes)  # values alone: the pixmaps stay
    np.testing.assert_array_equal(pixels(heatmap.view.grab().toImage()), direct)


def test_heatmap_frame_lines_draw_what_its_top_and_right_axes_drew(qtbot):
    """The matrix's frame is two plain line items where the (transparent) top and right axes draw their lines: the
    same pixels as the axes drawing them, after a resize and a new pen (a theme) too; an axis a page hides takes its
    line with it."""
    heatmap = Heatmap("m")
    qtbot.addWidget(heatmap)
    heatmap.resize(420, 380)
    heatmap.show()
    qtbot.waitExposed(heatmap)
    heatmap.set_data(np.random.default_rng(1).random((12, 9), dtype=np.float32), [f"r{i}" for i in range(12)], [f"c{i}" for i in range(9)])
    axes = [heatmap.plot.getAxis(side) for side in ("top", "right")]
    lines = heatmap.frame.lines()

    def drawn_by_lines_and_by_axes():
        QApplication.processEvents()
        by_lines = pixels(heatmap.view.grab().toImage())
        for axis, line in zip(axes, lines.values()):
            axis.setOpacity(1.0)
            line.hide()
        by_axes = pixels(heatmap.view.grab().toImage())
        for axis, line in zip(axes, lines.values()):
            axis.setOpacity(0.0)
            line.show()
        return by_lines, by_axes

    for step in range(3):
        if step == 1:
            heatmap.resize(500, 300)
        elif step == 2:
            for axis in axes + [heatmap.plot.getAxis(side) for side in ("left", "bottom")]:
                axis.setPen("#aa0000")
        by_lines, by_axes = drawn_by_lines_and_by_axes()
        np.testing.assert_array_equal(by_lines, by_axes)
        assert (by_lines != pixels(_without_frame(heatmap))).any()  # the frame is drawn at all
    heatmap.plot.hideAxis("top")
    assert not lines["top"].isVisible() and lines["right"].isVisible()


def _without_frame(heatmap):
    for line in heatmap.frame.lines().values():
        line.hide()
    image = heatmap.view.grab().toImage()
    for line in heatmap.frame.lines().values():
        line.show()
    return image

def test_label_axis_draws_right_to_left_and_spaced_labels_as_pyqtgraph_does(qtbot):
    """Labels Qt's text formatting treats specially (right-to-left script, leading spaces, several lines) are drawn
    by it: the same pixels as pyqtgraph's drawing, next to plain ones."""
    import pyqtgraph as pg

    heatmap = Heatmap("m")
    qtbot.addWidget(heatmap)
    heatmap.resize(520, 420)
    heatmap.show()
    qtbot.waitExposed(heatmap)
    labels = ["cat", "שלום", " sat", "كتاب", "on\tmat", "the"]
    heatmap.set_data(np.eye(6, dtype=np.float32), labels, labels)
    qtbot.waitUntil(lambda: heatmap.plot.getAxis("left").width() > 0)
    for side in ("left", "bottom"):
        axis = heatmap.plot.getAxis(side)

        def pyqtgraphs(painter, axis=axis):
            specs = pg.AxisItem.generateDrawSpecs(axis, painter)
            if specs is not None:
                pg.AxisItem.drawPicture(axis, painter, *specs)

        assert _drawn(axis, lambda painter, axis=axis: axis.paint(painter, None, None)) == _drawn(axis, pyqtgraphs)
        drawn_by_qt = {text: axis._texts[text][0] is None for text in labels}
        assert drawn_by_qt == {"cat": False, "שלום": True, " sat": True, "كتاب": True, "on\tmat": True, "the": False}


def test_text_table_paints_each_cell_text_and_the_selected_cell(qtbot):
    """The table draws every visible cell's string in the text colour and a clicked (selected) cell on the
    highlight colour; a long string in a narrow column is shortened, not spilled into its neighbours."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QPalette

    from explorer.widgets.table import TextTable

    table = TextTable(["a", "b"])
    qtbot.addWidget(table)
    table.resize(300, 200)
    table.show()
    qtbot.waitExposed(table)
    table.set_rows(["r1", "r2", "r3"], [("1.0000", "x" * 200), ("2.5000", "(0.1, 0.2)"), ("", "—")])
    index = table.model().index(1, 0)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center())
    qtbot.waitUntil(lambda: table.selectionModel().isSelected(index))
    image = table.viewport().grab().toImage()
    palette = table.palette()
    highlight = palette.color(QPalette.ColorRole.Highlight)

    def ink(row, col):
        rect = table.visualRect(table.model().index(row, col)).adjusted(2, 2, -2, -2)
        background = image.pixelColor(rect.left(), rect.top())
        return background, sum(
            image.pixelColor(x, y) != background for x in range(rect.left(), rect.right()) for y in range(rect.top(), rect.bottom())
        )

    background, marks = ink(1, 0)
    assert background == highlight and marks > 0  # selected: highlight, with its text on it
    for row, col in ((0, 0), (0, 1), (1, 1), (2, 1)):
        background, marks = ink(row, col)
        assert background != highlight and marks > 0
    assert ink(2, 0)[1] == 0  # an empty cell stays empty
    long_cell = table.visualRect(table.model().index(0, 1))
    right_edge = [image.pixelColor(long_cell.right() - 1, y) for y in range(long_cell.top() + 2, long_cell.bottom() - 2)]
    assert len(set(c.rgb() for c in right_edge)) == 1  # nothing drawn up to the cell's edge: the text was elided


def test_text_table_repaints_only_the_cells_that_changed_and_shows_what_a_full_repaint_shows(qtbot):
    """New numbers in a few cells (a drag moves one input: its key, value and score) repaint those cells alone; what
    the window then shows equals a full render. When most cells change, the whole table is repainted at once."""
    from PySide6.QtCore import QEvent, QObject

    from explorer.widgets.table import TextTable

    table = TextTable(["k", "e", "a"])
    qtbot.addWidget(table)
    table.resize(320, 200)
    table.show()
    qtbot.waitExposed(table)
    rows = [f"x{i}" for i in range(5)]
    cells = [[f"({i}, {i})", f"{i / 7:.4f}", f"{i / 9:.4f}"] for i in range(5)]
    table.set_rows(rows, cells)
    fresh = lambda: table.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)  # noqa: E731
    qtbot.waitUntil(lambda: _painted(table) == fresh())

    class Painted(QObject):
        rects: list = []

        def eventFilter(self, watched, event):  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                self.rects.append(event.region().boundingRect())
            return False

    painted = Painted()
    table.viewport().installEventFilter(painted)
    cells = [list(row) for row in cells]
    cells[2][0], cells[2][1] = "(9.5, 0.25)", "0.9999"
    table.set_rows(rows, cells)
    qtbot.waitUntil(lambda: bool(painted.rects))
    changed = table.visualRect(table.model().index(2, 0)).united(table.visualRect(table.model().index(2, 1)))
    assert all(changed.contains(rect) for rect in painted.rects)  # that row's two cells, nothing else
    assert _painted(table) == fresh() and table.text(2, 0) == "(9.5, 0.25)"
    painted.rects.clear()
    table.set_rows(rows, [[f"{i + 1}", f"{i + 2}", f"{i + 3}"] for i in range(5)])  # every cell
    qtbot.waitUntil(lambda: bool(painted.rects))
    assert _painted(table) == fresh()


def test_canvas_grid_kept_between_paints_follows_the_view(qtbot):
    """The grid's lines are kept in pixels between paints: a zoom or a resize must give the lines a grid drawn
    afresh gives, and a repaint with nothing changed the same picture."""
    from explorer.widgets.items import Grid
    from explorer.widgets.vector_canvas import VectorCanvas

    canvas = VectorCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(420, 420)
    canvas.show()
    qtbot.waitExposed(canvas)
    (grid,) = [item for item in canvas.plot.items if isinstance(item, Grid)]

    def shown(fresh=False):
        if fresh:
            grid._lines_key = ()
        grid.update()
        return pixels(canvas.view.viewport().grab().toImage())

    canvas.plot.setRange(xRange=(-2, 2), yRange=(-2, 2), padding=0)
    before = shown()
    assert np.array_equal(before, shown()) and np.array_equal(before, shown(fresh=True))
    for change in (lambda: canvas.plot.setRange(xRange=(-5, 3), yRange=(-1, 6), padding=0), lambda: canvas.resize(300, 460)):
        change()
        qtbot.waitUntil(lambda: not np.array_equal(shown(), before))
        kept = shown()
        assert np.array_equal(kept, shown(fresh=True))
        before = kept


def test_vector_canvas_points_are_drawn_hit_and_dragged_by_their_symbols(qtbot):
    """Each layer's symbols are drawn in its colour at its points; the mouse finds the topmost point under it: a
    hover enlarges a draggable point, a click reports any point, a drag moves only draggable points (a drag on empty
    canvas pans the view instead)."""
    from PySide6.QtGui import QColor
    from PySide6.QtTest import QTest

    from explorer.widgets.vector_canvas import VectorCanvas

    canvas = VectorCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(420, 420)
    canvas.add_layer("inputs", color=QColor("#1f77b4"), draggable=True, z=1)
    canvas.add_layer("outputs", color=QColor("#ff7f0e"), symbol="s", size=18, z=3)
    canvas.show()
    qtbot.waitExposed(canvas)
    canvas.set_points("inputs", np.array([[-1.0, 0.0], [1.0, 1.0]]), ["x1", "x2"])
    canvas.set_points("outputs", np.array([[0.0, -1.0]]), ["y1"])
    canvas.fit(np.array([[-2.0, -2.0], [2.0, 2.0]]))
    qtbot.waitUntil(lambda: canvas.widget_pos(1.0, 1.0).x() > 0)
    viewport = canvas.view.viewport()

    def colour_at(x, y):
        at = canvas.widget_pos(x, y).toPoint()
        return viewport.grab().toImage().pixelColor(at)

    assert colour_at(-1.0, 0.0) == QColor("#1f77b4") and colour_at(0.0, -1.0) == QColor("#ff7f0e")
    assert colour_at(0.5, -1.5) != QColor("#1f77b4")  # nothing where no point is

    QTest.mouseMove(viewport, canvas.widget_pos(1.0, 1.0).toPoint())
    qtbot.waitUntil(lambda: canvas.markers.hovered == ("inputs", 1))
    clicked, dragged = [], []
    canvas.pointClicked.connect(lambda name, index: clicked.append((name, index)))
    canvas.pointDragged.connect(lambda name, index, x, y: dragged.append((name, index, round(x, 1), round(y, 1))))
    click(viewport, canvas.widget_pos(0.0, -1.0))
    assert clicked == [("outputs", 0)]
    drag(viewport, canvas.widget_pos(0.0, -1.0), canvas.widget_pos(1.5, -1.5))  # outputs are not draggable
    drag(viewport, canvas.widget_pos(1.8, -1.8), canvas.widget_pos(1.0, -1.0))  # empty canvas: pans
    assert dragged == []
    canvas.set_points("inputs", np.array([[-1.0, 0.0], [1.0, 1.0]]), ["x1", "x2"])
    start = canvas.widget_pos(-1.0, 0.0)
    drag(viewport, start, canvas.widget_pos(-0.5, 0.5))
    assert dragged and {d[:2] for d in dragged} == {("inputs", 0)}
    assert dragged[-1][2:] == (-0.5, 0.5)


def test_bar_chart_draws_signed_bars_and_the_highlight_where_their_values_are(qtbot):
    """Positive bars in the chart's colour rise from 0 to their value, negative ones in NEGATIVE go down to theirs,
    and the highlighted bar gets an outline; after new values the old bars are gone."""
    from PySide6.QtCore import QPointF

    chart = BarChart("b", color=style.KEY, levels=(-1.2, 1.2))
    qtbot.addWidget(chart)
    chart.resize(360, 300)
    chart.show()
    qtbot.waitExposed(chart)

    def colour(x, y):
        vb = chart.plot.vb
        at = chart.view.mapFromScene(vb.mapViewToScene(QPointF(x, y)))
        return chart.view.viewport().grab().toImage().pixelColor(at)

    chart.set_data(np.array([1.0, -0.5, 0.25], np.float32), ["a", "b", "c"], highlight=2)
    qtbot.waitUntil(lambda: colour(0, 0.5) == style.KEY)
    assert colour(1, -0.25) == style.NEGATIVE and colour(2, 0.12) == style.KEY
    assert colour(0, 1.1) != style.KEY and colour(1, 0.2) != style.NEGATIVE  # above a bar's value: background
    assert colour(2 + 0.35, 0.12) == style.QUERY or colour(2 - 0.35, 0.12) == style.QUERY  # the highlight's outline
    chart.set_data(np.array([-1.0, 0.5, 0.0], np.float32), ["a", "b", "c"])
    qtbot.waitUntil(lambda: colour(0, -0.5) == style.NEGATIVE)
    assert colour(0, 0.5) != style.KEY and colour(1, 0.25) == style.KEY
    assert style.QUERY not in [colour(2 + dx, 0.0) for dx in (-0.35, 0.35)]


def test_bars_narrower_than_a_pixel_are_each_on_the_screen(qtbot):
    """1024 bars in a chart a few hundred pixels wide: each pixel column shows the largest positive and the most
    negative bar centred in it, so a lone bar (the largest weight of a long sequence) is never dropped. Drawn one by
    one, a bar 0.4 pixels wide missed every pixel centre more often than not."""
    import math

    from PySide6.QtCore import QPointF

    chart = BarChart("spikes", color=style.KEY, levels=(-1.0, 1.0))
    qtbot.addWidget(chart)
    chart.resize(540, 200)
    chart.show()
    qtbot.waitExposed(chart)
    n = 1024

    def colour(x, y):
        at = chart.view.viewportTransform().map(chart.plot.vb.mapViewToScene(QPointF(x, y)))  # the pixel holding the point
        return chart.view.viewport().grab().toImage().pixelColor(math.floor(at.x()), math.floor(at.y()))

    assert chart.plot.vb.width() * 1.0 / n * 0.7 < 1.0  # thinner than a pixel
    for index in range(3, n, 37):
        values = np.zeros(n, np.float32)
        values[index], values[(index + 500) % n] = 0.8, -0.6
        chart.set_data(values)
        qtbot.waitUntil(lambda: colour(index, 0.4) == style.KEY)
        assert colour(index, 0.9) != style.KEY  # up to its value, not beyond
        assert colour((index + 500) % n, -0.3) == style.NEGATIVE and colour((index + 500) % n, -0.7) != style.NEGATIVE
        assert colour(index, -0.3) != style.NEGATIVE and colour((index + 500) % n, 0.3) != style.KEY


@pytest.mark.parametrize("n", [1, 16, 64])
def test_a_few_bars_drawn_from_lists_show_what_the_arrays_show(qtbot, monkeypatch, n):
    """A few bars are handed to Qt as a list of rectangles, many as numpy-backed arrays: the same pixels, positive and
    negative bars, a highlighted one and a bar of 0 included."""
    from explorer.widgets import bar_chart

    chart = BarChart("e", color=style.KEY)
    qtbot.addWidget(chart)
    chart.resize(400, 220)
    chart.show()
    qtbot.waitExposed(chart)
    values = np.abs(np.random.default_rng(n).normal(size=n)).astype(np.float32) * np.where(np.arange(n) % 3 == 2, -1, 1)
    if n > 1:
        values[1] = 0.0
    chart.set_data(values, highlight=n - 1)

    def shown():
        chart.bars._rects_stale = True
        return pixels(chart.view.viewport().grab().toImage())

    from_lists = shown()
    assert chart.bars._few_rects is not None and sum(map(len, chart.bars._few_rects)) == n
    monkeypatch.setattr(bar_chart, "FEW_BARS", 0)
    from_arrays = shown()
    assert chart.bars._few_rects is None
    assert np.array_equal(from_lists, from_arrays)
    assert (from_lists[..., :3] == (style.KEY.blue(), style.KEY.green(), style.KEY.red())).all(axis=-1).sum() > 10 * (values > 0).sum() > 0


def test_readout_label_fills_itself_with_what_is_behind_it_and_repaints_alone(qtbot):
    """A readout on a tab page (the pane a shade lighter than the window) fills itself with the pane's colour, so the
    window looks as with a transparent label, and a new text paints the label alone, not the tab widget, the
    splitter and the window behind it. Over something that is not one colour it stays transparent."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtGui import QLinearGradient, QPalette
    from PySide6.QtWidgets import QSplitter, QTabWidget, QVBoxLayout, QWidget

    from explorer.readout import ReadoutLabel

    window = QSplitter()
    qtbot.addWidget(window)
    tabs = QTabWidget()
    page = QWidget()
    label = ReadoutLabel("y16 = Σ a·v = (−888.888, −888.888)", "y1 = Σ a·v = (0.5, 0.5)")
    QVBoxLayout(page).addWidget(label)
    tabs.addTab(page, "e and a")
    window.addWidget(tabs)
    window.resize(420, 200)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(label.autoFillBackground)
    pane = tabs.grab().toImage().pixelColor(tabs.mapFrom(page, label.geometry().topLeft() + QPoint(-3, 3)))  # beside it
    assert label.palette().color(label.backgroundRole()) == pane != window.palette().color(QPalette.ColorRole.Window)
    opaque = window.grab().toImage()
    label.setAutoFillBackground(False)
    assert window.grab().toImage() == opaque  # the same pixels as a transparent label
    label.setAutoFillBackground(True)

    class Paints(QObject):
        def __init__(self):
            super().__init__()
            self.painted = []

        def eventFilter(self, watched, event):  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                self.painted.append(watched)
            return False

    paints = Paints()
    for widget in (window, tabs, page, label):
        widget.installEventFilter(paints)
    label.setText("y1 = Σ a·v = (0.25, 0.75)")
    qtbot.waitUntil(lambda: label in paints.painted)
    QApplication.processEvents()
    assert paints.painted == [label]

    gradient = QLinearGradient(0, 0, 400, 0)  # a page painted with a gradient behind the label
    gradient.setColorAt(0, QColor("#ffffff"))
    gradient.setColorAt(1, QColor("#303030"))
    palette = page.palette()
    palette.setBrush(QPalette.ColorRole.Window, gradient)
    page.setPalette(palette)
    page.setAutoFillBackground(True)
    qtbot.waitUntil(lambda: not label.autoFillBackground())


def test_readout_label_holds_its_template_and_new_numbers_relayout_nothing(qtbot):
    """A readout sized for its widest text: new numbers neither resize it nor ask its parent for a layout pass; the
    template fits without clipping, also after the font grows (presentation mode)."""
    from PySide6.QtCore import QCoreApplication, QEvent, QObject
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QHBoxLayout, QWidget

    from explorer.readout import ReadoutLabel

    parent = QWidget()
    qtbot.addWidget(parent)
    row = QHBoxLayout(parent)
    template = "y16 = Σ a·v = (−888.888, −888.888)"
    label = ReadoutLabel(template)
    row.addWidget(label)
    parent.show()
    qtbot.waitExposed(parent)
    QCoreApplication.sendPostedEvents()

    class Layouts(QObject):
        count = 0

        def eventFilter(self, watched, event):  # noqa: N802
            if event.type() == QEvent.Type.LayoutRequest:
                self.count += 1
            return False

    layouts = Layouts()
    parent.installEventFilter(layouts)
    size = label.size()
    for text in ("y1 = Σ a·v = (0.916, 0.663)", "y12 = Σ a·v = (−10.250, 3.000)", "y3 = Σ a·v = (1, 2)"):
        label.setText(text)
        QCoreApplication.sendPostedEvents()
        assert label.size() == size
    assert layouts.count == 0
    assert label.fontMetrics().horizontalAdvance(template) <= label.contentsRect().width()
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.6)
    label.setFont(font)
    qtbot.waitUntil(lambda: label.width() > size.width())
    assert label.fontMetrics().horizontalAdvance(template) <= label.contentsRect().width()
    assert label.height() >= label.fontMetrics().height()


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 70), st.integers(1, 70), st.integers(1, 9), st.integers(0, 1), st.integers(0, 2**31 - 1))
def test_block_reduce_gives_what_reduceat_gives(rows, cols, factor, axis, seed):
    """The block means of a heatmap larger than its view: strided passes instead of np.add.reduceat, the same sums
    (up to float rounding) and the same blocked flags, the last block shorter."""
    from explorer.widgets.cell_image import block_reduce, block_starts

    rng = np.random.default_rng(seed)
    values = rng.standard_normal((rows, cols)).astype(np.float32)
    blocked = rng.random((rows, cols)) > 0.8
    starts = block_starts(values.shape[axis], factor)
    np.testing.assert_allclose(block_reduce(values, factor, axis), np.add.reduceat(values, starts, axis=axis), rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(block_reduce(blocked, factor, axis, np.logical_or), np.logical_or.reduceat(blocked, starts, axis=axis))



@settings(max_examples=40, deadline=None)
@given(st.integers(1, 70), st.integers(1, 70), st.integers(1, 5), st.integers(1, 5), st.integers(0, 2**31 - 1))
def test_downsample_gives_block_means(rows, cols, fy, fx, seed):
    """A heatmap larger than its view shows block means: each block's sum over its cell count (the last blocks
    shorter), float32, whichever axes are cut; the sums are divided in place by counts kept per shape, which stay
    as they were."""
    from explorer.widgets.cell_image import block_sizes, block_starts, downsample

    rng = np.random.default_rng(seed)
    values = rng.standard_normal((rows, cols)).astype(np.float32)
    kept = values.copy()
    means, _ = downsample(values, None, (fy, fx))
    sums = np.add.reduceat(np.add.reduceat(values.astype(np.float64), block_starts(rows, fy), axis=0), block_starts(cols, fx), axis=1)
    counts = np.outer(np.diff(np.append(block_starts(rows, fy), rows)), np.diff(np.append(block_starts(cols, fx), cols)))
    assert means.dtype == np.float32 and means.shape == counts.shape
    np.testing.assert_allclose(means, sums / counts, rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(values, kept)  # the matrix given is not touched
    if fy > 1 or fx > 1:
        np.testing.assert_array_equal(np.broadcast_to(block_sizes(rows, fy, cols, fx), counts.shape), counts)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(width=32, allow_nan=True, allow_infinity=True), min_size=1, max_size=60),
    st.floats(-10, 10, width=32),
    st.floats(0, 20, width=32),
    st.integers(0, 2**31 - 1),
)
def test_cell_colours_are_the_colour_table_at_each_values_place_on_the_levels(values, low, span, seed):
    """A cell's colour is the table's entry nearest its value's place on the levels, clipped to both ends; NaN takes
    the low end, blocked cells the table's last entry. The reference rounds and clips each value in float64."""
    from explorer.widgets.cell_image import COLOURS, colour

    values = np.array(values, np.float32)
    blocked = np.random.default_rng(seed).random(values.size) < 0.2
    table = np.arange(COLOURS + 1, dtype=np.uint32) * 16_777_259  # distinct entries
    high = low + span
    with np.errstate(over="ignore", invalid="ignore"):  # infinities and float32's largest values, on purpose
        place = (values.astype(np.float64) - np.float32(low)) * ((COLOURS - 1) / ((high - low) or 1.0))
        expected = np.floor(np.clip(np.nan_to_num(place, nan=0.0, posinf=COLOURS - 1, neginf=0.0), 0, COLOURS - 1) + 0.5).astype(int)
        got = colour(values, blocked, (low, high), table)
        near_half = np.abs(place % 1 - 0.5) < 1e-3
    assert got[blocked].tolist() == [table[COLOURS]] * int(blocked.sum())
    indices = np.searchsorted(table, got[~blocked])
    # float32 arithmetic may land a value exactly between two entries on the other side of the half
    assert np.all(np.abs(indices - expected[~blocked]) <= near_half[~blocked])

def test_bar_chart_value_axis_shows_round_values_inside_its_range(qtbot):
    """The value axis is labelled with round numbers (multiples of one 1-2-5 step, one per ~22 px) that lie in the
    chart's range, 0 among them; they follow the range when the values grow, and stay when values move inside it."""
    chart = BarChart("e")
    qtbot.addWidget(chart)
    chart.resize(300, 260)
    chart.show()
    qtbot.waitExposed(chart)
    for values in ([1.48, 0.98, -0.64, -0.98], [12.0, -3.0, 4.0], [0.02, 0.05, 0.01]):
        chart.set_data(np.array(values, np.float32), [str(i) for i in range(len(values))])
        (low, high) = chart.plot.vb.viewRange()[1]
        ticks = chart.value_ticks
        positions = [p for p, _ in ticks]
        assert len(ticks) >= 2 and 0.0 in positions
        assert all(low - 1e-9 <= p <= high + 1e-9 for p in positions)
        step = positions[1] - positions[0]
        assert np.allclose(np.diff(positions), step)
        mantissa = step / 10 ** np.floor(np.log10(step))
        assert any(np.isclose(mantissa, m) for m in (1, 2, 5, 10))
        assert all(float(label) == pytest.approx(p, abs=step / 100) for p, label in ticks)
        assert chart.plot.getAxis("left")._tickLevels[0] == ticks  # what the axis draws
    shown = chart.value_ticks
    chart.set_data(np.array([0.01, 0.05, 0.03], np.float32), ["0", "1", "2"])  # same extremes: same range
    assert chart.value_ticks == shown


def test_bar_chart_keeps_its_value_range_while_the_values_fit_and_fill_it(qtbot):
    """Values that move a little (a decoder step's scores) keep the range and its axis; values that outgrow it, or
    shrink to well under half of it, or change sign, get a new one that shows every bar with room for its label."""
    chart = BarChart("e")
    qtbot.addWidget(chart)
    chart.resize(300, 260)
    chart.show()
    qtbot.waitExposed(chart)

    def shown(values):
        chart.set_data(np.array(values, np.float32), [str(i) for i in range(len(values))])
        return tuple(chart.plot.vb.viewRange()[1])

    first = shown([5.8, 4.4, -2.6, -4.7])
    assert first[0] <= -4.7 * 1.3 and first[1] >= 5.8 * 1.3
    assert shown([5.1, 3.9, -2.2, -4.1]) == first and shown([6.0, -4.9]) == first  # inside, still filling it
    grown = shown([14.0, -4.0])
    assert grown != first and grown[1] >= 14.0 * 1.3
    shrunk = shown([0.9, -0.5])
    assert shrunk[1] - shrunk[0] < (grown[1] - grown[0]) / 2 and shrunk[1] >= 0.9 and shrunk[0] <= -0.5
    positive = shown([0.5, 0.8])
    assert positive[0] == 0.0 and positive[1] >= 0.8  # no empty negative half kept
    assert shown([0.0, 0.0]) == positive  # all zero (nothing computed yet): the scale stays


def _painted(widget):
    """What the window shows now: the offscreen screen's copy of its backing store (partial repaints included),
    not a fresh render as ``widget.grab()`` gives."""
    return widget.screen().grabWindow(widget.winId()).toImage().convertToFormat(QImage.Format.Format_RGB32)


def test_bar_chart_repaints_only_the_bars_that_changed_and_shows_what_a_full_repaint_shows(qtbot):
    """One changed value (painting a mask cell moves one position's bar) repaints that bar's column alone, two far
    apart their two columns: what the window then shows equals a full render of the chart. Values that do not
    change repaint nothing."""
    from PySide6.QtCore import QEvent, QObject

    chart = BarChart("Δ", color=style.QUERY)
    qtbot.addWidget(chart)
    chart.resize(420, 200)
    chart.show()
    qtbot.waitExposed(chart)
    values = np.linspace(0.1, 0.9, 32).astype(np.float32)
    labels = [f"t{i}" for i in range(32)]
    chart.set_data(values, labels, highlight=3)
    qtbot.waitUntil(lambda: _painted(chart) == chart.grab().toImage().convertToFormat(QImage.Format.Format_RGB32))

    class Paints(QObject):
        count = 0

        def eventFilter(self, watched, event):  # noqa: N802
            self.count += event.type() == QEvent.Type.Paint
            return False

    paints = Paints()
    chart.view.viewport().installEventFilter(paints)
    for index, value in ((7, 0.05), (20, 0.8), (20, 0.3)):  # shorter, taller, shorter again than before
        before, paints.count = chart.bars.bars_repainted, 0
        values = values.copy()
        values[index] = value
        chart.set_data(values, labels, highlight=3)
        qtbot.waitUntil(lambda: paints.count > 0)
        assert chart.bars.bars_repainted == before + 1
        assert _painted(chart) == chart.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    regions = _PaintRegions(chart.view.viewport())  # two bars far apart: two columns, not all the bars between
    values = values.copy()
    values[[2, 29]] = (0.7, 0.2)
    chart.set_data(values, labels, highlight=3)
    qtbot.waitUntil(lambda: bool(regions.regions))
    viewport = chart.view.viewport()
    assert all(width < 0.1 * viewport.width() for _, _, width, _ in regions.regions[0])  # narrow columns only
    assert regions.area() < 0.1 * viewport.width() * viewport.height()
    assert _painted(chart) == chart.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    paints.count = 0
    chart.set_data(values.copy(), labels, highlight=3)  # the same values again
    QApplication.processEvents()
    assert paints.count == 0
    # Rounding-level changes to every bar, the tallest and the shortest included (a reordered input's output y):
    # nothing is drawn again, while the chart holds the new values for its readout and export.
    rounded = values * np.float32(1 + 3e-7)
    assert (rounded != values).sum() > 16
    chart.set_data(values, labels)  # no highlight from here on, as the Self-attention page's output chart
    qtbot.waitUntil(lambda: paints.count > 0)
    paints.count = 0
    chart.set_data(rounded, labels)
    chart.set_data(rounded + np.float32(2e-7), labels)
    QApplication.processEvents()
    assert paints.count == 0
    np.testing.assert_array_equal(chart.values, rounded + np.float32(2e-7))
    paints.count = 0
    taller = rounded.copy()
    taller[values.argmax()] += 0.01  # a hundredth of the range: a visible change of the tallest bar
    chart.set_data(taller, labels)
    qtbot.waitUntil(lambda: paints.count > 0)
    assert _painted(chart) == chart.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


class _PaintRegions:
    """Records the regions of a widget's paint events (an event filter)."""

    def __init__(self, widget) -> None:
        from PySide6.QtCore import QEvent, QObject

        regions = self.regions = []

        class Filter(QObject):
            def eventFilter(self, watched, event):  # noqa: N802
                if event.type() == QEvent.Type.Paint:
                    regions.append([(r.x(), r.y(), r.width(), r.height()) for r in event.region()])
                return False

        self._filter = Filter()
        widget.installEventFilter(self._filter)

    def area(self) -> int:
        return sum(w * h for region in self.regions for _, _, w, h in region)


def test_rows_recoloured_far_apart_repaint_as_strips_and_show_what_a_full_repaint_shows(heatmap, qtbot):
    """Two recoloured rows far apart (one row of each map in a mosaic) repaint two strips, not all the rows between
    them: Qt keeps one dirty rectangle per item, so the strips go to the scene each on its own."""
    values = np.random.default_rng(2).random((40, 40)).astype(np.float32)
    heatmap.set_data(values)
    qtbot.waitUntil(lambda: _painted(heatmap) == heatmap.grab().toImage().convertToFormat(QImage.Format.Format_RGB32))
    paints = _PaintRegions(heatmap.view.viewport())
    edited = values.copy()
    edited[[3, 36]] = 1.0 - edited[[3, 36]]
    heatmap.set_data(edited)
    qtbot.waitUntil(lambda: bool(paints.regions))
    QApplication.processEvents()
    strip = heatmap.view.viewport().height() / 40 + 6  # a row and Qt's antialiasing margins
    assert len(paints.regions[0]) == 2 and paints.area() <= 2 * strip * heatmap.view.viewport().width()
    assert _painted(heatmap) == heatmap.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def test_point_labels_given_new_texts_in_place_repaint_only_around_those_labels(qtbot):
    """Labels whose text changes at the same places (map titles giving a number) repaint the band of the view across
    them, each on its own, not the whole view under them; a longer or shorter text is wholly redrawn or wiped, as a
    full repaint shows it. New places repaint the whole overlay."""
    import pyqtgraph as pg

    from explorer.widgets.items import PointLabels

    view = pg.PlotWidget()
    qtbot.addWidget(view)
    view.resize(420, 320)
    plot = view.getPlotItem()
    plot.setRange(xRange=(0, 10), yRange=(0, 10), padding=0)
    labels = PointLabels(anchor=(0.5, 1.0), offset=(0.0, 0.0)).attach(plot)
    points = np.array([[2.0, 8.0], [8.0, 8.0], [5.0, 2.0]])
    labels.set_labels(points, ["H = 5.07", "H = 5.06", "H = 5.01"])
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: _painted(view) == view.grab().toImage().convertToFormat(QImage.Format.Format_RGB32))
    viewport = view.viewport()
    labels.set_labels(points, ["H = 5.08", "H = 5.06", "H = 5.01"])  # Qt may repaint an item whole once after it was laid out
    QApplication.processEvents()
    for texts in (["H = 5.07", "H = 5.1", "H = 5.01"], ["H = 5.0712", "H = 5.1", "H = 4.99"], ["H = 5", "H = 5.1", "H = 4.99"]):
        paints = _PaintRegions(viewport)
        changed = sum(before != after for before, after in zip(labels.labels, texts))
        labels.set_labels(points, texts)
        qtbot.waitUntil(lambda: bool(paints.regions))
        QApplication.processEvents()
        bands = [rect for region in paints.regions for rect in region]
        assert bands and all(height < 0.1 * viewport.height() for _, _, _, height in bands)  # a band per line of labels
        assert paints.area() < changed * 0.1 * viewport.width() * viewport.height()
        assert _painted(view) == view.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    paints = _PaintRegions(viewport)
    labels.set_labels(points + 0.5, ["a", "b", "c"])
    qtbot.waitUntil(lambda: bool(paints.regions))
    box = plot.vb.sceneBoundingRect()
    assert paints.area() >= box.width() * box.height()  # the whole plot area


def test_views_in_a_widget_are_searched_again_when_views_come_or_go(qtbot):
    """The page's list of views for one-pass repaints is kept between edits, but a view made later (a new head's
    thumbnail) is found, and a deleted one is dropped; hidden views are left out."""
    import pyqtgraph as pg
    from PySide6.QtWidgets import QVBoxLayout, QWidget
    from shiboken6 import delete

    from explorer.widgets.repaint import views_in

    page = QWidget()
    qtbot.addWidget(page)
    layout = QVBoxLayout(page)
    first = pg.PlotWidget()
    layout.addWidget(first)
    page.show()
    qtbot.waitExposed(page)
    assert views_in(page) == [first]
    second = pg.GraphicsLayoutWidget()
    layout.addWidget(second)
    second.show()
    assert set(views_in(page)) == {first, second}
    second.hide()
    assert views_in(page) == [first]
    delete(first)
    assert views_in(page) == []


def test_every_view_keeps_its_items_unindexed_and_still_finds_them_under_the_mouse(qtbot):
    """Views made anywhere in the app (a plot, a layout of plots) have scenes without a BSP index; the items under
    a point are still found, topmost first, after one of them moves."""
    import pyqtgraph as pg
    from PySide6.QtCore import QPointF
    from PySide6.QtWidgets import QGraphicsScene

    plot, layout = pg.PlotWidget(), pg.GraphicsLayoutWidget()
    for view in (plot, layout):
        qtbot.addWidget(view)
        assert view.scene().itemIndexMethod() == QGraphicsScene.ItemIndexMethod.NoIndex
    scene = plot.scene()
    low, high = scene.addRect(0, 0, 10, 10), scene.addRect(5, 5, 10, 10)
    high.setZValue(1)
    assert scene.items(QPointF(7, 7))[:2] == [high, low]
    high.setPos(100, 100)
    assert low in scene.items(QPointF(7, 7)) and high not in scene.items(QPointF(7, 7))
    assert scene.items(QPointF(107, 107))[0] is high


def test_views_with_an_opaque_background_are_opaque_widgets_and_paint_every_pixel(qtbot):
    """A view with an opaque background tells Qt it paints all it repaints (no fill of the region first, nothing
    behind it painted); one with a see-through background does not. A repaint of part of an opaque view shows
    what a full render of it shows."""
    import pyqtgraph as pg
    from PySide6.QtCore import QRect, Qt

    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.resize(240, 180)
    plot.show()
    qtbot.waitExposed(plot)
    opaque = lambda view: view.viewport().testAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # noqa: E731
    assert opaque(plot)
    plot.setBackground(None)
    assert not opaque(plot)
    plot.setBackground("#202428")
    assert opaque(plot)
    curve = plot.plot([0, 1, 2], [0, 2, 1])
    qtbot.waitUntil(lambda: _painted(plot) == plot.grab().toImage().convertToFormat(QImage.Format.Format_RGB32))
    curve.setData([0, 1, 2], [1, 0, 2])
    plot.viewport().repaint(QRect(0, 0, 120, 180))  # the left half alone, then the rest
    plot.viewport().repaint(QRect(120, 0, 120, 180))
    assert _painted(plot) == plot.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def test_layout_widgets_bounds_are_qts_own_and_what_pyqtgraph_computed(qtbot, heatmap):
    """Plots, titles, layouts and colour bars answer Qt's many bounding-rectangle questions in C++ (no call into
    Python per paint), with the rectangle pyqtgraph computed in Python: the geometry mapped from the parent."""
    import pyqtgraph as pg
    from pyqtgraph.graphicsItems.GraphicsLayout import GraphicsLayout
    from pyqtgraph.graphicsItems.GraphicsWidget import GraphicsWidget
    from PySide6.QtWidgets import QGraphicsWidget

    chart = BarChart("scores")
    qtbot.addWidget(chart)
    chart.resize(420, 260)
    chart.show()
    heatmap.set_data(np.eye(5, dtype=np.float32), list("abcde"), list("abcde"))
    chart.set_data(np.linspace(-1, 1, 7), list("abcdefg"))
    qtbot.waitUntil(lambda: chart.plot.vb.width() > 100)
    seen = set()
    for view in (heatmap.view, chart.view):
        for item in view.scene().items():
            if not isinstance(item, GraphicsWidget) or type(item).boundingRect is not QGraphicsWidget.boundingRect:
                continue
            seen.add(type(item).__name__)
            assert item.boundingRect() == item.mapRectFromParent(item.geometry()).normalized()
            assert item.boundingRect().width() > 0
    assert {"PlotItem", "LabelItem", "GraphicsLayout"} <= seen
    assert GraphicsWidget.boundingRect is QGraphicsWidget.boundingRect is GraphicsLayout.boundingRect
    assert pg.ViewBox.boundingRect is not QGraphicsWidget.boundingRect  # its own (half a pixel more for its border)

    # A view box paints nothing itself; a border asked for is still drawn (by the box's border item).
    assert pg.ViewBox.paint is QGraphicsWidget.paint
    from PySide6.QtGui import QColor as Colour

    bordered = pg.PlotWidget()
    qtbot.addWidget(bordered)
    bordered.resize(200, 160)
    bordered.show()
    qtbot.waitExposed(bordered)
    box = bordered.getPlotItem().vb
    before = pixels(bordered.grab().toImage())
    box.setBorder(Colour("#ff0000"), width=3)
    after = pixels(bordered.grab().toImage())
    red = (after[..., 2] > 200) & (after[..., 1] < 60) & (after[..., 0] < 60)
    corner = bordered.mapFromScene(box.sceneBoundingRect().topLeft())
    assert red.sum() > 2 * (box.width() + box.height()) and not np.array_equal(before, after)
    assert red[corner.y() : corner.y() + 3, corner.x() : corner.x() + 3].any()


def test_vector_canvas_exports_its_points_as_shapes_in_svg(qtbot, tmp_path):
    """On screen the symbols are sprites; in an SVG export they are vector paths (no embedded bitmaps)."""
    from PySide6.QtGui import QColor

    from explorer.export import save_svg
    from explorer.widgets.vector_canvas import VectorCanvas

    canvas = VectorCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(300, 300)
    canvas.add_layer("inputs", color=QColor("#1f77b4"), draggable=True)
    canvas.add_layer("outputs", color=QColor("#202020"), symbol="star", size=18)
    canvas.show()
    qtbot.waitExposed(canvas)
    canvas.set_points("inputs", np.array([[-1.0, 0.0], [1.0, 1.0], [0.5, -1.0]]), ["x1", "x2", "x3"])
    canvas.set_points("outputs", np.array([[0.0, 0.5]]), ["y1"])
    canvas.fit(np.array([[-2.0, -2.0], [2.0, 2.0]]))
    save_svg(canvas, tmp_path / "canvas.svg")
    svg = (tmp_path / "canvas.svg").read_text()
    assert "<image" not in svg
    assert svg.count("#1f77b4") >= 3  # the three inputs' fills


def test_point_labels_sit_at_their_anchors_in_their_colours_first_drawn_and_once_laid_out(qtbot):
    """A label is drawn plainly at its first paint and as a laid-out static text after: both put the text where its
    anchor says (the fraction of the text box placed at the point), in the label's own colour."""
    import pyqtgraph as pg

    from explorer.widgets.items import PointLabels

    view = pg.PlotWidget()
    qtbot.addWidget(view)
    view.resize(400, 300)
    plot = view.getPlotItem()
    plot.hideAxis("left")
    plot.hideAxis("bottom")
    plot.setRange(xRange=(0, 10), yRange=(0, 10), padding=0)
    labels = PointLabels(anchor=(0.5, 1.0), offset=(0.0, 0.0)).attach(plot)
    red, blue = QColor(200, 0, 0), QColor(0, 0, 200)
    labels.set_labels(np.array([[2.5, 5.0], [7.5, 5.0]]), ["MMM", "MMM"], anchors=[(0.5, 1.0), (0.0, 0.0)], colors=[red, blue])
    view.show()
    qtbot.waitExposed(view)

    def ink(image, colour, half):
        """Bounding box (left, top, right, bottom) of the pixels near ``colour`` in the left or right half."""
        bgr_pixels = pixels(image)[:, :, :3]
        bgr = np.array([colour.blue(), colour.green(), colour.red()])
        near = (np.abs(bgr_pixels.astype(int) - bgr).sum(axis=2) < 200) & (np.arange(image.width()) // (image.width() // 2) == half)
        rows, cols = np.nonzero(near)
        return cols.min(), rows.min(), cols.max(), rows.max()

    def point(x, y):
        return view.mapFromScene(plot.vb.mapViewToScene(pg.Point(x, y)))

    boxes = []
    for _ in range(2):  # the first paint draws text, the next ones static texts
        image = view.viewport().grab().toImage()
        boxes.append((*ink(image, red, 0), *ink(image, blue, 1)))
        labels.update()
    assert boxes[0] == pytest.approx(boxes[1], abs=1)
    left, top, right, bottom, left2, top2, right2, bottom2 = boxes[1]
    centred_above, corner_below = point(2.5, 5.0), point(7.5, 5.0)
    assert abs((left + right) / 2 - centred_above.x()) <= 1.5  # anchor (0.5, 1): centred on the point…
    assert centred_above.y() - 8 <= bottom < centred_above.y()  # …and above it (its line's descent below the ink)
    assert 0 <= left2 - corner_below.x() <= 2 and 0 <= top2 - corner_below.y() <= 6  # anchor (0, 0): below right


def test_canvas_markers_are_centred_on_their_points_at_each_size(qtbot):
    """Each point's symbol (a sprite drawn once per size) is centred where the point is, whatever its size."""
    from explorer.widgets.vector_canvas import VectorCanvas

    canvas = VectorCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(400, 400)
    canvas.add_layer("points", color=QColor(0, 160, 0), symbol="s", size=10)
    canvas.plot.setRange(xRange=(-3, 3), yRange=(-3, 3), padding=0)
    points = np.array([[-2.0, 1.5], [1.0, -1.0], [2.0, 2.0]])
    canvas.set_points("points", points, sizes=[10, 24, 10])
    canvas.show()
    qtbot.waitExposed(canvas)
    bgr = pixels(canvas.view.viewport().grab().toImage())[:, :, :3].astype(int)
    green = (bgr[:, :, 1] > 120) & (bgr[:, :, 0] < 60) & (bgr[:, :, 2] < 60)  # BGR: the symbols' fill
    for (x, y), size in zip(points, (10, 24, 10)):
        at = canvas.view.viewport().mapFrom(canvas, canvas.widget_pos(x, y).toPoint())
        near = np.zeros_like(green)
        near[max(at.y() - 20, 0) : at.y() + 21, max(at.x() - 20, 0) : at.x() + 21] = True
        rows, cols = np.nonzero(green & near)
        assert abs(cols.mean() - at.x()) <= 1.0 and abs(rows.mean() - at.y()) <= 1.0
        assert size - 6 <= cols.max() - cols.min() + 1 <= size + 1  # the fill inside its white outline


def test_canvas_arrows_are_as_wide_and_opaque_as_their_weights_with_a_head_at_the_end(qtbot):
    """Weighted arrows: a shaft of the given width in pixels and opacity, and a head, wider than the shaft, just
    before the end point."""
    from explorer.widgets.vector_canvas import VectorCanvas

    canvas = VectorCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(400, 400)
    canvas.add_segments("arrows", color=QColor(200, 0, 0), arrows=True)
    canvas.plot.setRange(xRange=(-3, 3), yRange=(-3, 3), padding=0)
    canvas.set_segments("arrows", np.array([[-2.5, 1.0], [-2.5, -1.0]]), np.array([[2.5, 1.0], [2.5, -1.0]]), widths=[8.0, 2.0], opacities=[1.0, 0.3])
    canvas.show()
    qtbot.waitExposed(canvas)
    viewport = canvas.view.viewport()
    bgr = pixels(viewport.grab().toImage())[:, :, :3].astype(int)
    reddish = bgr[:, :, 2] - bgr[:, :, 1]  # red minus green: 200 where opaque, less where translucent

    def column(x, y):
        at = viewport.mapFrom(canvas, canvas.widget_pos(x, y).toPoint())
        return at, reddish[max(at.y() - 15, 0) : at.y() + 16, at.x()]

    _, heavy = column(0.0, 1.0)
    _, light = column(0.0, -1.0)
    assert 7 <= (heavy > 100).sum() <= 9 and heavy.max() >= 190  # 8 px wide, opaque
    assert 1 <= (light > 20).sum() <= 3 and 40 <= light.max() <= 90  # 2 px wide, at 0.3 opacity
    _, head = column(2.22, 1.0)
    assert (head > 100).sum() > 12  # the head, just before the end, is wider than the shaft


def test_an_exception_in_a_heatmap_readout_reaches_the_exception_hook_and_the_app_goes_on(heatmap, qtbot):
    """A hover readout that raises (a page's cell description from a stale trace) is reported through the exception
    hook, as any error in a Qt callback is; raised into Qt's event dispatch, PySide crashed the process instead."""
    from PySide6.QtTest import QTest

    heatmap.set_data(np.zeros((4, 4), np.float32), list("abcd"), list("abcd"))

    def stale(row, col):
        raise IndexError("a stale cell")

    heatmap.describe_cell = stale
    viewport = heatmap.view.viewport()
    with qtbot.capture_exceptions() as exceptions:
        QTest.mouseMove(viewport, viewport.mapFrom(heatmap, heatmap.cell_center(1, 2).toPoint()))
    assert [type(error) for _, error, _ in exceptions] == [IndexError]
    heatmap.describe_cell = None
    QTest.mouseMove(viewport, viewport.mapFrom(heatmap, heatmap.cell_center(2, 1).toPoint()))
    assert heatmap.readout.text().startswith("query c → key b")  # the readout works on
