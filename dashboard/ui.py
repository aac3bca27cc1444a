"""Streamlit helpers shared by the pages: the cached marts and HTML tables.

Tables are plain HTML (escaped cell by cell) rather than Streamlit's canvas
grid, so their text is in the page: a reader can select and search it, and the
browser tests read what a person sees.
"""

from __future__ import annotations

import html
import numbers
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd
import streamlit as st

from dashboard.data import TABLES, Marts, MartsMissing, marts_dir

_CSS = """
<style>
table.marts { border-collapse: collapse; width: 100%; font-size: 0.88rem; }
table.marts th { text-align: left; border-bottom: 2px solid #ccc; padding: 4px 8px; }
table.marts td { border-bottom: 1px solid #eee; padding: 4px 8px; vertical-align: top; }
table.marts td.num { text-align: right; font-variant-numeric: tabular-nums; }
</style>
"""


@st.cache_resource(max_entries=2, show_spinner=False)
def _open(directory: str, signature: tuple) -> Marts:
    return Marts(directory)


def marts() -> Marts:
    """The marts of the last publish: a new publish (new file times) opens a fresh set."""
    directory = marts_dir()
    signature = tuple(
        (directory / f"{t}.parquet").stat().st_mtime_ns
        if (directory / f"{t}.parquet").exists() else None
        for t in TABLES
    )
    try:
        return _open(str(directory), signature)
    except MartsMissing as exc:
        st.error(str(exc))
        st.stop()


def table(
    df: pd.DataFrame,
    columns: Mapping[str, str],
    links: Mapping[str, tuple[str, Callable[[pd.Series], str]]] | None = None,
    css_class: str = "marts",
) -> None:
    """Render ``df``'s ``columns`` (name -> header) as an HTML table.

    ``links`` maps a header to (link text, row -> relative URL) for a column of
    links. Every cell is escaped: cells hold article text.
    """
    links = links or {}
    head = "".join(f"<th>{html.escape(h)}</th>" for h in [*columns.values(), *links])
    rows = []
    for _, row in df.iterrows():
        cells = []
        for col in columns:
            value = row[col]
            num = isinstance(value, numbers.Number) and not isinstance(value, bool | np.bool_)
            text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else value
            if isinstance(text, float) and text.is_integer():
                text = int(text)
            elif isinstance(text, pd.Timestamp):
                text = text.strftime("%Y-%m-%d")
            klass = ' class="num"' if num else ""
            cells.append(f"<td{klass} data-col=\"{html.escape(col)}\">{html.escape(str(text))}</td>")
        for label, (text, url) in links.items():
            cells.append(
                f'<td data-col="{html.escape(label)}"><a href="{html.escape(url(row))}" '
                f'target="_self">{html.escape(text)}</a></td>'
            )
        rows.append("<tr>" + "".join(cells) + "</tr>")
    st.markdown(
        f'{_CSS}<table class="{css_class}"><thead><tr>{head}</tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table>',
        unsafe_allow_html=True,
    )


def csv_download(df: pd.DataFrame, name: str) -> None:
    st.download_button(
        f"Download {name} (CSV)", df.to_csv(index=False).encode(), f"{name}.csv", "text/csv"
    )
