"""The dashboard's queries over the published Parquet copies of the marts.

Plain Python (no Streamlit, no Dagster): the pages call these functions, and
``make dashboard`` runs all of them once to check a warehouse before serving it.

The marts are read from ``<WAREHOUSE_DIR>/parquet/marts/<table>.parquet``
through an in-memory DuckDB, never from a DuckDB database file: the pipeline
swaps those files while analysts read them, and a BI tool has no business
holding the warehouse open. Every value a user picks (actor, concept, event
type, years, fact id) reaches SQL as a bound parameter.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

PROJECT_ROOT = Path(__file__).resolve().parents[1]

# The marts the pages read; a missing one is a clear error, not an empty chart.
TABLES = (
    "dim_articles",
    "removed_blocks",
    "dim_actors",
    "fct_claims",
    "fct_figures",
    "fct_figure_mentions",
    "fct_events",
    "fct_event_mentions",
    "fct_figure_conflicts",
    "bridge_figure_actors",
    "bridge_event_actors",
)

# A figure as a person reads it: '1,700 UAV', 'more than 40,000,000,000 USD'.
_FIGURE_LABEL = """
    concat_ws(' ',
        replace(nullif({p}qualifier, 'exact'), '_', ' '),
        {fmt}({p}value)
            || case when {p}value_high is not null then ' – ' || {fmt}({p}value_high) else '' end,
        {p}unit)
