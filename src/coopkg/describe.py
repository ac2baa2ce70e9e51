"""Linked-data descriptions: a resource's description, the SPARQL service description, VoID/DCAT."""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode, Triple

from coopkg.iris import IriMinter
from coopkg.queries import internal_query
from coopkg.reference import ontology_triples
from coopkg.store.base import Repository
from coopkg.terms import DCAT, DCTERMS, ONTOLOGY_IRI, RDF, RDFS, VOID, XSD, local_name

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"


def describe(repo: Repository, iri: str) -> list[Triple]:
    """The triples about ``iri``, the labels of what it links to, and its evidence (empty if unknown)."""
    if iri.split("#", 1)[0] == ONTOLOGY_IRI:
        return describe_ontology_term(iri)
    return internal_query("describe-resource").run(repo, {"iri": iri}).graph()


def describe_ontology_term(iri: str) -> list[Triple]:
    triples = ontology_triples()
    if iri == ONTOLOGY_IRI:
        return triples
    node = NamedNode(iri)
    return [t for t in triples if t.subject == node or t.object == node]


def service_description(endpoint: str, minter: IriMinter) -> list[Triple]:
    service = NamedNode(endpoint)
    sd = lambda name: NamedNode(SD + name)  # noqa: E731
    dataset = NamedNode(minter.base + "dataset")
    triples = [
        Triple(service, RDF.type, sd("Service")),
        Triple(service, sd("endpoint"), service),
        Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        Triple(service, sd("defaultDataset"), dataset),
        Triple(dataset, RDF.type, sd("Dataset")),
        Triple(service, RDFS.label, Literal("coopkg SPARQL endpoint", language="en")),
    ]
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                 "Turtle", "N-Triples", "JSON-LD", "RDF_XML", "TriG", "N-Quads"):  # fmt: skip
        triples.append(Triple(service, sd("resultFormat"), NamedNode(FORMATS + name)))
    return triples


def dataset_description(repo: Repository, minter: IriMinter, site: str) -> list[Triple]:
    """VoID and DCAT: what the dataset holds, where its SPARQL endpoint and its dump are."""
    dataset = NamedNode(minter.base + "dataset")
    dump = NamedNode(site + "dump")
    triples = [
        Triple(dataset, RDF.type, VOID.Dataset),
        Triple(dataset, RDF.type, DCAT.Dataset),
        Triple(dataset, DCTERMS.title, Literal("coopkg: who funds what in development cooperation", language="en")),
        Triple(
            dataset,
            DCTERMS.description,
            Literal(
                "Organisations, projects, fundings, places and indicators extracted from news articles and press "
                "releases, each fact with its evidence.",
                language="en",
            ),
        ),
        Triple(dataset, VOID.sparqlEndpoint, NamedNode(site + "sparql")),
        Triple(dataset, VOID.dataDump, dump),
        Triple(dataset, VOID.uriSpace, Literal(minter.base + "id/")),
        Triple(dataset, VOID.vocabulary, NamedNode(ONTOLOGY_IRI)),
        Triple(dataset, DCAT.distribution, dump),
        Triple(dump, RDF.type, DCAT.Distribution),
        Triple(dump, DCAT.downloadURL, dump),
        Triple(dump, DCAT.mediaType, Literal("application/n-quads")),
        Triple(dump, DCTERMS.format, Literal("application/n-quads+gzip")),
    ]
    triples.append(Triple(dataset, VOID.triples, Literal(str(len(repo)), datatype=XSD.integer)))
    for row in internal_query("dataset-counts").run(repo).rows():
        partition = NamedNode(f"{minter.base}dataset/{local_name(row['class'].value)}")
        triples += [
            Triple(dataset, VOID.classPartition, partition),
            Triple(partition, VOID.term("class"), row["class"]),
            Triple(partition, VOID.entities, row["n"]),
        ]
    documents = sum(minter.document_id_of_graph(g.value) is not None for g in repo.named_graphs())
    triples.append(Triple(dataset, VOID.documents, Literal(str(documents), datatype=XSD.integer)))
    return triples
