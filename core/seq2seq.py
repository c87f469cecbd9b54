"""Sequence-to-sequence with RNNs (notes §1): the bottleneck, and the attention that removes it.

An encoder GRU reads the input x_1 … x_N into states h_i (forward ‖ backward when bidirectional). A decoder GRU
writes the output one token at a time from its state s_t. Two decoders share every piece but the context c_t:

    none       c_t = c = [→h_N ; ←h_1] at every step: the whole input squeezed into one vector (the bottleneck)
    bahdanau   e_t,i = f_att(s_{t-1}, h_i)        alignment scores (Bahdanau's MLP vᵀ tanh(W_q s + W_k h),
               a_t   = softmax(e_t)               or Luong's dot / general, from the similarity registry)
               c_t   = Σ_i a_t,i h_i              a fresh context for every output step

    s_0 = tanh(W_init c),   s_t = GRU([emb(y_{t-1}) ; c_t], s_{t-1}),   p(y_t) = softmax(W_out [s_t ; c_t ; emb(y_{t-1})])

Everything a view shows comes from frozen traces: :class:`EncoderTrace` (h_i), :class:`DecodeStep` (s_{t-1}, e_t,
a_t, c_t, s_t, logits, the chosen token), :class:`Decoding` (greedy steps, optionally with forced attention) and
:class:`BeamTrace` (the beam tree). Toy tasks (reverse, copy, sort, date normalisation) come with generators and
character vocabularies; :func:`train` fits a model with progress callbacks; checkpoints are safetensors files with
the config in their header, written atomically.
"""

from __future__ import annotations

import calendar
import functools
import json
import math
import os
import random
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from core import device as devices
from core import resources
from core import similarity as similarities
from core.attention import masked_softmax

FORMAT = "attention-explorer/seq2seq"
FORMAT_VERSION = "1"

PAD, SOS, EOS = 0, 1, 2
SPECIALS = ("<pad>", "<s>", "</s>")
DECODERS = ("bahdanau", "none")
SCORINGS = ("additive", "dot", "general")  # Bahdanau's MLP; Luong's dot and general (names in the registry)
SPACE = "␣"  # how a space is drawn in token labels


class InputError(ValueError):
    """Input a model cannot read. ``positions`` are the 0-based indices of the characters at fault."""

    def __init__(self, message: str, positions: Sequence[int] = ()) -> None:
        super().__init__(message)
        self.positions = tuple(positions)


class CheckpointError(ValueError):
    """A file that is not a usable seq2seq checkpoint (another format, another task, wrong shapes)."""


# ---- tasks ------------------------------------------------------------------------------------------------------
LETTERS = "abcdefghijklmnopqrstuvwxyz"
MONTHS = tuple(calendar.month_name[m] for m in range(1, 13))
MONTH_ABBREVIATIONS = tuple(calendar.month_abbr[m] for m in range(1, 13))


def _random_date(rng: random.Random) -> tuple[int, int, int]:
    year, month = rng.randint(1900, 2099), rng.randint(1, 12)
    return year, month, rng.randint(1, calendar.monthrange(year, month)[1])


def _format_date(rng: random.Random, year: int, month: int, day: int) -> str:
    style = rng.randrange(3)
    if style == 0:
        return f"{day} {MONTH_ABBREVIATIONS[month - 1]} {year}"  # 29 Nov 2026
    if style == 1:
        padded = rng.random() < 0.5
        return f"{month:02d}/{day:02d}/{year}" if padded else f"{month}/{day}/{year}"  # 11/29/2026, 1/5/2026
    return f"{MONTHS[month - 1]} {day}, {year}"  # November 29, 2026


def _normalise_date(text: str) -> str:
    """The target of the date task: any of the three input formats → ISO 8601 "YYYY-MM-DD"."""
    text = text.strip()
    if "/" in text:
        month, day, year = (int(p) for p in text.split("/"))
    elif "," in text:
        month_day, year_text = text.split(",")
        month_name, day_text = month_day.split()
        month, day, year = MONTHS.index(month_name) + 1, int(day_text), int(year_text)
    else:
        day_text, month_name, year_text = text.split()
        month, day, year = MONTH_ABBREVIATIONS.index(month_name) + 1, int(day_text), int(year_text)
    return f"{year:04d}-{month:02d}-{day:02d}"


@dataclass(frozen=True)
class Task:
    """A toy translation task: a generator of inputs and the rule that gives their target outputs."""

    name: str
    label: str
    description: str
    alphabet: str  # every character the inputs may contain
    min_len: int  # shortest input the generator makes
    max_len: int  # longest input the generator makes
    example: str  # a first input for the page
    target: Callable[[str], str]
    generate: Callable[[random.Random, int | None], str]  # (rng, length or None) → an input

    @property
    def vocabulary(self) -> tuple[str, ...]:
        """One character vocabulary for inputs and outputs: the specials, then every character, sorted."""
        return _vocabulary(self)

    def sample(self, rng: random.Random, length: int | None = None) -> tuple[str, str]:
        source = self.generate(rng, length)
        return source, self.target(source)

    def lengths(self) -> range:
        return range(self.min_len, self.max_len + 1)


@functools.cache
def _vocabulary(task: Task) -> tuple[str, ...]:
    """:attr:`Task.vocabulary`, worked out once per task (200 sampled outputs: tens of ms, asked on every Train)."""
    chars = set(task.alphabet)
    rng = random.Random(0)
    for _ in range(200):  # the outputs' characters (digits and "-" for dates)
        chars.update(task.target(task.generate(rng, None)))
    return SPECIALS + tuple(sorted(chars))


def _letters(min_len: int, max_len: int) -> Callable[[random.Random, int | None], str]:
    def generate(rng: random.Random, length: int | None) -> str:
        n = rng.randint(min_len, max_len) if length is None else length
        return "".join(rng.choice(LETTERS) for _ in range(n))

    return generate


