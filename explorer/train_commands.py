"""``attention-explorer train …``: train the models the app bundles, from the command line.

    attention-explorer train seq2seq --task reverse --decoder bahdanau --out reverse-bahdanau.safetensors

This module only imports argparse at import time (so ``--help`` stays instant); torch comes with the command.
"""

from __future__ import annotations

import argparse
import shlex
import sys

SEQ2SEQ_TASKS = ("reverse", "copy", "sort", "date")  # core.seq2seq.TASKS (a test keeps the two in step)
SEQ2SEQ_DECODERS = ("bahdanau", "none")
SEQ2SEQ_SCORINGS = ("additive", "dot", "general")
TEST_SEED = 20_261_129  # the test set recorded next to every checkpoint (seed + the run's --seed)


def _fraction(text: str) -> float:
    value = float(text)
    if not 0.0 < value <= 1.0:
        raise argparse.ArgumentTypeError("give a fraction in (0, 1], e.g. 0.98")
    return value


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be ≥ 1")
    return value


def add_seq2seq(kinds: argparse._SubParsersAction) -> None:
    parser = kinds.add_parser(
        "seq2seq",
        help="a GRU encoder-decoder (notes §1), with or without attention",
        description="Train a seq2seq model on a toy task and save it as safetensors with a JSON sidecar that "
        "records its test accuracy. Ctrl+C cancels and writes nothing.",
    )
    parser.add_argument("--task", required=True, choices=SEQ2SEQ_TASKS)
    parser.add_argument("--decoder", required=True, choices=SEQ2SEQ_DECODERS, help="bahdanau: attention; none: a fixed context (the bottleneck)")
    parser.add_argument("--out", required=True, help="the .safetensors file to write (a .json sidecar goes next to it)")
    parser.add_argument("--scoring", default="additive", choices=SEQ2SEQ_SCORINGS, help="f_att: Bahdanau's MLP (additive) or Luong's dot / general")
    parser.add_argument("--hidden", type=_positive, help="encoder GRU size per direction (default 32)")
    parser.add_argument("--embed", type=_positive, help="embedding size (default 16)")
    parser.add_argument("--attention-dim", type=_positive, help="hidden size of the alignment MLP (default 32)")
    parser.add_argument("--unidirectional", action="store_true", help="a forward-only encoder")
    parser.add_argument("--min-len", type=_positive, help="shortest training input (default: the task's)")
    parser.add_argument("--max-len", type=_positive, help="longest input the model reads and trains on (default: the task's)")
    parser.add_argument("--steps", type=_positive, default=3000)
    parser.add_argument("--batch-size", type=_positive, help="default 64")
    parser.add_argument("--lr", type=float, help="Adam's learning rate (default 0.005)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--target", type=_fraction, help="stop once the held-out exact match reaches this")
    parser.add_argument("--time-limit", type=float, help="stop after this many seconds")
    parser.add_argument("--eval-every", type=_positive, default=100)
    parser.add_argument("--test-size", type=_positive, default=1000, help="size of the recorded test set (default 1000)")
    parser.add_argument("--threads", type=_positive, default=1, help="torch CPU threads while training (default 1: fastest for these small models)")
    parser.add_argument("--device", default="cpu", help="cpu, cuda, mps or auto")
    parser.set_defaults(run=train_seq2seq)


def train_seq2seq(args: argparse.Namespace, argv: list[str] | None = None) -> int:
    """Run the command; ``argv`` (what followed ``train seq2seq``; default: from sys.argv) is recorded in the sidecar."""
    if argv is None:
        argv = sys.argv[sys.argv.index("seq2seq") + 1 :] if "seq2seq" in sys.argv else []
    import torch

    from core import seq2seq

    torch.set_num_threads(args.threads)  # for the training and the test-set evaluation
    try:
        given = lambda **values: {k: v for k, v in values.items() if v is not None}  # noqa: E731 - else core's defaults
        config = seq2seq.Seq2SeqConfig(
            task=args.task,
            decoder=args.decoder,
            scoring=args.scoring,
            bidirectional=not args.unidirectional,
            max_input_len=args.max_len or 0,
            seed=args.seed,
            **given(embed_dim=args.embed, hidden=args.hidden, attention_dim=args.attention_dim),
        )
        options = seq2seq.TrainOptions(
            steps=args.steps,
            min_len=args.min_len,
            max_len=args.max_len,
            eval_every=args.eval_every,
            target_accuracy=args.target,
            time_limit_s=args.time_limit,
            seed=args.seed,
            threads=None,  # set above for the whole command
            **given(batch_size=args.batch_size, learning_rate=args.lr),
        )
        if not args.out.endswith(".safetensors"):
            raise ValueError("--out must name a .safetensors file")
    except ValueError as exc:
        print(f"attention-explorer train seq2seq: {exc}", file=sys.stderr)
        return 2

    def report(progress: seq2seq.TrainProgress) -> None:
        if progress.accuracy is not None:
            print(f"step {progress.step:>5}/{progress.total}  loss {progress.loss:.4f}  held-out exact match {progress.accuracy:6.1%}  {progress.elapsed_s:6.1f} s", flush=True)

    # torch.optim's first use imports torch._dynamo (~4 s): done before saying that training has started, so the
    # line is followed by steps, not by a silent pause
    seq2seq.devices.warm_up_training()
    print(f"training {config.task} / {config.describe()} on {seq2seq.devices.resolve(args.device)}", flush=True)
    try:
        result = seq2seq.train(config, options, callback=report, device=args.device)
        min_len = options.min_len or seq2seq.get_task(config.task).min_len
        max_len = options.max_len or config.max_input_len
        test_seed = TEST_SEED + args.seed
        pairs = seq2seq.test_set(config.task, args.test_size, seed=test_seed, min_len=min_len, max_len=max_len)
        accuracy = seq2seq.exact_match(result.model.to("cpu"), pairs)
        command = "attention-explorer train seq2seq " + " ".join(shlex.quote(a) for a in argv)
        info = {
            "test": {"exact_match": accuracy, "n": args.test_size, "seed": test_seed, "min_len": min_len, "max_len": max_len},
            "training": {"command": command, "steps": result.steps, "seconds": round(result.elapsed_s, 1), "stopped": result.stopped,
                         "held_out_exact_match": result.accuracy, "torch": torch.__version__},
        }
        path = seq2seq.save(result.model, args.out, info=info)
    except KeyboardInterrupt:
        print("cancelled: nothing was written", file=sys.stderr)
        return 130
    except (ValueError, OSError) as exc:
        print(f"attention-explorer train seq2seq: {exc}", file=sys.stderr)
        return 1
    print(f"test exact match {accuracy:.1%} on {args.test_size} inputs of {min_len}–{max_len} characters "
          f"({result.steps} steps, {result.elapsed_s:.0f} s, stopped: {result.stopped})")
    print(f"wrote {path} and {seq2seq.sidecar(path)}")
    return 0
