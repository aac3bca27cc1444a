"""The incremental steps alone (lib.pipeline), on a real DuckDB file, without Dagster."""

import duckdb
import pytest

import dagster_project.lib.clean as clean_module
from dagster_project.lib import pipeline
from tests.conftest import copy_samples

SAMPLE = "003_f9f491b155f789e9.txt"


@pytest.fixture
def con(tmp_path):
    c = duckdb.connect(str(tmp_path / "work.duckdb"))
    yield c
    c.close()


def test_an_article_whose_cleaning_crashes_is_quarantined_and_the_others_go_through(
    tmp_path, con, monkeypatch
):
    raw = copy_samples(tmp_path / "raw")
    real = clean_module.clean_document

    def flaky(text, fmt):
        if "Unpacking The Iran-Russia Alliance" in text:
            raise RuntimeError("parser blew up")
        return real(text, fmt)

    monkeypatch.setattr(clean_module, "clean_document", flaky)
    pipeline.sync_inventory(con, raw)
    stats = pipeline.clean_pending(con, raw)
    assert stats.processed == 4
    assert stats.quarantined == [(SAMPLE, "cleaning failed: RuntimeError: parser blew up")]
    status, reason = con.execute(
        "select status, quarantine_reason from raw.files where source_path = ?", [SAMPLE]
    ).fetchone()
    assert status == "quarantined" and "parser blew up" in reason
    assert pipeline.extract_pending(con).processed == 4

    # Once the cause is fixed, editing the file (or a reprocess) brings it back.
    monkeypatch.setattr(clean_module, "clean_document", real)
    stats = pipeline.clean_pending(con, raw, paths=[SAMPLE])
    assert stats.processed == 0  # quarantined files are only retried when they change
    (raw / SAMPLE).write_text((raw / SAMPLE).read_text(encoding="utf-8") + "\n", encoding="utf-8")
    pipeline.sync_inventory(con, raw)
    assert pipeline.clean_pending(con, raw).processed == 1
    status = con.execute(
        "select status from raw.files where source_path = ?", [SAMPLE]
    ).fetchone()[0]
    assert status == "ok"


def test_an_undecodable_legacy_encoding_is_decoded_not_quarantined(tmp_path, con):
    raw = tmp_path / "raw"
    raw.mkdir()
    text = "Visite à Téhéran\n\n" + "\n".join(
        f"Le président a visité Téhéran le {day} juillet; selon le ministère, les échanges "
        f"commerciaux entre les deux pays ont augmenté de {day} % depuis l'été dernier."
        for day in range(1, 12)
    )
    (raw / "latin1.txt").write_bytes(text.encode("cp1252"))
    pipeline.sync_inventory(con, raw)
    fmt, status = con.execute(
        "select detected_format, status from raw.files"
    ).fetchone()
    assert (fmt, status) == ("text", "pending")
    assert pipeline.clean_pending(con, raw).processed == 1
    body = con.execute("select body_text from raw.articles").fetchone()[0]
    assert "Téhéran" in body
