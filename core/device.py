"""Where the core runs: "auto", "cpu", "cuda" (or "cuda:N") and "mps".

Every core entry point takes ``device`` and ``dtype`` and passes them through :func:`resolve`, so the same
code runs on a laptop CPU, a CUDA card or Apple's MPS.
"""

from __future__ import annotations

import torch


def available() -> list[str]:
    """Names of the devices torch can use on this machine, CPU first."""
    names = ["cpu"]
    if torch.cuda.is_available():
        names.append("cuda")
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        names.append("mps")
    return names


def resolve(device: str | torch.device | None = "auto") -> torch.device:
    """Turn a device name into a :class:`torch.device`.

    ``"auto"`` (or None) picks CUDA, then MPS, then CPU. Asking for a device this machine does not have
    raises ``ValueError`` with the list of what it does have, instead of torch's lower-level error.
    """
    if isinstance(device, torch.device):
        return device
    name = (device or "auto").strip().lower()
    if name == "auto":
        return torch.device(available()[-1] if len(available()) > 1 else "cpu")
    kind = name.split(":", 1)[0]
    if kind not in ("cpu", "cuda", "mps"):
        raise ValueError(f"unknown device {device!r}: use auto, cpu, cuda or mps")
    if kind not in available():
        raise ValueError(f"device {device!r} is not available here (available: {', '.join(available())})")
    return torch.device(name)


def resolve_dtype(dtype: torch.dtype | str | None = None) -> torch.dtype:
    """float32 by default; accepts torch dtypes or their names ("float64", "bfloat16", ...)."""
    if dtype is None:
        return torch.float32
    if isinstance(dtype, torch.dtype):
        return dtype
    resolved = getattr(torch, str(dtype), None)
    if not isinstance(resolved, torch.dtype) or not resolved.is_floating_point:
        raise ValueError(f"unknown floating dtype {dtype!r}")
    return resolved


def describe(device: torch.device) -> str:
    """A short human label for the status bar, e.g. "CPU" or "CUDA 0 (NVIDIA H200)"."""
    if device.type == "cuda":
        index = device.index if device.index is not None else torch.cuda.current_device()
        return f"CUDA {index} ({torch.cuda.get_device_name(index)})"
    return device.type.upper()


def configure_threads(cpu_count: int | None = None) -> int:
    """Pick torch's intra-op thread count for an interactive app and return it.

    The pages' tensors are small and the GUI thread needs a core to paint: on a machine with two cores or fewer,
    two OpenMP threads per operation leave none for painting (measured 4–10× slower edits while another process
    ran), so the app uses one. ``ATTENTION_EXPLORER_THREADS`` overrides the choice.
    """
    import os

    requested = os.environ.get("ATTENTION_EXPLORER_THREADS")
    if requested and requested.isdigit() and int(requested) > 0:
        threads = int(requested)
    else:
        cores = cpu_count if cpu_count is not None else (os.cpu_count() or 1)
        threads = 1 if cores <= 2 else torch.get_num_threads()
    torch.set_num_threads(threads)
    return threads


def warm_up_training() -> None:
    """Import what torch imports on an optimiser's first use: ``torch.optim`` pulls in ``torch._dynamo`` (and sympy),
    about 4 s with stretches of 150-450 ms that hold the GIL. The app's worker processes do it while they wait for
    their job (explorer.workers.prewarm), so a training the user starts begins at once. One tiny step of a GRU, a
    linear layer and AdamW with gradient clipping also runs each kernel's first-call set-up here."""
    import torch._dynamo  # noqa: F401

    gru, head = torch.nn.GRU(4, 4, batch_first=True), torch.nn.Linear(4, 3)
    parameters = [*gru.parameters(), *head.parameters()]
    optimiser = torch.optim.AdamW(parameters, lr=1e-3)
    for optimiser in (optimiser, torch.optim.Adam(parameters, lr=1e-3)):
        output, _ = gru(torch.zeros(2, 3, 4))
        loss = torch.nn.functional.cross_entropy(head(output).reshape(-1, 3), torch.zeros(6, dtype=torch.long))
        optimiser.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(parameters, 1.0)
        optimiser.step()
