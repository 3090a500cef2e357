"""How the installed command ends: exit codes kept, output flushed, native teardown skipped.

``cli.run`` leaves with ``os._exit`` once pyarrow is loaded, so that pyarrow's thread
pools cannot abort a finished process at interpreter exit. These tests run it in a
child process whose output goes to a pipe (block-buffered, so unflushed text would be
lost) and whose ``atexit`` hook shows which way it left.
"""

from __future__ import annotations

import errno
import io
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import NoReturn

import pytest

from ca_summit_data import cli

CHILD = """
import atexit, sys
atexit.register(lambda: print("atexit ran", file=sys.stderr))
sys.argv = ["ca-summit-data", *sys.argv[1:]]
from ca_summit_data.cli import run
run()
"""


def run_command(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # buffered, as users run it
    return subprocess.run(
        [sys.executable, "-c", CHILD, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def test_a_command_that_loaded_pyarrow_flushes_its_output_and_skips_teardown(
    project: Path, sources_dir: Path
) -> None:
    proc = run_command(project, "build", "--check", "--sources-dir", str(sources_dir))
    assert proc.returncode == 0, proc.stderr
    assert re.match(r"ok: \d+ published files match a fresh build", proc.stdout), proc.stdout
    assert "atexit ran" not in proc.stderr


def test_a_failing_command_that_loaded_pyarrow_keeps_its_exit_code_and_message(project: Path) -> None:
    (project / "data" / "countries.csv").write_bytes(b"country_code\nXXX\n")
    proc = run_command(project, "validate", "data/countries.csv")
    assert proc.returncode == 1
    assert "data/countries.csv" in proc.stdout + proc.stderr
    assert "atexit ran" not in proc.stderr


def test_a_command_without_pyarrow_exits_the_ordinary_way(project: Path) -> None:
    proc = run_command(project, "tables")
    assert proc.returncode == 0, proc.stderr
    assert "countries" in proc.stdout
    assert "atexit ran" in proc.stderr


@pytest.mark.parametrize(
    ("args", "code", "expected"),
    [(("--version",), 0, "ca-summit-data "), (("no-such-command",), 2, "invalid choice")],
)
def test_argparse_exits_keep_their_codes(project: Path, args: tuple[str, ...], code: int, expected: str) -> None:
    proc = run_command(project, *args)
    assert proc.returncode == code
    assert expected in proc.stdout + proc.stderr


def test_a_reader_that_leaves_early_is_no_error(project: Path) -> None:
    """``ca-summit-data tables | head -0``: no 'Exception ignored', and the exit code stands."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    proc = subprocess.Popen([sys.executable, "-c", CHILD, "tables"], cwd=project, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # before the child prints anything: its output is block-buffered
    err = proc.stderr.read()
    assert proc.wait(timeout=300) == 0, err
    assert "Exception ignored" not in err and "BrokenPipeError" not in err


def test_output_that_cannot_be_written_is_an_error(project: Path, sources_dir: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    with open("/dev/full", "w") as full:  # every write fails: no space left on device
        proc = subprocess.run([sys.executable, "-c", CHILD, "build", "--check", "--sources-dir", str(sources_dir)],
                              cwd=project, env=env, stdout=full, stderr=subprocess.PIPE, text=True, timeout=300)
    assert proc.returncode == 2, proc.stderr
    assert "error: could not write the output" in proc.stderr


class Exited(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


def leave(code: int) -> NoReturn:
    raise Exited(code)


@pytest.mark.parametrize(("raised", "code", "said"), [(SystemExit("boom"), 1, "boom"), (SystemExit(None), 0, "")])
def test_a_system_exit_inside_the_command_keeps_its_meaning(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], raised: SystemExit, code: int, said: str
) -> None:
    def main() -> int:
        raise raised

    monkeypatch.setattr(cli, "main", main)
    monkeypatch.setattr(os, "_exit", leave)
    monkeypatch.setattr(sys, "exit", leave)
    with pytest.raises(Exited) as exited:
        cli.run()
    assert exited.value.code == code
    assert said in capsys.readouterr().err


class FailingStream(io.StringIO):
    def __init__(self, error: OSError) -> None:
        super().__init__()
        self.error = error

    def flush(self) -> None:
        raise self.error

    def fileno(self) -> int:
        raise io.UnsupportedOperation("no file descriptor")


@pytest.mark.parametrize("code", [0, 1])
def test_flush_output_a_closed_pipe_keeps_the_code(monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    monkeypatch.setattr(sys, "stdout", FailingStream(BrokenPipeError()))
    assert cli.flush_output(code) == code


@pytest.mark.parametrize(("code", "expected"), [(0, 2), (1, 1)])
def test_flush_output_a_failed_write_is_an_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], code: int, expected: int
) -> None:
    monkeypatch.setattr(sys, "stdout", FailingStream(OSError(errno.ENOSPC, "No space left on device")))
    assert cli.flush_output(code) == expected
    assert "could not write the output: [Errno 28] No space left on device" in capsys.readouterr().err


def test_every_command_says_what_it_does_and_root_is_said_one_way() -> None:
    import argparse

    from ca_summit_data.cli import _parser

    parser = _parser()
    (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    roots = set()
    for name, sub in commands.choices.items():
        assert sub.description and len(sub.description) > 30, name
        helps = {a.dest: a.help for a in sub._actions}
        if "root" in helps:
            roots.add(helps["root"])
    listed = {a.dest: a.help for a in commands._choices_actions}
    assert set(listed) == set(commands.choices) and all(listed.values()), "each has a line in --help"
    assert len(roots) == 1, roots
