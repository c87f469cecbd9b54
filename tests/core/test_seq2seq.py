"""Seq2seq with RNNs (notes §1): the decoder step against hand computations, greedy vs beam, forced attention,
training, checkpoints, tasks, and the bundled models' recorded accuracy."""

import json
import math
import os

import pytest
import torch

from core import seq2seq as s2s
from core import similarity as similarities


def small_model(task="reverse", decoder="bahdanau", scoring="additive", seed=0, **kwargs):
    config = s2s.Seq2SeqConfig(task=task, decoder=decoder, scoring=scoring, embed_dim=6, hidden=5, attention_dim=7, seed=seed, **kwargs)
    return s2s.build(config)


def gru_cell_by_hand(cell: torch.nn.GRUCell, x: torch.Tensor, h: torch.Tensor) -> torch.Tensor:
    """r, z, n gates of torch.nn.GRUCell written out (weights stacked r; z; n)."""
    w_ir, w_iz, w_in = cell.weight_ih.chunk(3)
    w_hr, w_hz, w_hn = cell.weight_hh.chunk(3)
    b_ir, b_iz, b_in = cell.bias_ih.chunk(3)
    b_hr, b_hz, b_hn = cell.bias_hh.chunk(3)
    r = torch.sigmoid(w_ir @ x + b_ir + w_hr @ h + b_hr)
    z = torch.sigmoid(w_iz @ x + b_iz + w_hz @ h + b_hz)
    n = torch.tanh(w_in @ x + b_in + r * (w_hn @ h + b_hn))
    return (1 - z) * n + z * h


