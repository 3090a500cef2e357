"""Hostile checkouts and inputs: nothing is written or read outside the folder a command is given,
no value is silently changed, and every refusal is a message with a non-zero exit, never exit 3.

Each test reproduces one way an earlier version could be led astray (a committed journal that
moved a payload over a file outside the project, a link at ``docs/`` or ``CITATION.cff``, a FIFO
that hung the validator, a YAML float that rounded money) and checks what happens now.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ca_summit_data.cli import main

from .conftest import snapshot

OUTSIDE_TEXT = "the user's own file\n"


def run(*args: str, cwd: Path | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ca_summit_data", *args], capture_output=True, text=True, cwd=cwd, timeout=timeout
    )


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file beside the project that no command may touch."""
    victim = tmp_path / "victim.txt"
    victim.write_text(OUTSIDE_TEXT)
    return victim


# --------------------------------------------------------------------------- publishing writes only inside


@pytest.mark.parametrize("entry", ["../victim.txt", "../../victim.txt", "/tmp/victim.txt", "data/../../victim.txt"])
@pytest.mark.parametrize("command", ["build", "recover"])
def test_a_committed_journal_cannot_move_files_outside(project: Path, outside: Path, entry: str, command: str) -> None:
    before = snapshot(project)
    work = project / ".publish"
    (work / "new").mkdir(parents=True)
    (work / "victim.txt").write_text("payload")
    (work / "new" / "x").write_text("payload")
    (work / "journal.json").write_text(json.dumps({"entries": [entry]}))
    proc = run(command, "--root", str(project))
    assert proc.returncode == 2, proc.stderr
    assert "not a journal of this tool" in proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    assert outside.read_text() == OUTSIDE_TEXT
    assert snapshot(project) == before


@pytest.mark.parametrize("journal", ["{", "[]", '{"entries": "data"}', '{"entries": [1]}', "\x00\xff"])
def test_a_corrupt_journal_is_a_message_not_an_internal_error(project: Path, journal: str) -> None:
    before = snapshot(project)
    (project / ".publish").mkdir()
    (project / ".publish" / "journal.json").write_text(journal, errors="surrogateescape")
    for command in ("build", "recover"):
        proc = run(command, "--root", str(project))
        assert proc.returncode == 2, proc.stderr
        assert "remove the .publish folder" in proc.stderr
    assert snapshot(project) == before


def test_staged_links_from_a_committed_journal_are_refused(project: Path, tmp_path: Path) -> None:
    before = snapshot(project)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    work = project / ".publish"
    (work / "new").mkdir(parents=True)
    (work / "new" / "data").symlink_to(elsewhere)
    (work / "journal.json").write_text(json.dumps({"entries": ["data"]}))
    proc = run("recover", "--root", str(project))
    assert proc.returncode == 2
    assert "link" in proc.stderr
    assert snapshot(project) == before
    assert not (project / "data").is_symlink()


@pytest.mark.parametrize("link", [".publish", ".publish/lock", "docs", "data", "datapackage.json"])
def test_build_never_writes_through_a_committed_link(project: Path, tmp_path: Path, link: str) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text(OUTSIDE_TEXT)
    path = project / link
    if path.is_dir():
        os.rename(path, elsewhere / "moved")
    elif path.exists():
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    target = elsewhere / ("lock" if link.endswith("lock") else "target")
    path.symlink_to(target if link.endswith(("lock", ".json")) else elsewhere)
    proc = run("build", "--root", str(project))
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "symbolic link" in proc.stderr
    moved = ["moved"] if link in ("docs", "data") else []
    assert sorted(p.name for p in elsewhere.iterdir()) == sorted(["keep.txt", *moved])
    assert (elsewhere / "keep.txt").read_text() == OUTSIDE_TEXT


def test_citation_replaces_a_link_it_would_otherwise_write_through(project: Path, outside: Path) -> None:
    (project / "CITATION.cff").symlink_to(outside)
    proc = run("citation", "--root", str(project))
    assert proc.returncode == 2, proc.stderr
    assert "symbolic link" in proc.stderr
    assert outside.read_text() == OUTSIDE_TEXT


