"""``attention-explorer inspect PATH``: what a checkpoint is, and its attention maps for an input, headless.

    inspect PATH [--json] [--set KEY=VALUE …]                 the family and its config (one JSON object with --json)
    inspect PATH --image IMG --out maps.npz [--set heads=4]  a ViT's maps for an image
    inspect PATH --text "..." [--pair "..."] --out maps.npz  a text model's maps for the text (BERT: a sentence pair)
    inspect PATH --ids "101 7592 102" --out maps.npz         … for typed token ids (models without a tokenizer)

One subcommand for every family: the checkpoint is opened safely and recognised by
:func:`core.families.recognise_checkpoint` (the call the Checkpoints page makes too), and the input option that fits
its kind runs the core's forward (:data:`MAPS_BY_KIND`). ``--set`` replaces a config field the weights do not
record or that was guessed (the names of the page's config form: :data:`core.vit_families.EDITABLE`).

The NPZ of a ViT holds ``attentions`` (layers, heads, N, N) float32, ``rollout`` (grid, grid) — the class token's
row of the attention rollout over the patches, scaled to max 1 — ``logits`` (classes,) when the checkpoint has a
head, ``tokens`` (N,) and ``config`` (JSON). A text model's holds ``attentions`` (layers, heads, T, T), ``tokens``,
``input_ids``, ``token_type_ids`` and ``config``. Any failure: exit code 1 and one line on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

INPUT_OPTIONS = {"text": ("--text", "--ids"), "vision": ("--image",)}  # kind → the options that give it an input


class InspectError(Exception):
    """A failure to report on one line."""


def add_parser(commands) -> argparse.ArgumentParser:
    parser = commands.add_parser("inspect", help="recognise a checkpoint; with an input, write its attention maps (NPZ)")
    parser.add_argument("path", help="a checkpoint file or a Hugging Face save_pretrained folder")
    parser.add_argument("--json", action="store_true", help="print the family and config as one JSON object")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE", help="override an inferred config field, e.g. heads=4 (repeatable)")
    parser.add_argument("--image", help="an image for a vision model (PNG, JPEG, BMP, WebP)")
    parser.add_argument("--text", help="text for a text model (BERT: sentence A)")
    parser.add_argument("--pair", default="", help="BERT's second sentence (segment B)")
    parser.add_argument("--ids", help='token ids instead of text, e.g. "101 7592 102" ("|" starts segment B)')
    parser.add_argument("--out", help="NPZ file for the maps (needs an input: --image, --text or --ids)")
    return parser


def parse_overrides(items: list[str]) -> dict[str, str]:
    """["heads=4", "eps=1e-6"] → {"heads": "4", "eps": "1e-6"} (values are parsed by the family's config)."""
    overrides = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise InspectError(f"--set needs KEY=VALUE, e.g. --set heads=4 (got {item!r})")
        overrides[key.strip()] = value.strip()
    return overrides


def vision_maps(recognition, image_path: str) -> tuple[dict, str]:
    """A recognised ViT's maps for one image file: (arrays for the NPZ, a one-line summary)."""
    import numpy as np
    import torch

    from core import images, vit
    from core.arrays import to_numpy

    config = recognition.config
    prepared = images.load(image_path, config.image_size)
    with torch.no_grad():
        trace = vit.vit_forward(prepared.image, recognition.params, config, need_weights=True)
        attentions = trace.attentions[0]  # (L, H, N, N)
        rollout = vit.relevance_map(vit.attention_rollout(attentions), config)  # (g, g)
    arrays = {
        "attentions": to_numpy(attentions),
        "rollout": to_numpy(rollout),
        "tokens": np.array(config.token_names()),
        "config": np.array(json.dumps(config.to_dict() | {"family": recognition.family})),
    }
    summary = f"{config.depth} layers × {config.heads} heads × {config.num_tokens} tokens ({prepared.transform})"
    if trace.logits is not None:
        logits = trace.logits[0]
        arrays["logits"] = to_numpy(logits)
        top = int(logits.argmax())
        names = recognition.class_names or [str(i) for i in range(config.num_classes)]
        summary += f"; top class {names[top]} (p = {float(logits.softmax(-1)[top]):.3f})"
    return arrays, summary


def _vision_maps(args, checkpoint, recognition) -> tuple[dict, str]:
    return vision_maps(recognition, args.image)


def _text_maps(args, checkpoint, recognition) -> tuple[dict, str]:
    import numpy as np

    from core import text_models
    from core.arrays import to_numpy

    model = text_models.from_checkpoint(checkpoint)  # the TextModel carries the tokenizer beside the weights
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


# kind → function(args, opened checkpoint, recognition) -> (arrays for the NPZ, a one-line summary)
MAPS_BY_KIND: dict[str, Callable] = {"text": _text_maps, "vision": _vision_maps}


def write_npz(out: str, arrays: dict) -> str:
    import numpy as np

    out = out if out.endswith(".npz") else out + ".npz"
    np.savez(out, **arrays)
    return out


def describe(checkpoint, recognition) -> dict:
    """The family and config of a recognised checkpoint as plain JSON data."""
    from dataclasses import asdict

    return {
        "path": str(checkpoint.path),
        "family": recognition.family,
        "kind": recognition.kind,
        "title": recognition.title,
        "config": asdict(recognition.config),
        "parameters": sum(t.numel() for t in recognition.params.values()),
        "guessed": list(recognition.guessed),
        "notes": list(checkpoint.notes) + list(recognition.notes),
    }


def _inputs_given(args) -> list[str]:
    return [opt for opts in INPUT_OPTIONS.values() for opt in opts if getattr(args, opt.lstrip("-")) is not None]


def run(args) -> int:
    try:
        overrides = parse_overrides(args.overrides)
        given = _inputs_given(args)
        if given and args.out is None:
            raise InspectError("--out FILE.npz is needed to write the maps")
        from core import families
        from core.checkpoints import open_checkpoint
        from core.device import configure_threads

        configure_threads()  # as in the app: one torch thread on a machine with two cores or fewer
        checkpoint = open_checkpoint(args.path)
        recognition = families.recognise_checkpoint(checkpoint, overrides=overrides)
        if args.out is None:
            info = describe(checkpoint, recognition)
            if args.json:
                print(json.dumps(info))
            else:
                print(f"{info['title']} ({info['family']}), {info['parameters']:,} parameters")
                print("  " + ", ".join(f"{k}={v}" for k, v in info["config"].items()))
                for guess in info["guessed"]:
                    print(f"  guessed {guess} (--set to change it)")
            return 0
        fitting = INPUT_OPTIONS.get(recognition.kind, ())
        if not any(opt in fitting for opt in given):
            raise InspectError(f"{recognition.title} needs {' or '.join(fitting) or 'an input this build cannot give'}, not {' '.join(given) or 'no input'}")
        arrays, summary = MAPS_BY_KIND[recognition.kind](args, checkpoint, recognition)
        print(f"wrote {write_npz(args.out, arrays)}: {summary}")
        return 0
    except Exception as exc:  # noqa: BLE001 - every failure is one line for the user, never a traceback
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"attention-explorer inspect: {message}", file=sys.stderr)
        return 1