@pytest.mark.parametrize("scoring", ["additive", "dot", "general"])
def test_attention_step_matches_a_direct_computation(scoring):
    model = small_model(scoring=scoring)
    enc = s2s.encode(model, "attend")
    decoding = s2s.step(model, s2s.step(model, s2s.start(enc)))
    first, second = decoding.steps
    dec = model.decoder
    params = {k: v.detach() for k, v in dec.attention.items()}
    h, s_prev = enc.states, second.prev_state  # (N, D), (D,)
    assert torch.equal(s_prev, first.state) and second.prev_token == first.token

    if scoring == "additive":  # e_i = vᵀ tanh(W_q s + W_k h_i), Bahdanau's alignment MLP
        e = torch.stack([params["v"] @ torch.tanh(params["W_q"] @ s_prev + params["W_k"] @ h_i) for h_i in h])
    elif scoring == "dot":  # e_i = s · h_i
        e = torch.stack([s_prev @ h_i for h_i in h])
    else:  # e_i = s W h_i
        e = torch.stack([s_prev @ params["W"] @ h_i for h_i in h])
    a = torch.exp(e) / torch.exp(e).sum()
    c = sum(a_i * h_i for a_i, h_i in zip(a, h))
    y = dec.embedding.weight[first.token].detach()
    s_t = gru_cell_by_hand(dec.cell, torch.cat([y, c]), s_prev).detach()
    logits = dec.out.weight.detach() @ torch.cat([s_t, c, y]) + dec.out.bias.detach()

    torch.testing.assert_close(second.scores, e, atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(second.weights, a, atol=1e-6, rtol=1e-5)
    assert math.isclose(float(second.weights.sum()), 1.0, abs_tol=1e-6)
    torch.testing.assert_close(second.context, c, atol=1e-6, rtol=1e-5)
    torch.testing.assert_close(second.state, s_t, atol=1e-6, rtol=1e-5)
    torch.testing.assert_close(second.logits, logits, atol=1e-5, rtol=1e-5)
    assert second.token == int(logits.argmax()) and second.symbol == model.vocab.label(second.token)


def test_encoder_and_initial_state_by_hand():
    model = small_model()
    enc = s2s.encode(model, "abc")
    assert enc.tokens == ("a", "b", "c") and enc.states.shape == (3, 10)
    forward, backward = enc.states[:, :5], enc.states[:, 5:]
    torch.testing.assert_close(enc.final, torch.cat([forward[-1], backward[0]]))  # [→h_N ; ←h_1]
    init = model.decoder.init
    torch.testing.assert_close(enc.initial_state, torch.tanh(init.weight @ enc.final + init.bias).detach())


def test_the_no_attention_decoder_reads_the_same_context_at_every_step():
    model = small_model(decoder="none")
    enc = s2s.encode(model, "bottleneck")
    decoding = s2s.decode(model, enc, max_steps=6)
    assert all(step.weights is None and step.scores is None for step in decoding.steps)
    for step in decoding.steps:
        assert torch.equal(step.context, enc.final)
    assert decoding.attention() is None
    with pytest.raises(ValueError, match="no attention to force"):
        s2s.step(model, s2s.start(enc), force=[1.0] * 10)


def test_forced_attention_sets_c_t_exactly_to_the_given_mix():
    model = small_model()
    enc = s2s.encode(model, "abcd")
    given = [0.0, 3.0, 0.0, 1.0]  # not normalised: the core makes it a distribution
    free = s2s.decode(model, enc, max_steps=3)
    forced = s2s.decode(model, enc, max_steps=3, forced={2: given})
    assert free.steps[0] is not forced.steps[0] and torch.equal(free.steps[0].state, forced.steps[0].state)
    step2 = forced.steps[1]
    expected = torch.tensor([0.0, 0.75, 0.0, 0.25])
    assert step2.forced and torch.equal(step2.weights, expected)
    torch.testing.assert_close(step2.context, 0.75 * enc.states[1] + 0.25 * enc.states[3])
    assert torch.equal(step2.scores, free.steps[1].scores)  # e_t still shown: only a_t was replaced
    y = model.decoder.embedding.weight[step2.prev_token].detach()
    torch.testing.assert_close(step2.state, gru_cell_by_hand(model.decoder.cell, torch.cat([y, step2.context]), step2.prev_state).detach())
    assert not torch.equal(step2.context, free.steps[1].context)
    assert forced.forced == ((2, (0.0, 0.75, 0.0, 0.25)),)
    for bad in ([1.0, 0.0], [0.0] * 4, [-1.0, 1.0, 1.0, 1.0], [float("nan")] * 4):
        with pytest.raises(ValueError):
            s2s.decode(model, enc, max_steps=3, forced={1: bad})


def test_decode_reuses_unchanged_steps_and_recomputes_after_a_forced_one():
    model = small_model()
    enc = s2s.encode(model, "abcdef")
    full = s2s.decode(model, enc, max_steps=5)
    longer = s2s.decode(model, enc, max_steps=6, previous=full)
    assert all(a is b for a, b in zip(full.steps, longer.steps)) and len(longer.steps) == 6
    forced = s2s.decode(model, enc, max_steps=6, forced={3: [1, 0, 0, 0, 0, 0]}, previous=longer)
    assert forced.steps[0] is longer.steps[0] and forced.steps[1] is longer.steps[1]
    assert forced.steps[2] is not longer.steps[2] and forced.steps[2].forced
    again = s2s.decode(model, enc, max_steps=6, forced={3: [1, 0, 0, 0, 0, 0]})
    assert [st.token for st in again.steps] == [st.token for st in forced.steps]
    unforced = s2s.decode(model, enc, max_steps=6, previous=forced)
    assert [torch.equal(a.context, b.context) for a, b in zip(unforced.steps, longer.steps)] == [True] * 6


@pytest.mark.parametrize("decoder", ["bahdanau", "none"])
def test_beam_width_one_is_greedy(decoder):
    for seed, text in enumerate(["a", "reverse", "sequencetosequence"]):
        model = small_model(decoder=decoder, seed=seed)
        enc = s2s.encode(model, text)
        greedy = s2s.decode(model, enc)
        beam = s2s.beam_search(model, enc, width=1)
        best = beam.hypotheses[0]
        assert beam.tokens(best) == greedy.tokens
        assert math.isclose(beam.nodes[best].log_prob, sum(float(st.log_probs[st.token]) for st in greedy.steps), rel_tol=1e-5, abs_tol=1e-5)
        if decoder == "bahdanau":
            torch.testing.assert_close(beam.attention(best), greedy.attention())


def test_beam_tree_is_consistent_and_wider_beams_score_at_least_as_well():
    model = small_model(seed=3)
    enc = s2s.encode(model, "beamsearch")
    greedy_score = s2s.beam_search(model, enc, width=1)
    beam = s2s.beam_search(model, enc, width=4)
    assert 1 <= len(beam.hypotheses) <= 4
    scores = [beam.nodes[i].log_prob for i in beam.hypotheses]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] >= greedy_score.nodes[greedy_score.hypotheses[0]].log_prob - 1e-6
    for node in beam.nodes[1:]:
        parent = beam.nodes[node.parent]
        assert node.t == parent.t + 1 and parent.kept and not parent.finished and node.log_prob <= parent.log_prob + 1e-6
    for t in range(1, max(n.t for n in beam.nodes) + 1):
        kept = [n for n in beam.nodes if n.t == t and n.kept]
        assert 1 <= len(kept) <= 4 and sorted(n.rank for n in kept) == list(range(len(kept)))
    path = beam.path(beam.hypotheses[0])
    assert beam.attention(beam.hypotheses[0]).shape == (len(path), 10)