def test_citation_writes_a_regular_file(project: Path) -> None:
    assert main(["citation", "--root", str(project)]) == 0
    path = project / "CITATION.cff"
    assert path.is_file() and not path.is_symlink()
    assert oct(path.stat().st_mode & 0o777) == oct(0o644)


def test_site_refuses_a_committed_site_link(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / "site").symlink_to(elsewhere)
    proc = run("site", "--root", str(project))
    assert proc.returncode == 2, proc.stderr
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EROFS, errno.EACCES])
def test_a_full_disk_or_read_only_folder_is_said_and_leaves_outputs(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], error: int
) -> None:
    from ca_summit_data import fs

    before = snapshot(project)
    seeds = project / "seeds" / "summits.yaml"
    seeds.write_text(seeds.read_text().replace("edition: 1", "edition: 2"))
    written = []

    def refuse(path: Path, content: bytes, mode: int = 0o644) -> None:
        written.append(path)
        if len(written) == 5:
            raise OSError(error, os.strerror(error), str(path))
        real(path, content, mode)

    real = fs.write_new
    monkeypatch.setattr(fs, "write_new", refuse)
    assert main(["build", "--root", str(project)]) == 2
    err = capsys.readouterr().err
    assert os.strerror(error) in err
    assert "nothing was published" in err
    assert snapshot(project) == before
    assert not (project / ".publish" / "new").exists()


def test_a_failed_swap_after_the_commit_point_says_how_to_finish(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds = project / "seeds" / "summits.yaml"
    seeds.write_text(seeds.read_text().replace("edition: 1", "edition: 2"))
    real = os.replace
    calls = []

    def replace(a: object, b: object) -> None:
        calls.append(a)
        if len(calls) == 4:  # the journal, then two entries: the third entry fails
            raise PermissionError(errno.EACCES, "Permission denied", str(b))
        real(a, b)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", replace)
    assert main(["build", "--root", str(project)]) == 2
    err = capsys.readouterr().err
    assert "Permission denied" in err and "ca-summit-data recover" in err and "part old, part new" in err
    monkeypatch.setattr(os, "replace", real)
    assert main(["recover", "--root", str(project)]) == 0
    assert main(["build", "--check", "--root", str(project)]) == 0


# --------------------------------------------------------------------------- values exactly as written, or refused


def set_amount(project: Path, text: str, field: str = "amount") -> Path:
    path = project / "seeds" / "financial_targets.yaml"
    lines = path.read_text().splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith(f"  {field}: "))
    lines[index] = f"  {field}: {text}"
    path.write_text("\n".join(lines) + "\n")
    return path


def published_amount(project: Path) -> str:
    import csv

    with open(project / "data" / "financial_targets.csv", newline="") as handle:
        return next(csv.DictReader(handle))["amount"]


@pytest.mark.parametrize("text", ["1234567890123456.78", "3000000000000.5", "0.0001", "3.0e+12", "3000000000000"])
def test_an_unquoted_yaml_amount_is_published_exactly(project: Path, text: str) -> None:
    from decimal import Decimal

    set_amount(project, text)
    assert main(["build", "--root", str(project)]) == 0
    assert Decimal(published_amount(project)) == Decimal(text)
    assert published_amount(project) == format(Decimal(text).normalize(), "f")


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("3000000000000.00001", "more than 4 decimal places"),
        ("1.0e-999999999", "exponent beyond"),
        ("1.0e+999999999999", "exponent beyond"),
        ("1e999999999999", "30 digits in total"),
        ("1" * 4400, "more than 1000 characters"),
        (".inf", "not a number we read exactly"),
        (".nan", "not a number we read exactly"),
        ("3_000", "another notation"),
        ("0x10", "another notation"),
        ("1:0", "another notation"),
    ],
)
def test_a_yaml_amount_that_cannot_be_kept_exactly_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str], text: str, said: str
) -> None:
    before = snapshot(project)
    set_amount(project, text)
    assert main(["build", "--root", str(project)]) == 1
    err = capsys.readouterr().err
    assert said in err and "seeds/financial_targets.yaml:" in err
    assert snapshot(project) == before


