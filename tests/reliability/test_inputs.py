"""Issue 13, items 2, 3, 4, 7 and 10: hostile entries in RAW_DIR, all in one real run.

Each gets a row in the warehouse with a plain reason (or, for a link inside
RAW_DIR, is read as the file it points at); none is read when it must not be;
the five good articles go through; nothing from outside RAW_DIR reaches a mart
or the Parquet export.
"""

import os
import time

import duckdb
import pytest

from dagster_project.lib.ingest.safety import MAX_FILE_BYTES
from tests.reliability.helpers import clone_case

LATIN1_NAME = os.fsdecode(b"latin1_caf\xe9.txt")
ARTICLE = (
    "Trade ministers meet in Oslo\n\n"
    "The trade ministers of Norway and Sweden met in Oslo on 3 March 2024. "
    "They signed an agreement worth $2 billion, officials said. "
    "The deal covers fisheries, energy and transport for the next ten years.\n"
)


@pytest.fixture(scope="module")
def hostile(built_case, tmp_path_factory):
    case = clone_case(built_case, tmp_path_factory.mktemp("hostile") / "case")
    raw = case.raw
    sample = sorted(p for p in raw.iterdir() if p.suffix == ".txt")[0]
    (raw / LATIN1_NAME).write_text(ARTICLE, encoding="utf-8")
    os.symlink("/etc/passwd", raw / "passwd_link.txt")
    os.symlink("/etc/hostname", raw / "hostname_link.txt")
    os.symlink(raw / "no_such_file.txt", raw / "broken_link.txt")
    os.symlink(sample.name, raw / "inside_link.txt")
    os.mkfifo(raw / "pipe.txt")
    (raw / "utf16_nobom.txt").write_bytes(ARTICLE.encode("utf-16-le"))
    body = sample.read_bytes()
    (raw / "nul_late.txt").write_bytes(body + b"\n" * 9000 + b"Late line \x00 here.\n")
    (raw / "huge.txt").write_bytes(b"word " * (MAX_FILE_BYTES // 5 + 10))
    # One line of 1 MB, under the file limit: refused after cleaning, in bounded time.
    (raw / "one_line.txt").write_bytes(
        b"The ministers met and signed a deal worth $2 billion, officials said. " * 15000)
    (raw / ".hidden_draft.txt").write_text(ARTICLE, encoding="utf-8")
    start = time.monotonic()
    proc = case.run()
    return case, proc, time.monotonic() - start


def test_run_succeeds_and_keeps_the_good_articles(hostile, built_case):
    case, proc, _ = hostile
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert built_case.ok_articles() <= case.ok_articles()


def test_every_hostile_entry_has_a_row_with_a_reason(hostile):
    case, _, _ = hostile
    st = case.statuses()
    latin1 = [p for p in st if p.startswith("latin1_caf")]
    assert len(latin1) == 1 and st[latin1[0]][0] == "quarantined"
    assert "not valid UTF-8" in st[latin1[0]][1] and "latin1_caf" in latin1[0]
    assert st["passwd_link.txt"] == ("quarantined",
                                     "symbolic link to /etc/passwd, outside RAW_DIR: not read")
    assert st["hostname_link.txt"][0] == "quarantined"
    assert st["broken_link.txt"][0] == "quarantined" and "broken symbolic link" in st[
        "broken_link.txt"][1]
    assert st["pipe.txt"][0] == "quarantined" and "not a regular file" in st["pipe.txt"][1]
    assert st["inside_link.txt"][0] == "ok"  # a link inside RAW_DIR is read
    assert st["utf16_nobom.txt"][0] == "ok"
    assert st["nul_late.txt"][0] == "quarantined" and "NUL" in st["nul_late.txt"][1]
    assert st["huge.txt"][0] == "quarantined" and "file too large" in st["huge.txt"][1]
    assert st["one_line.txt"][0] == "quarantined" and "too long" in st["one_line.txt"][1]
    assert not [p for p in st if "hidden" in p]  # hidden files are ignored (README)


def test_nothing_from_outside_raw_dir_is_published(hostile):
    case, _, _ = hostile
    passwd_line = open("/etc/passwd", encoding="utf-8").readline().strip()
    assert passwd_line
    for table, column in [("dim_articles", "body_text"), ("dim_articles", "title"),
                          ("removed_blocks", "text"), ("fct_claims", "text")]:
        hits = case.query(
            f"select count(*) from marts.{table} where contains({column}, ?)", [passwd_line])
        assert hits == [(0,)], (table, column)
    con = duckdb.connect()
    parquet = str(case.warehouse / "parquet" / "marts" / "*.parquet")
    for path, in con.execute("select distinct filename from read_parquet(?, filename=true, "
                             "union_by_name=true)", [parquet]).fetchall():
        assert passwd_line.encode() not in open(path, "rb").read()


def test_no_nul_reaches_a_mart(hostile):
    case, _, _ = hostile
    assert case.query("select count(*) from marts.dim_articles where contains(body_text, "
                      "chr(0))") == [(0,)]
    assert case.query("select count(*) from marts.fct_claims where contains(text, chr(0))"
                      ) == [(0,)]


def test_a_second_run_keeps_the_verdicts_without_reading(hostile):
    case, _, _ = hostile
    before = case.statuses()
    proc = case.run()
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert case.statuses() == before
