"""The incremental steps alone (lib.*.step), on a real DuckDB file, without Dagster."""

import duckdb
import pytest

import dagster_project.lib.clean as clean_module
from dagster_project.lib.clean import step as clean_step
from dagster_project.lib.clean.step import clean_pending
from dagster_project.lib.extract.step import extract_pending
from dagster_project.lib.ingest.inventory import sync_inventory
from tests.conftest import copy_samples

SAMPLE = "003_f9f491b155f789e9.txt"


@pytest.fixture
def con(tmp_path):
    c = duckdb.connect(str(tmp_path / "work.duckdb"))
    yield c
    c.close()


def _status(con, path):
    return con.execute(
        "select status, quarantine_reason from raw.files where source_path = ?", [path]
    ).fetchone()


def _break_cleaning_of(monkeypatch, marker):
    real = clean_module.clean_document

    def flaky(text, fmt):
        if marker in text:
            raise RuntimeError("parser blew up")
        return real(text, fmt)

    monkeypatch.setattr(clean_module, "clean_document", flaky)
    return real


def test_an_article_whose_cleaning_crashes_fails_and_the_others_go_through(
    tmp_path, con, monkeypatch
):
    raw = copy_samples(tmp_path / "raw")
    real = _break_cleaning_of(monkeypatch, "Unpacking The Iran-Russia Alliance")
    sync_inventory(con, raw)
    stats = clean_pending(con, raw)
    assert stats.processed == 4
    assert stats.quarantined == [(SAMPLE, "cleaning failed: RuntimeError: parser blew up")]
    status, reason = _status(con, SAMPLE)
    assert status == "failed" and "parser blew up" in reason
    assert extract_pending(con).processed == 4

    # Same content, same code: not tried again on the next run.
    monkeypatch.setattr(clean_module, "clean_document", real)
    sync_inventory(con, raw)
    assert clean_pending(con, raw).processed == 0
    assert _status(con, SAMPLE)[0] == "failed"

    # Ops reprocess it (reprocess_job / --reprocess): it is retried and goes through.
    assert clean_pending(con, raw, paths=[SAMPLE]).processed == 1
    assert _status(con, SAMPLE) == ("ok", None)


def test_a_failed_article_is_retried_when_the_code_changes(tmp_path, con, monkeypatch):
    raw = copy_samples(tmp_path / "raw")
    real = _break_cleaning_of(monkeypatch, "Unpacking The Iran-Russia Alliance")
    sync_inventory(con, raw)
    clean_pending(con, raw)
    assert _status(con, SAMPLE)[0] == "failed"

    # The fix ships: a new cleaning code version retries the failed file (and,
    # since every article's cleaning is now stale, cleans them all again).
    monkeypatch.setattr(clean_module, "clean_document", real)
    monkeypatch.setattr(clean_step, "clean_code_version", lambda: "fixed-version")
    sync_inventory(con, raw)
    assert clean_pending(con, raw).processed == 5
    assert _status(con, SAMPLE) == ("ok", None)


def test_bad_input_stays_quarantined_until_its_content_changes(tmp_path, con, monkeypatch):
    raw = copy_samples(tmp_path / "raw")
    empty = raw / "empty.txt"
    empty.write_bytes(b"  \n")
    sync_inventory(con, raw)
    clean_pending(con, raw)
    status, reason = _status(con, "empty.txt")
    assert status == "quarantined" and "empty" in reason

    # Neither a code change nor a reprocess makes bad bytes good.
    monkeypatch.setattr(clean_step, "clean_code_version", lambda: "another-version")
    assert clean_pending(con, raw, paths=["empty.txt"]).quarantined == []
    assert _status(con, "empty.txt")[0] == "quarantined"

    empty.write_text("Headline\n\n" + "Iran and Russia signed a trade deal in Moscow. " * 20,
                     encoding="utf-8")
    sync_inventory(con, raw)
    clean_pending(con, raw)
    assert _status(con, "empty.txt") == ("ok", None)


