"""Training the vision models on the shapes data set: the tiny ViT the app bundles, a small ResNet-style CNN
trained the same way, and the "ViT vs CNN on small data" experiment (notes §7: with little data, convolutions'
built-in locality wins; attention has to learn it)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import nn

from core import shapes
from core.vit import ViT, ViTConfig, normalise

Callback = Callable[[float, str, object], None]


def _no_callback(fraction: float, message: str = "", payload: object = None) -> None:
    pass


class ResidualBlock(nn.Module):
    def __init__(self, channels_in: int, channels: int, stride: int) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(channels_in, channels, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.conv2 = nn.Conv2d(channels, channels, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)
        self.skip = None if stride == 1 and channels_in == channels else nn.Sequential(nn.Conv2d(channels_in, channels, 1, stride, bias=False), nn.BatchNorm2d(channels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + (x if self.skip is None else self.skip(x)))


@dataclass(frozen=True)
class CNNConfig:
    image_size: int = 32
    widths: tuple[int, ...] = (24, 48, 96)  # one stage per width, each halving the resolution after the first
    num_classes: int = len(shapes.CLASSES)


class SmallResNet(nn.Module):
    """A small ResNet-style CNN: conv stem, residual stages, global average pooling, linear head."""

    def __init__(self, config: CNNConfig) -> None:
        super().__init__()
        self.config = config
        widths = config.widths
        self.stem = nn.Sequential(nn.Conv2d(3, widths[0], 3, 1, 1, bias=False), nn.BatchNorm2d(widths[0]), nn.ReLU())
        stages, channels = [], widths[0]
        for index, width in enumerate(widths):
            stages.append(ResidualBlock(channels, width, 1 if index == 0 else 2))
            channels = width
        self.stages = nn.Sequential(*stages)
        self.head = nn.Linear(channels, config.num_classes)

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        return self.head(self.stages(self.stem(pixels)).mean(dim=(2, 3)))


def default_vit_config() -> ViTConfig:
    """32 px images in 8 px patches: a 4 × 4 grid and a class token. Patches of 4 px (an 8 × 8 grid) learn about as
    much per step but cost three times as much per step on a CPU, and the bundled model must train in minutes."""
    return ViTConfig(image_size=32, patch_size=8, dim=96, depth=4, heads=4, mlp_dim=192, num_classes=len(shapes.CLASSES))


@dataclass
class TrainResult:
    test_accuracy: float
    train_seconds: float
    steps: int
    history: list[dict]  # {"step", "loss", "accuracy"} every evaluation
    cpu_seconds: float | None = None  # this process's CPU time over the same span (wall time waits on a shared machine)

    def to_dict(self) -> dict:
        return asdict(self)


def accuracy(model: nn.Module, images: torch.Tensor, labels: torch.Tensor, *, batch_size: int = 512) -> float:
    model.eval()
    correct = 0
    with torch.no_grad():
        for start in range(0, len(images), batch_size):
            logits = model(images[start : start + batch_size])
            correct += int((logits.argmax(-1) == labels[start : start + batch_size]).sum())
    model.train()
    return correct / max(len(images), 1)


def augment(batch: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Random flips and 90° turns: every class is invariant to them."""
    flip = torch.rand(len(batch), generator=generator) < 0.5
    batch = torch.where(flip.view(-1, 1, 1, 1), batch.flip(-1), batch)
    turns = int(torch.randint(4, (1,), generator=generator))
    return torch.rot90(batch, turns, dims=(-2, -1))


