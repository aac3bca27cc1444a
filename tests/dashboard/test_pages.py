"""Every dashboard page, and the mentions of every fact, run in-process (Streamlit AppTest).

The browser tests load each page once; these run the page scripts for every
figure and every kind of event of the samples' warehouse, where one odd row (an
article without a title, a figure without a period) must not break a page.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.check import main as check_main
from dashboard.data import Filters, Marts, MartsMissing
from tests.conftest import PROJECT_ROOT

APP = str(PROJECT_ROOT / "dashboard" / "app.py")


@pytest.fixture
def app(marts_dir, monkeypatch):
    monkeypatch.setenv("DASHBOARD_MARTS_DIR", str(marts_dir))

    def run(**params) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        for k, v in params.items():
            at.query_params[k] = v
        return at.run()

    return run


def _markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


@pytest.mark.parametrize("page", ["overview", "facts", "timeline", "corroboration", "mentions"])
def test_page_runs(app, page):
    at = app(page=page)
    assert not at.exception, at.exception
    assert at.title[0].value


def test_mentions_of_every_figure_and_of_each_kind_of_event(app, marts_dir):
    m = Marts(marts_dir)
    facts = [("figure", i) for i in m.figures()["figure_id"]]
    # One event per date precision, plus one without a known year: enough for
    # every shape of event row at a second per page run.
    events = m.events()
    events["undated"] = events["date_start"].isna()
    facts += [("event", i) for i in
              events.drop_duplicates(["date_precision", "undated"])["event_id"]]
    for kind, fact_id in facts:
        at = app(page="mentions", **{kind: fact_id})
        assert not at.exception, (kind, fact_id, at.exception)
        expected = m.mentions(kind, fact_id)
        shown = _markdown(at)
        assert all(p in shown for p in expected["source_path"]), (kind, fact_id)
        assert [x.value for x in at.metric][:1] == [str(len(set(expected["source_path"])))]
    m.close()


def test_unknown_fact_is_a_warning_not_an_error(app):
    at = app(page="mentions", figure="0" * 32)
    assert not at.exception
    assert "No figure with id" in at.warning[0].value


def test_quarantined_file_counted_on_overview(app):
    at = app(page="overview")
    values = {x.label: x.value for x in at.metric}
    assert values["Quarantined"] == "3"
    assert all(f in _markdown(at) for f in ("empty.txt", "nested/scan.html", "notes.docx"))


def test_filters_are_parameters_not_sql(marts_dir):
    m = Marts(marts_dir)
    hostile = "x' or '1'='1"
    assert m.figures(Filters(actor_id=hostile)).empty
    assert m.events(Filters(event_type=hostile)).empty
    assert m.figure(hostile).empty
    m.close()


def test_missing_marts_is_a_clear_error(tmp_path, capsys):
    with pytest.raises(MartsMissing, match="make run"):
        Marts(tmp_path)
    assert check_main([str(tmp_path)]) == 1
    assert "no published marts" in capsys.readouterr().err
