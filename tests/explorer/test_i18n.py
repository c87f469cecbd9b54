"""Two languages: the Chinese catalogue covers every marked string, and installing it translates the window."""

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from explorer import i18n

ROOT = Path(__file__).resolve().parents[2]


def test_every_marked_string_has_a_chinese_translation():
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "translations.py"), "--check"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


def test_the_window_speaks_chinese_when_chosen(qtbot):
    from explorer.main_window import MainWindow

    app = QApplication.instance()
    assert i18n.install(app, "zh_CN") == "zh_CN"
    try:
        window = MainWindow(restore_geometry=False, autosave=False)
        qtbot.addWidget(window)
        menus = [action.text() for action in window.menuBar().actions()]
        assert menus[:3] == ["文件(&F)", "编辑(&E)", "视图(&V)"]
        layer = next(window.nav.item(i) for i in range(window.nav.count()) if window.nav.item(i).data(Qt.ItemDataRole.UserRole) == "attention-layer")
        assert layer.text().endswith("注意力层")
        assert window.loading_label.text() == "正在加载注意力内核（torch）…"
    finally:
        i18n.install(app, "en")
    english = MainWindow(restore_geometry=False, autosave=False)
    qtbot.addWidget(english)
    assert english.menuBar().actions()[0].text() == "&File"


# The pages swept for translation, with one widget per page that must speak Chinese (attribute, its text, expected).
SWEPT_PAGES = {
    "seq2seq": ("基于 RNN 的 Seq2seq（§1）", "step_button", "单步 ▸"),
    "attention-layer": ("注意力层（§2）", "scaling_button", "测量"),
    "self-attention": ("自注意力（§3）", "shuffle", "打乱"),
    "masked": ("掩码自注意力（§4）", "probe_box", "因果检查：替换一个靠后的词元，测量每个输出的变化"),
    "multi-head": ("多头注意力（§5）", "parity_label", None),
    "transformer": ("Transformer（§6）", "reroll_button", "重新随机"),
    "vit": ("视觉 Transformer（§7）", "open_image", "打开图像…"),
    "text": ("文本 Transformer（§6）", "open_button", "打开文件夹…"),
    "checkpoints": ("检查点", "open_button", "打开…"),
}


def _english_sources() -> set[str]:
    """Every English source string of zh_CN.json whose translation differs from it (a key may be "context|source")."""
    import json

    table = json.loads((ROOT / "explorer" / "translations" / "zh_CN.json").read_text(encoding="utf-8"))
    sources = set()
    for key, text in table.items():
        source = key.split("|", 1)[1] if "|" in key and key.split("|", 1)[0].isidentifier() else key
        if text != source and source.strip():
            sources.add(source)
    return sources


def _shown_texts(page) -> list[tuple[str, str]]:
    """(where, text) for what the page shows in words: labels, buttons, group titles, tabs, combo items, tooltips,
    plot titles."""
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QGroupBox, QLabel, QLineEdit, QTabWidget, QWidget

    from explorer.widgets.bar_chart import BarChart
    from explorer.widgets.heatmap import Heatmap

    texts = []
    for widget in [page, *page.findChildren(QWidget)]:
        name = type(widget).__name__
        if isinstance(widget, (QLabel, QAbstractButton)):
            texts.append((name, widget.text()))
        if isinstance(widget, QGroupBox):
            texts.append((name, widget.title()))
        if isinstance(widget, QLineEdit):
            texts.append((name + " placeholder", widget.placeholderText()))
        if isinstance(widget, QTabWidget):
            texts += [(name, widget.tabText(i)) for i in range(widget.count())]
        if isinstance(widget, QComboBox):
            texts += [(name, widget.itemText(i)) for i in range(widget.count())]
        if isinstance(widget, (Heatmap, BarChart)):
            texts.append((name + " title", widget.plot.titleLabel.text))
        texts.append((name + " tooltip", widget.toolTip()))
    return [(where, text.replace("<b>", "").replace("</b>", "")) for where, text in texts if text]


def test_every_swept_page_speaks_chinese(qtbot):
    """Each lesson page in Chinese: its explanation title and a button are Chinese, and no text it shows is still an
    English source string of the catalogue (marked, translated, but not translated at run time)."""
    from explorer.main_window import MainWindow
    from explorer.widgets.explanation import ExplanationPanel

    app = QApplication.instance()
    assert i18n.install(app, "zh_CN") == "zh_CN"
    english = _english_sources()
    try:
        window = MainWindow(restore_geometry=False, autosave=False)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.start_core(sync=True)
        window.show()
        qtbot.waitExposed(window)
        for page_id, (title, attribute, expected) in SWEPT_PAGES.items():
            page = window.show_page(page_id)
            qtbot.waitUntil(page.isVisible)
            panel = page.findChild(ExplanationPanel)
            assert panel is not None, f"{page_id} has no explanation panel"
            assert panel.title.text() == f"<b>{title}</b>"
            assert panel.toggle.text() in ("解释", "隐藏")
            widget = getattr(page, attribute)
            shown = widget.title() if hasattr(widget, "title") and callable(widget.title) and not hasattr(widget, "text") else widget.text()
            if expected is not None:
                assert shown == expected, (page_id, shown)
            else:  # a computed readout: Chinese, with its numbers
                assert any("\u4e00" <= ch <= "\u9fff" for ch in shown), (page_id, shown)
            untranslated = [(where, text) for where, text in _shown_texts(page) if text in english]
            assert not untranslated, (page_id, untranslated)
        readout = window.show_page("self-attention").weights_view.readout.text()  # the shared heatmap's own words
        assert readout == "7 个查询 × 7 个键 — 悬停单元格查看数值", readout
    finally:
        i18n.install(app, "en")