"""


def marts_dir() -> Path:
    """``DASHBOARD_MARTS_DIR``, else ``$WAREHOUSE_DIR/parquet/marts`` (default ``warehouse/``)."""
    explicit = os.environ.get("DASHBOARD_MARTS_DIR")
    if explicit:
        return Path(explicit).resolve()
    warehouse = os.environ.get("WAREHOUSE_DIR") or PROJECT_ROOT / "warehouse"
    return (Path(warehouse) / "parquet" / "marts").resolve()


class MartsMissing(RuntimeError):
    """The Parquet copies of the marts are not (all) there."""


@dataclass(frozen=True)
class Filters:
    """What the Facts page narrows to; ``None`` means no restriction."""

    actor_id: str | None = None
    measure_concept: str | None = None
    event_type: str | None = None
    year_from: int | None = None
    year_to: int | None = None


class Marts:
    """Read-only views over one published set of mart Parquet files."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        missing = [t for t in TABLES if not (self.directory / f"{t}.parquet").is_file()]
        if missing:
            raise MartsMissing(
                f"no published marts in {self.directory} (missing: {', '.join(missing)}); "
                "build the warehouse first (make run) or set WAREHOUSE_DIR"
            )
        files = [self.directory / f"{t}.parquet" for t in TABLES]
        self.published_at = datetime.fromtimestamp(
            max(f.stat().st_mtime for f in files), tz=UTC
        )
        self._con = duckdb.connect(":memory:")
        self._lock = threading.Lock()
        for table, path in zip(TABLES, files):
            # The path comes from our settings, never from article text; DuckDB
            # takes no bound parameter in a view's definition.
            literal = "'" + str(path).replace("'", "''") + "'"
            self._con.execute(
                f"create view {table} as select * from read_parquet({literal})"
            )
        self._con.execute(
            "create macro fmt_number(x) as "
            "case when x = round(x) then format('{:,}', x::hugeint) else format('{:,}', x) end"
        )

    def close(self) -> None:
        self._con.close()

    def query(self, sql: str, params: list | dict | None = None) -> pd.DataFrame:
        # One cursor per query: Streamlit serves each browser session on its
        # own thread, and a DuckDB connection is not shared across threads.
        with self._lock:
            cur = self._con.cursor()
        try:
            return cur.execute(sql, params or []).df()
        finally:
            cur.close()

    # -- Overview ---------------------------------------------------------

    def status_counts(self) -> dict[str, int]:
        row = self.query(
            "select count(*) as files, "
            "count(*) filter (where status = 'ok') as ok, "
            "count(*) filter (where status = 'quarantined') as quarantined, "
            "count(*) filter (where status = 'removed') as removed "
            "from dim_articles"
        ).iloc[0]
        return {k: int(v) for k, v in row.items()}

    def files_by_status(self) -> pd.DataFrame:
        return self.query(
            "select status, count(*) as files from dim_articles group by status order by files desc"
        )

    def quarantined(self) -> pd.DataFrame:
        return self.query(
            "select source_path, quarantine_cause, quarantine_reason, detected_format "
            "from dim_articles where status = 'quarantined' order by source_path"
        )

    def removed_by_reason(self) -> pd.DataFrame:
        return self.query(
            "select reason, count(*) as blocks, sum(length(text)) as characters "
            "from removed_blocks group by reason order by blocks desc, reason"
        )

    def articles(self) -> pd.DataFrame:
        return self.query(
            "select source_path, title, author, published_date, site_name, word_count, status "
            "from dim_articles order by source_path"
        )

    # -- Facts ------------------------------------------------------------

    def actors(self) -> pd.DataFrame:
        return self.query(
            "select actor_id, canonical_name, actor_type, n_articles, n_mentions "
            "from dim_actors order by n_mentions desc, canonical_name"
        )

    def measure_concepts(self) -> list[str]:
        return self.query(
            "select distinct measure_concept from fct_figures "
            "where measure_concept is not null order by 1"
        )["measure_concept"].tolist()

    def event_types(self) -> list[str]:
        return self.query("select distinct event_type from fct_events order by 1")[
            "event_type"
        ].tolist()

    def year_bounds(self) -> tuple[int, int] | None:
        """The first and last year any dated fact covers."""
        row = self.query(
            "select min(y0), max(y1) from ("
            " select year(date_start) as y0, year(date_end) as y1 from fct_events"
            " union all select period_year, period_year from fct_figures)"
        ).iloc[0]
        if pd.isna(row.iloc[0]):
            return None
        return int(row.iloc[0]), int(row.iloc[1])

    def figures(self, f: Filters = Filters()) -> pd.DataFrame:
        """Figures matching ``f``; undated figures are kept whatever the years."""
        return self.query(
            f"""
            select figure_id, {_FIGURE_LABEL.format(p='', fmt='fmt_number')} as figure,
                   measure, measure_concept, coalesce(period_text, 'no date') as period,
                   period_year, array_to_string(actor_names, ', ') as actors,
                   n_articles, n_independent_sources, n_mentions,
                   is_forecast, has_conflict, example_sentence
            from fct_figures
            where ($actor is null or figure_id in
                      (select figure_id from bridge_figure_actors where actor_id = $actor))
              and ($concept is null or measure_concept = $concept)
              and (period_year is null
                   or (($y0 is null or period_year >= $y0) and ($y1 is null or period_year <= $y1)))
            order by n_independent_sources desc, n_articles desc, n_mentions desc, value desc
            """,
            {"actor": f.actor_id, "concept": f.measure_concept,
             "y0": f.year_from, "y1": f.year_to},
        )

    def events(self, f: Filters = Filters()) -> pd.DataFrame:
        """Events matching ``f``: the span ``date_start..date_end`` overlaps the years."""
        return self.query(
            """
            select event_id, event_type, event_date, date_precision, date_start, date_end,
                   description, array_to_string(actor_names, ', ') as actors, location,
                   n_articles, n_independent_sources, n_mentions, example_sentence
            from fct_events
            where ($actor is null or event_id in
                      (select event_id from bridge_event_actors where actor_id = $actor))
              and ($etype is null or event_type = $etype)
              and (date_start is null
                   or (($y0 is null or year(date_end) >= $y0)
                       and ($y1 is null or year(date_start) <= $y1)))
            order by date_start nulls last, event_type, event_id
            """,
            {"actor": f.actor_id, "etype": f.event_type, "y0": f.year_from, "y1": f.year_to},
        )

    # -- Mentions of one fact ----------------------------------------------

    def figure(self, figure_id: str) -> pd.DataFrame:
        return self.query(
            f"select *, {_FIGURE_LABEL.format(p='', fmt='fmt_number')} as figure "
            "from fct_figures where figure_id = $id",
            {"id": figure_id},
        )

    def event(self, event_id: str) -> pd.DataFrame:
        return self.query("select * from fct_events where event_id = $id", {"id": event_id})

    def mentions(self, kind: str, fact_id: str) -> pd.DataFrame:
        """Every statement of a figure or event: the article and the sentence."""
        table, key = {
            "figure": ("fct_figure_mentions", "figure_id"),
            "event": ("fct_event_mentions", "event_id"),
        }[kind]
        return self.query(
            f"""
            select a.source_path, a.title, a.published_date, a.rewrite_cluster_id,
                   m.surface_text, m.char_start, m.char_end,
                   c.text as sentence, m.char_start - c.char_start as offset_in_sentence
            from {table} m
            join fct_claims c using (claim_id)
            join dim_articles a on a.article_id = m.article_id
            where m.{key} = $id
            order by a.source_path, m.char_start
            """,
            {"id": fact_id},
        )

    # -- Actor timeline -----------------------------------------------------

    def actor_figures_by_period(self, actor_id: str) -> pd.DataFrame:
        return self.query(
            f"""
            select coalesce(f.period_text, 'no date') as period, f.period_year,
                   {_FIGURE_LABEL.format(p='f.', fmt='fmt_number')} as figure,
                   f.measure, f.measure_concept, f.n_articles, f.n_independent_sources,
                   f.figure_id
            from fct_figures f
            join bridge_figure_actors b using (figure_id)
            where b.actor_id = $actor
            order by f.period_year nulls last, f.measure_concept, f.value
            """,
            {"actor": actor_id},
        )

    # -- Corroboration and conflicts ------------------------------------------

    def best_corroborated(self, limit: int = 15) -> pd.DataFrame:
        return self.query(
            f"""
            select * from (
                select 'figure' as kind, figure_id as fact_id,
                       {_FIGURE_LABEL.format(p='', fmt='fmt_number')} || ' — ' || measure as fact,
                       period_text as period, n_independent_sources, n_articles, n_mentions
                from fct_figures
                union all
                select 'event', event_id, event_type || ': ' || description, event_date,
                       n_independent_sources, n_articles, n_mentions
                from fct_events
            )
            order by n_independent_sources desc, n_articles desc, n_mentions desc, fact
            limit $limit
            """,
            {"limit": limit},
        )

    def conflicts(self) -> pd.DataFrame:
        """Each conflict with both values, their periods and the files behind each side."""
        return self.query(
            """
            with sides as (
                select conflict_id, 'a' as side, unnest(article_ids_a) as article_id
                from fct_figure_conflicts
                union all
                select conflict_id, 'b', unnest(article_ids_b) from fct_figure_conflicts
            ), files as (
                select conflict_id, side,
                       string_agg(a.source_path, ', ' order by a.source_path) as articles
                from sides join dim_articles a using (article_id)
                group by all
            )
            select c.conflict_id, c.measure, c.unit, c.period_year,
                   array_to_string(c.actor_names, ', ') as actors,
                   concat_ws(' ', replace(nullif(c.qualifier_a, 'exact'), '_', ' '),
                             fmt_number(c.value_a)) as value_a,
                   c.period_text_a, c.n_articles_a, fa.articles as articles_a, c.figure_id_a,
                   concat_ws(' ', replace(nullif(c.qualifier_b, 'exact'), '_', ' '),
                             fmt_number(c.value_b)) as value_b,
                   c.period_text_b, c.n_articles_b, fb.articles as articles_b, c.figure_id_b
            from fct_figure_conflicts c
            left join files fa on fa.conflict_id = c.conflict_id and fa.side = 'a'
            left join files fb on fb.conflict_id = c.conflict_id and fb.side = 'b'
            order by c.measure, c.period_year
            """
        )

    def rewrite_clusters(self) -> pd.DataFrame:
        """Rewrite clusters of live articles, the largest first, with their members."""
        return self.query(
            """
            select rewrite_cluster_id, count(*) as articles,
                   string_agg(source_path, ', ' order by source_path) as members,
                   string_agg(coalesce(title, '(no title)'), ' | ' order by source_path) as titles
            from dim_articles
            where status = 'ok' and rewrite_cluster_id is not null
            group by rewrite_cluster_id
            order by articles desc, members
            """
        )


def summary(m: Marts) -> dict[str, int]:
    """Row counts of what every page shows: runs every page's queries once."""
    actors = m.actors()
    first_actor = actors["actor_id"].iloc[0] if len(actors) else None
    out = {
        "files": m.status_counts()["files"],
        "quarantined": len(m.quarantined()),
        "removed block reasons": len(m.removed_by_reason()),
        "actors": len(actors),
        "figures": len(m.figures()),
        "events": len(m.events()),
        "conflicts": len(m.conflicts()),
        "rewrite clusters": len(m.rewrite_clusters()),
        "best corroborated": len(m.best_corroborated()),
    }
    if first_actor is not None:
        out["timeline events (top actor)"] = len(m.events(Filters(actor_id=first_actor)))
        out["timeline figures (top actor)"] = len(m.actor_figures_by_period(first_actor))
    m.event_types(), m.measure_concepts(), m.year_bounds()
    return out