@pytest.mark.parametrize(("text", "said"), [("010", "another notation"), ("1:0", "another notation"),
                                            ("0o5", "valid integer"), ("5.0", "5.0")])
def test_yaml_1_1_integers_are_not_re_read(
    project: Path, capsys: pytest.CaptureFixture[str], text: str, said: str
) -> None:
    set_amount(project, text, field="period_years")
    assert main(["build", "--root", str(project)]) == 1
    err = capsys.readouterr().err
    assert said in err
    assert "seeds/financial_targets.yaml:" in err


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "y", "n"])
def test_yaml_1_1_booleans_are_refused(project: Path, capsys: pytest.CaptureFixture[str], word: str) -> None:
    path = project / "seeds" / "countries.yaml"
    path.write_text(path.read_text().replace("central_asian: true", f"central_asian: {word}", 1))
    code = main(["build", "--root", str(project)])
    err = capsys.readouterr().err
    assert code == 1
    assert "write true or false" in err or "boolean" in err


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_validate_reads_seed_amounts_exactly(tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    record = (Path(__file__).resolve().parents[1] / "seeds" / "financial_targets.yaml").read_text()
    record = record.replace("amount: 3000000000000", "amount: 3000000000000.00001")
    path = tmp_path / f"financial_targets.{fmt}"
    if fmt == "json":
        import yaml

        data = yaml.safe_load(record.replace("amount: 3000000000000.00001", "amount: AMOUNT"))
        path.write_text(json.dumps(data).replace('"AMOUNT"', "3000000000000.00001"))
    else:
        path.write_text(record)
    assert main(["validate", str(path)]) == 1
    assert "4 decimal places" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("cell", "said"),
    [("1e999999999999", "digits before the decimal point"), ("1e-999999999", "decimal places"),
     ("9" * 4400, "longer than 1000 characters")],
)
def test_validate_judges_extreme_amounts_without_crashing(tmp_path: Path, cell: str, said: str) -> None:
    import csv

    source = Path(__file__).resolve().parents[1] / "data" / "financial_targets.csv"
    with open(source, newline="") as handle:
        rows = list(csv.reader(handle))
    rows[1][rows[0].index("amount")] = cell
    target = tmp_path / "financial_targets.csv"
    with open(target, "w", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    proc = run("validate", str(target))
    assert proc.returncode == 1, proc.stderr
    assert said in proc.stdout


# --------------------------------------------------------------------------- reading only inside, never hanging

REPO = Path(__file__).resolve().parents[1]
SECRET = "ghp_SECRET_TOKEN_0123456789"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret" / "token.csv"
    path.parent.mkdir()
    path.write_text(f"person_id,name,country_code\n{SECRET},{SECRET},XXX\n")
    return path


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_validate_a_folder_does_not_follow_links_out_of_it(tmp_path: Path, secret: Path, fmt: str) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "persons.csv").symlink_to(secret)
    proc = run("validate", "--format", fmt, str(folder))
    assert proc.returncode == 2, proc.stdout
    assert SECRET not in proc.stdout + proc.stderr
    assert "outside" in proc.stdout


def test_validate_a_file_does_not_follow_a_link_out_of_its_folder(tmp_path: Path, secret: Path) -> None:
    (tmp_path / "data").mkdir()
    link = tmp_path / "data" / "persons.csv"
    link.symlink_to(secret)
    proc = run("validate", "--format", "github", str(link))
    assert proc.returncode == 2
    assert SECRET not in proc.stdout + proc.stderr