def test_the_vit_page_in_chinese_names_the_bundled_shapes_and_keeps_a_checkpoints_classes(qtbot):
    """The ViT page's maps, plots and prediction speak Chinese; the bundled model's shape classes are translated,
    a checkpoint's own class names are shown as they are."""
    from core.vit import ViTConfig, ViTModel, init_params
    from explorer.main_window import MainWindow

    app = QApplication.instance()
    assert i18n.install(app, "zh_CN") == "zh_CN"
    try:
        window = MainWindow(restore_geometry=False, autosave=False)
        qtbot.addWidget(window)
        window.start_core(sync=True)
        page = window.show_page("vit")
        assert [page.kind_buttons.button(i).text() for i in range(4)] == ["图像块", "CLS", "注意力展开", "梯度加权展开"]
        assert page.image_combo.itemText(0) == "样例：圆形" and page.layer_spin.prefix() == "层 "
        assert set(page.prediction._labels) <= {"圆形", "正方形", "三角形", "十字", "星形"}, page.prediction._labels
        assert page.prediction.title().startswith("预测：") and page.map_label.text().startswith("显示：")
        assert page.model_combo.currentText() == "在形状数据上训练的小型 ViT（内置）"
        plot = page.curves.getPlotItem()
        assert (plot.titleLabel.text, plot.getAxis("bottom").labelText, plot.getAxis("left").labelText) == ("测试准确率随训练集大小的变化", "训练图像数", "测试准确率")
        page.kind_buttons.button(3).click()
        assert "梯度加权展开" in page.map_label.text() and page.prediction._labels[0] in page.map_label.text()
        page.tabs.setCurrentIndex(1)
        assert page.mosaic.title().startswith("每个层 × 头")
        config = ViTConfig(image_size=16, patch_size=4, dim=32, depth=1, heads=2, mlp_dim=32, num_classes=3)
        page.use_model(ViTModel(config, init_params(config), class_names=["circle", "dog", "cat"], name="my checkpoint"), source="/models/mine.safetensors")
        page.tabs.setCurrentIndex(0)
        assert set(page.prediction._labels) == {"circle", "dog", "cat"}  # a checkpoint's names, even one that is a shape's
        assert [page.target_combo.itemText(i) for i in range(page.target_combo.count())] == ["预测的类别", "circle", "dog", "cat"]
        assert page.model_combo.currentText() == "my checkpoint"
    finally:
        i18n.install(app, "en")


def test_the_checkpoints_page_in_chinese_frames_a_checkpoint_in_chinese_and_keeps_its_names(qtbot, tmp_path):
    """An opened ViT and a BERT folder in Chinese: the summary, the tree's headers and their tooltips, the config
    form's labels and the histogram note are Chinese; tensor names, dtypes, family names and the `--set` names stay."""
    from safetensors.torch import save_file

    from core.vit import ViTConfig
    from explorer.main_window import MainWindow
    from tests.vit_fixtures import timm_state_dict

    timm, _ = timm_state_dict(ViTConfig(image_size=32, patch_size=8, dim=192, heads=3, depth=1, mlp_dim=64, num_classes=4), 0, layer_scale=False)
    path = tmp_path / "timm.safetensors"
    save_file({k: v.contiguous() for k, v in timm.items()}, str(path))
    app = QApplication.instance()
    assert i18n.install(app, "zh_CN") == "zh_CN"
    english = _english_sources()
    try:
        window = MainWindow(restore_geometry=False, autosave=False)
        qtbot.addWidget(window)
        window.start_core(sync=True)
        page = window.show_page("checkpoints")
        page.open_path(path, sync=True)
        summary = page.summary.text()
        assert "个张量" in summary and "个参数" in summary and "float32" in summary and "timm VisionTransformer" in summary, summary
        headers = [page.tree.headerItem().text(i) for i in range(page.tree.columnCount())]
        assert headers[:4] == ["名称", "形状", "数据类型", "字节"], headers
        assert all(page.tree.headerItem().toolTip(i) for i in range(page.tree.columnCount()))
        form = page.config_form
        assert form.labels["heads"].text() == "头数 H" and "inspect --set heads=" in form.labels["heads"].toolTip()
        assert form.editors["global_pool"].currentText() == "CLS 词元 (token)" and form.editors["global_pool"].currentData() == "token"
        assert page.model_status.text().startswith("1 个块 × 3 个头"), page.model_status.text()
        item = page.item_for("blocks.0.attn.qkv.weight")
        assert item.text(2) == "float32"
        page.tree.setCurrentItem(item)
        assert page.histogram_note.text().startswith("blocks.0.attn.qkv.weight：576×192 float32，均值"), page.histogram_note.text()
        untranslated = [(where, text) for where, text in _shown_texts(page) if text in english]
        assert not untranslated, untranslated

        page.open_path(ROOT / "resources" / "text" / "tiny-bert", sync=True)
        assert "BERT 式编码器" in page.model_title.text() and "BERT 式编码器" in page.summary.text()
        assert page.model_status.text().startswith("文本模型：")
        module = next(page.tree.topLevelItem(i) for i in range(page.tree.topLevelItemCount()) if page.tree.topLevelItem(i).childCount())
        assert module.text(1).endswith("个参数"), module.text(1)
        untranslated = [(where, text) for where, text in _shown_texts(page) if text in english]
        assert not untranslated, untranslated
    finally:
        i18n.install(app, "en")
