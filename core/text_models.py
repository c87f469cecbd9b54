"""Text Transformers from checkpoints: BERT-style encoders and GPT-2-style decoders, recomputed by the core.

A Hugging Face ``save_pretrained`` folder is opened safely (:func:`core.checkpoints.open_checkpoint`), recognised by
sentinel keys (:mod:`core.families`) and turned into one canonical layout by a pure ``to_canonical`` per family:

    embed.tokens (V, D)  embed.positions (P, D)  [embed.segments (S, D)  embed.norm.{weight,bias} (D,)]   BERT only
    layers.{i}.attn.in_proj_weight (3D, D)  .in_proj_bias (3D,)  .out_proj.weight (D, D)  .out_proj.bias (D,)
    layers.{i}.norm1.{weight,bias} (D,)     BERT: after attention + residual;  GPT-2: before attention (ln_1)
    layers.{i}.mlp.fc1.{weight (F, D), bias (F,)}  layers.{i}.mlp.fc2.{weight (D, F), bias (D,)}
    layers.{i}.norm2.{weight,bias} (D,)     BERT: after MLP + residual;        GPT-2: before the MLP (ln_2)
    final_norm.{weight,bias} (D,)                                                                   GPT-2 only

Attention uses ``torch.nn.MultiheadAttention``'s layout, so every layer runs through the core's explicit
multi-head path (:func:`core.multihead.multi_head_attention`), never through hooks: each head's queries, keys and
weights a = softmax(q·k/√D_h) are kept in a :class:`TextTrace`. GPT-2 stores its projections as Conv1D (in, out),
transposed here. The tokenizer is the folder's ``tokenizer.json`` read by the ``tokenizers`` package (or a classic
vocab.txt / vocab.json + merges.txt); without one, token ids can be typed.
"""

from __future__ import annotations

import json
import math
import pathlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F

from core import device as devices
from core import families
from core.checkpoints import Checkpoint, CheckpointError, Progress, open_checkpoint
from core.multihead import multi_head_attention

ACTIVATIONS = {
    "gelu": lambda x: F.gelu(x),
    "gelu_new": lambda x: F.gelu(x, approximate="tanh"),
    "gelu_pytorch_tanh": lambda x: F.gelu(x, approximate="tanh"),
    "gelu_fast": lambda x: 0.5 * x * (1.0 + torch.tanh(x * 0.7978845608 * (1.0 + 0.044715 * x * x))),
    "relu": F.relu,
    "silu": F.silu,
    "swish": F.silu,
}


@dataclass(frozen=True)
class TextConfig:
    """What the canonical weights need beside their shapes. ``family`` fixes the block: "bert" = post-norm encoder
    with segment embeddings, every token sees every token; "gpt2" = pre-norm decoder with a causal mask."""

    family: str
    vocab_size: int  # V
    max_positions: int  # P: the longest sequence the position table covers
    dim: int  # D
    layers: int  # L
    heads: int  # H
    ffn_dim: int  # F, the MLP's hidden size
    layer_norm_eps: float
    activation: str  # a key of ACTIVATIONS
    type_vocab_size: int = 0  # S segments (BERT's sentence A / B); 0 = none
    scale_attention: bool = True  # e = q·k/√D_h (GPT-2's scale_attn_weights=False gives plain q·k)

    def __post_init__(self) -> None:
        if self.family not in ("bert", "gpt2"):
            raise ValueError(f"unknown text family {self.family!r}")
        if self.dim % self.heads:
            raise CheckpointError(f"hidden size {self.dim} is not divisible by {self.heads} heads")
        if self.activation not in ACTIVATIONS:
            raise CheckpointError(f"activation {self.activation!r} is not supported (known: {', '.join(ACTIVATIONS)})")

    @property
    def head_dim(self) -> int:
        return self.dim // self.heads

    @property
    def causal(self) -> bool:
        return self.family == "gpt2"

    def to_json(self) -> str:
        return json.dumps(asdict(self))


# ---- to_canonical, one per family -----------------------------------------------------------------------------
def _setting(config: Mapping[str, object] | None, *names: str, default=KeyError):
    """The first of ``names`` that config.json sets (HF renames fields between families)."""
    for name in names:
        if config is not None and config.get(name) is not None:
            return config[name]
    if default is KeyError:
        if config is None:
            raise CheckpointError("config.json is missing: the head count and sizes of a text model are read from it")
        raise CheckpointError(f"config.json has no {names[0]!r}")
    return default


