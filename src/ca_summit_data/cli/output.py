"""Writing to the terminal: one line at a time, made printable, and surviving a reader that left or a full disk."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable
from typing import TextIO

from ..problems import Exit
from ..schema.text import printable


def say(lines: Iterable[str], stream: TextIO | None = None) -> None:
    """Print lines (standard output by default), each made printable (``schema.text.printable``)."""
    out = sys.stdout if stream is None else stream
    for line in lines:
        print(printable(line), file=out)


def error(message: str) -> None:
    say([f"error: {message}"], sys.stderr)


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
            code = code or Exit.USAGE
    return code


def to_devnull(stream: object) -> None:
    """Point a stream's file descriptor at ``/dev/null``, so that nothing written to it can fail again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())  # type: ignore[attr-defined]