def test_a_link_inside_the_folder_is_still_read(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "real.csv").write_bytes((REPO / "data" / "persons.csv").read_bytes())
    (folder / "persons.csv").symlink_to(folder / "real.csv")
    proc = run("validate", str(folder / "persons.csv"))
    assert proc.returncode == 0, proc.stdout


@pytest.mark.parametrize("kind", ["fifo", "device"])
@pytest.mark.parametrize("command", ["validate-file", "validate-folder", "validate-package", "verify"])
def test_fifos_and_devices_are_refused_not_waited_on(tmp_path: Path, kind: str, command: str) -> None:
    folder = tmp_path / "pkg"
    folder.mkdir()
    target = folder / "persons.csv"
    if kind == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to("/dev/zero") if command == "validate-package" else os.symlink("/dev/zero", target)
    descriptor = {"resources": [{"name": "persons", "path": "persons.csv", "format": "csv", "bytes": 1,
                                 "hash": "sha256:" + "0" * 64}]}
    (folder / "datapackage.json").write_text(json.dumps(descriptor))
    args = {
        "validate-file": ["validate", str(target)],
        "validate-folder": ["validate", str(folder)],
        "validate-package": ["validate", str(folder / "datapackage.json")],
        "verify": ["verify", str(folder / "datapackage.json")],
    }[command]
    proc = run(*args, timeout=30)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "internal error" not in proc.stderr


def test_diff_does_not_follow_links_out_of_a_package(project: Path, tmp_path: Path, secret: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "datapackage.json").write_bytes((project / "datapackage.json").read_bytes())
    (other / "data").mkdir()
    for path in (project / "data").iterdir():
        (other / "data" / path.name).write_bytes(path.read_bytes())
    (other / "data" / "persons.csv").unlink()
    (other / "data" / "persons.csv").symlink_to(secret)
    proc = run("diff", str(project), str(other), timeout=30)
    assert proc.returncode == 2, proc.stdout
    assert SECRET not in proc.stdout + proc.stderr
    (other / "data" / "persons.csv").unlink()
    (other / "data" / "persons.csv").symlink_to("/dev/zero")
    proc = run("diff", str(project), str(other), timeout=30)
    assert proc.returncode == 2, proc.stdout


def test_a_nul_byte_in_a_resource_path_is_refused(tmp_path: Path) -> None:
    descriptor = {"resources": [{"name": "persons", "path": "data/per\x00sons.csv", "format": "csv",
                                 "schema": {"fields": [{"name": "a"}]}}]}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    proc = run("validate", str(tmp_path / "datapackage.json"))
    assert proc.returncode == 2
    assert "NUL" in proc.stdout and "internal error" not in proc.stderr


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_a_lone_surrogate_in_a_record_file_is_reported(tmp_path: Path, fmt: str) -> None:
    (tmp_path / "summits.json").write_text('[{"summit_id": "a\\ud800"}]')
    proc = run("validate", "--format", fmt, str(tmp_path / "summits.json"))
    assert proc.returncode == 1, proc.stderr
    assert "surrogate" in proc.stdout and "internal error" not in proc.stderr


@pytest.mark.parametrize("depth", [200, 100_000])
def test_a_deeply_nested_descriptor_is_refused(tmp_path: Path, depth: int) -> None:
    (tmp_path / "datapackage.json").write_text('{"resources": ' + "[" * depth + "]" * depth + "}")
    proc = run("validate", str(tmp_path / "datapackage.json"))
    assert proc.returncode == 2
    assert "nested more than" in proc.stdout and "internal error" not in proc.stderr


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_file_names_cannot_fake_workflow_commands(tmp_path: Path, fmt: str) -> None:
    name = "x\n::error title=pwned::all good\x1b[31m.csv"
    (tmp_path / name).write_text("a\n1\n")
    proc = run("validate", "--format", fmt, str(tmp_path / name))
    for line in proc.stdout.splitlines() + proc.stderr.splitlines():
        assert not line.startswith("::error title=pwned"), line
        assert "\x1b" not in line


