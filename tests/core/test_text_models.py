"""Text checkpoints: BERT- and GPT-2-style save_pretrained folders recomputed by the core, against HF eager."""

import json
import os
import pathlib

import pytest
import torch

from core import families
from core import text_models as tm
from core.checkpoints import CheckpointError
from tests.text_fixtures import reference, save_bert, save_gpt2, wordpiece_tokenizer

TEXT = "the cat sat on the mat because it was tired"


def assert_matches_reference(folder, model, ids, type_ids=None):
    trace = tm.run(model, ids, type_ids)
    ref = reference(folder, ids, type_ids)
    assert len(ref.attentions) == model.config.layers and trace.weights.shape[:2] == (model.config.layers, model.config.heads)
    for layer, maps in enumerate(ref.attentions):
        torch.testing.assert_close(trace.weights[layer], maps[0], atol=1e-5, rtol=0)
    assert len(ref.hidden_states) == trace.hidden_states.shape[0]
    for index, hidden in enumerate(ref.hidden_states):
        torch.testing.assert_close(trace.hidden_states[index], hidden[0], atol=1e-5, rtol=1e-5)
    return trace


@pytest.fixture(scope="module")
def bert_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bert")
    save_bert(folder)
    return folder


@pytest.fixture(scope="module")
def gpt2_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gpt2")
    save_gpt2(folder)
    return folder


# ---- parity --------------------------------------------------------------------------------------------------
def test_bert_maps_and_hidden_states_equal_hf_eager(bert_dir):
    model = tm.load_text_model(bert_dir)
    assert model.family == "bert" and model.tokenizer is not None
    encoded = tm.encode(model, TEXT)
    assert encoded.tokens[0] == "[CLS]" and encoded.tokens[-1] == "[SEP]" and set(encoded.type_ids) == {0}
    trace = assert_matches_reference(bert_dir, model, encoded.ids, encoded.type_ids)
    assert trace.mask is None and torch.allclose(trace.weights.sum(-1), torch.ones(()), atol=1e-6)


def test_bert_sentence_pair_uses_segment_embeddings_like_hf(bert_dir):
    model = tm.load_text_model(bert_dir)
    encoded = tm.encode(model, TEXT, "it slept")
    assert 1 in encoded.type_ids and encoded.tokens.count("[SEP]") == 2
    pair = assert_matches_reference(bert_dir, model, encoded.ids, encoded.type_ids)
    single_segment = tm.run(model, encoded.ids)  # same ids, all in segment A: the segments must matter
    assert (pair.weights - single_segment.weights).abs().max() > 1e-4


def test_gpt2_maps_and_hidden_states_equal_hf_eager_and_are_causal(gpt2_dir):
    model = tm.load_text_model(gpt2_dir)
    assert model.family == "gpt2" and model.config.causal
    encoded = tm.encode(model, TEXT)
    assert any(t.startswith("␣") for t in encoded.tokens)  # byte-level Ġ shown as a visible space
    trace = assert_matches_reference(gpt2_dir, model, encoded.ids)
    upper = torch.ones(trace.length, trace.length, dtype=torch.bool).triu(1)
    assert torch.all(trace.weights[..., upper] == 0)


def test_bert_with_a_head_and_the_bert_prefix(tmp_path):
    save_bert(tmp_path, masked_lm=True, layers=1, heads=2)
    model = tm.load_text_model(tmp_path)
    encoded = tm.encode(model, "the dog chased the cat")
    trace = tm.run(model, encoded.ids)
    ref = reference(tmp_path, encoded.ids, encoded.type_ids)  # AutoModel reads the bert.* weights of the MLM folder
    torch.testing.assert_close(trace.weights[0], ref.attentions[0][0], atol=1e-5, rtol=0)


def test_in_memory_state_dict_saved_with_torch_and_sharded_folders_load_the_same(tmp_path, gpt2_dir):
    hf = save_gpt2(tmp_path / "a", layers=3)
    torch.save(hf.state_dict(), tmp_path / "a" / "pytorch_model.bin")  # the names a model has in memory
    (tmp_path / "a" / "model.safetensors").unlink()
    hf.save_pretrained(tmp_path / "b", max_shard_size="40KB")  # sharded, with model.safetensors.index.json
    assert (tmp_path / "b" / "model.safetensors.index.json").exists()
    (tmp_path / "b" / "tokenizer.json").write_text((tmp_path / "a" / "tokenizer.json").read_text())
    a, b = tm.load_text_model(tmp_path / "a"), tm.load_text_model(tmp_path / "b")
    ids = tm.encode(a, TEXT).ids
    assert torch.equal(tm.run(a, ids).weights, tm.run(b, ids).weights)
    assert_matches_reference(tmp_path / "b", b, ids)


