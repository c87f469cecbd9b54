"""The Transformer block and the Transformer (notes §6): "a Transformer is a sequence of blocks".

One block, post-norm as in the notes (Vaswani et al. 2017):

    a  = MultiHeadSelfAttention(x)          the only place where tokens interact
    r₁ = x + a                              residual
    h  = LayerNorm₁(r₁)
    m  = MLP(h) = W₂ act(W₁ h + b₁) + b₂    per token, independently
    r₂ = h + m                              residual
    y  = LayerNorm₂(r₂)

and pre-norm (GPT-2, ViT), where each sublayer reads a normalised copy and the residual stream is never
normalised: n₁ = LN₁(x), r₁ = x + MHSA(n₁), n₂ = LN₂(r₁), y = r₁ + MLP(n₂).

Parameters use ``torch.nn.TransformerEncoderLayer``'s state-dict layout (``self_attn.in_proj_weight``,
``self_attn.out_proj.weight``, ``linear1``, ``linear2``, ``norm1``, ``norm2``); a stack prefixes them with
``layers.{i}.`` and may end with a final ``norm`` (as ``torch.nn.TransformerEncoder``). The attention goes
through :func:`core.multihead.multi_head_attention`, so its explicit path keeps every weight.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, fields

import torch
import torch.nn.functional as F
from torch import nn

from core.multihead import MultiHeadTrace, multi_head_attention

ACTIVATIONS: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "relu": F.relu,
    "gelu": F.gelu,
    "gelu_tanh": lambda x: F.gelu(x, approximate="tanh"),
}

# The labels of the stages as the notes name them; order depends on where the norms sit (see BlockTrace.stages).
STAGE_LABELS: dict[str, str] = {
    "input": "input x",
    "attention": "self-attention",
    "residual1": "+ residual",
    "norm1": "LayerNorm",
    "mlp": "MLP",
    "residual2": "+ residual",
    "norm2": "LayerNorm",
}
POST_NORM_STAGES = ("input", "attention", "residual1", "norm1", "mlp", "residual2", "norm2")
PRE_NORM_STAGES = ("input", "norm1", "attention", "residual1", "norm2", "mlp", "residual2")


@dataclass(frozen=True)
class TransformerConfig:
    """The shape of a stack of Transformer blocks."""

    dim: int = 64  # D, the size of every token vector
    num_heads: int = 4  # H; D must be divisible by H
    mlp_dim: int = 256  # hidden size of the MLP (4·D in the paper)
    num_blocks: int = 2
    norm_first: bool = False  # False: post-norm (the notes, Vaswani et al.); True: pre-norm (GPT-2, ViT)
    activation: str = "relu"  # one of ACTIVATIONS
    eps: float = 1e-5  # LayerNorm ε (timm's ViT uses 1e-6, HF's 1e-12)
    final_norm: bool = False  # a LayerNorm after the last block (what pre-norm stacks such as ViT add)
    qk_norm: bool = False  # LayerNorm of each head's queries and keys (timm's qk_norm; self_attn.q_norm / k_norm)

    def __post_init__(self) -> None:
        if self.dim < 1 or self.num_heads < 1 or self.mlp_dim < 1 or self.num_blocks < 1:
            raise ValueError("D, H, the MLP size and the number of blocks must all be at least 1")
        if self.dim % self.num_heads:
            raise ValueError(f"D = {self.dim} is not divisible by H = {self.num_heads} heads")
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation {self.activation!r}; choose one of {', '.join(ACTIVATIONS)}")
        if not self.eps > 0:
            raise ValueError("LayerNorm ε must be positive")

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: Mapping[str, object]) -> "TransformerConfig":
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"unknown Transformer config keys {sorted(unknown)}")
        return cls(**values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class BlockTrace:
    """Every stage of one block. Unbatched input (N, D) drops the leading B everywhere.

    Post-norm: norm1 = LN₁(residual1), residual2 = norm1 + mlp, output = norm2 = LN₂(residual2).
    Pre-norm:  norm1 = LN₁(input) (what attention reads), norm2 = LN₂(residual1) (what the MLP reads),
               output = residual2 = residual1 + mlp.
    """

    norm_first: bool
    input: torch.Tensor  # (B, N, D) x, the block's input
    attention: MultiHeadTrace  # self-attention, weights (B, H, N, N) when computed on the explicit path
    attention_output: torch.Tensor  # (B, N, D) a = MHSA(x) or MHSA(LN₁(x))
    residual1: torch.Tensor  # (B, N, D) r₁ = x + a
    norm1: torch.Tensor  # (B, N, D) LN₁(r₁) post-norm; LN₁(x) pre-norm
    mlp_hidden: torch.Tensor  # (B, N, F) act(W₁ h + b₁)
    mlp_output: torch.Tensor  # (B, N, D) m = W₂ act(W₁ h + b₁) + b₂
    residual2: torch.Tensor  # (B, N, D) r₂ = h + m post-norm; r₁ + m pre-norm
    norm2: torch.Tensor  # (B, N, D) LN₂(r₂) post-norm; LN₂(r₁) pre-norm

    @property
    def output(self) -> torch.Tensor:
        """(B, N, D) y: LN₂(r₂) post-norm, r₂ pre-norm."""
        return self.residual2 if self.norm_first else self.norm2

    @property
    def stage_names(self) -> tuple[str, ...]:
        return PRE_NORM_STAGES if self.norm_first else POST_NORM_STAGES

    @property
    def stages(self) -> tuple[tuple[str, torch.Tensor], ...]:
        """The seven stages in the order data flows through them, each (name, (B, N, D) tensor)."""
        by_name = {
            "input": self.input,
            "attention": self.attention_output,
            "residual1": self.residual1,
            "norm1": self.norm1,
            "mlp": self.mlp_output,
            "residual2": self.residual2,
            "norm2": self.norm2,
        }
        return tuple((name, by_name[name]) for name in self.stage_names)


@dataclass(frozen=True)
class TransformerTrace:
    """A stack of blocks: block i reads block i−1's output."""

    blocks: tuple[BlockTrace, ...]
    final_norm: torch.Tensor | None  # (B, N, D) LN(last block's output), when the stack has a final norm
    output: torch.Tensor  # (B, N, D)