class _Taker:
    """Takes tensors from a state dict by name, asserting each shape against what config.json implies."""

    def __init__(self, state_dict: Mapping[str, torch.Tensor], prefix: str) -> None:
        self.state_dict, self.prefix = state_dict, prefix
        self.used: set[str] = set()

    def __call__(self, name: str, shape: tuple[int, ...]) -> torch.Tensor:
        key = self.prefix + name
        tensor = self.state_dict.get(key)
        if tensor is None:  # TensorFlow-era names of LayerNorm parameters
            alias = {"weight": "gamma", "bias": "beta"}.get(key.rsplit(".", 1)[-1])
            if alias and "LayerNorm" in key:
                key = key.rsplit(".", 1)[0] + "." + alias
                tensor = self.state_dict.get(key)
        if tensor is None:
            raise CheckpointError(f"the weights have no {self.prefix + name} (config.json implies it)")
        if tuple(tensor.shape) != tuple(shape):
            raise CheckpointError(
                f"config.json and the weights disagree: {key} has shape {tuple(tensor.shape)}, the config implies {tuple(shape)}"
            )
        if not tensor.is_floating_point():
            raise CheckpointError(f"{key} holds {tensor.dtype} values, not floating-point weights")
        self.used.add(key)
        return tensor.detach().to(torch.float32)


def _count_layers(state_dict: Mapping[str, torch.Tensor], pattern: str) -> int:
    indices = {int(m.group(1)) for name in state_dict if (m := re.search(pattern, name))}
    return max(indices) + 1 if indices else 0


def _check_layer_count(state_dict, pattern: str, layers: int) -> None:
    found = _count_layers(state_dict, pattern)
    if found != layers:
        raise CheckpointError(f"config.json says {layers} layers but the weights hold {found}")


def bert_to_canonical(state_dict: Mapping[str, torch.Tensor], config: Mapping[str, object] | None) -> tuple[TextConfig, dict[str, torch.Tensor]]:
    """BERT (``BertModel``, ``BertFor*``: keys with or without the ``bert.`` prefix) → canonical weights."""
    prefix = BERT.prefix(state_dict)
    if prefix is None:
        raise CheckpointError("not a BERT-style state dict (no embeddings.word_embeddings.weight / encoder.layer.0…)")
    position_kind = _setting(config, "position_embedding_type", default="absolute")
    if position_kind != "absolute":
        raise CheckpointError(f"BERT with {position_kind!r} position embeddings is not supported (only absolute)")
    if _setting(config, "is_decoder", default=False):
        raise CheckpointError("BERT configured as a decoder (is_decoder) is not supported")
    cfg = TextConfig(
        family="bert",
        vocab_size=int(_setting(config, "vocab_size")),
        max_positions=int(_setting(config, "max_position_embeddings")),
        dim=int(_setting(config, "hidden_size")),
        layers=int(_setting(config, "num_hidden_layers")),
        heads=int(_setting(config, "num_attention_heads")),
        ffn_dim=int(_setting(config, "intermediate_size")),
        layer_norm_eps=float(_setting(config, "layer_norm_eps", default=1e-12)),
        activation=str(_setting(config, "hidden_act", default="gelu")),
        type_vocab_size=int(_setting(config, "type_vocab_size", default=2)),
    )
    d, f = cfg.dim, cfg.ffn_dim
    _check_layer_count(state_dict, rf"^{re.escape(prefix)}encoder\.layer\.(\d+)\.", cfg.layers)
    take = _Taker(state_dict, prefix)
    out = {
        "embed.tokens": take("embeddings.word_embeddings.weight", (cfg.vocab_size, d)),
        "embed.positions": take("embeddings.position_embeddings.weight", (cfg.max_positions, d)),
        "embed.segments": take("embeddings.token_type_embeddings.weight", (cfg.type_vocab_size, d)),
        "embed.norm.weight": take("embeddings.LayerNorm.weight", (d,)),
        "embed.norm.bias": take("embeddings.LayerNorm.bias", (d,)),
    }
    for i in range(cfg.layers):
        src, dst = f"encoder.layer.{i}.", f"layers.{i}."
        out[dst + "attn.in_proj_weight"] = torch.cat([take(src + f"attention.self.{n}.weight", (d, d)) for n in ("query", "key", "value")])
        out[dst + "attn.in_proj_bias"] = torch.cat([take(src + f"attention.self.{n}.bias", (d,)) for n in ("query", "key", "value")])
        out[dst + "attn.out_proj.weight"] = take(src + "attention.output.dense.weight", (d, d))
        out[dst + "attn.out_proj.bias"] = take(src + "attention.output.dense.bias", (d,))
        out[dst + "norm1.weight"] = take(src + "attention.output.LayerNorm.weight", (d,))
        out[dst + "norm1.bias"] = take(src + "attention.output.LayerNorm.bias", (d,))
        out[dst + "mlp.fc1.weight"] = take(src + "intermediate.dense.weight", (f, d))
        out[dst + "mlp.fc1.bias"] = take(src + "intermediate.dense.bias", (f,))
        out[dst + "mlp.fc2.weight"] = take(src + "output.dense.weight", (d, f))
        out[dst + "mlp.fc2.bias"] = take(src + "output.dense.bias", (d,))
        out[dst + "norm2.weight"] = take(src + "output.LayerNorm.weight", (d,))
        out[dst + "norm2.bias"] = take(src + "output.LayerNorm.bias", (d,))
    return cfg, out


