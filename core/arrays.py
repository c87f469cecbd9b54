"""The one boundary between torch and the views: tensors become float32, C-contiguous, CPU numpy arrays."""

from __future__ import annotations

import numpy as np
import torch


def to_numpy(value: torch.Tensor | np.ndarray | float) -> np.ndarray:
    """Detach, move to the CPU and return a float32 C-contiguous array (pyqtgraph's fast path)."""
    if isinstance(value, torch.Tensor):
        value = value.detach().to("cpu", torch.float32).numpy()
    return np.ascontiguousarray(value, dtype=np.float32)


def as_tensor(value, *, device: torch.device, dtype: torch.dtype, name: str) -> torch.Tensor:
    """Turn user-supplied numbers into a tensor on ``device``; a clear ValueError when they are not numbers.

    NaN and Inf are refused here, at the entrance, so they never reach a softmax or a view.
    """
    try:
        tensor = torch.as_tensor(value, dtype=dtype, device=device)
    except (TypeError, ValueError, RuntimeError) as exc:
        raise ValueError(f"{name} is not a numeric array: {exc}") from None
    if not torch.isfinite(tensor).all():
        raise ValueError(f"{name} contains NaN or infinite values")
    return tensor
