"""The ``validate`` and ``verify`` subcommands of ``ca-summit-data``.

Thin shells over ``validation.validate`` and ``validation.verify``, which the tests call
directly. Exit codes: 0 valid; 1 invalid; 2 usage, or an input that could not be read
or understood. The report goes to standard output in the chosen ``--format``; bad input
never produces a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.abc
import os
import sys
from pathlib import Path
from typing import Any

from .output import to_devnull

FORMATS = ("text", "json", "github")


def _max_errors(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 (show every error) or more")
    return value


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", choices=FORMATS, default="text",
        help="text (one error a line), json (a stable report), github (GitHub Actions annotations)",
    )
    parser.add_argument(
        "--max-errors", type=_max_errors, default=1000, metavar="N",
        help="show at most N errors (all are counted); 0 shows every one (default: 1000)",
    )


def add_parsers(sub: Any) -> None:
    """Register ``validate`` and ``verify`` on the main parser's subparsers."""
    validate = sub.add_parser(
        "validate",
        help="check data files against the dataset's schemas and models",
        description=(
            "Check a datapackage.json (ours, or yours reusing our Table Schemas), a folder, CSV or Parquet files "
            "of our tables, and JSON/YAML seed records: header, types, required values, enumerations, ISO codes, "
            "patterns, primary and foreign keys, declared sizes and hashes, and the models' cross-field rules. "
            "Exit 0 valid, 1 invalid, 2 usage or unreadable input."
        ),
    )
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="datapackage.json, folder or file")
    validate.add_argument(
        "--table", default=None, help="the table the given files hold (default: from each file's name)"
    )
    validate.add_argument(
        "--packages-of", action="store_true",
        help="validate the Data Package each PATH belongs to (the datapackage.json in its folder or the nearest "
             "one above it, within the current folder) instead of the paths; none found is valid (for hooks)",
    )
    _common(validate)

    verify = sub.add_parser(
        "verify",
        help="check downloaded files against the sizes and sha256 hashes in datapackage.json",
        description="Compare every file datapackage.json lists with its declared size and hash.",
    )
    verify.add_argument(
        "descriptor", nargs="?", type=Path, default=None, metavar="DATAPACKAGE",
        help="datapackage.json or the folder holding it (default: ./datapackage.json)",
    )
    _common(verify)


class _NoPandas(importlib.abc.MetaPathFinder):
    """Answers "not installed" for pandas (see ``_lean_process``)."""

    def find_spec(self, name: str, path: Any, target: Any = None) -> None:
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError("pandas is kept out of the validate command's process", name=name)


def _own_process() -> bool:
    """True when this interpreter was started as the command itself (not by a test or a user's program)."""
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if spec is not None:
        return spec.name in ("ca_summit_data", "ca_summit_data.__main__")
    return Path(sys.argv[0]).stem == "ca-summit-data"


def _lean_process() -> None:
    """Two process-wide settings that make ``validate`` lighter, applied only in its own process.

    pyarrow imports pandas (about 40 MiB and 0.13 s) the first time it converts a Python
    value, only to ask whether the value is a pandas object; the validator never hands
    it one, so pandas is reported absent. And Arrow's jemalloc allocator hands memory
    freed by one batch back sooner than the default allocator does, which lowers the
    peak by about a third (see "Validating your own data" in the README). A program
    that calls ``validation.validate`` itself keeps its own settings.
    """
    if not _own_process() or os.environ.get("CA_SUMMIT_KEEP_PROCESS"):
        return
    if "pandas" not in sys.modules:
        sys.meta_path.insert(0, _NoPandas())
    import pyarrow as pa

    with contextlib.suppress(NotImplementedError, AttributeError):  # built without jemalloc: keep the default
        pa.set_memory_pool(pa.jemalloc_memory_pool())


def _print(report: Any, fmt: str) -> int:
    from ..validation.formats import notes_text, render

    for note in notes_text(report, fmt):
        print(note, file=sys.stderr)
    try:
        for line in render(report, fmt):
            print(line, file=sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. piped into `head`: the reader has gone, the exit code still counts
        to_devnull(sys.stdout)
    return int(report.exit_code)


def cmd_validate(args: argparse.Namespace) -> int:
    _lean_process()
    from ..validation import validate

    paths = list(args.paths)
    if args.packages_of:
        from ..package import packages_of

        paths = packages_of(paths, Path.cwd())
        if not paths:
            print("ok: none of the paths belongs to a Data Package here; nothing to validate", file=sys.stdout)
            return 0
    report = validate(paths, table=args.table, max_errors=args.max_errors or None)
    return _print(report, args.format)


def cmd_verify(args: argparse.Namespace) -> int:
    _lean_process()
    from ..validation import verify

    report = verify(args.descriptor, max_errors=args.max_errors or None)
    return _print(report, args.format)


COMMANDS = {"validate": cmd_validate, "verify": cmd_verify}
