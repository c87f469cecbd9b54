"""Images for the ViT: read any common file (PNG, JPEG, BMP, WebP; grayscale and alpha handled) and bring it to
the model's input size with the transform made explicit, so the page can show what the model actually sees."""

from __future__ import annotations

import pathlib
from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image, UnidentifiedImageError

SUPPORTED = (".png", ".jpg", ".jpeg", ".bmp", ".webp")
MAX_PIXELS = 80_000_000  # refuse decompression bombs politely


@dataclass(frozen=True)
class Prepared:
    image: torch.Tensor  # (3, S, S) float in [0, 1]: what the model sees (before its normalisation)
    original_size: tuple[int, int]  # (width, height) of the file
    transform: str  # in words: "composited alpha on white · resized 640×480 → 43×32 · centre-cropped to 32×32"


def read_rgb(path: str | pathlib.Path) -> tuple[np.ndarray, list[str]]:
    """(H, W, 3) uint8 RGB and the conversions that were needed. Raises ValueError for unreadable files."""
    path = pathlib.Path(path)
    if path.suffix.lower() not in SUPPORTED:
        raise ValueError(f"{path.name}: not an image this page reads (use {', '.join(SUPPORTED)})")
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(path) as img:
            img.load()
            return to_rgb(img)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError) as exc:
        raise ValueError(f"{path.name} could not be read as an image: {exc}") from None


def to_rgb(img: Image.Image) -> tuple[np.ndarray, list[str]]:
    steps = []
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = Image.alpha_composite(white, rgba).convert("RGB")
        steps.append("composited alpha on white")
    elif img.mode in ("L", "1", "I", "I;16", "F"):
        img = img.convert("L").convert("RGB")
        steps.append("grayscale → RGB")
    elif img.mode != "RGB":
        img = img.convert("RGB")
        steps.append(f"{img.mode} → RGB")
    return np.asarray(img, dtype=np.uint8), steps


def prepare(rgb: np.ndarray, size: int, *, steps: list[str] | None = None) -> Prepared:
    """Resize the shorter side to ``size`` (bicubic) and centre-crop to size×size."""
    height, width = rgb.shape[:2]
    if height < 1 or width < 1:
        raise ValueError("the image is empty")
    scale = size / min(width, height)
    new_w, new_h = max(size, round(width * scale)), max(size, round(height * scale))
    resized = Image.fromarray(rgb).resize((new_w, new_h), Image.Resampling.BICUBIC)
    left, top = (new_w - size) // 2, (new_h - size) // 2
    cropped = np.asarray(resized.crop((left, top, left + size, top + size)), dtype=np.float32) / 255.0
    words = list(steps or []) + [f"resized {width}×{height} → {new_w}×{new_h}"]
    if (new_w, new_h) != (size, size):
        words.append(f"centre-cropped to {size}×{size}")
    image = torch.from_numpy(np.ascontiguousarray(cropped.transpose(2, 0, 1)))
    return Prepared(image, (width, height), " · ".join(words))


def load(path: str | pathlib.Path, size: int) -> Prepared:
    rgb, steps = read_rgb(path)
    return prepare(rgb, size, steps=steps)