def _dates(rng: random.Random, length: int | None) -> str:
    for _ in range(10_000):  # rejection sampling when a length is asked for (the bottleneck plot)
        text = _format_date(rng, *_random_date(rng))
        if length is None or len(text) == length:
            return text
    raise ValueError(f"no date format has {length} characters")


_DATE_CHARS = "".join(sorted(set("".join(MONTHS + MONTH_ABBREVIATIONS)) | set("0123456789 /,")))
TASKS: dict[str, Task] = {
    t.name: t
    for t in (
        Task("reverse", "Reverse", "abc → cba", LETTERS, 1, 40, "attention", lambda s: s[::-1], _letters(1, 40)),
        Task("copy", "Copy", "abc → abc", LETTERS, 1, 40, "bottleneck", lambda s: s, _letters(1, 40)),
        Task("sort", "Sort", "cab → abc", LETTERS, 1, 40, "sequence", lambda s: "".join(sorted(s)), _letters(1, 40)),
        Task("date", "Date normalisation", "29 Nov 2026, 11/29/2026, November 29, 2026 → 2026-11-29", _DATE_CHARS, 8, 18, "29 Nov 2026", _normalise_date, _dates),
    )
}


def get_task(name: str) -> Task:
    try:
        return TASKS[name]
    except KeyError:
        raise ValueError(f"unknown task {name!r}; choose one of {', '.join(TASKS)}") from None


def shown(symbol: str) -> str:
    """A character as a token label (spaces become ␣)."""
    return SPACE if symbol == " " else symbol


def describe_alphabet(alphabet: str) -> str:
    """"a–z", "0–9, a–z, ␣ / ," … a short readable list of what may be typed."""
    groups = []
    for run in (LETTERS, LETTERS.upper(), "0123456789"):
        present = [c for c in run if c in alphabet]
        if len(present) == len(run):
            groups.append(f"{run[0]}–{run[-1]}")
        elif present:
            groups.append("".join(present))
    rest = [shown(c) for c in alphabet if not c.isalnum()]
    return ", ".join(groups + rest)


# ---- model ------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Seq2SeqConfig:
    """Everything needed to rebuild a model; stored in every checkpoint's header."""

    task: str = "reverse"
    decoder: str = "bahdanau"  # "bahdanau" (attention) or "none" (fixed context: the bottleneck)
    scoring: str = "additive"  # f_att from the similarity registry: "additive", "dot" or "general"
    vocab: tuple[str, ...] = ()  # the symbols, specials first; filled from the task when empty
    embed_dim: int = 16
    hidden: int = 32  # encoder GRU size per direction
    bidirectional: bool = True
    attention_dim: int = 32  # hidden size of the additive alignment MLP
    max_input_len: int = 0  # the longest input the model reads (0: the task's longest); longer inputs are refused
    max_output_len: int = 0  # decoding stops here if no </s> came (0: the task's longest output + 1)
    seed: int = 0

    def __post_init__(self) -> None:
        get_task(self.task)
        if self.decoder not in DECODERS:
            raise ValueError(f"unknown decoder {self.decoder!r}; choose one of {', '.join(DECODERS)}")
        if self.scoring not in SCORINGS:
            raise ValueError(f"unknown scoring {self.scoring!r}; choose one of {', '.join(SCORINGS)}")
        task = get_task(self.task)
        if not self.vocab:
            object.__setattr__(self, "vocab", task.vocabulary)
        if not self.max_input_len:
            object.__setattr__(self, "max_input_len", task.max_len)
        if not self.max_output_len:
            longest = 10 if task.name == "date" else self.max_input_len  # YYYY-MM-DD, or one output per input
            object.__setattr__(self, "max_output_len", longest + 1)
        object.__setattr__(self, "vocab", tuple(self.vocab))
        if tuple(self.vocab[: len(SPECIALS)]) != SPECIALS:
            raise ValueError("the vocabulary must start with <pad>, <s>, </s>")
        for name in ("embed_dim", "hidden", "attention_dim", "max_input_len", "max_output_len"):
            if int(getattr(self, name)) < 1:
                raise ValueError(f"{name} must be ≥ 1")

    @property
    def state_dim(self) -> int:
        """Size of the encoder states h_i, of the context c_t and of the decoder state s_t."""
        return self.hidden * (2 if self.bidirectional else 1)

    @property
    def attention(self) -> bool:
        return self.decoder != "none"

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: Mapping) -> Seq2SeqConfig:
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise CheckpointError(f"the config has fields this app does not know: {', '.join(sorted(unknown))}")
        values = dict(data)
        if "vocab" in values:
            values["vocab"] = tuple(values["vocab"])
        return cls(**values)

    def describe(self) -> str:
        if not self.attention:
            return f"no attention (fixed c), GRU {self.hidden}{'×2' if self.bidirectional else ''}"
        return f"attention ({similarities.get(self.scoring).label}), GRU {self.hidden}{'×2' if self.bidirectional else ''}"


class Vocabulary:
    """Characters ↔ ids."""

    def __init__(self, symbols: Sequence[str]) -> None:
        self.symbols = tuple(symbols)
        self.index = {s: i for i, s in enumerate(self.symbols)}

    def __len__(self) -> int:
        return len(self.symbols)

    @property
    def characters(self) -> str:
        return "".join(self.symbols[len(SPECIALS) :])

    def unknown_positions(self, text: str) -> list[int]:
        return [i for i, ch in enumerate(text) if ch not in self.index or self.index[ch] < len(SPECIALS)]

    def encode(self, text: str) -> list[int]:
        return [self.index[ch] for ch in text]

    def decode(self, ids: Sequence[int]) -> str:
        """Text of ids up to the first </s> (specials dropped)."""
        out = []
        for i in ids:
            if int(i) == EOS:
                break
            if int(i) >= len(SPECIALS):
                out.append(self.symbols[int(i)])
        return "".join(out)

    def label(self, token: int) -> str:
        return shown(self.symbols[int(token)])


