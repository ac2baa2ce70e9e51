"""Generations: immutable snapshots of the embedded store, shared by the serving processes.

RocksDB lets one process hold a store read-write, and a read-only open of a store that another
process writes is undefined. So the service's worker processes never read the store itself:

* a write takes an exclusive file lock, opens the store read-write, commits (one transaction),
  takes a RocksDB checkpoint (``Store.backup``: hard links, a few milliseconds) into a new
  generation folder ``gen-00000042``, appends what changed to a journal, points ``CURRENT`` at
  the new generation (atomic rename), closes the store and releases the lock;
* every worker reads from the newest generation, opened read-only (nothing ever writes a
  checkpoint); before each request it compares ``CURRENT`` with the generation it holds (one
  ``stat``) and, when a newer one exists, opens it and replays the journal (which graphs were
  written or dropped) into its in-memory views;
* a generation is deleted once it is neither current nor leased by a live worker (after each
  write, and at start-up).
"""

from __future__ import annotations

import contextlib
import fcntl
import itertools
import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Store

from coopkg.errors import StoreError
from coopkg.store.base import Repository
from coopkg.store.embedded import EmbeddedRepository


@dataclass
class Change:
    """What one write did: the document graphs it wrote or dropped, or ``everything`` if unknown."""

    written: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    everything: bool = False

    def __bool__(self) -> bool:
        return bool(self.written or self.dropped or self.everything)

    def merge(self, other: Change) -> None:
        self.written = [g for g in self.written if g not in other.dropped] + other.written
        self.dropped = [g for g in self.dropped if g not in other.written] + other.dropped
        self.everything = self.everything or other.everything


class WriteSession:
    """A store held for a sequence of commits; ``commit`` makes what was written visible to readers."""

    def __init__(self, repo: EmbeddedRepository | Repository, publish: Callable[[Change], None] | None = None) -> None:
        self.repo = repo
        self._publish = publish

    def commit(self, change: Change) -> None:
        """Publish a generation with ``change`` (nothing to do for a store without snapshots)."""
        if self._publish is not None and change:
            self._publish(change)


@dataclass(frozen=True)
class Generation:
    number: int
    path: Path
    store: Store