def gpt2_to_canonical(state_dict: Mapping[str, torch.Tensor], config: Mapping[str, object] | None) -> tuple[TextConfig, dict[str, torch.Tensor]]:
    """GPT-2 (``GPT2Model``, ``GPT2LMHeadModel``: keys with or without ``transformer.``) → canonical weights.

    GPT-2's Conv1D stores weights as (in, out): they are transposed to nn.Linear's (out, in), and the fused
    c_attn (D, 3D) becomes in_proj_weight (3D, D) with the query, key, value rows in that order.
    """
    prefix = GPT2.prefix(state_dict)
    if prefix is None:
        raise CheckpointError("not a GPT-2-style state dict (no wte.weight / h.0.attn.c_attn.weight)")
    if _setting(config, "scale_attn_by_inverse_layer_idx", default=False):
        raise CheckpointError("GPT-2 with scale_attn_by_inverse_layer_idx is not supported")
    dim = int(_setting(config, "n_embd", "hidden_size"))
    cfg = TextConfig(
        family="gpt2",
        vocab_size=int(_setting(config, "vocab_size")),
        max_positions=int(_setting(config, "n_positions", "max_position_embeddings")),
        dim=dim,
        layers=int(_setting(config, "n_layer", "num_hidden_layers")),
        heads=int(_setting(config, "n_head", "num_attention_heads")),
        ffn_dim=int(_setting(config, "n_inner", default=4 * dim) or 4 * dim),
        layer_norm_eps=float(_setting(config, "layer_norm_epsilon", default=1e-5)),
        activation=str(_setting(config, "activation_function", default="gelu_new")),
        scale_attention=bool(_setting(config, "scale_attn_weights", default=True)),
    )
    d, f = cfg.dim, cfg.ffn_dim
    _check_layer_count(state_dict, rf"^{re.escape(prefix)}h\.(\d+)\.", cfg.layers)
    take = _Taker(state_dict, prefix)
    out = {
        "embed.tokens": take("wte.weight", (cfg.vocab_size, d)),
        "embed.positions": take("wpe.weight", (cfg.max_positions, d)),
    }
    for i in range(cfg.layers):
        src, dst = f"h.{i}.", f"layers.{i}."
        out[dst + "norm1.weight"] = take(src + "ln_1.weight", (d,))
        out[dst + "norm1.bias"] = take(src + "ln_1.bias", (d,))
        out[dst + "attn.in_proj_weight"] = take(src + "attn.c_attn.weight", (d, 3 * d)).t().contiguous()  # (3D, D)
        out[dst + "attn.in_proj_bias"] = take(src + "attn.c_attn.bias", (3 * d,))
        out[dst + "attn.out_proj.weight"] = take(src + "attn.c_proj.weight", (d, d)).t().contiguous()
        out[dst + "attn.out_proj.bias"] = take(src + "attn.c_proj.bias", (d,))
        out[dst + "norm2.weight"] = take(src + "ln_2.weight", (d,))
        out[dst + "norm2.bias"] = take(src + "ln_2.bias", (d,))
        out[dst + "mlp.fc1.weight"] = take(src + "mlp.c_fc.weight", (d, f)).t().contiguous()  # (F, D)
        out[dst + "mlp.fc1.bias"] = take(src + "mlp.c_fc.bias", (f,))
        out[dst + "mlp.fc2.weight"] = take(src + "mlp.c_proj.weight", (f, d)).t().contiguous()  # (D, F)
        out[dst + "mlp.fc2.bias"] = take(src + "mlp.c_proj.bias", (d,))
    out["final_norm.weight"] = take("ln_f.weight", (d,))
    out["final_norm.bias"] = take("ln_f.bias", (d,))
    return cfg, out


