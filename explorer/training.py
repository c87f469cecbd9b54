"""``attention-explorer train …``: the commands that make the bundled models and curves in ``resources/``.

Nothing heavy is imported until a command runs, so ``attention-explorer --help`` stays instant.

    attention-explorer train transformer [--out DIR] [--steps N] [--seed S] [--threads T] [--transfer-steps N]
    attention-explorer train seq2seq --task T --decoder D --out FILE [...]   (explorer/train_commands.py)
    attention-explorer train vit [--out FILE] [--steps N] [--train-size N] [--seed S] [--threads T] [--cnn]
    attention-explorer experiment vit-vs-cnn [--out FILE] [--sizes N ...] [--steps N] [--threads T]
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

    from explorer import train_commands

    train_commands.add_seq2seq(models)  # attention-explorer train seq2seq … (resources/seq2seq/)

    vit = models.add_parser("vit", help="the tiny ViT on the shapes data set (resources/vit/shapes_vit.safetensors)")
    vit.add_argument("--out", help="safetensors file to write (default: resources/vit/shapes_vit.safetensors)")
    vit.add_argument("--steps", type=_positive, default=8000, help="training steps of the ViT (default 8000)")
    vit.add_argument("--train-size", type=_positive, default=30000, help="training images (default 30000)")
    vit.add_argument("--batch-size", type=_positive, default=64)
    vit.add_argument("--lr", type=float, default=1e-3, help="peak AdamW learning rate (default 1e-3)")
    vit.add_argument("--seed", type=int, default=0)
    vit.add_argument("--threads", type=_positive, default=1)
    vit.add_argument("--cnn", action="store_true", help="also train the small ResNet-style CNN on the same images (shapes_cnn.*)")
    vit.add_argument("--cnn-steps", type=_positive, default=600, help="training steps of the CNN (default 600: it learns much faster)")
    vit.add_argument("--cnn-only", action="store_true", help="train only the CNN (keeps the bundled ViT)")
    vit.set_defaults(run=train_vit)

    experiment = commands.add_parser("experiment", help="recompute a bundled experiment")
    experiments = experiment.add_subparsers(dest="experiment", required=True, metavar="NAME")
    versus = experiments.add_parser("vit-vs-cnn", help="test accuracy against training-set size, ViT vs CNN (resources/vit/vit_vs_cnn.json)")
    versus.add_argument("--out", help="JSON file to write (default: resources/vit/vit_vs_cnn.json)")
    versus.add_argument("--sizes", type=_positive, nargs="+", default=[100, 300, 1000, 3000, 10000])
    versus.add_argument("--steps", type=_positive, default=1500, help="training steps of each model at each size (default 1500)")
    versus.add_argument("--cnn-steps", type=_positive, default=300, help="training steps of the CNN at each size (default 300)")
    versus.add_argument("--seed", type=int, default=0)
    versus.add_argument("--threads", type=_positive, default=1)
    versus.set_defaults(run=run_vit_vs_cnn)


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


def _print_progress(fraction: float, message: str = "", payload=None) -> None:
    if payload is not None:
        print(f"  [{fraction:6.1%}] {message}", flush=True)


def train_vit(args: argparse.Namespace) -> int:
    import pathlib

    import torch

    from core import resources
    from core.vision_training import save_cnn, save_vit, train_cnn
    from core.vision_training import train_vit as fit_vit

    torch.set_num_threads(args.threads)
    out = pathlib.Path(args.out or resources.root() / "vit" / "shapes_vit.safetensors")
    command = (
        f"attention-explorer train vit --steps {args.steps} --train-size {args.train_size} --batch-size {args.batch_size} "
        f"--lr {args.lr:g} --seed {args.seed} --threads {args.threads}" + (f" --cnn --cnn-steps {args.cnn_steps}" if args.cnn or args.cnn_only else "")
        + (" --cnn-only" if args.cnn_only else "")
    )
    if not args.cnn_only:
        print(f"Training the tiny ViT on {args.train_size} shapes ({args.steps} steps, {args.threads} thread(s))…", flush=True)
        model, result = fit_vit(train_size=args.train_size, steps=args.steps, batch_size=args.batch_size, lr=args.lr, seed=args.seed, callback=_print_progress)
        save_vit(model, out, result=result, command=command)
        print(f"ViT test accuracy {result.test_accuracy:.4f} after {result.train_seconds} s of training → {out}", flush=True)
    if args.cnn or args.cnn_only:
        print(f"Training the small CNN on {args.train_size} shapes ({args.cnn_steps} steps)…", flush=True)
        cnn, cnn_result = train_cnn(train_size=args.train_size, steps=args.cnn_steps, seed=args.seed, callback=_print_progress)
        cnn_path = out.with_name("shapes_cnn.safetensors")
        save_cnn(cnn, cnn_path, result=cnn_result, command=command)
        print(f"CNN test accuracy {cnn_result.test_accuracy:.4f} after {cnn_result.train_seconds} s → {cnn_path}", flush=True)
    return 0


def run_vit_vs_cnn(args: argparse.Namespace) -> int:
    import pathlib

    import torch

    from core import resources
    from explorer.session import write_atomically
    from core.vision_training import vit_vs_cnn

    torch.set_num_threads(args.threads)
    out = pathlib.Path(args.out or resources.root() / "vit" / "vit_vs_cnn.json")
    start = time.perf_counter()
    curves = vit_vs_cnn(tuple(args.sizes), steps=args.steps, cnn_steps=args.cnn_steps, seed=args.seed, callback=_print_progress)
    curves["command"] = f"attention-explorer experiment vit-vs-cnn --sizes {' '.join(map(str, args.sizes))} --steps {args.steps} --cnn-steps {args.cnn_steps} --seed {args.seed} --threads {args.threads}"
    curves["wall_seconds"] = round(time.perf_counter() - start, 1)
    write_atomically(out, json.dumps(curves, indent=1))
    print(json.dumps({k: curves[k] for k in ("sizes", "vit", "cnn")}), flush=True)
    return 0