def test_a_file_is_read_once_per_run_and_a_touch_changes_nothing(tmp_path, con, monkeypatch):
    from dagster_project.lib.ingest import files

    raw = copy_samples(tmp_path / "raw")
    reads = []
    real_read = files.read_file

    def counting_read(path):
        reads.append(path.name)
        return real_read(path)

    monkeypatch.setattr(clean_step, "read_file", counting_read)
    sync_inventory(con, raw)
    clean_pending(con, raw)
    assert sorted(reads) == sorted(p.name for p in raw.iterdir())  # each file read once

    # A touch (same bytes, new mtime): read again to see it is unchanged, nothing redone.
    reads.clear()
    path = raw / SAMPLE
    path.write_bytes(path.read_bytes())
    import os

    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000))
    assert sync_inventory(con, raw).new_or_changed == [SAMPLE]
    stats = clean_pending(con, raw)
    assert reads == [SAMPLE] and stats.processed == 0 and stats.new_or_changed == []
    assert _status(con, SAMPLE) == ("ok", None)


def test_progress_reaches_its_total_when_touched_files_turn_out_unchanged(tmp_path, con):
    import os

    raw = copy_samples(tmp_path / "raw")
    sync_inventory(con, raw)
    clean_pending(con, raw)
    # Touch every file (same bytes) and edit one: all are looked at, one is cleaned.
    for path in raw.iterdir():
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000))
    edited = raw / SAMPLE
    edited.write_bytes(edited.read_bytes() + b"\n\nOne more paragraph was added to this article.\n")
    sync_inventory(con, raw)
    calls = []
    stats = clean_pending(con, raw, progress=lambda done, total: calls.append((done, total)))
    assert stats.new_or_changed == [SAMPLE]
    total = len(list(raw.iterdir()))
    assert calls[-1] == (total, total)
    assert all(t == total and 0 < d <= t for d, t in calls)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_an_undecodable_legacy_encoding_is_decoded_not_quarantined(tmp_path, con):
    raw = tmp_path / "raw"
    raw.mkdir()
    text = "Visite à Téhéran\n\n" + "\n".join(
        f"Le président a visité Téhéran le {day} juillet; selon le ministère, les échanges "
        f"commerciaux entre les deux pays ont augmenté de {day} % depuis l'été dernier."
        for day in range(1, 12)
    )
    (raw / "latin1.txt").write_bytes(text.encode("cp1252"))
    sync_inventory(con, raw)
    assert con.execute("select status from raw.files").fetchone() == ("pending",)
    assert clean_pending(con, raw).processed == 1
    fmt, status = con.execute("select detected_format, status from raw.files").fetchone()
    assert (fmt, status) == ("text", "ok")
    body = con.execute("select body_text from raw.articles").fetchone()[0]
    assert "Téhéran" in body


def test_an_article_whose_extraction_crashes_fails_and_is_retried_on_reprocess(
    tmp_path, con, monkeypatch
):
    import dagster_project.lib.extract as extract_module

    raw = copy_samples(tmp_path / "raw")
    real = extract_module.extract_article

    def flaky(body, **kwargs):
        if "intricacies of the Iran-Russia relationship" in body:
            raise ValueError("tagger blew up")
        return real(body, **kwargs)

    monkeypatch.setattr(extract_module, "extract_article", flaky)
    sync_inventory(con, raw)
    clean_pending(con, raw)
    stats = extract_pending(con)
    assert stats.processed == 4
    assert stats.quarantined == [(SAMPLE, "extraction failed: ValueError: tagger blew up")]
    assert _status(con, SAMPLE)[0] == "failed"
    (n,) = con.execute(
        "select count(*) from raw.articles where source_path = ?", [SAMPLE]
    ).fetchone()
    assert n == 0  # a failed file keeps no half-processed rows

    monkeypatch.setattr(extract_module, "extract_article", real)
    assert clean_pending(con, raw).processed == 0  # same code: not retried by itself
    assert clean_pending(con, raw, paths=[SAMPLE]).processed == 1
    assert extract_pending(con, paths=[SAMPLE]).processed == 1
    assert _status(con, SAMPLE) == ("ok", None)


