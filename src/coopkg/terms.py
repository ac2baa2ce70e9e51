"""Vocabulary terms used by the code, as pyoxigraph nodes.

Every term here must be declared in ``ontology/coopkg.ttl`` (a test checks it), so a typo
cannot reach the graph.
"""

from __future__ import annotations

from pyoxigraph import NamedNode

ONTOLOGY_IRI = "https://w3id.org/coopkg/ontology"


class Vocabulary:
    """A namespace whose attributes are NamedNodes; it records every term asked for."""

    # Attribute names that no vocabulary uses as a term (oa:prefix, schema:name… would clash).
    def __init__(self, prefix: str, iri: str) -> None:
        self.ns_prefix = prefix
        self.ns = iri
        self.ns_used: set[str] = set()

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("__"):
            raise AttributeError(name)
        node = self.term(name)
        # Kept as an attribute: the next access is a plain lookup (graphs are written term by term).
        setattr(self, name, node)
        return node

    def term(self, name: str) -> NamedNode:
        self.ns_used.add(name)
        return NamedNode(self.ns + name)


COOPKG = Vocabulary("coopkg", ONTOLOGY_IRI + "#")
RDF = Vocabulary("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Vocabulary("rdfs", "http://www.w3.org/2000/01/rdf-schema#")
OWL = Vocabulary("owl", "http://www.w3.org/2002/07/owl#")
XSD = Vocabulary("xsd", "http://www.w3.org/2001/XMLSchema#")
SKOS = Vocabulary("skos", "http://www.w3.org/2004/02/skos/core#")
DCTERMS = Vocabulary("dcterms", "http://purl.org/dc/terms/")
PROV = Vocabulary("prov", "http://www.w3.org/ns/prov#")
OA = Vocabulary("oa", "http://www.w3.org/ns/oa#")
ORG = Vocabulary("org", "http://www.w3.org/ns/org#")
SCHEMA = Vocabulary("schema", "https://schema.org/")
FRAPO = Vocabulary("frapo", "http://purl.org/cerif/frapo/")
EURIO = Vocabulary("eurio", "http://data.europa.eu/s66#")
FOAF = Vocabulary("foaf", "http://xmlns.com/foaf/0.1/")
SH = Vocabulary("sh", "http://www.w3.org/ns/shacl#")
VOID = Vocabulary("void", "http://rdfs.org/ns/void#")
DCAT = Vocabulary("dcat", "http://www.w3.org/ns/dcat#")

VOCABULARIES = (COOPKG, RDF, RDFS, OWL, XSD, SKOS, DCTERMS, PROV, OA, ORG, SCHEMA, FRAPO, EURIO, FOAF, SH, VOID, DCAT)

PREFIXES: dict[str, str] = {v.ns_prefix: v.ns for v in VOCABULARIES}

# Controlled values: the JSON contract uses the short names, the graph the concepts.
QUALIFIERS = ("more-than", "at-least", "less-than", "up-to", "approximately")
REGION_TYPES = ("Country", "AdministrativeRegion", "Province", "City", "SupranationalRegion", "Region")
ORGANISATION_TYPES = (
    "Organisation",
    "InternationalOrganisation",
    "DevelopmentAgency",
    "DevelopmentBank",
    "GovernmentBody",
    "EducationInstitution",
    "CivilSocietyOrganisation",
    "Company",
)


def role_concept(role: str) -> NamedNode:
    return COOPKG.term(role.capitalize() + "Role")


def funding_kind_concept(kind: str) -> NamedNode:
    return COOPKG.term(kind.capitalize() + "Funding")


def qualifier_concept(qualifier: str) -> NamedNode:
    return COOPKG.term("".join(part.capitalize() for part in qualifier.split("-")))


def local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
