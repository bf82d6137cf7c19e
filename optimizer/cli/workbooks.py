"""`enclave template | build-workbook | generate | docs`: the commands that write files
but solve nothing."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .codes import EXIT_INPUT, EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    from ..io.template import write_input_workbook

    target = Path(args.path)
    if target.exists():
        print(
            f"{target} already exists; choose a new name (nothing is ever overwritten)",
            file=sys.stderr,
        )
        return EXIT_INPUT
    written = write_input_workbook(target)
    print(f"Blank template written to {written}")
    return EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    from ..io.template import read_csv_folder, write_input_workbook

    target = Path(args.out)
    if target.exists() and not args.replace:
        print(f"{target} already exists; pass --replace to rebuild it", file=sys.stderr)
        return EXIT_INPUT
    tables, extra = read_csv_folder(args.folder)
    if target.exists():
        target.unlink()
    written = write_input_workbook(target, tables, extra)
    print(f"Workbook written to {written} from {args.folder}")
    return EXIT_OK


def cmd_generate(args: argparse.Namespace) -> int:
    from ..data.synthetic import generate

    target = Path(args.out)
    if target.exists():
        print(f"{target} already exists; choose a new name", file=sys.stderr)
        return EXIT_INPUT
    written = generate(target, args.firms, args.sites, args.locations, args.regions, args.seed)
    print(
        f"Synthetic workbook written to {written} ({args.firms} firms, {args.sites} options, "
        f"{args.locations} locations, {args.regions} regions, seed {args.seed})"
    )
    return EXIT_OK


def cmd_docs(args: argparse.Namespace) -> int:
    from ..docs import inputs_markdown, model_markdown, results_markdown

    folder = Path(args.folder)
    stale = []
    model = folder / "model.md"
    current = model.read_text(encoding="utf-8") if model.exists() else ""
    for name, text in (
        ("inputs.md", inputs_markdown()),
        ("results.md", results_markdown()),
        ("model.md", model_markdown(current)),
    ):
        target = folder / name
        same = target.exists() and target.read_text(encoding="utf-8") == text
        if args.check:
            stale += [] if same else [str(target)]
        elif not same:
            target.write_text(text, encoding="utf-8")
            print(f"Wrote {target}")
    if args.check:
        print(
            "out of date (run enclave docs): " + ", ".join(stale)
            if stale
            else "docs are up to date"
        )
        return EXIT_INPUT if stale else EXIT_OK
    return EXIT_OK
