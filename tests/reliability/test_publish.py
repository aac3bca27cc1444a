"""Issue 13, items 5 and 10: an analyst who opens the published warehouse read-write
cannot break publishing or readers; a publish that fails cleans up after itself."""

import os
import shutil
import subprocess
import sys

import pytest

from dagster_project.lib import publish
from tests.reliability.helpers import PROJECT_ROOT, clone_case

# Writes into the published warehouse, then dies without closing: its WAL stays.
WRITER_DIES = """
import os, sys, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("create table main.scratch as select 42 as x")
con.execute("delete from marts.fct_claims")
os._exit(0)
"""

# Holds a read-write connection open until killed.
WRITER_STAYS = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("create table main.scratch as select 42 as x")
print("connected", flush=True)
time.sleep(3600)
"""


def _reader_counts(path) -> tuple[int, int]:
    """What a fresh read-only session in another process sees: (ok articles, claims)."""
    out = subprocess.run(
        [sys.executable, "-c",
         "import sys, duckdb; c = duckdb.connect(sys.argv[1], read_only=True); "
         "print(c.execute(\"select count(*) from marts.dim_articles where status='ok'\")"
         ".fetchone()[0], c.execute('select count(*) from marts.fct_claims').fetchone()[0])",
         str(path)],
        capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 0, out.stderr
    ok, claims = out.stdout.split()
    return int(ok), int(claims)


def test_published_file_is_a_read_only_version_behind_a_link(built_case):
    target = built_case.published
    assert target.is_symlink()
    version = publish.current_version(target)
    assert version.parent.name == "versions"
    assert (version.stat().st_mode & 0o777) == 0o444


def test_analyst_writes_then_dies_leaving_a_wal(built_case, tmp_path):
    case = clone_case(built_case, tmp_path / "case")
    before = _reader_counts(case.published)
    version = publish.current_version(case.published)
    subprocess.run([sys.executable, "-c", WRITER_DIES, str(case.published)], check=True)
    stale_wal = version.with_name(version.name + ".wal")
    assert stale_wal.exists()  # the state a crashed analyst session leaves

    proc = case.run()
    assert proc.returncode == 0, proc.stdout[-3000:]
    new_version = publish.current_version(case.published)
    assert new_version != version
    assert not stale_wal.exists()
    assert _reader_counts(case.published) == before  # nothing of the analyst's writes
    assert not case.query(
        "select 1 from information_schema.tables where table_name = 'scratch'")


def test_analyst_connected_read_write_during_a_run(built_case, tmp_path):
    case = clone_case(built_case, tmp_path / "case")
    before = _reader_counts(case.published)
    # A new article (a sample with one more paragraph: a byte-identical copy would
    # count as the same article and add no claim).
    sample = PROJECT_ROOT / "raw" / sorted(os.listdir(PROJECT_ROOT / "raw"))[0]
    (case.raw / "added_copy.txt").write_bytes(
        sample.read_bytes()
        + b"\n\nIran and Russia agreed in March 2023 to expand their rail link, officials said.\n"
    )
    analyst = subprocess.Popen(
        [sys.executable, "-c", WRITER_STAYS, str(case.published)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert analyst.stdout.readline().strip() == "connected"
        proc = case.run()
        assert proc.returncode == 0, proc.stdout[-3000:]
        # While the read-write session is still open, a new reader gets the new copy.
        ok, claims = _reader_counts(case.published)
        assert ok == before[0] + 1 and claims > before[1]
    finally:
        analyst.kill()
        analyst.wait()


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("unshare") is None,
                    reason="needs root to mount a tiny tmpfs in a private mount namespace")
def test_publish_on_a_full_disk_cleans_its_temporary_files(built_case, tmp_path):
    case = clone_case(built_case, tmp_path / "case")
    (case.raw / "added_copy.txt").write_text("Changed text. " * 50, encoding="utf-8")
    versions = case.warehouse / "versions"
    before = _reader_counts(case.published)
    # The CLI runs in its own mount namespace with a 64 KB tmpfs over versions/:
    # the copy of the warehouse cannot fit. What is left on it is listed afterwards.
    script = (
        'mount -t tmpfs -o size=64k tmpfs "$VERSIONS" || exit 99; '
        '"$PY" -m dagster_project.cli run; rc=$?; '
        'echo "LEFT: $(ls -A "$VERSIONS" | tr "\\n" " ")"; exit $rc'
    )
    proc = subprocess.run(
        ["unshare", "-m", "--propagation", "private", "sh", "-c", script],
        cwd=PROJECT_ROOT, env=case.env(VERSIONS=str(versions), PY=sys.executable),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=900,
    )
    if proc.returncode == 99:
        pytest.skip("cannot mount tmpfs here")
    assert proc.returncode == 1, proc.stdout[-3000:]
    left = proc.stdout.rsplit("LEFT:", 1)[1].split()
    assert left == [], f"temporary files left on the full disk: {left}"
    failed = [line for line in proc.stdout.splitlines() if line.startswith("FAILED:")]
    assert len(failed) == 1 and "warehouse__published" in failed[0]
    assert "No space left on device" in failed[0]
    # Outside that namespace nothing moved: readers still get the last good copy.
    assert _reader_counts(case.published) == before
    assert not list(case.warehouse.glob(".parquet.tmp-*"))