def test_check_input_explains_what_is_wrong():
    config = s2s.Seq2SeqConfig(task="reverse", max_input_len=12)
    with pytest.raises(s2s.InputError, match="empty") as empty:
        s2s.check_input(config, "")
    assert empty.value.positions == ()
    with pytest.raises(s2s.InputError, match="“H”, “!” are not in the reverse model's vocabulary") as bad:
        s2s.check_input(config, "Hello!")
    assert bad.value.positions == (0, 5) and "a–z" in str(bad.value)
    with pytest.raises(s2s.InputError, match="13 characters is longer than this model's limit of 12") as long:
        s2s.check_input(config, "a" * 13)
    assert long.value.positions == (12,)
    with pytest.raises(s2s.InputError, match="“<”"):  # a special's spelling is not a character of the vocabulary
        s2s.check_input(config, "<s>")
    s2s.check_input(s2s.Seq2SeqConfig(task="date"), "November 29, 2026")


def test_tasks_make_the_documented_targets():
    assert s2s.get_task("date").target("29 Nov 2026") == "2026-11-29"
    assert s2s.get_task("date").target("11/29/2026") == "2026-11-29"
    assert s2s.get_task("date").target("1/5/2026") == "2026-01-05"
    assert s2s.get_task("date").target("November 29, 2026") == "2026-11-29"
    assert s2s.get_task("reverse").target("abc") == "cba"
    assert s2s.get_task("sort").target("cab") == "abc"
    assert s2s.get_task("copy").target("abc") == "abc"
    for name, task in s2s.TASKS.items():
        vocab = s2s.Vocabulary(task.vocabulary)
        pairs = s2s.test_set(name, 300, seed=1)
        assert pairs == s2s.test_set(name, 300, seed=1) and pairs != s2s.test_set(name, 300, seed=2)
        for source, target in pairs:
            assert task.min_len <= len(source) <= task.max_len
            assert not vocab.unknown_positions(source) and not vocab.unknown_positions(target)
            assert task.target(source) == target
        assert {len(x) for x, _ in s2s.test_set(name, 20, seed=0, length=task.max_len)} == {task.max_len}


def test_a_few_seconds_of_training_lower_the_loss():
    config = s2s.Seq2SeqConfig(task="reverse", embed_dim=12, hidden=16, attention_dim=16, max_input_len=5)
    seen = []
    result = s2s.train(config, s2s.TrainOptions(steps=80, batch_size=32, learning_rate=1e-2, eval_every=40, eval_size=50), callback=seen.append)
    assert [p.step for p in seen][-1] == 80 and result.stopped == "steps"
    assert seen[-1].loss < 0.6 * seen[0].loss
    assert seen[-1].accuracy is not None and result.accuracy == seen[-1].accuracy


def test_a_callback_that_raises_stops_training():
    class Stop(Exception):
        pass

    def cancel(progress):
        if progress.step >= 10:
            raise Stop

    config = s2s.Seq2SeqConfig(task="copy", embed_dim=8, hidden=8, attention_dim=8, max_input_len=4)
    with pytest.raises(Stop):
        s2s.train(config, s2s.TrainOptions(steps=1000, batch_size=8), callback=cancel)


def test_save_and_reload_decode_identically(tmp_path):
    model = small_model(task="date", scoring="general")
    path = s2s.save(model, tmp_path / "date.safetensors", info={"test": {"exact_match": 0.5}})
    loaded = s2s.load(path, task="date")
    assert loaded.config == model.config
    for text in ("29 Nov 2026", "11/29/2026"):
        a, b = s2s.decode(model, s2s.encode(model, text)), s2s.decode(loaded, s2s.encode(loaded, text))
        assert a.tokens == b.tokens
        for x, y in zip(a.steps, b.steps):
            assert torch.equal(x.logits, y.logits) and torch.equal(x.weights, y.weights)
    record = json.loads(s2s.sidecar(path).read_text())
    assert record["test"] == {"exact_match": 0.5} and record["config"]["task"] == "date"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["date.json", "date.safetensors"]
    umask = os.umask(0o022)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask


