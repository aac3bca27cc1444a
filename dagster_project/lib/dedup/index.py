"""The clustering's index: what an incremental update starts from, in a file of its own.

A full clustering writes, beside the two cluster tables, everything a later update
needs to compare only the changed articles against the rest. It lives in its own
DuckDB file beside the working database (``<working file stem>.cluster_index.duckdb``,
e.g. ``$WAREHOUSE_DIR/.work/pipeline.cluster_index.duckdb``), ATTACHed as ``dd_index``
by the clustering step only (the pipeline's single writer), so the working file the
publish step copies for analysts does not carry it (2.3 GB at 100,000 articles):

- ``cluster_keys``: each distinct sentence (key): stable hash of its normalised text,
  occurrences, its stem ids, numbers and distinctive numbers, whether it is signed
  (enough stems for MinHash), and its claim component (smallest key id in it);
- ``cluster_vocab``: stem ids and their text (MinHash hashes the text);
- ``cluster_bands`` / ``cluster_numkeys``: the LSH band keys and number keys of every
  signed key, so bucket members and sizes are a lookup;
- ``cluster_sims`` / ``cluster_claim_edges``: the verified sentence pairs (similar,
  with their overlap and whether both state the same numbers; same claim);
- ``cluster_occ``: every sentence of every live article (article, position, key, claim);
- ``cluster_articles``: every article's input hash (what it was clustered from),
  liveness, sentence count and key-sequence digest (exact copies);
- ``cluster_rewrites``: the article pairs the alignment found to be rewrites.

``cluster_index_meta`` says which code built the index, which clustering it belongs
to (the fingerprint in ``raw.cluster_state``) and its generation, a token written
anew with every change of the index. DuckDB commits one attached database per
transaction, so the index and the warehouse's cluster tables are committed one after
the other (index first); the warehouse records in ``raw.cluster_index_link`` the
generation its cluster tables were made with. An index whose meta does not match
(missing or damaged file, other code, a run killed between the two commits, an index
of another warehouse) is not used: the next clustering is a full one. Rows go in as
Arrow tables, never as SQL text.
"""

from __future__ import annotations

import contextlib
import logging
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

log = logging.getLogger(__name__)

DB = "dd_index"  # the alias the index file is attached under (used in the SQL below)

DDL = """
create table if not exists dd_index.cluster_index_meta (
    code_version varchar not null, fingerprint varchar not null, built_at timestamp,
    generation varchar not null
);
create table if not exists dd_index.cluster_keys (
    key_id integer not null, key_hash bigint not null, n_occ integer not null,
    signed boolean not null, stems integer[], nums varchar[], dnums varchar[],
    claim_label integer
);
create table if not exists dd_index.cluster_vocab (stem_id integer not null, stem varchar not null);
create table if not exists dd_index.cluster_bands (bkey bigint not null, key_id integer not null);
create table if not exists dd_index.cluster_numkeys (nkey bigint not null, key_id integer not null);
create table if not exists dd_index.cluster_sims (
    a integer not null, b integer not null, j double, same_nums boolean not null
);
create table if not exists dd_index.cluster_claim_edges (a integer not null, b integer not null);
create table if not exists dd_index.cluster_occ (
    article_id varchar not null, pos integer not null, key_id integer not null,
    claim_index integer not null
);
create table if not exists dd_index.cluster_articles (
    article_id varchar not null, live boolean not null, input_hash ubigint,
    n_sent integer, digest blob
);
create table if not exists dd_index.cluster_rewrites (a varchar not null, b varchar not null);
"""

INDEX_TABLES = (
    "cluster_keys", "cluster_vocab", "cluster_bands", "cluster_numkeys", "cluster_sims",
    "cluster_claim_edges", "cluster_occ", "cluster_articles", "cluster_rewrites",
)

# Per article, what the clustering reads of it (liveness, its claims' texts, or its body
# when it has no claims), hashed by DuckDB: an article whose hash moved is one the
# update must redo, and the hashes together are the clustering's input fingerprint.
ARTICLE_INPUTS = """
with dead as (
    select distinct article_id from raw.files
    where list_contains($dead, status) and article_id is not null
),
cl as (
    select article_id, bit_xor(hash(claim_index, text)) as h, count(*) as n
    from raw.claims group by article_id
)
select a.article_id, d.article_id is null as live,
       hash(case when cl.n is null then a.body_text end, coalesce(cl.h, 0),
            coalesce(cl.n, 0)) as input_hash
from raw.articles a left join dead d using (article_id) left join cl using (article_id)
"""


# In the warehouse: the generation of the index its cluster tables were made with.
LINK_DDL = """
create schema if not exists raw;
create table if not exists raw.cluster_index_link (generation varchar not null);
"""


