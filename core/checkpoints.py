"""Opening checkpoints safely: no code from a file ever runs.

    .pt / .pth / .bin      torch.load(weights_only=True), memory-mapped where the zip format allows;
                           never a fallback to unsafe unpickling — a refused file names the globals it wanted
    .safetensors           safetensors (memory-mapped), with the file's metadata
    folders                Hugging Face save_pretrained: config.json + model.safetensors / pytorch_model.bin,
                           sharded ones through their *.index.json

Wrappers are undone: {"state_dict": …}, {"model": …}, {"module": …}, and the "module." (DataParallel) and
"_orig_mod." (torch.compile) key prefixes. :func:`open_checkpoint` returns a :class:`Checkpoint`: a flat
name → tensor mapping, the metadata, the config (for folders) and notes on what was unwrapped.
"""

from __future__ import annotations

import json
import math
import pathlib
import pickle
import re
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import torch
from safetensors import SafetensorError, safe_open

TORCH_SUFFIXES = (".pt", ".pth", ".bin", ".ckpt")
WRAPPER_KEYS = ("state_dict", "model_state_dict", "model", "module", "net", "network", "weights")
STRIP_PREFIXES = ("module.", "_orig_mod.")

Progress = Callable[[float, str], None]


class CheckpointError(ValueError):
    """A file that cannot be opened safely, with a message for the user."""


@dataclass(frozen=True)
class Checkpoint:
    path: pathlib.Path
    format: str  # "torch", "safetensors", "hf-folder"
    tensors: Mapping[str, torch.Tensor]  # flat name → tensor (memory-mapped where possible)
    metadata: Mapping[str, str] = field(default_factory=dict)  # safetensors metadata, or what the torch file held besides tensors
    config: Mapping[str, object] | None = None  # config.json of a folder
    notes: tuple[str, ...] = ()  # what was unwrapped or stripped

    @property
    def parameter_count(self) -> int:
        return sum(t.numel() for t in self.tensors.values())

    @property
    def byte_count(self) -> int:
        return sum(t.numel() * t.element_size() for t in self.tensors.values())


def _no_progress(fraction: float, message: str = "") -> None:
    pass


# ---- torch files ---------------------------------------------------------------------------------------------
def _load_torch(path: pathlib.Path) -> object:
    mmap = zipfile.is_zipfile(path)  # the legacy (pre-1.6) format cannot be memory-mapped
    try:
        return torch.load(path, map_location="cpu", weights_only=True, mmap=mmap)
    except pickle.UnpicklingError as exc:
        try:
            wanted = torch.serialization.get_unsafe_globals_in_checkpoint(str(path))
        except Exception:  # legacy or damaged files cannot be scanned: the unpickler's message names the global
            wanted = list(dict.fromkeys(re.findall(r"GLOBAL ([\w.]+)", str(exc))))
        if not wanted and "Unsupported global" not in str(exc):  # damaged, not refused
            raise CheckpointError(f"{path.name} is not a readable torch checkpoint ({_damage(path, exc)})") from exc
        detail = f" It asks for: {', '.join(wanted[:8])}{' …' if len(wanted) > 8 else ''}." if wanted else ""
        raise CheckpointError(
            f"{path.name} needs code from the file to load (not plain weights), so it was refused; nothing was run.{detail} "
            "Save a state_dict (model.state_dict()) or a .safetensors file instead."
        ) from exc
    except Exception as exc:  # the weights-only unpickler runs no code, so anything else is a damaged file
        raise CheckpointError(f"{path.name} is not a readable torch checkpoint ({_damage(path, exc)})") from exc


def _damage(path: pathlib.Path, exc: Exception) -> str:
    """What is wrong with a torch file, in words: a cut-short zip archive, else the loader's own first line."""
    with open(path, "rb") as handle:
        head = handle.read(4)
    if head == b"PK\x03\x04" and not zipfile.is_zipfile(path):
        return "a zip archive whose end is missing: the file was cut short while copying or saving"
    if head[:1] != b"\x80":  # every torch.save file is a zip archive or a pickle (protocol ≥ 2 starts with 0x80)
        return "neither a zip archive nor a pickle: not a file torch.save wrote"
    if isinstance(exc, EOFError):
        return "the file ends too early: it was cut short while copying or saving"
    text = str(exc)
    if "WeightsUnpickler error:" in text:
        text = text.split("WeightsUnpickler error:")[-1]
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return first if len(first) <= 160 else first[:160] + "…"