class Encoder(nn.Module):
    """Embedding → GRU (bidirectional optional). States h_i = [→h_i ; ←h_i]."""

    def __init__(self, config: Seq2SeqConfig) -> None:
        super().__init__()
        self.embedding = nn.Embedding(len(config.vocab), config.embed_dim, padding_idx=PAD)
        self.rnn = nn.GRU(config.embed_dim, config.hidden, batch_first=True, bidirectional=config.bidirectional)

    def forward(self, ids: torch.Tensor, lengths: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """ids (B, N), lengths (B,) → embedded (B, N, E), states h (B, N, D_h), final (B, D_h)."""
        embedded = self.embedding(ids)  # (B, N, E)
        packed = pack_padded_sequence(embedded, lengths.cpu(), batch_first=True, enforce_sorted=False)
        out, h_n = self.rnn(packed)  # h_n: (directions, B, H), each direction's state after reading the whole input
        states, _ = pad_packed_sequence(out, batch_first=True, total_length=ids.shape[1])  # (B, N, D_h)
        final = torch.cat(tuple(h_n), dim=-1)  # (B, D_h): →h_N ‖ ←h_1
        return embedded, states, final


@dataclass(frozen=True)
class _StepTensors:
    scores: torch.Tensor | None  # (B, N) e_t,i; None without attention
    weights: torch.Tensor | None  # (B, N) a_t
    context: torch.Tensor  # (B, D_h) c_t
    state: torch.Tensor  # (B, D_s) s_t
    logits: torch.Tensor  # (B, V)


class Decoder(nn.Module):
    def __init__(self, config: Seq2SeqConfig) -> None:
        super().__init__()
        d, e, v = config.state_dim, config.embed_dim, len(config.vocab)
        self.scoring = config.scoring
        self.embedding = nn.Embedding(v, e, padding_idx=PAD)
        self.init = nn.Linear(d, d)  # s_0 = tanh(W_init c)
        self.cell = nn.GRUCell(e + d, d)  # s_t = GRU([emb(y_{t-1}); c_t], s_{t-1})
        self.out = nn.Linear(d + d + e, v)  # logits = W_out [s_t; c_t; emb(y_{t-1})]
        self.attention: nn.ParameterDict | None = None
        if config.attention:
            params = similarities.init_params(config.scoring, d, d, hidden=config.attention_dim, seed=config.seed)
            self.attention = nn.ParameterDict({name: nn.Parameter(t) for name, t in params.items()})

    def prepared_params(self, states: torch.Tensor) -> dict[str, object] | None:
        """The alignment parameters with the key-side work on the states h_i done once for all output steps."""
        if self.attention is None:
            return None
        return similarities.prepare_keys(self.scoring, states, dict(self.attention.items()))

    def initial_state(self, final: torch.Tensor) -> torch.Tensor:
        return torch.tanh(self.init(final))  # (B, D_s)

    def attend(
        self,
        prev_state: torch.Tensor,
        states: torch.Tensor,
        mask: torch.Tensor | None,
        final: torch.Tensor,
        forced: torch.Tensor | None = None,
        params: Mapping[str, object] | None = None,
    ) -> tuple[torch.Tensor | None, torch.Tensor | None, torch.Tensor]:
        """Scores e_t (B, N), weights a_t (B, N) and context c_t (B, D) for s_{t-1} (B, D) over the states h (B, N, D).

        mask (B, N) is True where there is an input (None: no padding); ``forced`` (B, N) replaces a_t; ``params``
        come from :meth:`prepared_params` (computed here when not given). Without attention: (None, None, final).
        """
        if self.attention is None:
            return None, None, final  # the same c at every step
        params = self.prepared_params(states) if params is None else params
        scores = similarities.get(self.scoring).score(prev_state.unsqueeze(1), states, params).squeeze(1)  # (B, N)
        _, weights, _ = masked_softmax(scores, mask)  # (B, N), exactly 0 on padding
        if forced is not None:
            weights = forced.to(states.dtype)
        context = (weights.unsqueeze(1) @ states).squeeze(1)  # (B, D): c_t = Σ_i a_t,i h_i
        return scores, weights, context

    def update(self, y: torch.Tensor, context: torch.Tensor, prev_state: torch.Tensor) -> torch.Tensor:
        """s_t = GRU([emb(y_{t-1}) ; c_t], s_{t-1}): (B, E), (B, D), (B, D) → (B, D)."""
        return self.cell(torch.cat([y, context], dim=-1), prev_state)

    def readout(self, state: torch.Tensor, context: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """Logits over the vocabulary from [s_t ; c_t ; emb(y_{t-1})], for any leading shape."""
        return self.out(torch.cat([state, context, y], dim=-1))

    def step(
        self,
        prev_token: torch.Tensor,
        prev_state: torch.Tensor,
        states: torch.Tensor,
        mask: torch.Tensor | None,
        final: torch.Tensor,
        forced: torch.Tensor | None = None,
        params: Mapping[str, object] | None = None,
    ) -> _StepTensors:
        """One decoder step from y_{t-1} (B,) and s_{t-1} (B, D); the other arguments as in :meth:`attend`."""
        y = self.embedding(prev_token)  # (B, E)
        scores, weights, context = self.attend(prev_state, states, mask, final, forced, params)
        state = self.update(y, context, prev_state)  # (B, D)
        return _StepTensors(scores, weights, context, state, self.readout(state, context, y))


class Seq2Seq(nn.Module):
    def __init__(self, config: Seq2SeqConfig) -> None:
        super().__init__()
        self.config = config
        self.vocab = Vocabulary(config.vocab)
        self.encoder = Encoder(config)
        self.decoder = Decoder(config)

    def forward(self, src: torch.Tensor, src_len: torch.Tensor, tgt_in: torch.Tensor) -> torch.Tensor:
        """Teacher forcing: src (B, N), src_len (B,), tgt_in (B, T) starting with <s> → logits (B, T, V)."""
        _, states, final = self.encoder(src, src_len)
        mask = _padding_mask(src, src_len)
        decoder = self.decoder
        state = decoder.initial_state(final)
        params = decoder.prepared_params(states)
        ys = decoder.embedding(tgt_in)  # (B, T, E): the inputs are known, so embedding and readout run once
        decoder_states, contexts = [], []
        for t in range(tgt_in.shape[1]):
            _, _, context = decoder.attend(state, states, mask, final, params=params)
            state = decoder.update(ys[:, t], context, state)
            decoder_states.append(state)
            contexts.append(context)
        return decoder.readout(torch.stack(decoder_states, dim=1), torch.stack(contexts, dim=1), ys)  # (B, T, V)

    @torch.no_grad()
    def greedy_batch(self, src: torch.Tensor, src_len: torch.Tensor, max_steps: int | None = None) -> torch.Tensor:
        """Greedy decoding of a batch (evaluation): (B, N) → (B, T) token ids, </s> then padding."""
        _, states, final = self.encoder(src, src_len)
        mask = _padding_mask(src, src_len)
        batch = src.shape[0]
        state = self.decoder.initial_state(final)
        token = torch.full((batch,), SOS, dtype=torch.long, device=src.device)
        done = torch.zeros(batch, dtype=torch.bool, device=src.device)
        params = self.decoder.prepared_params(states)
        outputs = []
        for _ in range(max_steps or self.config.max_output_len):
            out = self.decoder.step(token, state, states, mask, final, params=params)
            state = out.state
            token = out.logits.argmax(dim=-1).masked_fill(done, PAD)
            outputs.append(token)
            done |= token == EOS
            if bool(done.all()):
                break
        return torch.stack(outputs, dim=1)


def _padding_mask(src: torch.Tensor, src_len: torch.Tensor) -> torch.Tensor | None:
    """(B, N) True where there is an input; None when no row is padded (the softmax then needs no mask)."""
    return None if int(src_len.min()) == src.shape[1] else src != PAD


def build(config: Seq2SeqConfig, *, device: str | torch.device = "cpu") -> Seq2Seq:
    torch.manual_seed(config.seed)
    return Seq2Seq(config).to(devices.resolve(device))


def model_device(model: nn.Module) -> torch.device:
    return next(model.parameters()).device


# ---- batches ----------------------------------------------------------------------------------------------------
def check_input(config: Seq2SeqConfig, text: str) -> None:
    """Raise :class:`InputError` with a readable message unless ``text`` is an input this model can read."""
    vocab = Vocabulary(config.vocab)
    if not text:
        raise InputError("Type an input: an empty sequence has nothing to encode.")
    bad = vocab.unknown_positions(text)
    if bad:
        chars = "".join(dict.fromkeys(shown(text[i]) for i in bad))
        listed = ", ".join(f"“{c}”" for c in chars)
        where = ", ".join(str(i + 1) for i in bad[:8]) + ("…" if len(bad) > 8 else "")
        raise InputError(
            f"{listed} {'is' if len(chars) == 1 else 'are'} not in the {config.task} model's vocabulary (position {where}). "
            f"It knows: {describe_alphabet(vocab.characters)}.",
            bad,
        )
    if len(text) > config.max_input_len:
        raise InputError(
            f"{len(text)} characters is longer than this model's limit of {config.max_input_len} (the longest inputs it was trained on).",
            range(config.max_input_len, len(text)),
        )


def make_batch(vocab: Vocabulary, pairs: Sequence[tuple[str, str]], device: torch.device) -> tuple[torch.Tensor, ...]:
    """(src (B, N), src_len (B,), tgt_in (B, T) = <s> y, tgt_out (B, T) = y </s>), padded with <pad>."""
    n = max(len(s) for s, _ in pairs)
    t = max(len(y) for _, y in pairs) + 1
    src = torch.full((len(pairs), n), PAD, dtype=torch.long)
    tgt_in = torch.full((len(pairs), t), PAD, dtype=torch.long)
    tgt_out = torch.full((len(pairs), t), PAD, dtype=torch.long)
    for b, (source, target) in enumerate(pairs):
        src[b, : len(source)] = torch.tensor(vocab.encode(source))
        ids = vocab.encode(target)
        tgt_in[b, : len(ids) + 1] = torch.tensor([SOS] + ids)
        tgt_out[b, : len(ids) + 1] = torch.tensor(ids + [EOS])
    lengths = torch.tensor([len(s) for s, _ in pairs])
    return src.to(device), lengths, tgt_in.to(device), tgt_out.to(device)


def test_set(task: str, n: int, *, seed: int, min_len: int | None = None, max_len: int | None = None, length: int | None = None) -> list[tuple[str, str]]:
    """n reproducible (input, target) pairs, inputs of ``length`` or of lengths in [min_len, max_len] (default: the
    task's range). Python's ``random.Random(seed)`` makes the same set on every machine."""
    spec = get_task(task)
    rng = random.Random(seed)
    low = spec.min_len if min_len is None else max(min_len, spec.min_len)
    high = spec.max_len if max_len is None else min(max_len, spec.max_len)
    if length is None and low > high:
        raise ValueError(f"the {task} task makes inputs of {spec.min_len}–{spec.max_len} characters, none in {min_len}–{max_len}")
    pairs = []
    while len(pairs) < n:
        if length is not None:
            pairs.append(spec.sample(rng, length))
        elif spec.name == "date":  # lengths come from the formats: draw, keep those in range
            source, target = spec.sample(rng)
            if low <= len(source) <= high:
                pairs.append((source, target))
        else:
            pairs.append(spec.sample(rng, rng.randint(low, high)))
    return pairs


@torch.no_grad()
def exact_match(model: Seq2Seq, pairs: Sequence[tuple[str, str]], *, batch_size: int = 500) -> float:
    """Fraction of inputs whose greedy output equals the target exactly (every character, and the </s>)."""
    if not pairs:
        return float("nan")
    was_training = model.training
    model.eval()
    device = model_device(model)
    correct = 0
    ordered = sorted(pairs, key=lambda p: len(p[0]))  # similar lengths together: less padding
    for start in range(0, len(ordered), batch_size):
        chunk = ordered[start : start + batch_size]
        src, src_len, _, _ = make_batch(model.vocab, chunk, device)
        ids = model.greedy_batch(src, src_len, max_steps=max(len(y) for _, y in chunk) + 2).cpu().tolist()
        for row, (_, target) in zip(ids, chunk):
            correct += EOS in row and model.vocab.decode(row) == target
    model.train(was_training)
    return correct / len(pairs)


def accuracy_by_length(
    model: Seq2Seq,
    lengths: Sequence[int],
    *,
    per_length: int = 100,
    seed: int = 0,
    progress: Callable[[float], None] | None = None,
) -> dict[int, float]:
    """Exact-match accuracy on a fresh test set at each input length (the bottleneck plot's curve)."""
    result = {}
    for k, length in enumerate(lengths):
        pairs = test_set(model.config.task, per_length, seed=seed * 1000 + length, length=length)
        result[int(length)] = exact_match(model, pairs)
        if progress is not None:
            progress((k + 1) / len(lengths))
    return result


# ---- traces: the encoder, one decoder step, a greedy decode, a beam search ------------------------------------
@dataclass(frozen=True)
class EncoderTrace:
    """The encoder's reading of one input."""

    text: str
    tokens: tuple[str, ...]  # the input characters as labels (␣ for a space)
    ids: torch.Tensor  # (N,) token ids
    embedded: torch.Tensor  # (N, E) emb(x_i)
    states: torch.Tensor  # (N, D) h_i = [→h_i ; ←h_i]
    final: torch.Tensor  # (D,) [→h_N ; ←h_1]: the fixed context c of the no-attention decoder
    initial_state: torch.Tensor  # (D,) s_0 = tanh(W_init c)
    attention_params: Mapping[str, torch.Tensor] | None  # f_att's parameters, with W_k h_i (1, N, H) done once


@dataclass(frozen=True)
class DecodeStep:
    """Decoder step t (1-based): from s_{t-1} and y_{t-1} to s_t and y_t."""

    t: int
    prev_token: int  # y_{t-1} (<s> at t = 1)
    prev_state: torch.Tensor  # (D,) s_{t-1}
    scores: torch.Tensor | None  # (N,) e_t,i = f_att(s_{t-1}, h_i); None without attention
    weights: torch.Tensor | None  # (N,) a_t = softmax(e_t), or the forced distribution
    forced: bool  # a_t was given by the user, not computed
    context: torch.Tensor  # (D,) c_t = Σ_i a_t,i h_i (or the fixed c)
    state: torch.Tensor  # (D,) s_t
    logits: torch.Tensor  # (V,)
    log_probs: torch.Tensor  # (V,) log p(y_t | y_<t, x)
    token: int  # y_t, the most likely token
    symbol: str  # y_t as a label


@dataclass(frozen=True)
class Decoding:
    """A greedy decode, step by step. ``forced`` maps a step t to the weights a_t the user imposed there."""

    encoder: EncoderTrace
    steps: tuple[DecodeStep, ...]
    forced: tuple[tuple[int, tuple[float, ...]], ...] = ()

    @property
    def finished(self) -> bool:
        return bool(self.steps) and self.steps[-1].token == EOS

    @property
    def tokens(self) -> tuple[int, ...]:
        return tuple(step.token for step in self.steps)

    def attention(self) -> torch.Tensor | None:
        """(T, N) the weights a_t of every step so far, one row per output token; None without attention."""
        if not self.steps or self.steps[0].weights is None:
            return None
        return torch.stack([step.weights for step in self.steps])


def encode(model: Seq2Seq, text: str) -> EncoderTrace:
    """Run the encoder on ``text`` (checked with :func:`check_input` first)."""
    check_input(model.config, text)
    device = model_device(model)
    with torch.no_grad():
        ids = torch.tensor([model.vocab.encode(text)], device=device)  # (1, N)
        embedded, states, final = model.encoder(ids, torch.tensor([len(text)]))
        initial = model.decoder.initial_state(final)
        params = model.decoder.prepared_params(states)
    return EncoderTrace(text, tuple(shown(c) for c in text), ids[0], embedded[0], states[0], final[0], initial[0], params)


def _forced_weights(weights: Sequence[float], n: int, device: torch.device) -> torch.Tensor:
    forced = torch.as_tensor(list(weights), dtype=torch.float32, device=device)
    if forced.shape != (n,):
        raise ValueError(f"forced attention needs {n} weights, one per input position; got {forced.numel()}")
    if not torch.isfinite(forced).all() or bool((forced < 0).any()) or float(forced.sum()) <= 0:
        raise ValueError("forced attention weights must be finite, ≥ 0 and not all 0")
    return forced / forced.sum()  # a distribution, like every a_t


def start(enc: EncoderTrace) -> Decoding:
    """A decode with no step taken yet: the decoder holds s_0 and will read <s> first."""
    return Decoding(enc, ())


@torch.no_grad()
def step(model: Seq2Seq, decoding: Decoding, force: Sequence[float] | None = None) -> Decoding:
    """One more greedy step. ``force`` (N weights) replaces a_t at this step: "what if it looked here?"."""
    enc = decoding.encoder
    t = len(decoding.steps) + 1
    prev_state = decoding.steps[-1].state if decoding.steps else enc.initial_state
    prev_token = decoding.steps[-1].token if decoding.steps else SOS
    n = enc.states.shape[0]
    forced = None
    if force is not None:
        if not model.config.attention:
            raise ValueError("this model has no attention to force: its decoder reads the same c at every step")
        forced = _forced_weights(force, n, enc.states.device).unsqueeze(0)  # (1, N)
    out = model.decoder.step(
        torch.tensor([prev_token], device=enc.states.device),
        prev_state.unsqueeze(0),
        enc.states.unsqueeze(0),
        None,
        enc.final.unsqueeze(0),
        forced,
        enc.attention_params,
    )
    log_probs = out.logits[0].log_softmax(-1)
    token = int(log_probs.argmax())
    squeeze = lambda x: None if x is None else x[0]  # noqa: E731
    new = DecodeStep(t, prev_token, prev_state, squeeze(out.scores), squeeze(out.weights), forced is not None,
                     out.context[0], out.state[0], out.logits[0], log_probs, token, model.vocab.label(token))
    entries = decoding.forced + (((t, tuple(float(w) for w in forced[0])),) if forced is not None else ())
    return Decoding(enc, decoding.steps + (new,), entries)


def decode(
    model: Seq2Seq,
    enc: EncoderTrace,
    *,
    max_steps: int | None = None,
    forced: Mapping[int, Sequence[float]] | None = None,
    previous: Decoding | None = None,
) -> Decoding:
    """Greedy decoding up to </s> or ``max_steps`` (default: the model's max_output_len), with a_t replaced at the
    steps in ``forced`` ({t: weights}). Steps of ``previous`` (same encoder trace) are reused as long as they were
    made with the same forcing, so stepping one further costs one step."""
    forced = dict(forced or {})
    limit = model.config.max_output_len if max_steps is None else min(max_steps, model.config.max_output_len)
    decoding = start(enc)
    if previous is not None and previous.encoder is enc:
        given = dict(previous.forced)
        keep = 0
        for s in previous.steps[:limit]:
            same = (s.t in forced) == (s.t in given) and (s.t not in forced or _same_weights(forced[s.t], given[s.t], enc))
            if not same:
                break
            keep += 1
        steps = previous.steps[:keep]
        decoding = Decoding(enc, steps, tuple((t, w) for t, w in previous.forced if t <= keep))
    while len(decoding.steps) < limit and not decoding.finished:
        t = len(decoding.steps) + 1
        decoding = step(model, decoding, forced.get(t))
    return decoding


def _same_weights(wanted: Sequence[float], used: Sequence[float], enc: EncoderTrace) -> bool:
    normalised = _forced_weights(wanted, enc.states.shape[0], torch.device("cpu"))
    return torch.allclose(normalised, torch.tensor(used, dtype=torch.float32), atol=1e-7)


@dataclass(frozen=True)
class BeamNode:
    """One hypothesis prefix in the beam tree: ``parent`` → this node by emitting ``token`` at step ``t``."""

    id: int
    parent: int | None  # None for the root <s>
    t: int  # 0 for the root
    token: int
    symbol: str
    log_prob: float  # log p of the whole prefix (sum over its tokens)
    rank: int  # place in the beam after pruning at step t (0 = best); -1 for a pruned candidate
    kept: bool  # survived pruning (or finished)
    finished: bool  # ended with </s>
    weights: torch.Tensor | None  # (N,) the a_t that produced this token; None for the root or no attention


@dataclass(frozen=True)
class BeamTrace:
    """Beam search with width k: every node proposed, and the finished hypotheses best first."""

    encoder: EncoderTrace
    width: int
    nodes: tuple[BeamNode, ...]
    hypotheses: tuple[int, ...]  # node ids of finished (or cut at max length) hypotheses, best log p first

    def path(self, node_id: int) -> list[BeamNode]:
        """Root → node (the root excluded)."""
        out = []
        node = self.nodes[node_id]
        while node.parent is not None:
            out.append(node)
            node = self.nodes[node.parent]
        return out[::-1]

    def tokens(self, node_id: int) -> tuple[int, ...]:
        return tuple(n.token for n in self.path(node_id))

    def attention(self, node_id: int) -> torch.Tensor | None:
        """(T, N) the weights a_t along the branch ending at ``node_id``."""
        path = self.path(node_id)
        if not path or path[0].weights is None:
            return None
        return torch.stack([n.weights for n in path])


@torch.no_grad()
def beam_search(model: Seq2Seq, enc: EncoderTrace, width: int = 3, *, max_steps: int | None = None) -> BeamTrace:
    """Keep the ``width`` most likely prefixes (sum of log p) at every step; each proposes its ``width`` best
    next tokens. A prefix that emits </s> is finished; the search stops when ``width`` hypotheses are finished or the
    best finished one beats every live prefix (log p only falls as a prefix grows, so none can overtake it).
    Width 1 is greedy decoding."""
    if width < 1:
        raise ValueError("the beam width must be ≥ 1")
    limit = max_steps or model.config.max_output_len
    device = enc.states.device
    nodes = [BeamNode(0, None, 0, SOS, "<s>", 0.0, 0, True, False, None)]
    live = [0]  # node ids of the live prefixes
    live_states = enc.initial_state.unsqueeze(0)  # (K, D)
    finished: list[int] = []
    for t in range(1, limit + 1):
        k = len(live)
        out = model.decoder.step(
            torch.tensor([nodes[i].token for i in live], device=device),
            live_states,
            enc.states.unsqueeze(0).expand(k, -1, -1),
            None,
            enc.final.unsqueeze(0).expand(k, -1),
            params=enc.attention_params,  # (1, N, H): shared by every hypothesis
        )
        log_probs = out.logits.log_softmax(-1)  # (K, V)
        top = log_probs.topk(min(width, log_probs.shape[-1]), dim=-1)
        candidates = []  # (total log p, beam index, token)
        for b in range(k):
            for lp, token in zip(top.values[b].tolist(), top.indices[b].tolist()):
                candidates.append((nodes[live[b]].log_prob + lp, b, token))
        candidates.sort(key=lambda c: -c[0])
        new_live, new_rows = [], []
        capacity, kept = width - len(finished), 0  # finished hypotheses keep their place in the beam
        for score, b, token in candidates:
            taken = kept < capacity
            weights = None if out.weights is None else out.weights[b]
            node = BeamNode(len(nodes), live[b], t, token, model.vocab.label(token), score,
                            kept if taken else -1, taken, taken and token == EOS, weights)
            nodes.append(node)
            if not taken:
                continue
            kept += 1
            if token == EOS:
                finished.append(node.id)
            else:
                new_live.append(node.id)
                new_rows.append(b)
        if not new_live:
            live = []
            break
        live = new_live
        live_states = out.state[torch.tensor(new_rows, device=device)]
        best_finished = max((nodes[i].log_prob for i in finished), default=-math.inf)
        if len(finished) >= width or best_finished >= max(nodes[i].log_prob for i in live):
            break
    ends = finished + ([] if len(finished) >= width else live)  # cut at max length: keep the live ones as results
    ends.sort(key=lambda i: -nodes[i].log_prob)
    return BeamTrace(enc, width, tuple(nodes), tuple(ends[:width]))


# ---- training ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TrainOptions:
    steps: int = 3000
    batch_size: int = 64
    learning_rate: float = 5e-3
    min_len: int | None = None  # training input lengths (default: the task's range up to the model's limit)
    max_len: int | None = None
    eval_every: int = 100
    eval_size: int = 200
    report_every: int = 5  # callback every this many steps (and after each evaluation)
    target_accuracy: float | None = None  # stop once the held-out exact match reaches it
    time_limit_s: float | None = None
    clip: float = 1.0
    seed: int = 0
    threads: int | None = 1  # torch CPU threads while training (None: leave torch's setting). Steps this small gain
    # nothing from a second thread, and on a busy machine the extra thread spins: ten times slower was measured.


@dataclass(frozen=True)
class TrainProgress:
    step: int
    total: int
    loss: float  # mean cross-entropy per output token over the last report interval
    accuracy: float | None  # held-out exact match, when this report follows an evaluation
    elapsed_s: float


@dataclass(frozen=True)
class TrainResult:
    model: Seq2Seq
    history: tuple[TrainProgress, ...]
    accuracy: float  # held-out exact match at the end
    steps: int
    elapsed_s: float
    stopped: str  # "steps", "target" or "time"


def train(
    config: Seq2SeqConfig,
    options: TrainOptions = TrainOptions(),
    *,
    callback: Callable[[TrainProgress], None] | None = None,
    device: str | torch.device = "cpu",
) -> TrainResult:
    """Fit a model on freshly generated batches with Adam and teacher forcing.

    ``callback(progress)`` is called every ``report_every`` steps; to cancel, raise from it (the exception goes
    to the caller; nothing is saved here). Evaluation is greedy exact match on a held-out set.
    """
    threads = torch.get_num_threads()
    if options.threads:
        torch.set_num_threads(options.threads)
    try:
        return _train(config, options, callback, devices.resolve(device))
    finally:
        torch.set_num_threads(threads)


def _train(config: Seq2SeqConfig, options: TrainOptions, callback, device: torch.device) -> TrainResult:
    task = get_task(config.task)
    min_len = task.min_len if options.min_len is None else options.min_len
    max_len = config.max_input_len if options.max_len is None else options.max_len
    if max_len > config.max_input_len:
        raise ValueError(f"training lengths go up to {max_len} but the model's limit is {config.max_input_len}")
    model = build(config, device=device)
    model.train()
    optimiser = torch.optim.Adam(model.parameters(), lr=options.learning_rate)
    rng = random.Random(options.seed)
    held_out = test_set(config.task, options.eval_size, seed=options.seed + 7919, min_len=min_len, max_len=max_len)
    lengths = list(range(min_len, max_len + 1))
    history: list[TrainProgress] = []
    losses: list[float] = []
    accuracy = 0.0
    start = time.perf_counter()
    stopped = "steps"
    step_index = 0
    for step_index in range(1, options.steps + 1):
        # One length per batch for the letter tasks: no padding, and a batch of short inputs costs few steps. Length L
        # is drawn with probability ∝ L, so every output position is trained as often as in padded mixed batches.
        length = None if task.name == "date" else rng.choices(lengths, weights=lengths)[0]
        pairs = test_set(config.task, options.batch_size, seed=rng.getrandbits(62), min_len=min_len, max_len=max_len, length=length)
        src, src_len, tgt_in, tgt_out = make_batch(model.vocab, pairs, device)
        logits = model(src, src_len, tgt_in)  # (B, T, V)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt_out.reshape(-1), ignore_index=PAD)
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), options.clip)
        optimiser.step()
        losses.append(loss.item())
        evaluated = step_index % options.eval_every == 0 or step_index == options.steps
        elapsed = time.perf_counter() - start
        out_of_time = options.time_limit_s is not None and elapsed >= options.time_limit_s
        if out_of_time:
            evaluated = True
        if evaluated:
            accuracy = exact_match(model, held_out)
        if evaluated or step_index % options.report_every == 0:
            progress = TrainProgress(step_index, options.steps, sum(losses) / len(losses), accuracy if evaluated else None, time.perf_counter() - start)
            losses = []
            history.append(progress)
            if callback is not None:
                callback(progress)
        if evaluated and options.target_accuracy is not None and accuracy >= options.target_accuracy:
            stopped = "target"
            break
        if out_of_time:
            stopped = "time"
            break
    model.eval()
    return TrainResult(model, tuple(history), accuracy, step_index, time.perf_counter() - start, stopped)