BERT = families.register(
    families.Family(
        "bert", "text", "BERT-style encoder", ("bert",), ("embeddings.word_embeddings.weight", "encoder.layer.0.attention.self.query.weight"), bert_to_canonical
    )
)
GPT2 = families.register(families.Family("gpt2", "text", "GPT-2-style decoder", ("gpt2",), ("wte.weight", "h.0.attn.c_attn.weight"), gpt2_to_canonical))


def to_canonical(state_dict: Mapping[str, torch.Tensor], config: Mapping[str, object] | None) -> tuple[TextConfig, dict[str, torch.Tensor]]:
    """Recognise the family (sentinel keys, config.json's model_type) and convert."""
    family = families.recognise(state_dict, config, kind="text")
    return family.to_canonical(state_dict, config)


# ---- tokenizers ----------------------------------------------------------------------------------------------
def load_tokenizer(folder: pathlib.Path):
    """The folder's tokenizer (``tokenizers.Tokenizer``), or None when it has none. Nothing is downloaded."""
    from tokenizers import Tokenizer

    folder = pathlib.Path(folder)
    if not folder.is_dir():
        return None
    try:
        if (folder / "tokenizer.json").exists():
            return Tokenizer.from_file(str(folder / "tokenizer.json"))
        if (folder / "vocab.txt").exists():  # classic BERT: WordPiece vocabulary
            from tokenizers import BertWordPieceTokenizer

            lowercase = True
            settings = folder / "tokenizer_config.json"
            if settings.exists():
                lowercase = bool(json.loads(settings.read_text()).get("do_lower_case", True))
            return BertWordPieceTokenizer(str(folder / "vocab.txt"), lowercase=lowercase)._tokenizer
        if (folder / "vocab.json").exists() and (folder / "merges.txt").exists():  # classic GPT-2: byte-level BPE
            from tokenizers import ByteLevelBPETokenizer

            return ByteLevelBPETokenizer(str(folder / "vocab.json"), str(folder / "merges.txt"))._tokenizer
    except Exception as exc:  # the tokenizers package raises its own exception types
        raise CheckpointError(f"the tokenizer in {folder.name} could not be read: {exc}") from None
    return None


BYTE_LEVEL_DISPLAY = str.maketrans({"Ġ": "␣", "Ċ": "↵", "ĉ": "⇥"})


def display_token(piece: str) -> str:
    """A token as the views label it: byte-level BPE's Ġ (a leading space) becomes ␣."""
    return piece.translate(BYTE_LEVEL_DISPLAY) if piece else "∅"


# ---- the loaded model ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TextModel:
    name: str  # the folder's name, or what the caller called it
    config: TextConfig
    weights: Mapping[str, torch.Tensor]  # canonical names (module docstring), float32
    tokenizer: object | None = None  # tokenizers.Tokenizer, or None (type token ids instead)
    path: pathlib.Path | None = None
    notes: tuple[str, ...] = ()

    @property
    def family(self) -> str:
        return self.config.family

    @property
    def parameter_count(self) -> int:
        return sum(t.numel() for t in self.weights.values())

    @property
    def token_embeddings(self) -> torch.Tensor:
        """(V, D) the embedding table: row t is the vector the model looks up for token id t."""
        return self.weights["embed.tokens"]

    def token_text(self, token_id: int) -> str:
        piece = self.tokenizer.id_to_token(int(token_id)) if self.tokenizer is not None else None
        return display_token(piece) if piece is not None else f"#{token_id}"