def _flatten(obj: object, prefix: str, out: dict[str, torch.Tensor], extra: dict[str, str]) -> None:
    """Tensors of nested dicts/lists as dotted names; other leaves go to ``extra`` (shown as metadata)."""
    if isinstance(obj, torch.Tensor):
        out[prefix] = obj
    elif isinstance(obj, Mapping):
        for key, value in obj.items():
            _flatten(value, f"{prefix}.{key}" if prefix else str(key), out, extra)
    elif isinstance(obj, (list, tuple)) and any(isinstance(v, (torch.Tensor, Mapping)) for v in obj):
        for index, value in enumerate(obj):
            _flatten(value, f"{prefix}.{index}" if prefix else str(index), out, extra)
    elif prefix:
        text = repr(obj)
        extra[prefix] = text if len(text) <= 200 else text[:200] + "…"


def unwrap(obj: object) -> tuple[dict[str, torch.Tensor], dict[str, str], list[str]]:
    """The state dict inside a training checkpoint: (tensors, other entries as text, notes)."""
    notes: list[str] = []
    extra: dict[str, str] = {}
    while isinstance(obj, Mapping) and not any(isinstance(v, torch.Tensor) for v in obj.values()):
        key = next((k for k in WRAPPER_KEYS if isinstance(obj.get(k), Mapping)), None)
        if key is None:
            break
        for other, value in obj.items():
            if other != key and not isinstance(value, Mapping):
                extra[str(other)] = repr(value)[:200]
        notes.append(f"unwrapped the {key!r} entry")
        obj = obj[key]
    tensors: dict[str, torch.Tensor] = {}
    _flatten(obj, "", tensors, extra)
    for prefix in STRIP_PREFIXES:
        if tensors and all(name.startswith(prefix) for name in tensors):
            tensors = {name[len(prefix) :]: t for name, t in tensors.items()}
            notes.append(f"stripped the {prefix!r} prefix")
    return tensors, extra, notes


# ---- safetensors ---------------------------------------------------------------------------------------------
def _load_safetensors(path: pathlib.Path, progress: Progress, span: tuple[float, float] = (0.0, 1.0)) -> tuple[dict[str, torch.Tensor], dict[str, str]]:
    try:
        with safe_open(str(path), framework="pt", device="cpu") as handle:
            metadata = dict(handle.metadata() or {})
            names = list(handle.keys())
            tensors = {}
            for index, name in enumerate(names):
                tensors[name] = handle.get_tensor(name)
                if index % 16 == 0:
                    progress(span[0] + (span[1] - span[0]) * index / max(len(names), 1), f"{path.name}: {name}")
    except (SafetensorError, OSError, ValueError) as exc:
        raise CheckpointError(f"{path.name} is not a readable safetensors file: {exc}{_cut_short_hint(path, exc)}") from exc
    return tensors, metadata


def _cut_short_hint(path: pathlib.Path, exc: Exception) -> str:
    """A safetensors file starts with the length of its JSON header; a file shorter than header + data was cut."""
    with open(path, "rb") as handle:
        head = handle.read(8)
    header_cut = len(head) == 8 and 8 + int.from_bytes(head, "little") > path.stat().st_size and int.from_bytes(head, "little") < 1 << 27
    return " (the file is shorter than its header says: it was cut short)" if header_cut or "not fully covered" in str(exc) else ""


# ---- folders -------------------------------------------------------------------------------------------------
HF_WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
HF_INDEX_FILES = ("model.safetensors.index.json", "pytorch_model.bin.index.json")


def _load_folder(path: pathlib.Path, progress: Progress) -> Checkpoint:
    config = None
    config_path = path / "config.json"
    if config_path.exists():
        try:
            config = json.loads(config_path.read_text())
        except json.JSONDecodeError as exc:
            raise CheckpointError(f"config.json in {path.name} is not valid JSON: {exc}") from exc
    files: list[pathlib.Path] = []
    for index_name in HF_INDEX_FILES:
        index_path = path / index_name
        if index_path.exists():
            try:
                weight_map = json.loads(index_path.read_text())["weight_map"]
            except (json.JSONDecodeError, KeyError) as exc:
                raise CheckpointError(f"{index_name} has no readable weight_map: {exc}") from exc
            files = [path / name for name in dict.fromkeys(weight_map.values())]
            missing = [f.name for f in files if not f.exists()]
            if missing:
                raise CheckpointError(f"{index_name} lists shards that are missing: {', '.join(missing)}")
            break
    if not files:
        files = [path / name for name in HF_WEIGHT_FILES if (path / name).exists()][:1]
    if not files:
        candidates = sorted(p for p in path.iterdir() if p.suffix in (".safetensors",) + TORCH_SUFFIXES)
        files = candidates[:1]
    if not files:
        raise CheckpointError(f"{path} holds no weights (looked for {', '.join(HF_WEIGHT_FILES)} and sharded index files)")
    tensors: dict[str, torch.Tensor] = {}
    metadata: dict[str, str] = {}
    notes: list[str] = [f"{len(files)} shard{'s' if len(files) > 1 else ''}: {', '.join(f.name for f in files[:4])}{' …' if len(files) > 4 else ''}"]
    for index, file in enumerate(files):
        span = (index / len(files), (index + 1) / len(files))
        if file.suffix == ".safetensors":
            part, meta = _load_safetensors(file, progress, span)
            metadata.update(meta)
        else:
            progress(span[0], f"{file.name}")
            part, meta, more_notes = unwrap(_load_torch(file))
            metadata.update(meta)
            notes += more_notes
        tensors.update(part)
    return Checkpoint(path, "hf-folder", tensors, metadata, config, tuple(notes))


