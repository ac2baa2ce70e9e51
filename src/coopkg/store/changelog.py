"""The change log of the remote backend: the store itself says what changed, so every process can follow.

Over a SPARQL endpoint, several processes write to one store (the workers of ``coopkg serve``,
other hosts, the CLI), and each process keeps views in memory (the funding view, the name index).
So every write the remote backend sends carries, in the same request (one transaction), an entry
of a change log kept in the graph ``{base}graph/changes``:

* an entry ``{base}graph/changes/{uuid}`` is a ``changes:Change`` with ``changes:graph`` for each
  graph the write changed (or ``changes:everything true``: a raw update, a bulk load of many
  graphs, the default graph), ``changes:follows`` for each head it saw, ``changes:sequence``
  (one more than the highest sequence among those heads: monotonic along every chain of writes)
  and ``changes:at`` (the engine's clock);
* ``<log> changes:head <entry>``: each write removes the heads it sees and makes its entry a head.

A reader reads the heads (one small query, :class:`ChangeFollower`); when they differ from the
ones it saw, it walks back along ``changes:follows`` to entries it has applied and brings its
views up to date with the graphs those entries changed (a rebuild when it cannot know: the log is
gone, or pruned past where it stands).

Why heads rather than one counter: Oxigraph evaluates an update on a snapshot and commits it
without checking for conflicts, so two updates that read the counter at once write the same next
value (measured: 800 concurrent increments of one counter ended at 690, with four values of it
left side by side). With heads, two such writes both become heads (neither removed the other's);
a reader that saw one sees the other appear, and the next write follows both. No write is lost to
a reader, whatever the engine's isolation, as long as each request is atomic.

Writers keep the newest :data:`KEEP` sequence numbers (older entries are pruned in the same request).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from coopkg import queries  # a module, not its names: coopkg.queries imports the store package
from coopkg.store.base import Repository
from coopkg.store.snapshots import Change
from coopkg.store.sparql_text import update_with_values

CHANGES = "https://w3id.org/coopkg/changes#"
KEEP = 256  # sequence numbers kept in the log; a reader further behind rebuilds its views
MAX_GRAPHS = 64  # a write or a catch-up naming more graphs than this counts as "everything"
WALK_LIMIT = 1024  # entries a reader walks back through before it gives up and rebuilds
_TRUE = Literal("true", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
_INTEGER = NamedNode("http://www.w3.org/2001/XMLSchema#integer")


@dataclass(frozen=True)
class ChangeLog:
    """Where the log lives, and the update a write appends to record itself."""

    graph: NamedNode
    keep: int = KEEP  # sequence numbers kept (a test keeps fewer, to reach the pruning in a few writes)

    def record(self, graphs: Iterable[NamedNode | None] = (), *, everything: bool = False) -> str:
        """The update that records a write of ``graphs`` (None: the default graph), or of everything."""
        listed = list(graphs)
        named = list(dict.fromkeys(g for g in listed if g is not None))
        everything = everything or None in listed or len(named) > MAX_GRAPHS or not named
        entry = NamedNode(f"{self.graph.value}/{uuid.uuid4().hex}")
        rows: list[dict[str, NamedNode | Literal | None]] = [
            {"log": self.graph, "entry": entry, "everything": _TRUE if everything else None}
        ]
        rows += [{"graph": g} for g in ([] if everything else named)] or [{"graph": None}]
        record = update_with_values(queries.internal_update("record-change"), rows)
        keep = Literal(str(self.keep), datatype=_INTEGER)
        prune = update_with_values(queries.internal_update("prune-changes"), [{"log": self.graph, "keep": keep}])
        return record + " ;\n" + prune


@dataclass
class _Entry:
    graphs: set[str] = field(default_factory=set)
    follows: set[str] = field(default_factory=set)
    everything: bool = False


class ChangeFollower:
    """One reader's place in the log: the heads it saw and the entries it has applied.

    Read the heads *before* building views from the store: a write committed in between is then
    seen again at the next :meth:`poll`, and applying a change twice is harmless.
    """

    def __init__(self, log: ChangeLog, repo: Repository) -> None:
        self.log = log
        self.repo = repo
        self._heads: frozenset[str] = frozenset()
        self._applied: set[str] = set()
        self.restart()

    def restart(self) -> None:
        """Take the log as it is now as the starting point (before views are built from the store)."""
        self._heads = self.read_heads()
        self._applied = set(self._heads)

    def read_heads(self) -> frozenset[str]:
        """The freshness check: one query for a handful of IRIs."""
        rows = queries.internal_query("change-heads").run(self.repo, {"log": self.log.graph.value}).rows()
        return frozenset(row["head"].value for row in rows)

    def poll(self) -> Change | None:
        """What changed since the last poll (None: nothing); ``everything`` when it cannot be told."""
        heads = self.read_heads()
        if heads == self._heads:
            return None
        change = self._since(heads)
        self._heads = heads
        return change

    def _since(self, heads: frozenset[str]) -> Change:
        if not heads:
            return self._restart(heads)  # the log was removed (a raw DROP ALL, say): nothing to walk
        found: dict[str, _Entry] = {}
        pending = set(heads) - self._applied
        while pending:
            if len(found) + len(pending) > WALK_LIMIT:
                return self._restart(heads)
            entries = self._entries(pending)
            if pending - entries.keys():
                return self._restart(heads)  # pruned, or removed by hand: what it changed is unknown
            found.update(entries)
            pending = {f for e in entries.values() for f in e.follows} - self._applied - found.keys()
        self._remember(heads, found)
        graphs = {g for e in found.values() for g in e.graphs}
        if any(e.everything for e in found.values()) or len(graphs) > MAX_GRAPHS:
            return Change(everything=True)
        return Change(written=sorted(graphs))

    def _restart(self, heads: frozenset[str]) -> Change:
        self._applied = set(heads)
        return Change(everything=True)

    def _remember(self, heads: frozenset[str], found: dict[str, _Entry]) -> None:
        self._applied |= heads | found.keys()
        if len(self._applied) > 4 * self.log.keep:
            self._applied = set(heads) | found.keys()

    def _entries(self, iris: set[str]) -> dict[str, _Entry]:
        entries: dict[str, _Entry] = {}
        ordered = sorted(iris)
        for start in range(0, len(ordered), 200):
            chunk = ordered[start : start + 200]
            for row in queries.internal_query("change-entries").run_for_each(self.repo, "entry", chunk).rows():
                entry = entries.setdefault(row["entry"].value, _Entry())
                if "graph" in row:
                    entry.graphs.add(row["graph"].value)
                if "follows" in row:
                    entry.follows.add(row["follows"].value)
                if "everything" in row:
                    # "1" is Virtuoso's way of writing xsd:boolean true (a valid lexical form, not the canonical one).
                    entry.everything = entry.everything or row["everything"].value in {"true", "1"}
        return entries
