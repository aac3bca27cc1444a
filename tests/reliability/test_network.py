"""Issue 13, item 6: a run makes no outbound network connection (dbt's version
lookup on the package index included).

Every Python process of the run (the CLI and the dbt processes it starts)
loads ``netaudit/sitecustomize.py``, which records each name lookup and connect
that is not to the local machine.
"""

from pathlib import Path

from tests.reliability.helpers import clone_case

NETAUDIT = Path(__file__).resolve().parent / "netaudit"


def test_a_run_makes_no_outbound_connection(built_case, tmp_path):
    case = clone_case(built_case, tmp_path / "case")
    (case.raw / "new_article.txt").write_text(
        "Ministers met in Oslo on 3 March 2024.\n\n"
        "The two countries signed a trade agreement worth $2 billion, officials said. " * 3,
        encoding="utf-8",
    )
    log = tmp_path / "net.log"
    proc = case.run(PYTHONPATH=str(NETAUDIT), NET_AUDIT_LOG=str(log))
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "dbt build" in proc.stdout  # dbt did run, under the hook
    attempts = log.read_text() if log.exists() else ""
    assert attempts == "", f"outbound network attempts:\n{attempts}"