def load_text_model(path: str | pathlib.Path, progress: Progress | None = None, *, name: str | None = None) -> TextModel:
    """Open a save_pretrained folder (or a weights file beside its config.json) as a :class:`TextModel`."""
    return from_checkpoint(open_checkpoint(pathlib.Path(path).expanduser(), progress), name=name)


def from_checkpoint(checkpoint: Checkpoint, *, name: str | None = None) -> TextModel:
    """A :class:`TextModel` from an opened checkpoint: canonical weights and the tokenizer beside them."""
    path = checkpoint.path
    config = checkpoint.config
    folder = path if path.is_dir() else path.parent
    if config is None and (folder / "config.json").exists():
        try:
            config = json.loads((folder / "config.json").read_text())
        except json.JSONDecodeError as exc:
            raise CheckpointError(f"config.json in {folder.name} is not valid JSON: {exc}") from None
    cfg, weights = to_canonical(checkpoint.tensors, config)
    tokenizer = load_tokenizer(folder)
    notes = list(checkpoint.notes)
    if tokenizer is None:
        notes.append("no tokenizer.json: type token ids instead of text")
    elif tokenizer.get_vocab_size() > cfg.vocab_size:
        raise CheckpointError(f"the tokenizer knows {tokenizer.get_vocab_size()} tokens but the model only {cfg.vocab_size}")
    return TextModel(name or (path.name if path.is_dir() else path.stem), cfg, weights, tokenizer, path, tuple(notes))


def embedding_source(model: TextModel):
    """An embedding source for :mod:`core.tokens`: the model's own vector for each typed token (word or character).

    A token is looked up as itself, lowercased, and with byte-level BPE's leading-space mark; failing that, the
    tokenizer splits it and the vectors of its pieces are averaged. Each vector is then standardised (zero mean,
    unit variance over its D entries, as a LayerNorm without its scale and shift): trained embedding tables are
    small (BERT's entries are ~0.05), and the pages' projections expect unit-size entries, as a Transformer's first
    LayerNorm provides. Position embeddings are not added (the pages choose their own positional encoding).
    Without a tokenizer, tokens must be token ids.
    """
    table = model.token_embeddings  # (V, D)
    tokenizer = model.tokenizer
    cache: dict[str, torch.Tensor] = {}

    def vector(token: str) -> torch.Tensor:
        if token in cache:
            return cache[token]
        text = " " if token == "␣" else token
        ids: list[int] = []
        if tokenizer is None:
            if not text.isdigit() or int(text) >= model.config.vocab_size:
                raise ValueError(f"{model.name} has no tokenizer: type token ids (0–{model.config.vocab_size - 1}) as tokens")
            ids = [int(text)]
        else:
            for candidate in (text, text.lower(), "Ġ" + text, "Ġ" + text.lower()):
                found = tokenizer.token_to_id(candidate)
                if found is not None and found < model.config.vocab_size:
                    ids = [found]
                    break
            if not ids:
                ids = [i for i in tokenizer.encode(text, add_special_tokens=False).ids if i < model.config.vocab_size]
            if not ids:
                raise ValueError(f"{model.name}'s tokenizer gives no token for {token!r}")
        vector = table[ids].mean(0)
        cache[token] = (vector - vector.mean()) / vector.std(correction=0).clamp_min(1e-6)
        return cache[token]

    def lookup(tokens: Sequence[str], dim: int, seed: int) -> torch.Tensor:
        if dim != model.config.dim:
            raise ValueError(f"the embeddings of {model.name} have D = {model.config.dim}, not {dim}")
        if not tokens:
            return torch.zeros(0, dim)
        return torch.stack([vector(t) for t in tokens])

    return lookup


# ---- text → token ids ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Encoded:
    ids: tuple[int, ...]
    type_ids: tuple[int, ...]  # segment of each token: 0 = sentence A, 1 = sentence B
    tokens: tuple[str, ...]  # display labels
    notice: str = ""  # e.g. what truncation dropped


