"""The analysts' dashboard: `make dashboard-serve` runs it with Streamlit.

Pages are picked by the `page` query parameter (`/?page=facts`), so every page
and every fact's mentions (`/?page=mentions&figure=<id>`) is a plain link that
can be bookmarked, and the app is always served from its root path.
"""

import sys
from pathlib import Path

# Streamlit puts only this file's folder on sys.path; the pages import the
# `dashboard` package from the project root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import streamlit as st  # noqa: E402

from dashboard.views import PAGES  # noqa: E402

st.set_page_config(page_title="Article claims warehouse", layout="wide")

current = st.query_params.get("page", "overview")
if current not in PAGES:
    current = "overview"
with st.sidebar:
    st.markdown("### Article claims warehouse")
    st.markdown(
        "\n".join(
            f'- <a href="?page={key}" target="_self">{"<b>" + title + "</b>" if key == current else title}</a>'
            for key, (title, _, in_menu) in PAGES.items() if in_menu
        ),
        unsafe_allow_html=True,
    )
PAGES[current][1]()
