"""Make the two tiny text models the Text page opens on first launch (offline, no downloads):

    tiny-bert/   a BERT-style encoder (4 layers × 4 heads, D = 64) trained by masked-language modelling
    tiny-gpt2/   a GPT-2-style decoder (4 layers × 4 heads, D = 64) trained on next-token prediction

both on sentences from a small seeded grammar (agreement, "it" referring back, names repeated later — patterns
whose attention is worth looking at), each with a tokenizer trained by ``tokenizers`` and saved with
``save_pretrained`` exactly as a user's checkpoint would be. Held-out accuracy goes to ``training.json``.

Run from the repository root (needs the test extra for transformers; CPU, a few minutes):

    .venv/bin/python resources/text/make_tiny_models.py
"""

from __future__ import annotations

import json
import pathlib
import random
import time

import torch

HERE = pathlib.Path(__file__).resolve().parent
SEED = 0
NAMES = ["mary", "john", "alice", "bob", "emma", "tom", "lucy", "sam"]
ANIMALS = ["cat", "dog", "bird", "horse", "fox", "mouse", "animal"]
OBJECTS = ["book", "ball", "apple", "letter", "key", "cup"]
PLACES = ["garden", "kitchen", "park", "street", "house", "river"]
ADJECTIVES = ["tired", "hungry", "happy", "small", "old", "quiet", "wide", "cold"]
TEMPLATES = [
    "the {a} sat on the mat because it was {j} .",
    "the {a} did not cross the {p} because it was too {j} .",
    "the {a} did not cross the street because the street was too {j2} .",
    "{n} gave {m} a {o} and {m} thanked {n} for the {o} .",
    "the {a} chased the {b} into the {p} and then it slept .",
    "{n} and {m} walked to the {p} . {n} saw a {a} there .",
    "the {j} {a} that {n} saw in the {p} was {j2} .",
    "{n} put the {o} in the {p} . later {n} found the {o} in the {p} .",
    "the {a}s are {j} but the {b} is {j2} .",
    "a query looks at every key and takes a weighted sum of the values .",
    "attention is all you need .",
    "there were {k} {a}s and {k2} {b}s in the {p} !",
]


def sentences(count: int, rng: random.Random) -> list[str]:
    out = []
    for _ in range(count):
        n, m = rng.sample(NAMES, 2)
        a, b = rng.sample(ANIMALS, 2)
        j, j2 = rng.sample(ADJECTIVES, 2)
        out.append(rng.choice(TEMPLATES).format(n=n, m=m, a=a, b=b, o=rng.choice(OBJECTS), p=rng.choice(PLACES), j=j, j2=j2, k=rng.randint(2, 9), k2=rng.randint(2, 9)))
    return out


def wordpiece(corpus: list[str]):
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

    tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    alphabet = list("abcdefghijklmnopqrstuvwxyz0123456789.,!?;:'\"-()")
    trainer = trainers.WordPieceTrainer(vocab_size=320, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"], initial_alphabet=alphabet)
    tokenizer.train_from_iterator(corpus, trainer)
    cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    tokenizer.post_processor = processors.TemplateProcessing(single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1", special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
    tokenizer.decoder = decoders.WordPiece()
    return tokenizer


def byte_bpe(corpus: list[str]):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=480, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), special_tokens=["<|endoftext|>"])
    tokenizer.train_from_iterator(corpus, trainer)
    return tokenizer


def train(model, batches, steps: int, lr: float, log: str) -> None:
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=steps, pct_start=0.1)
    model.train()
    start = time.time()
    for step in range(steps):
        loss = model(**next(batches)).loss
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        if step % 100 == 0 or step == steps - 1:
            print(f"{log} step {step:5d} loss {loss.item():.3f} ({time.time() - start:.0f} s)", flush=True)
    model.eval()


