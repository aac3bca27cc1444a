"""Overview: files by status, the quarantine with its reasons, removed boilerplate."""

import altair as alt
import streamlit as st

from dashboard.ui import marts, table


def render() -> None:
    m = marts()
    st.title("Overview")
    st.caption(
        f"Last publish: {m.published_at:%Y-%m-%d %H:%M:%S} UTC · marts read from {m.directory}"
    )

    counts = m.status_counts()
    cols = st.columns(4)
    cols[0].metric("Files seen", counts["files"])
    cols[1].metric("Articles OK", counts["ok"])
    cols[2].metric("Quarantined", counts["quarantined"])
    cols[3].metric("Removed", counts["removed"])

    left, right = st.columns(2)
    with left:
        st.subheader("Files by status")
        by_status = m.files_by_status()
        st.altair_chart(
            alt.Chart(by_status).mark_bar().encode(
                x=alt.X("files:Q", title="files", axis=alt.Axis(tickMinStep=1)),
                y=alt.Y("status:N", sort="-x", title=None),
                color=alt.Color("status:N", legend=None,
                                scale=alt.Scale(domain=["ok", "quarantined", "removed"],
                                                range=["#4c9a2a", "#d62728", "#999999"])),
                tooltip=["status", "files"],
            ),
            use_container_width=True,
        )
    with right:
        st.subheader("Removed boilerplate by reason")
        removed = m.removed_by_reason()
        st.altair_chart(
            alt.Chart(removed).mark_bar().encode(
                x=alt.X("blocks:Q", title="blocks removed"),
                y=alt.Y("reason:N", sort="-x", title=None),
                tooltip=["reason", "blocks", "characters"],
            ),
            use_container_width=True,
        )
        table(removed, {"reason": "Reason", "blocks": "Blocks", "characters": "Characters"},
              css_class="marts removed")

    st.subheader("Quarantine")
    st.caption(
        "Files that could not be processed, with the reason. Bad input stays here until "
        "its content changes; processing errors are retried when the code changes."
    )
    quarantined = m.quarantined()
    if quarantined.empty:
        st.write("No file is quarantined.")
    else:
        table(quarantined, {"source_path": "File", "quarantine_cause": "Cause",
                            "quarantine_reason": "Reason", "detected_format": "Format"},
              css_class="marts quarantine")

    st.subheader("Articles")
    table(m.articles(), {"source_path": "File", "title": "Title", "author": "Author",
                         "published_date": "Published", "site_name": "Site",
                         "word_count": "Words", "status": "Status"},
          css_class="marts articles")
