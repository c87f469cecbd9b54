"""Toy sequence tasks and the small Transformer encoder the project trains on them (notes §6).

The tasks label every token of a string of letters, so the answer for one token depends on the others — what
self-attention is for:

    count    how many times does this letter occur in the sequence?   "hello" → 1 1 2 2 1
    repeat   does this letter occur more than once?                   "hello" → 0 0 1 1 0

A sequence of length L draws k distinct letters, then L tokens uniformly from them. For "count", k ~ U{1..L}, so
counts run from 1 (k = L) to L (k = 1); for "repeat", k ~ U{L..27}, so about half the tokens repeat.

The encoder: a learned token embedding, a stack of :mod:`core.transformer` blocks (post-norm), a linear
head per token. A ``<s>`` token starts every sequence: with a softmax over the sequence, a token that attends to
``<s>`` and to its c copies gives ``<s>`` the weight 1/(c+1), which is how a counter can read c.
Checkpoints are safetensors weights + a JSON description (config, vocabulary, test set, recorded accuracy).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from core import positional
from core.tokens import SPACE
from core.transformer import Transformer, TransformerConfig, TransformerTrace, param_shapes, transformer_forward

BOS = "<s>"
LETTERS = tuple("abcdefghijklmnopqrstuvwxyz") + (SPACE,)
FORMAT = "attention-explorer/token-classifier"
Progress = Callable[..., None]


@dataclass(frozen=True)
class Task:
    name: str
    question: str
    num_classes: Callable[[int], int]  # max_len → number of classes
    labels: Callable[[torch.Tensor], torch.Tensor]  # counts c ≥ 1 of each token (B, N) → class ids (B, N)
    class_name: Callable[[int], str]
    distinct: Callable[[int, int], tuple[int, int]]  # (L, vocabulary size) → range of k, the distinct letters drawn


TASKS: dict[str, Task] = {
    "count": Task(
        "count", "how many times does this letter occur?", lambda max_len: max_len, lambda c: c - 1, lambda k: str(k + 1),
        lambda length, vocab: (1, min(length, vocab)),
    ),
    "repeat": Task(
        "repeat", "does this letter occur more than once?", lambda max_len: 2, lambda c: (c > 1).long(), lambda k: ("once", "repeats")[k],
        lambda length, vocab: (min(length, vocab), vocab),
    ),
}


def get_task(name: str) -> Task:
    try:
        return TASKS[name]
    except KeyError:
        raise ValueError(f"unknown task {name!r}; choose one of {', '.join(TASKS)}") from None


@dataclass(frozen=True)
class DataSpec:
    """Sequences of ``min_len``…``max_len`` letters from ``vocab``."""

    min_len: int = 2
    max_len: int = 16
    vocab: tuple[str, ...] = LETTERS


@dataclass(frozen=True)
class EncoderConfig:
    task: str
    vocab: tuple[str, ...]  # index 0 is BOS
    num_classes: int
    max_len: int  # longest sequence (without BOS) the model was trained on
    transformer: TransformerConfig = field(default_factory=TransformerConfig)
    positional: str = "none"  # the counting tasks are permutation-equivariant: no position needed

    def to_dict(self) -> dict[str, object]:
        return {
            "task": self.task,
            "vocab": list(self.vocab),
            "num_classes": self.num_classes,
            "max_len": self.max_len,
            "positional": self.positional,
            "transformer": self.transformer.to_dict(),
        }

    @classmethod
    def from_dict(cls, values: dict) -> "EncoderConfig":
        try:
            return cls(
                task=str(values["task"]),
                vocab=tuple(values["vocab"]),
                num_classes=int(values["num_classes"]),
                max_len=int(values["max_len"]),
                positional=str(values.get("positional", "none")),
                transformer=TransformerConfig.from_dict(values["transformer"]),
            )
        except KeyError as exc:
            raise ValueError(f"encoder config lacks {exc.args[0]!r}") from None


# ---- data ----------------------------------------------------------------------------------------------------
def token_counts(ids: torch.Tensor) -> torch.Tensor:
    """(B, N) ids → (B, N) how many times each token occurs in its row."""
    return (ids.unsqueeze(-1) == ids.unsqueeze(-2)).sum(-1)


def sample_letters(task: Task, batch: int, length: int, spec: DataSpec, generator: torch.Generator) -> torch.Tensor:
    """(batch, length) letter indices into ``spec.vocab`` (no BOS): k distinct letters per row, in the task's range."""
    low, high = task.distinct(length, len(spec.vocab))
    rows = []
    for _ in range(batch):
        k = int(torch.randint(low, high + 1, (1,), generator=generator))
        letters = torch.randperm(len(spec.vocab), generator=generator)[:k]
        rows.append(letters[torch.randint(0, k, (length,), generator=generator)])
    return torch.stack(rows)