# ---- checkpoints --------------------------------------------------------------------------------------------------
def _atomic_write(path: Path, write: Callable[[str], None]) -> None:
    """Write through a temporary file in the same folder, then rename: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = str(path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.part"))
    try:
        write(temporary)
        umask = os.umask(0o022)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # safetensors writes 0600; a saved model is an ordinary file
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def sidecar(path: str | os.PathLike) -> Path:
    """The JSON file next to a checkpoint: its config, recorded test accuracy and how it was made."""
    return Path(path).with_suffix(".json")


def save(model: Seq2Seq, path: str | os.PathLike, *, info: Mapping | None = None) -> Path:
    """Save the weights as safetensors (config in the header) and a JSON sidecar, each written atomically."""
    from safetensors.torch import save_file

    path = Path(path)
    if path.suffix != ".safetensors":
        raise ValueError("save seq2seq models as .safetensors files")
    tensors = {name: t.detach().to("cpu").contiguous() for name, t in model.state_dict().items()}
    metadata = {"format": FORMAT, "version": FORMAT_VERSION, "config": model.config.to_json()}
    _atomic_write(path, lambda tmp: save_file(tensors, tmp, metadata=metadata))
    record = {"format": FORMAT, "config": asdict(model.config), **dict(info or {})}
    text = json.dumps(record, indent=2, ensure_ascii=False) + "\n"
    _atomic_write(sidecar(path), lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    return path


def to_canonical(state_dict: Mapping[str, torch.Tensor], meta: Mapping[str, str]) -> tuple[Seq2SeqConfig, dict[str, torch.Tensor]]:
    """Check a state dict against the config in ``meta`` key by key; the seq2seq family's only layout is ours."""
    if meta.get("format") != FORMAT or "decoder.cell.weight_ih" not in state_dict:
        raise CheckpointError("this is not a seq2seq checkpoint of Attention Explorer (train one with `attention-explorer train seq2seq`)")
    try:
        config = Seq2SeqConfig.from_dict(json.loads(meta["config"]))
    except (KeyError, TypeError, json.JSONDecodeError) as exc:
        raise CheckpointError(f"the checkpoint's config is unreadable: {exc}") from None
    except ValueError as exc:
        raise CheckpointError(f"the checkpoint's config is invalid: {exc}") from None
    expected = Seq2Seq(config).state_dict()
    missing, extra = sorted(set(expected) - set(state_dict)), sorted(set(state_dict) - set(expected))
    if missing or extra:
        raise CheckpointError(f"the checkpoint does not match its config (missing: {missing[:4]}, unexpected: {extra[:4]})")
    for key, tensor in expected.items():
        if tuple(state_dict[key].shape) != tuple(tensor.shape):
            raise CheckpointError(f"{key} has shape {tuple(state_dict[key].shape)}; the config needs {tuple(tensor.shape)}")
    return config, dict(state_dict)


