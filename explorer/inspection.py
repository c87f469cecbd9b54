"""``attention-explorer inspect PATH``: what a checkpoint is, and its attention maps for an input, headless.

    inspect PATH [--json]                                   the family and its config (one JSON object with --json)
    inspect PATH --text "..." [--pair "..."] --out maps.npz  a text model's maps for the text (BERT: a sentence pair)
    inspect PATH --ids "101 7592 102" --out maps.npz         … for typed token ids (models without a tokenizer)

One subcommand for every family: the checkpoint is opened safely, recognised (:mod:`core.families`), and the
input option that fits its kind runs the core's forward (:data:`MAPS_BY_KIND`; vision families add theirs). The
NPZ holds ``attentions`` (layers, heads, T, T) float32 and ``tokens`` (T,), plus ``input_ids``,
``token_type_ids`` and ``config`` (JSON). Any failure: exit code 1 and one line on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

INPUT_OPTIONS = {"text": ("--text", "--ids")}  # kind → the options that give it an input (later: "vision": ("--image",))


class InspectError(Exception):
    """A failure to report on one line."""


def add_parser(commands) -> argparse.ArgumentParser:
    parser = commands.add_parser("inspect", help="recognise a checkpoint; with an input, write its attention maps (NPZ)")
    parser.add_argument("path", help="a checkpoint file or a Hugging Face save_pretrained folder")
    parser.add_argument("--json", action="store_true", help="print the family and config as one JSON object")
    parser.add_argument("--text", help="text for a text model (BERT: sentence A)")
    parser.add_argument("--pair", default="", help="BERT's second sentence (segment B)")
    parser.add_argument("--ids", help='token ids instead of text, e.g. "101 7592 102" ("|" starts segment B)')
    parser.add_argument("--out", help="NPZ file for the maps (needs an input: --text or --ids)")
    return parser


def _text_maps(args, checkpoint) -> tuple[dict, str]:
    import numpy as np

    from core import text_models
    from core.arrays import to_numpy

    model = text_models.from_checkpoint(checkpoint)
    if args.text is None and args.ids is None:
        raise InspectError("a text model needs --text (or --ids)")
    try:
        encoded = text_models.encode(model, args.text or "", args.pair, ids_text=args.ids)
        trace = text_models.run(model, encoded.ids, encoded.type_ids)
    except ValueError as exc:
        raise InspectError(str(exc)) from None
    arrays = {
        "attentions": to_numpy(trace.weights),  # (L, H, T, T)
        "tokens": np.array(encoded.tokens),
        "input_ids": np.array(encoded.ids, np.int64),
        "token_type_ids": np.array(encoded.type_ids, np.int64),
        "config": np.array(model.config.to_json()),
    }
    L, H, T = model.config.layers, model.config.heads, len(encoded.ids)
    summary = f"{L} layers × {H} heads × {T} tokens" + (f" ({encoded.notice})" if encoded.notice else "")
    return arrays, summary


# kind → function(args, opened checkpoint) -> (arrays for the NPZ, a one-line summary)
MAPS_BY_KIND: dict[str, Callable] = {"text": _text_maps}


def _describe(path: str) -> dict:
    from core import families
    from core.checkpoints import open_checkpoint

    checkpoint = open_checkpoint(path)
    family = families.recognise(checkpoint.tensors, checkpoint.config)
    config, weights = family.to_canonical(checkpoint.tensors, checkpoint.config)
    fields = json.loads(config.to_json()) if hasattr(config, "to_json") else dict(vars(config))
    return {
        "path": str(checkpoint.path),
        "family": family.name,
        "kind": family.kind,
        "title": family.title,
        "config": fields,
        "parameters": sum(t.numel() for t in weights.values()),
        "notes": list(checkpoint.notes),
    }


def run(args) -> int:
    from core.checkpoints import CheckpointError

    try:
        wants_maps = args.out is not None or any(getattr(args, opt.lstrip("-")) is not None for opts in INPUT_OPTIONS.values() for opt in opts)
        if not wants_maps:
            info = _describe(args.path)
            if args.json:
                print(json.dumps(info))
            else:
                print(f"{info['title']} ({info['family']}), {info['parameters']:,} parameters")
                print("  " + ", ".join(f"{k}={v}" for k, v in info["config"].items()))
            return 0
        if args.out is None:
            raise InspectError("--out FILE.npz is needed to write the maps")
        from core import families
        from core.checkpoints import open_checkpoint

        checkpoint = open_checkpoint(args.path)
        family = families.recognise(checkpoint.tensors, checkpoint.config)
        given = [opt for opts in INPUT_OPTIONS.values() for opt in opts if getattr(args, opt.lstrip("-")) is not None]
        fitting = INPUT_OPTIONS.get(family.kind, ())
        if not any(opt in fitting for opt in given):
            raise InspectError(f"{family.title} needs {' or '.join(fitting) or 'an input this build cannot give'}, not {' '.join(given) or 'no input'}")
        arrays, summary = MAPS_BY_KIND[family.kind](args, checkpoint)
        import numpy as np

        out = args.out if args.out.endswith(".npz") else args.out + ".npz"
        np.savez(out, **arrays)
        print(f"wrote {out}: {summary}")
        return 0
    except (InspectError, CheckpointError, ValueError, OSError) as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"attention-explorer inspect: {message}", file=sys.stderr)
        return 1