def test_an_extraction_that_cannot_be_written_fails_alone_and_its_batch_lands(
    tmp_path, con, monkeypatch
):
    """Extractions are written in batches; a batch whose transaction fails is
    written one article at a time, so only the bad article is rejected."""
    import dataclasses

    import dagster_project.lib.extract as extract_module

    raw = copy_samples(tmp_path / "raw")
    real = extract_module.extract_article

    def unwritable(body, **kwargs):
        extraction = real(body, **kwargs)
        if "intricacies of the Iran-Russia relationship" in body:
            bad = dataclasses.replace(extraction.claims[0], char_start="not a number")
            return dataclasses.replace(extraction, claims=(bad, *extraction.claims[1:]))
        return extraction

    monkeypatch.setattr(extract_module, "extract_article", unwritable)
    sync_inventory(con, raw)
    clean_pending(con, raw)
    stats = extract_pending(con)
    assert stats.processed == 4
    assert [path for path, _ in stats.quarantined] == [SAMPLE]
    assert "Conversion Error" in stats.quarantined[0][1]
    assert _status(con, SAMPLE)[0] == "failed"
    by_article = dict(con.execute(
        "select a.source_path, count(c.article_id) from raw.articles a "
        "left join raw.claims c using (article_id) group by 1").fetchall())
    assert SAMPLE not in by_article
    assert len(by_article) == 4 and all(n > 0 for n in by_article.values())


def test_a_cleaned_article_that_cannot_be_written_fails_alone_and_its_batch_lands(
    tmp_path, con, monkeypatch
):
    """Cleaned articles are written in batches too: a batch whose transaction fails
    is written one article at a time, so only the bad article fails."""
    raw = copy_samples(tmp_path / "raw")
    real = clean_step.write_cleaned

    def unwritable(con, batch):
        real(con, batch)  # its rows are in the transaction
        if any(source_path == SAMPLE for _, source_path, *_ in batch):
            raise RuntimeError("disk said no")

    monkeypatch.setattr(clean_step, "write_cleaned", unwritable)
    sync_inventory(con, raw)
    stats = clean_pending(con, raw)
    assert stats.processed == 4
    assert stats.quarantined == [(SAMPLE, "cleaning failed: RuntimeError: disk said no")]
    assert _status(con, SAMPLE)[0] == "failed"
    landed = {p for (p,) in con.execute("select source_path from raw.articles").fetchall()}
    assert SAMPLE not in landed and len(landed) == 4  # its rolled-back rows are gone
    assert {s for (s,) in con.execute(
        "select distinct status from raw.files where source_path <> ?", [SAMPLE]).fetchall()
    } == {"ok"}


def test_bodies_are_read_by_range_and_an_article_outside_its_range_by_id(tmp_path, con):
    """The extract step reads a block's bodies over the block's range of rows; a row
    list older than the table (rows moved) still gets every body, read by id."""
    from dagster_project.lib import warehouse
    from dagster_project.lib.extract import step as extract_step

    raw = copy_samples(tmp_path / "raw")
    sync_inventory(con, raw)
    clean_pending(con, raw)
    pending = warehouse.articles_to_extract(con)
    assert len(pending) == 5 and [r[3] for r in pending] == sorted(r[3] for r in pending)
    bodies = dict(con.execute("select article_id, body_text from raw.articles").fetchall())

    def read(block):
        return {a: v[0] for a, v in extract_step._bodies(con, block).items()}

    assert read(pending) == bodies
    # Stale positions: the last two articles claim the first row, which holds neither.
    stale = [(a, p, h, pending[0][3]) for a, p, h, _ in pending[-2:]]
    assert read(stale) == {a: bodies[a] for a, *_ in pending[-2:]}
