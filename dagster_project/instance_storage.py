"""The Dagster instance's event log: Dagster's SQLite event log with its connections kept.

Dagster's ``SqliteEventLogStorage`` (what a ``DAGSTER_HOME`` without storage
settings uses) creates a SQLAlchemy engine and opens a new SQLite connection for
every read and write, and disposes of it afterwards (``NullPool``). A run stores
every event it makes through it, and a run that adds one article to a
10,000-article warehouse makes about 400 (each dbt model is planned, output and
materialized, each dbt test planned, output and evaluated), each in the run's own
database and most also in the index database. Storing the 383 events of such a
run again into a new storage took 2.1 s, and 0.67 s with the connections kept;
``py-spy`` on ``scripts/bench_cli.py`` had shown the dbt step's main thread
spending most of its time opening and closing them.

:func:`keep_connections` makes the storage keep one engine per database, with its
connection open between uses, for the few databases used last (the index and the
running runs). It is called where the pipeline's runs execute: loading the
definitions module calls it, so Dagster's run workers, the code servers (which
also evaluate the sensor) and the CLI keep their connections. Other processes
(the webserver, the daemon) keep Dagster's behaviour; the files and tables are
the same. What does not change:

- every write is still its own committed transaction (WAL mode, as Dagster sets
  it), so the webserver, the daemon and other runs see it at once; an idle
  connection holds no lock;
- a database file that was deleted or replaced since its connection opened (a
  ``wipe``, another process removing a run) gets a new connection;
- a process started by ``fork`` does not reuse its parent's connections.

It replaces the storage's ``_connect`` (a private method of Dagster's, the same
in the 1.13 series ``pyproject.toml`` pins), not a public API: after a Dagster
upgrade, ``tests/test_instance_storage.py`` says whether it still holds.
"""

from __future__ import annotations

import collections
import contextlib
import os
from collections.abc import Iterator

import sqlalchemy as sa
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS, create_db_conn_string
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import QueuePool

# Databases whose engine is kept, per storage: the index and the runs being
# written or watched.
KEPT_DATABASES = 8

_DAGSTER_WIPE = SqliteEventLogStorage.wipe
_DAGSTER_DISPOSE = SqliteEventLogStorage.dispose
_DAGSTER_HAS_TABLE = SqliteEventLogStorage.has_table


def keep_connections() -> None:
    """Make every ``SqliteEventLogStorage`` of this process keep its connections.
    Idempotent."""
    SqliteEventLogStorage._connect = _connect
    SqliteEventLogStorage.has_table = _has_table
    SqliteEventLogStorage.wipe = _wipe
    SqliteEventLogStorage.dispose = _dispose_storage


@contextlib.contextmanager
def _connect(self: SqliteEventLogStorage, shard: str) -> Iterator[Connection]:
    with self._db_lock:
        engine = _engine(self, shard)
        with engine.connect() as conn, conn.begin():
            yield conn


def _has_table(self: SqliteEventLogStorage, table_name: str) -> bool:
    # Asked before every asset check event and asset event's tags, sometimes inside a
    # connection (so not under _db_lock); Dagster's opens an engine each time. A
    # table that exists stays (migrations only add tables).
    known: set[str] = self.__dict__.setdefault("_kept_tables", set())
    if table_name in known:
        return True
    present = _DAGSTER_HAS_TABLE(self, table_name)
    if present:
        known.add(table_name)
    return present


def _wipe(self: SqliteEventLogStorage) -> None:
    with self._db_lock:
        _drop_engines(self)
    _DAGSTER_WIPE(self)


def _dispose_storage(self: SqliteEventLogStorage) -> None:
    _DAGSTER_DISPOSE(self)  # stops the file watcher first: it would open engines again
    with self._db_lock:
        _drop_engines(self)


def _kept(self: SqliteEventLogStorage) -> collections.OrderedDict:
    # (pid, shard) -> (engine, (st_dev, st_ino) of the file it opened)
    return self.__dict__.setdefault("_kept_engines", collections.OrderedDict())


def _engine(self: SqliteEventLogStorage, shard: str) -> Engine:
    """The kept engine of ``shard`` (the caller holds ``_db_lock``): made, and the
    database created, on first use, and again when its file changed."""
    engines = _kept(self)
    key = (os.getpid(), shard)
    kept = engines.get(key)
    if kept is not None and kept[1] == _file_id(self.path_for_shard(shard)):
        engines.move_to_end(key)
        return kept[0]
    if kept is not None:  # the file was deleted or replaced since
        del engines[key]
        _dispose(key, kept[0])
    if kept is not None or not os.path.exists(self.path_for_shard(shard)):
        # Create its tables again (also for a file deleted after its engine was dropped).
        self._initialized_dbs.discard(shard)
    engine = sa.create_engine(
        create_db_conn_string(self._base_dir, shard),
        poolclass=QueuePool,
        pool_size=1,
        # Connections are used under _db_lock, but not always by the thread that
        # opened them (the webserver's threads, the event log watcher).
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
    )
    if shard not in self._initialized_dbs:  # as Dagster's own _connect does
        self._initdb(engine)
        self._initialized_dbs.add(shard)
    engines[key] = (engine, _file_id(self.path_for_shard(shard)))
    while len(engines) > KEPT_DATABASES:
        old_key, (old, _) = engines.popitem(last=False)
        _dispose(old_key, old)
    return engine


def _drop_engines(self: SqliteEventLogStorage) -> None:
    engines = _kept(self)
    for key, (engine, _) in engines.items():
        _dispose(key, engine)
    engines.clear()


def _dispose(key: tuple[int, str], engine: Engine) -> None:
    # In a process started by fork, the parent's engines are let go without closing
    # their connections in the pool (the child never used them).
    engine.dispose(close=key[0] == os.getpid())


def _file_id(path: str) -> tuple[int, int]:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return (-1, -1)
    return (st.st_dev, st.st_ino)