def load(path: str | os.PathLike, *, task: str | None = None, device: str | torch.device = "cpu") -> Seq2Seq:
    """Load a checkpoint written by :func:`save`. ``task`` given: refuse one trained for another task."""
    from safetensors import SafetensorError
    from safetensors.torch import load_file, safe_open

    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"{path.name}: no such file")
    if path.suffix != ".safetensors":
        raise CheckpointError(f"{path.name}: seq2seq models are .safetensors files")
    try:
        with safe_open(str(path), framework="pt") as handle:
            meta = handle.metadata() or {}
        state_dict = load_file(str(path))
    except (SafetensorError, OSError, ValueError) as exc:
        raise CheckpointError(f"{path.name} is not a readable safetensors file ({exc})") from None
    config, state_dict = to_canonical(state_dict, meta)
    if task is not None and config.task != task:
        raise CheckpointError(f"{path.name} was trained for the {get_task(config.task).label.lower()} task, not {get_task(task).label.lower()}: pick that task first, or another file")
    model = Seq2Seq(config)
    model.load_state_dict(state_dict)
    model.eval()
    return model.to(devices.resolve(device))


@dataclass(frozen=True)
class BundledModel:
    """A checkpoint shipped in resources/seq2seq/, with what its sidecar records."""

    name: str  # file stem, e.g. "reverse-bahdanau"
    path: Path
    config: Seq2SeqConfig
    test: dict = field(default_factory=dict)  # {"exact_match", "n", "seed", "min_len", "max_len"}
    training: dict = field(default_factory=dict)  # {"command", "steps", "seconds", ...}


