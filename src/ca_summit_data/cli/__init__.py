"""The ``ca-summit-data`` command: a thin shell per command family over functions the tests call directly.

``build`` (build, recover, tables), ``validate`` (validate, verify) and ``release``
(diff, citation, site, release) each register their subcommands and handle their
arguments; this module assembles the parser and turns every outcome into one exit code
(``problems.Exit``): 0 success; 1 invalid input or a check that failed; 2 a usage error
or an input or environment that could not be used; 3 a bug of ours, said in one line
(``CA_SUMMIT_DEBUG=1`` shows its traceback). Bad input is reported one problem a line,
never as a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from .. import __version__
from ..problems import Exit
from . import build, release, validate
from .output import error, flush_output, say

__all__ = ["flush_output", "main", "run"]

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    **build.COMMANDS, **validate.COMMANDS, **release.COMMANDS,
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ca-summit-data",
        description="Build, publish, validate and release the Central Asia plus Japan summit dataset.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build.add_parsers(sub)
    validate.add_parsers(sub)
    release.add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from ..fs import PublishFailed, TooLarge, UnsafePath, describe_os_error
    from ..package import UnreadablePackage
    from ..problems import ProblemsFound
    from ..settings import NotAProject

    try:
        return COMMANDS[args.command](args)
    except ProblemsFound as exc:
        say([f"error: {line}" for line in exc.report().splitlines()], sys.stderr)
        print(f"{len(exc.problems)} problem(s); nothing was published", file=sys.stderr)
        return exc.exit
    except (NotAProject, UnsafePath, TooLarge, PublishFailed, UnreadablePackage) as exc:
        error(str(exc))
        return Exit.USAGE
    except OSError as exc:  # the file system refused (missing, permission, full disk, read-only): say so
        error(describe_os_error(exc))
        return Exit.USAGE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return Exit.INTERRUPTED
    except Exception as exc:  # a bug of ours: say so in one line, keep the traceback for debugging
        if os.environ.get("CA_SUMMIT_DEBUG"):
            raise
        say([f"internal error: {type(exc).__name__}: {exc} (set CA_SUMMIT_DEBUG=1 for details)"], sys.stderr)
        return Exit.INTERNAL


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
            code = Exit.INVALID
    code = flush_output(code)
    if "pyarrow" in sys.modules:
        os._exit(code)
    sys.exit(code)
