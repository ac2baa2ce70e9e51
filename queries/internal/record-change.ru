# Appended by the remote backend to every write it sends, in the same request (one transaction):
# the write becomes the new head of the change log, following the heads it saw.
# Bound by the code (VALUES blocks written by the engine's serializer, put at the start of WHERE):
#   ?log the change-log graph, ?entry the new entry (a fresh IRI), ?everything true or UNDEF,
#   ?graph one row per graph the write changed (UNDEF when it names none).
# Engines without serialisable updates (Oxigraph) may commit two writes that saw the same heads:
# both stay heads and the next write follows both, so no write is lost to a reader.
# Full IRIs, no PREFIX: this follows the write's operations after a ';', where Oxigraph 0.5 refuses
# a prologue (SPARQL 1.1 allows one).

DELETE { GRAPH ?log { ?log <https://w3id.org/coopkg/changes#head> ?previous } }
INSERT {
  GRAPH ?log {
    ?log <https://w3id.org/coopkg/changes#head> ?entry .
    ?entry a <https://w3id.org/coopkg/changes#Change> ;
      <https://w3id.org/coopkg/changes#sequence> ?sequence ;
      <https://w3id.org/coopkg/changes#at> ?now ;
      <https://w3id.org/coopkg/changes#follows> ?previous ;
      <https://w3id.org/coopkg/changes#graph> ?graph ;
      <https://w3id.org/coopkg/changes#everything> ?everything .
  }
}
WHERE {
  OPTIONAL { GRAPH ?log { ?log <https://w3id.org/coopkg/changes#head> ?previous } }
  OPTIONAL {
    GRAPH ?log { ?log <https://w3id.org/coopkg/changes#head> ?top . ?top <https://w3id.org/coopkg/changes#sequence> ?last }
    FILTER NOT EXISTS {
      GRAPH ?log { ?log <https://w3id.org/coopkg/changes#head> ?other . ?other <https://w3id.org/coopkg/changes#sequence> ?higher }
      FILTER (?higher > ?last)
    }
  }
  BIND (COALESCE(?last + 1, 1) AS ?sequence)
  BIND (NOW() AS ?now)
}
