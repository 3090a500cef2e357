"""The packages: an sdist and a wheel that twine and check-wheel-contents accept, a wheel that carries the data
and loads it from site-packages, and the release assets with their sha256 sums."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

from ca_summit_data import __version__
from ca_summit_data.cli import main
from ca_summit_data.release import ReleaseProblem, data_zip_name, release_assets

from .conftest import ROOT

DESCRIPTOR = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
WHEEL = f"ca_summit_data-{__version__}-py3-none-any.whl"
SDIST = f"ca_summit_data-{__version__}.tar.gz"


def tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    assert found is not None, f"{name} is not installed in this environment (it is in the dev extra)"
    return found


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(args, capture_output=True, text=True, cwd=cwd)
    assert proc.returncode == 0, f"{args[:3]} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``python -m build`` (sdist, then the wheel from the sdist), without network: hatchling is in the dev extra."""
    out = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT))
    assert sorted(p.name for p in out.iterdir()) == sorted([WHEEL, SDIST])
    return out


def test_twine_and_check_wheel_contents_accept_the_packages(dist: Path) -> None:
    twine = run(sys.executable, "-m", "twine", "check", "--strict", str(dist / WHEEL), str(dist / SDIST))
    assert twine.stdout.count("PASSED") == 2
    checked = run(tool("check-wheel-contents"), str(dist / WHEEL))
    assert checked.stdout.strip().endswith("OK")


def test_the_wheel_carries_the_published_data_and_py_typed(dist: Path) -> None:
    with zipfile.ZipFile(dist / WHEEL) as wheel:
        names = set(wheel.namelist())
        assert "ca_summit_data/py.typed" in names
        assert wheel.read("ca_summit_data/dataset/datapackage.json") == (ROOT / "datapackage.json").read_bytes()
        for resource in DESCRIPTOR["resources"]:
            content = wheel.read(f"ca_summit_data/dataset/{resource['path']}")
            assert "sha256:" + hashlib.sha256(content).hexdigest() == resource["hash"], resource["path"]
        for schema in (ROOT / "schemas").glob("*.json"):
            assert f"ca_summit_data/dataset/schemas/{schema.name}" in names
        for template in ("base.html.j2", "index.html.j2", "table.html.j2"):
            assert f"ca_summit_data/website/templates/{template}" in names
        assert "ca_summit_data/website/static/site.css" in names
        metadata = wheel.read(f"ca_summit_data-{__version__}.dist-info/METADATA").decode()
        assert f"Version: {__version__}" in metadata
        assert "Provides-Extra: site" in metadata
        entry_points = wheel.read(f"ca_summit_data-{__version__}.dist-info/entry_points.txt").decode()
        assert "ca-summit-data = ca_summit_data.cli:run" in entry_points
        assert not any(n.startswith(("seeds/", "tests/", "site/")) for n in names)


def test_the_sdist_carries_sources_seeds_tests_and_release_metadata(dist: Path) -> None:
    with tarfile.open(dist / SDIST) as sdist:
        names = {n.split("/", 1)[1] for n in sdist.getnames() if "/" in n}
    for expected in ("CHANGELOG.md", "CITATION.cff", "LICENSE", "README.md", "datapackage.json", "pyproject.toml"):
        assert expected in names
    assert "seeds/summits.yaml" in names and "src/ca_summit_data/py.typed" in names
    assert any(n.startswith("tests/test_") for n in names)


