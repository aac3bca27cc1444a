"""Corroboration and conflicts: best-backed facts, disagreeing figures, rewrite clusters."""

from urllib.parse import urlencode

import streamlit as st

from dashboard.ui import marts, table


def render() -> None:
    m = marts()
    st.title("Corroboration and conflicts")

    st.subheader("Facts with the most independent origins")
    st.caption("Independent sources are distinct rewrite clusters: rewrites of one story "
               "count once, however many copies there are.")
    best = m.best_corroborated()
    table(best, {"kind": "Kind", "fact": "Fact", "period": "Period / date",
                 "n_independent_sources": "Independent sources", "n_articles": "Articles",
                 "n_mentions": "Mentions"},
          links={"Where stated": ("mentions →",
                                  lambda r: "?" + urlencode({"page": "mentions", r["kind"]: r["fact_id"]}))},
          css_class="marts best")

    st.subheader("Conflicting figures")
    st.caption("Two figures measuring the same thing for the same actors and period that "
               "disagree, side by side with the articles behind each value.")
    conflicts = m.conflicts()
    if conflicts.empty:
        st.write("No conflicting figures in this warehouse.")
    else:
        table(conflicts, {"measure": "Measure", "actors": "Actors", "period_year": "Year",
                          "value_a": "Value A", "period_text_a": "Period A",
                          "articles_a": "Articles behind A", "value_b": "Value B",
                          "period_text_b": "Period B", "articles_b": "Articles behind B"},
              links={"A": ("mentions of A →",
                           lambda r: "?" + urlencode({"page": "mentions", "figure": r["figure_id_a"]})),
                     "B": ("mentions of B →",
                           lambda r: "?" + urlencode({"page": "mentions", "figure": r["figure_id_b"]}))},
              css_class="marts conflicts")

    st.subheader("Rewrite clusters")
    st.caption("Articles that are rewrites or near-copies of one another share a cluster.")
    clusters = m.rewrite_clusters()
    table(clusters, {"rewrite_cluster_id": "Cluster", "articles": "Articles",
                     "members": "Members", "titles": "Titles"}, css_class="marts clusters")
