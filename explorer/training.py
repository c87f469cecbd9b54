"""``attention-explorer train …``: the commands that make the bundled models and curves in ``resources/``.

Nothing heavy is imported until a command runs, so ``attention-explorer --help`` stays instant.

    attention-explorer train transformer [--out DIR] [--steps N] [--seed S] [--threads T] [--transfer-steps N]
"""

from __future__ import annotations

import argparse
import json
import sys
import time


def register(commands) -> None:
    """Add the ``train`` command and one subcommand per bundled model to the CLI's subparsers."""
    train = commands.add_parser("train", help="train a bundled model and write it to resources/")
    models = train.add_subparsers(dest="model", required=True, metavar="MODEL")
    transformer = models.add_parser(
        "transformer",
        help="the counting encoder (safetensors + JSON) and the transfer-learning curves (resources/transformer/)",
        description="Train the small Transformer encoder that counts letters, record its test accuracy, then finetune it "
        "on 'does this letter repeat?' with few examples against the same model from scratch (transfer.json).",
    )
    transformer.add_argument("--out", help="folder to write (default: the bundled resources/transformer/)")
    transformer.add_argument("--steps", type=_positive, default=3000, help="training steps of the encoder (default 3000)")
    transformer.add_argument("--seed", type=int, default=0)
    transformer.add_argument("--threads", type=_positive, default=1, help="torch threads (default 1: the machines are shared)")
    transformer.add_argument("--transfer-steps", type=_positive, default=300, help="finetuning steps per transfer run (default 300)")
    transformer.add_argument("--transfer-only", action="store_true", help="keep the encoder in --out; recompute transfer.json only")
    transformer.set_defaults(run=train_transformer)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _command(args: argparse.Namespace) -> str:
    parts = ["attention-explorer train transformer"]
    if args.out:
        parts.append(f"--out {args.out}")
    parts += [f"--steps {args.steps}", f"--seed {args.seed}", f"--threads {args.threads}", f"--transfer-steps {args.transfer_steps}"]
    return " ".join(parts + (["--transfer-only"] if args.transfer_only else []))


def train_transformer(args: argparse.Namespace) -> int:
    import torch

    from core import resources
    from core.sequence_tasks import DEFAULT_MODEL, TrainConfig, load_classifier, save_classifier, train_encoder
    from core.transfer import TransferConfig, run_transfer

    torch.set_num_threads(args.threads)
    out = args.out or str(resources.root() / "transformer")

    def report(fraction: float, message: str = "", payload=None) -> None:
        if payload is not None:
            print(f"  [{fraction:6.1%}] {message}", flush=True)

    if args.transfer_only:
        try:
            model, meta = load_classifier(out)
        except (OSError, ValueError) as exc:
            print(f"attention-explorer: cannot read the encoder in {out}: {exc}", file=sys.stderr)
            return 1
    else:
        print(f"Training the counting encoder ({args.steps} steps, seed {args.seed}, {args.threads} thread(s))…", flush=True)
        model, record = train_encoder(DEFAULT_MODEL, TrainConfig(steps=args.steps, seed=args.seed), progress=report)
        record["training"]["command"] = _command(args)
        weights, meta_path = save_classifier(model, out, record)
        print(f"Test accuracy {record['accuracy']:.4f} after {record['training']['seconds']} s → {weights}, {meta_path}", flush=True)

    print("Transfer learning: finetune on 'repeat' vs from scratch…", flush=True)
    start = time.perf_counter()
    curves = run_transfer(model, TransferConfig(steps=args.transfer_steps, seed=args.seed), progress=report)
    data = curves.to_dict() | {"command": _command(args), "seconds": round(time.perf_counter() - start, 1)}
    path = f"{out}/transfer.json"
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=1)
        handle.write("\n")
    summary = "; ".join(f"{n} examples: finetuned {curves.pretrained[n][-1]:.3f} vs scratch {curves.scratch[n][-1]:.3f}" for n in sorted(curves.pretrained))
    print(f"{summary} (chance {curves.chance:.3f}) → {path}", flush=True)
    return 0