class Generations:
    """The snapshot folder of one embedded store: ``{store}-snapshots/``."""

    def __init__(self, store_path: Path) -> None:
        self.store_path = store_path
        self.root = self._root_of(store_path)
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "leases").mkdir(exist_ok=True)
        self._current = self.root / "CURRENT"
        self._current_name = str(self._current)
        self._journal = self.root / "journal.jsonl"
        self._pending = self.root / "PENDING"
        self._pending_name = str(self._pending)
        self._lock_path = self.root / "write.lock"
        # One lease per object, named by the process (for the liveness test): two services of
        # one process each hold their own generation.
        self._instance = next(_instances)
        self._held = 0

    @staticmethod
    def _root_of(store_path: Path) -> Path:
        return Path(f"{store_path}-snapshots")

    @classmethod
    def exist_for(cls, store_path: Path) -> bool:
        """Whether a service has used this store (its snapshot folder exists)."""
        return cls._root_of(store_path).is_dir()

    # -- reading ------------------------------------------------------------------------------

    def latest(self) -> int:
        try:
            return int(self._current.read_text().strip() or 0)
        except (FileNotFoundError, ValueError):
            return 0

    def pointer_stamp(self) -> tuple[int, int] | None:
        """Identifies the state of ``CURRENT`` with one ``stat``: it differs after every publish."""
        try:
            info = os.stat(self._current_name)  # noqa: PTH116 - on every request: no Path overhead
        except FileNotFoundError:
            return None
        return (info.st_mtime_ns, info.st_ino)

    # -- writes committed ahead of their snapshot (the service's writer) ---------------------------

    def mark_pending(self, generation: int, *, beyond_documents: bool) -> None:
        """Writes are committed and will be in ``generation``: readers wait for it (read-your-writes).

        ``beyond_documents``: they may have changed more than documents' graphs (the reference data…).
        """
        temporary = self.root / "PENDING.tmp"
        temporary.write_text(f"{generation} {'all' if beyond_documents else 'documents'}")
        temporary.replace(self._pending)

    def pending(self) -> tuple[int, bool]:
        """The generation committed writes await (0: none), and whether they changed more than documents."""
        try:
            number, _, kind = self._pending.read_text().strip().partition(" ")
            return int(number or 0), kind != "documents"
        except (FileNotFoundError, ValueError):
            return 0, False

    def pending_stamp(self) -> tuple[int, int] | None:
        """Identifies the state of ``PENDING`` with one ``stat``: it differs after every write the writer commits."""
        try:
            info = os.stat(self._pending_name)  # noqa: PTH116 - on every request: no Path overhead
        except FileNotFoundError:
            return None
        return (info.st_mtime_ns, info.st_ino)

    def wait_for(self, generation: int, timeout: float) -> bool:
        """Wait until ``generation`` is published; False if it is not within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        pause = 0.001
        while self.latest() < generation:
            if time.monotonic() >= deadline:
                return False
            time.sleep(pause)
            pause = min(pause * 2, 0.02)
        return True

    def open_latest(self) -> Generation:
        """Open the newest generation read-only, leased to this object until it opens the one after."""
        for _ in range(20):
            number = self.latest()
            if number == 0:
                raise StoreError(f"the store at {self.store_path} has no snapshot yet")
            self._lease(number)
            # A writer that published after we read CURRENT may have collected before it saw our lease;
            # once CURRENT still names it after the lease is written, every later collection keeps it.
            if self.latest() != number:
                continue
            path = self._folder(number)
            try:
                store = Store.read_only(str(path))
            except (OSError, RuntimeError):
                continue  # a folder left half-collected by a killed writer: read CURRENT again
            self._held = number
            return Generation(number, path, store)
        raise StoreError(f"cannot open the newest snapshot of {self.store_path}")

    def changes(self, after: int, upto: int) -> Change:
        """What the generations after ``after`` up to ``upto`` changed, merged."""
        merged = Change()
        with contextlib.suppress(FileNotFoundError), self._journal.open(encoding="utf-8") as lines:
            for line in lines:
                entry = json.loads(line)
                if after < entry["generation"] <= upto:
                    merged.merge(Change(entry["written"], entry["dropped"], entry["everything"]))
        if after and not merged.everything and not self._journal_covers(after):
            merged.everything = True
        return merged

    def _journal_covers(self, after: int) -> bool:
        with contextlib.suppress(FileNotFoundError), self._journal.open(encoding="utf-8") as lines:
            first = next(lines, None)
            return first is not None and json.loads(first)["generation"] <= after + 1
        return False

    # -- writing ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def writing(self, change: Change) -> Iterator[EmbeddedRepository]:
        """The store, read-write and locked against other writers; publishes a generation on success."""
        with self._locked(), self._publishing(change) as repo:
            yield repo

    @contextlib.contextmanager
    def session(self) -> Iterator[WriteSession]:
        """The store locked and read-write for several commits, each published as a generation (a bulk ingest)."""
        with self._locked():
            repo = EmbeddedRepository(self.store_path)
            try:
                yield WriteSession(repo, lambda change: self._publish(repo.store, change))
            finally:
                repo.close()
            self._save_fingerprint(self.latest())

    def publish_if_stale(self) -> bool:
        """Start-up: publish a fresh generation if there is none or the store changed since the last."""
        with self._locked():
            number = self.latest()
            if number and self._folder(number).exists() and self._fingerprint_of(number) == self._fingerprint():
                self._collect(number)  # generations and leases left by workers that died
                return False
            with self._publishing(Change(everything=True)):
                pass
            return True

    @contextlib.contextmanager
    def _publishing(self, change: Change) -> Iterator[EmbeddedRepository]:
        """Under the lock: the store open read-write, then a generation published if anything changed."""
        repo = EmbeddedRepository(self.store_path)
        try:
            yield repo
            if change:
                self._publish(repo.store, change)
        finally:
            repo.close()  # which prunes RocksDB's old info logs
        self._save_fingerprint(self.latest())

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with self._lock_path.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _publish(self, store: Store, change: Change) -> None:
        number = self.latest() + 1
        target = self._folder(number)
        shutil.rmtree(target, ignore_errors=True)  # left by a writer killed before it published
        store.flush()
        store.backup(str(target))
        entry = {"generation": number, "written": change.written, "dropped": change.dropped,
                 "everything": change.everything}  # fmt: skip
        if change.everything:
            self._journal.write_text(json.dumps(entry) + "\n", encoding="utf-8")  # older entries are moot
        else:
            with self._journal.open("a", encoding="utf-8") as journal:
                journal.write(json.dumps(entry) + "\n")
        temporary = self.root / "CURRENT.tmp"
        temporary.write_text(str(number))
        temporary.replace(self._current)
        self._collect(number)

    def _save_fingerprint(self, number: int) -> None:
        # Taken after the store is closed: any later read-write open (another tool) changes it.
        (self.root / f"fingerprint-{number}").write_text(self._fingerprint())

    def _fingerprint_of(self, number: int) -> str | None:
        try:
            return (self.root / f"fingerprint-{number}").read_text()
        except FileNotFoundError:
            return None

    def _fingerprint(self) -> str:
        files = sorted(p for p in self.store_path.iterdir() if p.is_file()) if self.store_path.exists() else []
        return "\n".join(f"{p.name} {p.stat().st_size} {p.stat().st_mtime_ns}" for p in files)

    def _folder(self, number: int) -> Path:
        return self.root / f"gen-{number:08d}"

    # -- leases and collection ------------------------------------------------------------------

    def _lease(self, number: int) -> None:
        # The generation held until now stays leased too: queries that began on it may still run.
        held = " ".join(str(n) for n in sorted({number, self._held} - {0}))
        temporary = self._lease_path.with_suffix(f".{threading.get_ident()}.tmp")
        temporary.write_text(held)
        temporary.replace(self._lease_path)

    @property
    def _lease_path(self) -> Path:
        return self.root / "leases" / f"{os.getpid()}-{self._instance}"

    def release(self) -> None:
        self._held = 0
        with contextlib.suppress(FileNotFoundError):
            self._lease_path.unlink()

    def _collect(self, current: int) -> None:
        keep = {current}
        for lease in (self.root / "leases").iterdir():
            pid, _, _ = lease.name.partition("-")
            if not pid.isdigit() or lease.suffix:
                continue
            if _alive(int(pid)):
                with contextlib.suppress(ValueError, FileNotFoundError):
                    keep.update(int(n) for n in lease.read_text().split())
            else:
                lease.unlink(missing_ok=True)
        for folder in self.root.glob("gen-*"):
            if int(folder.name[4:]) not in keep:
                shutil.rmtree(folder, ignore_errors=True)
        for stamp in self.root.glob("fingerprint-*"):
            if int(stamp.name.split("-")[1]) != current:
                stamp.unlink(missing_ok=True)


_instances = itertools.count(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
