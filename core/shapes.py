"""A shapes data set generated in code (no downloads): one shape per image — circle, square, triangle, cross or
star — of random size, position, rotation and colour, on a textured background (noise, stripes, gradient or
checks). Seeded: the same seed gives the same images everywhere. Anti-aliased by 2× supersampling."""

from __future__ import annotations

import math

import numpy as np
import torch

CLASSES = ("circle", "square", "triangle", "cross", "star")


def _luminance(rgb: np.ndarray) -> float:
    return float(0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2])


def _inside(kind: str, x: np.ndarray, y: np.ndarray, radius: float, angle: float) -> np.ndarray:
    """Boolean mask of the shape centred at 0 (x, y in pixels)."""
    c, s = math.cos(angle), math.sin(angle)
    u, v = c * x + s * y, -s * x + c * y  # rotated coordinates
    if kind == "circle":
        return x * x + y * y <= radius * radius
    if kind == "square":
        half = radius * 0.8
        return (np.abs(u) <= half) & (np.abs(v) <= half)
    if kind == "triangle":
        inside = np.ones_like(x, dtype=bool)
        for k in range(3):  # three half-planes at 120°, inradius r/2
            a = angle + k * 2 * math.pi / 3
            inside &= np.cos(a) * x + np.sin(a) * y <= radius * 0.5
        return inside
    if kind == "cross":
        arm = radius * 0.32
        return ((np.abs(u) <= arm) & (np.abs(v) <= radius)) | ((np.abs(v) <= arm) & (np.abs(u) <= radius))
    if kind == "star":
        phi = (np.arctan2(v, u) + 2 * math.pi) % (2 * math.pi / 5)
        t = np.abs(phi / (2 * math.pi / 5) - 0.5) * 2  # 1 at a tip, 0 between tips
        boundary = radius * (0.42 + 0.58 * t)
        return np.hypot(u, v) <= boundary
    raise ValueError(f"unknown shape {kind!r}")


def _background(rng: np.random.Generator, size: int) -> np.ndarray:
    """(size, size, 3) in [0, 1]: a base colour plus a random texture."""
    base = rng.uniform(0.1, 0.9, 3)
    yy, xx = np.mgrid[0:size, 0:size] / size
    kind = rng.integers(4)
    if kind == 0:  # noise
        texture = rng.normal(0, 0.06, (size, size, 1))
    elif kind == 1:  # stripes
        frequency, direction = rng.uniform(3, 9), rng.uniform(0, math.pi)
        texture = 0.08 * np.sin(2 * math.pi * frequency * (np.cos(direction) * xx + np.sin(direction) * yy))[..., None]
    elif kind == 2:  # gradient
        texture = (0.15 * (xx * rng.uniform(-1, 1) + yy * rng.uniform(-1, 1)))[..., None]
    else:  # checks
        cells = rng.integers(3, 8)
        texture = 0.06 * (((xx * cells).astype(int) + (yy * cells).astype(int)) % 2 * 2 - 1)[..., None]
    return np.clip(base + texture, 0, 1)


def render(kind: str, rng: np.random.Generator, size: int = 32) -> np.ndarray:
    """One (size, size, 3) float image in [0, 1]."""
    background = _background(rng, size)
    while True:  # a shape colour that stands out from the background
        colour = rng.uniform(0, 1, 3)
        if abs(_luminance(colour) - _luminance(background.mean((0, 1)))) > 0.25:
            break
    radius = rng.uniform(0.2, 0.36) * size
    margin = radius * 1.02
    cx, cy = rng.uniform(margin, size - margin, 2)
    angle = rng.uniform(0, 2 * math.pi)
    fine = 2  # supersampling for anti-aliased edges
    coords = (np.arange(size * fine) + 0.5) / fine
    x, y = np.meshgrid(coords - cx, coords - cy)
    coverage = _inside(kind, x, y, radius, angle).reshape(size, fine, size, fine).mean(axis=(1, 3))[..., None]
    return (1 - coverage) * background + coverage * colour


def make_dataset(count: int, *, size: int = 32, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """``count`` images (N, 3, S, S) in [0, 1] and labels (N,), classes balanced and shuffled."""
    rng = np.random.default_rng(seed)
    labels = np.arange(count) % len(CLASSES)
    rng.shuffle(labels)
    images = np.stack([render(CLASSES[label], rng, size) for label in labels]).astype(np.float32)
    return torch.from_numpy(images.transpose(0, 3, 1, 2).copy()), torch.from_numpy(labels).long()
