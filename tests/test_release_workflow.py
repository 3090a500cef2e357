"""The GitHub Actions workflow passes actionlint and does what the README says; .ci/run runs the release checks."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from .conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"


def actionlint() -> str:
    found = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")
    assert found is not None, "actionlint is not installed (the dev extra installs it)"
    return found


def test_the_workflow_passes_actionlint() -> None:
    proc = subprocess.run([actionlint(), "-color=false", str(WORKFLOW)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_actionlint_is_not_vacuous(tmp_path: Path) -> None:
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    text = WORKFLOW.read_text(encoding="utf-8").replace("${{ github.ref_name }}", "${{ github.no_such_thing }}")
    broken.write_text(text, encoding="utf-8")
    proc = subprocess.run([actionlint(), "-color=false", str(broken)], capture_output=True, text=True)
    assert proc.returncode == 1
    assert "no_such_thing" in proc.stdout


def test_ci_on_every_push_and_a_release_on_version_tags() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key 'on' as true
    assert triggers["push"]["branches"] == ["**"] and triggers["push"]["tags"] == ["v*"]
    check, release = workflow["jobs"]["check"], workflow["jobs"]["release"]
    runs = [step.get("run", "") for step in check["steps"]]
    assert "bash .ci/run" in runs
    checkout = check["steps"][0]
    assert checkout["with"]["fetch-depth"] == 0, "the version check needs the history and the tags"
    assert release["needs"] == "check"
    assert release["if"] == "${{ startsWith(github.ref, 'refs/tags/v') }}"
    assert release["permissions"] == {"contents": "write"}
    script = "\n".join(step.get("run", "") for step in release["steps"])
    assert "python -m build" in script and "twine check --strict dist/*" in script
    assert 'ca-summit-data release --tag "$TAG"' in script
    assert "gh release create" in script and "release/assets/*" in script


def test_ci_script_runs_the_release_checks() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert subprocess.run(["bash", "-n", str(ROOT / ".ci" / "run")]).returncode == 0
    assert "apt-get install -y -qq chromium" in script
    assert "ca-summit-data citation --check" in script
    assert "ca-summit-data diff --check" in script
    assert "git rev-list --max-parents=0 HEAD" in script
