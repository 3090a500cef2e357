"""The ``ca-summit-data`` command: a thin shell over functions the tests call directly.

Exit codes: 0 success; 1 invalid input or outputs that differ (``build --check``);
2 usage errors or an environment problem (not a checkout, unreadable folder).
Bad input is reported one problem a line, never as a traceback; set
``CA_SUMMIT_DEBUG=1`` to see the traceback of an unexpected internal error.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from . import __version__, cli_release, cli_validate
from .text_rules import printable

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ca-summit-data",
        description="Build, publish and read the Central Asia plus Japan summit dataset.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = sub.add_parser(
        "build",
        help="validate seeds/ and publish data/, schemas/, datapackage.json",
        description="Load seeds/, validate everything, and only then publish all outputs atomically.",
    )
    build.add_argument(
        "--check", action="store_true", help="publish nothing; exit 1 naming the files that differ from a fresh build"
    )
    build.add_argument(
        "--root", type=Path, default=None, help="project checkout (default: the one containing the current folder)"
    )
    build.add_argument(
        "--sources-dir",
        type=Path,
        default=None,
        help="folder of archived source texts (default: CA_SUMMIT_SOURCES_DIR, then pyproject.toml)",
    )
    build.add_argument(
        "--require-sources",
        action="store_true",
        help="fail unless every quote is verified against its archived source text",
    )

    sub.add_parser("recover", help="finish or clean up an interrupted publish").add_argument(
        "--root", type=Path, default=None, help="project checkout"
    )
    sub.add_parser("tables", help="list the published tables")
    cli_release.add_parsers(sub)
    cli_validate.add_parsers(sub)
    return parser


def _say(lines: Sequence[str], stream: object = sys.stdout) -> None:
    for line in lines:
        print(printable(line), file=stream)  # type: ignore[call-overload]


def cmd_build(args: argparse.Namespace) -> int:
    from .build import build
    from .publish import differences, publish
    from .settings import load_settings

    settings = load_settings(args.root, args.sources_dir)
    result = build(settings, require_sources=args.require_sources)
    _say([f"note: {n}" for n in result.notes], sys.stderr)
    verified = f"{result.quotes_verified} quotes verified against archived sources"
    if args.check:
        changed = differences(settings.root, result.files)
        if changed:
            _say(
                ["published outputs differ from a fresh build (run 'ca-summit-data build'):"]
                + [f"  {c}" for c in changed],
                sys.stderr,
            )
            return EXIT_INVALID
        print(f"ok: {len(result.files)} published files match a fresh build; {verified}")
        return EXIT_OK
    notes = publish(settings.root, result.files)
    _say([f"note: {n}" for n in notes], sys.stderr)
    rows = sum(len(r) for r in result.dataset.tables.values())
    print(f"published {len(result.files)} files ({len(result.dataset.tables)} tables, {rows} rows); {verified}")
    return EXIT_OK


def cmd_recover(args: argparse.Namespace) -> int:
    from .publish import publish_lock, recover
    from .settings import find_root

    root = find_root(args.root)
    with publish_lock(root):
        done = recover(root)
    print(done or "nothing to recover")
    return EXIT_OK


def cmd_tables(args: argparse.Namespace) -> int:
    from .read import tables

    _say(tables())
    return EXIT_OK


COMMANDS = {
    "build": cmd_build,
    "recover": cmd_recover,
    "tables": cmd_tables,
    **cli_release.COMMANDS,
    **cli_validate.COMMANDS,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from .errors import ProblemsFound
    from .fs import TooLarge, UnsafePath, describe_os_error
    from .publish import PublishFailed
    from .settings import NotAProject

    try:
        return COMMANDS[args.command](args)
    except ProblemsFound as exc:
        _say([f"error: {line}" for line in exc.report().splitlines()], sys.stderr)
        print(f"{len(exc.problems)} problem(s); nothing was published", file=sys.stderr)
        return EXIT_INVALID
    except (NotAProject, UnsafePath, TooLarge, PublishFailed) as exc:
        print(printable(f"error: {exc}"), file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:  # the file system refused (missing, permission, full disk, read-only): say so
        print(printable(f"error: {describe_os_error(exc)}"), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug of ours: say so in one line, keep the traceback for debugging
        if os.environ.get("CA_SUMMIT_DEBUG"):
            raise
        detail = printable(f"{type(exc).__name__}: {exc}")
        print(f"internal error: {detail} (set CA_SUMMIT_DEBUG=1 for details)", file=sys.stderr)
        return EXIT_INTERNAL


def run() -> NoReturn:
    """The installed ``ca-summit-data`` command: :func:`main`, then leave at once.

    pyarrow's native thread pools can abort a process that has finished its work
    (SIGABRT, "terminate called without an active exception") while the
    interpreter tears them down at exit; CI saw it once after a build had printed
    its result. So once everything we printed is flushed, a process that loaded
    pyarrow ends with ``os._exit`` and skips that teardown: there is nothing left
    of ours to clean up, since every file is written and closed inside ``main``.
    """
    try:
        code = main()
    except SystemExit as exc:  # argparse: --help, --version and usage errors
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:
            print(exc.code, file=sys.stderr)
            code = EXIT_INVALID
    code = flush_output(code)
    if "pyarrow" in sys.modules:
        os._exit(code)
    sys.exit(code)


def flush_output(code: int) -> int:
    """Flush standard output and error; the exit code, made non-zero if the output could not be written.

    A reader that has gone (``| head``) took what it wanted: the code stands. Any other
    failure (a full disk) means the output is lost, which is said on standard error and
    gives exit code 2 (an environment problem). Either way the stream is pointed at
    ``/dev/null`` so that the interpreter's own last flush cannot fail again.
    """
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:
            to_devnull(stream)
        except (OSError, ValueError) as exc:
            to_devnull(stream)
            if stream is sys.stdout:
                with contextlib.suppress(OSError, ValueError):
                    print(f"error: could not write the output: {exc}", file=sys.stderr, flush=True)
            code = code or EXIT_USAGE
    return code


def to_devnull(stream: object) -> None:
    """Point a stream's file descriptor at ``/dev/null``, so that nothing written to it can fail again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())  # type: ignore[attr-defined]
