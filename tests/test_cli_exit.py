"""How the installed command ends: exit codes kept, output flushed, native teardown skipped.

``cli.run`` leaves with ``os._exit`` once pyarrow is loaded, so that pyarrow's thread
pools cannot abort a finished process at interpreter exit. These tests run it in a
child process whose output goes to a pipe (block-buffered, so unflushed text would be
lost) and whose ``atexit`` hook shows which way it left.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

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
    assert proc.stdout.startswith("ok: 47 published files match a fresh build")
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