def open_checkpoint(path: str | pathlib.Path, progress: Progress | None = None) -> Checkpoint:
    """Open a checkpoint file or folder without running any code from it (see the module docstring)."""
    progress = progress or _no_progress
    path = pathlib.Path(path).expanduser()
    if not path.exists():
        raise CheckpointError(f"{path} does not exist")
    if path.is_file() and path.stat().st_size == 0:
        raise CheckpointError(f"{path.name} is empty (0 bytes)")
    progress(0.0, f"opening {path.name}")
    if path.is_dir():
        checkpoint = _load_folder(path, progress)
    elif path.suffix == ".safetensors":
        tensors, metadata = _load_safetensors(path, progress)
        checkpoint = Checkpoint(path, "safetensors", tensors, metadata)
    elif path.suffix in TORCH_SUFFIXES:
        tensors, extra, notes = unwrap(_load_torch(path))
        checkpoint = Checkpoint(path, "torch", tensors, extra, None, tuple(notes))
    else:
        raise CheckpointError(f"{path.name}: unknown checkpoint type (use .pt, .pth, .bin, .safetensors or a Hugging Face folder)")
    if not checkpoint.tensors:
        raise CheckpointError(f"{path.name} holds no tensors")
    progress(1.0, f"{len(checkpoint.tensors)} tensors")
    return checkpoint


# ---- browsing ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TensorStats:
    name: str
    shape: tuple[int, ...]
    dtype: str
    bytes: int
    mean: float
    std: float
    min: float
    max: float
    nan_count: int
    inf_count: int


def tensor_stats(name: str, tensor: torch.Tensor) -> TensorStats:
    """Summary numbers of one tensor, over its finite values, accumulated in float64 chunk by chunk (a large
    tensor is never copied whole); NaN and ±Inf are counted, not averaged."""
    flat = tensor.detach().reshape(-1)
    count = flat.numel()
    nan = inf = finite = 0
    total = total_sq = 0.0
    low, high = math.inf, -math.inf
    if not (tensor.is_complex() or tensor.dtype == torch.bool):
        for start in range(0, count, 1 << 22):
            chunk = flat[start : start + (1 << 22)]
            if chunk.is_floating_point():
                is_finite = torch.isfinite(chunk)
                good_count = int(is_finite.sum())
                if good_count < chunk.numel():
                    chunk_nan = int(torch.isnan(chunk).sum())
                    nan += chunk_nan
                    inf += chunk.numel() - good_count - chunk_nan
                    chunk = chunk[is_finite]
            if chunk.numel() == 0:
                continue
            values = chunk.to(torch.float64)
            finite += values.numel()
            total += float(values.sum())
            total_sq += float(torch.dot(values, values))
            lowest, highest = torch.aminmax(values)
            low, high = min(low, float(lowest)), max(high, float(highest))
    mean = total / finite if finite else math.nan
    variance = max(total_sq / finite - mean * mean, 0.0) if finite else math.nan
    return TensorStats(name, tuple(tensor.shape), str(tensor.dtype).replace("torch.", ""), count * tensor.element_size(), mean, math.sqrt(variance) if finite else math.nan, low if finite else math.nan, high if finite else math.nan, nan, inf)


def module_tree(names: list[str]) -> dict:
    """Names grouped by their dotted module path: {"blocks": {"0": {"attn": {"qkv.weight": "blocks.0.attn.qkv.weight"}}}}."""
    tree: dict = {}
    for name in names:
        parts = name.split(".")
        node = tree
        # the last two parts ("qkv", "weight") stay together: a parameter's name within its module
        for part in parts[:-2] if len(parts) > 2 else []:
            node = node.setdefault(part, {})
        node[".".join(parts[-2:]) if len(parts) > 1 else parts[0]] = name
    _fold_into_groups(tree)
    return tree


def _fold_into_groups(node: dict) -> None:
    """A leaf "encoder.pos_embedding" beside a group "encoder" (a parameter held by a module that also has
    submodules) goes into that group as "pos_embedding", so one module is one row."""
    for key in [k for k, v in node.items() if isinstance(v, str) and "." in k]:
        group, _, rest = key.partition(".")
        if isinstance(node.get(group), dict) and rest not in node[group]:
            node[group][rest] = node.pop(key)
    for child in node.values():
        if isinstance(child, dict):
            _fold_into_groups(child)
