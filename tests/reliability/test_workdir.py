"""Issue 13, items 8, 9 and 10: an empty RAW_DIR, a damaged working database, and the
one-line failure messages of `make run`."""

import time

from tests.reliability.helpers import clone_case


def test_empty_raw_dir_changes_nothing_without_the_flag(built_case, tmp_path):
    case = clone_case(built_case, tmp_path / "case")
    before = case.statuses()
    version_before = case.published.resolve()
    for f in case.raw.iterdir():
        f.unlink()
    proc = case.run()
    assert proc.returncode == 1
    failed = [line for line in proc.stdout.splitlines() if line.startswith("FAILED:")]
    assert len(failed) == 1, proc.stdout[-3000:]
    assert failed[0].startswith("FAILED: raw__files: ")
    assert "refusing to mark them removed" in failed[0] and "--allow-mass-removal" in failed[0]
    assert case.published.resolve() == version_before  # nothing published
    assert case.statuses() == before

    proc = case.run("--allow-mass-removal")
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert {s for s, _ in case.statuses().values()} == {"removed"}


def test_missing_raw_dir_is_one_plain_failure_line(built_case, tmp_path):
    case = clone_case(built_case, tmp_path / "case")
    missing = tmp_path / "not_mounted"
    proc = case.run(RAW_DIR=str(missing))
    assert proc.returncode == 1
    failed = [line for line in proc.stdout.splitlines() if line.startswith("FAILED:")]
    assert failed == [
        f"FAILED: raw__files: {missing}: Failure: RAW_DIR {missing} does not exist or is "
        "not a folder"
    ], proc.stdout[-3000:]


def test_damaged_working_database_is_moved_aside_and_rebuilt(built_case, tmp_path):
    case = clone_case(built_case, tmp_path / "case")
    version_before = case.published.resolve()
    with open(case.work_db, "r+b") as fh:
        fh.write(b"\xde\xad" * 2048)  # the first 4 KB, header included
    start = time.monotonic()
    proc = case.run()
    elapsed = time.monotonic() - start
    assert proc.returncode == 0, proc.stdout[-3000:]
    aside = list(case.work_db.parent.glob("pipeline.duckdb.damaged-*"))
    assert len(aside) == 1
    assert f"moved aside to {aside[0]}" in proc.stdout
    assert aside[0].read_bytes()[:4096] == b"\xde\xad" * 2048  # kept for inspection
    assert case.ok_articles() == built_case.ok_articles()
    assert case.published.resolve() != version_before
    print(f"rebuilt in {elapsed:.0f} s")
