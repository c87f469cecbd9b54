"""Transfer learning (notes §6): pretrain on a task with plenty of data, then finetune on another task that has
only a few labelled examples — against the same model trained from scratch on those few examples.

Here the pretrained model is the bundled counting encoder (:mod:`core.sequence_tasks`, task "count"); the
target task is "repeat" (does this letter occur more than once?). Both runs use the same architecture, the same
new head (same seed), the same examples, optimiser, learning rate and steps; only the starting weights of the
embedding and the Transformer differ.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace

import torch
from torch import nn

from core.sequence_tasks import LETTERS, DataSpec, TokenClassifier, TrainConfig, accuracy, get_task, make_dataset, train_steps

Progress = Callable[..., None]


@dataclass(frozen=True)
class TransferConfig:
    target_task: str = "repeat"
    examples: tuple[int, ...] = (16, 128)  # labelled target sequences available for finetuning
    steps: int = 300
    eval_every: int = 25
    lr: float = 1e-3
    batch_size: int = 16
    seed: int = 0
    test_sequences: int = 600

    def __post_init__(self) -> None:
        if not self.examples or min(self.examples) < 1:
            raise ValueError("give at least one finetuning set of at least 1 example")
        if self.steps < 1 or self.eval_every < 1:
            raise ValueError("steps and eval_every must be at least 1")
        get_task(self.target_task)


@dataclass(frozen=True)
class TransferCurves:
    source_task: str
    config: TransferConfig
    steps: tuple[int, ...]  # where the test accuracy was measured
    pretrained: dict[int, tuple[float, ...]]  # examples → test accuracy at each step, starting from the pretrained model
    scratch: dict[int, tuple[float, ...]]  # examples → test accuracy at each step, starting from random weights
    chance: float  # accuracy of always answering the test set's most common class

    def to_dict(self) -> dict[str, object]:
        return {
            "source_task": self.source_task,
            "config": asdict(self.config),
            "steps": list(self.steps),
            "pretrained": {str(n): list(v) for n, v in self.pretrained.items()},
            "scratch": {str(n): list(v) for n, v in self.scratch.items()},
            "chance": self.chance,
        }

    @classmethod
    def from_dict(cls, values: dict) -> "TransferCurves":
        try:
            config = dict(values["config"])
            config["examples"] = tuple(config["examples"])
            return cls(
                str(values["source_task"]),
                TransferConfig(**config),
                tuple(int(s) for s in values["steps"]),
                {int(n): tuple(float(a) for a in v) for n, v in values["pretrained"].items()},
                {int(n): tuple(float(a) for a in v) for n, v in values["scratch"].items()},
                float(values["chance"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"not a transfer-curves file: {exc}") from None


def _new_head(dim: int, classes: int, seed: int) -> nn.Linear:
    torch.manual_seed(seed)
    return nn.Linear(dim, classes)


def starting_models(pretrained: TokenClassifier, target_task: str, *, seed: int = 0) -> tuple[TokenClassifier, TokenClassifier]:
    """(pretrained weights + new head, random weights + the same new head) for ``target_task``."""
    task = get_task(target_task)
    config = replace(pretrained.config, task=target_task, num_classes=task.num_classes(pretrained.config.max_len))
    finetuned = copy.deepcopy(pretrained)
    finetuned.config = config
    scratch = TokenClassifier(config, seed=seed + 101)
    dim = config.transformer.dim
    finetuned.head, scratch.head = _new_head(dim, config.num_classes, seed), _new_head(dim, config.num_classes, seed)
    return finetuned, scratch


def run_transfer(pretrained: TokenClassifier, config: TransferConfig = TransferConfig(), *, progress: Progress | None = None) -> TransferCurves:
    """Finetune the pretrained model and train a fresh one on each few-example set; test accuracy curves.

    ``progress(fraction, message, payload)`` gets payload ``(kind, examples, step, accuracy)`` with kind
    "pretrained" or "scratch" at every evaluation, and may raise to stop (a worker's cancel).
    """
    task = get_task(config.target_task)
    spec = DataSpec(max_len=pretrained.config.max_len, vocab=LETTERS)
    test = make_dataset(task, config.test_sequences, spec, seed=config.seed + 31_337)
    labels = torch.cat([targets[targets != -100] for _, targets in test])
    chance = float(labels.bincount().max()) / labels.numel()
    train = TrainConfig(steps=config.steps, batch_size=config.batch_size, lr=config.lr, warmup=min(20, config.steps), seed=config.seed, eval_every=config.eval_every)
    curves: dict[str, dict[int, tuple[float, ...]]] = {"pretrained": {}, "scratch": {}}
    steps: tuple[int, ...] = ()
    runs = [(n, kind) for n in config.examples for kind in ("pretrained", "scratch")]
    for index, (n, kind) in enumerate(runs):
        data = make_dataset(task, n, spec, seed=config.seed + n)
        model = starting_models(pretrained, config.target_task, seed=config.seed)[0 if kind == "pretrained" else 1]
        generator = torch.Generator().manual_seed(config.seed + 7 * n)

        def batches(step: int, data=data, generator=generator):
            ids, targets = data[int(torch.randint(len(data), (1,), generator=generator))]
            pick = torch.randperm(len(ids), generator=generator)[: config.batch_size]
            return ids[pick], targets[pick]

        def report(fraction: float, message: str, payload=None, n=n, kind=kind, index=index) -> None:
            if progress is not None:
                overall = (index + fraction) / len(runs)
                progress(overall, f"{kind}, {n} examples: {message}", None if payload is None else (kind, n, payload[1], payload[2]))

        curve = train_steps(model, batches, train, evaluate=lambda model=model: accuracy(model, test), progress=report, label="")
        steps = tuple(s for s, _ in curve)
        curves[kind][n] = tuple(a for _, a in curve)
    return TransferCurves(pretrained.config.task, config, steps, curves["pretrained"], curves["scratch"], chance)
