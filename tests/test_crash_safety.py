"""A build killed at any point leaves the old outputs or the new ones, never a mix; builds never overlap.

The kill is real (SIGKILL, so no clean-up code runs) and lands at each step of the
publish in turn: during each staged file write and at each rename of the swap. After
the kill, the state on disk is either untouched (no journal yet) or carries a journal,
from which ``ca-summit-data recover`` (or the next build) completes the swap.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from ca_summit_data.pipeline.publish import publish_lock

from .conftest import snapshot

KILLER = textwrap.dedent(
    """
    import os, signal, sys
    import ca_summit_data.pipeline.publish as publish

    kind, n = sys.argv[1], int(sys.argv[2])
    calls = {"write": 0, "replace": 0}
    real_replace, real_write = os.replace, publish.fs.write_new

    def die_at(what):
        calls[what] += 1
        if calls[what] == n:
            os.kill(os.getpid(), signal.SIGKILL)

    def replace(a, b):
        if kind == "replace":
            die_at("replace")
        real_replace(a, b)

    def write(path, content, *args):
        if kind == "write":
            die_at("write")
        real_write(path, content, *args)

    os.replace = replace
    publish.fs.write_new = write
    from ca_summit_data.cli import main
    code = main(["build", "--root", sys.argv[3]])
    if n == 0:  # no kill: say how many steps a whole build made
        sys.stderr.write(f"calls={calls[kind]}\\n")
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # as the command itself leaves (no native thread-pool teardown)
    """
)


def change_seeds(root: Path) -> None:
    path = root / "seeds" / "bilateral_meetings.yaml"
    path.write_text(path.read_text().replace("To strengthen bilateral dialogue.", "To strengthen the dialogue."))


@pytest.fixture
def states(project: Path, tmp_path: Path) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The published files before and after a successful build of the changed seeds."""
    old = snapshot(project)
    other = tmp_path / "other"
    shutil.copytree(project, other)
    change_seeds(other)
    subprocess.run(
        [sys.executable, "-m", "ca_summit_data", "build", "--root", str(other)], check=True, capture_output=True
    )
    new = snapshot(other)
    assert new != old
    change_seeds(project)
    return old, new


def recover(root: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "ca_summit_data", "recover", "--root", str(root)], check=True, capture_output=True
    )


def kill_at(root: Path, kind: str, n: int) -> int:
    proc = subprocess.run([sys.executable, "-c", KILLER, kind, str(n), str(root)], capture_output=True, text=True)
    return proc.returncode


def steps(root: Path, kind: str) -> int:
    """How many staged writes or renames a whole build of ``root`` makes (the build runs on a copy)."""
    copy = root.parent / f"count-{kind}"
    shutil.copytree(root, copy)
    proc = subprocess.run([sys.executable, "-c", KILLER, kind, "0", str(copy)], capture_output=True, text=True)
    shutil.rmtree(copy)
    assert proc.returncode == 0, proc.stderr
    return int(proc.stderr.rsplit("calls=", 1)[1].split()[0])


@pytest.mark.parametrize("kind", ["write", "replace"])
def test_kill_at_every_step_leaves_old_or_new(
    project: Path, states: tuple[dict[str, bytes], dict[str, bytes]], kind: str
) -> None:
    """A kill at each rename of the swap, and at the first, second, middle and last two staged writes.

    The staged writes before the journal are alike (each leaves the old outputs untouched); trying every
    one of them would only repeat the same case seventy times, so a sample of them stands for the rest.
    """
    old, new = states
    seen = {"old": 0, "new": 0}
    pristine = project.parent / "pristine"
    shutil.copytree(project, pristine)
    total = steps(project, kind)
    assert total > 3
    chosen = sorted({1, 2, total // 2, total - 1, total} if kind == "write" else set(range(1, total + 1)))
    for n in [*chosen, total + 1]:
        shutil.rmtree(project)
        shutil.copytree(pristine, project)
        code = kill_at(project, kind, n)
        if n > total:  # no kill: the build finishes
            assert code == 0
            assert snapshot(project) == new
            break
        assert code == -signal.SIGKILL, f"the build made fewer than {n} {kind} steps"
        journal = (project / ".publish" / "journal.json").exists()
        if not journal:
            assert snapshot(project) == old, f"no journal after kill at {kind} {n}, yet the outputs changed"
        recover(project)
        after = snapshot(project)
        assert after in (old, new), f"a mix of old and new after kill at {kind} {n}"
        seen["old" if after == old else "new"] += 1
        assert not (project / ".publish" / "new").exists()
    if kind == "write":
        assert seen["old"] == len(chosen)  # every kill while staging leaves the old outputs
    else:
        assert seen["new"] >= 1  # a kill during the swap is rolled forward


def test_kill_at_random_moments(project: Path, states: tuple[dict[str, bytes], dict[str, bytes]]) -> None:
    old, new = states
    rng = random.Random(20251220)
    for _ in range(6):
        proc = subprocess.Popen(
            [sys.executable, "-m", "ca_summit_data", "build", "--root", str(project)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.2, 2.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        recover(project)
        assert snapshot(project) in (old, new)
        if snapshot(project) == new:  # put the old state back for the next round
            (project / ".publish").mkdir(exist_ok=True)
            for relative, content in old.items():
                (project / relative).write_bytes(content)


def test_a_second_build_waits_for_no_one_and_says_why(project: Path) -> None:
    before = snapshot(project)
    change_seeds(project)
    with publish_lock(project):
        proc = subprocess.run(
            [sys.executable, "-m", "ca_summit_data", "build", "--root", str(project)], capture_output=True, text=True
        )
    assert proc.returncode == 1
    assert "another build is publishing in this folder" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert snapshot(project) == before


def test_builds_started_together_do_not_corrupt_each_other(
    project: Path, states: tuple[dict[str, bytes], dict[str, bytes]]
) -> None:
    _, new = states
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "ca_summit_data", "build", "--root", str(project)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    results = [(p.wait(), p.stderr.read() if p.stderr else "") for p in procs]
    assert any(code == 0 for code, _ in results)
    for code, err in results:
        assert code == 0 or (code == 1 and "another build is publishing" in err), (code, err)
    assert snapshot(project) == new
    assert not os.path.exists(project / ".publish" / "journal.json")
