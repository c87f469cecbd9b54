"""Sessions: every page's state round-trips through a file exactly; autosave survives a kill."""

import json
import os
import signal
import subprocess
import sys
import textwrap
from dataclasses import replace

import pytest

from explorer import session
from explorer.pages.attention_layer import AttentionLayerState
from explorer.pages.common import MaskState, SequenceState
from explorer.pages.masked import MaskedState
from explorer.pages.multi_head import MultiHeadState
from explorer.pages.self_attention import SelfAttentionState

EDITED = {
    "attention-layer": AttentionLayerState(queries=((0.5, -1.25),), similarity="cosine", temperature=0.25, projections=True, w_k=((0.5, 1.0), (-1.0, 2.0))),
    "self-attention": SelfAttentionState(sequence=SequenceState(text="a b c d", dim=8, seed=3), order=(2, 0, 3, 1), d_qk=4, d_v=6, positional="rope"),
    "masked": MaskedState(sequence=SequenceState(text="one two three", mode="words", dim=12), mask=MaskState(preset="window", window=1, blocked=frozenset({(2, 0)}), opened=frozenset({(0, 2)})), probe_position=1, probe_token="zzz"),
    "multi-head": MultiHeadState(sequence=SequenceState(dim=12), heads=3, d_qk=5, heads_off=frozenset({1}), mask=MaskState(preset="causal")),
}


@pytest.mark.parametrize("page_id", sorted(EDITED))
def test_codec_round_trips_every_page_state_exactly(page_id):
    state = EDITED[page_id]
    text = json.dumps(session.encode(state))
    assert session.decode(type(state), json.loads(text)) == state


def test_a_saved_session_restores_every_page_in_a_new_window(window, qtbot, tmp_path):
    from explorer.main_window import MainWindow

    for page_id, state in EDITED.items():
        window.show_page(page_id).store.set(state, "edit")
    window.show_page("masked")
    path = window.save_session(str(tmp_path / "lesson.json"))
    document = json.loads((tmp_path / "lesson.json").read_text())
    assert document["schema"] == session.SCHEMA_VERSION and document["current_page"] == "masked"

    fresh = MainWindow(restore_geometry=False, autosave=False)
    qtbot.addWidget(fresh)
    fresh.start_core(sync=True)
    assert fresh.open_session(path)
    for page_id, state in EDITED.items():
        assert fresh.show_page(page_id).store.state == state
    fresh.undo_stack.clear()


def test_a_broken_or_foreign_session_is_refused_and_nothing_changes(window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warnings.append(args[2]))
    page = window.show_page("masked")
    before = page.store.state
    (tmp_path / "bad.json").write_text("{not json")
    (tmp_path / "other.json").write_text(json.dumps({"app": "something else"}))
    (tmp_path / "wrong.json").write_text(json.dumps({"app": "attention-explorer", "schema": 1, "pages": {"masked": {"mask": {"preset": 5}}}}))
    for name in ("bad.json", "other.json", "wrong.json"):
        assert not window.open_session(str(tmp_path / name))
    assert "not a readable session" in warnings[0] and "not an Attention Explorer session" in warnings[1] and "masked" in warnings[2]
    assert page.store.state == before


def test_autosave_survives_a_kill_and_the_next_launch_restores_it(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    first = textwrap.dedent(
        """
        import sys
        from dataclasses import replace
        from explorer.app import application
        app = application()
        from explorer.main_window import MainWindow
        window = MainWindow(restore_geometry=False)
        window.start_core(sync=True)
        page = window.show_page("masked")
        page.store.set(replace(page.store.state, probe_token="typed-before-the-crash"), "edit")
        window._autosave_timer.timeout.connect(lambda: (print("saved", flush=True), sys.stdout.flush()))
        app.exec()
        """
    )
    process = subprocess.Popen([sys.executable, "-c", first], stdout=subprocess.PIPE, text=True, env=env)
    assert process.stdout.readline().strip() == "saved"
    process.send_signal(signal.SIGKILL)
    process.wait()
    second = textwrap.dedent(
        """
        from explorer.app import application
        app = application()
        from explorer.main_window import MainWindow
        window = MainWindow(restore_geometry=False)
        window.ask_restore = lambda: True
        window.start_core(sync=True)
        window._offer_restore()
        print(window.show_page("masked").store.state.probe_token)
        """
    )
    result = subprocess.run([sys.executable, "-c", second], capture_output=True, text=True, env=env, timeout=120)
    assert result.stdout.strip().splitlines()[-1] == "typed-before-the-crash", result.stderr


def test_a_session_with_more_tokens_than_the_pages_take_is_refused_at_each_page(window, qtbot, tmp_path):
    """A session file is not typed into the token field: a sequence page given 1500 tokens (or none) by one says why
    at its message line and keeps the views of its last good state, instead of computing N² views of any size."""
    long_text = " ".join(f"w{i}" for i in range(1500))
    document = {"app": "attention-explorer", "schema": session.SCHEMA_VERSION, "pages": {}}
    for page_id, state in EDITED.items():
        if page_id == "attention-layer":
            continue
        text = "" if page_id == "multi-head" else long_text
        document["pages"][page_id] = session.encode(replace(state, sequence=replace(state.sequence, text=text)))
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(document))
    before = {page_id: window.show_page(page_id).trace for page_id in document["pages"]}
    assert window.open_session(str(path))
    for page_id, trace in before.items():
        page = window.show_page(page_id)
        qtbot.waitUntil(page.message.isVisible)
        expected = "at least one token" if page_id == "multi-head" else "1500 tokens is more than this page's limit of 1024"
        assert expected in page.message.text()
        assert page.trace is trace and len(trace.tokens) <= 7
    window.undo_stack.clear()