def test_classic_vocab_txt_is_read_when_there_is_no_tokenizer_json(tmp_path):
    save_bert(tmp_path, tokenizer=False)
    vocab = wordpiece_tokenizer().get_vocab()
    (tmp_path / "vocab.txt").write_text("\n".join(sorted(vocab, key=vocab.get)) + "\n")
    model = tm.load_text_model(tmp_path)
    assert model.tokenizer is not None
    assert tm.encode(model, "The cat").tokens[:3] == ("[CLS]", "the", "cat")


# ---- query · key ---------------------------------------------------------------------------------------------
def test_query_key_scores_are_the_scaled_sum_of_q_times_k_and_softmax_to_the_weights(bert_dir):
    model = tm.load_text_model(bert_dir)
    trace = tm.run(model, tm.encode(model, TEXT).ids)
    layer, i, j = 1, 2, 5
    pair = tm.query_key(trace, layer, i, j)
    assert pair.q.shape == (model.config.heads, model.config.head_dim)
    torch.testing.assert_close(pair.product.sum(-1) / model.config.head_dim**0.5, pair.scores)
    all_keys = torch.stack([tm.query_key(trace, layer, i, key).scores for key in range(trace.length)], -1)  # (H, T)
    torch.testing.assert_close(all_keys.softmax(-1)[:, j], pair.weights, atol=1e-6, rtol=0)
    torch.testing.assert_close(pair.weights, trace.weights[layer, :, i, j])


def test_query_key_flags_a_pair_the_causal_mask_hides(gpt2_dir):
    model = tm.load_text_model(gpt2_dir)
    trace = tm.run(model, tm.encode(model, TEXT).ids)
    assert tm.query_key(trace, 0, 1, 4).masked and torch.all(tm.query_key(trace, 0, 1, 4).weights == 0)
    assert not tm.query_key(trace, 0, 4, 1).masked
    with pytest.raises(ValueError, match="outside"):
        tm.query_key(trace, 5, 0, 0)


# ---- bad input -----------------------------------------------------------------------------------------------
def test_without_a_tokenizer_token_ids_can_still_be_typed(tmp_path):
    save_bert(tmp_path, tokenizer=False)
    model = tm.load_text_model(tmp_path)
    assert model.tokenizer is None and any("type token ids" in note for note in model.notes)
    with pytest.raises(ValueError, match="no tokenizer"):
        tm.encode(model, TEXT)
    encoded = tm.encode(model, "", ids_text="2, 17 40 | 9 3")
    assert encoded.ids == (2, 17, 40, 9, 3) and encoded.type_ids == (0, 0, 0, 1, 1) and encoded.tokens[0] == "#2"
    assert_matches_reference(tmp_path, model, encoded.ids, encoded.type_ids)


@pytest.mark.parametrize("typed, message", [("1 two 3", "'two' is not a token id"), ("5 9999", "outside the vocabulary"), ("  ", "at least one"), ("-3", "not a token id")])
def test_bad_token_ids_are_refused_with_a_message(bert_dir, typed, message):
    model = tm.load_text_model(bert_dir)
    with pytest.raises(ValueError, match=message):
        tm.encode(model, "", ids_text=typed)


def test_text_longer_than_the_positions_is_truncated_with_a_notice(bert_dir):
    model = tm.load_text_model(bert_dir)
    encoded = tm.encode(model, " ".join(["the cat sat"] * 40))
    assert len(encoded.ids) == model.config.max_positions == 64
    assert "kept the first 64" in encoded.notice and "122 tokens" in encoded.notice
    assert tm.run(model, encoded.ids).length == 64
    with pytest.raises(ValueError, match="positions"):
        tm.run(model, list(encoded.ids) + [5])


def _edit_config(folder, **changes):
    path = pathlib.Path(folder) / "config.json"
    config = json.loads(path.read_text())
    config.update(changes)
    path.write_text(json.dumps(config))


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"hidden_size": 64}, r"disagree: embeddings.word_embeddings.weight has shape \(120, 32\), the config implies \(120, 64\)"),
        ({"num_hidden_layers": 3}, "says 3 layers but the weights hold 2"),
        ({"num_attention_heads": 5}, "not divisible by 5 heads"),
        ({"intermediate_size": 10}, r"intermediate.dense.weight has shape \(64, 32\), the config implies \(10, 32\)"),
        ({"model_type": "llama"}, "not supported"),
        ({"model_type": "roberta"}, "model type 'roberta'.*look like a BERT-style encoder"),
        ({"hidden_act": "mystery"}, "activation 'mystery' is not supported"),
        ({"position_embedding_type": "relative_key"}, "only absolute"),
    ],
)
def test_mismatched_config_and_weights_give_a_clear_message(tmp_path, changes, message):
    save_bert(tmp_path, tokenizer=False)
    _edit_config(tmp_path, **changes)
    with pytest.raises(CheckpointError, match=message):
        tm.load_text_model(tmp_path)