# ---- parameters ----------------------------------------------------------------------------------------------
def block_param_shapes(config: TransformerConfig) -> dict[str, tuple[int, ...]]:
    """Every parameter of one block and its shape, in nn.TransformerEncoderLayer's layout."""
    d, f = config.dim, config.mlp_dim
    return {
        "self_attn.in_proj_weight": (3 * d, d),
        "self_attn.in_proj_bias": (3 * d,),
        "self_attn.out_proj.weight": (d, d),
        "self_attn.out_proj.bias": (d,),
        "linear1.weight": (f, d),
        "linear1.bias": (f,),
        "linear2.weight": (d, f),
        "linear2.bias": (d,),
        "norm1.weight": (d,),
        "norm1.bias": (d,),
        "norm2.weight": (d,),
        "norm2.bias": (d,),
    } | (
        {f"self_attn.{n}_norm.{p}": (d // config.num_heads,) for n in "qk" for p in ("weight", "bias")} if config.qk_norm else {}
    )


def param_shapes(config: TransformerConfig) -> dict[str, tuple[int, ...]]:
    """Every parameter of the stack: ``layers.{i}.<block key>`` and, with a final norm, ``norm.weight/bias``."""
    shapes = {f"layers.{i}.{key}": shape for i in range(config.num_blocks) for key, shape in block_param_shapes(config).items()}
    if config.final_norm:
        shapes |= {"norm.weight": (config.dim,), "norm.bias": (config.dim,)}
    return shapes


def check_params(params: Mapping[str, torch.Tensor], config: TransformerConfig, *, prefix: str = "") -> None:
    """Assert key by key that ``params`` (with ``prefix`` on every key) hold the stack ``config`` describes."""
    for key, shape in param_shapes(config).items():
        tensor = params.get(prefix + key)
        if tensor is None:
            raise ValueError(f"missing parameter {prefix + key!r}")
        if tuple(tensor.shape) != shape:
            raise ValueError(f"{prefix + key} has shape {tuple(tensor.shape)}, expected {shape}")


def block_params(params: Mapping[str, torch.Tensor], index: int, *, prefix: str = "") -> dict[str, torch.Tensor]:
    """Block ``index``'s parameters with the ``layers.{index}.`` prefix removed."""
    head = f"{prefix}layers.{index}."
    return {key[len(head):]: value for key, value in params.items() if key.startswith(head)}


def init_params(config: TransformerConfig, *, seed: int = 0, device="cpu", dtype=torch.float32) -> dict[str, torch.Tensor]:
    """Seeded parameters like torch's defaults: Xavier-uniform attention projections, Kaiming-uniform linears
    (bound 1/√fan_in, biases likewise), LayerNorm γ = 1, β = 0. The same seed gives the same numbers anywhere."""
    generator = torch.Generator().manual_seed(seed)

    def uniform(shape: tuple[int, ...], bound: float) -> torch.Tensor:
        return (torch.rand(shape, generator=generator) * 2 - 1) * bound

    params: dict[str, torch.Tensor] = {}
    for key, shape in param_shapes(config).items():
        name = key.rsplit(".", 1)[-1]
        if ".norm" in key or key.startswith("norm.") or "_norm." in key:
            value = torch.ones(shape) if name == "weight" else torch.zeros(shape)
        elif key.endswith("in_proj_weight"):
            value = uniform(shape, math.sqrt(6.0 / (shape[0] // 3 + shape[1])))  # Xavier on each of W_Q, W_K, W_V
        elif name.endswith("weight"):
            value = uniform(shape, 1.0 / math.sqrt(shape[1]))
        else:  # biases: small but nonzero so they are visible on the page
            value = uniform(shape, 1.0 / math.sqrt(config.dim))
        params[key] = value.to(device=device, dtype=dtype)
    return params


# ---- forward -------------------------------------------------------------------------------------------------
def _layer_norm(x: torch.Tensor, params: Mapping[str, torch.Tensor], name: str, eps: float) -> torch.Tensor:
    return F.layer_norm(x, x.shape[-1:], params[f"{name}.weight"], params[f"{name}.bias"], eps)


def block_forward(
    x: torch.Tensor,
    params: Mapping[str, torch.Tensor],
    config: TransformerConfig,
    *,
    mask: torch.Tensor | None = None,
    need_weights: bool = True,
) -> BlockTrace:
    """One Transformer block on x (B, N, D) or (N, D); ``params`` in nn.TransformerEncoderLayer's layout.

    mask: bool, broadcastable to (B, H, N, N), True = may attend (see :mod:`core.masks`).
    need_weights=False runs attention on the fused kernel (no weights in the trace).
    """
    attention_params = {key[len("self_attn."):]: value for key, value in params.items() if key.startswith("self_attn.")}
    activation = ACTIVATIONS[config.activation]

    def attend(h: torch.Tensor) -> MultiHeadTrace:
        return multi_head_attention(h, h, h, attention_params, config.num_heads, mask=mask, need_weights=need_weights, norm_eps=config.eps, device=h.device, dtype=h.dtype)

    def mlp(h: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        hidden = activation(F.linear(h, params["linear1.weight"], params.get("linear1.bias")))  # (B, N, F)
        return hidden, F.linear(hidden, params["linear2.weight"], params.get("linear2.bias"))  # (B, N, D)

    if config.norm_first:
        norm1 = _layer_norm(x, params, "norm1", config.eps)
        attention = attend(norm1)
        residual1 = x + attention.output
        norm2 = _layer_norm(residual1, params, "norm2", config.eps)
        hidden, mlp_output = mlp(norm2)
        residual2 = residual1 + mlp_output
    else:
        attention = attend(x)
        residual1 = x + attention.output
        norm1 = _layer_norm(residual1, params, "norm1", config.eps)
        hidden, mlp_output = mlp(norm1)
        residual2 = norm1 + mlp_output
        norm2 = _layer_norm(residual2, params, "norm2", config.eps)
    return BlockTrace(config.norm_first, x, attention, attention.output, residual1, norm1, hidden, mlp_output, residual2, norm2)


def transformer_forward(
    x: torch.Tensor,
    params: Mapping[str, torch.Tensor],
    config: TransformerConfig,
    *,
    mask: torch.Tensor | None = None,
    need_weights: bool = True,
    prefix: str = "",
    blocks: int | None = None,
) -> TransformerTrace:
    """The stack: x (B, N, D) or (N, D) through ``config.num_blocks`` blocks (``{prefix}layers.{i}.*``) and the
    optional final norm (``{prefix}norm.*``). Returns every block's trace.

    ``blocks``: run only the first ``blocks`` blocks (a view that shows block b needs blocks 0…b, not the rest);
    the trace then has that many blocks, and the final norm is applied only after the last block of the stack.
    """
    if x.dim() not in (2, 3) or x.shape[-1] != config.dim:
        raise ValueError(f"the Transformer takes (N, {config.dim}) or (B, N, {config.dim}) token vectors, got {tuple(x.shape)}")
    if x.shape[-2] == 0:
        raise ValueError("the sequence is empty: give at least one token")
    count = config.num_blocks if blocks is None else blocks
    if not 1 <= count <= config.num_blocks:
        raise ValueError(f"blocks must be between 1 and {config.num_blocks}, got {blocks}")
    traces = []
    h = x
    for index in range(count):
        trace = block_forward(h, block_params(params, index, prefix=prefix), config, mask=mask, need_weights=need_weights)
        traces.append(trace)
        h = trace.output
    final = None
    if config.final_norm and count == config.num_blocks:
        final = F.layer_norm(h, h.shape[-1:], params[f"{prefix}norm.weight"], params[f"{prefix}norm.bias"], config.eps)
        h = final
    return TransformerTrace(tuple(traces), final, h)


# ---- a trainable module with the same parameters -------------------------------------------------------------
class _SelfAttentionParams(nn.Module):
    def __init__(self, config: TransformerConfig) -> None:
        super().__init__()
        dim = config.dim
        self.in_proj_weight = nn.Parameter(torch.empty(3 * dim, dim))
        self.in_proj_bias = nn.Parameter(torch.empty(3 * dim))
        self.out_proj = nn.Linear(dim, dim)
        if config.qk_norm:
            self.q_norm = nn.LayerNorm(dim // config.num_heads, eps=config.eps)
            self.k_norm = nn.LayerNorm(dim // config.num_heads, eps=config.eps)


class _BlockParams(nn.Module):
    def __init__(self, config: TransformerConfig) -> None:
        super().__init__()
        self.self_attn = _SelfAttentionParams(config)
        self.linear1 = nn.Linear(config.dim, config.mlp_dim)
        self.linear2 = nn.Linear(config.mlp_dim, config.dim)
        self.norm1 = nn.LayerNorm(config.dim, eps=config.eps)
        self.norm2 = nn.LayerNorm(config.dim, eps=config.eps)


class Transformer(nn.Module):
    """The stack as an ``nn.Module`` for training: its ``state_dict`` has exactly the keys of
    :func:`param_shapes`, and its forward is :func:`transformer_forward` (so training and the page run the
    same code)."""

    def __init__(self, config: TransformerConfig, *, seed: int = 0) -> None:
        super().__init__()
        self.config = config
        self.layers = nn.ModuleList(_BlockParams(config) for _ in range(config.num_blocks))
        if config.final_norm:
            self.norm = nn.LayerNorm(config.dim, eps=config.eps)
        with torch.no_grad():
            for key, value in init_params(config, seed=seed).items():
                self.get_parameter(key).copy_(value)

    def forward(self, x: torch.Tensor, *, mask: torch.Tensor | None = None, need_weights: bool = False) -> TransformerTrace:
        return transformer_forward(x, dict(self.named_parameters()), self.config, mask=mask, need_weights=need_weights)