def make_batch(task: Task, batch: int, length: int, spec: DataSpec, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Model inputs (B, 1 + L) with BOS = 0 first, and targets (B, 1 + L) with −100 (ignored) at BOS."""
    letters = sample_letters(task, batch, length, spec, generator)
    ids = torch.cat([torch.zeros(batch, 1, dtype=torch.long), letters + 1], dim=1)
    targets = torch.cat([torch.full((batch, 1), -100), task.labels(token_counts(letters))], dim=1)
    return ids, targets


def make_dataset(task: Task, sequences: int, spec: DataSpec, *, seed: int) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """A fixed set: ``sequences`` spread evenly over the lengths, one batch per length, drawn from ``seed``."""
    generator = torch.Generator().manual_seed(seed)
    lengths = list(range(spec.min_len, spec.max_len + 1))
    per_length = [sequences // len(lengths) + (i < sequences % len(lengths)) for i in range(len(lengths))]
    return [make_batch(task, n, length, spec, generator) for length, n in zip(lengths, per_length) if n]


# ---- the model -----------------------------------------------------------------------------------------------
class TokenClassifier(nn.Module):
    """Embedding → Transformer → a class per token. ``state_dict`` keys: ``embedding.weight``,
    ``encoder.layers.{i}.*`` (nn.TransformerEncoderLayer layout) and ``head.weight/bias``."""

    def __init__(self, config: EncoderConfig, *, seed: int = 0) -> None:
        super().__init__()
        self.config = config
        torch.manual_seed(seed)
        self.embedding = nn.Embedding(len(config.vocab), config.transformer.dim)
        self.encoder = Transformer(config.transformer, seed=seed)
        self.head = nn.Linear(config.transformer.dim, config.num_classes)

    def embed(self, ids: torch.Tensor) -> torch.Tensor:
        """(B, N) ids → (B, N, D) input vectors x (+ the positional table, if any)."""
        x = self.embedding(ids)
        table = positional.encoding_table(self.config.positional, ids.shape[-1], self.config.transformer.dim, device=x.device, dtype=x.dtype)
        return x if table is None else x + table

    def trace(self, ids: torch.Tensor, *, need_weights: bool = True) -> TransformerTrace:
        params = dict(self.encoder.named_parameters())
        return transformer_forward(self.embed(ids), params, self.config.transformer, need_weights=need_weights)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        """(B, N) ids → (B, N, C) logits."""
        return self.head(self.trace(ids, need_weights=False).output)

    def encode(self, tokens: Sequence[str]) -> torch.Tensor:
        """Letters → (1 + N,) ids with BOS first; ValueError naming the tokens the vocabulary lacks."""
        index = {token: i for i, token in enumerate(self.config.vocab)}
        unknown = list(dict.fromkeys(t for t in tokens if t not in index or t == BOS))  # in order of appearance
        if unknown:
            known = "".join(t for t in self.config.vocab if t != BOS)
            raise ValueError(f"the {self.config.task} model knows only {known!r}; not: {' '.join(repr(t) for t in unknown)}")
        if len(tokens) > self.config.max_len:
            raise ValueError(f"the {self.config.task} model was trained on at most {self.config.max_len} tokens, got {len(tokens)}")
        return torch.tensor([0] + [index[t] for t in tokens])


def accuracy(model: nn.Module, dataset: Sequence[tuple[torch.Tensor, torch.Tensor]]) -> float:
    """Fraction of tokens (BOS excluded) whose class is predicted right."""
    correct = total = 0
    with torch.no_grad():
        for ids, targets in dataset:
            predicted = model(ids).argmax(-1)
            valid = targets != -100
            correct += int((predicted[valid] == targets[valid]).sum())
            total += int(valid.sum())
    return correct / max(total, 1)


@dataclass(frozen=True)
class TrainConfig:
    steps: int = 3000
    batch_size: int = 256
    lr: float = 2e-3
    weight_decay: float = 0.01
    warmup: int = 300  # post-norm Transformers diverge without a warm-up
    seed: int = 0
    eval_every: int = 250


def train_steps(
    model: nn.Module,
    batches: Callable[[int], tuple[torch.Tensor, torch.Tensor]],
    config: TrainConfig,
    *,
    evaluate: Callable[[], float] | None = None,
    progress: Progress | None = None,
    label: str = "",
) -> list[tuple[int, float]]:
    """AdamW with linear warm-up and cosine decay; ``batches(step)`` gives (ids, targets). Returns
    (step, evaluate()) at step 0, every ``eval_every`` steps and at the end. ``progress(fraction, message,
    payload)`` may raise to stop (a worker's cancel)."""
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=config.weight_decay)

    def schedule(step: int) -> float:
        if step < config.warmup:
            return (step + 1) / config.warmup
        return 0.5 * (1 + torch.cos(torch.tensor((step - config.warmup) / max(1, config.steps - config.warmup) * torch.pi)).item())

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, schedule)
    curve: list[tuple[int, float]] = []

    def record(step: int) -> None:
        if evaluate is None:
            return
        model.eval()
        curve.append((step, evaluate()))
        model.train()
        if progress is not None:
            progress(step / config.steps, f"{label} step {step}: accuracy {curve[-1][1]:.3f}", (label, step, curve[-1][1]))

    model.train()
    record(0)
    for step in range(1, config.steps + 1):
        ids, targets = batches(step)
        logits = model(ids)
        loss = F.cross_entropy(logits.flatten(0, 1), targets.flatten(), ignore_index=-100)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        if step % config.eval_every == 0 or step == config.steps:
            record(step)
        elif progress is not None and step % 10 == 0:
            progress(step / config.steps, f"{label} step {step}: loss {loss.item():.3f}")
    model.eval()
    return curve