def make_bert(train_text: list[str], test_text: list[str], rng: random.Random, steps: int) -> dict:
    from transformers import BertConfig, BertForMaskedLM

    tokenizer = wordpiece(train_text)
    config = BertConfig(vocab_size=tokenizer.get_vocab_size(), hidden_size=64, num_hidden_layers=4, num_attention_heads=4, intermediate_size=256,
                        max_position_embeddings=512, hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0, attn_implementation="eager")
    torch.manual_seed(SEED)
    model = BertForMaskedLM(config)
    mask_id, pad_id = tokenizer.token_to_id("[MASK]"), tokenizer.token_to_id("[PAD]")
    special = {tokenizer.token_to_id(t) for t in ("[CLS]", "[SEP]", "[PAD]")}

    def batch(texts: list[str], generator: random.Random, size: int = 32):
        pairs = [(generator.choice(texts), generator.choice(texts) if generator.random() < 0.5 else None) for _ in range(size)]
        encodings = [tokenizer.encode(a, b) if b else tokenizer.encode(a) for a, b in pairs]
        length = max(len(e.ids) for e in encodings)
        ids = torch.full((size, length), pad_id)
        types = torch.zeros(size, length, dtype=torch.long)
        attention = torch.zeros(size, length, dtype=torch.long)
        for row, e in enumerate(encodings):
            ids[row, : len(e.ids)] = torch.tensor(e.ids)
            types[row, : len(e.ids)] = torch.tensor(e.type_ids)
            attention[row, : len(e.ids)] = 1
        can_mask = attention.bool() & ~torch.isin(ids, torch.tensor(sorted(special)))
        chosen = can_mask & (torch.rand(ids.shape, generator=torch.Generator().manual_seed(generator.randrange(2**31))) < 0.15)
        labels = torch.where(chosen, ids, torch.tensor(-100))
        return {"input_ids": ids.masked_fill(chosen, mask_id), "token_type_ids": types, "attention_mask": attention, "labels": labels}

    def batches():
        while True:
            yield batch(train_text, rng)

    train(model, batches(), steps, 2e-3, "tiny-bert")
    correct = total = 0
    test_rng = random.Random(SEED + 1)
    with torch.no_grad():
        for _ in range(20):
            b = batch(test_text, test_rng)
            predicted = model(**{k: v for k, v in b.items() if k != "labels"}).logits.argmax(-1)
            chosen = b["labels"] != -100
            correct += int((predicted[chosen] == b["labels"][chosen]).sum())
            total += int(chosen.sum())
    folder = HERE / "tiny-bert"
    model.bert.save_pretrained(folder)  # the encoder only: the page shows attention, not the MLM head
    tokenizer.save(str(folder / "tokenizer.json"))
    return {"masked_token_accuracy": round(correct / total, 4), "masked_tokens_scored": total, "steps": steps}


def make_gpt2(train_text: list[str], test_text: list[str], rng: random.Random, steps: int) -> dict:
    from transformers import GPT2Config, GPT2LMHeadModel

    tokenizer = byte_bpe(train_text)
    eos = tokenizer.token_to_id("<|endoftext|>")
    config = GPT2Config(vocab_size=tokenizer.get_vocab_size(), n_embd=64, n_layer=4, n_head=4, n_positions=512, bos_token_id=eos, eos_token_id=eos,
                        resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0, attn_implementation="eager")
    torch.manual_seed(SEED)
    model = GPT2LMHeadModel(config)

    def stream(texts: list[str], generator: random.Random, size: int = 32, length: int = 64):
        rows = []
        for _ in range(size):
            ids: list[int] = []
            while len(ids) < length:
                ids += tokenizer.encode(" " + generator.choice(texts) if ids else generator.choice(texts)).ids
            rows.append(ids[:length])
        ids = torch.tensor(rows)
        return {"input_ids": ids, "labels": ids}

    def batches():
        while True:
            yield stream(train_text, rng)

    train(model, batches(), steps, 3e-3, "tiny-gpt2")
    correct = total = 0
    test_rng = random.Random(SEED + 2)
    with torch.no_grad():
        for _ in range(20):
            b = stream(test_text, test_rng)
            predicted = model(input_ids=b["input_ids"]).logits[:, :-1].argmax(-1)
            correct += int((predicted == b["input_ids"][:, 1:]).sum())
            total += predicted.numel()
    folder = HERE / "tiny-gpt2"
    model.save_pretrained(folder)
    tokenizer.save(str(folder / "tokenizer.json"))
    for extra in ("generation_config.json",):
        (folder / extra).unlink(missing_ok=True)
    return {"next_token_accuracy": round(correct / total, 4), "tokens_scored": total, "steps": steps}


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=1200)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)  # tiny matrices: one thread is fastest on a busy machine
    rng = random.Random(SEED)
    train_text, test_text = sentences(20000, rng), sentences(2000, random.Random(SEED + 100))
    results = {
        "grammar_sentences": {"train": len(train_text), "test": len(test_text)},
        "tiny-bert": make_bert(train_text, test_text, random.Random(SEED + 3), args.steps),
        "tiny-gpt2": make_gpt2(train_text, test_text, random.Random(SEED + 4), args.steps),
        "made_by": "resources/text/make_tiny_models.py",
        "torch": torch.__version__,
    }
    (HERE / "training.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
