"""Facts: figures and events, filtered by actor, measure concept, event type and years."""

from urllib.parse import urlencode

import streamlit as st

from dashboard.data import Filters
from dashboard.ui import csv_download, marts, table

_ALL = "All"


def _mentions_url(kind: str):
    return lambda row: "?" + urlencode({"page": "mentions", kind: row[f"{kind}_id"]})


def render() -> None:
    m = marts()
    st.title("Facts")
    st.caption(
        "Every distinct figure and dated event, counted once however many articles state it. "
        "**Articles**: how many articles state it; **independent sources**: how many distinct "
        "rewrite clusters those articles form (three rewrites of one story are one source). "
        "Each fact links to its mentions: the article and the sentence."
    )

    actors = m.actors()
    labels = {r.actor_id: f"{r.canonical_name} ({r.n_articles} articles)"
              for r in actors.itertuples()}
    c1, c2, c3, c4 = st.columns([3, 2, 2, 3])
    actor = c1.selectbox("Actor", [_ALL, *labels], format_func=lambda a: labels.get(a, a))
    concept = c2.selectbox("Measure concept", [_ALL, *m.measure_concepts()])
    event_type = c3.selectbox("Event type", [_ALL, *m.event_types()])
    bounds = m.year_bounds()
    years = (None, None)
    if bounds:
        years = c4.slider("Years", bounds[0], bounds[1], bounds, step=1)
    st.caption(
        "Years keep figures whose period and events whose span (`date_start`..`date_end`) "
        "overlap them; facts without a stated date are always listed (period *no date*)."
    )
    f = Filters(
        actor_id=None if actor == _ALL else actor,
        measure_concept=None if concept == _ALL else concept,
        event_type=None if event_type == _ALL else event_type,
        year_from=years[0], year_to=years[1],
    )

    figures = m.figures(f)
    st.subheader(f"Figures ({len(figures)})")
    figures["flags"] = [
        ", ".join(x for x, on in (("forecast", fc), ("conflict", cf)) if on)
        for fc, cf in zip(figures["is_forecast"], figures["has_conflict"])
    ]
    table(
        figures,
        {"figure": "Figure", "measure": "Measure", "measure_concept": "Concept",
         "period": "Period", "actors": "Actors", "n_articles": "Articles",
         "n_independent_sources": "Independent sources", "flags": "Flags"},
        links={"Mentions": ("mentions →", _mentions_url("figure"))},
        css_class="marts figures",
    )
    csv_download(figures, "figures")

    events = m.events(f)
    st.subheader(f"Events ({len(events)})")
    table(
        events,
        {"event_date": "Date (as stated)", "date_precision": "Precision",
         "event_type": "Type", "description": "Event", "actors": "Actors",
         "n_articles": "Articles", "n_independent_sources": "Independent sources"},
        links={"Mentions": ("mentions →", _mentions_url("event"))},
        css_class="marts events",
    )
    csv_download(events, "events")
