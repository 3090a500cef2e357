"""The build subcommands: ``build``, ``recover`` and ``tables``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..problems import Exit
from .output import say

ROOT_HELP = "the project checkout to work in (default: the one containing the current folder)"
"""What ``--root`` means, for every command that takes it."""


def add_root(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, default=None, metavar="DIR", help=ROOT_HELP)


def add_parsers(sub: Any) -> None:
    build = sub.add_parser(
        "build",
        help="validate seeds/ and publish data/, schemas/, datapackage.json",
        description=(
            "Load seeds/, check every record, key, rule and quote, render every output, check the outputs, and "
            "only then publish them all at once. Nothing is published when anything is wrong."
        ),
    )
    build.add_argument(
        "--check", action="store_true", help="publish nothing; exit 1 naming the files that differ from a fresh build"
    )
    add_root(build)
    build.add_argument(
        "--sources-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder of archived source texts (default: CA_SUMMIT_SOURCES_DIR, then pyproject.toml)",
    )
    build.add_argument(
        "--require-sources",
        action="store_true",
        help="fail unless every quote is verified against its archived source text",
    )
    recover = sub.add_parser(
        "recover",
        help="finish or clean up an interrupted publish",
        description="Finish a publish that was interrupted after its commit point, or remove what an interrupted "
        "build left staged. A build does this by itself first; this command does only this.",
    )
    add_root(recover)
    sub.add_parser(
        "tables",
        help="list the published tables",
        description="List the tables of the dataset installed with the package (or of this checkout), one a line.",
    )


def cmd_build(args: argparse.Namespace) -> int:
    from ..pipeline import build
    from ..pipeline.publish import differences, publish
    from ..settings import load_settings

    settings = load_settings(args.root, args.sources_dir)
    result = build(settings, require_sources=args.require_sources)
    say([f"note: {n}" for n in result.notes], sys.stderr)
    verified = f"{result.quotes_verified} quotes verified against archived sources"
    if args.check:
        changed = differences(settings.root, result.files)
        if changed:
            say(
                ["published outputs differ from a fresh build (run 'ca-summit-data build'):"]
                + [f"  {c}" for c in changed],
                sys.stderr,
            )
            return Exit.INVALID
        say([f"ok: {len(result.files)} published files match a fresh build; {verified}"])
        return Exit.OK
    notes = publish(settings.root, result.files)
    say([f"note: {n}" for n in notes], sys.stderr)
    rows = sum(len(r) for r in result.dataset.tables.values())
    say([f"published {len(result.files)} files ({len(result.dataset.tables)} tables, {rows} rows); {verified}"])
    return Exit.OK


def cmd_recover(args: argparse.Namespace) -> int:
    from ..pipeline.publish import publish_lock, recover
    from ..settings import find_root

    root = find_root(args.root)
    with publish_lock(root):
        done = recover(root)
    say([done or "nothing to recover"])
    return Exit.OK


def cmd_tables(args: argparse.Namespace) -> int:
    from ..read import tables

    say(tables())
    return Exit.OK


COMMANDS = {"build": cmd_build, "recover": cmd_recover, "tables": cmd_tables}
