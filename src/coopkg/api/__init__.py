"""The HTTP service: SPARQL for analysts, linked data for RDF consumers, a JSON API for clients."""
