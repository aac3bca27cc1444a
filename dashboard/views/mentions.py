"""Mentions of one fact (`?figure=<id>` or `?event=<id>`): each article and sentence."""

import html

import pandas as pd
import streamlit as st

from dashboard.ui import marts, table


def render() -> None:
    m = marts()
    st.title("Mentions")
    params = st.query_params
    kind = "figure" if "figure" in params else "event" if "event" in params else None
    if kind is None:
        st.info("Pick a fact on the Facts page: its “mentions →” link opens it here.")
        return
    fact_id = params[kind]
    fact = m.figure(fact_id) if kind == "figure" else m.event(fact_id)
    if fact.empty:
        st.warning(f"No {kind} with id {fact_id} in this warehouse (it may have been rebuilt).")
        return
    row = fact.iloc[0]
    if kind == "figure":
        st.subheader(f"{row['figure']} — {row['measure']}")
        period = row["period_text"] if pd.notna(row["period_text"]) else "no date"
        concept = row["measure_concept"] if pd.notna(row["measure_concept"]) else "unmapped"
        st.write(f"Period: {period} · concept: {concept}")
    else:
        st.subheader(f"{row['event_type']}: {row['description']}")
        st.write(f"Date as stated: {row['event_date']} ({row['date_precision']} precision)")
    c = st.columns(3)
    c[0].metric("Articles", int(row["n_articles"]))
    c[1].metric("Independent sources", int(row["n_independent_sources"]))
    c[2].metric("Mentions", int(row["n_mentions"]))

    mentions = m.mentions(kind, fact_id)
    st.subheader("Where it is stated")
    for r in mentions.itertuples():
        # The stated words are marked inside their sentence; every piece escaped.
        s, start = r.sentence, int(r.offset_in_sentence)
        end = start + len(r.surface_text)
        if 0 <= start and s[start:end] == r.surface_text:
            sentence = (html.escape(s[:start]) + "<mark>" + html.escape(s[start:end])
                        + "</mark>" + html.escape(s[end:]))
        else:
            sentence = html.escape(s)
        title = html.escape(r.title if isinstance(r.title, str) else "(no title)")
        st.markdown(
            f'<div class="mention"><b>{html.escape(r.source_path)}</b> — {title} '
            f"(characters {r.char_start}–{r.char_end})<blockquote>{sentence}</blockquote></div>",
            unsafe_allow_html=True,
        )
    table(mentions, {"source_path": "File", "title": "Article", "published_date": "Published",
                     "surface_text": "Stated as", "char_start": "From", "char_end": "To",
                     "rewrite_cluster_id": "Rewrite cluster"},
          css_class="marts mentions")