def parse_ids(text: str, vocab_size: int) -> tuple[list[int], list[int]]:
    """Typed token ids: "101 7592 102", commas allowed; a "|" starts the second segment (BERT sentence B)."""
    ids: list[int] = []
    type_ids: list[int] = []
    segment = 0
    for part in re.split(r"[\s,]+|(\|)", text.strip()):
        if not part:
            continue
        if part == "|":
            segment = 1
            continue
        if not re.fullmatch(r"\d+", part):
            raise ValueError(f"{part!r} is not a token id: type whole numbers between 0 and {vocab_size - 1}")
        value = int(part)
        if value >= vocab_size:
            raise ValueError(f"token id {value} is outside the vocabulary (0–{vocab_size - 1})")
        ids.append(value)
        type_ids.append(segment)
    if not ids:
        raise ValueError("type at least one token id")
    return ids, type_ids


def encode(model: TextModel, text: str, pair: str = "", *, ids_text: str | None = None) -> Encoded:
    """Token ids for ``text`` (and BERT's second sentence ``pair``), or parsed from ``ids_text``.

    Sequences longer than the model's positions are cut to fit; ``notice`` says so.
    """
    config = model.config
    if ids_text is not None:
        ids, type_ids = parse_ids(ids_text, config.vocab_size)
        if config.type_vocab_size == 0 or max(type_ids) >= max(config.type_vocab_size, 1):
            type_ids = [0] * len(ids)
    else:
        if model.tokenizer is None:
            raise ValueError("this model has no tokenizer: type token ids")
        pair = pair.strip() if config.family == "bert" else ""
        encoding = model.tokenizer.encode(text, pair) if pair else model.tokenizer.encode(text)
        ids, type_ids = list(encoding.ids), list(encoding.type_ids)
        if config.type_vocab_size == 0:
            type_ids = [0] * len(ids)
        if not ids:
            raise ValueError("the text gives no tokens: type something")
    notice = ""
    if len(ids) > config.max_positions:
        notice = f"{len(ids)} tokens is more than the model's {config.max_positions} positions: kept the first {config.max_positions}"
        ids, type_ids = ids[: config.max_positions], type_ids[: config.max_positions]
    return Encoded(tuple(ids), tuple(type_ids), tuple(model.token_text(i) for i in ids), notice)


# ---- the forward pass ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TextTrace:
    """One sequence through the model, every layer's attention kept (explicit path)."""

    config: TextConfig
    input_ids: torch.Tensor  # (T,) long
    token_type_ids: torch.Tensor  # (T,) long
    hidden_states: torch.Tensor  # (L+1, T, D) embeddings, then each layer's output (GPT-2: the last after ln_f, as HF)
    q: torch.Tensor  # (L, H, T, D_h) per-head queries
    k: torch.Tensor  # (L, H, T, D_h) per-head keys
    weights: torch.Tensor  # (L, H, T, T) a = softmax(e), e = q·k/√D_h (masked to −∞ above the diagonal for GPT-2)
    mask: torch.Tensor | None  # (T, T) bool, True = may attend; None = every token sees every token

    @property
    def length(self) -> int:
        return int(self.input_ids.shape[0])


def _layer_norm(x: torch.Tensor, weights: Mapping[str, torch.Tensor], name: str, eps: float) -> torch.Tensor:
    return F.layer_norm(x, x.shape[-1:], weights[name + ".weight"], weights[name + ".bias"], eps)


