"""The tables of the views (SQLite): what the funding view, the catalogue and the name index hold.

Text compares as UTF-8 bytes (SQLite's BINARY collation), which orders like Python's ``str``
(by code point), so an ``ORDER BY id`` gives the order ``sorted()`` gave the in-memory views.
"""

from __future__ import annotations

VERSION = "7"  # bumped when the tables change: a view file of another version is rebuilt

TABLES = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;

-- The funding view: one row per funding, the graphs that state it, its parties' labels and places.
CREATE TABLE funding (
  id TEXT PRIMARY KEY, funder TEXT NOT NULL, funded TEXT NOT NULL,
  amount TEXT, amount_key TEXT, currency TEXT, amount_id TEXT, kind TEXT NOT NULL, year INTEGER, date TEXT
);
CREATE TABLE funding_graph (graph TEXT, funding TEXT, PRIMARY KEY (graph, funding)) WITHOUT ROWID;
CREATE TABLE party_label (entity TEXT, lang TEXT, text TEXT, PRIMARY KEY (entity, lang)) WITHOUT ROWID;
CREATE TABLE party_region (entity TEXT, region TEXT, PRIMARY KEY (entity, region)) WITHOUT ROWID;
CREATE TABLE ancestor (region TEXT, ancestor TEXT, PRIMARY KEY (region, ancestor)) WITHOUT ROWID;
-- Total per funder and currency ('' : amount not stated), exact decimals as text, and their order key.
CREATE TABLE funder_total (funder TEXT, currency TEXT, total TEXT, total_key TEXT, fundings INTEGER,
                           PRIMARY KEY (funder, currency)) WITHOUT ROWID;

-- The catalogue: organisations and projects (kind), the graphs that state them, documents.
CREATE TABLE entity (kind TEXT, id TEXT, type_lower TEXT, sort_key TEXT, record TEXT,
                     PRIMARY KEY (kind, id)) WITHOUT ROWID;
CREATE TABLE entity_graph (graph TEXT, entity TEXT, PRIMARY KEY (graph, entity)) WITHOUT ROWID;
CREATE TABLE document (graph TEXT PRIMARY KEY, id TEXT, language TEXT, record TEXT) WITHOUT ROWID;

-- The name index: each name of an item, its exact keys, its words, and its text for substrings.
CREATE TABLE name (id INTEGER PRIMARY KEY, kind TEXT, entity TEXT, preferred INTEGER, joined TEXT, forms TEXT,
                   sort_key TEXT);  -- its item's (the item's order among those that score alike)
CREATE TABLE name_key (kind TEXT, key TEXT, name INTEGER, PRIMARY KEY (kind, key, name)) WITHOUT ROWID;
CREATE TABLE name_word (kind TEXT, word TEXT, name INTEGER, PRIMARY KEY (kind, word, name)) WITHOUT ROWID;
-- Trigrams as they are (no case folding: the keys are folded already); postings only.
CREATE VIRTUAL TABLE name_text USING fts5 (joined, tokenize = 'trigram case_sensitive 1', detail = 'none');
CREATE TABLE name_gram (gram TEXT PRIMARY KEY, names INTEGER) WITHOUT ROWID;  -- names holding each trigram

-- The first sources of each organisation and project (JSON, as a list shows them: coopkg.viewdb.sources),
-- and the graphs that hold each fact's evidence (which items a write of a graph concerns).
CREATE TABLE first_source (entity TEXT PRIMARY KEY, sources TEXT) WITHOUT ROWID;
CREATE TABLE source_graph (graph TEXT, entity TEXT, PRIMARY KEY (graph, entity)) WITHOUT ROWID;
"""

# Created once the tables are filled (faster than keeping them up to date row by row during a build).
INDEXES = """
CREATE INDEX funding_by_amount ON funding (amount_key, id);
CREATE INDEX funding_by_date ON funding (date, id);
CREATE INDEX funding_by_funder ON funding (funder);
CREATE INDEX funding_by_funded ON funding (funded);
CREATE INDEX funding_graph_by_funding ON funding_graph (funding, graph);
CREATE INDEX entity_order ON entity (kind, sort_key, id);
CREATE INDEX document_by_language ON document (language, graph);
CREATE INDEX document_by_id ON document (id);
CREATE INDEX name_by_entity ON name (kind, entity);
"""