def index_path(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The index file beside ``con``'s database file (None for an in-memory database)."""
    path = con.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchone()[0]
    if not path:
        return None
    path = Path(path)
    return path.with_name(path.stem + ".cluster_index.duckdb")


def is_attached(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute(
        "select count(*) from duckdb_databases() where database_name = ?", [DB]
    ).fetchone()[0])


@contextlib.contextmanager
def attached(con: duckdb.DuckDBPyConnection, read_only: bool = False) -> Iterator[None]:
    """The index attached as ``dd_index`` while the block runs (created when missing),
    then detached, which checkpoints it and releases the file.

    A file DuckDB cannot open as a database (damaged, truncated, not DuckDB) is a cache
    that can be rebuilt: it is removed with its WAL and an empty index is created, whose
    missing meta makes the clustering a full one. An in-memory warehouse gets an
    in-memory index, left attached to the connection (detaching would drop it).
    """
    if is_attached(con):
        yield
        return
    path = index_path(con)
    if path is None:
        con.execute(f"attach ':memory:' as {DB}")
        ensure_index_schema(con)
        yield
        return
    mode = " (read_only)" if read_only else ""
    try:
        con.execute(f"attach {_sql_string(str(path))} as {DB}{mode}")
    except duckdb.Error as exc:
        if read_only or _busy(exc):
            raise
        log.warning("clustering index %s cannot be opened (%s): removed, the next "
                    "clustering is a full one", path, exc)
        for p in (path, path.with_name(path.name + ".wal")):
            if p.exists():
                os.remove(p)
        con.execute(f"attach {_sql_string(str(path))} as {DB}")
    try:
        if not read_only:
            ensure_index_schema(con)
        yield
    finally:
        con.execute(f"detach {DB}")


def _busy(exc: duckdb.Error) -> bool:
    """The error is about the environment (a lock, permissions, space), not the file."""
    text = str(exc).lower()
    return any(w in text for w in ("lock", "permission denied", "no space left",
                                   "read-only file system", "too many open files"))


def _sql_string(value: str) -> str:
    """A file path as a SQL string literal (ATTACH takes no parameter)."""
    return "'" + value.replace("'", "''") + "'"


def ensure_index_schema(con: duckdb.DuckDBPyConnection) -> None:
    """The index tables in the attached index file; the link table in the warehouse,
    and no index tables left in the warehouse by code that kept them there (their
    rows would be copied by every publish)."""
    con.execute(DDL)
    con.execute(LINK_DDL)
    for table in ("cluster_index_meta", *INDEX_TABLES):
        con.execute(f"drop table if exists raw.{table}")  # (names fixed in this module)


def clear(con: duckdb.DuckDBPyConnection) -> None:
    """An empty index: a new file for a file-backed one (blocks of dropped tables are
    reused only after a checkpoint, so rewriting the tables in place doubled the file
    at 100,000 articles), else its tables dropped; then the tables created empty."""
    path = con.execute(
        "select path from duckdb_databases() where database_name = ?", [DB]
    ).fetchone()[0]
    if path:
        con.execute(f"detach {DB}")
        for p in (Path(path), Path(path + ".wal")):
            if p.exists():
                os.remove(p)
        con.execute(f"attach {_sql_string(path)} as {DB}")
    else:
        for table in ("cluster_index_meta", *INDEX_TABLES):
            con.execute(f"drop table if exists {DB}.{table}")  # (names fixed here)
    ensure_index_schema(con)


def new_generation() -> str:
    return uuid.uuid4().hex


def link(con: duckdb.DuckDBPyConnection, generation: str) -> None:
    """Record in the warehouse the index generation its cluster tables match (in the
    caller's transaction, the one that writes them)."""
    con.execute("delete from raw.cluster_index_link")
    con.execute("insert into raw.cluster_index_link values (?)", [generation])


def release_memory(con: duckdb.DuckDBPyConnection) -> None:
    """Give back what DuckDB's buffer pool holds beyond the running queries (blocks of
    the tables it read or wrote, kept up to its memory limit): the limit is lowered
    for a moment, which evicts them and returns the memory to the system, then
    restored (from DuckDB's own text of it, rounded to 0.1 MiB: it may move by that
    much once, then stays). At 100,000 articles the clustering's reads and index
    writes left about 0.4 GB cached beside its own arrays."""
    limit = con.execute("select current_setting('memory_limit')").fetchone()[0]
    con.execute("set memory_limit = '16MB'")
    con.execute(f"set memory_limit = '{limit}'")  # (DuckDB's own value)


def insert(con: duckdb.DuckDBPyConnection, table: str, columns: dict) -> None:
    """Append columns (numpy or Arrow arrays, in the table's column order) to ``table``
    (a name fixed in this package, never input)."""
    if len(next(iter(columns.values()))):
        _from_columns(con, f"insert into {table} select * from _dd_batch", columns)


def insert_table(con: duckdb.DuckDBPyConnection, name: str, columns: dict) -> None:
    """A temporary table ``name`` (fixed in this package) created from ``columns``
    (numpy or Arrow arrays), with their types, even when they are empty."""
    _from_columns(con, f"create or replace temp table {name} as select * from _dd_batch", columns)


def _from_columns(con: duckdb.DuckDBPyConnection, sql: str, columns: dict) -> None:
    """Run ``sql`` with ``columns`` registered as the Arrow table ``_dd_batch``."""
    con.register("_dd_batch", pa.table({k: _arrow(v) for k, v in columns.items()}))
    try:
        con.execute(sql)
    finally:
        con.unregister("_dd_batch")


def _arrow(v):
    if isinstance(v, pa.Array | pa.ChunkedArray):
        return v
    return pa.array(v)


def csr_lists(flat: np.ndarray, off: np.ndarray, rows: np.ndarray | None = None) -> pa.Array:
    """An Arrow list array of CSR rows (all of them, or ``rows``)."""
    if rows is not None:
        lens = off[rows + 1] - off[rows]
        starts = off[rows]
        new_off = np.concatenate(([0], np.cumsum(lens)))
        idx = np.arange(int(new_off[-1]), dtype=np.int64) - np.repeat(new_off[:-1] - starts, lens)
        flat, off = flat[idx], new_off
    return pa.ListArray.from_arrays(pa.array(off.astype(np.int32)), pa.array(flat.astype(np.int32)))


def number_lists(nums_list: list, which: np.ndarray) -> pa.Array:
    """Each key's number set as a sorted list of strings (interned sets taken by index)."""
    interned = pa.array([sorted(s) for s in nums_list], type=pa.list_(pa.string()))
    return interned.take(pa.array(which.astype(np.int64)))


class IndexWriter:
    """Receives the stages' results during a full clustering and lands them.

    Called by clusters._cluster_corpus through its ``sink``; holds nothing but the
    connection, so the index never doubles the clustering's memory.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        ensure_index_schema(con)
        clear(con)

    def keys(self, index, stems, signed: np.ndarray) -> None:
        n = index.n_keys
        is_signed = np.zeros(n, dtype=bool)
        is_signed[signed] = True
        n_occ = np.bincount(np.frombuffer(index.occ_key, dtype=np.int32), minlength=n)
        step = 1_000_000
        for s in range(0, n, step):
            rows = np.arange(s, min(n, s + step), dtype=np.int64)
            insert(self.con, "dd_index.cluster_keys", {
                "key_id": rows.astype(np.int32),
                "key_hash": index.key_hash[rows],
                "n_occ": n_occ[rows].astype(np.int32),
                "signed": is_signed[rows],
                "stems": csr_lists(stems.flat, stems.off, rows),
                "nums": number_lists(index.nums_list, index.key_nums[rows]),
                "dnums": number_lists(index.nums_list, index.key_dnums[rows]),
                "claim_label": np.full(len(rows), -1, dtype=np.int32),
            })
        insert(self.con, "dd_index.cluster_vocab", {
            "stem_id": np.arange(len(index.vocab), dtype=np.int32),
            "stem": pa.array(index.vocab, type=pa.string()),
        })
        release_memory(self.con)

    def bands(self, keys: np.ndarray, ids: np.ndarray) -> None:
        insert(self.con, "dd_index.cluster_bands", {"bkey": keys, "key_id": ids.astype(np.int32)})
        release_memory(self.con)  # (the blocks written stay cached otherwise)

    def numbers(self, keys: np.ndarray, ids: np.ndarray) -> None:
        insert(self.con, "dd_index.cluster_numkeys", {"nkey": keys, "key_id": ids.astype(np.int32)})

    def edges(self, sims, key_nums: np.ndarray) -> None:
        na = key_nums[sims.sim_a]
        insert(self.con, "dd_index.cluster_sims", {
            "a": sims.sim_a.astype(np.int32), "b": sims.sim_b.astype(np.int32),
            "j": sims.sim_j.astype(np.float64),
            "same_nums": (na != 0) & (na == key_nums[sims.sim_b]),
        })
        a, b = sims.edge_a.astype(np.int64), sims.edge_b.astype(np.int64)
        codes = np.unique(a * (1 << 32) + b) if len(a) else a
        insert(self.con, "dd_index.cluster_claim_edges", {
            "a": (codes >> 32).astype(np.int32), "b": (codes & 0xFFFFFFFF).astype(np.int32),
        })
        release_memory(self.con)

    def articles(self, index, occ) -> None:
        """Occurrences, and each live article's sentence count and digest (joined with
        every article's input hash when the clustering is written)."""
        self.con.execute(
            "create or replace temp table _dd_live (pos integer, article_id varchar, "
            "n_sent integer, digest blob)"
        )
        insert(self.con, "_dd_live", {
            "pos": np.arange(len(index.art_ids), dtype=np.int32),
            "article_id": pa.array(index.art_ids, type=pa.string()),
            "n_sent": np.frombuffer(index.article_len, dtype=np.int32),
            "digest": pa.array(index.article_digest, type=pa.binary()),
        })
        # occurrences in article order, so an article's rows are stored together
        art_len = np.frombuffer(index.article_len, dtype=np.int32).astype(np.int64)
        n = index.n_sentences
        occ_art = np.repeat(np.arange(len(art_len), dtype=np.int32), art_len)
        occ_pos = (np.arange(n, dtype=np.int64) - np.repeat(np.cumsum(art_len) - art_len, art_len))
        step = 2_000_000
        for s in range(0, n, step):
            self.con.execute("create or replace temp table _dd_occ_part "
                             "(art integer, pos integer, key_id integer, claim_index integer)")
            insert(self.con, "_dd_occ_part", {
                "art": occ_art[s : s + step],
                "pos": occ_pos[s : s + step].astype(np.int32),
                "key_id": np.frombuffer(index.occ_key, dtype=np.int32)[s : s + step],
                "claim_index": np.frombuffer(index.occ_claim, dtype=np.int32)[s : s + step],
            })
            self.con.execute(
                "insert into dd_index.cluster_occ select l.article_id, o.pos, o.key_id, o.claim_index "
                "from _dd_occ_part o join _dd_live l on l.pos = o.art order by o.art, o.pos"
            )
        self.con.execute("drop table if exists _dd_occ_part")
        release_memory(self.con)

    def rewrites(self, art_ids: list[str], rew_a: list[int], rew_b: list[int]) -> None:
        if rew_a:
            insert(self.con, "dd_index.cluster_rewrites", {
                "a": pa.array([art_ids[x] for x in rew_a], type=pa.string()),
                "b": pa.array([art_ids[y] for y in rew_b], type=pa.string()),
            })

    def claim_labels(self, label: np.ndarray) -> None:
        """Each key's claim component, named by its smallest key id."""
        n = len(label)
        smallest = np.full(label.max() + 1 if n else 0, n, dtype=np.int64)
        np.minimum.at(smallest, label, np.arange(n, dtype=np.int64))
        self.con.execute("create or replace temp table _dd_lab (key_id integer, lab integer)")
        insert(self.con, "_dd_lab", {
            "key_id": np.arange(n, dtype=np.int32), "lab": smallest[label].astype(np.int32),
        })
        self.con.execute(
            "update dd_index.cluster_keys k set claim_label = l.lab from _dd_lab l "
            "where k.key_id = l.key_id"
        )
        self.con.execute("drop table _dd_lab")

    def finish(self, fingerprint: str, code_version: str, generation: str) -> None:
        """Every article's input hash (temp ``_ci_now``, see step.inputs_fingerprint), then
        the meta row (in the caller's transaction; the warehouse's cluster tables are
        committed after it, linked to ``generation``)."""
        self.con.execute(
            """
            insert into dd_index.cluster_articles
            select i.article_id, i.live, i.input_hash, l.n_sent, l.digest
            from _ci_now i left join _dd_live l using (article_id)
            """
        )
        self.con.execute("drop table if exists _dd_live")
        self.con.execute(
            "insert into dd_index.cluster_index_meta values (?, ?, current_timestamp, ?)",
            [code_version, fingerprint, generation],
        )


def usable(con: duckdb.DuckDBPyConnection, code_version: str, fingerprint: str | None) -> bool:
    """The index describes the last clustering, made by this code: its meta holds this
    code version, the warehouse's clustering fingerprint and the generation the
    warehouse's cluster tables were linked to."""
    ensure_index_schema(con)
    row = con.execute(
        "select code_version, fingerprint, generation from dd_index.cluster_index_meta"
    ).fetchall()
    linked = con.execute("select generation from raw.cluster_index_link").fetchall()
    return (
        len(row) == 1 and len(linked) == 1 and fingerprint is not None
        and row[0] == (code_version, fingerprint, linked[0][0])
    )