def test_an_interrupted_save_leaves_no_file(tmp_path, monkeypatch):
    import safetensors.torch

    model = small_model()
    target = tmp_path / "m.safetensors"

    def half_written(tensors, filename, metadata=None):
        with open(filename, "wb") as handle:
            handle.write(b"\x00" * 100)
        raise KeyboardInterrupt  # cancelled midway

    monkeypatch.setattr(safetensors.torch, "save_file", half_written)
    with pytest.raises(KeyboardInterrupt):
        s2s.save(model, target)
    assert list(tmp_path.iterdir()) == []


def test_loading_refuses_other_tasks_and_other_files_with_clear_messages(tmp_path):
    from safetensors.torch import save_file

    path = s2s.save(small_model(task="sort"), tmp_path / "sort.safetensors")
    with pytest.raises(s2s.CheckpointError, match="trained for the sort task, not reverse"):
        s2s.load(path, task="reverse")
    foreign = tmp_path / "foreign.safetensors"
    save_file({"weight": torch.zeros(2, 2)}, str(foreign))
    with pytest.raises(s2s.CheckpointError, match="not a seq2seq checkpoint"):
        s2s.load(foreign)
    garbage = tmp_path / "garbage.safetensors"
    garbage.write_bytes(b"not a checkpoint at all")
    with pytest.raises(s2s.CheckpointError, match="not a readable safetensors file"):
        s2s.load(garbage)
    with pytest.raises(s2s.CheckpointError, match="no such file"):
        s2s.load(tmp_path / "missing.safetensors")
    model = small_model()
    tensors = {k: v.clone() for k, v in model.state_dict().items()}
    tensors["decoder.out.bias"] = torch.zeros(3)
    meta = {"format": s2s.FORMAT, "version": "1", "config": model.config.to_json()}
    save_file(tensors, str(tmp_path / "shapes.safetensors"), metadata=meta)
    with pytest.raises(s2s.CheckpointError, match=r"decoder.out.bias has shape \(3,\)"):
        s2s.load(tmp_path / "shapes.safetensors")


def test_prepared_keys_give_the_same_additive_scores():
    q, k = torch.randn(3, 1, 4), torch.randn(3, 6, 5)
    params = similarities.init_params("additive", 4, 5, hidden=7)
    plain = similarities.additive(q, k, params)
    prepared = similarities.prepare_keys("additive", k, params)
    torch.testing.assert_close(similarities.additive(q, k, prepared), plain)
    assert similarities.prepare_keys("dot", k, {}) == {}


def test_accuracy_by_length_measures_each_length():
    model = small_model()
    result = s2s.accuracy_by_length(model, [2, 5], per_length=10, seed=1)
    assert list(result) == [2, 5] and all(0.0 <= v <= 1.0 for v in result.values())


BUNDLED = s2s.bundled()


def test_every_task_ships_with_and_without_attention():
    pairs = {(m.config.task, m.config.attention) for m in BUNDLED}
    assert pairs == {(task, attention) for task in s2s.TASKS for attention in (True, False)}
    total = sum(m.path.stat().st_size + s2s.sidecar(m.path).stat().st_size for m in BUNDLED)
    assert total < 8 * 2**20


@pytest.mark.parametrize("bundled", BUNDLED, ids=[m.name for m in BUNDLED])
def test_each_bundled_model_reproduces_its_recorded_accuracy(bundled):
    model = s2s.load(bundled.path, task=bundled.config.task)
    test = bundled.test
    pairs = s2s.test_set(bundled.config.task, test["n"], seed=test["seed"], min_len=test["min_len"], max_len=test["max_len"])
    accuracy = s2s.exact_match(model, pairs)
    assert accuracy == pytest.approx(test["exact_match"], abs=0.005)
    assert bundled.training["command"].startswith("attention-explorer train seq2seq ")


def test_bundled_lists_readable_models_and_skips_damaged_sidecars(tmp_path):
    s2s.save(small_model(task="copy"), tmp_path / "copy-bahdanau.safetensors", info={"test": {"exact_match": 1.0}})
    s2s.save(small_model(task="copy", decoder="none"), tmp_path / "copy-none.safetensors")
    (tmp_path / "broken.safetensors").write_bytes(b"x")
    (tmp_path / "broken.json").write_text("{not json")
    found = s2s.bundled(tmp_path)
    assert [m.name for m in found] == ["copy-bahdanau", "copy-none"] and found[0].test == {"exact_match": 1.0}
