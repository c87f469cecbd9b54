"""Tiny text checkpoints built offline for the tests: random BertModel / GPT2LMHeadModel configs saved with
``save_pretrained`` and a small tokenizer trained by ``tokenizers`` on a few sentences (nothing downloaded)."""

from __future__ import annotations

import pathlib

CORPUS = [
    "the cat sat on the mat because it was tired .",
    "the dog chased the cat into the garden and then it slept .",
    "attention is all you need , said the paper .",
    "a query looks at every key and takes a weighted sum of the values .",
    "mary gave john a book and john thanked mary for the book .",
    "the animal did not cross the street because it was too tired .",
] * 4


def wordpiece_tokenizer(vocab_size: int = 120):
    """A BERT-style tokenizer: lowercase WordPiece, [CLS] A [SEP] (B [SEP]) with segment ids."""
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

    tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    special = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tokenizer.train_from_iterator(CORPUS, trainers.WordPieceTrainer(vocab_size=vocab_size, special_tokens=special))
    cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1", special_tokens=[("[CLS]", cls), ("[SEP]", sep)]
    )
    tokenizer.decoder = decoders.WordPiece()
    return tokenizer


def byte_bpe_tokenizer(vocab_size: int = 300):
    """A GPT-2-style tokenizer: byte-level BPE (Ġ marks a leading space)."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), special_tokens=["<|endoftext|>"])
    tokenizer.train_from_iterator(CORPUS, trainer)
    return tokenizer


def save_bert(folder: pathlib.Path, *, layers: int = 2, heads: int = 4, dim: int = 32, positions: int = 64, tokenizer: bool = True, seed: int = 0, masked_lm: bool = False):
    """A random BERT saved as users do; returns the HF model (eager attention) for reference outputs."""
    import torch
    from transformers import BertConfig, BertForMaskedLM, BertModel

    vocab = wordpiece_tokenizer() if tokenizer else None
    torch.manual_seed(seed)
    config = BertConfig(
        vocab_size=vocab.get_vocab_size() if vocab else 120, hidden_size=dim, num_hidden_layers=layers, num_attention_heads=heads,
        intermediate_size=2 * dim, max_position_embeddings=positions, attn_implementation="eager",
    )
    model = (BertForMaskedLM if masked_lm else BertModel)(config).eval()
    folder = pathlib.Path(folder)
    model.save_pretrained(folder)
    if vocab:
        vocab.save(str(folder / "tokenizer.json"))
    return model


def save_gpt2(folder: pathlib.Path, *, layers: int = 2, heads: int = 4, dim: int = 32, positions: int = 64, tokenizer: bool = True, seed: int = 0):
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    vocab = byte_bpe_tokenizer() if tokenizer else None
    torch.manual_seed(seed)
    config = GPT2Config(
        vocab_size=vocab.get_vocab_size() if vocab else 300, n_embd=dim, n_layer=layers, n_head=heads, n_positions=positions,
        bos_token_id=0, eos_token_id=0, attn_implementation="eager",
    )
    model = GPT2LMHeadModel(config).eval()
    folder = pathlib.Path(folder)
    model.save_pretrained(folder)
    if vocab:
        vocab.save(str(folder / "tokenizer.json"))
    return model


def reference(folder: pathlib.Path, ids, type_ids=None):
    """HF's own outputs for ``ids``, loaded back from the folder with eager attention."""
    import json

    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(folder, attn_implementation="eager").eval()
    kwargs = {"token_type_ids": torch.tensor([type_ids])} if type_ids is not None and json.loads((pathlib.Path(folder) / "config.json").read_text())["model_type"] == "bert" else {}
    with torch.no_grad():
        out = model(torch.tensor([list(ids)]), output_attentions=True, output_hidden_states=True, **kwargs)
    return out