def train_classifier(
    model: nn.Module,
    train: tuple[torch.Tensor, torch.Tensor],
    test: tuple[torch.Tensor, torch.Tensor],
    *,
    steps: int,
    batch_size: int = 128,
    lr: float = 2e-3,
    weight_decay: float = 0.05,
    seed: int = 0,
    callback: Callback = _no_callback,
    evaluations: int = 10,
    mean: tuple[float, ...] = (0.5, 0.5, 0.5),
    std: tuple[float, ...] = (0.5, 0.5, 0.5),
) -> TrainResult:
    """AdamW with a warm-up and cosine decay; images arrive in [0, 1] and are normalised here.
    ``callback(fraction, message, {"step", "loss", "accuracy"})`` after every evaluation, and ``callback(fraction,
    message, None)`` after every other step (it may raise to cancel)."""
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    stats = torch.tensor(mean).view(1, -1, 1, 1), torch.tensor(std).view(1, -1, 1, 1)
    train_x, train_y = (train[0] - stats[0]) / stats[1], train[1]
    test_x, test_y = (test[0] - stats[0]) / stats[1], test[1]
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)
    warmup = max(1, steps // 20)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: min(1.0, (s + 1) / warmup) * 0.5 * (1 + math.cos(math.pi * min(s, steps) / steps)))
    history: list[dict] = []
    every = max(1, steps // evaluations)
    start, cpu_start = time.perf_counter(), time.process_time()
    model.train()
    running = 0.0
    for step in range(1, steps + 1):
        index = torch.randint(len(train_x), (min(batch_size, len(train_x)),), generator=generator)
        batch = augment(train_x[index], generator)
        loss = F.cross_entropy(model(batch), train_y[index], label_smoothing=0.05)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        value = float(loss.detach())
        running = 0.9 * running + 0.1 * value if step > 1 else value
        if step % every == 0 or step == steps:
            point = {"step": step, "loss": round(running, 4), "accuracy": round(accuracy(model, test_x, test_y), 4)}
            history.append(point)
            callback(step / steps, f"step {step}/{steps}: loss {running:.3f}, test accuracy {point['accuracy']:.1%}", point)
        else:  # every step, without a payload: a worker's cancel takes effect at the next step, not the next evaluation
            callback(step / steps, f"step {step}/{steps}: loss {running:.3f}", None)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    return TrainResult(accuracy(model, test_x, test_y), round(seconds, 1), steps, history, round(cpu, 1))


TEST_SEED = 10_000


def test_set(*, size: int = 1000, image_size: int = 32, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """The held-out images the bundled models' recorded accuracy is measured on (seeded apart from training)."""
    return shapes.make_dataset(size, size=image_size, seed=TEST_SEED + seed)


def evaluate(model: nn.Module, images: torch.Tensor, labels: torch.Tensor, *, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)) -> float:
    """Accuracy on images in [0, 1], normalised as in training."""
    stats = torch.tensor(mean).view(1, -1, 1, 1), torch.tensor(std).view(1, -1, 1, 1)
    return accuracy(model, (images - stats[0]) / stats[1], labels)


def train_vit(*, train_size: int = 30000, test_size: int = 1000, steps: int = 8000, batch_size: int = 64, lr: float = 1e-3, seed: int = 0, config: ViTConfig | None = None, callback: Callback = _no_callback) -> tuple[ViT, TrainResult]:
    config = config or default_vit_config()
    train = shapes.make_dataset(train_size, size=config.image_size, seed=seed)
    test = test_set(size=test_size, image_size=config.image_size, seed=seed)
    model = ViT(config, seed=seed)
    result = train_classifier(model, train, test, steps=steps, batch_size=batch_size, lr=lr, seed=seed, callback=callback, mean=config.mean, std=config.std)
    return model, result


def train_cnn(*, train_size: int = 30000, test_size: int = 1000, steps: int = 600, seed: int = 0, callback: Callback = _no_callback) -> tuple[SmallResNet, TrainResult]:
    config = CNNConfig()
    train = shapes.make_dataset(train_size, size=config.image_size, seed=seed)
    test = test_set(size=test_size, image_size=config.image_size, seed=seed)
    model = SmallResNet(config)
    result = train_classifier(model, train, test, steps=steps, seed=seed, callback=callback, lr=3e-3, weight_decay=1e-4)
    return model, result


# ---- bundling ------------------------------------------------------------------------------------------------
def save_vit(model: ViT, path, *, result: TrainResult | None = None, command: str = "") -> None:
    """safetensors with the config (and class names) in its metadata, written atomically; a JSON report beside."""
    import json
    import os
    import pathlib
    import tempfile

    from safetensors.torch import save_file

    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    config = model.config.to_dict() | {"class_names": list(shapes.CLASSES)}
    metadata = {"config": json.dumps(config), "format": "pt", "trained_by": "attention-explorer train vit"}
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(handle)
    try:
        save_file({k: v.detach().contiguous() for k, v in model.state_dict().items()}, temporary, metadata=metadata)
        os.replace(temporary, path)
    finally:
        pathlib.Path(temporary).unlink(missing_ok=True)
    if result is not None:
        report = result.to_dict() | {"command": command}
        path.with_suffix(".json").write_text(json.dumps(report, indent=1))


def save_cnn(model: SmallResNet, path, *, result: TrainResult | None = None, command: str = "") -> None:
    """The CNN as safetensors (its config in the metadata) and a JSON report beside, like :func:`save_vit`."""
    import json
    import pathlib

    from safetensors.torch import save_file

    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    config = asdict(model.config) | {"class_names": list(shapes.CLASSES)}
    save_file({k: v.detach().contiguous() for k, v in model.state_dict().items()}, str(path), metadata={"config": json.dumps(config), "format": "pt"})
    if result is not None:
        path.with_suffix(".json").write_text(json.dumps(result.to_dict() | {"command": command}, indent=1))


def load_cnn(path) -> SmallResNet:
    import json

    from safetensors.torch import load_file
    from safetensors import safe_open

    with safe_open(str(path), framework="pt") as handle:
        values = json.loads((handle.metadata() or {}).get("config", "{}"))
    values.pop("class_names", None)
    if "widths" in values:
        values["widths"] = tuple(values["widths"])
    model = SmallResNet(CNNConfig(**values))
    model.load_state_dict(load_file(str(path)))
    return model.eval()


def load_vit(path) -> tuple[ViTConfig, dict[str, torch.Tensor], list[str]]:
    import json

    from safetensors import safe_open

    with safe_open(str(path), framework="pt") as handle:
        metadata = handle.metadata() or {}
        params = {k: handle.get_tensor(k) for k in handle.keys()}
    values = json.loads(metadata["config"])
    names = values.pop("class_names", list(shapes.CLASSES))
    return ViTConfig.from_dict(values), params, names


# ---- ViT vs CNN on small data --------------------------------------------------------------------------------
DEFAULT_SIZES = (100, 300, 1000, 3000, 10000)


def vit_vs_cnn(sizes=DEFAULT_SIZES, *, steps: int = 1500, cnn_steps: int = 300, test_size: int = 1000, seed: int = 0, callback: Callback = _no_callback) -> dict:
    """Test accuracy of the tiny ViT and the small CNN trained on the first ``size`` images of one seeded set, for
    each size. The ViT takes ``steps`` steps of 64 images, the CNN ``cnn_steps`` of 128: on 10,000 images the CNN
    has stopped improving by then, and each of its steps costs about as much CPU as four of the ViT's (a CPU-sized
    budget; the ViT is still learning after it — the bundled one took 8,000 steps on 30,000 images).

    Returns {"sizes", "vit", "cnn", "steps", "cnn_steps", "test_size", "seconds": {"vit", "cnn"}}.
    """
    test = shapes.make_dataset(test_size, seed=20_000 + seed)
    largest = shapes.make_dataset(max(sizes), seed=seed)
    curves = {"sizes": list(sizes), "vit": [], "cnn": [], "steps": steps, "cnn_steps": cnn_steps, "test_size": test_size, "seconds": {"vit": [], "cnn": []}}
    jobs = [(size, kind) for size in sizes for kind in ("cnn", "vit")]
    for index, (size, kind) in enumerate(jobs):
        train = (largest[0][:size], largest[1][:size])

        def inner(fraction: float, message: str = "", payload: object = None, index=index, kind=kind, size=size) -> None:
            callback((index + fraction) / len(jobs), f"{kind.upper()} on {size} images: {message}", None)

        if kind == "vit":
            model = ViT(default_vit_config(), seed=seed)
            result = train_classifier(model, train, test, steps=steps, batch_size=64, lr=1e-3, seed=seed, callback=inner, evaluations=2)
        else:
            model = SmallResNet(CNNConfig())
            result = train_classifier(model, train, test, steps=cnn_steps, seed=seed, callback=inner, evaluations=2, lr=3e-3, weight_decay=1e-4)
        curves[kind].append(round(result.test_accuracy, 4))
        curves["seconds"][kind].append(result.train_seconds)
        callback((index + 1) / len(jobs), f"{kind.upper()} on {size} images: {result.test_accuracy:.1%}", {"size": size, "kind": kind, "accuracy": result.test_accuracy})
    return curves


def vit_vs_cnn_reporting(sizes, steps: int, cnn_steps: int, test_size: int, progress) -> dict:
    """:func:`vit_vs_cnn` reporting to a worker's ``progress(fraction, text, payload)``: what the app runs in a
    worker process."""
    return vit_vs_cnn(tuple(sizes), steps=steps, cnn_steps=cnn_steps, test_size=test_size, callback=progress)
