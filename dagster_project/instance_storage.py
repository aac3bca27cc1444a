"""The Dagster instance's event log: Dagster's SQLite event log with its connections kept.

Dagster's ``SqliteEventLogStorage`` creates a SQLAlchemy engine and opens a new
SQLite connection for every read and write, and disposes of it afterwards
(``NullPool``). A run stores every event it makes through it, and a run that adds
one article to a 10,000-article warehouse makes about 400 (each dbt model is
planned, output and materialized, each dbt test planned, output and evaluated),
each in the run's own database and most also in the index database: opening,
checking and closing those connections was 2.1 s of such a run, two thirds of
all the time spent storing its events (``scripts/bench_cli.py``; ``py-spy``
showed the dbt step's main thread spending most of its time there).

:class:`PooledSqliteEventLogStorage` is the same storage, with the same files
and tables, that keeps one engine per database with its connection open between
uses, for the few databases used last (the index and the running runs). What
does not change:

- every write is still its own committed transaction (WAL mode, as Dagster sets
  it), so the webserver, the daemon and other runs see it at once; an idle
  connection holds no lock;
- a database file that was deleted or replaced since its connection opened (a
  ``wipe`` here, or another process removing a run) gets a new connection;
- a process started by ``fork`` does not reuse its parent's connections.

``.dagster_home/dagster.yaml`` selects it for ``make run``, ``make ui`` and the
benchmarks. A deployment with its own instance (Postgres storage, Dagster+)
is not affected.
"""

from __future__ import annotations

import collections
import contextlib
import os
from collections.abc import Iterator, Mapping
from typing import Any

import sqlalchemy as sa
from dagster import Field, StringSource
from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    SqliteEventLogStorage,
)
from dagster._core.storage.sqlite import create_db_conn_string
from dagster._serdes import ConfigurableClassData
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import QueuePool

# Dagster's own busy timeout for its SQLite connections (seconds).
BUSY_TIMEOUT_S = 15
# Databases whose engine is kept: the index and the runs being written or watched.
KEPT_DATABASES = 8


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """Dagster's SQLite event log storage, keeping a connection per recent database.

    Configuration (``event_log_storage`` in ``dagster.yaml``): ``base_dir``, where
    the databases are, defaults to where Dagster keeps them without configuration
    (``$DAGSTER_HOME/history/runs``), so an instance that switches to this class
    keeps its history."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        # (pid, shard) -> (engine, (st_dev, st_ino) of the file it opened)
        self._engines: collections.OrderedDict[
            tuple[int, str], tuple[Engine, tuple[int, int]]
        ] = collections.OrderedDict()
        self._tables: set[str] = set()  # tables of the index database known to exist
        super().__init__(base_dir, inst_data=inst_data)

    @classmethod
    def config_type(cls) -> Mapping[str, Any]:
        return {"base_dir": Field(StringSource, is_required=False)}

    @classmethod
    def from_config_value(
        cls, inst_data: ConfigurableClassData, config_value: Mapping[str, Any]
    ) -> PooledSqliteEventLogStorage:
        base_dir = config_value.get("base_dir")
        if not base_dir:
            home = os.environ.get("DAGSTER_HOME")
            if not home:
                raise ValueError(
                    "PooledSqliteEventLogStorage needs `base_dir` in its config, or "
                    "DAGSTER_HOME set (its databases then go to $DAGSTER_HOME/history/runs)"
                )
            base_dir = os.path.join(home, "history", "runs")
        return cls(base_dir, inst_data=inst_data)

    @contextlib.contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock:
            engine = self._engine(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def has_table(self, table_name: str) -> bool:
        # Asked before every asset check event and asset event's tags, sometimes inside
        # a connection of ours (so not under _db_lock): Dagster's own opens an engine
        # each time. A table that exists stays (migrations only add tables).
        if table_name in self._tables:
            return True
        present = super().has_table(table_name)
        if present:
            self._tables.add(table_name)
        return present

    def wipe(self) -> None:
        with self._db_lock:
            self._drop_engines()
        super().wipe()

    def dispose(self) -> None:
        with self._db_lock:
            self._drop_engines()
        super().dispose()

    def _engine(self, shard: str) -> Engine:
        """The kept engine of ``shard`` (the caller holds ``_db_lock``): made, and the
        database created, on first use, and again when its file changed."""
        key = (os.getpid(), shard)
        kept = self._engines.get(key)
        file_id = _file_id(self.path_for_shard(shard))
        if kept is not None and kept[1] == file_id:
            self._engines.move_to_end(key)
            return kept[0]
        if kept is not None:  # the file was deleted or replaced since
            del self._engines[key]
            _dispose(key, kept[0])
            self._initialized_dbs.discard(shard)
        engine = sa.create_engine(
            create_db_conn_string(self._base_dir, shard),
            poolclass=QueuePool,
            pool_size=1,
            # Connections are used under _db_lock, but not always by the thread that
            # opened them (the webserver's threads, the event log watcher).
            connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False},
        )
        if shard not in self._initialized_dbs:  # as Dagster's own _connect does
            self._initdb(engine)
            self._initialized_dbs.add(shard)
        self._engines[key] = (engine, _file_id(self.path_for_shard(shard)))
        while len(self._engines) > KEPT_DATABASES:
            old_key, (old, _) = self._engines.popitem(last=False)
            _dispose(old_key, old)
        return engine

    def _drop_engines(self) -> None:
        for key, (engine, _) in self._engines.items():
            _dispose(key, engine)
        self._engines.clear()


def _dispose(key: tuple[int, str], engine: Engine) -> None:
    # A process started by fork drops its parent's connections without closing them.
    engine.dispose(close=key[0] == os.getpid())


def _file_id(path: str) -> tuple[int, int]:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return (-1, -1)
    return (st.st_dev, st.st_ino)
