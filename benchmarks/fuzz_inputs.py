"""Tens of thousands of generated hostile inputs, counted by outcome. Run by hand:

    python benchmarks/fuzz_inputs.py [--cases 2500] [--kinds descriptor,schema,records,seed] [--seed 1]

The generators are those of ``tests/fuzzing.py`` (the test run uses a few hundred of
them). Each case is run in this process through the command's own ``main``; a case
fails if the command exits 3 (an internal error), prints a traceback, takes longer
than ``CASE_SECONDS``, or changes anything outside its work folder. The script prints,
per kind of input, how many cases ended with each exit code and every failure found
(the input, shortened), and exits 1 if there was any.
"""

from __future__ import annotations

import argparse
import collections
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from tests import fuzzing  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=2500, help="cases of each kind")
    parser.add_argument("--kinds", default="descriptor,schema,diff,records,seed")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="fuzz_inputs_"))
    outcomes: dict[str, collections.Counter[str]] = {}
    failures: list[tuple[str, str, str]] = []
    try:
        sentinel = fuzzing.prepare_sentinel(base)
        project = _project(base)
        for kind in args.kinds.split(","):
            counts: collections.Counter[str] = collections.Counter()
            outcomes[kind] = counts
            started = time.perf_counter()
            _run_kind(kind, args.cases, args.seed, base, sentinel, project, counts, failures)
            print(f"{kind:<11} {sum(counts.values()):>6} cases in {time.perf_counter() - started:6.0f} s: "
                  + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())), flush=True)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    total = sum(sum(c.values()) for c in outcomes.values())
    print(f"\n{total} cases, {len(failures)} failures (exit 3, traceback, hang or a write outside the work folder)")
    for kind, args_text, problem in failures[:50]:
        print(f"- {kind}: {problem}\n    {args_text[:400]}")
    return 1 if failures else 0


def _project(base: Path) -> Path:
    root = base / "project"
    root.mkdir()
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    sources = (ROOT.parent / "shared" / "seeds").resolve()
    (root / "pyproject.toml").write_text(text.replace('"../shared/seeds"', f'"{sources.as_posix()}"'))
    for entry in ("seeds", "data", "schemas", "docs"):
        shutil.copytree(ROOT / entry, root / entry)
    shutil.copy2(ROOT / "datapackage.json", root / "datapackage.json")
    return root


def _run_kind(kind: str, cases: int, seed: int, base: Path, sentinel: Path, project: Path,
              counts: collections.Counter[str], failures: list[tuple[str, str, str]]) -> None:
    strategy: Any = {
        "descriptor": fuzzing.descriptor(),
        "schema": fuzzing.schema_case(),
        "diff": fuzzing.descriptor(),
        "records": fuzzing.record_file(),
        "seed": fuzzing.seed_case(),
    }[kind]

    def attempt(args: list[str], work: Path, shown: str) -> None:
        try:
            code = fuzzing.run_case(args, work, sentinel)
            counts[f"exit {code}"] += 1
        except AssertionError as exc:
            counts["FAILED"] += 1
            failures.append((kind, shown, str(exc).splitlines()[0][:300]))
        except fuzzing.Hung as exc:
            counts["HUNG"] += 1
            failures.append((kind, shown, str(exc)))

    @settings(max_examples=cases, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def run(case: Any) -> None:
        if kind in ("descriptor", "schema", "diff"):
            work = fuzzing.fresh(base / "work")
            descriptor = fuzzing.write_descriptor_case(work, case)
            shown = repr(case)
            if kind == "diff":
                attempt(["diff", str(ROOT), str(work)], work, shown)
            else:
                attempt(["validate", "--max-errors", "20", str(descriptor)], work, shown)
                attempt(["verify", str(descriptor)], work, shown)
        elif kind == "records":
            work = fuzzing.fresh(base / "records")
            name, content = case
            (work / name).write_bytes(content)
            attempt(["validate", "--format", "json", str(work / name)], work, repr(case)[:400])
        else:
            name, content = case
            (project / "seeds" / name).write_bytes(content)
            try:
                attempt(["build", "--check", "--root", str(project)], project, repr(case)[:400])
            finally:
                (project / "seeds" / name).write_bytes(fuzzing.SEED_TEXT[name])

    import random

    random.seed(seed)
    run()


if __name__ == "__main__":
    sys.exit(main())