# ---- the bundled counting encoder ----------------------------------------------------------------------------
DEFAULT_MODEL = EncoderConfig(
    task="count",
    vocab=(BOS,) + LETTERS,
    num_classes=12,
    max_len=12,
    transformer=TransformerConfig(dim=64, num_heads=4, mlp_dim=128, num_blocks=2, norm_first=False),
)
TEST_SET = {"seed": 20_240_601, "sequences": 3000}


def evaluation_set(config: EncoderConfig, task: str | None = None, *, sequences: int = TEST_SET["sequences"], seed: int = TEST_SET["seed"]):
    spec = DataSpec(max_len=config.max_len, vocab=LETTERS)
    return make_dataset(get_task(task or config.task), sequences, spec, seed=seed)


def train_encoder(config: EncoderConfig = DEFAULT_MODEL, train: TrainConfig = TrainConfig(), *, progress: Progress | None = None) -> tuple[TokenClassifier, dict]:
    """Train the counting encoder from scratch; returns the model and what the JSON records."""
    start, cpu_start = time.perf_counter(), time.process_time()
    task = get_task(config.task)
    spec = DataSpec(max_len=config.max_len, vocab=LETTERS)
    model = TokenClassifier(config, seed=train.seed)
    generator = torch.Generator().manual_seed(train.seed + 1)
    evaluation = make_dataset(task, 600, spec, seed=train.seed + 2)  # held out from training, not the test set

    def batches(step: int):
        length = int(torch.randint(spec.min_len, spec.max_len + 1, (1,), generator=generator))
        return make_batch(task, train.batch_size, length, spec, generator)

    curve = train_steps(model, batches, train, evaluate=lambda: accuracy(model, evaluation), progress=progress, label=config.task)
    test_accuracy = accuracy(model, evaluation_set(config))
    record = {
        "accuracy": test_accuracy,
        "test_set": dict(TEST_SET, min_len=spec.min_len, max_len=spec.max_len),
        "training": {
            "steps": train.steps,
            "batch_size": train.batch_size,
            "lr": train.lr,
            "seed": train.seed,
            "seconds": round(time.perf_counter() - start, 1),  # wall clock: shared machines stretch it
            "cpu_seconds": round(time.process_time() - cpu_start, 1),
            "validation_curve": curve,
            "torch": torch.__version__,
        },
    }
    return model, record


def save_classifier(model: TokenClassifier, directory: str | Path, record: dict, *, name: str = "encoder") -> tuple[Path, Path]:
    """Write ``<name>.safetensors`` and ``<name>.json`` (config + ``record``)."""
    from safetensors.torch import save_file

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    weights, meta = directory / f"{name}.safetensors", directory / f"{name}.json"
    state = {key: value.detach().contiguous() for key, value in model.state_dict().items()}
    save_file(state, str(weights), metadata={"format": FORMAT})
    meta.write_text(json.dumps({"format": FORMAT, "config": model.config.to_dict(), **record}, indent=1) + "\n", encoding="utf-8")
    return weights, meta


def expected_shapes(config: EncoderConfig) -> dict[str, tuple[int, ...]]:
    shapes = {"embedding.weight": (len(config.vocab), config.transformer.dim)}
    shapes |= {f"encoder.{key}": shape for key, shape in param_shapes(config.transformer).items()}
    return shapes | {"head.weight": (config.num_classes, config.transformer.dim), "head.bias": (config.num_classes,)}


def load_classifier(directory: str | Path, *, name: str = "encoder") -> tuple[TokenClassifier, dict]:
    """Read a checkpoint written by :func:`save_classifier` (safetensors only: nothing is unpickled).

    Every tensor's name and shape is checked against the JSON config before loading: ValueError otherwise.
    """
    from safetensors.torch import load_file

    directory = Path(directory)
    meta = json.loads((directory / f"{name}.json").read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT:
        raise ValueError(f"{directory / f'{name}.json'} is not a {FORMAT} description")
    config = EncoderConfig.from_dict(meta["config"])
    state = load_file(str(directory / f"{name}.safetensors"))
    expected = expected_shapes(config)
    missing, unexpected = sorted(set(expected) - set(state)), sorted(set(state) - set(expected))
    if missing or unexpected:
        raise ValueError(f"checkpoint does not match its config: missing {missing[:4]}, unexpected {unexpected[:4]}")
    for key, shape in expected.items():
        if tuple(state[key].shape) != shape:
            raise ValueError(f"{key} has shape {tuple(state[key].shape)}, the config says {shape}")
    model = TokenClassifier(config)
    model.load_state_dict(state)
    model.eval()
    return model, meta
