"""End-to-end behaviour of the real pipeline: Dagster definitions, DuckDB files, dbt build."""

from __future__ import annotations

import subprocess
import sys
import time

import dagster as dg

from tests.conftest import copy_samples
from tests.pipeline.helpers import MART_TABLES, Workspace, pipeline_env, step_metadata

SAMPLE = "002_1adc10c9f5ff94ad.txt"


def test_definitions_load_with_sensor_and_schedule_running():
    from dagster_project.definitions import load_definitions

    defs = load_definitions()
    sensor = defs.resolve_sensor_def("raw_dir_sensor")
    schedule = defs.resolve_schedule_def("daily_rebuild")
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    keys = {k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys()}
    for key in ("raw/files", "raw/articles", "raw/claims", "warehouse/published"):
        assert key in keys
    for table in MART_TABLES:
        assert f"marts/{table}" in keys
    # dbt tests load as asset checks.
    assert len(list(defs.resolve_asset_graph().asset_check_keys)) > 10


def test_full_run_fills_every_mart(built: Workspace):
    for table in MART_TABLES:
        (n,) = built.query(f"select count(*) from marts.{table}")[0]
        assert n > 0, f"marts.{table} is empty"
    parquet = built.warehouse_dir / "parquet" / "marts"
    assert {p.stem for p in parquet.glob("*.parquet")} >= set(MART_TABLES)


def test_bad_files_are_quarantined_with_a_reason_and_the_others_go_through(built: Workspace):
    rows = dict(
        built.query("select source_path, quarantine_reason from marts.dim_articles "
                    "where status = 'quarantined'")
    )
    assert set(rows) == {"empty.txt", "nested/scan.html", "notes.docx"}
    assert "empty" in rows["empty.txt"]
    assert "binary" in rows["nested/scan.html"]
    assert "unsupported file type" in rows["notes.docx"]
    (ok,) = built.query("select count(*) from marts.dim_articles where status = 'ok'")[0]
    assert ok == 5


def test_every_mention_span_matches_the_body(built: Workspace):
    for table, col in (("fct_claims", "text"), ("fct_figure_mentions", "surface_text"),
                       ("fct_event_mentions", "surface_text")):
        bad = built.query(
            f"select count(*) from marts.{table} m join marts.dim_articles a using (article_id) "
            f"where substr(a.body_text, m.char_start + 1, m.char_end - m.char_start) <> m.{col}"
        )[0][0]
        assert bad == 0, f"{bad} spans in {table} do not match the body"


def test_second_run_with_nothing_changed_reextracts_nothing(built: Workspace, tmp_path):
    ws = built.clone(tmp_path)
    before = ws.snapshot()
    result = ws.run()
    assert result.success
    assert step_metadata(result, "cleaned_articles", "cleaned") == 0
    assert step_metadata(result, "extractions", "extracted") == 0
    assert ws.snapshot() == before


def test_editing_a_file_replaces_its_rows(built: Workspace, tmp_path):
    ws = built.clone(tmp_path)
    path = ws.raw_dir / SAMPLE
    text = path.read_text(encoding="utf-8")
    old_sentence = "Russia and Iran gradually developed extensive political, economic and cultural"
    assert old_sentence in text
    path.write_text(
        text.replace(old_sentence, "Russia and Iran slowly built broad political, economic "
                     "and cultural"),
        encoding="utf-8",
    )
    result = ws.run()
    assert result.success
    assert step_metadata(result, "extractions", "extracted") == 1
    (article_id,) = ws.query(
        "select article_id from marts.dim_articles where source_path = ?", [SAMPLE]
    )[0]
    bodies = ws.query("select body_text from marts.dim_articles where article_id = ?", [article_id])
    assert len(bodies) == 1 and "slowly built broad" in bodies[0][0]
    claims = [t for (t,) in ws.query(
        "select text from marts.fct_claims where article_id = ?", [article_id])]
    assert any("slowly built broad" in c for c in claims)
    assert not any("gradually developed extensive" in c for c in claims)


def test_deleting_a_file_marks_it_removed_and_its_facts_stop_counting(built: Workspace, tmp_path):
    ws = built.clone(tmp_path)
    (ws.raw_dir / SAMPLE).unlink()
    result = ws.run()
    assert result.success
    status, article_id = ws.query(
        "select status, article_id from marts.dim_articles where source_path = ?", [SAMPLE]
    )[0]
    assert status == "removed"
    for table in ("fct_claims", "fct_figure_mentions", "fct_event_mentions"):
        (n,) = ws.query(f"select count(*) from marts.{table} where article_id = ?", [article_id])[0]
        assert n == 0, f"{table} still has rows of a deleted file"
    assert (built.raw_dir / SAMPLE).exists(), "the pipeline must never delete raw files"