def bundled(folder: str | os.PathLike | None = None) -> list[BundledModel]:
    """The bundled checkpoints (resources/seq2seq/ by default), tasks in :data:`TASKS` order, attention first."""
    folder = Path(folder) if folder is not None else resources.root() / "seq2seq"
    found = []
    for meta_path in sorted(folder.glob("*.json")):
        weights = meta_path.with_suffix(".safetensors")
        if not weights.is_file():
            continue
        try:
            record = json.loads(meta_path.read_text(encoding="utf-8"))
            if record.get("format") != FORMAT:
                continue
            config = Seq2SeqConfig.from_dict(record["config"])
        except (OSError, ValueError, KeyError, TypeError):  # a damaged sidecar: that model is not offered
            continue
        found.append(BundledModel(meta_path.stem, weights, config, record.get("test", {}), record.get("training", {})))
    order = list(TASKS)
    found.sort(key=lambda m: (order.index(m.config.task), not m.config.attention, m.name))
    return found


def train_reporting(config: Seq2SeqConfig, options: TrainOptions, message: str, progress) -> TrainResult:
    """:func:`train` reporting to a worker's ``progress(fraction, message, payload)`` (the payload a
    :class:`TrainProgress`): what the app runs in its training process."""
    return train(config, options, callback=lambda p: progress(p.step / p.total, message, p))
