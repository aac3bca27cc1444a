"""The pipeline processes' exit and collector settings (lib.runtime), in fresh
interpreters so that this test process keeps its own."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap


def _python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)],
                          capture_output=True, text=True, timeout=120)


def test_exit_without_teardown_runs_exit_handlers_and_flushes_output(tmp_path):
    # The exit handlers shut the local Dask cluster down: they must still run, and
    # the run's summary (buffered stdout) must reach a pipe before the process ends.
    marker = tmp_path / "handler-ran"
    out = _python(f"""
        import atexit, sys
        from dagster_project.lib import runtime
        atexit.register(lambda: open({str(marker)!r}, "w").write("yes"))
        print("summary line without newline", end="")
        print("an error line", file=sys.stderr, end="")
        runtime.exit_without_teardown(3)
        print("never printed")
    """)
    assert out.returncode == 3
    assert out.stdout == "summary line without newline"
    assert out.stderr == "an error line"
    assert marker.read_text() == "yes"


def test_tune_gc_raises_the_young_threshold_and_never_lowers_one():
    out = _python("""
        import gc
        from dagster_project.lib import runtime
        runtime.tune_gc()
        print(gc.get_threshold())
        gc.set_threshold(10 * runtime.GC_YOUNG_THRESHOLD, 5, 5)
        runtime.tune_gc()
        print(gc.get_threshold())
        print(runtime.GC_YOUNG_THRESHOLD)
    """)
    assert out.returncode == 0, out.stderr
    first, second, young = out.stdout.split("\n")[:3]
    young = int(young)
    assert ast.literal_eval(first) == (young, 10, 10)  # CPython's older-generation ratios kept
    assert ast.literal_eval(second) == (10 * young, 5, 5)