def test_reprocess_job_reruns_one_article(built: Workspace, tmp_path):
    ws = built.clone(tmp_path)
    before = ws.snapshot()
    result = ws.run("reprocess_job", run_config={"paths": [SAMPLE]})
    assert result.success
    assert step_metadata(result, "cleaned_articles", "cleaned") == 1
    assert step_metadata(result, "extractions", "extracted") == 1
    assert ws.snapshot() == before  # same content, same ids, same rows


def test_sensor_requests_a_run_for_a_new_file_and_not_again_for_the_same_content(tmp_path):
    from dagster_project.definitions import load_definitions

    raw = copy_samples(tmp_path / "raw")
    with pipeline_env(raw, tmp_path / "warehouse"), dg.DagsterInstance.ephemeral() as instance:
        sensor = load_definitions().resolve_sensor_def("raw_dir_sensor")

        def tick(cursor):
            ctx = dg.build_sensor_context(instance=instance, cursor=cursor)
            data = sensor.evaluate_tick(ctx)
            return data.run_requests, data.cursor or cursor

        requests, cursor = tick(None)
        assert len(requests) == 1  # the initial files, all in one run
        requests, cursor = tick(cursor)
        assert requests == []

        new = raw / "new_article.txt"
        new.write_text("Iran and Russia signed a new agreement in Moscow.\n", encoding="utf-8")
        requests, cursor = tick(cursor)
        assert len(requests) == 1
        first_key = requests[0].run_key
        requests, cursor = tick(cursor)
        assert requests == []

        # Touched, same bytes: nothing to do.
        time.sleep(0.01)
        new.write_text("Iran and Russia signed a new agreement in Moscow.\n", encoding="utf-8")
        requests, cursor = tick(cursor)
        assert requests == []

        new.write_text("Iran and Russia signed two agreements in Moscow.\n", encoding="utf-8")
        requests, cursor = tick(cursor)
        assert len(requests) == 1 and requests[0].run_key != first_key

        new.unlink()
        requests, cursor = tick(cursor)
        assert len(requests) == 1


def test_sensor_batches_a_drop_of_many_files_into_one_run(tmp_path):
    from dagster_project.definitions import load_definitions

    raw = tmp_path / "raw"
    raw.mkdir()
    with pipeline_env(raw, tmp_path / "warehouse"), dg.DagsterInstance.ephemeral() as instance:
        sensor = load_definitions().resolve_sensor_def("raw_dir_sensor")
        cursor = sensor.evaluate_tick(dg.build_sensor_context(instance=instance)).cursor
        for i in range(2000):
            (raw / f"a{i:04d}.txt").write_text(f"Article {i} text.\n", encoding="utf-8")
        data = sensor.evaluate_tick(dg.build_sensor_context(instance=instance, cursor=cursor))
        assert len(data.run_requests) == 1


ANALYST = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
n = con.execute("select count(*) from marts.fct_claims").fetchone()[0]
print("ready", n, flush=True)
sys.stdin.readline()  # hold the connection until told to finish
print("still", con.execute("select count(*) from marts.fct_claims").fetchone()[0], flush=True)
"""


def test_analyst_holding_a_read_only_connection_does_not_fail_a_run(built: Workspace, tmp_path):
    ws = built.clone(tmp_path)
    analyst = subprocess.Popen(
        [sys.executable, "-c", ANALYST, str(ws.published)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        ready = analyst.stdout.readline().split()
        assert ready[0] == "ready"
        (ws.raw_dir / "extra.txt").write_text(
            "Extra Article\n\nIran delivered 12 drones to Russia in March 2023, officials said. "
            "The delivery was confirmed by Moscow.\n",
            encoding="utf-8",
        )
        result = ws.run()
        assert result.success, "a run failed while an analyst had the warehouse open"
        out, _ = analyst.communicate("done\n", timeout=60)
        assert out.startswith("still")  # the analyst's session kept working
    finally:
        analyst.kill()
    # A new connection sees the new snapshot.
    (n,) = ws.query("select count(*) from marts.dim_articles where source_path = 'extra.txt'")[0]
    assert n == 1


def test_raw_files_are_never_modified(built: Workspace):
    from tests.conftest import SAMPLES_DIR

    for f in SAMPLES_DIR.glob("*.txt"):
        assert (built.raw_dir / f.name).read_bytes() == f.read_bytes()

