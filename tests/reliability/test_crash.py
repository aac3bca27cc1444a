"""Issue 13, item 1: a run killed with SIGKILL must not leave the pipeline dead.

The killed process holds the `duckdb_warehouse` pool slot (one slot, as in
production) and its run stays STARTED; the next `make run` must free both and
finish.
"""

import os
import shutil
import signal
import time

import dagster as dg

from tests.reliability.helpers import new_case


def _claimed(home) -> list:
    with dg.DagsterInstance.from_config(str(home)) as instance:
        info = instance.event_log_storage.get_concurrency_info("duckdb_warehouse")
        return list(info.claimed_slots)


def test_sigkill_mid_run_then_next_run_finishes(tmp_path):
    case = new_case(tmp_path / "case")
    # Enough extra articles that the run is still working when it is killed.
    samples = sorted(p for p in case.raw.iterdir() if p.is_file())
    for i in range(6):
        for p in samples:
            shutil.copy2(p, case.raw / f"extra_{i}_{p.name}")
    proc = case.start(log=tmp_path / "killed.log")
    try:
        deadline = time.monotonic() + 300
        slots = []
        while time.monotonic() < deadline and proc.poll() is None:
            slots = _claimed(case.home)
            if any(s.step_key in ("cleaned_articles", "extractions") for s in slots):
                break
            time.sleep(0.5)
        assert proc.poll() is None, (tmp_path / "killed.log").read_text()[-2000:]
        assert slots, "the run never claimed the warehouse pool slot"
        time.sleep(1.0)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    killed_run = slots[0].run_id
    # The state a power cut leaves: the slot is still claimed by the dead run.
    assert [s.run_id for s in _claimed(case.home)] == [killed_run]

    second = case.run(timeout=600)
    assert second.returncode == 0, second.stdout[-3000:]
    assert f"run {killed_run} was left unfinished" in second.stdout
    assert len(case.ok_articles()) == 5 * 7
    assert _claimed(case.home) == []
    with dg.DagsterInstance.from_config(str(case.home)) as instance:
        assert instance.get_run_by_id(killed_run).status == dg.DagsterRunStatus.FAILURE
