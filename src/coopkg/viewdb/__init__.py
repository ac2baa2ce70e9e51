"""Views of the store on disk, shared by the processes of a machine: the funding view, the catalogue, the name index.

SQLite (the standard library's), for what the service answers from views rather than SPARQL:
one file per state of the store, memory-mapped by every process that reads it (so a worker holds
no private copy and starts without building anything), followed graph by graph from the
generations' journal (:mod:`coopkg.viewdb.files`), with FTS5 trigrams for name search
(:mod:`coopkg.viewdb.names`).
"""
