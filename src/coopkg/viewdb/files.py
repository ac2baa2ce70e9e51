"""The views of one store on disk: a folder of view files, a pointer to the current one, a lock.

For the embedded store the folder is ``<store>-snapshots/views/``, beside the generations, and
every process of the machine that serves the store reads the same file:

* ``CURRENT`` names the current view file (``views-<generation>-<id>.sqlite``), whose ``meta``
  table says which generation of the store it shows;
* a process that opened a newer generation brings the file up to it, under ``lock`` (an
  exclusive file lock): from the generations' journal, graph by graph in one SQLite
  transaction, when the journal says which document graphs changed; otherwise (the ontology,
  the reference data, a raw update, a store changed outside coopkg, a view of another schema)
  by building a new file from the snapshot, which ``CURRENT`` names only once it is complete
  and on disk (a build that crashes leaves a ``building-*`` file that the next one deletes);
* other processes find the file at (or past) their generation and just read it.

Without a store folder (the remote backend, or a view built by hand in a test), the folder is
private to the process (a temporary directory) and follows the changes it is given.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import sqlite3
import tempfile
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path

from coopkg.store.base import Repository
from coopkg.store.snapshots import Change
from coopkg.viewdb import build
from coopkg.viewdb.db import ViewDb
from coopkg.viewdb.schema import INDEXES, VERSION

log = logging.getLogger(__name__)
BUILD_CACHE_KIB = 256_000  # SQLite's page cache while a file is built: its B-trees stay in memory until written
Changes = Callable[[int, int], Change]  # what the generations after the first up to the second changed


class Views:
    """The views of one store, as this process sees them: :attr:`db` is the current file."""

    def __init__(self, root: Path, *, private: bool = False) -> None:
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)
        self.private = private
        self._pointer = root / "CURRENT"
        self._lock_path = root / "lock"
        self._local_lock = threading.RLock()  # threads of this process; the file lock is for processes
        self._holding = False  # this process holds the file lock (under _local_lock)
        self._stamp: tuple[int, int] | None = None
        self._db: ViewDb | None = None
        self.rebuilds = 0  # builds this process made (a start that finds a current file makes none)
        if private:
            weakref.finalize(self, shutil.rmtree, root, True)

    @classmethod
    def beside(cls, snapshots_root: Path) -> Views:
        """The shared views of the store whose generations are in ``snapshots_root``."""
        return cls(snapshots_root / "views")

    @classmethod
    def of_process(cls) -> Views:
        """Views private to this process (removed when it lets them go)."""
        return cls(Path(tempfile.mkdtemp(prefix="coopkg-views-")), private=True)

    # -- reading ------------------------------------------------------------------------------

    @property
    def db(self) -> ViewDb:
        db = self._db
        if db is None:
            raise RuntimeError("the views are not built yet")
        return db

    @property
    def ready(self) -> bool:
        return self._db is not None

    def refresh(self) -> bool:
        """Follow ``CURRENT`` (one ``stat``); whether a view file is open."""
        try:
            info = os.stat(self._pointer)  # noqa: PTH116 - on the request path: no Path overhead
        except FileNotFoundError:
            return self._db is not None
        stamp = (info.st_mtime_ns, info.st_ino)
        if stamp != self._stamp:
            with self._local_lock:
                if stamp != self._stamp:
                    name = self._pointer.read_text().strip()
                    self._db = ViewDb(self.root / name)  # the old one closes when its last reader lets go
                    self._stamp = stamp
        return True

    def generation(self) -> int:
        """The generation of the store the current file shows (0: none, or of another schema)."""
        if not self.refresh():
            return 0
        try:
            if self.db.meta("version") != VERSION:
                return 0
            return self.db.generation()
        except sqlite3.DatabaseError:
            return 0

    # -- keeping up --------------------------------------------------------------------------

    def catch_up(self, generation: int, repo: Repository, changes: Changes) -> None:
        """Bring the views to ``generation``, whose snapshot ``repo`` reads (nothing if they show it or later)."""
        if self.generation() >= generation:
            return
        with self._locked():
            at = self.generation()
            if at >= generation:
                return  # another process did it while this one waited
            change = changes(at, generation) if at else Change(everything=True)
            if change.everything:
                self.rebuild(repo, generation)
            else:
                self.apply(repo, change, generation)

    def apply(self, repo: Repository, change: Change, generation: int | None = None) -> None:
        """Follow one change of the store (``repo`` shows the store after it)."""
        if not change:
            return
        with self._locked():
            if change.everything or not self.ready:
                self.rebuild(repo, generation)
                return
            db = self.db
            with db.transaction() as writing:
                build.apply(writing, repo, change, first_sources=not self.private)
                db.set_meta(writing, generation=generation if generation is not None else db.generation() + 1)

    def rebuild(self, repo: Repository, generation: int | None = None) -> None:
        """A new view file from the whole store; published (``CURRENT``) only once complete."""
        with self._locked():
            started = time.perf_counter()
            number = generation if generation is not None else (self.generation() + 1)
            name = f"views-{number:08d}-{uuid.uuid4().hex[:8]}.sqlite"
            building = self.root / f"building-{name}"
            ViewDb.create(building)
            with contextlib.closing(sqlite3.connect(building, isolation_level=None)) as db:
                db.execute("PRAGMA synchronous = OFF")
                db.execute(f"PRAGMA cache_size = {-BUILD_CACHE_KIB}")
                db.execute("BEGIN")
                build.build(db, repo, first_sources=not self.private)
                for statement in filter(str.strip, INDEXES.split(";")):
                    db.execute(statement)
                db.execute("UPDATE meta SET value = ? WHERE key = 'generation'", (str(number),))
                db.execute("COMMIT")
            ViewDb(building).finish_build()
            building.rename(self.root / name)
            temporary = self.root / "CURRENT.tmp"
            temporary.write_text(name)
            temporary.replace(self._pointer)
            _sync_folder(self.root)
            self.refresh()
            self.rebuilds += 1
            self._collect()
            log.info("views of generation %d built in %.1f s", number, time.perf_counter() - started)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """This process's threads one at a time, and one process of the machine at a time (re-entrant)."""
        with self._local_lock:
            if self._holding:
                yield
                return
            with self._lock_path.open("a") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                self._holding = True
                try:
                    yield
                finally:
                    self._holding = False
                    fcntl.flock(handle, fcntl.LOCK_UN)

    def _collect(self) -> None:
        """Under the lock: delete all but the current file and the one before it (which a process may be
        opening right now), and what builds that crashed left."""
        current = self._pointer.read_text().strip()
        others = sorted((p for p in self.root.glob("views-*.sqlite") if p.name != current),
                        key=lambda p: p.stat().st_mtime_ns)  # fmt: skip
        keep = {current, *(p.name for p in others[-1:])}
        for path in self.root.iterdir():
            base = path.name.removesuffix("-wal").removesuffix("-shm")
            if path.name.startswith("building-") or (base.startswith("views-") and base not in keep):
                path.unlink(missing_ok=True)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
        if self.private:
            shutil.rmtree(self.root, ignore_errors=True)


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