def test_an_undecodable_file_name_is_printed(tmp_path: Path) -> None:
    name = os.fsdecode(b"persons-\xff.csv")
    (tmp_path / name).write_bytes((REPO / "data" / "persons.csv").read_bytes())
    for fmt in ("text", "json", "github"):
        proc = run("validate", "--format", fmt, "--table", "persons", str(tmp_path / name))
        assert proc.returncode == 0, proc.stderr
        assert "\\udcff" in proc.stdout or "ok:" in proc.stdout


# --------------------------------------------------------------------------- work that grows with the input, not faster


def chained_package(folder: Path, n: int) -> Path:
    """``n`` one-row tables in a ring of foreign keys (each refers to the next)."""
    folder.mkdir()
    resources = []
    for i in range(n):
        (folder / f"t{i}.csv").write_text("id,ref\n1,1\n")
        resources.append({
            "name": f"t{i}", "path": f"t{i}.csv", "format": "csv",
            "schema": {"fields": [{"name": "id", "type": "integer"}, {"name": "ref", "type": "integer"}],
                       "primaryKey": ["id"],
                       "foreignKeys": [{"fields": ["ref"],
                                        "reference": {"resource": f"t{(i + 1) % n}", "fields": ["id"]}}]},
        })
    (folder / "datapackage.json").write_text(json.dumps({"resources": resources}))
    return folder / "datapackage.json"


def test_validate_grows_linearly_with_the_number_of_resources(tmp_path: Path) -> None:
    """Counted in function calls (deterministic), not seconds: 3× the resources may take at most ~3× the calls."""
    import cProfile
    import pstats

    from ca_summit_data.validation import validate

    calls = []
    for n in (100, 300):
        descriptor = chained_package(tmp_path / f"p{n}", n)
        profile = cProfile.Profile()
        report = profile.runcall(validate, [descriptor], max_errors=10)
        assert report.exit_code == 0
        calls.append(pstats.Stats(profile).total_calls)  # type: ignore[attr-defined]
    assert calls[1] / calls[0] < 4, calls  # linear: about 3; quadratic: 9 or more


# --------------------------------------------------------------------------- memory bounded by bytes, not rows


def persons_table(n: int, name: str = "x") -> object:
    import pyarrow as pa

    return pa.table({
        "person_id": pa.array([f"p{i}" for i in range(n)]),
        "name": pa.array([name] * n),
        "country_code": pa.array(["JPN"] * n),
    })


def test_a_parquet_column_chunk_past_the_bound_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyarrow.parquet as pq

    from ca_summit_data.validation import parquet_reader, validate

    monkeypatch.setattr(parquet_reader, "MAX_PARQUET_COLUMN_CHUNK_BYTES", 1 << 20)
    pq.write_table(persons_table(1000, "y" * 2000), tmp_path / "persons.parquet", use_dictionary=False)
    report = validate([tmp_path / "persons.parquet"])
    assert report.exit_code == 1
    assert "decompresses to" in report.findings[0].message and "write smaller row groups" in report.findings[0].message


