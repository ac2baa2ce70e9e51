"""One views file: SQLite, read through a connection per thread, written one transaction at a time.

Readers map the file into memory (``mmap_size``): its pages are the operating system's page
cache, shared by every process that reads the file, not a copy in each. The file is in WAL
mode, so a write never blocks the readers, and a reader sees the state of the last commit
before its statement (or its :meth:`ViewDb.snapshot`) began.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from coopkg.errors import StoreError
from coopkg.viewdb.schema import TABLES, VERSION

MMAP_BYTES = 1 << 31  # SQLite caps it at its own maximum (2 GB by default)
BUSY_MS = 60_000  # a writer waits this long for another's transaction (a rebuild takes seconds)


class ViewDb:
    """A views file (or a private one) at ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._writer: sqlite3.Connection | None = None

    @classmethod
    def create(cls, path: Path) -> ViewDb:
        """A new, empty views file (journal off while it is built: until published nobody reads it)."""
        with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as db:
            db.execute("PRAGMA journal_mode = OFF")
            db.executescript(TABLES)
            db.execute("INSERT INTO meta VALUES ('version', ?), ('generation', '0')", (VERSION,))
        return cls(path)

    # -- reading ------------------------------------------------------------------------------

    def read(self) -> sqlite3.Connection:
        """This thread's connection (opened at its first read)."""
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            try:
                db = sqlite3.connect(f"file:{self.path}?mode=rw", uri=True, isolation_level=None,
                                     check_same_thread=False)  # fmt: skip
            except sqlite3.OperationalError as error:
                raise StoreError(f"cannot open the views at {self.path}: {error}") from error
            db.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
            db.execute("PRAGMA cache_size = -4000")  # KiB: pages come from the map, not this cache
            db.execute("PRAGMA query_only = 1")
            db.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
            self._local.db = db
            self._local.depth = 0
        return db

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """Several reads that see one state (nested uses share the outer one)."""
        db = self.read()
        if self._local.depth:
            self._local.depth += 1
            try:
                yield db
            finally:
                self._local.depth -= 1
            return
        db.execute("BEGIN")
        self._local.depth = 1
        try:
            yield db
        finally:
            self._local.depth = 0
            db.execute("COMMIT")

    def meta(self, key: str, db: sqlite3.Connection | None = None) -> str | None:
        found = (db or self.read()).execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if found is None else str(found[0])

    def generation(self) -> int:
        return int(self.meta("generation") or 0)

    # -- writing ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it is seen, or (on an error, or a crash) none of it."""
        with self._write_lock:
            if self._writer is None:
                self._writer = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
                self._writer.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
                self._writer.execute("PRAGMA synchronous = NORMAL")
            db = self._writer
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def set_meta(self, db: sqlite3.Connection, **values: object) -> None:
        db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", [(k, str(v)) for k, v in values.items()])

    def finish_build(self) -> None:
        """After a build: the file in WAL mode for its readers, and on disk before it is published."""
        with contextlib.closing(sqlite3.connect(self.path, isolation_level=None)) as db:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA optimize")
        with self.path.open("rb+") as handle:
            os.fsync(handle.fileno())

    def close(self) -> None:
        """Close the writer and this thread's reader (other threads' close with this object)."""
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None
