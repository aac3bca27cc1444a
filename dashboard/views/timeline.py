"""Actor timeline: one actor's events on a date axis and its figures by period.

An event is drawn over the whole span its stated date covers (`date_start` to
`date_end`): '1988' covers the year, '1980s' the decade, '2022-08' the month.
The marker sits in the middle of that span and its shape says the precision,
so a year-only event is never pinned to 1 January.
"""

import altair as alt
import pandas as pd
import streamlit as st

from dashboard.data import Filters
from dashboard.ui import marts, table

PRECISIONS = ["day", "month", "year", "range", "decade", "century"]
SHAPES = ["circle", "square", "diamond", "triangle-right", "triangle-up", "cross"]
RECENT_YEARS = 30


def render() -> None:
    m = marts()
    st.title("Actor timeline")
    actors = m.actors()
    if actors.empty:
        st.write("No actor in this warehouse.")
        return
    names = dict(zip(actors["actor_id"], actors["canonical_name"]))
    actor = st.selectbox("Actor", list(names), format_func=names.get)

    everything = m.events(Filters(actor_id=actor))
    st.subheader(f"Events of {names[actor]} ({len(everything)})")
    events = everything
    starts = everything["date_start"].dropna()
    if not starts.empty:
        first = int(starts.min().year)
        last = int(everything["date_end"].dropna().max().year)
        if last - first > RECENT_YEARS:
            # Centuries of history squeeze the recent events into a sliver: start
            # on the last decades and let the reader widen the window.
            lo, hi = st.slider("Years shown", first, last, (last - RECENT_YEARS, last), step=1)
            events = m.events(Filters(actor_id=actor, year_from=lo, year_to=hi))
            hidden = int(everything["date_start"].notna().sum() - events["date_start"].notna().sum())
            if hidden:
                st.caption(f"{hidden} event(s) outside {lo}–{hi} are hidden: widen the years.")
    dated = events[events["date_start"].notna()].copy()
    if not dated.empty:
        # The end is inclusive: a day covers its 24 hours.
        dated["span_end"] = dated["date_end"] + pd.Timedelta(days=1)
        dated["middle"] = dated["date_start"] + (dated["span_end"] - dated["date_start"]) / 2
        base = alt.Chart(dated).encode(
            y=alt.Y("event_type:N", title=None),
            tooltip=[alt.Tooltip("event_date:N", title="date as stated"),
                     alt.Tooltip("date_precision:N", title="precision"),
                     "event_type:N", "description:N",
                     alt.Tooltip("n_articles:Q", title="articles"),
                     alt.Tooltip("n_independent_sources:Q", title="independent sources")],
        )
        spans = base.mark_bar(height=10, opacity=0.35).encode(
            x=alt.X("date_start:T", title="date (span covered by the stated date)"),
            x2="span_end:T",
            color=alt.Color("date_precision:N", scale=alt.Scale(domain=PRECISIONS),
                            title="precision"),
        )
        marks = base.mark_point(size=90, filled=True).encode(
            x="middle:T",
            shape=alt.Shape("date_precision:N",
                            scale=alt.Scale(domain=PRECISIONS, range=SHAPES),
                            title="precision"),
            color=alt.Color("date_precision:N", scale=alt.Scale(domain=PRECISIONS)),
        )
        height = 30 * dated["event_type"].nunique() + 60
        st.altair_chart((spans + marks).properties(height=height).interactive(bind_y=False),
                        use_container_width=True)
        st.caption(
            "Each event spans the period its stated date covers; the marker's shape is the "
            "precision (a year-only event covers the whole year). Scroll to zoom."
        )
    table(events, {"event_date": "Date (as stated)", "date_precision": "Precision",
                   "event_type": "Type", "description": "Event", "actors": "Actors",
                   "n_articles": "Articles", "n_independent_sources": "Independent sources"},
          css_class="marts events")
    undated = int(events["date_start"].isna().sum())
    if undated:
        st.caption(f"{undated} event(s) state a day or month without a year: listed, not drawn.")

    figures = m.actor_figures_by_period(actor)
    st.subheader(f"Figures of {names[actor]} by period ({len(figures)})")
    by_year = figures[figures["period_year"].notna()]
    if not by_year.empty:
        st.altair_chart(
            alt.Chart(by_year).mark_bar().encode(
                x=alt.X("period_year:O", title="period (year the figure is about)"),
                y=alt.Y("count():Q", title="figures", axis=alt.Axis(tickMinStep=1)),
                color=alt.Color("measure_concept:N", title="concept"),
                tooltip=["period:N", "figure:N", "measure:N", "measure_concept:N"],
            ),
            use_container_width=True,
        )
    table(figures, {"period": "Period", "figure": "Figure", "measure": "Measure",
                    "measure_concept": "Concept", "n_articles": "Articles",
                    "n_independent_sources": "Independent sources"},
          css_class="marts figures")
