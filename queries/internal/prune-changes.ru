# Sent after record-change.ru in the same request: entries older than the newest ?keep sequence
# numbers are removed (a reader further behind than that rebuilds its views).
# Bound by the code: ?log, ?keep. Full IRIs, no PREFIX (see record-change.ru).

DELETE { GRAPH ?log { ?old ?p ?o } }
WHERE {
  GRAPH ?log {
    ?log <https://w3id.org/coopkg/changes#head> ?head .
    ?head <https://w3id.org/coopkg/changes#sequence> ?top .
    ?old a <https://w3id.org/coopkg/changes#Change> ; <https://w3id.org/coopkg/changes#sequence> ?number ; ?p ?o .
  }
  FILTER (?number <= ?top - ?keep)
}
