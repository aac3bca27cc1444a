"""`make run` with nothing new starts no Dagster run (as the sensor does) and changes
nothing; anything for a step to do starts one."""

import os

import dagster as dg

from tests.reliability.helpers import clone_case


def _runs(case) -> list[str]:
    with dg.DagsterInstance.from_config(str(case.home)) as instance:
        return [r.run_id for r in instance.get_runs()]


def test_nothing_new_starts_no_run_and_a_touched_file_does(built_case, tmp_path):
    case = clone_case(built_case, tmp_path / "case")
    runs = _runs(case)
    version = case.published.resolve()
    proc = case.run()
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "no run started" in proc.stdout
    assert "articles (ok)" in proc.stdout  # the summary of what is published
    assert _runs(case) == runs
    assert case.published.resolve() == version

    sample = sorted(p for p in case.raw.iterdir() if p.is_file())[0]
    st = sample.stat()
    os.utime(sample, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    proc = case.run()
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert f"run needed: {sample.name} is new, changed or deleted" in proc.stdout
    assert len(_runs(case)) == len(runs) + 1

    proc = case.run("--always-run")
    assert proc.returncode == 0 and len(_runs(case)) == len(runs) + 2