def test_parquet_batches_are_sized_by_bytes(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    from ca_summit_data.limits import BATCH_BYTES
    from ca_summit_data.validation.findings import Findings
    from ca_summit_data.validation.parquet_reader import ParquetTable

    pq.write_table(persons_table(20_000, "z" * 2000), tmp_path / "persons.parquet", use_dictionary=False)
    reader = ParquetTable(tmp_path / "persons.parquet", "persons.parquet", Findings(limit=None))
    assert reader.open()
    sizes = [batch.columns[1].nbytes for batch in reader.batches()]
    assert len(sizes) > 2 and max(sizes) <= BATCH_BYTES * 1.1


def test_parquet_row_groups_already_read_are_let_go(tmp_path: Path) -> None:
    """Memory does not grow with the row groups read: the reader keeps no buffer of those it has passed.

    (pyarrow's pre-buffering keeps every row group's bytes until the file is closed: 1.2 GB at 10M rows.)
    """
    import os

    import pyarrow as pa
    import pyarrow.parquet as pq

    from ca_summit_data.validation.findings import Findings
    from ca_summit_data.validation.parquet_reader import ParquetTable

    rows, groups = 2_000, 40
    text = pa.array([os.urandom(500).hex() for _ in range(rows)])  # incompressible: 1 MB a row group
    table = pa.table({"person_id": pa.array([f"p{i}" for i in range(rows)]), "name": text})
    with pq.ParquetWriter(tmp_path / "persons.parquet", table.schema, compression="zstd") as writer:
        for _ in range(groups):
            writer.write_table(table)
    reader = ParquetTable(tmp_path / "persons.parquet", "persons.parquet", Findings(limit=None))
    assert reader.open()
    before = pa.total_allocated_bytes()
    held = []
    for batch in reader.batches():
        held.append(pa.total_allocated_bytes() - before - sum(c.nbytes for c in batch.columns))
        del batch
    assert len(held) > 2
    assert max(held) < 8 * 2_000_000, max(held)  # a few row groups' bytes, not all 40 MB of them


def footer_claiming(path: Path, rows: int) -> None:
    """Rewrite a Parquet file's footer so that it claims ``rows`` rows (its row groups are left as they are)."""
    import struct

    data = path.read_bytes()
    length = struct.unpack("<I", data[-8:-4])[0]
    footer = data[-8 - length:-8]

    def varint(value: int) -> bytes:
        out = bytearray()
        while True:
            byte, value = value & 0x7F, value >> 7
            out.append(byte | (0x80 if value else 0))
            if not value:
                return bytes(out)

    old = b"\x16" + varint(77 * 2)  # field 3 (num_rows), i64, zigzag varint of 77
    assert old in footer
    footer = footer.replace(old, b"\x16" + varint(rows * 2), 1)
    path.write_bytes(data[: -8 - length] + footer + struct.pack("<I", len(footer)) + b"PAR1")


def test_a_footer_claiming_rows_the_file_does_not_hold_is_reported(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    from ca_summit_data.validation import validate

    path = tmp_path / "persons.parquet"
    pq.write_table(persons_table(77, "Name"), path)
    footer_claiming(path, 2**62)
    assert pq.ParquetFile(path).metadata.num_rows == 2**62
    report = validate([path])
    assert report.exit_code == 1
    assert any("footer says the file has 4611686018427387904 rows" in f.message for f in report.findings)


def test_a_csv_wider_than_the_bound_is_refused_before_it_is_typed(tmp_path: Path) -> None:
    from ca_summit_data.limits import MAX_COLUMNS

    path = tmp_path / "persons.csv"
    width = MAX_COLUMNS + 1
    path.write_text(",".join(f"c{i}" for i in range(width)) + "\n" + ",".join("1" for _ in range(width)) + "\n")
    proc = run("validate", str(path))
    assert proc.returncode == 1
    assert f"{width} columns, more than {MAX_COLUMNS}" in proc.stdout


def test_a_csv_row_longer_than_the_bound_is_refused(tmp_path: Path) -> None:
    from ca_summit_data.limits import MAX_ROW_BYTES

    path = tmp_path / "persons.csv"
    with open(path, "w") as handle:
        handle.write("person_id,name,country_code\np1,")
        handle.write("x" * (MAX_ROW_BYTES + 10))
        handle.write(",JPN\np2,Name,JPN\n")
    proc = run("validate", str(path))
    assert proc.returncode == 1
    assert f"a row is longer than {MAX_ROW_BYTES} bytes" in proc.stdout


@pytest.mark.parametrize("suffix", ["gz", "bz2", "zip"])
def test_compressed_csv_is_read_within_a_bound(tmp_path: Path, suffix: str) -> None:
    import bz2
    import gzip
    import zipfile

    from ca_summit_data.limits import DECOMPRESSED_SLACK_BYTES, MAX_DECOMPRESSED_RATIO

    good = (REPO / "data" / "persons.csv").read_bytes().replace(b"JPN", b"XXX", 1)
    block = b"p,n,JPN\n" * 1_000_000  # a bomb past the slack: gzip and bzip2 streams may follow one another
    repeats = DECOMPRESSED_SLACK_BYTES // len(block) + 2
    bomb = b"person_id,name,country_code\n" + block * repeats
    for content, expected in ((good, "not an ISO code"), (bomb, "times its compressed size")):
        path = tmp_path / f"persons.csv.{suffix}"
        if suffix == "gz":
            path.write_bytes(gzip.compress(content, 9) if content is good else
                             gzip.compress(bomb[: -len(block) * repeats]) + gzip.compress(block, 9) * repeats)
        elif suffix == "bz2":
            path.write_bytes(bz2.compress(content, 9) if content is good else
                             bz2.compress(bomb[: -len(block) * repeats]) + bz2.compress(block, 9) * repeats)
        else:
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.writestr("persons.csv", content)
        if content is bomb and len(content) < path.stat().st_size * MAX_DECOMPRESSED_RATIO:
            continue  # this codec does not reach the bound on this input
        proc = run("validate", str(path))
        assert proc.returncode == 1, proc.stdout
        assert expected in proc.stdout


def test_a_compression_bomb_is_refused_early_not_after_a_hundred_times_its_size(tmp_path: Path) -> None:
    """The ratio is held to the compressed bytes read so far: a bomb stops after the slack, not at 100x its size."""
    import gzip

    from ca_summit_data.limits import DECOMPRESSED_SLACK_BYTES, MAX_DECOMPRESSED_RATIO
    from ca_summit_data.validation.streams import Expanded, open_stream

    path = tmp_path / "t.csv.gz"
    member = gzip.compress(b"1,2\n" * 2_000_000, 9)  # 8 MB in a few KB; gzip reads members one after another
    path.write_bytes(gzip.compress(b"a,b\n") + member * 1000)  # 8 GB in all
    whole_file_bound = path.stat().st_size * MAX_DECOMPRESSED_RATIO
    assert whole_file_bound > 10 * DECOMPRESSED_SLACK_BYTES  # the old bound would have read that much
    delivered = 0
    with pytest.raises(Expanded), open_stream(path, "gzip") as stream:
        while chunk := stream.read(1 << 20):
            delivered += len(chunk)
    assert delivered <= DECOMPRESSED_SLACK_BYTES + (1 << 21), delivered


def test_diff_refuses_a_table_past_its_bound(project: Path, tmp_path: Path) -> None:
    from ca_summit_data.limits import MAX_DIFF_TABLE_BYTES

    other = tmp_path / "other"
    for entry in ("datapackage.json", "data"):
        source = project / entry
        if source.is_dir():
            import shutil

            shutil.copytree(source, other / entry)
        else:
            other.mkdir(exist_ok=True)
            (other / entry).write_bytes(source.read_bytes())
    with open(other / "data" / "persons.csv", "ab") as handle:
        handle.truncate(MAX_DIFF_TABLE_BYTES + 1)
    proc = run("diff", str(project), str(other))
    assert proc.returncode == 2
    assert f"larger than {MAX_DIFF_TABLE_BYTES} bytes" in proc.stderr


def test_a_fingerprint_collision_never_becomes_a_duplicate(monkeypatch: pytest.MonkeyPatch) -> None:
    """Force every first fingerprint to collide: only rows whose texts are equal are reported as duplicates."""
    import numpy as np
    import pyarrow as pa

    from ca_summit_data.validation import keys

    real = keys.fingerprints

    def colliding(text: object, which: int = 0) -> object:
        fps = real(text, which)
        return np.zeros(len(fps), np.uint64) if which == 0 else fps

    monkeypatch.setattr(keys, "fingerprints", colliding)
    column = keys.KeyColumn(("id",))
    values = ["a", "b", "a", "c", "b", "d"]
    column.add(pa.array(values, pa.string()), pa.array(range(2, 8), pa.int64()))

    later, first, total = keys.duplicate_rows(column)
    texts = {row: values[row - 2] for row in range(2, 8)}  # the file read again
    later, first, total = keys.same_texts(later, first, total, texts)
    pairs = [(int(r), int(f)) for r, f in zip(later, first, strict=True)]
    assert all(texts[r] == texts[f] for r, f in pairs)
    assert total == len(pairs)


def test_the_validator_memory_grows_by_fingerprints_not_key_text(tmp_path: Path) -> None:
    """The keys of a table are kept as 8 bytes a row, whatever the length of the key text."""
    import pyarrow as pa

    from ca_summit_data.validation.keys import KeyColumn

    column = KeyColumn(("id",))
    rows = 50_000
    keys = pa.array([f"{'k' * 200}{i}" for i in range(rows)], pa.string())
    column.add(keys, pa.array(range(2, rows + 2), pa.int64()))
    kept = sum(chunk.fps.nbytes + (0 if chunk.rows is None else chunk.rows.nbytes) for chunk in column.chunks())
    assert kept == rows * 8
    assert keys.nbytes > 25 * kept


def test_a_codec_that_refuses_the_whole_stream_is_a_finding(tmp_path: Path) -> None:
    """UTF-16 declared, no byte-order mark: Python's codec refuses the stream itself (found by the fuzz)."""
    (tmp_path / "t.csv").write_text("person_id,name\np1,A\n", encoding="utf-8")
    schema = {"fields": [{"name": "person_id"}, {"name": "name"}]}
    resource = {"name": "t", "path": "t.csv", "encoding": "utf-16", "schema": schema}
    (tmp_path / "datapackage.json").write_text(json.dumps({"name": "p", "resources": [resource]}), encoding="utf-8")
    proc = run("validate", str(tmp_path / "datapackage.json"))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "cannot be decoded as utf-16" in proc.stdout and "internal error" not in proc.stdout + proc.stderr


def _broken_archives(folder: Path) -> list[str]:
    """A zip whose directory points outside the file, a zip whose data is damaged, a gzip with a bad block."""
    import gzip
    import io
    import random
    import zipfile

    directory = b"PK\x05\x06" + bytes(4) + (1).to_bytes(2, "little") * 2 + (46).to_bytes(4, "little")
    (folder / "a.csv.zip").write_bytes(directory + (2**31).to_bytes(4, "little") + bytes(2))
    rng = random.Random(1)
    body = "a,b\n" + "".join(f"{rng.random()},{rng.random()}\n" for _ in range(50_000))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("t.csv", body)
    damaged = bytearray(buffer.getvalue())
    for i in range(5_000, 5_100):
        damaged[i] ^= 0x5A
    (folder / "b.csv.zip").write_bytes(bytes(damaged))
    packed = bytearray(gzip.compress(body.encode()))
    packed[100:140] = bytes(40)
    (folder / "c.csv.gz").write_bytes(bytes(packed))
    return ["a.csv.zip", "b.csv.zip", "c.csv.gz"]


def test_broken_archives_are_findings_not_internal_errors(tmp_path: Path) -> None:
    """Found by the fuzz: a zip directory that sends a seek outside the file raised pyarrow's ArrowInvalid."""
    names = _broken_archives(tmp_path)
    schema = {"fields": [{"name": "a", "type": "number"}, {"name": "b", "type": "number"}]}
    resources = [{"name": name.split(".")[0], "path": name, "schema": schema} for name in names]
    (tmp_path / "datapackage.json").write_text(json.dumps({"name": "p", "resources": resources}), encoding="utf-8")
    proc = run("validate", str(tmp_path / "datapackage.json"))
    assert proc.returncode in (1, 2), proc.stdout + proc.stderr
    assert "internal error" not in proc.stdout + proc.stderr
    assert all(name in proc.stdout for name in names), proc.stdout