def test_unknown_layouts_and_missing_configs_are_named(tmp_path):
    from safetensors.torch import save_file

    (tmp_path / "llama").mkdir()
    save_file({"model.layers.0.self_attn.q_proj.weight": torch.zeros(4, 4)}, tmp_path / "llama" / "model.safetensors")
    (tmp_path / "llama" / "config.json").write_text(json.dumps({"model_type": "llama"}))
    with pytest.raises(CheckpointError, match="model type 'llama' is not supported here .known: bert, gpt2"):
        tm.load_text_model(tmp_path / "llama")
    (tmp_path / "llama" / "config.json").unlink()
    with pytest.raises(CheckpointError, match="no known model layout.*model.layers.0.self_attn.q_proj.weight"):
        tm.load_text_model(tmp_path / "llama")
    save_gpt2(tmp_path / "noconfig", tokenizer=False)
    (tmp_path / "noconfig" / "config.json").unlink()
    with pytest.raises(CheckpointError, match="config.json is missing"):
        tm.load_text_model(tmp_path / "noconfig")


def test_a_folder_whose_weights_want_code_runs_nothing(tmp_path):
    save_gpt2(tmp_path, tokenizer=False)
    (tmp_path / "model.safetensors").unlink()

    class Evil:
        def __reduce__(self):
            return (os.system, ("touch " + str(tmp_path / "pwned"),))

    torch.save({"wte.weight": Evil()}, tmp_path / "pytorch_model.bin")
    with pytest.raises(CheckpointError, match="nothing was run"):
        tm.load_text_model(tmp_path)
    assert not (tmp_path / "pwned").exists()


def test_families_recognise_by_sentinel_keys_and_kind():
    bert_like = {"bert.embeddings.word_embeddings.weight": torch.zeros(1), "bert.encoder.layer.0.attention.self.query.weight": torch.zeros(1)}
    assert families.recognise(bert_like).name == "bert" and tm.BERT.prefix(bert_like) == "bert."
    assert families.recognise({"transformer.wte.weight": torch.zeros(1), "transformer.h.0.attn.c_attn.weight": torch.zeros(1)}, {"model_type": "gpt2"}).name == "gpt2"
    with pytest.raises(CheckpointError, match="not a vision model"):
        families.recognise(bert_like, kind="vision")


# ---- bundled models and real embeddings ----------------------------------------------------------------------
BUNDLED = pathlib.Path(__file__).resolve().parents[2] / "resources" / "text"


@pytest.mark.parametrize("name, family", [("tiny-bert", "bert"), ("tiny-gpt2", "gpt2")])
def test_bundled_models_equal_hf_eager_and_are_small(name, family):
    folder = BUNDLED / name
    model = tm.load_text_model(folder)
    assert model.family == family and model.tokenizer is not None
    assert sum(f.stat().st_size for f in folder.iterdir()) < 2_000_000
    encoded = tm.encode(model, "the animal did not cross the street because it was too tired .", "it slept" if family == "bert" else "")
    assert "[UNK]" not in encoded.tokens
    assert_matches_reference(folder, model, encoded.ids, encoded.type_ids)
    training = json.loads((BUNDLED / "training.json").read_text())[name]
    assert training.get("masked_token_accuracy", training.get("next_token_accuracy")) > 0.5  # trained, not random


def test_embedding_source_gives_the_models_own_vectors(bert_dir, tmp_path):
    model = tm.load_text_model(bert_dir)
    lookup = tm.embedding_source(model)
    vocab = model.tokenizer.get_vocab()
    table = model.token_embeddings

    def standardised(v):
        return torch.nn.functional.layer_norm(v, v.shape[-1:], eps=0.0)

    vectors = lookup(["the", "Cat"], model.config.dim, 0)
    torch.testing.assert_close(vectors, standardised(table[[vocab["the"], vocab["cat"]]]))
    torch.testing.assert_close(vectors.std(-1, correction=0), torch.ones(2))
    pieces = model.tokenizer.encode("sleptx", add_special_tokens=False).ids  # not a token: its pieces' mean
    torch.testing.assert_close(lookup(["sleptx"], model.config.dim, 0)[0], standardised(table[pieces].mean(0)))
    with pytest.raises(ValueError, match="have D = 32, not 16"):
        lookup(["the"], 16, 0)
    save_bert(tmp_path, tokenizer=False)
    bare = tm.load_text_model(tmp_path)
    torch.testing.assert_close(tm.embedding_source(bare)(["7", "3"], 32, 0), standardised(bare.token_embeddings[[7, 3]]))
    with pytest.raises(ValueError, match="no tokenizer"):
        tm.embedding_source(bare)(["cat"], 32, 0)


def test_registered_sources_carry_their_size():
    from core import tokens

    tokens.register_source("test source", lambda toks, dim, seed: torch.ones(len(toks), 3), 3)
    try:
        assert tokens.SOURCE_DIMS["test source"] == 3
        assert tokens.embed(["a", "b"], 3, source="test source").shape == (2, 3)
    finally:
        tokens.EMBEDDING_SOURCES.pop("test source")
        tokens.SOURCE_DIMS.pop("test source")
