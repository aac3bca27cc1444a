"""What the last dbt build and the last publish were made from, so a run with nothing
new does neither.

A build's inputs are the landing tables dbt reads (its sources) and the dbt project
itself. Both are summarised in one fingerprint: DuckDB hashes every row of every
source table and combines the hashes (order-free), and the dbt project's files are
hashed byte for byte. The dbt stage stores the fingerprint after a successful build
(models and tests), the publish stage after a successful publish; a later run whose
fingerprint equals both stored values has nothing to rebuild or republish.

No Dagster import here: ``defs/dbt`` and ``defs/publish`` call it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import duckdb

STATE_DDL = """
create schema if not exists raw;
-- One row per stage ('dbt', 'publish'): the inputs fingerprint of its last success.
create table if not exists raw.build_state (
    stage        varchar primary key,
    fingerprint  varchar not null,
    recorded_at  timestamp not null
);
"""

# What in the dbt project decides what a build produces (target/ and logs/ do not).
DBT_INPUTS = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "tests",
              "snapshots", "analyses")


def dbt_project_version(dbt_dir: Path) -> str:
    """Hash of every file of the dbt project that a build reads."""
    digest = hashlib.sha256()
    for name in DBT_INPUTS:
        target = dbt_dir / name
        files = sorted(target.rglob("*")) if target.is_dir() else [target]
        for f in files:
            if f.is_file():
                digest.update(f.relative_to(dbt_dir).as_posix().encode())
                digest.update(b"\0")
                digest.update(f.read_bytes())
    return digest.hexdigest()[:16]


def sources_from_manifest(manifest: dict) -> list[tuple[str, str]]:
    """(schema, table) of every dbt source, from a parsed ``manifest.json``."""
    return sorted(
        {(s["schema"], s.get("identifier") or s["name"]) for s in manifest["sources"].values()}
    )


def landing_fingerprint(
    con: duckdb.DuckDBPyConnection, tables: Iterable[tuple[str, str]], project_version: str
) -> str:
    """Digest of every row of ``tables`` and of the dbt project's version.

    A table that does not exist yet counts as empty-and-missing (its own marker), so
    its creation changes the fingerprint.
    """
    existing = {
        (s, t)
        for s, t in con.execute(
            "select table_schema, table_name from information_schema.tables"
        ).fetchall()
    }
    parts = [project_version]
    for schema, table in sorted(tables):
        if (schema, table) not in existing:
            parts.append(f"{schema}.{table}:missing")
            continue
        # Identifiers come from the dbt manifest (the project's own sources), never
        # from article text. hash(t) hashes the whole row; bit_xor ignores row order.
        count, combined = con.execute(
            f'select count(*), coalesce(bit_xor(hash(t)), 0) from "{schema}"."{table}" t'
        ).fetchone()
        parts.append(f"{schema}.{table}:{count}:{combined}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def stored(con: duckdb.DuckDBPyConnection, stage: str) -> str | None:
    # No DDL here: the CLI's no-op check reads this through a read-only connection.
    if not con.execute(
        "select 1 from duckdb_tables() where database_name = current_database()"
        " and schema_name = 'raw' and table_name = 'build_state'"
    ).fetchone():
        return None
    row = con.execute(
        "select fingerprint from raw.build_state where stage = ?", [stage]
    ).fetchone()
    return row[0] if row else None


def record(con: duckdb.DuckDBPyConnection, stage: str, fingerprint: str) -> None:
    con.execute(STATE_DDL)
    con.execute(
        "insert or replace into raw.build_state values (?, ?, current_timestamp)",
        [stage, fingerprint],
    )


def forget(con: duckdb.DuckDBPyConnection, stage: str) -> None:
    """Drop a stage's record: its next run does the work whatever the fingerprint."""
    con.execute(STATE_DDL)
    con.execute("delete from raw.build_state where stage = ?", [stage])


def up_to_date(
    con: duckdb.DuckDBPyConnection, fingerprint: str, published: Path
) -> tuple[bool, str]:
    """Whether the marts built and published last are those of ``fingerprint``, and why."""
    built = stored(con, "dbt")
    if built != fingerprint:
        return False, "no build yet" if built is None else "landing data or dbt project changed"
    if stored(con, "publish") != fingerprint:
        return False, "the last build was not published"
    if not published.exists():
        return False, f"{published} is missing"
    if stored(con, "published_file") != published_file_key(published):
        return False, "the published copy was written to (a read-write session) or replaced"
    return True, "landing data, dbt project and published warehouse unchanged since the last build"


def published_file_key(published: Path) -> str | None:
    """Size and mtime of the published version, and whether a WAL sits beside it.

    Publishing never writes a published file again, so a change here means a
    read-write session (root ignores the file's 0444 mode) wrote into it, or left a
    WAL that readers would trip on: the next run republishes a clean copy even
    when nothing else changed."""
    if not published.exists():
        return None
    version = published.resolve()
    st = version.stat()
    wal = version.with_name(version.name + ".wal").exists()
    return f"{st.st_size}:{st.st_mtime_ns}:{'wal' if wal else 'no-wal'}"


def actor_names_fingerprint(con: duckdb.DuckDBPyConnection, code: str) -> tuple[str, int]:
    """What the cross-article actor names (lib.extract.actor_names) depend on: ``code``
    (its code version) and every name with its type and mention count, as an
    order-free digest computed in DuckDB, so a run with nothing new fetches one row.
    Returns the fingerprint and the number of names.
    Here, not in lib.extract, so the CLI's no-op check reads it without importing
    the extraction package."""
    names = (
        "select canonical_name, mode(actor_type) as actor_type, count(*) as n "
        "from raw.actor_mentions group by 1"
    )
    count, digest = con.execute(
        f"select count(*), coalesce(bit_xor(hash(canonical_name, actor_type, n)), 0) from ({names})"
    ).fetchone()
    return f"{code}:{count}:{digest}", count
