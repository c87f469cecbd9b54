"""The ``attention-explorer`` command (``python -m explorer`` does the same).

    attention-explorer [--page ID]                                 open the app
    attention-explorer screenshot --page ID --out FILE.png [--size WxH] [--lang zh_CN] [--open PATH]   render a page offscreen
    attention-explorer pages                                       list the page ids
    attention-explorer open PATH                                   open the app on a checkpoint
    attention-explorer train MODEL [...]                           train a bundled model (see explorer/training.py)
    attention-explorer inspect PATH [--json] [--set K=V] [--image IMG --out F.npz]  recognise a checkpoint, write its maps

Heavy imports (Qt, torch) happen inside the subcommands so ``--help`` is instant.
"""

from __future__ import annotations

import argparse
import os
import sys


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must look like 1280x800, not {text!r}") from None
    if not (200 <= width <= 8000 and 200 <= height <= 8000):
        raise argparse.ArgumentTypeError("width and height must be between 200 and 8000")
    return width, height


def build_parser() -> argparse.ArgumentParser:
    from explorer.pages import PAGE_IDS

    parser = argparse.ArgumentParser(prog="attention-explorer", description="Build, see and inspect attention.")
    parser.add_argument("--page", choices=PAGE_IDS, help="open this page first")
    commands = parser.add_subparsers(dest="command")
    shot = commands.add_parser("screenshot", help="render a page offscreen to a PNG")
    shot.add_argument("--page", required=True, choices=PAGE_IDS)
    shot.add_argument("--out", required=True, help="PNG file to write")
    shot.add_argument("--size", type=_size, default=(1280, 800), help="window size WxH (default 1280x800)")
    shot.add_argument("--lang", choices=("en", "zh_CN"), help="interface language (default: the one chosen in Settings)")
    shot.add_argument("--open", dest="open_path", metavar="PATH", help="open this checkpoint on the Checkpoints page first")
    commands.add_parser("pages", help="list the ids of the pages this build has")
    opener = commands.add_parser("open", help="open the app with a checkpoint file or Hugging Face folder")
    opener.add_argument("path")
    from explorer import training

    training.register(commands)
    from explorer import inspection

    inspection.add_parser(commands)
    return parser


def screenshot(page_id: str, out: str, size: tuple[int, int], lang: str | None = None, open_path: str | None = None) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from explorer import pages

    try:
        pages.get(page_id)
    except KeyError as exc:
        print(f"attention-explorer: {exc.args[0]}", file=sys.stderr)
        return 2
    from explorer.app import application

    app = application()
    if lang is not None:  # for this picture only: the setting is left as it is
        from explorer import i18n

        i18n.install(app, lang)
    from explorer.main_window import MainWindow

    window = MainWindow(restore_geometry=False, autosave=False)
    window.resize(*size)
    window.start_core(sync=True)
    if open_path:
        checkpoints = window.show_page("checkpoints")
        checkpoints.open_path(open_path, sync=True)
        if checkpoints.opened is None:  # the page's own message says why
            print(f"attention-explorer: {checkpoints.message.text()}", file=sys.stderr)
            return 1
    page = window.show_page(page_id)
    window.show()
    for _ in range(5):  # let layouts settle and views repaint
        app.processEvents()
    prepare = getattr(page, "prepare_screenshot", None)
    if prepare is not None:
        prepare()
        app.processEvents()
    if not window.grab().save(out, "PNG"):
        print(f"attention-explorer: could not write {out}", file=sys.stderr)
        return 1
    print(out)
    window.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "screenshot":
        return screenshot(args.page, args.out, args.size, args.lang, args.open_path)
    if args.command in ("train", "experiment"):
        return args.run(args)
    if args.command == "inspect":
        from explorer import inspection

        return inspection.run(args)
    if args.command == "pages":
        from explorer.pages import REGISTRY

        print("\n".join(spec.id for spec in REGISTRY))
        return 0
    from explorer.app import run_gui

    if args.command == "open":
        if not os.path.exists(args.path):
            print(f"attention-explorer: {args.path} does not exist", file=sys.stderr)
            return 2
        return run_gui("checkpoints", open_path=args.path)
    return run_gui(args.page)