def fresh_venv(dist: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A fresh venv with the wheel installed (its dependencies from this environment); (its python, site-packages)."""
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", str(venv))
    python = venv / "bin" / "python"
    site_packages = Path(
        run(str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip()
    )
    # Dependencies from this environment, as plain paths: no .pth of theirs (such as an editable install) runs.
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site_packages / "deps-from-test-env.pth").write_text("\n".join(sorted(deps)) + "\n", encoding="utf-8")
    run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        str(python),
        "install",
        "-q",
        "--no-deps",
        "--no-index",
        str(dist / WHEEL),
    )
    return python, site_packages


def analyst_path() -> str:
    """The README's analyst path: the python block after its ``analyst-path`` marker, as written."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    after = readme[readme.index("<!-- analyst-path:") :]
    start = after.index("```python\n") + len("```python\n")
    return after[start : after.index("```", start)]


def test_the_readmes_analyst_path_runs_as_written_from_the_wheel(dist: Path, tmp_path: Path) -> None:
    python, _ = fresh_venv(dist, tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    script = elsewhere / "first_hour.py"
    script.write_text(analyst_path() + "\nimport os, sys; sys.stdout.flush(); os._exit(0)\n", encoding="utf-8")
    out = run(str(python), str(script), cwd=elsewhere).stdout
    assert "['summits', 'dialogues', 'events'" in out
    assert "3000000000000" in out and "600000000000" in out, "the target and the target per year, exactly"
    assert "2004-08-28" in out and "Astana" in out and "2014-07" in out, "the Dialogue's history"
    assert "19:15" in out and "Leaders' meeting" in out, "the summit's programme"


def test_the_installed_wheel_loads_from_site_packages(dist: Path, tmp_path: Path) -> None:
    """A fresh venv, the wheel installed without its dependencies (they come from this environment), run elsewhere."""
    python, site_packages = fresh_venv(dist, tmp_path)
    venv = tmp_path / "venv"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    script = (
        "import json, ca_summit_data\n"
        "df = ca_summit_data.load('initiatives')\n"
        "print(json.dumps({'file': ca_summit_data.__file__, 'path': str(ca_summit_data.dataset_path()),\n"
        "  'rows': len(df), 'tables': ca_summit_data.tables(), 'version': ca_summit_data.__version__,\n"
        "  'summit': ca_summit_data.summit().summit.city}), flush=True)\n"
        "import os; os._exit(0)  # skip pyarrow's thread-pool teardown, as the command does\n"
    )
    result = json.loads(run(str(python), "-c", script, cwd=elsewhere).stdout)
    assert Path(result["file"]).is_relative_to(site_packages)
    assert Path(result["path"]) == site_packages / "ca_summit_data" / "dataset"
    initiatives = (ROOT / "data" / "initiatives.csv").read_text(encoding="utf-8").splitlines()
    assert result["rows"] == len(initiatives) - 1
    assert result["tables"] == [r["name"] for r in DESCRIPTOR["resources"] if r["type"] == "table"]
    assert result["version"] == __version__ and result["summit"] == "Tokyo"
    tables = run(str(venv / "bin" / "ca-summit-data"), "tables", cwd=elsewhere).stdout.split()
    assert tables == result["tables"]
    # The validator finds our tables' rules in the packaged datapackage.json: a bad ISO code in a copy is caught.
    shutil.copy2(ROOT / "data" / "persons.csv", elsewhere / "persons.csv")
    ok = run(str(venv / "bin" / "ca-summit-data"), "validate", "persons.csv", cwd=elsewhere).stdout
    assert ok.startswith("ok: 1 file(s) valid")
    persons = elsewhere / "persons.csv"
    persons.write_text(persons.read_text(encoding="utf-8").replace(",TJK", ",XXK", 1), encoding="utf-8")
    bad = subprocess.run([str(venv / "bin" / "ca-summit-data"), "validate", "persons.csv"], cwd=elsewhere,
                         capture_output=True, text=True)
    assert bad.returncode == 1 and "[iso-code]" in bad.stdout, bad.stdout + bad.stderr


@pytest.fixture
def release_root(project: Path) -> Path:
    for name in ("CHANGELOG.md", "CITATION.cff", "LICENSE", "README.md"):
        shutil.copy2(ROOT / name, project / name)
    changelog = project / "CHANGELOG.md"
    dated = changelog.read_text(encoding="utf-8").replace(
        f"## [{__version__}] - Unreleased", f"## [{__version__}] - 2026-01-31"
    )
    changelog.write_text(dated, encoding="utf-8")
    return project


def test_release_assets_with_their_sha256_sums(dist: Path, release_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "release"
    written = release_assets(release_root, dist, out, tag=f"v{__version__}")
    assets = out / "assets"
    names = {p.name for p in written}
    expected_data = {Path(r["path"]).name for r in DESCRIPTOR["resources"]}
    assert (
        names
        == {WHEEL, SDIST, "datapackage.json", "CITATION.cff", data_zip_name(__version__), "SHA256SUMS"} | expected_data
    )
    sums = {
        name: digest
        for digest, name in (line.split("  ", 1) for line in (assets / "SHA256SUMS").read_text().splitlines())
    }
    assert set(sums) == names - {"SHA256SUMS"}
    for name, digest in sums.items():
        assert hashlib.sha256((assets / name).read_bytes()).hexdigest() == digest, name
    with zipfile.ZipFile(assets / data_zip_name(__version__)) as archive:
        assert {r["path"] for r in DESCRIPTOR["resources"]} | {"datapackage.json", "CITATION.cff"} <= set(
            archive.namelist()
        )
        assert archive.read("data/persons.csv") == (ROOT / "data" / "persons.csv").read_bytes()
    notes = (out / "notes.md").read_text(encoding="utf-8")
    assert notes.startswith("The first release.") and "### Added" in notes
    first_zip = (assets / data_zip_name(__version__)).read_bytes()
    release_assets(release_root, dist, out, tag=f"v{__version__}")
    assert (assets / data_zip_name(__version__)).read_bytes() == first_zip, "the zip is reproducible"


def test_a_release_that_is_not_ready_is_refused(dist: Path, release_root: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "release")
    common = ["release", "--root", str(release_root), "--dist", str(dist), "--out", out]
    assert main([*common, "--tag", "v99.0.0"]) == 1, "the tag must name the package version"
    assert main([*common, "--dist", str(tmp_path)]) == 1, "the wheel and sdist must be built"
    persons = release_root / "data" / "persons.csv"
    persons.write_bytes(persons.read_bytes() + b"\n")
    assert main(common) == 1, "a data file that differs from datapackage.json"
    with pytest.raises(ReleaseProblem, match="no release date"):
        release_assets(ROOT, dist, tmp_path / "r2", tag=f"v{__version__}")