def run(
    model: TextModel,
    input_ids: Sequence[int] | torch.Tensor,
    token_type_ids: Sequence[int] | torch.Tensor | None = None,
    *,
    device: str | torch.device | None = "cpu",
    dtype: torch.dtype | str | None = None,
) -> TextTrace:
    """The model's forward pass for one sequence, recomputed from the canonical weights.

    BERT (post-norm):  x = LN(tok + pos + seg);  per layer  x = LN₁(x + MHA(x));  x = LN₂(x + MLP(x))
    GPT-2 (pre-norm):  x = tok + pos;            per layer  x = x + MHA(LN₁(x)) (causal);  x = x + MLP(LN₂(x));  ln_f
    """
    config = model.config
    device = devices.resolve(device)
    dtype = devices.resolve_dtype(dtype)
    ids = torch.as_tensor(input_ids, dtype=torch.long, device=device).reshape(-1)
    n = ids.numel()
    if n == 0:
        raise ValueError("the sequence is empty")
    if n > config.max_positions:
        raise ValueError(f"{n} tokens is more than the model's {config.max_positions} positions")
    if int(ids.min()) < 0 or int(ids.max()) >= config.vocab_size:
        raise ValueError(f"token ids must lie in 0–{config.vocab_size - 1}")
    segments = torch.zeros_like(ids) if token_type_ids is None else torch.as_tensor(token_type_ids, dtype=torch.long, device=device).reshape(-1)
    if segments.numel() != n:
        raise ValueError(f"{segments.numel()} segment ids for {n} tokens")
    w = {name: t.to(device=device, dtype=dtype) for name, t in model.weights.items()}
    eps, act = config.layer_norm_eps, ACTIVATIONS[config.activation]
    similarity = "scaled_dot" if config.scale_attention else "dot"
    mask = torch.ones(n, n, dtype=torch.bool, device=device).tril() if config.causal else None

    with torch.no_grad():
        x = w["embed.tokens"][ids] + w["embed.positions"][:n]  # (T, D)
        if config.family == "bert":
            if config.type_vocab_size and int(segments.max()) >= config.type_vocab_size:
                raise ValueError(f"segment ids must lie in 0–{config.type_vocab_size - 1}")
            if config.type_vocab_size:
                x = x + w["embed.segments"][segments]
            x = _layer_norm(x, w, "embed.norm", eps)
        hidden, qs, ks, weights = [x], [], [], []
        for i in range(config.layers):
            p = f"layers.{i}."
            attn_params = {name: w[p + "attn." + name] for name in ("in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias")}
            attn_in = x if config.family == "bert" else _layer_norm(x, w, p + "norm1", eps)
            trace = multi_head_attention(attn_in, attn_in, attn_in, attn_params, config.heads, mask=mask, similarity=similarity, device=device, dtype=dtype)
            qs.append(trace.q)  # (H, T, D_h)
            ks.append(trace.k)
            weights.append(trace.weights)  # (H, T, T)
            if config.family == "bert":
                x = _layer_norm(x + trace.output, w, p + "norm1", eps)
                mlp = F.linear(act(F.linear(x, w[p + "mlp.fc1.weight"], w[p + "mlp.fc1.bias"])), w[p + "mlp.fc2.weight"], w[p + "mlp.fc2.bias"])
                x = _layer_norm(x + mlp, w, p + "norm2", eps)
            else:
                x = x + trace.output
                h = _layer_norm(x, w, p + "norm2", eps)
                x = x + F.linear(act(F.linear(h, w[p + "mlp.fc1.weight"], w[p + "mlp.fc1.bias"])), w[p + "mlp.fc2.weight"], w[p + "mlp.fc2.bias"])
            hidden.append(x)
        if config.family == "gpt2":
            hidden[-1] = _layer_norm(x, w, "final_norm", eps)
    return TextTrace(config, ids, segments, torch.stack(hidden), torch.stack(qs), torch.stack(ks), torch.stack(weights), mask)


@dataclass(frozen=True)
class QueryKeyTrace:
    """How one query token scores one key token in every head of a layer: e_h = (q_h · k_h) / √D_h."""

    layer: int
    query: int  # token index i
    key: int  # token index j
    q: torch.Tensor  # (H, D_h) q_h of token i
    k: torch.Tensor  # (H, D_h) k_h of token j
    product: torch.Tensor  # (H, D_h) q_h ⊙ k_h: the score is its sum, scaled
    scores: torch.Tensor  # (H,) e_h = Σ_d (q_h ⊙ k_h)_d / √D_h
    weights: torch.Tensor  # (H,) a_h[i, j] after the softmax over all keys (0 where masked)
    masked: bool  # the pair is masked (GPT-2: key after query): its score never reaches the softmax


def query_key(trace: TextTrace, layer: int, query: int, key: int) -> QueryKeyTrace:
    if not (0 <= layer < trace.config.layers and 0 <= query < trace.length and 0 <= key < trace.length):
        raise ValueError(f"layer {layer}, query {query}, key {key} is outside the trace")
    q, k = trace.q[layer, :, query], trace.k[layer, :, key]  # (H, D_h)
    product = q * k
    scale = math.sqrt(trace.config.head_dim) if trace.config.scale_attention else 1.0
    scores = product.sum(-1) / scale  # (H,)
    masked = trace.mask is not None and not bool(trace.mask[query, key])
    return QueryKeyTrace(layer, query, key, q, k, product, scores, trace.weights[layer, :, query, key], masked)
